"""Collection cases one at a time, each on its own small loopback site and corpus."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from analysis.runners.collect import run_collect
from analysis.runners.corpus import IngestReport, run_local
from analysis.sources.collect import CollectOptions
from analysis.sources.files import Document
from analysis.storage.corpus import collection
from analysis.storage.corpus.store import CorpusStore
from tests.analysis.sources.collect.site import (
    TEXT,
    XML,
    Answer,
    Site,
    article,
    json_ld,
    modified_since,
    paragraphs,
    rss,
)


def options(**changes) -> CollectOptions:
    return CollectOptions(delay=0, allow_private=True, read_timeout=2, **changes)


@pytest.fixture
def site():
    with Site("127.0.0.1", "127.0.0.2") as site:
        yield site


@pytest.fixture
def store(tmp_path):
    return CorpusStore(tmp_path / "corpus.duckdb")


def dropped(items) -> IngestReport:
    """An ingest that reads the documents and stores nothing (the collector's side only);
    what it was handed is kept in ``dropped.handed``."""
    items = list(items)
    dropped.handed = [item for item in items if isinstance(item, Document)]
    errors = tuple(item for item in items if not isinstance(item, Document))
    return IngestReport(0, len(dropped.handed), len(errors), errors, 0.0)


def news(site, count: int, *, days=None) -> str:
    """A feed of ``count`` articles on 127.0.0.1 (dated 2024-03-01 + n); its URL."""
    host = site.host("127.0.0.1")
    items = []
    for n in range(count):
        day = (days or {}).get(n, f"0{n + 1}")
        items.append((f"{host.base}/story/{n}", f"Fri, {day} Mar 2024 10:00:00 GMT"))
        host.routes[f"/story/{n}"] = Answer(200, article(f"Story {n}", paragraphs(f"s{n}")))
    host.routes["/feed.xml"] = Answer(200, rss(items), XML)
    return host.base + "/feed.xml"


def urls_of(store) -> list[str]:
    with store.reader() as con:
        return [r[0] for r in con.execute("SELECT url FROM articles ORDER BY url").fetchall()]


def test_limit_fetches_the_newest_and_leaves_the_rest_for_the_next_run(site, store, nlp):
    feed = news(site, 3)
    first = run_collect([feed], store=store, options=options(limit=1), nlp=nlp)
    kept = urls_of(store)
    second = run_collect([feed], store=store, options=options(), nlp=nlp)
    assert (first.added, first.pending, [u.rsplit("/", 1)[1] for u in kept], second.added) == (
        1,
        2,
        ["2"],
        2,
    )


def test_pending_urls_fetched_next_run_though_the_feed_has_not_changed(site, store, nlp):
    host = site.host("127.0.0.1")
    feed = news(site, 2)
    body = host.routes["/feed.xml"].body
    host.routes["/feed.xml"] = modified_since(body, last_modified="Tue, 05 Mar 2024 10:00:00 GMT")
    run_collect([feed], store=store, options=options(limit=1), nlp=nlp)
    second = run_collect([feed], store=store, options=options(), nlp=nlp)
    statuses = [r.status for r in site.requests(path="/feed.xml")]
    assert (statuses, second.added, len(urls_of(store))) == ([200, 304], 1, 2)


def test_since_leaves_out_older_listed_items_without_fetching_them(site, store):
    feed = news(site, 3)
    report = run_collect(
        [feed], store=store, options=options(since=date(2024, 3, 2)), ingest=dropped
    )
    fetched = sorted(r.path for r in site.requests() if r.path.startswith("/story/"))
    assert (fetched, dict(report.skip_reasons)) == (
        ["/story/1", "/story/2"],
        {"dated before --since": 1},
    )


def test_since_leaves_out_a_page_whose_own_date_is_older(site, store):
    host = site.host("127.0.0.1")
    host.routes["/old"] = Answer(
        200, article("Old news", paragraphs("old"), head=json_ld("2019-05-01"))
    )
    host.routes["/feed.xml"] = Answer(200, rss([(host.base + "/old", None)]), XML)
    report = run_collect(
        [host.base + "/feed.xml"],
        store=store,
        options=options(since=date(2024, 1, 1)),
        ingest=dropped,
    )
    known = collection.known_urls(store, [host.base + "/old"])[host.base + "/old"]
    assert (len(dropped.handed), known["status"], known["listed_date"]) == (0, "old", "2019-05-01")
    assert dict(report.skip_reasons) == {"dated before --since": 1}


def test_time_limit_leaves_everything_pending(site, store):
    feed = news(site, 2)
    report = run_collect([feed], store=store, options=options(max_seconds=0), ingest=dropped)
    assert (report.pending, [r.path for r in site.requests() if r.path.startswith("/story/")]) == (
        2,
        [],
    )


def test_stop_event_stops_the_run(site, store):
    feed = news(site, 3)
    stop = threading.Event()

    def stop_at_first_page(state):
        if state.phase == "fetching":
            stop.set()

    report = run_collect(
        [feed],
        store=store,
        options=options(),
        ingest=dropped,
        stop=stop,
        progress=stop_at_first_page,
    )
    assert (report.pending, len(dropped.handed)) == (3, 0)


def test_progress_reports_each_phase(site, store):
    feed = news(site, 2)
    phases = []
    run_collect(
        [feed], store=store, options=options(), ingest=dropped, progress=lambda s: phases.append(s)
    )
    last = phases[-1]
    assert (
        list(dict.fromkeys(s.phase for s in phases)),
        (last.listings, last.planned, last.fetched, last.new),
    ) == (["listing", "fetching", "done"], (1, 2, 2, 2))


def test_max_items_keeps_the_newest_of_a_feed(site, store):
    feed = news(site, 4)
    report = run_collect([feed], store=store, options=options(max_items=2), ingest=dropped)
    listing = next(read for read in report.listings if read.url == feed)
    assert ((listing.items, listing.left_out), sorted(d.name[-1] for d in dropped.handed)) == (
        (2, 2),
        ["2", "3"],
    )


def test_home_page_without_links_tries_the_common_paths(site, store):
    host = site.host("127.0.0.1")
    host.routes["/"] = Answer(200, b"<html><body><p>The Gazette</p></body></html>")
    host.routes["/rss"] = Answer(200, rss([(host.base + "/s", None)]), XML)
    host.routes["/sitemap.xml"] = Answer(
        200,
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>'
        + f"{host.base}/t".encode()
        + b"</loc></url></urlset>",
        XML,
    )
    host.routes["/s"] = Answer(200, article("S", paragraphs("s")))
    host.routes["/t"] = Answer(200, article("T", paragraphs("t")))
    run_collect([host.base + "/"], store=store, options=options(), ingest=dropped)
    assert (
        sorted(d.name for d in dropped.handed),
        sorted(r.path for r in site.requests() if r.path not in ("/s", "/t")),
    ) == (
        [host.base + "/s", host.base + "/t"],
        ["/", "/feed", "/robots.txt", "/rss", "/sitemap.xml"],
    )


def test_home_page_without_any_listing_is_an_error(site, store):
    host = site.host("127.0.0.1")
    host.routes["/"] = Answer(200, b"<html><body><p>The Gazette</p></body></html>")
    report = run_collect([host.base + "/"], store=store, options=options(), ingest=dropped)
    assert [(e.document, e.reason) for e in report.errors] == [
        (host.base + "/", "no feed or sitemap found on this page")
    ]


def test_robots_txt_that_cannot_be_read_keeps_the_site_out_for_now(site, store):
    host = site.host("127.0.0.1")
    host.routes["/robots.txt"] = Answer(503, b"", TEXT)
    host.routes["/a"] = Answer(200, article("A", paragraphs("a")))
    listed = store.path.with_name("urls.txt")
    listed.write_text(host.base + "/a\n")
    run_collect([str(listed)], store=store, options=options(max_retries=0), ingest=dropped)
    known = collection.known_urls(store, [host.base + "/a"])[host.base + "/a"]
    assert (
        [r.path for r in site.requests()],
        known["status"],
        known["reason"].startswith(f"robots.txt of {host.base} could not be read"),
    ) == (["/robots.txt"], "failed", True)


def test_copy_of_an_article_added_by_corpus_add_is_found(site, store, nlp):
    host = site.host("127.0.0.1")
    text = paragraphs("wire", 5)
    run_local(
        [Document("wire.txt", "Storm hits the coast\n\n" + "\n\n".join(text))], store=store, nlp=nlp
    )
    host.routes["/copy"] = Answer(200, article("Coastal storm", ["By Staff.", *text]))
    host.routes["/feed.xml"] = Answer(200, rss([(host.base + "/copy", None)]), XML)
    report = run_collect([host.base + "/feed.xml"], store=store, options=options(), nlp=nlp)
    with store.reader() as con:
        rows = con.execute(
            "SELECT a.url, o.url IS NULL AND o.doc_key IS NOT NULL FROM articles a "
            "JOIN articles o ON o.doc_key = a.duplicate_of"
        ).fetchall()
    assert (report.duplicates, rows) == (1, [(host.base + "/copy", True)])


def test_same_page_under_two_listed_urls_is_fetched_but_stored_once(site, store):
    host = site.host("127.0.0.1")
    page = article("One page", paragraphs("one"), canonical="/one")
    host.routes["/one"] = Answer(200, page)
    host.routes["/one-amp"] = Answer(200, page)
    host.routes["/feed.xml"] = Answer(
        200, rss([(host.base + "/one", None), (host.base + "/one-amp", None)]), XML
    )
    report = run_collect([host.base + "/feed.xml"], store=store, options=options(), ingest=dropped)
    assert ([d.name for d in dropped.handed], dict(report.skip_reasons)) == (
        [host.base + "/one"],
        {"the same page as another listed URL": 1},
    )
