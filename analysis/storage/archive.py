"""Corpora that outlive the server: a corpus built on an app server (uploaded or collected) is
kept in the configured database, and restored into a fresh DuckDB file when a server that
lacks it is asked for it (after a restart that wiped the disk, or on another replica).

What is kept is the corpus's export: its analysed tables as Parquet, one file per table, as
``newslens corpus export --format parquet`` writes them (and ``newslens corpus import``, the
app's sample corpus and this module's restore read them). Restoring imports them, which
rebuilds the derived tables (word postings, monthly and per-outlet totals) as any import does:
the restored corpus answers every query as the original did, without running the language
models again, and in a fraction of the time analysing its documents took.

Records. ``newslens_corpora`` holds one row per corpus name (which snapshot is current, its
digest, counts); ``newslens_corpus_parts`` holds the snapshots' bytes in parts of at most
``part_bytes`` (so that neither side ever holds a whole corpus in one value). Each save writes
a new snapshot under a random id, points the corpus's row at it and deletes the parts no row
points at, all in one transaction: a crash at any point leaves the previous state, never half
a corpus. Saves are serialised by a writers' lock (a PostgreSQL advisory lock; SQLite's write
lock), under which the total size cap is checked and a snapshot equal to the stored one
(same digest) is not written again. A restore reads the row and its parts in one consistent
read, checks the digest, and builds the DuckDB file under a temporary name that is renamed
into place only when complete.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal, NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from analysis.errors import ArticleError
from analysis.storage.corpus.store import CorpusStore
from analysis.storage.database import (
    CORPORA_LOCK,
    create_store_engine,
    describe,
    ensure_tables,
    prepare_engine,
    reading,
    unavailable,
    writing,
)

#: What a snapshot holds: 1 = the Parquet files of ``CorpusStore.export_parquet``.
ARCHIVE_FORMAT = 1
DEFAULT_PART_BYTES = 4 * 1024 * 1024
DEFAULT_MAX_BYTES = 500_000_000
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")

METADATA = sa.MetaData()
CORPORA = sa.Table(
    "newslens_corpora",
    METADATA,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("snapshot", sa.String(32), nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("digest", sa.String(64), nullable=False),
    sa.Column("format", sa.Integer, nullable=False),
    sa.Column("articles", sa.Integer, nullable=False),
    sa.Column("bytes", sa.BigInteger, nullable=False),
    sa.Column("parts", sa.Integer, nullable=False),
    sa.Column("saved", sa.Float, nullable=False),
)
PARTS = sa.Table(
    "newslens_corpus_parts",
    METADATA,
    sa.Column("snapshot", sa.String(32), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("file", sa.String(100), nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)


class CorpusNotKeptError(ArticleError):
    """No corpus of that name is kept in the database."""


class ArchiveDamagedError(ArticleError):
    """A kept corpus's bytes do not match its digest, or cannot be imported."""


class KeptCorpus(NamedTuple):
    """A corpus kept in the database.

    Attributes:
        name: its name (the app's corpus file name, e.g. ``upload-news-1a2b3c4d5e.duckdb``).
        articles: how many articles it holds.
        bytes: the size of its stored export.
        saved: when it was saved (seconds since the epoch).
        fingerprint: what it holds (:func:`corpus_fingerprint`): equal fingerprints, equal
            corpora.
    """

    name: str
    articles: int
    bytes: int
    saved: float
    fingerprint: str


class ArchiveProgress(NamedTuple):
    """How far a save or a restore has got, for a progress bar.

    Attributes:
        stage: ``"exporting"`` (writing the corpus's Parquet files), ``"saving"`` (parts
            written to the database), ``"reading"`` (parts read from it), ``"building"``
            (the DuckDB file being imported into), ``"done"``.
        done: steps done (parts for saving and reading; 0 or 1 otherwise).
        total: steps in this stage.
    """

    stage: Literal["exporting", "saving", "reading", "building", "done"]
    done: int
    total: int

    @property
    def fraction(self) -> float:
        """``done / total`` (1.0 for a stage of no steps)."""
        return self.done / self.total if self.total else 1.0


Progress = Callable[[ArchiveProgress], None]


def _no_progress(_step: ArchiveProgress) -> None:
    return None


def check_name(name: str) -> str:
    """``name`` if it can name a kept corpus (letters, digits, ``.``, ``_``, ``-``; no path).

    Raises:
        ArticleError: it cannot.
    """
    if not isinstance(name, str) or not _NAME.match(name) or ".." in name:
        raise ArticleError(
            "A corpus name is letters, digits, '.', '_' and '-' (at most 200), "
            f"not {str(name)[:60]!r}."
        )
    return name


class CorpusArchive:
    """Corpora kept in a SQL database (the share store's, when one is configured).

    Args:
        where: a SQLAlchemy URL or an :class:`~sqlalchemy.engine.Engine` (the app's
            ``st.connection(...).engine``).
        max_bytes: the total size of the kept corpora; a save past it is refused.
        part_bytes: the largest part a snapshot is split into.
    """

    def __init__(
        self,
        where: str | URL | Engine,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        part_bytes: int = DEFAULT_PART_BYTES,
    ) -> None:
        self.engine = (
            prepare_engine(where) if isinstance(where, Engine) else create_store_engine(where)
        )
        self.max_bytes = max_bytes
        self.part_bytes = part_bytes
        self._ready = False
        self._restoring: dict[Path, threading.Lock] = {}
        self._restoring_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"CorpusArchive({describe(self.engine)!r})"

    def _ensure(self) -> None:
        if not self._ready:
            try:
                ensure_tables(self.engine, METADATA)
            except sa.exc.OperationalError as error:
                raise unavailable(self.engine, error, what="The corpus store") from None
            self._ready = True

    # -- reading ---------------------------------------------------------------------------

    def kept(self) -> list[KeptCorpus]:
        """Every kept corpus, by name.

        Raises:
            StoreUnavailableError: the database cannot be reached.
        """
        columns = (CORPORA.c[field] for field in KeptCorpus._fields)
        rows = self._rows(sa.select(*columns).order_by(CORPORA.c.name))
        return [KeptCorpus(*row) for row in rows]

    def get(self, name: str) -> KeptCorpus | None:
        """The kept corpus called ``name``, or None."""
        check_name(name)
        columns = (CORPORA.c[field] for field in KeptCorpus._fields)
        rows = self._rows(sa.select(*columns).where(CORPORA.c.name == name))
        return KeptCorpus(*rows[0]) if rows else None

    def _rows(self, query: sa.Select) -> list[sa.Row]:
        self._ensure()
        try:
            with reading(self.engine) as connection:
                return list(connection.execute(query).all())
        except sa.exc.OperationalError as error:
            raise unavailable(self.engine, error, what="The corpus store") from None

    # -- saving ----------------------------------------------------------------------------

    def save(
        self, name: str, store: CorpusStore, *, progress: Progress | None = None
    ) -> KeptCorpus:
        """Keep the corpus in ``store`` under ``name``, replacing what was kept under that
        name; nothing is written when the kept copy is equal (idempotent).

        Args:
            name: the corpus's name (:func:`check_name`).
            store: the corpus (read, never changed).
            progress: called with an :class:`ArchiveProgress` as the save goes on (the
                "saving" steps inside the database transaction: keep it quick).

        Returns:
            the kept corpus.

        Raises:
            ArticleError: the name is not valid, or the kept corpora would pass ``max_bytes``.
            StoreUnavailableError: the database cannot be reached.
        """
        check_name(name)
        report = progress or _no_progress
        self._ensure()
        fingerprint = corpus_fingerprint(store)
        existing = self.get(name)
        if existing is not None and existing.fingerprint == fingerprint:
            report(ArchiveProgress("done", 1, 1))
            return existing
        with tempfile.TemporaryDirectory(prefix="newslens-keep-") as folder:
            report(ArchiveProgress("exporting", 0, 1))
            files = {path.name: path for path in store.export_parquet(folder)}
            report(ArchiveProgress("exporting", 1, 1))
            digest, size = _digest(files)
            snapshot = _Snapshot(
                fingerprint, digest, size, _parquet_rows(files["articles.parquet"])
            )
            try:
                kept = self._write(name, files, snapshot, report)
            except sa.exc.OperationalError as error:
                raise unavailable(self.engine, error, what="The corpus store") from None
        report(ArchiveProgress("done", 1, 1))
        return kept

    def _write(
        self, name: str, files: dict[str, Path], snapshot: _Snapshot, report: Progress
    ) -> KeptCorpus:
        snapshot_id = uuid.uuid4().hex
        pieces = list(_pieces(files, self.part_bytes))
        with writing(self.engine, lock=CORPORA_LOCK) as connection:
            current = connection.execute(
                sa.select(*(CORPORA.c[field] for field in KeptCorpus._fields)).where(
                    CORPORA.c.name == name
                )
            ).first()
            if current is not None and current.fingerprint == snapshot.fingerprint:
                return KeptCorpus(*current)  # saved by another writer meanwhile
            others = int(
                connection.execute(
                    sa.select(sa.func.coalesce(sa.func.sum(CORPORA.c.bytes), 0)).where(
                        CORPORA.c.name != name
                    )
                ).scalar_one()
            )
            size = snapshot.size
            if others + size > self.max_bytes:
                raise ArticleError(
                    f"The store for corpora is full ({others / 1e6:,.0f} MB of "
                    f"{self.max_bytes / 1e6:,.0f} MB used), so this corpus "
                    f"({size / 1e6:,.1f} MB) is not kept: it lasts until the server "
                    "restarts; export it to keep a copy."
                )
            for seq, (file, start, length) in enumerate(pieces):
                with open(files[file], "rb") as handle:
                    handle.seek(start)
                    data = handle.read(length)
                connection.execute(
                    PARTS.insert().values(snapshot=snapshot_id, seq=seq, file=file, data=data)
                )
                report(ArchiveProgress("saving", seq + 1, len(pieces)))
            saved = time.time()
            values = {
                "snapshot": snapshot_id,
                "fingerprint": snapshot.fingerprint,
                "digest": snapshot.digest,
                "format": ARCHIVE_FORMAT,
                "articles": snapshot.articles,
                "bytes": size,
                "parts": len(pieces),
                "saved": saved,
            }
            if current is None:
                connection.execute(CORPORA.insert().values(name=name, **values))
            else:
                connection.execute(CORPORA.update().where(CORPORA.c.name == name).values(**values))
            connection.execute(
                PARTS.delete().where(PARTS.c.snapshot.not_in(sa.select(CORPORA.c.snapshot)))
            )
        return KeptCorpus(name, snapshot.articles, size, saved, snapshot.fingerprint)

    # -- restoring -------------------------------------------------------------------------

    def restore(
        self, name: str, path: Path | str, *, progress: Progress | None = None
    ) -> CorpusStore:
        """The corpus kept as ``name``, as a DuckDB file at ``path``: built from the kept copy
        when ``path`` does not exist yet, else left as it is (idempotent; concurrent calls in
        one process build it once, and a file at ``path`` is always complete).

        Args:
            name: the kept corpus's name.
            path: where its DuckDB file goes (its folder is created).
            progress: called with an :class:`ArchiveProgress` as the restore goes on.

        Returns:
            the store at ``path``.

        Raises:
            CorpusNotKeptError: nothing is kept under ``name``.
            ArchiveDamagedError: the kept copy is damaged.
            StoreUnavailableError: the database cannot be reached.
        """
        check_name(name)
        path = Path(path)
        report = progress or _no_progress
        with self._restoring_lock:
            lock = self._restoring.setdefault(path.resolve(), threading.Lock())
        with lock:
            if not path.exists():
                self._ensure()
                path.parent.mkdir(parents=True, exist_ok=True)
                try:
                    self._build(name, path, report)
                except sa.exc.OperationalError as error:
                    raise unavailable(self.engine, error, what="The corpus store") from None
        report(ArchiveProgress("done", 1, 1))
        return CorpusStore(path)

    def _build(self, name: str, path: Path, report: Progress) -> None:
        with tempfile.TemporaryDirectory(prefix="newslens-restore-", dir=path.parent) as folder:
            folder = Path(folder)
            exports = folder / "export"
            exports.mkdir()
            with reading(self.engine) as connection:
                row = connection.execute(
                    sa.select(
                        CORPORA.c.snapshot,
                        CORPORA.c.digest,
                        CORPORA.c.format,
                        CORPORA.c.articles,
                        CORPORA.c.parts,
                    ).where(CORPORA.c.name == name)
                ).first()
                if row is None:
                    raise CorpusNotKeptError(
                        f"No corpus named “{name}” is kept in the database (it may have been "
                        "made on a server without one, or before it was configured)."
                    )
                if row.format != ARCHIVE_FORMAT:
                    raise ArchiveDamagedError(
                        f"The kept copy of “{name}” was saved by a newer version of NewsLens "
                        f"(format {row.format}); this one reads format {ARCHIVE_FORMAT}."
                    )
                files = self._read_parts(connection, name, row.snapshot, row.parts, exports, report)
            if _digest(files)[0] != row.digest:
                raise ArchiveDamagedError(_damaged(name))
            report(ArchiveProgress("building", 0, 1))
            building = folder / "corpus.duckdb"
            store = CorpusStore(building)
            try:
                written = store.import_parquet(exports)
            except Exception as error:  # a kept copy that does not import is damaged
                raise ArchiveDamagedError(_damaged(name)) from error
            if written != row.articles:
                raise ArchiveDamagedError(_damaged(name))
            report(ArchiveProgress("building", 1, 1))
            # Everything in the file itself (no write-ahead log beside it), so that the rename
            # below moves all of it: the rename is the step that makes the corpus visible.
            with store.writer() as con:
                con.execute("CHECKPOINT")
            os.replace(building, path)

    def _read_parts(
        self,
        connection: sa.Connection,
        name: str,
        snapshot: str,
        parts: int,
        folder: Path,
        report: Progress,
    ) -> dict[str, Path]:
        files: dict[str, Path] = {}
        rows = connection.execution_options(stream_results=True, yield_per=1).execute(
            sa.select(PARTS.c.file, PARTS.c.data)
            .where(PARTS.c.snapshot == snapshot)
            .order_by(PARTS.c.seq)
        )
        for done, (file, data) in enumerate(rows, start=1):
            if file not in files:
                if not re.fullmatch(r"[a-z_]+\.parquet", file):
                    raise ArchiveDamagedError(_damaged(name))
                files[file] = folder / file
            with open(files[file], "ab") as handle:
                handle.write(data)
            report(ArchiveProgress("reading", done, parts))
        return files


class _Snapshot(NamedTuple):
    """An export about to be written: what it holds, its bytes' digest and size, its articles."""

    fingerprint: str
    digest: str
    size: int
    articles: int


def corpus_fingerprint(store: CorpusStore) -> str:
    """What a corpus holds, as a SHA-256: its articles' keys and analysis versions, and its
    errors. An article's rows follow from its key and version (the corpus store's own rule for
    skipping what it holds), so equal fingerprints mean equal corpora, whatever order their
    rows are stored or exported in.

    Returns:
        64 hexadecimal characters.
    """
    digest = hashlib.sha256(b"newslens corpus\n")
    with store.reader() as con:
        for key, version in con.execute(
            "SELECT doc_key, version FROM articles ORDER BY doc_key, version"
        ).fetchall():
            digest.update(f"{key}:{version}\n".encode())
        digest.update(b"errors\n")
        for row in con.execute('SELECT document, reason, "at" FROM errors ORDER BY ALL').fetchall():
            digest.update(repr(tuple(map(str, row))).encode() + b"\n")
    return digest.hexdigest()


def _pieces(files: dict[str, Path], part_bytes: int) -> Iterator[tuple[str, int, int]]:
    """(file, offset, length) of each part, files in name order."""
    for file in sorted(files):
        size = files[file].stat().st_size
        for start in range(0, max(size, 1), part_bytes):
            yield file, start, min(part_bytes, size - start)


def _digest(files: dict[str, Path]) -> tuple[str, int]:
    """The SHA-256 of an export (each file's name, size and bytes, files in name order), and
    its total size."""
    digest, total = hashlib.sha256(), 0
    for file in sorted(files):
        size = files[file].stat().st_size
        digest.update(f"{file}\0{size}\0".encode())
        with open(files[file], "rb") as handle:
            shutil.copyfileobj(handle, _Updater(digest))
        total += size
    return digest.hexdigest(), total


class _Updater:
    """A file-like sink that feeds a hash (for :func:`shutil.copyfileobj`)."""

    def __init__(self, digest) -> None:
        self.digest = digest

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return len(data)


def _parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows


def _damaged(name: str) -> str:
    return (
        f"The kept copy of the corpus “{name}” is damaged and cannot be restored; "
        "upload it again to keep a new copy."
    )
