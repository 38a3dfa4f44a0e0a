"""Naming a corpus file to a person: whether a path holds a corpus, and messages that never
show the folder it sits in (on a server that folder is the data folder, none of a visitor's
business)."""

from __future__ import annotations

from pathlib import Path

from analysis.errors import ArticleError

#: Bytes 8..11 of every DuckDB database file.
DUCKDB_MAGIC = b"DUCK"


class NotACorpusError(ArticleError):
    """A path that is not a corpus file: missing, a folder, or another kind of file."""


def corpus_name(path: Path | str) -> str:
    """How a corpus is named to a person: its file name, without the folder."""
    return Path(path).name


def check_corpus_file(path: Path | str, *, shown: str | None = None) -> Path:
    """Check that ``path`` is an existing corpus file (a DuckDB database), without opening it.

    Args:
        path: the file.
        shown: how to name it in a message (default its file name only).

    Returns:
        ``path`` as a :class:`~pathlib.Path`.

    Raises:
        NotACorpusError: it does not exist, is a folder, or is not a DuckDB database (a
            sentence naming it by ``shown``).
    """
    path = Path(path)
    name = shown or corpus_name(path)
    if path.is_dir():
        raise NotACorpusError(f"{name} is a folder, not a corpus file.")
    if not path.exists():
        raise NotACorpusError(f"There is no corpus named {name}.")
    try:
        with path.open("rb") as handle:
            head = handle.read(12)
    except OSError as error:
        raise NotACorpusError(
            f"{name} cannot be read ({error.strerror or type(error).__name__})."
        ) from None
    if len(head) < 12 or head[8:12] != DUCKDB_MAGIC:
        raise NotACorpusError(
            f"{name} is not a corpus: it is not a DuckDB database file (a corpus is made by "
            "newslens corpus add, or by the app)."
        )
    return path
