"""Rules that read the pattern matches (:mod:`analysis.core.entities.patterns`) and the way a
name is written: what is not a name at all, names a cue announces, codes, places of the
gazetteer, organisations.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence

from analysis.core.entities.context import full_name_words
from analysis.core.entities.lexicon import ORGANISATIONS
from analysis.core.entities.patterns import Match
from analysis.core.entities.tables import NAME_LABELS, canonical, label_class
from analysis.core.schema import MentionRow

Matches = dict[int, list[Match]]

#: Labels a code of letters and digits never has.
_NOT_FOR_CODES = ("GPE", "LOC", "PERSON", "NORP")
#: Labels a name announced by a cue ("the space shuttle ...", "Flight 370") replaces.
_CUE_REPLACES = (*_NOT_FOR_CODES, "ORG", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW")
#: Cue kinds that name something whether or not spaCy found it.
_ANNOUNCING = ("road", "vehicle", "mission", "flight", "bill")


def _overlapping(rows: Sequence[MentionRow], paragraph: int, start: int, end: int) -> list[int]:
    return [
        k
        for k, row in enumerate(rows)
        if row.paragraph == paragraph and row.start < end and start < row.end
    ]


def _of_kind(matches: Matches, *kinds: str) -> list[Match]:
    return [m for found in matches.values() for m in found if m.kind in kinds]


def _latin_share(text: str) -> float:
    """The share of the letters of ``text`` in Latin script (1.0 for none)."""
    if text.isascii():
        return 1.0
    ascii_letters = len(_NOT_ASCII_LETTER.sub("", text))
    others = [char for char in _ASCII.sub("", text) if char.isalpha()]
    if not ascii_letters and not others:
        return 1.0
    latin = sum(unicodedata.name(char, "").startswith("LATIN") for char in others)
    return (ascii_letters + latin) / (ascii_letters + len(others))


_ASCII = re.compile(r"[\x00-\x7f]+")
_NOT_ASCII_LETTER = re.compile(r"[^A-Za-z]+")


def not_names(texts: dict[int, str], rows: list[MentionRow], matches: Matches) -> list[MentionRow]:
    """Rows without what is not a name: a disease (its match covers the name but for words
    in lower case: "the COVID-19 pandemic"), a time zone after a clock time ("7:38 pm IST"), a
    hashtag or an @handle. A name written in another script inside an article in Latin script
    (a gloss, a quotation in the original language) stays shown but is not counted."""
    drop = _of_kind(matches, "disease", "time_zone")
    latin = _latin_share("".join(texts.values())) >= 0.8
    out = []
    for row in rows:
        if row.label not in NAME_LABELS:
            out.append(row)
            continue
        before = texts[row.paragraph][row.start - 1 : row.start] if row.start else ""
        if row.text[:1] in ("#", "@") or before in ("#", "@"):
            continue
        core = _without_trailing_lower(row.text)
        if any(
            m.paragraph == row.paragraph
            and m.start <= row.start
            and row.start + len(core) <= m.end
            and (m.kind == "disease" or core.isupper())
            for m in drop
        ):
            continue
        if latin and _latin_share(row.text) < 0.5:
            row = row._replace(counted=False)
        out.append(row)
    return out


def _without_trailing_lower(text: str) -> str:
    """``text`` without the words in lower case at its end ("COVID-19 pandemic" -> "COVID-19")."""
    words = text.split()
    while len(words) > 1 and words[-1].islower():
        words.pop()
    return text[: text.index(words[-1]) + len(words[-1])] if words else text


def known_places(rows: list[MentionRow], places: frozenset[str]) -> list[MentionRow]:
    """A name of the gazetteer (``places``: countries and cities) labelled as something else is
    a place (GPE), unless it is a word of a longer person's name of the article ("Paris" of
    "Maria Paris")."""
    people = full_name_words(rows)
    return [
        row._replace(label="GPE")
        if row.entity in places
        and row.label in NAME_LABELS
        and label_class(row.label) != "GPE"
        and row.entity not in people
        else row
        for row in rows
    ]


def announced(texts: dict[int, str], rows: list[MentionRow], matches: Matches) -> list[MentionRow]:
    """Names a cue announces take the cue's label: road numbers (FAC), vehicles and craft
    ("the space shuttle Columbia", "HMS Victory", "the Curiosity rover": PRODUCT), mission,
    flight and bill numbers (EVENT, EVENT, LAW) and a maker's model ("Boeing 737": PRODUCT).
    spaCy's mentions inside the name give way to it, and the name is added when spaCy missed
    it; a mention reaching beyond it is a longer name and is left alone ("Route 66 Diner").
    A vehicle's name that opens with a listed company is that company and the craft ("SpaceX
    Crew Dragon")."""
    out = list(rows)
    cues = sorted(
        _of_kind(matches, *_ANNOUNCING, "model"), key=lambda m: (m.paragraph, m.start, -m.end)
    )
    for m in cues:
        start, end = m.name_start, m.name_end
        hit = _overlapping(out, m.paragraph, start, end)
        if any(out[k].start < start or out[k].end > end for k in hit):
            continue
        if any(out[k].label not in _CUE_REPLACES for k in hit):
            continue
        if not hit and m.kind not in _ANNOUNCING:
            continue
        text = texts[m.paragraph][start:end]
        added = [MentionRow(m.paragraph, start, end, text, m.label, canonical(text))]
        first = text.split()[0]
        if m.kind == "vehicle" and first in ORGANISATIONS and len(text.split()) > 1:
            rest = start + len(first) + len(text[len(first) :]) - len(text[len(first) :].lstrip())
            added = [
                MentionRow(m.paragraph, start, start + len(first), first, "ORG", first),
                MentionRow(m.paragraph, rest, end, text[rest - start :], m.label,
                           canonical(text[rest - start :])),
            ]  # fmt: skip
        out = [row for k, row in enumerate(out) if k not in hit] + added
    return out


def codes(rows: list[MentionRow], matches: Matches) -> list[MentionRow]:
    """A code of letters and digits ("STS-1", "MH17", "F-35") is never a place or a person:
    taken for one, it is a product."""
    found = {(m.paragraph, m.start, m.end) for m in _of_kind(matches, "code")}
    return [
        row._replace(label="PRODUCT")
        if (row.paragraph, row.start, row.end) in found and row.label in _NOT_FOR_CODES
        else row
        for row in rows
    ]


def organisations(rows: list[MentionRow], matches: Matches) -> list[MentionRow]:
    """Organisations by what they are or do: a platform or company of the list taken for a
    person, a people, a product or a work is an organisation; taken for a place, it is one
    where it acts ("Amazon announced") or has officers or shares ("Twitter's chief
    executive"), as is any name with such a cue. A name in one word that spaCy took for a
    person but is written as brands are, with a capital inside ("UpGuard", "SpaceX", not
    "McCain") or in capitals ("ALDI"), is an organisation when no person of the article has
    it as a name."""
    listed = {(m.paragraph, m.name_start, m.name_end) for m in _of_kind(matches, "organisation")}
    # A cue stands right after the name: "Twitter's chief executive", "Amazon announced".
    cued = {(m.paragraph, m.start): m.kind for m in _of_kind(matches, "organisation_cue", "acting")}
    votes: dict[str, Counter] = defaultdict(Counter)
    people = full_name_words(rows)
    for row in rows:
        if row.label not in NAME_LABELS:
            continue
        key = (row.paragraph, row.start, row.end)
        kind = cued.get((row.paragraph, row.end)) or cued.get((row.paragraph, row.end + 1))
        is_listed = key in listed or row.entity in ORGANISATIONS
        if kind == "organisation_cue" or (kind == "acting" and is_listed):
            votes[row.entity]["cue"] += 1
        elif is_listed and row.label in ("PERSON", "NORP", "PRODUCT", "WORK_OF_ART"):
            votes[row.entity]["listed"] += 1
        elif row.label == "PERSON" and _brand_like(row.text) and row.entity not in people:
            votes[row.entity]["brand"] += 1
    chosen = set(votes)
    return [
        row._replace(label="ORG")
        if row.entity in chosen and row.label in NAME_LABELS and row.label != "ORG"
        else row
        for row in rows
    ]


#: Name prefixes that put a capital inside a person's name ("McCain", "DeSantis", "O'Neill").
_NAME_PREFIXES = ("Mc", "Mac", "De", "Di", "Da", "Du", "Le", "La", "Van", "Von", "Fitz", "O'",
                  "O’", "D'", "D’", "St")  # fmt: skip


def _brand_like(text: str) -> bool:
    """True for one word written as brands are: a capital after a small letter ("UpGuard"),
    or at least three letters all in capitals ("ALDI"), not a person's name prefix."""
    if " " in text or not text[:1].isupper():
        return False
    letters = [char for char in text if char.isalpha()]
    if len(letters) >= 3 and all(char.isupper() for char in letters):
        return True
    inner = any(a.islower() and b.isupper() for a, b in zip(text, text[1:], strict=False))
    return inner and not text.startswith(_NAME_PREFIXES)
