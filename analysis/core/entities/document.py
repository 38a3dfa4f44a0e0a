"""The article as one spaCy ``Doc``, and its entities as rows.

spaCy reads an article one segment (headline, paragraph) at a time, in batches; the rules that
decide about a name across the whole article then run on one ``Doc`` of the whole article
(:func:`join_docs`: the segments' docs joined by a blank line, each segment's place recorded in
``doc._.segments``). They set ``doc.ents`` and, on each entity span, ``span._.canonical`` (the
entity it names) and ``span._.counted``; :func:`mentions_from_doc` reads the mention rows back
from the doc, so that the rows and the doc (what displaCy shows) are one truth.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from analysis.core.entities.tables import canonical
from analysis.core.schema import MentionRow

#: What stands between two segments in the article's doc.
SEPARATOR = "\n\n"


class SegmentSpan(NamedTuple):
    """Where one analysed segment stands in the article's doc."""

    index: int  #: paragraph number (0 headline, 1..n body, removed lines after)
    kind: str  #: "headline", "body" or "removed"
    start: int  #: character offsets in ``doc.text``
    end: int


def register_extensions() -> None:
    """Declare the custom attributes NewsLens sets (idempotent): ``Doc._.segments`` (a tuple
    of :class:`SegmentSpan`), ``Doc._.segment_texts`` (paragraph number -> text),
    ``Span._.canonical`` (the entity's name, as counted) and
    ``Span._.counted`` (False for a mention shown but not counted)."""
    from spacy.tokens import Doc, Span

    if not Doc.has_extension("segments"):
        Doc.set_extension("segments", default=None)
    if not Doc.has_extension("segment_texts"):
        Doc.set_extension("segment_texts", default=None)
    if not Span.has_extension("canonical"):
        Span.set_extension("canonical", default=None)
    if not Span.has_extension("counted"):
        Span.set_extension("counted", default=True)


def join_docs(segments: Sequence, docs: Sequence):
    """One ``Doc`` of the whole article from one doc per segment.

    Args:
        segments: the analysed segments (``index``, ``kind``, ``text``: the doc's text), in
            order.
        docs: one spaCy ``Doc`` per segment (same vocabulary), same order.

    Returns:
        A ``Doc`` whose text is the segments' texts joined by :data:`SEPARATOR` (a token of its
        own, starting a sentence), with every annotation of ``docs`` (entities, sentence
        starts, tags, lemmas, span groups) and ``doc._.segments`` and ``doc._.segment_texts``
        set; ``None`` for no segments. (What ``Doc.from_docs`` gives without the token vectors,
        built from the segments' texts and the docs' arrays rather than token by token.)
    """
    import numpy
    from spacy.attrs import ORTH, SPACY
    from spacy.tokens import Doc, Span

    register_extensions()
    if not docs:
        return None
    vocab = docs[0].vocab
    strings = vocab.strings
    attrs = _array_attrs()
    spacy_column = attrs.index(SPACY)
    words: list[str] = []
    spaces: list[bool] = []
    arrays = []
    spans: list[tuple] = []
    placed = []
    separator = None
    offset = tokens = 0
    for k, (segment, doc) in enumerate(zip(segments, docs, strict=True)):
        if k:
            if separator is None:
                separator = Doc(vocab, words=[SEPARATOR], spaces=[False], sent_starts=[True])
                separator = separator.to_array(attrs)
            words.append(SEPARATOR)
            spaces.append(False)
            arrays.append(separator)
            offset += len(SEPARATOR)
            tokens += 1
        text = segment.text
        if len(doc):
            array = doc.to_array(attrs)
            arrays.append(array)
            words.extend([strings[orth] for orth in doc.to_array(ORTH).tolist()])
            spaces.extend(value == 1 for value in array[:, spacy_column].tolist())
        for key in doc.spans:
            spans.extend(
                (key, s.start + tokens, s.end + tokens, s.label, s.kb_id, s.id)
                for s in doc.spans[key]
            )
        placed.append(SegmentSpan(segment.index, segment.kind, offset, offset + len(text)))
        offset += len(text)
        tokens += len(doc)
    joined = Doc(vocab, words=words, spaces=spaces)
    if arrays:
        joined.from_array(attrs, numpy.concatenate(arrays))
    for doc in docs:
        for key in doc.spans:
            joined.spans[key] = []
    for key, start, end, label, kb_id, span_id in spans:
        joined.spans[key].append(
            Span(joined, start, end, label=label, kb_id=kb_id, span_id=span_id)
        )
    joined._.segments = tuple(placed)
    joined._.segment_texts = {segment.index: segment.text for segment in segments}
    return joined


def _array_attrs() -> list[int]:
    """The token attributes ``Doc.from_docs`` copies (every array attribute and spaces)."""
    from spacy.attrs import SPACY
    from spacy.tokens import Doc

    attrs = list(Doc._get_array_attrs())
    return attrs if SPACY in attrs else [*attrs, SPACY]


def segments_of(doc) -> tuple[SegmentSpan, ...]:
    """The segments of ``doc``: ``doc._.segments`` when set (:func:`join_docs`), else the
    text's paragraphs (split at blank lines), numbered from 1 as body paragraphs."""
    register_extensions()
    if doc._.segments is not None:
        return doc._.segments
    found = []
    start = None
    for token in doc:
        gap = token.is_space and token.text.count("\n") >= 2
        if gap:
            if start is not None:
                found.append((start, doc[token.i - 1].idx + len(doc[token.i - 1].text)))
            start = None
        elif start is None:
            start = token.idx
    if start is not None:
        found.append((start, len(doc.text.rstrip())))
    return tuple(SegmentSpan(k + 1, "body", a, b) for k, (a, b) in enumerate(found))


class Locator:
    """Which segment a character offset of the doc falls in."""

    def __init__(self, segments: Sequence[SegmentSpan]) -> None:
        self.segments = list(segments)
        self.starts = [segment.start for segment in self.segments]

    def at(self, offset: int) -> SegmentSpan | None:
        k = bisect_right(self.starts, offset) - 1
        if k < 0 or offset >= self.segments[k].end:
            return None
        return self.segments[k]


def set_mentions(doc, rows: Iterable[MentionRow], segments: Sequence[SegmentSpan]) -> None:
    """Make ``rows`` the doc's entities: ``doc.ents``, with ``span._.canonical`` and
    ``span._.counted``. A row whose offsets do not fall on token boundaries takes the tokens it
    touches; of rows that overlap, the first in text order (the longer at one start) stays."""
    from spacy.tokens import Span

    by_index = {segment.index: segment for segment in segments}
    spans: list[tuple[Span, MentionRow]] = []
    for row in sorted(rows, key=lambda r: (r.paragraph, r.start, -r.end)):
        segment = by_index.get(row.paragraph)
        if segment is None:
            continue
        start, end = segment.start + row.start, segment.start + row.end
        span = doc.char_span(start, end, label=row.label) or doc.char_span(
            start, end, label=row.label, alignment_mode="expand"
        )
        if span is None or (spans and span.start < spans[-1][0].end):
            continue
        spans.append((span, row))
    doc.ents = [span for span, _ in spans]
    for span, row in spans:
        span._.canonical = row.entity
        span._.counted = bool(row.counted)


def mentions_from_doc(doc) -> list[MentionRow]:
    """The mention rows of the doc's entities (``doc.ents``), with paragraph offsets.

    Returns:
        :class:`MentionRow` rows in text order; ``entity`` is ``span._.canonical`` (the text
        with single spaces when unset), ``counted`` is ``span._.counted``.
    """
    register_extensions()
    segments = segments_of(doc)
    texts = segment_texts(doc, segments)
    locate = Locator(segments)
    rows = []
    for ent in doc.ents:
        segment = locate.at(ent.start_char)
        if segment is None:
            continue
        start, end = ent.start_char - segment.start, ent.end_char - segment.start
        own = texts[segment.index]
        rows.append(
            MentionRow(
                segment.index,
                start,
                end,
                own[start:end] if end <= len(own) else ent.text,
                ent.label_,
                ent._.canonical or canonical(ent.text),
                ent._.counted,
            )
        )
    return rows


def segment_texts(doc, segments: Sequence[SegmentSpan]) -> dict[int, str]:
    """Paragraph number -> its text."""
    known = doc._.segment_texts if doc.has_extension("segment_texts") else None
    if known is not None and doc._.segments == tuple(segments):
        return dict(known)
    text = doc.text  # spaCy builds the text from the tokens on every access
    return {segment.index: text[segment.start : segment.end] for segment in segments}


def ents_by_segment(doc, segments: Sequence[SegmentSpan]) -> dict[int, list]:
    """Paragraph number -> the doc's entity spans inside it, in order."""
    locate = Locator(segments)
    found: dict[int, list] = {segment.index: [] for segment in segments}
    for ent in doc.ents:
        segment = locate.at(ent.start_char)
        if segment is not None:
            found[segment.index].append(ent)
    return found
