"""What the dashboard's Corpus and Compare pages ask besides the other queries: paragraphs of
a mention or pair, the selection's size, articles' texts, and the filtered Parquet download.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

import duckdb
import pandas as pd

from analysis.core.corrections import Correction, corrections_for
from analysis.storage.corpus.corrections import corpus_corrections
from analysis.storage.corpus.schema import stored_table
from analysis.storage.corpus.sql_filters import (
    Day,
    Source,
    _corrected,
    _counted,
    _open,
    _selected,
    _where,
)

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
    include_duplicates: bool = False,
    every: bool = False,
) -> pd.DataFrame:
    """The paragraphs of the selected articles that mention any of ``entities`` (canonical
    names) or use any of ``terms`` (case-folded words); with ``every``, only those that
    mention every one of them (the paragraphs behind a pair of :func:`cooccurrence`).

    Returns:
        doc_key, title, source, date, paragraph, text, items (``e:``/``t:`` items found,
        sorted), spans (``[start, end]`` of each entity mention, by start; terms are located
        by the caller in the text); at most ``limit`` rows, by date, doc_key, paragraph.
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
    wanted_entities, wanted_terms = sorted(set(entities)), sorted({t.casefold() for t in terms})
    wanted = len(wanted_entities) + len(wanted_terms) if every else 0
    params += [wanted_entities, wanted_terms, wanted, limit]
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
        WHERE len(x.items) >= ?
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


class SelectionCounts(NamedTuple):
    """The selection and the corpus it is taken from, counted in one statement (one snapshot
    of the file: while a writer adds articles the selection never outnumbers the total)."""

    selected: int
    total: int  # every counted article of the corpus (every copy with include_duplicates)
    first: date | None  # the selection's first and last dates (None: no dated article)
    last: date | None


def selection_counts(
    source: Source,
    *,
    start: Day = None,
    end: Day = None,
    sources: Sequence[str | None] | None = None,
    text: str | None = None,
    entity: str | None = None,
    include_duplicates: bool = False,
) -> SelectionCounts:
    """How many articles the common filter selects, of how many, and the dates they span.

    Returns:
        a :class:`SelectionCounts`.

    Raises:
        QuerySyntaxError: the query cannot be read.
    """
    params: list = []
    where = _where(start, end, sources, text, entity, params, include_duplicates=include_duplicates)
    counted = _counted("a", include_duplicates)
    sql = f"""SELECT count(*) FILTER (WHERE {where}), count(*) FILTER (WHERE {counted}),
                     min(a.date) FILTER (WHERE {where}), max(a.date) FILTER (WHERE {where})
              FROM articles a"""
    with _open(source) as con:
        row = con.execute(sql, [*params, *params, *params]).fetchone()
    return SelectionCounts(int(row[0]), int(row[1]), row[2], row[3])


def article_texts(source: Source, *, keys: Sequence[str]) -> pd.DataFrame:
    """Stored articles by key or key prefix (8 to 64 hex digits), as text to analyse again.

    Returns:
        doc_key, title, source, date, text (headline, blank line, body paragraphs, as an
        article file is written), author; one row per key found, in the order of ``keys``.
    """
    params = [list(keys)]
    sql = """
        WITH wanted AS (SELECT k, row_number() OVER () AS n FROM (SELECT unnest(?::VARCHAR[]) AS k)),
        found AS (SELECT DISTINCT ON (w.n) w.n, a.doc_id, a.doc_key, a.title, a.source, a.date,
                         a.author
                  FROM wanted w JOIN articles a ON starts_with(a.doc_key, w.k) ORDER BY w.n, a.doc_key)
        SELECT f.doc_key, f.title, f.source, f.date,
               string_agg(p.text, chr(10) || chr(10) ORDER BY p.paragraph) AS text, f.author
        FROM found f JOIN paragraphs p ON p.doc_id = f.doc_id AND p.kind IN ('headline', 'body')
        GROUP BY f.n, f.doc_key, f.title, f.source, f.date, f.author ORDER BY f.n
    """
    with _open(source) as con:
        return con.execute(sql, params).df()


def article_corrections(source: Source, *, key: str) -> tuple[Correction, ...]:
    """The corpus's corrections that bear on the stored article ``key`` (a full key), in the
    order made (:func:`analysis.core.corrections.corrections_for` of its analysed names): what
    the Article page applies to the article when it is opened from the corpus."""
    with _open(source) as con:
        if not _corrected(con):
            return ()
        stored = [Correction(c.kind, c.name, c.target) for c in corpus_corrections(con)]
        names = con.execute(
            f"""SELECT DISTINCT m.entity FROM {stored_table("mentions")} m
                JOIN articles a ON a.doc_id = m.doc_id WHERE a.doc_key = ?""",
            [key],
        ).fetchall()
    return corrections_for([name for (name,) in names], stored)


def duplicates_of(source: Source, *, keys: Sequence[str]) -> pd.DataFrame:
    """Which of the stored articles ``keys`` (full keys) are near-duplicate copies, and of
    which first copy.

    Returns:
        doc_key, duplicate_of (the first copy's key, or None); one row per key found, by key.
    """
    sql = """SELECT doc_key, duplicate_of FROM articles
             WHERE doc_key IN (SELECT unnest(?::VARCHAR[])) ORDER BY doc_key"""
    with _open(source) as con:
        return con.execute(sql, [list(keys)]).df()


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
