"""Corpus queries about tone: each article's tone and the tone of the selection over time.

Every function takes the common filter described in :mod:`analysis.storage.corpus.queries`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.storage.corpus.sql_filters import (
    Day,
    Source,
    _interval,
    _model,
    _open,
    _run,
    _selected,
)


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
