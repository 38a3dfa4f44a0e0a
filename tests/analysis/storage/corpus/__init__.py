"""A small corpus written for these tests, built directly as contract DataFrames (no spaCy).

Eight articles from three outlets (and one with no outlet) over six weeks of 2024. Each
article is a title (paragraph 0) and two body paragraphs of one sentence each; terms are the
lower-cased words of every paragraph; entity sentences are derived from the mentions.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

import pandas as pd

from analysis.storage.corpus import empty_tables

STOP = {
    "a",
    "after",
    "again",
    "and",
    "as",
    "at",
    "for",
    "in",
    "is",
    "of",
    "on",
    "the",
    "this",
    "to",
    "we",
    "were",
    "will",
    "with",
    "without",
    "would",
    "now",
    "must",
    "was",
}
NAMED = {"PERSON", "ORG", "GPE"}

# key, source, date, title, body paragraphs (text, vader), mentions (paragraph, entity, label),
# quotes (paragraph, quote, speaker, entity)
SPEC = [
    (
        "a1",
        "alpha.news",
        "2024-03-04",
        "Ceasefire talks resume in Cairo",
        [
            ("Egypt hosted ceasefire talks in Cairo with Qatar.", 0.4),
            ('"The talks were constructive," said Ann Lee of the United Nations.', 0.5),
        ],
        [
            (1, "Egypt", "GPE"),
            (1, "Cairo", "GPE"),
            (1, "Qatar", "GPE"),
            (2, "Ann Lee", "PERSON"),
            (2, "United Nations", "ORG"),
        ],
        [(2, "The talks were constructive,", "Ann Lee", "Ann Lee")],
    ),
    (
        "a2",
        "alpha.news",
        "2024-03-06",
        "Aid trucks wait at the border",
        [
            ("Aid trucks waited at the Rafah border as Egypt inspected cargo.", -0.3),
            ("The United Nations warned of famine in Gaza.", -0.6),
        ],
        [
            (1, "Rafah", "GPE"),
            (1, "Egypt", "GPE"),
            (2, "United Nations", "ORG"),
            (2, "Gaza", "GPE"),
        ],
        [],
    ),
    (
        "a3",
        "beta.news",
        "2024-03-12",
        "Markets rally after rate cut",
        [
            ("Stocks rallied after the central bank cut rates.", 0.6),
            ('"This is good news for borrowers," said John Carter.', 0.5),
        ],
        [(2, "John Carter", "PERSON")],
        [(2, "This is good news for borrowers,", "John Carter", "John Carter")],
    ),
    (
        "a4",
        "beta.news",
        "2024-03-14",
        "Egypt and Qatar push for truce",
        [
            ("Egypt and Qatar pushed for a truce in Gaza.", 0.2),
            ("Ann Lee said the truce talks in Cairo would continue on Monday.", 0.1),
        ],
        [
            (1, "Egypt", "GPE"),
            (1, "Qatar", "GPE"),
            (1, "Gaza", "GPE"),
            (2, "Ann Lee", "PERSON"),
            (2, "Cairo", "GPE"),
            (2, "Monday", "DATE"),
        ],
        [],
    ),
    (
        "a5",
        "gamma.news",
        "2024-03-20",
        "Floods hit northern towns",
        [
            ("Floods destroyed homes in northern towns on Tuesday.", -0.7),
            ('"We lost everything," said Maria Santos.', -0.5),
        ],
        [(1, "Tuesday", "DATE"), (2, "Maria Santos", "PERSON")],
        [(2, "We lost everything,", "Maria Santos", "Maria Santos")],
    ),
    (
        "a6",
        "gamma.news",
        "2024-04-02",
        "United Nations appeals for Gaza aid",
        [
            ("The United Nations appealed for aid to Gaza and Rafah.", -0.2),
            ('"Aid must reach Gaza now," said Ann Lee.', -0.1),
        ],
        [
            (1, "United Nations", "ORG"),
            (1, "Gaza", "GPE"),
            (1, "Rafah", "GPE"),
            (2, "Gaza", "GPE"),
            (2, "Ann Lee", "PERSON"),
        ],
        [(2, "Aid must reach Gaza now,", "Ann Lee", "Ann Lee")],
    ),
    (
        "a7",
        "alpha.news",
        "2024-04-03",
        "Cairo talks end without deal",
        [
            ("Talks in Cairo ended without a deal, Egypt said.", -0.4),
            ('"We will try again," said a spokesman of the United Nations.', 0.3),
        ],
        [(1, "Cairo", "GPE"), (1, "Egypt", "GPE"), (2, "United Nations", "ORG")],
        [(2, "We will try again,", "a spokesman", None)],
    ),
    (
        "a8",
        None,
        "2024-04-10",
        "Rates hold steady",
        [
            ("The central bank held rates steady in April.", 0.0),
            ("Borrowers welcomed the calm.", 0.2),
        ],
        [(1, "April", "DATE")],
        [],
    ),
]

WORD = re.compile(r"[^\W\d_]+")


def key(name: str) -> str:
    """The doc_key of a test article: SHA-256 of its name."""
    return hashlib.sha256(name.encode()).hexdigest()


def article_tables(
    name: str, *, version: int = 1, title: str | None = None
) -> dict[str, pd.DataFrame]:
    """The contract tables of one article of :data:`SPEC`, by name ("a1".."a8")."""
    spec = {row[0]: row for row in SPEC}[name]
    _, source, day, default_title, body, mentions, quotes = spec
    title = title or default_title
    k = key(name)
    texts = [title, *(text for text, _ in body)]
    vaders = [0.0, *(v for _, v in body)]
    tables = empty_tables()
    tone = sum(v for _, v in body) / len(body)
    tables["articles"] = _frame(
        tables["articles"],
        [
            {
                "doc_key": k,
                "version": version,
                "title": title,
                "author": None,
                "published": f"{day}T09:00:00",
                "date": pd.Timestamp(day),
                "source": source,
                "url": f"https://{source or 'example.org'}/{name}",
                "words": sum(len(WORD.findall(t)) for t in texts[1:]),
                "paragraphs": len(body),
                "tone_vader": tone,
                "tone_textblob": tone / 2,
                "top_entities": _top(mentions),
                "date_source": None,
                "duplicate_of": None,
                "revision": 1,
                "fetched_at": None,
            }
        ],
    )
    tables["paragraphs"] = _frame(
        tables["paragraphs"],
        [
            {
                "doc_key": k,
                "paragraph": i,
                "kind": "headline" if i == 0 else "body",
                "text": t,
                "polarity": vaders[i] / 2,
                "subjectivity": 0.5,
                "vader": vaders[i],
                "words": len(WORD.findall(t)),
                "sentences": 1,
            }
            for i, t in enumerate(texts)
        ],
    )
    tables["sentences"] = _frame(
        tables["sentences"],
        [
            {
                "doc_key": k,
                "paragraph": i,
                "sentence": 0,
                "start": 0,
                "end": len(t),
                "text": t,
                "polarity": vaders[i] / 2,
                "subjectivity": 0.5,
                "vader": vaders[i],
            }
            for i, t in enumerate(texts)
        ],
    )
    term_rows = []
    for i, t in enumerate(texts):
        for term, count in sorted(Counter(w.casefold() for w in WORD.findall(t)).items()):
            term_rows.append(
                {
                    "doc_key": k,
                    "paragraph": i,
                    "term": term,
                    "lemma": term,
                    "is_stop": term in STOP,
                    "count": count,
                }
            )
    tables["terms"] = _frame(tables["terms"], term_rows)
    mention_rows = []
    for paragraph, entity, label in mentions:
        start = texts[paragraph].index(entity)
        mention_rows.append(
            {
                "doc_key": k,
                "paragraph": paragraph,
                "start": start,
                "end": start + len(entity),
                "text": entity,
                "label": label,
                "entity": entity,
            }
        )
    tables["mentions"] = _frame(tables["mentions"], mention_rows)
    named = [(p, e, lab) for p, e, lab in mentions if lab in NAMED]
    entity_rows = []
    for entity, label in sorted({(e, lab) for _, e, lab in named}):
        paragraphs = sorted({p for p, e, _ in named if e == entity})
        count = sum(1 for _, e, _ in named if e == entity)
        entity_rows.append(
            {
                "doc_key": k,
                "entity": entity,
                "label": label,
                "count": count,
                "paragraphs": paragraphs,
            }
        )
    tables["entities"] = _frame(tables["entities"], entity_rows)
    tables["quotes"] = _frame(
        tables["quotes"],
        [
            {
                "doc_key": k,
                "paragraph": p,
                "start": 1,
                "end": 1 + len(quote),
                "quote": quote,
                "speaker": speaker,
                "entity": entity,
                "words": len(WORD.findall(quote)),
            }
            for p, quote, speaker, entity in quotes
        ],
    )
    sentence_rows = []
    for (paragraph, entity), n in sorted(Counter((p, e) for p, e, _ in named).items()):
        label = next(lab for p, e, lab in named if e == entity)
        sentence_rows.append(
            {
                "doc_key": k,
                "entity": entity,
                "type": label,
                "paragraph": paragraph,
                "sentence": 0,
                "mentions": n,
                "polarity": vaders[paragraph] / 2,
                "vader": vaders[paragraph],
            }
        )
    tables["entity_sentences"] = _frame(tables["entity_sentences"], sentence_rows)
    return tables


def corpus(*, version: int = 1) -> list[dict[str, pd.DataFrame]]:
    """All eight articles, a1..a8."""
    return [article_tables(row[0], version=version) for row in SPEC]


def _top(mentions: list[tuple[int, str, str]]) -> str:
    counts = Counter(e for _, e, lab in mentions if lab in NAMED)
    return ", ".join(e for e, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3])


def _frame(empty: pd.DataFrame, rows: list[dict]) -> pd.DataFrame:
    if not rows:
        return empty
    frame = pd.DataFrame(rows, columns=list(empty.columns))
    return frame.astype({c: t for c, t in empty.dtypes.items() if c != "paragraphs"})


def copies(count: int, *, start: int = 0) -> list[dict[str, pd.DataFrame]]:
    """``count`` articles cloned from a1..a8 in turn under new keys ``key(f"copy-{i}")``."""
    templates = corpus()
    out = []
    for i in range(start, start + count):
        new_key = key(f"copy-{i}")
        out.append(
            {
                name: frame.assign(doc_key=new_key)
                for name, frame in templates[i % len(templates)].items()
            }
        )
    return out
