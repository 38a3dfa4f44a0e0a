"""Docs made by hand for the entity tests: the entities a model might have found, then
NewsLens's pattern component, and the mention rows read from them."""

from analysis.core.article import Segment
from analysis.core.entities import PATTERNS_COMPONENT, mention_rows, resolve_mentions


def entity_doc(blank, text, ents, *, sentence_starts=(), tags=None):
    """A Doc with the given (phrase, label) entities, as a model might have found them, and
    the pattern component's matches."""
    doc = blank.make_doc(text)
    doc.ents = [
        doc.char_span(text.index(phrase), text.index(phrase) + len(phrase), label=label)
        for phrase, label in ents
    ]
    for token in doc:
        token.is_sent_start = token.i == 0 or token.text in sentence_starts
        if tags:
            token.tag_ = tags.get(token.text, "NNP" if token.text[:1].isupper() else "")
    return blank.get_pipe(PATTERNS_COMPONENT)(doc)


def found_mentions(blank, text, ents, **kwargs):
    doc = entity_doc(blank, text, ents, **kwargs)
    rows = mention_rows([Segment(1, "body", text)], [doc])
    return [(row.text, row.label) for row in rows]


def article_rows(blank, paragraphs, ents):
    """mention rows for body paragraphs (1..n) with the given (paragraph, phrase, label)."""
    segments = [
        Segment(i, "headline" if i == 0 else "body", text) for i, text in enumerate(paragraphs)
    ]
    docs = [
        entity_doc(blank, text, [(phrase, label) for i, phrase, label in ents if i == n])
        for n, text in enumerate(paragraphs)
    ]
    return [tuple(row) for row in mention_rows(segments, docs)]


def counted(blank, text, ents):
    doc = entity_doc(blank, text, ents)
    return [(row.text, row.counted) for row in mention_rows([Segment(1, "body", text)], [doc])]


def resolved_rows(rows):
    """(text, label, entity) of :func:`resolve_mentions` over hand-made rows."""
    return [(row.text, row.label, row.entity) for row in resolve_mentions(rows)]
