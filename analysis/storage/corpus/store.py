"""The corpus store: analysed articles in one DuckDB file.

Concurrency. DuckDB lets one process open a file read-write, or any number of processes open
it read-only, never both at once (the read-write connection holds an exclusive file lock;
inside one process a read-only and a read-write connection to the same file conflict too).
So nobody keeps the file open: a writer opens it read-write only for the commit of one batch
and closes it; a reader opens it read-only for one query, or for one short :meth:`reader`
block (one page of the app), and closes it. Whoever finds the file locked retries with a short
backoff up to ``timeout`` seconds, then raises :class:`CorpusBusyError`. Writers that do their
slow work (analysis, building DataFrames) before calling :meth:`CorpusStore.add` hold the lock
only for the insert.

Atomicity. :meth:`CorpusStore.add` writes a whole batch in one transaction: after a crash the
file holds every article of the committed batches completely and nothing of the batch in
flight (DuckDB replays its write-ahead log of committed transactions on the next open).

Idempotence. An article is identified by ``doc_key`` and carries an analysis ``version``: a
key already stored under the same or a newer version is skipped; under an older version its
rows are deleted and the new ones inserted, in the same transaction.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from analysis.core.schema import ErrorRow
from analysis.errors import ArticleError
from analysis.storage.corpus.schema import (
    CHILD_TABLES,
    CONTRACT,
    ERROR_COLUMNS,
    MIGRATIONS,
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
)

DEFAULT_TIMEOUT = 10.0


class CorpusBusyError(ArticleError):
    """The corpus file stayed locked by another process for longer than the timeout."""


class CorpusInputError(ArticleError):
    """Tables handed to the store do not follow the contract (a programming error upstream)."""


def _lock_errors() -> tuple[type[Exception], ...]:
    return (duckdb.IOException, duckdb.ConnectionException)


class CorpusStore:
    """Analysed articles in one DuckDB file; see the module docstring for the locking rules.

    Args:
        path: the DuckDB file (the command line's default is
            :attr:`analysis.settings.Settings.corpus_path`). Created with its directory on
            first use.
        timeout: seconds to keep retrying while another process holds the file.
    """

    def __init__(self, path: Path | str, *, timeout: float = DEFAULT_TIMEOUT):
        self.path = Path(path)
        self.timeout = timeout
        self._ready = False

    def __repr__(self) -> str:
        return f"CorpusStore({str(self.path)!r})"

    # -- connections ---------------------------------------------------------------------

    def _connect(self, *, read_only: bool) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=read_only)
                # No progress bar on the terminal (a long migration drew one).
                con.execute("SET enable_progress_bar = false")
                return con
            except _lock_errors() as exc:
                if time.monotonic() >= deadline:
                    raise CorpusBusyError(
                        f"The corpus file {self.path} is in use by another process; "
                        f"try again when its current batch has finished. ({exc})"
                    ) from exc
                # Short random polls: the lock is free only in the gaps between other
                # processes' short sessions, and a long backoff would keep missing them.
                time.sleep(random.uniform(0.001, 0.01))

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
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = self._connect(read_only=False)
        try:
            migrate(con)
        finally:
            con.close()
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
        :class:`CorpusReader` objects of other processes to let go of the file."""
        self.ensure()
        marker = self.writer_marker
        try:
            marker.touch()
        except OSError:
            marker = None  # a read-only directory: readers give way when idle only
        try:
            con = self._connect(read_only=False)
            try:
                yield con
            finally:
                con.close()
        finally:
            if marker is not None:
                marker.unlink(missing_ok=True)

    @property
    def writer_marker(self) -> Path:
        """The file that exists while a writer waits for or holds the corpus file."""
        return self.path.with_name(self.path.name + ".writer")

    # -- reading -------------------------------------------------------------------------

    def schema_version(self) -> int:
        """The schema version of the file (after :meth:`ensure`)."""
        with self.reader() as con:
            return schema_version(con)

    def known_keys(self, version: int | None = None) -> set[str]:
        """Keys stored under ``version`` or a newer one (any version when None): the
        articles a run of that analysis version can skip."""
        with self.reader() as con:
            if version is None:
                rows = con.execute("SELECT doc_key FROM articles").fetchall()
            else:
                sql = "SELECT doc_key FROM articles WHERE version >= ?"
                rows = con.execute(sql, [version]).fetchall()
        return {row[0] for row in rows}

    def has(self, doc_key: str, version: int | None = None) -> bool:
        """Whether ``doc_key`` is stored under ``version`` or newer (any version when None)."""
        with self.reader() as con:
            if version is None:
                found = con.execute("SELECT count(*) FROM articles WHERE doc_key = ?", [doc_key])
            else:
                sql = "SELECT count(*) FROM articles WHERE doc_key = ? AND version >= ?"
                found = con.execute(sql, [doc_key, version])
            return found.fetchone()[0] > 0

    def table(self, name: str) -> pd.DataFrame:
        """One table in contract form (``doc_key`` first), ordered by doc_key then the
        table's natural order.

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
            already stored under the same or a newer version are skipped.
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
            < int(a["articles"]["version"].iloc[0])
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
            records.append((row.document, row.reason, row.at or now))
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
                con.execute("ROLLBACK")
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


class CorpusReader:
    """A read-only connection to a :class:`CorpusStore` kept open across queries, for a
    process that asks many (the app, a script): the queries accept it as their ``source``.

    Opening the file costs more than most queries, and a closed connection loses DuckDB's
    cache of the blocks it has read. But an open reader keeps writers out (see the
    :mod:`module docstring <analysis.storage.corpus.store>`), so the connection is closed when no
    query has used it for ``idle`` seconds, and as soon as no query is running while a writer
    waits (its marker file exists); the next query opens it again. Safe to share between
    threads: each query runs on its own cursor of the shared connection.

    Args:
        store: the store to read.
        idle: seconds without a query after which the file is let go.
        poll: seconds between checks for a waiting writer while the connection is open.
    """

    #: A marker older than this is left behind by a writer that died: ignored.
    STALE_MARKER = 120.0

    def __init__(self, store: CorpusStore, *, idle: float = 2.0, poll: float = 0.05):
        self.store = store
        self.idle = idle
        self.poll = poll
        self.opened = 0  # connections opened so far
        self._con: duckdb.DuckDBPyConnection | None = None
        self._active = 0
        self._last = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"CorpusReader({self.store!r}, idle={self.idle})"

    def _writer_waiting(self) -> bool:
        try:
            age = time.time() - self.store.writer_marker.stat().st_mtime
        except OSError:
            return False
        return age < self.STALE_MARKER

    @contextmanager
    def connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the shared connection, opened first when needed."""
        with self._lock:
            if self._con is not None and self._active == 0 and self._writer_waiting():
                self._close()
            if self._con is None:
                self.store.ensure()
                self._con = self.store._connect(read_only=True)
                self.opened += 1
                threading.Thread(target=self._watch, args=(self._con,), daemon=True).start()
            self._active += 1
            cursor = self._con.cursor()
        try:
            yield cursor
        finally:
            cursor.close()
            with self._lock:
                self._active -= 1
                self._last = time.monotonic()

    def close(self) -> None:
        """Let go of the file now (the next query opens it again)."""
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def _watch(self, con: duckdb.DuckDBPyConnection) -> None:
        while True:
            time.sleep(self.poll)
            with self._lock:
                if self._con is not con:
                    return
                if self._active == 0 and (
                    time.monotonic() - self._last >= self.idle or self._writer_waiting()
                ):
                    self._close()
                    return


# -- functions on a connection -------------------------------------------------------------


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version recorded in ``meta`` (0 for a file without one)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
    ).fetchone()[0]
    if not exists:
        return 0
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection, *, target: int = SCHEMA_VERSION) -> int:
    """Apply the migration steps after the file's version up to ``target``, in order, in one
    transaction. Returns the version reached."""
    current = schema_version(con)
    if current >= target:
        return current
    con.execute("BEGIN")
    try:
        con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        for step in MIGRATIONS:
            if current < step.version <= target:
                for statement in step.statements:
                    con.execute(statement)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(target)])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return target


def contract_select(name: str) -> str:
    """SQL giving table ``name`` in contract form, ordered by doc_key then its natural order."""
    columns = CONTRACT[name]
    order = ", ".join(["doc_key", *(f"t.{q(c)}" for c in ORDER[name])])
    if name == "articles":
        cols = ", ".join(q(c.name) for c in columns)
        return f"SELECT {cols} FROM articles ORDER BY doc_key"
    cols = ", ".join(["a.doc_key", *(f"t.{q(c.name)}" for c in columns[1:])])
    return f"SELECT {cols} FROM {name} t JOIN articles a USING (doc_id) ORDER BY {order}"


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
        con.execute("ROLLBACK")
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
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _replaced AS
        SELECT a.doc_id FROM articles a JOIN _incoming i USING (doc_key) WHERE a.version < i.version
    """)
    base = con.execute("SELECT coalesce(max(doc_id), 0) FROM articles").fetchone()[0]
    # New ids in date order, so that a chronological feed keeps each table sorted by date.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _ids AS
        SELECT i.doc_key, {base} + row_number() OVER (ORDER BY i.date NULLS LAST, i.doc_key) AS doc_id
        FROM _incoming i LEFT JOIN articles a USING (doc_key)
        WHERE a.doc_id IS NULL OR a.version < i.version
    """)
    if not checked:
        _check_keys(con)
    written = con.execute("SELECT count(*) FROM _ids").fetchone()[0]
    if not written:
        return 0
    replacing = con.execute("SELECT count(*) FROM _replaced").fetchone()[0]
    if replacing:
        con.execute("""
            INSERT INTO term_totals BY NAME
            SELECT term, bool_or(is_stop) AS is_stop, -sum(count) AS count,
                   -count(DISTINCT doc_id) AS articles
            FROM terms WHERE doc_id IN (SELECT doc_id FROM _replaced) GROUP BY term
            ON CONFLICT (term) DO UPDATE SET count = count + excluded.count,
                                             articles = articles + excluded.articles
        """)
        con.execute(
            "INSERT INTO term_months "
            + TERM_MONTHS_ROWS.format(sign="-", where="t.doc_id IN (SELECT doc_id FROM _replaced)")
        )
        con.execute(
            TERM_SOURCES_UPSERT.format(sign="-", where="t.doc_id IN (SELECT doc_id FROM _replaced)")
        )
        for totals in OUTLET_TOTALS:
            con.execute(totals.upsert(sign="-", where="doc_id IN (SELECT doc_id FROM _replaced)"))
        for name in (*CHILD_TABLES, "postings", "articles"):
            con.execute(f"DELETE FROM {name} WHERE doc_id IN (SELECT doc_id FROM _replaced)")
    # Equal keys mean equal input bytes, hence equal rows: repeated rows are dropped.
    repeated = con.execute(
        "SELECT count(*) > count(DISTINCT doc_key) FROM _in_articles"
    ).fetchone()[0]
    for name, columns in CONTRACT.items():
        cols = ", ".join(f"CAST(t.{q(c.name)} AS {c.sql}) AS {q(c.name)}" for c in columns[1:])
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
            INSERT INTO {name} BY NAME
            SELECT {key}, {cols} FROM {source} t JOIN _ids k USING (doc_key) ORDER BY {order}
        """)
    con.execute(
        """
        INSERT INTO term_totals BY NAME
        SELECT t.term, bool_or(t.is_stop) AS is_stop, sum(t.count) AS count,
               count(DISTINCT t.doc_id) AS articles
        FROM terms t WHERE t.doc_id > ? GROUP BY t.term
        ON CONFLICT (term) DO UPDATE SET count = count + excluded.count,
                                         articles = articles + excluded.articles
    """,
        [base],
    )
    con.execute("DELETE FROM term_totals WHERE count <= 0")
    con.execute(
        "INSERT INTO term_months " + TERM_MONTHS_ROWS.format(sign="", where="t.doc_id > ?"), [base]
    )
    con.execute(TERM_SOURCES_UPSERT.format(sign="", where="t.doc_id > ?"), [base])
    con.execute("DELETE FROM term_sources WHERE count <= 0")
    for totals in OUTLET_TOTALS:
        con.execute(totals.upsert(sign="", where="doc_id > ?"), [base])
        con.execute(f"DELETE FROM {totals.table} WHERE articles <= 0")
    con.execute(
        """
        INSERT INTO postings SELECT term, doc_id, paragraph, count FROM terms WHERE doc_id > ?
        ORDER BY term, doc_id, paragraph
    """,
        [base],
    )
    return written


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
        for frame in frames:
            missing = [c.name for c in CONTRACT[name] if c.name not in frame.columns]
            if missing:
                raise CorpusInputError(f"table '{name}' lacks column(s) {', '.join(missing)}")
        columns = [c.name for c in CONTRACT[name]]
        frames = [f if list(f.columns) == columns else f[columns] for f in frames]
        tables[name] = pd.concat(frames, ignore_index=True) if frames else empty_table(name)
    return tables
