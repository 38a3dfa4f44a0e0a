"""Quote attribution against hand-annotated Wikinews quotations (used by ``bench/quality.py``).

The gold (``bench/data/quotes-wikinews.jsonl``, see ``bench/data/README.md``) gives per
quotation the article id, a verbatim piece of the quoted text (``quote``; ``occurrence`` when
the piece occurs more than once in the article), the speaker a reader names (``speaker``, and
other names a reader would accept in ``also``) and its ``kind`` (person, organisation,
description).

A gold quotation is *found* when NewsLens has a quotation row whose text holds the piece (the
``occurrence``-th such row in text order). Its attribution is *right* when the name NewsLens
shows for that row (:func:`analysis.core.quotes.said_by`: the entity, or the speaker as
written) is one of the accepted names, compared without case, a leading article or
punctuation at either end. A quotation NewsLens did not find counts as wrong.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple


class QuoteScore(NamedTuple):
    """Quote attribution figures."""

    gold: int  #: gold quotations
    articles: int  #: articles they come from
    found: int  #: gold quotations NewsLens found
    right: int  #: found and attributed to an accepted name
    by_kind: dict  #: kind -> (gold, right)
    wrong: list  #: (id, quote, gold speaker, shown name or None) of the others


def read_gold(path: Path) -> list[dict]:
    """The gold quotations, in file order."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def name_key(name: str | None) -> str:
    """A name compared without case, a leading article or punctuation at either end."""
    if not name:
        return ""
    text = " ".join(unicodedata.normalize("NFKC", name).casefold().split())
    while True:
        before = text
        text = text.strip(" \t\"'“”‘’.,;:()[]-–—")
        for article in ("the ", "a ", "an "):
            if text.startswith(article):
                text = text[len(article) :]
        if text == before:
            return text


def shown_names(quotes: Sequence[dict]) -> list[str | None]:
    """The name NewsLens shows for each quotation row, by the product's own rule."""
    import pandas as pd

    from analysis.core.quotes import said_by

    table = pd.DataFrame(
        {
            "speaker": [q.get("speaker") for q in quotes],
            "entity": [q.get("entity") for q in quotes],
        },
        dtype="object",
    )
    return [None if value is None else str(value) for value in said_by(table)]


def score_quotes(gold: Sequence[dict], predictions: dict[str, dict]) -> QuoteScore:
    """Score NewsLens's quotation rows (``predictions``: id -> its JSON record) on ``gold``."""
    found = right = 0
    by_kind: dict[str, list[int]] = {}
    wrong = []
    names_of: dict[str, list[str | None]] = {}
    for item in gold:
        record = predictions.get(item["id"], {})
        quotes = sorted(record.get("quotes") or [], key=lambda q: (q["paragraph"], q["start"]))
        if item["id"] not in names_of:
            names_of[item["id"]] = shown_names(quotes)
        names = names_of[item["id"]]
        holding = [k for k, q in enumerate(quotes) if item["quote"] in q["quote"]]
        occurrence = int(item.get("occurrence", 1))
        shown = None
        hit = len(holding) >= occurrence
        if hit:
            found += 1
            shown = names[holding[occurrence - 1]]
        accepted = {name_key(item["speaker"])} | {name_key(name) for name in item.get("also", [])}
        correct = hit and name_key(shown) in accepted
        right += correct
        counts = by_kind.setdefault(item.get("kind", "person"), [0, 0])
        counts[0] += 1
        counts[1] += correct
        if not correct:
            wrong.append(
                (item["id"], item["quote"], item["speaker"], shown if hit else "(not found)")
            )
    return QuoteScore(
        gold=len(gold),
        articles=len({item["id"] for item in gold}),
        found=found,
        right=right,
        by_kind={kind: tuple(value) for kind, value in by_kind.items()},
        wrong=wrong,
    )


def describe(score: QuoteScore) -> list[str]:
    """Printable lines for ``score``."""
    lines = [
        f"gold quotations: {score.gold} in {score.articles} articles",
        f"found by NewsLens: {score.found} ({score.found / score.gold:.1%})",
        f"attributed right: {score.right} = {score.right / score.gold:.3f} of all gold "
        f"quotations; {score.right / max(1, score.found):.3f} of those found",
    ]
    for kind, (count, correct) in sorted(score.by_kind.items()):
        lines.append(f"  {kind}: {correct} of {count}")
    reasons = Counter(
        "not found" if shown == "(not found)" else "wrong" for *_, shown in score.wrong
    )
    lines.append(f"misses: {dict(reasons)}")
    return lines
