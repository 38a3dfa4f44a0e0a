"""The corpus store: analysed articles in one DuckDB file.

Concurrency. DuckDB lets one process open a file read-write, or any number of processes open
it read-only, never both at once (the read-write connection holds an exclusive file lock;
inside one process a read-only and a read-write connection to the same file conflict too).
So nobody keeps the file open: a writer opens it read-write only for the commit of one batch
and closes it; a reader opens it read-only for one query, or for one short :meth:`reader`
block (one page of the app), and closes it. Whoever finds the file locked retries with a short
backoff, a reader up to ``timeout`` seconds and a writer up to ``write_timeout`` (telling
``on_wait`` while it waits, so that a long ingest waits out a reader that holds the file for a
while and says so), then raises :class:`CorpusBusyError`. Writers that do their slow work
(analysis, building DataFrames) before calling :meth:`CorpusStore.add` hold the lock only for
the insert. A file that cannot be written (a read-only folder or file system), a full disk and
a file that is not a DuckDB database are not waited for: they raise
:class:`CorpusStorageError` at once, saying what happened.

Atomicity. :meth:`CorpusStore.add` writes a whole batch in one transaction: after a crash the
file holds every article of the committed batches completely and nothing of the batch in
flight (DuckDB replays its write-ahead log of committed transactions on the next open). The
same holds when the disk fills up: the batch that did not fit is rolled back and the error
says the disk is full.

Idempotence. An article is identified by ``doc_key`` and carries an analysis ``version``: a
key already stored under the same version is skipped; under another version (older code, or
changed rule data) its rows are deleted and the new ones inserted, in the same transaction.

Revisions and near-duplicates. Of the articles sharing a URL, those with the highest
``revision`` are the latest (``articles.latest``); a write that stores a higher revision marks
the older ones not latest in the same transaction. The totals tables count only the latest
revisions that are not near-duplicates (:data:`~analysis.storage.corpus.schema.COUNTED`).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import duckdb
import pandas as pd

from analysis.core.schema import ErrorRow
from analysis.errors import ArticleError
from analysis.storage.corpus.filesystem import (
    CorpusStorageError,
    duration,
    first_line,
    is_database,
    marker_is_stale,
    marker_text,
    read_only_error,
    storable_text,
    storage_error,
    writable,
)
from analysis.storage.corpus.migrations import migrate, rollback, schema_version
from analysis.storage.corpus.reader import CorpusReader  # noqa: F401  (re-exported)
from analysis.storage.corpus.schema import (
    CHILD_TABLES,
    COLLECTION_COLUMNS,
    CONTRACT,
    COUNTED,
    ERROR_COLUMNS,
    ORDER,
    OUTLET_TOTALS,
    POSTINGS_DDL,
    SCHEMA_VERSION,
    TABLES,
    TERM_MONTHS_DDL,
    TERM_MONTHS_ROWS,
    TERM_SOURCES_DDL,
    TERM_SOURCES_UPSERT,
    empty_table,
    q,
    stored_table,
)

DEFAULT_TIMEOUT = 10.0
#: How long a writer waits for the file by default: long enough to outwait a reader that holds
#: it for a while (a long query, the duckdb shell), short enough that a run left alone ends.
DEFAULT_WRITE_TIMEOUT = 600.0
#: A waiting writer tells ``on_wait`` after this many seconds, then every :data:`WAIT_REPEAT`.
WAIT_NOTICE = 3.0
WAIT_REPEAT = 60.0


class CorpusBusyError(ArticleError):
    """The corpus file stayed locked by another process for longer than the timeout."""


class CorpusInputError(ArticleError):
    """Tables handed to the store do not follow the contract (a programming error upstream)."""


def _lock_errors() -> tuple[type[Exception], ...]:
    return (duckdb.IOException, duckdb.ConnectionException)


class ArticleCounts(NamedTuple):
    """Articles selected and all articles, counted in one statement (one snapshot of the
    file, so that the first is never larger than the second while a writer adds)."""

    selected: int
    total: int


def article_counts(
    con: duckdb.DuckDBPyConnection, *, where: str = "TRUE", params: Sequence[object] = ()
) -> ArticleCounts:
    """How many articles match ``where`` and how many there are, from one snapshot.

    Args:
        con: a connection to the corpus (a reader's).
        where: an SQL condition over ``articles`` aliased ``a`` (what the query filters build).
        params: the values of the condition's ``?`` placeholders.

    Returns:
        an :class:`ArticleCounts`.
    """
    row = con.execute(
        f"SELECT count(*) FILTER (WHERE {where}), count(*) FROM articles a", list(params)
    ).fetchone()
    return ArticleCounts(int(row[0]), int(row[1]))


class CorpusStore:
    """Analysed articles in one DuckDB file; see the module docstring for the locking rules.

    Args:
        path: the DuckDB file (the command line's default is
            :attr:`analysis.settings.Settings.corpus_path`). Created with its directory on
            first use.
        timeout: seconds a reader keeps retrying while another process holds the file.
        write_timeout: seconds a writer keeps retrying (default :data:`DEFAULT_WRITE_TIMEOUT`,
            and never less than ``timeout``).
        on_wait: called with a sentence while a writer waits for the file (after
            :data:`WAIT_NOTICE` seconds, then every :data:`WAIT_REPEAT`); the command line
            prints it.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        write_timeout: float = DEFAULT_WRITE_TIMEOUT,
        on_wait: Callable[[str], None] | None = None,
    ):
        self.path = Path(path)
        self.timeout = timeout
        self.write_timeout = max(write_timeout, timeout)
        self.on_wait = on_wait
        self._ready = False

    def __repr__(self) -> str:
        return f"CorpusStore({str(self.path)!r})"

    # -- connections ---------------------------------------------------------------------

    def _connect(self, *, read_only: bool) -> duckdb.DuckDBPyConnection:
        start = time.monotonic()
        deadline = start + (self.timeout if read_only else self.write_timeout)
        told = 0.0  # seconds of waiting last reported to on_wait
        marked = start  # when the writer marker was last refreshed
        checked = False  # the first failure is checked for what waiting cannot cure
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=read_only)
                # No progress bar on the terminal (a long migration drew one).
                con.execute("SET enable_progress_bar = false")
                return con
            except _lock_errors() as exc:
                if not checked:
                    checked = self._raise_if_not_a_lock(exc, read_only=read_only)
                now = time.monotonic()
                if now >= deadline:
                    waited = duration(now - start)
                    raise CorpusBusyError(
                        f"The corpus file {self.path} stayed in use by another process for "
                        f"{waited}; try again when it has finished (what was stored so far "
                        f"is kept). ({first_line(exc)})"
                    ) from exc
                waited = now - start
                due = not told or waited - told >= WAIT_REPEAT
                if not read_only and self.on_wait is not None and waited >= WAIT_NOTICE and due:
                    told = waited
                    self.on_wait(
                        f"waiting for another process to let go of {self.path} (for "
                        f"{duration(waited)} so far; giving up after "
                        f"{duration(self.write_timeout)}): {first_line(exc)}"
                    )
                if not read_only and now - marked >= 1.0:
                    marked = now
                    self._mark_writer()  # keep the marker fresh while waiting
                # Short random polls: the lock is free only in the gaps between other
                # processes' short sessions, and a long backoff would keep missing them.
                time.sleep(random.uniform(0.001, 0.01))
            except duckdb.Error as exc:
                problem = storage_error(exc, self.path)
                if problem is not None:
                    raise problem from exc
                raise

    def _raise_if_not_a_lock(self, exc: Exception, *, read_only: bool) -> bool:
        """Raise at once what waiting would not cure; return True when ``exc`` may be another
        process's lock."""
        if not is_database(self.path):
            raise CorpusStorageError(
                f"{self.path} is not a NewsLens corpus (not a DuckDB database file); "
                "choose another file with --db.",
                reason="not-a-corpus",
            ) from exc
        if not read_only and not writable(self.path):
            raise read_only_error(self.path) from exc
        problem = storage_error(exc, self.path)
        if problem is not None:
            raise problem from exc
        return True

    def ensure(self) -> None:
        """Create the file if missing and bring its schema to the current version."""
        if self._ready:
            return
        if self.path.exists():
            # A reader of an up-to-date file never needs the exclusive lock.
            con = self._connect(read_only=True)
            try:
                self._ready = schema_version(con) >= SCHEMA_VERSION
            finally:
                con.close()
            if self._ready:
                return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            problem = storage_error(exc, self.path)
            if problem is not None:
                raise problem from exc
            raise
        with self._writing() as con:
            migrate(con)
        self._ready = True

    @contextmanager
    def reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection for a few queries; keep the block short (it blocks writers)."""
        self.ensure()
        con = self._connect(read_only=True)
        try:
            yield con
        finally:
            con.close()

    @contextmanager
    def writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection (exclusive: readers and other writers wait meanwhile).
        While it waits and writes, a marker file (:attr:`writer_marker`) tells the
        :class:`CorpusReader` objects of other processes to let go of the file.

        Raises:
            CorpusBusyError: another process held the file for ``write_timeout`` seconds.
            CorpusStorageError: the disk is full or the file cannot be written (the
                transaction in flight is rolled back).
        """
        self.ensure()
        with self._writing() as con:
            yield con

    @contextmanager
    def _writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self._mark_writer()
        try:
            con = self._connect(read_only=False)
            try:
                yield con
            except (duckdb.Error, OSError) as exc:
                _close_quietly(con)
                problem = storage_error(exc, self.path)
                if problem is not None:
                    raise problem from exc
                raise
            except BaseException:
                _close_quietly(con)
                raise
            else:
                try:
                    con.close()
                except (duckdb.Error, OSError) as exc:
                    # Closing checkpoints the write-ahead log into the file: it can fill the disk.
                    problem = storage_error(exc, self.path)
                    if problem is not None:
                        raise problem from exc
                    raise
        finally:
            self._unmark_writer()

    @property
    def writer_marker(self) -> Path:
        """The file that exists while a writer waits for or holds the corpus file; it holds
        the writer's process id and host, so that a marker left by a writer that was killed
        is known as stale (:func:`marker_is_stale`)."""
        return self.path.with_name(self.path.name + ".writer")

    def _mark_writer(self) -> None:
        # In a read-only folder there is no marker: readers give way when idle only.
        with suppress(OSError):
            self.writer_marker.write_text(marker_text(), encoding="utf-8")

    def _unmark_writer(self) -> None:
        marker = self.writer_marker
        try:
            # Another writer of this file may have written its own since: leave that one.
            if marker.read_text(encoding="utf-8") == marker_text():
                marker.unlink()
        except OSError:
            pass

    def remove_stale_marker(self) -> bool:
        """Remove the writer marker when the writer that left it is dead (killed before it
        could remove it). Returns whether one was removed."""
        if marker_is_stale(self.writer_marker):
            try:
                self.writer_marker.unlink()
            except OSError:
                return False
            return True
        return False

    def article_counts(
        self, *, where: str = "TRUE", params: Sequence[object] = ()
    ) -> ArticleCounts:
        """:func:`article_counts` on this store (one read-only connection)."""
        with self.reader() as con:
            return article_counts(con, where=where, params=params)

    # -- reading -------------------------------------------------------------------------

    def schema_version(self) -> int:
        """The schema version of the file (after :meth:`ensure`)."""
        with self.reader() as con:
            return schema_version(con)

    def known_keys(self, version: int | None = None) -> set[str]:
        """Keys stored under ``version`` (any version when None): the
        articles a run of that analysis version can skip."""
        with self.reader() as con:
            if version is None:
                rows = con.execute("SELECT doc_key FROM articles").fetchall()
            else:
                sql = "SELECT doc_key FROM articles WHERE version = ?"
                rows = con.execute(sql, [version]).fetchall()
        return {row[0] for row in rows}

    def has(self, doc_key: str, version: int | None = None) -> bool:
        """Whether ``doc_key`` is stored under ``version`` (any version when None)."""
        with self.reader() as con:
            if version is None:
                found = con.execute("SELECT count(*) FROM articles WHERE doc_key = ?", [doc_key])
            else:
                sql = "SELECT count(*) FROM articles WHERE doc_key = ? AND version = ?"
                found = con.execute(sql, [doc_key, version])
            return found.fetchone()[0] > 0

    def table(self, name: str) -> pd.DataFrame:
        """One table in contract form (``doc_key`` first), ordered by doc_key then the
        table's natural order; the rows as analysed, before the reader's corrections.

        Returns:
            the contract columns of ``name`` (see :mod:`analysis.storage.corpus.schema`).
        """
        with self.reader() as con:
            return con.execute(contract_select(name)).df()

    def errors(self) -> pd.DataFrame:
        """Documents that could not be analysed.

        Returns:
            columns document, reason, at; oldest first, then by document.
        """
        with self.reader() as con:
            return con.execute('SELECT * FROM errors ORDER BY "at", document, reason').df()

    # -- writing -------------------------------------------------------------------------

    def add(self, batch: Sequence[Mapping[str, pd.DataFrame]]) -> int:
        """Store a batch of analysed articles in one transaction.

        Args:
            batch: one ``{table name: DataFrame}`` per article, in contract form (see
                :func:`analysis.storage.corpus.schema.empty_tables`); a missing table means no rows.

        Returns:
            the number of articles written (new or replacing an older version); articles
            already stored under the same version are skipped.
        """
        if not batch:
            return 0
        # Articles already stored are dropped before the tables are built (the write checks
        # again under its lock).
        incoming = {}
        for article in batch:
            row = article.get("articles")
            if row is not None and len(row) == 1:
                incoming.setdefault(row["doc_key"].iloc[0], int(row["version"].iloc[0]))
        with self.reader() as con:
            con.register("_keys", pd.DataFrame({"doc_key": list(incoming)}, dtype="str"))
            stored = dict(
                con.execute(
                    "SELECT doc_key, version FROM articles WHERE doc_key IN (SELECT doc_key FROM _keys)"
                ).fetchall()
            )
        fresh = [
            a
            for a in batch
            if "articles" not in a
            or len(a["articles"]) != 1
            or stored.get(a["articles"]["doc_key"].iloc[0], -1)
            != int(a["articles"]["version"].iloc[0])
        ]
        if not fresh:
            return 0
        tables = _concat(fresh)
        with self.writer() as con:
            return write_tables(con, tables)

    def add_errors(self, rows: Iterable[ErrorRow | Mapping[str, object]]) -> int:
        """Record documents that failed; ``rows`` are :class:`ErrorRow` or dicts with the same
        fields. Returns the number of rows recorded."""
        now = datetime.now()
        records = []
        for row in rows:
            if not isinstance(row, ErrorRow):
                row = ErrorRow(**row)
            records.append((storable_text(row.document), storable_text(row.reason), row.at or now))
        if not records:
            return 0
        frame = pd.DataFrame.from_records(records, columns=[c.name for c in ERROR_COLUMNS])
        with self.writer() as con:
            con.register("_errors_in", frame)
            con.execute(
                'INSERT INTO errors SELECT document, reason, CAST("at" AS TIMESTAMP) FROM _errors_in'
            )
            con.unregister("_errors_in")
        return len(records)

    def compact(self) -> int:
        """Rewrite ``postings`` sorted by term, so word lookups skip row groups again, fold
        the delta rows of ``term_months``, and rewrite ``term_sources`` sorted by outlet (so
        that one outlet's words are read from its row groups only). Rows
        added since the last compaction sit unsorted at the end and are scanned in full by
        every lookup: call this after a large ingest run (it holds the write lock for about
        as long as sorting every term of the corpus takes). Returns the rows rewritten."""
        with self.writer() as con:
            con.execute("BEGIN")
            try:
                con.execute(POSTINGS_DDL.replace("TABLE postings", "TABLE postings_sorted"))
                con.execute(
                    "INSERT INTO postings_sorted SELECT * FROM postings "
                    "ORDER BY term, doc_id, paragraph"
                )
                con.execute("DROP TABLE postings")
                con.execute("ALTER TABLE postings_sorted RENAME TO postings")
                rows = con.execute("SELECT count(*) FROM postings").fetchone()[0]
                con.execute(
                    TERM_MONTHS_DDL.replace("TABLE term_months", "TABLE term_months_folded")
                )
                con.execute("""
                    INSERT INTO term_months_folded
                    SELECT month, source, term, bool_or(is_stop), sum(count), sum(articles)
                    FROM term_months GROUP BY month, source, term HAVING sum(count) > 0
                    ORDER BY month, source, term""")
                con.execute("DROP TABLE term_months")
                con.execute("ALTER TABLE term_months_folded RENAME TO term_months")
                con.execute(
                    TERM_SOURCES_DDL.replace("TABLE term_sources", "TABLE term_sources_sorted")
                )
                con.execute(
                    "INSERT INTO term_sources_sorted SELECT * FROM term_sources ORDER BY source, term"
                )
                con.execute("DROP TABLE term_sources")
                con.execute("ALTER TABLE term_sources_sorted RENAME TO term_sources")
                con.execute("COMMIT")
            except BaseException:
                rollback(con)
                raise
            con.execute("CHECKPOINT")
        return rows

    # -- export / import (analysis.storage.corpus.exchange) ------------------------------

    def export_parquet(self, directory: Path | str) -> list[Path]:
        """:func:`analysis.storage.corpus.exchange.export_corpus` of every article, as Parquet.

        Returns:
            the data files written, in table order.
        """
        from analysis.storage.corpus.exchange import export_corpus

        result = export_corpus(self, directory, format="parquet")
        return [result.path / name for name in result.files]

    def export_csv(self, directory: Path | str) -> list[Path]:
        """:func:`analysis.storage.corpus.exchange.export_corpus` of every article, as CSV.

        Returns:
            the data files written, in table order.
        """
        from analysis.storage.corpus.exchange import export_corpus

        result = export_corpus(self, directory, format="csv")
        return [result.path / name for name in result.files]

    def import_parquet(self, directory: Path | str) -> int:
        """:func:`analysis.storage.corpus.exchange.import_corpus` of a folder or .zip written by
        an export (or a folder of contract tables as Parquet, as the Dask engine's shards).

        Returns:
            the number of articles written.
        """
        from analysis.storage.corpus.exchange import import_tables

        return import_tables(self, directory)


# -- functions on a connection -------------------------------------------------------------


def contract_select(name: str) -> str:
    """SQL giving table ``name`` in contract form, ordered by doc_key then its natural order:
    the rows as analysed (the reader's corrections are not applied; exports carry them)."""
    columns = CONTRACT[name]
    order = ", ".join(["doc_key", *(f"t.{q(c)}" for c in ORDER[name])])
    if name == "articles":
        cols = ", ".join(q(c.name) for c in columns)
        return f"SELECT {cols} FROM articles ORDER BY doc_key"
    cols = ", ".join(["a.doc_key", *(f"t.{q(c.name)}" for c in columns[1:])])
    table = stored_table(name)
    return f"SELECT {cols} FROM {table} t JOIN articles a USING (doc_id) ORDER BY {order}"


def write_tables(con: duckdb.DuckDBPyConnection, tables: Mapping[str, pd.DataFrame]) -> int:
    """Insert contract tables holding any number of articles, in one transaction, with the
    rules of :meth:`CorpusStore.add` (an article whose key appears twice is stored once: equal
    keys are equal input bytes, so their rows are equal). Returns the number of articles
    written."""
    keys = set(tables["articles"]["doc_key"]) if "articles" in tables else set()
    for name in CHILD_TABLES:
        if name in tables and not tables[name]["doc_key"].isin(keys).all():
            raise CorpusInputError(f"row(s) of '{name}' have a doc_key with no row in 'articles'")
    con.execute("BEGIN")
    try:
        for name in TABLES:
            con.register(f"_in_{name}", tables.get(name, empty_table(name)))
        written = _write_registered(con, checked=True)
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise
    finally:
        for name in TABLES:
            con.unregister(f"_in_{name}")
    return written


def _write_registered(con: duckdb.DuckDBPyConnection, *, checked: bool = False) -> int:
    """The insert itself, reading relations ``_in_<table>``; runs inside the caller's
    transaction. ``checked``: the caller has made sure every child row has its article."""
    # One row per incoming key: the first of duplicates in the batch wins.
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _incoming AS
        SELECT doc_key, CAST(version AS INTEGER) AS version, CAST(date AS DATE) AS date
        FROM (SELECT *, row_number() OVER () AS _n FROM _in_articles)
        QUALIFY row_number() OVER (PARTITION BY doc_key ORDER BY _n) = 1
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _replaced AS
        SELECT a.doc_id, {COUNTED} AS counted
        FROM articles a JOIN _incoming i USING (doc_key) WHERE a.version <> i.version
    """)
    base = con.execute("SELECT coalesce(max(doc_id), 0) FROM articles").fetchone()[0]
    # New ids in date order, so that a chronological feed keeps each table sorted by date.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _ids AS
        SELECT i.doc_key, {base} + row_number() OVER (ORDER BY i.date NULLS LAST, i.doc_key) AS doc_id
        FROM _incoming i LEFT JOIN articles a USING (doc_key)
        WHERE a.doc_id IS NULL OR a.version <> i.version
    """)
    if not checked:
        _check_keys(con)
    written = con.execute("SELECT count(*) FROM _ids").fetchone()[0]
    if not written:
        return 0
    replacing = con.execute("SELECT count(*) FROM _replaced").fetchone()[0]
    if replacing:
        _subtract_totals(con, "SELECT doc_id FROM _replaced WHERE counted")
        for name in (*CHILD_TABLES, "postings", "articles"):
            con.execute(
                f"DELETE FROM {stored_table(name)} WHERE doc_id IN (SELECT doc_id FROM _replaced)"
            )
    # Equal keys mean equal input bytes, hence equal rows: repeated rows are dropped.
    repeated = con.execute(
        "SELECT count(*) > count(DISTINCT doc_key) FROM _in_articles"
    ).fetchone()[0]
    given = {column[0] for column in con.execute("SELECT * FROM _in_articles LIMIT 0").description}
    for name, columns in CONTRACT.items():
        cols = ", ".join(
            f"CAST({_value(c.name, given) if name == 'articles' else f't.{q(c.name)}'} AS {c.sql}) "
            f"AS {q(c.name)}"
            for c in columns[1:]
        )
        order = ", ".join(["k.doc_id", *(f"t.{q(c)}" for c in ORDER[name])])
        key = "k.doc_id, k.doc_key" if name == "articles" else "k.doc_id"
        if name == "articles":
            # Only the first row of duplicated keys.
            source = (
                "(SELECT * FROM _in_articles QUALIFY row_number() OVER (PARTITION BY doc_key) = 1)"
            )
        else:
            source = f"(SELECT DISTINCT * FROM _in_{name})" if repeated else f"_in_{name}"
        con.execute(f"""
            INSERT INTO {stored_table(name)} BY NAME
            SELECT {key}, {cols} FROM {source} t JOIN _ids k USING (doc_key) ORDER BY {order}
        """)
    _mark_latest(con, base)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _counted_new AS "
        f"SELECT a.doc_id FROM articles a WHERE a.doc_id > {int(base)} AND {COUNTED}"
    )
    counted_new = "doc_id IN (SELECT doc_id FROM _counted_new)"
    con.execute(
        f"""
        INSERT INTO term_totals BY NAME
        SELECT t.term, bool_or(t.is_stop) AS is_stop, sum(t.count) AS count,
               count(DISTINCT t.doc_id) AS articles
        FROM terms t WHERE t.doc_id > ? AND t.{counted_new} GROUP BY t.term
        ON CONFLICT (term) DO UPDATE SET count = count + excluded.count,
                                         articles = articles + excluded.articles
    """,
        [base],
    )
    con.execute("DELETE FROM term_totals WHERE count <= 0")
    con.execute(
        "INSERT INTO term_months "
        + TERM_MONTHS_ROWS.format(sign="", where=f"t.doc_id > ? AND t.{counted_new}"),
        [base],
    )
    con.execute(
        TERM_SOURCES_UPSERT.format(sign="", where=f"t.doc_id > ? AND t.{counted_new}"), [base]
    )
    con.execute("DELETE FROM term_sources WHERE count <= 0")
    for totals in OUTLET_TOTALS:
        con.execute(totals.upsert(sign="", where=f"doc_id > ? AND {counted_new}"), [base])
        con.execute(f"DELETE FROM {totals.table} WHERE articles <= 0")
    con.execute(
        """
        INSERT INTO postings SELECT term, doc_id, paragraph, count FROM terms WHERE doc_id > ?
        ORDER BY term, doc_id, paragraph
    """,
        [base],
    )
    return written


def _value(column: str, given: set[str]) -> str:
    """An incoming ``articles`` column, or its default when the table predates it."""
    if column in given or column not in COLLECTION_COLUMNS:
        return f"t.{q(column)}"
    return COLLECTION_COLUMNS[column]


def _subtract_totals(con: duckdb.DuckDBPyConnection, ids: str) -> None:
    """Take the articles selected by ``ids`` (SQL of doc_ids) out of the totals tables."""
    con.execute(f"""
        INSERT INTO term_totals BY NAME
        SELECT term, bool_or(is_stop) AS is_stop, -sum(count) AS count,
               -count(DISTINCT doc_id) AS articles
        FROM terms WHERE doc_id IN ({ids}) GROUP BY term
        ON CONFLICT (term) DO UPDATE SET count = count + excluded.count,
                                         articles = articles + excluded.articles
    """)
    con.execute(
        "INSERT INTO term_months " + TERM_MONTHS_ROWS.format(sign="-", where=f"t.doc_id IN ({ids})")
    )
    con.execute(TERM_SOURCES_UPSERT.format(sign="-", where=f"t.doc_id IN ({ids})"))
    for totals in OUTLET_TOTALS:
        con.execute(totals.upsert(sign="-", where=f"doc_id IN ({ids})"))


def _mark_latest(con: duckdb.DuckDBPyConnection, base: int) -> None:
    """Of the articles sharing a URL with an article just written (``doc_id > base``), mark
    those of the highest revision latest and the others not; counted articles that stop
    being latest leave the totals."""
    touched = con.execute(
        "SELECT count(*) FROM articles WHERE doc_id > ? AND url IS NOT NULL", [base]
    ).fetchone()[0]
    if not touched:
        return
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _heads AS
        SELECT url, max(revision) AS top FROM articles
        WHERE url IN (SELECT url FROM articles WHERE doc_id > ? AND url IS NOT NULL)
        GROUP BY url
    """,
        [base],
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _superseded AS
        SELECT a.doc_id FROM articles a JOIN _heads h USING (url)
        WHERE a.doc_id <= ? AND {COUNTED} AND a.revision < h.top
    """,
        [base],
    )
    if con.execute("SELECT count(*) FROM _superseded").fetchone()[0]:
        _subtract_totals(con, "SELECT doc_id FROM _superseded")
    con.execute("""
        UPDATE articles SET latest = (articles.revision >= h.top) FROM _heads h
        WHERE articles.url = h.url AND articles.latest IS DISTINCT FROM (articles.revision >= h.top)
    """)


def _check_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Every child row must belong to an article of the batch: a row whose key is not in
    ``articles`` would otherwise be dropped silently by the join."""
    for name in CHILD_TABLES:
        stray = con.execute(
            f"SELECT count(*) FROM _in_{name} t ANTI JOIN _incoming i USING (doc_key)"
        ).fetchone()[0]
        if stray:
            raise CorpusInputError(
                f"{stray} row(s) of '{name}' have a doc_key with no row in 'articles'"
            )


def _concat(batch: Sequence[Mapping[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """One frame per table for the whole batch; of articles sharing a key only the first is
    kept (their child rows could not be told apart once concatenated)."""
    unique, seen = [], set()
    for article in batch:
        keys = tuple(article["articles"]["doc_key"]) if "articles" in article else ()
        if len(keys) != 1:
            raise CorpusInputError(
                f"an article's 'articles' table must have one row, not {len(keys)}"
            )
        if keys[0] not in seen:
            seen.add(keys[0])
            unique.append(article)
    batch = unique
    tables: dict[str, pd.DataFrame] = {}
    for name in TABLES:
        frames = [article[name] for article in batch if name in article and len(article[name])]
        if name == "articles":
            frames = [_with_collection_columns(frame) for frame in frames]
        for frame in frames:
            missing = [c.name for c in CONTRACT[name] if c.name not in frame.columns]
            if missing:
                raise CorpusInputError(f"table '{name}' lacks column(s) {', '.join(missing)}")
        columns = [c.name for c in CONTRACT[name]]
        frames = [f if list(f.columns) == columns else f[columns] for f in frames]
        tables[name] = pd.concat(frames, ignore_index=True) if frames else empty_table(name)
    return tables


def _close_quietly(con: duckdb.DuckDBPyConnection) -> None:
    """Close after an error: the error being raised says what went wrong, not the close."""
    with suppress(Exception):
        con.close()


def _with_collection_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """An ``articles`` frame with the collection columns it lacks (a table built before they
    existed), at their defaults; the caller's frame is left as it is."""
    defaults = {"revision": 1}
    missing = {
        c.name: pd.Series([defaults.get(c.name)] * len(frame), index=frame.index, dtype=c.dtype)
        for c in CONTRACT["articles"]
        if c.name in COLLECTION_COLUMNS and c.name not in frame.columns
    }
    return frame.assign(**missing) if missing else frame
