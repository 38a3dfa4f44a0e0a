"""Benchmark of the analysis core (not a test: it prints figures and asserts nothing).

    python bench/analysis.py [--docs 500]

Measured in one run on this machine:
- cold start: ``import analysis`` plus ``load_nlp()`` in a fresh interpreter (median of 3);
- warm time to analyse the sample article (median of 20);
- batch throughput in words per second over ``--docs`` news-length documents through
  ``python -m analysis --jsonl`` (its start-up time subtracted), next to bare ``nlp.pipe`` with
  the same components on the same texts (the limit) and a naive baseline (the full default
  pipeline called once per paragraph, TextBlob per paragraph);
- peak memory (max RSS) of the batch run for a quarter of the documents and for all of them.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if sys.path and Path(sys.path[0]).resolve() == HERE:
    # This script is named analysis.py: keep it from shadowing the `analysis` package.
    sys.path.pop(0)
_spec = importlib.util.spec_from_file_location("bench_corpus", HERE / "corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)
ROOT, SAMPLE, documents, word_count = corpus.ROOT, corpus.SAMPLE, corpus.documents, corpus.word_count


def cold_start() -> float:
    code = (
        "import time; t = time.perf_counter(); import analysis; analysis.load_nlp(); "
        "print(time.perf_counter() - t)"
    )
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, cwd=ROOT).stdout)
        for _ in range(3)
    ]  # fmt: skip
    return statistics.median(runs)


def run_batch(path: Path) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of ``python -m analysis --jsonl path``."""
    out = path.with_suffix(".out")
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "analysis", "--jsonl", str(path), "--quiet", "-o", str(out)],
        cwd=ROOT,
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"batch run failed with status {status}")
    return wall, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500)
    args = parser.parse_args()

    import spacy
    from textblob import TextBlob

    from analysis import analyze, load_nlp, parse_article

    print(f"Python {sys.version.split()[0]}, spaCy {spacy.__version__}, {os.cpu_count()} cores")
    cold = cold_start()
    print(f"cold start (import analysis + load_nlp, median of 3): {cold:.2f} s")

    nlp = load_nlp()
    sample = SAMPLE.read_bytes()
    analyze(sample, nlp=nlp)
    times = []
    for _ in range(20):
        start = time.perf_counter()
        analyze(sample, nlp=nlp)
        times.append(time.perf_counter() - start)
    print(f"warm analysis of the sample article (median of 20): {1000 * statistics.median(times):.1f} ms")

    docs = documents(args.docs)
    texts = [doc["text"] for doc in docs]
    words = word_count(texts)
    print(f"\ncorpus: {len(docs)} documents, {words:,} words ({words / len(docs):.0f} per document)")

    with tempfile.TemporaryDirectory() as tmp:
        quarter = Path(tmp) / "quarter.jsonl"
        full = Path(tmp) / "full.jsonl"
        quarter.write_text("".join(json.dumps(d) + "\n" for d in docs[: len(docs) // 4]))
        full.write_text("".join(json.dumps(d) + "\n" for d in docs))

        wall, peak_full = run_batch(full)
        ours = words / (wall - cold)
        _, peak_quarter = run_batch(quarter)

    segments = [s.text for text in texts for s in parse_article(text).segments()]
    start = time.perf_counter()
    for _ in nlp.pipe(segments, batch_size=64):
        pass
    limit = words / (time.perf_counter() - start)

    default = spacy.load(nlp.meta["lang"] + "_" + nlp.meta["name"])
    start = time.perf_counter()
    for text in texts:
        for paragraph in text.split("\n\n"):
            default(paragraph)
            TextBlob(paragraph).sentiment  # noqa: B018 (the work being timed)
    naive = words / (time.perf_counter() - start)

    print(f"batch through --jsonl ({wall:.1f} s wall, start-up subtracted): {ours:,.0f} words/s")
    print(f"limit, bare nlp.pipe with the same components: {limit:,.0f} words/s")
    print(f"naive baseline, full pipeline + TextBlob per paragraph: {naive:,.0f} words/s")
    print(f"ratio to the limit: {ours / limit:.2f} (target >= 0.8)")
    print(f"speed-up over the naive baseline: {ours / naive:.2f}x (target >= 2)")
    print(f"peak RSS, {len(docs) // 4} documents: {peak_quarter / 1024:.0f} MiB; "
          f"{len(docs)} documents: {peak_full / 1024:.0f} MiB "
          f"(ratio {peak_full / peak_quarter:.2f}, flat is 1.0)")


if __name__ == "__main__":
    main()
