"""The Article page's sidebar: which article (:func:`render_sources`: the picker and "Add an
article") and how to count and colour it (:func:`render_options`: the Words, Sentiment and
Entities groups). Each group is drawn only while open: fewer elements and scripts on the first
view; the values outlive a closed group.
"""

from __future__ import annotations

import streamlit as st

from analysis import ArticleError
from analysis.core.article import parse_article
from analysis.core.sentiment import MODELS
from analysis.sources.fetch import fetch_url
from dashboard.article import state
from dashboard.article.link import BAND_MAX, BAND_MIN, BAND_STEP, ViewState
from dashboard.cache import analyse
from dashboard.jobs import AnalysisJob
from dashboard.labels import ENTITY_TYPES, MODEL_LABELS, type_name
from dashboard.settings import app_settings
from dashboard.sources import Seed
from dashboard.widgets import keep_widget, lazy_expander

_DEFAULT_VIEW = ViewState()


def render_sources(seeds: list[Seed], *, key: str) -> None:
    """The article picker (``<key>_choice``: the samples and the articles added in this
    session) and, in a group drawn only while open (``<key>_open``), the ways to add one:
    upload (``<key>_upload``), paste (``<key>_paste``, ``<key>_paste_go``) or fetch
    (``<key>_url``, ``<key>_url_go``). An added article is analysed, stored and made current
    (:func:`analyse_new_article`)."""
    sidebar = st.sidebar
    sidebar.title("NewsLens")
    added = state.added_articles()
    options = [seed.slug for seed in seeds] + list(added)
    titles = {seed.slug: seed.title for seed in seeds} | added
    if state.current_article() not in options:
        options.append(state.current_article())
    sidebar.selectbox(
        "Article", options, key=f"{key}_choice", format_func=lambda k: titles.get(k, k)
    )
    # Drawn only while open (most readers never open it): fewer elements on the first view.
    # What the reader typed is kept while the section is closed.
    for field in ("paste", "url"):
        keep_widget(f"{key}_{field}")
    with sidebar:
        section = lazy_expander("Add an article", f"{key}_open", memory=state.EXPANDED)
    with section:
        if not section.open:
            return
        upload = st.file_uploader(
            "Upload a .txt, .md or .html file",
            type=["txt", "md", "html", "htm"],
            key=f"{key}_upload",
        )
        if upload is not None and st.session_state.get(f"{key}_uploaded") != upload.file_id:
            st.session_state[f"{key}_uploaded"] = upload.file_id
            analyse_new_article(upload.getvalue(), upload.name, kind=f"Upload “{upload.name}”")
            st.rerun()
        st.text_area(
            "…or paste the text",
            key=f"{key}_paste",
            height=290,
            placeholder="Headline\n\nBy Author\n\nFirst paragraph…",
        )
        if st.button("Analyse pasted text", key=f"{key}_paste_go"):
            text = st.session_state[f"{key}_paste"]
            analyse_new_article(text.encode("utf-8"), "pasted text", kind="Pasted text")
            st.rerun()
        st.text_input(
            "…or fetch a web page",
            key=f"{key}_url",
            placeholder="example.com/story",
            help="Its address, with or without https://.",
        )
        if st.button("Fetch and analyse", key=f"{key}_url_go"):
            url = st.session_state[f"{key}_url"].strip()
            with st.spinner(f"Fetching {url[:60]}…"):
                try:
                    page = fetch_url(url, allow_private=app_settings().allow_private_urls)
                except ArticleError as error:
                    page = None
                    state.flash("error", f"Could not fetch the page: {error}")
            if page is not None:
                analyse_new_article(page.body, page.url, kind="Web page")
            st.rerun()


def analyse_new_article(raw: bytes, source: str, *, kind: str) -> None:
    """Analyse new article bytes, step by step in a status box; on success store them, list
    them and make them current on the next run. On a user error say so then, and keep the
    current article."""
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
            job = AnalysisJob(lambda progress: analyse(raw, source, False, _progress=progress))
            analysis = job.wait(lambda fraction: bar.progress(fraction, text=f"{fraction:.0%}"))
        except ArticleError as error:
            status.update(label=f"{kind}: not analysed", state="error")
            state.flash("error", f"{kind}: {error}")
            return
        title = analysis.article.title or (analysis.article.paragraphs[0][:60] + "…")
        # The session holds it; its share link carries it, or stores it when it is too long.
        key = state.hold_article(raw, source=source)
        status.update(label=f"{kind}: done", state="complete", expanded=False)
    state.add_article(key, title, flash=("success", f"{kind} analysed: “{title}”."))


#: The sidebar's option groups: label, and the link names of its options (their widgets are
#: ``<key>_<name>``; their defaults are :class:`~dashboard.article.link.ViewState`'s).
OPTION_GROUPS = (
    ("Words", "words", ("top", "stop", "xstop", "lemma", "ngram", "minlen")),
    ("Sentiment", "sentiment", ("model", "band")),
    ("Entities", "entities", ("types", "mincount")),
)


def changed_options(names: tuple[str, ...], *, key: str) -> int:
    """How many of the options ``names`` (link names; widgets ``<key>_<name>``) differ from
    the defaults; the reader's hide-terms-seen-once choice counts among the Words."""
    ss = st.session_state
    values = {name: ss[f"{key}_{name}"] for name in names}
    if "top" in names:
        values["hideonce"] = ss[state.HIDEONCE]
    return sum(
        (tuple(value) if isinstance(value, list) else value) != getattr(_DEFAULT_VIEW, name)
        for name, value in values.items()
    )


def render_options(*, key: str) -> None:
    """The Words, Sentiment and Entities groups (expanders ``<key>_words``,
    ``<key>_sentiment``, ``<key>_entities``), each labelled with how many of its options
    differ from the defaults and drawn only while open; the option widgets are keyed
    ``<key>_<link name>`` (``<key>_top``, ``<key>_model``, ...)."""
    draw = {"words": _words, "sentiment": _sentiment, "entities": _entities}
    for label, group, names in OPTION_GROUPS:
        # Kept while the group is closed (a run that does not draw a widget forgets it).
        for name in names:
            keep_widget(f"{key}_{name}")
        changed = changed_options(names, key=key)
        with st.sidebar:
            section = lazy_expander(
                f"{label} · {changed} changed" if changed else label,
                f"{key}_{group}",
                memory=state.EXPANDED,
            )
        with section:
            if section.open:
                draw[group](key)


def _words(key: str) -> None:
    st.slider("Top terms", 3, 50, key=f"{key}_top")
    st.toggle("Remove stop words", key=f"{key}_stop")
    st.text_input(
        "Extra stop words",
        key=f"{key}_xstop",
        placeholder="said, also",
        help="Comma or space separated; case does not matter.",
    )
    st.toggle("Count lemmas (visits → visit)", key=f"{key}_lemma")
    st.segmented_control(
        "Words per term",
        [1, 2, 3],
        key=f"{key}_ngram",
        required=True,
        format_func=lambda n: {1: "1 word", 2: "2", 3: "3"}[n],
    )
    ss = st.session_state
    # Unless the reader chose, terms seen once are hidden for 2- and 3-word terms: most
    # n-grams occur once, and a long tail of 1s hides the repeated phrases.
    chosen = ss[state.HIDEONCE]
    ss[f"{key}_hideonce"] = ss[f"{key}_ngram"] >= 2 if chosen is None else chosen
    st.toggle(
        "Hide terms seen once",
        key=f"{key}_hideonce",
        on_change=_hideonce_changed,
        args=(key,),
        help="On by default for 2- and 3-word terms.",
    )
    st.number_input("Minimum word length", 1, 20, key=f"{key}_minlen")


def _hideonce_changed(key: str) -> None:
    """The reader's choice is kept (and goes into the link) only where it differs from the
    default for the words per term, so that the default follows a later change of n."""
    ss = st.session_state
    chosen = bool(ss[f"{key}_hideonce"])
    ss[state.HIDEONCE] = None if chosen == (ss[f"{key}_ngram"] >= 2) else chosen


def _sentiment(key: str) -> None:
    st.segmented_control(
        "Model",
        list(MODELS),
        key=f"{key}_model",
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
        key=f"{key}_band",
        format="%.2f",
        help="Scores closer to zero than this are neutral.",
    )
    band = st.session_state[f"{key}_band"]
    st.caption(
        f"Labels: positive at +{band:.2f} or more, negative at −{band:.2f} or less. "
        "≠ marks a paragraph the two models label differently."
    )


def _entities(key: str) -> None:
    st.multiselect(
        "Entity types",
        list(ENTITY_TYPES),
        key=f"{key}_types",
        format_func=type_name,
        help="Numbers, dates and amounts are left out unless chosen here.",
    )
    st.number_input("Minimum mentions", 1, 1000, key=f"{key}_mincount")
