"""What a filter selects, for the line under the filters: how the query was read, how many
articles each of its terms matches, and the selection's size and dates.

The filter arguments are those of :mod:`analysis.storage.corpus.queries` (``start``, ``end``,
``sources``, ``text``, ``entity``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

import pandas as pd

from analysis.storage.corpus.queries import Day, Source, _open, _where
from analysis.storage.corpus.query_language import NO_OUTLET, parse_search
from analysis.storage.corpus.query_sql import term_condition

#: The columns of :attr:`QueryReading.terms`.
TERM_COLUMNS = ("term", "field", "kind", "articles")


class QueryReading(NamedTuple):
    """How a query was read and what each part of it finds.

    Attributes:
        query: the query as typed.
        parsed: the query as read, every operator written out ("(biden OR trump) AND NOT
            election"); "" for an empty query.
        hints: sentences about how something was read (a lowercase "or" searched as a word).
        terms: one row per distinct term, in query order: term (as the language writes it),
            field ("text", "title", "source", "entity"), kind ("word", "prefix", "phrase",
            "value"), articles (the articles the term alone matches under the other filters).
        articles: the articles the whole query matches under the other filters.
        selected: the articles the other filters select (the query left out).
    """

    query: str
    parsed: str
    hints: tuple[str, ...]
    terms: pd.DataFrame
    articles: int
    selected: int


class Selection(NamedTuple):
    """The articles a filter selects: how many, and their first and last dates (None when
    none of them has a date)."""

    articles: int
    first: date | None
    last: date | None


def query_reading(
    source: Source,
    text: str | None,
    *,
    start: Day = None,
    end: Day = None,
    sources: Sequence[str | None] | None = None,
    entity: str | None = None,
    include_duplicates: bool = False,
) -> QueryReading:
    """Read ``text`` and count, in one pass over the filtered articles, what each term and the
    whole query match (what the Corpus page shows under its search box).

    Returns:
        a :class:`QueryReading`.

    Raises:
        QuerySyntaxError: the query cannot be read.
    """
    parsed = parse_search(text)
    terms = parsed.terms()
    params: list = []
    counts = [f"count(*) FILTER (WHERE {term_condition(t, params)})" for t in terms]
    where_params: list = []
    whole = _where(
        None, None, None, text, None, where_params, include_duplicates=include_duplicates
    )
    params += where_params
    others = _where(
        start, end, sources, None, entity, params, include_duplicates=include_duplicates
    )
    sql = f"SELECT {', '.join([*counts, f'count(*) FILTER (WHERE {whole})', 'count(*)'])} FROM articles a WHERE {others}"
    with _open(source) as con:
        row = con.execute(sql, params).fetchone()
    frame = pd.DataFrame(
        {
            "term": [t.describe() for t in terms],
            "field": [t.field for t in terms],
            "kind": [t.kind for t in terms],
            "articles": pd.Series([int(v) for v in row[: len(terms)]], dtype="int64"),
        },
        columns=list(TERM_COLUMNS),
    )
    return QueryReading(
        parsed.text, parsed.describe(), parsed.hints, frame, int(row[-2]), int(row[-1])
    )


def selection_summary(
    source: Source,
    *,
    start: Day = None,
    end: Day = None,
    sources: Sequence[str | None] | None = None,
    text: str | None = None,
    entity: str | None = None,
    include_duplicates: bool = False,
) -> Selection:
    """The number of selected articles and the dates they span (not the corpus's).

    Returns:
        a :class:`Selection`.
    """
    params: list = []
    where = _where(start, end, sources, text, entity, params, include_duplicates=include_duplicates)
    sql = f"SELECT count(*), min(a.date), max(a.date) FROM articles a WHERE {where}"
    with _open(source) as con:
        count, first, last = con.execute(sql, params).fetchone()
    return Selection(int(count), first, last)


def outlet_label(source: str | None) -> str:
    """How an outlet is shown and chosen: its name, or "(no outlet)" for none."""
    return source if source else NO_OUTLET


def outlet_values(labels: Sequence[str]) -> list[str | None]:
    """Outlets as chosen (:func:`outlet_label`) -> the ``sources`` filter argument (None for
    "(no outlet)")."""
    return [None if label == NO_OUTLET else label for label in labels]


def unknown_outlets(source: Source, names: Sequence[str | None]) -> list[str]:
    """Those of ``names`` (outlets as chosen; None or "(no outlet)" for none) that no stored
    article has, in the order given: a filter on them selects nothing.

    Returns:
        the unknown names, as given ("(no outlet)" for None).
    """
    wanted = [outlet_label(n) for n in names]
    with _open(source) as con:
        rows = con.execute(
            "SELECT DISTINCT coalesce(nullif(source, ''), ?) FROM articles", [NO_OUTLET]
        )
        known = {row[0] for row in rows.fetchall()}
    return [n for n in dict.fromkeys(wanted) if n not in known]


def unknown_entities(source: Source, names: Sequence[str]) -> list[str]:
    """Those of ``names`` (canonical entity names, exact) that no stored article mentions,
    in the order given.

    Returns:
        the unknown names.
    """
    names = list(dict.fromkeys(names))
    if not names:
        return []
    with _open(source) as con:
        known = set()
        # The named entities first (a small table), then every mention (dates, numbers).
        for table in ("entity_sources", "mentions"):
            rest = [n for n in names if n not in known]
            if not rest:
                break
            rows = con.execute(
                f"SELECT DISTINCT entity FROM {table} WHERE entity IN (SELECT unnest(?::VARCHAR[]))",
                [rest],
            )
            known.update(row[0] for row in rows.fetchall())
    return [n for n in names if n not in known]
