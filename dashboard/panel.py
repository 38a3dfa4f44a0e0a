"""The article panel as a Streamlit custom component (Components v2: no iframe).

It shows the markup that :func:`dashboard.render.article_html` built (escaped there), scrolls to
the first highlighted occurrence (``mark.nl-hit``), steps through them with a "‹ 3 of 12 ›" bar
(or n / p and the left and right arrow keys while the panel has focus), and reports a click on an
entity (``span.nl-ent``, its ``data-entity``), a word of the text or a paragraph number as a
one-time trigger, read back here as a :class:`PanelClick`.

The panel is as tall as the viewport below ``top`` and sticks there while the page scrolls, so
the article and the charts beside it are both usable without a box taller than the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import streamlit as st

from dashboard.render import CSS as ARTICLE_CSS

#: The one trigger the component sets: ``{"kind": ..., "value": ...}``.
EVENT = "select"
KINDS = ("entity", "word", "paragraph")
#: Selection prefixes of :func:`dashboard.article.link.parse_selection`, per kind.
PREFIXES = {"entity": "e", "word": "w", "paragraph": "p"}
#: Streamlit's header is 3.75rem high; the panel sticks below it with a small gap.
DEFAULT_TOP = 72
MAX_VALUE_CHARS = 200

HTML = """
<section class="nl-panel" aria-label="Article">
  <div class="nl-panel-bar" role="toolbar" aria-label="Highlighted occurrences">
    <button type="button" class="nl-step" data-step="-1"
            aria-label="Previous occurrence" title="Previous occurrence (p)">‹</button>
    <span class="nl-count" aria-live="polite"></span>
    <button type="button" class="nl-step" data-step="1"
            aria-label="Next occurrence" title="Next occurrence (n)">›</button>
    <span class="nl-hint">Click a name, a word or a paragraph number to select it.</span>
  </div>
  <div class="nl-scroll" tabindex="0" aria-label="Article text"><div class="nl-body"></div></div>
</section>
"""

PANEL_CSS = """
.nl-panel { display: flex; flex-direction: column; box-sizing: border-box;
            height: var(--nl-height, calc(100vh - var(--nl-top, 72px) - 1rem));
            min-height: 18rem; }
.nl-panel-bar { display: flex; align-items: center; gap: .35rem; flex: 0 0 auto;
                padding: .2rem 0 .4rem 0; font-size: .85rem; color: #5b6572; }
.nl-step { font: inherit; font-size: 1.1rem; line-height: 1; min-width: 2rem; min-height: 1.8rem;
           border: 1px solid #c5ccd6; border-radius: 4px; background: #fff; color: #1c2430;
           cursor: pointer; }
.nl-step:disabled { opacity: .4; cursor: default; }
.nl-step:focus-visible, .nl-scroll:focus-visible { outline: 2px solid #2f6db5;
                                                   outline-offset: 1px; }
.nl-count { min-width: 5.5rem; text-align: center; font-variant-numeric: tabular-nums;
            color: #1c2430; }
.nl-hint { margin-left: auto; font-size: .78rem; }
.nl-scroll { flex: 1 1 auto; overflow-y: auto; overscroll-behavior: contain;
             padding-right: .4rem; border-top: 1px solid #e3e7ec; padding-top: .5rem; }
.nl-body .nl-ent { cursor: pointer; }
.nl-body .nl-num { cursor: pointer; }
.nl-body .nl-hit.nl-current { background: #ff9f1c; box-shadow: 0 0 0 2px #8a4b00; }
/* The column that holds the panel sticks below the header while the other column scrolls. */
[data-testid="stColumn"]:has(.nl-panel) { position: sticky; top: var(--nl-top, 72px);
                                          align-self: flex-start; }
/* Streamlit leaves 10rem below the page; with it, the end of the page would push the sticky
   column up under the header. */
[data-testid="stMainBlockContainer"]:has(.nl-panel) { padding-bottom: 1rem; }
"""

JS = r"""
const PLACES = new Map();  // per Python key: where the reader was, across remounts
const ROOTS = new WeakMap();
const BOTTOM = 16;  // the 1rem left below the panel (and below the page)
const ALLOWED_TAGS = new Set(["DIV", "SPAN", "MARK", "H2", "H3", "TIME", "I", "B", "EM",
                              "STRONG", "P", "BR", "SECTION"]);
const ALLOWED_ATTRS = /^(class|id|title|datetime|data-[a-z-]+|aria-[a-z-]+)$/;
const SAFE_STYLE = /^(\s*(--[a-z-]+|background|color)\s*:\s*#[0-9a-fA-F]{3,8}\s*;?)+\s*$/;
const WORD = /[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*/gu;

// The markup is escaped in Python; this only guards against a mistake there: anything that is
// not the panel's own vocabulary (scripts, images, links, event handlers, layout styles) is
// dropped before the nodes reach the page.
function clean(node) {
  for (const child of Array.from(node.children)) {
    if (!ALLOWED_TAGS.has(child.tagName)) { child.remove(); continue; }
    for (const attr of Array.from(child.attributes)) {
      const ok = attr.name === "style" ? SAFE_STYLE.test(attr.value) : ALLOWED_ATTRS.test(attr.name);
      if (!ok) child.removeAttribute(attr.name);
    }
    clean(child);
  }
}

function parse(markup) {
  const template = document.createElement("template");
  template.innerHTML = markup;  // inert: nothing in a template's content runs or loads
  clean(template.content);
  return template.content;
}

// Occurrences: runs of marks with no text between them are one occurrence (a hit that crosses
// an entity's underline is cut into several marks).
function occurrences(body) {
  const groups = [];
  const range = document.createRange();
  for (const mark of body.querySelectorAll("mark.nl-hit")) {
    const last = groups.at(-1);
    if (last) {
      range.setStartAfter(last.at(-1));
      range.setEndBefore(mark);
      if (range.toString() === "") { last.push(mark); continue; }
    }
    groups.push([mark]);
  }
  return groups;
}

function signature(groups) {
  return groups.map(group => {
    const paragraph = group[0].closest("[data-paragraph]");
    return (paragraph ? paragraph.dataset.paragraph : "h") + ":" +
      group.map(mark => mark.textContent).join("");
  }).join("\u0001");
}

function scrollToElement(scroller, element) {
  const box = element.getBoundingClientRect(), view = scroller.getBoundingClientRect();
  scroller.scrollTop += box.top - view.top - view.height / 3;
}

function wordAt(event) {
  let node = null, offset = 0;
  if (document.caretPositionFromPoint) {
    const position = document.caretPositionFromPoint(event.clientX, event.clientY);
    if (position) { node = position.offsetNode; offset = position.offset; }
  } else if (document.caretRangeFromPoint) {
    const range = document.caretRangeFromPoint(event.clientX, event.clientY);
    if (range) { node = range.startContainer; offset = range.startOffset; }
  }
  if (!node || node.nodeType !== Node.TEXT_NODE) return null;
  for (const match of node.data.matchAll(WORD)) {
    const start = match.index, end = start + match[0].length;
    if (offset < start || offset > end) continue;
    // The caret lands on the nearest character even beside the text: keep only a click that
    // falls on the word itself.
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    for (const rect of range.getClientRects()) {
      if (event.clientX >= rect.left && event.clientX <= rect.right &&
          event.clientY >= rect.top && event.clientY <= rect.bottom) {
        return {text: match[0], node, start};
      }
    }
  }
  return null;
}

function clickValue(event) {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return null;
  const number = target.closest(".nl-num");
  if (number) {
    const paragraph = number.closest("[data-paragraph]");
    return paragraph ? {kind: "paragraph", value: Number(paragraph.dataset.paragraph)} : null;
  }
  const entity = target.closest(".nl-ent");
  if (entity) {
    return {kind: "entity", value: entity.dataset.entity ?? entity.textContent.trim()};
  }
  if (!target.closest(".nl-text, h2")) return null;
  const word = wordAt(event);
  if (!word) return null;
  // Where the word starts in its paragraph's text, so that Python can find the token (its
  // lemma, whether it is counted) rather than guess from the spelling.
  const holder = word.node.parentElement.closest(".nl-text, h2");
  const before = document.createRange();
  before.setStart(holder, 0);
  before.setEnd(word.node, word.start);
  const paragraph = holder.closest("[data-paragraph]");
  return {kind: "word", value: word.text.toLowerCase(), start: before.toString().length,
          paragraph: paragraph ? Number(paragraph.dataset.paragraph) : 0};
}

function setup(root) {
  const state = {
    root,
    bar: root.querySelector(".nl-panel-bar"),
    count: root.querySelector(".nl-count"),
    prev: root.querySelector('[data-step="-1"]'),
    next: root.querySelector('[data-step="1"]'),
    scroller: root.querySelector(".nl-scroll"),
    body: root.querySelector(".nl-body"),
    groups: [], index: 0, key: "", markup: null, selected: null, trigger: null, top: 0,
  };
  state.bar.addEventListener("click", event => {
    const button = event.target instanceof Element && event.target.closest("[data-step]");
    if (button && !button.disabled) step(state, Number(button.dataset.step));
  });
  root.addEventListener("keydown", event => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const forward = event.key === "n" || event.key === "ArrowRight";
    const back = event.key === "p" || event.key === "ArrowLeft";
    if (!forward && !back) return;
    event.preventDefault();
    step(state, forward ? 1 : -1);
  });
  state.body.addEventListener("click", event => {
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed) return;  // the reader is selecting text to copy
    const value = clickValue(event);
    if (value && state.trigger) state.trigger("select", value);
  });
  // The panel fills the viewport from where it starts (lower while the page is at its top,
  // at --nl-top once its column sticks), so that its bottom is never below the screen.
  let frame = 0;
  const fit = () => {
    frame = 0;
    if (!root.isConnected) return;
    const top = Math.max(root.getBoundingClientRect().top, state.top);
    root.style.setProperty("--nl-height", `${Math.max(0, window.innerHeight - top - BOTTOM)}px`);
  };
  state.fit = () => { if (!frame) frame = requestAnimationFrame(fit); };
  state.fitNow = fit;
  document.addEventListener("scroll", state.fit, {capture: true, passive: true});
  window.addEventListener("resize", state.fit, {passive: true});
  state.cleanup = () => {
    document.removeEventListener("scroll", state.fit, {capture: true});
    window.removeEventListener("resize", state.fit);
    ROOTS.delete(root);
  };
  return state;
}

function show(state, { scroll }) {
  const total = state.groups.length;
  state.body.querySelectorAll("mark.nl-current").forEach(mark => {
    mark.classList.remove("nl-current");
    mark.removeAttribute("aria-current");
  });
  state.prev.disabled = state.next.disabled = total < 2;
  state.count.textContent = total ? `${state.index + 1} of ${total}` : "No highlights";
  if (!total) return;
  const group = state.groups[state.index];
  for (const mark of group) {
    mark.classList.add("nl-current");
    mark.setAttribute("aria-current", "true");
  }
  if (scroll) scrollToElement(state.scroller, group[0]);
}

function step(state, delta) {
  const total = state.groups.length;
  if (!total) return;
  state.index = (state.index + delta + total) % total;
  PLACES.set(state.key, {signature: state.signature, index: state.index});
  show(state, {scroll: true});
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const root = parentElement.querySelector(".nl-panel");
  if (!root || !data) return;
  let state = ROOTS.get(root);
  if (!state) { state = setup(root); ROOTS.set(root, state); }
  state.trigger = setTriggerValue;
  state.key = String(data.key ?? "");
  state.top = Number(data.top) || 0;
  root.style.setProperty("--nl-top", `${state.top}px`);
  root.closest('[data-testid="stColumn"]')?.style.setProperty("--nl-top", `${state.top}px`);
  state.fitNow();  // before scrolling: the scroll position depends on the panel's height
  if (data.markup !== state.markup) {
    state.body.replaceChildren(parse(String(data.markup ?? "")));
    state.markup = data.markup;
  }
  state.groups = occurrences(state.body);
  state.signature = signature(state.groups);
  const place = PLACES.get(state.key);
  const same = place && place.signature === state.signature && place.index < state.groups.length;
  state.index = same ? place.index : 0;
  PLACES.set(state.key, {signature: state.signature, index: state.index});
  show(state, {scroll: !same});
  const selected = state.body.querySelector(".nl-selected");
  const selectedId = selected ? selected.id : null;
  if (!state.groups.length && selected && selectedId !== state.selected) {
    scrollToElement(state.scroller, selected);
  }
  state.selected = selectedId;
  return state.cleanup;
}
"""

_article_panel = st.components.v2.component(
    "newslens_article_panel",
    html=HTML,
    css=ARTICLE_CSS + PANEL_CSS,
    js=JS,
    isolate_styles=False,
)


class PanelClick(NamedTuple):
    """What the reader clicked in the panel: ``kind`` is "entity", "word" or "paragraph";
    ``value`` the entity's canonical name, the word case-folded, or the paragraph number. For a
    word, ``paragraph`` (0 for the headline) and ``start`` (its character offset in that
    paragraph's text) say which occurrence it was; ``None`` otherwise."""

    kind: str
    value: str
    paragraph: int | None = None
    start: int | None = None

    @property
    def selection(self) -> str:
        """The click as the app's selection string: "e:Gaza", "w:gaza", "p:3"."""
        return f"{PREFIXES[self.kind]}:{self.value}"


def panel_data(markup: str, *, key: str, top: int = DEFAULT_TOP) -> dict[str, Any]:
    """What the component receives on each run.

    Returns:
        ``{"markup": markup, "key": key, "top": top}``: the article markup (already escaped by
        :func:`dashboard.render.article_html`), the Python key (the panel keeps the reader's
        place per key) and the pixels from the top of the window at which the panel sticks.
    """
    return {"markup": markup, "key": key, "top": int(top)}


def click_from(value: object) -> PanelClick | None:
    """A trigger value from the component as a :class:`PanelClick`; ``None`` for no click or a
    value that is not one (wrong kind, empty, a paragraph number that is not one, too long).

    Returns:
        ``PanelClick("word", "gaza", 3, 17)`` for ``{"kind": "word", "value": "Gaza",
        "paragraph": 3, "start": 17}`` (words are case-folded and stripped, and keep a
        position only when both numbers are whole and not negative; paragraphs come back as
        their number in digits).
    """
    if not isinstance(value, dict):
        return None
    kind, raw = value.get("kind"), value.get("value")
    if kind not in KINDS:
        return None
    if kind == "paragraph":
        if isinstance(raw, bool) or not isinstance(raw, (int, str)):
            return None
        text = str(raw).strip()
        return PanelClick(kind, str(int(text))) if text.isdigit() else None
    if not isinstance(raw, str):
        return None
    text = " ".join(raw.split())
    if not text or len(text) > MAX_VALUE_CHARS:
        return None
    if kind != "word":
        return PanelClick(kind, text)
    paragraph, start = value.get("paragraph"), value.get("start")
    if not all(type(n) is int and n >= 0 for n in (paragraph, start)):
        paragraph = start = None
    return PanelClick(kind, text.casefold(), paragraph, start)


def session_click(key: str) -> PanelClick | None:
    """The click the panel of widget ``key`` reported in this run (for an ``on_select``
    callback, which runs before the script); ``None`` if it reported none."""
    state = st.session_state.get(key)
    return click_from(state.get(EVENT)) if isinstance(state, dict) else None


def render_article_panel(
    markup: str,
    *,
    key: str = "article_panel",
    top: int = DEFAULT_TOP,
    on_select: Callable[[PanelClick], None] | None = None,
) -> PanelClick | None:
    """Mount the article panel showing ``markup`` (from :func:`dashboard.render.article_html`,
    legend included if wanted) as widget ``key``.

    ``on_select`` is called with the click before the script reruns, like a widget callback,
    so that what it selects is drawn by that same run.

    Returns:
        The click that caused this run, or ``None``.
    """

    def changed() -> None:
        click = session_click(key)
        if click is not None and on_select is not None:
            on_select(click)

    result = _article_panel(
        key=key, data=panel_data(markup, key=key, top=top), on_select_change=changed
    )
    return click_from(result.get(EVENT))


def selection_for_click(click: PanelClick, tokens, *, lemmas: bool = False) -> str:
    """The selection a click in the article makes (``e:``, ``p:`` or ``w:``): a name its
    entity, a paragraph number its paragraph, a word the term it counts as (its case-folded
    form, or its lemma when lemmas are counted), found in ``tokens`` (the token table) by the
    click's paragraph and offset."""
    if click.kind == "word" and click.start is not None:
        at = tokens[
            (tokens["paragraph"] == click.paragraph)
            & (tokens["start"] <= click.start)
            & (tokens["end"] > click.start)
        ]
        if not at.empty:
            return "w:" + str(at["lemma" if lemmas else "norm"].iat[0])
    return click.selection
