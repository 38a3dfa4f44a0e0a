"""HTML for the article panel and the report. Pure functions; every piece of article text,
title, name or source goes through :func:`html.escape` before it is put into markup."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from analysis.core.pipeline import ArticleAnalysis
from analysis.core.schema import paragraph_label as label_of_kind
from analysis.core.sentiment import (
    DEFAULT_BAND,
    DEFAULT_MODEL,
    LABEL_COLUMN,
    SCORE_COLUMN,
    labelled,
)
from dashboard.labels import MODEL_LABELS, paragraph_label, type_help, type_name

#: Colours per entity type, from the Okabe-Ito and Paul Tol palettes (told apart by
#: colour-blind readers). Blue and brick red are left to sentiment, so that an entity's
#: underline never looks like a sentiment mark.
ENTITY_COLOURS = {
    "PERSON": "#e69f00",
    "NORP": "#cc79a7",
    "FAC": "#999933",
    "ORG": "#aa4499",
    "GPE": "#009e73",
    "LOC": "#117733",
    "PRODUCT": "#882255",
    "EVENT": "#f0e442",
    "WORK_OF_ART": "#44aa99",
    "LAW": "#ddcc77",
    "LANGUAGE": "#8c6d46",
    "DATE": "#bbbbbb",
    "TIME": "#bbbbbb",
    "PERCENT": "#bbbbbb",
    "MONEY": "#bbbbbb",
    "QUANTITY": "#bbbbbb",
    "ORDINAL": "#bbbbbb",
    "CARDINAL": "#bbbbbb",
}
#: Sentiment as a blue-to-brick diverging pair (safe for red-green colour blindness); the
#: sign is also written out (:data:`SENTIMENT_SIGNS`), never carried by colour alone.
SENTIMENT_COLOURS = {"positive": "#2f6db5", "neutral": "#9e9e9e", "negative": "#c2452d"}
SENTIMENT_SIGNS = {"positive": "+", "neutral": "○", "negative": "−"}

CSS = """
.nl-article { font-size: 1rem; line-height: 1.6; color: #1c2430; }
.nl-article h2 { font-size: 1.45rem; line-height: 1.3; margin: 0 0 .3rem 0; }
.nl-article h3.nl-sub { font-size: 1.05rem; margin: 1.1rem 0 .5rem 2.8rem; color: #1c2430; }
.nl-meta { color: #5b6572; font-size: .9rem; margin-bottom: .8rem; }
.nl-p { display: flex; gap: .6rem; margin: 0 0 .8rem 0; padding: .15rem .3rem;
        border-radius: 4px; }
.nl-p.nl-out { opacity: .35; }
.nl-p.nl-selected, .nl-article h2.nl-selected { background: #fff6d6; outline: 2px solid #f0b400; }
.nl-num { flex: 0 0 2.2rem; text-align: right; color: #5b6572; font-variant-numeric: tabular-nums;
          border-right: 4px solid var(--mark); padding-right: .4rem; }
.nl-text { flex: 1; white-space: pre-wrap; overflow-wrap: anywhere; }
.nl-ent { border-bottom: 3px solid var(--ent); padding: 0 1px; }
.nl-quote { background: #f1eef8; border-radius: 2px; }
.nl-hit { background: #ffe066; border-radius: 2px; box-shadow: 0 0 0 1px #c99a00; }
.nl-legend { font-size: .8rem; color: #5b6572; margin-bottom: .6rem; }
.nl-legend span { display: inline-block; margin-right: .8rem; }
.nl-swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px;
             vertical-align: -1px; margin-right: .25rem; }
.nl-swatch.nl-under { height: .2rem; border-radius: 0; vertical-align: 1px;
                      background: var(--ent); }
.nl-split { display: block; font-size: .8rem; line-height: 1.1; color: #5b6572; cursor: help; }
.nl-sign { display: block; font-size: .8rem; line-height: 1; color: var(--mark); }
"""


def format_published(value: str) -> str:
    """ "2024-03-21T10:57:00+01:00" -> "21 March 2024, 10:57 (UTC+01:00)"; other text as is."""
    from datetime import date, datetime

    try:
        if "T" in value:
            moment = datetime.fromisoformat(value)
            zone = moment.strftime("%z")
            shown = f"{moment.day} {moment:%B %Y, %H:%M}"
            return shown + (f" (UTC{zone[:3]}:{zone[3:]})" if zone else "")
        day = date.fromisoformat(value)
        return f"{day.day} {day:%B %Y}"
    except ValueError:
        return value


def escape(text: object) -> str:
    return html.escape(str(text), quote=True)


def _pieces(
    text: str,
    spans: Sequence[tuple[int, int, str, bool, str]],
    quotes: Sequence[tuple[int, int, str]] = (),
) -> str:
    """Text with entity underlines (carrying their entity's name, for clicks), quotations
    and hit highlights; spans are (start, end, label, hit, entity), quotes (start, end, who
    said it)."""
    cuts = {0, len(text)}
    for start, end, *_ in [*spans, *quotes]:
        cuts.update((max(0, min(start, len(text))), max(0, min(end, len(text)))))
    bounds = sorted(cuts)
    out = []
    for left, right in zip(bounds, bounds[1:], strict=False):
        if left == right:
            continue
        piece = escape(text[left:right])
        active = [
            (label, hit, entity)
            for start, end, label, hit, entity in spans
            if start <= left and right <= end
        ]
        label, entity = next(((label, entity) for label, _, entity in active if label), ("", ""))
        hit = any(h for _, h, _ in active)
        if label:
            colour = ENTITY_COLOURS.get(label, "#bbbbbb")
            piece = (
                f'<span class="nl-ent" style="--ent:{colour}" '
                f'data-entity="{escape(entity)}" '
                f'title="{escape(type_name(label))}">{piece}</span>'
            )
        if hit:
            piece = f'<mark class="nl-hit">{piece}</mark>'
        said = next((who for start, end, who in quotes if start <= left and right <= end), None)
        if said is not None:
            piece = f'<span class="nl-quote" title="{escape(said)}">{piece}</span>'
        out.append(piece)
    return "".join(out)


def _other_model(scored, model: str) -> list[str]:
    """Per row, what the other model says ("TextBlob: neutral (+0.00)")."""
    other = next(m for m in MODEL_LABELS if m != model)
    return [
        f"{MODEL_LABELS[other]}: {label} ({score:+.2f})"
        for label, score in zip(
            scored[LABEL_COLUMN[other]], scored[SCORE_COLUMN[other]], strict=True
        )
    ]


def article_html(
    analysis: ArticleAnalysis,
    *,
    model: str = DEFAULT_MODEL,
    band: float = DEFAULT_BAND,
    entity_types: Iterable[str] = (),
    hits: Iterable[tuple[int, int, int]] = (),
    selected_paragraph: int | None = None,
    paragraph_range: tuple[int, int] | None = None,
) -> str:
    """The article as HTML: headline, byline, date, numbered paragraphs each with a sentiment
    mark (colour and sign under ``model`` with the neutral ``band``; "≠" where the two models
    disagree), entity mentions of ``entity_types`` underlined in their type's colour, ``hits``
    (paragraph, start, end) highlighted, the selected paragraph outlined and paragraphs outside
    ``paragraph_range`` faded."""
    article = analysis.article
    types = set(entity_types)
    spans: dict[int, list[tuple[int, int, str, bool, str]]] = {}
    for row in analysis.mention_rows:
        if row.label in types:
            spans.setdefault(row.paragraph, []).append(
                (row.start, row.end, row.label, False, row.entity)
            )
    for paragraph, start, end in hits:
        spans.setdefault(int(paragraph), []).append((int(start), int(end), "", True, ""))
    quoted: dict[int, list[tuple[int, int, str]]] = {}
    for row in analysis.quote_rows:
        who = row.entity or row.speaker
        said = f"Quoted: {who}" if who else "Quoted (speaker not found)"
        quoted.setdefault(row.paragraph, []).append((row.start, row.end, said))
    scored = labelled(analysis.paragraphs, band=band)
    labels = {
        int(p): (label, float(score), bool(split), other)
        for p, label, score, split, other in zip(
            scored["paragraph"],
            scored[LABEL_COLUMN[model]],
            scored[SCORE_COLUMN[model]],
            scored["disagree"],
            _other_model(scored, model),
            strict=True,
        )
    }

    parts = ['<div class="nl-article">']
    if article.title:
        selected = ' class="nl-selected"' if selected_paragraph == 0 else ""
        parts.append(
            f'<h2 id="nl-p0" data-paragraph="0"{selected}>'
            f"{_pieces(article.title, spans.get(0, []), quoted.get(0, []))}</h2>"
        )
    meta = []
    if article.author:
        meta.append(f"By {escape(article.author)}")
    if article.published:
        meta.append(
            f'<time datetime="{escape(article.published)}">'
            f"{escape(format_published(article.published))}</time>"
        )
    if article.source:
        meta.append(f"Source: {escape(article.source)}")
    if meta:
        parts.append(f'<div class="nl-meta">{" · ".join(meta)}</div>')
    headings: dict[int, list[str]] = {}
    for heading in article.subheadings:
        headings.setdefault(heading.before, []).append(heading.text)
    for segment in analysis.segments:
        if segment.kind == "headline":
            continue
        for text in headings.get(segment.index, []) if segment.kind == "body" else []:
            parts.append(
                f'<h3 class="nl-sub" title="Subheading: shown, not scored">{escape(text)}</h3>'
            )
        label, score, split, other = labels.get(segment.index, ("neutral", 0.0, False, ""))
        classes = ["nl-p"]
        if segment.index == selected_paragraph:
            classes.append("nl-selected")
        if paragraph_range and not paragraph_range[0] <= segment.index <= paragraph_range[1]:
            classes.append("nl-out")
        number = label_of_kind(segment.index, segment.kind)
        tip = (
            f"{MODEL_LABELS[model]}: {label} ({score:+.2f})"
            + (f"; {other}" if split else "")
            + (" · removed line" if segment.kind == "removed" else "")
        )
        badge = (
            f'<span class="nl-split" title="The models disagree: {escape(other)}">≠</span>'
            if split
            else ""
        )
        parts.append(
            f'<div class="{" ".join(classes)}" id="nl-p{segment.index}" '
            f'data-paragraph="{segment.index}">'
            f'<span class="nl-num" style="--mark:{SENTIMENT_COLOURS[label]}" '
            f'title="{escape(tip)}">{escape(number)}'
            f'<span class="nl-sign" aria-hidden="true">{SENTIMENT_SIGNS[label]}</span>{badge}'
            "</span>"
            f'<span class="nl-text">'
            f"{_pieces(segment.text, spans.get(segment.index, []), quoted.get(segment.index, []))}"
            "</span>"
            "</div>"
        )
    parts.append("</div>")
    return "".join(parts)


def legend_html(labels: Iterable[str]) -> str:
    """A legend of entity colours and sentiment marks."""
    items = [
        f'<span title="{escape(type_help(label))}"><i class="nl-swatch nl-under" '
        f'style="--ent:{ENTITY_COLOURS.get(label, "#bbb")}"></i>{escape(type_name(label))}</span>'
        for label in labels
    ]
    items += [
        f'<span><i class="nl-swatch" style="background:{colour}"></i>'
        f"{SENTIMENT_SIGNS[name]} {name}</span>"
        for name, colour in SENTIMENT_COLOURS.items()
    ]
    return f'<div class="nl-legend">{"".join(items)}</div>'


def page_html(body: str) -> str:
    """A fragment with the panel's stylesheet."""
    return f"<style>{CSS}</style>{body}"


# --------------------------------------------------------------------------------------------
# Tables as shown

#: Columns of running text: shown last, after the numbers they explain.
LONG_COLUMNS = ("text", "quote", "assessments", "vader_assessments")
#: Character offsets into a paragraph's text: for export, hidden on screen unless asked for.
OFFSET_COLUMNS = ("start", "end", "speaker_start", "speaker_end")


def table_view(
    frame,
    *,
    removed: Iterable[int] = (),
    offsets: bool = False,
    columns: Sequence[str] | None = None,
):
    """A table as the app shows it: paragraphs numbered as in the article ("H", "R9", "3"),
    sentences counted from 1 within their paragraph, numbers first and running text
    (:data:`LONG_COLUMNS`) last, character offsets (:data:`OFFSET_COLUMNS`) only with
    ``offsets``. ``columns`` picks and orders the columns shown (offsets still follow
    ``offsets``). The frame is not modified.

    Returns:
        A new DataFrame with a fresh index.
    """
    removed = set(removed)
    shown = frame.copy()
    if "paragraph" in shown:
        shown["paragraph"] = [paragraph_label(int(p), removed=removed) for p in shown["paragraph"]]
    if "sentence" in shown:
        shown["sentence"] = shown["sentence"] + 1
    names = list(columns) if columns is not None else list(shown.columns)
    if columns is None:
        names = [n for n in names if n not in LONG_COLUMNS] + [
            n for n in LONG_COLUMNS if n in names
        ]
    if offsets:
        after = "sentence" if "sentence" in names else "paragraph" if "paragraph" in names else None
        extra = [n for n in OFFSET_COLUMNS if n in shown and n not in names]
        at = names.index(after) + 1 if after else 0
        names[at:at] = extra
    else:
        names = [n for n in names if n not in OFFSET_COLUMNS]
    return shown[names].reset_index(drop=True)


_LIST_MARKER = re.compile(r"^(\s*)(\d+)([.)])(?=\s)|^(\s*)([-+])(?=\s)")


def md_escape(text: str) -> str:
    """Text shown through Markdown (st.markdown, st.caption, st.error, ...): the characters
    that make emphasis, code, links, images, HTML, tables or formulas are escaped, and so is a
    leading list marker ("1. Title", "- item"), so it shows as typed."""
    out = []
    for char in text:
        if char in "\\`*_{}[]#|<>~$":
            out.append("\\" + char)
        else:
            out.append(char)
    escaped = "".join(out)
    return _LIST_MARKER.sub(
        lambda m: f"{m[1]}{m[2]}\\{m[3]}" if m[2] else f"{m[4]}\\{m[5]}", escaped
    )
