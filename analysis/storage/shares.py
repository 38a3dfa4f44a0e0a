"""An embedded store of articles, keyed by a hash of their content, so that a pasted, uploaded
or fetched article can be shared by link.

One SQLite file (``articles.sqlite3`` in the data folder, the ``NEWSLENS_DATA_DIR`` setting). Keys are the SHA-256 of the stored bytes, validated before any database
access; a write is one transaction (atomic), concurrent writers from several processes wait
on SQLite's lock (WAL journal, busy timeout); a total size cap refuses new articles with a
clear message.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import ArticleError

DEFAULT_MAX_BYTES = 500_000_000
_KEY = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class StoredArticle:
    key: str
    raw: bytes
    source: str | None


def article_key(raw: bytes) -> str:
    """The key of some article bytes: their SHA-256, in hex."""
    return hashlib.sha256(raw).hexdigest()


def is_valid_key(key: str) -> bool:
    return isinstance(key, str) and bool(_KEY.match(key))


class ArticleStore:
    """Articles by content hash in one SQLite file. Safe to share between threads (one
    connection per call) and processes (SQLite locking)."""

    def __init__(self, directory: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES):
        self.directory = Path(directory)
        self.max_bytes = max_bytes
        self.path = self.directory / "articles.sqlite3"
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            self.directory.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        connection.execute("PRAGMA busy_timeout = 30000")
        if not self._ready:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS articles (key TEXT PRIMARY KEY, raw BLOB NOT NULL, "
                "source TEXT, size INTEGER NOT NULL, created REAL NOT NULL)"
            )
            self._ready = True
        return connection

    def put(self, raw: bytes, *, source: str | None = None) -> str:
        """Store article bytes (idempotent) and return their key.

        Raises:
            ArticleError: the store is full.
        """
        key = article_key(raw)
        connection = self._connect()
        try:
            connection.execute("BEGIN IMMEDIATE")
            exists = connection.execute("SELECT 1 FROM articles WHERE key = ?", (key,)).fetchone()
            if not exists:
                (total,) = connection.execute(
                    "SELECT COALESCE(SUM(size), 0) FROM articles"
                ).fetchone()
                if total + len(raw) > self.max_bytes:
                    connection.execute("ROLLBACK")
                    raise ArticleError(
                        "The share store is full, so this article cannot get a link right now; "
                        "it is still analysed below."
                    )
                connection.execute(
                    "INSERT INTO articles (key, raw, source, size, created) VALUES (?, ?, ?, ?, ?)",
                    (key, raw, source, len(raw), time.time()),
                )
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        finally:
            connection.close()
        return key

    def get(self, key: str) -> StoredArticle:
        """The article stored under ``key``.

        Raises:
            ArticleError: the key is malformed or unknown.
        """
        if not is_valid_key(key):
            raise ArticleError(
                "This link's article key is not valid (it should be 64 hexadecimal characters); "
                "showing the sample article instead."
            )
        if not self.path.exists():
            raise ArticleError(_unknown())
        connection = self._connect()
        try:
            row = connection.execute(
                "SELECT raw, source FROM articles WHERE key = ?", (key,)
            ).fetchone()
        finally:
            connection.close()
        if row is None:
            raise ArticleError(_unknown())
        raw, source = bytes(row[0]), row[1]
        if article_key(raw) != key:  # a damaged record is never served as another article
            raise ArticleError(_unknown())
        return StoredArticle(key, raw, source)


def _unknown() -> str:
    return (
        "No article is stored under this link (it may come from another NewsLens server); "
        "showing the sample article instead."
    )
