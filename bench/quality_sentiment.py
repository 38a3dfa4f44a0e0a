"""Sentiment toward an entity against NewsMTSC's per-target gold (not a test: it prints figures).

    python bench/quality_sentiment.py [--data FILE] [--limit N] [--alternatives]

For every (sentence, target) pair of NewsMTSC (``targets``: ``from``/``to`` offsets, gold
``polarity`` 2.0 negative, 4.0 neutral, 6.0 positive), NewsLens's sentiment toward the entity the
target's mention belongs to (:func:`analysis.core.stance.entity_sentences` on the sentence's own
mention and sentence rows) is compared with the gold label, under each model at the product's
neutral band. A target NewsLens does not recognise as a named entity (pronouns, "the
president", a name the recogniser misses) falls back to the sentence's score without the names
in it, which is what every entity of that sentence gets; the rows "target found" count only the
pairs whose target is an entity. The plain-lexicon whole-sentence scores of the same pairs are
the baselines.

Printed after the table: the macro-F1 per model for other neutral bands (information only),
a band tuned on one half of the articles and reported on the other half, and the cost of
:func:`analysis.core.sentiment.vader_assessments` next to :func:`analysis.core.sentiment.score_text`.

The data is for measurement only: never copy its text into the product, its seeds or its tests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path[:1]:
    # bench/analysis.py would shadow the `analysis` package.
    sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from analysis.core.article import Segment  # noqa: E402
from analysis.core.entities import NAME_LABELS, mention_rows, mention_table, resolve_mentions  # noqa: E402
from analysis.core.nlp import disabled_for  # noqa: E402
from analysis.core.sentiment import (  # noqa: E402
    DEFAULT_BAND,
    MODELS,
    score_text,
    sentence_table,
    sentiment_label,
    sentiment_rows,
)
from analysis.core.stance import entity_sentences, without_names  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "newsmtsc-train.jsonl"
CLASSES = ("negative", "neutral", "positive")
GOLD = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
BANDS = (0.05, 0.1, 0.2, 0.3)
#: Score column of each system in :func:`target_pairs`' table.
SYSTEMS = {
    "newslens-entity-vader": "entity_vader",
    "newslens-entity-textblob": "entity_textblob",
    "lexicon-sentence-vader": "sentence_vader",
    "lexicon-sentence-textblob": "sentence_textblob",
}


#: Target-aware alternatives measured by ``main`` (not in :func:`target_rows`): the sentence
#: with only the target's own name masked; the clause holding the target (cut at ; : dashes,
#: quotation marks and "but"/"while"/"although") with all names masked; a window of 15 words on
#: each side of the target with all names masked.
ALTERNATIVES = ("own_name", "clause", "window15")
_CLAUSE_BOUND = re.compile(
    r"\s*(?:[;:—–]|\s-\s|,\s*(?:but|while|whereas|although|though)\b|\bbut\b|[\"“”])\s*"
)


def _clause(text: str, start: int, end: int) -> str:
    bounds = list(_CLAUSE_BOUND.finditer(text))
    low = max((m.end() for m in bounds if m.end() <= start), default=0)
    high = min((m.start() for m in bounds if m.start() >= end), default=len(text))
    return text[low:high]


def _window(text: str, start: int, end: int, words: int = 15) -> str:
    before = [m.start() for m in re.finditer(r"\S+", text[:start])]
    after = [m.end() for m in re.finditer(r"\S+", text[end:])]
    low = before[-words] if len(before) >= words else 0
    high = end + after[words - 1] if len(after) >= words else len(text)
    return text[low:high]


def _alternatives(text: str, target: tuple[int, int], own: list, names: list) -> dict:
    masked = without_names(text, names)
    variants = {
        "own_name": without_names(text, own),
        "clause": _clause(masked, *target),
        "window15": _window(masked, *target),
    }
    scores = {}
    for name, variant in variants.items():
        score = score_text(variant)
        scores[f"{name}_vader"], scores[f"{name}_textblob"] = score.vader, score.polarity
    return scores


def _records(path: str | Path, limit: int | None) -> list[dict]:
    records = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                records.append(json.loads(line))
            if limit is not None and len(records) >= limit:
                break
    return records


def _article(gid: str) -> str:
    # "allsides_1000_401_25_Reality Leigh Winner_0_6": the first three parts name the article.
    return "_".join(gid.split("_")[:3])


def target_pairs(
    path: str | Path, *, nlp, limit: int | None = None, alternatives: bool = False
) -> pd.DataFrame:
    """One row per (sentence, target): the gold label and each system's score.

    Returns:
        A DataFrame with article, gold (label), value (gold polarity, 2/4/6), found (the target
        overlaps a named-entity mention), entity_vader, entity_textblob (NewsLens's sentiment
        toward the target's entity, or the fallback), sentence_vader, sentence_textblob (plain
        whole-sentence scores); with ``alternatives``, also ``<alternative>_<model>`` for each
        of :data:`ALTERNATIVES`.
    """
    records = _records(path, limit)
    texts = [record["sentence_normalized"] for record in records]
    disable = disabled_for(nlp, sentences=False, lemmas=False)
    rows = []
    for record, text, doc in zip(
        records, texts, nlp.pipe(texts, disable=disable, batch_size=256), strict=True
    ):
        segment = Segment(1, "body", text)
        paragraph, sentences = sentiment_rows(1, "body", text, doc, 0)
        mentions = mention_table(resolve_mentions(mention_rows([segment], [doc])))
        scored = entity_sentences(mentions, sentence_table(sentences))
        # As the product does: a mention that is not counted (a transcript's speaker label)
        # has no sentences of its own.
        names = mentions[mentions["label"].isin(NAME_LABELS) & mentions["counted"]]
        plain = (paragraph[5], paragraph[3])
        fallback = None
        for target in record["targets"]:
            start, end = int(target["from"]), int(target["to"])
            hit = names[(names["start"] < end) & (names["end"] > start)]
            extra = {}
            if alternatives:
                spans = list(zip(names["start"], names["end"], strict=True))
                own = [(start, end)]
                if len(hit):
                    same = names[names["entity"] == hit["entity"].iloc[0]]
                    own = list(zip(same["start"], same["end"], strict=True))
                extra = _alternatives(text, (start, end), own, spans + [(start, end)])
            if len(hit):
                own = scored[scored["entity"] == hit["entity"].iloc[0]].iloc[0]
                entity = (float(own["vader"]), float(own["polarity"]))
            else:
                if fallback is None:
                    spans = zip(names["start"], names["end"], strict=True)
                    score = score_text(without_names(text, spans))
                    fallback = (score.vader, score.polarity)
                entity = fallback
            rows.append(
                {
                    "article": _article(record["primary_gid"]),
                    "gold": GOLD[target["polarity"]],
                    "value": float(target["polarity"]),
                    "found": bool(len(hit)),
                    "entity_vader": entity[0],
                    "entity_textblob": entity[1],
                    "sentence_vader": plain[0],
                    "sentence_textblob": plain[1],
                    **extra,
                }
            )
    return pd.DataFrame(rows)


def macro_f1(predicted: pd.Series, gold: pd.Series) -> float:
    """Mean of the per-class F1 over negative, neutral, positive (0 for a class never
    predicted and never gold)."""
    scores = []
    for label in CLASSES:
        true_positive = int(((predicted == label) & (gold == label)).sum())
        predicted_count = int((predicted == label).sum())
        gold_count = int((gold == label).sum())
        total = predicted_count + gold_count
        scores.append(2 * true_positive / total if total else 0.0)
    return sum(scores) / len(scores)


def spearman(scores: pd.Series, values: pd.Series) -> float:
    """Spearman's correlation with average ranks for ties."""
    return float(scores.rank().corr(values.rank()))


def measured(system: str, scores: pd.Series, pairs: pd.DataFrame, *, band: float) -> dict:
    """One row of :func:`target_rows` for a score column on some pairs."""
    predicted = scores.map(lambda score: sentiment_label(score, band=band))
    return {
        "system": system,
        "n": len(pairs),
        "macro_f1": macro_f1(predicted, pairs["gold"]),
        "accuracy": float((predicted == pairs["gold"]).mean()),
        "spearman": spearman(scores, pairs["value"]),
    }


def rows_for(pairs: pd.DataFrame, *, band: float = DEFAULT_BAND) -> list[dict]:
    """Every system on all pairs, then NewsLens and the lexicon on the pairs whose target
    NewsLens recognised."""
    rows = [measured(system, pairs[column], pairs, band=band) for system, column in SYSTEMS.items()]
    found = pairs[pairs["found"]]
    rows += [
        measured(f"{system}, target found", found[column], found, band=band)
        for system, column in SYSTEMS.items()
    ]
    return rows


def target_rows(path: str | Path, *, nlp, limit: int | None = None) -> list[dict]:
    """Sentiment toward an entity on NewsMTSC, per system.

    Returns:
        A list of ``{"system", "n", "macro_f1", "accuracy", "spearman"}``: NewsLens's
        sentiment toward the target's entity per model (with the fallback for targets that are
        no entity), the plain whole-sentence lexicon scores of the same pairs, and the same
        systems on the pairs whose target NewsLens recognised ("target found").
    """
    return rows_for(target_pairs(path, nlp=nlp, limit=limit))


def _halves(pairs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    # Whole articles on one side, so that the tuning half never sees the reporting half's text.
    side = pairs["article"].map(lambda a: hashlib.sha1(a.encode()).digest()[0] % 2)
    return pairs[side == 0], pairs[side == 1]


def _print_table(rows: list[dict]) -> None:
    width = max(len(row["system"]) for row in rows)
    print(f"{'system':<{width}}  {'n':>5}  macro-F1  accuracy  Spearman")
    for row in rows:
        print(
            f"{row['system']:<{width}}  {row['n']:>5}  {row['macro_f1']:>8.3f}  "
            f"{row['accuracy']:>8.3f}  {row['spearman']:>8.3f}"
        )


def _print_alternatives(pairs: pd.DataFrame) -> None:
    rows = [
        measured(f"{name}-{model}", pairs[f"{name}_{model}"], pairs, band=DEFAULT_BAND)
        for name in ALTERNATIVES
        for model in MODELS
    ]
    print("\ntarget-aware alternatives (not the product), all pairs:")
    _print_table(rows)


def _print_bands(pairs: pd.DataFrame) -> None:
    print("\nmacro-F1 per neutral band (all pairs):")
    print(f"{'system':<26}" + "".join(f"  {band:>5}" for band in BANDS))
    for system, column in SYSTEMS.items():
        scores = [measured(system, pairs[column], pairs, band=b)["macro_f1"] for b in BANDS]
        print(f"{system:<26}" + "".join(f"  {score:.3f}" for score in scores))
    tune, report = _halves(pairs)
    candidates = [round(0.01 * k, 2) for k in range(1, 51)]
    print(f"\nheld-out halves by article ({len(tune)} pairs to tune, {len(report)} to report):")
    for model in MODELS:
        column = f"entity_{model}"
        best = max(
            candidates,
            key=lambda b: macro_f1(
                tune[column].map(lambda s: sentiment_label(s, band=b)), tune["gold"]
            ),
        )
        tuned = measured(model, report[column], report, band=best)["macro_f1"]
        default = measured(model, report[column], report, band=DEFAULT_BAND)["macro_f1"]
        print(
            f"  newslens-entity-{model}: band tuned on one half {best:.2f}; on the other half "
            f"macro-F1 {tuned:.3f} vs {default:.3f} at the default {DEFAULT_BAND}"
        )


def _print_cost(texts: list[str]) -> None:
    from analysis.core.sentiment import _vader, vader_assessments

    analyzer = _vader()
    timings = {}
    for name, function in (
        ("score_text (both models, all words)", score_text),
        ("VADER polarity_scores alone", analyzer.polarity_scores),
        ("vader_assessments", vader_assessments),
    ):
        tick = time.perf_counter()
        for text in texts:
            function(text)
        timings[name] = (time.perf_counter() - tick) / len(texts) * 1000
    print(f"\ncost per sentence over {len(texts)} sentences:")
    for name, ms in timings.items():
        print(f"  {name}: {ms:.3f} ms")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(DATA), help="NewsMTSC jsonl file")
    parser.add_argument("--limit", type=int, default=None, help="first N sentences only")
    parser.add_argument(
        "--alternatives",
        action="store_true",
        help="also measure target-aware alternatives (clause, window, own name)",
    )
    args = parser.parse_args(argv)

    from analysis.core.nlp import load_nlp

    nlp = load_nlp()
    tick = time.perf_counter()
    pairs = target_pairs(args.data, nlp=nlp, limit=args.limit, alternatives=args.alternatives)
    elapsed = time.perf_counter() - tick
    _print_table(rows_for(pairs))
    found = float(pairs["found"].mean()) if len(pairs) else 0.0
    print(
        f"\n{len(pairs)} pairs; target recognised as a named entity: {found:.1%} "
        f"(the rest fall back to the sentence score without names); {elapsed:.1f} s"
    )
    if args.alternatives:
        _print_alternatives(pairs)
    _print_bands(pairs)
    _print_cost([record["sentence_normalized"] for record in _records(args.data, 2000)])


if __name__ == "__main__":
    main()
