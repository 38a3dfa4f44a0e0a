"""The share store: articles keyed by a hash of their content, so that a pasted, uploaded or
fetched article too long to travel in its link (:mod:`analysis.storage.links`) can be shared by
a short link carrying its key.

Where: a SQL database through SQLAlchemy (:mod:`analysis.storage.database`). Without a setting
it is one SQLite file, ``articles.sqlite3`` in the data folder (``NEWSLENS_DATA_DIR``), which
lasts as long as that folder; with ``NEWSLENS_STORE_URL`` (or the app's
``[connections.newslens]`` secret) it is that database, PostgreSQL being the supported server,
and every app server using it shares the links.

Keys are the SHA-256 of the stored bytes, validated before any database access. Equal bytes
have equal keys, so concurrent writers of one article all insert the same record and the
database keeps the first (``INSERT ... ON CONFLICT DO NOTHING``): never two copies, never a
mixed one. A write is one transaction under the writers' lock, which also makes the total size
cap exact; a record read back is checked against its key.
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, Engine

from analysis.errors import ArticleError
from analysis.storage.database import (
    LOCAL_FILE,
    create_store_engine,
    describe,
    ensure_tables,
    is_sqlite,
    local_url,
    prepare_engine,
    reading,
    unavailable,
    writing,
)

DEFAULT_MAX_BYTES = 500_000_000
_KEY = re.compile(r"^[0-9a-f]{64}$")
TABLE = "newslens_articles"
#: The table's name in local files written before the store moved to SQLAlchemy.
_LEGACY_TABLE = "articles"

METADATA = sa.MetaData()
ARTICLES = sa.Table(
    TABLE,
    METADATA,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("raw", sa.LargeBinary, nullable=False),
    sa.Column("source", sa.Text),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("created", sa.Float, nullable=False),
)


class StoredArticle(NamedTuple):
    """An article read back from the store.

    Attributes:
        key: its key (the SHA-256 of ``raw``, in hex).
        raw: the bytes as stored.
        source: where it came from (a file name, a URL, "pasted text"), or None.
    """

    key: str
    raw: bytes
    source: str | None


def article_key(raw: bytes) -> str:
    """The key of some article bytes: their SHA-256, in hex."""
    return hashlib.sha256(raw).hexdigest()


def is_valid_key(key: str) -> bool:
    """Whether ``key`` has the form of an article key (64 lowercase hexadecimal characters)."""
    return isinstance(key, str) and bool(_KEY.match(key))


class ArticleStore:
    """Articles by content hash in a SQL database. Safe to share between threads and processes
    (and app servers, on one database server).

    Args:
        where: a folder (the local SQLite file ``articles.sqlite3`` in it, created on first
            write), a SQLAlchemy URL (a string with ``://`` or a :class:`sqlalchemy.URL`), or
            an :class:`~sqlalchemy.engine.Engine` (the app's ``st.connection(...).engine``).
        max_bytes: the total size of stored articles; past it new articles are refused.
    """

    def __init__(
        self, where: Path | str | URL | Engine, *, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        self.max_bytes = max_bytes
        #: The local SQLite file when the store is one (None on a configured database).
        self.path: Path | None = None
        if isinstance(where, Engine):
            self.engine = prepare_engine(where)
        elif isinstance(where, URL) or (isinstance(where, str) and "://" in where):
            self.engine = create_store_engine(where)
        else:
            self.path = Path(where) / LOCAL_FILE
            self.engine = create_store_engine(local_url(where))
        self._ready = False

    def __repr__(self) -> str:
        return f"ArticleStore({describe(self.engine)!r})"

    @property
    def durable(self) -> bool:
        """Whether the store is a configured database rather than the data folder's file."""
        return self.path is None

    def _ensure(self) -> None:
        if self._ready:
            return
        try:
            if is_sqlite(self.engine):
                _rename_legacy_table(self.engine)
            ensure_tables(self.engine, METADATA)
        except sa.exc.OperationalError as error:
            raise unavailable(self.engine, error, what="The article store") from None
        self._ready = True

    def put(self, raw: bytes, *, source: str | None = None) -> str:
        """Store article bytes (idempotent) and return their key.

        Returns:
            the key of ``raw`` (:func:`article_key`).

        Raises:
            ArticleError: the store is full.
            StoreUnavailableError: the configured database cannot be reached.
        """
        key = article_key(raw)
        self._ensure()
        try:
            with writing(self.engine) as connection:
                if _has(connection, key):
                    return key
                total = connection.execute(
                    sa.select(sa.func.coalesce(sa.func.sum(ARTICLES.c.size), 0))
                ).scalar_one()
                if total + len(raw) > self.max_bytes:
                    raise ArticleError(
                        "The share store is full, so this article cannot get a link right now; "
                        "it is still analysed below."
                    )
                row = {
                    "key": key,
                    "raw": raw,
                    "source": source,
                    "size": len(raw),
                    "created": time.time(),
                }
                connection.execute(_insert_ignoring_duplicates(self.engine, ARTICLES, row))
        except sa.exc.OperationalError as error:
            raise unavailable(self.engine, error, what="The article store") from None
        return key

    def get(self, key: str) -> StoredArticle:
        """The article stored under ``key``.

        Returns:
            the article, its bytes checked against the key.

        Raises:
            ArticleError: the key is malformed or unknown.
            StoreUnavailableError: the configured database cannot be reached.
        """
        if not is_valid_key(key):
            raise ArticleError(
                "This link's article key is not valid (it should be 64 hexadecimal characters); "
                "showing the sample article instead."
            )
        if self.path is not None and not self.path.exists():
            raise ArticleError(_unknown())
        self._ensure()
        try:
            with reading(self.engine) as connection:
                row = connection.execute(
                    sa.select(ARTICLES.c.raw, ARTICLES.c.source).where(ARTICLES.c.key == key)
                ).first()
        except sa.exc.OperationalError as error:
            raise unavailable(self.engine, error, what="The article store") from None
        if row is None:
            raise ArticleError(_unknown())
        raw, source = bytes(row.raw), row.source
        if article_key(raw) != key:  # a damaged record is never served as another article
            raise ArticleError(_unknown())
        return StoredArticle(key, raw, source)

    def has(self, key: str) -> bool:
        """Whether an article is stored under ``key`` (False for a malformed key).

        Raises:
            StoreUnavailableError: the configured database cannot be reached.
        """
        if not is_valid_key(key) or (self.path is not None and not self.path.exists()):
            return False
        self._ensure()
        try:
            with reading(self.engine) as connection:
                return _has(connection, key)
        except sa.exc.OperationalError as error:
            raise unavailable(self.engine, error, what="The article store") from None


def _has(connection: sa.Connection, key: str) -> bool:
    found = connection.execute(sa.select(sa.literal(1)).where(ARTICLES.c.key == key)).first()
    return found is not None


def _insert_ignoring_duplicates(engine: Engine, table: sa.Table, row: dict) -> sa.Insert:
    """``INSERT ... ON CONFLICT DO NOTHING`` in the engine's dialect."""
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(table).values(**row).on_conflict_do_nothing()


def _rename_legacy_table(engine: Engine) -> None:
    """A local file written before the store's tables were named ``newslens_*``: its table is
    renamed, so that its links keep working."""
    inspector = sa.inspect(engine)
    if inspector.has_table(TABLE) or not inspector.has_table(_LEGACY_TABLE):
        return
    with writing(engine) as connection:
        tables = sa.inspect(connection).get_table_names()
        if _LEGACY_TABLE in tables and TABLE not in tables:
            connection.exec_driver_sql(f"ALTER TABLE {_LEGACY_TABLE} RENAME TO {TABLE}")


def _unknown() -> str:
    return (
        "No article is stored under this link (it may come from another NewsLens server); "
        "showing the sample article instead."
    )
