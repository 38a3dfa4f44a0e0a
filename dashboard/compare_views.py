"""The Compare page: two to four articles side by side.

:func:`render_compare` draws aligned words, entities, sentiment and quotes per article, what
each has that the others do not, and the passages they share (near-duplicates, as wire copy
shows up in several outlets); :func:`compare_page` is the wiring. The comparisons themselves
(:func:`near_duplicates`, :func:`exclusive_items`, :func:`aligned_counts`) are pure functions.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

import pandas as pd
import streamlit as st

from analysis.core.article import parse_article
from analysis.core.pipeline import ArticleAnalysis
from analysis.errors import ArticleError
from analysis.sources.fetch import fetch_url
from dashboard import charts
from dashboard.corpus_state import (
    COMPARE_MAX,
    COMPARE_MIN,
    SAMPLE,
    CorpusState,
    from_query,
    link_message,
    to_query,
)
from dashboard.render import CSS, ENTITY_COLOURS, md_escape
from dashboard.settings import app_settings
from dashboard.sources import list_seeds

SHINGLE = 5
THRESHOLD = 0.5
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


def _passages(result: ArticleAnalysis) -> list[tuple[int, str]]:
    return [(s.index, s.text) for s in result.segments if s.kind in ("headline", "body")]


def _tone(result: ArticleAnalysis) -> dict:
    tone = result.tone()
    out = {}
    for row in tone.itertuples(index=False):
        out[row.model] = float(row.mean)
    return out


def _chips(names: Sequence[str], colours: dict[str, str] | None = None) -> str:
    if not names:
        return "<span class='nl-meta'>nothing of its own</span>"
    return " ".join(
        f"<span style='display:inline-block;margin:2px;padding:0 5px;border-radius:3px;"
        f"background:#fff6d6;box-shadow:0 0 0 1px #e9d48a;"
        f"{'border-bottom:3px solid ' + colours[n] if colours and n in colours else ''}'>"
        f"{html.escape(n)}</span>"
        for n in names
    )


def render_compare(
    results: Sequence[ArticleAnalysis],
    *,
    key: str,
    names: Sequence[str] | None = None,
    published: Sequence[str] | None = None,
) -> list[NearDuplicate]:
    """Two to four analysed articles side by side (see the module docstring).

    Args:
        published: per article, its date when known from elsewhere (a corpus article's
            stored date; its text alone may not say), else "" for the one the text gives.

    Returns:
        the near-duplicate passages found (:func:`near_duplicates`).
    """
    results = list(results)
    if not COMPARE_MIN <= len(results) <= COMPARE_MAX:
        st.info(f"Choose {COMPARE_MIN} to {COMPARE_MAX} articles to compare.")
        return []
    names = list(names) if names else [article_name(r, i + 1) for i, r in enumerate(results)]
    st.html(f"<style>{CSS}</style>")
    summary = pd.DataFrame(
        {
            "article": names,
            "source": [r.article.source or "" for r in results],
            "published": [
                (published[i] if published and published[i] else r.article.published) or ""
                for i, r in enumerate(results)
            ],
            "words": [
                int(r.paragraphs.loc[r.paragraphs["kind"] == "body", "words"].sum())
                for r in results
            ],
            "paragraphs": [int((r.paragraphs["kind"] == "body").sum()) for r in results],
            "tone (VADER)": [_tone(r).get("vader") for r in results],
            "tone (TextBlob)": [_tone(r).get("textblob") for r in results],
            "quotations": [len(r.quote_rows) for r in results],
        }
    )
    st.dataframe(
        summary,
        hide_index=True,
        key=f"{key}_summary",
        column_config={
            "tone (VADER)": st.column_config.NumberColumn(format="%+.2f"),
            "tone (TextBlob)": st.column_config.NumberColumn(format="%+.2f"),
        },
    )

    words_tab, entities_tab, tone_tab, quotes_tab, own_tab, shared_tab = st.tabs(
        ["Words", "Entities", "Sentiment", "Quotes", "Only in one", "Shared passages"]
    )
    with words_tab:
        table = aligned_counts([r.words for r in results], names=names, item="term", value="count")
        _columns(results, names, lambda r: charts.words_figure(r.words, top=TOP), f"{key}_words")
        _aligned(table, key=f"{key}_words")
    with entities_tab:
        table = aligned_counts(
            [r.entities for r in results], names=names, item="entity", value="count"
        )
        _columns(
            results, names, lambda r: charts.entities_figure(r.entities, top=TOP), f"{key}_entities"
        )
        _aligned(table, key=f"{key}_entities")
    with tone_tab:
        _columns(results, names, lambda r: charts.sentiment_figure(r.paragraphs), f"{key}_tone")
    with quotes_tab:
        table = aligned_counts(
            [r.speakers for r in results], names=names, item="speaker", value="words"
        )
        _columns(
            results, names, lambda r: charts.speakers_figure(r.speakers, top=TOP), f"{key}_quotes"
        )
        _aligned(table, key=f"{key}_quotes")
    with own_tab:
        entities = exclusive_items([list(r.entities["entity"]) for r in results])
        terms = exclusive_items([list(r.words["term"].head(50)) for r in results])
        colours = {}
        for r in results:
            for entity, label in zip(r.entities["entity"], r.entities["label"], strict=True):
                colours.setdefault(entity, ENTITY_COLOURS.get(label, "#bbbbbb"))
        cols = st.columns(len(results))
        for i, col in enumerate(cols):
            with col:
                st.markdown(f"**{md_escape(names[i])}**")
                st.caption("Entities no other article names")
                st.html(f"<div class='nl-article'>{_chips(entities[i], colours)}</div>")
                st.caption("Among its 50 most frequent words, those no other article has in its 50")
                st.html(f"<div class='nl-article'>{_chips(terms[i])}</div>")
        own = pd.DataFrame(
            [(names[i], "entity", e) for i in range(len(results)) for e in entities[i]]
            + [(names[i], "word", t) for i in range(len(results)) for t in terms[i]],
            columns=["article", "kind", "item"],
        )
        _download(own, "only-in-one", f"{key}_own_csv")
    with shared_tab:
        pairs = near_duplicates([_passages(r) for r in results])
        _shared(results, names, pairs, key=f"{key}_shared")
    return pairs


def _columns(results, names, figure, key: str) -> None:
    cols = st.columns(len(results))
    for i, col in enumerate(cols):
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
    _download(table, key.rsplit("_", 1)[-1], f"{key}_csv")


def _download(frame: pd.DataFrame, name: str, key: str) -> None:
    st.download_button(
        f"Download {name} (CSV)",
        lambda: frame.to_csv(index=False).encode("utf-8"),
        file_name=f"newslens-compare-{name}.csv",
        mime="text/csv",
        key=key,
    )


def _shared(results, names, pairs: list[NearDuplicate], *, key: str) -> None:
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
    st.dataframe(
        table,
        hide_index=True,
        key=f"{key}_table",
        column_config={
            "similarity": st.column_config.ProgressColumn(min_value=0, max_value=1, format="%.2f")
        },
    )
    _download(table, "shared-passages", f"{key}_csv")


# -- the page ---------------------------------------------------------------------------------

KEY = "compare"


class Candidate(NamedTuple):
    """An article the page can compare."""

    key: str  # SHA-256 of its bytes (sample, added article) or the corpus key
    label: str
    raw: bytes | None  # the bytes; None for a corpus article (read when chosen)
    source: str  # shown as the article's source
    published: str = ""  # a corpus article's stored date (its text may not carry it)


def _seed_candidates() -> list[Candidate]:
    """The sample articles of ``seeds/``, listed by title (:func:`dashboard.sources.list_seeds`)."""
    out = []
    for seed in list_seeds():
        raw = seed.path.read_bytes()
        out.append(
            Candidate(hashlib.sha256(raw).hexdigest(), f"Sample: {seed.title}", raw, seed.path.name)
        )
    return out


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


def _add(raw: bytes, *, source: str, kind: str) -> None:
    """A button's callback: add an article to the choice (before the widgets are drawn)."""
    ss = st.session_state
    picked = list(ss.get(f"{KEY}_pick", []))
    if len(picked) >= COMPARE_MAX:
        ss[f"{KEY}_flash"] = (
            "error",
            f"Up to {COMPARE_MAX} articles at once: remove one above first.",
        )
        return
    try:
        candidate = added_candidate(raw, source=source, kind=kind)
    except ArticleError as error:
        ss[f"{KEY}_flash"] = ("error", f"{kind}: {error}")
        return
    ss.setdefault(f"{KEY}_added", {})[candidate.key] = candidate
    if candidate.key not in picked:
        ss[f"{KEY}_pick"] = [*picked, candidate.key]
    ss[f"{KEY}_flash"] = ("success", f"Added “{candidate.label}”.")


def _add_pasted() -> None:
    text = st.session_state.get(f"{KEY}_paste", "")
    _add(text.encode("utf-8"), source="pasted text", kind="Pasted")
    st.session_state[f"{KEY}_paste"] = ""


def _add_url() -> None:
    url = st.session_state.get(f"{KEY}_url", "").strip()
    if not url:
        st.session_state[f"{KEY}_flash"] = ("error", "Type the address of a page first.")
        return
    try:
        page = fetch_url(url, allow_private=app_settings().allow_private_urls)
    except ArticleError as error:
        st.session_state[f"{KEY}_flash"] = ("error", f"Could not fetch the page: {error}")
        return
    _add(page.body, source=page.url, kind="Web page")
    st.session_state[f"{KEY}_url"] = ""


def render_add_article(*, key: str = KEY) -> None:
    """Paste a text or fetch a page, as on the Article page; the article joins the choice."""
    with st.expander("Add an article: paste its text or fetch a page", expanded=False):
        left, right = st.columns(2)
        with left:
            st.text_area(
                "Paste the text",
                key=f"{key}_paste",
                height=160,
                placeholder="Headline\n\nBy Author\n\nFirst paragraph…",
            )
            st.button("Add pasted text", key=f"{key}_paste_go", on_click=_add_pasted)
        with right:
            st.text_input(
                "…or fetch a web page",
                key=f"{key}_url",
                placeholder="example.com/story",
                help="Its address, with or without https://.",
            )
            st.button("Fetch and add", key=f"{key}_url_go", on_click=_add_url)


def compare_page(*, source=None) -> None:
    """The Compare page: choose 2 to 4 articles (the samples, the corpus the Corpus page
    shows, or articles added here by pasting or fetching), analysed with the app's cached
    analysis, drawn by :func:`render_compare`; the choice goes to the URL (``compare``: a
    corpus or sample article by a 16-digit key prefix, an added one by its full key, which
    the share store resolves)."""
    from dashboard.cache import analyse
    from dashboard.corpus_views import render_corpus_choice, run_query

    ss = st.session_state
    if f"{KEY}_state" not in ss:
        state, notes = from_query(st.query_params.to_dict())
        ss[f"{KEY}_state"] = state
        ss[f"{KEY}_notes"] = notes
    state: CorpusState = ss[f"{KEY}_state"]
    st.title("Compare")
    note = link_message(ss.pop(f"{KEY}_notes", []))
    if note:
        st.warning(note, icon=":material/link_off:")
    name = state.corpus
    if source is None:
        name, source = render_corpus_choice(state, key=f"{KEY}_choice")
    rows = run_query(source, "article_table", limit=2000)
    added: dict[str, Candidate] = ss.setdefault(f"{KEY}_added", {})
    candidates = (
        _seed_candidates()
        + list(added.values())
        + [
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
    )
    by_key = {c.key: c for c in candidates}
    if f"{KEY}_pick" not in ss:
        wanted = [
            next((c.key for c in candidates if c.key.startswith(k)), None) for k in state.compare
        ]
        for i, k in enumerate(state.compare):
            found = _stored_candidate(k) if wanted[i] is None else None
            if found is not None:
                added[found.key] = by_key[found.key] = found
                wanted[i] = found.key
        missing = [k for k, found in zip(state.compare, wanted, strict=True) if found is None]
        if missing:
            st.warning(
                f"Not in this corpus, the samples or the added articles: {', '.join(missing)}"
            )
        ss[f"{KEY}_pick"] = [k for k in wanted if k] or [c.key for c in candidates[:2]]
    ss[f"{KEY}_pick"] = [k for k in ss[f"{KEY}_pick"] if k in by_key]
    picked = st.multiselect(
        "Articles to compare",
        list(by_key),
        key=f"{KEY}_pick",
        format_func=lambda k: by_key[k].label,
        max_selections=COMPARE_MAX,
        help=f"{COMPARE_MIN} to {COMPARE_MAX} articles: samples, the corpus's, or added below.",
    )
    render_add_article()
    flash = ss.pop(f"{KEY}_flash", None)
    if flash:
        getattr(st, flash[0])(flash[1])
    texts = run_query(source, "article_texts", keys=[k for k in picked if by_key[k].raw is None])
    stored = dict(zip(texts["doc_key"], texts["text"], strict=True))
    results = []
    with st.spinner("Analysing…"):
        for k in picked:
            raw = by_key[k].raw if by_key[k].raw is not None else stored.get(k, "").encode("utf-8")
            results.append(analyse(raw, by_key[k].source, False))
    render_compare(results, key=f"{KEY}_view", published=[by_key[k].published for k in picked])
    keys = tuple(k if k in added else k[:16] for k in picked)
    new = replace(
        state,
        corpus=name if name else SAMPLE,
        compare=keys if COMPARE_MIN <= len(picked) <= COMPARE_MAX else (),
    )
    ss[f"{KEY}_state"] = new
    st.query_params.from_dict(
        {k: v for k, v in to_query(new).items() if k in ("corpus", "compare")}
    )
