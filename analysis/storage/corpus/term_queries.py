"""Corpus queries about words: the most frequent words (stop words, the reader's own words
and speaker labels left out) and the words that set one part of the corpus apart (log-odds).

Every function takes the common filter described in :mod:`analysis.storage.corpus.queries`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.storage.corpus.schema import LATEST
from analysis.storage.corpus.sql_filters import (
    Day,
    Source,
    _counted,
    _in,
    _month_where,
    _open,
    _outlets_only,
    _run,
    _selected,
    _unfiltered,
    _where,
    _whole_months,
)
from analysis.storage.corpus.wordlists import recount_sql, skipped_terms


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
