"""The Corpus page's data: the queries it runs (of :mod:`analysis.storage.corpus.queries`)
on the tiny corpus, and their prefetch in background threads."""

from __future__ import annotations

import threading
from datetime import date

from analysis.storage.corpus import (
    CorpusStore,
)
from analysis.storage.corpus.queries import article_texts, mention_paragraphs, selected_count
from dashboard.corpus.charts import cooccurrence_matrix
from dashboard.corpus.data import Call, prefetch
from dashboard.corpus.link import Point
from tests.dashboard.corpus.tiny import KEYS


def test_mention_paragraphs_entity_spans(corpus_path):
    rows = mention_paragraphs(CorpusStore(corpus_path), entities=["Bergen"])
    assert [
        (r.title, int(r.paragraph), [[int(x) for x in s] for s in r.spans])
        for r in rows.itertuples()
    ] == [
        ("Storm hits the coast", 2, [[13, 19]]),
        ("Talks in Sweden", 1, [[55, 61]]),
    ]


def test_mention_paragraphs_of_every_entity_are_not_cut_by_the_others(corpus_path):
    store = CorpusStore(corpus_path)
    pair = mention_paragraphs(store, entities=["Norway", "Bergen"], every=True, limit=1)
    either = mention_paragraphs(store, entities=["Norway", "Bergen"], limit=1)
    assert (
        [(r.title, int(r.paragraph), list(r.items)) for r in pair.itertuples()],
        [(r.title, int(r.paragraph)) for r in either.itertuples()],
    ) == (
        [("Talks in Sweden", 1, ["e:Bergen", "e:Norway"])],
        [("Storm hits the coast", 1)],
    )


def test_article_texts_by_key_prefix(corpus_path):
    rows = article_texts(CorpusStore(corpus_path), keys=[KEYS[2][:12]])
    assert rows["text"].tolist() == [
        "Talks in Sweden\n\nSweden and Norway held talks about the storm damage in Bergen."
    ]


def test_selected_count_under_a_filter(corpus_path):
    store = CorpusStore(corpus_path)
    assert [
        selected_count(store),
        selected_count(store, text="Bergen"),
        selected_count(store, sources=["herald.example"]),
    ] == [3, 2, 1]


def test_prefetch_runs_the_calls_of_a_store_in_query_threads(corpus_path, monkeypatch):
    from dashboard.corpus import data

    threads = []
    real = data.run_query

    def run_query(source, name, **kwargs):
        threads.append(threading.current_thread().name.split("_")[0])
        return real(source, name, **kwargs)

    monkeypatch.setattr(data, "run_query", run_query)
    futures = prefetch(
        CorpusStore(corpus_path),
        [
            Call("selected_count", {"text": "Bergen"}),
            Call("selected_count", {"sources": ["herald.example"]}),
        ],
    )
    assert ([f.result(timeout=30) for f in futures], threads) == ([2, 1], ["newslens-query"] * 2)


def test_prefetch_starts_nothing_for_a_connection(corpus_path):
    with CorpusStore(corpus_path).reader() as con:
        assert prefetch(con, [Call("selected_count", {})]) == []


def test_corpus_figures_are_valid_plotly(corpus_path):
    import plotly.graph_objects as go

    from analysis.storage.corpus import queries
    from dashboard.corpus import charts as cc

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
    assert [len(go.Figure(f.to_dict()).data) for f in figures] == [2, 2, 2, 1, 2, 1]


def test_run_query_runs_a_query_of_a_store_once_per_file_stamp(corpus_path, monkeypatch):
    from dashboard.corpus import data

    calls = []
    monkeypatch.setitem(data.QUERIES, "selected_count", lambda source, **kw: calls.append(kw) or 7)
    stamps = iter([(1,), (1,), (2,)])
    monkeypatch.setattr(data, "file_stamp", lambda path: next(stamps))
    data.run_query.__globals__["_cached"].clear()
    store = CorpusStore(corpus_path)
    results = [data.run_query(store, "selected_count", text="x") for _ in range(3)]
    assert (results, calls) == ([7, 7, 7], [{"text": "x"}, {"text": "x"}])


def test_file_stamp_changes_when_the_file_is_written(tmp_path):
    from dashboard.corpus.data import file_stamp

    path = tmp_path / "c.duckdb"
    missing = file_stamp(path)
    path.write_bytes(b"x")
    written = file_stamp(path)
    assert (missing, written[1:4]) == ((0, 0, 0, 0), (1, 0, 0))
