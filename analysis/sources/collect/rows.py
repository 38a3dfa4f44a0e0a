"""The rows the collector takes in (what the corpus already knows) and gives out (what it
did), named once here. The corpus side (:mod:`analysis.storage.corpus.collection`) stores them
under the same field names."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

#: Outcomes of an article URL (``collect_urls.status``): stored (an article holds it, or
#: the page was unchanged), refused (failed for good: an HTTP 4xx, not an article, not a web
#: page, too large, a redirect loop), failed (failed for now: a timeout, a 5xx, a 429 longer
#: than waited; retried on later runs up to :data:`MAX_ATTEMPTS` times), pending (listed but
#: not fetched: the --limit or the time limit was reached, or the run was stopped), old
#: (its date is before the --since of the run that fetched it).
STATUSES = ("stored", "refused", "failed", "pending", "old")
#: Runs in which a URL that keeps failing for now is tried.
MAX_ATTEMPTS = 3


class CollectedMeta(NamedTuple):
    """What the collector knows of a page beside its bytes: the fields of
    :class:`analysis.core.metadata.ArticleMeta`, read the same way, and four more that the
    corpus stores in ``articles`` (see :mod:`analysis.storage.corpus.schema`).

    Attributes:
        published: the publication date (ISO 8601) as chosen: the page's metadata, else the
            listing's date, else the URL's.
        url: the page's URL, normalised (its canonical URL when it declares one on its site).
        date_source: where ``published`` came from: "page", "feed", "sitemap", "list",
            "url", or None.
        duplicate_of: the doc_key of the stored article this page copies, or None.
        revision: 1 for a URL's first text, then 2, 3, ... for each changed text.
        fetched_at: when the page was fetched (UTC).
    """

    title: str | None = None
    author: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    date_source: str | None = None
    duplicate_of: str | None = None
    revision: int = 1
    fetched_at: datetime | None = None


class KnownUrl(NamedTuple):
    """What the corpus knows of an article URL.

    Attributes:
        url: normalised.
        status: one of :data:`STATUSES`.
        reason: why (for a failure), or None.
        doc_key: the article stored for it, or None.
        attempts: runs that tried it and failed for now.
        listed_date, listed_by: the date its listing gave, and the kind of listing.
        source: the collection source it was listed by.
    """

    url: str
    status: str
    reason: str | None = None
    doc_key: str | None = None
    attempts: int = 0
    listed_date: str | None = None
    listed_by: str | None = None
    source: str | None = None


class StoredArticle(NamedTuple):
    """The latest revision of a collected URL, for ``--revisit``.

    Attributes:
        url: the URL it is stored under.
        doc_key: its key.
        revision: its revision number.
        text: its stored paragraphs (headline, then body), to tell a changed text.
        published, date_source: its date and where that came from.
    """

    url: str
    doc_key: str
    revision: int
    text: tuple[str, ...]
    published: str | None = None
    date_source: str | None = None


class CachedListing(NamedTuple):
    """A feed, sitemap or home page read before.

    Attributes:
        url: its address.
        kind: what it turned out to be (see :data:`analysis.sources.collect.listings.KINDS`).
        etag, last_modified: its validators, sent back for a conditional request.
        found: the listings it pointed to (a home page's feeds and sitemaps, a sitemap
            index's sitemaps), used when it answers 304 Not Modified.
    """

    url: str
    kind: str
    etag: str | None = None
    last_modified: str | None = None
    found: tuple[str, ...] = ()


class UrlOutcome(NamedTuple):
    """What a run did with an article URL (a row of ``collect_urls``)."""

    url: str
    status: str
    reason: str | None = None
    doc_key: str | None = None
    listed_date: str | None = None
    listed_by: str | None = None
    source: str | None = None
    attempts: int = 0


class ListingOutcome(NamedTuple):
    """What a run did with a listing (a row of ``collect_listings`` and of the summary).

    Attributes:
        url: the listing's address.
        kind: see :data:`analysis.sources.collect.listings.KINDS`.
        status: "read", "not modified" or "failed".
        items: article URLs it listed (0 when not modified or failed).
        problem: what was wrong with it, or None.
        left_out: items beyond the limit per listing (the oldest), not read.
        etag, last_modified, found: what :class:`CachedListing` keeps.
    """

    url: str
    kind: str
    status: str
    items: int = 0
    problem: str | None = None
    left_out: int = 0
    etag: str | None = None
    last_modified: str | None = None
    found: tuple[str, ...] = ()


class CollectProgress(NamedTuple):
    """A snapshot of a run, for a progress bar.

    Attributes:
        phase: "listing" (reading feeds and sitemaps), "fetching" (article pages) or "done".
        listings: feeds, sitemaps and home pages read so far.
        planned: article pages to fetch in this run (known once listing is done).
        fetched: article pages dealt with so far (fetched, failed or left pending).
        new: pages handed on to be analysed and stored.
        skipped: URLs not fetched or not stored again (already stored, unchanged, ...).
        failed: error rows so far.
        requests: HTTP requests sent.
        seconds: since the run started.
    """

    phase: str
    listings: int = 0
    planned: int = 0
    fetched: int = 0
    new: int = 0
    skipped: int = 0
    failed: int = 0
    requests: int = 0
    seconds: float = 0.0
