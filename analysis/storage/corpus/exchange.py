"""Exports a researcher can load and cite, and importing them back.

An export is a folder (or the same files in a ``.zip``) holding one file per table, Parquet or
CSV, and a `Frictionless Data Package <https://specs.frictionlessdata.io/data-package/>`_
descriptor, ``datapackage.json``, written to the v1 specification (a tabular data package):
every resource with its path, format and table schema (field names, types, descriptions,
keys; a CSV file also its size in bytes and SHA-256 hash), plus a ``newslens`` block with the
NewsLens version, the analysis and schema versions, the corpus, the query (as typed and as
read), the filters, the time, and the rows, articles, bytes and SHA-256 of every table (the
manifest an import checks), and a ``citation`` line. The Frictionless validator
(``frictionless validate datapackage.json``) accepts both formats.

Tables: the corpus contract (:mod:`analysis.storage.corpus.schema`; every row keyed by
``doc_key``, the SHA-256 of the document; the analysed rows, before corrections), ``errors``
and ``corrections`` (the reader's, all of them: an import adds those it lacks and applies them). The ``articles`` table also has
``doc_id`` (the same key, under the name quanteda, readtext and tidytext expect) and ``text``
(the headline and body paragraphs, separated by blank lines). An export holds every article the
filter selects, near-duplicate copies and older revisions included (``duplicate_of`` and
``revision`` say which), so that an import restores the corpus as it was; a filtered export has
no error rows (errors belong to no article).

An import checks everything before it writes anything: the descriptor, every file listed
(present, size, hash), every table of the schema with its columns, row and article counts
equal to the manifest, every row's ``doc_key`` among the articles; then writes all the
articles in one transaction (with the rules of :meth:`CorpusStore.add`: an article stored
under the same analysis version is skipped) and the error rows not already stored.
A folder without a descriptor (an older export, a Dask shard) is imported when it holds a
Parquet file for every table of the contract.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from typing import NamedTuple

import duckdb

from analysis.core.metadata import ANALYSIS_VERSION
from analysis.errors import ArticleError
from analysis.storage.corpus import corrections as fixes
from analysis.storage.corpus.citation import cite_view, newslens_version
from analysis.storage.corpus.queries import Day, Source, _open, _where
from analysis.storage.corpus.query_language import parse_search
from analysis.storage.corpus.schema import (
    CONTRACT,
    DESCRIPTIONS,
    ERROR_COLUMNS,
    ORDER,
    SCHEMA_VERSION,
    TABLES,
    Column,
    q,
    stored_table,
)
from analysis.storage.corpus.store import CorpusStore, _write_registered

FORMATS = ("parquet", "csv")
DESCRIPTOR = "datapackage.json"
#: Every table of an export, in the descriptor's order.
EXPORT_TABLES: tuple[str, ...] = (*TABLES, "errors", "corrections")
#: Tables of no article: their rows are counted, not their articles.
_OF_NO_ARTICLE = {"errors": "document", "corrections": "number"}
#: Members of an archive an import reads at most (an export has a few).
MAX_MEMBERS = 64
_MEDIA = {"parquet": "application/vnd.apache.parquet", "csv": "text/csv"}
_TYPES = {
    "VARCHAR": "string",
    "INTEGER": "integer",
    "BIGINT": "integer",
    "DOUBLE": "number",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "datetime",
    "INTEGER[]": "array",
}
_TIMESTAMP = "%Y-%m-%dT%H:%M:%S.%f"


class ExportError(ArticleError):
    """A folder or archive that cannot be imported (incomplete, changed since export, or not
    an export); nothing was written."""


class ExportResult(NamedTuple):
    """What :func:`export_corpus` wrote: ``path`` (the folder or .zip), the number of
    ``articles``, the data ``files`` (in table order, the descriptor not included) and the
    ``descriptor`` (the contents of datapackage.json)."""

    path: Path
    articles: int
    files: tuple[str, ...]
    descriptor: dict


class ImportResult(NamedTuple):
    """What an import did: articles ``added`` (new or replacing an older version), articles
    ``skipped`` (already stored under the same or a newer version) and ``errors`` rows
    added (rows already stored are not added twice)."""

    added: int
    skipped: int
    errors: int


# -- export --------------------------------------------------------------------------------


def export_corpus(
    source: Source,
    target: Path | str,
    *,
    format: str = "parquet",
    start: Day = None,
    end: Day = None,
    sources: Sequence[str | None] | None = None,
    text: str | None = None,
    entity: str | None = None,
    corpus: str | None = None,
    created: datetime | None = None,
) -> ExportResult:
    """Export the selected articles (every article without a filter) to ``target``: a
    folder, or a ``.zip`` archive when its name ends so. See the module docstring.

    Args:
        source: the corpus (a store, reader or connection).
        target: a folder that does not exist or is empty, or a ``.zip`` path (replaced).
        format: "parquet" or "csv".
        start, end, sources, text, entity: the filter (see
            :mod:`analysis.storage.corpus.queries`).
        corpus: the corpus's name in the descriptor and citation (default: the store file's
            name, never its folder).
        created: the export's time (default now, UTC).

    Returns:
        an :class:`ExportResult`.

    Raises:
        ExportError: the target is not usable.
        QuerySyntaxError: the query cannot be read.
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    target = Path(target)
    archive = target.suffix.lower() == ".zip"
    if archive and target.is_dir():
        raise ExportError(f"{target.name} is a folder; an archive's name must be a new file.")
    if not archive and target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ExportError(f"{target.name} exists and is not an empty folder; choose a new one.")
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    # Not mkdtemp: its folder is private (0700) and would stay so once renamed to the target.
    work = parent / f".{target.name}.{uuid.uuid4().hex[:12]}"
    work.mkdir()
    try:
        result = _write_export(
            source,
            work,
            format=format,
            filters=(start, end, sources, text, entity),
            corpus=corpus or _corpus_name(source),
            created=created,
        )
        if archive:
            staged = parent / f".{target.name}.{uuid.uuid4().hex[:8]}.zip"
            _zip_folder(work, staged, [*result.files, DESCRIPTOR])
            os.replace(staged, target)
        else:
            if target.exists():
                target.rmdir()
            os.replace(work, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result._replace(path=target)


def export_archive(
    source: Source,
    *,
    format: str = "parquet",
    start: Day = None,
    end: Day = None,
    sources: Sequence[str | None] | None = None,
    text: str | None = None,
    entity: str | None = None,
    corpus: str | None = None,
    created: datetime | None = None,
) -> bytes:
    """:func:`export_corpus` as the bytes of a ``.zip`` (a download), written in a temporary
    folder."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.zip"
        export_corpus(
            source,
            path,
            format=format,
            start=start,
            end=end,
            sources=sources,
            text=text,
            entity=entity,
            corpus=corpus,
            created=created,
        )
        return path.read_bytes()


def _corpus_name(source: Source) -> str:
    store = getattr(source, "store", source)
    path = getattr(store, "path", None)
    return Path(path).name if path is not None else "corpus"


def _write_export(
    source: Source,
    folder: Path,
    *,
    format: str,
    filters: tuple,
    corpus: str,
    created: datetime | None,
) -> ExportResult:
    start, end, sources, text, entity = filters
    parsed = parse_search(text)
    created = (created or datetime.now(UTC)).replace(microsecond=0)
    params: list = []
    where = _where(start, end, sources, text, entity, params, every_revision=True)
    whole = all(v is None for v in (start, end, sources, entity)) and parsed.node is None
    ids = f"_export_ids_{uuid.uuid4().hex}"
    options = (
        "FORMAT parquet"
        if format == "parquet"
        else f"FORMAT csv, HEADER true, timestampformat '{_TIMESTAMP}'"
    )
    files, tables = [], {}
    with _open(source) as con:
        con.execute(
            f"CREATE TEMP TABLE {ids} AS SELECT a.doc_id FROM articles a WHERE {where}", params
        )
        try:
            first, last = con.execute(f"SELECT min(doc_id), max(doc_id) FROM {ids}").fetchone()
            span = (first, last) if first is not None else (0, -1)
            for name in EXPORT_TABLES:
                path = folder / f"{name}.{format}"
                select = _export_select(name, ids, errors=whole, span=span)
                con.execute(f"COPY ({select}) TO '{_sql_path(path)}' ({options})")
                files.append(path.name)
                key = _OF_NO_ARTICLE.get(name, "doc_key")
                rows, articles = con.execute(
                    f"SELECT count(*), count(DISTINCT {key}) FROM ({_reader(path, name, format)})"
                ).fetchone()
                tables[name] = {"rows": int(rows), "articles": int(articles)}
        finally:
            con.execute(f"DROP TABLE IF EXISTS {ids}")
    tables.update({name: {"rows": tables[name]["rows"]} for name in _OF_NO_ARTICLE})
    count = tables["articles"]["rows"]
    citation = cite_view(
        corpus=corpus,
        articles=count,
        start=start,
        end=end,
        sources=sources,
        text=text,
        entity=entity,
        when=created,
    )
    descriptor = _descriptor(
        folder,
        files,
        format=format,
        corpus=corpus,
        created=created,
        filters=filters,
        parsed=parsed.describe(),
        tables=tables,
        citation=citation,
    )
    (folder / DESCRIPTOR).write_text(
        json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return ExportResult(folder, count, tuple(files), descriptor)


def _columns(name: str) -> tuple[Column, ...]:
    """The exported columns of a table, in file order."""
    if name in _OF_NO_ARTICLE:
        return ERROR_COLUMNS if name == "errors" else fixes.CORRECTION_FIELDS
    columns = CONTRACT[name]
    if name == "articles":
        return (Column("doc_id", "VARCHAR", "str"), *columns, Column("text", "VARCHAR", "str"))
    return columns


def _export_select(name: str, ids: str, *, errors: bool, span: tuple[int, int]) -> str:
    """SQL of one exported table for the articles in temp table ``ids``, whose doc_ids lie in
    ``span`` (first, last): a range DuckDB can skip row groups by, where the semi-join alone
    reads every row of the table (a month of a large corpus is a narrow range, as ids follow
    the dates of each write)."""
    within = f"BETWEEN {int(span[0])} AND {int(span[1])}"
    if name == "errors":
        rows = "" if errors else " WHERE FALSE"
        return f'SELECT document, reason, "at" FROM errors{rows} ORDER BY "at", document, reason'
    if name == "corrections":
        return fixes.EXPORT_SELECT
    columns = CONTRACT[name]
    if name == "articles":
        cols = ", ".join(f"a.{q(c.name)}" for c in columns)
        return f"""
            SELECT a.doc_key AS doc_id, {cols},
                   string_agg(p.text, chr(10) || chr(10) ORDER BY p.paragraph)
                       FILTER (WHERE p.kind IN ('headline', 'body')) AS text
            FROM articles a
            LEFT JOIN (SELECT * FROM paragraphs WHERE doc_id {within}) p USING (doc_id)
            WHERE a.doc_id {within} AND a.doc_id IN (SELECT doc_id FROM {ids})
            GROUP BY ALL ORDER BY a.doc_key"""
    cols = ", ".join(["a.doc_key", *(f"t.{q(c.name)}" for c in columns[1:])])
    order = ", ".join(["a.doc_key", *(f"t.{q(c)}" for c in ORDER[name])])
    return f"""SELECT {cols} FROM {stored_table(name)} t JOIN articles a USING (doc_id)
               WHERE t.doc_id {within} AND t.doc_id IN (SELECT doc_id FROM {ids})
               ORDER BY {order}"""


def _descriptor(
    folder: Path,
    files: list[str],
    *,
    format: str,
    corpus: str,
    created: datetime,
    filters: tuple,
    parsed: str,
    tables: dict,
    citation: str,
) -> dict:
    start, end, sources, text, entity = filters
    resources = []
    for name, file in zip(EXPORT_TABLES, files, strict=True):
        path = folder / file
        size, digest = path.stat().st_size, f"sha256:{_sha256(path)}"
        tables[name] = {**tables[name], "bytes": size, "hash": digest}
        resource = {
            "name": name,
            "path": file,
            "profile": "tabular-data-resource",
            "format": format,
            "mediatype": _MEDIA[format],
        }
        if format == "csv":
            # Frictionless validators count and hash the bytes of text files only (a Parquet
            # file is read through its columns): the manifest below holds them for both.
            resource["bytes"] = size
            resource["hash"] = digest
            resource["encoding"] = "utf-8"
            resource["dialect"] = {
                "delimiter": ",",
                "doubleQuote": True,
                "header": True,
                "lineTerminator": "\n",
                "quoteChar": '"',
            }
        resource["schema"] = _schema(name, format)
        resources.append(resource)
    stamp = created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "profile": "tabular-data-package",
        "name": _package_name(corpus, created),
        "title": f"NewsLens export of {corpus}: {tables['articles']['rows']:,} articles",
        "description": (
            "Articles analysed by NewsLens (sentiment, named entities, quotes, word counts), "
            "one table per file, every row keyed by doc_key (the SHA-256 of the document)."
        ),
        "created": stamp,
        "citation": citation,
        "newslens": {
            "version": newslens_version(),
            "analysis_version": ANALYSIS_VERSION,
            "schema_version": SCHEMA_VERSION,
            "corpus": corpus,
            "format": format,
            "query": text or "",
            "parsed_query": parsed,
            "filters": {
                "start": _iso(start),
                "end": _iso(end),
                "sources": None if sources is None else [s for s in sources],
                "entity": entity,
            },
            "created": stamp,
            "tables": tables,
        },
        "resources": resources,
    }


def _schema(name: str, format: str) -> dict:
    fields, described = [], fixes.CORRECTION_DESCRIPTIONS if name == "corrections" else DESCRIPTIONS
    for column in _columns(name):
        field = {
            "name": column.name,
            "type": _TYPES[column.sql],
            "description": described.get(column.name, ""),
        }
        if column.sql == "TIMESTAMP":
            field["format"] = "any"
        if column.sql == "INTEGER[]" and format == "parquet":
            # A Parquet list column; Frictionless's "array" is JSON text, as in the CSV files.
            field["type"] = "any"
            field["description"] += " (a list of integers)"
        fields.append(field)
    schema: dict = {"fields": fields, "missingValues": [""]}
    if name in ("articles", "corrections"):
        schema["primaryKey"] = ["doc_key" if name == "articles" else "number"]
    elif name != "errors":
        schema["foreignKeys"] = [
            {"fields": ["doc_key"], "reference": {"resource": "articles", "fields": ["doc_key"]}}
        ]
    return schema


def _package_name(corpus: str, created: datetime) -> str:
    """A Data Package name: lower-case letters, digits, "-", "_" and "."."""
    base = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "-" for c in corpus)
    return f"newslens-{base.lower().strip('-.') or 'corpus'}-{created:%Y%m%d}"


def _iso(value: Day) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _zip_folder(folder: Path, target: Path, names: Sequence[str]) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.write(folder / name, name)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


# -- import --------------------------------------------------------------------------------


class _Checked(NamedTuple):
    """A folder ready to import: its files per table (None for errors when absent), their
    format, and the number of articles it holds."""

    folder: Path
    files: dict[str, Path | None]
    format: str
    articles: int


def import_corpus(store: CorpusStore, path: Path | str) -> ImportResult:
    """Import an export (a folder or a ``.zip``; see the module docstring) into ``store``,
    after checking all of it.

    Returns:
        an :class:`ImportResult`.

    Raises:
        ExportError: the export is incomplete, changed since it was written, or not an
            export; nothing was written.
    """
    with _unpacked(Path(path)) as folder:
        checked = check_export(folder)
        return _import_checked(store, checked)


def check_export(folder: Path | str) -> _Checked:
    """Check that a folder is a complete, unchanged export, reading nothing into a corpus.

    Returns:
        what :func:`import_corpus` needs to write it.

    Raises:
        ExportError: what is wrong, in a sentence.
    """
    folder = Path(folder)
    name = folder.name
    if not folder.is_dir():
        raise ExportError(f"{name}: no such folder.")
    if not (folder / DESCRIPTOR).is_file():
        return _check_bare(folder)
    try:
        descriptor = json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ExportError(f"{name}/{DESCRIPTOR} cannot be read ({type(error).__name__}).") from None
    block = descriptor.get("newslens") if isinstance(descriptor, dict) else None
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(block, dict) or not isinstance(resources, list):
        raise ExportError(f"{name}/{DESCRIPTOR} does not describe a NewsLens export.")
    format = block.get("format")
    tables = block.get("tables")
    if format not in FORMATS or not isinstance(tables, dict):
        raise ExportError(f"{name}/{DESCRIPTOR} does not say the format and tables of the export.")
    listed = {r.get("name"): r for r in resources if isinstance(r, dict)}
    # An export written before corrections were kept has no corrections table.
    optional = () if "corrections" in listed else ("corrections",)
    wanted = [t for t in EXPORT_TABLES if t not in optional]
    missing = [t for t in wanted if t not in listed or t not in tables]
    if missing:
        raise ExportError(
            f"{name} is not a complete export: {DESCRIPTOR} lists no {', '.join(missing)} "
            "table; nothing was imported."
        )
    files: dict[str, Path | None] = {}
    for table in wanted:
        manifest = tables.get(table) if isinstance(tables.get(table), dict) else {}
        files[table] = _checked_file(folder, {**listed[table], **manifest}, table)
    con = duckdb.connect()
    try:
        _check_tables(con, name, files, format, tables)
    finally:
        con.close()
    return _Checked(folder, files, format, int(tables["articles"]["rows"]))


def _checked_file(folder: Path, resource: Mapping, table: str) -> Path:
    name = folder.name
    relative = resource.get("path")
    if not isinstance(relative, str) or PurePosixPath(relative).name != relative:
        raise ExportError(f"{name}/{DESCRIPTOR}: the {table} table has no file name of its own.")
    path = folder / relative
    if not path.is_file():
        raise ExportError(
            f"{name} is not a complete export: {relative} is missing; nothing was imported."
        )
    size = path.stat().st_size
    declared = resource.get("bytes")
    if isinstance(declared, int) and declared != size:
        raise ExportError(
            f"{name}/{relative} has {size:,} bytes, not the {declared:,} the export "
            "wrote: it was changed or cut short; nothing was imported."
        )
    expected = resource.get("hash")
    digest = expected.removeprefix("sha256:") if isinstance(expected, str) else None
    if expected != digest and _sha256(path) != digest:
        raise ExportError(
            f"{name}/{relative} is not the file the export wrote (its SHA-256 differs); "
            "nothing was imported."
        )
    return path


def _reader(path: Path, table: str, format: str) -> str:
    """SQL reading one exported file with the export's column types."""
    if format == "parquet":
        return f"SELECT * FROM read_parquet('{_sql_path(path)}')"
    types = ", ".join(f"'{c.name}': '{c.sql}'" for c in _columns(table))
    return (
        f"SELECT * FROM read_csv('{_sql_path(path)}', header = true, columns = {{{types}}}, "
        "auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
        f"allow_quoted_nulls = false, timestampformat = '{_TIMESTAMP}')"
    )


def _check_tables(con, name: str, files: dict, format: str, manifest: dict) -> None:
    """Columns, row and article counts against the manifest, and every row's doc_key among
    the articles."""
    for table, path in files.items():
        try:
            con.execute(f"CREATE VIEW {q('in_' + table)} AS {_reader(path, table, format)}")
            columns = [row[0] for row in con.execute(f"DESCRIBE {q('in_' + table)}").fetchall()]
        except duckdb.Error as error:
            raise ExportError(
                f"{name}/{path.name} cannot be read as {format.upper()} "
                f"({str(error).splitlines()[0][:120]}); nothing was imported."
            ) from None
        wanted = [c.name for c in _columns(table)]
        if format == "csv":
            with path.open(encoding="utf-8", errors="replace") as handle:
                columns = handle.readline().rstrip("\r\n").split(",")
        if columns != wanted:
            raise ExportError(
                f"{name}/{path.name} does not have the columns of the {table} table; "
                "nothing was imported."
            )
        key = _OF_NO_ARTICLE.get(table, "doc_key")
        try:
            rows, articles = con.execute(
                f"SELECT count(*), count(DISTINCT {key}) FROM {q('in_' + table)}"
            ).fetchone()
        except duckdb.Error as error:
            raise ExportError(
                f"{name}/{path.name} cannot be read ({str(error).splitlines()[0][:120]}); "
                "nothing was imported."
            ) from None
        want = manifest.get(table) if isinstance(manifest.get(table), dict) else {}
        if rows != want.get("rows") or articles != want.get("articles", articles):
            raise ExportError(
                f"{name}/{path.name} holds {rows:,} rows of {articles:,} articles, not the "
                f"{want.get('rows')} rows the export wrote; nothing was imported."
            )
    articles = manifest["articles"]["rows"]
    unique, same = con.execute(
        "SELECT count(DISTINCT doc_key), count(*) FILTER (WHERE doc_id = doc_key) FROM in_articles"
    ).fetchone()
    if unique != articles or same != articles:
        raise ExportError(
            f"{name}/{files['articles'].name} does not hold {articles:,} distinct articles; "
            "nothing was imported."
        )
    for table in TABLES[1:]:
        stray = con.execute(
            f"SELECT count(*) FROM {q('in_' + table)} t ANTI JOIN in_articles a USING (doc_key)"
        ).fetchone()[0]
        if stray:
            raise ExportError(
                f"{name}/{files[table].name} has {stray:,} rows of articles that are not in "
                f"{files['articles'].name}; nothing was imported."
            )


def _check_bare(folder: Path) -> _Checked:
    """A folder of contract tables without a descriptor (an export of an earlier version, a
    Dask shard): every table of the contract must be there as Parquet."""
    missing = [t for t in TABLES if not (folder / f"{t}.parquet").is_file()]
    if len(missing) == len(TABLES) and not any(folder.glob("*.csv")):
        raise ExportError(
            f"{folder.name} is not an export: it has no {DESCRIPTOR} and no table files; "
            "nothing was imported."
        )
    if missing:
        listed = ", ".join(f"{t}.parquet" for t in missing)
        hint = (
            f" ({DESCRIPTOR} and CSV files need an export of this version)"
            if any(folder.glob("*.csv"))
            else ""
        )
        raise ExportError(
            f"{folder.name} is not a complete export: it has no {DESCRIPTOR} and lacks "
            f"{listed}{hint}; nothing was imported."
        )
    files: dict[str, Path | None] = {t: folder / f"{t}.parquet" for t in TABLES}
    errors = folder / "errors.parquet"
    files["errors"] = errors if errors.is_file() else None
    return _Checked(folder, files, "parquet", -1)


def _import_checked(store: CorpusStore, checked: _Checked) -> ImportResult:
    with store.writer() as con:
        con.execute("BEGIN")
        try:
            for table in TABLES:
                con.execute(
                    f"CREATE OR REPLACE TEMP VIEW {q('_in_' + table)} AS "
                    f"{_reader(checked.files[table], table, checked.format)}"
                )
            total = con.execute("SELECT count(DISTINCT doc_key) FROM _in_articles").fetchone()[0]
            # A bare folder has no manifest: its keys are checked inside the transaction.
            added = _write_registered(con, checked=checked.articles >= 0)
            errors = 0
            if checked.files["errors"] is not None:
                errors = _add_errors(
                    con, _reader(checked.files["errors"], "errors", checked.format)
                )
            if checked.files.get("corrections") is not None:
                select = _reader(checked.files["corrections"], "corrections", checked.format)
                fixes.restore_exported(con, select)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            for table in TABLES:
                con.execute(f"DROP VIEW IF EXISTS {q('_in_' + table)}")
    return ImportResult(int(added), int(total) - int(added), errors)


def _add_errors(con, select: str) -> int:
    """Append the error rows of ``select`` not already stored; returns how many."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _errors_in AS
        SELECT DISTINCT CAST(document AS VARCHAR) AS document, CAST(reason AS VARCHAR) AS reason,
               CAST("at" AS TIMESTAMP) AS "at"
        FROM ({select}) e
        WHERE NOT EXISTS (
            SELECT 1 FROM errors x WHERE x.document IS NOT DISTINCT FROM e.document
              AND x.reason IS NOT DISTINCT FROM e.reason AND x."at" IS NOT DISTINCT FROM e."at")
    """)
    added = con.execute("SELECT count(*) FROM _errors_in").fetchone()[0]
    con.execute('INSERT INTO errors SELECT document, reason, "at" FROM _errors_in')
    con.execute("DROP TABLE _errors_in")
    return int(added)


def import_tables(store: CorpusStore, directory: Path | str) -> int:
    """:func:`import_corpus` of a folder, returning the number of articles written (what
    :meth:`CorpusStore.import_parquet` returns)."""
    return import_corpus(store, directory).added


@contextmanager
def _unpacked(path: Path) -> Iterator[Path]:
    """``path`` itself when it is a folder; a ``.zip`` extracted to a temporary folder (its
    one top folder when the files sit in one)."""
    if path.is_dir():
        yield path
        return
    if not path.is_file():
        raise ExportError(f"{path.name}: no such folder or .zip file.")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ExportError(
            f"{path.name} is neither a folder nor a readable .zip archive ({type(error).__name__})."
        ) from None
    with archive, tempfile.TemporaryDirectory(prefix="newslens-import-") as tmp:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_MEMBERS:
            raise ExportError(f"{path.name} holds {len(members):,} files: not an export.")
        names = [PurePosixPath(m.filename) for m in members]
        tops = {n.parts[0] for n in names if len(n.parts) > 1}
        prefix = tops.pop() if len(tops) == 1 and all(len(n.parts) == 2 for n in names) else None
        for member, name in zip(members, names, strict=True):
            parts = name.parts[1:] if prefix else name.parts
            if len(parts) != 1 or parts[0] in ("", ".", ".."):
                continue
            target = Path(tmp) / parts[0]
            try:
                with archive.open(member) as src, target.open("wb") as dst:
                    shutil.copyfileobj(src, dst)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
                raise ExportError(
                    f"{path.name}: {member.filename} cannot be read from the archive "
                    f"({type(error).__name__}); nothing was imported."
                ) from None
        folder = Path(tmp) / path.stem
        Path(tmp, folder.name).mkdir(exist_ok=True)
        for item in Path(tmp).iterdir():
            if item.is_file():
                item.rename(folder / item.name)
        yield folder


__all__ = [
    "DESCRIPTOR",
    "EXPORT_TABLES",
    "FORMATS",
    "ExportError",
    "ExportResult",
    "ImportResult",
    "check_export",
    "export_archive",
    "export_corpus",
    "import_corpus",
    "import_tables",
]
