"""Line classification: which lines of an input are page furniture, captions, credits, tag or
link lines, copyright notices, end lists, pull quotes or subheadings, each with its reason."""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.core.article.model import RemovedLine

# Sizes that tell a line of page furniture, a caption or a label from body text. Every rule
# below is a shape of news pages; the sizes keep a body sentence from matching one.
#: A labelled line (link, credit, tags) is at most this many words and characters.
LABEL_MAX_WORDS = 60
LABEL_MAX_CHARS = 500
#: A copyright line is at most this long; "All rights reserved." alone counts in a line of at
#: most :data:`RIGHTS_RESERVED_MAX_WORDS` words (or one with a © sign).
COPYRIGHT_MAX_WORDS = 40
RIGHTS_RESERVED_MAX_WORDS = 12
#: Page furniture ("Trending Now") is short.
FURNITURE_MAX_WORDS = 8
FURNITURE_MAX_CHARS = 80
#: Longer lines are never captions, bylines' names or date lines.
CAPTION_MAX_CHARS = 300
BYLINE_MAX_NAME_WORDS = 10
DATELINE_MAX_CHARS = 80
#: Years a date line may name.
DATELINE_YEARS = (1800, 2200)
#: A headline's length, in words and characters.
HEADLINE_WORDS = (2, 30)
HEADLINE_MAX_CHARS = 200
#: A line reads as body prose from this many words (ending a sentence, without an address).
PROSE_MIN_WORDS = 20
#: An end list may be at most this many times as long as the text before it.
END_LIST_MAX_RATIO = 2
#: A pull quote: at most this many characters, its words in this range, each run between
#: ellipses at least :data:`PULL_QUOTE_MIN_RUN` words.
PULL_QUOTE_MAX_CHARS = 500
PULL_QUOTE_WORDS = (5, 60)
PULL_QUOTE_MIN_RUN = 3
#: A subheading: at most this many words and characters; up to
#: :data:`SUBHEADING_ANY_CASE_WORDS` words it need not be in title case.
SUBHEADING_MAX_WORDS = 10
SUBHEADING_MAX_CHARS = 80
SUBHEADING_ANY_CASE_WORDS = 6

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
    if words > LABEL_MAX_WORDS or len(text) > LABEL_MAX_CHARS:
        return None
    if _LINK_LINE.match(text):
        return "link", "link to another article (not part of this one)"
    if _is_credit(text):
        return "credit", "staff credit (who reported, wrote or edited the story)"
    if words <= COPYRIGHT_MAX_WORDS and (
        _COPYRIGHT_LINE.match(text)
        or (_RIGHTS_RESERVED.search(text) and (words <= RIGHTS_RESERVED_MAX_WORDS or "©" in text))
    ):
        return "copyright", "copyright notice (page furniture, not article text)"
    if _TAG_LINE.match(text) and not _SENTENCE_END.search(text):
        return "tags", "category or tag list (page furniture, not article text)"
    return None


def normalise_line(line: str) -> str:
    return " ".join(line.split()).casefold()


def is_furniture(line: str) -> bool:
    """True for short page-furniture lines such as "Trending Now" or "Share this article"."""
    words = line.split()
    if not words or len(words) > FURNITURE_MAX_WORDS or len(line) > FURNITURE_MAX_CHARS:
        return False
    key = normalise_line(line).strip(" \t:;,.!?|•·»>–—-()[]")
    return key in _FURNITURE or bool(_FURNITURE_PREFIX.match(line.strip()))


def is_caption(line: str) -> bool:
    """True for photo captions and credits ("... - Photo: Chinese Government")."""
    match = _CAPTION.search(line) if len(line) <= CAPTION_MAX_CHARS else None
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
    if not words or len(words) > BYLINE_MAX_NAME_WORDS or not name[0].isupper():
        return None
    if name.endswith("."):
        return None
    return name


def parse_dateline(line: str) -> str | None:
    """An ISO 8601 date (or date-time) for a line that is only a date, else None.

    "Mar.21 - 2024 10:57 AM CET" -> "2024-03-21T10:57:00+01:00".
    """
    text = line.strip()
    if len(text) > DATELINE_MAX_CHARS or not _DATE_HINT.search(text):
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
    if leftover or not (DATELINE_YEARS[0] <= parsed.year <= DATELINE_YEARS[1]):
        return None
    if _TIME_HINT.search(text):
        return parsed.isoformat()
    return parsed.date().isoformat()


def looks_like_headline(line: str) -> bool:
    words = line.split()
    return (
        HEADLINE_WORDS[0] <= len(words) <= HEADLINE_WORDS[1]
        and len(line) <= HEADLINE_MAX_CHARS
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
    return (
        len(text.split()) >= PROSE_MIN_WORDS
        and bool(_SENTENCE_END.search(text))
        and not _URL.search(text)
    )


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
        if after > END_LIST_MAX_RATIO * before:
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
    match = _PULL_QUOTE.match(text) if len(text) <= PULL_QUOTE_MAX_CHARS else None
    if match is None:
        return None
    parts = [_words(part) for part in _ELLIPSIS.split(match.group("quote"))]
    parts = [part for part in parts if part]
    low, high = PULL_QUOTE_WORDS
    if (
        any(len(part) < PULL_QUOTE_MIN_RUN for part in parts)
        or not low <= sum(map(len, parts)) <= high
    ):
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


@dataclass
class Line:
    number: int
    text: str
    block: int


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with their block number: blocks are separated by blank lines, or each
    line is a block when the text has no blank lines at all."""
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    has_blank = any(not line.strip() for line in raw_lines[1:-1]) and any(
        line.strip() for line in raw_lines
    )
    lines: list[Line] = []
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
        lines.append(Line(number, stripped, block))
    return lines


def classify_line(line: Line, seen: dict[str, int], title_line: int | None) -> RemovedLine | None:
    """Why the cleaner drops a line, or None to keep it."""
    text = line.text
    key = normalise_line(text)
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
    if (
        not 1 <= len(words) <= SUBHEADING_MAX_WORDS
        or len(text) > SUBHEADING_MAX_CHARS
        or "\n" in text
    ):
        return False
    if not (text[0].isupper() or text[0].isdigit()) or text.endswith(_NOT_A_HEADING_END):
        return False
    if not any(char.isalpha() for char in text) or _FILE_NAME_END.search(text):
        return False
    if len(words) <= SUBHEADING_ANY_CASE_WORDS:
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
