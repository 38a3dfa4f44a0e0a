"""The Compare page: choose 2 to 4 articles (the samples, the corpus the Corpus page shows,
or articles added here by pasting or fetching), analysed with the app's cached analysis and
drawn side by side; the choice goes to the URL.

Every session key of the page starts with ``compare_``: the page's own (:data:`STATE`,
:data:`NOTES`, :data:`ADDED`) and its views' (``<view key>_<widget>``; the article picker is
one widget, :data:`PICK`).
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import replace
from typing import NamedTuple

import pandas as pd
import streamlit as st

from analysis.core.article import parse_article
from analysis.errors import ArticleError
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
from dashboard.settings import app_settings
from dashboard.sources import list_seeds

KEY = "compare"
#: The page's own session keys: the state of the link, what the link asked for in vain, and
#: the articles added on this page (by key).
STATE, NOTES, ADDED = f"{KEY}_state", f"{KEY}_notes", f"{KEY}_added"
#: The views' keys.
CHOICE, PICK, ADD, VIEW = f"{KEY}_choice", f"{KEY}_pick", f"{KEY}_add", f"{KEY}_view"
#: Corpus articles the picker lists at most (the newest).
CORPUS_CANDIDATES = 2000


class Candidate(NamedTuple):
    """An article the page can compare."""

    key: str  # SHA-256 of its bytes (sample, added article) or the corpus key
    label: str
    raw: bytes | None  # the bytes; None for a corpus article (read when chosen)
    source: str  # shown as the article's source
    published: str = ""  # a corpus article's stored date (its text may not carry it)


def compare_page(*, source: Source | None = None) -> None:
    """The Compare page, drawn by :func:`dashboard.compare.views.render_compare`. The choice
    goes to the URL (``compare``: a corpus or sample article by a 16-digit key prefix, an
    added one by its full key, which the share store resolves).

    Args:
        source: a corpus to pick from instead of the one the state names (tests).
    """
    from dashboard.cache import analyse

    state, notes = _page_state()
    st.title("Compare")
    note = link_message(notes)
    if note:
        st.warning(note, icon=":material/link_off:")
    name = state.corpus
    if source is None:
        name, source = render_corpus_choice(state, key=CHOICE)
    added: dict[str, Candidate] = st.session_state.setdefault(ADDED, {})
    candidates = _seed_candidates() + list(added.values()) + _corpus_candidates(source)
    by_key = {c.key: c for c in candidates}
    if PICK not in st.session_state:
        st.session_state[PICK] = _linked_choice(state, candidates, by_key, added)
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
    render_compare(results, key=VIEW, published=[by_key[k].published for k in picked])
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


def _linked_choice(state: CorpusState, candidates, by_key, added) -> list[str]:
    """The link's articles as keys of ``candidates`` (an added one found in the share store
    joins them and ``added``), a warning naming those found nowhere; without any, the first
    two candidates."""
    wanted = [next((c.key for c in candidates if c.key.startswith(k)), None) for k in state.compare]
    for i, k in enumerate(state.compare):
        found = _stored_candidate(k) if wanted[i] is None else None
        if found is not None:
            added[found.key] = by_key[found.key] = found
            wanted[i] = found.key
    missing = [k for k, found in zip(state.compare, wanted, strict=True) if found is None]
    if missing:
        st.warning(f"Not in this corpus, the samples or the added articles: {', '.join(missing)}")
    return [k for k in wanted if k] or [c.key for c in candidates[:2]]


def _seed_candidates() -> list[Candidate]:
    """The sample articles of ``seeds/``, listed by title (:func:`dashboard.sources.list_seeds`)."""
    out = []
    for seed in list_seeds():
        raw = seed.path.read_bytes()
        out.append(
            Candidate(hashlib.sha256(raw).hexdigest(), f"Sample: {seed.title}", raw, seed.path.name)
        )
    return out


def _corpus_candidates(source: Source) -> list[Candidate]:
    """The newest articles of the corpus, listed as "title · outlet · date"."""
    rows = data.run_query(source, "article_table", limit=CORPUS_CANDIDATES)
    return [
        Candidate(
            k,
            f"{t or '(untitled)'} · {s or ''} · {'' if pd.isna(d) else str(d)[:10]}",
            None,
            s or "",
            "" if pd.isna(d) else str(d)[:10],
        )
        for k, t, s, d in zip(
            rows["doc_key"], rows["title"], rows["source"], rows["date"], strict=True
        )
    ]


def added_candidate(raw: bytes, *, source: str, kind: str) -> Candidate:
    """An article the reader added (pasted text, a fetched page), checked and stored in the
    share store so that the page's link reopens it.

    Returns:
        its candidate, labelled "<kind>: <title>".

    Raises:
        ArticleError: the text is empty, binary or too long (nothing is stored then).
    """
    from dashboard.cache import load_store

    article = parse_article(raw, source=source, max_chars=app_settings().max_chars)
    title = article.title or (article.paragraphs[0][:60] if article.paragraphs else source)
    key = hashlib.sha256(raw).hexdigest()
    # A full share store: compared all the same, only the link will not reopen it.
    with contextlib.suppress(ArticleError):
        load_store().put(raw, source=source)
    return Candidate(key, f"{kind}: {title}", raw, source)


def _stored_candidate(key: str) -> Candidate | None:
    """An article a link names by its full key, from the share store (added earlier)."""
    from dashboard.cache import load_store

    if len(key) != 64:
        return None
    try:
        found = load_store().get(key)
    except ArticleError:
        return None
    try:
        return added_candidate(found.raw, source=found.source or "added article", kind="Added")
    except ArticleError:
        return None


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
