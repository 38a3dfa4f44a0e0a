"""Raw text, HTML or bytes -> :class:`Article`: headline, byline, date, body paragraphs and the
lines the cleaner removed, each with its reason.

The cleaner never rewrites body text: a paragraph is the input's lines joined by ``\\n`` with
only their outer whitespace trimmed. Everything it drops is kept in :attr:`Article.removed`
with its reason and kind, so the user can see it:

- photo captions and credits, lines repeated verbatim, short page furniture ("Trending Now"),
  separators;
- the list of sources or related articles closing the article (:func:`end_lists`);
- labelled lines (:func:`line_label`): category and tag lists, "Read more: ..." links, staff
  credits ("Reporting by ...; Editing by ..."), copyright notices;
- pull quotes, quotations repeated from a body paragraph (:func:`pull_quotes`);
- a date alone on a line near the top of the body, which becomes the published date.

A headline, a byline and a date line at the top are read into :class:`Article`'s fields.
Short headings between body paragraphs ("What happens next") are kept apart as
:attr:`Article.subheadings`: shown, not analysed, not numbered as paragraphs. A web page's
title loses the site name or date appended to it (:func:`clean_title`).
"""

from __future__ import annotations

import codecs
import html as html_entities
import re
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

from analysis.errors import ArticleError

#: Default size limit, in characters of decoded text (``max_chars=``; the command line and the
#: app pass ``NEWSLENS_MAX_CHARS`` from :mod:`analysis.settings`).
DEFAULT_MAX_CHARS = 1_000_000

#: Share of non-printable characters above which text is refused as binary.
MAX_NONPRINTABLE_SHARE = 0.10


@dataclass(frozen=True)
class RemovedLine:
    """A line the cleaner dropped from the article.

    Attributes:
        text: the line as it appeared (outer whitespace trimmed).
        reason: why it was dropped, in words a reader understands.
        kind: what the line was: ``caption`` (photo caption or credit), ``duplicate`` (repeats
            an earlier line), ``furniture`` (navigation, promotion), ``separator`` (no words),
            ``sources`` (the list of sources or references closing the article, its heading
            included), ``related`` (the list of related articles closing it), ``tags``
            (category or tag list), ``link`` ("Read more: ..." and the like), ``credit``
            ("Reporting by ...; Editing by ..."), ``copyright`` ("© 2024 Example Media"),
            ``pullquote`` (a quotation repeated in large type from a body paragraph),
            ``dateline`` (a date alone on a line near the top of the body, used as the
            published date).
        line: 1-based line number in the decoded input (for HTML: in the extracted text).
    """

    text: str
    reason: str
    kind: str
    line: int


class Subheading(NamedTuple):
    """A short heading inside the body ("What happens next"): kept, shown, not analysed.

    Attributes:
        before: the 1-based number of the body paragraph it stands above.
        text: the heading as it appeared (outer whitespace trimmed).
        line: 1-based line number in the decoded input (for HTML: in the extracted text).
    """

    before: int
    text: str
    line: int


@dataclass(frozen=True)
class Segment:
    """One unit of analysed text: the headline (index 0), a body paragraph (1..n) or, when the
    user asks for it, a removed line (n+1..)."""

    index: int
    kind: str  # "headline" | "body" | "removed"
    text: str


@dataclass(frozen=True)
class Article:
    """A cleaned news article.

    Attributes:
        title: the headline, or None when the text has none.
        author: the byline's name(s), or None.
        published: ISO 8601 date or date-time (with offset when the text names a zone), or None.
        paragraphs: the body paragraphs, in order, never empty.
        removed: lines the cleaner dropped, in input order, each with its reason.
        warnings: notes on degraded input (encoding guessed, HTML extracted, ...).
        source: where the text came from (file name, URL), if known.
        format: ``text`` or ``html``.
        subheadings: short headings between body paragraphs, in order; neither paragraphs
            (so not analysed and not numbered) nor removed lines.
    """

    title: str | None
    author: str | None
    published: str | None
    paragraphs: tuple[str, ...]
    removed: tuple[RemovedLine, ...] = ()
    warnings: tuple[str, ...] = ()
    source: str | None = None
    format: str = "text"
    characters: int = field(default=0, compare=False)
    subheadings: tuple[Subheading, ...] = ()

    def segments(self, *, include_removed: bool = False) -> tuple[Segment, ...]:
        """The units analysed: headline (index 0, if any), body paragraphs (1..n) and, with
        ``include_removed``, the removed lines (n+1..)."""
        units: list[Segment] = []
        if self.title:
            units.append(Segment(0, "headline", self.title))
        units.extend(Segment(i, "body", text) for i, text in enumerate(self.paragraphs, 1))
        if include_removed:
            start = len(self.paragraphs) + 1
            units.extend(
                Segment(start + i, "removed", line.text) for i, line in enumerate(self.removed)
            )
        return tuple(units)


# --------------------------------------------------------------------------------------------
# Decoding


def decode_bytes(raw: bytes) -> tuple[str, tuple[str, ...]]:
    """Decode uploaded bytes: UTF-8 (BOM optional), UTF-16 with a BOM, else cp1252.

    Returns:
        The text and a tuple of warnings (empty unless the encoding had to be guessed).

    Raises:
        ArticleError: the bytes are binary data (NUL bytes outside UTF-16), not text.
    """
    if raw.startswith(codecs.BOM_UTF8):
        return _decode_strict(raw[len(codecs.BOM_UTF8) :], "utf-8"), ()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_strict(raw, "utf-16"), ()
    if b"\x00" in raw:
        raise ArticleError(_binary_message(raw))
    try:
        return raw.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte, so nothing is lost.
        text = raw.decode("latin-1")
    return text, (
        "The file is not valid UTF-8; it was read as Windows-1252 (Western European). "
        "If some characters look wrong, save the file as UTF-8 and upload it again.",
    )


def _decode_strict(raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise ArticleError(
            f"The file starts with a {encoding.upper()} byte-order mark but is not valid "
            f"{encoding.upper()} (bad byte at position {error.start})."
        ) from None


_SIGNATURES = {
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"PK\x03\x04": "a ZIP archive (or a Word/OpenDocument file)",
    b"%PDF": "a PDF document",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "a program",
    b"RIFF": "a media file",
}


def _binary_message(raw: bytes) -> str:
    for signature, name in _SIGNATURES.items():
        if raw.startswith(signature):
            return (
                f"This looks like {name}, not text. NewsLens reads plain text (.txt, .md) "
                "and web pages (.html)."
            )
    return (
        "This file contains binary data, not text. NewsLens reads plain text (.txt, .md) "
        "and web pages (.html)."
    )


_WHITESPACE_CONTROLS = re.compile(r"[\t\n\r\f\v]")


def _check_text(text: str) -> tuple[str, ...]:
    """Refuse text with NUL bytes, unpaired surrogates or mostly non-printable characters.

    Returns:
        Warnings for text that is kept but may analyse poorly (invisible characters, a script
        other than Latin).
    """
    if "\x00" in text:
        raise ArticleError(_binary_message(text[:8].encode("latin-1", "replace")))
    warnings = []
    if not _WHITESPACE_CONTROLS.sub("", text).replace("\u00a0", " ").isprintable():
        bad = invisible = 0
        for char in text:
            category = unicodedata.category(char)
            if category == "Cs":
                raise ArticleError(
                    "The text contains invalid Unicode (unpaired surrogate characters) and "
                    "cannot be read."
                )
            if category in ("Cc", "Co", "Cn") and char not in "\t\n\r\f\v":
                bad += 1
            elif category == "Cf":
                invisible += 1
        if bad > MAX_NONPRINTABLE_SHARE * len(text):
            raise ArticleError(
                f"This does not look like text: {bad:,} of its {len(text):,} characters are "
                "control or unassigned characters. NewsLens reads plain text and web pages."
            )
        if bad + invisible:
            warnings.append(
                f"The text contains {bad + invisible:,} invisible or control character"
                f"{'s' if bad + invisible != 1 else ''} (such as zero-width spaces); they are "
                "kept, but a word they split is counted as two."
            )
    letters = [char for char in text[:20_000] if char.isalpha()]
    latin = sum(1 for char in letters if char < "\u0250")
    if len(letters) >= 20 and latin < 0.5 * len(letters):
        warnings.append(
            "Most of this text is not in the Latin alphabet. NewsLens's language models are "
            "for English, so words may split oddly and sentiment and entities will be unreliable."
        )
    return tuple(warnings)


# --------------------------------------------------------------------------------------------
# Line classification

_CAPTION = re.compile(
    r"(?:^|[\s(\[|\-–—:])(?:photo(?:graph)?|image|picture|pictured|illustration|file photo|"
    r"caption|credit|photo credit|image credit)s?\s*(?P<sep>:|\bby\b|\bcredit\b)"
    r"|\b(?:getty images|ap photo|afp photo|reuters/|shutterstock|epa-efe|xinhua/)",
    re.IGNORECASE,
)

_FURNITURE = frozenset(
    """
    trending now|trending|most read|most popular|most viewed|most shared|popular|popular now
    |advertisement|advertising|sponsored|sponsored content|ad|promoted|paid content
    |share this article|share this story|share this|share|share on facebook|share on twitter
    |share on x|share on linkedin|share via email|tweet|email|print|print this article
    |read more|read next|read also|also read|see also|related|related articles|related stories
    |related news|related content|recommended|recommended for you|you may also like
    |you might also like|more from this section|more stories|more news|latest news|top stories
    |editor's picks|editors' picks|editor’s picks|don't miss|don’t miss|comments|leave a comment
    |view comments|show comments|sign up|subscribe|subscribe now|newsletter
    |sign up for our newsletter
    |follow us|follow us on twitter|follow us on facebook|skip to content|skip to main content
    |back to top|continue reading|click here|listen to this article|listen|watch|watch now
    |story continues below|story continues below advertisement|article continues below
    |loading|close|menu|home|search|log in|login|register|cookie settings|accept cookies
    |copy link|link copied|save|saved|bookmark|breaking news|live updates|photo gallery|gallery
    |image|video|audio
    """.replace("\n", "").split("|")
)
_FURNITURE = frozenset(item.strip() for item in _FURNITURE if item.strip())

_FURNITURE_PREFIX = re.compile(
    r"^(?:read more|read also|also read|see also|related|recommended|watch|listen|more"
    r"|sign up|subscribe to|follow us on|click here|share on|advertisement)\s*[:\-–—|>»]",
    re.IGNORECASE,
)

_BYLINE = re.compile(
    r"^(?:(?:written|reported|story|words|text|posted)\s+)?by[:\s]\s*(?P<name>\S.{0,99})$"
    r"|^(?:author|byline|written by|reporter)\s*[:\-–—]\s*(?P<name2>\S.{0,99})$",
    re.IGNORECASE,
)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE_HINT = re.compile(
    rf"\b{_MONTH}\b\.?\s*\d|\d\s*{_MONTH}\b"
    r"|\b\d{4}-\d{2}-\d{2}(?:\b|T)|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b",
    re.IGNORECASE,
)
_DATE_PREFIX = re.compile(
    r"^(?:published|updated|posted|last updated|first published|date|dated)\b"
    r"\s*(?:on|at)?\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
_TIME_HINT = re.compile(
    r"(?<![\d.])\d{1,2}[:.]\d{2}\b(?!\.\d)|\b\d{1,2}\s*[ap]\.?m\b", re.IGNORECASE
)

#: Offsets in seconds for zone abbreviations that news sites print after a time.
_TZ_OFFSETS = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "WET": 0,
    "BST": 3600,
    "WEST": 3600,
    "CET": 3600,
    "CEST": 7200,
    "EET": 7200,
    "EEST": 10800,
    "MSK": 10800,
    "IST": 19800,
    "CST": -21600,
    "CDT": -18000,
    "EST": -18000,
    "EDT": -14400,
    "MST": -25200,
    "MDT": -21600,
    "PST": -28800,
    "PDT": -25200,
    "JST": 32400,
    "KST": 32400,
    "HKT": 28800,
    "SGT": 28800,
    "AEST": 36000,
    "AEDT": 39600,
}
_DATE_WORDS = (
    {"on", "at", "am", "pm", "a.m.", "p.m.", "the", "of", "st", "nd", "rd", "th"}
    | {zone.lower() for zone in _TZ_OFFSETS}
    | {
        day[:n]
        for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        for n in (3, 4, len(day))
    }
)


_TAG_LINE = re.compile(
    r"^(?:categor(?:y|ies)|tags?|tagged(?: with| as)?|filed under|topics?|keywords)"
    r"\s*[:|–—]\s*\S",
    re.IGNORECASE,
)


#: "Read more: <another story's headline>": a label, then a colon, a pipe or an arrow (a dash
#: only with spaces round it, so "Related-party deals" stays body text).
_LINK_LINE = re.compile(
    r"^(?:read more|read also|also read|read next|see also|also see|related|related story"
    r"|related article|more on this(?: story| topic)?|recommended|further reading)"
    r"(?:\s*[:|>»]|\s+[-–—]\s)\s*\S",
    re.IGNORECASE,
)


_CREDIT_ROLE = (
    r"(?:(?:additional|further)\s+)?(?:reporting|editing|writing|compiled|edited|research"
    r"|graphics|production|produced|translation|translated|fact-checking)"
)
_CREDIT_LINE = re.compile(rf"^\(?\s*{_CREDIT_ROLE}\s+by\s+\S", re.IGNORECASE)
#: The lowercase words a credit line may hold besides names: a body sentence that starts
#: "Reporting by local media suggested ..." has others.
_CREDIT_WORDS = frozenset(
    (
        "by",
        "and",
        "in",
        "at",
        "from",
        "with",
        "of",
        "for",
        "the",
        "additional",
        "further",
        "reporting",
        "editing",
        "writing",
        "compiled",
        "edited",
        "research",
        "graphics",
        "production",
        "produced",
        "translation",
        "translated",
        "fact",
        "checking",
        "staff",
        "team",
        "desk",
        "newsroom",
        "al",
        "bin",
        "da",
        "de",
        "del",
        "der",
        "di",
        "du",
        "el",
        "la",
        "le",
        "van",
        "von",
        "y",
    )
)


def _is_credit(text: str) -> bool:
    if not _CREDIT_LINE.match(text):
        return False
    words = re.findall(r"[^\W\d_]+", text)
    return all(word in _CREDIT_WORDS for word in words if word[0].islower())


#: "© 2024 Example Media", "(c) 2024 ...", "Copyright 2020 ...", "Copyright © ...": the word
#: "copyright" alone starts body sentences too ("Copyright law changed ...").
_COPYRIGHT_LINE = re.compile(r"^(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\)|\d{4}))", re.IGNORECASE)
_RIGHTS_RESERVED = re.compile(r"\ball rights reserved\W*$", re.IGNORECASE)


def line_label(line: str) -> tuple[str, str] | None:
    """The kind of a labelled line that is not article text, with the reason shown to the user.

    - "Categories: Politics | Asia" and "Tags: ..." (also "Category", "Filed under", "Topics",
      "Keywords"); a label followed by a full sentence is body text.
    - "Read more: ...", "Related: ...", "See also: ...", "Also read: ...": a link to another
      article, whatever its length (the short ones are page furniture too).
    - Staff credits: "Reporting by ...", "Editing by ...", "Additional reporting by ...",
      "Writing by ...", "Compiled by ...", also the agency form "(Reporting by X; Editing by
      Y)"; only names may follow, so "Reporting by local media suggested ..." is body text.
    - Copyright lines: "© 2024 Example Media", "Copyright 2020 ...", a short line ending "All
      rights reserved." (at most 40 words).

    Returns:
        (kind, reason), or None for any other line.
    """
    text = line.strip()
    words = len(text.split())
    if words > 60 or len(text) > 500:
        return None
    if _LINK_LINE.match(text):
        return "link", "link to another article (not part of this one)"
    if _is_credit(text):
        return "credit", "staff credit (who reported, wrote or edited the story)"
    if words <= 40 and (
        _COPYRIGHT_LINE.match(text)
        or (_RIGHTS_RESERVED.search(text) and (words <= 12 or "©" in text))
    ):
        return "copyright", "copyright notice (page furniture, not article text)"
    if _TAG_LINE.match(text) and not _SENTENCE_END.search(text):
        return "tags", "category or tag list (page furniture, not article text)"
    return None


def _normalise(line: str) -> str:
    return " ".join(line.split()).casefold()


def is_furniture(line: str) -> bool:
    """True for short page-furniture lines such as "Trending Now" or "Share this article"."""
    words = line.split()
    if not words or len(words) > 8 or len(line) > 80:
        return False
    key = _normalise(line).strip(" \t:;,.!?|•·»>–—-()[]")
    return key in _FURNITURE or bool(_FURNITURE_PREFIX.match(line.strip()))


def is_caption(line: str) -> bool:
    """True for photo captions and credits ("... - Photo: Chinese Government")."""
    match = _CAPTION.search(line) if len(line) <= 300 else None
    if match is None:
        return False
    # "Photo: ..." is a caption wherever it stands; "photo by ..." only when the line is not a
    # sentence (a body sentence may well mention "a photo by the ministry").
    return match.group("sep") == ":" or not line.rstrip("\"'”’)").endswith((".", "!", "?"))


def parse_byline(line: str) -> str | None:
    """The author named by a byline ("Written by Henrik Rothen" -> "Henrik Rothen"), else None."""
    match = _BYLINE.match(line.strip())
    if not match:
        return None
    name = (match.group("name") or match.group("name2") or "").strip()
    name = re.split(r"\s+[|•·]\s+|\s+[-–—]\s+", name)[0].strip(" ,;:")
    words = name.split()
    if not words or len(words) > 10 or not name[0].isupper() or name.endswith("."):
        return None
    return name


def parse_dateline(line: str) -> str | None:
    """An ISO 8601 date (or date-time) for a line that is only a date, else None.

    "Mar.21 - 2024 10:57 AM CET" -> "2024-03-21T10:57:00+01:00".
    """
    text = line.strip()
    if len(text) > 80 or not _DATE_HINT.search(text):
        return None
    text = _DATE_PREFIX.sub("", text)
    text = re.sub(r"\b([ap])\.m\.?", r"\1m", text, flags=re.IGNORECASE)
    text = re.sub(r"(?<=\d)T(?=\d)", " ", text)  # ISO 8601 "2020-03-03T10:15"
    # "03.04.2020" is day first wherever dots separate the parts.
    dayfirst = bool(re.search(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b", text))
    # "Mar.21" -> "Mar 21"; separators such as " - " or " | " between date and time.
    text = re.sub(r"(?<=[A-Za-z])\.(?=\s*\d)", " ", text)
    text = re.sub(r"\s+[-–—|·•,]\s+|,", " ", text)
    # "09.30 GMT" (a time written with a dot), but not "21.03.2024".
    text = re.sub(r"(?<![\d.])(\d{1,2})\.(\d{2})\b(?!\.\d)", r"\1:\2", text)
    from dateutil import parser as dateparser

    try:
        parsed, skipped = dateparser.parse(
            text, fuzzy_with_tokens=True, tzinfos=_TZ_OFFSETS, default=None, dayfirst=dayfirst
        )
    except (ValueError, OverflowError, TypeError):
        return None
    leftover = [
        word
        for chunk in skipped
        for word in re.findall(r"[^\W\d_]+\.?", chunk)
        if word.lower() not in _DATE_WORDS
    ]
    if leftover or not (1800 <= parsed.year <= 2200):
        return None
    if _TIME_HINT.search(text):
        return parsed.isoformat()
    return parsed.date().isoformat()


def _looks_like_headline(line: str) -> bool:
    words = line.split()
    return (
        2 <= len(words) <= 30
        and len(line) <= 200
        and not line.rstrip("\"'”’)").endswith((".", ",", ";", ":"))
        and any(char.isalpha() for char in line)
    )


#: Headings of the lists news pages print under the story: its sources, or links to other stories.
_LIST_HEADING = re.compile(
    r"^(?:(?P<sources>sources?|references|external links|further reading|bibliography)"
    r"|(?P<related>see also|related(?: news| articles| stories| coverage| links| content)?"
    r"|more on this story|more on this topic))\s*:?$",
    re.IGNORECASE,
)
_LIST_REASONS = {
    "sources": "list of sources at the end of the article",
    "related": "list of related articles at the end of the article",
}
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)


def _is_prose(text: str) -> bool:
    """True for a line that reads as body prose: a sentence of some length, not a citation."""
    return len(text.split()) >= 20 and bool(_SENTENCE_END.search(text)) and not _URL.search(text)


def _list_heading_kind(text: str) -> str | None:
    match = _LIST_HEADING.match(text.strip(" \t#*_=>»|•·–—-"))
    if match is None:
        return None
    return "sources" if match.group("sources") else "related"


def end_lists(lines: list[str]) -> dict[int, tuple[str, str]]:
    """The list of sources (or of related articles) that closes an article.

    A list starts at a heading line ("Sources", "References", "External links", "See also",
    "Related news", ..., any case, optional colon) and runs to the end of the text. It counts
    only at the end of the article: no line after the heading reads as body prose (20 words or
    more ending a sentence, without a web address), at least one prose line comes before it,
    and it is not longer than twice the text before it. Otherwise the heading is an ordinary
    line and nothing is removed. A second heading inside the list starts a list of its kind.

    Returns:
        Index into ``lines`` -> (kind, reason) for every line of the list, the headings
        included; empty when the text has no such list.
    """
    last_prose = max((i for i, text in enumerate(lines) if _is_prose(text)), default=-1)
    if last_prose < 0:
        return {}
    for start in range(last_prose + 1, len(lines) - 1):
        kind = _list_heading_kind(lines[start])
        if kind is None:
            continue
        before = sum(len(text.split()) for text in lines[:start])
        after = sum(len(text.split()) for text in lines[start:])
        if after > 2 * before:
            return {}
        found: dict[int, tuple[str, str]] = {}
        for index in range(start, len(lines)):
            heading = _list_heading_kind(lines[index])
            kind = heading or kind
            reason = _LIST_REASONS[kind]
            found[index] = (kind, f"heading of the {reason}" if heading else reason)
        return found
    return {}


_PULL_QUOTE = re.compile(r"^[\"“‘'«]\s*(?P<quote>.+?)\s*[\"”’'»]\s*(?:[-–—]\s*\S.{0,60})?$")
_ELLIPSIS = re.compile(r"\.\.\.|…|\[\s*(?:\.\.\.|…)\s*\]")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold().replace("’", "").replace("'", ""))


def _pull_quote_parts(text: str) -> list[str] | None:
    """A standalone quotation's word runs (split at ellipses), or None for any other line."""
    match = _PULL_QUOTE.match(text) if len(text) <= 500 else None
    if match is None:
        return None
    parts = [_words(part) for part in _ELLIPSIS.split(match.group("quote"))]
    parts = [part for part in parts if part]
    if any(len(part) < 3 for part in parts) or not 5 <= sum(map(len, parts)) <= 60:
        return None
    return [" " + " ".join(part) + " " for part in parts]


def pull_quotes(blocks: list[str]) -> dict[int, int]:
    """Pull quotes: standalone quoted lines that repeat words of a longer paragraph.

    A pull quote is set in large type in the page and repeats, verbatim or nearly (case,
    punctuation and quotation marks aside; an ellipsis may skip words), a sentence or a
    clause of the body: a block that is only a quotation (optionally followed by a dash and a
    name), 5 to 60 words, found inside another, longer block.

    Returns:
        Index of each pull quote in ``blocks`` -> index of the block whose words it repeats.
    """
    candidates = {
        i: parts for i, text in enumerate(blocks) if (parts := _pull_quote_parts(text)) is not None
    }
    if not candidates:
        return {}
    texts = [" " + " ".join(_words(text)) + " " for text in blocks]
    by_trigram: dict[str, set[int]] = {}
    for i, text in enumerate(texts):
        words = text.split()
        for k in range(len(words) - 2):
            by_trigram.setdefault(" ".join(words[k : k + 3]), set()).add(i)
    found: dict[int, int] = {}
    for i, parts in candidates.items():
        first = " ".join(parts[0].split()[:3])
        for host in sorted(by_trigram.get(first, ())):
            if host == i or len(texts[host]) <= len(texts[i]) or host in found:
                continue
            position = 0
            for part in parts:
                position = texts[host].find(part, position)
                if position < 0:
                    break
                position += len(part) - 1
            if position >= 0:
                found[i] = host
                break
    return found


# --------------------------------------------------------------------------------------------
# Parsing


def looks_like_html(text: str) -> bool:
    """True when the text is an HTML document or fragment (judged by content, not file name):
    it starts with a tag and has structural markup near the top."""
    head = text.lstrip("\ufeff \t\r\n")[:4096]
    if not head.startswith("<"):
        return False
    return bool(
        re.search(
            r"<(?:!doctype\s+html|html|head|body|article|main|section|div|p|h[1-6]|title|meta)\b",
            head,
            re.IGNORECASE,
        )
    )


def parse_article(
    raw: str | bytes, *, source: str | None = None, max_chars: int = DEFAULT_MAX_CHARS
) -> Article:
    """Parse raw article text, HTML or bytes into an :class:`Article`.

    Args:
        raw: the input; ``bytes`` are decoded (UTF-8, UTF-16 with BOM, else cp1252).
        source: where it came from (file name or URL), kept for display.
        max_chars: size limit in characters.

    Returns:
        The cleaned article.

    Raises:
        ArticleError: empty input, binary data, over the size limit, or no article text.
    """
    limit = max_chars
    warnings: tuple[str, ...] = ()
    if isinstance(raw, (bytes, bytearray, memoryview)):
        raw = bytes(raw)
        if not raw.strip():
            raise ArticleError(_empty_message(source))
        # UTF-8 never needs more than 4 bytes a character: refuse before decoding a huge upload.
        if len(raw) > 4 * limit:
            raise ArticleError(_size_message(len(raw), limit, unit="bytes"))
        text, warnings = decode_bytes(raw)
    elif isinstance(raw, str):
        text = raw
    else:
        raise TypeError(f"parse_article expects str or bytes, not {type(raw).__name__}")
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise ArticleError(_empty_message(source))
    if len(text) > limit:
        raise ArticleError(_size_message(len(text), limit))
    warnings += _check_text(text)
    if looks_like_html(text):
        return _parse_html(text, source=source, warnings=warnings)
    return _parse_text(text, source=source, warnings=warnings)


def _empty_message(source: str | None) -> str:
    where = f" ({source})" if source else ""
    return f"The article is empty{where}: there is no text to analyse."


def _size_message(size: int, limit: int, *, unit: str = "characters") -> str:
    return (
        f"The article is too long: {size:,} {unit}, over the limit of {limit:,} characters "
        "(set NEWSLENS_MAX_CHARS to change it)."
    )


def _no_text_message() -> str:
    return (
        "No article text is left after cleaning: everything in the input was page furniture, "
        "captions or repeated lines."
    )


#: A web page whose main text is shorter than this is a front page, a menu or an error page.
MIN_HTML_WORDS = 20


def _no_html_text_message() -> str:
    return (
        "No article text was found in this web page: it may be a front page, a search page "
        "or a page that needs JavaScript"
    )


@dataclass
class _Line:
    number: int
    text: str
    block: int


def _split_lines(text: str) -> list[_Line]:
    """Non-blank lines with their block number: blocks are separated by blank lines, or each
    line is a block when the text has no blank lines at all."""
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    has_blank = any(not line.strip() for line in raw_lines[1:-1]) and any(
        line.strip() for line in raw_lines
    )
    lines: list[_Line] = []
    block = 0
    previous_blank = True
    for number, line in enumerate(raw_lines, 1):
        stripped = line.strip()
        if not stripped:
            previous_blank = True
            continue
        if previous_blank or not has_blank:
            block += 1
        previous_blank = False
        lines.append(_Line(number, stripped, block))
    return lines


def _classify(line: _Line, seen: dict[str, int], title_line: int | None) -> RemovedLine | None:
    """Why the cleaner drops a line, or None to keep it."""
    text = line.text
    key = _normalise(text)
    earlier = seen.get(key)
    if is_caption(text):
        reason = "photo caption"
        if earlier is not None:
            reason += f" (printed again; first on line {earlier})"
        return RemovedLine(text, reason, "caption", line.number)
    if earlier is not None:
        what = "the headline" if earlier == title_line else f"line {earlier}"
        return RemovedLine(text, f"repeats {what} verbatim", "duplicate", line.number)
    if (label := line_label(text)) is not None:
        return RemovedLine(text, label[1], label[0], line.number)
    if is_furniture(text):
        return RemovedLine(
            text,
            "page furniture (navigation or promotion, not article text)",
            "furniture",
            line.number,
        )
    if not any(char.isalnum() for char in text):
        return RemovedLine(text, "separator (no words)", "separator", line.number)
    return None


#: "File:Harbour bridge.jpg" is a leftover image name, not a heading.
_FILE_NAME_END = re.compile(r"\S\.[a-z]{2,4}$")
_NOT_A_HEADING_END = tuple(".!?:;,…\"'”’“‘«»")
#: Short words a title-case heading leaves in lower case.
_MINOR_WORDS = frozenset(
    (
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "vs",
    )
)


def is_subheading(text: str) -> bool:
    """True for a line that reads as a heading, not a sentence ("Reaction from Washington").

    At most 10 words and 80 characters, starting with a capital letter or a digit, with no
    final punctuation (. ! ? : ; , … or a quotation mark), not opening with a quotation
    mark, not ending like a file name (".jpg"); and either short (at most 6 words) or in title case. Whether it is a subheading
    also depends on where it stands: see :func:`subheading_blocks`.
    """
    words = text.split()
    if not 1 <= len(words) <= 10 or len(text) > 80 or "\n" in text:
        return False
    if not (text[0].isupper() or text[0].isdigit()) or text.endswith(_NOT_A_HEADING_END):
        return False
    if not any(char.isalpha() for char in text) or _FILE_NAME_END.search(text):
        return False
    if len(words) <= 6:
        return True
    major = [word for word in words if word.casefold() not in _MINOR_WORDS]
    return all(word[0].isupper() or not word[0].isalpha() for word in major)


def subheading_blocks(blocks: list[str]) -> list[int]:
    """Indices of the body blocks that are subheadings.

    A subheading is a single-line block that :func:`is_subheading` accepts, standing between
    two body paragraphs that are not headings themselves (so a list of short lines, a block
    of short answers or a closing line is never taken for headings).
    """
    heading = [is_subheading(text) for text in blocks]
    return [
        i
        for i in range(1, len(blocks) - 1)
        if heading[i] and not heading[i - 1] and not heading[i + 1]
    ]


def _assemble_body(
    kept: list[_Line],
) -> tuple[list[str], list[Subheading], list[RemovedLine]]:
    """Join the kept lines into paragraphs (one per block), take out pull quotes and set
    subheadings apart.

    Returns:
        The paragraphs, the subheadings and the pull quotes removed.
    """
    blocks: list[list[_Line]] = []
    for line in kept:
        if blocks and blocks[-1][-1].block == line.block:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    texts = ["\n".join(line.text for line in block) for block in blocks]
    quoted = pull_quotes(texts)
    removed = [
        RemovedLine(
            texts[i],
            f"pull quote (repeats words of the paragraph on line {blocks[host][0].number}, "
            "printed large on the page)",
            "pullquote",
            blocks[i][0].number,
        )
        for i, host in quoted.items()
    ]
    body = [i for i in range(len(blocks)) if i not in quoted]
    headings = {body[k] for k in subheading_blocks([texts[i] for i in body])}
    paragraphs: list[str] = []
    subheadings: list[Subheading] = []
    for i in body:
        if i in headings:
            subheadings.append(Subheading(len(paragraphs) + 1, texts[i], blocks[i][0].number))
        else:
            paragraphs.append(texts[i])
    return paragraphs, subheadings, removed


#: How many body lines from the top a date line may stand and still be the article's date.
DATE_LINE_REACH = 3


def _date_line(kept: list[_Line], published: str | None) -> tuple[int, str, RemovedLine] | None:
    """A date alone on a line near the top of the body (after a standfirst, or where the text
    has no headline), taken as the published date when no other was found.

    Returns:
        Its index in ``kept``, the ISO date and the removed line, or None.
    """
    if published is not None:
        return None
    for index, line in enumerate(kept[:DATE_LINE_REACH]):
        alone = all(other.block != line.block for other in kept if other is not line)
        if alone and (date := parse_dateline(line.text)):
            reason = "date line: used as the published date"
            return index, date, RemovedLine(line.text, reason, "dateline", line.number)
    return None


def _parse_text(text: str, *, source: str | None, warnings: tuple[str, ...]) -> Article:
    lines = _split_lines(text)
    listed = end_lists([line.text for line in lines])
    title = author = published = None
    title_line: int | None = None
    header_done = len(lines) < 2  # one line is a paragraph, never a headline
    seen: dict[str, int] = {}
    removed: list[RemovedLine] = []
    kept: list[_Line] = []
    for index, line in enumerate(lines):
        if index in listed:
            kind, reason = listed[index]
            removed.append(RemovedLine(line.text, reason, kind, line.number))
            continue
        verdict = _classify(line, seen, title_line)
        seen.setdefault(_normalise(line.text), line.number)
        if verdict is not None:
            removed.append(verdict)
            continue
        if not header_done:
            # The header zone: headline, then byline and dateline in any order, before the body.
            if published is None and (date := parse_dateline(line.text)):
                published = date
                continue
            if title is None and author is None and _looks_like_headline(line.text):
                title, title_line = line.text, line.number
                continue
            if author is None and (name := parse_byline(line.text)):
                author = name
                continue
            header_done = True
        kept.append(line)

    if (found := _date_line(kept, published)) is not None:
        index, published, date_line = found
        kept, removed = kept[:index] + kept[index + 1 :], removed + [date_line]
    paragraphs, subheadings, quotes = _assemble_body(kept)
    removed = sorted(removed + quotes, key=lambda line: line.line)
    if not paragraphs and title is not None:
        # A headline with nothing under it is the text itself.
        paragraphs, title = [title], None
    if not paragraphs:
        raise ArticleError(_no_text_message())
    return Article(
        title=title,
        author=author,
        published=published,
        paragraphs=tuple(paragraphs),
        removed=tuple(removed),
        warnings=warnings,
        source=source,
        format="text",
        characters=len(text),
        subheadings=tuple(subheadings),
    )


_TITLE_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|·|•|»)\s+")
#: Words a dash-joined title goes on with ("Man bites dog - and survives"): never a site name.
_TITLE_GOES_ON = frozenset(
    (
        "a",
        "an",
        "and",
        "as",
        "at",
        "after",
        "again",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "not",
        "now",
        "of",
        "on",
        "or",
        "so",
        "than",
        "then",
        "the",
        "to",
        "until",
        "vs",
        "with",
        "without",
        "yet",
    )
)


def _site_key(name: str) -> str:
    return re.sub(r"^www\.|\.(?:com|org|net|co\.uk|co|news)$", "", _normalise(name))


def _is_site_like(tail: str, separator: str, *, sitename: str | None) -> bool:
    if sitename and _site_key(tail) == _site_key(sitename):
        return True
    if parse_dateline(tail) is not None:
        return True
    words = tail.split()
    if not 1 <= len(words) <= 4:
        return False
    if separator.strip() not in "-–—":
        return True
    # After a dash, a site name is a name: capitalised words, not a title going on.
    return words[0].casefold() not in _TITLE_GOES_ON and all(
        word[0].isupper() or word[0].isdigit() or "." in word for word in words
    )


def clean_title(title: str, *, sitename: str | None = None) -> str:
    """A web page's title without the site name or date appended to it.

    "Talks Resume | Example News | 03.03.2020" -> "Talks Resume"; "Talks Resume - Example
    News" -> "Talks Resume"; "Man bites dog - and survives" stays whole. Trailing segments
    after " | ", " - ", " – ", " — " (also "::", "·", "•", "»") are dropped while they are the
    site's name (``sitename``, from the page's metadata), a date, or short and site-like: at
    most 4 words, and after a dash only capitalised words that do not carry the title on. A
    leading segment is dropped only when it is ``sitename``. What is left has at least two
    words, unless a segment dropped was the site name or a date.

    Returns:
        The title, outer whitespace trimmed.
    """
    title = " ".join(title.split())
    first = _TITLE_SEPARATOR.search(title)
    if first and sitename and _site_key(title[: first.start()]) == _site_key(sitename):
        title = title[first.end() :]
    while True:
        separators = list(_TITLE_SEPARATOR.finditer(title))
        if not separators:
            break
        last = separators[-1]
        head, tail = title[: last.start()], title[last.end() :]
        certain = bool(sitename and _site_key(tail) == _site_key(sitename))
        certain = certain or parse_dateline(tail) is not None
        if not _is_site_like(tail, last.group(), sitename=sitename):
            break
        if len(head.split()) < 2 and not certain:
            break
        title = head
    return title


_HEAD_TITLES = (
    re.compile(
        r"<meta\s[^>]*?(?:property|name)=[\"']og:title[\"'][^>]*?content=\"([^\"]*)\"", re.I
    ),
    re.compile(
        r"<meta\s[^>]*?content=\"([^\"]*)\"[^>]*?(?:property|name)=[\"']og:title[\"']", re.I
    ),
    re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S),
)


def _page_title(html: str, extracted: str) -> str:
    """The page's own title when trafilatura shortened it at a separator (it cuts "Man bites
    dog - and survives" to "Man bites dog"), else the extracted one."""
    head = html[:200_000]
    for pattern in _HEAD_TITLES:
        match = pattern.search(head)
        if match is None:
            continue
        raw = " ".join(html_entities.unescape(match.group(1)).split())
        if raw.startswith(extracted) and _TITLE_SEPARATOR.match(raw[len(extracted) :]):
            return raw
    return extracted


def _parse_html(html: str, *, source: str | None, warnings: tuple[str, ...]) -> Article:
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            html,
            url=source if source and source.startswith(("http://", "https://")) else None,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
        )
    except Exception as error:  # trafilatura raises many lxml types on broken markup
        raise ArticleError(f"The web page could not be read as HTML ({error}).") from None
    body = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if not body:
        raise ArticleError(_no_html_text_message() + ".")
    title = (getattr(document, "title", None) or "").strip() or None
    author = (getattr(document, "author", None) or "").strip() or None
    date = (getattr(document, "date", None) or "").strip() or None
    sitename = (getattr(document, "sitename", None) or "").strip() or None
    if sitename and parse_dateline(sitename):
        sitename = None  # trafilatura takes the last title segment for the site, a date too
    if title:
        page_title = _page_title(html, title)
        title = clean_title(page_title, sitename=sitename) or page_title
        if title != page_title:
            warnings += (
                f"The page title \u201c{page_title}\u201d was shortened to "
                f"\u201c{title}\u201d: the site name or date after it was left out.",
            )
    seen: dict[str, int] = {}
    title_line = None
    if title:
        seen[_normalise(title)] = 0
        title_line = 0
    removed: list[RemovedLine] = []
    kept: list[_Line] = []
    numbered = [(n, text.strip()) for n, text in enumerate(body.split("\n"), 1) if text.strip()]
    listed = end_lists([text for _, text in numbered])
    for index, (number, text) in enumerate(numbered):
        if index in listed:
            kind, reason = listed[index]
            removed.append(RemovedLine(text, reason, kind, number))
            continue
        line = _Line(number, text, number)
        verdict = _classify(line, seen, title_line)
        seen.setdefault(_normalise(text), number)
        if verdict is not None:
            removed.append(verdict)
        else:
            kept.append(line)
    if (found := _date_line(kept, date)) is not None:
        index, date, date_line = found
        kept, removed = kept[:index] + kept[index + 1 :], removed + [date_line]
    paragraphs, subheadings, quotes = _assemble_body(kept)
    removed = sorted(removed + quotes, key=lambda line: line.line)
    words = sum(len(paragraph.split()) for paragraph in paragraphs)
    if words < MIN_HTML_WORDS:
        raise ArticleError(
            _no_html_text_message()
            + f" (it has {words} word{'s' if words != 1 else ''} of main text; an article has at "
            f"least {MIN_HTML_WORDS})."
        )
    return Article(
        title=title,
        author=author,
        published=date,
        paragraphs=tuple(paragraphs),
        removed=tuple(removed),
        warnings=warnings
        + (
            "Web page: the main text was extracted with trafilatura; navigation, scripts, "
            "styles and other page elements were left out.",
        ),
        source=source,
        format="html",
        characters=len(html),
        subheadings=tuple(subheadings),
    )
