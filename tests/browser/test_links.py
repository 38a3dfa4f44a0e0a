"""Links that outlive the server, in a real browser: a link made on one ``streamlit run``
server opens on a second one started afterwards with an empty data folder (and, where a
database is configured, the same PostgreSQL database); a hostile link opens the sample.

Each test starts and stops its own servers (loopback only) and the PostgreSQL fixture's
server (``tests/postgres.py``); they end only the processes they started.
"""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.dashboard.browser import start_server, stop_server
from tests.dashboard.corpus.tiny import upload_bytes

pytestmark = pytest.mark.browser

TIMEOUT_MS = 30_000  # generous: other sessions may share this 2-core machine
ANALYSIS_TIMEOUT_MS = 120_000  # a server's first analysis loads the spaCy pipeline
VIEWPORT = {"width": 1400, "height": 1000}
PANEL = ".st-key-article_panel"
SAMPLE_HEADLINE = "China Urges International Efforts to Cease Gaza Conflict"
SHORT = (
    "Harbour Workers Vote to End Strike\n\nBy Ann Lee\n\nDock workers in Tromso voted on "
    'Tuesday to end a strike that had closed the port for a week.\n\n"The contract raises '
    'pay," said Kari Olsen, who leads the union.'
)


@pytest.fixture(autouse=True)
def _expect_timeout():
    expect.set_options(timeout=TIMEOUT_MS)
    yield
    expect.set_options(timeout=5_000)


def long_article() -> str:
    """About 2,600 words that compress poorly: a link carries its key, not its text."""
    rng = random.Random(18)
    letters = "abcdefghijklmnopqrstuvwxyz"
    paragraphs = [
        " ".join("".join(rng.choices(letters, k=rng.randint(4, 9))) for _ in range(130)) + "."
        for _ in range(20)
    ]
    return "Long Report From The Archive\n\n" + "\n\n".join(paragraphs)


@contextmanager
def server(tmp_path: Path, name: str, *, env: dict | None = None, secrets: str = "") -> Iterator:
    """A server of the app in ``tmp_path/name`` (its own working folder and data folder);
    ``secrets`` is written to its ``.streamlit/secrets.toml``. Yields (url, data folder)."""
    cwd = tmp_path / name / "cwd"
    data = tmp_path / name / "data"
    cwd.mkdir(parents=True)
    data.mkdir()
    if secrets:
        (cwd / ".streamlit").mkdir()
        (cwd / ".streamlit" / "secrets.toml").write_text(secrets, encoding="utf-8")
    running = start_server(cwd=cwd, data_dir=data, log_path=tmp_path / f"{name}.log", env=env)
    try:
        yield running.url, data
    finally:
        stop_server(running)


def no_database(monkeypatch) -> dict:
    monkeypatch.delenv("NEWSLENS_STORE_URL", raising=False)
    return {}


def open_page(browser, url: str) -> Page:
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(url)
    return page


def wait_idle(page: Page) -> None:
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')


def paste(page: Page, text: str, headline: str) -> None:
    expect(page.locator(f"{PANEL} h2")).to_be_visible(timeout=ANALYSIS_TIMEOUT_MS)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Add an article").click()
    sidebar.get_by_label("…or paste the text").fill(text)
    sidebar.get_by_role("button", name="Analyse pasted text").click()
    expect(page.locator(f"{PANEL} h2")).to_have_text(headline, timeout=ANALYSIS_TIMEOUT_MS)
    wait_idle(page)


def share_link(page: Page) -> tuple[str, str]:
    """The Share popover's link and what it says the link holds."""
    page.get_by_role("button", name="Share", exact=True).click()
    body = page.locator('[data-testid="stPopoverBody"]')
    link = body.locator('[data-testid="stCode"]').inner_text().strip()
    notice = body.locator(".st-key-article_bar_notice").inner_text().strip()
    page.keyboard.press("Escape")
    return link, notice


def elsewhere(link: str, url: str) -> str:
    """``link`` on the server at ``url`` (same path and query)."""
    parts = urlsplit(link)
    return f"{url}{parts.path}?{parts.query}"


def query(page: Page) -> dict:
    return parse_qs(urlsplit(page.url).query)


def test_pasted_article_link_opens_on_a_fresh_server_without_database(
    browser, tmp_path, monkeypatch
):
    env = no_database(monkeypatch)
    with server(tmp_path, "first", env=env) as (url, data):
        page = open_page(browser, url)
        paste(page, SHORT, "Harbour Workers Vote to End Strike")
        page.get_by_role("tab", name="Quotes").click()
        expect(page).to_have_url(re.compile(r"[?&]tab=quotes(&|$)"))
        wait_idle(page)
        link, notice = share_link(page)
        page.context.close()
    shutil.rmtree(data)
    assert notice == "This link contains the article's text: anyone with the link can read it."
    with server(tmp_path, "second", env=env) as (url, data):
        page = open_page(browser, elsewhere(link, url))
        panel = page.locator(PANEL)
        expect(panel.locator("h2")).to_have_text(
            "Harbour Workers Vote to End Strike", timeout=ANALYSIS_TIMEOUT_MS
        )
        expect(page.get_by_role("tab", name="Quotes")).to_have_attribute("aria-selected", "true")
        wait_idle(page)
        assert (
            query(page)["text"],
            query(page)["tab"],
            sorted(p.name for p in data.iterdir()),
        ) == (
            parse_qs(urlsplit(link).query)["text"],
            ["quotes"],
            [],
        )
        page.context.close()


def test_long_article_link_opens_on_another_server_on_the_same_database(
    browser, tmp_path, monkeypatch, postgres_url
):
    monkeypatch.delenv("NEWSLENS_STORE_URL", raising=False)
    # The first server reads the database from Streamlit's secrets, the second from the
    # environment: the two ways of configuring it.
    secrets = f'[connections.newslens]\nurl = "{postgres_url}"\n'
    with server(tmp_path, "first", secrets=secrets) as (url, _data):
        page = open_page(browser, url)
        paste(page, long_article(), "Long Report From The Archive")
        link, notice = share_link(page)
        page.context.close()
    assert (notice, len(link) <= 2_000, "text" in parse_qs(urlsplit(link).query)) == (
        "This link points to the stored copy of the article: anyone with the link can read it "
        "while that copy is kept.",
        True,
        False,
    )
    with server(tmp_path, "second", env={"NEWSLENS_STORE_URL": postgres_url}) as (url, _data):
        page = open_page(browser, elsewhere(link, url))
        expect(page.locator(f"{PANEL} h2")).to_have_text(
            "Long Report From The Archive", timeout=ANALYSIS_TIMEOUT_MS
        )
        page.context.close()


def test_uploaded_corpus_comes_back_on_a_fresh_server_with_progress(
    browser, tmp_path, monkeypatch, postgres_url
):
    monkeypatch.delenv("NEWSLENS_STORE_URL", raising=False)
    env = {"NEWSLENS_STORE_URL": postgres_url}
    upload = tmp_path / "harbour.jsonl"
    upload.write_bytes(upload_bytes())
    with server(tmp_path, "first", env=env) as (url, data):
        page = open_page(browser, f"{url}/corpus")
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(upload)
        expect(page.get_by_text("Kept in the database")).to_be_visible(timeout=ANALYSIS_TIMEOUT_MS)
        wait_idle(page)
        corpus = query(page)["corpus"][0]
        page.goto(f"{url}/corpus?corpus={corpus}&q=harbour")
        expect(page.get_by_text("2 of 3 articles selected")).to_be_visible()
        wait_idle(page)
        link = page.url
        page.context.close()
    shutil.rmtree(data)
    with server(tmp_path, "second", env=env) as (url, data):
        page = open_page(browser, elsewhere(link, url))
        expect(page.get_by_text("Restoring Upload: harbour-")).to_be_visible()
        expect(page.get_by_text("2 of 3 articles selected")).to_be_visible(timeout=60_000)
        wait_idle(page)
        assert (query(page)["corpus"], query(page)["q"], (data / corpus).is_file()) == (
            [corpus],
            ["harbour"],
            True,
        )
        page.context.close()


@pytest.fixture(scope="module")
def plain_server(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """One server without a database for the hostile links."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        env = no_database(monkeypatch)
        with server(tmp_path_factory.mktemp("hostile"), "only", env=env) as running:
            yield running


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ("AQ" + "x" * 40, "it is cut short or altered"),
        ("A" * 9_000, "it is longer than 8,000 characters, more than any link carries"),
    ],
    ids=["altered", "long"],
)
def test_hostile_link_shows_the_message_and_the_sample(browser, plain_server, payload, reason):
    url, data = plain_server
    page = open_page(browser, f"{url}/?text={payload}&sel=w%3Achina")
    expect(page.locator(f"{PANEL} h2")).to_have_text(SAMPLE_HEADLINE, timeout=ANALYSIS_TIMEOUT_MS)
    wait_idle(page)
    alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
    assert (
        [a.strip() for a in alerts],
        query(page).get("text"),
        (data / "articles.sqlite3").exists(),
    ) == (
        [
            f"The article in this link cannot be opened: {reason}; showing the sample "
            "article instead."
        ],
        None,
        False,
    )
    page.context.close()
