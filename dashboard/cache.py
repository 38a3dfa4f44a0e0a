"""The cached resources and analyses the pages share: the spaCy pipeline once per server
process, analyses by content and options (a sample article's shipped precomputed,
:mod:`dashboard.precomputed`), the sample articles, the share store and the kept corpora.

Where articles and corpora are kept (:func:`store_engine`), first match wins:
``NEWSLENS_STORE_URL``; else a ``[connections.newslens]`` section in Streamlit's secrets
(``.streamlit/secrets.toml``, or the hosting's secrets), read through
``st.connection("newslens", type="sql")``; else the local SQLite file in the data folder (and no
corpus is kept: an upload lasts as long as the server's disk).

The other ``st.cache_*`` functions sit with what they cache: the settings
(:mod:`dashboard.settings`), the Corpus page's stores, connections and queries
(:mod:`dashboard.corpus.data`), and the background jobs' registry (:mod:`dashboard.jobs`).
"""

from __future__ import annotations

import time

import streamlit as st

from analysis import AnalysisOptions, ArticleAnalysis, analyze
from analysis.core.metadata import document_key
from analysis.core.nlp import installed_model
from analysis.storage.archive import CorpusArchive
from analysis.storage.database import StoreUnavailableError, create_store_engine
from analysis.storage.shares import ArticleStore
from dashboard import warmup
from dashboard.precomputed import ANALYSED_DIR, load_precomputed
from dashboard.settings import LOG, app_settings
from dashboard.sources import Seed, list_seeds

#: How often the pipeline was loaded and how often an article was analysed (cache misses) in
#: this process: the tests and the load test check that filters never re-run NLP.
PIPELINE_LOADS = {"count": 0}
ANALYSIS_RUNS = {"count": 0}


# bench/dashboard.py reads these DEBUG lines (their times) to split the first script run into
# imports, model load, analysis and drawing.
LOG.debug("dashboard.cache imported")


@st.cache_resource(show_spinner="Loading the language model…")
def load_pipeline():
    """The spaCy pipeline, loaded once per server process and shared by all sessions.

    The load runs in the background once a page has started it (``dashboard.warmup.MODELS``,
    :func:`dashboard.warmup.load_models`: TextBlob's and VADER's lexicons too, and the
    process's objects frozen out of the garbage collector's reach); the first call waits for
    it and raises its error if it failed. A later call (the cache cleared, the background
    load failed or never started) loads here."""
    LOG.debug("pipeline wanted")
    PIPELINE_LOADS["count"] += 1
    start = time.perf_counter()
    loaded = warmup.MODELS.take()
    where = "in the background"
    if loaded is None:
        loaded = warmup.load_models()
        where = "on demand"
    nlp = loaded.nlp
    LOG.info(
        "spaCy pipeline loaded %s (%s, %.1f s; waited %.2f s; load %d in this process; "
        "%d objects frozen)",
        where,
        nlp.meta.get("name"),
        loaded.seconds,
        time.perf_counter() - start,
        PIPELINE_LOADS["count"],
        loaded.frozen,
    )
    return nlp


#: The name of the Streamlit connection (``[connections.newslens]`` in the secrets).
CONNECTION = "newslens"


def has_store_secret() -> bool:
    """Whether Streamlit's secrets name a database for NewsLens (``[connections.newslens]``)."""
    if not st.secrets.load_if_toml_exists():
        return False
    connections = st.secrets.get("connections", {})
    return hasattr(connections, "get") and connections.get(CONNECTION) is not None


@st.cache_resource(show_spinner=False)
def store_engine():
    """The configured database's engine, one per server process (shared by the share store and
    the corpus archive: one connection pool), or None for the local SQLite file.

    Raises:
        StoreUnavailableError: the secrets' connection cannot be made (its URL names a driver
            that is not installed, or is not a database URL); the message never repeats it. Not cached: a fixed secret takes
            effect on the next run.
    """
    settings = app_settings()
    if settings.store_url:
        return create_store_engine(settings.store_url)
    if not has_store_secret():
        return None
    try:
        return st.connection(CONNECTION, type="sql").engine
    except Exception as error:  # the secret's URL, a missing driver: say which, not how
        LOG.warning("connection %r failed: %s", CONNECTION, type(error).__name__)
        raise StoreUnavailableError(
            f"The database in the secrets ([connections.{CONNECTION}]) cannot be used "
            f"({type(error).__name__}): its url should look like "
            "postgresql://user:password@host:5432/database."
        ) from None


@st.cache_resource(show_spinner=False)
def load_store() -> ArticleStore:
    """The share store behind article links, one per server process: the configured database
    (:func:`store_engine`), else the SQLite file in the data folder."""
    settings = app_settings()
    engine = store_engine()
    return ArticleStore(
        settings.data_dir if engine is None else engine, max_bytes=settings.store_max_bytes
    )


@st.cache_resource(show_spinner=False)
def load_archive() -> CorpusArchive | None:
    """Where uploaded corpora are kept (:class:`~analysis.storage.archive.CorpusArchive`), one
    per server process; None when no database is configured (the local disk would not outlive
    the server any more than the corpus file does)."""
    engine = store_engine()
    if engine is None:
        return None
    return CorpusArchive(engine, max_bytes=app_settings().store_max_bytes)


@st.cache_data(show_spinner=False)
def load_seeds() -> list[Seed]:
    """The sample articles (:func:`dashboard.sources.list_seeds`), read once per process."""
    return list_seeds()


def is_precomputed(raw: bytes, include_removed: bool) -> bool:
    """Whether :func:`analyse` will most likely find ``raw``'s analysis shipped (a file for its
    content; whether that file still applies is known only once it is read): then the
    models are not needed for it.

    Returns:
        True when ``include_removed`` is off and a file for ``raw`` is shipped.
    """
    return not include_removed and (ANALYSED_DIR / f"{document_key(raw)}.json").is_file()


@st.cache_data(show_spinner=False, max_entries=64)
def analyse(
    raw: bytes, source: str | None, include_removed: bool, _progress=None
) -> ArticleAnalysis:
    """The full analysis of some article bytes (sentences and lemmas included, so that no
    option in the view needs spaCy again), cached on content and options. ``_progress``
    (not part of the cache key) is :func:`analysis.analyze`'s progress callback; it must not
    draw anything itself (a cached function's elements are replayed): see
    :class:`dashboard.jobs.AnalysisJob`, which runs it in a thread. A sample article's
    analysis is read from its shipped file (:func:`dashboard.precomputed.load_precomputed`)
    when that file applies."""
    ANALYSIS_RUNS["count"] += 1
    options = AnalysisOptions(
        include_removed=include_removed, entity_aliases=tuple(app_settings().entity_aliases.items())
    )
    start = time.perf_counter()
    model = installed_model(preferred=app_settings().spacy_model)
    shipped = load_precomputed(raw, source=source, options=options, model=model)
    if shipped is not None:
        LOG.debug("analysis: %.1f ms (precomputed)", 1000 * (time.perf_counter() - start))
        return shipped
    nlp = load_pipeline()
    start = time.perf_counter()
    result = analyze(raw, nlp=nlp, options=options, source=source, progress=_progress)
    LOG.debug("analysis: %.1f ms", 1000 * (time.perf_counter() - start))
    return result
