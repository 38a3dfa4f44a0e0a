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
- a ``.jsonl`` (``.ndjson``) or ``.csv`` file of records, also gzip-compressed (``.jsonl.gz``,
  ``.ndjson.gz``, ``.csv.gz``), with a text column and optional id, title, author, date, source
  and url columns (names set by :class:`Columns`); a file without the text column is refused as
  a whole (:class:`IngestError`);
- one ``.txt``/``.md``/``.html``/``.htm`` file;
- an http(s) URL, fetched by :func:`analysis.sources.fetch.fetch_url` (public addresses only, size
  and time limits).

Each input yields :class:`Document` items lazily, in order. A problem with one document (too
large, unreadable, a record without text or with invalid Unicode in its text, a symbolic link
that loops) yields an :class:`analysis.core.schema.ErrorRow` instead, and reading goes on.
What a reader should know about an input that was still read yields a :class:`Notice`: an
input with no documents at all, a record id used again for another text, a date that cannot
be read (the article is stored without it), metadata with undecodable bytes (replaced by
U+FFFD). Names (paths, ids) are made printable: bytes of a file name that are not UTF-8 and
control characters are shown as backslash escapes. Every document is at most ``4 * max_chars`` bytes, with
``max_chars`` the size limit in characters (the ``NEWSLENS_MAX_CHARS`` setting) (text takes up to
four bytes per character).

A record's title, when given, is put before its text as the headline (a blank line between),
so that it is analysed like a file's first line; the record's date, author, source and url
become the article's :class:`~analysis.core.metadata.ArticleMeta`. A date is read when it is
ISO 8601 (``2024-03-21``, ``2024-03-21T08:15:00+01:00``) or RFC 2822 as in RSS feeds
(``Thu, 21 Mar 2024 08:15:00 +0100``, stored as ISO 8601).
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import stat
import sys
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from analysis.core.article import DEFAULT_MAX_CHARS
from analysis.core.metadata import ArticleMeta
from analysis.core.schema import ErrorRow
from analysis.errors import ArticleError
from analysis.sources.records import (
    Columns,
    Document,
    IngestError,
    Item,
    Notice,
    RecordIds,
    csv_value,
    display_name,
    readable_date,
    record_items,
    too_large,
)

#: File suffixes read as articles (from folders, archives and the command line).
ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
RECORD_SUFFIXES = (".jsonl", ".ndjson", ".csv")
#: Record files read through gzip.
GZIP_SUFFIXES = tuple(f"{suffix}.gz" for suffix in RECORD_SUFFIXES)
#: An archive with more members than this is refused.
MAX_ZIP_MEMBERS = 100_000
#: Reading an archive stops once its members read add up to this many bytes.
MAX_ZIP_BYTES = 2_000_000_000


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def _kind(path: Path) -> str:
    """The kind of input a path names by its suffix: "jsonl", "csv", "zip", "article", or ""."""
    name = path.name.lower()
    for suffix in (*RECORD_SUFFIXES, *GZIP_SUFFIXES):
        if name.endswith(suffix):
            return "csv" if suffix.startswith(".csv") else "jsonl"
    if name.endswith(".zip"):
        return "zip"
    if path.suffix.lower() in ARTICLE_SUFFIXES:
        return "article"
    return ""


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
        shown = display_name(name)
        if "://" in name and not is_url(name):
            raise IngestError(f"{shown}: only http:// and https:// addresses can be fetched.")
        if not is_url(name):
            path = Path(name)
            if not path.exists():
                if path.is_symlink():
                    raise IngestError(f"{shown}: {_broken_link(path)}.")
                raise IngestError(f"{shown}: no such file or folder.")
            kind = _kind(path)
            if not path.is_dir() and not kind:
                raise IngestError(
                    f"{shown}: not a folder, .zip, .jsonl, .csv (or .jsonl.gz, .csv.gz) or "
                    f"article file ({', '.join(ARTICLE_SUFFIXES)})."
                )
            if kind in ("jsonl", "csv") and path.is_file():
                _check_columns(path, columns or Columns())
        out.append(name)
    return out


def _check_columns(path: Path, columns: Columns) -> None:
    reader = read_csv if _kind(path) == "csv" else read_jsonl
    # The readers check the text column when they reach the first record or the header.
    for item in reader(path, columns=columns, max_bytes=4 * DEFAULT_MAX_CHARS):
        if not isinstance(item, Notice):
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
        :class:`Document` items, :class:`ErrorRow` items for documents that cannot be read and
        :class:`Notice` items.

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
        kind = _kind(path)
        if path.is_dir():
            yield from read_folder(path, max_bytes=limit)
        elif kind == "zip":
            yield from read_zip(path, max_bytes=limit)
        elif kind == "jsonl":
            yield from read_jsonl(path, columns=columns, max_bytes=limit)
        elif kind == "csv":
            yield from read_csv(path, columns=columns, max_bytes=limit)
        elif kind == "article":
            yield _read_file(path, display_name(str(path)), limit)
        else:
            raise IngestError(
                f"{display_name(name)}: not a folder, .zip, .jsonl, .csv or article file."
            )


def read_folder(folder: Path, *, max_bytes: int) -> Iterator[Item]:
    """The article files under ``folder`` (see the module docstring for what is skipped).

    Yields:
        :class:`Document` named by the path as given plus the file's relative path, an
        :class:`ErrorRow` for a file that cannot be read (or a link that loops or points to
        nothing), or one :class:`Notice` when the folder holds no article file.
    """
    found = False
    for entry in _folder_files(folder):
        found = True
        if isinstance(entry, ErrorRow):
            yield entry
        else:
            yield _read_file(entry, display_name(str(entry)), max_bytes)
    if not found:
        yield Notice(
            display_name(str(folder)),
            "empty",
            f"no article files ({', '.join(ARTICLE_SUFFIXES)}) in this folder; nothing was read",
        )


def _folder_files(folder: Path) -> Iterator[Path | ErrorRow]:
    """The article files under ``folder``, and an :class:`ErrorRow` for each link among them
    that loops or points to nothing."""
    root = folder.resolve()
    for here, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for file in sorted(files):
            if file.startswith(".") or Path(file).suffix.lower() not in ARTICLE_SUFFIXES:
                continue
            path = Path(here) / file
            try:
                if path.is_symlink():
                    if not path.exists():
                        yield ErrorRow(display_name(str(path)), _broken_link(path) + "; skipped")
                        continue
                    if not path.resolve().is_relative_to(root):
                        continue
                if not stat.S_ISREG(path.stat().st_mode):
                    continue
            except (OSError, RuntimeError) as error:
                # RuntimeError: Path.resolve() meets a link loop it did not see before.
                yield ErrorRow(display_name(str(path)), f"cannot be read ({_reason(error)})")
                continue
            yield path


def _broken_link(path: Path, *, steps: int = 8) -> str:
    """Why a symbolic link cannot be followed, with where it leads: "a symbolic link that
    loops (a.txt -> b.txt -> a.txt)" or "... that points to nothing (a.txt -> gone.txt)"."""
    chain = [display_name(path.name)]
    seen = {os.path.abspath(path)}
    here = path
    loops = False
    for _ in range(steps):
        try:
            target = os.readlink(here)
        except OSError:
            break
        here = Path(os.path.abspath(here.parent / target))
        chain.append(display_name(target))
        if str(here) in seen:
            loops = True
            break
        seen.add(str(here))
    what = "loops" if loops else "points to nothing"
    return f"a symbolic link that {what} ({' -> '.join(chain)})"


def _read_file(path: Path, name: str, max_bytes: int) -> Item:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return ErrorRow(name, too_large(size, max_bytes))
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except PermissionError:
        return ErrorRow(name, "permission denied")
    except OSError as error:
        return ErrorRow(name, f"cannot be read ({error.strerror or type(error).__name__})")
    if len(raw) > max_bytes:
        return ErrorRow(name, too_large(len(raw), max_bytes))
    return Document(name, raw)


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
        :class:`Document` named ``archive.zip:member/path``, an :class:`ErrorRow` for a
        member refused or unreadable, or for the archive itself, or one :class:`Notice` when
        the archive holds no article file.
    """
    shown = display_name(str(path))
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        yield ErrorRow(shown, f"not a readable zip archive ({_reason(error)})")
        return
    with archive:
        members = archive.infolist()
        if len(members) > max_members:
            yield ErrorRow(shown, f"{len(members):,} members, over the limit of {max_members:,}")
            return
        total = 0
        found = False
        for info in members:
            name = display_name(f"{path}:{info.filename}")
            if info.is_dir() or PurePosixPath(info.filename).suffix.lower() not in ARTICLE_SUFFIXES:
                continue
            found = True
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
                yield ErrorRow(name, too_large(info.file_size, max_bytes))
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
                zlib.error,
            ) as error:
                yield ErrorRow(name, f"cannot be read from the archive ({_reason(error)})")
                continue
            total += len(raw)
            if len(raw) > budget and budget < max_bytes:
                yield ErrorRow(
                    shown,
                    f"the archive expands to more than {max_total:,} bytes; stopped reading it",
                )
                return
            if len(raw) > max_bytes:
                yield ErrorRow(name, too_large(len(raw), max_bytes))
                continue
            yield Document(name, raw)
        if not found:
            yield Notice(
                shown,
                "empty",
                f"no article files ({', '.join(ARTICLE_SUFFIXES)}) in this archive; nothing "
                "was read",
            )


def _reason(error: BaseException) -> str:
    text = display_name(str(error))
    return text.splitlines()[0][:120] if text else type(error).__name__


def _open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed when its name ends in ``.gz``.

    Raises:
        IngestError: the file cannot be opened.
    """
    try:
        if path.name.lower().endswith(".gz"):
            return gzip.open(path, "rb")
        return path.open("rb")
    except OSError as error:
        raise IngestError(f"{display_name(str(path))}: {error.strerror or error}.") from None


#: What a damaged gzip stream raises while it is read.
_GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)


def read_jsonl(path: Path, *, columns: Columns | None = None, max_bytes: int) -> Iterator[Item]:
    """The records of a JSON-lines file (gzip-compressed when its name ends in ``.gz``), one
    object per line.

    Yields:
        :class:`Document` per record (named by its id, else ``file:line``), an
        :class:`ErrorRow` for a line that is too long, not UTF-8, not JSON, not an object,
        without text or with invalid Unicode in its text, and :class:`Notice` items (see the
        module docstring).

    Raises:
        IngestError: the file cannot be opened, or its first record has no text field.
    """
    columns = columns or Columns()
    cap = max_bytes + 64 * 1024  # room for the other fields and JSON escapes
    checked = False
    shown = display_name(str(path))
    ids = RecordIds()
    handle = _open_binary(path)
    with handle:
        number = 0
        records = 0
        while True:
            try:
                line = handle.readline(cap + 1)
            except _GZIP_ERRORS as error:
                yield ErrorRow(
                    shown,
                    f"the gzip file is damaged after line {number} ({_reason(error)}); "
                    "stopped reading it",
                )
                return
            if not line:
                break
            number += 1
            where = f"{shown}:{number}"
            if len(line) > cap and not line.endswith(b"\n"):
                try:
                    while (more := handle.readline(1 << 20)) and not more.endswith(b"\n"):
                        pass
                except _GZIP_ERRORS:
                    pass  # reported by the next readline
                yield ErrorRow(where, f"line longer than {cap:,} bytes")
                continue
            if not line.strip():
                continue
            records += 1
            try:
                decoded = line.decode("utf-8")
            except UnicodeDecodeError as error:
                yield ErrorRow(
                    where,
                    f"not valid UTF-8 (byte 0x{line[error.start]:02x} at byte {error.start + 1} "
                    "of the line); save the file as UTF-8",
                )
                continue
            try:
                record = json.loads(decoded)
            except json.JSONDecodeError as error:
                yield ErrorRow(where, f"not valid JSON ({error.msg} at column {error.colno})")
                continue
            except RecursionError:
                yield ErrorRow(where, "not valid JSON (nested too deeply)")
                continue
            except ValueError:
                # The one other ValueError: an integer longer than Python converts.
                digits = sys.get_int_max_str_digits()
                yield ErrorRow(where, f"not valid JSON (a number with more than {digits:,} digits)")
                continue
            if not isinstance(record, dict):
                yield ErrorRow(where, "not a JSON object")
                continue
            if not checked:
                if columns.text not in record:
                    raise IngestError(_no_text_column(path, columns.text, list(record)))
                checked = True
            yield from record_items(record, where, columns, max_bytes, ids=ids)
    if not records:
        yield Notice(shown, "empty", _empty_message(number))


def _empty_message(lines: int) -> str:
    if lines == 0:
        return "the file is empty; nothing was read"
    return f"the file holds {lines:,} blank line{'s' if lines != 1 else ''} and no records"


def read_csv(path: Path, *, columns: Columns | None = None, max_bytes: int) -> Iterator[Item]:
    """The rows of a CSV file with a header row (UTF-8, gzip-compressed when its name ends in
    ``.gz``; bytes that are not UTF-8 are replaced by U+FFFD, with a :class:`Notice`).

    Yields:
        :class:`Document` per row (named by its id, else ``file:row``), an :class:`ErrorRow`
        for a row that cannot be parsed or has no text, and :class:`Notice` items.

    Raises:
        IngestError: the file cannot be opened or its header has no text column.
    """
    import io

    columns = columns or Columns()
    shown = display_name(str(path))
    binary = _open_binary(path)
    # surrogateescape: undecodable bytes are found per row (and replaced there, with a notice).
    handle = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape", newline="")
    previous = csv.field_size_limit()
    csv.field_size_limit(min(max_bytes, sys.maxsize))
    ids = RecordIds()
    try:
        with handle:
            reader = csv.reader(handle)
            try:
                header = next(reader, None)
            except csv.Error as error:
                raise IngestError(f"{shown}: the header row cannot be read ({error}).") from None
            except _GZIP_ERRORS as error:
                raise IngestError(
                    f"{shown}: the gzip file is damaged ({_reason(error)})."
                ) from None
            header = [csv_value(name)[0] for name in header or []]
            if not header or columns.text not in header:
                raise IngestError(_no_text_column(path, columns.text, header))
            number = 0
            rows = 0
            while True:
                number += 1
                where = f"{shown}:{number}"
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as error:
                    yield ErrorRow(where, f"row cannot be parsed ({error})")
                    continue
                except _GZIP_ERRORS as error:
                    yield ErrorRow(
                        shown,
                        f"the gzip file is damaged after row {number - 1} ({_reason(error)}); "
                        "stopped reading it",
                    )
                    return
                if not any(row):
                    continue
                rows += 1
                replaced = 0
                for i, value in enumerate(row):
                    row[i], count = csv_value(value)
                    replaced += count
                record = dict(zip(header, row, strict=False))
                items = list(record_items(record, where, columns, max_bytes, ids=ids))
                if replaced:
                    name = items[-1][0]
                    yield Notice(
                        name,
                        "encoding",
                        f"{replaced:,} byte{'s' if replaced != 1 else ''} that are not UTF-8 "
                        "replaced by \ufffd; save the file as UTF-8 to keep them",
                    )
                yield from items
            if not rows:
                yield Notice(
                    shown, "empty", "the file has a header row and no rows; nothing was read"
                )
    finally:
        csv.field_size_limit(previous)


def _no_text_column(path: Path, text: str, found: list) -> str:
    shown = ", ".join(display_name(str(name)) for name in found[:12]) or "none"
    return (
        f"{display_name(str(path))} has no '{display_name(text)}' column (columns: {shown}); "
        "name the column that holds the article text with --text-column."
    )


def _read_url(url: str, max_bytes: int, fetch) -> Item:
    if fetch is None:
        from analysis.sources.fetch import fetch_url as fetch
    try:
        fetched = fetch(url, max_bytes=max_bytes)
    except ArticleError as error:
        return ErrorRow(display_name(url), str(error))
    return Document(display_name(url), fetched.body, ArticleMeta(url=fetched.url))


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
        kind = _kind(path)
        try:
            if path.is_dir():
                total += sum(1 for entry in _folder_files(path) if not isinstance(entry, ErrorRow))
            elif kind == "zip":
                with zipfile.ZipFile(path) as archive:
                    if len(archive.infolist()) > MAX_ZIP_MEMBERS:
                        continue
                    total += sum(
                        1
                        for info in archive.infolist()
                        if not info.is_dir()
                        and PurePosixPath(info.filename).suffix.lower() in ARTICLE_SUFFIXES
                    )
            elif kind == "jsonl":
                with _open_binary(path) as handle:
                    total += sum(
                        1 for line in iter(lambda: handle.readline(1 << 24), b"") if line.strip()
                    )
            elif kind == "csv":
                return None
            else:
                total += 1
        except (OSError, zipfile.BadZipFile, ValueError, IngestError, *_GZIP_ERRORS):
            return None
    return total


__all__ = [
    "ARTICLE_SUFFIXES",
    "Columns",
    "Document",
    "GZIP_SUFFIXES",
    "IngestError",
    "Item",
    "MAX_ZIP_BYTES",
    "MAX_ZIP_MEMBERS",
    "Notice",
    "check_inputs",
    "count_documents",
    "display_name",
    "is_url",
    "read_csv",
    "read_folder",
    "read_inputs",
    "read_jsonl",
    "read_zip",
    "readable_date",
]
