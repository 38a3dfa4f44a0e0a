"""Collecting a news site served on loopback into a corpus, three runs in a row.

The site (two hosts, 127.0.0.1 "alpha" and 127.0.0.2 "beta") has a home page linking a feed,
a robots.txt with a disallowed path and a sitemap index (a Google News sitemap and a
malformed one), and pages that answer 429 with Retry-After, 404, a redirect, a redirect loop,
a slow answer, a huge page, an image, a front page, a wire story also published on beta, and
a page whose text changes between runs. A file of URLs and a Media Cloud-style CSV are
sources too. Run 1 collects; run 2 runs again over the unchanged site; run 3 revisits.
"""

from __future__ import annotations

import functools

import pandas as pd
import pytest

from analysis.runners.collect import collect_again, run_collect
from analysis.runners.corpus import run_local
from analysis.sources.collect import CollectOptions
from analysis.sources.files import read_inputs
from analysis.storage.corpus import collection
from analysis.storage.corpus.queries import article_table, corpus_info
from analysis.storage.corpus.store import CorpusStore
from tests.analysis.sources.collect.site import (
    TEXT,
    XML,
    Answer,
    Site,
    article,
    atom,
    conditional,
    json_ld,
    paragraphs,
    rss,
    sitemap_index,
    urlset,
)

AGENT = "NewsLens/test (+collector tests)"
WIRE = paragraphs("wire", 5)
CHANGING = paragraphs("changing", 4)


def options(**changes) -> CollectOptions:
    base = CollectOptions(
        delay=0.05,
        allow_private=True,
        user_agent=AGENT,
        read_timeout=0.5,
        max_page_bytes=100_000,
        max_retries=2,
        backoff=0.1,
        max_wait=5,
    )
    return base.__class__(**{**base.__dict__, **changes})


def build(site: Site) -> dict:
    a, b = site.host("127.0.0.1"), site.host("127.0.0.2")
    A, B = a.base, b.base
    busy = iter([Answer(429, b"", (("Retry-After", "1"),))])
    state = {"changing": CHANGING}

    def busy_page(request):
        return next(busy, Answer(200, article("Busy day at the port", paragraphs("busy"))))

    def changing_page(request):
        return Answer(200, article("A story that changes", state["changing"]))

    feed_items = [
        (f"{A}/news/2024/03/05/talks?utm_source=rss#top", "Tue, 05 Mar 2024 10:00:00 GMT"),
        (f"{A}/plain", "Thu, 07 Mar 2024 10:00:00 GMT"),
        (f"{A}/private/secret", None),
        (f"{A}/missing", None),
        (f"{A}/busy", None),
        (f"{A}/moved", None),
        (f"{A}/slow", None),
        (f"{A}/huge", None),
        (f"{A}/photo.jpg", None),
        (f"{A}/loop", None),
        (f"{A}/front", None),
        (f"{A}/wire", "Wed, 06 Mar 2024 10:00:00 GMT"),
        (f"{A}/changing", "Wed, 06 Mar 2024 11:00:00 GMT"),
    ]
    a.routes.update(
        {
            "/robots.txt": Answer(
                200,
                f"User-agent: *\nDisallow: /private/\nSitemap: {A}/sitemap_index.xml\n".encode(),
                TEXT,
            ),
            "/": Answer(
                200,
                b'<html><head><link rel="alternate" type="application/rss+xml" '
                b'href="/feed.xml"></head><body><p>The Alpha Gazette</p></body></html>',
            ),
            "/feed.xml": conditional(rss(feed_items), etag='"feed-v1"'),
            "/sitemap_index.xml": Answer(
                200,
                sitemap_index(
                    [(f"{A}/sitemap-news.xml", "2024-03-08"), (f"{A}/sitemap-broken.xml", None)]
                ),
                XML,
            ),
            "/sitemap-news.xml": Answer(
                200, urlset([(f"{A}/sm-story", "2024-03-08T09:00:00+01:00")], news=True), XML
            ),
            "/sitemap-broken.xml": Answer(
                200,
                b'<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + f"\n<url><loc>{A}/broken-1</loc></url>\n<url><loc>{A}/broken-2<oops></url>".encode(),
                XML,
            ),
            "/news/2024/03/05/talks": Answer(
                200,
                article(
                    "Talks resume in Cairo",
                    paragraphs("talks"),
                    head=json_ld("2024-03-04"),
                    canonical="/news/2024/03/05/talks",
                ),
            ),
            "/plain": Answer(200, article("A plain story", paragraphs("plain"))),
            "/busy": busy_page,
            "/moved": Answer(301, b"", (("Location", "/moved-here"),)),
            "/moved-here": Answer(200, article("The story that moved", paragraphs("moved"))),
            "/slow": Answer(200, article("Slow", paragraphs("slow")), delay=2),
            "/huge": Answer(200, article("Huge", paragraphs("huge", 200, 100)), chunked=True),
            "/photo.jpg": Answer(200, b"\xff\xd8\xff\xe0 jpeg", (("Content-Type", "image/jpeg"),)),
            "/loop": Answer(302, b"", (("Location", "/loop"),)),
            "/front": Answer(200, b"<html><body><nav><a href='/a'>World</a></nav></body></html>"),
            "/wire": Answer(
                200, article("Storm hits the coast", ["By Staff Reporter. (Wire) -", *WIRE])
            ),
            "/changing": changing_page,
            "/sm-story": Answer(200, article("A story from the news sitemap", paragraphs("sm"))),
            "/broken-1": Answer(200, article("Read before the damage", paragraphs("broken"))),
            "/2024/02/10/url-dated": Answer(200, article("Dated by its URL", paragraphs("url"))),
            "/listed": Answer(200, article("Listed in a CSV", paragraphs("listed"))),
        }
    )
    b.routes.update(
        {
            "/feed.atom": Answer(200, atom([(f"{B}/wire-copy", "2024-03-06T12:00:00Z")]), XML),
            "/wire-copy": Answer(200, article("Coastal storm", WIRE)),
        }
    )
    return {"A": A, "B": B, "state": state}


@pytest.fixture(scope="module")
def world(tmp_path_factory, nlp):
    """The site, the corpus and three runs (each run's requests kept apart)."""
    folder = tmp_path_factory.mktemp("collect")
    with Site("127.0.0.1", "127.0.0.2") as site:
        urls = build(site)
        A, B = urls["A"], urls["B"]
        listed = folder / "urls.txt"
        listed.write_text(f"# to read\n{A}/2024/02/10/url-dated\n{B}/wire-copy\n")
        stories = folder / "stories.csv"
        stories.write_text(f"stories_id,publish_date,url\n1,2024-03-02 06:00:00,{A}/listed\n")
        sources = [A + "/", B + "/feed.atom", str(listed), str(stories)]
        store = CorpusStore(folder / "corpus.duckdb")
        run = functools.partial(run_collect, sources, store=store, nlp=nlp)
        first = run(options=options())
        log1 = site.requests()
        site.clear()
        second = run(options=options())
        log2 = site.requests()
        site.clear()
        urls["state"]["changing"] = [
            *CHANGING[:2],
            "A new paragraph. " + CHANGING[2],
            *CHANGING[3:],
        ]
        third = run(options=options(revisit_days=1))
        log3 = site.requests()
        yield {
            "A": A,
            "B": B,
            "store": store,
            "sources": sources,
            "runs": (first, second, third),
            "logs": (log1, log2, log3),
        }


def stored(store: CorpusStore, columns: str) -> dict:
    with store.reader() as con:
        rows = con.execute(f"SELECT url, {columns} FROM articles ORDER BY url, revision").fetchall()
    return {row[0]: row[1:] if len(row) > 2 else row[1] for row in rows}


def paths(log, host=None) -> list[str]:
    return [r.path for r in log if host is None or r.host == host]


def test_articles_stored_under_normalised_and_canonical_urls(world):
    A, B = world["A"], world["B"]
    assert sorted(stored(world["store"], "revision")) == sorted(
        [
            f"{A}/2024/02/10/url-dated",
            f"{A}/broken-1",
            f"{A}/busy",
            f"{A}/changing",
            f"{A}/listed",
            f"{A}/moved-here",
            f"{A}/news/2024/03/05/talks",
            f"{A}/plain",
            f"{A}/sm-story",
            f"{A}/wire",
            f"{B}/wire-copy",
        ]
    )


def test_dates_and_where_they_came_from(world):
    A, B = world["A"], world["B"]
    dates = stored(world["store"], "published, date_source")
    assert {url.removeprefix(A).removeprefix(B): value for url, value in dates.items()} == {
        "/news/2024/03/05/talks": ("2024-03-04", "page"),
        "/plain": ("2024-03-07T10:00:00+00:00", "feed"),
        "/busy": (None, None),
        "/moved-here": (None, None),
        "/wire": ("2024-03-06T10:00:00+00:00", "feed"),
        "/wire-copy": ("2024-03-06T12:00:00+00:00", "feed"),
        "/changing": ("2024-03-06T11:00:00+00:00", "feed"),
        "/sm-story": ("2024-03-08T09:00:00+01:00", "sitemap"),
        "/broken-1": (None, None),
        "/2024/02/10/url-dated": ("2024-02-10", "url"),
        "/listed": ("2024-03-02T06:00:00", "list"),
    }


def test_wire_story_on_two_hosts_stored_once_as_original_once_as_copy(world):
    A, B = world["A"], world["B"]
    rows = stored(world["store"], "doc_key, duplicate_of")
    alpha, beta = rows[f"{A}/wire"], rows[f"{B}/wire-copy"]
    assert sorted([alpha[1] == beta[0], beta[1] == alpha[0]]) == [False, True]
    assert {alpha[1], beta[1]} - {alpha[0], beta[0]} == {None}


def test_counts_leave_the_copy_and_the_old_revision_out(world):
    info = corpus_info(world["store"])
    assert (info.articles, info.duplicates, info.revisions, info.collected_from) == (10, 1, 1, 4)


def test_include_duplicates_counts_the_copy(world):
    assert (
        len(article_table(world["store"])),
        len(article_table(world["store"], include_duplicates=True)),
    ) == (10, 11)


def test_failures_are_error_rows_with_their_reasons(world):
    A = world["A"]
    errors = world["store"].errors()
    reasons = dict(zip(errors["document"], errors["reason"], strict=False))
    assert {
        doc.removeprefix(A): reason
        for doc, reason in reasons.items()
        if doc.startswith(A) and not doc.endswith("/slow")
    } == {
        "/missing": "127.0.0.1 answered HTTP 404 (Not Found).",
        "/huge": "The page is larger than the 100,000-byte limit; NewsLens stopped reading it.",
        "/photo.jpg": f"{A}/photo.jpg is image/jpeg, not one of the types read here "
        "(text/html, application/xhtml+xml).",
        "/loop": f"Too many redirects: {A}/loop redirects back to {A}/loop, an address already "
        "visited (a redirect loop).",
        "/front": "No article text was found in this web page: it may be a front page, a search "
        "page or a page that needs JavaScript (it has 1 word of main text; an article has at "
        "least 20).",
        "/sitemap-broken.xml": "malformed XML at line 4 (Opening and ending tag mismatch: oops "
        "line 4 and url); 2 entries read as far as the sitemap could be parsed",
        "/broken-2": "127.0.0.1 answered HTTP 404 (Not Found).",
    }


def test_slow_page_fails_on_a_timeout(world):
    A = world["A"]
    errors = world["store"].errors()
    assert set(errors.loc[errors["document"] == f"{A}/slow", "reason"]) == {
        "127.0.0.1 stopped sending within 0.5 s."
    }


def test_first_run_summary(world):
    first = world["runs"][0]
    assert (
        first.added,
        first.duplicates,
        first.failed,
        dict(first.failure_reasons),
        dict(first.skip_reasons),
    ) == (
        11,
        1,
        8,
        {
            "HTTP 404": 2,
            "timed out": 1,
            "too large": 1,
            "not a web page": 1,
            "redirect loop": 1,
            "not an article": 1,
            "malformed XML": 1,
        },
        {"disallowed by robots.txt": 1},
    )


def test_robots_txt_disallowed_page_never_requested(world):
    assert "/private/secret" not in paths(world["logs"][0])


def test_429_waited_out_then_stored(world):
    tries = [r for r in world["logs"][0] if r.path == "/busy"]
    assert ([r.status for r in tries], tries[1].start - tries[0].start >= 1.0) == ([429, 200], True)


def test_requests_to_a_host_at_least_the_delay_apart(world):
    # Start to start, as the server saw them: the next request left the collector at least
    # the delay after the answer to the one before, which came after that one's start.
    gaps = []
    for host in ("127.0.0.1", "127.0.0.2"):
        log = sorted((r for r in world["logs"][0] if r.host == host), key=lambda r: r.start)
        gaps += [b.start - a.start for a, b in zip(log, log[1:], strict=False)]
    assert min(gaps) >= 0.05


def test_every_request_names_the_user_agent(world):
    agents = {r.headers.get("user-agent") for log in world["logs"] for r in log}
    assert agents == {AGENT}


def test_second_run_fetches_no_stored_article(world):
    bases = {"127.0.0.1": world["A"], "127.0.0.2": world["B"]}
    requested = {bases[r.host] + r.path for r in world["logs"][1]}
    assert requested & set(stored(world["store"], "revision")) == set()


def test_second_run_asks_for_listings_and_the_failed_page_only(world):
    assert sorted(paths(world["logs"][1])) == [
        "/",
        "/feed.atom",
        "/feed.xml",
        "/robots.txt",
        "/robots.txt",
        "/sitemap-broken.xml",
        "/sitemap-news.xml",
        "/sitemap_index.xml",
        "/slow",
    ]


def test_second_run_asks_for_the_feed_conditionally(world):
    feed = [r for r in world["logs"][1] if r.path == "/feed.xml"]
    assert [(r.headers.get("if-none-match"), r.status) for r in feed] == [('"feed-v1"', 304)]


def test_second_run_summary(world):
    second = world["runs"][1]
    assert (second.added, second.failed, dict(second.failure_reasons)) == (
        0,
        2,
        {"timed out": 1, "malformed XML": 1},
    )


def test_transient_failure_tried_again_on_the_next_run(world):
    A = world["A"]
    rows = collection.known_urls(world["store"], [f"{A}/slow", f"{A}/missing"])
    assert (
        "/slow" in paths(world["logs"][1]),
        "/missing" in paths(world["logs"][1]),
        rows[f"{A}/slow"]["status"],
        rows[f"{A}/slow"]["attempts"],
        rows[f"{A}/missing"]["status"],
    ) == (True, False, "failed", 3, "refused")


def test_revisit_stores_a_changed_text_as_a_new_revision(world):
    A = world["A"]
    with world["store"].reader() as con:
        rows = con.execute(
            "SELECT revision, latest, fetched_at IS NOT NULL FROM articles WHERE url = ? "
            "ORDER BY revision",
            [f"{A}/changing"],
        ).fetchall()
    assert (rows, world["runs"][2].revisions) == ([(1, False, True), (2, True, True)], 1)


def test_revision_diff_shows_the_changed_paragraph(world):
    A = world["A"]
    revisions = collection.article_revisions(
        world["store"], doc_key=stored(world["store"], "doc_key")[f"{A}/changing"]
    )
    old, new = revisions["doc_key"]
    changes = collection.revision_diff(world["store"], old_key=old, new_key=new)
    assert [(c.change, c.old, c.new) for c in changes] == [
        ("same", 0, 0),
        ("same", 1, 1),
        ("same", 2, 2),
        ("changed", 3, 3),
        ("same", 4, 4),
    ]
    assert changes[3].words[0] == ("+", "A new paragraph. ")


def test_revisit_leaves_unchanged_pages_alone(world):
    third = world["runs"][2]
    assert (third.added, dict(third.skip_reasons)["unchanged since it was stored"]) == (1, 10)


def test_sources_remembered_with_their_kinds(world):
    rows = collection.collect_sources(world["store"])
    assert dict(zip(rows["source"], rows["kind"], strict=True)) == dict(
        zip(world["sources"], ["site", "feed", "list", "list"], strict=True)
    )


def test_listing_validators_kept_for_the_next_run(world):
    cache = collection.listing_cache(world["store"])
    home = cache[world["A"] + "/"]
    assert (cache[world["A"] + "/feed.xml"]["etag"], home["kind"], home["found"]) == (
        '"feed-v1"',
        "html",
        (world["A"] + "/feed.xml", world["A"] + "/sitemap_index.xml"),
    )


def test_collect_again_reads_the_source_list(world, nlp):
    before = list(collection.collect_sources(world["store"])["source"])
    report = collect_again(world["store"], options=options(), nlp=nlp)
    assert (report.added, sorted(before)) == (0, sorted(world["sources"]))


def test_collected_article_stored_exactly_like_an_added_one(world, nlp, tmp_path):
    from analysis.sources.fetch import fetch_url

    url = world["A"] + "/plain"
    added = CorpusStore(tmp_path / "added.duckdb")
    fetch = functools.partial(fetch_url, allow_private=True)
    run_local(read_inputs([url], fetch=fetch), store=added, nlp=nlp)
    key = stored(world["store"], "doc_key")[url]
    for table in ("paragraphs", "sentences", "terms", "mentions", "entities", "quotes"):
        mine = world["store"].table(table)
        mine = mine[mine["doc_key"] == key].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, added.table(table), obj=table)
    assert list(added.table("articles")["doc_key"]) == [key]
