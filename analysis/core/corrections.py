"""A reader's corrections to the entities of an analysis, applied on read, without spaCy.

The model is sometimes wrong; a reader can say so in three ways (:class:`Correction`):

- ``merge``: a name is another entity ("Rathbun" is "Mark Rathbun"): its mentions, quotes and
  sentences count for the target, with the target's type.
- ``label``: a name has another type ("Scientology" is an ORG).
- ``ignore``: a name is no name ("Day"): its mentions, its sentences and its quotes' links go.

:func:`apply_corrections` returns a new :class:`analysis.core.pipeline.ArticleAnalysis` whose
mentions, entity counts, quotes (and so speakers) and entity sentences (and so sentiment
toward entities) follow the corrections, in order; the analysis given is not changed, so the
stored rows never are. :func:`format_corrections` and :func:`parse_corrections` write a list
of corrections as a short URL-safe text (``m:Rathbun:Mark%20Rathbun,l:Scientology:ORG,i:Day``)
for links.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import NamedTuple
from urllib.parse import quote, unquote

from analysis.core.entities import NAME_LABELS, count_entities
from analysis.core.schema import EntitySentenceRow, MentionRow, QuoteRow
from analysis.errors import ArticleError

#: The kinds of correction, each with its one-letter code in the text form.
KINDS = {"merge": "m", "label": "l", "ignore": "i"}
_CODES = {code: kind for kind, code in KINDS.items()}

#: Limits on the text form: a link holds a list of edits, not an article.
MAX_TEXT = 4000
MAX_CORRECTIONS = 100
MAX_NAME = 200


class CorrectionError(ArticleError):
    """A correction, or the text of a list of them, cannot be used; the message says why."""


class Correction(NamedTuple):
    """One correction a reader makes to the entities."""

    kind: str  #: "merge", "label" or "ignore"
    name: str  #: the entity as shown (its canonical name)
    target: str | None = None  #: merge: the entity it is; label: its type; ignore: None


def correction(kind: str, name: str, target: str | None = None) -> Correction:
    """A checked :class:`Correction`.

    Raises:
        CorrectionError: an unknown kind, an empty or over-long name, a merge into itself or
            into nothing, a label that is not a name type, an ignore with a target.
    """
    if kind not in KINDS:
        raise CorrectionError(
            f'"{kind}" is not a kind of correction; use one of: {", ".join(KINDS)}.'
        )
    name = " ".join(str(name).split())
    if not name or len(name) > MAX_NAME:
        raise CorrectionError(f"A corrected name must have 1 to {MAX_NAME} characters.")
    if kind == "merge":
        target = " ".join(str(target or "").split())
        if not target or len(target) > MAX_NAME:
            raise CorrectionError(f'Say which entity "{name}" is (1 to {MAX_NAME} characters).')
        if target == name:
            raise CorrectionError(f'"{name}" cannot be merged into itself.')
    elif kind == "label":
        if target not in NAME_LABELS:
            raise CorrectionError(
                f'"{target}" is not an entity type; use one of: {", ".join(NAME_LABELS)}.'
            )
    elif target is not None:
        raise CorrectionError(f'Ignoring "{name}" takes no target.')
    return Correction(kind, name, target)


def format_corrections(corrections: Iterable[Correction]) -> str:
    """The text form of ``corrections``: ``code:name[:target]`` items joined by commas, each
    field percent-encoded, so the text is safe in a URL and parses back to the same list.

    Returns:
        The text; empty for no corrections.
    """
    items = []
    for item in corrections:
        fields = [KINDS[item.kind], quote(item.name, safe="")]
        if item.target is not None:
            fields.append(quote(item.target, safe=""))
        items.append(":".join(fields))
    return ",".join(items)


def parse_corrections(text: str) -> tuple[Correction, ...]:
    """The corrections written by :func:`format_corrections`.

    Raises:
        CorrectionError: the text is too long, holds too many corrections, or one of them is
            not a correction (the message names it).
    """
    text = text.strip()
    if not text:
        return ()
    if len(text) > MAX_TEXT:
        raise CorrectionError(f"The corrections are longer than {MAX_TEXT:,} characters.")
    items = text.split(",")
    if len(items) > MAX_CORRECTIONS:
        raise CorrectionError(f"A link holds at most {MAX_CORRECTIONS} corrections.")
    found = []
    for number, item in enumerate(items, start=1):
        code, *fields = item.split(":")
        if code not in _CODES or not 1 <= len(fields) <= 2:
            raise CorrectionError(f"Correction {number} ({item[:40]!r}) cannot be read.")
        try:
            values = [unquote(field, errors="strict") for field in fields]
        except UnicodeDecodeError:
            raise CorrectionError(f"Correction {number} ({item[:40]!r}) cannot be read.") from None
        found.append(correction(_CODES[code], values[0], values[1] if len(values) > 1 else None))
    return tuple(found)


def corrections_for(
    names: Iterable[str], corrections: Sequence[Correction]
) -> tuple[Correction, ...]:
    """Those of ``corrections`` (a corpus's, in the order made) that bear on an article whose
    entities are ``names``: each one whose name the article has at that point of the order
    (a merge renames, an ignore removes), so that "Rathbun" into "Mark Rathbun" then "Mark
    Rathbun" of type PERSON are both kept for an article naming only "Rathbun".

    Returns:
        the corrections kept, in order.
    """
    present = set(names)
    kept = []
    for item in corrections:
        if item.name not in present:
            continue
        kept.append(item)
        if item.kind == "merge":
            present.discard(item.name)
            present.add(item.target)
        elif item.kind == "ignore":
            present.discard(item.name)
    return tuple(kept)


def apply_corrections(analysis, corrections: Sequence[Correction]):
    """``analysis`` with ``corrections`` applied in order, without running spaCy again.

    Args:
        analysis: an :class:`analysis.core.pipeline.ArticleAnalysis`.
        corrections: what the reader said, in the order they said it.

    Returns:
        A new analysis (``analysis`` itself when there is nothing to apply) whose mentions,
        entity counts, quotes and entity sentences follow the corrections.
    """
    if not corrections:
        return analysis
    mentions = list(analysis.mention_rows)
    quotes = list(analysis.quote_rows)
    sentences = list(analysis.entity_sentence_rows)
    for item in corrections:
        if item.kind == "merge":
            mentions, quotes, sentences = _merged(item, mentions, quotes, sentences)
        elif item.kind == "label":
            mentions = [
                row._replace(label=item.target) if row.entity == item.name else row
                for row in mentions
            ]
            sentences = [
                row._replace(type=item.target) if row.entity == item.name else row
                for row in sentences
            ]
        else:
            mentions = [row for row in mentions if row.entity != item.name]
            quotes = [_unlinked(row, item.name) for row in quotes]
            sentences = [row for row in sentences if row.entity != item.name]
    return dataclasses.replace(
        analysis,
        mention_rows=tuple(mentions),
        entity_rows=tuple(count_entities(mentions, types=analysis.options.entity_types)),
        quote_rows=tuple(quotes),
        entity_sentence_rows=tuple(sentences),
    )


def _merged(
    item: Correction,
    mentions: list[MentionRow],
    quotes: list[QuoteRow],
    sentences: list[EntitySentenceRow],
) -> tuple[list[MentionRow], list[QuoteRow], list[EntitySentenceRow]]:
    """One merge: the name's rows become the target's, with the target's type (the name's
    own when the target has no mention); a sentence naming both counts once, with both
    mentions."""
    label = next((row.label for row in mentions if row.entity == item.target), None)
    mentions = [
        row._replace(entity=item.target, label=label or row.label)
        if row.entity == item.name
        else row
        for row in mentions
    ]
    quotes = [
        row._replace(entity=item.target) if row.entity == item.name else row for row in quotes
    ]
    merged: dict[tuple[int, int], EntitySentenceRow] = {}
    out: list[EntitySentenceRow] = []
    for row in sentences:
        if row.entity not in (item.name, item.target):
            out.append(row)
            continue
        row = row._replace(entity=item.target, type=label or row.type)
        key = (row.paragraph, row.sentence)
        if key in merged:
            merged[key] = merged[key]._replace(mentions=merged[key].mentions + row.mentions)
        else:
            merged[key] = row
    out.extend(merged.values())
    out.sort(key=lambda row: (row.paragraph, row.sentence, row.entity, row.type))
    return mentions, quotes, out


def _unlinked(row: QuoteRow, name: str) -> QuoteRow:
    """A quote whose speaker was the ignored name: unattributed when the speaker was that name
    alone, else a speaker without the link."""
    if row.entity != name and row.speaker != name:
        return row
    if row.speaker in (name, None) or row.entity == name and row.speaker == row.entity:
        return row._replace(speaker=None, speaker_start=None, speaker_end=None, entity=None)
    return row._replace(entity=None)
