"""The common filter of the corpus queries and the SQL helpers they share: opening a source,
the ``WHERE`` clause of the filter (:func:`_where`), the selected articles (:func:`_selected`),
phrase and hit helpers for search, and the parsed search words (:func:`parse_query`).

The filter itself is described in :mod:`analysis.storage.corpus.queries`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from typing import NamedTuple

import duckdb
import pandas as pd

from analysis.errors import ArticleError
from analysis.storage.corpus.query_language import NO_OUTLET, parse_search
from analysis.storage.corpus.query_sql import (
    query_condition,
    text_terms,
)
from analysis.storage.corpus.schema import COUNTED, LATEST
from analysis.storage.corpus.store import CorpusReader, CorpusStore

INTERVALS = ("day", "week", "month", "year")
MAX_QUERY_WORDS = 60
#: Searches with up to this many words first look for paragraphs holding them all.
MAX_JOINED_WORDS = 8
#: Candidates per wanted row whose text is checked for phrases before ranking everything.
PHRASE_CANDIDATES = 4
MODELS = {"vader": ("tone_vader", "vader"), "textblob": ("tone_textblob", "polarity")}
ARTICLE_SORTS = ("date", "title", "source", "words", "tone_vader", "tone_textblob")

Source = duckdb.DuckDBPyConnection | CorpusStore | CorpusReader
Day = date | str | None


class Query(NamedTuple):
    """A parsed search string: every word must occur; every phrase (a tuple of words) must
    occur as consecutive words within one paragraph."""

    words: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]


def parse_query(text: str | None) -> Query:
    """The words and phrases a query looks for in the article text (not under a NOT):
    what a match shows, to highlight. See :func:`~analysis.storage.corpus.query_language.parse_search`
    for the language; a query that cannot be read raises its ``QuerySyntaxError``.

    Returns:
        the distinct words (phrase words included), sorted, and the phrases (of two words or
        more) in query order.
    """
    terms = text_terms(parse_search(text))
    phrases = []
    for term in terms:
        if len(term.words) > 1 and term.words not in phrases:
            phrases.append(term.words)
    words = sorted({w for term in terms for w in (term.words or (term.value,))})
    return Query(tuple(words), tuple(phrases))


def _has_query(text: str | None) -> bool:
    """Whether ``text`` is a query that selects something less than every article."""
    return parse_search(text).node is not None


def _outlets(sources: Sequence[str | None] | None) -> list[str | None] | None:
    """``sources`` with :data:`NO_OUTLET` read as None (articles without an outlet)."""
    return None if sources is None else [None if s == NO_OUTLET else s for s in sources]


# -- the common filter ---------------------------------------------------------------------


@contextmanager
def _open(source: Source) -> Iterator[duckdb.DuckDBPyConnection]:
    if isinstance(source, CorpusStore):
        with source.reader() as con:
            yield con
    elif isinstance(source, CorpusReader):
        with source.connection() as con:
            yield con
    else:
        yield source


def _corrected(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the corpus open on ``con`` has corrections (False for a database without the
    corrections tables)."""
    try:
        return bool(con.execute("SELECT count(*) FROM correction_map").fetchone()[0])
    except duckdb.CatalogException:
        return False


def _phrase_pattern(phrase: Sequence[str]) -> str:
    inner = r"[^\pL\pN]+".join(re.escape(w) for w in phrase)
    return rf"(^|[^\pL\pN]){inner}([^\pL\pN]|$)"


def _phrase_sql(phrase: Sequence[str], text: str, params: list) -> str:
    """A condition true when ``text`` holds ``phrase`` as whole words. The words alone are
    matched first: a pattern that starts with a literal is found several times faster than
    one that starts with the word-boundary group, and most candidates fail there (a CASE,
    because both sides of an AND are computed for every row)."""
    params += [r"[^\pL\pN]+".join(re.escape(w) for w in phrase), _phrase_pattern(phrase)]
    return f"CASE WHEN regexp_matches({text}, ?, 'i') THEN regexp_matches({text}, ?, 'i') ELSE FALSE END"


def _source_condition(column: str, sources, params: list) -> str:
    """``column`` is one of ``sources``; a None among them also selects rows without one."""
    sources = _outlets(sources)
    named = [s for s in sources if s is not None]
    cond = f"{column} IN {_in(named, params)}"
    return f"({cond} OR {column} IS NULL)" if len(named) < len(sources) else cond


def _in(values: Sequence, params: list) -> str:
    """``(?, ?, ...)`` for an IN condition, its values appended to ``params``. A literal list
    lets DuckDB filter inside the table scan (and skip row groups by their min/max) where
    ``IN (SELECT unnest(?))`` becomes a join over every row."""
    values = list(values)
    params.extend(values)
    return "(" + ", ".join("?" * len(values)) + ")" if values else "(NULL)"


def _check_words(query: Query) -> None:
    if len(query.words) > MAX_QUERY_WORDS:
        raise ArticleError(f"A search can hold at most {MAX_QUERY_WORDS} different words.")


def _paragraphs_with_all(words: Sequence[str], params: list) -> str:
    """SQL of doc_id, paragraph of the paragraphs holding every one of ``words`` (one
    semi-join per further word: each reads only the ``postings`` row groups of its word, and
    no grouping over every (article, paragraph) pair is needed)."""
    sql = "SELECT DISTINCT doc_id, paragraph FROM postings WHERE term = ?"
    params.append(words[0])
    for word in words[1:]:
        sql += " AND (doc_id, paragraph) IN (SELECT doc_id, paragraph FROM postings WHERE term = ?)"
        params.append(word)
    return sql


def _phrase_check(phrases: Sequence[Sequence[str]], params: list, *, joined: str, text: str) -> str:
    """A condition true when ``text`` holds every phrase. The regular expressions are wrapped
    in a CASE on ``joined`` (a condition on both sides of the join with the candidates) so
    that DuckDB cannot push them down into the paragraphs scan, where they would run on every
    paragraph instead of the candidates."""
    checks = [_phrase_sql(phrase, text, params) for phrase in phrases]
    return f"CASE WHEN {joined} THEN {' AND '.join(checks)} END"


def _phrase_docs(phrase: Sequence[str], params: list) -> str:
    """SQL of the doc_id of articles where ``phrase`` occurs within one paragraph: only
    paragraphs holding all its words go through the regular expression."""
    cand = _paragraphs_with_all(sorted(set(phrase)), params)
    check = _phrase_check([phrase], params, joined="c.paragraph = p.paragraph", text="p.text")
    return f"""SELECT DISTINCT c.doc_id FROM ({cand}) c
               JOIN paragraphs p ON p.doc_id = c.doc_id AND p.paragraph = c.paragraph WHERE {check}"""


def _hits(query: Query, params: list, *, within: tuple[str, list] | None = None) -> str:
    """SQL of the paragraphs holding any query word: doc_id, paragraph, mask (bit i set when
    word i of ``query.words`` occurs), phrases (bit i set when phrase i occurs). Words come
    from ``postings`` (sorted by term, so only the row groups of these words are read); only
    paragraphs holding every word of a phrase go through its regular expression. ``within``
    (SQL of doc_ids and its parameters) restricts the articles looked at."""
    _check_words(query)
    words = list(query.words)
    params.append(words)
    terms = _in(words, params)
    restrict = ""
    if within is not None:
        restrict = f"AND doc_id IN ({within[0]})"
        params.extend(within[1])
    base = (
        "SELECT doc_id, paragraph, "
        "bit_or(CAST(1 AS BIGINT) << (list_position(?::VARCHAR[], term) - 1)) AS mask "
        f"FROM postings WHERE term IN {terms} {restrict} "
        "GROUP BY doc_id, paragraph"
    )
    if not query.phrases:
        return f"SELECT doc_id, paragraph, mask, CAST(0 AS BIGINT) AS phrases FROM ({base})"
    masks = [sum(1 << words.index(w) for w in set(phrase)) for phrase in query.phrases]
    covered = " OR ".join(f"(h.mask & {m}) = {m}" for m in masks)
    bits = " + ".join(
        f"CASE WHEN (h.mask & {m}) = {m} AND {_phrase_sql(phrase, 'p.text', params)} "
        f"THEN {1 << i} ELSE 0 END"
        for i, (m, phrase) in enumerate(zip(masks, query.phrases, strict=True))
    )
    return f"""
        WITH h AS MATERIALIZED ({base})
        SELECT h.doc_id, h.paragraph, h.mask, CAST(coalesce(x.phrases, 0) AS BIGINT) AS phrases
        FROM h LEFT JOIN (
            SELECT h.doc_id, h.paragraph, {bits} AS phrases
            FROM h JOIN paragraphs p USING (doc_id, paragraph) WHERE {covered}) x
        USING (doc_id, paragraph)"""


def _all_found(query: Query) -> str:
    """HAVING condition over :func:`_hits` rows of one article: every word and phrase found."""
    return (
        f"bit_or(mask) = {(1 << len(query.words)) - 1} "
        f"AND bit_or(phrases) = {(1 << len(query.phrases)) - 1}"
    )


def _text_match(query: Query, params: list) -> str:
    """SQL selecting doc_id of the articles matching ``query`` (see :func:`parse_query`):
    articles holding every word (grouped by article, not by paragraph), then, for each
    phrase, those where it occurs."""
    _check_words(query)
    words = list(query.words)
    terms = _in(words, params)
    params.append(words)
    sql = f"""SELECT doc_id FROM postings WHERE term IN {terms} GROUP BY doc_id
              HAVING bit_or(CAST(1 AS BIGINT) << (list_position(?::VARCHAR[], term) - 1))
                     = {(1 << len(words)) - 1}"""
    for phrase in query.phrases:
        sql = f"SELECT doc_id FROM ({sql}) WHERE doc_id IN ({_phrase_docs(phrase, params)})"
    return sql


def _where(
    start: Day,
    end: Day,
    sources: Sequence[str | None] | None,
    text: str | None,
    entity: str | None,
    params: list,
    *,
    alias: str = "a",
    include_duplicates: bool = False,
    every_revision: bool = False,
) -> str:
    """The common filter as a condition on ``articles`` (aliased ``alias``): the counted
    articles (every latest copy with ``include_duplicates``, every article at all with
    ``every_revision``) that it selects."""
    parts = ["TRUE" if every_revision else _counted(alias, include_duplicates)]
    if start is not None:
        parts.append(f"{alias}.date >= CAST(? AS DATE)")
        params.append(str(start))
    if end is not None:
        parts.append(f"{alias}.date <= CAST(? AS DATE)")
        params.append(str(end))
    if sources is not None:
        parts.append(_source_condition(f"{alias}.source", sources, params))
    if entity is not None:
        parts.append(f"{alias}.doc_id IN (SELECT doc_id FROM entities WHERE entity = ?)")
        params.append(entity)
    parsed = parse_search(text)
    if parsed.node is not None:
        parts.append(query_condition(parsed, params, alias=alias))
    return " AND ".join(parts)


def _counted(alias: str, include_duplicates: bool) -> str:
    """The condition on ``articles`` (aliased ``alias``) of the articles counted."""
    return (LATEST if include_duplicates else COUNTED).replace("a.", f"{alias}.")


def _selected(
    start,
    end,
    sources,
    text,
    entity,
    params: list,
    *,
    extra: str = "",
    include_duplicates: bool = False,
) -> str:
    """A subquery of selected articles: doc_id, doc_key, date, source (plus ``extra``)."""
    where = _where(start, end, sources, text, entity, params, include_duplicates=include_duplicates)
    return f"SELECT a.doc_id, a.doc_key, a.date, a.source{extra} FROM articles a WHERE {where}"


def _interval(interval: str) -> str:
    if interval not in INTERVALS:
        raise ValueError(f"interval must be one of {', '.join(INTERVALS)}, not {interval!r}")
    return interval


def _model(model: str) -> tuple[str, str]:
    if model not in MODELS:
        raise ValueError(f"model must be one of {', '.join(MODELS)}, not {model!r}")
    return MODELS[model]


def _run(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> pd.DataFrame:
    return con.execute(sql, params).df()


def _run_empty(source: Source, sql: str, params: list) -> pd.DataFrame:
    """The columns of ``sql`` with no rows, without reading any table."""
    with _open(source) as con:
        return con.execute(f"SELECT * FROM ({sql}) WHERE FALSE", params).df()


def _outlet_condition(
    con,
    start: Day,
    end: Day,
    sources: Sequence[str | None] | None,
    text: str | None,
    entity: str | None,
    params: list,
    *,
    include_duplicates: bool = False,
) -> str | None:
    """A condition on the ``source`` column of the per-outlet tables (``term_sources`` and
    :data:`~analysis.storage.corpus.schema.OUTLET_TOTALS`) selecting what the filter selects, or None
    when they cannot answer: a date, text or entity filter, no outlet asked for (those tables
    file it under ``''``), or, for the whole corpus, an article whose outlet is ``''``; or
    every copy asked for (they count each story once)."""
    if include_duplicates:
        return None
    if start is not None or end is not None or _has_query(text) or entity is not None:
        return None
    sources = _outlets(sources)
    if sources is None:
        blank = con.execute("SELECT count(*) FROM articles WHERE source = ''").fetchone()[0]
        return None if blank else "TRUE"
    if sources and all(sources):
        return f"source IN {_in(sources, params)}"
    return None


def _unfiltered(start, end, sources, text, entity) -> bool:
    return (
        start is None
        and end is None
        and sources is None
        and not _has_query(text)
        and entity is None
    )


def _day(value: Day) -> date | None:
    return None if value is None else date.fromisoformat(str(value)[:10])


def _whole_months(start: Day, end: Day, text: str | None, entity: str | None) -> bool:
    """Whether a filter selects whole calendar months and outlets only, so that word counts
    can come from ``term_months``."""
    first, last = _day(start), _day(end)
    return (
        not _has_query(text)
        and entity is None
        and (first is None or first.day == 1)
        and (last is None or (last + timedelta(days=1)).day == 1)
    )


def _outlets_only(
    start: Day, end: Day, sources: Sequence[str | None] | None, text: str | None, entity: str | None
) -> bool:
    """Whether a filter selects named outlets only, so that word counts can come from
    ``term_sources`` (where ``''`` stands for no outlet: None and ``''`` are left to
    ``term_months``)."""
    return (
        start is None
        and end is None
        and not _has_query(text)
        and entity is None
        and bool(sources)
        and all(_outlets(sources))
    )


def _month_where(start: Day, end: Day, sources: Sequence[str | None] | None, params: list) -> str:
    """The filter of :func:`_whole_months` as a condition on ``term_months``."""
    parts = ["TRUE"]
    if start is not None:
        parts.append("month >= CAST(? AS DATE)")
        params.append(str(_day(start)))
    if end is not None:
        parts.append("month <= CAST(? AS DATE)")
        params.append(str(_day(end)))
    if sources is not None:
        parts.append(_source_condition("source", sources, params))
    return " AND ".join(parts)
