"""One entry point: raw input -> :class:`ArticleAnalysis`, with the spaCy pipeline run once per
document (segments batched through ``nlp.pipe``) and every table derived from that one pass.

:func:`analyze_many` streams any number of documents in bounded memory: it parses a chunk of
documents, sends all their segments through one ``nlp.pipe`` call, yields the results in input
order and lets the chunk go.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice

import numpy
import pandas as pd

from analysis.core.aliases import BUILTIN_ALIASES
from analysis.core.article import DEFAULT_MAX_CHARS, Article, Segment, parse_article
from analysis.core.article.pieces import MAX_PARAGRAPH_CHARS, text_pieces
from analysis.core.entities import (
    NAME_LABELS,
    MentionRow,
    article_doc,
    count_entities,
    entity_table,
    is_title_case,
    mention_table,
    mentions_from_doc,
)
from analysis.core.language import FUNCTION_WORDS, detect_language
from analysis.core.metadata import ANALYSIS_VERSION, ArticleMeta, document_key, resolve_meta
from analysis.core.nlp import disabled_for
from analysis.core.quotes import quote_rows, quote_table, speaker_table
from analysis.core.schema import HEADLINE, EntitySentenceRow, QuoteRow, TokenRow, frame
from analysis.core.sentiment import (
    DEFAULT_BAND,
    VADER_MAX_CHARS,
    article_tone,
    paragraph_table,
    sentence_table,
    sentiment_rows,
)
from analysis.core.stance import entity_sentence_rows
from analysis.core.words import (
    WordOptions,
    count_terms,
    keyword_in_context,
    stop_word_list,
    term_spans,
    token_rows,
    token_table,
    word_table,
)
from analysis.errors import ArticleError


@dataclass(frozen=True)
class AnalysisOptions:
    """What to analyse and which counts to show.

    Every result holds everything the app or the corpus may need, whatever the options:
    tokens with lemmas and stop flags, paragraphs and sentences with both models' scores,
    every mention (all types), quotes and sentiment toward each entity (sentences and
    sentiment toward entities unless :func:`analyze_many` was told to leave them out). ``words`` and
    ``entity_types`` only choose what :attr:`ArticleAnalysis.words` and
    :attr:`ArticleAnalysis.entities` count (:meth:`ArticleAnalysis.word_counts` and
    :meth:`ArticleAnalysis.entity_counts` count any other way without spaCy).

    Attributes:
        words: how word frequencies are counted (see :class:`WordOptions`).
        include_removed: analyse the lines the cleaner removed too (as extra paragraphs after the
            body), for a reader who disagrees with the cleaner. This one option changes what
            is analysed (which text the article is); the others only choose what the count
            tables show, which are queries over the rows every result holds.
        entity_types: the labels the entity counts hold (:attr:`ArticleAnalysis.entities`,
            ``entity_rows``, :meth:`ArticleAnalysis.entity_counts`); default the name types
            (:data:`analysis.core.entities.NAME_LABELS`); ``None`` for every type, dates and numbers
            too. The mentions table always holds every type.
        entity_aliases: (alias, canonical name) pairs that count as one entity; by default
            the built-in table (:mod:`analysis.core.aliases`); the command line and the app
            pass :attr:`analysis.settings.Settings.entity_aliases`, which adds the user's file.
    """

    words: WordOptions = field(default_factory=WordOptions)
    include_removed: bool = False
    entity_types: tuple[str, ...] | None = NAME_LABELS
    entity_aliases: tuple[tuple[str, str], ...] = tuple(BUILTIN_ALIASES.items())


@dataclass(frozen=True, eq=False)
class ArticleAnalysis:
    """Everything NewsLens computes for one article.

    The results are kept as plain rows (cheap to build and to serialise in a batch); the
    pandas tables are built on first access, with the schemas documented in
    :mod:`analysis.core.words`, :mod:`analysis.core.sentiment` and :mod:`analysis.core.entities`.
    ``paragraph`` is 0 for the headline and 1..n for the body.

    Attributes:
        article: the cleaned article.
        options: the options used.
        segments: the analysed units (headline, body paragraphs, removed lines if asked).
        token_rows, paragraph_rows, sentence_rows, mention_rows, entity_rows, word_rows: the
            rows behind :attr:`tokens`, :attr:`paragraphs`, :attr:`sentences`,
            :attr:`mentions`, :attr:`entities` and :attr:`words`.
        stop_words: the pipeline's stop list, for re-counting (plus the detected language's
            function words when it is not English).
        warnings: the article's warnings plus notes on degraded analysis.
        language: "English", another language detected by its function words
            (:mod:`analysis.core.language`), or "unknown".
        key: the document key, SHA-256 of the raw input (:func:`analysis.core.metadata.document_key`);
            None when the analysis started from a parsed :class:`Article` without one.
        version: the analysis version (:data:`analysis.core.metadata.ANALYSIS_VERSION`).
        sentences_scored: False for an analysis made without sentence sentiment
            (:func:`analyze_many` with ``sentences=False``): it has no sentence rows and no
            entity-sentence rows, and :attr:`sentences` and :attr:`entity_sentences` raise.
    """

    article: Article
    options: AnalysisOptions
    segments: tuple[Segment, ...]
    token_rows: tuple[tuple, ...]
    paragraph_rows: tuple[tuple, ...]
    sentence_rows: tuple[tuple, ...]
    mention_rows: tuple[MentionRow, ...]
    entity_rows: tuple[tuple, ...]
    word_rows: tuple[tuple, ...]
    stop_words: frozenset[str]
    warnings: tuple[str, ...] = ()
    quote_rows: tuple[QuoteRow, ...] = ()
    entity_sentence_rows: tuple[EntitySentenceRow, ...] = ()
    language: str = "English"
    key: str | None = None
    version: int = ANALYSIS_VERSION
    sentences_scored: bool = True

    def metadata(self, meta: ArticleMeta | None = None) -> ArticleMeta:
        """Title, author, published date, source (outlet) and URL: the input's own ``meta``
        where given, else what the cleaner read (:func:`analysis.core.metadata.resolve_meta`)."""
        return resolve_meta(self.article, meta)

    @cached_property
    def tokens(self) -> pd.DataFrame:
        """The token table; re-count words with :meth:`word_counts` without spaCy."""
        return token_table(self.token_rows)

    @cached_property
    def paragraphs(self) -> pd.DataFrame:
        """Sentiment per segment (headline included; ``kind`` says which)."""
        return paragraph_table(self.paragraph_rows)

    @cached_property
    def sentences(self) -> pd.DataFrame:
        """Sentiment per sentence, for drill-down."""
        self.require_sentences()
        return sentence_table(self.sentence_rows)

    @cached_property
    def mentions(self) -> pd.DataFrame:
        """Entity mentions with offsets."""
        return mention_table(self.mention_rows)

    @cached_property
    def entities(self) -> pd.DataFrame:
        """Entity counts."""
        return entity_table(self.entity_rows)

    @cached_property
    def quotes(self) -> pd.DataFrame:
        """Direct quotations with their speakers (:data:`analysis.core.quotes.QUOTE_COLUMNS`)."""
        return quote_table(self.quote_rows)

    @cached_property
    def speakers(self) -> pd.DataFrame:
        """Who is quoted and how much (:data:`analysis.core.quotes.SPEAKER_COLUMNS`)."""
        return speaker_table(self.quotes)

    @cached_property
    def entity_sentences(self) -> pd.DataFrame:
        """Every sentence that mentions each named entity, scored without the names in it
        (:data:`analysis.core.stance.ENTITY_SENTENCE_COLUMNS`; empty without sentence scores). Per
        model and band: :func:`analysis.core.stance.entity_scores`."""
        self.require_sentences()
        return frame(self.entity_sentence_rows, EntitySentenceRow)

    def require_sentences(self) -> None:
        """Raise ValueError when the analysis has no sentence sentiment
        (:attr:`sentences_scored` False)."""
        if not self.sentences_scored:
            raise ValueError(
                "This analysis was made without sentence sentiment (analyze_many with "
                "sentences=False): analyse the article again with it."
            )

    def tone(self, *, band: float = DEFAULT_BAND) -> pd.DataFrame:
        """The overall tone of the body per model (:data:`analysis.core.sentiment.TONE_COLUMNS`)."""
        return article_tone(self.paragraphs, band=band)

    @cached_property
    def words(self) -> pd.DataFrame:
        """Word counts for ``options.words``."""
        return word_table(self.word_rows)

    @property
    def texts(self) -> dict[int, str]:
        """Paragraph number -> text, for every analysed segment."""
        return {segment.index: segment.text for segment in self.segments}

    def word_counts(
        self, *, options: WordOptions | None = None, paragraphs: Sequence[int] | None = None
    ) -> pd.DataFrame:
        """Word counts with other options or for some paragraphs only (no NLP re-run)."""
        options = options or self.options.words
        rows = self.token_rows
        if paragraphs is not None:
            wanted = set(paragraphs)
            rows = tuple(row for row in rows if row[0] in wanted)
        return word_table(count_terms(rows, options=options, stop_words=self.stop_words))

    def entity_counts(
        self,
        *,
        paragraphs: Sequence[int] | None = None,
        types: Iterable[str] | None = None,
    ) -> pd.DataFrame:
        """Entity counts for some paragraphs only (all when None).

        Args:
            paragraphs: the paragraph numbers to count; None for all.
            types: the labels to count (an app's type filter); None for
                ``options.entity_types``.

        Returns:
            A DataFrame of :data:`analysis.core.entities.ENTITY_COLUMNS`.
        """
        rows = self.mention_rows
        if paragraphs is not None:
            wanted = set(paragraphs)
            rows = tuple(row for row in rows if row.paragraph in wanted)
        chosen = self.options.entity_types if types is None else tuple(types)
        return entity_table(count_entities(rows, types=chosen))

    def term_context(
        self, term: str, *, options: WordOptions | None = None, window: int = 8
    ) -> pd.DataFrame:
        """Keyword-in-context lines for a counted term (word, lemma or n-gram)."""
        base = options or self.options.words
        ngram = max(1, min(3, len(term.split())))
        wanted = WordOptions(
            stop_words=base.stop_words,
            extra_stop_words=base.extra_stop_words,
            lemmas=base.lemmas,
            min_length=1,
            ngram=ngram,
        )
        return keyword_in_context(
            self.texts, term_spans(self.tokens, term, options=wanted), window=window
        )

    def entity_context(self, entity: str, *, window: int = 8) -> pd.DataFrame:
        """Keyword-in-context lines for every mention of an entity (by canonical name)."""
        spans = self.mentions[self.mentions["entity"] == entity]
        return keyword_in_context(self.texts, spans, window=window)


#: ``progress(done, total)``: see :func:`analyze`.
Progress = Callable[[int, int], None]


class _Steps:
    """Counts steps of work and calls ``progress`` about every hundredth of ``total``."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.done = 0
        self.every = max(1, total // 100)

    def tick(self) -> None:
        self.done += 1
        if self.progress and (self.done % self.every == 0 or self.done == self.total):
            self.progress(self.done, self.total)


def analyze(
    raw: str | bytes,
    *,
    nlp,
    options: AnalysisOptions | None = None,
    source: str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    progress: Progress | None = None,
) -> ArticleAnalysis:
    """Parse and analyse one article.

    Args:
        raw: text, HTML or bytes (see :func:`analysis.core.article.parse_article`).
        nlp: a spaCy pipeline from :func:`analysis.core.nlp.load_nlp`.
        options: what to analyse; defaults to :class:`AnalysisOptions()`.
        source: file name or URL, kept for display.
        max_chars: size limit in characters.
        progress: called as the work goes on with ``(done, total)`` in steps of work: each
            segment counts once when spaCy has read it and once when it has been scored, so
            ``total`` is twice the number of segments; called at most about 100 times.

    Raises:
        ArticleError: the input cannot be analysed (the message says why).
    """
    article = parse_article(raw, source=source, max_chars=max_chars)
    return analyze_article(
        article, nlp=nlp, options=options, key=document_key(raw), progress=progress
    )


def analyze_article(
    article: Article,
    *,
    nlp,
    options: AnalysisOptions | None = None,
    key: str | None = None,
    progress: Progress | None = None,
) -> ArticleAnalysis:
    """Analyse an already parsed :class:`Article` (``key``: its raw input's document key;
    ``progress``: see :func:`analyze`)."""
    options = options or AnalysisOptions()
    segments = article.segments(include_removed=options.include_removed)
    texts = _checked_texts(segments, nlp)
    steps = _Steps(progress, 2 * len(segments))
    docs = []
    piped = piped_docs(nlp, texts, batch_size=nlp.batch_size, disable=disabled_for(nlp))
    for doc in held_docs(piped, len(texts)):
        docs.append(doc)
        steps.tick()
    return _build(article, segments, docs, options, stop_word_list(nlp), key, nlp=nlp, steps=steps)


def analyze_many(
    items: Iterable[tuple[str, str | bytes]],
    *,
    nlp,
    options: AnalysisOptions | None = None,
    chunk_size: int = 32,
    batch_size: int = 64,
    max_chars: int = DEFAULT_MAX_CHARS,
    sentences: bool = True,
) -> Iterator[tuple[str, ArticleAnalysis | ArticleError]]:
    """Analyse many documents, streaming, in input order.

    Args:
        items: ``(id, raw)`` pairs; read lazily, ``chunk_size`` at a time.
        nlp: the spaCy pipeline.
        options: what to analyse.
        chunk_size: documents held in memory at once.
        batch_size: ``nlp.pipe`` batch size (in segments).
        max_chars: size limit per document.
        sentences: score each sentence, and each sentence that names an entity without the
            names (the sentence and entity-sentence rows, sentiment toward entities). A
            caller that uses none of them (the batch command without ``--sentences``) turns it
            off; the results then say so (:attr:`ArticleAnalysis.sentences_scored`).

    Yields:
        ``(id, ArticleAnalysis)``, or ``(id, ArticleError)`` for a document that cannot be
        analysed; the stream goes on after an error.
    """
    options = options or AnalysisOptions()
    stop_words = stop_word_list(nlp)
    disable = disabled_for(nlp)
    iterator = iter(items)
    while chunk := list(islice(iterator, chunk_size)):
        parsed: list[tuple[str, Article | ArticleError, tuple[Segment, ...], str]] = []
        texts: list[str] = []
        for item_id, raw in chunk:
            try:
                article = parse_article(raw, source=item_id, max_chars=max_chars)
                segments = article.segments(include_removed=options.include_removed)
                texts.extend(_checked_texts(segments, nlp))
            except ArticleError as error:
                parsed.append((item_id, error, (), ""))
                continue
            parsed.append((item_id, article, segments, document_key(raw)))
        docs = piped_docs(nlp, texts, batch_size=batch_size, disable=disable)
        for item_id, article, segments, key in parsed:
            if isinstance(article, ArticleError):
                yield item_id, article
                continue
            own_docs = list(held_docs(docs, len(segments)))
            yield (
                item_id,
                _build(
                    article,
                    segments,
                    own_docs,
                    options,
                    stop_words,
                    key,
                    nlp=nlp,
                    sentences=sentences,
                ),
            )


#: Longest text spaCy reads at once; a longer segment (a removed line: body paragraphs are
#: cut at the same length when the article is parsed, :mod:`analysis.core.article.pieces`)
#: is read in pieces and joined back.
PIPE_PIECE_CHARS = MAX_PARAGRAPH_CHARS
#: Tokens of one article whose docs keep their token vectors (see :func:`held_docs`).
KEEP_VECTORS_TOKENS = 20_000
_NO_TENSOR = numpy.zeros((0, 0), dtype="float32")
#: Most characters sent to spaCy in one batch.
PIPE_BATCH_CHARS = 50_000


def piped_docs(nlp, texts: Iterable[str], *, batch_size: int, disable: Sequence[str]) -> Iterator:
    """One spaCy ``Doc`` per text, in order, lazily, with bounded memory: texts longer than
    :data:`PIPE_PIECE_CHARS` are read in pieces (:func:`text_pieces`) and joined back; batches
    hold at most ``batch_size`` texts (or pieces) and :data:`PIPE_BATCH_CHARS` characters.

    Yields:
        a ``Doc`` per text whose ``text`` is the text.
    """
    from spacy.tokens import Doc

    def batches() -> Iterator[list[tuple[int, str]]]:
        batch: list[tuple[int, str]] = []
        size = 0
        for number, text in enumerate(texts):
            for piece in (
                text_pieces(text, limit=PIPE_PIECE_CHARS)
                if len(text) > PIPE_PIECE_CHARS
                else [text]
            ):
                if batch and (len(batch) >= batch_size or size + len(piece) > PIPE_BATCH_CHARS):
                    yield batch
                    batch, size = [], 0
                batch.append((number, piece))
                size += len(piece)
        if batch:
            yield batch

    def joined(parts: list) -> object:
        if len(parts) == 1:
            return parts[0]
        return Doc.from_docs(parts, ensure_whitespace=False, exclude=["tensor"])

    current, parts = -1, []
    for batch in batches():
        docs = nlp.pipe([piece for _, piece in batch], batch_size=len(batch), disable=disable)
        for (number, _), doc in zip(batch, docs, strict=True):
            if number != current and parts:
                yield joined(parts)
                parts = []
            elif parts:
                # A text read in pieces is joined without token vectors: drop them now.
                if len(parts) == 1:
                    parts[0].tensor = _NO_TENSOR
                doc.tensor = _NO_TENSOR
            current = number
            parts.append(doc)
    if parts:
        yield joined(parts)


def held_docs(docs: Iterator, count: int) -> Iterator:
    """The next ``count`` docs of ``docs`` (one article's), lazily. The token vectors serve
    only the components that have run and nothing reads them afterwards, yet they are the
    largest part of a Doc: once the article's docs hold more than
    :data:`KEEP_VECTORS_TOKENS` tokens, these docs' vectors are dropped (and those of the
    docs that follow), so that a very long article is held in bounded memory. A news-length
    article keeps them: dropping them from every doc slows the pipeline down."""
    held: list | None = []
    tokens = 0
    for doc in islice(docs, count):
        if held is not None:
            held.append(doc)
            tokens += len(doc)
            if tokens > KEEP_VECTORS_TOKENS:
                for earlier in held:
                    earlier.tensor = _NO_TENSOR
                held = None
        else:
            doc.tensor = _NO_TENSOR
        yield doc


def _checked_texts(segments: Sequence[Segment], nlp) -> list[str]:
    texts = [segment.text for segment in segments]
    longest = max((len(text) for text in texts), default=0)
    if longest > nlp.max_length:
        raise ArticleError(
            f"One paragraph is {longest:,} characters long, more than the language pipeline "
            f"takes at once ({nlp.max_length:,}). Split the text into paragraphs with blank lines."
        )
    return texts


def _relemmatize_title_case_headline(
    segments: Sequence[Segment], rows: list[TokenRow]
) -> list[TokenRow]:
    """In a title-case headline the tagger takes "Efforts" for a proper noun and leaves its
    lemma alone; use the lemma the same word has in the body instead, when it occurs there."""
    if not any(s.kind == "headline" and is_title_case(s.text) for s in segments):
        return rows
    body: dict[str, str] = {}
    for row in rows:
        if row.paragraph != HEADLINE:
            body.setdefault(row.norm, row.lemma)
    return [
        row._replace(lemma=body.get(row.norm, row.lemma)) if row.paragraph == HEADLINE else row
        for row in rows
    ]


def _build(
    article: Article,
    segments: Sequence[Segment],
    docs: Sequence,
    options: AnalysisOptions,
    stop_words: frozenset[str],
    key: str | None = None,
    *,
    nlp=None,
    steps: _Steps | None = None,
    sentences: bool = True,
) -> ArticleAnalysis:
    rows: list[tuple] = []
    paragraph_rows: list[tuple] = []
    sentence_rows: list[tuple] = []
    for segment, doc in zip(segments, docs, strict=True):
        own = token_rows(segment.index, doc)
        rows.extend(own)
        words = sum(1 for row in own if row.is_word)
        paragraph, own_sentences = sentiment_rows(
            segment.index, segment.kind, segment.text, doc, words, scored=sentences
        )
        paragraph_rows.append(paragraph)
        sentence_rows.extend(own_sentences)
        if steps:
            steps.tick()
    rows = _relemmatize_title_case_headline(segments, rows)
    # The entities are decided once for the whole article, on one doc of it, and read back
    # from that doc.
    doc = article_doc(segments, docs, nlp=nlp, aliases=dict(options.entity_aliases))
    mentions = mentions_from_doc(doc) if doc is not None else []
    language, language_notes = _language(rows)
    if language in FUNCTION_WORDS:
        stop_words = stop_words | FUNCTION_WORDS[language]
    return ArticleAnalysis(
        article=article,
        options=options,
        segments=tuple(segments),
        token_rows=tuple(rows),
        paragraph_rows=tuple(paragraph_rows),
        sentence_rows=tuple(sentence_rows),
        mention_rows=tuple(mentions),
        quote_rows=tuple(quote_rows(segments, docs, mentions)),
        # Scored here, with the rest, so that a cached analysis carries them (the app's cache
        # hands out copies, which would score them again on every rerun).
        entity_sentence_rows=tuple(entity_sentence_rows(mentions, sentence_rows)),
        sentences_scored=sentences,
        entity_rows=tuple(count_entities(mentions, types=options.entity_types)),
        word_rows=tuple(count_terms(rows, options=options.words, stop_words=stop_words)),
        stop_words=stop_words,
        warnings=article.warnings + _long_paragraph_notes(segments) + language_notes,
        language=language,
        key=key,
    )


def _language(rows: Sequence[tuple]) -> tuple[str, tuple[str, ...]]:
    """The text's language and a note when it is not English. English prose is about 40 %
    stop words; text in another Latin-script language has few English ones."""
    words = [row for row in rows if row.is_word]
    if len(words) < 30:
        return "English", ()
    share = sum(1 for row in words if row.is_stop) / len(words)
    language, own = detect_language((row.norm for row in words), share)
    if language != "English":
        return language, (
            f"This text looks like {language} ({own:.0%} of its words are common {language} "
            f"words, {share:.0%} English ones). NewsLens's models are for English: sentiment "
            f"and entities will be unreliable; {language} function words are left out of the "
            "top terms.",
        )
    if share >= 0.12:
        return "English", ()
    return "unknown", (
        f"This text does not look like English (only {share:.0%} of its words are common "
        "English words). NewsLens's models are for English: sentiment and entities will be "
        "unreliable.",
    )


def _long_paragraph_notes(segments: Sequence[Segment]) -> tuple[str, ...]:
    long = [s for s in segments if len(s.text) > VADER_MAX_CHARS]
    if not long:
        return ()
    names = ", ".join("the headline" if s.index == 0 else str(s.index) for s in long[:5])
    more = f" and {len(long) - 5} more" if len(long) > 5 else ""
    return (
        f"Very long paragraphs ({names}{more}; over {VADER_MAX_CHARS:,} characters): their VADER "
        "score is the average over parts of the paragraph, because VADER slows down sharply on "
        "long texts. TextBlob scores the whole paragraph.",
    )
