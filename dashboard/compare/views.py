"""The Compare page's views: :func:`render_compare` (two to four analysed articles side by
side: a summary, then a tab each for words, entities, sentiment, quotes, what only one has and
the passages they share) and :func:`render_add_article` (paste a text or fetch a page). Every
widget key is prefixed by the view's ``key``, so that a view can appear twice.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from analysis.core.pipeline import ArticleAnalysis
from analysis.errors import ArticleError
from analysis.sources.fetch import fetch_url
from dashboard import charts
from dashboard.compare.passages import (
    SHINGLE,
    THRESHOLD,
    TOP,
    NearDuplicate,
    aligned_counts,
    article_name,
    exclusive_items,
    mean_tones,
    near_duplicates,
    passages,
    quotation_counts,
    shown_outlet,
)
from dashboard.corpus.link import COMPARE_MAX, COMPARE_MIN
from dashboard.labels import MODEL_LABELS
from dashboard.render import CSS, ENTITY_COLOURS, md_escape
from dashboard.settings import app_settings
from dashboard.widgets import csv_download

#: The tabs of :func:`render_compare`, by name.
TABS = {
    "words": "Words",
    "entities": "Entities",
    "tone": "Sentiment",
    "quotes": "Quotes",
    "own": "Only in one",
    "shared": "Shared passages",
}
#: What an added article becomes: a message to show, ("success" | "error", text).
Added = tuple[str, str]
#: Charts side by side in one row: more would leave each too narrow at 1280 px to read its
#: axis labels (a third and fourth article go to a second row).
PER_ROW = 2


def render_compare(
    results: Sequence[ArticleAnalysis],
    *,
    key: str,
    names: Sequence[str] | None = None,
    published: Sequence[str] | None = None,
    copies: Sequence[tuple[int, int]] = (),
) -> list[NearDuplicate]:
    """Two to four analysed articles side by side (see the module docstring).

    Args:
        names: a column name per article (default :func:`article_name`'s).
        published: per article, its date when known from elsewhere (a corpus article's
            stored date; its text alone may not say), else "" for the one the text gives.
        copies: pairs of positions of articles the corpus holds as copies of one story
            (:func:`~dashboard.compare.passages.copy_pairs`), said above the summary.

    Returns:
        the near-duplicate passages found
        (:func:`~dashboard.compare.passages.near_duplicates`).
    """
    results = list(results)
    if not COMPARE_MIN <= len(results) <= COMPARE_MAX:
        st.info(f"Choose {COMPARE_MIN} to {COMPARE_MAX} articles to compare.")
        return []
    names = list(names) if names else [article_name(r, i + 1) for i, r in enumerate(results)]
    st.html(f"<style>{CSS}</style>")
    for i, j in copies:
        st.info(
            f"**{md_escape(names[i])}** and **{md_escape(names[j])}** are copies of one story "
            "(the corpus marked one a near-duplicate of the other): its counts and charts "
            "count the story once unless “Count every copy” is on.",
            icon=":material/content_copy:",
        )
    _render_summary(results, names, published, key=f"{key}_summary")
    tabs = dict(zip(TABS, st.tabs(list(TABS.values())), strict=True))
    with tabs["words"]:
        table = aligned_counts([r.words for r in results], names=names, item="term", value="count")
        _columns(results, names, lambda r: charts.words_figure(r.words, top=TOP), f"{key}_words")
        _aligned(table, key=f"{key}_words")
    with tabs["entities"]:
        table = aligned_counts(
            [r.entities for r in results], names=names, item="entity", value="count"
        )
        _columns(
            results, names, lambda r: charts.entities_figure(r.entities, top=TOP), f"{key}_entities"
        )
        _aligned(table, key=f"{key}_entities")
    with tabs["tone"]:
        _columns(results, names, lambda r: charts.sentiment_figure(r.paragraphs), f"{key}_tone")
    with tabs["quotes"]:
        table = aligned_counts(
            [r.speakers for r in results], names=names, item="speaker", value="words"
        )
        _columns(
            results, names, lambda r: charts.speakers_figure(r.speakers, top=TOP), f"{key}_quotes"
        )
        _aligned(table, key=f"{key}_quotes")
    with tabs["own"]:
        _render_own(results, names, key=f"{key}_own")
    with tabs["shared"]:
        pairs = near_duplicates([passages(r) for r in results])
        _render_shared(results, names, pairs, key=f"{key}_shared")
    return pairs


def _render_summary(results, names, published, *, key: str) -> None:
    """One row per article: source, date, words, paragraphs, tone per model, quotations."""
    tones = [mean_tones(r) for r in results]
    tone_columns = {f"tone ({label})": model for model, label in MODEL_LABELS.items()}
    summary = pd.DataFrame(
        {
            "article": names,
            "source": [shown_outlet(r.article.source) for r in results],
            "published": [
                ((published[i] if published and published[i] else r.article.published) or "")[:10]
                for i, r in enumerate(results)
            ],
            "words": [
                int(r.paragraphs.loc[r.paragraphs["kind"] == "body", "words"].sum())
                for r in results
            ],
            "paragraphs": [int((r.paragraphs["kind"] == "body").sum()) for r in results],
            **{column: [t.get(model) for t in tones] for column, model in tone_columns.items()},
            "quotations": [quotation_counts(r)[0] for r in results],
            "unattributed": [quotation_counts(r)[1] for r in results],
        }
    )
    st.dataframe(
        summary,
        hide_index=True,
        key=key,
        # Narrow columns, so that every one is on screen with four articles at 1280 px.
        column_config={
            "article": st.column_config.TextColumn(width="medium"),
            "source": st.column_config.TextColumn(width="small"),
            "published": st.column_config.TextColumn(width="small"),
            **{
                column: st.column_config.NumberColumn(format="%+.2f", width="small")
                for column in tone_columns
            },
            "quotations": st.column_config.NumberColumn(
                help="Quotations with a speaker: those the Quotes tab shows."
            ),
            "unattributed": st.column_config.NumberColumn(
                help="Quotations whose speaker was not found."
            ),
        },
    )


def _columns(results, names, figure, key: str) -> None:
    """A chart per article (``figure(result)``) under its name, :data:`PER_ROW` side by side."""
    for first in range(0, len(results), PER_ROW):
        cols = st.columns(PER_ROW)
        for i, col in zip(range(first, min(first + PER_ROW, len(results))), cols, strict=False):
            with col:
                st.caption(md_escape(names[i]))
                st.plotly_chart(
                    figure(results[i]), key=f"{key}_chart_{i}", config={"displaylogo": False}
                )


def _aligned(table: pd.DataFrame, *, key: str) -> None:
    """The aligned table, rows present in one article only highlighted."""
    styled = table.style.apply(
        lambda row: ["background-color: #fff6d6" if row["only in"] else "" for _ in row], axis=1
    )
    st.dataframe(styled, hide_index=True, key=f"{key}_table")
    st.caption("Highlighted: present in one article only (among each one's top items).")
    _download(table, key.rsplit("_", 1)[-1], key=f"{key}_csv")


def _download(frame: pd.DataFrame, name: str, *, key: str) -> None:
    csv_download(frame, name, key=key, file_prefix="newslens-compare")


def chips(names: Sequence[str], colours: dict[str, str] | None = None) -> str:
    """``names`` as HTML chips (escaped), each underlined in its colour when ``colours`` has
    one; a note when there are none."""
    if not names:
        return "<span class='nl-meta'>nothing of its own</span>"
    return " ".join(
        f"<span style='display:inline-block;margin:2px;padding:0 5px;border-radius:3px;"
        f"background:#fff6d6;box-shadow:0 0 0 1px #e9d48a;"
        f"{'border-bottom:3px solid ' + colours[n] if colours and n in colours else ''}'>"
        f"{html.escape(n)}</span>"
        for n in names
    )


def _render_own(results, names, *, key: str) -> None:
    """Per article, the entities no other names and its frequent words no other has."""
    entities = exclusive_items([list(r.entities["entity"]) for r in results])
    terms = exclusive_items([list(r.words["term"].head(50)) for r in results])
    colours = {}
    for r in results:
        for entity, label in zip(r.entities["entity"], r.entities["label"], strict=True):
            colours.setdefault(entity, ENTITY_COLOURS.get(label, "#bbbbbb"))
    cols = [c for first in range(0, len(results), PER_ROW) for c in st.columns(PER_ROW)]
    for i, col in zip(range(len(results)), cols, strict=False):
        with col:
            st.markdown(f"**{md_escape(names[i])}**")
            st.caption("Entities no other article names")
            st.html(f"<div class='nl-article'>{chips(entities[i], colours)}</div>")
            st.caption("Among its 50 most frequent words, those no other article has in its 50")
            st.html(f"<div class='nl-article'>{chips(terms[i])}</div>")
    own = pd.DataFrame(
        [(names[i], "entity", e) for i in range(len(results)) for e in entities[i]]
        + [(names[i], "word", t) for i in range(len(results)) for t in terms[i]],
        columns=["article", "kind", "item"],
    )
    _download(own, "only-in-one", key=f"{key}_csv")


def _render_shared(results, names, pairs: list[NearDuplicate], *, key: str) -> None:
    """The passages the articles share, as a table with their texts."""
    if not pairs:
        st.caption(
            f"No passage of one article shares half its word {SHINGLE}-grams with a "
            "passage of another."
        )
        return
    st.caption(
        f"Passages sharing at least {THRESHOLD:.0%} of their word {SHINGLE}-grams "
        "(Jaccard similarity), as when several outlets run the same wire copy."
    )
    table = pd.DataFrame(
        [
            {
                "article A": names[d.article_a],
                "¶ A": d.paragraph_a,
                "article B": names[d.article_b],
                "¶ B": d.paragraph_b,
                "similarity": d.jaccard,
                "text A": results[d.article_a].texts.get(d.paragraph_a, ""),
                "text B": results[d.article_b].texts.get(d.paragraph_b, ""),
            }
            for d in pairs
        ]
    )
    # The passages' names and numbers narrow, the texts wide: at 1280 px the texts were off
    # screen behind the articles' long names.
    st.dataframe(
        table,
        hide_index=True,
        key=f"{key}_table",
        column_config={
            "text A": st.column_config.TextColumn(width="large"),
            "text B": st.column_config.TextColumn(width="large"),
            "similarity": st.column_config.ProgressColumn(
                min_value=0, max_value=1, format="%.2f", width="small"
            ),
            "article A": st.column_config.TextColumn(width="small"),
            "article B": st.column_config.TextColumn(width="small"),
            "¶ A": st.column_config.NumberColumn(width="small"),
            "¶ B": st.column_config.NumberColumn(width="small"),
        },
    )
    _download(table, "shared-passages", key=f"{key}_csv")


# -- adding an article -------------------------------------------------------------------------


def render_add_article(*, key: str, on_add: Callable[[bytes, str, str], Added]) -> None:
    """Paste a text (``<key>_paste``, button ``<key>_paste_go``) or fetch a page
    (``<key>_url``, ``<key>_url_go``), as on the Article page. ``on_add(raw, source, kind)``
    is called by the button (before the page reruns, so that the choice drawn above already
    holds the article) and says what became of it; that message is shown below the section
    (kept at ``<key>_flash`` until then)."""
    with st.expander("Add an article: paste its text or fetch a page", expanded=False):
        left, right = st.columns(2)
        with left:
            st.text_area(
                "Paste the text",
                key=f"{key}_paste",
                height=160,
                placeholder="Headline\n\nBy Author\n\nFirst paragraph…",
            )
            st.button(
                "Add pasted text", key=f"{key}_paste_go", on_click=_add_pasted, args=(key, on_add)
            )
        with right:
            st.text_input(
                "…or fetch a web page",
                key=f"{key}_url",
                placeholder="example.com/story",
                help="Its address, with or without https://.",
            )
            st.button("Fetch and add", key=f"{key}_url_go", on_click=_add_url, args=(key, on_add))
    flash = st.session_state.pop(f"{key}_flash", None)
    if flash:
        getattr(st, flash[0])(flash[1])


def _add_pasted(key: str, on_add: Callable[[bytes, str, str], Added]) -> None:
    text = st.session_state.get(f"{key}_paste", "")
    st.session_state[f"{key}_flash"] = on_add(text.encode("utf-8"), "pasted text", "Pasted")
    st.session_state[f"{key}_paste"] = ""


def _add_url(key: str, on_add: Callable[[bytes, str, str], Added]) -> None:
    ss = st.session_state
    url = ss.get(f"{key}_url", "").strip()
    if not url:
        ss[f"{key}_flash"] = ("error", "Type the address of a page first.")
        return
    try:
        page = fetch_url(url, allow_private=app_settings().allow_private_urls)
    except ArticleError as error:
        ss[f"{key}_flash"] = ("error", f"Could not fetch the page: {error}")
        return
    ss[f"{key}_flash"] = on_add(page.body, page.url, "Web page")
    ss[f"{key}_url"] = ""
