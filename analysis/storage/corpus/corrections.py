"""A reader's corrections to the entities of a whole corpus, kept in the corpus file.

The three corrections of :mod:`analysis.core.corrections` (merge, label, ignore) are stored
in table ``corrections`` (number, kind, name, target, who, at), in the order they were made.
The analysed rows never change: they live in ``analysed_mentions``, ``analysed_entities``,
``analysed_quotes`` and ``analysed_entity_sentences``, and views under the tables' contract
names apply the corrections on read (:func:`analysis.storage.corpus.schema.corrected_views`),
so every query (entities, mentions, pairs, who is quoted, sentiment toward an entity, the
entity filter) follows them, and an article analysed again is corrected too. The corrections
in order resolve into one small table, ``correction_map`` (each name touched: the entity it
counts for, a type, or no name), which the views join; with no correction the views are the
analysed tables as they are. The sums per outlet that the entity, pair and speaker queries
read (``entity_sources``, ``pair_sources``, ``speaker_sources``) are built from the views,
so when the corrections change their rows of the names touched are rebuilt.

Semantics are those of an article's corrections (:func:`analysis.core.corrections.apply_corrections`),
applied to every article: a merged name counts for the target with the target's type in that
article (its own where the target is not named), a label sets the type, an ignored name's
mentions and sentences go and its quotes lose their speaker. Two rare orders differ: a type
given to a name later merged into a target absent from an article is not kept there, and an
ignore after a merge compares a quote's speaker with the name as analysed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

import duckdb

from analysis.core.corrections import Correction, CorrectionError, correction
from analysis.storage.corpus.migrations import rollback
from analysis.storage.corpus.schema import (
    COUNTED,
    OUTLET_TOTALS,
    Column,
    corrected_views,
    plain_views,
)
from analysis.storage.corpus.store import CorpusStore

#: The columns of table ``corrections`` (also the exported table), in order.
CORRECTION_COLUMNS: tuple[str, ...] = ("number", "kind", "name", "target", "who", "at")
_COLUMNS_SQL = 'number, kind, name, target, who, "at"'
#: The exported ``corrections`` table: its columns with their types, and what they hold.
CORRECTION_FIELDS: tuple[Column, ...] = (
    Column("number", "INTEGER", "int64"),
    *(Column(name, "VARCHAR", "str") for name in ("kind", "name", "target", "who")),
    Column("at", "TIMESTAMP", "datetime64[us]"),
)
CORRECTION_DESCRIPTIONS: dict[str, str] = {
    "number": "the correction's number, in the order made (applied in that order)",
    "kind": "merge (the name is the target entity), label (the name's type is the target) "
    "or ignore (the name is no name)",
    "name": "the entity corrected, as the analysis named it or an earlier correction did",
    "target": "merge: the entity it is; label: its type; ignore: empty",
    "who": "who made the correction",
    "at": "when it was made",
}
#: SQL of the exported table (every correction: they apply to the whole corpus).
EXPORT_SELECT = f"SELECT {_COLUMNS_SQL} FROM corrections ORDER BY number"


class StoredCorrection(NamedTuple):
    """One correction of a corpus, as listed (``correct list``) and undone by its number."""

    number: int  #: 1, 2, ... in the order made; never reused
    kind: str  #: "merge", "label" or "ignore"
    name: str  #: the entity corrected
    target: str | None  #: merge: the entity it is; label: its type; ignore: None
    who: str | None  #: who made it (a user name, "Corpus page")
    at: datetime  #: when


class MapRow(NamedTuple):
    """What the corrections make of one name (a row of ``correction_map``)."""

    name: str  #: the name as the analysis gave it
    entity: str  #: the entity it counts for
    label: str | None  #: the type a label correction gave it, else None (own or target's)
    dropped: bool  #: True when the name is no name


def correction_map(corrections: Iterable[Correction]) -> list[MapRow]:
    """What ``corrections``, applied in order, make of each name they touch.

    A merge moves every name that counts for its name (so "A into B" then "B into C" counts A
    for C) and takes a type a label correction gave the target; a label sets the type of
    every name counting for it; an ignore drops them. A merge target is listed too, as itself,
    so that its rows and the merged ones fold into one per article.

    Returns:
        one :class:`MapRow` per name touched, sorted by name.
    """
    state: dict[str, list] = {}

    def touch(name: str) -> list:
        return state.setdefault(name, [name, None, False])

    for item in corrections:
        touch(item.name)
        if item.kind == "merge":
            target = touch(item.target)
            fixed = target[1] if target[0] == item.target and not target[2] else None
            moves = {"entity": item.target, "label": fixed}
        elif item.kind == "label":
            moves = {"label": item.target}
        else:
            moves = {"dropped": True}
        for row in state.values():
            if row[0] == item.name and not row[2]:
                if "entity" in moves:
                    row[0] = moves["entity"]
                if "label" in moves:
                    row[1] = moves["label"]
                if "dropped" in moves:
                    row[2] = True
    return [MapRow(name, *state[name]) for name in sorted(state)]


def corpus_corrections(con: duckdb.DuckDBPyConnection) -> list[StoredCorrection]:
    """The corrections of the corpus open on ``con``, in the order made.

    Returns:
        a list of :class:`StoredCorrection` (empty for none).
    """
    rows = con.execute(f"SELECT {_COLUMNS_SQL} FROM corrections ORDER BY number").fetchall()
    return [StoredCorrection(*row) for row in rows]


def list_corrections(store: CorpusStore) -> list[StoredCorrection]:
    """:func:`corpus_corrections` of ``store`` (one read-only connection)."""
    with store.reader() as con:
        return corpus_corrections(con)


def add_correction(
    store: CorpusStore,
    kind: str,
    name: str,
    target: str | None = None,
    *,
    who: str | None = None,
    at: datetime | None = None,
) -> StoredCorrection:
    """Store one correction of the whole corpus and apply it to every query at once.

    Args:
        store: the corpus.
        kind, name, target: the correction (see :func:`analysis.core.corrections.correction`).
        who: who makes it, as the list shows it.
        at: when (default now).

    Returns:
        the :class:`StoredCorrection`, with its number.

    Raises:
        CorrectionError: the correction is not one (an unknown kind or type, a merge into
            itself), or ``name`` is no entity of the corpus as corrected so far.
    """
    item = correction(kind, name, target)
    with store.writer() as con:
        known = con.execute(
            "SELECT count(*) FROM (SELECT 1 FROM entities WHERE entity = ? LIMIT 1)", [item.name]
        ).fetchone()[0]
        if not known:
            raise CorrectionError(
                f'"{item.name}" is not an entity of this corpus (as corrected so far); '
                "names are written as the entity lists show them."
            )
        con.execute("BEGIN")
        try:
            number = con.execute("SELECT coalesce(max(number), 0) + 1 FROM corrections").fetchone()
            stored = StoredCorrection(number[0], *item, who, at or datetime.now())
            con.execute("INSERT INTO corrections VALUES (?, ?, ?, ?, ?, ?)", list(stored))
            refresh_corrections(con)
            con.execute("COMMIT")
        except BaseException:
            rollback(con)
            raise
    return stored


def undo_correction(store: CorpusStore, number: int) -> StoredCorrection:
    """Remove correction ``number``; every query follows at once, as if it had never been made.

    Returns:
        the correction removed.

    Raises:
        CorrectionError: the corpus has no correction of that number.
    """
    with store.writer() as con:
        row = con.execute(
            f"SELECT {_COLUMNS_SQL} FROM corrections WHERE number = ?", [number]
        ).fetchone()
        if row is None:
            raise CorrectionError(
                f"This corpus has no correction number {number}; `newslens corpus correct list` "
                "shows them."
            )
        con.execute("BEGIN")
        try:
            con.execute("DELETE FROM corrections WHERE number = ?", [number])
            refresh_corrections(con)
            con.execute("COMMIT")
        except BaseException:
            rollback(con)
            raise
    return StoredCorrection(*row)


def restore_corrections(con: duckdb.DuckDBPyConnection, rows: Sequence[Sequence]) -> int:
    """Append corrections read from an export (kind, name, target, who, at each, in order),
    those whose kind, name and target no stored correction has, numbered after
    the stored ones; then apply them. Runs inside the caller's transaction.

    Returns:
        how many were added.

    Raises:
        CorrectionError: a row is not a correction.
    """
    stored = {(c.kind, c.name, c.target) for c in corpus_corrections(con)}
    number = con.execute("SELECT coalesce(max(number), 0) FROM corrections").fetchone()[0]
    added = 0
    for kind, name, target, who, at in rows:
        item = correction(kind, name, target)
        if tuple(item) in stored:
            continue
        stored.add(tuple(item))
        number += 1
        added += 1
        con.execute(
            "INSERT INTO corrections VALUES (?, ?, ?, ?, ?, ?)",
            [number, *item, who, at or datetime.now()],
        )
    if added:
        refresh_corrections(con)
    return added


def restore_exported(con: duckdb.DuckDBPyConnection, select: str) -> int:
    """:func:`restore_corrections` of the rows of ``select`` (an exported table read back).

    Returns:
        how many were added.
    """
    rows = con.execute(f'SELECT kind, name, target, who, "at" FROM ({select}) ORDER BY number')
    return restore_corrections(con, rows.fetchall())


def refresh_corrections(con: duckdb.DuckDBPyConnection) -> None:
    """Resolve the stored corrections into ``correction_map``, point the views at it (or at
    the analysed tables when there is none), and rebuild the sums per outlet of the names
    whose counts can change (those of the old map and of the new). Runs inside the caller's
    transaction."""
    items = [Correction(c.kind, c.name, c.target) for c in corpus_corrections(con)]
    rows = correction_map(items)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _touched AS SELECT name FROM correction_map "
        "UNION SELECT entity FROM correction_map"
    )
    con.execute("DELETE FROM correction_map")
    if rows:
        con.executemany("INSERT INTO correction_map VALUES (?, ?, ?, ?)", [list(r) for r in rows])
    con.execute(
        "INSERT INTO _touched SELECT name FROM correction_map UNION SELECT entity FROM "
        "correction_map EXCEPT SELECT name FROM _touched"
    )
    for statement in corrected_views() if rows else plain_views():
        con.execute(statement)
    _refresh_sums(con)
    con.execute("DROP TABLE _touched")


def _refresh_sums(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the rows of the sums per outlet (built from the views) that a change of the
    map can change: those of a touched name (``_touched``), of a pair with one, and of a
    speaker key a touched quote had or has (its entity, or its speaker text once unlinked).
    A row of an untouched name reads the same through either map, so the rest stays."""
    touched = "(SELECT name FROM _touched)"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _speakers AS SELECT name FROM _touched UNION
        SELECT speaker FROM analysed_quotes
        WHERE (entity IN {touched} OR speaker IN {touched}) AND speaker IS NOT NULL""")
    speakers = "(SELECT name FROM _speakers)"
    counted = f"doc_id IN (SELECT a.doc_id FROM articles a WHERE {COUNTED})"
    named = f"doc_id IN (SELECT doc_id FROM analysed_entities WHERE entity IN {touched})"
    quoted = (
        f"doc_id IN (SELECT doc_id FROM analysed_quotes WHERE entity IN {speakers} "
        f"OR speaker IN {speakers})"
    )
    keys = {
        "entity_sources": (f"entity IN {touched}", named),
        "pair_sources": (f"entity_a IN {touched} OR entity_b IN {touched}", named),
        "speaker_sources": (f"speaker IN {speakers}", quoted),
    }
    for totals in OUTLET_TOTALS:
        key, docs = keys[totals.table]
        con.execute(f"DELETE FROM {totals.table} WHERE {key}")
        rows = totals.rows.format(sign="", where=f"{counted} AND {docs}")
        con.execute(f"INSERT INTO {totals.table} BY NAME SELECT * FROM ({rows}) WHERE {key}")
    con.execute("DROP TABLE _speakers")


__all__ = [
    "CORRECTION_COLUMNS",
    "MapRow",
    "StoredCorrection",
    "add_correction",
    "correction_map",
    "corpus_corrections",
    "list_corrections",
    "refresh_corrections",
    "restore_corrections",
    "restore_exported",
    "undo_correction",
]
