"""The Corpus page: which corpus, the filters, and every view, with its state in the URL.

The state comes in from the link (:class:`~dashboard.corpus.link.CorpusState`, read once per
session), the views (:mod:`dashboard.corpus.views`) draw and return what the reader chose, and
the new state goes back to the URL. Every session key of the page starts with ``corpus_``: the
page's own (:data:`STATE`, :data:`NOTES`, :data:`PENDING`, :data:`OPENED`) and its views'
(``<view key>_<widget>``, the view keys below).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pandas as pd
import streamlit as st

from analysis.core.corrections import Correction
from analysis.core.sentiment import DEFAULT_MODEL
from analysis.storage.corpus import queries
from dashboard.corpus import data
from dashboard.corpus.choice import render_corpus_choice, render_job
from dashboard.corpus.collect import render_collect
from dashboard.corpus.corrections import render_corrections
from dashboard.corpus.data import COOCCURRENCE_TOP, Call, Filters, Source
from dashboard.corpus.downloads import render_downloads
from dashboard.corpus.keyness import render_distinctive
from dashboard.corpus.link import CorpusState, from_query, to_query
from dashboard.corpus.views import (
    ARTICLE_ROWS,
    render_articles,
    render_cooccurrence,
    render_coverage,
    render_filters,
    render_quoted,
    render_sections,
    render_sentiment,
    render_top,
)
from dashboard.jobs import upload_job
from dashboard.labels import DEFAULT_TYPES
from dashboard.links import link_message
from dashboard.render import CSS

KEY = "corpus"
#: The page's own session keys: the state of the link, what the link asked for in vain,
#: widget values set by a click for the next run, and the article last opened from the table.
STATE, NOTES, PENDING, OPENED = (
    f"{KEY}_state",
    f"{KEY}_notes",
    f"{KEY}_pending_widgets",
    f"{KEY}_open_article",
)
#: The views' keys.
CHOICE, JOB, FILTERS, COVERAGE, TOP, TONE = (
    f"{KEY}_{view}" for view in ("choice", "job", "filters", "cov", "top", "tone")
)
SHOWN, QUOTED, PAIRS, DIST, ARTICLES, DOWNLOADS = (
    f"{KEY}_{view}" for view in ("open", "quoted", "pairs", "dist", "articles", "downloads")
)


class OpenedArticle(NamedTuple):
    """An article chosen in the article table, as the corpus holds it: its headline and body
    (not the raw input), for the Article page to analyse and store."""

    key: str
    raw: bytes
    source: str
    title: str
    #: the corpus's corrections that bear on its names, in the order made
    corrections: tuple[Correction, ...] = ()


def corpus_page(
    *, source: Source | None = None, on_open: Callable[[OpenedArticle], None] | None = None
) -> None:
    """The Corpus page: corpus choice, filters, and every view; the state goes to the URL.

    Args:
        source: a corpus to show instead of the one the state names (tests, embedding).
        on_open: called with the :class:`OpenedArticle` of a row selected in the article
            table (the app opens it on the Article page); its key is kept at
            ``st.session_state["corpus_open_article"]`` either way.
    """
    state, notes = _page_state()
    _apply_pending()
    st.html(f"<style>{CSS}</style>")
    st.title("Corpus")
    note = link_message(notes)
    if note:
        st.warning(note, icon=":material/link_off:")
    if source is None:
        name, source = render_corpus_choice(state, key=CHOICE)
    else:
        name = state.corpus
    job = upload_job(name)
    if job is not None:
        render_job(job, key=JOB)
    render_collect(name, source, choice_key=CHOICE, key=f"{KEY}_collect")
    info = data.run_query(source, "corpus_info")
    if info.articles == 0:
        st.info("This corpus holds no articles yet.")
        return
    filters = render_filters(source, state, key=FILTERS)
    data.prefetch(source, page_calls(filters, state))

    st.subheader("Coverage over time")
    coverage = render_coverage(
        source,
        filters,
        items=state.items,
        lines=state.lines,
        interval=state.interval,
        point=state.point,
        measure=state.measure,
        key=COVERAGE,
    )
    st.subheader("Top entities and words")
    top = render_top(
        source,
        filters,
        types=state.types,
        top=state.top,
        selected=coverage.items[0] if len(coverage.items) == 1 else "",
        stop=state.stop,
        xstop=state.xstop,
        key=TOP,
    )
    render_corrections(source, top.entities, key=f"{KEY}_correct")
    st.subheader("Sentiment")
    model = render_sentiment(
        source, filters, model=state.model, interval=coverage.interval, key=TONE
    )
    shown = render_sections(state.open, key=SHOWN)
    pair, dist = state.pair, state.dist
    if "quoted" in shown or "pairs" in shown:
        left, right = st.columns(2) if {"quoted", "pairs"} <= set(shown) else (st.container(), None)
        if "quoted" in shown:
            with left:
                st.subheader("Who is quoted")
                render_quoted(source, filters, top=top.top, key=QUOTED)
        if "pairs" in shown:
            with right if right is not None else left:
                st.subheader("Entities together")
                # The top view's entities are the same query with a larger limit: no second query.
                leaders = top.entities if top.top >= COOCCURRENCE_TOP else None
                pair = render_cooccurrence(
                    source, filters, pair=state.pair, types=top.types, leaders=leaders, key=PAIRS
                )
    if "dist" in shown:
        st.subheader("Distinctive words")
        dist = render_distinctive(source, filters, dist=state.dist, key=DIST)
    st.subheader("Articles")
    opened = render_articles(source, filters, key=ARTICLES)
    render_downloads(source, filters, corpus=name, key=DOWNLOADS)

    new = CorpusState(
        corpus=name,
        start=filters.start,
        end=filters.end,
        sources=filters.sources,
        q=filters.text,
        entity=filters.entity,
        items=coverage.items,
        lines=coverage.lines,
        interval=coverage.interval,
        point=coverage.point,
        types=top.types if tuple(top.types) != tuple(DEFAULT_TYPES) else (),
        top=top.top,
        model=model,
        pair=pair,
        dist=dist,
        open=shown,
        compare=state.compare,
        measure=coverage.measure,
        dups=filters.duplicates,
        stop=top.stop,
        xstop=top.xstop,
    )
    st.session_state[STATE] = new
    st.query_params.from_dict(to_query(new))
    if top.clicked:
        # The coverage picker was drawn above: it follows the clicked item from the next run.
        st.session_state[PENDING] = {f"{COVERAGE}_items": [top.clicked]}
        st.rerun()
    if opened:
        st.session_state[OPENED] = opened
        if on_open is not None:
            article = _opened_article(source, opened)
            if article is not None:
                on_open(article)


def _page_state() -> tuple[CorpusState, list[str]]:
    """The page's state (from the link on a session's first run) and, once, the notes on
    what the link asked for in vain."""
    ss = st.session_state
    if STATE not in ss:
        ss[STATE], ss[NOTES] = from_query(st.query_params.to_dict())
    return ss[STATE], ss.pop(NOTES, [])


def _apply_pending() -> None:
    """Choices made by a click after the widget they set was drawn (a rerun applies them)."""
    for widget, value in (st.session_state.pop(PENDING, None) or {}).items():
        st.session_state[widget] = value


def _opened_article(source: Source, key: str) -> OpenedArticle | None:
    """The article ``key`` as the corpus holds it; a warning and None when it is gone."""
    found = queries.article_texts(source, keys=[key])
    if found.empty:
        st.warning("That article is no longer in the corpus.")
        return None
    row = found.iloc[0]
    return OpenedArticle(
        key,
        opened_text(row).encode("utf-8"),
        str(row["source"] or "corpus"),
        str(row["title"] or "Corpus article"),
        queries.article_corrections(source, key=str(row["doc_key"])),
    )


def opened_text(row) -> str:
    """An article's text as the corpus holds it, with its stored byline and date written
    under the headline ("By …", "Published: YYYY-MM-DD"), the lines the Article page reads
    an author and a date from: its text alone may not carry them (a date from the data, the
    page's metadata or the feed)."""
    headline, sep, body = str(row["text"]).partition("\n\n")
    if not sep:
        return headline
    meta = []
    author = row.get("author")
    if isinstance(author, str) and author.strip():
        meta.append(f"By {author.strip()}")
    day = row.get("date")
    if day is not None and not pd.isna(day):
        meta.append(f"Published: {str(day)[:10]}")
    return "\n\n".join([headline, *meta, body])


def page_calls(filters: Filters, state: CorpusState) -> list[Call]:
    """The queries the views below the filters run for ``filters``, with the choices their
    widgets hold at the start of the run (before a widget exists: the state's), in page
    order: what :func:`corpus_page` prefetches. A guess that turns out wrong costs one query;
    the views always run their own."""
    ss = st.session_state
    interval = ss.get(f"{COVERAGE}_interval", state.interval) or "month"
    lines = ss.get(f"{COVERAGE}_lines", state.lines) or "item"
    raw = ss.get(f"{COVERAGE}_items", list(state.items))
    types = ss.get(f"{TOP}_types", list(state.types) or list(DEFAULT_TYPES))
    top = ss.get(f"{TOP}_top", state.top)
    stop = ss.get(f"{TOP}_stop", state.stop)
    xstop = ss.get(f"{TOP}_xstop", state.xstop)
    model = ss.get(f"{TONE}_model", state.model) or DEFAULT_MODEL
    rows = ss.get(f"{ARTICLES}_rows") or ARTICLE_ROWS
    calls = [data.coverage_leaders_call(filters)]
    if raw:
        calls.append(
            data.coverage_call(filters, data.chosen_items(raw), lines=lines, interval=interval)
        )
    calls += [
        *data.top_calls(filters, types=types, top=top, include_stop=stop, extra_stop_words=xstop),
        *data.sentiment_calls(filters, model=model, interval=interval),
        data.articles_call(filters, rows=rows),
    ]
    shown = ss.get(SHOWN, list(state.open)) or ()
    if "quoted" in shown:
        calls += data.quoted_calls(filters, top=top)
    if "pairs" in shown:
        calls.append(data.cooccurrence_call(filters, types=types))
    return calls
