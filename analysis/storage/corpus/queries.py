"""Questions asked of the whole corpus: plain functions returning DataFrames.

Every function takes ``source`` first: an open DuckDB connection (e.g. from
:meth:`CorpusStore.reader`, to run several queries under one open), a :class:`CorpusReader`
(a connection kept open between queries and let go when idle or when a writer waits: what a
long-running app should hold) or a :class:`CorpusStore` (opened read-only for this one query). Most accept the common filter, keyword-only:

- ``start``, ``end``: first and last day (``datetime.date`` or ISO string), inclusive;
  articles without a date are left out when either is given.
- ``sources``: outlets to keep; ``None`` (or :data:`NO_OUTLET`, "(no outlet)") in the list
  keeps articles with no outlet.
- ``text``: a query in the corpus query language (words, "phrases", AND, OR, NOT, ``-word``,
  parentheses, ``prefix*``, ``source:``, ``entity:``, ``title:``; see
  :mod:`analysis.storage.corpus.query_language`), matched per article; a query that cannot be
  read raises :class:`~analysis.storage.corpus.query_language.QuerySyntaxError`.
- ``entity``: a named entity (canonical name) the article must mention.
- ``include_duplicates``: count every copy of a story. By default each story counts once:
  near-duplicates (``articles.duplicate_of`` set: wire copy on two sites, a site's two URLs)
  are left out; older revisions of a URL never count (only ``articles.latest`` ones).

Every result has the same columns when it has no rows, and its order is total (ties broken
by name or key), so output is deterministic.

The queries live in modules by what they answer; this module gathers them under one name:
:mod:`~analysis.storage.corpus.sql_filters` (the filter and shared SQL helpers),
:mod:`~analysis.storage.corpus.article_queries` (search, the article table, the summary),
:mod:`~analysis.storage.corpus.term_queries` (word counts, log-odds distinctive words),
:mod:`~analysis.storage.corpus.entity_queries` (entities, pairs, quoted speakers),
:mod:`~analysis.storage.corpus.tone_queries` (tone) and
:mod:`~analysis.storage.corpus.page_queries` (what the dashboard pages ask besides).
"""

from analysis.storage.corpus.article_queries import (
    CorpusInfo,
    _search_boolean,
    _search_full_hits,
    _search_sql,
    article_table,
    corpus_info,
    search,
    source_counts,
)
from analysis.storage.corpus.entity_queries import (
    _cooccurrence,
    cooccurrence,
    cooccurrence_paragraphs,
    entity_sentiment_over_time,
    mentions_over_time,
    quoted_speakers,
    top_entities,
)
from analysis.storage.corpus.page_queries import (
    MENTION_PARAGRAPHS,
    SelectionCounts,
    article_corrections,
    article_texts,
    duplicates_of,
    export_article_count,
    filtered_parquet,
    mention_paragraphs,
    selected_count,
    selection_counts,
)
from analysis.storage.corpus.sql_filters import (
    ARTICLE_SORTS,
    INTERVALS,
    MAX_JOINED_WORDS,
    MAX_QUERY_WORDS,
    MODELS,
    PHRASE_CANDIDATES,
    Day,
    Query,
    Source,
    _all_found,
    _check_words,
    _counted,
    _day,
    _has_query,
    _hits,
    _in,
    _interval,
    _model,
    _month_where,
    _open,
    _outlet_condition,
    _outlets,
    _outlets_only,
    _paragraphs_with_all,
    _phrase_check,
    _phrase_docs,
    _phrase_pattern,
    _phrase_sql,
    _run,
    _run_empty,
    _selected,
    _source_condition,
    _text_match,
    _unfiltered,
    _where,
    _whole_months,
    parse_query,
)
from analysis.storage.corpus.term_queries import (
    _top_terms,
    distinctive_terms,
    top_terms,
)
from analysis.storage.corpus.tone_queries import (
    article_sentiment,
    sentiment_over_time,
)

__all__ = [
    "ARTICLE_SORTS",
    "CorpusInfo",
    "Day",
    "INTERVALS",
    "MAX_JOINED_WORDS",
    "MAX_QUERY_WORDS",
    "MENTION_PARAGRAPHS",
    "SelectionCounts",
    "MODELS",
    "PHRASE_CANDIDATES",
    "Query",
    "Source",
    "article_corrections",
    "article_sentiment",
    "article_table",
    "article_texts",
    "cooccurrence",
    "cooccurrence_paragraphs",
    "corpus_info",
    "distinctive_terms",
    "duplicates_of",
    "entity_sentiment_over_time",
    "export_article_count",
    "filtered_parquet",
    "mention_paragraphs",
    "mentions_over_time",
    "parse_query",
    "quoted_speakers",
    "search",
    "selected_count",
    "selection_counts",
    "sentiment_over_time",
    "source_counts",
    "top_entities",
    "top_terms",
]
# The shared helpers, for the corpus modules and callers that imported them from here.
__all__ += [
    "_all_found",
    "_check_words",
    "_cooccurrence",
    "_counted",
    "_day",
    "_has_query",
    "_hits",
    "_in",
    "_interval",
    "_model",
    "_month_where",
    "_open",
    "_outlet_condition",
    "_outlets",
    "_outlets_only",
    "_paragraphs_with_all",
    "_phrase_check",
    "_phrase_docs",
    "_phrase_pattern",
    "_phrase_sql",
    "_run",
    "_run_empty",
    "_search_boolean",
    "_search_full_hits",
    "_search_sql",
    "_selected",
    "_source_condition",
    "_text_match",
    "_top_terms",
    "_unfiltered",
    "_where",
    "_whole_months",
]
