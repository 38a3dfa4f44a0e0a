"""Corpus figures and the tables behind them (pure)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.corpus.charts import cooccurrence_matrix, coverage_lines


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
    from dashboard.corpus.charts import box_stats

    assert box_stats(pd.Series([0.1, 0.2, 0.3, 0.4, 0.5, -0.9])) == {
        "q1": 0.125,
        "median": 0.25,
        "q3": 0.375,
        "lowerfence": 0.1,
        "upperfence": 0.5,
    }


def test_tone_box_figure_large_outlet_sends_outliers_only():
    from dashboard.corpus.charts import tone_box_figure

    data = tone_box_figure(_tones([0.1, 0.2, 0.3, 0.4, 0.5, -0.9]), points=3).to_dict()["data"]
    assert [
        (d["type"], list(d.get("y") or []), [c[0] for c in d.get("customdata") or []]) for d in data
    ] == [("box", [], []), ("scatter", [-0.9], ["k5"])]


def test_tone_box_figure_small_outlet_shows_every_article():
    from dashboard.corpus.charts import tone_box_figure

    data = tone_box_figure(_tones([0.1, -0.2]), points=3).to_dict()["data"]
    assert [(d["type"], d["boxpoints"], list(d["y"])) for d in data] == [
        ("box", "all", [0.1, -0.2])
    ]


def test_tone_box_figure_large_outlets_share_two_traces_in_outlet_order():
    from dashboard.corpus.charts import tone_box_figure

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
    from dashboard.corpus.charts import tone_time_figure

    assert [d["mode"] for d in tone_time_figure(_tone_periods(3)).to_dict()["data"]] == [
        "lines+markers"
    ]


def test_tone_time_figure_many_periods_are_a_plain_line():
    from dashboard.corpus.charts import tone_time_figure

    assert [d["mode"] for d in tone_time_figure(_tone_periods(13)).to_dict()["data"]] == ["lines"]
