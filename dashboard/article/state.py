"""The Article page's session state: its keys, in one naming scheme, and the functions that
read and write the page's own values.

Every key starts with ``article_``. The page's own values are listed below (:data:`ADDED`,
:data:`SELECTED`, ...) and written only here; a view's widgets are ``<view key>_<widget>`` (a
view that is a single widget takes its view key), and what a view keeps between runs
``<view key>_<name>``, written by the view, and here only to set them from the link or to
make another article current. The share link (:mod:`dashboard.article.link`) is read into
these keys on a session's first run and on the browser's Back and Forward
(:func:`apply_link`), checked once the article is analysed (:func:`check_link`), and made
from them after every run (:func:`current_view`). Another page hands the Article page an
article through :func:`open_article`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import urlencode

import streamlit as st
import streamlit.components.v1 as components

from analysis import ArticleAnalysis, ArticleError, WordOptions, parse_stop_words
from analysis.core.corrections import Correction, format_corrections, parse_corrections
from analysis.core.quotes import said_by
from analysis.storage.links import (
    ArticleReference,
    LinkPayloadError,
    article_reference,
    decode_article,
)
from analysis.storage.shares import article_key, is_valid_key
from dashboard.article.link import TABS, ViewState, from_query, parse_selection, to_query
from dashboard.article.scope import analysed_removed
from dashboard.cache import load_store
from dashboard.labels import ENTITY_TYPES, paragraph_label, paragraph_number
from dashboard.sources import Seed

KEY = "article"

# -- the page's own values ---------------------------------------------------------------------
#: The session's view was set up (from the link, or the defaults).
READY = f"{KEY}_ready"
#: Articles added in this session (pasted, uploaded, fetched, shared, opened from the
#: corpus): key in the share store -> title.
ADDED = f"{KEY}_added"
#: An article to make current on the next run (set before the article picker exists).
PENDING = f"{KEY}_pending"
#: A message for the next run, (level, text): ``st.<level>(text)``.
FLASH = f"{KEY}_flash"
#: The selection: ``w:<term>``, ``e:<entity>``, ``p:<paragraph>``, ``q:<speaker>`` or "".
SELECTED = f"{KEY}_selected"
#: The article the selection belongs to (None until the link's article is known to open).
SELECTED_IN = f"{KEY}_selected_in"
#: Clicks each chart has had, by its widget key: the suffix of its key (a click is consumed
#: once, then the chart starts afresh under a new key).
CLICKS = f"{KEY}_clicks"
#: What the link asked for in vain (notes), and whether its selection and range are still to
#: be checked against its article.
LINK_NOTES, LINK_CHECK = f"{KEY}_link_notes", f"{KEY}_link_check"
#: Whether each lazily drawn expander is open, by its key.
EXPANDED = f"{KEY}_expanded"
#: The reader's corrections to the names, per article: article key -> corrections in order.
CORRECTIONS = f"{KEY}_corrections"
#: The bytes of the articles this session has (added, or read from a link): key ->
#: (bytes, source). The share link carries such an article itself when it fits.
HELD = f"{KEY}_held"
#: How the share link names each held article, by (key, length of the rest of the link):
#: an :class:`~analysis.storage.links.ArticleReference`; and why a held article has no link.
REFERENCES, UNSHARED = f"{KEY}_references", f"{KEY}_unshared"
#: The held articles known to be in the share store.
STORED = f"{KEY}_stored"
#: The page opens at its top on the next run (an article handed over by another page: the
#: browser would keep that page's scroll position, past the tone line).
TO_TOP = f"{KEY}_to_top"
#: Scrolls Streamlit's main area to the top (run in a zero-height frame of the same origin),
#: again while the page draws.
SCROLL_TOP = """<script>
const up = () => {
  const doc = window.parent.document;
  for (const el of doc.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"], section.main')) {
    el.scrollTop = 0;
  }
  window.parent.scrollTo(0, 0);
};
up(); [100, 300, 700, 1500].forEach(ms => setTimeout(up, ms));
</script>"""

# -- the views' keys ---------------------------------------------------------------------------
#: The sidebar: the article picker and "Add an article"; the option groups.
SOURCES, OPTIONS = f"{KEY}_sources", f"{KEY}_options"
#: Above the tabs: the paragraph range slider; what is selected, Clear and Share; the tabs.
RANGE, BAR, TAB = f"{KEY}_range", f"{KEY}_bar", f"{KEY}_tab"
#: The article panel (a custom component).
PANEL = f"{KEY}_panel"
#: The Charts tab's three charts, each with its table.
WORDS, SENTIMENT, ENTITIES = f"{KEY}_words", f"{KEY}_sentiment", f"{KEY}_entities"
#: The other tabs: sentences, sentiment toward entities, quotes, occurrences in context.
SENTENCES, STANCE, QUOTES, CONTEXT = (
    f"{KEY}_sentences",
    f"{KEY}_stance",
    f"{KEY}_quotes",
    f"{KEY}_context",
)
#: Below the tabs: the removed lines, the downloads.
REMOVED, DOWNLOADS = f"{KEY}_removed", f"{KEY}_downloads"

#: The current article's picker (the sources view's widget).
CHOICE = f"{SOURCES}_choice"
#: The switch that analyses the removed lines too (the removed view's widget).
INCLUDE_REMOVED = f"{REMOVED}_include"
#: The option widgets, named for their link parameter: ``article_options_<parameter>``.
OPTION_FIELDS = (
    "top",
    "stop",
    "xstop",
    "lemma",
    "ngram",
    "minlen",
    "model",
    "band",
    "types",
    "mincount",
)
#: The reader's choice to hide terms seen once (None: follow the words per term), which the
#: options view's toggle (``article_options_hideonce``) shows.
HIDEONCE = f"{OPTIONS}_hideonce_choice"
#: The range view's memory: the link's range (applied when its article opens), the article
#: the slider was set for, and the range for the link ((0, 0): every paragraph).
RANGE_WANTED, RANGE_OF, RANGE_SHOWN = f"{RANGE}_wanted", f"{RANGE}_of", f"{RANGE}_shown"
#: The charts a click selects from: chart widget key -> what its points are.
CHART_SELECTS = {
    f"{WORDS}_chart": "word",
    f"{SENTIMENT}_chart": "paragraph",
    f"{ENTITIES}_chart": "entity",
    f"{STANCE}_chart": "entity",
    f"{QUOTES}_chart": "speaker",
}
#: Each tab's label, by its name in the link.
TAB_LABELS = dict(
    zip(TABS, ("Charts", "Sentiment detail", "Entities detail", "Quotes", "Context"), strict=True)
)
LABEL_TABS = {label: tab for tab, label in TAB_LABELS.items()}


def option(name: str):
    """The value of the option widget for link parameter ``name`` (:data:`OPTION_FIELDS`)."""
    return st.session_state[f"{OPTIONS}_{name}"]


def current_article() -> str:
    """The current article's key: a sample's slug or a stored article's key."""
    return st.session_state[CHOICE]


# -- the link ----------------------------------------------------------------------------------


def start_run(seeds: list[Seed], *, history_navigation: bool) -> None:
    """Set the view up for this run: from the link on a session's first run (or back from
    another page: Streamlit forgets the widgets of a page that was not drawn) and on the
    browser's Back and Forward; then an article handed over (:func:`open_article`, an
    added one) becomes the current one."""
    ss = st.session_state
    if READY not in ss or CHOICE not in ss:
        ss[READY] = True
        ss.setdefault(ADDED, {})
        ss.setdefault(CLICKS, {})
        ss.setdefault(HELD, {})
        apply_link(seeds)
    elif history_navigation:
        apply_link(seeds)
    if PENDING in ss:
        ss[CHOICE] = ss.pop(PENDING)
    if ss.pop(TO_TOP, False):
        components.html(SCROLL_TOP, height=0)


def apply_link(seeds: list[Seed]) -> None:
    """Make the URL's view the current one. What the link asks for that is invalid is
    collected in :data:`LINK_NOTES` (the link's selection and range are checked once the
    article is analysed: :data:`LINK_CHECK`)."""
    state, notes = from_query(st.query_params.to_dict())
    ss = st.session_state
    ss[LINK_NOTES] = notes
    ss[LINK_CHECK] = True
    ss[SELECTED] = state.sel
    ss[SELECTED_IN] = None  # set once the linked article is known to open
    slugs = {seed.slug for seed in seeds}
    choice = state.article or (seeds[0].slug if seeds else "")
    if state.text:
        choice = _read_linked_text(state.text) or (seeds[0].slug if seeds else "")
    elif state.article and state.article not in slugs:
        if is_valid_key(state.article):
            ss[ADDED].setdefault(state.article, "Shared article")
        else:
            drop_linked_article(notes, state)
            choice = seeds[0].slug if seeds else ""
    ss[CHOICE] = choice
    ss[TAB] = TAB_LABELS[state.tab]
    for name in OPTION_FIELDS:
        value = getattr(state, name)
        ss[f"{OPTIONS}_{name}"] = list(value) if name == "types" else value
    ss[HIDEONCE] = state.hideonce
    ss[INCLUDE_REMOVED] = state.removed
    ss[RANGE_WANTED] = (state.first, state.last)
    ss[RANGE_OF] = None  # the range slider takes the link's range on this run
    # Kept under the link's own article: if that cannot open, they apply to no other.
    linked = choice if state.text else (state.article or choice)
    if not (state.text and choice in slugs):
        ss.setdefault(CORRECTIONS, {})[linked] = parse_corrections(state.corrections)


def _read_linked_text(payload: str) -> str:
    """Hold the article a link carries and return its key; on a payload that cannot be read
    (damaged, too long, a decompression bomb) say so once, drop the link's selection and range,
    and return "" (the sample is shown). Nothing of the payload is stored."""
    ss = st.session_state
    try:
        linked = decode_article(payload)
    except LinkPayloadError as error:
        ss[FLASH] = ("warning", str(error))
        ss[SELECTED] = ""
        ss[RANGE_WANTED] = (0, 0)
        ss[LINK_CHECK] = False
        return ""
    key = article_key(linked.raw)
    ss.setdefault(HELD, {})[key] = (linked.raw, linked.source)
    ss[ADDED].setdefault(key, "Shared article")
    return key


def drop_linked_article(notes: list[str], state: ViewState | None = None) -> None:
    """The link's article cannot open: say so, and drop what belongs to it (a selection or a
    paragraph range means nothing in another article)."""
    ss = st.session_state
    dropped = []
    if state.sel if state else ss[SELECTED]:
        dropped.append("selection")
    if (state.first or state.last) if state else ss.get(RANGE_WANTED, (0, 0)) != (0, 0):
        dropped.append("paragraph range")
    article = ss.get(CHOICE, "") if state is None else state.article
    reason = (
        "it is not stored on this server (it may come from another NewsLens server)"
        if is_valid_key(article)
        else "it names no sample article and no stored one"
    )
    text = f"this link's article cannot be opened: {reason}; the sample article is shown"
    if dropped:
        text += f" without the link's {' and '.join(dropped)}"
    notes.insert(0, text)
    ss[SELECTED] = ""
    ss[RANGE_WANTED] = (0, 0)
    ss[LINK_CHECK] = False


def check_link(analysis: ArticleAnalysis) -> None:
    """Drop the link's selection and paragraph range when they do not fit its article, with a
    note each; once, on the run that applied the link."""
    ss = st.session_state
    if not ss.pop(LINK_CHECK, False):
        return
    n = len(analysis.article.paragraphs)
    first, last = ss.get(RANGE_WANTED, (0, 0))
    if (first, last) != (0, 0) and not 1 <= first <= last <= n:
        ss[LINK_NOTES].append(
            f"the paragraph range {first} to {last} does not fit this article, which has {n} "
            f"paragraph{'s' if n != 1 else ''}; all paragraphs are shown"
        )
        ss[RANGE_WANTED] = (0, 0)
    kind, value = parse_selection(ss[SELECTED])
    problem = ""
    if kind == "word" and analysis.term_context(value, options=word_options()).empty:
        problem = f"the selected word “{value}” does not occur in this article"
        if option("stop") or option("xstop").strip() or option("lemma"):
            problem += " as counted with the link's word options"
    elif kind == "entity" and not (analysis.mentions["entity"] == value).any():
        problem = f"the selected entity “{value}” does not occur in this article"
    elif kind == "speaker":
        if value not in set(said_by(analysis.quotes)):
            problem = f"“{value}” is not quoted in this article"
    elif kind == "paragraph":
        number = int(value)
        removed = analysed_removed(analysis)
        if number in removed and not ss[INCLUDE_REMOVED]:
            problem = (
                f"the selected removed line {paragraph_label(number, removed=removed)} is not "
                "analysed unless “removed” is 1 (analyse the removed lines too)"
            )
        elif number > n and number not in removed:
            problem = f"the selected paragraph {number} does not exist: this article has {n}"
    if problem:
        ss[LINK_NOTES].append(problem)
        ss[SELECTED] = ""


def link_notes() -> list[str]:
    """What the link asked for in vain, once (the list is emptied)."""
    return st.session_state.pop(LINK_NOTES, [])


def current_view() -> ViewState:
    """The view as the widgets hold it: what the share link carries. A held article
    (:data:`HELD`) travels in the link itself when the whole link stays within
    :data:`~analysis.storage.links.LINK_MAX_CHARS` (``text``), else by its key (``article``),
    stored then in the share store (once per session)."""
    view = _widget_view()
    held = st.session_state.get(HELD, {}).get(view.article)
    if held is None:
        return view
    reference = article_reference_of(view, *held)
    if reference.carries == "text":
        return replace(view, article="", text=reference.value)
    _store_held(view.article, *held)
    return view


def app_address() -> str:
    """The app's address without its query string ("" when Streamlit does not say)."""
    try:
        return (st.context.url or "").split("?")[0]
    except AttributeError:  # older Streamlit: no st.context.url
        return ""


def article_reference_of(view: ViewState, raw: bytes, source: str | None) -> ArticleReference:
    """How the share link of ``view`` names its article ``raw``: the
    :class:`~analysis.storage.links.ArticleReference` for a link of this app's address and
    the view's other parameters (remembered per article and link length)."""
    rest = urlencode(to_query(replace(view, article="")))
    # address + "?" + the other parameters + "&" + "text="
    length = len(app_address()) + 1 + len(rest) + (1 if rest else 0) + len("text=")
    memo = st.session_state.setdefault(REFERENCES, {})
    if (view.article, length) not in memo:
        memo[(view.article, length)] = article_reference(raw, source=source, link_length=length)
    return memo[(view.article, length)]


def _store_held(key: str, raw: bytes, source: str | None) -> None:
    """Store a held article whose link needs its key; on failure say why at the link."""
    ss = st.session_state
    stored = ss.setdefault(STORED, set())
    # Tried once per session: an unreachable database would otherwise hold up every run.
    if key in stored or key in ss.get(UNSHARED, {}):
        return
    try:
        load_store().put(raw, source=source)
    except ArticleError as error:
        ss.setdefault(UNSHARED, {})[key] = str(error)
        return
    stored.add(key)


def unshared_reason(key: str) -> str:
    """Why the article ``key`` has no working link ("" when it has one)."""
    return st.session_state.get(UNSHARED, {}).get(key, "")


def _widget_view() -> ViewState:
    ss = st.session_state
    first, last = ss.get(RANGE_SHOWN, (0, 0))
    return ViewState(
        article=ss[CHOICE],
        tab=LABEL_TABS.get(ss.get(TAB, ""), "words"),
        top=option("top"),
        stop=option("stop"),
        xstop=option("xstop").strip(),
        lemma=option("lemma"),
        ngram=option("ngram"),
        hideonce=ss[HIDEONCE],
        minlen=option("minlen"),
        model=option("model"),
        band=option("band"),
        types=tuple(t for t in ENTITY_TYPES if t in option("types")),
        mincount=option("mincount"),
        first=first,
        last=last,
        sel=ss[SELECTED],
        removed=ss[INCLUDE_REMOVED],
        corrections=format_corrections(corrections()),
    )


def corrections() -> tuple[Correction, ...]:
    """The reader's corrections to the current article's names, in the order made."""
    ss = st.session_state
    return ss.get(CORRECTIONS, {}).get(ss[CHOICE], ())


def set_corrections(items: tuple[Correction, ...]) -> None:
    """Make ``items`` the current article's corrections."""
    ss = st.session_state
    ss.setdefault(CORRECTIONS, {})[ss[CHOICE]] = tuple(items)


def word_options() -> WordOptions:
    """How words are counted, as the Words options say."""
    return WordOptions(
        stop_words=option("stop"),
        extra_stop_words=parse_stop_words(option("xstop")),
        lemmas=option("lemma"),
        min_length=option("minlen"),
        ngram=option("ngram"),
    )


# -- the current article -----------------------------------------------------------------------


def load_current(seeds: list[Seed]) -> tuple[bytes, str] | None:
    """The current article's bytes and source. Runs before the article picker exists, so
    that an unknown or malformed link can fall back to the first sample article.

    Returns:
        (bytes, source), or None when there is no article at all.
    """
    ss = st.session_state
    for seed in seeds:
        if seed.slug == ss[CHOICE]:
            return seed.path.read_bytes(), seed.path.name
    held = ss.setdefault(HELD, {}).get(ss[CHOICE])
    if held is not None:
        return held[0], held[1] or "shared article"
    try:
        stored = load_store().get(ss[CHOICE])
    except ArticleError:
        # Only a link names an article that is not stored (or no longer is).
        drop_linked_article(ss.setdefault(LINK_NOTES, []))
        ss[ADDED].pop(ss[CHOICE], None)
        if not seeds:
            return None
        ss[CHOICE] = seeds[0].slug
        return seeds[0].path.read_bytes(), seeds[0].path.name
    # Held from now on: its link carries it when it fits (a link that outlives the store).
    ss[HELD][ss[CHOICE]] = (stored.raw, stored.source)
    ss.setdefault(STORED, set()).add(ss[CHOICE])
    return stored.raw, stored.source or "shared article"


def settle_article(analysis: ArticleAnalysis | None, *, failed: bool) -> None:
    """After the current article is known: a selection belongs to its article (another
    article starts with none; the link's own selection is kept when the link's article
    opens), and a shared article is listed by its title once it is read."""
    ss = st.session_state
    if ss[SELECTED_IN] is None and not failed:
        ss[SELECTED_IN] = ss[CHOICE]
    if ss[SELECTED_IN] != ss[CHOICE]:
        ss[SELECTED] = ""
        ss[SELECTED_IN] = ss[CHOICE]
    if analysis is not None and ss[ADDED].get(ss[CHOICE]) == "Shared article":
        ss[ADDED][ss[CHOICE]] = analysis.article.title or "Shared article"


def added_articles() -> dict[str, str]:
    """The articles added in this session: key -> title."""
    return st.session_state[ADDED]


def add_article(key: str, title: str, *, flash: tuple[str, str] | None = None) -> None:
    """List an article stored under ``key`` by ``title`` and make it current on the next run,
    with a message to show then."""
    ss = st.session_state
    ss.setdefault(ADDED, {})[key] = title
    ss[PENDING] = key
    if flash is not None:
        ss[FLASH] = flash


def flash(level: str, message: str) -> None:
    """Show ``st.<level>(message)`` on the next run."""
    st.session_state[FLASH] = (level, message)


def take_flash() -> tuple[str, str] | None:
    return st.session_state.pop(FLASH, None)


def hold_article(raw: bytes, *, source: str | None) -> str:
    """Keep an article's bytes in this session (its link carries it, or stores it when it is
    too long: :func:`current_view`).

    Returns:
        its key (:func:`analysis.storage.shares.article_key`).
    """
    key = article_key(raw)
    st.session_state.setdefault(HELD, {})[key] = (raw, source)
    return key


def open_article(
    raw: bytes, *, source: str, title: str, corrections: Sequence[Correction] = ()
) -> bool:
    """Another page's way to open an article here: the session holds it (so that the page's
    link reopens it) and it becomes the current article on the page's next run; the caller
    then switches to the page.

    Args:
        corrections: corrections to its names made elsewhere (the corpus's): they join the
            reader's own for this article (each once), listed with Undo under the entities
            chart, and a message says so.

    Returns:
        True.
    """
    key = hold_article(raw, source=source)
    message = None
    if corrections:
        ss = st.session_state
        own = ss.setdefault(CORRECTIONS, {}).get(key, ())
        added = tuple(item for item in corrections if item not in own)
        ss[CORRECTIONS][key] = own + added
        if added:
            count = "correction" if len(added) == 1 else f"{len(added)} corrections"
            message = (
                "info",
                f"The corpus's {count} to this article's names "
                f"{'is' if len(added) == 1 else 'are'} applied here too; "
                "undo any under the entities chart.",
            )
    add_article(key, title, flash=message)
    st.session_state[TO_TOP] = True
    return True


# -- the selection -----------------------------------------------------------------------------


def chart_key(chart: str) -> str:
    """The widget key of chart ``chart`` (a key of :data:`CHART_SELECTS`) in this run."""
    generation = st.session_state[CLICKS].get(chart, 0)
    return chart if generation == 0 else f"{chart}_{generation}"


def _clicked_selection(kind: str, point: dict) -> str:
    data = point.get("customdata")
    if kind == "paragraph":
        value = data[0] if isinstance(data, (list, tuple)) and data else point.get("x")
        # The x labels: "H" for the headline, "R9" for a removed line, "3" for paragraph 3.
        number = paragraph_number(value)
        return f"p:{number}" if number is not None else ""
    if isinstance(data, (list, tuple)):
        data = data[0] if data else None
    value = data if data is not None else point.get("y")
    prefix = {"word": "w:", "speaker": "q:"}.get(kind, "e:")
    return prefix + str(value) if value is not None else ""


def take_clicks() -> None:
    """A click on a bar selects its word, entity, speaker or paragraph; a click on what is
    already selected deselects it.

    A click is consumed once: the chart then gets a new key, so that its widget starts with no
    selection. (Keeping Plotly's own selection would not work: Streamlit resets it whenever
    the figure changes, for instance when an option redraws the chart, and the emptied
    selection it then reports is not the user's doing.)"""
    from dashboard.widgets import selected_points

    ss = st.session_state
    for chart, kind in CHART_SELECTS.items():
        points = selected_points(ss.get(chart_key(chart)))
        if not points:
            continue
        chosen = _clicked_selection(kind, points[0])
        ss[SELECTED] = "" if chosen == ss[SELECTED] else chosen
        ss[CLICKS][chart] = ss[CLICKS].get(chart, 0) + 1


def toggle_selection(chosen: str) -> None:
    """Select ``chosen``; deselect it when it is already selected."""
    ss = st.session_state
    ss[SELECTED] = "" if chosen == ss[SELECTED] else chosen


def clear_selection() -> None:
    st.session_state[SELECTED] = ""
