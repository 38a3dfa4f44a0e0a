"""Corpora kept in the database and restored on a fresh server, on SQLite and on a real
PostgreSQL server."""

import multiprocessing
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa

from analysis.errors import ArticleError
from analysis.storage.archive import (
    ArchiveDamagedError,
    ArchiveProgress,
    CorpusArchive,
    CorpusNotKeptError,
)
from analysis.storage.corpus import TABLES, CorpusStore, corpus_info, top_entities
from analysis.storage.database import StoreUnavailableError

ROOT = Path(__file__).resolve().parents[3]
SAMPLE_EXPORT = ROOT / "seeds" / "corpus" / "wikinews-2019-2020.parquet"
NAME = "upload-wikinews-0123456789.duckdb"


def _subset(folder: Path, count: int, *, skip: int = 0) -> CorpusStore:
    """A corpus of ``count`` articles of the sample (after the first ``skip``, by key)."""
    export = folder / "export"
    export.mkdir(parents=True)
    keys = f"(SELECT doc_key FROM read_parquet('{SAMPLE_EXPORT}/articles.parquet') ORDER BY doc_key LIMIT {count} OFFSET {skip})"
    with duckdb.connect() as con:
        for table in (*TABLES, "errors"):
            where = "" if table == "errors" else f"WHERE doc_key IN {keys}"
            con.execute(
                f"COPY (SELECT * FROM read_parquet('{SAMPLE_EXPORT}/{table}.parquet') {where}) "
                f"TO '{export / table}.parquet' (FORMAT parquet)"
            )
    store = CorpusStore(folder / "corpus.duckdb")
    store.import_parquet(export)
    return store


@pytest.fixture(scope="session")
def sample_corpus(tmp_path_factory) -> CorpusStore:
    """The 113-article sample corpus (read only)."""
    store = CorpusStore(tmp_path_factory.mktemp("sample") / "sample.duckdb")
    store.import_parquet(SAMPLE_EXPORT)
    return store


@pytest.fixture(scope="session")
def five_articles(tmp_path_factory) -> CorpusStore:
    return _subset(tmp_path_factory.mktemp("five"), 5)


@pytest.fixture(scope="session")
def three_other_articles(tmp_path_factory) -> CorpusStore:
    return _subset(tmp_path_factory.mktemp("three"), 3, skip=50)


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_url(request, tmp_path) -> str:
    """The URL of an empty database of each supported kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / 'store.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def _rows(url: str, sql: str) -> list[tuple]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(sa.text(sql))]
    finally:
        engine.dispose()


def _state(url: str) -> tuple[list[tuple], list[tuple]]:
    """(name, snapshot, parts) of every kept corpus; (snapshot, number of parts) stored."""
    return (
        _rows(url, "SELECT name, snapshot, parts FROM newslens_corpora ORDER BY name"),
        _rows(
            url,
            "SELECT snapshot, count(*) FROM newslens_corpus_parts GROUP BY snapshot ORDER BY 1",
        ),
    )


def _sorted(frame) -> tuple[list[str], list[tuple]]:
    """The columns and the rows (as text) in one order (the store leaves some ties in a
    table's natural order unbroken)."""
    return list(frame.columns), sorted(frame.astype(str).itertuples(index=False, name=None))


def _articles(store: CorpusStore) -> int:
    return corpus_info(store).articles


# -- saving and restoring ----------------------------------------------------------------------


def test_save_returns_what_is_kept(archive_url, five_articles):
    kept = CorpusArchive(archive_url).save(NAME, five_articles)
    assert (kept.name, kept.articles, kept.bytes > 0, len(kept.fingerprint)) == (NAME, 5, True, 64)


def test_kept_lists_the_saved_corpora(archive_url, five_articles, three_other_articles):
    archive = CorpusArchive(archive_url)
    archive.save("b.duckdb", five_articles)
    archive.save("a.duckdb", three_other_articles)
    assert [(k.name, k.articles) for k in archive.kept()] == [("a.duckdb", 3), ("b.duckdb", 5)]


def test_get_unknown_corpus(archive_url):
    assert CorpusArchive(archive_url).get(NAME) is None


def test_restored_sample_has_the_same_tables(archive_url, sample_corpus, tmp_path):
    CorpusArchive(archive_url).save(NAME, sample_corpus)
    # Another server: its own connection to the database, an empty data folder.
    restored = CorpusArchive(archive_url).restore(NAME, tmp_path / "fresh" / NAME)
    for table in TABLES:
        assert _sorted(restored.table(table)) == _sorted(sample_corpus.table(table)), table


def test_restored_sample_answers_the_same_queries(archive_url, sample_corpus, tmp_path):
    CorpusArchive(archive_url).save(NAME, sample_corpus)
    restored = CorpusArchive(archive_url).restore(NAME, tmp_path / NAME)
    assert (
        corpus_info(restored).articles,
        top_entities(restored, limit=5).equals(top_entities(sample_corpus, limit=5)),
    ) == (113, True)


def test_save_of_an_equal_corpus_writes_nothing(archive_url, five_articles):
    archive = CorpusArchive(archive_url)
    first = archive.save(NAME, five_articles)
    before = _state(archive_url)
    assert (archive.save(NAME, five_articles), _state(archive_url)) == (first, before)


def test_save_of_a_restored_corpus_writes_nothing(archive_url, five_articles, tmp_path):
    archive = CorpusArchive(archive_url)
    first = archive.save(NAME, five_articles)
    restored = archive.restore(NAME, tmp_path / NAME)
    assert archive.save(NAME, restored) == first


def test_save_replaces_the_corpus_and_drops_the_old_parts(
    archive_url, five_articles, three_other_articles, tmp_path
):
    archive = CorpusArchive(archive_url)
    archive.save(NAME, five_articles)
    archive.save(NAME, three_other_articles)
    (row,), parts = _state(archive_url)
    assert (parts, _articles(archive.restore(NAME, tmp_path / NAME))) == ([(row[1], row[2])], 3)


def test_save_and_restore_report_progress(archive_url, five_articles, tmp_path):
    archive = CorpusArchive(archive_url, part_bytes=64 * 1024)
    saving, restoring = [], []
    archive.save(NAME, five_articles, progress=saving.append)
    archive.restore(NAME, tmp_path / NAME, progress=restoring.append)
    parts = _state(archive_url)[0][0][2]
    assert saving == [
        ArchiveProgress("exporting", 0, 1),
        ArchiveProgress("exporting", 1, 1),
        *(ArchiveProgress("saving", n, parts) for n in range(1, parts + 1)),
        ArchiveProgress("done", 1, 1),
    ]
    assert restoring == [
        *(ArchiveProgress("reading", n, parts) for n in range(1, parts + 1)),
        ArchiveProgress("building", 0, 1),
        ArchiveProgress("building", 1, 1),
        ArchiveProgress("done", 1, 1),
    ]


def test_a_snapshot_is_split_into_parts_of_the_given_size(archive_url, five_articles, tmp_path):
    archive = CorpusArchive(archive_url, part_bytes=1000)
    kept = archive.save(NAME, five_articles)
    sizes = _rows(archive_url, "SELECT length(data) FROM newslens_corpus_parts")
    restored = archive.restore(NAME, tmp_path / NAME)
    assert (max(sizes)[0], len(sizes) >= kept.bytes // 1000, _articles(restored)) == (
        1000,
        True,
        5,
    )


def test_progress_fraction():
    assert (ArchiveProgress("saving", 3, 4).fraction, ArchiveProgress("done", 0, 0).fraction) == (
        0.75,
        1.0,
    )


# -- restoring: idempotent, complete or absent --------------------------------------------------


def test_restore_of_an_existing_file_reads_nothing(archive_url, five_articles, tmp_path):
    archive = CorpusArchive(archive_url)
    archive.save(NAME, five_articles)
    path = tmp_path / NAME
    archive.restore(NAME, path)
    stamp, steps = path.stat().st_mtime_ns, []
    archive.restore(NAME, path, progress=steps.append)
    assert (steps, path.stat().st_mtime_ns) == ([ArchiveProgress("done", 1, 1)], stamp)


def test_restore_of_an_unknown_corpus(archive_url, tmp_path):
    with pytest.raises(CorpusNotKeptError, match=f"^No corpus named “{NAME}” is kept"):
        CorpusArchive(archive_url).restore(NAME, tmp_path / "data" / NAME)
    assert list((tmp_path / "data").iterdir()) == []


@pytest.mark.parametrize("name", ["../corpus.duckdb", "a/b.duckdb", "", ".hidden", "x" * 201])
def test_names_that_are_not_file_names_are_refused(tmp_path, name):
    archive = CorpusArchive(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with pytest.raises(ArticleError, match="^A corpus name is letters, digits"):
        archive.restore(name, tmp_path / "x.duckdb")


def test_restore_of_a_damaged_copy_leaves_no_file(archive_url, five_articles, tmp_path):
    archive = CorpusArchive(archive_url)
    archive.save(NAME, five_articles)
    engine = sa.create_engine(archive_url)
    with engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE newslens_corpus_parts SET data = :data WHERE seq = 0"),
            {"data": b"not parquet"},
        )
    engine.dispose()
    folder = tmp_path / "data"
    with pytest.raises(ArchiveDamagedError, match=f"^The kept copy of the corpus “{NAME}” is"):
        archive.restore(NAME, folder / NAME)
    assert list(folder.iterdir()) == []


def test_restore_checks_the_kept_bytes_against_their_digest(archive_url, five_articles, tmp_path):
    archive = CorpusArchive(archive_url)
    archive.save(NAME, five_articles)
    engine = sa.create_engine(archive_url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE newslens_corpora SET digest = :d"), {"d": "0" * 64})
    engine.dispose()
    with pytest.raises(ArchiveDamagedError, match="is damaged and cannot be restored"):
        archive.restore(NAME, tmp_path / NAME)
    assert not (tmp_path / NAME).exists()


def test_restore_of_a_newer_format_is_refused(archive_url, five_articles, tmp_path):
    archive = CorpusArchive(archive_url)
    archive.save(NAME, five_articles)
    engine = sa.create_engine(archive_url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE newslens_corpora SET format = 2"))
    engine.dispose()
    with pytest.raises(ArchiveDamagedError, match="saved by a newer version of NewsLens"):
        archive.restore(NAME, tmp_path / NAME)


def _restore(url: str, path: str) -> int:
    return _articles(CorpusArchive(url).restore(NAME, path))


def test_concurrent_restores_build_one_complete_file(archive_url, five_articles, tmp_path):
    CorpusArchive(archive_url).save(NAME, five_articles)
    path = tmp_path / "data" / NAME
    archive = CorpusArchive(archive_url)
    with ThreadPoolExecutor(4) as pool:
        threads = list(pool.map(lambda _: _articles(archive.restore(NAME, path)), range(4)))
    (tmp_path / "data2").mkdir()
    other = str(tmp_path / "data2" / NAME)
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        # A worker that dies would leave starmap waiting for good: the timeout makes it a failure.
        processes = pool.starmap_async(_restore, [(archive_url, other)] * 2).get(timeout=300)
    leftovers = sorted(p.name for p in (tmp_path / "data").iterdir())
    assert (threads, processes, leftovers) == ([5] * 4, [5, 5], [NAME])


# -- saving: atomic, serialised, capped ---------------------------------------------------------


def test_save_past_the_size_cap_is_refused(archive_url, five_articles, three_other_articles):
    archive = CorpusArchive(archive_url)
    small = archive.save("small.duckdb", three_other_articles)
    capped = CorpusArchive(archive_url, max_bytes=small.bytes + 1000)
    with pytest.raises(ArticleError, match="^The store for corpora is full"):
        capped.save(NAME, five_articles)
    assert (capped.get(NAME), [row[0] for row in _state(archive_url)[0]]) == (
        None,
        ["small.duckdb"],
    )


def test_replacing_a_corpus_counts_only_the_new_copy(archive_url, five_articles):
    archive = CorpusArchive(archive_url)
    kept = archive.save(NAME, five_articles)
    capped = CorpusArchive(archive_url, max_bytes=kept.bytes)
    # The copy it replaces does not count against the cap.
    assert capped.save(NAME, five_articles).fingerprint == kept.fingerprint


_CRASH = """
import os, sys
from analysis.storage.archive import CorpusArchive
from analysis.storage.corpus import CorpusStore

def crash(step):
    if step.stage == "saving" and step.done == 2:
        os._exit(1)  # the server dies mid-save, before the commit

archive = CorpusArchive(sys.argv[1], part_bytes=2000)
archive.save(sys.argv[2], CorpusStore(sys.argv[3]), progress=crash)
"""


def test_a_crash_mid_save_leaves_nothing(archive_url, five_articles):
    done = subprocess.run(
        [sys.executable, "-c", _CRASH, archive_url, NAME, str(five_articles.path)],
        capture_output=True,
        text=True,
    )
    assert (done.returncode, CorpusArchive(archive_url).get(NAME), _state(archive_url)) == (
        1,
        None,
        ([], []),
    ), done.stderr


def test_a_crash_mid_save_keeps_the_previous_copy(
    archive_url, five_articles, three_other_articles, tmp_path
):
    before = CorpusArchive(archive_url).save(NAME, three_other_articles)
    done = subprocess.run(
        [sys.executable, "-c", _CRASH, archive_url, NAME, str(five_articles.path)],
        capture_output=True,
    )
    archive = CorpusArchive(archive_url)
    restored = archive.restore(NAME, tmp_path / NAME)
    assert (done.returncode, archive.get(NAME), _articles(restored)) == (1, before, 3)


def _save(url: str, name: str, path: str) -> tuple[str, float]:
    kept = CorpusArchive(url, part_bytes=20_000).save(name, CorpusStore(path))
    return kept.fingerprint, kept.saved


def test_concurrent_saves_of_one_corpus_keep_one_copy(archive_url, five_articles):
    path = str(five_articles.path)
    with ThreadPoolExecutor(4) as pool:
        threads = set(pool.map(lambda _: _save(archive_url, NAME, path), range(4)))
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        processes = set(pool.starmap_async(_save, [(archive_url, NAME, path)] * 2).get(timeout=300))
    (row,), parts = _state(archive_url)
    # One save wrote; every other one found it (the same save time) and wrote nothing.
    assert (len(threads | processes), parts) == (1, [(row[1], row[2])])


def test_concurrent_saves_of_different_corpora_under_one_name_stay_whole(
    archive_url, five_articles, three_other_articles, tmp_path
):
    paths = [str(five_articles.path), str(three_other_articles.path)] * 3
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda path: _save(archive_url, NAME, path), paths))
    (row,), parts = _state(archive_url)
    restored = CorpusArchive(archive_url).restore(NAME, tmp_path / NAME)
    assert (parts, _articles(restored) in (3, 5)) == ([(row[1], row[2])], True)


def test_an_unreachable_database_is_one_clear_error(postgres_server, five_articles):
    url = f"postgresql+psycopg://newslens:secret-pw@127.0.0.1:{postgres_server.port}/missing"
    with pytest.raises(StoreUnavailableError) as caught:
        CorpusArchive(url).save(NAME, five_articles)
    message = str(caught.value)
    assert (
        message.startswith("The corpus store at postgresql+psycopg://newslens:***@"),
        "secret-pw" in message,
    ) == (True, False)
