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

# The query language, what a filter selects, series over time, keyness, exports, citing.
from analysis.storage.corpus.citation import cite_view, newslens_version  # noqa: E402
from analysis.storage.corpus.exchange import (  # noqa: E402
    ExportError,
    ExportResult,
    ImportResult,
    check_export,
    export_archive,
    export_corpus,
    import_corpus,
)
from analysis.storage.corpus.keywords import Target, default_target, keyness  # noqa: E402
from analysis.storage.corpus.location import (  # noqa: E402
    NotACorpusError,
    check_corpus_file,
    corpus_name,
)
from analysis.storage.corpus.query_language import (  # noqa: E402
    NO_OUTLET,
    ParsedQuery,
    QuerySyntaxError,
    parse_search,
)
from analysis.storage.corpus.selection import (  # noqa: E402
    QueryReading,
    Selection,
    outlet_label,
    outlet_values,
    query_reading,
    selection_summary,
    unknown_entities,
    unknown_outlets,
)
from analysis.storage.corpus.timeline import (  # noqa: E402
    coverage,
    mentions_series,
    period_starts,
    tone_series,
)

__all__ += [
    "cite_view",
    "newslens_version",
    "ExportError",
    "ExportResult",
    "ImportResult",
    "check_export",
    "export_archive",
    "export_corpus",
    "import_corpus",
    "Target",
    "default_target",
    "keyness",
    "NotACorpusError",
    "check_corpus_file",
    "corpus_name",
    "NO_OUTLET",
    "ParsedQuery",
    "QuerySyntaxError",
    "parse_search",
    "QueryReading",
    "Selection",
    "outlet_label",
    "outlet_values",
    "query_reading",
    "selection_summary",
    "unknown_entities",
    "unknown_outlets",
    "coverage",
    "mentions_series",
    "period_starts",
    "tone_series",
]
