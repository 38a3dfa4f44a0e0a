"""What every reader of :mod:`analysis.sources.files` yields (:class:`Document`, :class:`Notice`,
error rows) and what one record of a JSONL or CSV file becomes (:func:`record_items`): its
text and title, its metadata, a date read as ISO 8601 (:func:`readable_date`), a notice when
its id was used before for another text."""

from __future__ import annotations

import email.utils
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from analysis.core.metadata import ArticleMeta, published_day
from analysis.core.schema import ErrorRow
from analysis.errors import ArticleError

#: Longest name (path, id) kept for messages; longer ones are cut with "...".
MAX_NAME_CHARS = 300


class IngestError(ArticleError):
    """An input cannot be read at all (missing, of an unknown kind, without a text column)."""


class Document(NamedTuple):
    """One document to analyse.

    Attributes:
        name: what the user calls it: a path (``folder/a.txt``), an archive member
            (``news.zip:2024/a.txt``), a record's id (or ``file.jsonl:12`` for line 12), a URL;
            printable (see :func:`display_name`).
        raw: the bytes or text to analyse; the corpus key is the SHA-256 of these bytes.
        meta: what the input says beside the text.
    """

    name: str
    raw: str | bytes
    meta: ArticleMeta = ArticleMeta()


class Notice(NamedTuple):
    """Something a reader should know about an input that was read anyway.

    Attributes:
        document: the input, record or file it is about (printable).
        kind: what it is about: ``empty`` (an input with no documents), ``duplicate-id`` (a
            record id used again for another text; both are stored), ``date`` (a date that
            cannot be read; the article is stored without one), ``encoding`` (bytes that are
            not UTF-8: replaced, or the text read as Windows-1252), ``unicode`` (invalid
            Unicode in a metadata field, replaced by U+FFFD).
        message: what happened and what was done, in words.
    """

    document: str
    kind: str
    message: str


Item = Document | ErrorRow | Notice


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


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def display_name(name: str) -> str:
    """``name`` as it can be printed and stored: characters that are not valid Unicode (the
    bytes of a file name that are not UTF-8, lone surrogates) and control characters as
    backslash escapes; cut to :data:`MAX_NAME_CHARS` characters."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        name = "".join(
            # A file name's undecodable byte is the surrogate escape U+DC80..U+DCFF.
            f"\\x{ord(ch) - 0xDC00:02x}"
            if 0xDC80 <= ord(ch) <= 0xDCFF
            else (f"\\u{ord(ch):04x}" if 0xD800 <= ord(ch) <= 0xDFFF else ch)
            for ch in name
        )
    name = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", name)
    if len(name) > MAX_NAME_CHARS:
        name = name[: MAX_NAME_CHARS - 3] + "..."
    return name


def too_large(size: int, max_bytes: int) -> str:
    return (
        f"{size:,} bytes, over the limit of {max_bytes:,} bytes per document "
        "(set NEWSLENS_MAX_CHARS to change it)"
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def csv_value(value: str) -> tuple[str, int]:
    """A CSV field read with ``surrogateescape`` as UTF-8 decoding with replacement would have
    read it (one U+FFFD per invalid sequence), and how many sequences were replaced."""
    if not _SURROGATE.search(value):
        return value, 0
    fixed = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return fixed, fixed.count("\ufffd") - value.count("\ufffd")


def _replace_undecodable(text: str) -> tuple[str, int]:
    """``text`` with each lone surrogate (an undecodable byte, or an invalid escape) replaced
    by U+FFFD, and how many there were."""
    return _SURROGATE.subn("\ufffd", text)


def _field(record: dict, name: str) -> str | None:
    value = record.get(name)
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


class RecordIds:
    """Record ids seen in one file: where each was first used and a hash of its text."""

    def __init__(self) -> None:
        self.first: dict[str, tuple[str, int]] = {}

    def notice(self, name: str, where: str, raw: str) -> Notice | None:
        """A :class:`Notice` when ``name`` was used before for a different text."""
        digest = hash(raw)
        earlier = self.first.setdefault(name, (where, digest))
        if earlier[1] == digest or earlier[0] == where:
            return None
        return Notice(
            name,
            "duplicate-id",
            f"the id is used again ({where}) for a different text than at {earlier[0]}; "
            "both are stored",
        )


def record_items(
    record: dict, where: str, columns: Columns, max_bytes: int, *, ids: RecordIds
) -> Iterator[Item]:
    """The items of one record: its :class:`Document` (or :class:`ErrorRow`), after any
    :class:`Notice` about it. A lone surrogate (a JSON ``\\ud800`` escape) in the text or
    title makes the record an error; in another field it is replaced by U+FFFD, with a notice.
    """
    given = _field(record, columns.id)
    name = display_name(given) if given else where
    text = record.get(columns.text)
    if not isinstance(text, str) or not text.strip():
        yield ErrorRow(name, f"no text in the '{display_name(columns.text)}' field")
        return
    title = _field(record, columns.title)
    for field, value in ((columns.text, text), (columns.title, title)):
        if value and (bad := _SURROGATE.search(value)):
            yield ErrorRow(
                name,
                f"the '{display_name(field)}' field holds invalid Unicode (a lone surrogate "
                f"\\u{ord(bad.group()):04x} at character {bad.start() + 1:,}, often half of "
                "a broken emoji); fix the record to store it",
            )
            return
    raw = f"{title}\n\n{text}" if title else text
    size = len(raw.encode("utf-8"))
    if size > max_bytes:
        yield ErrorRow(name, too_large(size, max_bytes))
        return
    meta = {}
    for field in ("author", "date", "source", "url"):
        value = _field(record, getattr(columns, field))
        if value is not None:
            value, replaced = _replace_undecodable(value)
            if replaced:
                yield Notice(
                    name,
                    "unicode",
                    f"the '{display_name(getattr(columns, field))}' field holds invalid Unicode "
                    "(lone surrogates), replaced by \ufffd",
                )
        meta[field] = value
    published = meta["date"]
    if published is not None:
        published = readable_date(published)
        if published is None:
            yield Notice(
                name,
                "date",
                f"the date {display_name(meta['date'][:60])!r} cannot be read (ISO 8601 such as "
                "2024-03-21, or RFC 2822 such as 'Thu, 21 Mar 2024 08:15:00 +0100'); stored "
                "without a date",
            )
    if given and (notice := ids.notice(name, where, raw)) is not None:
        yield notice
    yield Document(
        name,
        raw,
        ArticleMeta(
            title=title,
            author=meta["author"],
            published=published,
            source=meta["source"],
            url=meta["url"],
        ),
    )


def readable_date(text: str) -> str | None:
    """``text`` as the ISO 8601 date or date-time stored as an article's ``published``: kept
    when it is ISO 8601, converted when it is an RFC 2822 date-time (RSS feeds, e-mail);
    None when it is neither."""
    if published_day(text):
        return text
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return moment.isoformat() if moment is not None else None
