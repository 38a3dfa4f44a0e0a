"""The entity rules as spaCy pipeline components, and the functions they run.

:func:`add_entity_components` (called by :func:`analysis.core.nlp.load_nlp`) adds, after
``ner``:

- ``newslens_patterns``: a spaCy ``SpanRuler`` (:func:`analysis.core.entities.ruler.pattern_ruler`)
  holding the patterns of the data files (:mod:`analysis.core.entities.patterns`); it runs on
  each segment and stores what it finds in ``doc.spans["newslens"]`` (it never sets
  ``doc.ents`` itself).
- ``newslens_entities`` (:class:`ArticleEntities`): the article-wide rules. It reads spaCy's
  entities and the pattern matches of the whole article, applies the clean-up (see
  :mod:`analysis.core.entities`) and sets ``doc.ents``, ``span._.canonical`` and
  ``span._.counted``. :func:`analysis.core.pipeline.analyze` runs it once per article on the
  joined doc (:func:`article_doc`); ``nlp(text)`` runs it on the text, its paragraphs split at
  blank lines, so that displaCy shows the corrected entities.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from analysis.core.aliases import BUILTIN_ALIASES
from analysis.core.article import Segment
from analysis.core.entities.context import (
    citation_authors,
    labels_from_context,
    list_labels,
    places_taken_for_people,
    rejoined_names,
)
from analysis.core.entities.cues import announced, codes, known_places, not_names, organisations
from analysis.core.entities.document import (
    SegmentSpan,
    ents_by_segment,
    join_docs,
    mentions_from_doc,
    register_extensions,
    segment_texts,
    segments_of,
    set_mentions,
)
from analysis.core.entities.layout import (
    acronyms,
    capital_runs,
    datelines,
    headline_rows,
    is_capitals,
    transcript_labels,
)
from analysis.core.entities.lexicon import gazetteer
from analysis.core.entities.patterns import entity_patterns, matches_by_paragraph
from analysis.core.entities.resolve import later_surnames, resolve_mentions
from analysis.core.entities.ruler import pattern_ruler
from analysis.core.entities.spans import (
    is_address,
    is_title_case,
    pieces,
    swallows_next,
    trimmed,
)
from analysis.core.entities.tables import NAME_LABELS, NUMERIC_LABELS, canonical
from analysis.core.schema import MentionRow

#: The names of the components :func:`add_entity_components` adds.
PATTERNS_COMPONENT = "newslens_patterns"
ENTITIES_COMPONENT = "newslens_entities"
#: Where the pattern component stores its matches.
SPANS_KEY = "newslens"
#: The factory of the pattern component (:func:`analysis.core.entities.ruler.pattern_ruler`).
RULER_FACTORY = "newslens_pattern_ruler"


def article_rows(
    doc, segments: Sequence[SegmentSpan], texts: dict[int, str] | None = None
) -> list[MentionRow]:
    """Steps 1 to 7 of the clean-up over the article's doc (``texts``: paragraph number ->
    text, :func:`segment_texts`, when the caller has them).

    Returns:
        :class:`MentionRow` rows sorted by paragraph, start and end.
    """
    rows: list[MentionRow] = []
    headline = None
    texts = texts if texts is not None else segment_texts(doc, segments)
    ents = ents_by_segment(doc, segments)
    for segment in segments:
        if segment.kind == "headline" and is_title_case(texts[segment.index]):
            headline = Segment(segment.index, segment.kind, texts[segment.index])
            continue
        for ent in ents[segment.index]:
            if any(is_address(token) for token in ent):
                continue
            for piece in pieces(ent):
                cut = piece[0] > ent.start and swallows_next(doc, piece[0] - 1, ent.start, ent.end)
                for start, end, label, counted in trimmed(doc, *piece, ent.label_):
                    if cut:
                        label = SWALLOWED
                    span = doc[start:end]
                    text = span.text
                    if label in NAME_LABELS and not any(char.isalpha() for char in text):
                        continue
                    rows.append(
                        MentionRow(
                            segment.index,
                            span.start_char - segment.start,
                            span.end_char - segment.start,
                            text,
                            label,
                            canonical(text),
                            counted,
                        )
                    )
    rows = _swallowed_labels(rows)
    rows = datelines(texts, rows, headline)
    rows = capital_runs(texts, rows, headline)
    if headline is not None:
        rows.extend(headline_rows(headline, rows, caseless=is_capitals(headline.text)))
    matches = matches_by_paragraph(doc, segments, SPANS_KEY)
    rows = rejoined_names(texts, not_names(texts, rows, matches))
    rows = places_taken_for_people(texts, acronyms(texts, rows))
    rows = announced(texts, rows, matches)
    rows = organisations(codes(known_places(rows, gazetteer()), matches), matches)
    rows = citation_authors(texts, rows)
    rows = labels_from_context(texts, list_labels(texts, rows))
    rows = transcript_labels(texts, rows)
    return sorted(rows, key=lambda row: (row.paragraph, row.start, row.end))


#: The label of a name cut off another one after "the" until the article gives it one.
SWALLOWED = "?"


def _swallowed_labels(rows: list[MentionRow]) -> list[MentionRow]:
    """A name cut off another after "the" ("Rathbun the Scientology critic") takes the label
    its other mentions have most, else ORG (a name qualifying a noun after "the" most often
    names an organisation: "the NASA administrator")."""
    votes = Counter(
        (row.entity, row.label) for row in rows if row.label not in (SWALLOWED, *NUMERIC_LABELS)
    )
    best: dict[str, str] = {}
    for (entity, label), _ in votes.most_common():
        best.setdefault(entity, label)
    return [
        row._replace(label=best.get(row.entity, "ORG")) if row.label == SWALLOWED else row
        for row in rows
    ]


def resolve_article(doc, *, aliases: Mapping[str, str] = BUILTIN_ALIASES):
    """Every step of the clean-up over the article's doc: sets ``doc.ents`` with
    ``span._.canonical`` and ``span._.counted``.

    Returns:
        ``doc``, changed in place (as spaCy components do).
    """
    segments = segments_of(doc)
    texts = segment_texts(doc, segments)
    rows = resolve_mentions(article_rows(doc, segments, texts), aliases=aliases)
    rows = later_surnames(texts, rows)
    set_mentions(doc, rows, segments)
    return doc


class ArticleEntities:
    """The ``newslens_entities`` component: :func:`resolve_article` with its alias table."""

    def __init__(self, aliases: Mapping[str, str] | None = None) -> None:
        self.aliases = dict(BUILTIN_ALIASES if aliases is None else aliases)

    def __call__(self, doc, *, aliases: Mapping[str, str] | None = None):
        return resolve_article(doc, aliases=self.aliases if aliases is None else aliases)


def _register_factories() -> None:
    from spacy.language import Language

    if not Language.has_factory(RULER_FACTORY):

        @Language.factory(
            RULER_FACTORY, assigns=["doc.spans"], default_config={"spans_key": SPANS_KEY}
        )
        def make_pattern_ruler(nlp, name: str, spans_key: str):
            from spacy.util import filter_chain_spans

            return pattern_ruler()(
                nlp,
                name,
                spans_key=spans_key,
                annotate_ents=False,
                ents_filter=filter_chain_spans,
                phrase_matcher_attr="LOWER",
                overwrite=True,
            )

    if not Language.has_factory(ENTITIES_COMPONENT):

        @Language.factory(ENTITIES_COMPONENT, default_config={"aliases": None})
        def make_article_entities(nlp, name: str, aliases: dict | None):
            return ArticleEntities(aliases)


def add_entity_components(nlp) -> None:
    """Add NewsLens's entity components after ``ner`` (at the end without one)."""
    register_extensions()
    _register_factories()
    where = {"after": "ner"} if "ner" in nlp.pipe_names else {}
    ruler = nlp.add_pipe(RULER_FACTORY, name=PATTERNS_COMPONENT, **where)
    # The ruler reads its phrase patterns with every component before it running; phrases need
    # only the tokenizer.
    with nlp.select_pipes(disable=list(nlp.pipe_names)):
        ruler.add_patterns(entity_patterns())
    nlp.add_pipe(ENTITIES_COMPONENT, after=PATTERNS_COMPONENT)
    gazetteer()  # read the datasets now, with the model, rather than in the first analysis


def article_doc(segments: Sequence, docs: Sequence, *, nlp=None, aliases=None):
    """The article's doc with its entities decided (``doc.ents``, ``span._.canonical``).

    Args:
        segments: the analysed segments (``index``, ``kind``, ``text``), in order.
        docs: one doc per segment, from ``nlp.pipe`` with the article component disabled.
        nlp: the pipeline; its ``newslens_entities`` component runs when it has one.
        aliases: name as written -> canonical name; the component's own table when None.

    Returns:
        The joined doc (:func:`analysis.core.entities.document.join_docs`), or None for no
        segments.
    """
    doc = join_docs(segments, docs)
    if doc is None:
        return None
    component = (
        nlp.get_pipe(ENTITIES_COMPONENT)
        if nlp is not None and ENTITIES_COMPONENT in nlp.pipe_names
        else ArticleEntities()
    )
    return component(doc, aliases=aliases)


def mention_rows(segments: Sequence, docs: Sequence) -> list[MentionRow]:
    """Mentions after steps 1 to 7 of the clean-up, before steps 8 to 10
    (:func:`resolve_mentions`; see :mod:`analysis.core.entities`).

    Args:
        segments: the analysed segments (``index``, ``kind``, ``text``), in order.
        docs: one spaCy ``Doc`` per segment, with ``ents``.

    Returns:
        :class:`MentionRow` rows sorted by paragraph, start and end.
    """
    doc = join_docs(segments, docs)
    return [] if doc is None else article_rows(doc, segments_of(doc))


__all__ = ["article_doc", "mention_rows", "mentions_from_doc", "resolve_article"]
