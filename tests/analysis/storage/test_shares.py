import multiprocessing
import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest

from analysis.errors import ArticleError
from analysis.storage.shares import ArticleStore, article_key, is_valid_key


def test_put_get_round_trip(tmp_path):
    store = ArticleStore(tmp_path)
    key = store.put(b"Title Here\n\nBody.", source="pasted text")
    assert key == article_key(b"Title Here\n\nBody.")
    stored = store.get(key)
    assert (stored.raw, stored.source) == (b"Title Here\n\nBody.", "pasted text")


def test_put_is_idempotent(tmp_path):
    store = ArticleStore(tmp_path)
    assert store.put(b"same") == store.put(b"same")
    rows = sqlite3.connect(tmp_path / "articles.sqlite3").execute("SELECT COUNT(*) FROM articles")
    assert rows.fetchone() == (1,)


@pytest.mark.parametrize("key", ["../../etc/passwd", "abc", "G" * 64, "'; DROP TABLE x; --", ""])
def test_get_malformed_key(tmp_path, key):
    with pytest.raises(ArticleError, match="not valid"):
        ArticleStore(tmp_path).get(key)
    assert not (tmp_path / "articles.sqlite3").exists()


def test_get_unknown_key(tmp_path):
    store = ArticleStore(tmp_path)
    store.put(b"something")
    with pytest.raises(ArticleError, match="No article is stored under this link"):
        store.get("0" * 64)


def test_store_size_cap(tmp_path):
    store = ArticleStore(tmp_path, max_bytes=10)
    store.put(b"12345")
    with pytest.raises(ArticleError, match="share store is full"):
        store.put(b"123456")


def test_is_valid_key():
    assert is_valid_key("a" * 64) and not is_valid_key("A" * 64)


def _write_many(directory: str, worker: int) -> list[str]:
    store = ArticleStore(directory)
    return [store.put(f"article {n % 10}, writer {worker % 2}".encode()) for n in range(20)]


def test_concurrent_writers_threads_and_processes(tmp_path):
    with ThreadPoolExecutor(8) as pool:
        thread_keys = list(pool.map(lambda w: _write_many(str(tmp_path), w), range(8)))
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        process_keys = pool.starmap(_write_many, [(str(tmp_path), w) for w in range(4)])
    store = ArticleStore(tmp_path)
    keys = {key for keys in thread_keys + process_keys for key in keys}
    assert len(keys) == 20
    for key in keys:
        assert article_key(store.get(key).raw) == key


_CRASH = """
import os, sqlite3, sys
from analysis.storage.shares import ArticleStore
store = ArticleStore(sys.argv[1])
store.put(b"committed before the crash")
connection = sqlite3.connect(store.path, isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute(
    "INSERT INTO articles (key, raw, source, size, created) VALUES (?, ?, ?, ?, ?)",
    ("f" * 64, b"partial", None, 7, 0.0),
)
os._exit(1)  # the process dies mid-write, before COMMIT
"""


def test_crash_mid_write_leaves_no_partial_record(tmp_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", _CRASH, str(tmp_path)], capture_output=True)
    assert result.returncode == 1
    store = ArticleStore(tmp_path)
    with pytest.raises(ArticleError, match="No article is stored"):
        store.get("f" * 64)
    assert (
        store.get(article_key(b"committed before the crash")).raw == b"committed before the crash"
    )
    assert store.get(store.put(b"after the crash")).raw == b"after the crash"
