import io
import json
import re
import shutil
import zipfile
from datetime import UTC, datetime

import pandas as pd
import pytest

from analysis.core.metadata import ANALYSIS_VERSION
from analysis.core.schema import ErrorRow
from analysis.storage.corpus import CorpusStore
from analysis.storage.corpus.exchange import (
    EXPORT_TABLES,
    ExportError,
    export_archive,
    export_corpus,
    import_corpus,
)
from analysis.storage.corpus.schema import SCHEMA_VERSION, TABLES
from tests.analysis.storage.corpus import corpus, key

WHEN = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
A1_TEXT = (
    "Ceasefire talks resume in Cairo\n\nEgypt hosted ceasefire talks in Cairo with Qatar.\n\n"
    '"The talks were constructive," said Ann Lee of the United Nations.'
)


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    store = CorpusStore(tmp_path_factory.mktemp("corpus") / "corpus.duckdb")
    store.add(corpus())
    store.add_errors([ErrorRow("x.txt", "empty text", datetime(2024, 1, 2))])
    return store


@pytest.fixture(scope="module")
def exported(filled, tmp_path_factory):
    """A whole-corpus export in each format, written once."""
    base = tmp_path_factory.mktemp("exports")
    return {
        fmt: export_corpus(filled, base / fmt, format=fmt, created=WHEN).path
        for fmt in ("parquet", "csv")
    }


def copy_of(folder, tmp_path):
    target = tmp_path / folder.name
    shutil.copytree(folder, target)
    return target


def fresh(tmp_path, name="copy.duckdb"):
    return CorpusStore(tmp_path / name)


def articles_in(store):
    with store.reader() as con:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]


def descriptor(folder):
    return json.loads((folder / "datapackage.json").read_text())


# -- what an export holds ---------------------------------------------------------------------


def test_export_files(exported):
    assert sorted(p.name for p in exported["parquet"].iterdir()) == sorted(
        [f"{t}.parquet" for t in EXPORT_TABLES] + ["datapackage.json"]
    )


def test_export_articles_have_doc_id_and_text(exported):
    frame = pd.read_parquet(exported["parquet"] / "articles.parquet")
    row = frame[frame["doc_id"] == key("a1")].iloc[0]
    assert (list(frame.columns[:2]), frame.columns[-1], row["doc_key"], row["text"]) == (
        ["doc_id", "doc_key"],
        "text",
        key("a1"),
        A1_TEXT,
    )


def test_export_csv_loads_in_pandas_with_doc_id_and_text(exported):
    frame = pd.read_csv(exported["csv"] / "articles.csv")
    assert frame.set_index("doc_id").loc[key("a1"), "text"] == A1_TEXT


def test_descriptor_is_a_tabular_data_package(exported):
    package = descriptor(exported["parquet"])
    assert (package["profile"], package["name"], package["created"]) == (
        "tabular-data-package",
        "newslens-corpus.duckdb-20240501",
        "2024-05-01T12:30:00Z",
    )
    assert re.fullmatch(r"[a-z0-9._-]+", package["name"])
    assert [r["name"] for r in package["resources"]] == list(EXPORT_TABLES)


def test_descriptor_resource_of_articles(exported):
    resource = descriptor(exported["csv"])["resources"][0]
    path = exported["csv"] / "articles.csv"
    assert (resource["path"], resource["format"], resource["mediatype"], resource["encoding"]) == (
        "articles.csv",
        "csv",
        "text/csv",
        "utf-8",
    )
    assert resource["bytes"] == path.stat().st_size
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", resource["hash"])
    fields = resource["schema"]["fields"]
    assert [(f["name"], f["type"]) for f in fields[:2] + fields[6:8] + fields[-1:]] == [
        ("doc_id", "string"),
        ("doc_key", "string"),
        ("date", "date"),
        ("source", "string"),
        ("text", "string"),
    ]
    assert resource["schema"]["primaryKey"] == ["doc_key"]


def test_descriptor_field_types_are_frictionless_types(exported):
    types = {
        f["type"]
        for r in descriptor(exported["parquet"])["resources"]
        for f in r["schema"]["fields"]
    }
    assert types == {"string", "integer", "number", "boolean", "date", "datetime", "any"}


def test_descriptor_list_column_as_array_in_csv(exported):
    entities = descriptor(exported["csv"])["resources"][5]
    assert [f["type"] for f in entities["schema"]["fields"] if f["name"] == "paragraphs"] == [
        "array"
    ]


def test_manifest_holds_size_and_hash_of_every_file(exported):
    tables = descriptor(exported["parquet"])["newslens"]["tables"]
    path = exported["parquet"] / "quotes.parquet"
    assert tables["quotes"]["bytes"] == path.stat().st_size
    assert {
        re.fullmatch(r"sha256:[0-9a-f]{64}", t["hash"]) is not None for t in tables.values()
    } == {True}


def test_descriptor_child_tables_point_at_articles(exported):
    terms = descriptor(exported["parquet"])["resources"][3]
    assert terms["schema"]["foreignKeys"] == [
        {"fields": ["doc_key"], "reference": {"resource": "articles", "fields": ["doc_key"]}}
    ]


def test_descriptor_says_versions_and_counts(exported):
    block = descriptor(exported["parquet"])["newslens"]
    assert (
        block["analysis_version"],
        block["schema_version"],
        block["corpus"],
        block["format"],
        block["query"],
        block["filters"],
        block["tables"]["articles"]["rows"],
        block["tables"]["articles"]["articles"],
        block["tables"]["mentions"]["rows"],
        block["tables"]["mentions"]["articles"],
        block["tables"]["errors"]["rows"],
    ) == (
        ANALYSIS_VERSION,
        SCHEMA_VERSION,
        "corpus.duckdb",
        "parquet",
        "",
        {"start": None, "end": None, "sources": None, "entity": None},
        8,
        8,
        27,
        8,
        1,
    )


def test_descriptor_citation(exported):
    assert descriptor(exported["parquet"])["citation"].endswith(
        '[Computer software]. Corpus "corpus.duckdb", 8 articles. Retrieved 2024-05-01.'
    )


def test_filtered_export_holds_the_selection(filled, tmp_path):
    result = export_corpus(
        filled, tmp_path / "sel", text="gaza -rafah OR floods", sources=["beta.news", "gamma.news"]
    )
    frame = pd.read_parquet(result.path / "articles.parquet")
    assert sorted(frame["title"]) == ["Egypt and Qatar push for truce", "Floods hit northern towns"]
    block = result.descriptor["newslens"]
    assert (block["query"], block["parsed_query"], block["filters"]["sources"]) == (
        "gaza -rafah OR floods",
        "(gaza AND NOT rafah) OR floods",
        ["beta.news", "gamma.news"],
    )


def test_filtered_export_has_no_error_rows(filled, tmp_path):
    result = export_corpus(filled, tmp_path / "sel", text="gaza")
    assert len(pd.read_parquet(result.path / "errors.parquet")) == 0


def test_export_to_zip(filled, tmp_path):
    result = export_corpus(filled, tmp_path / "out.zip", format="csv")
    with zipfile.ZipFile(result.path) as archive:
        names = sorted(archive.namelist())
    assert names == sorted([f"{t}.csv" for t in EXPORT_TABLES] + ["datapackage.json"])


def test_export_archive_bytes(filled):
    data = export_archive(filled, text="talks")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        package = json.loads(archive.read("datapackage.json"))
    articles = package["newslens"]["tables"]["articles"]
    assert (articles["rows"], articles["articles"]) == (3, 3)


def test_export_refuses_a_folder_with_files(filled, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    with pytest.raises(ExportError, match="not an empty folder"):
        export_corpus(filled, tmp_path / "out")


def test_export_leaves_no_work_folder(filled, tmp_path):
    export_corpus(filled, tmp_path / "out.zip")
    assert [p.name for p in tmp_path.iterdir()] == ["out.zip"]


# -- import -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_import_round_trip_every_table(filled, exported, tmp_path, fmt):
    copy = fresh(tmp_path)
    assert import_corpus(copy, exported[fmt]) == (8, 0, 1)
    for name in TABLES:
        pd.testing.assert_frame_equal(copy.table(name), filled.table(name), obj=name)
    pd.testing.assert_frame_equal(copy.errors(), filled.errors())


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_import_zip(filled, tmp_path, fmt):
    archive = export_corpus(filled, tmp_path / "out.zip", format=fmt).path
    copy = fresh(tmp_path)
    assert import_corpus(copy, archive) == (8, 0, 1)
    pd.testing.assert_frame_equal(copy.table("quotes"), filled.table("quotes"))


def test_import_zip_of_a_folder(exported, tmp_path):
    archive = tmp_path / "zipped.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in exported["parquet"].iterdir():
            out.write(path, f"my-export/{path.name}")
    assert import_corpus(fresh(tmp_path), archive).added == 8


def test_import_twice_skips_and_adds_no_error_rows(exported, tmp_path):
    """Issue 22, finding 9: a second import of the same folder doubled the errors table."""
    copy = fresh(tmp_path)
    import_corpus(copy, exported["parquet"])
    assert import_corpus(copy, exported["parquet"]) == (0, 8, 0)
    assert len(copy.errors()) == 1


def test_import_parquet_twice_keeps_one_error_row(exported, tmp_path):
    copy = fresh(tmp_path)
    copy.import_parquet(exported["parquet"])
    copy.import_parquet(exported["parquet"])
    assert len(copy.errors()) == 1


@pytest.mark.parametrize("table", ["terms", "mentions"])
def test_import_refuses_a_missing_table_and_writes_nothing(exported, tmp_path, table):
    """Issue 22, finding 3: without terms.parquet or mentions.parquet every article was stored
    without those rows, and a later full import added nothing."""
    broken = copy_of(exported["parquet"], tmp_path)
    (broken / f"{table}.parquet").unlink()
    copy = fresh(tmp_path)
    with pytest.raises(ExportError, match=f"{table}.parquet is missing; nothing was imported"):
        import_corpus(copy, broken)
    assert articles_in(copy) == 0


def test_full_import_after_a_refused_one(filled, exported, tmp_path):
    broken = copy_of(exported["parquet"], tmp_path)
    (broken / "terms.parquet").unlink()
    copy = fresh(tmp_path)
    with pytest.raises(ExportError):
        import_corpus(copy, broken)
    assert import_corpus(copy, exported["parquet"]).added == 8
    pd.testing.assert_frame_equal(copy.table("terms"), filled.table("terms"))


def test_import_refuses_a_file_cut_short(exported, tmp_path):
    broken = copy_of(exported["csv"], tmp_path)
    path = broken / "mentions.csv"
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(ExportError, match="changed or cut short"):
        import_corpus(fresh(tmp_path), broken)


def test_import_refuses_a_changed_file_of_the_same_size(exported, tmp_path):
    broken = copy_of(exported["csv"], tmp_path)
    path = broken / "articles.csv"
    data = path.read_bytes()
    path.write_bytes(data.replace(b"Rates hold steady", b"Rates hold STEADY"))
    with pytest.raises(ExportError, match="SHA-256 differs"):
        import_corpus(fresh(tmp_path), broken)


def test_import_refuses_counts_unlike_the_manifest(exported, tmp_path):
    broken = copy_of(exported["parquet"], tmp_path)
    package = descriptor(broken)
    package["newslens"]["tables"]["quotes"]["rows"] = 99
    (broken / "datapackage.json").write_text(json.dumps(package))
    with pytest.raises(ExportError, match="not the 99 rows the export wrote"):
        import_corpus(fresh(tmp_path), broken)


def test_import_refuses_a_descriptor_without_a_table(exported, tmp_path):
    broken = copy_of(exported["parquet"], tmp_path)
    package = descriptor(broken)
    package["resources"] = [r for r in package["resources"] if r["name"] != "entities"]
    (broken / "datapackage.json").write_text(json.dumps(package))
    with pytest.raises(ExportError, match="lists no entities table"):
        import_corpus(fresh(tmp_path), broken)


def test_import_refuses_a_foreign_descriptor(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "datapackage.json").write_text('{"name": "x", "resources": []}')
    with pytest.raises(ExportError, match="does not describe a NewsLens export"):
        import_corpus(fresh(tmp_path), tmp_path / "pkg")


def test_import_refuses_a_zip_of_articles(tmp_path):
    archive = tmp_path / "stories.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("story.txt", "Rain fell.")
    with pytest.raises(ExportError, match="^stories is not an export: it has no datapackage.json"):
        import_corpus(fresh(tmp_path), archive)


def test_import_refuses_what_is_neither_folder_nor_zip(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ExportError, match="neither a folder nor a readable .zip"):
        import_corpus(fresh(tmp_path), tmp_path / "notes.txt")


def test_import_bare_folder_of_contract_tables(filled, tmp_path):
    """A folder of an earlier export or a Dask shard: the contract tables, no descriptor."""
    bare = tmp_path / "bare"
    bare.mkdir()
    for name in TABLES:
        filled.table(name).to_parquet(bare / f"{name}.parquet", index=False)
    assert import_corpus(fresh(tmp_path), bare) == (8, 0, 0)


def test_import_bare_folder_missing_a_table_refused(filled, tmp_path):
    bare = tmp_path / "bare"
    bare.mkdir()
    for name in TABLES[:-1]:
        filled.table(name).to_parquet(bare / f"{name}.parquet", index=False)
    with pytest.raises(ExportError, match="lacks entity_sentences.parquet"):
        import_corpus(fresh(tmp_path), bare)


def test_import_bare_csv_folder_says_to_export_again(filled, tmp_path):
    bare = tmp_path / "bare"
    bare.mkdir()
    filled.table("articles").to_csv(bare / "articles.csv", index=False)
    with pytest.raises(ExportError, match="CSV files need an export of this version"):
        import_corpus(fresh(tmp_path), bare)


def test_import_filtered_export(filled, tmp_path):
    result = export_corpus(filled, tmp_path / "sel.zip", sources=["(no outlet)"])
    copy = fresh(tmp_path)
    assert import_corpus(copy, result.path) == (1, 0, 0)
    assert copy.table("articles")["title"].tolist() == ["Rates hold steady"]


def test_csv_reader_reads_quotes_that_come_late(tmp_path):
    """DuckDB's sniffer looks at the first 20,480 lines only: a term with a comma further down
    ("60,000inr" in a real corpus) was read as an extra column."""
    import duckdb

    from analysis.storage.corpus.exchange import _reader

    path = tmp_path / "terms.csv"
    lines = ["doc_key,paragraph,term,lemma,is_stop,count"]
    lines += [f"k,{i},word,word,false,1" for i in range(25_000)]
    lines.append('k,25000,"60,000inr","60,000inr",false,1')
    path.write_text("\n".join(lines) + "\n")
    sql = f"SELECT count(*), max(term) FILTER (WHERE paragraph = 25000) FROM ({_reader(path, 'terms', 'csv')})"
    assert duckdb.connect().execute(sql).fetchone() == (25_001, "60,000inr")
