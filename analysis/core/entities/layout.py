"""Names found by the layout of an article: datelines, runs of capitals, a headline in title
case or capitals, the speaker labels of a transcript, and acronyms defined in the text."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from analysis.core.entities.tables import NAME_LABELS, canonical, is_acronym
from analysis.core.schema import MentionRow

#: A speaker label opening a paragraph of a transcript: "Q:", "SMITH:", "((WN))", "[Host]".
_SPEAKER_LABEL = re.compile(
    r"[ \t]*(?:(?P<open>\(\(|\[|\()[ \t]*(?P<inside>[A-Z][A-Za-z.]{0,19})[ \t]*(?:\)\)|\]|\))"
    r"|(?P<caps>[A-Z][A-Z.]{0,19})[ \t]*:)"
)
#: Paragraphs a label must open before it is taken for a speaker label.
SPEAKER_LABEL_MIN = 3


def transcript_labels(texts: dict[int, str], rows: list[MentionRow]) -> list[MentionRow]:
    """In an interview transcript, the label that opens each turn ("((WN)) Why did you ...",
    "Q: ...", "SMITH: ...") is layout, not a mention: a reader does not count it. A label is
    taken for one when it opens at least :data:`SPEAKER_LABEL_MIN` paragraphs; mentions inside
    it stay in the mentions table but are not counted (``counted`` False)."""
    spans: dict[int, tuple[int, int]] = {}
    seen: Counter = Counter()
    for paragraph, text in texts.items():
        match = _SPEAKER_LABEL.match(text)
        if match:
            group = "inside" if match.group("inside") else "caps"
            spans[paragraph] = match.span(group)
            seen[match.group(group)] += 1
    labels = {label for label, count in seen.items() if count >= SPEAKER_LABEL_MIN}
    if not labels:
        return rows
    out = []
    for row in rows:
        span = spans.get(row.paragraph)
        inside = span is not None and span[0] <= row.start and row.end <= span[1]
        if inside and texts[row.paragraph][span[0] : span[1]] in labels:
            row = row._replace(counted=False)
        out.append(row)
    return out


def is_capitals(text: str) -> bool:
    """True when a text is written in capitals (most of at least eight cased letters)."""
    cased = [char for char in text if char.isupper() or char.islower()]
    return len(cased) >= 8 and sum(char.isupper() for char in cased) >= 0.8 * len(cased)


def _name_forms(rows: Iterable[MentionRow]) -> dict[str, tuple[str, str, bool]]:
    """Name as written (and canonical name) -> (label, entity, counted), for names looked up
    elsewhere; counted when any of its mentions is."""
    forms: dict[str, tuple[str, str, bool]] = {}
    for row in rows:
        if row.label in NAME_LABELS:
            for form in (row.text, row.entity):
                label, entity, counted = forms.setdefault(form, (row.label, row.entity, False))
                forms[form] = (label, entity, counted or row.counted)
    return forms


def _lookup(index: int, text: str, forms: dict[str, tuple[str, str, bool]], *, caseless: bool,
            span: tuple[int, int] | None = None) -> list[MentionRow]:  # fmt: skip
    """Mentions of known names in ``text`` (within ``span``), longest names first. Looked up
    without case, a name in capitals that could be a common word ("US" and "us") is left out."""
    start_at, end_at = span or (0, len(text))
    taken: list[tuple[int, int]] = []
    rows = []
    for form in sorted(forms, key=lambda f: (-len(f), f)):
        if caseless and (is_acronym(form) or len(form) < 3):
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(form)}(?!\w)", re.IGNORECASE if caseless else 0)
        for match in pattern.finditer(text, start_at, end_at):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):
                continue
            taken.append((start, end))
            rows.append(MentionRow(index, start, end, match.group(), *forms[form]))
    return rows


def headline_rows(headline, body_rows: list[MentionRow], *, caseless: bool = False
                   ) -> list[MentionRow]:  # fmt: skip
    """Mentions of names the body recognises, found in a title-case headline (without case
    when the headline is in capitals)."""
    return _lookup(headline.index, headline.text, _name_forms(body_rows), caseless=caseless)


def _without(rows: list[MentionRow], index: int, start: int, end: int, text: str
             ) -> list[MentionRow]:  # fmt: skip
    """Rows with the characters ``start:end`` of paragraph ``index`` cut out of any mention
    overlapping them; what is left of a mention on either side stays a mention."""
    kept = []
    for row in rows:
        if row.paragraph != index or row.end <= start or end <= row.start:
            kept.append(row)
            continue
        for a, b in ((row.start, start), (end, row.end)):
            piece = text[a:b] if a < b else ""
            left = len(piece) - len(piece.lstrip(" \t\n,-–—("))
            piece = piece.strip(" \t\n,-–—()")
            if any(char.isalpha() for char in piece):
                kept.append(MentionRow(index, a + left, a + left + len(piece), piece, row.label,
                                       canonical(piece), row.counted))  # fmt: skip
    return kept


#: A dateline at the start of a line: "LONDON (Reuters) -", "PARIS, May 3 --",
#: "PORTLAND, Ore. (AP) —"; a place in title case only with a news agency in brackets.
_DATELINE = re.compile(
    r"^[ \t]*(?:(?P<caps>[A-Z][A-Z.'’-]+(?:[ \t]+[A-Z][A-Z.'’-]+)*)"
    r"|(?P<title>[A-Z][\w.'’-]+(?:[ \t]+[A-Z][\w.'’-]+){0,3})(?=[^\n]*?\())"
    r"(?:,[ \t]+[A-Z][A-Za-z.]+(?:[ \t]+[A-Z][A-Za-z.]+)?)?"
    r"(?:,[ \t]+[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2})?[ \t]*"
    r"(?:\((?P<agency>[A-Z][^()\n]{1,40})\)[ \t]*)?(?:--?|–|—)[ \t]",
    re.MULTILINE,
)


def _recased(text: str) -> str:
    return " ".join(word[:1] + word[1:].lower() if word.isupper() else word
                    for word in text.split())  # fmt: skip


def datelines(texts: dict[int, str], rows: list[MentionRow], headline) -> list[MentionRow]:
    """The place of a dateline is a place (GPE), never glued to a byline or to the agency."""
    forms = {form.casefold(): value for form, value in _name_forms(rows).items()
             if not form.isupper()}  # fmt: skip
    for index, text in texts.items():
        if headline is not None and index == headline.index:
            continue
        for match in _DATELINE.finditer(text):
            if match.group("title") and not match.group("agency"):
                continue
            group = "caps" if match.group("caps") else "title"
            start, end = match.span(group)
            place = text[start:end].rstrip(".")
            end = start + len(place)
            rows = _without(rows, index, start, end, text)
            entity = forms.get(place.casefold(), ("GPE", _recased(place)))[1]
            rows.append(MentionRow(index, start, end, place, "GPE", entity))
            if match.group("agency"):
                a, b = match.span("agency")
                if not any(r.paragraph == index and r.start < b and a < r.end for r in rows):
                    agency = text[a:b]
                    rows.append(MentionRow(index, a, b, agency, "ORG", canonical(agency)))
    return rows


#: Two or more words in capitals (at least seven letters in all), as in a kicker or a
#: shouted line; "US FDA" (two acronyms) is too short to count.
_CAPITAL_RUN = re.compile(r"(?<![\w])[A-Z][A-Z'’.&-]*(?:[ \t]+[A-Z][A-Z'’.&-]*)+(?![\w])")


def capital_runs(texts: dict[int, str], rows: list[MentionRow], headline) -> list[MentionRow]:
    """In a run of words in capitals spaCy's own entities are guesses: the names the rest of
    the article recognises are looked up in it without case instead (offsets unchanged)."""
    runs = []
    for index, text in texts.items():
        if headline is not None and index == headline.index:
            continue
        for match in _CAPITAL_RUN.finditer(text):
            if sum(char.isalpha() for char in match.group()) >= 7:
                runs.append((index, *match.span()))
    if not runs:
        return rows

    def inside(row):
        return any(row.paragraph == i and a <= row.start and row.end <= b for i, a, b in runs)

    outside = [row for row in rows if not inside(row)]
    forms = _name_forms(outside)
    found = []
    for index, a, b in runs:
        for row in _lookup(index, texts[index], forms, caseless=True, span=(a, b)):
            if not any(r.paragraph == index and r.start < row.end and row.start < r.end
                       for r in outside):  # fmt: skip
                found.append(row)
    kept = [row for row in rows if not inside(row)
            or not any(f.paragraph == row.paragraph and f.start < row.end and row.start < f.end
                       for f in found)]  # fmt: skip
    return kept + found


#: "(WHO)" right after a name defines an acronym for it.
_ACRONYM_DEFINITION = re.compile(
    r"[ \t]*\((?:the[ \t]+)?([A-Z][A-Za-z&]*[A-Z]s?|(?:[A-Z]\.){2,})\)"
)


def _abbreviates(acronym: str, name: str) -> bool:
    """True when the capitals of ``acronym`` are, in order, capitals of ``name`` starting with
    its first ("WHO" and "World Health Organization")."""
    letters = [char for char in acronym if char.isupper()]
    capitals = iter(char for char in name if char.isupper())
    return (
        bool(letters) and name[:1] == letters[0] and all(letter in capitals for letter in letters)
    )


def acronyms(texts: dict[int, str], rows: list[MentionRow]) -> list[MentionRow]:
    """An acronym defined in the text ("the World Health Organization (WHO)") is a mention of
    that name wherever it stands alone, spaCy's own label for it set aside."""
    defined: dict[str, tuple[str, str]] = {}
    for row in rows:
        if row.label not in NAME_LABELS or len(row.text.split()) < 2:
            continue
        match = _ACRONYM_DEFINITION.match(texts[row.paragraph], row.end)
        if match and _abbreviates(match.group(1), row.text):
            defined.setdefault(match.group(1), (row.label, row.entity))
    if not defined:
        return rows
    pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, defined)) + r")(?![\w])")
    for index, text in texts.items():
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(r.paragraph == index and r.start <= start and end <= r.end
                   and (r.start, r.end) != (start, end) for r in rows):  # fmt: skip
                continue  # part of a longer name
            rows = [r for r in rows
                    if not (r.paragraph == index and r.start < end and start < r.end)]  # fmt: skip
            label, entity = defined[match.group()]
            rows.append(MentionRow(index, start, end, match.group(), label, entity))
    return rows
