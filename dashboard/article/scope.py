"""What the Article page shows of an analysis for a view: the paragraphs in its range, the
words counted with its options, the entities of its types, the selection and where it occurs.
Pure (no Streamlit): the page computes it once per run and hands it to the views.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from analysis import ArticleAnalysis, WordOptions
from analysis.core.quotes import said_by
from dashboard.article.link import ViewState, parse_selection
from dashboard.labels import paragraph_name


class Scope(NamedTuple):
    """The rows a view shows (see :func:`scope_of`).

    Attributes:
        wanted: the paragraph numbers in range (the headline with paragraph 1, the analysed
            removed lines when they are included).
        words: the word counts of those paragraphs (terms seen once left out when hidden).
        hidden_once: how many terms seen once were left out.
        paragraphs: the sentiment rows in range.
        in_range: the entity mentions in range.
        entities: the entity counts in range, of the view's types, seen at least
            ``mincount`` times.
        kind, value: the selection (:func:`dashboard.article.link.parse_selection`).
        selected_paragraph: the selected paragraph's number, or None.
        hits: (paragraph, start, end) of every occurrence of the selection.
        selection_text: the selection in words ("entity “Gaza”"), "" for none.
    """

    wanted: list[int]
    words: pd.DataFrame
    hidden_once: int
    paragraphs: pd.DataFrame
    in_range: pd.DataFrame
    entities: pd.DataFrame
    kind: str
    value: str
    selected_paragraph: int | None
    hits: list[tuple[int, int, int]]
    selection_text: str


def scope_of(
    analysis: ArticleAnalysis,
    view: ViewState,
    *,
    first: int,
    last: int,
    options: WordOptions,
) -> Scope:
    """What ``view`` shows of ``analysis`` for paragraphs ``first`` to ``last``, words
    counted with ``options``.

    Returns:
        a :class:`Scope`.
    """
    removed = analysed_removed(analysis)
    wanted = ([0] if first == 1 else []) + list(range(first, last + 1))
    if view.removed:  # counted as they are highlighted
        wanted += removed
    words = analysis.word_counts(options=options, paragraphs=wanted)
    hidden_once = 0
    if view.hides_once:
        hidden_once = int((words["count"] < 2).sum())
        words = words[words["count"] >= 2]
    paragraphs = analysis.paragraphs
    paragraphs = paragraphs[paragraphs["kind"] != "removed"] if not view.removed else paragraphs
    paragraphs = paragraphs[paragraphs["paragraph"].isin(wanted + removed)]
    mentions = analysis.mentions
    in_range = mentions[mentions["paragraph"].isin(wanted + removed)]
    entities = analysis.entity_counts(
        paragraphs=sorted(set(in_range["paragraph"])), types=view.types
    )
    entities = entities[entities["count"] >= view.mincount]
    kind, value = parse_selection(view.sel)
    selected_paragraph = int(value) if kind == "paragraph" and value.isdigit() else None
    return Scope(
        wanted=wanted,
        words=words,
        hidden_once=hidden_once,
        paragraphs=paragraphs,
        in_range=in_range,
        entities=entities,
        kind=kind,
        value=value,
        selected_paragraph=selected_paragraph,
        hits=hits(analysis, kind, value, options=options),
        selection_text=selection_text(kind, value, removed=removed),
    )


def analysed_removed(analysis: ArticleAnalysis) -> list[int]:
    """The paragraph numbers of the removed lines the analysis holds (none unless they were
    analysed)."""
    return [s.index for s in analysis.segments if s.kind == "removed"]


def hits(
    analysis: ArticleAnalysis, kind: str, value: str, *, options: WordOptions
) -> list[tuple[int, int, int]]:
    """Where a selection occurs in the text: (paragraph, start, end) of every occurrence of
    a word (counted with ``options``), mention of an entity or quotation of a speaker; none
    for a paragraph or no selection."""
    if kind == "word":
        frame = analysis.term_context(value, options=options)
    elif kind == "entity":
        frame = analysis.mentions[analysis.mentions["entity"] == value]
    elif kind == "speaker":
        frame = analysis.quotes[said_by(analysis.quotes) == value]
    else:
        return []
    return list(zip(frame["paragraph"], frame["start"], frame["end"], strict=True))


def selection_text(kind: str, value: str, *, removed: list[int]) -> str:
    """A selection in words, as the page and the report name it: "word “gaza”", "entity
    “Gaza”", "quotations of “Lin Jian”", "paragraph 3" ("removed line R9" for a number in
    ``removed``); "" for none."""
    if kind == "word":
        return f"word “{value}”"
    if kind == "entity":
        return f"entity “{value}”"
    if kind == "speaker":
        return f"quotations of “{value}”"
    if kind == "paragraph":
        return paragraph_name(int(value), removed=removed)
    return ""
