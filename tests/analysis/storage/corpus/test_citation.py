from datetime import date, datetime
from importlib import metadata

import pytest

from analysis.core.metadata import ANALYSIS_VERSION
from analysis.storage.corpus import citation
from analysis.storage.corpus.citation import cite_view, newslens_version
from analysis.storage.corpus.query_language import QuerySyntaxError

HEAD = f"NewsLens 0.1.0 (analysis version {ANALYSIS_VERSION}) [Computer software]."


def test_cite_view_with_every_filter():
    line = cite_view(
        corpus="news.duckdb",
        articles=1234,
        view="Coverage over time",
        start=date(2024, 3, 1),
        end="2024-03-31",
        sources=["alpha.news", None],
        text="biden or trump -election",
        entity="Ann Lee",
        when=datetime(2024, 4, 2, 15, 0),
        version="0.1.0",
    )
    assert line == (
        f'{HEAD} Coverage over time of corpus "news.duckdb", 1,234 articles; '
        'query: biden AND "or" AND trump AND NOT election; dates 2024-03-01 to 2024-03-31; '
        "outlets: alpha.news, (no outlet); entity: Ann Lee. Retrieved 2024-04-02."
    )


def test_cite_view_of_a_whole_corpus():
    assert cite_view(corpus="c.duckdb", when=date(2024, 1, 5), version="0.1.0") == (
        f'{HEAD} Corpus "c.duckdb". Retrieved 2024-01-05.'
    )


def test_cite_view_open_ended_dates():
    line = cite_view(corpus="c", start="2024-03-01", when=date(2024, 1, 5), version="0.1.0")
    assert "; dates 2024-03-01 to the last." in line


def test_cite_view_refuses_an_unreadable_query():
    with pytest.raises(QuerySyntaxError):
        cite_view(corpus="c", text='"open')


def test_newslens_version_when_not_installed(monkeypatch):
    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(citation.metadata, "version", missing)
    assert newslens_version() == "unknown"
