"""One analysed article -> the corpus contract's tables (see :mod:`analysis.storage.corpus.schema`).

:func:`article_rows` turns an :class:`~analysis.core.pipeline.ArticleAnalysis` into plain rows,
one list per contract table (cheap to build, to pickle between processes and to concatenate);
:func:`tables_from_rows` turns the rows of any number of articles into one DataFrame per
table, and :func:`article_tables` does both for one article.

The corpus analyses with :func:`corpus_options`: the lines the cleaner removed left out, so
paragraphs are the headline (0) and the body (1..n).

Metadata: :func:`analysis.core.metadata.resolve_meta` (the input's own wins over what the cleaner
read); ``date`` is the day of ``published``. A collected document's metadata (the collector's
``CollectedMeta``) carries four more fields, read by name when present: ``date_source``,
``duplicate_of``, ``revision`` (1 when absent) and ``fetched_at``. The key, version and metadata helpers live in
:mod:`analysis.core.metadata` and are re-exported here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from analysis.core.metadata import (  # noqa: F401  (re-exported: the corpus API names them)
    ANALYSIS_VERSION,
    ArticleMeta,
    document_key,
    published_day,
    resolve_meta,
    url_host,
)
from analysis.core.pipeline import AnalysisOptions, ArticleAnalysis
from analysis.storage.corpus.schema import CONTRACT, TABLES, TOP_ENTITIES, empty_table


def corpus_options(*, entity_aliases: Mapping[str, str] | None = None) -> AnalysisOptions:
    """The options every corpus article is analysed with: removed lines left out, and
    ``entity_aliases`` (the setting; default the built-in table)."""
    if entity_aliases is None:
        return AnalysisOptions(include_removed=False)
    return AnalysisOptions(include_removed=False, entity_aliases=tuple(entity_aliases.items()))


def article_rows(
    result: ArticleAnalysis,
    *,
    key: str,
    meta: ArticleMeta | None = None,
    version: int = ANALYSIS_VERSION,
) -> dict[str, list[tuple]]:
    """The contract rows of one analysed article.

    Args:
        result: from :func:`analysis.core.pipeline.analyze` or ``analyze_many``, preferably with
            :func:`corpus_options`.
        key: the document key (:func:`document_key` of the raw input).
        meta: the input's own metadata (see the module docstring for precedence).
        version: the analysis version stored with the article.

    Returns:
        ``{table: [row tuple, ...]}`` for every table of :data:`analysis.storage.corpus.schema.TABLES`,
        each tuple in the table's contract column order, ``doc_key`` first.
    """
    info = resolve_meta(result.article, meta)
    paragraphs = result.paragraph_rows
    body = [row for row in paragraphs if row[1] == "body"]
    day = published_day(info.published)
    entity_rows = result.entity_rows
    # One name once, though the model may give it two labels in one article.
    top = ", ".join(list(dict.fromkeys(row[0] for row in entity_rows))[:TOP_ENTITIES])
    articles = [
        (
            key,
            version,
            info.title,
            info.author,
            info.published,
            pd.Timestamp(day) if day else None,
            info.source,
            info.url,
            sum(row[8] for row in body),
            len(body),
            _mean(row[5] for row in body),
            _mean(row[3] for row in body),
            top,
            *collection_values(meta),
        )
    ]
    # PARAGRAPH_COLUMNS: paragraph, kind, text, polarity, subjectivity, vader, label,
    # vader_label, words, sentences, ...
    paragraph_out = [(key, r[0], r[1], r[2], r[3], r[4], r[5], r[8], r[9]) for r in paragraphs]
    # SENTENCE_COLUMNS: paragraph, sentence, start, end, text, polarity, subjectivity, vader, ...
    sentence_out = [(key, *r[:8]) for r in result.sentence_rows]
    # Only counted mentions are stored, so that corpus counts over them agree with the article's
    # entity counts (a nationality word used as a modifier is not one).
    mentions = [
        (key, m.paragraph, m.start, m.end, m.text, m.label, m.entity)
        for m in result.mention_rows
        if m.counted
    ]
    places: dict[tuple[str, str], set[int]] = defaultdict(set)
    for m in result.mention_rows:
        # The same mentions as the entity counts: a name used as a modifier is not counted.
        if getattr(m, "counted", True):
            places[(m.entity, m.label)].add(int(m.paragraph))
    entities = [
        (key, row[0], row[1], row[2], sorted(places[(row[0], row[1])])) for row in entity_rows
    ]
    quotes = [
        (key, q.paragraph, q.start, q.end, q.quote, q.speaker, q.entity, q.words)
        for q in result.quote_rows
    ]
    entity_sentences = [
        (key, r.entity, r.type, r.paragraph, r.sentence, r.mentions, r.polarity, r.vader)
        for r in result.entity_sentence_rows
    ]
    return {
        "articles": articles,
        "paragraphs": paragraph_out,
        "sentences": sentence_out,
        "terms": [(key, *row) for row in term_rows(result.token_rows)],
        "mentions": mentions,
        "entities": entities,
        "quotes": quotes,
        "entity_sentences": entity_sentences,
    }


def collection_values(meta) -> tuple:
    """The collection columns of ``articles`` (date_source, duplicate_of, revision,
    fetched_at) from a document's metadata: the collector's fields when it has them, else
    NULL, NULL, 1, NULL."""
    fetched = getattr(meta, "fetched_at", None)
    if fetched is not None:
        fetched = pd.Timestamp(fetched)
        if fetched.tzinfo is not None:  # stored as UTC without a zone
            fetched = fetched.tz_convert("UTC").tz_localize(None)
    return (
        getattr(meta, "date_source", None),
        getattr(meta, "duplicate_of", None),
        int(getattr(meta, "revision", None) or 1),
        fetched,
    )


def term_rows(tokens: Iterable[Sequence]) -> list[tuple[int, str, str, bool, int]]:
    """Word counts per paragraph from token rows (:data:`analysis.core.words.TOKEN_COLUMNS`).

    Only words count (``is_word``). A term is the case-folded word (``norm``); its lemma is the
    one most of its occurrences in the paragraph have (ties: the alphabetically first), so
    that each (paragraph, term) has one row; ``is_stop`` is true if any occurrence is a stop
    word.

    Returns:
        ``(paragraph, term, lemma, is_stop, count)`` tuples ordered by paragraph, then term.
    """
    counts: Counter = Counter()
    lemmas: dict[tuple[int, str], Counter] = defaultdict(Counter)
    stops: set[tuple[int, str]] = set()
    # TOKEN_COLUMNS: paragraph, token, sentence, start, end, text, norm, lemma, is_stop, is_word
    for row in tokens:
        if not row[9]:
            continue
        slot = (row[0], row[6])
        counts[slot] += 1
        lemmas[slot][row[7]] += 1
        if row[8]:
            stops.add(slot)
    out = []
    for slot in sorted(counts):
        seen = lemmas[slot]
        lemma = (
            next(iter(seen))
            if len(seen) == 1
            else min(seen.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        )
        out.append((int(slot[0]), slot[1], lemma, slot in stops, counts[slot]))
    return out


def tables_from_rows(articles: Sequence[Mapping[str, Sequence[tuple]]]) -> dict[str, pd.DataFrame]:
    """One DataFrame per contract table holding the rows of every article given, in order.

    Args:
        articles: rows from :func:`article_rows`, one mapping per article.

    Returns:
        ``{table: DataFrame}`` for every table of :data:`TABLES`, with the contract's columns
        and dtypes (see :func:`analysis.storage.corpus.schema.empty_tables`), also when empty.
    """
    out = {}
    for name in TABLES:
        rows = [row for article in articles for row in article.get(name, ())]
        out[name] = _frame(name, rows)
    return out


def article_tables(
    result: ArticleAnalysis,
    *,
    key: str,
    meta: ArticleMeta | None = None,
    version: int = ANALYSIS_VERSION,
) -> dict[str, pd.DataFrame]:
    """The contract tables of one analysed article (see :func:`article_rows` for the
    arguments).

    Returns:
        ``{table: DataFrame}`` for every contract table, ready for
        :meth:`analysis.storage.corpus.CorpusStore.add`.
    """
    return tables_from_rows([article_rows(result, key=key, meta=meta, version=version)])


def _frame(name: str, rows: list[tuple]) -> pd.DataFrame:
    if not rows:
        return empty_table(name)
    columns = CONTRACT[name]
    frame = pd.DataFrame.from_records(rows, columns=[c.name for c in columns])
    dtypes = {c.name: c.dtype for c in columns if c.dtype != "object"}
    return frame.astype(dtypes)


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None
