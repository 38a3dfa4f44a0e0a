"""The Corpus page's view helpers: periods and the date range widget's value (pure)."""

from __future__ import annotations

from datetime import date

from dashboard.corpus.views import fit_range, period_end


def test_period_end_month_week_day():
    assert [
        period_end(date(2024, 2, 1), "month"),
        period_end(date(2024, 12, 1), "month"),
        period_end(date(2024, 3, 4), "week"),
        period_end(date(2024, 3, 4), "day"),
    ] == [date(2024, 2, 29), date(2024, 12, 31), date(2024, 3, 10), date(2024, 3, 4)]


def test_fit_range_follows_a_whole_span():
    assert fit_range(
        (date(2024, 1, 1), date(2024, 3, 1)),
        date(2024, 1, 1),
        date(2024, 5, 1),
        whole=(date(2024, 1, 1), date(2024, 3, 1)),
    ) == (date(2024, 1, 1), date(2024, 5, 1))


def test_fit_range_moves_days_into_the_span():
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
