"""Distinctive words as corpus linguistics measures them: keyness of a target (an outlet, a
month, an article) against the rest of the selection.

Score: the log-likelihood ratio G2 (Dunning 1993; computed as in Rayson & Garside 2000),
which says how sure we can be that a word's rate differs between target and reference (G2 >
3.84: p < 0.05; 6.63: p < 0.01; 10.83: p < 0.001, one degree of freedom), with the log ratio
(Hardie 2014: log2 of the ratio of the word's relative frequencies, 0.5 standing in for a zero
reference count) as the effect size: each point is a doubling. Only words the target uses more
often than the reference, at least ``min_count`` times and with G2 at least ``min_g2``, are
listed; ties are broken by log ratio, then by the word, so the order is total. Raw ratios rank
rare words first and G2 alone ranks frequent words first; G2 with a minimum frequency, shown
with its effect size, is the field's usual report.

:func:`default_target` picks a target inside the selection, so that a view opens on something
the filter keeps.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis.storage.corpus.queries import (
    Day,
    Source,
    _in,
    _month_where,
    _open,
    _outlets,
    _outlets_only,
    _unfiltered,
    _where,
    _whole_months,
)
from analysis.storage.corpus.query_language import NO_OUTLET
from analysis.storage.corpus.wordlists import extra_words, skipped_terms

#: The columns of :func:`keyness`.
KEYNESS_COLUMNS = ("term", "count", "reference", "g2", "log_ratio", "p")
#: G2 for p < 0.05 with one degree of freedom.
G2_05 = 3.84


class Target(NamedTuple):
    """What a keyness view compares with the rest of the selection.

    Attributes:
        kind: "source" (an outlet) or "month".
        value: the outlet's name (:data:`NO_OUTLET` for articles without one), or the month
            as "YYYY-MM".
        articles: the selected articles in the target.
        label: how to name it ("alpha.news", "March 2024").
    """

    kind: str
    value: str
    articles: int
    label: str

    def arguments(self) -> dict:
        """The target as keyword arguments of :func:`keyness` (``of_source`` or
        ``of_start``/``of_end``)."""
        if self.kind == "source":
            return {"of_source": self.value}
        first = date.fromisoformat(self.value + "-01")
        last = date(first.year + first.month // 12, first.month % 12 + 1, 1) - timedelta(days=1)
        return {"of_start": first, "of_end": last}


def default_target(
    source: Source,
    *,
    start: Day = None,
    end: Day = None,
    sources: Sequence[str | None] | None = None,
    text: str | None = None,
    entity: str | None = None,
    include_duplicates: bool = False,
) -> Target | None:
    """A target inside the selection: the outlet with the most selected articles when the
    selection holds at least two outlets, else the month with the most selected articles
    (the later month on a tie) when it spans at least two months; None when there is nothing
    to compare (one outlet and one month, or no article). Ties between outlets go to the
    name first in order.

    Returns:
        a :class:`Target`, or None.
    """
    params: list = []
    where = _where(start, end, sources, text, entity, params, include_duplicates=include_duplicates)
    with _open(source) as con:
        outlets = con.execute(
            f"""SELECT nullif(a.source, '') AS source, count(*) AS n FROM articles a WHERE {where}
                GROUP BY 1 ORDER BY n DESC, source NULLS LAST""",
            params,
        ).fetchall()
        months = con.execute(
            f"""SELECT strftime(date_trunc('month', a.date), '%Y-%m') AS month, count(*) AS n
                FROM articles a WHERE {where} AND a.date IS NOT NULL
                GROUP BY 1 ORDER BY n DESC, month DESC""",
            params,
        ).fetchall()
    if len(outlets) >= 2:
        name, count = outlets[0]
        value = name if name is not None else NO_OUTLET
        return Target("source", value, int(count), value)
    if len(months) >= 2:
        month, count = months[0]
        label = date.fromisoformat(month + "-01").strftime("%B %Y")
        return Target("month", month, int(count), label)
    return None


def keyness(
    source: Source,
    *,
    of_source: str | None = None,
    of_start: Day = None,
    of_end: Day = None,
    doc_key: str | None = None,
    min_count: int = 3,
    min_g2: float = G2_05,
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
    """The words that set a target (an outlet, a period or an article) apart from the rest
    of the selection: log-likelihood G2, with the log ratio as effect size (a point is a
    doubling), for words the target uses at least ``min_count`` times, more often than the
    rest does, with G2 at least ``min_g2``.

    Args:
        source: the corpus.
        of_source, of_start, of_end, doc_key: the target: the selected articles of this outlet
            ("(no outlet)" for none), of these days, or this article (every one given must
            hold). At least one is needed.
        min_count: fewest uses in the target for a word to be listed.
        min_g2: smallest G2 listed (3.84: p < 0.05; 0 lists every word used more).
        include_stop, extra_stop_words, drop_markers: which words are left out, as in
            :func:`~analysis.storage.corpus.queries.top_terms` (the sizes of target and
            reference count every word but speaker labels).
        limit: most rows.
        start, end, sources, text, entity: the selection (the common filter).
        include_duplicates: count every copy of a story (near-duplicates), in the target and
            in the rest, rather than each story once.

    Returns:
        term, count (uses in the target), reference (uses in the rest of the selection), g2,
        log_ratio, p (the G2 test's p-value); at most ``limit`` rows by g2 descending, then
        log_ratio descending, then term. No rows when the target or the reference is empty.

    Raises:
        ValueError: no target given.
    """
    if of_source is None and of_start is None and of_end is None and doc_key is None:
        raise ValueError("keyness needs a target: of_source, of_start/of_end or doc_key")
    inner = _target_filter(of_source, of_start, of_end, (start, end, sources))
    params: list = []
    selection = _where(
        start, end, sources, text, entity, params, include_duplicates=include_duplicates
    )
    with (
        _open(source) as con,
        skipped_terms(
            con,
            extra_stop_words=(),
            drop_markers=drop_markers,
            where=selection,
            params=params,
        ) as skip,
    ):
        whole_params: list = []
        whole = _counts_sql(
            con, (start, end, sources, text, entity), None, whole_params, include_duplicates
        )
        part_params: list = []
        part = (
            _counts_sql(con, (*inner, text, entity), doc_key, part_params, include_duplicates)
            if inner is not None
            else "SELECT NULL::VARCHAR AS term, 0 AS count, FALSE AS is_stop LIMIT 0"
        )
        taken_params: list = []
        taken = "SELECT NULL::VARCHAR AS term, 0 AS target, 0 AS total LIMIT 0"
        if skip.relation:
            target = _target_where(of_source, of_start, of_end, doc_key, taken_params)
            taken = f"""SELECT l.term, sum(l.labels) FILTER (WHERE {target}) AS target,
                               sum(l.labels) AS total
                        FROM {skip.relation} l JOIN articles a USING (doc_id) GROUP BY l.term"""
        # Only the words the target uses often enough come back, with the sizes of target and
        # reference (every word's uses, speaker labels taken away).
        counts = con.execute(
            f"""
            WITH counts AS MATERIALIZED (
                SELECT w.term, coalesce(p.count, 0) - coalesce(t.target, 0) AS target,
                       w.count - coalesce(t.total, 0) AS total, w.is_stop
                FROM ({whole}) w LEFT JOIN ({part}) p USING (term)
                LEFT JOIN ({taken}) t USING (term)),
            sizes AS (SELECT sum(target) AS c, sum(total) - sum(target) AS d FROM counts)
            SELECT k.term, CAST(k.target AS BIGINT) AS target, CAST(k.total AS BIGINT) AS total,
                   k.is_stop, CAST(s.c AS DOUBLE) AS c, CAST(s.d AS DOUBLE) AS d
            FROM counts k CROSS JOIN sizes s WHERE k.target >= ? AND k.target > 0""",
            [*whole_params, *part_params, *taken_params, min_count],
        ).df()
    return _scored(
        counts,
        left_out=set(extra_words(extra_stop_words)),
        include_stop=include_stop,
        min_count=min_count,
        min_g2=min_g2,
        limit=limit,
    )


def _target_filter(of_source, of_start, of_end, selection: tuple) -> tuple | None:
    """The common filter's start, end and sources for the target inside the selection (None
    when no article can be in both)."""
    start, end, sources = selection
    if of_source is not None:
        wanted = _outlets([of_source])
        if sources is not None and wanted[0] not in _outlets(sources):
            return None
        sources = wanted
    first = max((_day(v) for v in (start, of_start) if v is not None), default=None)
    last = min((_day(v) for v in (end, of_end) if v is not None), default=None)
    if first is not None and last is not None and first > last:
        return None
    return first, last, sources


def _day(value: Day) -> date:
    return date.fromisoformat(str(value)[:10])


def _counts_sql(
    con, filters: tuple, doc_key: str | None, params: list, include_duplicates: bool = False
) -> str:
    """SQL of term, count, is_stop: every word of the articles a filter selects, read from
    the per-corpus, per-outlet or per-month sums (which count each story once) when the
    filter allows."""
    start, end, sources, text, entity = filters
    summed = doc_key is None and not include_duplicates
    if summed and _unfiltered(start, end, sources, text, entity):
        return "SELECT term, count, is_stop FROM term_totals"
    if summed and _outlets_only(start, end, sources, text, entity):
        return f"""SELECT term, sum(count) AS count, bool_or(is_stop) AS is_stop FROM term_sources
                   WHERE source IN {_in(sources, params)} GROUP BY term"""
    if summed and _whole_months(start, end, text, entity):
        where = _month_where(start, end, sources, params)
        return f"""SELECT term, sum(count) AS count, bool_or(is_stop) AS is_stop FROM term_months
                   WHERE {where} GROUP BY term HAVING sum(count) > 0"""
    where = _where(start, end, sources, text, entity, params, include_duplicates=include_duplicates)
    if doc_key is not None:
        where += " AND a.doc_key = ?"
        params.append(doc_key)
    return f"""SELECT t.term, sum(t.count) AS count, bool_or(t.is_stop) AS is_stop
               FROM terms t WHERE t.doc_id IN (SELECT a.doc_id FROM articles a WHERE {where})
               GROUP BY t.term"""


def _target_where(of_source, of_start, of_end, doc_key, params: list) -> str:
    """The target as a condition on ``articles a``."""
    parts = ["TRUE"]
    if of_source is not None:
        if _outlets([of_source]) == [None]:
            parts.append("(a.source IS NULL OR a.source = '')")
        else:
            parts.append("a.source = ?")
            params.append(of_source)
    if of_start is not None:
        parts.append("a.date >= CAST(? AS DATE)")
        params.append(str(of_start))
    if of_end is not None:
        parts.append("a.date <= CAST(? AS DATE)")
        params.append(str(of_end))
    if doc_key is not None:
        parts.append("a.doc_key = ?")
        params.append(doc_key)
    return "coalesce(" + " AND ".join(parts) + ", FALSE)"


def _scored(
    counts: pd.DataFrame,
    *,
    left_out: set[str],
    include_stop: bool,
    min_count: int,
    min_g2: float,
    limit: int,
) -> pd.DataFrame:
    """G2, log ratio and p for every word of ``counts`` (term, target, total, is_stop, and
    c, d: the sizes of target and reference in words)."""
    a = counts["target"].astype("float64")
    b = (counts["total"] - counts["target"]).astype("float64")
    c = float(counts["c"].iloc[0]) if len(counts) else 0.0
    d = float(counts["d"].iloc[0]) if len(counts) else 0.0
    empty = pd.DataFrame({col: [] for col in KEYNESS_COLUMNS}).astype(
        {"term": "str", "count": "int64", "reference": "int64"}
        | {col: "float64" for col in ("g2", "log_ratio", "p")}
    )
    if c <= 0 or d <= 0:
        return empty
    expected_a = c * (a + b) / (c + d)
    expected_b = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        part_a = np.where(a > 0, a * np.log(a / expected_a), 0.0)
        part_b = np.where(b > 0, b * np.log(b / expected_b), 0.0)
    g2 = 2 * (part_a + part_b)
    log_ratio = np.log2(((a.where(a > 0, 0.5)) / c) / ((b.where(b > 0, 0.5)) / d))
    frame = pd.DataFrame(
        {
            "term": counts["term"].astype("str"),
            "count": a.astype("int64").to_numpy(),
            "reference": b.astype("int64").to_numpy(),
            "g2": g2,
            "log_ratio": log_ratio.to_numpy(),
        }
    )
    keep = (frame["count"] >= min_count) & (frame["g2"] >= min_g2) & (a / c > b / d).to_numpy()
    if not include_stop:
        keep &= ~counts["is_stop"].astype("bool").to_numpy()
    if left_out:
        keep &= ~frame["term"].isin(left_out)
    frame = frame[keep]
    frame = frame.assign(p=[math.erfc(math.sqrt(v / 2)) for v in frame["g2"]])
    frame = frame.sort_values(
        ["g2", "log_ratio", "term"], ascending=[False, False, True], kind="stable"
    )
    out = frame.head(max(limit, 0)).reset_index(drop=True)
    return out[list(KEYNESS_COLUMNS)].astype(empty.dtypes.to_dict())
