"""The Corpus page's "Collect from a site or feed": what a reader may type, the summary table,
and the page through AppTest collecting from a feed served on loopback by the test (the app
reaches loopback only because the test sets ``NEWSLENS_ALLOW_PRIVATE_URLS``)."""

from __future__ import annotations

import threading

import pytest
from streamlit.testing.v1 import AppTest

from analysis.core.schema import ErrorRow
from analysis.runners.collect import CollectReport
from analysis.sources.collect.rows import ListingOutcome
from analysis.storage.corpus import collection
from analysis.storage.corpus.store import CorpusStore
from dashboard.corpus.collect import (
    CollectError,
    listings_table,
    new_corpus_file,
    progress_text,
    saved_list,
    source_label,
    summary_table,
    typed_sources,
)
from dashboard.jobs import CollectStatus
from tests.analysis.sources.collect.site import Answer, Site, article, paragraphs, rss
from tests.dashboard.corpus.tiny import APP, frame_of

KEY = "corpus_collect"


def _report(**changes) -> CollectReport:
    fields = {
        "added": 5,
        "duplicates": 1,
        "revisions": 1,
        "skipped": 7,
        "failed": 2,
        "pending": 0,
        "skip_reasons": (("already stored", 4), ("disallowed by robots.txt", 2)),
        "failure_reasons": (("HTTP 404", 2),),
        "errors": (ErrorRow("http://a.test/x", "HTTP 404: not found"),),
        "listings": (ListingOutcome("http://a.test/feed", "feed", "read", 9),),
        "requests": 12,
        "seconds": 3.0,
    }
    return CollectReport(**{**fields, **changes})


# -- what a reader types ----------------------------------------------------------------------


def test_typed_sources_adds_https_and_drops_blanks_and_repeats():
    assert typed_sources("example.com/feed\n\n  https://b.example.org/ \nexample.com/feed\n") == [
        "https://example.com/feed",
        "https://b.example.org/",
    ]


def test_typed_sources_keeps_a_loopback_address_with_its_port():
    assert typed_sources("http://127.0.0.1:8080/feed.xml") == ["http://127.0.0.1:8080/feed.xml"]


def test_typed_sources_refuses_a_file_of_the_server():
    with pytest.raises(CollectError, match="“/etc/passwd” is not a web address"):
        typed_sources("/etc/passwd")


def test_typed_sources_refuses_another_scheme():
    with pytest.raises(CollectError, match=r"“file:///tmp/urls.txt” is not a web address \(http"):
        typed_sources("file:///tmp/urls.txt")


def test_new_corpus_file_keeps_letters_digits_and_dashes():
    assert new_corpus_file(" Five sites: March 2024 ") == "Five-sites-March-2024.duckdb"


def test_new_corpus_file_refuses_a_name_without_letters():
    with pytest.raises(CollectError, match="Give the new corpus a name"):
        new_corpus_file(" ../ ")


def test_saved_list_names_the_file_by_its_digest(tmp_path):
    path = saved_list("my urls.txt", b"https://a.test/1\n", folder=tmp_path)
    assert (path.parent, path.name, path.read_bytes()) == (
        tmp_path,
        "my-urls-546be09e8c.txt",
        b"https://a.test/1\n",
    )


def test_saved_list_refuses_another_kind(tmp_path):
    with pytest.raises(CollectError, match=r"urls\.json: a list of URLs is a \.txt file"):
        saved_list("urls.json", b"[]", folder=tmp_path)


def test_source_label_names_a_saved_list_by_its_file_name():
    assert [source_label(s) for s in ("https://a.test/feed", "/data/url-lists/x-1.csv")] == [
        "https://a.test/feed",
        "x-1.csv",
    ]


# -- what a run says --------------------------------------------------------------------------


def test_summary_table_splits_new_skipped_and_failed_by_reason():
    rows = summary_table(_report()).values.tolist()
    assert rows == [
        ["new", 3, "new stories"],
        ["new", 1, "near-duplicate of a stored story"],
        ["new", 1, "new revision of a stored page"],
        ["skipped", 4, "already stored"],
        ["skipped", 2, "disallowed by robots.txt"],
        ["skipped", 1, "already stored"],
        ["failed", 2, "HTTP 404"],
    ]


def test_summary_table_counts_pages_left_for_the_next_run():
    rows = summary_table(_report(pending=3, failed=0, failure_reasons=())).values.tolist()
    assert rows[-1] == ["left for the next run", 3, "limit or stop"]


def test_listings_table_lists_web_listings_only():
    report = _report(
        listings=(
            ListingOutcome("http://a.test/feed", "feed", "read", 9),
            ListingOutcome("/data/urls.txt", "list", "read", 2),
        )
    )
    assert listings_table(report).values.tolist() == [["http://a.test/feed", "feed", "read", 9, ""]]


def test_progress_text_while_fetching():
    status = CollectStatus("fetching", 2, 10, 4, 3, 1, 0, 12.4, False, "", None)
    assert progress_text(status) == (
        "Fetching article pages: 4 of 10 pages · 3 new · 1 skipped · 0 failed (12 s)"
    )


def test_progress_text_while_listing():
    status = CollectStatus("listing", 3, 0, 0, 0, 0, 0, 2.0, False, "", None)
    assert progress_text(status) == "Reading feeds and sitemaps: 3 read (2 s)"


# -- the page ---------------------------------------------------------------------------------


@pytest.fixture
def site():
    with Site("127.0.0.1") as site:
        host = site.host("127.0.0.1")
        items = []
        for n in range(2):
            items.append((f"{host.base}/story/{n}", f"Fri, 0{n + 1} Mar 2024 10:00:00 GMT"))
            host.routes[f"/story/{n}"] = Answer(200, article(f"Story {n}", paragraphs(f"s{n}")))
        items.append((f"{host.base}/gone", None))
        host.routes["/feed.xml"] = Answer(200, rss(items), (("Content-Type", "application/xml"),))
        yield site


@pytest.fixture
def news_app(monkeypatch, tmp_path) -> AppTest:
    """The page on an empty stored corpus ``news.duckdb`` in a data folder of its own."""
    monkeypatch.delenv("NEWSLENS_TEST_CORPUS", raising=False)
    monkeypatch.setenv("NEWSLENS_DATA_DIR", str(tmp_path))
    CorpusStore(tmp_path / "news.duckdb").ensure()
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["corpus"] = "news.duckdb"
    return at


@pytest.fixture
def held(monkeypatch, nlp):
    """The run's pipeline load, held until the test sets the event."""
    from dashboard.corpus import collect

    release = threading.Event()

    def pipeline():
        release.wait(60)
        return nlp

    monkeypatch.setattr(collect, "_pipeline", pipeline)
    return release


def _collect(at: AppTest, text: str) -> AppTest:
    at.text_area(key=f"{KEY}_sources").set_value(text)
    return at.button(key=f"{KEY}_go").click().run()


def _finish(at: AppTest, tmp_path) -> AppTest:
    from dashboard import jobs

    assert jobs.collect_job(tmp_path / "news.duckdb").wait(120)
    return at.run()


def test_collect_shows_progress_while_the_run_goes_on(news_app, site, held, monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSLENS_ALLOW_PRIVATE_URLS", "1")
    at = _collect(news_app.run(), f"{site.host('127.0.0.1').base}/feed.xml")
    assert not at.exception
    assert [p.proto.text for p in at.get("progress")] == ["Loading the language pipeline (0 s)"]
    held.set()
    _finish(at, tmp_path)


def test_collect_from_a_feed_summarises_new_and_failed(news_app, site, held, monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSLENS_ALLOW_PRIVATE_URLS", "1")
    held.set()
    at = _finish(_collect(news_app.run(), f"{site.host('127.0.0.1').base}/feed.xml"), tmp_path)
    assert not at.exception
    assert [w.value.split(" (")[0] for w in at.warning] == ["Last run: 2 new, 0 skipped, 1 failed"]
    table = frame_of(at, "outcome", "reason")
    assert table.values.tolist() == [["new", 2, "new stories"], ["failed", 1, "HTTP 404"]]
    assert any(c.value.startswith("2 of 2 articles selected") for c in at.caption)


def test_collect_keeps_the_feed_on_the_corpus_list(news_app, site, held, monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSLENS_ALLOW_PRIVATE_URLS", "1")
    held.set()
    feed = f"{site.host('127.0.0.1').base}/feed.xml"
    at = _finish(_collect(news_app.run(), feed), tmp_path)
    assert frame_of(at, "source", "what it did")["source"].tolist() == [feed]
    assert at.text_area(key=f"{KEY}_sources").value == ""


def test_collect_again_fetches_no_stored_page(news_app, site, held, monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSLENS_ALLOW_PRIVATE_URLS", "1")
    held.set()
    at = _finish(_collect(news_app.run(), f"{site.host('127.0.0.1').base}/feed.xml"), tmp_path)
    site.clear()
    at = _finish(at.button(key=f"{KEY}_again").click().run(), tmp_path)
    assert not at.exception
    assert [r.path for r in site.requests() if r.path.startswith("/story/")] == []
    table = frame_of(at, "outcome", "reason")
    assert table.values.tolist()[0] == ["new", 0, "new stories"]


def test_collect_from_loopback_is_refused_without_the_setting(news_app, site, held, tmp_path):
    held.set()
    at = _finish(_collect(news_app.run(), f"{site.host('127.0.0.1').base}/feed.xml"), tmp_path)
    assert not at.exception
    assert site.requests() == []
    assert at.warning[0].value.startswith("Last run: 0 new, 0 skipped, 1 failed")


def test_remove_takes_a_source_off_the_list(news_app, site, held, monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSLENS_ALLOW_PRIVATE_URLS", "1")
    held.set()
    feed = f"{site.host('127.0.0.1').base}/feed.xml"
    at = _finish(_collect(news_app.run(), feed), tmp_path)
    at.multiselect(key=f"{KEY}_remove").set_value([feed]).run()
    at.button(key=f"{KEY}_remove_go").click().run()
    assert not at.exception
    assert collection.collect_sources(CorpusStore(tmp_path / "news.duckdb")).empty


def test_collect_a_file_name_is_refused(news_app):
    at = _collect(news_app.run(), "/etc/hosts")
    assert [e.value for e in at.error] == [
        "“/etc/hosts” is not a web address: type a site, feed or sitemap address such as "
        "www.example.com or https://www.example.com/feed.xml."
    ]


def test_collect_from_the_sample_asks_for_a_new_corpus_name(sample_app):
    at = _collect(sample_app.run(), "https://example.com/feed.xml")
    assert [e.value for e in at.error] == ["Give the new corpus a name (letters and digits)."]


def test_collected_corpus_is_kept_in_the_durable_store(news_app, site, held, monkeypatch, tmp_path):
    from analysis.storage.archive import CorpusArchive
    from dashboard import cache

    url = f"sqlite:///{tmp_path / 'durable' / 'newslens.sqlite3'}"
    monkeypatch.setenv("NEWSLENS_STORE_URL", url)
    monkeypatch.setenv("NEWSLENS_ALLOW_PRIVATE_URLS", "1")
    for cached in (cache.store_engine, cache.load_store, cache.load_archive):
        cached.clear()
    held.set()
    try:
        feed = f"{site.host('127.0.0.1').base}/feed.xml"
        at = _finish(_collect(news_app.run(), feed), tmp_path)
        assert not at.exception
        assert [kept.name for kept in CorpusArchive(url).kept()] == ["news.duckdb"]
    finally:
        for cached in (cache.store_engine, cache.load_store, cache.load_archive):
            cached.clear()
