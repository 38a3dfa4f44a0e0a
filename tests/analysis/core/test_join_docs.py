"""The article's doc, joined from its segments' docs."""

from spacy.tokens import Doc

from analysis.core.article import Segment
from analysis.core.entities.document import SEPARATOR, join_docs, segment_texts
from analysis.core.nlp import disabled_for

TEXTS = [
    "Apple's chief executive met the USS Enterprise crew in Cairo.",
    "",
    "Tim  Cook said:\n“We are proud.” Boeing 737 jets flew at 7:38 pm EDT.",
    "Reporters in Gaza City asked Mr. Cook again.",
]


def _segments():
    return [Segment(n, "headline" if n == 0 else "body", text) for n, text in enumerate(TEXTS)]


def _view(doc):
    return (
        doc.text,
        [(t.idx, t.whitespace_) for t in doc],
        doc.to_array(list(Doc._get_array_attrs())).tolist(),
        [(e.start, e.end, e.label_) for e in doc.ents],
        {
            key: [(s.start, s.end, s.label_, s.id_) for s in group]
            for key, group in doc.spans.items()
        },
        [(s.start, s.end) for s in doc.sents],
    )


def test_join_docs_is_spacys_from_docs_without_vectors(nlp):
    segments = _segments()
    docs = list(nlp.pipe(TEXTS, disable=disabled_for(nlp)))
    parts = []
    for k, doc in enumerate(docs):
        if k:
            parts.append(Doc(nlp.vocab, words=[SEPARATOR], spaces=[False], sent_starts=[True]))
        parts.append(doc)
    expected = Doc.from_docs(parts, ensure_whitespace=False, exclude=["tensor"])
    joined = join_docs(segments, docs)
    assert _view(joined) == _view(expected)
    assert [(s.index, s.start, s.end) for s in joined._.segments] == [
        (0, 0, 61),
        (1, 63, 63),
        (2, 65, 133),
        (3, 135, 179),
    ]
    assert {s.id_ for s in joined.spans["newslens"]} >= {"acting", "vehicle", "model"}


def test_segment_texts_read_from_the_joined_doc_are_the_segments(nlp):
    docs = list(nlp.pipe(TEXTS, disable=disabled_for(nlp)))
    joined = join_docs(_segments(), docs)
    assert segment_texts(joined, joined._.segments) == dict(enumerate(TEXTS))
    joined._.segment_texts = None  # as for a doc from anywhere else: read from its text
    assert segment_texts(joined, joined._.segments) == dict(enumerate(TEXTS))
