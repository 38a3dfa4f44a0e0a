"""Where links and corpora are kept: NEWSLENS_STORE_URL, else Streamlit's
``[connections.newslens]`` secret (through ``st.connection``), else the data folder's file."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit import config
from streamlit.testing.v1 import AppTest


def _store_report() -> None:
    """A script: what the app's store and archive are, or the error."""
    import streamlit as st

    from analysis.errors import ArticleError
    from analysis.storage.database import describe
    from dashboard import cache

    for cached in (cache.store_engine, cache.load_store, cache.load_archive):
        cached.clear()
    try:
        store = cache.load_store()
    except ArticleError as error:
        st.text(f"error: {error}")
        return
    st.text(f"durable={store.durable}")
    st.text(f"archive={cache.load_archive() is not None}")
    st.text(f"url={describe(store.engine)}")


def report(
    monkeypatch, tmp_path, *, env: str | None = None, secret: str | None = None
) -> list[str]:
    """What the app's store is with ``NEWSLENS_STORE_URL`` = ``env`` and a secrets file whose
    ``[connections.newslens]`` has ``url = secret`` (Streamlit reads the file, as it would
    ``.streamlit/secrets.toml``)."""
    from dashboard.settings import app_settings

    if env is None:
        monkeypatch.delenv("NEWSLENS_STORE_URL", raising=False)
    else:
        monkeypatch.setenv("NEWSLENS_STORE_URL", env)
    app_settings.clear()
    secrets = tmp_path / "secrets.toml"
    if secret is not None:
        secrets.write_text(f'[connections.newslens]\nurl = "{secret}"\n', encoding="utf-8")
    config.set_option("secrets.files", [str(secrets)])
    st.secrets._reset()
    at = AppTest.from_function(_store_report, default_timeout=30)
    at.run()
    assert not at.exception
    return [text.value for text in at.text]


@pytest.fixture(autouse=True)
def _clear():
    files = config.get_option("secrets.files")
    yield
    from dashboard import cache

    for cached in (cache.store_engine, cache.load_store, cache.load_archive):
        cached.clear()
    if cache.has_store_secret():
        # st.connection keeps one connection per name: the next test's secret is another.
        st.connection("newslens", type="sql").reset()
    config.set_option("secrets.files", files)
    st.secrets._reset()


def test_without_setting_the_store_is_the_data_folder_file(monkeypatch, tmp_path, data_dir):
    assert report(monkeypatch, tmp_path) == [
        "durable=False",
        "archive=False",
        f"url=sqlite:///{data_dir / 'articles.sqlite3'}",
    ]


def test_store_url_makes_a_durable_store_and_archive(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    assert report(monkeypatch, tmp_path, env=url) == ["durable=True", "archive=True", f"url={url}"]


def test_secret_connection_makes_a_durable_store_and_archive(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'secret.sqlite3'}"
    assert report(monkeypatch, tmp_path, secret=url) == [
        "durable=True",
        "archive=True",
        f"url={url}",
    ]


def test_store_url_wins_over_the_secret(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'env.sqlite3'}"
    secret = f"sqlite:///{tmp_path / 'secret.sqlite3'}"
    assert report(monkeypatch, tmp_path, env=url, secret=secret)[2] == f"url={url}"


def test_secret_on_postgresql_through_st_connection(monkeypatch, tmp_path, postgres_url):
    from sqlalchemy import make_url

    # A provider's URL as it gives it: SQLAlchemy's default PostgreSQL driver is psycopg 3.
    plain = make_url(postgres_url).set(drivername="postgresql")
    lines = report(monkeypatch, tmp_path, secret=plain.render_as_string(hide_password=False))
    assert (lines[:2], lines[2].startswith("url=postgresql://")) == (
        ["durable=True", "archive=True"],
        True,
    ) and make_url(postgres_url).password not in lines[2]


def test_secret_without_the_driver_is_named(monkeypatch, tmp_path):
    lines = report(
        monkeypatch, tmp_path, secret="postgresql+psycopg2://newslens:pw@127.0.0.1:9/newslens"
    )
    assert lines == [
        "error: The database in the secrets ([connections.newslens]) cannot be used "
        "(ModuleNotFoundError): its url should look like "
        "postgresql://user:password@host:5432/database."
    ]
