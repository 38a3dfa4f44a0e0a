"""The Compare view on two articles written here, through AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analysis import analyze

WIRE = (
    "The central bank raised its main interest rate by half a point on Tuesday, citing inflation."
)


FIRST = f"Bank raises rates\n\n{WIRE}\n\nShop owners in Lyon said prices kept rising."


SECOND = f"Rates go up again\n\n{WIRE} Markets fell.\n\nAnalysts in Madrid expected the move."


def _view(results):
    from dashboard.compare.views import render_compare

    render_compare(results, key="cmp")


@pytest.fixture(scope="module")
def results(nlp):
    return [analyze(FIRST, nlp=nlp), analyze(SECOND, nlp=nlp)]


def test_render_compare_shared_passages_table(results):
    at = AppTest.from_function(_view, args=(results,), default_timeout=60).run()
    assert not at.exception
    shared = next(d.value for d in at.dataframe if "similarity" in d.value.columns)
    assert shared[["¶ A", "¶ B", "similarity"]].to_dict("records") == [
        {"¶ A": 1, "¶ B": 1, "similarity": 0.8571}
    ]


def test_render_compare_words_marks_terms_of_one_article(results):
    at = AppTest.from_function(_view, args=(results,), default_timeout=60).run()
    words = next(d.value for d in at.dataframe if "term" in d.value.columns)
    only = dict(zip(words["term"], words["only in"], strict=True))
    assert (only["lyon"], only["madrid"], only["bank"]) == (
        "1. Bank raises rates",
        "2. Rates go up again",
        "",
    )


def test_render_compare_needs_two_articles(results):
    at = AppTest.from_function(_view, args=(results[:1],), default_timeout=60).run()
    assert [i.value for i in at.info] == ["Choose 2 to 4 articles to compare."]


def test_chips_escape_hostile_names():
    from dashboard.compare.views import chips

    out = chips(["<script>alert(1)</script>", '<img src=x onerror="alert(2)">'])
    assert "<script>" not in out and "<img" not in out
    assert out.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 1
    assert out.count("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;") == 1
