"""The Compare page: choose 2 to 4 articles (the samples, the corpus the Corpus page shows,
or articles added here by pasting or fetching), analysed with the app's cached analysis and
drawn side by side; the choice goes to the URL.

Every session key of the page starts with ``compare_``: the page's own (:data:`STATE`,
:data:`NOTES`, :data:`ADDED`) and its views' (``<view key>_<widget>``; the article picker is
one widget, :data:`PICK`).
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from analysis.errors import ArticleError
from dashboard.cache import analyse
from dashboard.compare.candidates import (
    Candidate,
    added_candidate,
    corpus_candidates,
    linked_choice,
    seed_candidates,
)
from dashboard.compare.passages import copy_pairs
from dashboard.compare.views import Added, render_add_article, render_compare
from dashboard.corpus import data
from dashboard.corpus.choice import render_corpus_choice
from dashboard.corpus.data import Source
from dashboard.corpus.link import (
    COMPARE_MAX,
    COMPARE_MIN,
    SAMPLE,
    CorpusState,
    from_query,
    to_query,
)
from dashboard.links import link_message

KEY = "compare"
#: The page's own session keys: the state of the link, what the link asked for in vain, and
#: the articles added on this page (by key).
STATE, NOTES, ADDED = f"{KEY}_state", f"{KEY}_notes", f"{KEY}_added"
#: The views' keys.
CHOICE, PICK, ADD, VIEW = f"{KEY}_choice", f"{KEY}_pick", f"{KEY}_add", f"{KEY}_view"


def compare_page(*, source: Source | None = None) -> None:
    """The Compare page, drawn by :func:`dashboard.compare.views.render_compare`. The choice
    goes to the URL (``compare``: a corpus or sample article by a 16-digit key prefix, an
    added one by its full key, which the share store resolves).

    Args:
        source: a corpus to pick from instead of the one the state names (tests).
    """
    state, notes = _page_state()
    st.title("Compare")
    note = link_message(notes)
    if note:
        st.warning(note, icon=":material/link_off:")
    name = state.corpus
    if source is None:
        name, source = render_corpus_choice(state, key=CHOICE)
    added: dict[str, Candidate] = st.session_state.setdefault(ADDED, {})
    candidates = seed_candidates() + list(added.values()) + corpus_candidates(source)
    by_key = {c.key: c for c in candidates}
    if PICK not in st.session_state:
        st.session_state[PICK] = linked_choice(state, candidates, by_key, added)
    picked = _render_pick(by_key, key=PICK)
    render_add_article(key=ADD, on_add=_add)
    texts = data.run_query(
        source, "article_texts", keys=[k for k in picked if by_key[k].raw is None]
    )
    stored = dict(zip(texts["doc_key"], texts["text"], strict=True))
    results = []
    with st.spinner("Analysing…"):
        for k in picked:
            raw = by_key[k].raw if by_key[k].raw is not None else stored.get(k, "").encode("utf-8")
            results.append(analyse(raw, by_key[k].source, False))
    stored_keys = [k for k in picked if by_key[k].raw is None]
    copies = data.run_query(source, "duplicates_of", keys=stored_keys) if stored_keys else None
    render_compare(
        results,
        key=VIEW,
        published=[by_key[k].published for k in picked],
        copies=copy_pairs(
            picked,
            {}
            if copies is None
            else dict(
                zip(
                    copies["doc_key"],
                    copies["duplicate_of"].where(copies["duplicate_of"].notna(), None),
                    strict=True,
                )
            ),
        ),
    )
    keys = tuple(k if k in added else k[:16] for k in picked)
    new = replace(
        state,
        corpus=name if name else SAMPLE,
        compare=keys if COMPARE_MIN <= len(picked) <= COMPARE_MAX else (),
    )
    st.session_state[STATE] = new
    st.query_params.from_dict(
        {k: v for k, v in to_query(new).items() if k in ("corpus", "compare")}
    )


def _page_state() -> tuple[CorpusState, list[str]]:
    """The page's state (from the link on a session's first run) and, once, the notes on
    what the link asked for in vain."""
    ss = st.session_state
    if STATE not in ss:
        ss[STATE], ss[NOTES] = from_query(st.query_params.to_dict())
    return ss[STATE], ss.pop(NOTES, [])


def _render_pick(by_key: dict[str, Candidate], *, key: str) -> list[str]:
    """The articles to compare (a multiselect, widget ``key``), among ``by_key``.

    Returns:
        the keys chosen, in order.
    """
    st.session_state[key] = [k for k in st.session_state[key] if k in by_key]
    return st.multiselect(
        "Articles to compare",
        list(by_key),
        key=key,
        format_func=lambda k: by_key[k].label,
        max_selections=COMPARE_MAX,
        help=f"{COMPARE_MIN} to {COMPARE_MAX} articles: samples, the corpus's, or added below.",
    )


def _add(raw: bytes, source: str, kind: str) -> Added:
    """The add view's callback (before the widgets are drawn): the article joins the choice.

    Returns:
        the message to show.
    """
    ss = st.session_state
    picked = list(ss.get(PICK, []))
    if len(picked) >= COMPARE_MAX:
        return ("error", f"Up to {COMPARE_MAX} articles at once: remove one above first.")
    try:
        candidate = added_candidate(raw, source=source, kind=kind)
    except ArticleError as error:
        return ("error", f"{kind}: {error}")
    ss.setdefault(ADDED, {})[candidate.key] = candidate
    if candidate.key not in picked:
        ss[PICK] = [*picked, candidate.key]
    return ("success", f"Added “{candidate.label}”.")
