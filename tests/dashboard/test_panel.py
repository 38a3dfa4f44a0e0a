"""The article panel component: what the Python wrapper sends and reads back, and the panel in
a real browser (Chromium driven by Playwright against ``panel_demo.py``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from streamlit.testing.v1 import AppTest

from dashboard.panel import PanelClick, click_from, panel_data
from tests.dashboard.browser import ROOT, start_server, stop_server

DEMO = Path(__file__).resolve().parent / "panel_demo.py"
TIMEOUT_MS = 30_000  # generous: another benchmark may share this 2-core machine
VIEWPORT = {"width": 1280, "height": 720}
PANEL = ".st-key-article_panel"
SCROLLER = f"{PANEL} .nl-scroll"
CURRENT = f'{PANEL} mark.nl-hit[aria-current="true"]'
COUNT = f"{PANEL} .nl-count"


# --------------------------------------------------------------------------------------------
# The Python wrapper


def test_panel_data_sends_markup_key_and_top():
    assert panel_data('<div class="nl-article">x</div>', key="article_panel", top=80) == {
        "markup": '<div class="nl-article">x</div>',
        "key": "article_panel",
        "top": 80,
    }


def test_click_from_entity_keeps_the_name():
    assert click_from({"kind": "entity", "value": "Mara Olsen"}) == PanelClick(
        "entity", "Mara Olsen"
    )


def test_click_from_word_is_case_folded():
    assert click_from({"kind": "word", "value": " Straße "}) == PanelClick("word", "strasse")


def test_click_from_word_keeps_its_position():
    assert click_from({"kind": "word", "value": "Ferry", "paragraph": 3, "start": 17}) == (
        PanelClick("word", "ferry", 3, 17)
    )


def test_click_from_word_with_a_bad_position_keeps_the_word_only():
    assert click_from({"kind": "word", "value": "ferry", "paragraph": "3", "start": -1}) == (
        PanelClick("word", "ferry", None, None)
    )


def test_click_from_paragraph_number_becomes_digits():
    assert click_from({"kind": "paragraph", "value": 4}) == PanelClick("paragraph", "4")


def test_click_from_no_trigger_is_none():
    assert click_from(None) is None


def test_click_from_unknown_kind_is_none():
    assert click_from({"kind": "script", "value": "x"}) is None


def test_click_from_paragraph_that_is_not_a_number_is_none():
    assert [click_from({"kind": "paragraph", "value": v}) for v in (-1, "2a", True, 1.5)] == [
        None,
        None,
        None,
        None,
    ]


def test_click_from_empty_word_is_none():
    assert click_from({"kind": "word", "value": "  "}) is None


def test_panel_click_selection_is_the_app_selection_string():
    clicks = [
        PanelClick("entity", "Gaza"),
        PanelClick("word", "gaza"),
        PanelClick("paragraph", "3"),
    ]
    assert [click.selection for click in clicks] == ["e:Gaza", "w:gaza", "p:3"]


def test_render_article_panel_mounts_the_component_with_the_markup():
    at = AppTest.from_file(str(DEMO), default_timeout=30)
    at.query_params["sel"] = "e:Mara Olsen"
    at.run()
    assert not at.exception
    (element,) = at.get("bidi_component")
    sent = json.loads(element.proto.json)
    assert (element.proto.component_name, sent["key"], sent["top"]) == (
        "newslens_article_panel",
        "article_panel",
        72,
    )
    assert sent["markup"].count('<mark class="nl-hit">') == 5


# --------------------------------------------------------------------------------------------
# In a browser


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    server = start_server(
        cwd=tmp_path_factory.mktemp("cwd"),
        data_dir=tmp_path_factory.mktemp("newslens-data"),
        log_path=tmp_path_factory.mktemp("log") / "streamlit.log",
        app=DEMO,
    )
    try:
        yield server.url
    finally:
        stop_server(server)


@pytest.fixture(autouse=True)
def _expect_timeout():
    expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture
def open_demo(browser, demo_url):
    """Open the demo at ``query`` in a fresh context; wait until the panel shows its article."""
    pages = []

    def _open(query: str) -> Page:
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        pages.append(page)
        page.goto(f"{demo_url}/?{query}")
        expect(page.locator(f"{PANEL} h2")).to_be_visible()
        return page

    yield _open
    for page in pages:
        page.context.close()


def visible_in_panel(page: Page, selector: str) -> bool:
    """Whether the element's box lies inside the panel's scrolling box, as drawn."""
    inner = page.locator(selector).bounding_box()
    outer = page.locator(SCROLLER).bounding_box()
    assert inner is not None and outer is not None
    return (
        outer["y"] <= inner["y"]
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"]
        and outer["x"] <= inner["x"]
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"]
    )


@pytest.mark.browser
def test_panel_scrolls_to_the_first_hit(open_demo):
    page = open_demo("sel=w:timetable")  # one hit, in the last paragraph

    expect(page.locator(COUNT)).to_have_text("1 of 1")
    expect(page.locator(CURRENT)).to_have_text("timetable")
    assert visible_in_panel(page, CURRENT)


@pytest.mark.browser
def test_panel_next_moves_to_the_second_hit(open_demo):
    page = open_demo("sel=w:ferry")
    expect(page.locator(COUNT)).to_have_text("1 of 13")

    page.locator(PANEL).get_by_role("button", name="Next occurrence").click()

    expect(page.locator(COUNT)).to_have_text("2 of 13")
    current = page.locator(CURRENT)
    expect(current).to_have_count(1)
    assert (
        current.evaluate(
            "m => [...m.closest('.nl-article').querySelectorAll('mark.nl-hit')].indexOf(m)"
        )
        == 1
    )


@pytest.mark.browser
def test_panel_key_p_wraps_to_the_last_hit_and_shows_it(open_demo):
    page = open_demo("sel=w:ferry")
    expect(page.locator(COUNT)).to_have_text("1 of 13")

    page.locator(SCROLLER).focus()
    page.keyboard.press("p")

    expect(page.locator(COUNT)).to_have_text("13 of 13")
    expect(page.locator(CURRENT)).to_have_text("ferry")
    assert (
        page.locator(CURRENT).evaluate("m => m.closest('[data-paragraph]').dataset.paragraph")
        == "26"
    )
    assert visible_in_panel(page, CURRENT)


@pytest.mark.browser
def test_panel_keeps_its_place_after_a_rerun(open_demo):
    page = open_demo("sel=w:ferry")
    next_button = page.locator(PANEL).get_by_role("button", name="Next occurrence")
    next_button.click()
    next_button.click()
    expect(page.locator(COUNT)).to_have_text("3 of 13")

    run = int(page.locator(f"{PANEL} .nl-meta").inner_text().rsplit(" ", 1)[1])
    page.get_by_role("button", name="Rerun").click()
    expect(page.locator(f"{PANEL} .nl-meta")).to_contain_text(f"run {run + 1}")

    expect(page.locator(COUNT)).to_have_text("3 of 13")


@pytest.mark.browser
def test_panel_starts_at_the_first_hit_of_a_new_selection(open_demo):
    page = open_demo("sel=w:ferry")
    page.locator(PANEL).get_by_role("button", name="Next occurrence").click()
    expect(page.locator(COUNT)).to_have_text("2 of 13")

    page.get_by_role("button", name="Select Olsen").click()

    expect(page.locator(COUNT)).to_have_text("1 of 5")
    expect(page.locator(CURRENT)).to_have_text("Mara Olsen")


@pytest.mark.browser
def test_click_on_an_entity_reports_it_to_python(open_demo):
    page = open_demo("")
    expect(page.get_by_text("Last click: none")).to_be_visible()

    page.locator(f'{PANEL} #nl-p6 span.nl-ent[data-entity="Mara Olsen"]').click()

    expect(page.get_by_text("Last click: entity = Mara Olsen")).to_be_visible()
    expect(page.locator(COUNT)).to_have_text("1 of 5")  # the app selected it


#: Page coordinates of the centre of the first ``word`` in the text of paragraph ``n`` (the
#: first occurrence of its letters: choose a word that is no part of an earlier one).
WORD_CENTRE = """([n, word]) => {
  const text = document.querySelector(`#nl-p${n} .nl-text`);
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(word);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + word.length);
    const r = range.getBoundingClientRect();
    return {x: r.x + r.width / 2, y: r.y + r.height / 2};
  }
  return null;
}"""


@pytest.mark.browser
def test_click_on_a_word_reports_it_case_folded_with_its_place(open_demo):
    page = open_demo("")
    # "Residents of Ostrel said the road": after the underlined name, 29 characters in.
    expect(page.locator(f"{PANEL} #nl-p4 .nl-text")).to_contain_text("Ostrel said the road")
    point = page.evaluate(WORD_CENTRE, [4, "road"])

    page.mouse.click(point["x"], point["y"])

    expect(page.get_by_text("Last click: word = road (paragraph 4 at 29)")).to_be_visible()


@pytest.mark.browser
def test_click_on_a_paragraph_number_reports_it(open_demo):
    page = open_demo("")

    page.locator(f"{PANEL} #nl-p4 .nl-num").click()

    expect(page.get_by_text("Last click: paragraph = 4")).to_be_visible()
    expect(page.locator(f"{PANEL} .nl-selected")).to_have_attribute("id", "nl-p4")


@pytest.mark.browser
def test_panel_shows_escaped_markup_as_text(open_demo):
    page = open_demo("sel=w:ferry")
    text = page.locator(f"{PANEL} #nl-p5").inner_text()

    assert "<script>window.__pwned=1</script>" in text
    assert '<img src=x onerror="window.__pwned=2">' in text
    assert page.locator(f"{PANEL} img, {PANEL} script").count() == 0
    assert page.evaluate("window.__pwned") is None


@pytest.mark.browser
def test_panel_drops_markup_that_escaped_escaping(open_demo):
    # The demo's ``raw`` adds an unescaped paragraph, as a bug in the markup builder would.
    page = open_demo("raw=1")
    expect(page.locator(f"{PANEL} #nl-p99")).to_have_count(1)

    assert page.locator(f"{PANEL} #nl-p99 img, {PANEL} #nl-p99 script").count() == 0
    assert page.locator(f"{PANEL} #nl-p99 [onclick]").count() == 0
    assert page.locator(f'{PANEL} #nl-p99 [style*="fixed"]').count() == 0
    page.wait_for_timeout(300)  # an image's error handler would have run by now
    assert page.evaluate("window.__pwned") is None
    assert page.locator(f"{PANEL} #nl-p99").inner_text().strip() == "Unescaped: and bold."


@pytest.mark.browser
def test_panel_keeps_the_colour_styles_of_the_markup(open_demo):
    page = open_demo("")
    swatches = page.locator(f"{PANEL} .nl-legend i.nl-swatch:not(.nl-under)")

    assert swatches.evaluate_all("s => s.map(e => getComputedStyle(e).backgroundColor)") == [
        "rgb(47, 109, 181)",
        "rgb(158, 158, 158)",
        "rgb(194, 69, 45)",
    ]


@pytest.mark.browser
def test_panel_fits_the_viewport_at_1280x720(open_demo):
    page = open_demo("sel=w:ferry")
    page.wait_for_function(
        "() => { const r = document.querySelector('.nl-panel').getBoundingClientRect();"
        " return r.bottom <= innerHeight && r.top >= 0; }"
    )
    screenshots = ROOT / "artifacts" / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshots / "panel-1280x720.png"))
    assert (screenshots / "panel-1280x720.png").stat().st_size > 0


def test_selection_for_click_maps_a_word_to_its_counted_term(sample_analysis):
    from dashboard.panel import PanelClick, selection_for_click

    tokens = sample_analysis.tokens
    # "efforts" in the headline (offset 32) and "visits" in paragraph 6.
    assert selection_for_click(PanelClick("word", "efforts", 0, 32), tokens) == "w:efforts"
    start = sample_analysis.texts[6].index("visits")
    click = PanelClick("word", "visits", 6, start + 2)
    assert selection_for_click(click, tokens) == "w:visits"
    assert selection_for_click(click, tokens, lemmas=True) == "w:visit"
    assert selection_for_click(PanelClick("entity", "Lin Jian"), tokens) == "e:Lin Jian"
    assert selection_for_click(PanelClick("paragraph", "3"), tokens) == "p:3"
