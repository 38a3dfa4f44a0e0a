"""The articles the Compare page can compare: the samples, the corpus's newest, and articles
added on the page (stored in the share store, so that a link reopens them); a link's choice
found among them."""

from __future__ import annotations

import contextlib
import hashlib
from typing import NamedTuple

import pandas as pd
import streamlit as st

from analysis.core.article import parse_article
from analysis.errors import ArticleError
from dashboard.cache import load_store
from dashboard.corpus import data
from dashboard.corpus.data import Source
from dashboard.corpus.link import CorpusState
from dashboard.settings import app_settings
from dashboard.sources import list_seeds

#: Corpus articles the picker lists at most (the newest).
CORPUS_CANDIDATES = 2000


class Candidate(NamedTuple):
    """An article the page can compare."""

    key: str  # SHA-256 of its bytes (sample, added article) or the corpus key
    label: str
    raw: bytes | None  # the bytes; None for a corpus article (read when chosen)
    source: str  # shown as the article's source
    published: str = ""  # a corpus article's stored date (its text may not carry it)


def linked_choice(state: CorpusState, candidates, by_key, added) -> list[str]:
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


def seed_candidates() -> list[Candidate]:
    """The sample articles of ``seeds/``, listed by title (:func:`dashboard.sources.list_seeds`)."""
    out = []
    for seed in list_seeds():
        raw = seed.path.read_bytes()
        out.append(
            Candidate(hashlib.sha256(raw).hexdigest(), f"Sample: {seed.title}", raw, seed.path.name)
        )
    return out


def corpus_candidates(source: Source) -> list[Candidate]:
    """The newest articles of the corpus, listed as "title · outlet · date"."""
    # Every copy of a story, so that copies can be compared side by side.
    rows = data.run_query(source, "article_table", limit=CORPUS_CANDIDATES, include_duplicates=True)
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
    article = parse_article(raw, source=source, max_chars=app_settings().max_chars)
    title = article.title or (article.paragraphs[0][:60] if article.paragraphs else source)
    key = hashlib.sha256(raw).hexdigest()
    # A full share store: compared all the same, only the link will not reopen it.
    with contextlib.suppress(ArticleError):
        load_store().put(raw, source=source)
    return Candidate(key, f"{kind}: {title}", raw, source)


def _stored_candidate(key: str) -> Candidate | None:
    """An article a link names by its full key, from the share store (added earlier)."""
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
