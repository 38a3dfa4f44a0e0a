"""Collect into a corpus: the collector (:mod:`analysis.sources.collect`) fed by and feeding the
corpus store, through the same ``add`` runners as ``newslens corpus add``.

:func:`run_collect` is what the command line (``newslens corpus collect``) and the app call:
it reads what the corpus already knows (listings' validators, URLs dealt with, signatures of
stored originals), runs the collector, hands its documents to an ``add`` runner
(:func:`analysis.runners.corpus.run_local` by default, or any ``ingest`` callable such as
``run_dask`` with its client bound), then stores what the run did and returns a
:class:`CollectReport`. :func:`collect_again` does the same for every source on the corpus's
list. Both can run in a background thread: pass ``progress`` to hear how it goes and
``stop`` (a :class:`threading.Event`) to stop it; pages not fetched yet wait for the next run.

What the run did is stored only once the runner has finished: a run that crashes is done
again next time (pages already stored are skipped by their URL).
"""

from __future__ import annotations

import functools
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from analysis.core.pipeline import AnalysisOptions
from analysis.core.schema import ErrorRow
from analysis.runners.corpus import REPORTED_ERRORS, IngestReport, run_local
from analysis.sources.collect import dedup
from analysis.sources.collect.collector import CollectOptions, Collector
from analysis.sources.collect.rows import (
    MAX_ATTEMPTS,
    CachedListing,
    CollectProgress,
    KnownUrl,
    ListingOutcome,
    StoredArticle,
)
from analysis.sources.files import Item, is_url
from analysis.storage.corpus import collection
from analysis.storage.corpus.store import CorpusStore

Ingest = Callable[[Iterable[Item]], IngestReport]


class CollectReport(NamedTuple):
    """What a collection run did.

    Attributes:
        added: articles stored (new stories, near-duplicate copies and new revisions).
        duplicates: of those, near-duplicates of a stored article (``duplicate_of`` set).
        revisions: of those, new revisions of a stored URL.
        skipped: listed URLs not fetched, or fetched and not stored again.
        failed: error rows (listings, pages, analysis); each is in the ``errors`` table.
        pending: URLs left for a later run (``--limit``, the time limit, a stop).
        skip_reasons: ``(reason, count)`` pairs, most frequent first.
        failure_reasons: ``(kind of failure, count)`` pairs ("HTTP 404", "timed out", ...).
        errors: the first few error rows, in order.
        listings: every feed, sitemap and home page read, with what it gave.
        requests: HTTP requests sent.
        seconds: wall time.
    """

    added: int
    duplicates: int
    revisions: int
    skipped: int
    failed: int
    pending: int
    skip_reasons: tuple[tuple[str, int], ...]
    failure_reasons: tuple[tuple[str, int], ...]
    errors: tuple[ErrorRow, ...]
    listings: tuple[ListingOutcome, ...]
    requests: int
    seconds: float

    def summary(self) -> str:
        """One line: new, skipped, failed and pending, with the main reasons."""
        text = f"{self.added} new"
        extra = [f"{self.duplicates} near-duplicate(s)"] if self.duplicates else []
        extra += [f"{self.revisions} revision(s)"] if self.revisions else []
        if extra:
            text += f" ({', '.join(extra)})"
        text += f", {self.skipped} skipped"
        if self.skip_reasons:
            text += " (" + ", ".join(f"{n} {reason}" for reason, n in self.skip_reasons[:3]) + ")"
        text += f", {self.failed} failed"
        if self.failure_reasons:
            text += " (" + ", ".join(f"{n} {kind}" for kind, n in self.failure_reasons[:3]) + ")"
        if self.pending:
            text += f", {self.pending} left for the next run"
        return text


def run_collect(
    sources: Sequence[str],
    *,
    store: CorpusStore,
    options: CollectOptions | None = None,
    ingest: Ingest | None = None,
    nlp=None,
    model: str | None = None,
    analysis: AnalysisOptions | None = None,
    progress: Callable[[CollectProgress], None] | None = None,
    stop: threading.Event | None = None,
    remember: bool = True,
) -> CollectReport:
    """Collect the articles of ``sources`` into ``store``.

    Args:
        sources: site home pages, feed or sitemap URLs, and files of URLs (paths; remembered
            as absolute paths).
        store: the corpus (created when missing).
        options: how to collect (:class:`~analysis.sources.collect.collector.CollectOptions`).
        ingest: the ``add`` runner, called once with the documents; default
            :func:`~analysis.runners.corpus.run_local` in this process with ``nlp``.
        nlp, model, analysis: for the default runner: the loaded pipeline (loaded from
            ``model`` when None) and the analysis options.
        progress: called with a :class:`~analysis.sources.collect.rows.CollectProgress` as the
            run goes (from the collector's threads, one call at a time).
        stop: set it to stop the run early.
        remember: add the sources to the corpus's source list (for :func:`collect_again`).

    Returns:
        The :class:`CollectReport`.
    """
    options = options or CollectOptions()
    began, started = time.monotonic(), datetime.now(UTC).replace(tzinfo=None)
    # A file is remembered by its absolute path, so that "collect again" finds it from anywhere.
    sources = [s if is_url(s) else str(Path(s).resolve()) for s in dict.fromkeys(sources)]
    store.ensure()
    if ingest is None:
        ingest = functools.partial(
            run_local,
            store=store,
            workers=1,
            nlp=nlp,
            model=model,
            options=analysis,
            max_chars=options.max_chars,
        )
    collector = Collector(
        options,
        lookup=functools.partial(_lookup, store),
        cache={
            url: CachedListing(url, row["kind"], row["etag"], row["last_modified"], row["found"])
            for url, row in collection.listing_cache(store).items()
        },
        index=near_duplicates(store, threshold=options.threshold),
        progress=progress,
        stop=stop,
    )
    found = collector.list_sources(sources)
    retries = [
        KnownUrl(**row)
        for row in collection.retry_urls(store, sources=sources, max_attempts=MAX_ATTEMPTS)
    ]
    revisits = []
    if options.revisit_days is not None:
        after = started - timedelta(days=options.revisit_days)
        revisits = [
            StoredArticle(**row)
            for row in collection.revisit_articles(store, first_fetched_after=after)
        ]
    plan = collector.plan(found, retries=retries, revisits=revisits)
    ingested = ingest(collector.documents(plan))
    return _finish(store, collector, ingested, sources, started, began, remember=remember)


def collect_again(store: CorpusStore, **kwargs) -> CollectReport:
    """:func:`run_collect` over every source on the corpus's list (same keyword arguments).

    Raises:
        ArticleError: the list is empty.
    """
    from analysis.errors import ArticleError

    store.ensure()
    sources = list(collection.collect_sources(store)["source"])
    if not sources:
        raise ArticleError("This corpus has no collection sources yet: collect from one first.")
    return run_collect(sources, store=store, **kwargs)


def near_duplicates(store: CorpusStore, *, threshold: float) -> dedup.NearDuplicates:
    """The near-duplicate index of the corpus's originals: the stored signatures, and those of
    articles stored without one (computed now from their body paragraphs, and stored)."""
    index = dedup.NearDuplicates(threshold=threshold)
    for key, url, data in collection.signatures(store):
        index.add(key, dedup.signature_from_bytes(data), url=url)
    computed = []
    for key, url, paragraphs in collection.unsigned_articles(store):
        minhash = dedup.signature(paragraphs)
        if minhash is None:
            computed.append((key, b""))  # too short to compare: not signed again
            continue
        index.add(key, minhash, url=url)
        computed.append((key, dedup.signature_bytes(minhash)))
    collection.save_signatures(store, computed)
    return index


def _lookup(store: CorpusStore, urls: Sequence[str]) -> dict[str, KnownUrl]:
    return {url: KnownUrl(**row) for url, row in collection.known_urls(store, urls).items()}


def _finish(
    store: CorpusStore,
    collector: Collector,
    ingested: IngestReport,
    sources: Sequence[str],
    started: datetime,
    began: float,
    *,
    remember: bool,
) -> CollectReport:
    """Check what the runner stored, record the run, and report it."""
    handed = collector.handed
    stored = collection.stored_keys(store, handed)
    lost = [o for o in collector.urls if o.doc_key in handed and o.doc_key not in stored]
    reasons = collection.latest_errors(store, {o.url for o in lost})
    urls = []
    for outcome in collector.urls:
        if outcome in lost:  # the analysis failed: its error row says why
            reason = reasons.get(outcome.url, "not stored: the analysis failed")
            outcome = outcome._replace(status="refused", reason=reason, doc_key=None)
        urls.append(outcome._asdict())
    written = collection.fetched_since(store, handed, started)
    kinds = Counter(handed[key] for key in written)
    pending = sum(1 for o in collector.urls if o.status == "pending")
    skipped = sum(collector.skipped.values())
    report = CollectReport(
        added=ingested.added,
        duplicates=kinds["duplicate"],
        revisions=kinds["revision"],
        skipped=skipped + ingested.skipped,
        failed=ingested.failed,
        pending=pending,
        skip_reasons=tuple(collector.skipped.most_common()),
        failure_reasons=tuple(_failure_kinds(collector.failures, len(lost)).most_common()),
        errors=tuple(ingested.errors[:REPORTED_ERRORS]),
        listings=tuple(collector.listings),
        requests=collector.fetcher.requests,
        seconds=time.monotonic() - began,
    )
    collection.save_run(
        store,
        urls=urls,
        # Validators of what was read; a listing that failed keeps those of its last read.
        listings=[
            o._asdict() for o in collector.listings if o.status != "failed" and is_url(o.url)
        ],
        signatures=[(key, data) for key, data in collector.signatures if key in stored],
        sources=[(s, collector.kinds.get(s)) for s in sources] if remember else [],
        summary=report.summary(),
    )
    return report


def _failure_kinds(failures: Counter, lost: int) -> Counter:
    out = Counter(failures)
    if lost:
        out["analysis failed"] += lost
    return out
