"""The corpus file's schema version and its migration: the steps of
:data:`~analysis.storage.corpus.schema.MIGRATIONS` after the file's version, in one transaction."""

from __future__ import annotations

from contextlib import suppress

import duckdb

from analysis.storage.corpus.schema import MIGRATIONS, SCHEMA_VERSION


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version recorded in ``meta`` (0 for a file without one)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
    ).fetchone()[0]
    if not exists:
        return 0
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection, *, target: int = SCHEMA_VERSION) -> int:
    """Apply the migration steps after the file's version up to ``target``, in order, in one
    transaction. Returns the version reached."""
    current = schema_version(con)
    if current >= target:
        return current
    con.execute("BEGIN")
    try:
        con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        for step in MIGRATIONS:
            if current < step.version <= target:
                for statement in step.statements:
                    if callable(statement):
                        statement(con)
                    else:
                        con.execute(statement)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(target)])
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise
    return target


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back after an error. DuckDB may have aborted the transaction itself (a failed
    commit, a full disk): then there is nothing to roll back, and the error being raised, not
    "cannot rollback", is what the user must see."""
    with suppress(duckdb.Error):
        con.execute("ROLLBACK")
