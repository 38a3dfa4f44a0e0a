"""The collector: sources -> listings -> a plan of article URLs -> documents for ``corpus add``.

A run has three steps, driven by the caller (``analysis.runners.collect``):

1. :meth:`Collector.list_sources` reads every source: a site's home page (its feeds from
   ``<link rel="alternate">``, else the common feed paths; for a site's root, its sitemaps from
   robots.txt, else ``/sitemap.xml``), a feed (RSS, Atom, JSON Feed), a sitemap or sitemap index (Google News
   sitemaps too), or a file of URLs. Feeds, sitemaps and home pages are asked for
   conditionally (``If-None-Match``/``If-Modified-Since`` from the corpus's cache): one that
   has not changed answers 304 and lists nothing new. Sources are read in parallel.
2. :meth:`Collector.plan` decides which listed URLs to fetch: not those the corpus already
   holds, nor those that failed for good before, nor those dated before ``since``; those that
   failed for now in an earlier run and those left pending are tried again; with
   ``revisit_days`` the URLs stored recently are fetched again. At most ``limit`` pages are
   fetched, newest first; the rest wait for the next run.
3. :meth:`Collector.documents` fetches the pages, hosts in parallel, each host politely
   (:mod:`analysis.sources.collect.politeness`), reads each page
   (:mod:`analysis.sources.collect.pages`), and yields one
   :class:`~analysis.sources.files.Document` per new article or changed revision (with its
   :class:`~analysis.sources.collect.rows.CollectedMeta`) and one
   :class:`~analysis.core.schema.ErrorRow` per failure, for the ``add`` runners. Near-duplicates
   are found as pages arrive (:mod:`analysis.sources.collect.dedup`).

What the run did is in :attr:`Collector.urls`, :attr:`Collector.listings`,
:attr:`Collector.signatures` and :attr:`Collector.skipped`, for the caller to store.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NamedTuple

from analysis.core.article import DEFAULT_MAX_CHARS
from analysis.core.metadata import document_key, published_day
from analysis.core.schema import ErrorRow
from analysis.errors import ArticleError
from analysis.sources.collect import dedup, listings
from analysis.sources.collect.listings import FEED_PATHS, SITEMAP_PATHS, Listed, ListedItem
from analysis.sources.collect.pages import Page, read_page
from analysis.sources.collect.politeness import (
    DEFAULT_DELAY,
    Disallowed,
    PoliteFetcher,
    Stopped,
)
from analysis.sources.collect.rows import (
    MAX_ATTEMPTS,
    CachedListing,
    CollectedMeta,
    CollectProgress,
    KnownUrl,
    ListingOutcome,
    StoredArticle,
    UrlOutcome,
)
from analysis.sources.collect.urls import host_of, is_root, normalise_url, origin_of, url_day
from analysis.sources.fetch import FetchError, Response
from analysis.sources.files import Document, Item, is_url

#: Media types read as article pages; anything else is "not a web page".
PAGE_TYPES = ("text/html", "application/xhtml+xml")
_PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9"
_LISTING_ACCEPT = (
    "application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,"
    "text/xml;q=0.9,text/html;q=0.8,*/*;q=0.5"
)
#: How deep listings point to listings: home page -> sitemap index -> sitemap.
MAX_DEPTH = 3


@dataclass(frozen=True)
class CollectOptions:
    """How a collection run behaves (the command line's flags; defaults in brackets).

    Attributes:
        delay: seconds between two requests to the same host [1].
        since: listed items and pages dated before this day are not collected [all].
        limit: article pages fetched in this run, the newest first; the rest wait [no limit].
        revisit_days: fetch again the URLs first stored less than this many days ago, and
            store a changed text as a new revision [no revisits].
        max_items: article URLs read from one feed or sitemap, the newest [1000].
        max_sitemaps: sitemaps read from one sitemap index, the newest [50].
        max_seconds: the run stops fetching after this long; the rest wait [3600].
        max_page_bytes: the largest article page [5 MB].
        max_listing_bytes: the largest feed, sitemap or URL file (once inflated) [50 MB].
        max_redirects: redirects followed per URL [5].
        connect_timeout, read_timeout: per request, in seconds [5, 10].
        max_retries: retries of a 429 or 503 answer [3].
        max_wait: the longest Retry-After (or backoff) waited, in seconds [120].
        backoff: the first wait after a 429 or 503 without Retry-After, doubled after each
            retry [1].
        max_hosts: hosts fetched at once [8].
        user_agent: the User-Agent (the NEWSLENS_USER_AGENT setting) [NewsLens/<version>].
        allow_private: reach loopback and private addresses (the setting) [no].
        max_chars: the largest article, in characters (the setting) [1,000,000].
        threshold: the near-duplicate similarity (see :mod:`~analysis.sources.collect.dedup`).
    """

    delay: float = DEFAULT_DELAY
    since: date | None = None
    limit: int | None = None
    revisit_days: float | None = None
    max_items: int = 1000
    max_sitemaps: int = 50
    max_seconds: float | None = 3600.0
    max_page_bytes: int = 5_000_000
    max_listing_bytes: int = 50_000_000
    max_redirects: int = 5
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    max_retries: int = 3
    max_wait: float = 120.0
    backoff: float = 1.0
    max_hosts: int = 8
    user_agent: str | None = None
    allow_private: bool = False
    max_chars: int = DEFAULT_MAX_CHARS
    threshold: float = dedup.THRESHOLD


class Planned(NamedTuple):
    """An article URL to fetch in this run."""

    url: str
    date: str | None
    by: str | None
    source: str
    attempts: int = 0
    stored: StoredArticle | None = None  # set when revisiting


class Plan(NamedTuple):
    """What :meth:`Collector.plan` decided: the pages to fetch, newest first, and those left
    for a later run by the limit."""

    fetch: tuple[Planned, ...]
    later: tuple[Planned, ...]


class _Fetched(NamedTuple):
    planned: Planned
    url: str  # after redirects
    body: bytes
    page: Page
    at: datetime


class _Failed(NamedTuple):
    planned: Planned
    reason: str
    label: str
    permanent: bool


class _Skipped(NamedTuple):
    planned: Planned
    reason: str
    status: str | None  # the outcome to record, or None to record nothing


_DONE = object()
Lookup = Callable[[Sequence[str]], Mapping[str, KnownUrl]]


class Collector:
    """One collection run (see the module docstring).

    Args:
        options: how to behave.
        lookup: what the corpus knows of article URLs: ``lookup(urls) -> {url: KnownUrl}``
            for the URLs it knows (stored articles and earlier outcomes).
        cache: the listings read before, by URL.
        index: the near-duplicate index of stored originals.
        progress: called with a :class:`CollectProgress` as the run goes (from several
            threads, one call at a time).
        stop: set it to stop the run (pages not fetched yet stay pending).
        fetcher: the polite fetcher; default one built from ``options``.
    """

    def __init__(
        self,
        options: CollectOptions,
        *,
        lookup: Lookup,
        cache: Mapping[str, CachedListing] | None = None,
        index: dedup.NearDuplicates | None = None,
        progress: Callable[[CollectProgress], None] | None = None,
        stop: threading.Event | None = None,
        fetcher: PoliteFetcher | None = None,
    ) -> None:
        self.options = options
        self.stop = stop or threading.Event()
        self.fetcher = fetcher or PoliteFetcher(
            user_agent=options.user_agent,
            delay=options.delay,
            allow_private=options.allow_private,
            connect_timeout=options.connect_timeout,
            read_timeout=options.read_timeout,
            max_redirects=options.max_redirects,
            max_retries=options.max_retries,
            max_wait=options.max_wait,
            backoff=options.backoff,
            stop=self.stop,
        )
        self.lookup = lookup
        self.cache = dict(cache or {})
        self.index = index or dedup.NearDuplicates(threshold=options.threshold)
        self._progress = progress
        self._lock = threading.RLock()
        self._start = time.monotonic()
        self._deadline = None if options.max_seconds is None else self._start + options.max_seconds
        self._read: set[str] = set()
        self._probed: dict[str, Response] = {}  # listings found by probing, answer kept
        self._seen: dict[str, str] = {}  # page URL -> the listed URL it was fetched as
        #: What the run did with each article URL, in order.
        self.urls: list[UrlOutcome] = []
        #: Each listing read (or failed), in order.
        self.listings: list[ListingOutcome] = []
        #: Signatures of the new originals, ``(doc_key, bytes)``.
        self.signatures: list[tuple[str, bytes]] = []
        #: Why URLs were not fetched or not stored again: reason -> count.
        self.skipped: Counter = Counter()
        #: Failures by kind ("HTTP 404", "timed out", ...): label -> count.
        self.failures: Counter = Counter()
        #: The documents handed on: doc_key -> "new", "duplicate" or "revision".
        self.handed: dict[str, str] = {}
        self.errors: list[ErrorRow] = []
        self.kinds: dict[str, str] = {}  # source -> what it turned out to be
        self._state = CollectProgress("listing")

    # -- progress ------------------------------------------------------------------------

    def _tell(self, **changes) -> None:
        with self._lock:
            self._state = self._state._replace(
                requests=self.fetcher.requests, seconds=time.monotonic() - self._start, **changes
            )
            state = self._state
            if self._progress is not None:
                self._progress(state)

    def _bump(self, **deltas) -> None:
        with self._lock:
            changes = {name: getattr(self._state, name) + n for name, n in deltas.items()}
        self._tell(**changes)

    @property
    def progress(self) -> CollectProgress:
        """The latest snapshot of the run."""
        return self._state

    # -- 1. listing ----------------------------------------------------------------------

    def list_sources(self, sources: Sequence[str]) -> dict[str, tuple[ListedItem, ...]]:
        """Read every source (see the module docstring); sources in parallel.

        Returns:
            The article URLs each source lists, by source, in source order. Listings that
            fail or are damaged are in :attr:`errors` (and :attr:`listings`).
        """
        found: dict[str, tuple[ListedItem, ...]] = {}
        workers = max(1, min(self.options.max_hosts, len(sources)))
        with ThreadPoolExecutor(workers, thread_name_prefix="newslens-list") as pool:
            results = list(pool.map(self._list_source, sources))
        for source, items in zip(sources, results, strict=True):
            found[source] = items
        return found

    def _list_source(self, source: str) -> tuple[ListedItem, ...]:
        try:
            if not is_url(source):
                return self._list_file(source)
            url = normalise_url(source)
            if url is None:
                self._error(source, "not an http(s) address", "not a web address")
                return ()
            items: list[ListedItem] = []
            kind = self._list_url(url, depth=0, into=items)
            if kind is not None:
                self.kinds[source] = "site" if kind == "html" else kind
            return tuple(items)
        except Stopped:
            return ()

    def _list_file(self, source: str) -> tuple[ListedItem, ...]:
        self.kinds[source] = "list"
        try:
            listed = listings.read_url_file(Path(source), max_bytes=self.options.max_listing_bytes)
        except (OSError, ValueError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            self._error(source, f"cannot be read ({reason})", "listing unreadable")
            return ()
        self._record_listing(source, listed, status="read")
        return listed.items

    def _list_url(self, url: str, *, depth: int, into: list[ListedItem]) -> str | None:
        """Read one listing and what it points to; its article URLs go to ``into``.

        Returns:
            The kind the listing turned out to be, or None when it failed.
        """
        with self._lock:
            if url in self._read:
                return None
            self._read.add(url)
            probed = self._probed.pop(url, None)
        if probed is not None:
            return self._read_listing(url, probed, depth=depth, into=into)
        cached = self.cache.get(url)
        headers = {}
        if cached is not None and cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached is not None and cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
        try:
            response = self.fetcher.get(
                url,
                accept=None,
                accept_header=_LISTING_ACCEPT,
                max_bytes=self.options.max_listing_bytes,
                headers=headers,
            )
        except (FetchError, Disallowed) as error:
            self._listing_failed(url, error)
            return None
        if response.status == 304 and cached is not None:
            self._append_listing(
                ListingOutcome(
                    url,
                    cached.kind,
                    "not modified",
                    etag=cached.etag,
                    last_modified=cached.last_modified,
                    found=cached.found,
                )
            )
            for child in cached.found:
                self._list_url(child, depth=depth + 1, into=into)
            return cached.kind
        return self._read_listing(url, response, depth=depth, into=into)

    def _read_listing(
        self, url: str, response: Response, *, depth: int, into: list[ListedItem]
    ) -> str:
        body, problem = listings.inflate(response.body, max_bytes=self.options.max_listing_bytes)
        kind = listings.sniff(body, response.content_type)
        max_items = self.options.max_items
        children: tuple[str, ...] = ()
        if kind == "feed":
            listed = listings.parse_feed(body, url=url, max_items=max_items)
        elif kind == "json_feed":
            listed = listings.parse_json_feed(body, url=url, max_items=max_items)
        elif kind in ("sitemap", "sitemap_index"):
            listed = listings.parse_sitemap(body, url=url, max_items=max_items)
            children = tuple(self._wanted_sitemaps(listed))
        elif kind == "html" and depth > 0:
            listed = Listed("html", problem="a web page, not a feed or a sitemap")
        elif kind == "html":
            children = self._discover(url, body)
            listed = Listed(
                "html",
                problem=None if children else "no feed or sitemap found on this page",
            )
        else:
            listed = Listed(kind, problem="neither a feed, a sitemap nor a web page")
        if problem:
            listed = listed._replace(problem="; ".join(filter(None, (problem, listed.problem))))
        self._record_listing(
            url,
            listed,
            status="read",
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            found=children,
        )
        into.extend(listed.items)
        if depth < MAX_DEPTH:
            for child in children:
                self._list_url(child, depth=depth + 1, into=into)
        return kind

    def _wanted_sitemaps(self, listed: Listed) -> list[str]:
        """A sitemap index's sitemaps worth reading: dated on or after ``since`` (or undated),
        the newest :attr:`CollectOptions.max_sitemaps`."""
        since = self.options.since
        wanted = [
            url
            for url, stamp in listed.children
            if since is None or stamp is None or (published_day(stamp) or since) >= since
        ]
        return wanted[: self.options.max_sitemaps]

    def _discover(self, url: str, html: bytes) -> tuple[str, ...]:
        """A home page's feeds and (for a site's root) its sitemaps."""
        found = list(listings.feed_links(html, url=url))
        origin = origin_of(url)
        if not found:
            found += self._probe(origin, FEED_PATHS, ("feed", "json_feed"))
        if is_root(url):
            sitemaps = [
                target
                for link in self.fetcher.robots(url).sitemaps()
                if (target := normalise_url(link, base=url)) is not None
            ]
            found += sitemaps or self._probe(origin, SITEMAP_PATHS, ("sitemap", "sitemap_index"))
        return tuple(dict.fromkeys(found))

    def _probe(self, origin: str, paths: Sequence[str], kinds: Sequence[str]) -> list[str]:
        """The first of the common ``paths`` that answers with a listing of ``kinds``."""
        for path in paths:
            target = origin + path
            try:
                response = self.fetcher.get(
                    target,
                    accept=None,
                    accept_header=_LISTING_ACCEPT,
                    max_bytes=self.options.max_listing_bytes,
                )
            except (FetchError, Disallowed):
                continue
            body, _ = listings.inflate(response.body, max_bytes=self.options.max_listing_bytes)
            if listings.sniff(body, response.content_type) in kinds:
                with self._lock:
                    self._probed[target] = response
                return [target]
        return []

    def _listing_failed(self, url: str, error: Exception) -> None:
        self._append_listing(ListingOutcome(url, "unknown", "failed", problem=str(error)))
        self._error(url, str(error), _label(error))

    def _record_listing(self, url: str, listed: Listed, *, status: str, **cache) -> None:
        self._append_listing(
            ListingOutcome(
                url,
                listed.kind,
                status,
                len(listed.items),
                listed.problem,
                listed.left_out,
                **cache,
            )
        )
        if listed.problem:
            self._error(url, listed.problem, _problem_label(listed.problem))

    def _append_listing(self, outcome: ListingOutcome) -> None:
        with self._lock:
            self.listings.append(outcome)
        self._bump(listings=1)

    def _error(self, document: str, reason: str, label: str) -> None:
        with self._lock:
            self.errors.append(ErrorRow(document, reason))
            self.failures[label] += 1
        self._bump(failed=1)

    # -- 2. planning ---------------------------------------------------------------------

    def plan(
        self,
        found: Mapping[str, Iterable[ListedItem]],
        *,
        retries: Iterable[KnownUrl] = (),
        revisits: Iterable[StoredArticle] = (),
    ) -> Plan:
        """Decide what to fetch (see the module docstring).

        Args:
            found: the article URLs listed, by source (from :meth:`list_sources`).
            retries: URLs pending or failed for now in earlier runs.
            revisits: stored articles to fetch again (``revisit_days``).

        Returns:
            The :class:`Plan`; what is not fetched is counted in :attr:`skipped`.
        """
        since = self.options.since
        chosen: dict[str, Planned] = {}
        for article in revisits:
            chosen.setdefault(
                article.url,
                Planned(article.url, article.published, article.date_source, "revisit", 0, article),
            )
        listed: dict[str, Planned] = {}
        for source, items in found.items():
            for item in items:
                if item.url in chosen or item.url in listed:
                    continue
                day = published_day(item.date)
                if since is not None and day is not None and day < since:
                    self.skipped["dated before --since"] += 1
                    continue
                listed[item.url] = Planned(item.url, item.date, item.by, source)
        for extra in retries:
            if extra.url not in chosen and extra.url not in listed:
                listed[extra.url] = Planned(
                    extra.url,
                    extra.listed_date,
                    extra.listed_by,
                    extra.source or "",
                    extra.attempts,
                )
        known = self._known(list(listed))
        new: list[Planned] = []
        for url, planned in listed.items():
            verdict = known.get(url)
            reason = _skip_reason(verdict, since)
            if reason is not None:
                self.skipped[reason] += 1
                continue
            attempts = verdict.attempts if verdict is not None else planned.attempts
            new.append(planned._replace(attempts=attempts))
        new.sort(key=lambda p: listings.sort_key(p.date) if p.date else "", reverse=True)
        ordered = [*chosen.values(), *new]
        limit = self.options.limit
        fetch = ordered if limit is None else ordered[:limit]
        later = () if limit is None else tuple(ordered[limit:])
        self._tell(phase="fetching", planned=len(fetch), skipped=sum(self.skipped.values()))
        return Plan(tuple(fetch), later)

    def _known(self, urls: list[str]) -> dict[str, KnownUrl]:
        known: dict[str, KnownUrl] = {}
        for start in range(0, len(urls), 1000):
            known.update(self.lookup(urls[start : start + 1000]))
        return known

    # -- 3. fetching ---------------------------------------------------------------------

    def documents(self, plan: Plan) -> Iterator[Item]:
        """Fetch the planned pages and yield what the ``add`` runners store: the error rows of
        the listings first, then, as pages arrive, a Document per new article or revision
        and an ErrorRow per failure."""
        yield from self.errors
        for planned in plan.later:
            self._outcome(planned, "pending", "left for a later run by --limit")
        by_host: dict[str, list[Planned]] = {}
        for planned in plan.fetch:
            by_host.setdefault(host_of(planned.url), []).append(planned)
        if not by_host:
            self._tell(phase="done")
            return
        results: queue.Queue = queue.Queue(maxsize=4 * self.options.max_hosts)
        closing = threading.Event()
        workers = min(self.options.max_hosts, len(by_host))
        pool = ThreadPoolExecutor(workers, thread_name_prefix="newslens-fetch")
        for pages in by_host.values():
            pool.submit(self._fetch_host, pages, results, closing)
        remaining = len(by_host)
        try:
            while remaining:
                result = results.get()
                if result is _DONE:
                    remaining -= 1
                    continue
                item = self._finish(result)
                if item is not None:
                    yield item
        finally:
            closing.set()
            while remaining:  # let blocked workers put their last results and finish
                if results.get() is _DONE:
                    remaining -= 1
            pool.shutdown(wait=True)
            self._tell(phase="done")

    def _fetch_host(self, pages: list[Planned], results: queue.Queue, closing) -> None:
        try:
            for planned in pages:
                if closing.is_set() or self.stop.is_set():
                    results.put(_Skipped(planned, "the run was stopped", "pending"))
                    continue
                if self._deadline is not None and time.monotonic() > self._deadline:
                    results.put(_Skipped(planned, "the time limit was reached", "pending"))
                    continue
                results.put(self._fetch_page(planned))
        finally:
            results.put(_DONE)

    def _fetch_page(self, planned: Planned):
        options = self.options
        try:
            response = self.fetcher.get(
                planned.url,
                accept=PAGE_TYPES,
                accept_header=_PAGE_ACCEPT,
                max_bytes=options.max_page_bytes,
            )
            page = read_page(response.body, url=response.url, max_chars=options.max_chars)
        except Stopped:
            return _Skipped(planned, "the run was stopped", "pending")
        except Disallowed as error:
            if error.kind == "rule":
                return _Skipped(planned, "disallowed by robots.txt", None)
            return _Failed(planned, str(error), _label(error), error.kind == "refused")
        except FetchError as error:
            return _Failed(planned, str(error), _label(error), _permanent(error))
        except ArticleError as error:
            return _Failed(planned, str(error), "not an article", True)
        except Exception as error:  # one page's surprise must not end the run
            reason = f"unexpected {type(error).__name__} while reading the page: {str(error)[:200]}"
            return _Failed(planned, reason, "unexpected error", False)
        return _Fetched(planned, response.url, response.body, page, datetime.now(UTC))

    def _finish(self, result) -> Item | None:
        """The document (or error row) for a fetched page; outcomes recorded."""
        planned = result.planned
        if isinstance(result, _Skipped):
            if result.status is not None:
                self._outcome(planned, result.status, result.reason)
            self.skipped[result.reason] += 1
            self._bump(fetched=1, skipped=1)
            return None
        if isinstance(result, _Failed):
            status = "refused" if result.permanent else "failed"
            attempts = planned.attempts + (0 if result.permanent else 1)
            self._outcome(planned, status, result.reason, attempts=attempts)
            with self._lock:
                self.failures[result.label] += 1
            self._bump(fetched=1, failed=1)
            return ErrorRow(planned.url, result.reason)
        document = self._document(result)
        self._bump(fetched=1, **({"new": 1} if document is not None else {"skipped": 1}))
        return document

    def _document(self, fetched: _Fetched) -> Document | None:
        planned, page = fetched.planned, fetched.page
        url = page.canonical or normalise_url(fetched.url) or planned.url
        stored = planned.stored
        if stored is None and url != planned.url:
            other = self._known([url]).get(url)
            if other is not None and other.status == "stored":
                self._outcome(planned, "stored", f"stored as {url}", doc_key=other.doc_key)
                self.skipped["already stored (under its canonical URL)"] += 1
                return None
        if url in self._seen and self._seen[url] != planned.url:
            self._outcome(planned, "stored", f"the same page as {self._seen[url]}")
            self.skipped["the same page as another listed URL"] += 1
            return None
        self._seen[url] = planned.url
        key = document_key(fetched.body)
        if stored is not None and stored.text == page.text:
            self._outcome(planned, "stored", "unchanged", doc_key=stored.doc_key)
            self.skipped["unchanged since it was stored"] += 1
            return None
        published, date_source = _chosen_date(page, planned, url)
        day = published_day(published)
        if self.options.since is not None and day is not None and day < self.options.since:
            self._outcome(
                planned, "old", "dated before --since", listed_date=published, listed_by=date_source
            )
            self.skipped["dated before --since"] += 1
            return None
        duplicate_of = None
        minhash = dedup.signature(page.paragraphs)
        if minhash is not None and key not in self.index:
            duplicate_of = self.index.original_of(minhash, url=url)
            if duplicate_of is None:
                self.index.add(key, minhash, url=url)
                self.signatures.append((key, dedup.signature_bytes(minhash)))
        revision = stored.revision + 1 if stored is not None else 1
        self._outcome(planned, "stored", None, doc_key=key)
        if url != planned.url:
            self._outcome(planned._replace(url=url), "stored", None, doc_key=key)
        self.handed[key] = (
            "revision" if revision > 1 else "duplicate" if duplicate_of is not None else "new"
        )
        meta = CollectedMeta(
            published=published,
            url=url,
            date_source=date_source,
            duplicate_of=duplicate_of,
            revision=revision,
            fetched_at=fetched.at,
        )
        return Document(url, fetched.body, meta)

    def _outcome(self, planned: Planned, status: str, reason: str | None, **fields) -> None:
        if planned.source == "revisit" and status != "stored":
            return  # a stored article that could not be fetched again stays stored
        values = {
            "listed_date": planned.date,
            "listed_by": planned.by,
            "attempts": planned.attempts,
            **fields,
        }
        with self._lock:
            self.urls.append(
                UrlOutcome(planned.url, status, reason, source=planned.source or None, **values)
            )


def _chosen_date(page: Page, planned: Planned, url: str) -> tuple[str | None, str | None]:
    """The publication date and where it came from: the page's metadata, else the listing's
    date, else the URL's."""
    if page.date:
        return page.date, "page"
    if planned.date and planned.by in ("feed", "sitemap", "list", "page", "url"):
        return planned.date, planned.by
    if found := url_day(url):
        return found, "url"
    return None, None


def _skip_reason(known: KnownUrl | None, since: date | None) -> str | None:
    """Why a listed URL the corpus knows is not fetched again, or None to fetch it."""
    if known is None:
        return None
    if known.status == "stored":
        return "already stored"
    if known.status == "refused":
        return "failed for good in an earlier run"
    if known.status == "failed" and known.attempts >= MAX_ATTEMPTS:
        return f"failed in {MAX_ATTEMPTS} earlier runs"
    if known.status == "old":
        day = published_day(known.listed_date)
        if since is None or day is None or day < since:
            return "dated before --since in an earlier run"
    return None


def _permanent(error: FetchError) -> bool:
    """Whether a failure will happen again (not worth retrying on the next run)."""
    if error.kind in ("timeout", "unreachable", "dns_temporary"):
        return False
    if error.kind == "http":
        return error.status is not None and error.status < 500 and error.status not in (408, 429)
    return True


_LABELS = {
    "refused": "address refused",
    "dns": "no such host",
    "dns_temporary": "unreachable",
    "unreachable": "unreachable",
    "timeout": "timed out",
    "tls": "https failed",
    "redirects": "too many redirects",
    "redirect_loop": "redirect loop",
    "content_type": "not a web page",
    "too_big": "too large",
}


def _label(error: Exception) -> str:
    """A short name for a kind of failure, for the summary."""
    if isinstance(error, Disallowed):
        return "disallowed by robots.txt" if error.kind == "rule" else "robots.txt unreadable"
    if isinstance(error, FetchError):
        if error.kind == "http":
            return f"HTTP {error.status}"
        return _LABELS.get(error.kind, error.kind)
    return "failed"


def _problem_label(problem: str) -> str:
    """A short name for what was wrong with a listing, for the summary."""
    if "malformed XML" in problem:
        return "malformed XML"
    if problem.startswith("no feed or sitemap"):
        return "no feed or sitemap found"
    return "listing problem"
