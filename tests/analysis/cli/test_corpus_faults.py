"""``newslens corpus add`` facing hostile inputs and a failing disk (issue 22): one line saying
what happened and what to do, the right exit status, never exit 70."""

import gzip
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli.corpus import main, run
from analysis.storage.corpus import CorpusStore
from tests.analysis.mounts import read_only_view, small_disk

ROOT = Path(__file__).resolve().parents[3]
WIKINEWS = ROOT / "seeds" / "corpus" / "wikinews-2019-2020.jsonl"
GOOD = "The council of Springfield approved a budget of three million dollars on Monday."


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "corpus.duckdb")


def articles(db):
    return CorpusStore(db).article_counts().total


def lines(path, rows):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


def test_run_add_lone_surrogate_one_error_row_rest_stored(tmp_path, db, capsys):
    feed = lines(
        tmp_path / "feed.jsonl",
        [
            {"id": "a", "text": GOOD},
            '{"id": "s", "text": "Broken \\ud800 emoji. ' + GOOD + '"}',
            {"id": "b", "text": GOOD + " Later."},
        ],
    )
    status = run(["add", str(feed), "--db", db, "-q"])
    err = capsys.readouterr().err
    assert (status, articles(db), err.splitlines()[0]) == (
        1,
        2,
        "  failed: s: the 'text' field holds invalid Unicode (a lone surrogate \\ud800 at "
        "character 8, often half of a broken emoji); fix the record to store it",
    )


def test_run_add_again_after_a_surrogate_goes_on(tmp_path, db, capsys):
    feed = lines(
        tmp_path / "feed.jsonl",
        [
            {"id": "a", "text": GOOD},
            '{"id": "s", "text": "\\udfff"}',
            {"id": "b", "text": GOOD + "!"},
        ],
    )
    run(["add", str(feed), "--db", db, "-q"])
    capsys.readouterr()
    status = run(["add", str(feed), "--db", db, "-q"])
    assert (status, capsys.readouterr().out.split(" (")[0]) == (
        1,
        "0 added, 2 already stored, 1 failed",
    )


def test_run_add_file_name_not_utf8_is_an_error_row(tmp_path, db, capsys):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD)
    (folder / os.fsdecode(b"caf\xe9.txt")).write_bytes(b"\x00\x01\x02 binary")
    status = run(["add", str(folder), "--db", db, "-q"])
    capsys.readouterr()
    assert (status, list(CorpusStore(db).errors()["document"])) == (1, [f"{folder}/caf\\xe9.txt"])


def test_run_add_link_loop_is_an_error_row(tmp_path, db, capsys):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD)
    (folder / "x.txt").symlink_to("y.txt")
    (folder / "y.txt").symlink_to("x.txt")
    status = run(["add", str(folder), "--db", db, "-q"])
    capsys.readouterr()
    assert (status, articles(db), sorted(CorpusStore(db).errors()["document"])) == (
        1,
        1,
        [f"{folder}/x.txt", f"{folder}/y.txt"],
    )


def test_main_add_empty_file_says_so(tmp_path, db, capsys):
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b"")
    status = main(["add", str(feed), "--db", db, "-q"])
    assert (status, capsys.readouterr().err) == (
        0,
        f"  note: {feed}: the file is empty; nothing was read\n",
    )


def test_main_add_many_notes_of_a_kind_are_summarised(tmp_path, db, capsys):
    feed = lines(
        tmp_path / "feed.jsonl",
        [{"id": f"r{i}", "text": f"{GOOD} Item {i}.", "date": "soon"} for i in range(7)],
    )
    main(["add", str(feed), "--db", db, "-q"])
    err = capsys.readouterr().err.splitlines()
    assert (len(err), err[-1]) == (
        6,
        "  ... and 2 more dates that cannot be read (the articles are stored without a date)",
    )


def test_main_add_jsonl_gz(tmp_path, db, capsys):
    feed = tmp_path / "feed.jsonl.gz"
    with gzip.open(feed, "wt") as handle:
        handle.write(json.dumps({"id": "g", "text": GOOD}) + "\n")
    status = main(["add", str(feed), "--db", db, "-q"])
    assert (status, capsys.readouterr().out.split(" (")[0]) == (
        0,
        "1 added, 0 already stored, 0 failed",
    )


def test_main_add_articles_stored_by_another_process_are_said(tmp_path, db, capsys, monkeypatch):
    feed = lines(
        tmp_path / "feed.jsonl", [{"id": f"r{i}", "text": f"{GOOD} {i}."} for i in range(3)]
    )
    main(["add", str(feed), "--db", db, "-q"])
    capsys.readouterr()
    # As if the other process stored them after this run read what the corpus held.
    monkeypatch.setattr(CorpusStore, "known_keys", lambda self, version=None: set())
    status = main(["add", str(feed), "--db", db, "-q"])
    assert (status, capsys.readouterr().out.split(" (")[0]) == (
        0,
        "0 added, 0 already stored, 3 stored meanwhile by another process adding to this "
        "corpus, 0 failed",
    )


def test_main_add_removes_a_stale_writer_marker(tmp_path, db, capsys):
    feed = lines(tmp_path / "feed.jsonl", [{"text": GOOD}])
    main(["add", str(feed), "--db", db, "-q"])
    # Left by a writer killed before it could remove it; this run has nothing to write.
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    marker = Path(db + ".writer")
    marker.write_text(f"{child.pid} {socket.gethostname()}\n")
    main(["add", str(feed), "--db", db, "-q"])
    assert marker.exists() is False


# -- the disk -------------------------------------------------------------------------------------


def test_main_add_full_disk_exit_2_says_disk_full(tmp_path, capsys):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(WIKINEWS.read_text().splitlines(keepends=True)[:12]))
    with small_disk(tmp_path / "disk", size="1m") as disk:
        status = main(["add", str(feed), "--db", str(disk / "c.duckdb"), "-q", "--batch-size", "4"])
    assert (status, capsys.readouterr().err.split(" (")[0]) == (
        2,
        f"newslens corpus: error: The disk holding {disk}/c.duckdb is full",
    )


def test_main_add_read_only_folder_exit_2_says_so(tmp_path, capsys):
    feed = lines(tmp_path / "feed.jsonl", [{"text": GOOD}])
    other = lines(tmp_path / "other.jsonl", [{"text": GOOD + " More."}])
    folder = tmp_path / "data"
    folder.mkdir()
    assert main(["add", str(feed), "--db", str(folder / "c.duckdb"), "-q"]) == 0
    capsys.readouterr()
    with read_only_view(folder, tmp_path / "ro") as view:
        status = main(["add", str(other), "--db", str(view / "c.duckdb"), "-q"])
    assert (status, capsys.readouterr().err.split(":")[:3]) == (
        2,
        ["newslens corpus", " error", f" The corpus file {view}/c.duckdb cannot be written"],
    )


def test_main_info_not_a_corpus_exit_2(tmp_path, capsys):
    path = tmp_path / "notes.duckdb"
    path.write_text("Meeting notes. " * 50)
    status = main(["info", "--db", str(path)])
    assert (status, capsys.readouterr().err) == (
        2,
        f"newslens corpus: error: {path} is not a corpus: it is not a DuckDB database file "
        "(a corpus is made by newslens corpus add, or by the app).\n",
    )
