"""The corpus store when things go wrong around it: a full disk, a read-only folder, a file that
is not a corpus, a reader that holds the file, a writer killed before it removed its marker."""

import subprocess
import sys
import threading
import time

import pytest

from analysis.storage.corpus import CorpusBusyError, CorpusStore, ErrorRow
from analysis.storage.corpus import store as store_module
from analysis.storage.corpus.filesystem import CorpusStorageError, marker_is_stale
from analysis.storage.corpus.store import ArticleCounts, CorpusReader
from tests.analysis.mounts import grow, read_only_view, small_disk
from tests.analysis.storage.corpus import copies, corpus


@pytest.fixture
def store(tmp_path):
    return CorpusStore(tmp_path / "corpus.duckdb", timeout=5)


@pytest.fixture
def filled(store):
    store.add(corpus())
    return store


def articles(store):
    with store.reader() as con:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]


# -- a full disk ---------------------------------------------------------------------------------


def fill(store):
    """Add batches of 8 articles until the disk is full; the error and the batches stored."""
    for batch in range(200):
        try:
            store.add(copies(8, start=8 * batch))
        except Exception as error:
            return error, batch
    raise AssertionError("the disk never filled up")


@pytest.fixture
def full(tmp_path):
    with small_disk(tmp_path / "disk", size="1m") as disk:
        store = CorpusStore(disk / "corpus.duckdb", timeout=5)
        error, batches = fill(store)
        yield store, error, batches, disk


def test_full_disk_is_said_as_such(full):
    _, error, _, disk = full
    assert (type(error), error.reason, str(error).split(" (")[0]) == (
        CorpusStorageError,
        "disk-full",
        f"The disk holding {disk}/corpus.duckdb is full",
    )


def test_full_disk_keeps_every_batch_stored_before(full):
    store, _, batches, _ = full
    assert articles(store) == 8 * batches


def test_full_disk_next_write_fails_the_same_way(full):
    store = full[0]
    with pytest.raises(CorpusStorageError, match="is full"):
        store.add(copies(8, start=50_000))


def test_full_disk_resumes_once_space_is_freed(full):
    store, _, batches, disk = full
    grow(disk, size="20m")
    store.add(copies(8, start=8 * batches))
    assert articles(store) == 8 * (batches + 1)


def test_full_disk_error_rows_said_as_such(tmp_path):
    with small_disk(tmp_path / "disk", size="1m") as disk:
        store = CorpusStore(disk / "corpus.duckdb", timeout=5)
        fill(store)
        with pytest.raises(CorpusStorageError, match="is full"):
            store.add_errors([ErrorRow("x" * 1000, "reason " * 1000)] * 200)


# -- a read-only folder ------------------------------------------------------------------------------


@pytest.fixture
def read_only(filled, tmp_path):
    with read_only_view(filled.path.parent, tmp_path / "ro") as view:
        yield view


def test_read_only_folder_write_fails_at_once(read_only):
    store = CorpusStore(read_only / "corpus.duckdb", timeout=1, write_timeout=30)
    with pytest.raises(CorpusStorageError) as caught:
        store.add(copies(1, start=900))
    assert (caught.value.reason, str(caught.value).split(":")[0]) == (
        "read-only",
        f"The corpus file {read_only}/corpus.duckdb cannot be written",
    )


def test_read_only_folder_new_corpus_cannot_be_created(read_only):
    store = CorpusStore(read_only / "new.duckdb", timeout=1, write_timeout=30)
    with pytest.raises(CorpusStorageError, match="cannot be created: its folder"):
        store.ensure()


def test_read_only_folder_still_reads(read_only):
    assert CorpusStore(read_only / "corpus.duckdb").article_counts() == ArticleCounts(8, 8)


def test_not_a_duckdb_file_is_said_at_once(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_text("Meeting notes, not a database. " * 20)
    with pytest.raises(CorpusStorageError, match="is not a NewsLens corpus"):
        CorpusStore(path, timeout=30).article_counts()


# -- a reader holding the file --------------------------------------------------------------------

HOLDER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print("held", flush=True)
sys.stdin.readline()
con.close()
print("released", flush=True)
"""


def test_writer_outwaits_a_reader_and_says_so(filled, monkeypatch):
    monkeypatch.setattr(store_module, "WAIT_NOTICE", 0.2)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(filled.path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        told = threading.Event()
        messages = []

        def on_wait(message):
            messages.append(message)
            told.set()

        writer = CorpusStore(filled.path, timeout=0.3, write_timeout=120, on_wait=on_wait)
        added = []
        thread = threading.Thread(target=lambda: added.append(writer.add(copies(2, start=700))))
        thread.start()
        assert told.wait(60)
        holder.stdin.write("\n")
        holder.stdin.flush()
        thread.join(120)
    finally:
        holder.kill()
        holder.wait()
    assert (added, messages[0].split(" (")[0]) == (
        [2],
        f"waiting for another process to let go of {filled.path}",
    )


def test_writer_gives_up_after_write_timeout(filled):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(filled.path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        writer = CorpusStore(filled.path, timeout=0.2, write_timeout=0.5)
        with pytest.raises(CorpusBusyError, match="stayed in use by another process for"):
            writer.add(copies(1, start=800))
    finally:
        holder.kill()
        holder.wait()


# -- the writer marker ---------------------------------------------------------------------------


def dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_marker_of_a_dead_writer_is_stale(filled):
    import socket

    filled.writer_marker.write_text(f"{dead_pid()} {socket.gethostname()}\n")
    assert marker_is_stale(filled.writer_marker) is True


def test_marker_of_a_live_writer_is_not_stale(filled):
    import os
    import socket

    filled.writer_marker.write_text(f"{os.getpid()} {socket.gethostname()}\n")
    assert marker_is_stale(filled.writer_marker) is False


def test_reader_keeps_its_connection_despite_a_stale_marker(filled):
    import socket

    filled.writer_marker.write_text(f"{dead_pid()} {socket.gethostname()}\n")
    reader = CorpusReader(filled, idle=60)
    for _ in range(3):
        with reader.connection() as con:
            con.execute("SELECT 1").fetchone()
    reader.close()
    assert reader.opened == 1


def test_remove_stale_marker(filled):
    import socket

    filled.writer_marker.write_text(f"{dead_pid()} {socket.gethostname()}\n")
    assert (filled.remove_stale_marker(), filled.writer_marker.exists()) == (True, False)


def test_writer_replaces_a_stale_marker_and_removes_it(filled):
    import socket

    filled.writer_marker.write_text(f"{dead_pid()} {socket.gethostname()}\n")
    filled.add(copies(1, start=600))
    assert filled.writer_marker.exists() is False


def test_writer_leaves_another_writers_marker(filled):
    import socket

    other = f"{dead_pid() + 1_000_000} {socket.gethostname()}\n"

    class Racing(CorpusStore):
        def _mark_writer(self):
            super()._mark_writer()
            self.writer_marker.write_text(other)  # another writer came along meanwhile

    Racing(filled.path).add(copies(1, start=500))
    assert filled.writer_marker.read_text() == other


# -- what error rows can hold ----------------------------------------------------------------------


def test_error_row_with_unencodable_name_is_stored(store):
    store.add_errors([ErrorRow("caf\udce9.txt", "binary \x00 data")])
    assert store.errors()[["document", "reason"]].values.tolist() == [
        ["caf\\udce9.txt", "binary \\x00 data"]
    ]


# -- counts from one snapshot ----------------------------------------------------------------------


def test_article_counts_selected_and_total(filled):
    assert filled.article_counts(where="a.source = ?", params=["alpha.news"]) == ArticleCounts(3, 8)


def test_article_counts_of_an_empty_corpus(store):
    assert store.article_counts() == ArticleCounts(0, 0)


WRITER = """
import sys
from analysis.storage.corpus import CorpusStore
from tests.analysis.storage.corpus import copies
store = CorpusStore(sys.argv[1], timeout=60)
for i in range(5):
    store.add(copies(4, start=4 * i + 1000))
"""


def test_article_counts_never_select_more_than_the_total_while_a_writer_adds(filled):
    from pathlib import Path

    root = Path(__file__).resolve().parents[4]
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(filled.path)], cwd=root)
    seen = []
    while writer.poll() is None:
        seen.append(filled.article_counts())
        time.sleep(0.01)
    writer.wait()
    seen.append(filled.article_counts())
    assert (
        writer.returncode,
        [c for c in seen if c.selected != c.total],
        seen[-1],
    ) == (0, [], ArticleCounts(28, 28))
