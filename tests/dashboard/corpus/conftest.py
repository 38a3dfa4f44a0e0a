"""Fixtures of the Corpus page's tests: the tiny corpus, the page on it, the page on the
sample corpus in a data folder of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis import analyze
from analysis.storage.corpus import (
    ArticleMeta,
    CorpusStore,
    article_tables,
    corpus_options,
    document_key,
)
from tests.dashboard.corpus.tiny import APP, TEXTS


@pytest.fixture(scope="module")
def corpus_path(tmp_path_factory, nlp) -> Path:
    path = tmp_path_factory.mktemp("tiny-corpus") / "tiny.duckdb"
    store = CorpusStore(path)
    for text, day, outlet in TEXTS:
        result = analyze(text, nlp=nlp, options=corpus_options())
        meta = ArticleMeta(published=day, source=outlet)
        store.add([article_tables(result, key=document_key(text), meta=meta)])
    store.compact()
    return path


@pytest.fixture
def app(corpus_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("NEWSLENS_TEST_CORPUS", str(corpus_path))
    return AppTest.from_file(str(APP), default_timeout=60)


@pytest.fixture
def sample_app(monkeypatch, tmp_path) -> AppTest:
    """The page on its own choice of corpus (the sample), in a data folder of its own."""
    monkeypatch.delenv("NEWSLENS_TEST_CORPUS", raising=False)
    monkeypatch.setenv("NEWSLENS_DATA_DIR", str(tmp_path))
    return AppTest.from_file(str(APP), default_timeout=60)


@pytest.fixture
def two_article_rows(monkeypatch):
    from dashboard.corpus import views

    monkeypatch.setattr(views, "ARTICLE_ROWS", 2)
    monkeypatch.setattr(views, "ARTICLE_ROW_CHOICES", (2, 1000))
