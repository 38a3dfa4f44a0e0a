"""Named entities: spaCy NER, then the clean-up that makes counts right.

Clean-up, in order:

1. Leading determiners and honorifics are dropped ("the United Nations" -> "United Nations",
   "Mr. Lin" -> "Lin"), and so are trailing possessives and punctuation
   ("Wang Kejian’s" -> "Wang Kejian"). Offsets are moved with the text.
2. A title-case headline ("China Urges International Efforts to Cease Gaza Conflict") makes
   spaCy see capitalised fragments as names, so its own entities are ignored; instead the
   names the body recognises are looked up in it and count as mentions.
3. A one-word PERSON that is the first or last word of exactly one longer PERSON in the same
   article counts as that person ("Lin stated" -> "Lin Jian").
4. Each entity gets the label most of its mentions have (ties: alphabetical), so one name is
   never split across two labels.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import pandas as pd

#: paragraph (0 headline, 1..n body), start/end (offsets in that paragraph's text, so that
#: ``text[start:end] == mention text``), text (as written), label (spaCy type, made consistent
#: per entity), entity (canonical name). Sorted by paragraph then start.
MENTION_COLUMNS = ("paragraph", "start", "end", "text", "label", "entity")

#: entity, label, count (mentions), paragraphs (distinct paragraphs it appears in). Sorted by
#: count descending, then entity and label ascending.
ENTITY_COLUMNS = ("entity", "label", "count", "paragraphs")

#: Labels for names (as opposed to numbers, dates and amounts). The entity counts hold only
#: these unless other types are asked for (``types=`` below, ``AnalysisOptions.entity_types``).
NAME_LABELS = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
    "LANGUAGE",
)  # fmt: skip

#: Numbers, dates and amounts: kept in the mentions table, left out of the counts by default.
NUMERIC_LABELS = ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY")


class MentionRow(NamedTuple):
    """One mention (:data:`MENTION_COLUMNS`); a plain tuple to code that reads it by index."""

    paragraph: int
    start: int
    end: int
    text: str
    label: str
    entity: str

_LEADING = {
    "the", "a", "an", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "prof", "prof.",
    "sir", "dame",
}  # fmt: skip
_TRAILING = {"'s", "’s", "'", "’", ".", ",", ";", ":", "-", "–", "—", ")", "(", '"', "“", "”"}


def _trim(span) -> tuple[int, int] | None:
    """Token bounds of an entity span without leading determiners/honorifics and trailing
    possessives/punctuation; None when nothing is left."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in _LEADING and end - start > 1:
        start += 1
    while end > start and (doc[end - 1].text in _TRAILING or doc[end - 1].is_punct):
        end -= 1
    if start >= end:
        return None
    return start, end


def is_title_case(text: str) -> bool:
    """True when most longer words of a line are capitalised, as in many headlines."""
    words = [word for word in re.findall(r"[^\W\d_][\w’'-]*", text)[1:] if len(word) >= 4]
    if len(words) < 2:
        return False
    capitalised = sum(word[0].isupper() for word in words)
    return capitalised >= 0.6 * len(words)


def _canonical(text: str) -> str:
    return " ".join(text.split())


def mention_rows(segments: Sequence, docs: Sequence) -> list[MentionRow]:
    """Mentions, before the per-article clean-up of steps 3 and 4 (see module docstring).

    Args:
        segments: the analysed segments (``index``, ``kind``, ``text``), in order.
        docs: one spaCy ``Doc`` per segment, with ``ents``.

    Returns:
        :class:`MentionRow` rows, in text order per segment.
    """
    rows: list[MentionRow] = []
    headline = None
    for segment, doc in zip(segments, docs, strict=True):
        if segment.kind == "headline" and is_title_case(segment.text):
            headline = segment
            continue
        for ent in doc.ents:
            bounds = _trim(ent)
            if bounds is None:
                continue
            span = doc[bounds[0] : bounds[1]]
            text = span.text
            if not any(char.isalpha() for char in text) and ent.label_ in NAME_LABELS:
                continue
            rows.append(MentionRow(
                segment.index, span.start_char, span.end_char, text, ent.label_, _canonical(text),
            ))  # fmt: skip
    if headline is not None:
        rows.extend(_headline_rows(headline, rows))
    return rows


def _headline_rows(headline, body_rows: list[MentionRow]) -> list[MentionRow]:
    """Mentions of names the body recognises, found verbatim in a title-case headline."""
    forms: dict[str, tuple[str, str]] = {}
    for _, _, _, text, label, entity in body_rows:
        if label in NAME_LABELS:
            forms.setdefault(text, (label, entity))
            forms.setdefault(entity, (label, entity))
    taken: list[tuple[int, int]] = []
    rows = []
    for form in sorted(forms, key=lambda f: (-len(f), f)):
        for match in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", headline.text):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):
                continue
            taken.append((start, end))
            label, entity = forms[form]
            rows.append(MentionRow(headline.index, start, end, form, label, entity))
    return rows


def resolve_mentions(rows: Iterable[Sequence]) -> list[MentionRow]:
    """Steps 3 and 4 of the clean-up: short person names and one label per entity.

    Returns:
        New rows sorted by paragraph and start; the input is not modified.
    """
    rows = [MentionRow(*row) for row in rows]
    people = {row.entity for row in rows if row.label == "PERSON" and len(row.entity.split()) > 1}
    by_part: dict[str, set[str]] = defaultdict(set)
    for name in people:
        parts = name.split()
        by_part[parts[0]].add(name)
        by_part[parts[-1]].add(name)
    for i, row in enumerate(rows):
        if row.label == "PERSON" and len(row.entity.split()) == 1 and len(by_part[row.entity]) == 1:
            rows[i] = row._replace(entity=next(iter(by_part[row.entity])))
    labels: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        labels[row.entity][row.label] += 1
    chosen = {
        entity: min(counter.items(), key=lambda item: (-item[1], item[0]))[0]
        for entity, counter in labels.items()
    }
    rows = [row._replace(label=chosen[row.entity]) for row in rows]
    rows.sort(key=lambda row: (row.paragraph, row.start, row.end))
    return rows


def mention_table(rows: Sequence[Sequence]) -> pd.DataFrame:
    """The mentions table (:data:`MENTION_COLUMNS`); the same columns for no rows."""
    frame = pd.DataFrame([list(row) for row in rows], columns=list(MENTION_COLUMNS))
    return frame.astype({"paragraph": "int64", "start": "int64", "end": "int64"})


def count_entities(
    rows: Iterable[Sequence], *, types: Iterable[str] | None = NAME_LABELS
) -> list[tuple[str, str, int, int]]:
    """Count mentions per entity.

    Args:
        rows: mention rows (:data:`MENTION_COLUMNS`).
        types: the labels to count; ``None`` counts every label (numbers and dates too).

    Returns:
        (entity, label, count, paragraphs) tuples, sorted by count descending, then entity and
        label.
    """
    wanted = None if types is None else frozenset(types)
    counts: Counter = Counter()
    places: dict[tuple[str, str], set[int]] = defaultdict(set)
    for row in rows:
        if wanted is not None and row[4] not in wanted:
            continue
        key = (row[5], row[4])
        counts[key] += 1
        places[key].add(int(row[0]))
    return sorted(
        ((entity, label, count, len(places[(entity, label)]))
         for (entity, label), count in counts.items()),
        key=lambda row: (-row[2], row[0], row[1]),
    )  # fmt: skip


def entity_table(rows: Sequence[Sequence]) -> pd.DataFrame:
    """The entity-count table from :func:`count_entities` rows (same columns for none)."""
    frame = pd.DataFrame([list(row) for row in rows], columns=list(ENTITY_COLUMNS))
    return frame.astype({"entity": "object", "label": "object", "count": "int64",
                         "paragraphs": "int64"})  # fmt: skip


def entity_counts(
    mentions: pd.DataFrame, *, types: Iterable[str] | None = NAME_LABELS
) -> pd.DataFrame:
    """Count mentions per entity.

    Args:
        mentions: a table of :data:`MENTION_COLUMNS` (possibly filtered).
        types: the labels to count (default: :data:`NAME_LABELS`, names only); ``None`` counts
            every label, dates and numbers too.

    Returns:
        A DataFrame of :data:`ENTITY_COLUMNS`, sorted by count descending, then entity, label.
    """
    rows = mentions.itertuples(index=False, name=None)
    return entity_table(count_entities(rows, types=types))
