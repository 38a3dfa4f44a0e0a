"""Corpus paragraphs as a reader sees them: each with its article's title, outlet and date,
the mentions behind a chart's point highlighted (:func:`render_paragraphs`), and the pure
pieces that find and mark them (:func:`term_spans`, :func:`highlight_html`)."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dashboard.corpus import charts as corpus_charts
from dashboard.corpus.link import parse_item
from dashboard.render import CSS


def term_spans(text: str, term: str) -> list[tuple[int, int]]:
    """Where ``term`` occurs in ``text`` as a whole word, case-insensitive.

    Returns:
        (start, end) character offsets, in order.
    """
    pattern = re.compile(rf"(?<![^\W\d_]){re.escape(term)}(?![^\W\d_])", re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def highlight_html(text: str, spans: Sequence[Sequence[int]]) -> str:
    """``text`` HTML-escaped, with each (start, end) span in ``<mark class="nl-hit">``;
    overlapping spans are merged."""
    merged: list[list[int]] = []
    for start, end in sorted((max(0, int(s)), min(len(text), int(e))) for s, e in spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, at = [], 0
    for start, end in merged:
        out.append(html.escape(text[at:start]))
        out.append(f'<mark class="nl-hit">{html.escape(text[start:end])}</mark>')
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


def paragraph_spans(row) -> list[tuple[int, int]]:
    """Entity spans of a :func:`analysis.storage.corpus.queries.mention_paragraphs` row plus
    the spans of its terms."""
    spans = [(int(s), int(e)) for s, e in row.spans]
    for item in row.items:
        kind, name = parse_item(item)
        if kind == "term":
            spans += term_spans(row.text, name)
    return spans


def render_paragraphs(rows: pd.DataFrame, *, key: str) -> None:
    """Paragraphs (:func:`analysis.storage.corpus.queries.mention_paragraphs` rows) with their
    article's title, outlet and date, mentions highlighted, in a scrolling container keyed
    ``<key>_paragraphs``."""
    if rows.empty:
        st.caption("No paragraph found.")
        return
    parts = [f"<style>{CSS}</style><div class='nl-article'>"]
    for row in rows.itertuples(index=False):
        day = "" if pd.isna(row.date) else f" · {pd.Timestamp(row.date).date().isoformat()}"
        where = "headline" if int(row.paragraph) == 0 else f"¶ {int(row.paragraph)}"
        parts.append(
            f"<div class='nl-meta' style='margin:.6rem 0 .1rem 0'><b>{html.escape(row.title or '(untitled)')}</b>"
            f" · {html.escape(corpus_charts.source_label(row.source))}{day} · {where}</div>"
            f"<div class='nl-p' data-doc='{html.escape(row.doc_key)}' data-paragraph='{int(row.paragraph)}'>"
            f"<span class='nl-text'>{highlight_html(row.text, paragraph_spans(row))}</span></div>"
        )
    parts.append("</div>")
    with st.container(key=f"{key}_paragraphs", height=420):
        st.html("".join(parts))
