"""The Compare view on articles written here, and its pure comparisons."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis import analyze
from dashboard.compare_views import (
    NearDuplicate,
    aligned_counts,
    exclusive_items,
    near_duplicates,
    shingles,
)

WIRE = (
    "The central bank raised its main interest rate by half a point on Tuesday, citing inflation."
)
FIRST = f"Bank raises rates\n\n{WIRE}\n\nShop owners in Lyon said prices kept rising."
SECOND = f"Rates go up again\n\n{WIRE} Markets fell.\n\nAnalysts in Madrid expected the move."


def test_shingles_five_word_grams():
    assert shingles("One two three four five six") == frozenset(
        {("one", "two", "three", "four", "five"), ("two", "three", "four", "five", "six")}
    )


def test_shingles_short_text_has_none():
    assert shingles("Too short to say") == frozenset()


def test_near_duplicates_finds_shared_wire_copy():
    found = near_duplicates(
        [
            [(1, WIRE), (2, "Shop owners in Lyon said prices kept rising.")],
            [(1, WIRE + " Markets fell."), (2, "Analysts in Madrid expected the move.")],
        ]
    )
    assert found == [NearDuplicate(0, 1, 1, 1, 0.8571)]


def test_near_duplicates_below_threshold_left_out():
    assert (
        near_duplicates(
            [[(1, "the cat sat on the mat today")], [(1, "the cat sat on a mat yesterday")]]
        )
        == []
    )


def test_near_duplicates_never_within_one_article():
    assert near_duplicates([[(1, WIRE), (2, WIRE)], [(1, "Nothing alike in this one here.")]]) == []


def test_exclusive_items_per_article():
    assert exclusive_items(
        [["Lyon", "Bank", "France"], ["Madrid", "Bank"], ["Bank", "France"]]
    ) == [["Lyon"], ["Madrid"], []]


def test_aligned_counts_union_with_zeros_and_only_in():
    first = pd.DataFrame({"term": ["bank", "lyon"], "count": [3, 1]})
    second = pd.DataFrame({"term": ["bank", "madrid"], "count": [1, 2]})
    table = aligned_counts([first, second], names=["A", "B"], item="term", value="count")
    assert table.to_dict("records") == [
        {"term": "bank", "A": 3, "B": 1, "only in": ""},
        {"term": "madrid", "A": 0, "B": 2, "only in": "B"},
        {"term": "lyon", "A": 1, "B": 0, "only in": "A"},
    ]


def _view(results):
    from dashboard.compare_views import render_compare

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


# -- the page: adding articles like on the Article page -------------------------------------

APP = Path(__file__).resolve().parent / "compare_app.py"
PASTED = (
    "Lyon market reopens\n\nTraders in Lyon reopened the covered market on Saturday after a fire."
)
FETCHED = (
    b"<html><head><title>Madrid trains run late</title></head><body><article><h1>Madrid trains "
    b"run late</h1><p>Commuters in Madrid waited an hour on Monday as a signal failed near "
    b"Atocha station.</p><p>The rail operator said trains would run to the normal timetable "
    b"again by the evening rush.</p></article></body></html>"
)


@pytest.fixture
def page(monkeypatch, tmp_path) -> AppTest:
    """The Compare page on the sample corpus, in a data folder of its own."""
    monkeypatch.delenv("NEWSLENS_TEST_CORPUS", raising=False)
    monkeypatch.setenv("NEWSLENS_DATA_DIR", str(tmp_path))
    return AppTest.from_file(str(APP), default_timeout=120)


def _articles(at: AppTest) -> list[str]:
    return next(d.value for d in at.dataframe if "quotations" in d.value.columns)[
        "article"
    ].tolist()


def test_compare_page_pasted_text_joins_the_comparison(page):
    at = page.run()
    at.text_area(key="compare_paste").set_value(PASTED)
    at.button(key="compare_paste_go").click().run()
    assert not at.exception
    assert _articles(at)[2] == "3. Lyon market reopens"
    key = hashlib.sha256(PASTED.encode()).hexdigest()
    assert at.query_params["compare"].split(",")[2] == key  # the full key: the share store has it


def test_compare_page_fetched_page_joins_the_comparison(page, monkeypatch):
    from analysis.sources.fetch import Fetched
    from dashboard import compare_views

    monkeypatch.setattr(
        compare_views,
        "fetch_url",
        lambda url, **_: Fetched("https://news.example/madrid", FETCHED, "text/html"),
    )
    at = page.run()
    at.text_input(key="compare_url").set_value("news.example/madrid")
    at.button(key="compare_url_go").click().run()
    assert not at.exception
    assert (_articles(at)[2], at.success[0].value) == (
        "3. Madrid trains run late",
        "Added “Web page: Madrid trains run late”.",
    )


def test_compare_page_fifth_article_is_refused(page):
    at = page.run()
    for n in range(3):
        at.text_area(key="compare_paste").set_value(
            f"Story {n}\n\nA short report number {n} from Oslo."
        )
        at.button(key="compare_paste_go").click().run()
    assert not at.exception
    assert (len(_articles(at)), [e.value for e in at.error]) == (
        4,
        ["Up to 4 articles at once: remove one above first."],
    )


def test_compare_page_empty_paste_is_named(page):
    at = page.run()
    at.text_area(key="compare_paste").set_value("   ")
    at.button(key="compare_paste_go").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Pasted: The article is empty (pasted text): there is no text to analyse."
    ]


def test_compare_page_link_reopens_an_added_article(page, tmp_path, sample_bytes):
    from analysis.storage.shares import ArticleStore

    key = ArticleStore(tmp_path).put(PASTED.encode(), source="pasted text")
    page.query_params["compare"] = f"{hashlib.sha256(sample_bytes).hexdigest()[:16]},{key}"
    at = page.run()
    assert not at.exception
    assert _articles(at) == [
        "1. China Urges International Efforts to Cea…",
        "2. Lyon market reopens",
    ]


def test_compare_page_corpus_article_shows_its_stored_date(page):
    at = page.run()
    assert not at.exception
    summary = next(d.value for d in at.dataframe if "quotations" in d.value.columns)
    assert summary["published"].tolist()[1] == "2020-12-26"


def test_chips_escape_hostile_names():
    from dashboard.compare_views import _chips

    out = _chips(["<script>alert(1)</script>", '<img src=x onerror="alert(2)">'])
    assert "<script>" not in out and "<img" not in out
    assert out.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 1
    assert out.count("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;") == 1
