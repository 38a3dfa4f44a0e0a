"""Corpus queries about named entities: mentions over time, the most mentioned entities,
their tone over time, entities named together (pairs and their paragraphs) and who is quoted.

Every function takes the common filter described in :mod:`analysis.storage.corpus.queries`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.storage.corpus.sql_filters import (
    Day,
    Source,
    _in,
    _interval,
    _open,
    _outlet_condition,
    _run,
    _selected,
)
from analysis.storage.corpus.tone_queries import sentiment_over_time


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
