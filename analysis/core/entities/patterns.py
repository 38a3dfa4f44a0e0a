"""The spaCy ``SpanRuler`` patterns of the entity rules, and the matches they give.

The patterns come from the data files (:mod:`analysis.core.entities.lexicon`): the hand-written
token patterns of ``data/patterns.jsonl`` (road numbers, vehicles and craft after a cue,
mission, flight, bill and model codes, what only an organisation has, an organisation that
acts, time zones) and phrase patterns made from the word lists (platforms and companies,
diseases). The gazetteer of places (:func:`analysis.core.entities.lexicon.gazetteer`) is looked
up by a name's own words instead: its 6,000 names as phrase patterns would cost the pipeline's
load half a second for the same result. Phrases are matched without case; a pattern's ``id`` says
which rule reads the match (:data:`KINDS`).

A match may hold cue words around the name: the name is the match without its leading and
trailing words in lower case and punctuation ("the space shuttle Columbia" names
"Columbia"; "Amazon announced" names "Amazon"), see :func:`name_bounds`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from analysis.core.entities.document import Locator
from analysis.core.entities.lexicon import DISEASES, ORGANISATIONS, span_patterns

#: What each pattern id stands for.
KINDS = {
    "road": "a road's number: a facility (FAC), found if spaCy missed it",
    "vehicle": "a vehicle or craft named after a cue: a product, never a person or a place",
    "mission": "a space mission's code: an event",
    "flight": "a flight's number: an event",
    "bill": "a bill's or resolution's number: a law",
    "model": "a maker's name and a model number: a product",
    "code": "letters and digits: never a place or a person",
    "organisation": "a platform or company of the list",
    "organisation_cue": "what only an organisation has: its chief executive, its shares",
    "acting": "a name that acts: an organisation of the list that does is one",
    "disease": "a disease: not a name NewsLens counts",
    "time_zone": "a time zone after a clock time: not a name",
}


def entity_patterns() -> list[dict]:
    """Every ``SpanRuler`` pattern of the rules, from the data files."""
    phrases = [
        {"label": "ORG", "pattern": name, "id": "organisation"} for name in sorted(ORGANISATIONS)
    ] + [{"label": "DISEASE", "pattern": name, "id": "disease"} for name in sorted(DISEASES)]
    return span_patterns() + phrases


class Match(NamedTuple):
    """One pattern match, in a paragraph's offsets."""

    paragraph: int
    start: int  #: offsets of the whole match
    end: int
    name_start: int  #: offsets of the name in it (:func:`name_bounds`)
    name_end: int
    label: str  #: the label the pattern gives
    kind: str  #: the pattern's id (:data:`KINDS`)
    text: str  #: the name as written


def name_bounds(span) -> tuple[int, int]:
    """Token offsets (in the doc) of the name in a match: the match without its leading and
    trailing lower-case words, articles (a sentence may open with one), possessive endings and
    punctuation."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and _cue_word(doc[start]):
        start += 1
    while end > start and _cue_word(doc[end - 1]):
        end -= 1
    return (start, end) if end > start else (span.start, span.end)


def _cue_word(token) -> bool:
    return token.is_punct or token.is_lower or token.lower_ in ("'s", "’s", "the", "a", "an")


def matches_by_paragraph(doc, segments: Sequence, spans_key: str) -> dict[int, list[Match]]:
    """The matches stored in ``doc.spans[spans_key]``, per paragraph, in text order (longest
    first at one start)."""
    found: dict[int, list[Match]] = {segment.index: [] for segment in segments}
    if spans_key not in doc.spans:
        return found
    locate = Locator(segments)
    for span in doc.spans[spans_key]:
        owner = locate.at(span.start_char)
        if owner is None:
            continue
        offset, index = owner.start, owner.index
        a, b = name_bounds(span)
        name = doc[a:b]
        found[index].append(
            Match(
                index,
                span.start_char - offset,
                span.end_char - offset,
                name.start_char - offset,
                name.end_char - offset,
                span.label_,
                span.id_,
                name.text,
            )
        )
    for matches in found.values():
        matches.sort(key=lambda m: (m.start, -m.end))
    return found
