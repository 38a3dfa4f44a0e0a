"""Collecting the news: sites, feeds, sitemaps and files of URLs into a corpus, politely.

See :mod:`analysis.sources.collect.collector` for the steps of a run and
:mod:`analysis.runners.collect` for the function that runs one into a corpus.
"""

from analysis.sources.collect.collector import CollectOptions, Collector, Plan, Planned
from analysis.sources.collect.rows import (
    CachedListing,
    CollectedMeta,
    CollectProgress,
    KnownUrl,
    ListingOutcome,
    StoredArticle,
    UrlOutcome,
)

__all__ = [
    "CachedListing",
    "CollectOptions",
    "CollectProgress",
    "CollectedMeta",
    "Collector",
    "KnownUrl",
    "ListingOutcome",
    "Plan",
    "Planned",
    "StoredArticle",
    "UrlOutcome",
]
