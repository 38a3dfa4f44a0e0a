"""The corpus store: many analysed articles in one DuckDB file, their rows and the queries over them."""

from analysis.storage.corpus.queries import (
    CorpusInfo,
    Query,
    article_sentiment,
    article_table,
    cooccurrence,
    cooccurrence_paragraphs,
    corpus_info,
    distinctive_terms,
    entity_sentiment_over_time,
    mentions_over_time,
    parse_query,
    quoted_speakers,
    search,
    sentiment_over_time,
    source_counts,
    top_entities,
    top_terms,
)
from analysis.storage.corpus.schema import (
    CONTRACT,
    SCHEMA_VERSION,
    TABLES,
    empty_table,
    empty_tables,
)
from analysis.storage.corpus.store import (
    CorpusBusyError,
    CorpusInputError,
    CorpusReader,
    CorpusStore,
    ErrorRow,
    migrate,
    schema_version,
    write_tables,
)

__all__ = [
    "CorpusInfo",
    "Query",
    "article_sentiment",
    "article_table",
    "cooccurrence",
    "cooccurrence_paragraphs",
    "corpus_info",
    "distinctive_terms",
    "entity_sentiment_over_time",
    "mentions_over_time",
    "parse_query",
    "quoted_speakers",
    "search",
    "sentiment_over_time",
    "source_counts",
    "top_entities",
    "top_terms",
    "CONTRACT",
    "SCHEMA_VERSION",
    "TABLES",
    "CorpusBusyError",
    "CorpusInputError",
    "CorpusReader",
    "CorpusStore",
    "ErrorRow",
    "empty_table",
    "empty_tables",
    "migrate",
    "schema_version",
    "write_tables",
]

# An analysis -> contract rows.
from analysis.storage.corpus.records import (  # noqa: E402
    ANALYSIS_VERSION,
    ArticleMeta,
    article_rows,
    article_tables,
    corpus_options,
    document_key,
    tables_from_rows,
)

__all__ += [
    "ANALYSIS_VERSION",
    "ArticleMeta",
    "article_rows",
    "article_tables",
    "corpus_options",
    "document_key",
    "tables_from_rows",
]
