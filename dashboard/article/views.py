"""The Article page's views: one ``render_<thing>(analysis, ..., key=...)`` per view, every
widget key prefixed by the view's ``key`` so that a view can appear twice. What a view shows
comes in as a :class:`~dashboard.article.scope.Scope` and a
:class:`~dashboard.article.link.ViewState`; a click changes the page's selection through
:mod:`dashboard.article.state`.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import streamlit as st

from analysis import ArticleAnalysis, WordOptions
from analysis.core.export import analysis_record, table
from analysis.core.quotes import said_by, speaker_table
from analysis.core.sentiment import DEFAULT_MODEL, LABEL_COLUMN, article_tone
from analysis.core.stance import entity_scores
from analysis.storage.links import link_notice
from analysis.storage.shares import is_valid_key
from dashboard import charts
from dashboard.article import state
from dashboard.article.corrections import render_corrections
from dashboard.article.link import ViewState, to_query
from dashboard.article.scope import Scope, analysed_removed
from dashboard.cache import load_store
from dashboard.labels import MODEL_LABELS, paragraph_name, removed_numbers
from dashboard.panel import PanelClick, render_article_panel, selection_for_click
from dashboard.render import (
    OFFSET_COLUMNS,
    article_html,
    legend_html,
    md_escape,
    page_html,
    table_view,
)
from dashboard.report import report_html
from dashboard.widgets import chart, csv_download, lazy_expander

# -- above the article -------------------------------------------------------------------------


def render_warnings(analysis: ArticleAnalysis) -> None:
    """Notes on the text itself (not English, guessed encoding, very long paragraphs): they
    say how far the figures below can be trusted, so they come first."""
    if analysis.warnings:
        st.warning(
            "\n\n".join(md_escape(warning) for warning in analysis.warnings),
            icon=":material/warning:",
        )


def tone_line(tone, *, model: str) -> str:
    """The article's overall tone in one line of Markdown, the chosen model first."""
    if tone.empty:
        return ""
    rows = sorted(tone.itertuples(index=False), key=lambda row: row.model != model)
    parts = []
    for row in rows:
        name = MODEL_LABELS[row.model]
        sign = "+" if row.mean >= 0 else "−"
        counts = (
            f"{row.positive} positive, {row.neutral} neutral, {row.negative} negative "
            f"of {row.paragraphs} paragraphs"
        )
        text = f"{name} {sign}{abs(row.mean):.2f} on average (spread {row.spread:.2f}; {counts})"
        parts.append(f"**{text}**" if row.model == model else text)
    return "**Overall tone:** " + " · ".join(parts)


def render_tone(analysis: ArticleAnalysis, *, model: str, band: float) -> None:
    """The overall tone line (:func:`tone_line`)."""
    st.markdown(tone_line(article_tone(analysis.paragraphs, band=band), model=model))


def render_range(analysis: ArticleAnalysis, *, key: str) -> tuple[int, int]:
    """The paragraph range slider (widget ``key``; none for an article of one paragraph). It
    takes the link's range (``<key>_wanted``) when its article opens (``<key>_of`` names the
    article it was set for), and keeps the range for the link at ``<key>_shown`` ((0, 0): every
    paragraph).

    Returns:
        the first and last paragraph shown.
    """
    ss = st.session_state
    n = len(analysis.article.paragraphs)
    if ss.get(f"{key}_of") != state.current_article() or key not in ss:
        first, last = ss.pop(f"{key}_wanted", (0, 0))
        if not (1 <= first <= last <= n):
            first, last = 1, n
        ss[key] = (first, last)
        ss[f"{key}_of"] = state.current_article()
    if n < 2:
        ss[f"{key}_shown"] = (0, 0)
        return 1, n
    first, last = st.slider(
        "Paragraphs",
        1,
        n,
        key=key,
        help="Narrows every chart to these paragraphs; the headline counts "
        "when the range starts at paragraph 1.",
    )
    ss[f"{key}_shown"] = (0, 0) if (first, last) == (1, n) else (first, last)
    return first, last


def share_url(view: ViewState) -> str:
    """The address that reopens ``view``: this page's with the view's query string."""
    query = urlencode(to_query(view))
    base = state.app_address()
    return f"{base}?{query}" if query else base or "?"


def share_notice(view: ViewState) -> str:
    """What the share link of ``view`` holds, for the reader (privacy, and how long it
    opens): :func:`analysis.storage.links.link_notice`, or a sample's own sentence."""
    if view.text:
        return link_notice("text", durable=False)
    if is_valid_key(view.article):
        return link_notice("key", durable=load_store().durable)
    return "This link names a sample article that ships with NewsLens: it opens on any server."


def render_bar(scope: Scope, *, key: str) -> None:
    """What is selected, with a Clear button (``<key>_clear``), or how to select; and the
    Share popover with the link to this view and what the link holds (``<key>_notice``)."""
    bar = st.container(horizontal=True, vertical_alignment="center")
    if scope.kind:
        bar.markdown(f"**Selected:** {md_escape(scope.selection_text)}")
        bar.button("Clear selection", key=f"{key}_clear", on_click=state.clear_selection)
    else:
        bar.caption("Click a bar to highlight it in the text.")
    view = state.current_view()
    with bar.popover("Share"):
        st.caption("Copy this link: it reopens this exact view.")
        st.code(share_url(view), language=None, wrap_lines=True)
        problem = state.unshared_reason(view.article)
        if problem:
            st.warning(f"This link cannot reopen the article: {md_escape(problem)}")
        else:
            with st.container(key=f"{key}_notice"):
                st.caption(share_notice(view))


def render_tabs(*, key: str) -> dict:
    """The tabs (widget ``key``, its value the open tab's label), by their name in the link
    (:data:`dashboard.article.state.TAB_LABELS`). Only the open tab is drawn: check
    ``tabs[name].open``.

    Returns:
        name -> tab.
    """
    labels = state.TAB_LABELS
    tabs = st.tabs(list(labels.values()), key=key, on_change="rerun")
    return dict(zip(labels, tabs, strict=True))


def render_article(
    analysis: ArticleAnalysis,
    view: ViewState,
    scope: Scope,
    *,
    paragraph_range: tuple[int, int],
    key: str,
) -> None:
    """The article panel (widget ``key``): the text with the view's marks, its legend, and a
    click in it selecting as a bar click does."""
    markup = article_html(
        analysis,
        model=view.model,
        band=view.band,
        entity_types=view.types,
        hits=scope.hits,
        selected_paragraph=scope.selected_paragraph,
        paragraph_range=paragraph_range,
    )
    present = sorted({row.label for row in analysis.mention_rows} & set(view.types))
    render_article_panel(
        page_html(legend_html(present) + markup),
        key=key,
        on_select=lambda click: _select_from_panel(analysis, click),
    )


def _select_from_panel(analysis: ArticleAnalysis, click: PanelClick) -> None:
    """A click in the article selects as a bar click does: a name its entity, a paragraph
    number its paragraph, a word the term it counts as (its lemma when lemmas are counted);
    clicking what is selected deselects it."""
    lemmas = state.option("lemma")
    state.toggle_selection(selection_for_click(click, analysis.tokens, lemmas=lemmas))


# -- tables and charts -------------------------------------------------------------------------


def show_table(
    analysis: ArticleAnalysis, frame, *, key: str, csv_name: str, columns=None, column_config=None
) -> None:
    """A table as a reader sees it (:func:`dashboard.render.table_view`: paragraphs numbered
    as in the text, numbers first, running text last), widget ``key``, and its CSV download
    ``<key>_csv``, which keeps every column. Character offsets are shown only when the toggle
    ``<key>_offsets`` asks for them."""
    removed = removed_numbers(analysis.article)
    offsets = False
    if any(name in frame for name in OFFSET_COLUMNS):
        offsets = st.toggle(
            "Show character offsets",
            key=f"{key}_offsets",
            help="Where each row starts and ends in its paragraph's text, "
            "counted in characters from 0.",
        )
    st.dataframe(
        table_view(frame, removed=removed, offsets=offsets, columns=columns),
        hide_index=True,
        key=key,
        column_config=column_config,
    )
    csv_download(table_view(frame, removed=removed, offsets=True), csv_name, key=f"{key}_csv")


def render_chart_and_table(
    analysis: ArticleAnalysis, figure, *, key: str, label: str, frame, csv_name: str, note: str = ""
) -> None:
    """A clickable chart (widget ``<key>_chart``, its key changing with every click:
    :func:`dashboard.article.state.chart_key`) in a container with a stable key,
    ``<key>_chart_box``, and below it its table with a CSV download in an expander
    (``<key>_table_open``), built (``frame()``) only while the expander is open."""
    chart(figure, state.chart_key(f"{key}_chart"), download=False, box=f"{key}_chart_box")
    if note:
        st.caption(note)
    with (section := lazy_expander(label, f"{key}_table_open", memory=state.EXPANDED)):
        if section.open:
            show_table(analysis, frame(), key=f"{key}_table", csv_name=csv_name)


def table_from(analysis: ArticleAnalysis, name: str, rows) -> object:
    """One of the export tables, narrowed to the paragraphs in ``rows``."""
    frame = table(analysis, name)
    return frame[frame["paragraph"].isin(rows["paragraph"])]


def _hidden_once_note(hidden: int) -> str:
    if not hidden:
        return ""
    return (
        f"{hidden} term{'s' if hidden != 1 else ''} seen only once "
        f"{'are' if hidden != 1 else 'is'} hidden (Words: Hide terms seen once)."
    )


def render_words(analysis: ArticleAnalysis, view: ViewState, scope: Scope, *, key: str) -> None:
    """The most frequent words, clickable, and their table."""
    render_chart_and_table(
        analysis,
        charts.words_figure(
            scope.words, top=view.top, selected=scope.value if scope.kind == "word" else ""
        ),
        key=key,
        label="Words table",
        frame=lambda: scope.words,
        csv_name="words",
        note=_hidden_once_note(scope.hidden_once),
    )


def render_sentiment(analysis: ArticleAnalysis, view: ViewState, scope: Scope, *, key: str) -> None:
    """Sentiment per paragraph, clickable, and its table."""
    render_chart_and_table(
        analysis,
        charts.sentiment_figure(
            scope.paragraphs,
            model=view.model,
            band=view.band,
            selected=scope.selected_paragraph,
        ),
        key=key,
        label="Sentiment table",
        frame=lambda: table_from(analysis, "paragraphs", scope.paragraphs),
        csv_name="paragraphs",
    )


def render_entities(analysis: ArticleAnalysis, scope: Scope, *, key: str) -> None:
    """The most mentioned entities, clickable, and their table."""
    render_chart_and_table(
        analysis,
        charts.entities_figure(
            scope.entities, selected=scope.value if scope.kind == "entity" else ""
        ),
        key=key,
        label="Entities table",
        frame=lambda: scope.entities,
        csv_name="entities",
    )
    with st.expander("Correct the names"):
        render_corrections(analysis, selected=_selected_entity(scope), key=f"{key}_correct")


def _selected_entity(scope: Scope) -> str:
    return scope.value if scope.kind == "entity" else ""


# -- the tabs besides Charts -------------------------------------------------------------------


def render_sentences(
    analysis: ArticleAnalysis, scope: Scope, *, key: str, model: str = DEFAULT_MODEL
) -> None:
    """The sentences of the selected paragraph (else of the range), scored (``<key>_table``),
    labelled by the chosen ``model``."""
    sentences = analysis.sentences
    selected = scope.selected_paragraph
    if selected is not None:
        removed = analysed_removed(analysis)
        st.markdown(f"**Sentences of {paragraph_name(selected, removed=removed)}**")
        sentences = sentences[sentences["paragraph"] == selected]
    else:
        st.caption("Click a paragraph's bar in the sentiment chart to see its sentences.")
        sentences = sentences[sentences["paragraph"].isin(scope.wanted)]
    frame = table(analysis, "sentences")
    frame = frame[frame.index.isin(sentences.index)]
    show_table(
        analysis,
        frame,
        key=f"{key}_table",
        csv_name="sentences",
        columns=[
            "paragraph",
            "sentence",
            "polarity",
            "subjectivity",
            "vader",
            LABEL_COLUMN[model],
            "text",
            "assessments" if model == "textblob" else "vader_assessments",
        ],
        column_config={
            LABEL_COLUMN[model]: st.column_config.TextColumn(f"label ({MODEL_LABELS[model]})")
        },
    )


def render_entity_detail(
    analysis: ArticleAnalysis, view: ViewState, scope: Scope, *, key: str
) -> None:
    """Sentiment toward each entity (a clickable chart, ``<key>_chart``, and its table), the
    sentences that mention the selected one (``<key>_sentences``), the entities by type
    (``<key>_types_chart``) and every mention in range (``<key>_mentions``)."""
    selected = scope.value if scope.kind == "entity" else ""
    scored = analysis.entity_sentences
    scored = scored[
        scored["paragraph"].isin(scope.paragraphs["paragraph"])
        & scored["entity"].isin(scope.entities["entity"])
    ]
    scores = entity_scores(scored, model=view.model, band=view.band)
    render_chart_and_table(
        analysis,
        charts.entity_sentiment_figure(scores, model=view.model, band=view.band, selected=selected),
        key=key,
        label="Sentiment toward each entity: table",
        frame=lambda: scores,
        csv_name="entity-sentiment",
    )
    st.caption(
        "An entity's score is the mean over the sentences that mention it, each scored "
        "with the names in it masked (a name is not an opinion). Click a dot to see its "
        "mentions."
    )
    with st.expander("Correct the names", expanded=True):
        render_corrections(analysis, selected=selected, key=f"{key}_correct")
    if selected:
        own = table(analysis, "entity-sentences")
        own = own[(own["entity"] == selected) & own.index.isin(scored.index)]
        st.markdown(f"**Sentences that mention {md_escape(selected)}**")
        show_table(
            analysis,
            own,
            key=f"{key}_sentences",
            csv_name="entity-sentences",
            columns=[
                "paragraph",
                "sentence",
                "mentions",
                "polarity",
                "vader",
                "text",
                "vader_assessments",
                "assessments",
            ],
        )
    st.plotly_chart(
        charts.entity_types_figure(scope.entities),
        key=f"{key}_types_chart",
        config={"displaylogo": False},
    )
    shown = scope.in_range[scope.in_range["label"].isin(view.types)]
    show_table(
        analysis,
        shown,
        key=f"{key}_mentions",
        csv_name="mentions",
        columns=["paragraph", "counted", "label", "entity", "text"],
    )


def render_quotes(analysis: ArticleAnalysis, scope: Scope, *, key: str) -> None:
    """Who is quoted (a clickable chart, ``<key>_chart``, and its table) and the quotations
    in range (``<key>_list``), of the selected speaker if any."""
    selected = scope.value if scope.kind == "speaker" else ""
    quotes = analysis.quotes[analysis.quotes["paragraph"].isin(scope.paragraphs["paragraph"])]
    speakers = speaker_table(quotes)
    render_chart_and_table(
        analysis,
        charts.speakers_figure(speakers, selected=selected),
        key=key,
        label="Who is quoted: table",
        frame=lambda: speakers,
        csv_name="speakers",
    )
    unattributed = int(quotes["speaker"].isna().sum())
    st.caption(
        f"{len(quotes)} direct quotation(s), {unattributed} without a speaker found. "
        "Click a bar to highlight that speaker's words in the text."
    )
    shown = quotes
    if selected:
        shown = quotes[said_by(quotes) == selected]
    show_table(
        analysis,
        shown,
        key=f"{key}_list",
        csv_name="quotes",
        columns=["paragraph", "words", "speaker", "entity", "quote"],
    )


def render_context(
    analysis: ArticleAnalysis, scope: Scope, *, options: WordOptions, key: str
) -> None:
    """Every occurrence of the selected word or entity in context (``<key>_table``)."""
    kind, value = scope.kind, scope.value
    if kind == "word":
        frame = analysis.term_context(value, options=options)
        st.markdown(f"**“{md_escape(value)}”** — {len(frame)} occurrence(s)")
    elif kind == "entity":
        frame = analysis.entity_context(value)
        st.markdown(f"**{md_escape(value)}** — {len(frame)} mention(s)")
    else:
        st.caption("Select a word or an entity (click its bar) to see every occurrence in context.")
        return
    if frame.empty:
        st.caption(
            "It does not occur with the current options (stop words, lemmas, words per "
            "term, removed lines). Clear the selection or change the options."
        )
        return
    show_table(
        analysis,
        frame,
        key=f"{key}_table",
        csv_name="context",
        columns=["paragraph", "left", "match", "right"],
        column_config={
            "paragraph": st.column_config.TextColumn("¶", width=40),
            "left": st.column_config.TextColumn(width="medium", alignment="right"),
            "match": st.column_config.TextColumn(width="small", alignment="center"),
            "right": st.column_config.TextColumn(width="medium"),
        },
    )


# -- below the tabs ----------------------------------------------------------------------------


def render_removed(analysis: ArticleAnalysis, *, key: str) -> None:
    """What the cleaner removed (``<key>_open``; the table ``<key>_table`` drawn only while
    open) and the switch that analyses it too (``<key>_include``, drawn always: it is part of
    the view's state)."""
    removed = analysis.article.removed
    label = f"What was removed ({len(removed)} line{'s' if len(removed) != 1 else ''})"
    with (section := lazy_expander(label, f"{key}_open", memory=state.EXPANDED)):
        if not removed:
            st.caption("The cleaner removed nothing from this article.")
        elif section.open:
            removed_rows = table(analysis, "removed")
            removed_rows.insert(0, "paragraph", removed_numbers(analysis.article))
            show_table(analysis, removed_rows, key=f"{key}_table", csv_name="removed")
        st.toggle(
            "Analyse the removed lines too",
            key=f"{key}_include",
            help="They are added after the body as paragraphs R…",
        )


def render_downloads(
    analysis: ArticleAnalysis,
    view: ViewState,
    scope: Scope,
    *,
    paragraph_range: tuple[int, int] | None,
    key: str,
) -> None:
    """The full analysis as JSON (``<key>_json``) and a report that opens offline
    (``<key>_report``), in a group drawn only while open (``<key>_open``). Each file is
    built when its button is clicked, not on every run: the report alone inlines Plotly."""

    def analysis_json() -> str:
        record = analysis_record(analysis, id=view.article, sentences=True)
        return json.dumps(record, ensure_ascii=False, indent=2)

    def report() -> str:
        selected_word = scope.value if scope.kind == "word" else ""
        selected_entity = scope.value if scope.kind == "entity" else ""
        figures = [
            charts.words_figure(scope.words, top=view.top, selected=selected_word),
            charts.sentiment_figure(
                scope.paragraphs,
                model=view.model,
                band=view.band,
                selected=scope.selected_paragraph,
            ),
            charts.entities_figure(scope.entities, selected=selected_entity),
        ]
        return report_html(
            analysis,
            figures,
            entity_types=list(view.types),
            model=view.model,
            band=view.band,
            paragraph_range=paragraph_range,
            hits=scope.hits,
            selected_paragraph=scope.selected_paragraph,
            selection=scope.selection_text,
        )

    with (section := lazy_expander("Downloads", f"{key}_open", memory=state.EXPANDED)):
        if not section.open:
            return
        st.download_button(
            "Full analysis (JSON)",
            analysis_json,
            file_name="newslens-analysis.json",
            mime="application/json",
            key=f"{key}_json",
        )
        st.download_button(
            "Report (HTML, opens offline)",
            report,
            file_name="newslens-report.html",
            mime="text/html",
            key=f"{key}_report",
        )
