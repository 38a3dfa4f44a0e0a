"""The corpus: many analysed articles in one DuckDB file, and the queries over them."""

from analysis.corpus.queries import (
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
from analysis.corpus.schema import CONTRACT, SCHEMA_VERSION, TABLES, empty_table, empty_tables
from analysis.corpus.store import (
    CorpusBusyError,
    CorpusInputError,
    CorpusReader,
    CorpusStore,
    ErrorRow,
    default_path,
    migrate,
    schema_version,
    write_tables,
)

__all__ = [
    "CorpusInfo", "Query", "article_sentiment", "article_table", "cooccurrence",
    "cooccurrence_paragraphs", "corpus_info", "distinctive_terms", "entity_sentiment_over_time",
    "mentions_over_time", "parse_query", "quoted_speakers", "search", "sentiment_over_time",
    "source_counts", "top_entities", "top_terms",
    "CONTRACT", "SCHEMA_VERSION", "TABLES", "CorpusBusyError", "CorpusInputError", "CorpusReader",
    "CorpusStore",
    "ErrorRow", "default_path", "empty_table", "empty_tables", "migrate", "schema_version",
    "write_tables",
]  # fmt: skip

# Ingest: an analysis -> contract rows, the inputs `newslens corpus add` reads, the runners.
from analysis.corpus.ingest import Columns, Document, IngestError, check_inputs, read_inputs  # noqa: E402
from analysis.corpus.records import (  # noqa: E402
    ANALYSIS_VERSION,
    ArticleMeta,
    article_rows,
    article_tables,
    corpus_options,
    document_key,
    tables_from_rows,
)
from analysis.corpus.runners import IngestReport, Progress, run_dask, run_local  # noqa: E402

__all__ += [
    "ANALYSIS_VERSION", "ArticleMeta", "Columns", "Document", "IngestError", "IngestReport",
    "Progress", "article_rows", "article_tables", "check_inputs", "corpus_options",
    "document_key", "read_inputs", "run_dask", "run_local", "tables_from_rows",
]  # fmt: skip
