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
    lines = capsys.readouterr().out.splitlines()
    assert (status, lines[0], lines[1].startswith("cite as: NewsLens "), lines[2]) == (
        0,
        f"3 articles in 10 parquet files and datapackage.json written to {tmp_path / 'out'}",
        True,
        f"3 added, 0 already stored, 0 error rows added; corpus: {tmp_path / 'copy.duckdb'}",
    )


def test_main_export_csv_files(added, tmp_path):
    main(["export", str(tmp_path / "out"), "--db", added, "--format", "csv"])
    assert sorted(p.name for p in (tmp_path / "out").iterdir())[:4] == [
        "articles.csv",
        "corrections.csv",
        "datapackage.json",
        "entities.csv",
    ]


def test_main_import_missing_folder_exit_2(db, tmp_path, capsys):
    status = main(["import", str(tmp_path / "none"), "--db", db])
    assert (status, capsys.readouterr().err) == (
        2,
        f"newslens corpus: error: {tmp_path / 'none'}: no such folder or .zip file.\n",
    )


def test_main_import_folder_without_articles_exit_2(db, tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    status = main(["import", str(tmp_path / "empty"), "--db", db])
    assert (status, capsys.readouterr().err) == (
        2,
        "newslens corpus: error: empty is not an export: it has no datapackage.json and no "
        "table files; nothing was imported.\n",
    )


# -- issue 21: the query language, coverage, exports, rough edges ----------------------------


def test_main_query_boolean_query(added, capsys):
    main(["query", "articles", "--db", added, "--query", "(harbour OR rents) -tenants"])
    assert [line.split(",")[1] for line in capsys.readouterr().out.splitlines()[1:]] == [
        "Harbour reopens in Northport"
    ]


def test_main_query_text_is_the_same_flag(added, capsys):
    main(["query", "articles", "--db", added, "--text", "source:valley*"])
    assert capsys.readouterr().out.count("Rents rise in Riverton") == 1


def test_main_query_unreadable_query_exit_2(added, capsys):
    status = main(["query", "top-terms", "--db", added, "--query", 'bus "strike'])
    assert (status, capsys.readouterr().err) == (
        2,
        "newslens corpus: error: The query cannot be read: a quotation mark is never closed "
        '(a phrase needs a closing ") (at character 5).\n',
    )


def test_main_query_lowercase_or_warns(added, capsys):
    status = main(["query", "articles", "--db", added, "--query", "bus or strike"])
    assert (status, capsys.readouterr().err) == (
        0,
        "newslens corpus: warning: 'or' was searched as a word; to find either of two words "
        "write OR in capitals.\n",
    )


def test_main_query_explain(added, capsys):
    main(["query", "explain", "northport -bus", "--db", added])
    assert capsys.readouterr().out.splitlines() == [
        "read as: northport AND NOT bus",
        "matches: 1 of 3 articles",
        "term,field,kind,articles",
        "northport,text,word,2",
        "bus,text,word,1",
    ]


def test_main_query_coverage(added, capsys):
    main(["query", "coverage", "--db", added, "--query", "northport", "--interval", "week"])
    assert capsys.readouterr().out.splitlines() == [
        "date,count,total_count,ratio",
        "2024-01-29,1,2,0.5",
        "2024-02-05,1,1,1.0",
    ]


def test_main_query_limit_negative_exit_2(added, capsys):
    """The defect: the database's own error ("the corpus file could not be used")."""
    status = main(["query", "top-terms", "--db", added, "--limit", "-5"])
    assert (status, capsys.readouterr().err) == (
        2,
        "newslens corpus: error: argument --limit: must be a whole number, 0 or more, not '-5' "
        "(see newslens corpus query top-terms --help)\n",
    )


def test_main_query_end_before_start_exit_2(added, capsys):
    status = main(
        ["query", "articles", "--db", added, "--start", "2024-02-10", "--end", "2024-02-01"]
    )
    assert (status, capsys.readouterr().err) == (
        2,
        "newslens corpus: error: --end 2024-02-01 is before --start 2024-02-10: no day is in "
        "that range.\n",
    )


def test_main_query_unknown_source_warns(added, capsys):
    status = main(["query", "articles", "--db", added, "--sources", "nowhere.example"])
    captured = capsys.readouterr()
    assert (status, captured.out, captured.err) == (
        0,
        "doc_key,title,source,date,words,tone_vader,tone_textblob,top_entities\n",
        "newslens corpus: warning: no stored article comes from the outlet 'nowhere.example'; "
        "the results are empty for it (the outlets: newslens corpus query sources)\n",
    )


def test_main_query_unknown_entity_warns(added, capsys):
    status = main(["query", "articles", "--db", added, "--entity", "Nobody Known"])
    assert (status, capsys.readouterr().err) == (
        0,
        "newslens corpus: warning: no stored article mentions the entity 'Nobody Known' (names "
        "are canonical and exact: newslens corpus query top-entities)\n",
    )


def test_main_query_not_a_corpus_said_at_once(tmp_path, capsys):
    """The defect: "in use by another process" after a 10-second wait."""
    path = tmp_path / "notes.duckdb"
    path.write_text("not a database")
    status = main(["query", "top-terms", "--db", str(path)])
    assert (status, capsys.readouterr().err) == (
        2,
        f"newslens corpus: error: {path} is not a corpus: it is not a DuckDB database file (a "
        "corpus is made by newslens corpus add, or by the app).\n",
    )


def test_main_missing_corpus_named_as_typed(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    status = main(["query", "top-terms", "--db", "gone.duckdb"])
    assert (status, capsys.readouterr().err) == (
        2,
        "newslens corpus: error: no corpus at gone.duckdb; add documents with: newslens corpus "
        "add PATH...\n",
    )


def test_main_query_help_summaries_are_sentences(capsys):
    from analysis.cli.corpus import QUERIES

    assert [name for name, (_, summary) in QUERIES.items() if not summary.endswith(".")] == []


@pytest.mark.parametrize("name", ["top-terms", "mentions-over-time", "search", "coverage"])
def test_main_query_help_plain_with_defaults(name, capsys):
    assert main(["query", name, "--help"]) == 0
    text = capsys.readouterr().out
    flags = [line for line in text.splitlines() if line.startswith("  --")]
    assert ("``" in text, ":func:" in text, ":mod:" in text) == (False, False, False)
    assert "(default: " in text.split("--format", 1)[1]
    assert len(flags) > 2


def test_main_query_help_lists_whole_summaries(capsys):
    assert main(["query", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert (
        "mentions-over-time Mentions of entities and words per period (every period, empty ones "
        "as zeros), with the articles of each period." in text
    )


def test_main_query_mentions_over_time_lists_every_day(added, capsys):
    main(["query", "mentions-over-time", "--db", added, "--terms", "bus", "--interval", "day"])
    lines = capsys.readouterr().out.splitlines()
    assert (len(lines), lines[1], lines[5]) == (
        11,
        "2024-02-01,bus,term,0,0,1",
        "2024-02-05,bus,term,0,0,0",
    )


def test_main_query_distinctive_terms(added, capsys):
    main(
        [
            "query",
            "distinctive-terms",
            "--db",
            added,
            "--of-source",
            "Valley Post",
            "--min-count",
            "1",
            "--limit",
            "2",
        ]
    )
    assert [line.split(",")[:3] for line in capsys.readouterr().out.splitlines()] == [
        ["term", "count", "reference"],
        ["rents", "2", "0"],
        ["riverton", "2", "0"],
    ]


def test_main_export_csv_then_import(added, tmp_path, capsys):
    """The defect: a CSV export could not be imported (import needed articles.parquet)."""
    main(["export", str(tmp_path / "out"), "--db", added, "--format", "csv"])
    status = main(["import", str(tmp_path / "out"), "--db", str(tmp_path / "copy.duckdb")])
    assert (status, capsys.readouterr().out.splitlines()[-1].split(";")[0]) == (
        0,
        "3 added, 0 already stored, 0 error rows added",
    )


def test_main_export_zip_with_query_then_import(added, tmp_path, capsys):
    main(["export", str(tmp_path / "out.zip"), "--db", added, "--query", "northport"])
    status = main(["import", str(tmp_path / "out.zip"), "--db", str(tmp_path / "copy.duckdb")])
    lines = capsys.readouterr().out.splitlines()
    assert (status, lines[0].split(" in ")[0], lines[-1].split(",")[0]) == (
        0,
        "2 articles",
        "2 added",
    )


def test_main_import_incomplete_export_exit_2_then_full(added, tmp_path, capsys):
    main(["export", str(tmp_path / "out"), "--db", added])
    (tmp_path / "out" / "terms.parquet").rename(tmp_path / "terms.parquet")
    copy = str(tmp_path / "copy.duckdb")
    first = main(["import", str(tmp_path / "out"), "--db", copy])
    err = capsys.readouterr().err
    (tmp_path / "terms.parquet").rename(tmp_path / "out" / "terms.parquet")
    second = main(["import", str(tmp_path / "out"), "--db", copy])
    assert (first, err, second, capsys.readouterr().out.split(",")[0]) == (
        2,
        "newslens corpus: error: out is not a complete export: terms.parquet is missing; "
        "nothing was imported.\n",
        0,
        "3 added",
    )


def test_main_no_outlet_selectable(tmp_path, db, capsys):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Harbour reopens\n\nThe harbour in Northport reopened on Thursday."
    )
    main(["add", str(folder), "--db", db, "-q"])
    capsys.readouterr()
    main(["query", "articles", "--db", db, "--sources", "(no outlet)"])
    rows = capsys.readouterr().out.splitlines()[1:]
    main(["info", "--db", db])
    outlets = [line for line in capsys.readouterr().out.splitlines() if "(no outlet)" in line]
    assert (len(rows), outlets) == (1, ["  (no outlet): 1"])


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
