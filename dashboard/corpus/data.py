"""The Corpus page's data: every query its views run, by name (:data:`QUERIES`, all of them
:mod:`analysis.storage.corpus.queries` functions), cached per corpus file
(:func:`run_query`), started ahead in background threads (:func:`prefetch`), and the calls
each view makes for a filter (:class:`Filters`, :class:`Call`, the ``*_call`` functions).

A query's ``source`` is a :class:`~analysis.storage.corpus.store.CorpusStore` (its results
cached by the file's modification stamp, the query and its arguments, so a filter change runs
each query once and going back to an earlier filter runs none) or an open connection (not
cached: for tests and scripts). No SQL here: a query the page needs is a public function of
:mod:`analysis.storage.corpus.queries` (or of its sibling modules: selection, timeline,
keywords, exchange).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import NamedTuple

import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from analysis.storage.corpus import exchange, keywords, queries, selection, timeline
from analysis.storage.corpus.store import CorpusReader, CorpusStore
from dashboard.corpus.link import CorpusState, make_item, parse_item

#: What a view reads: a store (cached queries) or an open connection (tests, scripts).
Source = queries.Source

#: Entities the coverage view offers to follow.
TOP_ITEMS = 30
#: Entities in the co-occurrence grid.
COOCCURRENCE_TOP = 12
#: Queries of one page run that run at the same time.
QUERY_THREADS = 4

#: Every query a view runs, by name.
QUERIES = {
    f.__name__: f
    for f in (
        queries.mentions_over_time,
        queries.top_entities,
        queries.top_terms,
        queries.article_sentiment,
        queries.sentiment_over_time,
        queries.cooccurrence,
        queries.quoted_speakers,
        queries.distinctive_terms,
        queries.article_table,
        queries.source_counts,
        queries.corpus_info,
        queries.mention_paragraphs,
        queries.article_texts,
        queries.duplicates_of,
        queries.filtered_parquet,
        queries.selected_count,
        queries.selection_counts,
        selection.query_reading,
        timeline.coverage,
        timeline.mentions_series,
        timeline.tone_series,
        keywords.default_target,
        keywords.keyness,
        exchange.export_archive,
    )
}


class Filters(NamedTuple):
    """The filter at the top of the Corpus page, applied to every view."""

    start: date | None = None
    end: date | None = None
    sources: tuple[str, ...] = ()  # empty: every outlet
    text: str = ""
    entity: str = ""
    duplicates: bool = False  # count every copy of a story

    def kwargs(self) -> dict:
        """The common filter arguments of :mod:`analysis.storage.corpus.queries`, with
        ``include_duplicates``."""
        return {**self.plain_kwargs(), "include_duplicates": self.duplicates}

    def plain_kwargs(self) -> dict:
        """The five filter arguments without ``include_duplicates``: for the exports and the
        citation (an export keeps every copy)."""
        return {
            "start": self.start,
            "end": self.end,
            "sources": self.sources or None,
            "text": self.text or None,
            "entity": self.entity or None,
        }


def filters_of(state: CorpusState) -> Filters:
    """The filter a link's state holds."""
    return Filters(state.start, state.end, state.sources, state.q, state.entity, state.dups)


# -- the cache ---------------------------------------------------------------------------------


def file_stamp(path: Path) -> tuple[int, ...]:
    """Changes whenever DuckDB writes the file (or its write-ahead log)."""
    stamp = []
    for part in (path, path.with_name(path.name + ".wal")):
        try:
            info = part.stat()
            stamp += [info.st_mtime_ns, info.st_size]
        except FileNotFoundError:
            stamp += [0, 0]
    return tuple(stamp)


@st.cache_resource(show_spinner=False)
def corpus_store(path: str) -> CorpusStore:
    """The store of the corpus file at ``path``, one per server."""
    return CorpusStore(path)


@st.cache_resource(show_spinner=False)
def _reader(path: str) -> CorpusReader:
    """One read-only connection per corpus for the whole server, kept open between queries
    (opening the file costs more than most queries, and DuckDB keeps the blocks it has read);
    it lets go of the file when idle or when a writer (an upload job, the CLI) waits."""
    return CorpusReader(corpus_store(path))


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(name: str, path: str, stamp: tuple, kwargs: dict):
    return QUERIES[name](_reader(path), **kwargs)


def run_query(source: Source, name: str, **kwargs):
    """``QUERIES[name](source, **kwargs)``, cached for a store by its file stamp."""
    if isinstance(source, CorpusStore):
        return _cached(name, str(source.path), file_stamp(source.path), kwargs)
    return QUERIES[name](source, **kwargs)


class Call(NamedTuple):
    """One query a view runs: ``run_query(source, name, **kwargs)``."""

    name: str
    kwargs: dict


def run_call(source: Source, call: Call):
    return run_query(source, call.name, **call.kwargs)


@st.cache_resource(show_spinner=False)
def query_pool() -> ThreadPoolExecutor:
    """The threads :func:`prefetch` runs queries in, shared by every session."""
    return ThreadPoolExecutor(max_workers=QUERY_THREADS, thread_name_prefix="newslens-query")


def prefetch(source: Source, calls: Sequence[Call]) -> list[Future]:
    """Start the queries ``calls`` of a store in background threads, in order, and return at
    once: the views that ask for them later find them cached, or wait for the one running
    (the cache computes a value once). The queries are independent, and DuckDB lets go of
    the interpreter lock while one runs, each on its own cursor, so they overlap with each
    other and with the drawing of the views above them. A connection, not a store, is used
    by one thread only: nothing is started for it.

    Returns:
        a future per call started (its result: the query's, or None if it failed; the view
        asks again and shows the error where it belongs).
    """
    if not isinstance(source, CorpusStore):
        return []
    ctx = get_script_run_ctx(suppress_warning=True)

    def run(call: Call):
        if ctx is not None:
            # The cache reads the session's context; without it every call logs a warning.
            add_script_run_ctx(threading.current_thread(), ctx)
        try:
            return run_call(source, call)
        except Exception:
            return None

    pool = query_pool()
    return [pool.submit(run, call) for call in calls]


# -- the queries of the views, for the views and for prefetch ----------------------------------


def coverage_leaders_call(filters: Filters) -> Call:
    """The entities the coverage view offers to follow."""
    return Call("top_entities", {"limit": TOP_ITEMS, **filters.kwargs()})


def chosen_items(raw: Sequence[str]) -> tuple[str, ...]:
    """The coverage picker's values as items: a typed word becomes a term item."""
    return tuple(dict.fromkeys(i if parse_item(i)[0] else make_item("term", i) for i in raw))


def coverage_call(filters: Filters, items: Sequence[str], *, lines: str, interval: str) -> Call:
    """Mentions of ``items`` per period, a line per item (``lines="item"``) or per outlet."""
    entities = [parse_item(i)[1] for i in items if parse_item(i)[0] == "entity"]
    terms = [parse_item(i)[1] for i in items if parse_item(i)[0] == "term"]
    return Call(
        "mentions_series",
        {
            "entities": entities,
            "terms": terms,
            "interval": interval,
            "by_source": lines == "source",
            **filters.kwargs(),
        },
    )


def top_calls(
    filters: Filters,
    *,
    types: Sequence[str],
    top: int,
    include_stop: bool = False,
    extra_stop_words: str = "",
) -> tuple[Call, Call]:
    """The top entities (of ``types``; none: every type) and the top words (stop words left
    out unless ``include_stop``, and the reader's own words ``extra_stop_words``, one string
    split on spaces, commas or semicolons; speaker labels always left out)."""
    return (
        Call(
            "top_entities", {"labels": list(types) or None, "limit": int(top), **filters.kwargs()}
        ),
        Call(
            "top_terms",
            {
                "limit": int(top),
                "include_stop": bool(include_stop),
                "extra_stop_words": (extra_stop_words,) if extra_stop_words.strip() else (),
                "drop_markers": True,
                **filters.kwargs(),
            },
        ),
    )


def sentiment_calls(filters: Filters, *, model: str, interval: str) -> tuple[Call, Call]:
    """Tone per article and per period and outlet, toward the filter's entity if any."""
    toward = filters.entity or None
    return (
        Call("article_sentiment", {"model": model, "toward": toward, **filters.kwargs()}),
        Call(
            "tone_series",
            {
                "model": model,
                "toward": toward,
                "interval": interval,
                "by_source": True,
                **filters.kwargs(),
            },
        ),
    )


def quoted_calls(filters: Filters, *, top: int) -> tuple[Call, Call]:
    """Speakers overall and per outlet."""
    return (
        Call("quoted_speakers", {"limit": int(top), **filters.kwargs()}),
        Call("quoted_speakers", {"by_source": True, "limit": int(top), **filters.kwargs()}),
    )


def cooccurrence_call(filters: Filters, *, types: Sequence[str]) -> Call:
    """Pairs of the top entities (of ``types``) named in the same paragraph."""
    return Call(
        "cooccurrence", {"top": COOCCURRENCE_TOP, "labels": list(types) or None, **filters.kwargs()}
    )


def articles_call(filters: Filters, *, rows: int) -> Call:
    """The newest ``rows`` selected articles."""
    return Call("article_table", {"limit": int(rows), **filters.kwargs()})


def counts_call(filters: Filters) -> Call:
    """The count line: selected, total and the selection's dates, from one snapshot."""
    return Call("selection_counts", filters.kwargs())


def reading_call(filters: Filters) -> Call:
    """How the search box's query was read and what each of its terms matches."""
    kwargs = filters.kwargs()
    text = kwargs.pop("text")
    return Call("query_reading", {"text": text, **kwargs})


def share_call(filters: Filters, *, interval: str) -> Call:
    """The selection's articles per period among all the period's articles (the other
    filters kept, the query left out): Media Cloud's coverage."""
    return Call("coverage", {"interval": interval, **filters.kwargs()})
