"""The collector's memory in the corpus file, and the revisions and copies of a story.

The collector (:mod:`analysis.sources.collect`) asks the corpus what it already holds and
tells it what a run did; these functions read and write the tables of schema version 7 (see
:mod:`analysis.storage.corpus.schema`): ``collect_sources`` (the source list behind "collect
again"), ``collect_listings`` (validators of feeds, sitemaps and home pages for conditional
requests), ``collect_urls`` (every article URL dealt with: stored, refused, failed, pending,
old) and ``collect_signatures`` (the MinHash signatures of stored originals). Rows cross the
boundary as dicts keyed by the column names.

For readers of a corpus: :func:`article_revisions` lists the revisions of a URL,
:func:`revision_diff` says what changed between two of them paragraph by paragraph, and
:func:`story_copies` lists an article with its near-duplicates.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import NamedTuple

import duckdb
import pandas as pd

from analysis.storage.corpus.schema import COUNTED
from analysis.storage.corpus.store import CorpusReader, CorpusStore

Source = duckdb.DuckDBPyConnection | CorpusStore | CorpusReader
URL_COLUMNS = (
    "url",
    "status",
    "reason",
    "doc_key",
    "listed_date",
    "listed_by",
    "source",
    "attempts",
)
LISTING_COLUMNS = ("url", "kind", "etag", "last_modified", "status", "items", "found")


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


def _records(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence = ()) -> list[dict]:
    cursor = con.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# -- what the collector asks -----------------------------------------------------------------


def known_urls(source: Source, urls: Sequence[str]) -> dict[str, dict]:
    """What the corpus knows of these article URLs: the URLs an article is stored under
    (status "stored") and the outcomes of earlier runs (``collect_urls``); a stored article
    wins over an earlier outcome.

    Returns:
        ``{url: row}`` for the URLs known, each row keyed by :data:`URL_COLUMNS`.
    """
    if not urls:
        return {}
    with _open(source) as con:
        earlier = _records(
            con,
            "SELECT url, status, reason, doc_key, listed_date, listed_by, source, attempts "
            "FROM collect_urls WHERE url IN (SELECT unnest(?::VARCHAR[]))",
            [list(urls)],
        )
        stored = con.execute(
            "SELECT url, doc_key FROM articles WHERE latest AND url IN "
            "(SELECT unnest(?::VARCHAR[])) ORDER BY doc_id",
            [list(urls)],
        ).fetchall()
    found = {row["url"]: row for row in earlier}
    for url, key in stored:
        row = found.get(url, dict.fromkeys(URL_COLUMNS, None) | {"url": url, "attempts": 0})
        found[url] = row | {"status": "stored", "doc_key": key}
    return found


def retry_urls(source: Source, *, sources: Sequence[str], max_attempts: int) -> list[dict]:
    """URLs of these collection sources to try again: left pending, or failed for now fewer
    than ``max_attempts`` times; oldest outcome first.

    Returns:
        rows keyed by :data:`URL_COLUMNS`.
    """
    with _open(source) as con:
        return _records(
            con,
            "SELECT url, status, reason, doc_key, listed_date, listed_by, source, attempts "
            "FROM collect_urls WHERE source IN (SELECT unnest(?::VARCHAR[])) "
            "AND (status = 'pending' OR (status = 'failed' AND attempts < ?)) "
            "ORDER BY updated, url",
            [list(sources), max_attempts],
        )


def listing_cache(source: Source) -> dict[str, dict]:
    """The listings read before, by URL.

    Returns:
        ``{url: row}``, rows keyed by :data:`LISTING_COLUMNS` (``found`` a tuple).
    """
    with _open(source) as con:
        rows = _records(
            con,
            "SELECT url, kind, etag, last_modified, status, items, found FROM collect_listings",
        )
    return {row["url"]: row | {"found": tuple(row["found"] or ())} for row in rows}


def revisit_articles(source: Source, *, first_fetched_after: datetime) -> list[dict]:
    """The latest revisions of the collected URLs first fetched after a time, with their
    stored text, for ``--revisit``.

    Returns:
        rows with url, doc_key, revision, published, date_source and text (the headline and
        body paragraphs, in order, as a tuple); by URL.
    """
    with _open(source) as con:
        rows = _records(
            con,
            """
            WITH first AS (
                SELECT url, min(fetched_at) AS first FROM articles
                WHERE fetched_at IS NOT NULL AND url IS NOT NULL GROUP BY url)
            SELECT a.url, a.doc_key, a.revision, a.published, a.date_source,
                   list(p.text ORDER BY p.paragraph) AS text
            FROM articles a JOIN first f USING (url) JOIN paragraphs p USING (doc_id)
            WHERE a.latest AND f.first > ? AND p.kind IN ('headline', 'body')
            GROUP BY ALL ORDER BY a.url, a.doc_key
            """,
            [first_fetched_after],
        )
    return [row | {"text": tuple(row["text"])} for row in rows]


def signatures(source: Source) -> Iterator[tuple[str, str | None, bytes]]:
    """The stored signatures of the originals that count (latest revisions, not
    near-duplicates), oldest article first.

    Yields:
        ``(doc_key, url, signature bytes)``.
    """
    with _open(source) as con:
        cursor = con.execute(
            f"SELECT a.doc_key, a.url, s.minhash FROM articles a JOIN collect_signatures s "
            f"USING (doc_key) WHERE {COUNTED} ORDER BY a.doc_id"
        )
        while rows := cursor.fetchmany(10_000):
            for key, url, data in rows:
                if data:  # empty: too short to sign
                    yield key, url, bytes(data)


def unsigned_articles(source: Source) -> Iterator[tuple[str, str | None, tuple[str, ...]]]:
    """The counted articles without a stored signature (added by ``corpus add``, or before
    the collector existed), oldest first, with their body paragraphs.

    Yields:
        ``(doc_key, url, body paragraphs)``.
    """
    with _open(source) as con:
        cursor = con.execute(f"""
            SELECT a.doc_key, a.url, list(p.text ORDER BY p.paragraph)
            FROM articles a JOIN paragraphs p USING (doc_id)
            WHERE {COUNTED} AND p.kind = 'body'
              AND a.doc_key NOT IN (SELECT doc_key FROM collect_signatures)
            GROUP BY a.doc_id, a.doc_key, a.url ORDER BY a.doc_id""")
        while rows := cursor.fetchmany(1_000):
            for key, url, paragraphs in rows:
                yield key, url, tuple(paragraphs)


def stored_keys(source: Source, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` the corpus holds."""
    wanted = list(keys)
    if not wanted:
        return set()
    with _open(source) as con:
        rows = con.execute(
            "SELECT doc_key FROM articles WHERE doc_key IN (SELECT unnest(?::VARCHAR[]))",
            [wanted],
        ).fetchall()
    return {row[0] for row in rows}


def fetched_since(source: Source, keys: Iterable[str], since: datetime) -> set[str]:
    """Which of ``keys`` the corpus holds as fetched at or after ``since`` (UTC): the articles a
    run wrote, as against those it found already stored."""
    wanted = list(keys)
    if not wanted:
        return set()
    with _open(source) as con:
        rows = con.execute(
            "SELECT doc_key FROM articles WHERE doc_key IN (SELECT unnest(?::VARCHAR[])) "
            "AND fetched_at >= ?",
            [wanted, since],
        ).fetchall()
    return {row[0] for row in rows}


def latest_errors(source: Source, documents: Iterable[str]) -> dict[str, str]:
    """The latest error reason of each of ``documents`` that has one."""
    wanted = list(documents)
    if not wanted:
        return {}
    with _open(source) as con:
        rows = con.execute(
            'SELECT document, arg_max(reason, "at") FROM errors '
            "WHERE document IN (SELECT unnest(?::VARCHAR[])) GROUP BY document",
            [wanted],
        ).fetchall()
    return dict(rows)


def collect_sources(source: Source) -> pd.DataFrame:
    """The collection sources of this corpus ("collect again" reads them all).

    Returns:
        source, kind ("site", "feed", "json_feed", "sitemap", "sitemap_index", "list"),
        added, last_run, summary (of the last run); by when they were added, then source.
    """
    with _open(source) as con:
        return con.execute(
            "SELECT source, kind, added, last_run, summary FROM collect_sources "
            "ORDER BY added, source"
        ).df()


# -- what a run tells it ---------------------------------------------------------------------


def save_run(
    store: CorpusStore,
    *,
    urls: Sequence[Mapping[str, object]],
    listings: Sequence[Mapping[str, object]],
    signatures: Sequence[tuple[str, bytes]],
    sources: Sequence[tuple[str, str | None]],
    summary: str,
) -> None:
    """Store what a collection run did, in one transaction: URL outcomes (the last one of a
    URL wins), listings read (their validators kept when not modified), signatures, and
    the sources with this run's summary.

    Args:
        store: the corpus.
        urls: rows keyed by :data:`URL_COLUMNS`.
        listings: rows keyed by :data:`LISTING_COLUMNS` (``found`` a sequence).
        signatures: ``(doc_key, signature bytes)`` of stored originals.
        sources: ``(source, kind)`` of the run's sources.
        summary: one line saying what the run did.
    """
    now = datetime.now()
    last = {row["url"]: row for row in urls}
    url_frame = pd.DataFrame(
        [[row.get(c) for c in URL_COLUMNS] for row in last.values()], columns=list(URL_COLUMNS)
    ).astype({"attempts": "int64"})
    url_frame["updated"] = pd.Timestamp(now)
    with store.writer() as con:
        con.execute("BEGIN")
        try:
            if len(url_frame):
                con.register("_urls_in", url_frame)
                con.execute(
                    "INSERT OR REPLACE INTO collect_urls BY NAME SELECT url, status, reason, "
                    "doc_key, listed_date, listed_by, source, CAST(attempts AS INTEGER) AS "
                    "attempts, CAST(updated AS TIMESTAMP) AS updated FROM _urls_in"
                )
                con.unregister("_urls_in")
            for row in {row["url"]: row for row in listings}.values():
                con.execute(
                    "INSERT OR REPLACE INTO collect_listings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        row["url"],
                        row["kind"],
                        row.get("etag"),
                        row.get("last_modified"),
                        now,
                        row.get("status"),
                        row.get("items"),
                        list(row.get("found") or ()),
                    ],
                )
            for key, data in dict(signatures).items():
                con.execute("INSERT OR REPLACE INTO collect_signatures VALUES (?, ?)", [key, data])
            for name, kind in sources:
                con.execute(
                    "INSERT INTO collect_sources VALUES (?, ?, ?, ?, ?) ON CONFLICT (source) "
                    "DO UPDATE SET kind = coalesce(excluded.kind, kind), "
                    "last_run = excluded.last_run, summary = excluded.summary",
                    [name, kind, now, now, summary],
                )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def save_signatures(store: CorpusStore, rows: Sequence[tuple[str, bytes]]) -> int:
    """Store signatures (of articles stored before the collector saw them). Returns how many."""
    if not rows:
        return 0
    frame = pd.DataFrame(rows, columns=["doc_key", "minhash"])
    with store.writer() as con:
        con.register("_signatures_in", frame)
        con.execute("INSERT OR REPLACE INTO collect_signatures SELECT * FROM _signatures_in")
        con.unregister("_signatures_in")
    return len(rows)


def remove_sources(store: CorpusStore, sources: Sequence[str]) -> int:
    """Take sources off the list ("collect again" no longer reads them); what they brought
    stays. Returns how many were on the list."""
    with store.writer() as con:
        found = con.execute(
            "SELECT count(*) FROM collect_sources WHERE source IN (SELECT unnest(?::VARCHAR[]))",
            [list(sources)],
        ).fetchone()[0]
        con.execute(
            "DELETE FROM collect_sources WHERE source IN (SELECT unnest(?::VARCHAR[]))",
            [list(sources)],
        )
    return int(found)


# -- revisions and copies --------------------------------------------------------------------


def article_revisions(source: Source, *, doc_key: str) -> pd.DataFrame:
    """Every stored revision of the URL of article ``doc_key`` (itself when it has no URL).

    Returns:
        doc_key, url, revision, fetched_at, latest, title, words; by revision, then doc_key.
    """
    with _open(source) as con:
        return con.execute(
            """
            SELECT doc_key, url, revision, fetched_at, latest, title, words FROM articles
            WHERE doc_key = ? OR url = (SELECT url FROM articles WHERE doc_key = ?)
            ORDER BY revision, doc_key
            """,
            [doc_key, doc_key],
        ).df()


def story_copies(source: Source, *, doc_key: str) -> pd.DataFrame:
    """An article with every stored copy of its story: its original (``duplicate_of``) and
    the near-duplicates of that original, for reading them side by side.

    Returns:
        doc_key, duplicate_of, title, source, url, date, words; the original first, then by
        date and doc_key. Empty when ``doc_key`` is not stored.
    """
    with _open(source) as con:
        return con.execute(
            """
            WITH origin AS (
                SELECT coalesce(duplicate_of, doc_key) AS key FROM articles WHERE doc_key = ?)
            SELECT doc_key, duplicate_of, title, source, url, date, words FROM articles
            WHERE latest AND (doc_key = (SELECT key FROM origin)
                              OR duplicate_of = (SELECT key FROM origin))
            ORDER BY duplicate_of IS NOT NULL, date NULLS LAST, doc_key
            """,
            [doc_key],
        ).df()


class ParagraphChange(NamedTuple):
    """One step of a paragraph diff between two revisions.

    Attributes:
        change: "same", "changed", "added" or "removed".
        old, new: the paragraph's position in each text (:func:`revision_diff`: its stored
            paragraph number, 0 the headline), None where it is not in that text.
        old_text, new_text: its text in each revision ("" where it is not in it).
        words: for a changed paragraph, its words as ``(op, text)`` runs: "=" kept, "-"
            removed, "+" added; () otherwise.
    """

    change: str
    old: int | None
    new: int | None
    old_text: str
    new_text: str
    words: tuple[tuple[str, str], ...] = ()


#: Paragraphs at least this similar (difflib's ratio of their words) are one paragraph edited.
SIMILAR_PARAGRAPHS = 0.5
_TOKENS = re.compile(r"\S+\s*")


def paragraph_diff(old: Sequence[str], new: Sequence[str]) -> list[ParagraphChange]:
    """What changed from ``old`` to ``new`` (two lists of paragraphs), paragraph by paragraph:
    paragraphs kept, added, removed, and edited ones (paired when at least
    :data:`SIMILAR_PARAGRAPHS` alike) with their words marked.

    Returns:
        the changes in reading order (of the new text, removed paragraphs where they were).
    """
    out: list[ParagraphChange] = []
    matcher = difflib.SequenceMatcher(a=list(old), b=list(new), autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out += [
                ParagraphChange("same", a1 + i, b1 + i, old[a1 + i], new[b1 + i])
                for i in range(a2 - a1)
            ]
            continue
        out += _pair(old, new, range(a1, a2), range(b1, b2))
    return out


def _pair(old, new, olds: range, news: range) -> list[ParagraphChange]:
    """Removed and added paragraphs of one block, the similar ones paired as edits."""
    out: list[ParagraphChange] = []
    pending = list(news)
    for i in olds:
        best, score = None, SIMILAR_PARAGRAPHS
        for j in pending:
            ratio = difflib.SequenceMatcher(a=old[i].split(), b=new[j].split()).ratio()
            if ratio >= score:
                best, score = j, ratio
        if best is None:
            out.append(ParagraphChange("removed", i, None, old[i], ""))
            continue
        while pending and pending[0] < best:
            j = pending.pop(0)
            out.append(ParagraphChange("added", None, j, "", new[j]))
        pending.remove(best)
        out.append(
            ParagraphChange("changed", i, best, old[i], new[best], word_diff(old[i], new[best]))
        )
    out += [ParagraphChange("added", None, j, "", new[j]) for j in pending]
    return out


def word_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """The words of an edited paragraph as runs: ``("=", kept)``, ``("-", removed)``,
    ``("+", added)``, each with the spaces after its words; the "=" and "+" runs joined give
    ``new``."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=[t.strip() for t in a], b=[t.strip() for t in b])
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("=", "".join(b[b1:b2])))
            continue
        if a2 > a1:
            runs.append(("-", "".join(a[a1:a2])))
        if b2 > b1:
            runs.append(("+", "".join(b[b1:b2])))
    return tuple(runs)


def revision_diff(source: Source, *, old_key: str, new_key: str) -> list[ParagraphChange]:
    """What changed between two stored revisions (headline and body paragraphs), see
    :func:`paragraph_diff`."""
    with _open(source) as con:
        rows = con.execute(
            """SELECT a.doc_key, list(p.paragraph ORDER BY p.paragraph),
                      list(p.text ORDER BY p.paragraph)
               FROM articles a JOIN paragraphs p USING (doc_id)
               WHERE a.doc_key IN (?, ?) AND p.kind IN ('headline', 'body') GROUP BY ALL""",
            [old_key, new_key],
        ).fetchall()
    found = {key: (numbers, texts) for key, numbers, texts in rows}
    old_numbers, old_texts = found.get(old_key, ([], []))
    new_numbers, new_texts = found.get(new_key, ([], []))
    return [
        change._replace(
            old=None if change.old is None else old_numbers[change.old],
            new=None if change.new is None else new_numbers[change.new],
        )
        for change in paragraph_diff(old_texts, new_texts)
    ]
