"""Issue 21 (and 19) on the Compare page: the summary's quotations agree with the Quotes tab,
four articles at 1280 px, copies of one story named (pure parts and AppTest)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analysis import analyze
from dashboard.compare.passages import copy_pairs, quotation_counts

UNATTRIBUTED = (
    'Quiet day in Lyon\n\nA sign on the market door read "Back at noon, sorry for the wait '
    'today."\n\nTraders in Lyon opened late on Monday.'
)
QUOTED = (
    'Rates rise\n\n"Inflation is still too high," said Anna Berg, the central bank\'s '
    "governor.\n\nMarkets in Madrid fell on Tuesday."
)


@pytest.fixture(scope="module")
def results(nlp):
    return [analyze(UNATTRIBUTED, nlp=nlp), analyze(QUOTED, nlp=nlp)]


def test_quotation_counts_splits_attributed_from_unattributed(results):
    assert [quotation_counts(r) for r in results] == [(0, 1), (1, 0)]


def test_copy_pairs_one_marked_a_copy_of_the_other():
    assert copy_pairs(["a", "b", "c"], {"a": None, "b": "a", "c": None}) == [(0, 1)]


def test_copy_pairs_two_copies_of_one_first():
    assert copy_pairs(["b", "x", "c"], {"b": "a", "c": "a", "x": None}) == [(0, 2)]


def test_copy_pairs_ignores_articles_not_stored():
    assert copy_pairs(["pasted", "a"], {"a": None}) == []


def _view(results, copies=()):
    from dashboard.compare.views import render_compare

    render_compare(results, key="cmp", copies=copies)


def test_summary_quotations_are_the_quotes_tabs(results):
    at = AppTest.from_function(_view, args=(results,), default_timeout=60).run()
    summary = next(d.value for d in at.dataframe if "quotations" in d.value.columns)
    assert (
        summary["quotations"].tolist(),
        summary["unattributed"].tolist(),
    ) == ([0, 1], [1, 0])


def test_copies_of_one_story_are_said(results):
    at = AppTest.from_function(_view, args=(results, [(0, 1)]), default_timeout=60).run()
    assert at.info[0].value.startswith(
        "**1\\. Quiet day in Lyon** and **2\\. Rates rise** are copies of one story"
    )


def test_four_articles_draw_charts_two_per_row(results):
    at = AppTest.from_function(_view, args=(results * 2,), default_timeout=60).run()
    assert (not at.exception, {round(c.weight, 2) for c in at.columns}) == (True, {0.5})


def test_shown_outlet_of_a_file_is_no_outlet():
    from dashboard.compare.passages import shown_outlet

    assert [
        shown_outlet("china-urges-gaza-ceasefire-2024-03-21.txt"),
        shown_outlet("/data/uploads/a.html"),
        shown_outlet(None),
        shown_outlet("https://www.reuters.com/world/x"),
        shown_outlet("en.wikinews.org"),
    ] == ["(no outlet)", "(no outlet)", "(no outlet)", "www.reuters.com", "en.wikinews.org"]
