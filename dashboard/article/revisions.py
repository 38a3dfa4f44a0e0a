"""The Article page's "Earlier revisions": for an article opened from a collected corpus
whose page was fetched again with a changed text (``newslens corpus collect --revisit``, or
the Corpus page's "Fetch again pages of the last N days"), what changed between two of its
revisions, paragraph by paragraph, with the words removed and added marked
(:func:`analysis.storage.corpus.collection.revision_diff`).

Which corpus article the page shows is what the Corpus page left in the session when the
reader opened a row of its article table (``corpus_state``: the corpus; ``corpus_open_article``:
the article's key); the view appears only while the Article page shows that article's text.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis.storage.corpus import collection, queries
from analysis.storage.corpus.collection import ParagraphChange
from analysis.storage.corpus.store import CorpusStore
from dashboard.render import escape
from dashboard.settings import app_settings

#: The Corpus page's session keys read here (see :mod:`dashboard.corpus.page`).
CORPUS_STATE, OPENED_ARTICLE = "corpus_state", "corpus_open_article"

_STYLE = """<style>
.nl-rev p { margin: 0 0 0.6em 0; }
.nl-rev .nl-rev-tag { font-size: 0.8em; color: #555; margin-right: 0.4em; }
.nl-rev del { background: #fde2e1; color: #8a1c14; }
.nl-rev ins { background: #dcf5e3; color: #145a2c; text-decoration: none; }
.nl-rev .nl-rev-removed { background: #fde2e1; color: #8a1c14; text-decoration: line-through; }
.nl-rev .nl-rev-added { background: #dcf5e3; color: #145a2c; }
.nl-rev .nl-rev-same { color: #666; }
</style>"""
_TAGS = {"same": "", "changed": "edited", "added": "added", "removed": "removed"}


def change_counts(changes: Sequence[ParagraphChange]) -> dict[str, int]:
    """Paragraphs by kind of change.

    Returns:
        counts keyed "changed", "added", "removed", "same" (every key, 0 when none).
    """
    counts = Counter(change.change for change in changes)
    return {kind: counts[kind] for kind in ("changed", "added", "removed", "same")}


def counts_line(counts: dict[str, int]) -> str:
    """ "2 paragraphs edited, 1 added, 0 removed, 5 unchanged"."""
    return (
        f"{counts['changed']} paragraph(s) edited, {counts['added']} added, "
        f"{counts['removed']} removed, {counts['same']} unchanged"
    )


def diff_html(changes: Sequence[ParagraphChange], *, unchanged: bool = False) -> str:
    """The changes as HTML: an edited paragraph with its removed words in ``<del>`` and added
    ones in ``<ins>``, added and removed paragraphs whole; unchanged paragraphs only with
    ``unchanged``. Every text is escaped.

    Returns:
        a ``<div class="nl-rev">`` of ``<p>`` elements, one per paragraph shown.
    """
    parts = []
    for change in changes:
        if change.change == "same" and not unchanged:
            continue
        where = _where(change)
        if change.change == "changed":
            body = "".join(
                f"<del>{escape(text)}</del>"
                if op == "-"
                else f"<ins>{escape(text)}</ins>"
                if op == "+"
                else escape(text)
                for op, text in change.words
            )
        elif change.change == "removed":
            body = f'<span class="nl-rev-removed">{escape(change.old_text)}</span>'
        elif change.change == "added":
            body = f'<span class="nl-rev-added">{escape(change.new_text)}</span>'
        else:
            body = f'<span class="nl-rev-same">{escape(change.new_text)}</span>'
        tag = _TAGS[change.change]
        label = f"{where}, {tag}" if tag else where
        parts.append(f'<p><span class="nl-rev-tag">{escape(label)}</span>{body}</p>')
    return '<div class="nl-rev">' + "".join(parts) + "</div>"


def _where(change: ParagraphChange) -> str:
    number = change.new if change.new is not None else change.old
    return "headline" if number == 0 else f"¶{number}"


def revision_label(row) -> str:
    """How a revision is offered: "Revision 2 · fetched 2024-03-05 10:00"."""
    fetched = row["fetched_at"]
    when = "" if pd.isna(fetched) else f" · fetched {pd.Timestamp(fetched):%Y-%m-%d %H:%M}"
    return f"Revision {int(row['revision'])}{when}"


def opened_article(raw: bytes, *, data_dir: Path) -> tuple[CorpusStore, str] | None:
    """The corpus and key of the article the Corpus page opened, when ``raw`` is its text.

    Returns:
        (its corpus, its key), or None when the page shows another article (or none was
        opened from a stored corpus).
    """
    ss = st.session_state
    state, key = ss.get(CORPUS_STATE), ss.get(OPENED_ARTICLE)
    name = getattr(state, "corpus", None)
    if not key or not name or not str(name).endswith(".duckdb"):
        return None
    path = data_dir / Path(str(name)).name
    if not path.is_file():
        return None
    memo = f"{OPENED_ARTICLE}_text"  # the digest of the opened article's text, per article
    digest = hashlib.sha256(raw).hexdigest()
    if ss.get(memo, (None, None))[0] != (str(path), key):
        found = queries.article_texts(CorpusStore(path), keys=[key])
        text = "" if found.empty else str(found.iloc[0]["text"])
        ss[memo] = ((str(path), key), hashlib.sha256(text.encode("utf-8")).hexdigest())
    if ss[memo][1] != digest:
        return None
    return CorpusStore(path), key


def render_revisions(raw: bytes, *, key: str) -> list[ParagraphChange] | None:
    """What changed between two revisions of the article on the page (when it was opened
    from a corpus that holds more than one revision of its URL): two revision pickers
    (``<key>_old``, ``<key>_new``), the counts, and the changed paragraphs (all of them with
    ``<key>_all``).

    Returns:
        the changes shown, or None when the article has no earlier revision.
    """
    found = opened_article(raw, data_dir=app_settings().data_dir)
    if found is None:
        return None
    store, doc_key = found
    revisions = collection.article_revisions(store, doc_key=doc_key)
    if len(revisions) < 2:
        return None
    keys = revisions["doc_key"].tolist()
    labels = {
        k: revision_label(row) for k, (_, row) in zip(keys, revisions.iterrows(), strict=True)
    }
    here = keys.index(doc_key)
    with (
        st.expander(
            f"Earlier revisions of this page ({len(keys)} stored)",
            expanded=True,
            icon=":material/difference:",
        ),
        st.container(key=f"{key}_box"),
    ):
        left, right, third = st.columns([2, 2, 1], vertical_alignment="bottom")
        with left:
            old = st.selectbox(
                "From",
                keys,
                index=max(0, here - 1),
                format_func=labels.get,
                key=f"{key}_old",
            )
        with right:
            new = st.selectbox(
                "To", keys, index=max(1, here), format_func=labels.get, key=f"{key}_new"
            )
        with third:
            unchanged = st.toggle("Unchanged too", key=f"{key}_all")
        changes = collection.revision_diff(store, old_key=old, new_key=new)
        st.caption(counts_line(change_counts(changes)))
        st.html(_STYLE + diff_html(changes, unchanged=unchanged))
    return changes
