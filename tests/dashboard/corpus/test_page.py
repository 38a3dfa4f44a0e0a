"""The Corpus page through AppTest, on a three-article corpus written here (and on the
sample corpus): its views, what a click does, the link, uploads, prefetched queries."""

from __future__ import annotations

import threading

from tests.dashboard.corpus.tiny import KEYS, frame_of, html_of, upload_bytes


def _record_queries(monkeypatch) -> tuple[list, list]:
    """(calls the page prefetched, (name, kwargs) the views asked for), filled by a run."""
    from dashboard.corpus import data

    prefetched, asked = [], []
    real = data.run_query

    def run_query(source, name, **kwargs):
        asked.append((name, kwargs))
        return real(source, name, **kwargs)

    monkeypatch.setattr(data, "run_query", run_query)
    monkeypatch.setattr(data, "prefetch", lambda source, calls: prefetched.extend(calls) or [])
    return prefetched, asked


def test_corpus_page_counts_the_selected_articles(app):
    at = app.run()
    assert not at.exception
    assert at.caption[0].value == "3 of 3 articles selected · 2024-03-04 to 2024-04-10"


def test_corpus_page_coverage_table_for_an_entity_and_a_term(app):
    app.query_params["items"] = "e:Norway,t:storm"
    app.session_state["corpus_cov_table_open"] = True
    at = app.run()
    assert not at.exception
    table = frame_of(at, "period", "line", "articles_in_period")
    rows = [
        (str(p)[:10], i, int(m), int(a), int(n))
        for p, i, m, a, n in table[
            ["period", "line", "mentions", "articles_mentioning", "articles_in_period"]
        ].itertuples(index=False)
    ]
    assert rows == [
        ("2024-03-01", "e:Norway", 4, 2, 2),
        ("2024-04-01", "e:Norway", 1, 1, 1),
        ("2024-03-01", "t:storm", 3, 2, 2),
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


def test_corpus_page_opens_on_the_imported_sample(sample_app):
    at = sample_app.run()
    assert not at.exception
    assert at.caption[0].value == "113 of 113 articles selected · 2019-01-04 to 2020-12-26"


def test_corpus_page_upload_shows_progress_then_fills_in(sample_app, nlp, monkeypatch):

    from dashboard import jobs
    from dashboard.corpus import choice

    release = threading.Event()

    def held_pipeline():
        release.wait(60)
        return nlp

    monkeypatch.setattr(choice, "_pipeline", held_pipeline)
    at = sample_app.run()
    at.sidebar.file_uploader[0].set_value(("three.jsonl", upload_bytes(), "application/json")).run()
    assert not at.exception
    corpus = at.selectbox(key="corpus_choice_name").value
    assert corpus.startswith("upload-three-")
    progress = at.get("progress")
    assert [p.proto.text.split(":")[0] for p in progress] == ["Analysing three.jsonl"]
    assert [i.value for i in at.info][-1] == "This corpus holds no articles yet."
    release.set()
    assert jobs.upload_job(corpus).wait(120)
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


def test_corpus_page_long_table_shows_its_first_rows(app, monkeypatch):
    from dashboard.corpus import views

    monkeypatch.setattr(views, "TABLE_ROWS", 2)
    app.session_state["corpus_tone_box_table_open"] = True
    at = app.run()
    assert not at.exception
    tone = frame_of(at, "doc_key", "tone", "scored")
    assert (
        len(tone),
        "The first 2 of 3 rows; the CSV has them all." in [c.value for c in at.caption],
    ) == (2, True)


def test_corpus_page_switch_to_another_corpus_keeps_filters_valid(
    sample_app, corpus_path, tmp_path
):
    import shutil

    shutil.copy(corpus_path, tmp_path / "tiny.duckdb")
    at = sample_app.run()
    at.selectbox(key="corpus_choice_name").set_value("tiny.duckdb").run()
    assert not at.exception
    assert at.caption[0].value == "3 of 3 articles selected · 2024-03-04 to 2024-04-10"


def test_corpus_page_prefetches_the_filtered_queries_in_page_order(app, monkeypatch):
    prefetched, _ = _record_queries(monkeypatch)
    app.query_params["items"] = "e:Norway"
    at = app.run()
    assert not at.exception
    assert [c.name for c in prefetched] == [
        "top_entities",
        "mentions_series",
        "top_entities",
        "top_terms",
        "article_sentiment",
        "tone_series",
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


def drawn_value(widget):
    """What a browser shows on a widget of this run when it draws it only now (its script
    arrived late): the value the element sets, else the element's default. Pills and
    multiselects give their options' labels."""
    proto = widget.proto
    if hasattr(proto, "raw_values"):
        if proto.set_value:
            return list(proto.raw_values)
        labels = [getattr(o, "content", o) for o in proto.options]
        return [labels[i] for i in proto.default]
    return proto.value if proto.set_value else proto.default


def test_corpus_page_link_values_stay_on_widgets_drawn_after_a_rerun(app):
    # A browser draws a widget once its script has loaded: a click elsewhere (here the
    # "Pairs" expander) can rerun the page before that, and the widget is then drawn from
    # the second run's element. It must still hold the link's value, or the reader's next
    # click sends the widget's default back and the view and the link lose it.
    app.query_params.update({"items": "e:Norway", "top": "20", "open": "pairs"})
    at = app.run()
    at.session_state["corpus_pairs_table_open"] = True
    at.run()
    assert not at.exception
    assert (
        drawn_value(at.pills(key="corpus_open")),
        drawn_value(at.multiselect(key="corpus_cov_items")),
        drawn_value(at.number_input(key="corpus_top_top")),
    ) == (["Entities together"], ["Norway"], 20)


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


def test_corpus_page_tone_charts_are_not_clickable(app):
    at = app.run()
    assert not at.exception
    charts = {c.proto.id.rsplit("-", 1)[-1]: c.proto.selection_mode for c in at.get("plotly_chart")}
    assert (list(charts["corpus_tone_box_chart"]), list(charts["corpus_cov_chart"])) == ([], [0])


#: A link with the Corpus page's parameters, as links made before the page's modules were
#: split wrote them: it must open the same view and be written back unchanged.
OLD_LINK = {
    "corpus": "tiny.duckdb",
    "start": "2024-03-05",
    "end": "2024-04-09",
    "sources": "daily.example,herald.example",
    "q": "roads",
    "entity": "Norway",
    "items": "e:Norway,t:storm",
    "lines": "source",
    "interval": "week",
    "types": "GPE",
    "top": "10",
    "model": "textblob",
    "pair": "Bergen|Norway",
    "dist": "source:daily.example",
    "open": "quoted,pairs,dist",
}


def test_corpus_page_old_link_opens_its_view_and_stays_as_it_was(app):
    app.query_params.update(OLD_LINK)
    at = app.run()
    assert (not at.exception, not at.warning) == (True, True)
    assert dict(at.query_params) == OLD_LINK
    assert (
        at.text_input(key="corpus_filters_text").value,
        at.multiselect(key="corpus_cov_items").value,
        at.session_state["corpus_tone_model"],
    ) == ("roads", ["e:Norway", "t:storm"], "textblob")


def test_corpus_page_every_session_key_starts_with_corpus(app):
    app.query_params["open"] = "quoted,pairs,dist"
    at = app.run()
    at.session_state["corpus_cov_table_open"] = True
    at.session_state["corpus_articles_table"] = {
        "selection": {"rows": [0], "columns": [], "cells": []}
    }
    at.run()
    assert [key for key in at.session_state.to_dict() if not key.startswith("corpus_")] == []


def test_opened_article_brings_the_corpus_corrections_on_its_names(corpus_path, tmp_path):
    import shutil

    from analysis.core.corrections import Correction
    from analysis.storage.corpus.corrections import add_correction
    from analysis.storage.corpus.store import CorpusStore
    from dashboard.corpus.page import _opened_article

    path = tmp_path / "tiny.duckdb"
    shutil.copy(corpus_path, path)
    store = CorpusStore(path)
    add_correction(store, "label", "Bergen", "ORG")
    add_correction(store, "ignore", "Ingrid Berg")
    opened = _opened_article(store, KEYS[0])
    assert (opened.title, opened.corrections) == (
        "Storm hits the coast",
        (Correction("label", "Bergen", "ORG"),),
    )
    assert _opened_article(store, KEYS[1]).corrections == (Correction("ignore", "Ingrid Berg"),)
