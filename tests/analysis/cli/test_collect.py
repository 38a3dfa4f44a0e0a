"""``newslens corpus collect`` against a site on loopback."""

import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli.corpus import main
from tests.analysis.sources.collect.site import XML, Answer, Site, article, paragraphs, rss

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def site():
    with Site("127.0.0.1") as site:
        host = site.host("127.0.0.1")
        host.routes["/a"] = Answer(200, article("Harbour reopens", paragraphs("a")))
        host.routes["/b"] = Answer(200, article("Rents rise", paragraphs("b")))
        yield site


@pytest.fixture
def feed(site):
    host = site.host("127.0.0.1")
    host.routes["/feed.xml"] = Answer(
        200, rss([(host.base + "/a", None), (host.base + "/b", None)]), XML
    )
    return host.base + "/feed.xml"


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSLENS_ALLOW_PRIVATE_URLS", "1")
    monkeypatch.setenv("NEWSLENS_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


@pytest.fixture
def db(env):
    return str(env / "corpus.duckdb")


def test_collect_summary_and_exit_0(feed, db, capsys):
    status = main(["collect", feed, "--db", db, "--delay", "0", "-q"])
    out = capsys.readouterr().out
    assert (status, out.split(" (")[0]) == (0, "2 new, 0 skipped, 0 failed")


def test_collect_failure_exit_1_with_its_error_row(site, db, capsys):
    host = site.host("127.0.0.1")
    host.routes["/feed.xml"] = Answer(
        200, rss([(host.base + "/a", None), (host.base + "/gone", None)]), XML
    )
    status = main(["collect", host.base + "/feed.xml", "--db", db, "--delay", "0", "-q"])
    captured = capsys.readouterr()
    assert (status, captured.out.split(" (")[0], captured.err) == (
        1,
        "1 new, 0 skipped, 1 failed",
        f"  failed: {host.base}/gone: 127.0.0.1 answered HTTP 404 (Not Found).\n",
    )


def test_collect_twice_skips_what_is_stored(feed, db, capsys):
    main(["collect", feed, "--db", db, "--delay", "0", "-q"])
    capsys.readouterr()
    main(["collect", feed, "--db", db, "--delay", "0", "-q"])
    assert capsys.readouterr().out.startswith("0 new, 2 skipped (2 already stored), 0 failed")


def test_collect_again_reads_the_stored_sources(feed, db, capsys):
    main(["collect", feed, "--db", db, "--delay", "0", "-q"])
    capsys.readouterr()
    assert main(["collect", "--again", "--db", db, "--delay", "0", "-q"]) == 0
    assert capsys.readouterr().out.startswith("0 new, 2 skipped")


def test_collect_again_without_sources_exit_2(db, capsys, env):
    main(["collect", "--again", "--db", db])
    assert capsys.readouterr().err == (
        f"newslens corpus: error: no corpus at {db}; add documents with: newslens corpus add PATH...\n"
    )


def test_collect_sends_the_user_agent_setting(site, feed, db, monkeypatch, capsys):
    monkeypatch.setenv("NEWSLENS_USER_AGENT", "NewsLens/0.1.0 (lab collector; lab@example.org)")
    main(["collect", feed, "--db", db, "--delay", "0", "-q"])
    assert {r.headers["user-agent"] for r in site.requests()} == {
        "NewsLens/0.1.0 (lab collector; lab@example.org)"
    }


def test_collect_refuses_loopback_without_the_setting(feed, db, monkeypatch, capsys):
    monkeypatch.setenv("NEWSLENS_ALLOW_PRIVATE_URLS", "0")
    assert main(["collect", feed, "--db", db, "--delay", "0", "-q"]) == 1
    assert "a loopback address" in capsys.readouterr().err


def test_info_after_collect(feed, db, capsys):
    main(["collect", feed, "--db", db, "--delay", "0", "-q"])
    capsys.readouterr()
    main(["info", "--db", db])
    lines = capsys.readouterr().out.splitlines()
    assert lines[-4:-1] == [
        "near-duplicates: 0 (left out of the counts above; --include-duplicates counts them)",
        "older revisions: 0",
        "collection sources: 1",
    ]
    assert lines[-1].startswith(f"  {feed} (feed): 2 new, 0 skipped, 0 failed")


def test_query_include_duplicates_flag(feed, db, capsys):
    main(["collect", feed, "--db", db, "--delay", "0", "-q"])
    capsys.readouterr()
    assert main(["query", "articles", "--db", db, "--include-duplicates"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "collect needs at least one SOURCE, or --again"),
        (
            ["ftp://x.example/feed"],
            "ftp://x.example/feed: only http:// and https:// addresses can be collected.",
        ),
        (
            ["no-such-file.txt"],
            "no-such-file.txt: neither an http(s) address nor a file of URLs (no such file; "
            "write a web address with https://).",
        ),
        (
            ["gazette.example/feed"],
            "gazette.example/feed: neither an http(s) address nor a file of URLs (no such "
            "file; write a web address with https://).",
        ),
        (["https://x.example/", "--delay", "-1"], "--delay must be 0 or more"),
        (["https://x.example/", "--limit", "0"], "--limit must be at least 1"),
        (["https://x.example/", "--max-time", "0"], "--max-time must be more than 0"),
        (
            ["https://x.example/", "--engine", "dask"],
            "--engine dask needs --scheduler ADDRESS (or --scheduler local)",
        ),
        (
            ["https://x.example/", "--since", "March"],
            "argument --since: not a date (YYYY-MM-DD): 'March' (see newslens corpus collect --help)",
        ),
    ],
)
def test_collect_usage_errors_exit_2(argv, message, db, capsys):
    assert main(["collect", *argv, "--db", db]) == 2
    assert capsys.readouterr().err == f"newslens corpus: error: {message}\n"


def test_collect_without_a_model_exit_3(feed, db, monkeypatch, capsys):
    from analysis.core import nlp

    def missing(**kwargs):
        raise nlp.ModelNotFoundError("No spaCy English model is installed.")

    monkeypatch.setattr(nlp, "load_nlp", missing)
    assert main(["collect", feed, "--db", db, "--delay", "0", "-q"]) == 3


def test_collect_with_the_dask_engine_in_a_process(feed, tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "NEWSLENS_ALLOW_PRIVATE_URLS": "1",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "corpus",
            "collect",
            feed,
            "--db",
            str(tmp_path / "dask.duckdb"),
            "--delay",
            "0",
            "-q",
            "--engine",
            "dask",
            "--scheduler",
            "local",
            "--workers",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=tmp_path,
    )
    assert (done.returncode, done.stdout.split(" (")[0]) == (0, "2 new, 0 skipped, 0 failed")


def test_collect_a_file_of_urls_remembered_by_its_absolute_path(
    site, db, tmp_path, monkeypatch, capsys
):
    host = site.host("127.0.0.1")
    (tmp_path / "urls.txt").write_text(host.base + "/a\n")
    monkeypatch.chdir(tmp_path)
    main(["collect", "urls.txt", "--db", db, "--delay", "0", "-q"])
    capsys.readouterr()
    main(["info", "--db", db])
    assert (
        capsys.readouterr()
        .out.splitlines()[-1]
        .startswith(f"  {tmp_path / 'urls.txt'} (list): 1 new")
    )
