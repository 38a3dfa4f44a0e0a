"""The corpus: many analysed articles in one DuckDB file, and the queries over them."""

from analysis.corpus.schema import CONTRACT, SCHEMA_VERSION, TABLES, empty_table, empty_tables
from analysis.corpus.store import (
    CorpusBusyError,
    CorpusInputError,
    CorpusStore,
    ErrorRow,
    default_path,
    migrate,
    schema_version,
    write_tables,
)

__all__ = [
    "CONTRACT", "SCHEMA_VERSION", "TABLES", "CorpusBusyError", "CorpusInputError", "CorpusStore",
    "ErrorRow", "default_path", "empty_table", "empty_tables", "migrate", "schema_version",
    "write_tables",
]  # fmt: skip
