"""The Corpus page on a three-article corpus written here, and its pure helpers."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis import analyze
from analysis.storage.corpus import (
    ArticleMeta,
    CorpusStore,
    article_tables,
    corpus_options,
    document_key,
)
from dashboard.corpus_charts import cooccurrence_matrix, coverage_lines
from dashboard.corpus_state import CorpusState, Point, from_query, parse_point, to_query
from dashboard.corpus_views import (
    article_texts,
    highlight_html,
    mention_paragraphs,
    period_end,
    term_spans,
)

APP = Path(__file__).resolve().parent / "corpus_app.py"
TEXTS = [
    (
        "Storm hits the coast\n\nThe storm reached Norway on Monday. Officials in Norway said the "
        "roads were closed.\n\nFishermen in Bergen waited for the wind to drop.",
        "2024-03-04",
        "daily.example",
    ),
    (
        "Norway reopens roads\n\nNorway reopened the coastal roads on Wednesday after the storm."
        '\n\n"We are glad the roads are open again," said Ingrid Berg.',
        "2024-03-20",
        "herald.example",
    ),
    (
        "Talks in Sweden\n\nSweden and Norway held talks about the storm damage in Bergen.",
        "2024-04-10",
        "daily.example",
    ),
]
KEYS = [document_key(text) for text, _, _ in TEXTS]


@pytest.fixture(scope="module")
def corpus_path(tmp_path_factory, nlp) -> Path:
    path = tmp_path_factory.mktemp("tiny-corpus") / "tiny.duckdb"
    store = CorpusStore(path)
    for text, day, outlet in TEXTS:
        result = analyze(text, nlp=nlp, options=corpus_options())
        meta = ArticleMeta(published=day, source=outlet)
        store.add([article_tables(result, key=document_key(text), meta=meta)])
    store.compact()
    return path


@pytest.fixture
def app(corpus_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("NEWSLENS_TEST_CORPUS", str(corpus_path))
    return AppTest.from_file(str(APP), default_timeout=60)


def frame_of(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first table showing these columns (tables without selection carry no key)."""
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


def html_of(at: AppTest) -> str:
    return "".join(e.proto.body for e in at.get("html"))


# -- the page ------------------------------------------------------------------------------


def test_corpus_page_counts_the_selected_articles(app):
    at = app.run()
    assert not at.exception
    assert at.caption[0].value == "3 of 3 articles selected · 2024-03-04 to 2024-04-10"


def test_corpus_page_coverage_table_for_an_entity_and_a_term(app):
    app.query_params["items"] = "e:Norway,t:storm"
    app.session_state["corpus_cov_table_open"] = True
    at = app.run()
    assert not at.exception
    table = frame_of(at, "period", "item", "period_articles")
    rows = [
        (str(p)[:10], i, int(m), int(a), int(n))
        for p, i, m, a, n in table[
            ["period", "item", "mentions", "articles", "period_articles"]
        ].itertuples(index=False)
    ]
    assert rows == [
        ("2024-03-01", "e:Norway", 4, 2, 2),
        ("2024-03-01", "t:storm", 3, 2, 2),
        ("2024-04-01", "e:Norway", 1, 1, 1),
        ("2024-04-01", "t:storm", 1, 1, 1),
    ]


def test_corpus_page_click_on_a_point_shows_its_paragraphs_highlighted(app):
    app.query_params["items"] = "t:storm"
    at = app.run()
    at.session_state["corpus_cov_chart"] = {
        "selection": {
            "points": [{"customdata": ["t:storm", "2024-03-01", 2, 2]}],
            "point_indices": [0],
            "box": [],
            "lasso": [],
        }
    }
    at.run()
    assert not at.exception
    assert "**“storm”, 2024-03-01 to 2024-03-31**: 3 paragraph(s) in 2 article(s)" in [
        m.value for m in at.markdown
    ]
    body = html_of(at)
    assert '<mark class="nl-hit">Storm</mark> hits the coast' in body
    assert "glad" not in body  # the quote's paragraph does not use the word
    assert at.query_params["point"] == "2024-03-01|t:storm"


def test_corpus_page_text_filter_narrows_every_view(app):
    app.query_params["q"] = "Sweden"
    at = app.run()
    assert not at.exception
    assert at.caption[0].value.startswith("1 of 3 articles selected")
    assert frame_of(at, "title", "top_entities")["title"].tolist() == ["Talks in Sweden"]


def test_corpus_page_entity_click_follows_it_in_the_coverage_chart(app):
    at = app.run()
    at.session_state["corpus_top_entities_chart"] = {
        "selection": {
            "points": [{"customdata": "Bergen"}],
            "point_indices": [0],
            "box": [],
            "lasso": [],
        }
    }
    at.run()
    assert not at.exception
    assert at.multiselect(key="corpus_cov_items").value == ["e:Bergen"]
    assert at.query_params["items"] == "e:Bergen"


def test_corpus_page_row_selection_opens_the_article(app):
    at = app.run()
    at.session_state["corpus_articles_table"] = {
        "selection": {"rows": [0], "columns": [], "cells": []}
    }
    at.run()
    assert not at.exception
    assert at.session_state["corpus_open_article"] == KEYS[2]  # newest first


def test_corpus_page_bad_link_is_named(app):
    app.query_params["top"] = "99"
    at = app.run()
    assert not at.exception
    assert at.warning[0].value == (
        "Part of this link was ignored: “top” (top entities and "
        "terms) must be a number from 5 to 50."
    )


def test_corpus_page_cooccurrence_cell_lists_paragraphs(app):
    at = app.run()
    at.session_state["corpus_open"] = ["pairs"]
    at.run()
    at.session_state["corpus_pairs_chart"] = {
        "selection": {
            "points": [{"customdata": ["Bergen", "Sweden"]}],
            "point_indices": [0],
            "box": [],
            "lasso": [],
        }
    }
    at.run()
    assert not at.exception
    assert "**Bergen and Sweden** in the same paragraph: 1 paragraph(s)" in [
        m.value for m in at.markdown
    ]


# -- queries and helpers --------------------------------------------------------------------


def test_mention_paragraphs_entity_spans(corpus_path):
    rows = mention_paragraphs(CorpusStore(corpus_path), entities=["Bergen"])
    assert [
        (r.title, int(r.paragraph), [[int(x) for x in s] for s in r.spans])
        for r in rows.itertuples()
    ] == [
        ("Storm hits the coast", 2, [[13, 19]]),
        ("Talks in Sweden", 1, [[55, 61]]),
    ]


def test_article_texts_by_key_prefix(corpus_path):
    rows = article_texts(CorpusStore(corpus_path), keys=[KEYS[2][:12]])
    assert rows["text"].tolist() == [
        "Talks in Sweden\n\nSweden and Norway held talks about the storm damage in Bergen."
    ]


def test_term_spans_whole_words_any_case():
    assert term_spans("Storm, storms and a storm.", "storm") == [(0, 5), (20, 25)]


def test_highlight_html_escapes_text_and_marks():
    assert (
        highlight_html("<b>AT&T</b> said", [(3, 7)])
        == '&lt;b&gt;<mark class="nl-hit">AT&amp;T</mark>&lt;/b&gt; said'
    )


def test_highlight_html_merges_overlaps():
    assert highlight_html("abcdef", [(1, 3), (2, 5)]) == 'a<mark class="nl-hit">bcde</mark>f'


def test_period_end_month_week_day():
    assert [
        period_end(date(2024, 2, 1), "month"),
        period_end(date(2024, 12, 1), "month"),
        period_end(date(2024, 3, 4), "week"),
        period_end(date(2024, 3, 4), "day"),
    ] == [date(2024, 2, 29), date(2024, 12, 31), date(2024, 3, 10), date(2024, 3, 4)]


def test_coverage_lines_by_source_adds_items():
    frame = pd.DataFrame(
        {
            "period": [date(2024, 3, 1)] * 4,
            "source": ["a", "a", "b", None],
            "item": ["e:X", "t:y", "e:X", "e:X"],
            "kind": ["entity", "term", "entity", "entity"],
            "mentions": [2, 3, 1, 4],
            "articles": [1, 2, 1, 1],
            "period_articles": [2, 2, 1, 1],
        }
    )
    lines = coverage_lines(frame, lines="source")
    assert list(zip(lines["line"], lines["mentions"], strict=True)) == [
        ("a", 5),
        ("b", 1),
        ("(no outlet)", 4),
    ]


def test_cooccurrence_matrix_is_symmetric():
    pairs = pd.DataFrame({"entity_a": ["A"], "entity_b": ["B"], "paragraphs": [3], "articles": [1]})
    assert cooccurrence_matrix(pairs, ["B", "A", "C"]).to_numpy().tolist() == [
        [0, 3, 0],
        [3, 0, 0],
        [0, 0, 0],
    ]


# -- the state --------------------------------------------------------------------------------


def test_from_query_reads_every_field():
    state, notes = from_query(
        {
            "corpus": "news.duckdb",
            "start": "2024-03-01",
            "end": "2024-03-31",
            "sources": "a.example,b\\,c",
            "q": '"central bank"',
            "entity": "Norway",
            "items": "e:Norway,t:Storm",
            "lines": "source",
            "interval": "week",
            "point": "2024-03-04|e:Norway",
            "types": "GPE,person",
            "top": "20",
            "model": "textblob",
            "pair": "Bergen|Sweden",
            "dist": "month:2024-03",
            "open": "pairs,quoted",
            "compare": "ABCDEF12,12345678",
        }
    )
    assert notes == []
    assert state == CorpusState(
        corpus="news.duckdb",
        start=date(2024, 3, 1),
        end=date(2024, 3, 31),
        sources=("a.example", "b,c"),
        q='"central bank"',
        entity="Norway",
        items=("e:Norway", "t:storm"),
        lines="source",
        interval="week",
        point="2024-03-04|e:Norway",
        types=("GPE", "PERSON"),
        top=20,
        model="textblob",
        pair="Bergen|Sweden",
        dist="month:2024-03",
        open=("quoted", "pairs", "dist"),
        compare=("abcdef12", "12345678"),
    )


def test_from_query_open_views_drops_unknown_names():
    state, notes = from_query({"open": "dist,charts,quoted"})
    assert state.open == ("quoted", "dist")
    assert notes == ["“charts” is not a view (“open” lists quoted, pairs, dist)"]


def test_from_query_pair_without_open_shows_its_view():
    assert from_query({"pair": "Bergen|Sweden"})[0].open == ("pairs",)


def test_to_query_writes_open_views():
    assert to_query(CorpusState(open=("quoted", "dist"))) == {"open": "quoted,dist"}


def test_from_query_drops_invalid_parts_with_reasons():
    state, notes = from_query(
        {
            "corpus": "../etc",
            "interval": "year",
            "compare": "abcdef12",
            "end": "2024-13-01",
            "items": "x:1",
            "zz": "1",
        }
    )
    assert state == CorpusState()
    assert notes == [
        "“corpus” (corpus) must be “sample” or the file name of a stored corpus",
        "“end” (last day) must be a day written YYYY-MM-DD, not before the first day",
        "“items” (coverage entities and terms) must list 1 to 8 values such as e:China or t:virus",
        "“interval” (granularity) must be one of day, week, month",
        "“compare” (articles compared) must list 2 to 4 article keys (hexadecimal)",
        "“zz” is not a setting a NewsLens corpus link carries",
    ]


def test_from_query_end_before_start_is_dropped():
    state, notes = from_query({"start": "2024-03-10", "end": "2024-03-01"})
    assert (state.start, state.end, len(notes)) == (date(2024, 3, 10), None, 1)


def test_to_query_round_trip():
    state = CorpusState(
        start=date(2024, 3, 1),
        sources=("a,b", "c"),
        items=("e:Norway",),
        interval="week",
        compare=("abcdef12", "12345678"),
    )
    query = to_query(state)
    assert query == {
        "start": "2024-03-01",
        "sources": "a\\,b,c",
        "items": "e:Norway",
        "interval": "week",
        "compare": "abcdef12,12345678",
    }
    assert from_query(query) == (state, [])


def test_to_query_default_is_empty():
    assert to_query(CorpusState()) == {}


def test_parse_point_valid_and_invalid():
    assert [
        parse_point("2024-03-04|e:Norway"),
        parse_point("2024-03-04"),
        parse_point("March|e:Norway"),
    ] == [Point(date(2024, 3, 4), "e:Norway"), None, None]


def test_corpus_figures_are_valid_plotly(corpus_path):
    import plotly.graph_objects as go

    from analysis.storage.corpus import queries
    from dashboard import corpus_charts as cc

    store = CorpusStore(corpus_path)
    coverage = queries.mentions_over_time(store, entities=["Norway"], interval="month")
    coverage = coverage.assign(item="e:" + coverage["item"])
    figures = [
        cc.coverage_figure(
            cc.coverage_lines(coverage), selected=Point(date(2024, 3, 1), "e:Norway")
        ),
        cc.tone_box_figure(queries.article_sentiment(store)),
        cc.tone_time_figure(queries.sentiment_over_time(store, by_source=True, interval="month")),
        cc.speakers_by_source_figure(
            queries.quoted_speakers(store, by_source=True), speakers=["Ingrid Berg"]
        ),
        cc.cooccurrence_figure(
            cooccurrence_matrix(queries.cooccurrence(store), ["Bergen", "Norway"]),
            selected=("Bergen", "Norway"),
        ),
        cc.distinctive_figure(
            queries.distinctive_terms(store, of_source="herald.example"), target="x"
        ),
    ]
    assert [len(go.Figure(f.to_dict()).data) for f in figures] == [2, 2, 2, 1, 1, 1]


# -- the shipped sample corpus -------------------------------------------------------------

SEED_DIR = Path(__file__).resolve().parents[2] / "seeds" / "corpus"


def _export_rows(name: str, keys: list[str]) -> pd.DataFrame:
    import duckdb

    path = str(SEED_DIR / "wikinews-2019-2020.parquet" / f"{name}.parquet")
    sql = f"SELECT * FROM read_parquet('{path}') WHERE doc_key IN (SELECT unnest(?::VARCHAR[]))"
    return duckdb.execute(sql, [keys]).df()


def test_sample_export_version_is_the_analysis_version():
    import duckdb

    from analysis.core.metadata import ANALYSIS_VERSION

    path = str(SEED_DIR / "wikinews-2019-2020.parquet" / "articles.parquet")
    stored = duckdb.execute(f"SELECT DISTINCT version FROM read_parquet('{path}')").fetchall()
    assert stored == [(ANALYSIS_VERSION,)], "rebuild the export: see seeds/corpus/README.md"


def test_sample_export_holds_the_seed_documents():
    from analysis.sources.files import read_inputs
    from dashboard.corpus_views import SAMPLE_EXPORT, export_articles

    keys = {
        document_key(item.raw) for item in read_inputs([str(SEED_DIR / "wikinews-2019-2020.jsonl")])
    }
    exported = set(_export_rows("articles", sorted(keys))["doc_key"])
    assert (export_articles(SAMPLE_EXPORT), len(keys), exported == keys) == (113, 113, True)


def _telling_keys() -> list[str]:
    """The two shipped articles under 2,000 words that name the most entities: where a change
    to the analysis (names, quotes, sentiment) most likely shows, at a test's cost."""
    import duckdb

    export = SEED_DIR / "wikinews-2019-2020.parquet"
    sql = f"""SELECT a.doc_key FROM read_parquet('{export}/articles.parquet') a
              JOIN read_parquet('{export}/entities.parquet') e USING (doc_key)
              WHERE a.words < 2000 GROUP BY a.doc_key ORDER BY count(*) DESC, a.doc_key LIMIT 2"""
    return [row[0] for row in duckdb.execute(sql).fetchall()]


def test_sample_export_rows_equal_a_fresh_analysis(nlp, tmp_path):
    """Two seed documents analysed now give exactly the shipped rows, table by table."""
    from analysis.runners.corpus import Task, analyse_documents
    from analysis.sources.files import read_inputs
    from analysis.storage.corpus.records import tables_from_rows

    wanted = _telling_keys()
    items = [
        i
        for i in read_inputs([str(SEED_DIR / "wikinews-2019-2020.jsonl")])
        if document_key(i.raw) in wanted
    ]
    tasks = [Task(document_key(i.raw), i.name, i.raw, i.meta) for i in items]
    assert len(tasks) == 2
    fresh = CorpusStore(tmp_path / "fresh.duckdb")
    fresh.add([tables_from_rows([one.rows]) for one in analyse_documents(tasks, nlp=nlp)])
    shipped = CorpusStore(tmp_path / "shipped.duckdb")
    shipped.import_parquet(SEED_DIR / "wikinews-2019-2020.parquet")
    keys = sorted(t.key for t in tasks)
    sizes = {}
    for name in (
        "articles",
        "paragraphs",
        "sentences",
        "terms",
        "mentions",
        "entities",
        "quotes",
        "entity_sentences",
    ):
        want = shipped.table(name)
        want = want[want["doc_key"].isin(keys)].reset_index(drop=True)
        got = fresh.table(name)
        pd.testing.assert_frame_equal(
            got, want, obj=f"{name} (rebuild the export: see seeds/corpus/README.md)"
        )
        sizes[name] = len(got) > 0
    assert sizes == dict.fromkeys(sizes, True)


def test_import_sample_imports_once(tmp_path):
    from analysis.storage.corpus import queries
    from dashboard.corpus_views import import_sample

    path = tmp_path / "sample.duckdb"
    first = queries.corpus_info(import_sample(path)).articles
    stamp = path.stat().st_mtime_ns
    again = queries.corpus_info(import_sample(path)).articles
    assert (first, again, path.stat().st_mtime_ns == stamp) == (113, 113, True)


# -- uploads analysed in the background ----------------------------------------------------

UPLOAD = [
    {
        "id": "u1",
        "title": "Harbour closes for repairs",
        "date": "2024-05-02",
        "source": "port.example",
        "text": "The harbour in Tromso closed on Thursday for repairs to the main pier.",
    },
    {
        "id": "u2",
        "title": "Ferries diverted",
        "date": "2024-05-03",
        "source": "port.example",
        "text": "Ferries from Tromso were sent to a smaller quay while the pier is rebuilt.",
    },
    {
        "id": "u3",
        "title": "Pier reopens",
        "date": "2024-06-11",
        "source": "coast.example",
        "text": '"The pier is stronger than before," said Kari Olsen, who runs the harbour.',
    },
]


def _upload_bytes() -> bytes:
    import json

    return "".join(json.dumps(r) + "\n" for r in UPLOAD).encode("utf-8")


def test_ingest_job_stores_every_document(nlp, tmp_path):
    from analysis.storage.corpus import queries
    from dashboard.corpus_views import IngestJob, JobStatus

    source = tmp_path / "three.jsonl"
    source.write_bytes(_upload_bytes())
    job = IngestJob(
        tmp_path / "three.duckdb", [str(source)], load_nlp=lambda: nlp, batch_size=1
    ).start()
    assert job.wait(120)
    assert job.status() == JobStatus(3, 3, 3, 0, True, "", ())
    titles = queries.article_table(CorpusStore(tmp_path / "three.duckdb"), sort="date")[
        "title"
    ].tolist()
    assert titles == ["Pier reopens", "Ferries diverted", "Harbour closes for repairs"]


def test_ingest_job_reports_a_stopped_analysis(tmp_path):
    from dashboard.corpus_views import IngestJob

    source = tmp_path / "three.jsonl"
    source.write_bytes(_upload_bytes())

    def broken():
        raise RuntimeError("no model")

    job = IngestJob(tmp_path / "three.duckdb", [str(source)], load_nlp=broken).start()
    assert job.wait(60)
    assert job.status().error == "the analysis stopped (RuntimeError: no model)"


def test_job_status_fraction():
    from dashboard.corpus_views import JobStatus

    assert [
        JobStatus(4, 1, 1, 0, False, "", ()).fraction,
        JobStatus(None, 1, 1, 0, False, "", ()).fraction,
        JobStatus(4, 1, 1, 0, True, "", ()).fraction,
    ] == [0.25, 0.0, 1.0]


def test_start_upload_without_text_column_is_refused(monkeypatch, tmp_path):
    from analysis.sources.files import IngestError
    from dashboard.corpus_views import start_upload

    monkeypatch.setenv("NEWSLENS_DATA_DIR", str(tmp_path))
    with pytest.raises(IngestError) as caught:
        start_upload("notes.csv", b"headline,body\nA,B\n")
    assert str(caught.value) == (
        "notes.csv has no 'text' column (columns: headline, body); name the "
        "column that holds the article text with --text-column."
    )


def test_start_upload_over_the_limit_is_refused(monkeypatch, tmp_path):
    from analysis.sources.files import IngestError
    from dashboard import corpus_views

    monkeypatch.setenv("NEWSLENS_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(corpus_views, "upload_limit_mb", lambda: 1)
    with pytest.raises(IngestError) as caught:
        corpus_views.start_upload("big.jsonl", b"x" * (2 * 1024 * 1024))
    assert str(caught.value) == (
        "big.jsonl is 2 MB; the limit for an upload is 1 MB (add larger "
        "collections with: newslens corpus add)."
    )


@pytest.fixture
def sample_app(monkeypatch, tmp_path) -> AppTest:
    """The page on its own choice of corpus (the sample), in a data folder of its own."""
    monkeypatch.delenv("NEWSLENS_TEST_CORPUS", raising=False)
    monkeypatch.setenv("NEWSLENS_DATA_DIR", str(tmp_path))
    return AppTest.from_file(str(APP), default_timeout=60)


def test_corpus_page_opens_on_the_imported_sample(sample_app):
    at = sample_app.run()
    assert not at.exception
    assert at.caption[0].value == "113 of 113 articles selected · 2019-01-04 to 2020-12-26"


def test_corpus_page_upload_shows_progress_then_fills_in(sample_app, nlp, monkeypatch):
    import threading

    from dashboard import corpus_views

    release = threading.Event()

    def held_pipeline():
        release.wait(60)
        return nlp

    monkeypatch.setattr(corpus_views, "_pipeline", held_pipeline)
    at = sample_app.run()
    at.sidebar.file_uploader[0].set_value(
        ("three.jsonl", _upload_bytes(), "application/json")
    ).run()
    assert not at.exception
    corpus = at.selectbox(key="corpus_choice_name").value
    assert corpus.startswith("upload-three-")
    progress = at.get("progress")
    assert [p.proto.text.split(":")[0] for p in progress] == ["Analysing three.jsonl"]
    assert [i.value for i in at.info] == ["This corpus holds no articles yet."]
    release.set()
    assert corpus_views.upload_job(corpus).wait(120)
    at.run()
    assert not at.exception
    assert (len(at.get("progress")), at.caption[0].value) == (
        0,
        "3 of 3 articles selected · 2024-05-02 to 2024-06-11",
    )


def test_corpus_page_upload_without_text_column_is_named(sample_app):
    at = sample_app.run()
    at.sidebar.file_uploader[0].set_value(("notes.csv", b"headline,body\nA,B\n", "text/csv")).run()
    assert not at.exception
    assert [e.value for e in at.sidebar.error] == [
        "notes.csv has no 'text' column (columns: headline, body); name the column that holds the "
        "article text with --text-column."
    ]


# -- figures that stay small on a large corpus ---------------------------------------------


def _tones(values: list[float], source: str = "a.example") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": [source] * len(values),
            "doc_key": [f"k{i}" for i in range(len(values))],
            "title": [f"T{i}" for i in range(len(values))],
            "date": [None] * len(values),
            "tone": values,
            "scored": [1] * len(values),
        }
    )


def test_box_stats_quartiles_and_whiskers():
    from dashboard.corpus_charts import box_stats

    assert box_stats(pd.Series([0.1, 0.2, 0.3, 0.4, 0.5, -0.9])) == {
        "q1": 0.125,
        "median": 0.25,
        "q3": 0.375,
        "lowerfence": 0.1,
        "upperfence": 0.5,
    }


def test_tone_box_figure_large_outlet_sends_outliers_only():
    from dashboard.corpus_charts import tone_box_figure

    data = tone_box_figure(_tones([0.1, 0.2, 0.3, 0.4, 0.5, -0.9]), points=3).to_dict()["data"]
    assert [
        (d["type"], list(d.get("y") or []), [c[0] for c in d.get("customdata") or []]) for d in data
    ] == [("box", [], []), ("scatter", [-0.9], ["k5"])]


def test_tone_box_figure_small_outlet_shows_every_article():
    from dashboard.corpus_charts import tone_box_figure

    data = tone_box_figure(_tones([0.1, -0.2]), points=3).to_dict()["data"]
    assert [(d["type"], d["boxpoints"], list(d["y"])) for d in data] == [
        ("box", "all", [0.1, -0.2])
    ]


def test_corpus_page_long_table_shows_its_first_rows(app, monkeypatch):
    from dashboard import corpus_views

    monkeypatch.setattr(corpus_views, "TABLE_ROWS", 2)
    app.session_state["corpus_tone_box_table_open"] = True
    at = app.run()
    assert not at.exception
    tone = frame_of(at, "doc_key", "tone", "scored")
    assert (
        len(tone),
        "The first 2 of 3 rows; the CSV has them all." in [c.value for c in at.caption],
    ) == (2, True)


def test_selected_count_under_a_filter(corpus_path):
    from dashboard.corpus_views import selected_count

    store = CorpusStore(corpus_path)
    assert [
        selected_count(store),
        selected_count(store, text="Bergen"),
        selected_count(store, sources=["herald.example"]),
    ] == [3, 2, 1]


def test_tone_box_figure_large_outlets_share_two_traces_in_outlet_order():
    from dashboard.corpus_charts import tone_box_figure

    tones = pd.concat(
        [
            _tones([0.1, 0.2, 0.3, 0.4, 0.5, -0.9], "b.example"),
            _tones([0.0], "a.example"),
            _tones([0.2, 0.2, 0.3, 0.3], "c.example"),
        ],
        ignore_index=True,
    )
    figure = tone_box_figure(tones, points=3).to_dict()
    assert (
        [(d["type"], list(d.get("x") or [])) for d in figure["data"]],
        list(figure["layout"]["xaxis"]["categoryarray"]),
    ) == (
        [("box", []), ("box", ["b.example", "c.example"]), ("scatter", ["b.example"])],
        ["a.example", "b.example", "c.example"],
    )


def test_fit_range_follows_a_whole_span():
    from dashboard.corpus_views import fit_range

    assert fit_range(
        (date(2024, 1, 1), date(2024, 3, 1)),
        date(2024, 1, 1),
        date(2024, 5, 1),
        whole=(date(2024, 1, 1), date(2024, 3, 1)),
    ) == (date(2024, 1, 1), date(2024, 5, 1))


def test_fit_range_moves_days_into_the_span():
    from dashboard.corpus_views import fit_range

    assert [
        fit_range((date(2024, 2, 1), date(2024, 9, 1)), date(2024, 1, 1), date(2024, 5, 1)),
        fit_range((date(2020, 2, 1), date(2020, 9, 1)), date(2024, 1, 1), date(2024, 5, 1)),
        fit_range((date(2024, 2, 1),), date(2024, 1, 1), date(2024, 5, 1)),
        fit_range((date(2024, 2, 1), date(2024, 3, 1)), None, None),
    ] == [
        (date(2024, 2, 1), date(2024, 5, 1)),
        (date(2024, 1, 1), date(2024, 5, 1)),
        (date(2024, 2, 1),),
        (),
    ]


def test_corpus_page_switch_to_another_corpus_keeps_filters_valid(
    sample_app, corpus_path, tmp_path
):
    import shutil

    shutil.copy(corpus_path, tmp_path / "tiny.duckdb")
    at = sample_app.run()
    at.selectbox(key="corpus_choice_name").set_value("tiny.duckdb").run()
    assert not at.exception
    assert at.caption[0].value == "3 of 3 articles selected · 2024-03-04 to 2024-04-10"


def test_corpus_label_sample_upload_and_stored():
    from dashboard.corpus_views import corpus_label

    assert [
        corpus_label("sample"),
        corpus_label("upload-forty-3f57e8dd6c.duckdb"),
        corpus_label("news.duckdb"),
    ] == ["Sample: Wikinews 2019-2020", "Upload: forty-3f57e8dd6c", "news"]


def test_highlight_html_escapes_hostile_text():
    text = 'Lee <script>alert(1)</script> and <img src=x onerror="alert(2)"> met'
    out = highlight_html(text, [(0, 3)])
    assert out == (
        '<mark class="nl-hit">Lee</mark> &lt;script&gt;alert(1)&lt;/script&gt; and '
        "&lt;img src=x onerror=&quot;alert(2)&quot;&gt; met"
    )


def _record_queries(monkeypatch) -> tuple[list, list]:
    """(calls the page prefetched, (name, kwargs) the views asked for), filled by a run."""
    from dashboard import corpus_views

    prefetched, asked = [], []
    real = corpus_views.run_query

    def run_query(source, name, **kwargs):
        asked.append((name, kwargs))
        return real(source, name, **kwargs)

    monkeypatch.setattr(corpus_views, "run_query", run_query)
    monkeypatch.setattr(
        corpus_views, "prefetch", lambda source, calls: prefetched.extend(calls) or []
    )
    return prefetched, asked


def test_corpus_page_prefetches_the_filtered_queries_in_page_order(app, monkeypatch):
    prefetched, _ = _record_queries(monkeypatch)
    app.query_params["items"] = "e:Norway"
    at = app.run()
    assert not at.exception
    assert [c.name for c in prefetched] == [
        "top_entities",
        "mentions_over_time",
        "top_entities",
        "top_terms",
        "article_sentiment",
        "sentiment_over_time",
        "article_table",
    ]


def test_corpus_page_prefetches_the_queries_of_the_views_shown(app, monkeypatch):
    prefetched, _ = _record_queries(monkeypatch)
    app.query_params["open"] = "quoted,pairs"
    at = app.run()
    assert not at.exception
    assert [c.name for c in prefetched][-4:] == [
        "article_table",
        "quoted_speakers",
        "quoted_speakers",
        "cooccurrence",
    ]


def test_corpus_page_draws_the_chosen_views_only(app):
    at = app.run()
    assert not at.exception
    assert [c.key for c in at.get("plotly_chart")] == [
        "corpus_cov_chart",
        "corpus_top_entities_chart",
        "corpus_top_terms_chart",
        "corpus_tone_box_chart",
        "corpus_tone_time_chart",
    ]
    at.session_state["corpus_open"] = ["quoted", "pairs", "dist"]
    at.run()
    assert [c.key for c in at.get("plotly_chart")][5:] == [
        "corpus_quoted_chart",
        "corpus_pairs_chart",
        "corpus_dist_chart",
    ]
    assert at.query_params["open"] == "quoted,pairs,dist"


def test_corpus_page_views_ask_for_every_prefetched_query(app, monkeypatch):
    prefetched, asked = _record_queries(monkeypatch)
    app.query_params.update(
        {
            "items": "e:Norway,t:storm",
            "q": "roads",
            "model": "textblob",
            "interval": "week",
            "lines": "source",
            "top": "10",
            "types": "GPE",
        }
    )
    at = app.run()
    assert not at.exception
    assert [c for c in prefetched if (c.name, c.kwargs) not in asked] == []


def test_prefetch_runs_the_calls_of_a_store_in_query_threads(corpus_path, monkeypatch):
    from dashboard import corpus_views
    from dashboard.corpus_views import Call, prefetch

    threads = []
    real = corpus_views.run_query

    def run_query(source, name, **kwargs):
        threads.append(threading.current_thread().name.split("_")[0])
        return real(source, name, **kwargs)

    monkeypatch.setattr(corpus_views, "run_query", run_query)
    futures = prefetch(
        CorpusStore(corpus_path),
        [
            Call("selected_count", {"text": "Bergen"}),
            Call("selected_count", {"sources": ["herald.example"]}),
        ],
    )
    assert ([f.result(timeout=30) for f in futures], threads) == ([2, 1], ["newslens-query"] * 2)


def test_prefetch_starts_nothing_for_a_connection(corpus_path):
    from dashboard.corpus_views import Call, prefetch

    with CorpusStore(corpus_path).reader() as con:
        assert prefetch(con, [Call("selected_count", {})]) == []


@pytest.fixture
def two_article_rows(monkeypatch):
    from dashboard import corpus_views

    monkeypatch.setattr(corpus_views, "ARTICLE_ROWS", 2)
    monkeypatch.setattr(corpus_views, "ARTICLE_ROW_CHOICES", (2, 1000))


def test_corpus_page_article_table_shows_the_newest_rows_by_default(app, two_article_rows):
    at = app.run()
    assert not at.exception
    table = frame_of(at, "title", "top_entities")
    assert (
        table["title"].tolist(),
        "2 article(s) (the newest 2 shown; the CSV has them all) · select a row "
        "to open the article" in [c.value for c in at.caption],
    ) == (["Talks in Sweden", "Norway reopens roads"], True)


def test_corpus_page_article_table_shows_more_rows_when_asked(app, two_article_rows):
    at = app.run()
    at.button_group(key="corpus_articles_rows").set_value(1000).run()
    assert not at.exception
    assert frame_of(at, "title", "top_entities")["title"].tolist() == [
        "Talks in Sweden",
        "Norway reopens roads",
        "Storm hits the coast",
    ]


def test_corpus_page_tables_under_closed_expanders_are_not_drawn(app):
    at = app.run()
    assert not at.exception
    assert [sorted(d.value.columns)[:2] for d in at.dataframe] == [["date", "source"]]


def _tone_periods(periods: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": pd.date_range("2024-01-01", periods=periods, freq="MS"),
            "source": ["a.example"] * periods,
            "articles": [1] * periods,
            "scored": [1] * periods,
            "tone": [0.1] * periods,
        }
    )


def test_tone_time_figure_few_periods_have_dots():
    from dashboard.corpus_charts import tone_time_figure

    assert [d["mode"] for d in tone_time_figure(_tone_periods(3)).to_dict()["data"]] == [
        "lines+markers"
    ]


def test_tone_time_figure_many_periods_are_a_plain_line():
    from dashboard.corpus_charts import tone_time_figure

    assert [d["mode"] for d in tone_time_figure(_tone_periods(13)).to_dict()["data"]] == ["lines"]


def test_corpus_page_tone_charts_are_not_clickable(app):
    at = app.run()
    assert not at.exception
    charts = {c.proto.id.rsplit("-", 1)[-1]: c.proto.selection_mode for c in at.get("plotly_chart")}
    assert (list(charts["corpus_tone_box_chart"]), list(charts["corpus_cov_chart"])) == ([], [0])
