import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli.corpus import main

ROOT = Path(__file__).resolve().parents[3]

RECORDS = [
    {
        "id": "r1",
        "title": "Harbour reopens in Northport",
        "date": "2024-02-01",
        "url": "https://www.coast-news.example/harbour",
        "text": "The harbour in Northport reopened on Thursday after repairs.\n\n"
        '"Boats can return today," said Omar Haddad.',
    },
    {
        "id": "r2",
        "title": "Rents rise in Riverton",
        "date": "2024-02-03",
        "source": "Valley Post",
        "text": "Rents in Riverton rose again, and tenants protested outside the town hall.",
    },
    {
        "id": "r3",
        "title": "Bus strike ends",
        "date": "2024-02-10",
        "url": "https://coast-news.example/bus",
        "text": "The bus strike in Northport ended after Omar Haddad met the union.",
    },
]


@pytest.fixture
def feed(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    return path


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "corpus.duckdb")


@pytest.fixture
def added(feed, db, capsys):
    assert main(["add", str(feed), "--db", db, "-q"]) == 0
    capsys.readouterr()
    return db


def test_main_add_summary(feed, db, capsys):
    main(["add", str(feed), "--db", db, "-q"])
    assert capsys.readouterr().out.startswith("3 added, 0 already stored, 0 failed (")


def test_main_add_compacts_only_when_it_added(feed, db, monkeypatch, capsys):
    from analysis.storage.corpus.store import CorpusStore

    calls = []
    original = CorpusStore.compact
    monkeypatch.setattr(CorpusStore, "compact", lambda self: calls.append(1) or original(self))
    main(["add", str(feed), "--db", db, "-q"])
    main(["add", str(feed), "--db", db, "-q"])  # everything already stored
    assert calls == [1]


def test_main_add_again_skips(feed, added, capsys):
    main(["add", str(feed), "--db", added, "-q"])
    assert capsys.readouterr().out.startswith("0 added, 3 already stored, 0 failed (")


def test_main_add_failed_document_exit_1(tmp_path, db, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "ok", "text": "Rain fell in Riverton."}\n{"id": "empty", "text": ""}\n')
    status = main(["add", str(path), "--db", db, "-q"])
    assert (status, capsys.readouterr().err) == (
        1,
        "  failed: empty: no text in the 'text' field\n",
    )


def test_main_add_without_text_column_exit_2(tmp_path, db, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "body": "Rain fell."}\n')
    status = main(["add", str(path), "--db", db])
    assert (status, capsys.readouterr().err) == (
        2,
        (
            f"newslens corpus: error: {path} has no 'text' column (columns: id, body); name the "
            "column that holds the article text with --text-column.\n"
        ),
    )


def test_main_add_text_column_option(tmp_path, db, capsys):
    path = tmp_path / "other.csv"
    path.write_text("key,body\nb1,Rain fell in Riverton on Monday.\n")
    status = main(
        ["add", str(path), "--db", db, "-q", "--text-column", "body", "--id-column", "key"]
    )
    assert (status, capsys.readouterr().out[:30]) == (0, "1 added, 0 already stored, 0 f")


def test_main_add_missing_path_exit_2(tmp_path, db, capsys):
    status = main(["add", str(tmp_path / "none.jsonl"), "--db", db])
    assert (status, capsys.readouterr().err) == (
        2,
        f"newslens corpus: error: {tmp_path / 'none.jsonl'}: no such file or folder.\n",
    )


def test_main_add_dask_needs_scheduler(feed, db, capsys):
    status = main(["add", str(feed), "--db", db, "--engine", "dask"])
    assert (status, capsys.readouterr().err) == (
        2,
        "newslens corpus: error: --engine dask needs --scheduler ADDRESS (or --scheduler local)\n",
    )


def test_main_add_workers_at_least_one(feed, db, capsys):
    status = main(["add", str(feed), "--db", db, "--workers", "0"])
    assert (status, capsys.readouterr().err) == (
        2,
        "newslens corpus: error: --workers must be at least 1\n",
    )


def test_main_info(added, capsys):
    from analysis.storage.corpus import CorpusStore, corpus_info

    # The entity count is the language model's and the entity rules' business, not this one's.
    entities = corpus_info(CorpusStore(added)).entities
    assert main(["info", "--db", added]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "articles: 3",
        "words: 40",
        "body paragraphs: 4",
        f"entities: {entities}",
        "errors: 0",
        "dates: 2024-02-01 .. 2024-02-10",
        "sources: 2",
        "  coast-news.example: 2",
        "  Valley Post: 1",
        "near-duplicates: 0 (left out of the counts above; --include-duplicates counts them)",
        "older revisions: 0",
        "collection sources: 0",
    ]


def test_main_info_default_db_from_env(feed, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWSLENS_DATA_DIR", str(tmp_path / "data"))
    main(["add", str(feed), "-q"])
    main(["info"])
    assert (
        capsys.readouterr().out.splitlines()[1] == f"corpus: {tmp_path / 'data' / 'corpus.duckdb'}"
    )


def test_main_info_without_corpus_exit_2(tmp_path, capsys):
    status = main(["info", "--db", str(tmp_path / "none.duckdb")])
    assert (status, capsys.readouterr().err) == (
        2,
        (
            f"newslens corpus: error: no corpus at {tmp_path / 'none.duckdb'}; add documents with: "
            "newslens corpus add PATH...\n"
        ),
    )


def test_main_query_top_terms_csv(added, capsys):
    assert main(["query", "top-terms", "--db", added, "--limit", "4"]) == 0
    assert capsys.readouterr().out == (
        "term,count,articles\nnorthport,3,2\nhaddad,2,2\nomar,2,2\nbus,2,1\n"
    )


def test_main_query_filters_as_flags(added, capsys):
    main(["query", "top-entities", "--db", added, "--labels", "PERSON", "--start", "2024-02-05"])
    assert capsys.readouterr().out == "entity,label,mentions,articles\nOmar Haddad,PERSON,1,1\n"


def test_main_query_json_dates(added, capsys):
    main(["query", "sources", "--db", added, "--format", "json"])
    assert json.loads(capsys.readouterr().out) == [
        {
            "source": "coast-news.example",
            "articles": 2,
            "first": "2024-02-01",
            "last": "2024-02-10",
        },
        {"source": "Valley Post", "articles": 1, "first": "2024-02-03", "last": "2024-02-03"},
    ]


def test_main_query_positional_argument(added, capsys):
    main(["query", "search", "tenants", "--db", added, "--format", "json"])
    assert [row["title"] for row in json.loads(capsys.readouterr().out)] == [
        "Rents rise in Riverton"
    ]


def test_main_query_bad_date_exit_2(added, capsys):
    status = main(["query", "top-terms", "--db", added, "--start", "2024-02-30"])
    assert (status, capsys.readouterr().err) == (
        2,
        (
            "newslens corpus: error: argument --start: not a date (YYYY-MM-DD): '2024-02-30' "
            "(see newslens corpus query top-terms --help)\n"
        ),
    )


def test_main_query_required_flag_exit_2(added, capsys):
    status = main(["query", "entity-sentiment-over-time", "--db", added])
    assert (status, capsys.readouterr().err) == (
        2,
        (
            "newslens corpus: error: the following arguments are required: --entity "
            "(see newslens corpus query entity-sentiment-over-time --help)\n"
        ),
    )


def test_main_export_then_import(added, tmp_path, capsys):
    main(["export", str(tmp_path / "out"), "--db", added])
    status = main(["import", str(tmp_path / "out"), "--db", str(tmp_path / "copy.duckdb")])
    assert (status, capsys.readouterr().out.splitlines()) == (
        0,
        [
            f"9 files written to {tmp_path / 'out'}",
            f"3 added; corpus: {tmp_path / 'copy.duckdb'}",
        ],
    )


def test_main_export_csv_files(added, tmp_path):
    main(["export", str(tmp_path / "out"), "--db", added, "--format", "csv"])
    assert sorted(p.name for p in (tmp_path / "out").iterdir())[:3] == [
        "articles.csv",
        "entities.csv",
        "entity_sentences.csv",
    ]


def test_main_import_missing_folder_exit_2(db, tmp_path, capsys):
    status = main(["import", str(tmp_path / "none"), "--db", db])
    assert (status, capsys.readouterr().err) == (
        2,
        f"newslens corpus: error: {tmp_path / 'none'}: no such folder.\n",
    )


def test_main_import_folder_without_articles_exit_2(db, tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    status = main(["import", str(tmp_path / "empty"), "--db", db])
    assert (status, capsys.readouterr().err) == (
        2,
        f"newslens corpus: error: {tmp_path / 'empty'} holds no articles.parquet\n",
    )


def test_main_unknown_command_exit_2(capsys):
    status = main(["remove"])
    assert (
        status,
        capsys.readouterr().err.startswith("newslens corpus: error: argument COMMAND"),
    ) == (
        2,
        True,
    )


def test_cli_dask_local_cluster_in_a_process(feed, tmp_path):
    """A LocalCluster started by the command itself (workers are spawned processes)."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "corpus",
            "add",
            str(feed),
            "--db",
            str(tmp_path / "c.duckdb"),
            "--engine",
            "dask",
            "--scheduler",
            "local",
            "--workers",
            "1",
            "-q",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (done.returncode, done.stdout[:30]) == (0, "3 added, 0 already stored, 0 f")


def test_main_add_without_model_exit_3(feed, db, monkeypatch, capsys):
    import analysis.core.nlp
    from analysis.core.nlp import ModelNotFoundError

    def missing(*args, **kwargs):
        raise ModelNotFoundError("No spaCy English model could be loaded.")

    monkeypatch.setattr(analysis.core.nlp, "load_nlp", missing)
    status = main(["add", str(feed), "--db", db, "-q"])
    assert (status, capsys.readouterr().err) == (
        3,
        "newslens corpus: error: No spaCy English model could be loaded.\n",
    )


def test_run_unexpected_error_one_line_exit_70(monkeypatch, capsys):
    from analysis.cli import corpus as cli

    def broken(args):
        raise KeyError("boom")

    monkeypatch.setattr(cli, "_info", broken)
    status = cli.run(["info"])
    assert (
        status,
        capsys.readouterr().err.startswith("newslens corpus: error: unexpected KeyError;"),
    ) == (
        70,
        True,
    )
