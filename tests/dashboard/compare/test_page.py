"""The Compare page through AppTest: adding articles as on the Article page, links that
reopen the choice."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "compare_app.py"


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
    at.text_area(key="compare_add_paste").set_value(PASTED)
    at.button(key="compare_add_paste_go").click().run()
    assert not at.exception
    assert _articles(at)[2] == "3. Lyon market reopens"
    key = hashlib.sha256(PASTED.encode()).hexdigest()
    assert at.query_params["compare"].split(",")[2] == key  # the full key: the share store has it


def test_compare_page_fetched_page_joins_the_comparison(page, monkeypatch):
    from analysis.sources.fetch import Fetched
    from dashboard.compare import views as compare_views

    monkeypatch.setattr(
        compare_views,
        "fetch_url",
        lambda url, **_: Fetched("https://news.example/madrid", FETCHED, "text/html"),
    )
    at = page.run()
    at.text_input(key="compare_add_url").set_value("news.example/madrid")
    at.button(key="compare_add_url_go").click().run()
    assert not at.exception
    assert (_articles(at)[2], at.success[0].value) == (
        "3. Madrid trains run late",
        "Added “Web page: Madrid trains run late”.",
    )


def test_compare_page_fifth_article_is_refused(page):
    at = page.run()
    for n in range(3):
        at.text_area(key="compare_add_paste").set_value(
            f"Story {n}\n\nA short report number {n} from Oslo."
        )
        at.button(key="compare_add_paste_go").click().run()
    assert not at.exception
    assert (len(_articles(at)), [e.value for e in at.error]) == (
        4,
        ["Up to 4 articles at once: remove one above first."],
    )


def test_compare_page_empty_paste_is_named(page):
    at = page.run()
    at.text_area(key="compare_add_paste").set_value("   ")
    at.button(key="compare_add_paste_go").click().run()
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


def test_compare_page_every_session_key_starts_with_compare(page):
    at = page.run()
    at.text_area(key="compare_add_paste").set_value(PASTED)
    at.button(key="compare_add_paste_go").click().run()
    assert [key for key in at.session_state.to_dict() if not key.startswith("compare_")] == []


def test_compare_page_old_link_stays_as_it_was(page, sample_bytes):
    sample = hashlib.sha256(sample_bytes).hexdigest()[:16]
    link = {"compare": f"{sample},b38f04938181ff96"}
    page.query_params.update(link)
    at = page.run()
    assert (not at.exception, not at.warning, dict(at.query_params)) == (True, True, link)
