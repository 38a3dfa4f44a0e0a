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
from collections.abc import Sequence

import pandas as pd

#: paragraph (0 headline, 1..n body), start/end (offsets in that paragraph's text, so that
#: ``text[start:end] == mention text``), text (as written), label (spaCy type, made consistent
#: per entity), entity (canonical name). Sorted by paragraph then start.
MENTION_COLUMNS = ("paragraph", "start", "end", "text", "label", "entity")

#: entity, label, count (mentions), paragraphs (distinct paragraphs it appears in). Sorted by
#: count descending, then entity and label ascending.
ENTITY_COLUMNS = ("entity", "label", "count", "paragraphs")

#: Labels for names (as opposed to numbers, dates and amounts).
NAME_LABELS = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
    "LANGUAGE",
)  # fmt: skip

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


def mention_rows(segments: Sequence, docs: Sequence) -> list[list]:
    """Mentions, before the per-article clean-up of steps 3 and 4 (see module docstring).

    Args:
        segments: the analysed segments (``index``, ``kind``, ``text``), in order.
        docs: one spaCy ``Doc`` per segment, with ``ents``.

    Returns:
        Rows [paragraph, start, end, text, label, entity].
    """
    rows: list[list] = []
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
            rows.append([
                segment.index, span.start_char, span.end_char, text, ent.label_, _canonical(text),
            ])  # fmt: skip
    if headline is not None:
        rows.extend(_headline_rows(headline, rows))
    return rows


def _headline_rows(headline, body_rows: list[list]) -> list[list]:
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
            rows.append([headline.index, start, end, form, label, entity])
    return rows


def resolve_mentions(rows: list[list]) -> list[list]:
    """Steps 3 and 4 of the clean-up: short person names and one label per entity.

    Returns:
        New rows sorted by paragraph and start; the input is not modified.
    """
    rows = [list(row) for row in rows]
    people = {row[5] for row in rows if row[4] == "PERSON" and len(row[5].split()) > 1}
    by_part: dict[str, set[str]] = defaultdict(set)
    for name in people:
        parts = name.split()
        by_part[parts[0]].add(name)
        by_part[parts[-1]].add(name)
    for row in rows:
        if row[4] == "PERSON" and len(row[5].split()) == 1 and len(by_part[row[5]]) == 1:
            row[5] = next(iter(by_part[row[5]]))
    labels: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        labels[row[5]][row[4]] += 1
    chosen = {
        entity: min(counter.items(), key=lambda item: (-item[1], item[0]))[0]
        for entity, counter in labels.items()
    }
    for row in rows:
        row[4] = chosen[row[5]]
    rows.sort(key=lambda row: (row[0], row[1], row[2]))
    return rows


def mention_table(rows: Sequence[Sequence]) -> pd.DataFrame:
    """The mentions table (:data:`MENTION_COLUMNS`); the same columns for no rows."""
    frame = pd.DataFrame([list(row) for row in rows], columns=list(MENTION_COLUMNS))
    return frame.astype({"paragraph": "int64", "start": "int64", "end": "int64"})


def count_entities(rows: Sequence[Sequence]) -> list[tuple[str, str, int, int]]:
    """(entity, label, count, paragraphs) from mention rows, sorted by count descending, then
    entity and label."""
    counts: Counter = Counter()
    places: dict[tuple[str, str], set[int]] = defaultdict(set)
    for row in rows:
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


def entity_counts(mentions: pd.DataFrame) -> pd.DataFrame:
    """Count mentions per entity.

    Args:
        mentions: a table of :data:`MENTION_COLUMNS` (possibly filtered).

    Returns:
        A DataFrame of :data:`ENTITY_COLUMNS`, sorted by count descending, then entity, label.
    """
    return entity_table(count_entities(list(mentions.itertuples(index=False, name=None))))
