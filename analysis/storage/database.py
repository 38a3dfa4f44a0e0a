"""The SQL database behind the share store and the kept corpora: a SQLAlchemy engine on a local
SQLite file (the default) or on a configured server (PostgreSQL is the supported one).

Writers on both take a lock that makes a check and the write that depends on it one step:
SQLite's ``BEGIN IMMEDIATE`` (the file's write lock, waited for up to the busy timeout), and on
PostgreSQL a transaction-scoped advisory lock. Tables are created on first use, under the same
lock, so that two servers starting on one empty database do not race to create them.
"""

from __future__ import annotations

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
#: Key of the PostgreSQL advisory lock that serialises NewsLens's writers (any fixed number;
#: this one spells "NLNS").
_ADVISORY_LOCK = 0x4E4C4E53
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
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get("newslens_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    setattr(engine, _PREPARED, True)
    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A connection in a write transaction that holds NewsLens's write lock (see the module
    docstring); committed when the block ends, rolled back if it raises."""
    with engine.connect() as connection:
        connection.execution_options(newslens_write=True)
        with connection.begin():
            if engine.dialect.name == "postgresql":
                connection.execute(
                    sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK}
                )
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


def describe(engine: Engine) -> str:
    """Where ``engine`` points, for messages: its URL without the password."""
    return engine.url.render_as_string(hide_password=True)
