"""The reader's corrections to the names on the Article page, in a real browser: Debian's
Chromium driven by Playwright against one ``streamlit run`` server of this module, started
from a temporary directory."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.dashboard.browser import served_app

pytestmark = pytest.mark.browser

SAMPLE_SLUG = "china-urges-gaza-ceasefire-2024-03-21"
TIMEOUT_MS = 30_000  # generous: another benchmark may share this 2-core machine
FIRST_LOAD_TIMEOUT_MS = 90_000
VIEWPORT = {"width": 1400, "height": 1000}
BARS = ".js-plotly-plot g.point path"
ENTITIES = "article_entities_chart"
CORRECT = ".st-key-article_entities_correct"
MERGED = "m:Lin%20Jian:Wang%20Kejian"


@pytest.fixture(scope="module")
def app_url(browser, tmp_path_factory):
    with served_app(browser, tmp_path_factory, ready=BARS, timeout_ms=FIRST_LOAD_TIMEOUT_MS) as url:
        yield url


@pytest.fixture(autouse=True)
def _expect_timeout():
    expect.set_options(timeout=TIMEOUT_MS)


def _open(browser, url: str) -> Page:
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(BARS)
    wait_idle(page)
    return page


def wait_idle(page: Page) -> None:
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')


def entity_counts(page: Page, wanted: dict[str, int]) -> dict[str, int]:
    """The mentions the entities chart draws for each name, once they are ``wanted`` (a name
    missing from the chart counts 0)."""
    handle = page.wait_for_function(
        """([key, wanted]) => {
             const gd = document.querySelector(`.st-key-${key}_box .js-plotly-plot`);
             if (!gd || !gd.data) return null;
             const seen = {};
             for (const t of gd.data) t.y.forEach((name, i) => { seen[name] = t.x[i]; });
             const got = Object.fromEntries(Object.keys(wanted).map(n => [n, seen[n] ?? 0]));
             return Object.keys(wanted).every(n => got[n] === wanted[n]) ? got : null;
           }""",
        arg=[ENTITIES, wanted],
    )
    return handle.json_value()


def choose(page: Page, key: str, option: str) -> None:
    """Pick ``option`` in the selectbox of widget ``key`` (typed: a list that takes new
    names opens only when typed into), and wait until the app has run with it. Tried again
    when the list did not open or the pick did not reach the app: a click that lands while
    the list is being drawn again can leave the typed text in the box without choosing it
    (the box shows the option; the app still has the old one)."""
    box = page.locator(f".st-key-{key} input")
    choice = page.get_by_role("option", name=option, exact=True)
    for _ in range(3):
        wait_idle(page)
        page.evaluate(RUN_COUNTER)
        box.click()
        box.fill(option)
        try:
            choice.wait_for(timeout=5_000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            continue
        try:
            choice.click(timeout=5_000)
        except PlaywrightTimeout:
            # The list was redrawn under the pointer: the typed option is the focused one.
            page.keyboard.press("Enter")
        try:
            page.wait_for_function("() => window.__newslensRuns > 0", timeout=5_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    wait_idle(page)


#: Counts the app's script runs from now on (``window.__newslensRuns``).
RUN_COUNTER = """() => {
  window.__newslensRuns = 0;
  const app = document.querySelector('[data-testid="stApp"]');
  if (window.__newslensObserver) window.__newslensObserver.disconnect();
  window.__newslensObserver = new MutationObserver(() => {
    if (app.getAttribute('data-test-script-state') === 'running') window.__newslensRuns += 1;
  });
  window.__newslensObserver.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


@pytest.mark.flaky(reruns=2)
def test_merge_changes_entity_chart_and_link(browser, app_url):
    page = _open(browser, f"{app_url}/?article={SAMPLE_SLUG}")
    try:
        page.get_by_text("Correct the names", exact=True).first.click()
        page.locator(".st-key-article_entities_correct_name input").wait_for()
        choose(page, "article_entities_correct_name", "Lin Jian")
        choose(page, "article_entities_correct_target", "Wang Kejian")
        page.locator(f"{CORRECT}_apply").get_by_role("button", name="Apply").first.click()
        counts = entity_counts(page, {"Wang Kejian": 4, "Lin Jian": 0})
        expect(page.get_by_text("“Lin Jian” is “Wang Kejian”").first).to_be_visible()
        wait_idle(page)
        carried = parse_qs(urlsplit(page.url).query).get("corrections")
    finally:
        page.context.close()
    assert (counts, carried) == ({"Wang Kejian": 4, "Lin Jian": 0}, [MERGED])


def test_link_with_corrections_opens_them(browser, app_url):
    page = _open(
        browser, f"{app_url}/?article={SAMPLE_SLUG}&corrections=m%3ALin%2520Jian%3AWang%2520Kejian"
    )
    try:
        counts = entity_counts(page, {"Wang Kejian": 4, "Lin Jian": 0})
    finally:
        page.context.close()
    assert counts == {"Wang Kejian": 4, "Lin Jian": 0}


def test_undo_restores_entity_chart(browser, app_url):
    page = _open(browser, f"{app_url}/?article={SAMPLE_SLUG}&corrections=i%3AChina")
    try:
        entity_counts(page, {"China": 0})
        page.get_by_text("Correct the names", exact=True).first.click()
        page.locator(f"{CORRECT}_undo_0").get_by_role("button", name="Undo").first.click()
        counts = entity_counts(page, {"China": 10})
        wait_idle(page)
        carried = parse_qs(urlsplit(page.url).query).get("corrections")
    finally:
        page.context.close()
    assert (counts, carried) == ({"China": 10}, None)


def test_hostile_corrections_parameter_is_ignored_with_a_message(browser, app_url):
    page = _open(browser, f"{app_url}/?article={SAMPLE_SLUG}&corrections=x%3A%3Cb%3E,m%3AChina")
    try:
        expect(
            page.get_by_text("“corrections” (corrections to the names) were ignored")
        ).to_be_visible()
        counts = entity_counts(page, {"China": 10, "Lin Jian": 3})
    finally:
        page.context.close()
    assert counts == {"China": 10, "Lin Jian": 3}


def corpus_names(page: Page, *, without: str) -> list[str]:
    """The names of the Corpus page's top-entities chart, once ``without`` is not among them."""
    handle = page.wait_for_function(
        """(name) => {
             const gd = document.querySelector('.st-key-corpus_top_entities_chart_box .js-plotly-plot');
             if (!gd || !gd.data) return null;
             const names = gd.data.flatMap(t => Array.from(t.y));
             return names.includes(name) ? null : names;
           }""",
        arg=without,
    )
    return handle.json_value()


def test_corpus_page_ignore_leaves_top_entities(browser, app_url):
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(90_000)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/corpus")
        page.wait_for_selector(".st-key-corpus_top_entities_chart_box .js-plotly-plot g.point path")
        wait_idle(page)
        page.get_by_text("Correct the names (for the whole corpus)", exact=True).click()
        page.locator(".st-key-corpus_correct_name input").wait_for()
        choose(page, "corpus_correct_name", "Wikinews")
        choose(page, "corpus_correct_action", "is not a name")
        wait_idle(page)  # a click while the page is drawn can be lost
        page.locator(".st-key-corpus_correct_apply").get_by_role(
            "button", name="Apply"
        ).first.click()
        names = corpus_names(page, without="Wikinews")
        expect(page.get_by_text("1. “Wikinews” is not a name", exact=False).first).to_be_visible()
    finally:
        context.close()
    assert (len(names), "Wikinews" in names) == (15, False)
