"""The Corpus page's "Collect from a site or feed" in a real browser: Debian's Chromium driven
by Playwright against a ``streamlit run`` server started by the test, collecting from a feed
that the test serves on 127.0.0.1 (the collector tests' loopback site). The server is started
with ``NEWSLENS_ALLOW_PRIVATE_URLS=1`` so that the safe fetcher may reach loopback: by default
the app refuses it, as the command line does."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from analysis.storage.corpus.store import CorpusStore
from tests.analysis.sources.collect.site import XML, Answer, Site, article, paragraphs, rss
from tests.dashboard.browser import start_server, stop_server
from tests.dashboard.test_browser_pages import grid_rows, settle

pytestmark = pytest.mark.browser

TIMEOUT_MS = 30_000
RUN_TIMEOUT_MS = 150_000  # the run loads the spaCy pipeline, waits a second between requests
VIEWPORT = {"width": 1400, "height": 1000}


@pytest.fixture(scope="module")
def site():
    with Site("127.0.0.1") as site:
        host = site.host("127.0.0.1")
        items = []
        for n, title in enumerate(("Harbour storm closes the coast road", "Council budget vote")):
            items.append((f"{host.base}/story/{n}", f"Fri, 0{n + 1} Mar 2024 10:00:00 GMT"))
            host.routes[f"/story/{n}"] = Answer(200, article(title, paragraphs(f"b{n}")))
        items.append((f"{host.base}/gone", None))
        host.routes["/feed.xml"] = Answer(200, rss(items), XML)
        yield site


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    data = tmp_path_factory.mktemp("newslens-data")
    CorpusStore(data / "news.duckdb").ensure()
    server = start_server(
        cwd=tmp_path_factory.mktemp("cwd"),
        data_dir=data,
        log_path=tmp_path_factory.mktemp("log") / "streamlit.log",
        env={"NEWSLENS_ALLOW_PRIVATE_URLS": "1"},
    )
    try:
        yield server.url
    finally:
        stop_server(server)


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{app_url}/corpus?corpus=news.duckdb")
    expect(page.get_by_text("This corpus holds no articles yet.")).to_be_visible(timeout=90_000)
    yield page
    context.close()


def _collect(page: Page, text: str) -> None:
    page.get_by_text("Collect from a site or feed").click()
    box = page.get_by_role("textbox", name="Sites, feeds or sitemaps, one per line")
    box.fill(text)
    box.press("Tab")  # a text area sends its value when it loses the focus
    settle(page)
    page.get_by_role("button", name="Collect", exact=True).click()


def test_collect_from_a_feed_shows_the_summary_and_the_new_articles(page, site):
    feed = f"{site.host('127.0.0.1').base}/feed.xml"
    _collect(page, feed)
    summary = page.locator(".st-key-corpus_collect_summary")
    expect(summary).to_contain_text(
        re.compile(r"Last run: 2 new, 0 skipped, 1 failed \(1 HTTP 404\)"), timeout=RUN_TIMEOUT_MS
    )
    expect(page.get_by_text(re.compile(r"^2 of 2 articles selected"))).to_be_visible()
    settle(page)
    table = page.locator('[data-testid="stDataFrame"]').filter(has_text="Council budget vote")
    expect(table).to_have_count(1)
    table.scroll_into_view_if_needed()
    titles = {cell for row in grid_rows(table) for cell in row}
    assert {"Harbour storm closes the coast road", "Council budget vote"} <= titles
    fetched = sorted(r.path for r in site.requests() if r.path.startswith("/story/"))
    assert fetched == ["/story/0", "/story/1"]
