"""The entity tables: their columns, the label sets, and counting mentions per entity."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

import pandas as pd

from analysis.core.schema import EntityRow, MentionRow, frame

#: paragraph (0 headline, 1..n body), start/end (offsets in that paragraph's text, so that
#: ``text[start:end] == mention text``), text (as written), label (spaCy type, made consistent
#: per entity), entity (canonical name), counted (False for a nationality word used as a
#: modifier, "American officials": shown, but not a mention of a name, so left out of the
#: counts). Sorted by paragraph then start.
MENTION_COLUMNS = MentionRow._fields

#: entity, label, count (mentions), paragraphs (distinct paragraphs it appears in). Sorted by
#: count descending, then entity and label ascending.
ENTITY_COLUMNS = EntityRow._fields

#: Labels for names (as opposed to numbers, dates and amounts). The entity counts hold only
#: these unless other types are asked for (``types=`` below, ``AnalysisOptions.entity_types``).
NAME_LABELS = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
    "LANGUAGE",
)  # fmt: skip

#: Numbers, dates and amounts: kept in the mentions table, left out of the counts by default.
NUMERIC_LABELS = ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY")


def mention_table(rows: Sequence[Sequence]) -> pd.DataFrame:
    """The mentions table (:data:`MENTION_COLUMNS`); the same columns for no rows. A row of
    six fields (without ``counted``) is counted."""
    return frame((MentionRow(*row) for row in rows), MentionRow)


def count_entities(
    rows: Iterable[Sequence], *, types: Iterable[str] | None = NAME_LABELS
) -> list[EntityRow]:
    """Count mentions per entity.

    Args:
        rows: mention rows (:data:`MENTION_COLUMNS`); those with ``counted`` false are left
            out, a row without that field is counted.
        types: the labels to count; ``None`` counts every label (numbers and dates too).

    Returns:
        :class:`analysis.core.schema.EntityRow` rows, sorted by count descending, then entity and
        label.
    """
    wanted = None if types is None else frozenset(types)
    counts: Counter = Counter()
    places: dict[tuple[str, str], set[int]] = defaultdict(set)
    for row in (MentionRow(*row) for row in rows):
        if (wanted is not None and row.label not in wanted) or not row.counted:
            continue
        key = (row.entity, row.label)
        counts[key] += 1
        places[key].add(int(row.paragraph))
    return sorted(
        (EntityRow(entity, label, count, len(places[(entity, label)]))
         for (entity, label), count in counts.items()),
        key=lambda row: (-row.count, row.entity, row.label),
    )  # fmt: skip


def entity_table(rows: Sequence[Sequence]) -> pd.DataFrame:
    """The entity-count table from :func:`count_entities` rows (same columns for none)."""
    return frame(rows, EntityRow)


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


def canonical(text: str) -> str:
    """A name as one entity: its words joined by single spaces."""
    return " ".join(text.split())


def label_class(label: str) -> str:
    """The class a label votes in: places and facilities are one class (a building's name is
    as often taken for its town)."""
    return {"LOC": "GPE", "FAC": "GPE"}.get(label, label)


def is_acronym(name: str) -> bool:
    """True for a name of two or more letters, all capitals ("WHO", "U.S.")."""
    letters = [char for char in name if char.isalpha()]
    return len(letters) > 1 and all(char.isupper() for char in letters)
