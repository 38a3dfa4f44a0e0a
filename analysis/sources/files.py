"""What ``newslens corpus add PATH...`` reads: every input is untrusted.

An input is one of:

- a folder: its ``.txt``, ``.md``, ``.html`` and ``.htm`` files, recursively (a folder's
  files by name, then its subfolders by name); hidden files and folders (names starting with ".") are skipped, symbolic links to
  folders are not followed, and a linked file is read only when it resolves inside the folder;
  anything that is not a regular file (a pipe, a device) is skipped;
- a ``.zip`` archive of such files, read in memory (never extracted): an archive with more
  than :data:`MAX_ZIP_MEMBERS` members is refused, reading stops once the members read add up
  to :data:`MAX_ZIP_BYTES`, and members with absolute or ``..`` paths, links and encrypted
  members are reported and skipped; nested archives are not opened;
- a ``.jsonl`` (``.ndjson``) or ``.csv`` file of records with a text column and optional id,
  title, author, date, source and url columns (names set by :class:`Columns`); a file without
  the text column is refused as a whole (:class:`IngestError`);
- one ``.txt``/``.md``/``.html``/``.htm`` file;
- an http(s) URL, fetched by :func:`analysis.sources.fetch.fetch_url` (public addresses only, size
  and time limits).

Each input yields :class:`Document` items lazily, in order. A problem with one document (too
large, unreadable, a record without text) yields an :class:`analysis.core.schema.ErrorRow`
instead, and reading goes on. Every document is at most ``4 * max_chars`` bytes, with
``max_chars`` the size limit in characters (the ``NEWSLENS_MAX_CHARS`` setting) (text takes up to
four bytes per character).

A record's title, when given, is put before its text as the headline (a blank line between),
so that it is analysed like a file's first line; the record's date, author, source and url
become the article's :class:`~analysis.core.metadata.ArticleMeta`.
"""

from __future__ import annotations

import csv
import json
import os
import stat
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from analysis.core.article import DEFAULT_MAX_CHARS
from analysis.core.metadata import ArticleMeta, published_day
from analysis.core.schema import ErrorRow
from analysis.errors import ArticleError

#: File suffixes read as articles (from folders, archives and the command line).
ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
RECORD_SUFFIXES = (".jsonl", ".ndjson", ".csv")
#: An archive with more members than this is refused.
MAX_ZIP_MEMBERS = 100_000
#: Reading an archive stops once its members read add up to this many bytes.
MAX_ZIP_BYTES = 2_000_000_000


class IngestError(ArticleError):
    """An input cannot be read at all (missing, of an unknown kind, without a text column)."""


class Document(NamedTuple):
    """One document to analyse.

    Attributes:
        name: what the user calls it: a path (``folder/a.txt``), an archive member
            (``news.zip:2024/a.txt``), a record's id (or ``file.jsonl:12`` for line 12), a URL.
        raw: the bytes or text to analyse; the corpus key is the SHA-256 of these bytes.
        meta: what the input says beside the text.
    """

    name: str
    raw: str | bytes
    meta: ArticleMeta = ArticleMeta()


Item = Document | ErrorRow


@dataclass(frozen=True)
class Columns:
    """Column (or JSON field) names of a record file; only ``text`` is required."""

    text: str = "text"
    id: str = "id"
    title: str = "title"
    author: str = "author"
    date: str = "date"
    source: str = "source"
    url: str = "url"


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def check_inputs(inputs: Iterable[str], *, columns: Columns | None = None) -> list[str]:
    """Refuse, before anything is read, an input that does not exist, is of no known kind, or
    is a record file whose first record (JSONL) or header (CSV) lacks the text column.

    Returns:
        the inputs, in order.

    Raises:
        IngestError: the first bad input, with the reason.
    """
    out = []
    for name in inputs:
        if "://" in name and not is_url(name):
            raise IngestError(f"{name}: only http:// and https:// addresses can be fetched.")
        if not is_url(name):
            path = Path(name)
            if not path.exists():
                raise IngestError(f"{name}: no such file or folder.")
            suffix = path.suffix.lower()
            if not path.is_dir() and suffix not in (*ARTICLE_SUFFIXES, *RECORD_SUFFIXES, ".zip"):
                raise IngestError(
                    f"{name}: not a folder, .zip, .jsonl, .csv or article file "
                    f"({', '.join(ARTICLE_SUFFIXES)})."
                )
            if suffix in RECORD_SUFFIXES and path.is_file():
                _check_columns(path, columns or Columns())
        out.append(name)
    return out


def _check_columns(path: Path, columns: Columns) -> None:
    reader = read_csv if path.suffix.lower() == ".csv" else read_jsonl
    # The readers check the text column when they reach the first record or the header.
    for _ in reader(path, columns=columns, max_bytes=4 * DEFAULT_MAX_CHARS):
        return


def read_inputs(
    inputs: Iterable[str],
    *,
    columns: Columns | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    fetch=None,
) -> Iterator[Item]:
    """The documents of every input, in order (see the module docstring).

    Args:
        inputs: paths and URLs, as given on the command line.
        columns: column names of record files.
        max_chars: size limit per document, in characters.
        fetch: the URL fetcher, ``fetch(url, max_bytes=...) -> analysis.sources.fetch.Fetched``;
            default :func:`analysis.sources.fetch.fetch_url`.

    Yields:
        :class:`Document` items, and :class:`ErrorRow` items for documents that cannot be read.

    Raises:
        IngestError: an input cannot be read at all (raised when that input is reached).
    """
    columns = columns or Columns()
    limit = 4 * max_chars
    for name in inputs:
        if is_url(name):
            yield _read_url(name, limit, fetch)
            continue
        path = Path(name)
        suffix = path.suffix.lower()
        if path.is_dir():
            yield from read_folder(path, max_bytes=limit)
        elif suffix == ".zip":
            yield from read_zip(path, max_bytes=limit)
        elif suffix in (".jsonl", ".ndjson"):
            yield from read_jsonl(path, columns=columns, max_bytes=limit)
        elif suffix == ".csv":
            yield from read_csv(path, columns=columns, max_bytes=limit)
        elif suffix in ARTICLE_SUFFIXES:
            yield _read_file(path, str(path), limit)
        else:
            raise IngestError(f"{name}: not a folder, .zip, .jsonl, .csv or article file.")


def read_folder(folder: Path, *, max_bytes: int) -> Iterator[Item]:
    """The article files under ``folder`` (see the module docstring for what is skipped).

    Yields:
        :class:`Document` named by the path as given plus the file's relative path, or an
        :class:`ErrorRow` for a file that cannot be read.
    """
    for path in _folder_files(folder):
        yield _read_file(path, str(path), max_bytes)


def _folder_files(folder: Path) -> Iterator[Path]:
    root = folder.resolve()
    for here, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for file in sorted(files):
            if file.startswith(".") or Path(file).suffix.lower() not in ARTICLE_SUFFIXES:
                continue
            path = Path(here) / file
            try:
                if path.is_symlink() and not path.resolve().is_relative_to(root):
                    continue
                if not stat.S_ISREG(path.stat().st_mode):
                    continue
            except OSError:
                continue
            yield path


def _read_file(path: Path, name: str, max_bytes: int) -> Item:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return ErrorRow(name, _too_large(size, max_bytes))
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except PermissionError:
        return ErrorRow(name, "permission denied")
    except OSError as error:
        return ErrorRow(name, f"cannot be read ({error.strerror or type(error).__name__})")
    if len(raw) > max_bytes:
        return ErrorRow(name, _too_large(len(raw), max_bytes))
    return Document(name, raw)


def _too_large(size: int, max_bytes: int) -> str:
    return (
        f"{size:,} bytes, over the limit of {max_bytes:,} bytes per document "
        "(set NEWSLENS_MAX_CHARS to change it)"
    )


def read_zip(
    path: Path,
    *,
    max_bytes: int,
    max_members: int = MAX_ZIP_MEMBERS,
    max_total: int = MAX_ZIP_BYTES,
) -> Iterator[Item]:
    """The article files inside a zip archive, read in memory, in the archive's order.

    Args:
        path: the archive.
        max_bytes: size limit per member (its real size, whatever the archive declares).
        max_members: an archive with more members is refused.
        max_total: reading stops once the members read add up to this many bytes.

    Yields:
        :class:`Document` named ``archive.zip:member/path``, or an :class:`ErrorRow` for a
        member refused or unreadable, or for the archive itself.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        yield ErrorRow(str(path), f"not a readable zip archive ({_reason(error)})")
        return
    with archive:
        members = archive.infolist()
        if len(members) > max_members:
            yield ErrorRow(
                str(path), f"{len(members):,} members, over the limit of {max_members:,}"
            )
            return
        total = 0
        for info in members:
            name = f"{path}:{info.filename}"
            if info.is_dir() or PurePosixPath(info.filename).suffix.lower() not in ARTICLE_SUFFIXES:
                continue
            parts = PurePosixPath(info.filename.replace("\\", "/")).parts
            if (
                info.filename.startswith(("/", "\\"))
                or ".." in parts
                or ":" in (parts[0] if parts else "")
            ):
                yield ErrorRow(name, "unsafe path in the archive (absolute or with ..); skipped")
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                yield ErrorRow(name, "a link, not a file; skipped")
                continue
            if info.flag_bits & 0x1:
                yield ErrorRow(name, "encrypted; skipped")
                continue
            if info.file_size > max_bytes:
                yield ErrorRow(name, _too_large(info.file_size, max_bytes))
                continue
            budget = min(max_bytes, max_total - total)
            try:
                with archive.open(info) as member:
                    raw = member.read(budget + 1)
            except (
                zipfile.BadZipFile,
                OSError,
                ValueError,
                EOFError,
                NotImplementedError,
                RuntimeError,
            ) as error:
                yield ErrorRow(name, f"cannot be read from the archive ({_reason(error)})")
                continue
            total += len(raw)
            if len(raw) > budget and budget < max_bytes:
                yield ErrorRow(
                    str(path),
                    f"the archive expands to more than {max_total:,} bytes; stopped reading it",
                )
                return
            if len(raw) > max_bytes:
                yield ErrorRow(name, _too_large(len(raw), max_bytes))
                continue
            yield Document(name, raw)


def _reason(error: BaseException) -> str:
    return str(error).splitlines()[0][:120] if str(error) else type(error).__name__


def read_jsonl(path: Path, *, columns: Columns | None = None, max_bytes: int) -> Iterator[Item]:
    """The records of a JSON-lines file, one object per line.

    Yields:
        :class:`Document` per record (named by its id, else ``file:line``), or an
        :class:`ErrorRow` for a line that is too long, not JSON, not an object or without text.

    Raises:
        IngestError: the file cannot be opened, or its first record has no text field.
    """
    columns = columns or Columns()
    cap = max_bytes + 64 * 1024  # room for the other fields and JSON escapes
    checked = False
    try:
        handle = path.open("rb")
    except OSError as error:
        raise IngestError(f"{path}: {error.strerror or error}.") from None
    with handle:
        number = 0
        while True:
            line = handle.readline(cap + 1)
            if not line:
                return
            number += 1
            where = f"{path}:{number}"
            if len(line) > cap and not line.endswith(b"\n"):
                while (more := handle.readline(1 << 20)) and not more.endswith(b"\n"):
                    pass
                yield ErrorRow(where, f"line longer than {cap:,} bytes")
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:
                reason = getattr(error, "msg", type(error).__name__)
                yield ErrorRow(where, f"not valid JSON ({reason})")
                continue
            if not isinstance(record, dict):
                yield ErrorRow(where, "not a JSON object")
                continue
            if not checked:
                if columns.text not in record:
                    raise IngestError(_no_text_column(path, columns.text, list(record)))
                checked = True
            yield _record(record, where, columns, max_bytes)


def read_csv(path: Path, *, columns: Columns | None = None, max_bytes: int) -> Iterator[Item]:
    """The rows of a CSV file with a header row (UTF-8; undecodable bytes are replaced).

    Yields:
        :class:`Document` per row (named by its id, else ``file:row``), or an
        :class:`ErrorRow` for a row that cannot be parsed or has no text.

    Raises:
        IngestError: the file cannot be opened or its header has no text column.
    """
    columns = columns or Columns()
    try:
        handle = path.open(encoding="utf-8-sig", errors="replace", newline="")
    except OSError as error:
        raise IngestError(f"{path}: {error.strerror or error}.") from None
    previous = csv.field_size_limit()
    csv.field_size_limit(min(max_bytes, sys.maxsize))
    try:
        with handle:
            reader = csv.reader(handle)
            try:
                header = next(reader, None)
            except csv.Error as error:
                raise IngestError(f"{path}: the header row cannot be read ({error}).") from None
            if not header or columns.text not in header:
                raise IngestError(_no_text_column(path, columns.text, header or []))
            number = 0
            while True:
                number += 1
                where = f"{path}:{number}"
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    yield ErrorRow(where, f"row cannot be parsed ({error})")
                    continue
                if not any(row):
                    continue
                yield _record(dict(zip(header, row, strict=False)), where, columns, max_bytes)
    finally:
        csv.field_size_limit(previous)


def _no_text_column(path: Path, text: str, found: list) -> str:
    shown = ", ".join(str(name) for name in found[:12]) or "none"
    return (
        f"{path} has no '{text}' column (columns: {shown}); name the column that holds "
        "the article text with --text-column."
    )


def _field(record: dict, name: str) -> str | None:
    value = record.get(name)
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


def _record(record: dict, where: str, columns: Columns, max_bytes: int) -> Item:
    name = _field(record, columns.id) or where
    text = record.get(columns.text)
    if not isinstance(text, str) or not text.strip():
        return ErrorRow(name, f"no text in the '{columns.text}' field")
    title = _field(record, columns.title)
    raw = f"{title}\n\n{text}" if title else text
    size = len(raw.encode("utf-8", errors="surrogatepass"))
    if size > max_bytes:
        return ErrorRow(name, _too_large(size, max_bytes))
    published = _field(record, columns.date)
    meta = ArticleMeta(
        title=title,
        author=_field(record, columns.author),
        published=published if published_day(published) else None,
        source=_field(record, columns.source),
        url=_field(record, columns.url),
    )
    return Document(name, raw, meta)


def _read_url(url: str, max_bytes: int, fetch) -> Item:
    if fetch is None:
        from analysis.sources.fetch import fetch_url as fetch
    try:
        fetched = fetch(url, max_bytes=max_bytes)
    except ArticleError as error:
        return ErrorRow(url, str(error))
    return Document(url, fetched.body, ArticleMeta(url=fetched.url))


def count_documents(inputs: Iterable[str], *, columns: Columns | None = None) -> int | None:
    """About how many documents the inputs hold, read cheaply (file names, lines, archive
    directories) for a progress bar; None when it cannot be known without reading them."""
    columns = columns or Columns()
    total = 0
    for name in inputs:
        if is_url(name):
            total += 1
            continue
        path = Path(name)
        suffix = path.suffix.lower()
        try:
            if path.is_dir():
                total += sum(1 for _ in _folder_files(path))
            elif suffix == ".zip":
                with zipfile.ZipFile(path) as archive:
                    if len(archive.infolist()) > MAX_ZIP_MEMBERS:
                        continue
                    total += sum(
                        1
                        for info in archive.infolist()
                        if not info.is_dir()
                        and PurePosixPath(info.filename).suffix.lower() in ARTICLE_SUFFIXES
                    )
            elif suffix in (".jsonl", ".ndjson"):
                with path.open("rb") as handle:
                    total += sum(
                        1 for line in iter(lambda: handle.readline(1 << 24), b"") if line.strip()
                    )
            elif suffix == ".csv":
                return None
            else:
                total += 1
        except (OSError, zipfile.BadZipFile, ValueError):
            return None
    return total


__all__ = [
    "ARTICLE_SUFFIXES",
    "Columns",
    "Document",
    "IngestError",
    "Item",
    "MAX_ZIP_BYTES",
    "MAX_ZIP_MEMBERS",
    "check_inputs",
    "count_documents",
    "is_url",
    "read_csv",
    "read_folder",
    "read_inputs",
    "read_jsonl",
    "read_zip",
]
