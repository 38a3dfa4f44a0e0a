"""A read-only connection to a corpus kept open across queries (:class:`CorpusReader`), for a
process that asks many: the app, a script. See :mod:`analysis.storage.corpus.store` for the
locking rules it follows."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import duckdb

from analysis.storage.corpus.filesystem import STALE_MARKER, marker_is_stale

if TYPE_CHECKING:
    from analysis.storage.corpus.store import CorpusStore


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

    #: A marker of a writer on another host older than this is left behind by a writer that
    #: died: ignored (on this host, a marker whose writer process is gone is ignored at once).
    STALE_MARKER = STALE_MARKER

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
        marker = self.store.writer_marker
        return marker.exists() and not marker_is_stale(marker, max_age=self.STALE_MARKER)

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
