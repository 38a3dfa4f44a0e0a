import multiprocessing
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from analysis.errors import ArticleError
from analysis.storage.database import (
    StoreUnavailableError,
    create_store_engine,
    write_ahead_log,
)
from analysis.storage.shares import ArticleStore, StoredArticle, article_key, is_valid_key

# -- the local file (no setting) ---------------------------------------------------------------


def test_put_get_round_trip(tmp_path):
    store = ArticleStore(tmp_path)
    key = store.put(b"Title Here\n\nBody.", source="pasted text")
    assert key == article_key(b"Title Here\n\nBody.")
    stored = store.get(key)
    assert (stored.raw, stored.source) == (b"Title Here\n\nBody.", "pasted text")


def test_put_is_idempotent(tmp_path):
    store = ArticleStore(tmp_path)
    assert store.put(b"same") == store.put(b"same")
    rows = sqlite3.connect(tmp_path / "articles.sqlite3").execute(
        "SELECT COUNT(*) FROM newslens_articles"
    )
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


def test_get_before_anything_is_stored_creates_no_file(tmp_path):
    with pytest.raises(ArticleError, match="No article is stored under this link"):
        ArticleStore(tmp_path).get("0" * 64)
    assert list(tmp_path.iterdir()) == []


def test_store_size_cap(tmp_path):
    store = ArticleStore(tmp_path, max_bytes=10)
    store.put(b"12345")
    with pytest.raises(ArticleError, match="share store is full"):
        store.put(b"123456")


def test_is_valid_key():
    assert is_valid_key("a" * 64) and not is_valid_key("A" * 64)


def test_local_store_is_not_durable(tmp_path):
    assert (ArticleStore(tmp_path).durable, ArticleStore(tmp_path).path) == (
        False,
        tmp_path / "articles.sqlite3",
    )


def test_a_file_of_the_earlier_store_keeps_its_articles(tmp_path):
    raw = b"stored before the upgrade"
    with sqlite3.connect(tmp_path / "articles.sqlite3") as connection:
        connection.execute(
            "CREATE TABLE articles (key TEXT PRIMARY KEY, raw BLOB NOT NULL, source TEXT, "
            "size INTEGER NOT NULL, created REAL NOT NULL)"
        )
        connection.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?)", (article_key(raw), raw, "old", 25, 0.0)
        )
    connection.close()
    assert ArticleStore(tmp_path).get(article_key(raw)) == StoredArticle(
        article_key(raw), raw, "old"
    )


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
    "INSERT INTO newslens_articles (key, raw, source, size, created) VALUES (?, ?, ?, ?, ?)",
    ("f" * 64, b"partial", None, 7, 0.0),
)
os._exit(1)  # the process dies mid-write, before COMMIT
"""


def test_crash_mid_write_leaves_no_partial_record(tmp_path):
    result = subprocess.run([sys.executable, "-c", _CRASH, str(tmp_path)], capture_output=True)
    assert result.returncode == 1
    store = ArticleStore(tmp_path)
    with pytest.raises(ArticleError, match="No article is stored"):
        store.get("f" * 64)
    assert (
        store.get(article_key(b"committed before the crash")).raw == b"committed before the crash"
    )
    assert store.get(store.put(b"after the crash")).raw == b"after the crash"


# -- a configured database: SQLite by URL and a real PostgreSQL server -------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """The URL of an empty database of each supported kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shared' / 'store.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def _count(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text("SELECT count(*) FROM newslens_articles")).scalar()
    finally:
        engine.dispose()


def test_configured_store_round_trip(store_url):
    store = ArticleStore(store_url)
    key = store.put(b"Title\n\nBody.", source="https://example.com/story")
    assert store.get(key) == StoredArticle(key, b"Title\n\nBody.", "https://example.com/story")


def test_configured_store_is_durable(store_url):
    assert (ArticleStore(store_url).durable, ArticleStore(store_url).path) == (True, None)


def test_configured_store_accepts_an_engine(store_url):
    engine = create_store_engine(store_url)
    key = ArticleStore(engine).put(b"through an engine")
    assert ArticleStore(store_url).get(key).raw == b"through an engine"


def test_configured_store_accepts_an_engine_made_elsewhere(tmp_path):
    # The app hands over st.connection(...).engine: a plain engine NewsLens did not create.
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'app.sqlite3'}")
    store = ArticleStore(engine)
    assert store.get(store.put(b"from the app")).raw == b"from the app"


def test_configured_store_put_is_idempotent(store_url):
    store = ArticleStore(store_url)
    assert (store.put(b"same"), store.put(b"same"), _count(store_url)) == (
        article_key(b"same"),
        article_key(b"same"),
        1,
    )


def test_configured_store_unknown_key(store_url):
    store = ArticleStore(store_url)
    store.put(b"something")
    with pytest.raises(ArticleError, match="No article is stored under this link"):
        store.get("0" * 64)


def test_configured_store_has(store_url):
    store = ArticleStore(store_url)
    key = store.put(b"kept")
    assert (store.has(key), store.has("0" * 64), store.has("not a key")) == (True, False, False)


def test_configured_store_size_cap(store_url):
    store = ArticleStore(store_url, max_bytes=10)
    store.put(b"12345")
    with pytest.raises(ArticleError, match="share store is full"):
        store.put(b"123456")


def test_two_servers_on_one_database_share_links(store_url):
    # Two app servers: two stores, each with its own engine and connections.
    first, second = ArticleStore(store_url), ArticleStore(store_url)
    key = first.put(b"written by the first server", source="pasted text")
    assert second.get(key) == StoredArticle(key, b"written by the first server", "pasted text")


def test_a_damaged_record_is_never_served(store_url):
    store = ArticleStore(store_url)
    key = store.put(b"original")
    engine = sa.create_engine(store_url)
    with engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE newslens_articles SET raw = :raw WHERE key = :key"),
            {"raw": b"tampered", "key": key},
        )
    engine.dispose()
    with pytest.raises(ArticleError, match="No article is stored under this link"):
        store.get(key)


def test_concurrent_writers_on_a_configured_database(store_url):
    with ThreadPoolExecutor(8) as pool:
        thread_keys = list(pool.map(lambda w: _write_many(store_url, w), range(8)))
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        process_keys = pool.starmap(_write_many, [(store_url, w) for w in range(4)])
    keys = {key for keys in thread_keys + process_keys for key in keys}
    store = ArticleStore(store_url)
    assert (len(keys), _count(store_url)) == (20, 20)
    for key in keys:
        assert article_key(store.get(key).raw) == key


def _fill(url: str, worker: int) -> int:
    store = ArticleStore(url, max_bytes=100)
    stored = 0
    for n in range(10):
        try:
            store.put(f"{worker:02d}-{n:02d}-".encode() + b"x" * 4)
        except ArticleError:
            continue
        stored += 1
    return stored


def test_concurrent_writers_never_pass_the_size_cap(store_url):
    # 40 articles of 10 bytes race for room for 10.
    with ThreadPoolExecutor(4) as pool:
        stored = sum(pool.map(lambda w: _fill(store_url, w), range(4)))
    assert (stored, _count(store_url)) == (10, 10)


_CRASH_POSTGRES = """
import os, sys
import psycopg
from analysis.storage.shares import ArticleStore
store = ArticleStore(sys.argv[1])
store.put(b"committed before the crash")
connection = psycopg.connect(sys.argv[1].replace("postgresql+psycopg", "postgresql"))
connection.execute(
    "INSERT INTO newslens_articles (key, raw, source, size, created) VALUES (%s, %s, %s, %s, %s)",
    ("f" * 64, b"partial", None, 7, 0.0),
)
os._exit(1)  # the process dies mid-write, before COMMIT
"""


def test_crash_mid_write_on_postgresql_leaves_no_partial_record(postgres_url):
    result = subprocess.run(
        [sys.executable, "-c", _CRASH_POSTGRES, postgres_url], capture_output=True, text=True
    )
    assert result.returncode == 1, result.stderr
    store = ArticleStore(postgres_url)
    with pytest.raises(ArticleError, match="No article is stored"):
        store.get("f" * 64)
    assert (store.has(article_key(b"committed before the crash")), _count(postgres_url)) == (
        True,
        1,
    )


def test_an_unreachable_database_is_one_clear_error(postgres_server):
    url = f"postgresql+psycopg://newslens:secret-pw@127.0.0.1:{postgres_server.port}/missing"
    with pytest.raises(StoreUnavailableError) as caught:
        ArticleStore(url).put(b"article")
    assert str(caught.value).startswith(
        "The article store at postgresql+psycopg://newslens:***@127.0.0.1:"
    )
    assert "secret-pw" not in str(caught.value)


class _Cursor:
    """Answers "PRAGMA journal_mode = WAL" with the given errors first."""

    def __init__(self, *errors: str) -> None:
        self.errors = list(errors)
        self.calls = 0

    def execute(self, sql: str) -> None:
        assert sql == "PRAGMA journal_mode = WAL"
        self.calls += 1
        if self.errors:
            raise sqlite3.OperationalError(self.errors.pop(0))


def test_write_ahead_log_is_tried_again_while_the_file_is_locked():
    cursor = _Cursor("database is locked", "database is locked")
    write_ahead_log(cursor)
    assert cursor.calls == 3


def test_write_ahead_log_gives_up_after_the_timeout_and_on_other_errors():
    locked = _Cursor(*["database is locked"] * 1000)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        write_ahead_log(locked, timeout_s=0.1)
    other = _Cursor("disk I/O error")
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        write_ahead_log(other)
    assert (2 <= locked.calls < 1000, other.calls) == (True, 1)


def test_new_sqlite_files_opened_together_all_connect(tmp_path):
    # Six connections to one new file race to turn on its write-ahead log; SQLite answers a
    # loser "database is locked" at once (10 of 1,000 such rounds failed before the retry).
    def connect(url: str) -> str:
        engine = create_store_engine(url)
        try:
            with engine.connect() as connection:
                return connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        finally:
            engine.dispose()

    for round_ in range(40):
        url = f"sqlite:///{tmp_path / str(round_) / 'store.sqlite3'}"
        with ThreadPoolExecutor(6) as pool:
            assert set(pool.map(connect, [url] * 6)) == {"wal"}
