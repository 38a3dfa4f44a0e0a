"""Corpus queries about articles: search (paragraphs ranked by hits), the article table,
articles per outlet, and the corpus's summary (:class:`CorpusInfo`).

Every function takes the common filter described in :mod:`analysis.storage.corpus.queries`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

import pandas as pd

from analysis.storage.corpus.query_language import parse_search
from analysis.storage.corpus.query_sql import (
    ranking_sql,
    simple_words,
)
from analysis.storage.corpus.schema import COUNTED, LATEST, TOP_ENTITIES
from analysis.storage.corpus.sql_filters import (
    ARTICLE_SORTS,
    MAX_JOINED_WORDS,
    PHRASE_CANDIDATES,
    Day,
    Query,
    Source,
    _all_found,
    _check_words,
    _corrected,
    _hits,
    _in,
    _open,
    _paragraphs_with_all,
    _phrase_check,
    _run,
    _run_empty,
    _selected,
    _text_match,
    _unfiltered,
    _where,
)


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
        if _corrected(con):
            sql = _corrected_top_entities(sql, sort=sort, direction=direction)
        return _run(con, sql, params)


def _corrected_top_entities(page_sql: str, *, sort: str, direction: str) -> str:
    """``page_sql`` (the article table's page) with ``top_entities`` read from the corrected
    ``entities`` view rather than the stored column: the names most mentioned first (a name's
    count is that of its most counted type, as the analysis lists them), ties by name, at most
    :data:`~analysis.storage.corpus.schema.TOP_ENTITIES`."""
    return f"""
        WITH page AS ({page_sql}),
        named AS (SELECT e.doc_id, e.entity, max(e."count") AS n
                  FROM entities e JOIN articles a USING (doc_id)
                  WHERE a.doc_key IN (SELECT doc_key FROM page)
                  GROUP BY e.doc_id, e.entity),
        ranked AS (SELECT doc_id, entity,
                          row_number() OVER (PARTITION BY doc_id ORDER BY n DESC, entity) AS r
                   FROM named),
        tops AS (SELECT a.doc_key, string_agg(r.entity, ', ' ORDER BY r.r) AS top
                 FROM ranked r JOIN articles a USING (doc_id) WHERE r.r <= {TOP_ENTITIES}
                 GROUP BY a.doc_key)
        SELECT p.doc_key, p.title, p.source, p.date, p.words, p.tone_vader, p.tone_textblob,
               coalesce(t.top, '') AS top_entities
        FROM page p LEFT JOIN tops t USING (doc_key)
        ORDER BY p.{sort} {direction} NULLS LAST, p.doc_key
    """


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
