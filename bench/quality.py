"""Quality benchmark of the analysis (not a test: it prints figures and asserts nothing).

    python bench/quality.py [--limit N] [--only entities|wikinews|quotes|sentiment]
                            [--worst N] [--save-predictions DIR] [--entities FILE]
                            [--sentiment FILE] [--scorer FILE] [--wikinews FILE]

What it measures, against the development data in ``../shared/data`` (see its README):

- **Entities** (``entities-dev.jsonl``, GUM documents with gold counts of named-entity
  mentions): NewsLens's entity list exactly as ``python -m analysis --jsonl`` writes it (the
  command line's ``main`` is run in this process on a temporary JSONL of ``id`` and ``text``),
  scored by ``../shared/tools/score_entities.py`` as is and with ``--names-only``; and a
  baseline, raw spaCy (the same pipeline from ``load_nlp()``, ``doc.ents`` over each whole text
  counted by (text, label), no clean-up), scored with ``--names-only`` so that it is not
  penalised for number and date types that gold never has. The scorer is imported from its file
  and its own ``main`` does the scoring; the figures are read from what it prints. Printed:
  typed and untyped precision, recall and F1, split gold entities, and the differences.
- **Wikinews entities** (``bench/data/entities-wikinews.jsonl``, 10 news articles of
  ``../shared/data/wikinews/bench.jsonl.gz`` whose entities were counted by hand, see
  ``bench/data/README.md``): the same figures, on news rather than the development set's genres.
- **Quote attribution** (``bench/data/quotes-wikinews.jsonl``, quotations of 16 Wikinews articles
  with the speaker a reader names): quotations found and attributed right
  (``bench/quality_quotes.py``), from the same command-line output.
- **Sentiment** (``newsmtsc-train.jsonl``, news sentences with people-labelled sentiment toward
  their targets): gold per sentence is the majority polarity of its targets (ties are skipped and
  counted). For plain lexicons (TextBlob polarity and VADER compound, neutral band +/-0.05) and
  for NewsLens's sentence scores (``analysis.core.sentiment.score_text``, labelled by
  ``sentiment_label``): n, macro-F1 over negative/neutral/positive, accuracy, and Spearman's
  correlation (average ranks) of the continuous score with the gold polarity. Target-level rows
  come from ``bench/quality_sentiment.py`` (``target_rows(path, *, nlp, limit=None)``) when that
  file exists.

The data is for measurement only: never copy its text into the product, its seeds or its tests.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import math
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# bench/analysis.py would shadow the `analysis` package; bench/ stays on the path (after the
# root) for `import quality_sentiment`.
sys.path.insert(0, str(ROOT))

DATA = ROOT.parent / "shared" / "data"
TOOLS = ROOT.parent / "shared" / "tools"
OWN_DATA = HERE / "data"

CLASSES = ("negative", "neutral", "positive")
GOLD_POLARITY = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
GOLD_VALUE = {"negative": -1.0, "neutral": 0.0, "positive": 1.0}
#: The neutral band of the plain-lexicon baselines (VADER's authors' recommended cut-off).
BAND = 0.05


class EntityScore(NamedTuple):
    """What the scorer printed for one system."""

    typed: tuple[float, float, float]
    untyped: tuple[float, float, float]
    split: int
    gold_entities: int
    documents_line: str
    report: str


class SentimentRow(NamedTuple):
    system: str
    n: int
    macro_f1: float
    accuracy: float
    spearman: float


# --------------------------------------------------------------------------------------------
# Shared


def read_jsonl(path: Path, *, limit: int | None = None) -> list[dict]:
    """The first ``limit`` (all when None) non-empty lines of ``path``, parsed."""
    rows: list[dict] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if limit is not None and len(rows) >= limit:
                break
            if line.strip():
                rows.append(json.loads(line))
    return rows


def line_count(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def write_jsonl(path: Path, rows: Sequence[dict]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def git_state() -> str:
    """The short commit and whether analysis/ has uncommitted changes."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--short", "analysis/"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as error:
        return f"git state unknown ({error})"
    changes = (
        f"uncommitted changes in analysis/: {len(status.splitlines())} files"
        if status
        else "analysis/ clean"
    )
    return f"commit {commit}, {changes}"


# --------------------------------------------------------------------------------------------
# Entities


def load_scorer(path: Path):
    """The scorer module, imported from its file (never copied)."""
    spec = importlib.util.spec_from_file_location("score_entities", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import the scorer from {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_SCORE_LINE = re.compile(r"^(untyped|typed)\s+P=([\d.]+) R=([\d.]+) F1=([\d.]+)", re.M)
_SPLIT_LINE = re.compile(r"^split: (\d+) of (\d+)", re.M)


def score(scorer, gold: Path, pred: Path, *, names_only: bool, worst: int = 0) -> EntityScore:
    """Run the scorer's ``main`` on ``gold`` and ``pred`` and read its figures."""
    argv = [str(gold), str(pred)]
    if names_only:
        argv.append("--names-only")
    if worst:
        argv += ["--worst", str(worst)]
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        scorer.main(argv)
    report = buffer.getvalue()
    figures = {
        kind: tuple(float(x) for x in values) for kind, *values in _SCORE_LINE.findall(report)
    }
    split = _SPLIT_LINE.search(report)
    if set(figures) != {"typed", "untyped"} or split is None:
        raise SystemExit(f"the scorer's output changed; cannot read it:\n{report}")
    return EntityScore(
        typed=figures["typed"],  # type: ignore[arg-type]
        untyped=figures["untyped"],  # type: ignore[arg-type]
        split=int(split.group(1)),
        gold_entities=int(split.group(2)),
        documents_line=report.splitlines()[0],
        report=report,
    )


def newslens_predictions(docs_path: Path, out: Path) -> int:
    """Write the command line's ``--jsonl`` output for ``docs_path`` to ``out``; its exit code."""
    from analysis.cli.article import main as cli_main

    return cli_main(["--jsonl", str(docs_path), "--output", str(out), "--quiet"])


def raw_spacy_records(docs: Sequence[dict], *, nlp) -> list[dict]:
    """Per document, spaCy's ``doc.ents`` over the whole text counted by (text, label), most
    frequent first (ties by text, label).

    Every loaded spaCy component runs, as in ``nlp(text)``: the sentence recogniser's
    boundaries change a few entities (NER never crosses one).
    """
    # spaCy's own output: NewsLens's entity components (when the pipeline has them) left out.
    ours = [name for name in nlp.pipe_names if name.startswith("newslens_")]
    records = []
    texts = (doc["text"] for doc in docs)
    for doc, parsed in zip(docs, nlp.pipe(texts, disable=ours), strict=True):
        counts = Counter((ent.text, ent.label_) for ent in parsed.ents)
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        records.append(
            {
                "id": doc["id"],
                "entities": [
                    {"text": text, "label": label, "count": count}
                    for (text, label), count in ranked
                ],
            }
        )
    return records


def _entity_line(
    name: str, typed: Sequence[float], untyped: Sequence[float], split: str, *, sign: bool = False
) -> str:
    spec = "+.3f" if sign else ".3f"
    p, r, f = (format(value, spec) for value in typed)
    up, ur, uf = (format(value, spec) for value in untyped)
    return f"{name:<36} | {p:>7} {r:>6} {f:>6} | {up:>9} {ur:>6} {uf:>6} | {split}"


def entities_section(
    args, *, nlp, scorer, out_dir: Path, path: Path | None = None, section: str = "entities"
) -> None:
    started = time.perf_counter()
    path = path or args.entities
    docs = read_jsonl(path, limit=args.limit)
    print(
        f"\n== Entities ({section}): {len(docs)} documents of {path.name}, "
        f"{sum(len(d['text'].split()) for d in docs):,} words"
    )
    gold = out_dir / f"gold-{section}.jsonl"
    write_jsonl(gold, docs)
    # The analysis sees only id and text, never the gold annotations.
    inputs = out_dir / f"input-{section}.jsonl"
    write_jsonl(inputs, [{"id": d["id"], "text": d["text"]} for d in docs])

    tick = time.perf_counter()
    ours = out_dir / f"newslens-{section}.jsonl"
    code = newslens_predictions(inputs, ours)
    failed = sum(1 for record in read_jsonl(ours) if "error" in record)
    print(
        f"NewsLens (python -m analysis --jsonl): {time.perf_counter() - tick:.1f} s, "
        f"exit code {code}, {failed} documents failed"
    )

    tick = time.perf_counter()
    raw = out_dir / f"raw-spacy-{section}.jsonl"
    write_jsonl(raw, raw_spacy_records(docs, nlp=nlp))
    print(f"raw spaCy (doc.ents): {time.perf_counter() - tick:.1f} s")

    rows = [
        ("NewsLens (CLI output)", score(scorer, gold, ours, names_only=False, worst=args.worst)),
        ("NewsLens, names only", score(scorer, gold, ours, names_only=True)),
        ("raw spaCy, names only", score(scorer, gold, raw, names_only=True)),
    ]
    print(rows[0][1].documents_line)
    print(
        "'names only': predicted DATE, TIME, PERCENT, MONEY, QUANTITY, ORDINAL and CARDINAL "
        "entities dropped before scoring (scorer --names-only); gold has no such types."
    )
    print(
        f"\n{'system':<36} | {'typed P':>7} {'R':>6} {'F1':>6} | {'untyped P':>9} {'R':>6} "
        f"{'F1':>6} | split"
    )
    for name, result in rows:
        print(_entity_line(name, result.typed, result.untyped, f"{result.split:5d}"))
    baseline = rows[2][1]
    for name, result in (
        ("diff NewsLens - raw spaCy", rows[0][1]),
        ("diff NewsLens names only - raw spaCy", rows[1][1]),
    ):
        typed = tuple(x - y for x, y in zip(result.typed, baseline.typed, strict=True))
        untyped = tuple(x - y for x, y in zip(result.untyped, baseline.untyped, strict=True))
        print(_entity_line(name, typed, untyped, f"{result.split - baseline.split:+5d}", sign=True))
    print(
        f"(split: of {baseline.gold_entities} gold entities, those matched by two or more "
        "predicted entities of the same document)"
    )
    if args.worst:
        report = rows[0][1].report
        start = report.find("\n== ")
        end = report.rfind("\ntyped_f1=")
        print(f"\nWorst {args.worst} documents for NewsLens (CLI output, typed errors):")
        print(report[start:end].strip() if start >= 0 else "(none)")
    print(f"{section} section: {time.perf_counter() - started:.1f} s")


def quotes_section(args, *, out_dir: Path) -> None:
    import quality_quotes

    started = time.perf_counter()
    gold = quality_quotes.read_gold(args.quotes)
    ids = sorted({item["id"] for item in gold})
    articles = wikinews_articles(args.wikinews_articles, ids)
    print(f"\n== Quote attribution: {args.quotes.name}")
    inputs = out_dir / "input-quotes.jsonl"
    write_jsonl(inputs, [{"id": i, "text": articles[i]["text"]} for i in ids])
    ours = out_dir / "newslens-quotes.jsonl"
    code = newslens_predictions(inputs, ours)
    predictions = {record["id"]: record for record in read_jsonl(ours)}
    result = quality_quotes.score_quotes(gold, predictions)
    print(f"NewsLens (python -m analysis --jsonl): exit code {code}")
    for line in quality_quotes.describe(result):
        print(line)
    if args.worst:
        print("not attributed right (article, quotation, gold speaker, NewsLens):")
        for item in result.wrong:
            print(f"  {item[0]} | {item[1][:40]} | {item[2]} | {item[3]}")
    print(f"quotes section: {time.perf_counter() - started:.1f} s")


def wikinews_articles(path: Path, ids: Sequence[str]) -> dict[str, dict]:
    """The Wikinews articles of ``ids`` from the gzipped JSON lines at ``path``."""
    import gzip

    wanted = set(ids)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        rows = (json.loads(line) for line in handle if line.strip())
        return {row["id"]: row for row in rows if row["id"] in wanted}


# --------------------------------------------------------------------------------------------
# Sentiment


def majority_polarity(targets: Sequence[dict]) -> str | None:
    """The most frequent gold class of a sentence's targets; None on a tie."""
    counts = Counter(GOLD_POLARITY[float(t["polarity"])] for t in targets)
    ranked = counts.most_common()
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Mean over :data:`CLASSES` of each class's F1 (0 for a class with no tp, fp or fn)."""
    scores = []
    for cls in CLASSES:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == cls and p == cls)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if g != cls and p == cls)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == cls and p != cls)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    return sum(scores) / len(scores)


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    return (
        sum(1 for g, p in zip(gold, predicted, strict=True) if g == p) / len(gold) if gold else 0.0
    )


def average_ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks; tied values share the mean of their ranks."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rho: Pearson's correlation of the average ranks; NaN if either is constant."""
    rx, ry = average_ranks(x), average_ranks(y)
    n = len(rx)
    if n < 2:
        return math.nan
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return cov / math.sqrt(vx * vy) if vx and vy else math.nan


def band_label(score: float) -> str:
    """The plain-lexicon baselines' label: neutral within +/-:data:`BAND`."""
    if score >= BAND:
        return "positive"
    if score <= -BAND:
        return "negative"
    return "neutral"


def sentiment_row(
    system: str, gold: Sequence[str], scores: Sequence[float], label: Callable[[float], str]
) -> SentimentRow:
    predicted = [label(s) for s in scores]
    return SentimentRow(
        system=system,
        n=len(gold),
        macro_f1=macro_f1(gold, predicted),
        accuracy=accuracy(gold, predicted),
        spearman=spearman(scores, [GOLD_VALUE[g] for g in gold]),
    )


def sentiment_section(args, *, nlp, out_dir: Path) -> None:
    from textblob import TextBlob
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from analysis.core.sentiment import score_text, sentiment_label

    started = time.perf_counter()
    lines = read_jsonl(args.sentiment, limit=args.limit)
    sentences: list[str] = []
    gold: list[str] = []
    ties = 0
    for line in lines:
        majority = majority_polarity(line["targets"])
        if majority is None:
            ties += 1
            continue
        sentences.append(line["sentence_normalized"])
        gold.append(majority)
    distribution = Counter(gold)
    print(
        f"\n== Sentiment: {len(lines)} sentences of {args.sentiment.name}; {ties} skipped "
        f"(tied target polarities); gold per sentence = majority polarity of its targets: "
        + ", ".join(f"{cls} {distribution[cls]}" for cls in CLASSES)
    )

    tick = time.perf_counter()
    analyzer = SentimentIntensityAnalyzer()
    textblob = [TextBlob(s).sentiment.polarity for s in sentences]
    vader = [analyzer.polarity_scores(s)["compound"] for s in sentences]
    print(f"plain lexicons: {time.perf_counter() - tick:.1f} s")
    tick = time.perf_counter()
    ours = [score_text(s) for s in sentences]
    print(f"NewsLens score_text: {time.perf_counter() - tick:.1f} s")

    rows = [
        sentiment_row("TextBlob polarity (plain)", gold, textblob, band_label),
        sentiment_row("VADER compound (plain)", gold, vader, band_label),
        sentiment_row(
            "NewsLens sentence, TextBlob", gold, [s.polarity for s in ours], sentiment_label
        ),
        sentiment_row("NewsLens sentence, VADER", gold, [s.vader for s in ours], sentiment_label),
    ]
    write_jsonl(
        out_dir / "sentence-sentiment.jsonl",
        [
            {
                "sentence": number,
                "gold": g,
                "textblob": t,
                "vader": v,
                "newslens_textblob": s.polarity,
                "newslens_vader": s.vader,
            }
            for number, (g, t, v, s) in enumerate(zip(gold, textblob, vader, ours, strict=True))
        ],
    )

    note = None
    if (HERE / "quality_sentiment.py").exists():
        import quality_sentiment

        target_rows = getattr(quality_sentiment, "target_rows", None)
        if target_rows is None:
            note = (
                "target-level rows: not available (bench/quality_sentiment.py has no target_rows)"
            )
        else:
            tick = time.perf_counter()
            for row in target_rows(args.sentiment, nlp=nlp, limit=args.limit):
                rows.append(
                    SentimentRow(
                        str(row["system"]),
                        int(row["n"]),
                        float(row["macro_f1"]),
                        float(row["accuracy"]),
                        float(row["spearman"]),
                    )
                )
            note = f"target-level rows (bench/quality_sentiment.py): {time.perf_counter() - tick:.1f} s"
    else:
        note = "target-level rows: not available (bench/quality_sentiment.py does not exist)"

    print(f"\n{'system':<34} | {'n':>5} | macro-F1 | accuracy | Spearman")
    for row in rows:
        print(
            f"{row.system:<34} | {row.n:5d} | {row.macro_f1:8.3f} | {row.accuracy:8.3f} | "
            f"{row.spearman:8.3f}"
        )
    print(
        "plain: label with a neutral band of +/-0.05; NewsLens: analysis.core.sentiment.sentiment_label; "
        "Spearman: continuous score vs gold polarity, average ranks"
    )
    print(note)
    print(f"sentiment section: {time.perf_counter() - started:.1f} s")


# --------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--entities",
        type=Path,
        default=DATA / "entities-dev.jsonl",
        metavar="FILE",
        help="gold entity counts (default: %(default)s)",
    )
    parser.add_argument(
        "--sentiment",
        type=Path,
        default=DATA / "newsmtsc-train.jsonl",
        metavar="FILE",
        help="NewsMTSC sentences (default: %(default)s)",
    )
    parser.add_argument(
        "--scorer",
        type=Path,
        default=TOOLS / "score_entities.py",
        metavar="FILE",
        help="entity scorer (default: %(default)s)",
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=None,
        metavar="N",
        help="only the first N documents / sentences",
    )
    parser.add_argument(
        "--wikinews",
        type=Path,
        default=OWN_DATA / "entities-wikinews.jsonl",
        metavar="FILE",
        help="hand-counted entities of Wikinews articles (default: %(default)s)",
    )
    parser.add_argument(
        "--quotes",
        type=Path,
        default=OWN_DATA / "quotes-wikinews.jsonl",
        metavar="FILE",
        help="hand-attributed quotations (default: %(default)s)",
    )
    parser.add_argument(
        "--wikinews-articles",
        type=Path,
        default=DATA / "wikinews" / "bench.jsonl.gz",
        metavar="FILE",
        help="the Wikinews articles the quotations come from (default: %(default)s)",
    )
    parser.add_argument(
        "--only", choices=("entities", "wikinews", "quotes", "sentiment"), default=None
    )
    parser.add_argument(
        "--worst",
        type=int,
        default=0,
        metavar="N",
        help="list NewsLens's N worst documents (the scorer's --worst)",
    )
    parser.add_argument(
        "--save-predictions",
        type=Path,
        default=None,
        metavar="DIR",
        help="keep the prediction JSONL files in DIR",
    )
    return parser


def main() -> None:
    args = build_parser().parse_args()
    if args.limit is not None and args.limit < 1:
        raise SystemExit("--limit must be at least 1")
    started = time.perf_counter()
    import spacy

    from analysis.core.nlp import load_nlp

    nlp = load_nlp()
    meta = nlp.meta
    print(f"NewsLens quality benchmark; {git_state()}")
    print(
        f"model {meta.get('lang', '?')}_{meta.get('name', '?')} {meta.get('version', '?')} "
        f"(spaCy {spacy.__version__}; components: {', '.join(nlp.pipe_names)})"
    )
    for path in (args.entities, args.sentiment):
        print(f"data {path.name}: {line_count(path):,} lines")
    if args.limit:
        print(f"--limit {args.limit}: first {args.limit} documents / sentences only")

    with contextlib.ExitStack() as stack:
        if args.save_predictions:
            out_dir = args.save_predictions
            out_dir.mkdir(parents=True, exist_ok=True)
        else:
            out_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="quality-")))
        if args.only in (None, "entities"):
            entities_section(args, nlp=nlp, scorer=load_scorer(args.scorer), out_dir=out_dir)
        if args.only in (None, "wikinews"):
            entities_section(
                args,
                nlp=nlp,
                scorer=load_scorer(args.scorer),
                out_dir=out_dir,
                path=args.wikinews,
                section="wikinews",
            )
        if args.only in (None, "quotes"):
            quotes_section(args, out_dir=out_dir)
        if args.only in (None, "sentiment"):
            sentiment_section(args, nlp=nlp, out_dir=out_dir)
        if args.save_predictions:
            print(f"\npredictions kept in {out_dir}")
    print(f"\ntotal: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
