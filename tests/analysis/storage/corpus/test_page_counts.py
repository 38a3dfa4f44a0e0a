"""The Corpus page's count line and the duplicates switch on the selection, coverage and
keyness helpers (the test corpus of tests/analysis/storage/corpus/__init__.py, plus a wire copy
of a1 on delta.news and a second revision of a3)."""

from datetime import date

import pytest

from analysis.storage.corpus import CorpusStore
from analysis.storage.corpus.keywords import default_target
from analysis.storage.corpus.queries import SelectionCounts, selection_counts
from analysis.storage.corpus.selection import query_reading, selection_summary
from analysis.storage.corpus.timeline import coverage, mentions_series, tone_series
from tests.analysis.storage.corpus import corpus
from tests.analysis.storage.corpus.test_counted import copy_of_a1, revision_of_a3


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = CorpusStore(tmp_path_factory.mktemp("counts") / "corpus.duckdb")
    store.add(corpus())
    store.add([copy_of_a1()])
    store.add([revision_of_a3()])
    return store


def test_selection_counts_gives_the_selection_and_its_own_dates(store):
    assert selection_counts(store, sources=["beta.news"]) == SelectionCounts(
        2, 8, date(2024, 3, 12), date(2024, 3, 14)
    )


def test_selection_counts_with_duplicates_counts_every_copy(store):
    assert selection_counts(store, include_duplicates=True) == SelectionCounts(
        9, 9, date(2024, 3, 4), date(2024, 4, 10)
    )


def test_selection_counts_of_an_empty_selection_has_no_dates(store):
    assert selection_counts(store, text="nowhereword") == SelectionCounts(0, 8, None, None)


def test_selection_summary_include_duplicates(store):
    assert (
        selection_summary(store, sources=["delta.news"]).articles,
        selection_summary(store, sources=["delta.news"], include_duplicates=True).articles,
    ) == (0, 1)


def test_query_reading_include_duplicates(store):
    reading = query_reading(store, "cairo", include_duplicates=True)
    assert (reading.articles, reading.selected) == (
        query_reading(store, "cairo").articles + 1,
        9,
    )


def test_coverage_include_duplicates(store):
    march = coverage(store, interval="month", include_duplicates=True)
    assert march["total_count"].tolist() == [6, 3]


def test_mentions_series_include_duplicates(store):
    frame = mentions_series(store, entities=["Cairo"], interval="month", include_duplicates=True)
    once = mentions_series(store, entities=["Cairo"], interval="month")
    assert int(frame["articles"].sum()) - int(once["articles"].sum()) == 1


def test_tone_series_include_duplicates(store):
    frame = tone_series(store, interval="month", include_duplicates=True)
    assert frame["articles"].tolist() == [6, 3]


def test_default_target_include_duplicates(store):
    target = default_target(store, sources=["delta.news", "gamma.news"], include_duplicates=True)
    assert (target.value, default_target(store, sources=["delta.news", "gamma.news"]).kind) == (
        "gamma.news",
        "month",
    )
