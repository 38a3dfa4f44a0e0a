"""Series over time with every period in them: coverage as Media Cloud reports it, and the
mention and tone series of :mod:`analysis.storage.corpus.queries` with the periods that have
no article filled in, so that a line never runs straight across a gap.

A series runs from the period of ``start`` (or of the first selected article) to the period
of ``end`` (or of the last one); periods are ``day``, ``week`` (starting on Monday), ``month``
or ``year``, each named by its first day (a ``datetime.date``). Counts are integers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pandas as pd

from analysis.errors import ArticleError
from analysis.storage.corpus import queries
from analysis.storage.corpus.queries import Day, Source, _interval, _open, _where
from analysis.storage.corpus.query_language import parse_search
from analysis.storage.corpus.query_sql import query_condition

#: The columns of :func:`coverage` (Media Cloud's counts CSV).
COVERAGE_COLUMNS = ("date", "count", "total_count", "ratio")
#: A series longer than this is refused (a day interval over centuries).
MAX_PERIODS = 50_000


def period_start(day: date, *, interval: str) -> date:
    """The first day of the period holding ``day``."""
    _interval(interval)
    if interval == "day":
        return day
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def period_starts(first: date, last: date, *, interval: str) -> list[date]:
    """Every period from the one holding ``first`` to the one holding ``last``, by first day.

    Raises:
        ArticleError: more than :data:`MAX_PERIODS` periods.
    """
    day, end = period_start(first, interval=interval), period_start(last, interval=interval)
    out: list[date] = []
    while day <= end:
        out.append(day)
        if len(out) > MAX_PERIODS:
            raise ArticleError(
                f"The dates span more than {MAX_PERIODS:,} periods of one {interval}; "
                "choose a longer interval or a shorter range."
            )
        day = _next(day, interval)
    return out


def _next(day: date, interval: str) -> date:
    if interval == "day":
        return day + timedelta(days=1)
    if interval == "week":
        return day + timedelta(days=7)
    if interval == "month":
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return date(day.year + 1, 1, 1)


def _as_date(value: Day) -> date | None:
    return None if value is None else date.fromisoformat(str(value)[:10])


def _bounds(con, start: Day, end: Day, where: str, params: list) -> tuple[date, date] | None:
    """The first and last day of the series: ``start``/``end`` where given, else the dates of
    the articles ``where`` selects; None when there is neither."""
    first, last = _as_date(start), _as_date(end)
    if first is None or last is None:
        low, high = con.execute(
            f"SELECT min(a.date), max(a.date) FROM articles a WHERE {where}", params
        ).fetchone()
        first = first or low
        last = last or high
    if first is None or last is None or first > last:
        return None
    return first, last


def coverage(
    source: Source,
    *,
    interval: str = "day",
    start: Day = None,
    end: Day = None,
    sources: Sequence[str | None] | None = None,
    text: str | None = None,
    entity: str | None = None,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """Attention over time as Media Cloud counts it: per period, the articles the query
    (``text``) matches and all the articles of the period under the other filters.

    Returns:
        date (first day of the period), count (articles matching), total_count (dated
        articles under the other filters), ratio (count / total_count; NaN where
        total_count is 0, a period with no article at all); one row per period from ``start``
        (or the first dated article under the other filters) to ``end`` (or the last),
        empty periods included; by date.

    Raises:
        QuerySyntaxError: the query cannot be read.
    """
    _interval(interval)
    params: list = []
    hit = query_condition(parse_search(text), params)
    where_params: list = []
    where = (
        _where(
            start, end, sources, None, entity, where_params, include_duplicates=include_duplicates
        )
        + " AND a.date IS NOT NULL"
    )
    params += where_params
    with _open(source) as con:
        bounds = _bounds(con, start, end, where, where_params)
        counts = con.execute(
            f"""SELECT a.date AS day, count(*) FILTER (WHERE {hit}) AS count, count(*) AS total
                FROM articles a WHERE {where} GROUP BY a.date""",
            params,
        ).df()
    days = period_starts(*bounds, interval=interval) if bounds else []
    frame = pd.DataFrame({"date": days})
    if len(counts):
        counts["date"] = [period_start(d.date(), interval=interval) for d in counts["day"]]
        sums = counts.groupby("date", as_index=False)[["count", "total"]].sum()
        frame = frame.merge(sums, on="date", how="left")
    else:
        frame = frame.assign(count=0, total=0)
    frame["count"] = frame["count"].fillna(0).astype("int64")
    frame["total_count"] = frame.pop("total").fillna(0).astype("int64")
    ratio = frame["count"] / frame["total_count"].where(frame["total_count"] > 0)
    frame["ratio"] = ratio.astype("float64")
    frame["date"] = _days(frame["date"])
    return frame[list(COVERAGE_COLUMNS)]


def _days(values) -> pd.Series:
    """Dates as the other queries give them (DuckDB's DATE in pandas: datetime64[us])."""
    return pd.Series(pd.to_datetime(list(values)), dtype="datetime64[us]")


def mentions_series(
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
    """:func:`~analysis.storage.corpus.queries.mentions_over_time` with every period of the
    range: a period without articles has zeros (mentions, articles and period_articles 0).

    Returns:
        the columns of ``mentions_over_time`` (period as a date), one row per period, item
        (and outlet of the selection when ``by_source``), in its order.
    """
    frame = queries.mentions_over_time(
        source,
        entities=entities,
        terms=terms,
        interval=interval,
        by_source=by_source,
        start=start,
        end=end,
        sources=sources,
        text=text,
        entity=entity,
        include_duplicates=include_duplicates,
    )
    items = pd.DataFrame(
        [(e, "entity") for e in sorted(set(entities))]
        + [(t, "term") for t in sorted({t.casefold() for t in terms})],
        columns=["item", "kind"],
    )
    keys = ["period", *(["source"] if by_source else []), "kind", "item"]
    return _filled(
        source,
        frame,
        items,
        keys=keys,
        zeros=("mentions", "articles", "period_articles"),
        interval=interval,
        by_source=by_source,
        filters=(start, end, sources, text, entity),
        include_duplicates=include_duplicates,
    )


def tone_series(
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
    """:func:`~analysis.storage.corpus.queries.sentiment_over_time` with every period of the
    range: a period with nothing scored has articles and scored 0 and tone NaN (a break in
    the line, not a zero tone).

    Returns:
        period (date), source (only when ``by_source``), articles, scored, tone; one row per
        period (and outlet of the selection), by period, source (no outlet last).
    """
    frame = queries.sentiment_over_time(
        source,
        interval=interval,
        by_source=by_source,
        model=model,
        toward=toward,
        start=start,
        end=end,
        sources=sources,
        text=text,
        entity=entity,
        include_duplicates=include_duplicates,
    )
    keys = ["period", *(["source"] if by_source else [])]
    return _filled(
        source,
        frame,
        None,
        keys=keys,
        zeros=("articles", "scored"),
        interval=interval,
        by_source=by_source,
        filters=(start, end, sources, text, entity),
        include_duplicates=include_duplicates,
    )


def _filled(
    source: Source,
    frame: pd.DataFrame,
    items: pd.DataFrame | None,
    *,
    keys: list[str],
    zeros: tuple[str, ...],
    interval: str,
    by_source: bool,
    filters: tuple,
    include_duplicates: bool = False,
) -> pd.DataFrame:
    """``frame`` with a row for every period of the range (times every item and outlet),
    ``zeros`` columns 0 and any other column NaN in the rows added, sorted by ``keys``."""
    start, end, sources, text, entity = filters
    params: list = []
    where = (
        _where(start, end, sources, text, entity, params, include_duplicates=include_duplicates)
        + " AND a.date IS NOT NULL"
    )
    with _open(source) as con:
        bounds = _bounds(con, start, end, where, params)
        outlets = None
        if by_source:
            outlets = [
                row[0]
                for row in con.execute(
                    f"SELECT DISTINCT a.source FROM articles a WHERE {where}", params
                ).fetchall()
            ]
    days = period_starts(*bounds, interval=interval) if bounds else []
    grid = pd.DataFrame({"period": days})
    if by_source:
        grid = grid.merge(pd.DataFrame({"source": pd.Series(outlets, dtype="object")}), how="cross")
    if items is not None:
        grid = grid.merge(items, how="cross")
    if not len(grid):
        return frame.iloc[0:0]
    grid["period"] = _days(grid["period"])
    frame = frame.astype({"period": "datetime64[us]"})
    out = grid.merge(frame, on=[k for k in keys if k in grid.columns], how="left")
    for column in zeros:
        out[column] = out[column].fillna(0).astype("int64")
    order = [k for k in keys if k != "source"]
    if by_source:
        out["_none"] = out["source"].isna()
        order = ["period", "_none", "source", *[k for k in keys if k not in ("period", "source")]]
    out = out.sort_values(order, kind="stable").drop(columns=["_none"], errors="ignore")
    return out[list(frame.columns)].reset_index(drop=True)
