"""The dashboard in a real browser: Debian's Chromium driven by Playwright against one
``streamlit run`` server per module, started from a temporary directory."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.dashboard.browser import MARK_BAR, ROOT, served_app

pytestmark = pytest.mark.browser

HEADLINE = "China Urges International Efforts to Cease Gaza Conflict"
SAMPLE_SLUG = "china-urges-gaza-ceasefire-2024-03-21"
TIMEOUT_MS = 30_000  # generous: another benchmark may share this 2-core machine
FIRST_LOAD_TIMEOUT_MS = 90_000  # the first session of a server loads the spaCy pipeline
VIEWPORT = {"width": 1400, "height": 1000}
PANEL = ".st-key-article_panel"
HITS = f"{PANEL} mark.nl-hit"
BARS = ".js-plotly-plot g.point path"
# Charts by the key of their container (Streamlit gives a keyed element the class
# st-key-<key>): "<chart>_box" stays put while the chart's own key changes with every click.
WORDS, SENTIMENT, ENTITIES = (
    "article_words_chart",
    "article_sentiment_chart",
    "article_entities_chart",
)

HOSTILE_ARTICLE = """Hostile Paste Test Headline About Markup

By Mallory Example

The first paragraph carries a script tag <script>window.__pwned=1</script> in the middle of an \
otherwise ordinary sentence about trade talks in Geneva.

The second paragraph carries an image <img src=x onerror="window.__pwned=2"> that would run \
code if it were rendered as markup by the browser.

The third paragraph has a markdown link [click](javascript:window.__pwned=3) and a style block \
<style>body{display:none}</style> that would hide the page.

The fourth paragraph has a markdown image ![x](https://127.0.0.1:9/x.png?__pwned=4), an HTML link <a href="javascript:window.__pwned=5">here</a> and an overlay <div style="position:fixed;inset:0;background:red;z-index:99999">covered</div> for good measure.
"""


@pytest.fixture(scope="module")
def app_url(browser, tmp_path_factory):
    with served_app(browser, tmp_path_factory, ready=BARS, timeout_ms=FIRST_LOAD_TIMEOUT_MS) as url:
        yield url


def _open(browser, url: str) -> Page:
    """A page in a fresh browser context (its own cookies, storage and Streamlit session)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(url)
    expect(page.locator(f"{PANEL} h2")).to_be_visible()
    page.wait_for_selector(BARS)
    wait_idle(page)
    return page


def wait_idle(page: Page) -> None:
    """Wait until the app's script is not running (its run has drawn everything)."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')


@pytest.fixture
def page(browser, app_url):
    page = _open(browser, app_url)
    yield page
    page.context.close()


@pytest.fixture(autouse=True)
def _expect_timeout():
    expect.set_options(timeout=TIMEOUT_MS)


def chart_data(page: Page, key: str) -> list[dict]:
    """Name, x and y of every trace of the plotly chart of widget ``key`` as drawn in the page
    (waiting for it: Streamlit may briefly replace a chart's element while redrawing it)."""
    handle = page.wait_for_function(
        """(key) => {
             const gd = document.querySelector(`.st-key-${key}_box .js-plotly-plot`);
             if (!gd || !gd.data) return null;
             return gd.data.map(
               t => ({name: t.name ?? null, x: Array.from(t.x), y: Array.from(t.y)}));
           }""",
        arg=key,
    )
    return handle.json_value()


def wait_top_term(page: Page, term: str) -> None:
    """Wait until the words chart's top bar (its last category: bars are reversed) is ``term``."""
    page.wait_for_function(
        """(term) => {
             const gd = document.querySelector('.st-key-article_words_chart_box .js-plotly-plot');
             return !!(gd && gd.data && gd.data[0].y.at(-1) === term);
           }""",
        arg=term,
    )


def click_bar(page: Page, key: str, name: str) -> None:
    """Click the centre of the bar of category ``name`` in the chart of widget ``key`` (the
    plotly drag layer intercepts a normal ``.click()``)."""
    page.wait_for_function(MARK_BAR, arg=[key, name])
    bar = page.locator(".js-plotly-plot [data-nl-target] path")
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_default_view_shows_article_and_three_charts(page):
    expect(page.locator(f"{PANEL} h2")).to_have_text(HEADLINE)
    for key in (WORDS, SENTIMENT, ENTITIES):
        # not_to_have_count, not to_be_visible: a zero score draws a bar of no height
        expect(page.locator(f".st-key-{key}_box .js-plotly-plot g.point path")).not_to_have_count(0)
    assert page.locator(".js-plotly-plot").count() >= 3
    assert chart_data(page, WORDS)[0]["y"][-3:] == ["international", "gaza", "china"]
    screenshots = ROOT / "artifacts" / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshots / "default-view.png"), full_page=True)
    assert (screenshots / "default-view.png").stat().st_size > 0


def test_click_on_entity_bar_highlights_its_mentions(page):
    expect(page.locator(HITS)).to_have_count(0)

    click_bar(page, ENTITIES, "Lin Jian")

    expect(page.locator(HITS)).to_have_text(["Lin Jian", "Lin Jian", "Lin"])
    expect(page).to_have_url(re.compile(r"[?&]sel=e%3ALin\+Jian(&|$)"))
    assert query(page)["sel"] == ["e:Lin Jian"]


#: Page coordinates of (category, value) in the plot of the chart of widget ``key``.
POSITION = """([key, category, value]) => {
  const gd = document.querySelector(`.st-key-${key}_box .js-plotly-plot`);
  if (!gd || !gd._fullLayout || !gd._fullLayout.xaxis.d2p) return null;
  const layout = gd._fullLayout, box = gd.getBoundingClientRect();
  return {x: box.left + layout._size.l + layout.xaxis.d2p(category),
          y: box.top + layout._size.t + layout.yaxis.d2p(value)};
}"""


def test_click_on_a_neutral_paragraph_selects_it(page):
    # Paragraph 2 scores -0.03 under VADER: its bar is barely there, its whole column is the
    # target.
    page.locator(f".st-key-{SENTIMENT}_box").scroll_into_view_if_needed()
    point = page.wait_for_function(POSITION, arg=[SENTIMENT, "2", 0.6]).json_value()
    page.mouse.move(point["x"], point["y"])
    labels = page.locator(f".st-key-{SENTIMENT}_box .hoverlayer .hovertext")
    expect(labels.filter(has_text="¶ 2 · ○ neutral")).to_have_count(1)
    page.mouse.click(point["x"], point["y"])

    expect(page).to_have_url(re.compile(r"[?&]sel=p%3A2(&|$)"))
    expect(page.locator(f"{PANEL} .nl-selected")).to_have_attribute("id", "nl-p2")


def open_options(page, label: str) -> None:
    """Open the sidebar's option group ``label`` (drawn only while open) and wait for the run
    that draws it to end: a widget clicked while that run is still going can lose the click."""
    group = page.locator(".st-key-article_options_" + label.lower())
    group.get_by_text(label, exact=True).click()
    group.locator("[data-testid=stElementContainer]").first.wait_for()
    wait_idle(page)


def test_words_per_term_filter_updates_words_chart(page):
    open_options(page, "Words")
    page.locator(".st-key-article_options_ngram").get_by_role("radio", name="2", exact=True).click()

    wait_top_term(page, "international community")
    expect(page).to_have_url(re.compile(r"[?&]ngram=2(&|$)"))
    assert chart_data(page, WORDS)[0]["y"][-2:] == ["lin jian", "international community"]
    assert query(page)["ngram"] == ["2"]


def test_tabs_and_tables_are_drawn_when_opened(page):
    # Only the open tab and open expanders are drawn (a lighter page); opening one draws it.
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    page.get_by_text("Words table", exact=True).click()
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(1)
    expect(
        page.locator('[data-testid="stExpander"]')
        .filter(has_text="Words table")
        .get_by_role("button", name="Download words (CSV)")
    ).to_be_visible()

    page.get_by_role("tab", name="Entities detail").click()
    expect(page).to_have_url(re.compile(r"[?&]tab=entities(&|$)"))
    # sentiment toward each entity and the breakdown by type, not the three charts
    expect(page.locator(".js-plotly-plot")).to_have_count(2)
    types = page.wait_for_function(
        "() => { const g = document.querySelector('.st-key-article_stance_types_chart .js-plotly-plot')"
        " ?? document.querySelectorAll('.js-plotly-plot')[1];"
        " return g && g.data && Array.from(g.data[0].y); }"
    ).json_value()
    # Nationality words used as modifiers ("Chinese government") are not counted.
    assert sorted(types) == ["Countries, cities (GPE)", "Organisations (ORG)", "People (PERSON)"]
    expect(page.get_by_role("button", name="Download mentions (CSV)")).to_be_visible()

    page.get_by_role("tab", name="Charts").click()
    for key in (WORDS, SENTIMENT, ENTITIES):
        expect(page.locator(f".st-key-{key}_box .js-plotly-plot g.point path")).not_to_have_count(0)
    assert "tab" not in query(page)


def _observed(page: Page, *, hits: int) -> dict:
    """What a reader sees of the view, read once ``hits`` highlights are shown."""
    expect(page.locator(HITS)).to_have_count(hits)
    sentiment = chart_data(page, SENTIMENT)
    return {
        "top_term": chart_data(page, WORDS)[0]["y"][-1],
        "sentiment_trace": sentiment[0]["name"],
        "hits": page.locator(HITS).all_inner_texts(),
        "headline": page.locator(f"{PANEL} h2").inner_text(),
    }


def test_share_link_reopens_the_view_in_a_fresh_context(browser, page):
    open_options(page, "Words")
    page.locator(".st-key-article_options_ngram").get_by_role("radio", name="2", exact=True).click()
    wait_top_term(page, "international community")
    open_options(page, "Sentiment")
    page.locator(".st-key-article_options_model").get_by_role(
        "radio", name="TextBlob", exact=True
    ).click()
    page.wait_for_function(
        "() => document.querySelector('.st-key-article_sentiment_chart_box .js-plotly-plot')"
        ".data[0].name === 'TextBlob polarity'"
    )
    click_bar(page, ENTITIES, "Gaza")
    expect(page).to_have_url(re.compile(r"[?&]sel=e%3AGaza(&|$)"))
    first = _observed(page, hits=5)
    shared = page.url
    page.get_by_role("button", name="Share").click()
    share_code = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"]')
    assert share_code.inner_text().strip().split("?")[1] == urlsplit(shared).query

    other = _open(browser, shared)
    try:
        second = _observed(other, hits=5)
        assert query(other) == query(page)
    finally:
        other.context.close()

    assert (
        first
        == second
        == {
            "top_term": "international community",
            "sentiment_trace": "TextBlob polarity",
            "hits": ["Gaza"] * 5,
            "headline": HEADLINE,
        }
    )
    assert query(page) == {
        "article": [SAMPLE_SLUG],
        "ngram": ["2"],
        "model": ["textblob"],
        "sel": ["e:Gaza"],
    }


def test_hand_written_link_opens_word_selection(browser, app_url):
    url = f"{app_url}/?article={SAMPLE_SLUG}&ngram=2&sel=w%3Agaza&model=vader"
    page = _open(browser, url)
    try:
        assert _observed(page, hits=5) == {
            "top_term": "international community",
            "sentiment_trace": "VADER compound",
            "hits": ["Gaza"] * 5,
            "headline": HEADLINE,
        }
    finally:
        page.context.close()


def test_hostile_paste_is_shown_as_text(page):
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Add an article").click()
    sidebar.get_by_label("…or paste the text").fill(HOSTILE_ARTICLE)
    sidebar.get_by_role("button", name="Analyse pasted text").click()

    panel = page.locator(PANEL)
    expect(panel.locator("h2")).to_have_text("Hostile Paste Test Headline About Markup")
    text = panel.inner_text()
    assert "<script>window.__pwned=1</script>" in text
    assert '<img src=x onerror="window.__pwned=2">' in text
    assert "[click](javascript:window.__pwned=3)" in text
    assert "<style>body{display:none}</style>" in text
    assert page.evaluate("window.__pwned") is None
    assert panel.locator("img").count() == 0
    assert panel.locator("script").count() == 0
    assert page.locator('a[href^="javascript:" i]').count() == 0
    assert page.evaluate("getComputedStyle(document.body).display") != "none"
    assert "![x](https://127.0.0.1:9/x.png?__pwned=4)" in text
    assert '<a href="javascript:window.__pwned=5">here</a>' in text
    assert page.locator("div[style*='position:fixed']").count() == 0
    # The success message quotes the headline as text too.
    assert page.locator('[data-testid="stAlert"] a').count() == 0


def test_click_on_a_name_in_the_article_selects_its_entity(page):
    # "Lin" in paragraph 7 is a short form of Lin Jian: a click on it selects the person.
    page.locator(f'{PANEL} #nl-p7 span.nl-ent[data-entity="Lin Jian"]').click()
    expect(page.locator(HITS)).to_have_count(3)
    expect(page.locator(f"{PANEL} .nl-count")).to_have_text("1 of 3")
    page.wait_for_function("() => location.search.includes('sel=e%3ALin+Jian')")
    assert query(page)["sel"] == ["e:Lin Jian"]
    # The first hit is in view inside the panel.
    hit = page.locator(HITS).first.bounding_box()
    panel = page.locator(PANEL).bounding_box()
    assert hit is not None and panel is not None
    assert panel["y"] <= hit["y"] <= panel["y"] + panel["height"]


def test_quotes_tab_highlights_a_speakers_words(page):
    page.get_by_role("tab", name="Quotes").click()
    click_bar(page, "article_quotes_chart", "Lin Jian")
    expect(page.locator(f"{PANEL} #nl-p7 mark.nl-hit").first).to_contain_text("China")
    page.wait_for_function("() => location.search.includes('sel=q%3ALin+Jian')")


def _tab_selected(page: Page, name: str) -> None:
    expect(page.get_by_role("tab", name=name, exact=True)).to_have_attribute(
        "aria-selected", "true"
    )


def test_back_restores_each_earlier_view(page):
    click_bar(page, ENTITIES, "Gaza")
    expect(page.locator(HITS)).to_have_count(5)
    expect(page).to_have_url(re.compile(r"[?&]sel=e%3AGaza(&|$)"))
    page.get_by_role("tab", name="Quotes").click()
    expect(page).to_have_url(re.compile(r"[?&]tab=quotes(&|$)"))

    page.go_back()
    _tab_selected(page, "Charts")
    expect(page.locator(HITS)).to_have_count(5)
    expect(page).not_to_have_url(re.compile(r"tab="))
    assert query(page)["sel"] == ["e:Gaza"]

    page.go_back()
    expect(page.locator(HITS)).to_have_count(0)
    _tab_selected(page, "Charts")
    expect(page).not_to_have_url(re.compile(r"sel="))
    assert query(page) == {"article": [SAMPLE_SLUG]}

    page.go_forward()
    expect(page.locator(HITS)).to_have_count(5)
    assert query(page)["sel"] == ["e:Gaza"]


def test_address_bar_names_a_pasted_article_at_once(page):
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Add an article").click()
    sidebar.get_by_label("…or paste the text").fill(
        "Harbour Workers Vote to End Strike\n\nDock workers voted on Tuesday to end a strike "
        "that had closed the port for a week.\n\nThe union said the contract raises pay."
    )
    sidebar.get_by_role("button", name="Analyse pasted text").click()
    expect(page.locator(f"{PANEL} h2")).to_have_text("Harbour Workers Vote to End Strike")
    expect(page).to_have_url(re.compile(r"[?&]text=[A-Za-z0-9_-]+(&|$)"))


def test_paste_box_shows_what_was_pasted(page):
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Add an article").click()
    box = sidebar.get_by_label("…or paste the text").bounding_box()
    assert box is not None and box["height"] >= 240
