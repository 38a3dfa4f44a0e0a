"""Questions asked of the whole corpus: plain functions returning DataFrames.

Every function takes ``source`` first: an open DuckDB connection (e.g. from
:meth:`CorpusStore.reader`, to run several queries under one open), a :class:`CorpusReader`
(a connection kept open between queries and let go when idle or when a writer waits: what a
long-running app should hold) or a :class:`CorpusStore` (opened read-only for this one query). Most accept the common filter, keyword-only:

- ``start``, ``end``: first and last day (``datetime.date`` or ISO string), inclusive;
  articles without a date are left out when either is given.
- ``sources``: outlets to keep; ``None`` (or :data:`NO_OUTLET`, "(no outlet)") in the list
  keeps articles with no outlet.
- ``text``: a query in the corpus query language (words, "phrases", AND, OR, NOT, ``-word``,
  parentheses, ``prefix*``, ``source:``, ``entity:``, ``title:``; see
  :mod:`analysis.storage.corpus.query_language`), matched per article; a query that cannot be
  read raises :class:`~analysis.storage.corpus.query_language.QuerySyntaxError`.
- ``entity``: a named entity (canonical name) the article must mention.
- ``include_duplicates``: count every copy of a story. By default each story counts once:
  near-duplicates (``articles.duplicate_of`` set: wire copy on two sites, a site's two URLs)
  are left out; older revisions of a URL never count (only ``articles.latest`` ones).

Every result has the same columns when it has no rows, and its order is total (ties broken
by name or key), so output is deterministic.
"""

from __future__ import annotations

import re
import uuid
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
    ranking_sql,
    simple_words,
    text_terms,
)
from analysis.storage.corpus.schema import COUNTED, LATEST
from analysis.storage.corpus.store import CorpusReader, CorpusStore
from analysis.storage.corpus.wordlists import recount_sql, skipped_terms

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


class CorpusInfo(NamedTuple):
    articles: int
    words: int
    paragraphs: int  # body paragraphs
    entities: int  # distinct (entity, label) pairs
    errors: int
    first: date | None
    last: date | None
    sources: int  # distinct outlets (articles with no outlet not counted)
    duplicates: int = 0  # near-duplicate copies (latest revisions), left out of the counts above
    revisions: int = 0  # older revisions kept beside the latest ones
    collected_from: int = 0  # sources in the collector's list (feeds, sites, sitemaps, files)


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


# -- the queries -----------------------------------------------------------------------------


def mentions_over_time(
    source: Source,
    *,
    entities: Sequence[str] = (),
    terms: Sequence[str] = (),
    interval: str = "week",
    by_source: bool = False,
    start: Day = None,
    end: Day = None,
    sources: Sequence[str | None] | None = None,
    text: str | None = None,
    entity: str | None = None,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Mentions of chosen entities (canonical names, any label) and terms (words, case-folded)
    per period, with the number of articles per period for context.

    Periods are ``date_trunc(interval, date)``: weeks start on Monday. Every period that has
    a selected article gets a row for every item (zeros included), so a line chart has no gaps.

    Returns:
        period (date), source (only when ``by_source``), item, kind ("entity" or "term"),
        mentions (entity mentions, or occurrences of the word), articles (articles with at
        least one), period_articles (selected articles in the period [and source]); ordered by
        period, source (no outlet last), kind, item.
    """
    params: list = [_interval(interval)]
    sel = _selected(
        start,
        end,
        sources,
        text,
        entity,
        params,
        extra=", CAST(date_trunc(?, a.date) AS DATE) AS period",
        include_duplicates=include_duplicates,
    )
    src = "source, " if by_source else ""
    src_join = "AND h.source IS NOT DISTINCT FROM p.source " if by_source else ""
    terms = sorted({t.casefold() for t in terms})
    names = sorted(set(entities))
    params += [names, terms, names, terms]
    sql = f"""
        WITH sel AS ({sel} AND a.date IS NOT NULL),
        periods AS (SELECT period, {src}count(*) AS period_articles FROM sel GROUP BY ALL),
        items AS (SELECT unnest(?::VARCHAR[]) AS item, 'entity' AS kind
                  UNION ALL SELECT unnest(?::VARCHAR[]), 'term'),
        hits AS (
            SELECT s.period, {"s.source, " if by_source else ""}m.entity AS item, 'entity' AS kind,
                   count(*) AS mentions, count(DISTINCT m.doc_id) AS articles
            FROM mentions m JOIN sel s USING (doc_id)
            WHERE m.entity IN (SELECT unnest(?::VARCHAR[])) GROUP BY ALL
            UNION ALL
            SELECT s.period, {"s.source, " if by_source else ""}t.term, 'term',
                   sum(t.count), count(DISTINCT t.doc_id)
            FROM postings t JOIN sel s USING (doc_id)
            WHERE t.term IN (SELECT unnest(?::VARCHAR[])) GROUP BY ALL)
        SELECT p.period, {"p.source, " if by_source else ""}i.item, i.kind,
               CAST(coalesce(h.mentions, 0) AS BIGINT) AS mentions,
               CAST(coalesce(h.articles, 0) AS BIGINT) AS articles, p.period_articles
        FROM periods p CROSS JOIN items i
        LEFT JOIN hits h ON h.period = p.period AND h.item = i.item AND h.kind = i.kind {src_join}
        ORDER BY p.period, {"p.source NULLS LAST, " if by_source else ""}i.kind, i.item
    """
    with _open(source) as con:
        return _run(con, sql, params)


def top_entities(
    source: Source,
    *,
    labels: Sequence[str] | None = None,
    limit: int = 20,
    start: Day = None,
    end: Day = None,
    sources: Sequence[str | None] | None = None,
    text: str | None = None,
    entity: str | None = None,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """The most mentioned named entities, optionally of some labels only (PERSON, ORG, ...).

    Returns:
        entity, label, mentions, articles (articles mentioning it); at most ``limit`` rows,
        by mentions, then articles (both descending), then entity and label.
    """
    with _open(source) as con:
        params: list = []
        outlets = _outlet_condition(
            con, start, end, sources, text, entity, params, include_duplicates=include_duplicates
        )
        if outlets is not None:
            label_cond = "" if labels is None else f"AND label IN {_in(labels, params)}"
            params.append(limit)
            sql = f"""
                SELECT entity, label, CAST(sum(count) AS BIGINT) AS mentions,
                       CAST(sum(articles) AS BIGINT) AS articles
                FROM entity_sources WHERE {outlets} {label_cond}
                GROUP BY entity, label
                ORDER BY mentions DESC, articles DESC, entity, label LIMIT ?
            """
            return _run(con, sql, params)
        sel = _selected(
            start, end, sources, text, entity, params, include_duplicates=include_duplicates
        )
        label_cond = ""
        if labels is not None:
            label_cond = f"AND e.label IN {_in(labels, params)}"
        params.append(limit)
        sql = f"""
            SELECT e.entity, e.label, CAST(sum(e.count) AS BIGINT) AS mentions,
                   count(*) AS articles
            FROM entities e JOIN ({sel}) s USING (doc_id) WHERE TRUE {label_cond}
            GROUP BY e.entity, e.label
            ORDER BY mentions DESC, articles DESC, e.entity, e.label LIMIT ?
        """
        return _run(con, sql, params)


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


def top_terms(
    source: Source,
    *,
    include_stop: bool = False,
    extra_stop_words: Sequence[str] = (),
    drop_markers: bool = True,
    limit: int = 20,
    start: Day = None,
    end: Day = None,
    sources: Sequence[str | None] | None = None,
    text: str | None = None,
    entity: str | None = None,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """The most frequent words (case-folded). Left out: spaCy's stop words unless
    ``include_stop``; ``extra_stop_words`` (the reader's own, any case, "said, also" counts
    as two); with ``drop_markers``, speaker labels of transcripts and interviews ("WN:" at
    the start of a paragraph, "((WSS))"; see :mod:`analysis.storage.corpus.wordlists`).

    Returns:
        term, count (occurrences), articles (articles using it); at most ``limit`` rows, by
        count, then articles (both descending), then term.
    """
    stop = "" if include_stop else "AND NOT is_stop"
    filters = (start, end, sources, text, entity)
    with _open(source) as con:
        params: list = []
        where = _where(*filters, params, include_duplicates=include_duplicates)
        with skipped_terms(
            con,
            extra_stop_words=extra_stop_words,
            drop_markers=drop_markers,
            where=where,
            params=params,
        ) as skip:
            frame = _top_terms(
                con,
                stop=stop + skip.condition,
                limit=limit,
                filters=filters,
                include_duplicates=include_duplicates,
            )
            if not skip.relation:
                return frame
            recount = _run(
                con,
                recount_sql(skip, f"SELECT a.doc_id FROM articles a WHERE {where}", stop=stop),
                params,
            )
    frame = pd.concat([frame, recount], ignore_index=True) if len(recount) else frame
    frame = frame.sort_values(
        ["count", "articles", "term"], ascending=[False, False, True], kind="stable"
    )
    return (
        frame.head(max(limit, 0))
        .reset_index(drop=True)
        .astype({"count": "int64", "articles": "int64"})
    )


def _top_terms(
    con, *, stop: str, limit: int, filters: tuple, include_duplicates: bool = False
) -> pd.DataFrame:
    """:func:`top_terms` with ``stop`` (a condition on a ``term``/``is_stop`` table) saying
    what is left out."""
    start, end, sources, text, entity = filters
    # The totals tables count each story once: every copy is counted from the terms.
    shortcut = not include_duplicates
    if shortcut and _unfiltered(start, end, sources, text, entity):
        sql = f"""SELECT term, count, articles FROM term_totals WHERE TRUE {stop}
                  ORDER BY count DESC, articles DESC, term LIMIT ?"""
        return _run(con, sql, [limit])
    if shortcut and _outlets_only(start, end, sources, text, entity):
        params: list = []
        outlets = _in(sources, params)
        params.append(limit)
        sql = f"""
            SELECT term, CAST(sum(count) AS BIGINT) AS count, CAST(sum(articles) AS BIGINT) AS articles
            FROM term_sources WHERE source IN {outlets} {stop} GROUP BY term
            ORDER BY count DESC, articles DESC, term LIMIT ?
        """
        if len(sources) == 1:
            sql = f"""SELECT term, count, articles FROM term_sources WHERE source IN {outlets} {stop}
                      ORDER BY count DESC, articles DESC, term LIMIT ?"""
        return _run(con, sql, params)
    if shortcut and _whole_months(start, end, text, entity):
        params = []
        where = _month_where(start, end, sources, params)
        params.append(limit)
        sql = f"""
            SELECT term, CAST(sum(count) AS BIGINT) AS count, CAST(sum(articles) AS BIGINT) AS articles
            FROM term_months WHERE {where} {stop} GROUP BY term HAVING sum(count) > 0
            ORDER BY count DESC, articles DESC, term LIMIT ?
        """
        return _run(con, sql, params)
    params = []
    sel = _selected(
        start, end, sources, text, entity, params, include_duplicates=include_duplicates
    )
    params += [max(limit, 1), limit]
    # The ranking is by count first: counting each word's uses needs no DISTINCT, and the
    # articles using it (a distinct count, several times dearer over every word) are
    # counted only for the words whose count reaches the last place, ties included.
    sql = f"""
        WITH s AS MATERIALIZED (SELECT doc_id FROM ({sel})),
        counted AS MATERIALIZED (
            SELECT term, sum(count) AS count FROM terms
            WHERE doc_id IN (SELECT doc_id FROM s) {stop} GROUP BY term),
        leaders AS (
            SELECT term, count FROM counted WHERE count >= (
                SELECT min(count) FROM (SELECT count FROM counted ORDER BY count DESC LIMIT ?))),
        used AS (
            SELECT term, count(DISTINCT doc_id) AS articles FROM postings
            WHERE term IN (SELECT term FROM leaders) AND doc_id IN (SELECT doc_id FROM s)
            GROUP BY term)
        SELECT l.term, CAST(l.count AS BIGINT) AS count, u.articles
        FROM leaders l JOIN used u USING (term)
        ORDER BY count DESC, articles DESC, l.term LIMIT ?
    """
    return _run(con, sql, params)


def article_sentiment(
    source: Source,
    *,
    model: str = "vader",
    toward: str | None = None,
    start: Day = None,
    end: Day = None,
    sources: Sequence[str | None] | None = None,
    text: str | None = None,
    entity: str | None = None,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """The tone of every selected article, ready for a box or strip plot per outlet.

    Without ``toward`` the tone is the article's (mean over its body paragraphs, ``model``
    "vader" or "textblob"); with ``toward`` it is the mean score of the article's sentences
    that mention that entity, and articles that do not mention it are left out.

    Returns:
        source, doc_key, title, date, tone, scored (body paragraphs, or sentences about
        ``toward``, averaged); ordered by source (no outlet last), date, doc_key.
    """
    tone_col, sentence_col = _model(model)
    params: list = []
    if toward is None:
        sel = _selected(
            start,
            end,
            sources,
            text,
            entity,
            params,
            extra=f", a.title, a.{tone_col} AS tone, a.paragraphs AS scored",
            include_duplicates=include_duplicates,
        )
        sql = f"""SELECT source, doc_key, title, date, tone, CAST(scored AS BIGINT) AS scored
                  FROM ({sel}) ORDER BY source NULLS LAST, date NULLS LAST, doc_key"""
    else:
        sel = _selected(
            start,
            end,
            sources,
            text,
            entity,
            params,
            extra=", a.title",
            include_duplicates=include_duplicates,
        )
        params.append(toward)
        sql = f"""
            SELECT s.source, s.doc_key, s.title, s.date, avg(es.{sentence_col}) AS tone,
                   count(*) AS scored
            FROM entity_sentences es JOIN ({sel}) s USING (doc_id) WHERE es.entity = ?
            GROUP BY ALL ORDER BY s.source NULLS LAST, s.date NULLS LAST, s.doc_key
        """
    with _open(source) as con:
        return _run(con, sql, params)


def sentiment_over_time(
    source: Source,
    *,
    interval: str = "week",
    by_source: bool = False,
    model: str = "vader",
    toward: str | None = None,
    start: Day = None,
    end: Day = None,
    sources: Sequence[str | None] | None = None,
    text: str | None = None,
    entity: str | None = None,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Mean tone per period (and outlet): of articles (each article counts once), or, with
    ``toward``, of the sentences that mention that entity (each sentence counts once).

    Returns:
        period (date), source (only when ``by_source``), articles, scored (articles, or
        sentences about ``toward``), tone; periods with nothing scored are left out; ordered
        by period, source (no outlet last).
    """
    tone_col, sentence_col = _model(model)
    params: list = [_interval(interval)]
    sel = _selected(
        start,
        end,
        sources,
        text,
        entity,
        params,
        extra=f", CAST(date_trunc(?, a.date) AS DATE) AS period, a.{tone_col} AS tone",
        include_duplicates=include_duplicates,
    )
    src = "s.source, " if by_source else ""
    order = "s.period" + (", s.source NULLS LAST" if by_source else "")
    if toward is None:
        sql = f"""
            SELECT s.period, {src}count(*) AS articles, count(*) AS scored, avg(s.tone) AS tone
            FROM ({sel} AND a.date IS NOT NULL) s WHERE s.tone IS NOT NULL
            GROUP BY ALL ORDER BY {order}
        """
    else:
        params.append(toward)
        sql = f"""
            SELECT s.period, {src}count(DISTINCT s.doc_id) AS articles, count(*) AS scored,
                   avg(es.{sentence_col}) AS tone
            FROM entity_sentences es JOIN ({sel} AND a.date IS NOT NULL) s USING (doc_id)
            WHERE es.entity = ? GROUP BY ALL ORDER BY {order}
        """
    with _open(source) as con:
        return _run(con, sql, params)


def entity_sentiment_over_time(
    source: Source,
    *,
    entity: str,
    interval: str = "week",
    by_source: bool = False,
    model: str = "vader",
    start: Day = None,
    end: Day = None,
    sources: Sequence[str | None] | None = None,
    text: str | None = None,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Sentiment toward one entity over time: :func:`sentiment_over_time` with
    ``toward=entity`` (the articles are those that mention it).

    Returns:
        period, source (only when ``by_source``), articles, scored (sentences), tone.
    """
    return sentiment_over_time(
        source,
        interval=interval,
        by_source=by_source,
        model=model,
        toward=entity,
        start=start,
        end=end,
        sources=sources,
        text=text,
        include_duplicates=include_duplicates,
    )


def cooccurrence(
    source: Source,
    *,
    top: int = 10,
    labels: Sequence[str] | None = None,
    start: Day = None,
    end: Day = None,
    sources: Sequence[str | None] | None = None,
    text: str | None = None,
    entity: str | None = None,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Pairs of the ``top`` most mentioned entities (as :func:`top_entities`) that appear in
    the same paragraph.

    Returns:
        entity_a, entity_b (entity_a < entity_b), paragraphs (paragraphs naming both),
        articles; pairs never together are left out; by paragraphs, then articles (both
        descending), then entity_a, entity_b.
    """
    with _open(source) as con:
        return _cooccurrence(
            con,
            top=top,
            labels=labels,
            start=start,
            end=end,
            sources=sources,
            text=text,
            entity=entity,
            include_duplicates=include_duplicates,
        )


def _cooccurrence(
    con, *, top, labels, start, end, sources, text, entity, include_duplicates
) -> pd.DataFrame:
    leaders = top_entities(
        con,
        labels=labels,
        limit=top,
        start=start,
        end=end,
        sources=sources,
        text=text,
        entity=entity,
        include_duplicates=include_duplicates,
    )
    names = sorted(set(leaders["entity"]))
    params: list = []
    outlets = _outlet_condition(
        con, start, end, sources, text, entity, params, include_duplicates=include_duplicates
    )
    if outlets is not None:
        sql = f"""
            SELECT entity_a, entity_b, CAST(sum(paragraphs) AS BIGINT) AS paragraphs,
                   CAST(sum(articles) AS BIGINT) AS articles
            FROM pair_sources
            WHERE {outlets} AND entity_a IN {_in(names, params)} AND entity_b IN {_in(names, params)}
            GROUP BY ALL ORDER BY paragraphs DESC, articles DESC, entity_a, entity_b
        """
        return _run(con, sql, params)
    sel = _selected(
        start, end, sources, text, entity, params, include_duplicates=include_duplicates
    )
    sql = f"""
        WITH places AS (
            SELECT DISTINCT e.doc_id, unnest(e.paragraphs) AS paragraph, e.entity
            FROM entities e JOIN ({sel}) s USING (doc_id)
            WHERE e.entity IN {_in(names, params)})
        SELECT x.entity AS entity_a, y.entity AS entity_b, count(*) AS paragraphs,
               count(DISTINCT x.doc_id) AS articles
        FROM places x JOIN places y
          ON x.doc_id = y.doc_id AND x.paragraph = y.paragraph AND x.entity < y.entity
        GROUP BY ALL ORDER BY paragraphs DESC, articles DESC, entity_a, entity_b
    """
    return _run(con, sql, params)


def cooccurrence_paragraphs(
    source: Source,
    *,
    entity_a: str,
    entity_b: str,
    limit: int = 100,
    start: Day = None,
    end: Day = None,
    sources: Sequence[str | None] | None = None,
    text: str | None = None,
    entity: str | None = None,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """The paragraphs behind one pair of :func:`cooccurrence`: those naming both entities.

    Returns:
        doc_key, title, source, date, paragraph, text; at most ``limit`` rows, by date, doc_key,
        paragraph.
    """
    params: list = []
    sel = _selected(
        start,
        end,
        sources,
        text,
        entity,
        params,
        extra=", a.title",
        include_duplicates=include_duplicates,
    )
    params += [entity_a, entity_b, limit]
    sql = f"""
        WITH sel AS ({sel}),
        places AS (
            SELECT DISTINCT doc_id, unnest(paragraphs) AS paragraph, entity FROM entities
            WHERE entity IN (?, ?) AND doc_id IN (SELECT doc_id FROM sel)),
        both_ AS (SELECT doc_id, paragraph FROM places GROUP BY ALL HAVING count(*) = 2)
        SELECT s.doc_key, s.title, s.source, s.date, p.paragraph, p.text
        FROM both_ b JOIN paragraphs p USING (doc_id, paragraph) JOIN sel s USING (doc_id)
        ORDER BY s.date NULLS LAST, s.doc_key, p.paragraph LIMIT ?
    """
    with _open(source) as con:
        return _run(con, sql, params)


def quoted_speakers(
    source: Source,
    *,
    by_source: bool = False,
    limit: int = 20,
    start: Day = None,
    end: Day = None,
    sources: Sequence[str | None] | None = None,
    text: str | None = None,
    entity: str | None = None,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Who is quoted most: speakers by words quoted. A speaker is the quote's entity
    (canonical name) when known, else its speaker text; quotes with neither are left out.

    Returns:
        source (only when ``by_source``), speaker, quotes, words, articles; at most ``limit``
        rows (per outlet when ``by_source``), by words, then quotes (both descending), then
        speaker (after source, no outlet last, when ``by_source``).
    """
    rank = "PARTITION BY source " if by_source else ""
    order = f"ORDER BY {'source NULLS LAST, ' if by_source else ''}words DESC, quotes DESC, speaker"
    with _open(source) as con:
        params: list = []
        outlets = _outlet_condition(
            con, start, end, sources, text, entity, params, include_duplicates=include_duplicates
        )
        if outlets is not None:
            params.append(limit)
            sql = f"""
                SELECT * FROM (
                    SELECT {"nullif(source, '') AS source, " if by_source else ""}speaker,
                           CAST(sum(quotes) AS BIGINT) AS quotes, CAST(sum(words) AS BIGINT) AS words,
                           CAST(sum(articles) AS BIGINT) AS articles
                    FROM speaker_sources WHERE {outlets} GROUP BY ALL)
                QUALIFY row_number() OVER ({rank}ORDER BY words DESC, quotes DESC, speaker) <= ?
                {order}
            """
            return _run(con, sql, params)
        sel = _selected(
            start, end, sources, text, entity, params, include_duplicates=include_duplicates
        )
        src = "s.source, " if by_source else ""
        params.append(limit)
        sql = f"""
            SELECT * FROM (
                SELECT {src}coalesce(q.entity, q.speaker) AS speaker, count(*) AS quotes,
                       CAST(sum(q.words) AS BIGINT) AS words, count(DISTINCT q.doc_id) AS articles
                FROM quotes q JOIN ({sel}) s USING (doc_id)
                WHERE coalesce(q.entity, q.speaker) IS NOT NULL
                GROUP BY ALL)
            QUALIFY row_number() OVER ({rank}ORDER BY words DESC, quotes DESC, speaker) <= ?
            {order}
        """
        return _run(con, sql, params)


def distinctive_terms(
    source: Source,
    *,
    doc_key: str | None = None,
    of_source: str | None = None,
    start: Day = None,
    end: Day = None,
    include_stop: bool = False,
    limit: int = 20,
    prior_scale: float = 1.0,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Words that set one article, one outlet or one period apart from the rest of the corpus.

    The target is the articles matching every one given of ``doc_key``, ``of_source``,
    ``start``/``end``; the rest is every other stored article. Score: the log-odds ratio with
    an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words"), chosen
    because raw frequency ratios rank rare words first and plain log-odds overstate words
    seen once or twice; the prior shrinks those, and dividing by the estimate's standard
    deviation gives a z-score that is comparable across words. The prior is the whole
    corpus's counts (``alpha_w = prior_scale * count_w``), as in the paper when the background
    is the corpus itself. The corpus is the counted articles (every latest copy with
    ``include_duplicates``), plus the ``doc_key`` article when it is not one of them (an
    older revision, a near-duplicate).

    Returns:
        term, count (in the target), rest (in the other articles), log_odds, z; words the
        target uses with z > 0 only; at most ``limit`` rows by z descending, then term.
    """
    if doc_key is None and of_source is None and start is None and end is None:
        raise ValueError("distinctive_terms needs a target: doc_key, of_source, or start/end")
    params: list = []
    parts = ["TRUE"]
    if doc_key is not None:
        parts.append("a.doc_key = ?")
        params.append(doc_key)
    stop = "" if include_stop else "AND NOT is_stop"
    outlets = None if of_source is None else [of_source]
    shortcut = doc_key is None and not include_duplicates
    if shortcut and _outlets_only(start, end, outlets, None, None):
        target = f"""SELECT term, CAST(count AS DOUBLE) AS y FROM term_sources
                     WHERE source IN {_in(outlets, params)} {stop}"""
    elif shortcut and _whole_months(start, end, None, None):
        where = _month_where(start, end, outlets, params)
        target = f"""SELECT term, CAST(sum(count) AS DOUBLE) AS y FROM term_months
                     WHERE {where} {stop} GROUP BY term HAVING sum(count) > 0"""
    else:
        where = _where(
            start,
            end,
            outlets,
            None,
            None,
            params,
            include_duplicates=include_duplicates,
            every_revision=doc_key is not None,
        )
        target = f"""
            SELECT t.term, CAST(sum(t.count) AS DOUBLE) AS y
            FROM terms t JOIN (SELECT a.doc_id FROM articles a WHERE {" AND ".join(parts)} AND {where}) s
              USING (doc_id)
            WHERE TRUE {stop}
            GROUP BY t.term"""
    totals = f"SELECT term, CAST(count AS DOUBLE) AS total FROM term_totals WHERE TRUE {stop}"
    if include_duplicates or doc_key is not None:
        # The totals tables hold the counted articles only: every latest copy is summed from
        # the terms, and the target article is added when it is not among them.
        background = (
            f"SELECT t.term, t.count FROM terms t JOIN articles a USING (doc_id) "
            f"WHERE {LATEST} {stop}"
            if include_duplicates
            else f"SELECT term, count FROM term_totals WHERE TRUE {stop}"
        )
        outside = "SELECT NULL AS term, 0 AS count WHERE FALSE"
        if doc_key is not None:
            outside = f"""SELECT t.term, t.count FROM terms t JOIN articles a USING (doc_id)
                          WHERE a.doc_key = ? AND NOT {_counted("a", include_duplicates)} {stop}"""
            params.append(doc_key)
        totals = f"""SELECT term, CAST(sum(count) AS DOUBLE) AS total
                     FROM ({background} UNION ALL {outside}) GROUP BY term"""
    params += [prior_scale, limit]
    sql = f"""
        WITH target AS ({target}),
        totals AS ({totals}),
        counts AS MATERIALIZED (
            SELECT t.term, coalesce(g.y, 0) AS y, t.total - coalesce(g.y, 0) AS r,
                   ? * t.total AS alpha
            FROM totals t LEFT JOIN target g USING (term)),
        sums AS (SELECT sum(y) AS ny, sum(r) AS nr, sum(alpha) AS a0 FROM counts),
        scored AS (
            SELECT c.term, c.y, c.r,
                   ln((c.y + c.alpha) / (s.ny + s.a0 - c.y - c.alpha))
                   - ln((c.r + c.alpha) / (s.nr + s.a0 - c.r - c.alpha)) AS log_odds,
                   1 / (c.y + c.alpha) + 1 / (c.r + c.alpha) AS variance
            FROM counts c CROSS JOIN sums s WHERE c.y > 0)
        SELECT term, CAST(y AS BIGINT) AS count, CAST(r AS BIGINT) AS rest, log_odds,
               log_odds / sqrt(variance) AS z
        FROM scored WHERE log_odds > 0 ORDER BY z DESC, term LIMIT ?
    """
    with _open(source) as con:
        return _run(con, sql, params)


def search(
    source: Source,
    query: str,
    *,
    limit: int = 100,
    start: Day = None,
    end: Day = None,
    sources: Sequence[str | None] | None = None,
    entity: str | None = None,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Full-text search without a search index: ``postings`` (the terms, sorted by term) finds
    the paragraphs holding query words, then paragraph text confirms phrases (the query
    language: :mod:`analysis.storage.corpus.query_language`).

    Returns:
        doc_key, title, source, date, paragraph, kind, text, hits (the query's words, phrases,
        ``title:`` and ``entity:`` terms not under a NOT found in the paragraph, a title
        counting for the headline): the paragraphs of matching articles holding at least one,
        and the first paragraph (hits 0) of a matching article that holds none (matched by
        ``source:`` or NOT alone); at most ``limit`` rows, by hits descending, date
        descending, doc_key, paragraph.
    """
    full = parse_search(query)
    simple = simple_words(full)
    if simple is None:
        return _search_boolean(
            source, full.text, limit=limit, start=start, end=end, sources=sources, entity=entity
        )
    parsed = Query(*simple)
    _check_words(parsed)
    sel_params: list = []
    sel = _selected(
        start,
        end,
        sources,
        None,
        entity,
        sel_params,
        extra=", a.title",
        include_duplicates=include_duplicates,
    )
    if not parsed.words:
        sql, params = _search_sql(parsed, sel, sel_params, limit, within=None)
        return _run_empty(source, sql, params)
    with _open(source) as con:
        # term_totals counts each story once; a word used only by other copies is in postings.
        totals = (
            "(SELECT term, sum(count) AS count FROM postings GROUP BY term)"
            if include_duplicates
            else "term_totals"
        )
        counts = dict(
            con.execute(
                f"SELECT term, count FROM {totals} WHERE term IN {_in(parsed.words, [])}",
                list(parsed.words),
            ).fetchall()
        )
        if len(counts) == len(parsed.words) and limit > 0 and len(parsed.words) <= MAX_JOINED_WORDS:
            rarest_first = sorted(parsed.words, key=lambda w: (counts[w], w))
            found = _search_full_hits(con, parsed, rarest_first, sel, sel_params, limit)
            if len(found) == limit:
                return found
        # The matching articles first, on their own: as a subquery of the ranking, DuckDB
        # plans it after grouping every paragraph that holds a query word.
        matched = f"_search_matched_{uuid.uuid4().hex}"
        match_params: list = []
        match = _text_match(parsed, match_params)
        if len(counts) < len(parsed.words) or limit <= 0:
            match += " LIMIT 0"  # a word the corpus never uses: nothing matches
        elif not _unfiltered(start, end, sources, None, entity):
            match = f"SELECT doc_id FROM ({match}) WHERE doc_id IN (SELECT doc_id FROM ({sel}))"
            match_params += sel_params
        con.execute(f"CREATE TEMP TABLE {matched} AS {match}", match_params)
        try:
            sql, params = _search_sql(
                parsed, sel, sel_params, limit, within=f"SELECT doc_id FROM {matched}"
            )
            return _run(con, sql, params)
        finally:
            con.execute(f"DROP TABLE IF EXISTS {matched}")


def _search_boolean(
    source: Source, query: str, *, limit: int, start, end, sources, entity
) -> pd.DataFrame:
    """:func:`search` for a query with OR, NOT, fields, prefixes or words with inner
    punctuation: the matching articles first, then the paragraphs of those that hold a term
    of the query (not under a NOT), each term looked up within the matching articles only."""
    match_params: list = []
    where = _where(start, end, sources, query, entity, match_params)
    matched = f"_search_matched_{uuid.uuid4().hex}"
    sql, params = ranking_sql(parse_search(query), within=f"SELECT doc_id FROM {matched}")
    params.append(limit)
    with _open(source) as con:
        con.execute(
            f"CREATE TEMP TABLE {matched} AS SELECT a.doc_id FROM articles a WHERE {where}",
            match_params,
        )
        try:
            return _run(con, sql, params)
        finally:
            con.execute(f"DROP TABLE IF EXISTS {matched}")


def _search_sql(
    parsed: Query, sel: str, sel_params: list, limit: int, *, within: str | None
) -> tuple[str, list]:
    """The ranking of :func:`search` over the articles selected by ``within`` (SQL of
    doc_ids, or None for every article), and its parameters."""
    params: list = []
    hits = _hits(parsed, params, within=None if within is None else (within, []))
    params += [*sel_params, limit]
    sql = f"""
        WITH hits AS MATERIALIZED ({hits}),
        sel AS ({sel}),
        matched AS (SELECT doc_id FROM hits GROUP BY doc_id HAVING {_all_found(parsed)}),
        ranked AS (
            SELECT s.doc_key, s.title, s.source, s.date, h.doc_id, h.paragraph,
                   CAST(bit_count(h.mask) + bit_count(h.phrases) AS BIGINT) AS hits
            FROM hits h JOIN matched USING (doc_id) JOIN sel s USING (doc_id)
            ORDER BY hits DESC, s.date DESC NULLS LAST, s.doc_key, h.paragraph LIMIT ?)
        SELECT r.doc_key, r.title, r.source, r.date, r.paragraph, p.kind, p.text, r.hits
        FROM ranked r JOIN paragraphs p USING (doc_id, paragraph)
        ORDER BY r.hits DESC, r.date DESC NULLS LAST, r.doc_key, r.paragraph
    """
    return sql, params


def _search_full_hits(
    con, parsed: Query, words: Sequence[str], sel: str, sel_params: list, limit: int
) -> pd.DataFrame:
    """The first ``limit`` rows of :func:`search` when at least ``limit`` paragraphs hold
    every query word and phrase (fewer rows otherwise, and the caller ranks everything).
    Such paragraphs have the most hits possible, so they rank first, by date, doc_key and
    paragraph; finding them needs no grouping of every paragraph holding some word, and the
    phrases are checked on the newest candidates only (up to :data:`PHRASE_CANDIDATES` times
    ``limit``)."""
    params: list = []
    every = _paragraphs_with_all(words, params)
    params += [*sel_params]
    take = limit * PHRASE_CANDIDATES if parsed.phrases else limit
    params.append(take)
    check = "TRUE"
    if parsed.phrases:
        check = _phrase_check(
            parsed.phrases, params, joined="c.paragraph = p.paragraph", text="p.text"
        )
    params.append(limit)
    total = len(parsed.words) + len(parsed.phrases)
    sql = f"""
        WITH c AS MATERIALIZED (
            SELECT s.doc_key, s.title, s.source, s.date, s.doc_id, x.paragraph
            FROM ({every}) x JOIN ({sel}) s USING (doc_id)
            ORDER BY s.date DESC NULLS LAST, s.doc_key, x.paragraph LIMIT ?)
        SELECT c.doc_key, c.title, c.source, c.date, c.paragraph, p.kind, p.text,
               CAST({total} AS BIGINT) AS hits
        FROM c JOIN paragraphs p ON p.doc_id = c.doc_id AND p.paragraph = c.paragraph
        WHERE {check}
        ORDER BY c.date DESC NULLS LAST, c.doc_key, c.paragraph LIMIT ?
    """
    return _run(con, sql, params)


def article_table(
    source: Source,
    *,
    sort: str = "date",
    descending: bool = True,
    limit: int | None = None,
    offset: int = 0,
    start: Day = None,
    end: Day = None,
    sources: Sequence[str | None] | None = None,
    text: str | None = None,
    entity: str | None = None,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """The selected articles, one row each, sorted by ``sort`` (ties by doc_key ascending;
    missing values last).

    Returns:
        doc_key, title, source, date, words, tone_vader, tone_textblob, top_entities.
    """
    if sort not in ARTICLE_SORTS:
        raise ValueError(f"sort must be one of {', '.join(ARTICLE_SORTS)}, not {sort!r}")
    params: list = []
    where = _where(start, end, sources, text, entity, params, include_duplicates=include_duplicates)
    direction = "DESC" if descending else "ASC"
    params += [limit, offset]
    sql = f"""
        SELECT a.doc_key, a.title, a.source, a.date, a.words, a.tone_vader, a.tone_textblob,
               a.top_entities
        FROM articles a WHERE {where}
        ORDER BY a.{sort} {direction} NULLS LAST, a.doc_key LIMIT ? OFFSET ?
    """
    with _open(source) as con:
        return _run(con, sql, params)


def source_counts(
    source: Source,
    *,
    start: Day = None,
    end: Day = None,
    text: str | None = None,
    entity: str | None = None,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Articles per outlet.

    Returns:
        source (None for no outlet), articles, first, last (dates); by articles descending,
        then source (no outlet last).
    """
    params: list = []
    where = _where(start, end, None, text, entity, params, include_duplicates=include_duplicates)
    sql = f"""SELECT source, count(*) AS articles, min(date) AS first, max(date) AS last
              FROM articles a WHERE {where} GROUP BY source
              ORDER BY articles DESC, source NULLS LAST"""
    with _open(source) as con:
        return _run(con, sql, params)


def corpus_info(source: Source) -> CorpusInfo:
    """What the corpus holds.

    Returns:
        a :class:`CorpusInfo`: counts of articles (each story once: latest revisions,
        near-duplicates aside), words, body paragraphs, distinct entities, errors; the first
        and last dates; the number of outlets; near-duplicate copies, older revisions, and
        sources in the collector's list.
    """
    sql = f"""
        SELECT count(*) FILTER ({COUNTED}), coalesce(sum(words) FILTER ({COUNTED}), 0),
               coalesce(sum(paragraphs) FILTER ({COUNTED}), 0),
               (SELECT count(*) FROM (SELECT DISTINCT entity, label FROM entity_sources)),
               (SELECT count(*) FROM errors), min(date) FILTER ({COUNTED}),
               max(date) FILTER ({COUNTED}), count(DISTINCT source) FILTER ({COUNTED}),
               count(*) FILTER ({LATEST} AND a.duplicate_of IS NOT NULL),
               count(*) FILTER (NOT {LATEST}),
               (SELECT count(*) FROM collect_sources)
        FROM articles a
    """
    with _open(source) as con:
        row = con.execute(sql).fetchone()
    return CorpusInfo(*(int(v) for v in row[:5]), row[5], row[6], *(int(v) for v in row[7:]))


# -- what the dashboard's Corpus and Compare pages ask besides the above ----------------------

#: Paragraphs :func:`mention_paragraphs` gives at most unless told.
MENTION_PARAGRAPHS = 60


def mention_paragraphs(
    source: Source,
    *,
    entities: Sequence[str] = (),
    terms: Sequence[str] = (),
    limit: int = MENTION_PARAGRAPHS,
    start: Day = None,
    end: Day = None,
    sources: Sequence[str | None] | None = None,
    text: str | None = None,
    entity: str | None = None,
) -> pd.DataFrame:
    """The paragraphs of the selected articles that mention any of ``entities`` (canonical
    names) or use any of ``terms`` (case-folded words).

    Returns:
        doc_key, title, source, date, paragraph, text, items (``e:``/``t:`` items found,
        sorted), spans (``[start, end]`` of each entity mention, by start; terms are located
        by the caller in the text); at most ``limit`` rows, by date, doc_key, paragraph.
    """
    params: list = []
    sel = _selected(start, end, sources, text, entity, params, extra=", a.title")
    params += [sorted(set(entities)), sorted({t.casefold() for t in terms}), limit]
    sql = f"""
        WITH sel AS ({sel}),
        hits AS (
            SELECT m.doc_id, m.paragraph, m.start AS s, m."end" AS e, 'e:' || m.entity AS item
            FROM mentions m WHERE m.entity IN (SELECT unnest(?::VARCHAR[]))
              AND m.doc_id IN (SELECT doc_id FROM sel)
            UNION ALL
            SELECT p.doc_id, p.paragraph, NULL, NULL, 't:' || p.term
            FROM postings p WHERE p.term IN (SELECT unnest(?::VARCHAR[]))
              AND p.doc_id IN (SELECT doc_id FROM sel)),
        paras AS (
            SELECT doc_id, paragraph, list_sort(list_distinct(list(item))) AS items,
                   coalesce(list([s, e] ORDER BY s) FILTER (WHERE s IS NOT NULL), []) AS spans
            FROM hits GROUP BY doc_id, paragraph)
        SELECT s.doc_key, s.title, s.source, s.date, x.paragraph, p.text, x.items, x.spans
        FROM paras x JOIN paragraphs p USING (doc_id, paragraph) JOIN sel s USING (doc_id)
        ORDER BY s.date NULLS LAST, s.doc_key, x.paragraph LIMIT ?
    """
    with _open(source) as con:
        return con.execute(sql, params).df()


def selected_count(
    source: Source,
    *,
    start: Day = None,
    end: Day = None,
    sources: Sequence[str | None] | None = None,
    text: str | None = None,
    entity: str | None = None,
) -> int:
    """The number of articles the common filter selects.

    Raises:
        ArticleError: the search holds too many words.
    """
    params: list = []
    sel = _selected(start, end, sources, text, entity, params)
    with _open(source) as con:
        return int(con.execute(f"SELECT count(*) FROM ({sel})", params).fetchone()[0])


def article_texts(source: Source, *, keys: Sequence[str]) -> pd.DataFrame:
    """Stored articles by key or key prefix (8 to 64 hex digits), as text to analyse again.

    Returns:
        doc_key, title, source, date, text (headline, blank line, body paragraphs, as an
        article file is written); one row per key found, in the order of ``keys``.
    """
    params = [list(keys)]
    sql = """
        WITH wanted AS (SELECT k, row_number() OVER () AS n FROM (SELECT unnest(?::VARCHAR[]) AS k)),
        found AS (SELECT DISTINCT ON (w.n) w.n, a.doc_id, a.doc_key, a.title, a.source, a.date
                  FROM wanted w JOIN articles a ON starts_with(a.doc_key, w.k) ORDER BY w.n, a.doc_key)
        SELECT f.doc_key, f.title, f.source, f.date,
               string_agg(p.text, chr(10) || chr(10) ORDER BY p.paragraph) AS text
        FROM found f JOIN paragraphs p ON p.doc_id = f.doc_id AND p.kind IN ('headline', 'body')
        GROUP BY f.n, f.doc_key, f.title, f.source, f.date ORDER BY f.n
    """
    with _open(source) as con:
        return con.execute(sql, params).df()


def filtered_parquet(
    source: Source,
    *,
    start: Day = None,
    end: Day = None,
    sources: Sequence[str | None] | None = None,
    text: str | None = None,
    entity: str | None = None,
) -> bytes:
    """The selected articles' rows of every table, as a .zip of ``<table>.parquet`` files in
    contract form (what ``newslens corpus import`` reads back).

    Returns:
        the archive's bytes (stored, not compressed: Parquet is compressed already).
    """
    import io
    import tempfile
    import zipfile
    from pathlib import Path

    from analysis.storage.corpus.schema import TABLES
    from analysis.storage.corpus.store import contract_select

    params: list = []
    sel = _selected(start, end, sources, text, entity, params)
    with _open(source) as con, tempfile.TemporaryDirectory() as tmp:
        con.execute(f"CREATE TEMP TABLE _wanted AS SELECT doc_key FROM ({sel})", params)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
            for name in TABLES:
                path = Path(tmp) / f"{name}.parquet"
                select = contract_select(name).replace(" ORDER BY ", " WHERE {} ORDER BY ", 1)
                alias = "doc_key" if name == "articles" else "a.doc_key"
                select = select.format(f"{alias} IN (SELECT doc_key FROM _wanted)")
                con.execute(
                    f"COPY ({select}) TO '{str(path).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)"
                )
                archive.write(path, f"{name}.parquet")
        con.execute("DROP TABLE _wanted")
    return out.getvalue()


def export_article_count(folder) -> int:
    """The number of articles in a folder written by ``newslens corpus export`` (read from
    the Parquet footer of its ``articles.parquet``, not from the rows)."""
    from pathlib import Path

    path = str(Path(folder) / "articles.parquet").replace("'", "''")
    with duckdb.connect() as con:
        return int(con.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0])
