"""The Article page: one article beside linked, filterable charts.

Layout and wiring only: the numbers come from ``analysis`` (through ``dashboard.cache``), the
figures from ``dashboard.charts`` and the article markup from ``dashboard.render``. The app's
entry point, ``dashboard/app.py``, sets the page up and runs this page, the Corpus page or
the Compare page.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

import streamlit as st

from analysis import ArticleAnalysis, ArticleError, WordOptions, parse_stop_words
from analysis.core.article import parse_article
from analysis.core.export import analysis_record, table
from analysis.core.quotes import said_by, speaker_table
from analysis.core.sentiment import article_tone
from analysis.core.stance import entity_scores
from analysis.sources.fetch import fetch_url
from analysis.storage.shares import is_valid_key
from dashboard import charts, history, warmup
from dashboard.cache import (
    AnalysisJob,
    analyse,
    is_precomputed,
    load_pipeline,
    load_seeds,
    load_store,
)
from dashboard.panel import PanelClick, render_article_panel, selection_for_click
from dashboard.render import (
    MODEL_LABELS,
    OFFSET_COLUMNS,
    article_html,
    legend_html,
    page_html,
    table_view,
    type_name,
)
from dashboard.render import (
    md_escape as _md_escape,
)
from dashboard.report import report_html
from dashboard.settings import app_settings
from dashboard.state import (
    BAND_MAX,
    BAND_MIN,
    BAND_STEP,
    ENTITY_TYPES,
    MODELS,
    ViewState,
    from_query,
    link_message,
    parse_selection,
    to_query,
)

LOG = logging.getLogger("newslens")
TAB_LABELS = {
    "words": "Charts",
    "sentiment": "Sentiment detail",
    "entities": "Entities detail",
    "quotes": "Quotes",
    "context": "Context",
}
LABEL_TABS = {label: tab for tab, label in TAB_LABELS.items()}
CHART_KEYS = ("words_chart", "sentiment_chart", "entities_chart", "stance_chart", "speakers_chart")


# --------------------------------------------------------------------------------------------
# State: the URL is read once per session into widget state, and written after every run.


def _init_state(seeds) -> None:
    ss = st.session_state
    ss.nl_ready = True
    ss.setdefault("nl_custom", {})  # key -> title of pasted, uploaded, fetched or shared articles
    ss.setdefault("nl_generation", {})  # chart -> clicks it has had (its widget key suffix)
    _apply_link(seeds)


def _apply_link(seeds) -> None:
    """Make the URL's view the current one: on the first run of a session, and when the
    browser's Back or Forward brings back an earlier view. What the link asks for that is
    invalid is collected in ``nl_link_notes`` (the link's selection and range are checked
    once the article is analysed, ``nl_link_check``)."""
    state, notes = from_query(st.query_params.to_dict())
    ss = st.session_state
    ss.nl_link_notes = notes
    ss.nl_link_check = True
    ss.nl_selection = state.sel
    ss.nl_selection_article = None  # set once the linked article is known to open
    slugs = {seed.slug for seed in seeds}
    choice = state.article or (seeds[0].slug if seeds else "")
    if state.article and state.article not in slugs:
        if is_valid_key(state.article):
            ss.nl_custom.setdefault(state.article, "Shared article")
        else:
            _drop_linked_article(notes, state)
            choice = seeds[0].slug if seeds else ""
    ss.article_choice = choice
    ss.view_tab = TAB_LABELS[state.tab]
    ss.words_top = state.top
    ss.words_stop = state.stop
    ss.words_extra = state.xstop
    ss.words_lemma = state.lemma
    ss.words_ngram = state.ngram
    ss.words_minlen = state.minlen
    ss.nl_hideonce = state.hideonce
    ss.sentiment_model = state.model
    ss.sentiment_band = state.band
    ss.entities_types = list(state.types)
    ss.entities_mincount = state.mincount
    ss.removed_include = state.removed
    ss.nl_range_wanted = (state.first, state.last)
    ss.nl_range_article = None  # the range slider takes the link's range on this run


def _drop_linked_article(notes: list[str], state: ViewState | None = None) -> None:
    """The link's article cannot open: say so, and drop what belongs to it (a selection or a
    paragraph range means nothing in another article)."""
    ss = st.session_state
    dropped = []
    if state.sel if state else ss.nl_selection:
        dropped.append("selection")
    if (state.first or state.last) if state else ss.get("nl_range_wanted", (0, 0)) != (0, 0):
        dropped.append("paragraph range")
    article = ss.get("article_choice", "") if state is None else state.article
    reason = (
        "it is not stored on this server (it may come from another NewsLens server)"
        if is_valid_key(article)
        else "it names no sample article and no stored one"
    )
    text = f"this link's article cannot be opened: {reason}; the sample article is shown"
    if dropped:
        text += f" without the link's {' and '.join(dropped)}"
    notes.insert(0, text)
    ss.nl_selection = ""
    ss.nl_range_wanted = (0, 0)
    ss.nl_link_check = False


def _check_link(analysis: ArticleAnalysis) -> None:
    """Drop the link's selection and paragraph range when they do not fit its article, with a
    note each; called once, on the run that applied the link."""
    ss = st.session_state
    n = len(analysis.article.paragraphs)
    first, last = ss.get("nl_range_wanted", (0, 0))
    if (first, last) != (0, 0) and not 1 <= first <= last <= n:
        ss.nl_link_notes.append(
            f"the paragraph range {first} to {last} does not fit this article, which has {n} "
            f"paragraph{'s' if n != 1 else ''}; all paragraphs are shown"
        )
        ss.nl_range_wanted = (0, 0)
    kind, value = parse_selection(ss.nl_selection)
    problem = ""
    if kind == "word" and analysis.term_context(value, options=_word_options()).empty:
        problem = f"the selected word “{value}” does not occur in this article"
        if ss.words_stop or ss.words_extra.strip() or ss.words_lemma:
            problem += " as counted with the link's word options"
    elif kind == "entity" and not (analysis.mentions["entity"] == value).any():
        problem = f"the selected entity “{value}” does not occur in this article"
    elif kind == "speaker":
        if value not in set(said_by(analysis.quotes)):
            problem = f"“{value}” is not quoted in this article"
    elif kind == "paragraph":
        number = int(value)
        removed = _removed_numbers(analysis)
        if number in removed and not ss.removed_include:
            problem = (
                f"the selected removed line R{number} is not analysed unless “removed” is "
                "1 (analyse the removed lines too)"
            )
        elif number > n and number not in removed:
            problem = f"the selected paragraph {number} does not exist: this article has {n}"
    if problem:
        ss.nl_link_notes.append(problem)
        ss.nl_selection = ""


def _current_view() -> ViewState:
    ss = st.session_state
    first, last = ss.get("nl_range", (0, 0))
    return ViewState(
        article=ss.article_choice,
        tab=LABEL_TABS.get(ss.get("view_tab", ""), "words"),
        top=ss.words_top,
        stop=ss.words_stop,
        xstop=ss.words_extra.strip(),
        lemma=ss.words_lemma,
        ngram=ss.words_ngram,
        hideonce=ss.nl_hideonce,
        minlen=ss.words_minlen,
        model=ss.sentiment_model,
        band=ss.sentiment_band,
        types=tuple(t for t in ENTITY_TYPES if t in ss.entities_types),
        mincount=ss.entities_mincount,
        first=first,
        last=last,
        sel=ss.nl_selection,
        removed=ss.removed_include,
    )


def _share_url(view: ViewState) -> str:
    query = urlencode(to_query(view))
    try:
        base = (st.context.url or "").split("?")[0]
    except AttributeError:  # older Streamlit: no st.context.url
        base = ""
    return f"{base}?{query}" if query else base or "?"


# --------------------------------------------------------------------------------------------
# Choosing an article


def _set_article(raw: bytes, source: str, *, kind: str) -> None:
    """Analyse new article bytes, step by step in a status box; on success store them, list
    them and make them current. On a user error show it and keep the previous article."""
    with st.status(f"{kind}: reading…", expanded=True) as status:
        try:
            st.write("Reading and cleaning the text…")
            article = parse_article(raw, source=source, max_chars=app_settings().max_chars)
            words = sum(len(text.split()) for text in article.paragraphs)
            st.write(
                f"Language analysis of {len(article.paragraphs):,} paragraphs "
                f"({words:,} words): words, names, quotations, sentiment…"
            )
            bar = st.progress(0.0)
            analysis = AnalysisJob(raw, source, False).wait(
                lambda fraction: bar.progress(fraction, text=f"{fraction:.0%}")
            )
        except ArticleError as error:
            status.update(label=f"{kind}: not analysed", state="error")
            st.session_state.nl_flash = ("error", f"{kind}: {error}")
            return
        title = analysis.article.title or (analysis.article.paragraphs[0][:60] + "…")
        st.write("Storing it, so that the link reopens it…")
        try:
            key = load_store().put(raw, source=source)
        except ArticleError as error:
            status.update(label=f"{kind}: analysed, but it has no link", state="error")
            st.session_state.nl_flash = ("warning", str(error))
            return
        status.update(label=f"{kind}: done", state="complete", expanded=False)
    st.session_state.nl_custom[key] = title
    st.session_state.nl_pending = key
    st.session_state.nl_flash = ("success", f"{kind} analysed: “{title}”.")


def _sidebar_sources(seeds) -> None:
    sidebar = st.sidebar
    sidebar.title("NewsLens")
    options = [seed.slug for seed in seeds] + list(st.session_state.nl_custom)
    titles = {seed.slug: seed.title for seed in seeds} | st.session_state.nl_custom
    if st.session_state.article_choice not in options:
        options.append(st.session_state.article_choice)
    sidebar.selectbox(
        "Article", options, key="article_choice", format_func=lambda key: titles.get(key, key)
    )
    # Drawn only while open (most readers never open it): fewer elements on the first view.
    ss = st.session_state
    # Streamlit forgets a widget's value after a run that does not draw it; re-assigning it
    # as session state keeps what the reader typed while the section is closed.
    for field in ("source_paste", "source_url"):
        if field in ss:
            ss[field] = ss[field]
    with sidebar:
        section = _lazy_expander("Add an article", "source_open")
    with section:
        if not section.open:
            return
        upload = st.file_uploader(
            "Upload a .txt, .md or .html file",
            type=["txt", "md", "html", "htm"],
            key="source_upload",
        )
        if upload is not None and st.session_state.get("nl_upload_done") != upload.file_id:
            st.session_state.nl_upload_done = upload.file_id
            _set_article(upload.getvalue(), upload.name, kind=f"Upload “{upload.name}”")
            st.rerun()
        st.text_area(
            "…or paste the text",
            key="source_paste",
            height=290,
            placeholder="Headline\n\nBy Author\n\nFirst paragraph…",
        )
        if st.button("Analyse pasted text", key="source_paste_go"):
            text = st.session_state.source_paste
            _set_article(text.encode("utf-8"), "pasted text", kind="Pasted text")
            st.rerun()
        st.text_input(
            "…or fetch a web page",
            key="source_url",
            placeholder="example.com/story",
            help="Its address, with or without https://.",
        )
        if st.button("Fetch and analyse", key="source_url_go"):
            url = st.session_state.source_url.strip()
            with st.spinner(f"Fetching {url[:60]}…"):
                try:
                    page = fetch_url(url, allow_private=app_settings().allow_private_urls)
                except ArticleError as error:
                    page = None
                    st.session_state.nl_flash = ("error", f"Could not fetch the page: {error}")
            if page is not None:
                _set_article(page.body, page.url, kind="Web page")
            st.rerun()


#: The sidebar's option groups: label, the key of its open state, and the state keys of its
#: widgets with the share link's names for them (whose defaults are ``ViewState``'s). Each is
#: drawn only while open: fewer elements and scripts on the first view.
OPTION_GROUPS = (
    (
        "Words",
        "options_words",
        {
            "words_top": "top",
            "words_stop": "stop",
            "words_extra": "xstop",
            "words_lemma": "lemma",
            "words_ngram": "ngram",
            "words_minlen": "minlen",
            "nl_hideonce": "hideonce",
        },
    ),
    ("Sentiment", "options_sentiment", {"sentiment_model": "model", "sentiment_band": "band"}),
    ("Entities", "options_entities", {"entities_types": "types", "entities_mincount": "mincount"}),
)
_DEFAULT_VIEW = ViewState()


def changed_options(fields: dict[str, str]) -> int:
    """How many of the options ``fields`` (state key -> link name) differ from the defaults."""
    ss = st.session_state
    return sum(
        (tuple(ss[key]) if isinstance(ss[key], list) else ss[key]) != getattr(_DEFAULT_VIEW, name)
        for key, name in fields.items()
    )


def _sidebar_options() -> None:
    ss = st.session_state
    draw = {
        "options_words": _words_options,
        "options_sentiment": _sentiment_options,
        "options_entities": _entities_options,
    }
    for label, key, fields in OPTION_GROUPS:
        # Streamlit forgets a widget's value after a run that does not draw it; re-assigning
        # it as session state keeps the option while its group is closed.
        for field in fields:
            ss[field] = ss[field]
        changed = changed_options(fields)
        with st.sidebar:
            section = _lazy_expander(f"{label} · {changed} changed" if changed else label, key)
        with section:
            if section.open:
                draw[key]()


def _words_options() -> None:
    st.slider("Top terms", 3, 50, key="words_top")
    st.toggle("Remove stop words", key="words_stop")
    st.text_input(
        "Extra stop words",
        key="words_extra",
        placeholder="said, also",
        help="Comma or space separated; case does not matter.",
    )
    st.toggle("Count lemmas (visits → visit)", key="words_lemma")
    st.segmented_control(
        "Words per term",
        [1, 2, 3],
        key="words_ngram",
        required=True,
        format_func=lambda n: {1: "1 word", 2: "2", 3: "3"}[n],
    )
    ss = st.session_state
    # Unless the reader chose, terms seen once are hidden for 2- and 3-word terms: most
    # n-grams occur once, and a long tail of 1s hides the repeated phrases.
    ss.words_hideonce = ss.words_ngram >= 2 if ss.nl_hideonce is None else ss.nl_hideonce
    st.toggle(
        "Hide terms seen once",
        key="words_hideonce",
        on_change=_hideonce_changed,
        help="On by default for 2- and 3-word terms.",
    )
    st.number_input("Minimum word length", 1, 20, key="words_minlen")


def _sentiment_options() -> None:
    st.segmented_control(
        "Model",
        list(MODELS),
        key="sentiment_model",
        required=True,
        format_func=MODEL_LABELS.get,
        help="VADER (the default) is built for short, informal and news "
        "text and handles negation; TextBlob averages the adjectives it "
        "knows.",
    )
    st.slider(
        "Neutral band ±",
        BAND_MIN,
        BAND_MAX,
        step=BAND_STEP,
        key="sentiment_band",
        format="%.2f",
        help="Scores closer to zero than this are neutral.",
    )
    band = st.session_state.sentiment_band
    st.caption(
        f"Labels: positive at +{band:.2f} or more, negative at −{band:.2f} or less. "
        "≠ marks a paragraph the two models label differently."
    )


def _entities_options() -> None:
    st.multiselect(
        "Entity types",
        list(ENTITY_TYPES),
        key="entities_types",
        format_func=type_name,
        help="Numbers, dates and amounts are left out unless chosen here.",
    )
    st.number_input("Minimum mentions", 1, 1000, key="entities_mincount")


def _hideonce_changed() -> None:
    """The reader's choice is kept (and goes into the link) only where it differs from the
    default for the words per term, so that the default follows a later change of n."""
    ss = st.session_state
    chosen = bool(ss.words_hideonce)
    ss.nl_hideonce = None if chosen == (ss.words_ngram >= 2) else chosen


# --------------------------------------------------------------------------------------------
# Selection: a click on a bar selects a word, an entity or a paragraph.


def _points(key: str) -> list[dict]:
    event = st.session_state.get(key)
    if not event:
        return []
    try:
        return list(event["selection"]["points"])
    except (KeyError, TypeError):
        return []


def _selection_from(chart: str, point: dict) -> str:
    data = point.get("customdata")
    if chart == "sentiment_chart":
        value = data[0] if isinstance(data, (list, tuple)) and data else point.get("x")
        # The x labels: "H" for the headline, "R9" for a removed line, "3" for paragraph 3.
        value = "0" if value == "H" else str(value).removeprefix("R")
        return f"p:{int(value)}" if value.isdigit() else ""
    if isinstance(data, (list, tuple)):
        data = data[0] if data else None
    value = data if data is not None else point.get("y")
    prefix = {"words_chart": "w:", "speakers_chart": "q:"}.get(chart, "e:")
    return prefix + str(value) if value is not None else ""


def _update_selection() -> None:
    """A click on a bar selects its word, entity or paragraph; a click on what is already
    selected deselects it.

    A click is consumed once: the chart then gets a new key, so that its widget starts with no
    selection. (Keeping Plotly's own selection would not work: Streamlit resets it whenever
    the figure changes, for instance when an option redraws the chart, and the emptied
    selection it then reports is not the user's doing.)"""
    ss = st.session_state
    for chart in CHART_KEYS:
        points = _points(_chart_key(chart))
        if not points:
            continue
        chosen = _selection_from(chart, points[0])
        ss.nl_selection = "" if chosen == ss.nl_selection else chosen
        ss.nl_generation[chart] = ss.nl_generation.get(chart, 0) + 1


def _chart_key(chart: str) -> str:
    generation = st.session_state.nl_generation.get(chart, 0)
    return chart if generation == 0 else f"{chart}_{generation}"


def _clear_selection() -> None:
    st.session_state.nl_selection = ""


# --------------------------------------------------------------------------------------------
# The view


def _word_options() -> WordOptions:
    ss = st.session_state
    return WordOptions(
        stop_words=ss.words_stop,
        extra_stop_words=parse_stop_words(ss.words_extra),
        lemmas=ss.words_lemma,
        min_length=ss.words_minlen,
        ngram=ss.words_ngram,
    )


def _download_csv(frame, name: str, key: str) -> None:
    st.download_button(
        f"Download {name} (CSV)",
        lambda: frame.to_csv(index=False).encode("utf-8"),
        file_name=f"newslens-{name}.csv",
        mime="text/csv",
        key=key,
    )


def _show_table(
    analysis: ArticleAnalysis, frame, *, key: str, csv_name: str, columns=None, column_config=None
) -> None:
    """A table as a reader sees it (:func:`dashboard.render.table_view`: paragraphs numbered
    as in the text, numbers first, running text last), widget ``key``, and its CSV download
    ``<key>_csv``, which keeps every column. Character offsets are shown only when the toggle
    ``<key>_offsets`` asks for them."""
    removed = _all_removed_numbers(analysis)
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
    _download_csv(table_view(frame, removed=removed, offsets=True), csv_name, f"{key}_csv")


def _all_removed_numbers(analysis: ArticleAnalysis) -> list[int]:
    """The numbers the removed lines have as paragraphs (R9, R10, ...), whether or not they
    are analysed."""
    start = len(analysis.article.paragraphs) + 1
    return list(range(start, start + len(analysis.article.removed)))


def _range_slider(analysis: ArticleAnalysis) -> tuple[int, int]:
    ss = st.session_state
    n = len(analysis.article.paragraphs)
    if ss.get("nl_range_article") != ss.article_choice or "view_range" not in ss:
        first, last = ss.pop("nl_range_wanted", (0, 0))
        if not (1 <= first <= last <= n):
            first, last = 1, n
        ss.view_range = (first, last)
        ss.nl_range_article = ss.article_choice
    if n < 2:
        ss.nl_range = (0, 0)
        return 1, n
    first, last = st.slider(
        "Paragraphs",
        1,
        n,
        key="view_range",
        help="Narrows every chart to these paragraphs; the headline counts "
        "when the range starts at paragraph 1.",
    )
    ss.nl_range = (0, 0) if (first, last) == (1, n) else (first, last)
    return first, last


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


def _select_from_panel(analysis: ArticleAnalysis, click: PanelClick) -> None:
    """A click in the article selects as a bar click does: a name its entity, a paragraph
    number its paragraph, a word the term it counts as (its lemma when lemmas are counted);
    clicking what is selected deselects it."""
    ss = st.session_state
    chosen = selection_for_click(click, analysis.tokens, lemmas=ss.words_lemma)
    ss.nl_selection = "" if chosen == ss.nl_selection else chosen


def _render(analysis: ArticleAnalysis) -> None:
    ss = st.session_state
    # Notes on the text itself (not English, guessed encoding, very long paragraphs) come
    # first: they say how far the figures below can be trusted.
    if analysis.warnings:
        st.warning(
            "\n\n".join(_md_escape(warning) for warning in analysis.warnings),
            icon=":material/warning:",
        )
    st.markdown(
        tone_line(
            article_tone(analysis.paragraphs, band=ss.sentiment_band), model=ss.sentiment_model
        )
    )
    left, right = st.columns([0.95, 1.05], gap="large")

    with right:
        first, last = _range_slider(analysis)
        wanted = ([0] if first == 1 else []) + list(range(first, last + 1))
        if ss.removed_include:  # counted as they are highlighted
            wanted += _removed_numbers(analysis)
        options = _word_options()
        words = analysis.word_counts(options=options, paragraphs=wanted)
        if _current_view().hides_once:
            ss.nl_hidden_once = int((words["count"] < 2).sum())
            words = words[words["count"] >= 2]
        else:
            ss.nl_hidden_once = 0
        kind, value = parse_selection(ss.nl_selection)
        bar = st.container(horizontal=True, vertical_alignment="center")
        if kind:
            shown = {
                "word": f"word “{value}”",
                "entity": f"entity “{value}”",
                "speaker": f"quotations of “{value}”",
                "paragraph": _paragraph_name(analysis, value),
            }[kind]
            bar.markdown(f"**Selected:** {_md_escape(shown)}")
            bar.button("Clear selection", key="view_clear", on_click=_clear_selection)
        else:
            bar.caption("Click a bar to highlight it in the text.")
        with bar.popover("Share"):
            st.caption("Copy this link: it reopens this exact view.")
            st.code(_share_url(_current_view()), language=None, wrap_lines=True)

        paragraphs = analysis.paragraphs
        paragraphs = (
            paragraphs[paragraphs["kind"] != "removed"] if not ss.removed_include else paragraphs
        )
        paragraphs = paragraphs[paragraphs["paragraph"].isin(wanted + _removed_numbers(analysis))]
        mentions = analysis.mentions
        in_range = mentions[mentions["paragraph"].isin(wanted + _removed_numbers(analysis))]
        entities = analysis.entity_counts(
            paragraphs=sorted(set(in_range["paragraph"])), types=ss.entities_types
        )
        entities = entities[entities["count"] >= ss.entities_mincount]
        selected_paragraph = int(value) if kind == "paragraph" and value.isdigit() else None

        tab_labels = list(TAB_LABELS.values())
        tabs = st.tabs(tab_labels, key="view_tab", on_change="rerun")

    # The article is sent before the charts, so that the browser draws it first.
    hits = _hits(analysis, kind, value, options)
    with left:
        types = list(ss.entities_types)
        markup = article_html(
            analysis,
            model=ss.sentiment_model,
            band=ss.sentiment_band,
            entity_types=types,
            hits=hits,
            selected_paragraph=selected_paragraph,
            paragraph_range=(first, last),
        )
        present = sorted({row.label for row in analysis.mention_rows} & set(types))
        render_article_panel(
            page_html(legend_html(present) + markup),
            key="article_panel",
            on_select=lambda click: _select_from_panel(analysis, click),
        )

    with right:
        # Only the open tab (and the open expanders) is drawn: the page had every chart and
        # table mounted, most of them hidden (now a quarter fewer DOM nodes and no hidden
        # table canvases), and a tab or expander that is opened runs its part then.
        with tabs[0]:
            if tabs[0].open:
                _render_charts(
                    analysis, words, paragraphs, entities, kind, value, selected_paragraph
                )
        with tabs[1]:
            if tabs[1].open:
                _render_sentences(analysis, selected_paragraph, wanted)
        with tabs[2]:
            if tabs[2].open:
                _render_entity_detail(
                    analysis, entities, in_range, paragraphs, value if kind == "entity" else ""
                )
        with tabs[3]:
            if tabs[3].open:
                _render_quotes(analysis, paragraphs, value if kind == "speaker" else "")
        with tabs[4]:
            if tabs[4].open:
                _render_context(analysis, kind, value, options, words, entities)

        _render_removed(analysis)
        _render_downloads(
            analysis,
            words,
            paragraphs,
            entities,
            hits=hits,
            selected=(kind, value),
            selected_paragraph=selected_paragraph,
            selection=shown if kind else "",
        )


def _lazy_expander(label: str, key: str):
    """An expander whose content runs only while it is open (``.open``). Whether it is open
    is also kept outside the widget, so that it survives a run in which its tab is not drawn
    (Streamlit forgets the state of a widget that a run does not draw)."""
    remembered = st.session_state.setdefault("nl_expanded", {})
    section = st.expander(label, expanded=remembered.get(key, False), key=key, on_change="rerun")
    remembered[key] = bool(section.open)
    return section


def _render_charts(analysis, words, paragraphs, entities, kind, value, selected_paragraph) -> None:
    ss = st.session_state
    _chart_and_table(
        analysis,
        "words",
        charts.words_figure(words, top=ss.words_top, selected=value if kind == "word" else ""),
        "Words table",
        lambda: words,
        "words",
        note=_hidden_once_note(),
    )
    _chart_and_table(
        analysis,
        "sentiment",
        charts.sentiment_figure(
            paragraphs,
            model=ss.sentiment_model,
            band=ss.sentiment_band,
            selected=selected_paragraph,
        ),
        "Sentiment table",
        lambda: table_from(analysis, "paragraphs", paragraphs),
        "paragraphs",
    )
    _chart_and_table(
        analysis,
        "entities",
        charts.entities_figure(entities, selected=value if kind == "entity" else ""),
        "Entities table",
        lambda: entities,
        "entities",
    )


def _hidden_once_note() -> str:
    hidden = st.session_state.get("nl_hidden_once", 0)
    if not hidden:
        return ""
    return (
        f"{hidden} term{'s' if hidden != 1 else ''} seen only once "
        f"{'are' if hidden != 1 else 'is'} hidden (Words: Hide terms seen once)."
    )


def _chart_and_table(
    analysis, name: str, figure, label: str, frame, csv_name: str, *, note: str = ""
) -> None:
    """A clickable chart (widget ``<name>_chart``) and, below it, its table with a CSV download
    in an expander, built (``frame()``) only while the expander is open. The chart sits in a
    container with a stable key, ``<name>_chart_box``, a hook for the page: the chart's own key
    changes with every click."""
    with st.container(key=f"{name}_chart_box"):
        st.plotly_chart(
            figure,
            key=_chart_key(f"{name}_chart"),
            on_select="rerun",
            selection_mode="points",
            config={"displaylogo": False},
        )
    if note:
        st.caption(note)
    with (section := _lazy_expander(label, f"{name}_table_open")):
        if section.open:
            _show_table(analysis, frame(), key=f"{name}_table", csv_name=csv_name)


def _render_entity_detail(analysis, entities, in_range, paragraphs, selected: str) -> None:
    ss = st.session_state
    scored = analysis.entity_sentences
    scored = scored[
        scored["paragraph"].isin(paragraphs["paragraph"])
        & scored["entity"].isin(entities["entity"])
    ]
    scores = entity_scores(scored, model=ss.sentiment_model, band=ss.sentiment_band)
    _chart_and_table(
        analysis,
        "stance",
        charts.entity_sentiment_figure(
            scores, model=ss.sentiment_model, band=ss.sentiment_band, selected=selected
        ),
        "Sentiment toward each entity: table",
        lambda: scores,
        "entity-sentiment",
    )
    st.caption(
        "An entity's score is the mean over the sentences that mention it, each scored "
        "with the names in it masked (a name is not an opinion). Click a dot to see its "
        "mentions."
    )
    if selected:
        own = table(analysis, "entity-sentences")
        own = own[(own["entity"] == selected) & own.index.isin(scored.index)]
        st.markdown(f"**Sentences that mention {_md_escape(selected)}**")
        _show_table(
            analysis,
            own,
            key="stance_sentences",
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
        charts.entity_types_figure(entities),
        key="entities_types_chart",
        config={"displaylogo": False},
    )
    shown = in_range[in_range["label"].isin(ss.entities_types)]
    _show_table(
        analysis,
        shown,
        key="entities_mentions",
        csv_name="mentions",
        columns=["paragraph", "counted", "label", "entity", "text"],
    )


def _render_quotes(analysis, paragraphs, selected: str) -> None:
    quotes = analysis.quotes[analysis.quotes["paragraph"].isin(paragraphs["paragraph"])]
    speakers = speaker_table(quotes)
    _chart_and_table(
        analysis,
        "speakers",
        charts.speakers_figure(speakers, selected=selected),
        "Who is quoted: table",
        lambda: speakers,
        "speakers",
    )
    unattributed = int(quotes["speaker"].isna().sum())
    st.caption(
        f"{len(quotes)} direct quotation(s), {unattributed} without a speaker found. "
        "Click a bar to highlight that speaker's words in the text."
    )
    shown = quotes
    if selected:
        shown = quotes[said_by(quotes) == selected]
    _show_table(
        analysis,
        shown,
        key="quotes_table",
        csv_name="quotes",
        columns=["paragraph", "words", "speaker", "entity", "quote"],
    )


def _paragraph_name(analysis: ArticleAnalysis, value: str) -> str:
    """A selected paragraph as the article panel numbers it."""
    if value == "0":
        return "the headline"
    if value.isdigit() and int(value) in _removed_numbers(analysis):
        return f"removed line R{value}"
    return f"paragraph {value}"


def _removed_numbers(analysis: ArticleAnalysis) -> list[int]:
    return [s.index for s in analysis.segments if s.kind == "removed"]


def table_from(analysis: ArticleAnalysis, name: str, rows) -> object:
    """One of the export tables, narrowed to the paragraphs in ``rows``."""
    frame = table(analysis, name)
    return frame[frame["paragraph"].isin(rows["paragraph"])]


def _hits(analysis, kind: str, value: str, options: WordOptions) -> list[tuple[int, int, int]]:
    if kind == "word":
        frame = analysis.term_context(value, options=options)
    elif kind == "entity":
        frame = analysis.mentions[analysis.mentions["entity"] == value]
    elif kind == "speaker":
        frame = analysis.quotes[said_by(analysis.quotes) == value]
    else:
        return []
    return list(zip(frame["paragraph"], frame["start"], frame["end"], strict=True))


def _render_sentences(analysis: ArticleAnalysis, selected: int | None, wanted) -> None:
    sentences = analysis.sentences
    if selected is not None:
        st.markdown(f"**Sentences of {_paragraph_name(analysis, str(selected))}**")
        sentences = sentences[sentences["paragraph"] == selected]
    else:
        st.caption("Click a paragraph's bar in the sentiment chart to see its sentences.")
        sentences = sentences[sentences["paragraph"].isin(wanted)]
    frame = table(analysis, "sentences")
    frame = frame[frame.index.isin(sentences.index)]
    _show_table(
        analysis,
        frame,
        key="sentiment_sentences",
        csv_name="sentences",
        columns=[
            "paragraph",
            "sentence",
            "polarity",
            "subjectivity",
            "vader",
            "label",
            "text",
            "assessments",
        ],
    )


def _render_context(analysis, kind, value, options, words, entities) -> None:
    if kind == "word":
        frame = analysis.term_context(value, options=options)
        st.markdown(f"**“{_md_escape(value)}”** — {len(frame)} occurrence(s)")
    elif kind == "entity":
        frame = analysis.entity_context(value)
        st.markdown(f"**{_md_escape(value)}** — {len(frame)} mention(s)")
    else:
        st.caption("Select a word or an entity (click its bar) to see every occurrence in context.")
        return
    if frame.empty:
        st.caption(
            "It does not occur with the current options (stop words, lemmas, words per "
            "term, removed lines). Clear the selection or change the options."
        )
        return
    _show_table(
        analysis,
        frame,
        key="context_table",
        csv_name="context",
        columns=["paragraph", "left", "match", "right"],
        column_config={
            "paragraph": st.column_config.TextColumn("¶", width=40),
            "left": st.column_config.TextColumn(width="medium", alignment="right"),
            "match": st.column_config.TextColumn(width="small", alignment="center"),
            "right": st.column_config.TextColumn(width="medium"),
        },
    )


def _render_removed(analysis: ArticleAnalysis) -> None:
    removed = analysis.article.removed
    label = f"What was removed ({len(removed)} line{'s' if len(removed) != 1 else ''})"
    with (section := _lazy_expander(label, "removed_open")):
        if not removed:
            st.caption("The cleaner removed nothing from this article.")
        elif section.open:
            removed_rows = table(analysis, "removed")
            removed_rows.insert(0, "paragraph", _all_removed_numbers(analysis))
            _show_table(analysis, removed_rows, key="removed_table", csv_name="removed")
        # The switch is drawn even when the section is closed: it is part of the view's state.
        st.toggle(
            "Analyse the removed lines too",
            key="removed_include",
            help="They are added after the body as paragraphs R…",
        )


def _render_downloads(
    analysis: ArticleAnalysis,
    words,
    paragraphs,
    entities,
    *,
    hits=(),
    selected: tuple[str, str] = ("", ""),
    selected_paragraph: int | None = None,
    selection: str = "",
) -> None:
    # Every download is built when its button is clicked, not on every rerun: the report
    # alone inlines 4.8 MB of Plotly.
    ss = st.session_state
    article_id, top, model, band, types = (
        ss.article_choice,
        ss.words_top,
        ss.sentiment_model,
        ss.sentiment_band,
        list(ss.entities_types),
    )
    shown_range = ss.get("view_range")

    def analysis_json() -> str:
        record = analysis_record(analysis, id=article_id, sentences=True)
        return json.dumps(record, ensure_ascii=False, indent=2)

    def report() -> str:
        kind, value = selected
        selected_word = value if kind == "word" else ""
        selected_entity = value if kind == "entity" else ""
        figures = [
            charts.words_figure(words, top=top, selected=selected_word),
            charts.sentiment_figure(
                paragraphs, model=model, band=band, selected=selected_paragraph
            ),
            charts.entities_figure(entities, selected=selected_entity),
        ]
        return report_html(
            analysis,
            figures,
            entity_types=types,
            model=model,
            band=band,
            paragraph_range=shown_range,
            hits=hits,
            selected_paragraph=selected_paragraph,
            selection=selection,
        )

    with (section := _lazy_expander("Downloads", "downloads_open")):
        if not section.open:
            return
        st.download_button(
            "Full analysis (JSON)",
            analysis_json,
            file_name="newslens-analysis.json",
            mime="application/json",
            key="download_json",
        )
        st.download_button(
            "Report (HTML, opens offline)",
            report,
            file_name="newslens-report.html",
            mime="text/html",
            key="download_report",
        )


# --------------------------------------------------------------------------------------------


def _load_current(seeds, errors: list[str]) -> tuple[bytes, str] | None:
    """The current article's bytes and source. Runs before the article selectbox exists, so
    that an unknown or malformed link can fall back to the first sample article."""
    ss = st.session_state
    for seed in seeds:
        if seed.slug == ss.article_choice:
            return seed.path.read_bytes(), seed.path.name
    try:
        stored = load_store().get(ss.article_choice)
    except ArticleError:
        # Only a link names an article that is not stored (or no longer is).
        _drop_linked_article(ss.setdefault("nl_link_notes", []))
        ss.nl_custom.pop(ss.article_choice, None)
        if not seeds:
            return None
        ss.article_choice = seeds[0].slug
        return seeds[0].path.read_bytes(), seeds[0].path.name
    return stored.raw, stored.source or "shared article"


def main() -> None:
    """The Article page (``dashboard/app.py`` has set the page up). The models start loading
    in the background once the page is drawn, if nothing has needed them before: a later
    choice (another article, the removed lines analysed) finds them ready."""
    try:
        _page()
    finally:
        warmup.MODELS.start(delay=warmup.AFTER_FIRST_VIEW)


def _page() -> None:
    seeds = load_seeds()
    if "nl_ready" not in st.session_state or "article_choice" not in st.session_state:
        # A new session, or back from another page (Streamlit forgets the widgets of a page
        # that was not drawn): the view comes from the URL (the first sample without one).
        _init_state(seeds)
    elif history.is_history_navigation():
        _apply_link(seeds)
    ss = st.session_state
    if "nl_pending" in ss:
        ss.article_choice = ss.pop("nl_pending")
    errors: list[str] = []
    loaded = _load_current(seeds, errors)
    if loaded is not None and not is_precomputed(loaded[0], ss.removed_include):
        load_pipeline()
    analysis = None
    if loaded is not None:
        try:
            analysis = analyse(*loaded, ss.removed_include)
        except ArticleError as error:
            errors.append(str(error))
    if analysis is not None and ss.pop("nl_link_check", False):
        _check_link(analysis)
    # A selection belongs to its article: another article starts with none (the link's own
    # selection is kept when the link's article opens).
    if ss.nl_selection_article is None and not errors:
        ss.nl_selection_article = ss.article_choice
    if ss.nl_selection_article != ss.article_choice:
        ss.nl_selection = ""
        ss.nl_selection_article = ss.article_choice
    if analysis is not None and ss.nl_custom.get(ss.article_choice) == "Shared article":
        ss.nl_custom[ss.article_choice] = analysis.article.title or "Shared article"
    _sidebar_sources(seeds)
    # Messages can quote what the user gave (a title, a file name, a URL): shown as text,
    # never as Markdown.
    link_note = link_message(ss.pop("nl_link_notes", []))
    if link_note:
        st.warning(_md_escape(link_note), icon=":material/link:")
    for message in errors:
        st.error(_md_escape(message))
    if "nl_flash" in ss:
        level, message = ss.pop("nl_flash")
        getattr(st, level)(_md_escape(message))
    if analysis is None:
        st.info("Add an article in the sidebar to begin.")
        return
    _sidebar_options()
    _update_selection()
    _render(analysis)
    st.query_params.from_dict(to_query(_current_view()))
