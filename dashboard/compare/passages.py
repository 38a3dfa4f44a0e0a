"""What several articles share and what sets each apart: passages that share most of their
word 5-grams (:func:`near_duplicates`, as wire copy shows up in several outlets), items only
one article has (:func:`exclusive_items`), counts side by side (:func:`aligned_counts`).

Pure: no Streamlit. The Compare page (:mod:`dashboard.compare.page`) draws them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

import pandas as pd

from analysis.core.pipeline import ArticleAnalysis
from analysis.storage.corpus.query_language import NO_OUTLET

SHINGLE = 5
THRESHOLD = 0.5
#: Items per article in an aligned table.
TOP = 12
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


class NearDuplicate(NamedTuple):
    """Two passages of different articles that share most of their word 5-grams."""

    article_a: int  # position in the list compared
    paragraph_a: int
    article_b: int  # article_a < article_b
    paragraph_b: int
    jaccard: float  # shared shingles / all shingles of the two passages


def shingles(text: str, *, n: int = SHINGLE) -> frozenset[tuple[str, ...]]:
    """The word ``n``-grams of ``text`` (case-folded words, punctuation ignored).

    Returns:
        the set of n-grams; empty when the text has fewer than ``n`` words.
    """
    words = [w.casefold() for w in _WORD.findall(text)]
    return frozenset(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def near_duplicates(
    articles: Sequence[Sequence[tuple[int, str]]], *, n: int = SHINGLE, threshold: float = THRESHOLD
) -> list[NearDuplicate]:
    """Passages of different articles whose word ``n``-gram sets have a Jaccard similarity of
    at least ``threshold``. Passages shorter than ``n`` words are never matched (too short to
    tell a shared source from a shared phrase).

    Args:
        articles: per article, its passages as (paragraph number, text).

    Returns:
        the pairs, by Jaccard descending, then article_a, paragraph_a, article_b, paragraph_b.
    """
    sets = [[(p, shingles(text, n=n)) for p, text in passages] for passages in articles]
    found = []
    for a in range(len(sets)):
        for b in range(a + 1, len(sets)):
            for pa, sa in sets[a]:
                if not sa:
                    continue
                for pb, sb in sets[b]:
                    if not sb:
                        continue
                    shared = len(sa & sb)
                    if not shared:
                        continue
                    score = shared / len(sa | sb)
                    if score >= threshold:
                        found.append(NearDuplicate(a, pa, b, pb, round(score, 4)))
    return sorted(
        found, key=lambda d: (-d.jaccard, d.article_a, d.paragraph_a, d.article_b, d.paragraph_b)
    )


def exclusive_items(items: Sequence[Sequence[str]]) -> list[list[str]]:
    """Per article, the items (entities, terms) that no other article has.

    Returns:
        one sorted list per article, in the order given.
    """
    counts: dict[str, int] = {}
    for one in items:
        for item in set(one):
            counts[item] = counts.get(item, 0) + 1
    return [sorted(item for item in set(one) if counts[item] == 1) for one in items]


def aligned_counts(
    frames: Sequence[pd.DataFrame], *, names: Sequence[str], item: str, value: str, top: int = TOP
) -> pd.DataFrame:
    """One table for several articles: the union of each one's ``top`` items as rows, a count
    column per article (0 where it has none), and ``only in`` naming the one article that has
    it, if only one does.

    Returns:
        columns ``item``, one per name, ``only in``; by the total count descending, then item.
    """
    rows: dict[str, list[int]] = {}
    for frame in frames:
        for name in frame[item].head(top):
            rows.setdefault(name, [0] * len(frames))
    for i, frame in enumerate(frames):
        counts = dict(zip(frame[item], frame[value], strict=True))
        for name, values in rows.items():
            values[i] = int(counts.get(name, 0))
    table = pd.DataFrame([[name, *values] for name, values in rows.items()], columns=[item, *names])
    table["only in"] = [
        next(n for n, v in zip(names, values, strict=True) if v)
        if sum(1 for v in values if v) == 1
        else ""
        for values in rows.values()
    ]
    if table.empty:
        return table.astype({n: "int64" for n in names})
    table["_total"] = table[list(names)].sum(axis=1)
    table = table.sort_values(["_total", item], ascending=[False, True], kind="stable")
    return table.drop(columns="_total").reset_index(drop=True)


def article_name(result: ArticleAnalysis, number: int) -> str:
    """A short column name: "1. <title, cut>" (the outlet when there is no title)."""
    title = result.article.title or result.article.source or "untitled"
    return f"{number}. {title[:40]}{'…' if len(title) > 40 else ''}"


def passages(result: ArticleAnalysis) -> list[tuple[int, str]]:
    """An article's passages to match: (paragraph number, text) of its headline and body."""
    return [(s.index, s.text) for s in result.segments if s.kind in ("headline", "body")]


def mean_tones(result: ArticleAnalysis) -> dict[str, float]:
    """An article's mean tone per sentiment model (none for an article without a body)."""
    return {row.model: float(row.mean) for row in result.tone().itertuples(index=False)}


def quotation_counts(result: ArticleAnalysis) -> tuple[int, int]:
    """(quotations with a speaker, quotations without one): the first is what the Quotes tab
    draws, so that the summary and the tab agree.

    Returns:
        the two counts.
    """
    attributed = sum(1 for row in result.quote_rows if isinstance(row.speaker, str))
    return attributed, len(result.quote_rows) - attributed


def copy_pairs(keys: Sequence[str], duplicate_of: dict[str, str | None]) -> list[tuple[int, int]]:
    """The pairs of compared articles that are copies of one story: one is marked a
    near-duplicate of the other, or both of the same first copy.

    Args:
        keys: the compared articles' keys, in order.
        duplicate_of: a stored article's key -> its ``duplicate_of`` (the first copy's key,
            or None); articles not stored are absent.

    Returns:
        (i, j) positions in ``keys``, i < j, in order.
    """
    story = {k: duplicate_of[k] or k for k in keys if k in duplicate_of}
    return [
        (i, j)
        for i, a in enumerate(keys)
        for j in range(i + 1, len(keys))
        if a in story and keys[j] in story and story[a] == story[keys[j]]
    ]


#: An article's "source" that is a file it was read from, not an outlet.
_FILE = re.compile(r"\.(?:txt|html?|md|json|jsonl|csv|pdf|xml)$", re.IGNORECASE)


def shown_outlet(source: str | None) -> str:
    """An article's outlet as the summary shows it: a web address's host, an outlet's name,
    or "(no outlet)" for none and for a file's name or path (an uploaded or sample file).

    Returns:
        the outlet's name, or "(no outlet)".
    """
    text = (source or "").strip()
    if "://" in text:
        text = text.split("://", 1)[1].split("/", 1)[0]
    if not text or "/" in text or "\\" in text or " " in text or _FILE.search(text):
        return NO_OUTLET
    return text
