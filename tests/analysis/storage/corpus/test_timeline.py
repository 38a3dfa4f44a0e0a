from datetime import date

import pandas as pd
import pytest

from analysis.errors import ArticleError
from analysis.storage.corpus import CorpusStore
from analysis.storage.corpus.queries import mentions_over_time, sentiment_over_time
from analysis.storage.corpus.timeline import (
    coverage,
    mentions_series,
    period_start,
    period_starts,
    tone_series,
)
from tests.analysis.storage.corpus import corpus

WEEKS = ["2024-03-04", "2024-03-11", "2024-03-18", "2024-03-25", "2024-04-01", "2024-04-08"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = CorpusStore(tmp_path_factory.mktemp("corpus") / "corpus.duckdb")
    store.add(corpus())
    return store


@pytest.fixture(scope="module")
def empty(tmp_path_factory):
    store = CorpusStore(tmp_path_factory.mktemp("empty") / "corpus.duckdb")
    store.ensure()
    return store


def days(frame, column="date"):
    return [d.strftime("%Y-%m-%d") for d in frame[column]]


def test_period_start_of_each_interval():
    day = date(2024, 3, 14)
    assert [period_start(day, interval=i) for i in ("day", "week", "month", "year")] == [
        date(2024, 3, 14),
        date(2024, 3, 11),
        date(2024, 3, 1),
        date(2024, 1, 1),
    ]


def test_period_starts_months_across_a_year():
    assert period_starts(date(2023, 11, 20), date(2024, 2, 1), interval="month") == [
        date(2023, 11, 1),
        date(2023, 12, 1),
        date(2024, 1, 1),
        date(2024, 2, 1),
    ]


def test_period_starts_refuses_too_many():
    with pytest.raises(ArticleError, match="more than 50,000 periods"):
        period_starts(date(1800, 1, 1), date(2024, 1, 1), interval="day")


def test_coverage_weeks_with_the_empty_one(store):
    frame = coverage(store, interval="week", text="gaza")
    assert days(frame) == WEEKS
    assert frame[["count", "total_count"]].values.tolist() == [
        [1, 2],
        [1, 2],
        [0, 1],
        [0, 0],
        [1, 2],
        [0, 1],
    ]


def test_coverage_ratio_blank_where_no_article(store):
    ratio = coverage(store, interval="week", text="gaza")["ratio"].tolist()
    assert ratio[:3] + ratio[4:] == [0.5, 0.5, 0.0, 0.5, 0.0] and pd.isna(ratio[3])


def test_coverage_columns_and_types(store):
    frame = coverage(store, interval="month", text="gaza OR cairo")
    assert [str(t) for t in frame.dtypes] == ["datetime64[us]", "int64", "int64", "float64"]
    assert list(frame.columns) == ["date", "count", "total_count", "ratio"]


def test_coverage_runs_from_start_to_end(store):
    frame = coverage(store, interval="month", text="gaza", start="2024-01-15", end="2024-05-31")
    assert days(frame) == ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01"]
    assert frame["count"].tolist() == [0, 0, 2, 1, 0]


def test_coverage_total_under_other_filters(store):
    frame = coverage(store, interval="month", text="talks", sources=["alpha.news"])
    assert frame[["count", "total_count"]].values.tolist() == [[1, 2], [1, 1]]


def test_coverage_without_query_counts_everything(store):
    frame = coverage(store, interval="year")
    assert frame[["count", "total_count", "ratio"]].values.tolist() == [[8, 8, 1.0]]


def test_coverage_empty_corpus(empty):
    frame = coverage(empty, text="gaza")
    assert (len(frame), list(frame.columns)) == (0, ["date", "count", "total_count", "ratio"])


def test_mentions_over_time_skips_the_empty_week(store):
    """The defect: the query gives no row for a week without articles (a line runs across)."""
    frame = mentions_over_time(store, entities=["Gaza"], interval="week")
    assert "2024-03-25" not in days(frame, "period")


def test_mentions_series_fills_the_empty_week(store):
    frame = mentions_series(store, entities=["Gaza"], terms=["talks"], interval="week")
    gaza = frame[frame["item"] == "Gaza"]
    assert days(gaza, "period") == WEEKS
    assert gaza[["mentions", "articles", "period_articles"]].values.tolist() == [
        [1, 1, 2],
        [1, 1, 2],
        [0, 0, 1],
        [0, 0, 0],
        [2, 1, 2],
        [0, 0, 1],
    ]


def test_mentions_series_keeps_the_query_columns(store):
    frame = mentions_series(store, terms=["talks"], interval="month", by_source=True)
    assert list(frame.columns) == [
        "period",
        "source",
        "item",
        "kind",
        "mentions",
        "articles",
        "period_articles",
    ]


def test_mentions_series_every_outlet_every_period(store):
    frame = mentions_series(store, terms=["talks"], interval="month", by_source=True)
    assert [(d, s) for d, s in zip(days(frame, "period"), frame["source"], strict=True)] == [
        ("2024-03-01", "alpha.news"),
        ("2024-03-01", "beta.news"),
        ("2024-03-01", "gamma.news"),
        ("2024-03-01", None),
        ("2024-04-01", "alpha.news"),
        ("2024-04-01", "beta.news"),
        ("2024-04-01", "gamma.news"),
        ("2024-04-01", None),
    ]


def test_sentiment_over_time_skips_the_empty_week(store):
    assert len(sentiment_over_time(store, interval="week")) == 5


def test_tone_series_breaks_at_the_empty_week(store):
    frame = tone_series(store, interval="week")
    assert days(frame, "period") == WEEKS
    assert frame[["articles", "scored"]].values.tolist()[3] == [0, 0]
    assert pd.isna(frame["tone"].iloc[3])


def test_tone_series_int_counts(store):
    frame = tone_series(store, interval="week")
    assert [str(frame[c].dtype) for c in ("articles", "scored")] == ["int64", "int64"]
