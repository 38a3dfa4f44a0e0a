"""The Corpus and Compare pages, and the way from a corpus article to the Article page, in a
real browser: Debian's Chromium driven by Playwright against one ``streamlit run`` server per
module, started from a temporary directory with its own data folder (the Corpus page imports
the sample corpus from ``seeds/corpus/`` into it on first use).

Expected values were read once from the sample corpus with :mod:`analysis.storage.corpus.queries`
(113 Wikinews articles, 2019-01-04 to 2020-12-26) and are written here as literals.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.dashboard.browser import served_app

pytestmark = pytest.mark.browser

TIMEOUT_MS = 30_000  # generous: another benchmark may share this 2-core machine
FIRST_LOAD_TIMEOUT_MS = 90_000  # the first session of a server loads the spaCy pipeline
VIEWPORT = {"width": 1400, "height": 1000}
ARTICLE_HEADLINE = ".st-key-article_panel h2"
COVERAGE = "corpus_cov_chart"
POINT_PARAGRAPHS = ".st-key-corpus_cov_point_paragraphs"
SAMPLE_KEY = "6950fa440f4e2449"  # the sample article of seeds/, by its key's first 16 digits
# Two interviews of the 2020 Groom by-election candidates that share their questions and an
# introduction (as wire copy does).
JEPHCOTT, FARQUHARSON = "6d1502f7773b8517", "a33e5f058ecd7598"
GROOM_LINK = f"/compare?compare={JEPHCOTT},{FARQUHARSON}"

#: JavaScript for page.wait_for_function: marks the marker of the line named `name` at the
#: period starting on `day` in the chart of widget key `key` (through the trace each scatter
#: group is bound to).
MARK_POINT = """([key, name, day]) => {
  document.querySelectorAll('[data-nl-target]').forEach(e => e.removeAttribute('data-nl-target'));
  const plots = document.querySelectorAll(`.st-key-${key}_box .js-plotly-plot`);
  if (plots.length !== 1) return false;  // not drawn yet, or an old copy not yet removed
  for (const group of plots[0].querySelectorAll('g.trace.scatter')) {
    const trace = group.__data__[0].trace;
    if (trace.name !== name) continue;
    for (const point of group.querySelectorAll('path.point')) {
      if (String(trace.x[point.__data__.i]).slice(0, 10) === day) {
        point.setAttribute('data-nl-target', '1');
        return true;
      }
    }
  }
  return false;
}"""


@pytest.fixture(scope="module")
def app_url(browser, tmp_path_factory):
    with served_app(
        browser,
        tmp_path_factory,
        ready=".js-plotly-plot g.point path",
        timeout_ms=FIRST_LOAD_TIMEOUT_MS,
    ) as url:
        yield url


@pytest.fixture(autouse=True)
def _expect_timeout():
    expect.set_options(timeout=TIMEOUT_MS)


def _open(browser, url: str) -> Page:
    """A page in a fresh browser context (its own cookies, storage and Streamlit session)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(url)
    return page


@pytest.fixture
def corpus(browser, app_url):
    """The Corpus page on the sample corpus, unfiltered."""
    page = _open(browser, f"{app_url}/corpus")
    expect(count_line(page)).to_have_text(re.compile(r"^113 of 113 articles selected"))
    yield page
    page.context.close()


def count_line(page: Page) -> Locator:
    """The Corpus page's line "N of M articles selected · first to last day"."""
    return page.get_by_text(re.compile(r"^\d+ of \d+ articles selected"))


def search(page: Page, text: str) -> None:
    box = page.get_by_role("textbox", name="Search the text")
    box.fill(text)
    box.press("Enter")


def choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the select box or multiselect labelled ``label``, by typing it, and
    close the list (a multiselect's stays open and hides the rest of the page from the
    accessibility tree)."""
    page.get_by_role("combobox", name=label).click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def settle(page: Page) -> None:
    """Wait until the script run has finished and every element of the earlier run is
    replaced (an element drawn by the earlier run is marked ``data-stale``)."""
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
                 && !document.querySelector('[data-stale="true"]')"""
    )


def click_point(page: Page, key: str, line: str, day: str) -> None:
    """Click the marker of ``line`` at the period starting ``day`` in the chart of widget
    ``key``, at its centre (the plotly drag layer intercepts a normal ``.click()``), once the
    chart of the last filter change is drawn."""
    settle(page)
    page.wait_for_function(MARK_POINT, arg=[key, line, day])
    point = page.locator(".js-plotly-plot [data-nl-target]")
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def grid_rows(grid: Locator) -> list[list[str]]:
    """The cells of a ``st.dataframe`` as its accessible table gives them (the grid itself is
    drawn on a canvas): the header row first; only the columns in view."""
    return [row.locator("th, td").all_inner_texts() for row in grid.locator("table tr").all()]


def click_row(page: Page, grid: Locator, title: str) -> None:
    """Select the row of ``grid`` whose cells include ``title`` by its row marker (the
    checkbox at the left of a row of a selectable ``st.dataframe``)."""
    settle(page)
    grid.scroll_into_view_if_needed()
    rows = grid_rows(grid)
    index = next(i for i, cells in enumerate(rows) if title in cells)
    box = grid.bounding_box()
    assert box is not None
    height = box["height"] / len(rows)  # the header is one row high
    page.mouse.click(box["x"] + height / 2, box["y"] + height * (index + 0.5))


# -- Corpus page ------------------------------------------------------------------------------


def test_corpus_text_search_narrows_the_article_count(corpus):
    search(corpus, "virus")

    expect(count_line(corpus)).to_have_text(
        "17 of 113 articles selected · 2019-08-15 to 2020-12-26"
    )
    expect(corpus).to_have_url(re.compile(r"[?&]q=virus(&|$)"))


def test_corpus_coverage_point_shows_its_paragraphs_with_the_mentions(corpus):
    search(corpus, "virus")
    expect(count_line(corpus)).to_have_text(re.compile(r"^17 of 113 "))

    click_point(corpus, COVERAGE, "United States", "2020-02-01")

    expect(
        corpus.get_by_text(
            "United States, 2020-02-01 to 2020-02-29: 3 paragraph(s) in 2 article(s)"
        )
    ).to_be_visible()
    paragraphs = corpus.locator(POINT_PARAGRAPHS)
    expect(paragraphs.locator("mark.nl-hit")).to_have_text(
        ["United States", "U.S.", "United States"]
    )
    expect(paragraphs.locator(".nl-meta b")).to_have_text(
        [
            "First foreigners die from coronavirus in Wuhan, China",
            "First foreigners die from coronavirus in Wuhan, China",
            "World Health Organization names new coronavirus COVID-19",
        ]
    )
    shown = paragraphs.locator(".nl-p").evaluate_all(
        "ps => ps.map(p => [p.dataset.doc.slice(0, 16), Number(p.dataset.paragraph),"
        " p.querySelectorAll('mark.nl-hit').length])"
    )
    assert shown == [
        ["b38f04938181ff96", 1, 1],
        ["b38f04938181ff96", 2, 1],
        ["66d4934882b51b1b", 7, 1],
    ]
    expect(corpus).to_have_url(re.compile(r"[?&]point=2020-02-01%7Ce%3AUnited\+States(&|$)"))


def _expect_iran_view(page: Page) -> None:
    """The Corpus page as the share-link test leaves it: the search, the entity and the point."""
    expect(count_line(page)).to_have_text("3 of 113 articles selected · 2020-03-03 to 2020-11-02")
    expect(page.get_by_role("textbox", name="Search the text")).to_have_value("virus")
    expect(page.get_by_role("combobox", name="Mentions")).to_have_value("Iran")
    point = page.locator("p").filter(has_text=re.compile(r"^United States, 2020-11-01"))
    expect(point).to_have_text(
        "United States, 2020-11-01 to 2020-11-30: 8 paragraph(s) in 1 article(s)"
    )
    expect(page.locator(f"{POINT_PARAGRAPHS} mark.nl-hit")).to_have_count(16)


def test_corpus_share_link_reopens_search_entity_and_point(browser, corpus):
    search(corpus, "virus")
    expect(count_line(corpus)).to_have_text(re.compile(r"^17 of 113 "))
    choose(corpus, "Mentions", "Iran")
    expect(count_line(corpus)).to_have_text(re.compile(r"^3 of 113 "))
    click_point(corpus, COVERAGE, "United States", "2020-11-01")
    expect(corpus).to_have_url(re.compile(r"[?&]point="))
    _expect_iran_view(corpus)
    # The coverage chart follows the corpus's top three entities until the reader picks some.
    expect(corpus).to_have_url(
        re.compile(
            r"/corpus\?q=virus&entity=Iran&items=e%3A[^&]+"
            r"&point=2020-11-01%7Ce%3AUnited\+States$"
        )
    )

    other = _open(browser, corpus.url)
    try:
        _expect_iran_view(other)
        expect(other).to_have_url(corpus.url)
    finally:
        other.context.close()


# -- Compare page -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def groom(browser, app_url):
    """The Compare page on a link naming the two Groom by-election interviews (one page for
    the tests that only read it, each opening the tab it reads)."""
    page = _open(browser, f"{app_url}{GROOM_LINK}")
    page.wait_for_selector(".js-plotly-plot", timeout=FIRST_LOAD_TIMEOUT_MS)
    yield page
    page.context.close()


def chosen(page: Page) -> list[str]:
    """The articles chosen on the Compare page, by the labels of their chips."""
    chips = page.get_by_role("button", name=re.compile(r"^Remove "))
    return [
        label.removeprefix("Remove ")
        for label in chips.evaluate_all("bs => bs.map(b => b.getAttribute('aria-label'))")
    ]


def column_captions(page: Page) -> list[dict]:
    """The names above the Words tab's charts, with where they are drawn."""
    page.get_by_role("tab", name="Words", exact=True).click()
    captions = page.locator(
        '[role="tabpanel"]:visible [data-testid="stColumn"] [data-testid="stCaptionContainer"]'
    )
    expect(captions).to_have_count(2)
    out = []
    for caption in captions.all():
        box = caption.bounding_box()
        assert box is not None
        # "1. <title>" is drawn as a Markdown numbered list: its number is the list's start.
        text = caption.evaluate(
            "e => { const ol = e.querySelector('ol');"
            " return (ol ? `${ol.start}. ` : '') + e.innerText.trim(); }"
        )
        out.append({"text": text, "x": box["x"], "y": box["y"], "width": box["width"]})
    return out


def test_compare_link_shows_both_articles_side_by_side(groom):
    assert chosen(groom) == [
        "Wikinews interviews Sandra Jephcott, Sustainable Australia candidate for 2020 Groom "
        "by-election · en.wikinews.org · 2020-11-27",
        "Wikinews interviews Craig Farquharson, Liberal Democrat candidate for 2020 Groom "
        "by-election · en.wikinews.org · 2020-11-27",
    ]
    left, right = column_captions(groom)
    assert [left["text"], right["text"]] == [
        "1. Wikinews interviews Sandra Jephcott, Sus…",
        "2. Wikinews interviews Craig Farquharson, L…",
    ]
    assert left["y"] == right["y"]
    assert left["x"] + left["width"] <= right["x"]


def test_compare_shared_passages_lists_the_shared_paragraphs(groom):
    groom.get_by_role("tab", name="Shared passages").click()
    grid = groom.locator('[role="tabpanel"]:visible [data-testid="stDataFrame"]')
    expect(grid.locator("table tr")).to_have_count(6)

    rows = [cells[:5] for cells in grid_rows(grid)]
    one, two = (
        "1. Wikinews interviews Sandra Jephcott, Sus…",
        "2. Wikinews interviews Craig Farquharson, L…",
    )
    assert rows == [
        ["article A", "¶ A", "article B", "¶ B", "similarity"],
        [one, "3", two, "2", "1"],
        [one, "5", two, "4", "1"],
        [one, "11", two, "10", "1"],
        [one, "12", two, "11", "1"],
        [one, "2", two, "1", "0.619"],
    ]


def test_compare_share_link_reopens_the_chosen_articles(browser, app_url):
    page = _open(browser, f"{app_url}/compare")
    try:
        expect(page.get_by_role("button", name=re.compile(r"^Remove "))).to_have_count(2)
        page.get_by_role("button", name=re.compile(r"^Remove Chilean authorities")).click()
        choose(
            page,
            "Articles to compare",
            "World Health Organization names new coronavirus COVID-19 · en.wikinews.org · 2020-02-14",
        )
        expect(page).to_have_url(re.compile(rf"[?&]compare={SAMPLE_KEY}%2C66d4934882b51b1b(&|$)"))
        first = {"chosen": chosen(page), "captions": [c["text"] for c in column_captions(page)]}

        other = _open(browser, page.url)
        try:
            expect(other.get_by_role("button", name=re.compile(r"^Remove "))).to_have_count(2)
            second = {
                "chosen": chosen(other),
                "captions": [c["text"] for c in column_captions(other)],
            }
            expect(other).to_have_url(page.url)
        finally:
            other.context.close()
    finally:
        page.context.close()

    assert (
        first
        == second
        == {
            "chosen": [
                "Sample: China Urges International Efforts to Cease Gaza Conflict",
                "World Health Organization names new coronavirus COVID-19 · en.wikinews.org · 2020-02-14",
            ],
            "captions": [
                "1. China Urges International Efforts to Cea…",
                "2. World Health Organization names new coro…",
            ],
        }
    )


# -- from the Corpus page to the Article page -------------------------------------------------

VIRUS_IRAN_LINK = "/corpus?q=virus&entity=Iran"
MIR_MOHAMMADI = "Iranian government official Mohammad Mir-Mohammadi dies of COVID-19"


@pytest.fixture(scope="module")
def opened(browser, app_url):
    """The Article page reached by selecting a row of the Corpus page's article table."""
    page = _open(browser, f"{app_url}{VIRUS_IRAN_LINK}")
    expect(count_line(page)).to_have_text(re.compile(r"^3 of 113 "))
    grid = page.locator('[data-testid="stDataFrame"]').filter(has_text=MIR_MOHAMMADI)
    expect(grid).to_have_count(1)
    click_row(page, grid, MIR_MOHAMMADI)
    page.wait_for_url(re.compile(r"/\?text="))
    yield page
    page.context.close()


def test_corpus_article_row_opens_the_article_page(opened):
    expect(opened.locator(ARTICLE_HEADLINE)).to_have_text(MIR_MOHAMMADI)
    # The article travels in its link (short enough), so the link opens on any server.
    expect(opened).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/\?text=[A-Za-z0-9_-]+$"))


def test_article_opened_from_the_corpus_share_link_reopens_it(browser, opened):
    expect(opened.locator(ARTICLE_HEADLINE)).to_have_text(MIR_MOHAMMADI)

    other = _open(browser, opened.url)
    try:
        expect(other.locator(ARTICLE_HEADLINE)).to_have_text(MIR_MOHAMMADI)
        expect(other).to_have_url(opened.url)
    finally:
        other.context.close()
