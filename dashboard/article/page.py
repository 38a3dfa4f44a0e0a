"""The Article page: one article beside linked, filterable charts.

The view comes in from the link and the widgets (:mod:`dashboard.article.state`), the article
is analysed through :mod:`dashboard.cache`, what the view shows of it is worked out once
(:func:`dashboard.article.scope.scope_of`), and the views draw it
(:mod:`dashboard.article.sidebar`, :mod:`dashboard.article.views`); the view goes back to the
URL after every run.
"""

from __future__ import annotations

import streamlit as st

from analysis import ArticleError
from analysis.core.corrections import apply_corrections
from dashboard import history, warmup
from dashboard.article import state
from dashboard.article.link import to_query
from dashboard.article.revisions import render_revisions
from dashboard.article.scope import scope_of
from dashboard.article.sidebar import render_options, render_sources
from dashboard.article.views import (
    render_article,
    render_bar,
    render_context,
    render_downloads,
    render_entities,
    render_entity_detail,
    render_quotes,
    render_range,
    render_removed,
    render_sentences,
    render_sentiment,
    render_tabs,
    render_tone,
    render_warnings,
    render_words,
)
from dashboard.cache import analyse, is_precomputed, load_pipeline, load_seeds
from dashboard.links import link_message
from dashboard.render import md_escape


def article_page() -> None:
    """The Article page (``dashboard/app.py`` has set the page up). The models start loading
    in the background once the page is drawn, if nothing has needed them before: a later
    choice (another article, the removed lines analysed) finds them ready."""
    try:
        _page()
    finally:
        warmup.MODELS.start(delay=warmup.AFTER_FIRST_VIEW)


def _page() -> None:
    seeds = load_seeds()
    state.start_run(seeds, history_navigation=history.is_history_navigation())
    include_removed = st.session_state[state.INCLUDE_REMOVED]
    errors: list[str] = []
    loaded = state.load_current(seeds)
    if loaded is not None and not is_precomputed(loaded[0], include_removed):
        load_pipeline()
    analysis = None
    if loaded is not None:
        try:
            analysis = analyse(*loaded, include_removed)
        except ArticleError as error:
            errors.append(str(error))
    if analysis is not None:
        # The reader's corrections, on the cached analysis: no model runs again.
        analysis = apply_corrections(analysis, state.corrections())
    if analysis is not None:
        state.check_link(analysis)
    state.settle_article(analysis, failed=bool(errors))
    render_sources(seeds, key=state.SOURCES)
    _render_messages(errors)
    if analysis is None:
        st.info("Add an article in the sidebar to begin.")
        return
    render_options(key=state.OPTIONS)
    state.take_clicks()
    _render_view(analysis)
    render_revisions(loaded[0], key="article_revisions")
    st.query_params.from_dict(to_query(state.current_view()))


def _render_messages(errors: list[str]) -> None:
    """What the link asked for in vain, the article's errors and a message from the last run.
    They can quote what the user gave (a title, a file name, a URL): shown as text, never as
    Markdown."""
    link_note = link_message(state.link_notes())
    if link_note:
        st.warning(md_escape(link_note), icon=":material/link:")
    for message in errors:
        st.error(md_escape(message))
    flash = state.take_flash()
    if flash is not None:
        level, message = flash
        getattr(st, level)(md_escape(message))


def _render_view(analysis) -> None:
    view = state.current_view()
    options = state.word_options()
    render_warnings(analysis)
    render_tone(analysis, model=view.model, band=view.band)
    left, right = st.columns([0.95, 1.05], gap="large")
    with right:
        first, last = render_range(analysis, key=state.RANGE)
        scope = scope_of(analysis, view, first=first, last=last, options=options)
        render_bar(scope, key=state.BAR)
        tabs = render_tabs(key=state.TAB)
    # The article is sent before the charts, so that the browser draws it first.
    with left:
        render_article(analysis, view, scope, paragraph_range=(first, last), key=state.PANEL)
    with right:
        # Only the open tab (and the open expanders) is drawn; a tab or an expander that is
        # opened runs its part then.
        with tabs["words"]:
            if tabs["words"].open:
                render_words(analysis, view, scope, key=state.WORDS)
                render_sentiment(analysis, view, scope, key=state.SENTIMENT)
                render_entities(analysis, scope, key=state.ENTITIES)
        with tabs["sentiment"]:
            if tabs["sentiment"].open:
                render_sentences(analysis, scope, key=state.SENTENCES, model=view.model)
        with tabs["entities"]:
            if tabs["entities"].open:
                render_entity_detail(analysis, view, scope, key=state.STANCE)
        with tabs["quotes"]:
            if tabs["quotes"].open:
                render_quotes(analysis, scope, key=state.QUOTES)
        with tabs["context"]:
            if tabs["context"].open:
                render_context(analysis, scope, options=options, key=state.CONTEXT)
        render_removed(analysis, key=state.REMOVED)
        render_downloads(
            analysis,
            view,
            scope,
            paragraph_range=st.session_state.get(state.RANGE),
            key=state.DOWNLOADS,
        )
