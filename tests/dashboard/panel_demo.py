"""A small Streamlit page mounting the article panel, for the browser tests and for trying
layouts: ``streamlit run tests/dashboard/panel_demo.py`` then open ``/?layout=...&mode=...``.

- ``layout``: ``sticky`` (the panel fills the viewport below the header and its column sticks
  while the charts column scrolls with the page), ``panes`` (both columns fill the viewport and
  scroll on their own; the page does not scroll) or ``box`` (today's 760-pixel container).
- ``mode``: ``component`` (the panel) or ``html`` (today's ``st.html`` in a container), to
  compare the cost of a rerun.
- ``sel``: the first selection, ``w:<word>``, ``e:<entity>`` or ``p:<paragraph>``.
- ``raw=1``: adds a paragraph of unescaped markup (tests that the panel drops it).

The article is made up for these tests; its markup is built here the way
:func:`dashboard.render.article_html` builds it, plus ``data-entity`` on entity spans.
"""

from __future__ import annotations

import html
import re
import time

import plotly.graph_objects as go
import streamlit as st

from dashboard.panel import render_article_panel
from dashboard.render import ENTITY_COLOURS, SENTIMENT_COLOURS, legend_html, page_html

HEADLINE = "Harbour Towns Argue Over the Future of the Night Ferry"
#: (text, label) of each entity, longest first so that a longer name wins over a shorter one.
ENTITIES = (
    ("Northern Ferry Company", "ORG"),
    ("Mara Olsen", "PERSON"),
    ("Port Hallow", "GPE"),
    ("Ostrel", "GPE"),
    ("Olsen", "PERSON"),
)
CANONICAL = {"Olsen": "Mara Olsen"}
HOSTILE = (
    "A reader wrote <script>window.__pwned=1</script> and <img src=x "
    'onerror="window.__pwned=2"> into a comment about the ferry.'
)
OPENING = [
    "The Northern Ferry Company said on Tuesday that the night ferry between Port Hallow and "
    "Ostrel would stop in the spring unless both towns paid for a new boat.",
    "Mara Olsen, who chairs the council of Port Hallow, called the plan a threat to the "
    "fishing families who cross every evening.",
]
FILLER = [
    "Ticket sales on the night ferry fell by a third over two winters, the company said, while "
    "fuel and repairs cost more each year.",
    "Residents of Ostrel said the road around the bay takes three hours and closes when storms "
    "come in from the west.",
    "Olsen said the council would ask the regional assembly for a grant before the summer.",
    "The Northern Ferry Company has run the crossing for forty years and owns the two piers.",
    "Shop owners in Port Hallow said evening visitors from Ostrel keep their doors open in the "
    "quiet months.",
    "A spokesman for the company said talks would continue and that no crew would lose work "
    "this year.",
]
TAIL = "The ferry will keep its winter timetable until the talks end, the company said."


def paragraphs() -> list[str]:
    body = OPENING + [FILLER[i % len(FILLER)] for i in range(22)]
    body.insert(4, HOSTILE)
    return [*body, TAIL]


def _spans(text: str, hit: str) -> list[tuple[int, int, str, str, bool]]:
    """(start, end, label, entity, is_hit) of the entity mentions and the hits in ``text``."""
    spans, taken = [], []
    for name, label in ENTITIES:
        for match in re.finditer(rf"\b{re.escape(name)}\b", text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            taken.append(match.span())
            spans.append((match.start(), match.end(), label, CANONICAL.get(name, name), False))
    kind, _, value = hit.partition(":")
    if kind == "w" and value:
        for match in re.finditer(rf"\b{re.escape(value)}\b", text, flags=re.IGNORECASE):
            spans.append((match.start(), match.end(), "", "", True))
    elif kind == "e" and value:
        spans += [(s, e, "", "", True) for s, e, _, entity, _ in list(spans) if entity == value]
    return spans


def _pieces(text: str, spans) -> str:
    cuts = sorted({0, len(text), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    out = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        piece = html.escape(text[left:right])
        active = [span for span in spans if span[0] <= left and right <= span[1]]
        entity = next((span for span in active if span[2]), None)
        if entity:
            piece = (
                f'<span class="nl-ent" style="--ent:{ENTITY_COLOURS[entity[2]]}" '
                f'title="{html.escape(entity[2])}" '
                f'data-entity="{html.escape(entity[3])}">{piece}</span>'
            )
        if any(span[4] for span in active):
            piece = f'<mark class="nl-hit">{piece}</mark>'
        out.append(piece)
    return "".join(out)


def markup(selection: str, *, run: int = 0, raw: bool = False) -> str:
    kind, _, value = selection.partition(":")
    selected = int(value) if kind == "p" and value.isdigit() else None
    parts = [
        '<div class="nl-article">',
        f'<h2 id="nl-p0">{_pieces(HEADLINE, _spans(HEADLINE, selection))}</h2>',
        # The run number changes the markup on every run and leaves the hits as they are,
        # as the app's options do (a model's marks, an entity type's underlines).
        f'<div class="nl-meta">By Test Writer · Source: panel demo · run {run}</div>',
    ]
    for number, text in enumerate(paragraphs(), start=1):
        chosen = " nl-selected" if number == selected else ""
        parts.append(
            f'<div class="nl-p{chosen}" id="nl-p{number}" data-paragraph="{number}">'
            f'<span class="nl-num" style="--mark:{SENTIMENT_COLOURS["neutral"]}">{number}'
            '<span class="nl-sign" aria-hidden="true">○</span></span>'
            f'<span class="nl-text">{_pieces(text, _spans(text, selection))}</span></div>'
        )
    if raw:
        # What a bug in the markup builder would send: the panel must drop it, not run it.
        parts.append(
            '<div class="nl-p" id="nl-p99" data-paragraph="99"><span class="nl-text">'
            'Unescaped:<img src=x onerror="window.__pwned=7"><script>window.__pwned=8'
            '</script> and <b onclick="window.__pwned=9" style="position:fixed;inset:0">'
            "bold</b>.</span></div>"
        )
    parts.append("</div>")
    return "".join(parts)


LAYOUT_CSS = {
    "sticky": "",
    # Both columns fill the viewport below the tone line and scroll on their own; the page
    # itself does not scroll (the offset is this page's: header plus the tone line).
    "panes": """
.st-key-demo_right { height: calc(100vh - 140px - 16px); overflow-y: auto; flex-wrap: nowrap;
                     padding-right: .5rem; }
.st-key-demo_right > * { flex-shrink: 0; }
""",
    "box": "",
}


def _select(selection: str) -> None:
    ss = st.session_state
    ss.sel = "" if selection == ss.sel else selection


def _chart_clicked() -> None:
    event = st.session_state.get(f"demo_entities_{st.session_state.generation}")
    points = (event or {}).get("selection", {}).get("points", [])
    if points:
        _select(f"e:{points[0]['y']}")
        st.session_state.generation += 1


def main() -> None:
    st.set_page_config(page_title="Panel demo", layout="wide")
    ss = st.session_state
    params = st.query_params
    layout = params.get("layout", "sticky")
    mode = params.get("mode", "component")
    ss.setdefault("sel", params.get("sel", ""))
    ss.setdefault("generation", 0)
    ss.setdefault("clicks", [])
    ss.runs = ss.get("runs", 0) + 1
    if LAYOUT_CSS.get(layout):
        st.html(f"<style>{LAYOUT_CSS[layout]}</style>")

    st.markdown("**Overall tone:** a line of text above the two columns, as in the app.")
    left, right = st.columns([0.95, 1.05], gap="large")
    with right, st.container(key="demo_right"):
        status = st.empty()
        bar = st.container(horizontal=True, vertical_alignment="center")
        bar.markdown(f"**Selected:** `{ss.sel or 'nothing'}`")
        bar.button("Select “ferry”", key="demo_word", on_click=_select, args=("w:ferry",))
        bar.button("Select Olsen", key="demo_entity", on_click=_select, args=("e:Mara Olsen",))
        bar.button("Rerun", key="demo_rerun")
        counts = {
            name: 0 for name in ("Mara Olsen", "Northern Ferry Company", "Port Hallow", "Ostrel")
        }
        for text in [HEADLINE, *paragraphs()]:
            for _, _, label, entity, hit in _spans(text, ""):
                if label and not hit:
                    counts[entity] += 1
        figure = go.Figure(go.Bar(x=list(counts.values()), y=list(counts), orientation="h"))
        figure.update_layout(
            height=360, margin={"l": 10, "r": 10, "t": 30, "b": 10}, title="Entities"
        )
        st.plotly_chart(
            figure,
            key=f"demo_entities_{ss.generation}",
            on_select=_chart_clicked,
            selection_mode="points",
        )
        for name in ("Words", "Sentiment per paragraph"):
            other = go.Figure(go.Bar(x=list(range(1, 13)), y=[(i * 7) % 11 for i in range(12)]))
            other.update_layout(height=360, margin={"l": 10, "r": 10, "t": 30, "b": 10}, title=name)
            st.plotly_chart(other, key=f"demo_{name}")
        st.caption("The end of the charts column.")

    with left:
        body = legend_html(["PERSON", "GPE", "ORG"]) + markup(
            ss.sel, run=ss.runs, raw=params.get("raw") == "1"
        )
        start = time.perf_counter()
        if mode == "html":
            with st.container(height=760, border=False, key="article_panel"):
                st.html(page_html(body))
        else:
            click = render_article_panel(
                body, key="article_panel", on_select=lambda c: _select(c.selection)
            )
            if click is not None:
                ss.clicks.append(click)
        mount_ms = 1000 * (time.perf_counter() - start)
    last = ss.clicks[-1] if ss.clicks else None
    with status.container():
        where = (
            f" (paragraph {last.paragraph} at {last.start})"
            if last and last.start is not None
            else ""
        )
        st.write(f"Last click: {last.kind} = {last.value}{where}" if last else "Last click: none")
        st.caption(f"Panel mounted in {mount_ms:.2f} ms")


main()
