"""What the file system says about a corpus file, for :mod:`analysis.storage.corpus.store`:
whether it can be written, whether an error means a full disk or a read-only folder (then
waiting would not help, and the user must be told at once what to do), whether it is a DuckDB
file at all, and the writer marker (who is writing, so that a marker left by a killed writer
is known as stale).
"""

from __future__ import annotations

import errno
import os
import re
import socket
import time
from pathlib import Path

import duckdb

from analysis.errors import ArticleError

#: What ``duckdb`` writes at offset 8 of every database file.
DUCKDB_MAGIC = b"DUCK"
#: A marker older than this, of a writer on another host (whose process cannot be checked),
#: is taken as left behind by a writer that died.
STALE_MARKER = 120.0


class CorpusStorageError(ArticleError):
    """The corpus file cannot be used as asked, for a reason waiting will not cure: it cannot
    be written (read-only folder or file system, no permission), the disk is full, or it is not
    a corpus file. ``reason`` says which: ``read-only``, ``disk-full`` or ``not-a-corpus``."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def _errno_in(error: BaseException, code: int) -> bool:
    """Whether ``error``, or an error it was raised while handling, is the operating system's
    error ``code``: an ``OSError`` with that errno, or a DuckDB error quoting its text (DuckDB
    gives no errno)."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno == code:
            return True
        if isinstance(error, duckdb.Error) and os.strerror(code) in str(error):
            return True
        error = error.__cause__ or error.__context__
    return False


def storage_error(error: BaseException, path: Path) -> CorpusStorageError | None:
    """The :class:`CorpusStorageError` that explains ``error`` (raised while using the corpus
    file at ``path``), or None when it is none of those.

    Returns:
        a disk-full or read-only error with what to do, or None.
    """
    if _errno_in(error, errno.ENOSPC) or _errno_in(error, errno.EDQUOT):
        return CorpusStorageError(
            f"The disk holding {path} is full (No space left on device). Every batch stored "
            "before is complete and the one being written was rolled back: free some space "
            "(or use --db to put the corpus on another disk) and run the same command again; "
            "it goes on where it stopped.",
            reason="disk-full",
        )
    if _errno_in(error, errno.EROFS) or _errno_in(error, errno.EACCES):
        return read_only_error(path)
    return None


def read_only_error(path: Path) -> CorpusStorageError:
    """The error for a corpus file that cannot be written (or created) at ``path``."""
    if path.exists():
        message = (
            f"The corpus file {path} cannot be written: its folder or file system is "
            "read-only, or you lack permission to write there. Queries can still read it; to "
            "add documents, copy it to a writable folder and use --db with the copy."
        )
    else:
        message = (
            f"The corpus file {path} cannot be created: its folder or file system is "
            "read-only, or you lack permission to write there. Use --db with a file in a "
            "writable folder."
        )
    return CorpusStorageError(message, reason="read-only")


def writable(path: Path) -> bool:
    """Whether a DuckDB file at ``path`` can be opened for writing (its folder too: DuckDB
    writes a write-ahead log beside the file)."""
    folder = path.parent if str(path.parent) else Path(".")
    if not os.access(folder, os.W_OK):
        return False
    return not path.exists() or os.access(path, os.W_OK)


def is_database(path: Path) -> bool:
    """Whether ``path`` is missing, empty or a DuckDB database file (by its header)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(12)
    except OSError:
        return True  # let DuckDB say what is wrong
    return len(head) == 0 or head[8:12] == DUCKDB_MAGIC


_CONTROL_OR_SURROGATE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def storable_text(text: str) -> str:
    """``text`` as the store can keep it: lone surrogates and control characters (other than
    tab and newline) as backslash escapes. Error rows carry names of files and records, which
    may hold anything."""
    return _CONTROL_OR_SURROGATE.sub(_escape, text)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:200] if text else type(error).__name__


def duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 120:
        return f"{seconds} s"
    return f"{seconds // 60} min" + (f" {seconds % 60} s" if seconds % 60 else "")


def marker_text() -> str:
    return f"{os.getpid()} {socket.gethostname()}\n"


def marker_is_stale(marker: Path, *, max_age: float | None = None) -> bool:
    """Whether a writer marker was left by a writer that is gone: its process is not running
    on this host, or (for a writer on another host, or a marker without a process id) it is
    older than ``max_age`` seconds (default :data:`STALE_MARKER`). A missing
    marker is not stale."""
    try:
        text = marker.read_text(encoding="utf-8")
        age = time.time() - marker.stat().st_mtime
    except OSError:
        return False
    parts = text.split()
    if len(parts) == 2 and parts[0].isdigit() and parts[1] == socket.gethostname():
        return not _running(int(parts[0]))
    return age >= (STALE_MARKER if max_age is None else max_age)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    except OSError:
        return False
    return True
