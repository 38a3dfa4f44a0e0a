"""Issue 21's corpus figures: dates and whole counts on the axes, share of articles, breaks
where a period has no article, every pair of the co-occurrence grid clickable, keyness bars
(pure)."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.corpus.charts import (
    cooccurrence_figure,
    coverage_figure,
    coverage_table,
    keyness_figure,
    period_axis,
    tone_time_figure,
)


def lines_frame(**columns) -> pd.DataFrame:
    base = {
        "period": pd.to_datetime(["2024-03-01", "2024-04-01", "2024-05-01"]),
        "line": ["e:X"] * 3,
        "mentions": [2, 0, 1],
        "articles": [1, 0, 1],
        "period_articles": [4, 0, 2],
    }
    return pd.DataFrame({**base, **columns})


def test_period_axis_of_one_period_has_that_day_as_its_only_tick():
    axis = period_axis(["2024-03-04"], interval="week")
    assert (axis["tickvals"], axis["ticktext"], axis["tickformat"]) == (
        ["2024-03-04"],
        ["2024-03-04"],
        "%Y-%m-%d",
    )


def test_period_axis_of_months_writes_month_names():
    assert period_axis(["2024-03-01", "2024-04-01"], interval="month")["tickformat"] == "%b %Y"


def test_coverage_figure_of_one_period_counts_in_steps_of_one():
    one = lines_frame().head(1)
    layout = coverage_figure(one, interval="week").layout
    assert (layout.yaxis2.tickmode, layout.yaxis2.dtick, layout.yaxis2.tickformat) == (
        "linear",
        1,
        ",d",
    )


def test_coverage_figure_of_one_period_draws_its_articles_bar_half_a_day_wide():
    one, many = coverage_figure(lines_frame().head(1)), coverage_figure(lines_frame())
    assert (list(one.data[0].width), many.data[0].width) == ([43_200_000], None)


def test_coverage_figure_share_breaks_where_the_period_has_no_article():
    figure = coverage_figure(lines_frame(), measure="share")
    assert list(figure.data[1].y) == [0.25, None, 0.5]


def test_coverage_figure_share_axis_in_percent():
    assert coverage_figure(lines_frame(), measure="share").layout.yaxis2.tickformat == ".0%"


def test_coverage_table_names_what_it_counts():
    table = coverage_table(lines_frame(), measure="share")
    assert list(table.columns) == [
        "period",
        "line",
        "mentions",
        "articles_mentioning",
        "articles_in_period",
        "share_of_articles",
    ]


def test_coverage_table_share_is_empty_for_a_period_without_articles():
    share = coverage_table(lines_frame(), measure="share")["share_of_articles"].tolist()
    assert (share[0], math.isnan(share[1]), share[2]) == (0.25, True, 0.5)


def test_tone_time_figure_breaks_where_nothing_is_scored():
    tones = pd.DataFrame(
        {
            "period": pd.to_datetime(["2024-03-01", "2024-04-01", "2024-05-01"]),
            "source": ["a.news"] * 3,
            "articles": [2, 0, 1],
            "scored": [2, 0, 1],
            "tone": [0.5, float("nan"), -0.25],
        }
    )
    figure = tone_time_figure(tones, interval="month")
    assert list(figure.data[0].y) == [0.5, None, -0.25]


def test_cooccurrence_figure_every_pair_is_a_clickable_point():
    matrix = pd.DataFrame([[0, 3], [3, 0]], index=["A", "B"], columns=["A", "B"])
    points = [t for t in cooccurrence_figure(matrix).data if t.type == "scatter"]
    assert [list(c) for c in points[0].customdata] == [["A", "B", 3], ["B", "A", 3]]


def test_cooccurrence_figure_writes_every_name():
    names = [f"N{i}" for i in range(12)]
    matrix = pd.DataFrame(1, index=names, columns=names)
    layout = cooccurrence_figure(matrix).layout
    assert (layout.xaxis.dtick, layout.yaxis.dtick) == (1, 1)


def test_keyness_figure_bars_are_g2_most_distinctive_on_top():
    terms = pd.DataFrame(
        {
            "term": ["storm", "roads"],
            "count": [9, 4],
            "reference": [1, 0],
            "g2": [12.34, 5.0],
            "log_ratio": [3.1, 2.5],
            "p": [0.0004, 0.025],
        }
    )
    bar = keyness_figure(terms, target="March 2024").data[0]
    assert (list(bar.y), list(bar.x)) == (["roads", "storm"], [5.0, 12.3])
