"""The SQL database behind the share store and the kept corpora: a SQLAlchemy engine on a local
SQLite file (the default) or on a configured server (PostgreSQL is the supported one).

Writers on both take a lock that makes a check and the write that depends on it one step:
SQLite's ``BEGIN IMMEDIATE`` (the file's write lock, waited for up to the busy timeout), and on
PostgreSQL a transaction-scoped advisory lock. Tables are created on first use, under the same
lock, so that two servers starting on one empty database do not race to create them.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine

from analysis.errors import ArticleError

#: The local share store's file in the data folder.
LOCAL_FILE = "articles.sqlite3"
BUSY_TIMEOUT_S = 30
#: Keys of the PostgreSQL advisory locks that serialise NewsLens's writers, one per kind of
#: record, so that saving a large corpus does not hold up an article's link (any fixed
#: numbers; these spell "NLNS" and "NLCO").
ARTICLES_LOCK = 0x4E4C4E53
CORPORA_LOCK = 0x4E4C434F
#: Marks an engine whose SQLite connections have been set up by :func:`prepare_engine`.
_PREPARED = "_newslens_prepared"


class StoreUnavailableError(ArticleError):
    """The configured database cannot be reached or used."""


def local_url(directory: Path | str) -> URL:
    """The URL of the local share store: ``articles.sqlite3`` in ``directory``."""
    return URL.create("sqlite", database=str(Path(directory) / LOCAL_FILE))


def create_store_engine(url: str | URL) -> Engine:
    """An engine for the share store's database at ``url`` (a SQLAlchemy URL), prepared by
    :func:`prepare_engine`. A SQLite file's folder is created.

    Returns:
        the engine (connections are made on first use).
    """
    url = sa.make_url(url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        return prepare_engine(sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S}))
    # A hosted server closes idle connections: check each one before handing it out.
    return prepare_engine(sa.create_engine(url, pool_pre_ping=True))


def prepare_engine(engine: Engine) -> Engine:
    """Set up ``engine`` for NewsLens's transactions (idempotent), and return it.

    SQLite: the driver's own transaction handling is switched off so that SQLAlchemy's
    ``BEGIN`` is the one that runs, as ``BEGIN IMMEDIATE`` for a writer
    (:func:`writing`); the journal is a write-ahead log (readers never wait for a writer) and
    a locked file is waited for. Other databases need nothing.
    """
    if engine.dialect.name != "sqlite" or getattr(engine, _PREPARED, False):
        return engine

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        write_ahead_log(cursor)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get("newslens_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    setattr(engine, _PREPARED, True)
    return engine


def write_ahead_log(cursor, *, timeout_s: float = BUSY_TIMEOUT_S) -> None:
    """Put a SQLite file into write-ahead-log mode through ``cursor``. Connections that open a
    new file together race to convert it, and SQLite answers the loser "database is locked"
    at once, without waiting for the busy timeout: that answer is tried again until
    ``timeout_s`` has passed."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def writing(engine: Engine, *, lock: int = ARTICLES_LOCK) -> Iterator[Connection]:
    """A connection in a write transaction that holds a writers' lock (see the module
    docstring); committed when the block ends, rolled back if it raises.

    Args:
        engine: the database.
        lock: which PostgreSQL advisory lock to hold (:data:`ARTICLES_LOCK`,
            :data:`CORPORA_LOCK`); SQLite has one lock for the whole file.
    """
    with engine.connect() as connection:
        connection.execution_options(newslens_write=True)
        with connection.begin():
            if engine.dialect.name == "postgresql":
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock})
            yield connection


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection in a read transaction that sees one consistent state of the database
    (PostgreSQL: repeatable read; SQLite: one snapshot of its write-ahead log)."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            yield connection


def ensure_tables(engine: Engine, metadata: sa.MetaData) -> None:
    """Create ``metadata``'s tables that are missing, under the write lock (so that servers
    starting together do not race)."""
    inspector = sa.inspect(engine)
    if all(inspector.has_table(name) for name in metadata.tables):
        return
    with writing(engine) as connection:
        metadata.create_all(connection, checkfirst=True)


def unavailable(engine: Engine, error: Exception, *, what: str) -> StoreUnavailableError:
    """The error for a database that cannot be used: ``what`` (e.g. "The article store"), where
    it is (no password) and the driver's first line of explanation."""
    reason = str(getattr(error, "orig", error)).strip().splitlines()
    first = reason[0][:200] if reason else type(error).__name__
    return StoreUnavailableError(
        f"{what} at {describe(engine)} cannot be reached right now ({first})."
    )


def describe(engine: Engine) -> str:
    """Where ``engine`` points, for messages: its URL without the password."""
    return engine.url.render_as_string(hide_password=True)
