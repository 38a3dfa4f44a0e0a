"""Uploaded corpora that outlive the server: kept in the durable store once analysed, restored
with their progress on a server that does not have them, the link's view kept; without a
durable store, the page says how long an upload lasts and offers its export."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analysis.storage.archive import CorpusArchive
from analysis.storage.corpus import CorpusStore
from tests.dashboard.corpus.tiny import APP, upload_bytes

NAME = "upload-tiny-0123456789.duckdb"
LIFETIME = (
    "This uploaded corpus lasts until the server restarts (a hosted app's disk is wiped then), "
    "and so do links to it. Download its export to keep a copy: upload it again, or import it "
    "with `newslens corpus import`."
)


def clear_caches() -> None:
    from dashboard import cache
    from dashboard.corpus import choice

    for cached in (cache.store_engine, cache.load_store, cache.load_archive, choice.kept_corpora):
        cached.clear()


@pytest.fixture(autouse=True)
def _fresh_store():
    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def store_url(tmp_path, monkeypatch) -> str:
    """A durable store (a SQLite file outside the data folder, as on a mounted disk)."""
    url = f"sqlite:///{tmp_path / 'durable' / 'newslens.sqlite3'}"
    monkeypatch.setenv("NEWSLENS_STORE_URL", url)
    return url


@pytest.fixture
def page(monkeypatch, tmp_path) -> AppTest:
    """The Corpus page on its own choice of corpus, in an empty data folder of its own."""
    monkeypatch.delenv("NEWSLENS_TEST_CORPUS", raising=False)
    monkeypatch.setenv("NEWSLENS_DATA_DIR", str(tmp_path / "data"))
    return AppTest.from_file(str(APP), default_timeout=60)


def upload(at: AppTest) -> tuple[AppTest, str]:
    from dashboard import jobs

    at.sidebar.file_uploader[0].set_value(("three.jsonl", upload_bytes(), "application/json"))
    at.run()
    corpus = at.selectbox(key="corpus_choice_name").value
    assert jobs.upload_job(corpus).wait(120)
    at.run()
    assert not at.exception
    return at, corpus


def kept_tiny(url: str, corpus_path) -> CorpusArchive:
    archive = CorpusArchive(url)
    archive.save(NAME, CorpusStore(corpus_path))
    return archive


def restoring(at: AppTest) -> list[str]:
    return [p.proto.text for p in at.get("progress")]


def test_upload_is_kept_in_the_durable_store(page, store_url, nlp):
    _, corpus = upload(page.run())
    assert CorpusArchive(store_url).get(corpus).articles == 3


def test_upload_says_it_is_kept(page, store_url, nlp):
    at, _ = upload(page.run())
    assert (
        "Kept in the database: this corpus, and links to it, come back after the server "
        "restarts." in [c.value for c in at.caption]
    )


def test_upload_without_durable_store_says_it_lasts_until_a_restart(page, nlp, monkeypatch):
    monkeypatch.delenv("NEWSLENS_STORE_URL", raising=False)
    at, _ = upload(page.run())
    assert LIFETIME in [i.value for i in at.info]


def test_upload_without_durable_store_offers_its_export(page, nlp, monkeypatch):
    monkeypatch.delenv("NEWSLENS_STORE_URL", raising=False)
    at, corpus = upload(page.run())
    (button,) = [
        b for b in at.get("download_button") if b.proto.id.endswith("corpus_choice_export")
    ]
    assert button.proto.label == "Download this corpus (export, Parquet)"


def test_sample_has_no_lifetime_notice(page, monkeypatch):
    monkeypatch.delenv("NEWSLENS_STORE_URL", raising=False)
    at = page.run()
    assert LIFETIME not in [i.value for i in at.info]


def test_kept_corpus_link_shows_restore_progress(page, store_url, corpus_path):
    kept_tiny(store_url, corpus_path)
    page.query_params["corpus"] = NAME
    at = page.run()
    assert [text.rsplit(": ", 1)[0] for text in restoring(at)] == [
        "Restoring Upload: tiny-0123456789 (this server does not have it yet)"
    ]


def test_kept_corpus_link_opens_the_same_view_once_restored(page, store_url, corpus_path):
    from dashboard import jobs
    from dashboard.settings import app_settings

    kept_tiny(store_url, corpus_path)
    page.query_params["corpus"] = NAME
    page.query_params["q"] = "Bergen"
    at = page.run()
    assert jobs.start_restore(None, NAME, app_settings().data_dir / NAME).wait(60)
    at.run()
    assert not at.exception
    assert (
        restoring(at),
        at.selectbox(key="corpus_choice_name").value,
        at.query_params["q"],
        at.caption[0].value,
    ) == ([], NAME, "Bergen", "2 of 3 articles selected · 2024-03-04 to 2024-04-10")


def test_kept_corpus_is_offered_in_the_picker(page, store_url, corpus_path):
    kept_tiny(store_url, corpus_path)
    at = page.run()
    assert "Upload: tiny-0123456789" in at.selectbox(key="corpus_choice_name").options


def test_damaged_kept_corpus_says_so_and_shows_the_sample(page, store_url, corpus_path):
    import sqlalchemy as sa

    from dashboard import jobs
    from dashboard.settings import app_settings

    archive = kept_tiny(store_url, corpus_path)
    with archive.engine.begin() as connection:
        connection.execute(sa.text("UPDATE newslens_corpus_parts SET data = x'00'"))
    page.query_params["corpus"] = NAME
    at = page.run()
    assert jobs.start_restore(None, NAME, app_settings().data_dir / NAME).wait(60)
    at.run()
    assert (
        [e.value.split(" cannot be opened:")[0] for e in at.error],
        (app_settings().data_dir / NAME).exists(),
    ) == (["Upload: tiny-0123456789"], False)
