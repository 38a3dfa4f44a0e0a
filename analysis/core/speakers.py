"""Who a quotation's speaker is: a name resolved to its entity, a pronoun resolved to a person,
or a description kept as written and linked to the entity it names (see
:mod:`analysis.core.quotes`)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from analysis.core.quote_marks import Span

#: Entity types a speaker can be, in order of preference.
SPEAKER_LABELS = {"PERSON": 0, "ORG": 1, "GPE": 2, "FAC": 3}
#: Pronouns resolved to the person named before them.
RESOLVED_PRONOUNS = {"he", "she"}
#: Personal pronouns (a speaker, never a description).
PRONOUNS = {"he", "she", "it", "they", "we", "i", "you"}


def inside(offset: int, spans: Sequence[Span]) -> bool:
    """True when ``offset`` falls inside one of the quotation ``spans``."""
    return any(span.open < offset < span.close for span in spans)


#: Nouns for what a person or an organisation issues, which a quotation may be credited to:
#: "Cornyn's statement said" quotes Cornyn.
_DOCUMENT_NOUNS = frozenset({
    "statement", "letter", "tweet", "post", "message", "report", "release", "website",
    "account", "blog", "email", "e-mail", "note", "speech", "remarks", "filing", "complaint",
    "lawsuit", "notice", "decree", "memo", "ad", "advert", "video", "column", "op-ed", "book",
    "autobiography", "memoir", "interview", "announcement", "press", "petition", "order",
})  # fmt: skip
#: Words for a time, never a speaker ("Monday said" is a misread sentence).
_CALENDAR_WORDS = frozenset({
    "day", "days", "week", "weeks", "month", "months", "year", "years", "today", "tomorrow",
    "yesterday", "morning", "afternoon", "evening", "night", "tonight", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december",
})  # fmt: skip
#: Words that end a speaker's head: what follows qualifies it ("a spokesperson for YouTube").
_HEAD_ENDS = re.compile(r"\s+(?:of|for|at|from|in|to|with|on)\s+")
#: Endings of a name that are no surname ("Robert Downey Jr.").
_NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


class Names:
    """The article's mentions as the speaker rules read them."""

    def __init__(self, mentions: Sequence, spans_of: dict[int, Sequence[Span]]) -> None:
        self.by_paragraph: dict[int, list[Sequence]] = defaultdict(list)
        for row in mentions:
            self.by_paragraph[int(row[0])].append(row)
        self.people = sorted(
            (int(row[0]), int(row[1]), str(row[5]))
            for row in mentions
            if row[4] == "PERSON" and not inside(int(row[1]), spans_of.get(int(row[0]), ()))
        )
        owners: dict[str, set[str]] = defaultdict(set)
        for row in mentions:
            if row[4] == "PERSON" and len(str(row[5]).split()) > 1:
                words = [w for w in str(row[5]).split() if w.lower() not in _NAME_SUFFIXES]
                owners[words[-1]].add(str(row[5]))
        self.surnames = {name: full.pop() for name, full in owners.items() if len(full) == 1}

    def inside(self, paragraph: int, start: int, end: int) -> list[Sequence]:
        return [
            row
            for row in self.by_paragraph.get(paragraph, ())
            if int(row[1]) < end and int(row[2]) > start and row[4] in SPEAKER_LABELS
        ]

    def person_before(self, paragraph: int, start: int) -> str | None:
        before = [p for p in self.people if (p[0], p[1]) < (paragraph, start)]
        return before[-1][2] if before else None


def resolve_speaker(
    paragraph: int, s: int, e: int, text: str, names: Names
) -> tuple[str, int, int, str | None] | None:
    """Who a speaker phrase (``text[s:e]``) is: ``(as written, start, end, entity)``, or None
    when it cannot be a speaker (a hashtag or handle, a word for a time).

    A named speaker is the name as written ("Lin" for "Foreign Ministry spokesperson Lin",
    "Cornyn" for "Cornyn's statement") with its entity; a pronoun ("he", "she") is itself,
    with the person named last before it; a description is kept as written ("a spokesperson
    for YouTube") with the entity it names, if any. A phrase naming an organisation right
    beside a person ("Ann Lee, the head of Acme, said") is the person; a bare surname is the
    one person of the article with it.
    """
    phrase = text[s:e]
    if phrase.lower() in RESOLVED_PRONOUNS:
        return phrase, s, e, names.person_before(paragraph, s)
    if phrase[:1] in ("#", "@"):
        return None
    document = re.match(r"(.+?)['’]s\s+(?:[\w-]+\s+){0,2}([\w-]+)$", phrase)
    if document and document.group(2).lower() in _DOCUMENT_NOUNS:
        owner = names.inside(paragraph, s, s + len(document.group(1)))
        if owner:
            return _named(min(owner, key=_preference))
    inside = names.inside(paragraph, s, e)
    head = _HEAD_ENDS.split(phrase, maxsplit=1)[0]
    head_end = s + len(head)
    chosen = min(inside, key=_preference) if inside else None
    if chosen is not None and chosen[4] != "PERSON":
        person = _beside(paragraph, s, e, text, names)
        if person is not None:
            return _named(person)
    if chosen is not None:
        if int(chosen[1]) < head_end <= int(chosen[2]):
            return _named(chosen)  # the name is the phrase's head
        return phrase, s, e, str(chosen[5])
    person = _beside(paragraph, s, e, text, names)
    if person is not None:
        return _named(person)
    if phrase in names.surnames:
        return phrase, s, e, names.surnames[phrase]
    words = phrase.lower().split()
    if words and words[-1] in _CALENDAR_WORDS:
        return None
    return phrase, s, e, None


def _preference(row: Sequence) -> tuple[int, int]:
    # a person first, then an organisation, place, facility; among equals the last (the head)
    return (SPEAKER_LABELS[row[4]], -int(row[1]))


def _named(row: Sequence) -> tuple[str, int, int, str]:
    return str(row[3]), int(row[1]), int(row[2]), str(row[5])


_BEFORE_APPOSITION = re.compile(r",\s*(?:also\s+|now\s+)?")
_AFTER_APPOSITION = re.compile(r"\s*,(?:[^.!?;:\"“”]{0,80},)?\s*")
_CLAUSE_END = re.compile(r"\s*(?:[.,;!?]|$)")


def _beside(paragraph: int, s: int, e: int, text: str, names: Names) -> Sequence | None:
    """A person named in apposition right beside the phrase ``text[s:e]``: before it ("Ann
    Lee, the head of Acme,") or after it up to the sentence's end ("said Acme's chancellor,
    Ann Lee.")."""
    for row in names.by_paragraph.get(paragraph, ()):
        if row[4] != "PERSON":
            continue
        a, b = int(row[1]), int(row[2])
        if s - 12 <= b <= s and _BEFORE_APPOSITION.fullmatch(text, b, s):
            return row
        if (
            e <= a <= e + 90
            and _AFTER_APPOSITION.fullmatch(text, e, a)
            and _CLAUSE_END.match(text, b) is not None
        ):
            return row
    return None


#: Words that open a description of a speaker, not a name ("the ministry", "one of them").
_DESCRIPTION_OPENERS = frozenset({
    "the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this", "that",
    "these", "those", "one", "some", "several", "many", "two", "three", "another", "other",
})  # fmt: skip
#: Words in lower case inside a person's name ("Charles de Gaulle", "Ludwig van Beethoven").
_NAME_PARTICLES = frozenset({
    "de", "da", "del", "della", "der", "den", "van", "von", "bin", "ibn", "al", "el", "la",
    "le", "di", "du", "dos", "das", "y",
})  # fmt: skip


def is_description(speaker: str | None) -> bool:
    """True when a speaker as written describes someone rather than naming them ("a
    spokesperson for YouTube", "the ministry", "Day's animal foundation"): it opens with an
    article or a possessive word, or has a word in lower case other than a name's particle or
    a possessive before the last word. Pronouns are not descriptions."""
    if not speaker or speaker.lower() in PRONOUNS:
        return False
    words = speaker.split()
    if words[0].lower() in _DESCRIPTION_OPENERS:
        return True
    return any(word[:1].islower() and word not in _NAME_PARTICLES for word in words) or any(
        word.endswith(("'s", "’s")) for word in words[:-1]
    )


def shown_speaker(speaker: str | None, entity: str | None) -> str | None:
    """The name a quotation is credited to: a description as written (its entity is a link),
    else the entity, else the speaker as written; None when unattributed."""
    if speaker is None:
        return None
    if entity is None or is_description(speaker):
        return speaker
    return entity
