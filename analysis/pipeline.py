"""One entry point: raw input -> :class:`ArticleAnalysis`, with the spaCy pipeline run once per
document (segments batched through ``nlp.pipe``) and every table derived from that one pass.

:func:`analyze_many` streams any number of documents in bounded memory: it parses a chunk of
documents, sends all their segments through one ``nlp.pipe`` call, yields the results in input
order and lets the chunk go.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

import pandas as pd

from analysis.article import Article, Segment, parse_article
from analysis.entities import (
    entity_counts,
    is_title_case,
    mention_rows,
    mention_table,
    resolve_mentions,
)
from analysis.errors import ArticleError
from analysis.sentiment import paragraph_table, sentence_table, sentiment_rows
from analysis.words import (
    WordOptions,
    filter_paragraphs,
    keyword_in_context,
    stop_word_list,
    term_spans,
    token_rows,
    token_table,
    word_counts,
)


@dataclass(frozen=True)
class AnalysisOptions:
    """What to analyse.

    Attributes:
        words: how word frequencies are counted (see :class:`WordOptions`).
        include_removed: analyse the lines the cleaner removed too (as extra paragraphs after the
            body), for a reader who disagrees with the cleaner.
    """

    words: WordOptions = field(default_factory=WordOptions)
    include_removed: bool = False


@dataclass(frozen=True, eq=False)
class ArticleAnalysis:
    """Everything NewsLens computes for one article. All tables are pandas DataFrames with the
    schemas documented in :mod:`analysis.words`, :mod:`analysis.sentiment` and
    :mod:`analysis.entities`; ``paragraph`` is 0 for the headline and 1..n for the body.

    Attributes:
        article: the cleaned article.
        options: the options used.
        segments: the analysed units (headline, body paragraphs, removed lines if asked).
        tokens: the token table; re-count words with :meth:`word_counts` without spaCy.
        paragraphs: sentiment per segment (headline included, ``kind`` says which).
        sentences: sentiment per sentence, for drill-down.
        mentions: entity mentions with offsets.
        entities: entity counts.
        words: word counts for ``options.words``.
        stop_words: the pipeline's stop list, for re-counting.
    """

    article: Article
    options: AnalysisOptions
    segments: tuple[Segment, ...]
    tokens: pd.DataFrame
    paragraphs: pd.DataFrame
    sentences: pd.DataFrame
    mentions: pd.DataFrame
    entities: pd.DataFrame
    words: pd.DataFrame
    stop_words: frozenset[str]

    @property
    def texts(self) -> dict[int, str]:
        """Paragraph number -> text, for every analysed segment."""
        return {segment.index: segment.text for segment in self.segments}

    def word_counts(
        self, *, options: WordOptions | None = None, paragraphs: Sequence[int] | None = None
    ) -> pd.DataFrame:
        """Word counts with other options or for some paragraphs only (no NLP re-run)."""
        tokens = filter_paragraphs(self.tokens, paragraphs)
        return word_counts(tokens, options=options or self.options.words,
                           stop_words=self.stop_words)  # fmt: skip

    def entity_counts(self, *, paragraphs: Sequence[int] | None = None) -> pd.DataFrame:
        """Entity counts for some paragraphs only (all when None)."""
        return entity_counts(filter_paragraphs(self.mentions, paragraphs))

    def term_context(
        self, term: str, *, options: WordOptions | None = None, window: int = 8
    ) -> pd.DataFrame:
        """Keyword-in-context lines for a counted term (word, lemma or n-gram)."""
        base = options or self.options.words
        ngram = max(1, min(3, len(term.split())))
        wanted = WordOptions(
            stop_words=base.stop_words, extra_stop_words=base.extra_stop_words,
            lemmas=base.lemmas, min_length=1, ngram=ngram,
        )  # fmt: skip
        return keyword_in_context(self.texts, term_spans(self.tokens, term, options=wanted),
                                  window=window)  # fmt: skip

    def entity_context(self, entity: str, *, window: int = 8) -> pd.DataFrame:
        """Keyword-in-context lines for every mention of an entity (by canonical name)."""
        spans = self.mentions[self.mentions["entity"] == entity]
        return keyword_in_context(self.texts, spans, window=window)


def analyze(
    raw: str | bytes,
    *,
    nlp,
    options: AnalysisOptions | None = None,
    source: str | None = None,
    max_chars: int | None = None,
) -> ArticleAnalysis:
    """Parse and analyse one article.

    Args:
        raw: text, HTML or bytes (see :func:`analysis.article.parse_article`).
        nlp: a spaCy pipeline from :func:`analysis.nlp.load_nlp`.
        options: what to analyse; defaults to :class:`AnalysisOptions()`.
        source: file name or URL, kept for display.
        max_chars: size limit; default ``$NEWSLENS_MAX_CHARS`` or 1,000,000.

    Raises:
        ArticleError: the input cannot be analysed (the message says why).
    """
    article = parse_article(raw, source=source, max_chars=max_chars)
    return analyze_article(article, nlp=nlp, options=options)


def analyze_article(
    article: Article, *, nlp, options: AnalysisOptions | None = None
) -> ArticleAnalysis:
    """Analyse an already parsed :class:`Article`."""
    options = options or AnalysisOptions()
    segments = article.segments(include_removed=options.include_removed)
    docs = list(nlp.pipe(_checked_texts(segments, nlp)))
    return _build(article, segments, docs, options, stop_word_list(nlp))


def analyze_many(
    items: Iterable[tuple[str, str | bytes]],
    *,
    nlp,
    options: AnalysisOptions | None = None,
    chunk_size: int = 32,
    batch_size: int = 64,
    max_chars: int | None = None,
) -> Iterator[tuple[str, ArticleAnalysis | ArticleError]]:
    """Analyse many documents, streaming, in input order.

    Args:
        items: ``(id, raw)`` pairs; read lazily, ``chunk_size`` at a time.
        nlp: the spaCy pipeline.
        options: what to analyse.
        chunk_size: documents held in memory at once.
        batch_size: ``nlp.pipe`` batch size (in segments).
        max_chars: size limit per document.

    Yields:
        ``(id, ArticleAnalysis)``, or ``(id, ArticleError)`` for a document that cannot be
        analysed; the stream goes on after an error.
    """
    options = options or AnalysisOptions()
    stop_words = stop_word_list(nlp)
    iterator = iter(items)
    while chunk := list(islice(iterator, chunk_size)):
        parsed: list[tuple[str, Article | ArticleError, tuple[Segment, ...]]] = []
        texts: list[str] = []
        for item_id, raw in chunk:
            try:
                article = parse_article(raw, source=item_id, max_chars=max_chars)
                segments = article.segments(include_removed=options.include_removed)
                texts.extend(_checked_texts(segments, nlp))
            except ArticleError as error:
                parsed.append((item_id, error, ()))
                continue
            parsed.append((item_id, article, segments))
        docs = iter(nlp.pipe(texts, batch_size=batch_size))
        for item_id, article, segments in parsed:
            if isinstance(article, ArticleError):
                yield item_id, article
                continue
            own_docs = list(islice(docs, len(segments)))
            yield item_id, _build(article, segments, own_docs, options, stop_words)


def _checked_texts(segments: Sequence[Segment], nlp) -> list[str]:
    texts = [segment.text for segment in segments]
    longest = max((len(text) for text in texts), default=0)
    if longest > nlp.max_length:
        raise ArticleError(
            f"One paragraph is {longest:,} characters long, more than the language pipeline "
            f"takes at once ({nlp.max_length:,}). Split the text into paragraphs with blank lines."
        )
    return texts


def _relemmatize_title_case_headline(segments: Sequence[Segment], rows: list[tuple]) -> list[tuple]:
    """In a title-case headline the tagger takes "Efforts" for a proper noun and leaves its
    lemma alone; use the lemma the same word has in the body instead, when it occurs there."""
    if not any(s.kind == "headline" and is_title_case(s.text) for s in segments):
        return rows
    body: dict[str, str] = {}
    for row in rows:
        if row[0] != 0:
            body.setdefault(row[6], row[7])
    return [row[:7] + (body.get(row[6], row[7]),) + row[8:] if row[0] == 0 else row for row in rows]


def _build(
    article: Article,
    segments: Sequence[Segment],
    docs: Sequence,
    options: AnalysisOptions,
    stop_words: frozenset[str],
) -> ArticleAnalysis:
    rows: list[tuple] = []
    paragraph_rows: list[tuple] = []
    sentence_rows: list[tuple] = []
    for segment, doc in zip(segments, docs, strict=True):
        own = token_rows(segment.index, doc)
        rows.extend(own)
        words = sum(1 for row in own if row[-1])
        paragraph, sentences = sentiment_rows(segment.index, segment.kind, segment.text, doc,
                                              words)  # fmt: skip
        paragraph_rows.append(paragraph)
        sentence_rows.extend(sentences)
    rows = _relemmatize_title_case_headline(segments, rows)
    tokens = token_table(rows)
    mentions = mention_table(resolve_mentions(mention_rows(segments, docs)))
    return ArticleAnalysis(
        article=article,
        options=options,
        segments=tuple(segments),
        tokens=tokens,
        paragraphs=paragraph_table(paragraph_rows),
        sentences=sentence_table(sentence_rows),
        mentions=mentions,
        entities=entity_counts(mentions),
        words=word_counts(tokens, options=options.words, stop_words=stop_words),
        stop_words=stop_words,
    )
