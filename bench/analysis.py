"""Benchmark of the analysis core (not a test: it prints figures and asserts nothing).

    python bench/analysis.py [--docs 500]

Measured in one run on this machine:
- cold start: ``import analysis`` plus ``load_nlp()`` in a fresh interpreter (median of 3);
- warm time to analyse the sample article (median of 20);
- batch throughput in words per second over ``--docs`` news-length documents through
  ``python -m analysis --jsonl`` (its start-up time subtracted), next to bare ``nlp.pipe`` with
  the same components on the same texts (the limit) and a naive baseline (the full default
  pipeline called once per paragraph, TextBlob per paragraph); with one process also with
  ``--sentences``, whose records add every sentence and the sentiment toward each entity (the
  batch scores sentences only then);
- peak memory (max RSS) of the batch run for a quarter of the documents and for all of them.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if sys.path and Path(sys.path[0]).resolve() == HERE:
    # This script is named analysis.py: keep it from shadowing the `analysis` package.
    sys.path.pop(0)
_spec = importlib.util.spec_from_file_location("bench_documents", HERE / "documents.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)
ROOT, SAMPLE, documents, word_count = (
    corpus.ROOT,
    corpus.SAMPLE,
    corpus.documents,
    corpus.word_count,
)


def cold_start() -> tuple[float, float]:
    """(import analysis + load_nlp, then the first tiny analysis, which loads TextBlob and
    VADER), medians of 3 fresh interpreters."""
    code = (
        "import time; t = time.perf_counter(); import analysis; nlp = analysis.load_nlp(); "
        "u = time.perf_counter(); analysis.analyze('Good news.', nlp=nlp); "
        "print(u - t, time.perf_counter() - u)"
    )
    runs = [
        tuple(
            map(
                float,
                subprocess.run(
                    [sys.executable, "-c", code],
                    capture_output=True,
                    text=True,
                    check=True,
                    cwd=ROOT,
                ).stdout.split(),
            )
        )
        for _ in range(3)
    ]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def _peak_rss_kib(pid: int, peak: list[int]) -> None:
    """Poll the process's high-water mark (VmHWM) until it exits. (``ru_maxrss`` from wait4
    would count the memory of this benchmark's process too, which the child is forked from.)"""
    status = Path(f"/proc/{pid}/status")
    while True:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak[0] = max(peak[0], int(line.split()[1]))
        except (OSError, ValueError):
            return
        time.sleep(0.05)


def run_batch(path: Path, workers: int = 1, *extra: str) -> tuple[float, int, float]:
    """Wall time, peak RSS (KiB, of the main process) and the words/s the command reports for
    its analysis (timed by the command from its first document to its last, after start-up)
    of ``python -m analysis --jsonl path`` (``extra``: more arguments)."""
    out = path.with_suffix(".out")
    start = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "analysis",
            "--jsonl",
            str(path),
            "-o",
            str(out),
            "--workers",
            str(workers),
            *extra,
        ],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = [0]
    watcher = threading.Thread(target=_peak_rss_kib, args=(process.pid, peak), daemon=True)
    watcher.start()
    stderr = process.stderr.read()
    status = process.wait()
    watcher.join()
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"batch run failed with status {status}: {stderr[-500:]}")
    rate = float(re.search(r"([\d,]+) words/s\)", stderr).group(1).replace(",", ""))
    return wall, peak[0], rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument(
        "--memory-only",
        action="store_true",
        help="only the peak memory of the batch for a quarter and all documents",
    )
    args = parser.parse_args()
    if args.memory_only:
        docs = documents(args.docs)
        with tempfile.TemporaryDirectory() as tmp:
            peaks = []
            for part in (docs[: len(docs) // 4], docs):
                path = Path(tmp) / f"{len(part)}.jsonl"
                path.write_text("".join(json.dumps(d) + "\n" for d in part))
                peaks.append((len(part), run_batch(path)[1]))
        (small, low), (large, high) = peaks
        print(
            f"peak RSS of the 1-process batch, {small} documents: {low / 1024:.0f} MiB; "
            f"{large} documents: {high / 1024:.0f} MiB (ratio {high / low:.2f}, flat is 1.0)"
        )
        return

    import spacy
    from textblob import TextBlob

    from analysis import analyze, load_nlp, parse_article
    from analysis.core.nlp import disabled_for

    print(f"Python {sys.version.split()[0]}, spaCy {spacy.__version__}, {os.cpu_count()} cores")
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    load, first = cold_start()
    print(
        f"cold start, import analysis + load_nlp (median of 3): {load:.2f} s; "
        f"then the first analysis, which loads TextBlob and VADER: {first:.2f} s"
    )

    nlp = load_nlp()
    sample = SAMPLE.read_bytes()
    analyze(sample, nlp=nlp)
    times = []
    for _ in range(20):
        start = time.perf_counter()
        analyze(sample, nlp=nlp)
        times.append(time.perf_counter() - start)
    print(
        f"warm analysis of the sample article (median of 20): {1000 * statistics.median(times):.1f} ms"
    )

    # The largest input allowed (1,000,000 characters), analysed as the app does (sentences
    # and lemmas included): once as one line, once as 20,000 one-line paragraphs.
    body = " ".join(
        line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if len(line) > 80
    )
    one_line = ((body + " ") * (1_000_000 // len(body) + 1))[:1_000_000]
    many = "\n".join(
        f"Item {n}: China and Gaza officials met in Cairo on Tuesday." for n in range(20_000)
    )[:1_000_000]
    for name, text in (
        ("one 1,000,000-character line", one_line),
        (f"{many.count(chr(10)) + 1:,} one-line paragraphs, {len(many):,} characters", many),
    ):
        start = time.perf_counter()
        analyze(text, nlp=nlp)
        print(f"largest allowed input, {name}: {time.perf_counter() - start:.1f} s")

    docs = documents(args.docs)
    texts = [doc["text"] for doc in docs]
    words = word_count(texts)
    print(
        f"\ncorpus: {len(docs)} documents, {words:,} words ({words / len(docs):.0f} per document)"
    )

    # Every analysis runs every component (tokens with lemmas, sentences, entities); the limit
    # runs exactly those spaCy components on the same segments, without NewsLens's own entity
    # components (their cost is part of what is measured against the limit).
    ours = [name for name in nlp.pipe_names if name.startswith("newslens_")]
    disable = sorted(set(disabled_for(nlp)) | set(ours))
    used = [name for name in nlp.pipe_names if name not in disable]
    segments = [s.text for text in texts for s in parse_article(text).segments()]

    def limit_rate(processes: int) -> float:
        start = time.perf_counter()
        for _ in nlp.pipe(segments, batch_size=64, disable=disable, n_process=processes):
            pass
        return words / (time.perf_counter() - start)

    # This machine's speed drifts by 10-20 % over minutes: alternate the two measurements and
    # compare each pair, three times; once with one process each, once with two.
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        quarter = Path(tmp) / "quarter.jsonl"
        full = Path(tmp) / "full.jsonl"
        quarter.write_text("".join(json.dumps(d) + "\n" for d in docs[: len(docs) // 4]))
        full.write_text("".join(json.dumps(d) + "\n" for d in docs))
        for processes, extra in ((1, ()), (2, ()), (1, ("--sentences",))):
            ours_runs, limit_runs, walls = [], [], []
            for _ in range(3):
                wall, peak, rate = run_batch(full, processes, *extra)
                walls.append(wall)
                ours_runs.append(rate)
                limit_runs.append(limit_rate(processes))
            ratios = [o / li for o, li in zip(ours_runs, limit_runs, strict=True)]
            figures[(processes, extra)] = (
                statistics.median(ours_runs),
                statistics.median(limit_runs),
                statistics.median(ratios),
                statistics.median(walls),
                peak,
            )
        _, peak_quarter, _ = run_batch(quarter)
    peak_full = figures[(1, ())][4]

    default = spacy.load(nlp.meta["lang"] + "_" + nlp.meta["name"])
    start = time.perf_counter()
    for text in texts:
        for paragraph in text.split("\n\n"):
            default(paragraph)
            TextBlob(paragraph).sentiment  # noqa: B018 (the work being timed)
    naive = words / (time.perf_counter() - start)

    print(
        f"naive baseline, full pipeline + TextBlob per paragraph, 1 process: {naive:,.0f} words/s"
    )
    for (processes, extra), (ours, limit, ratio, wall, _) in figures.items():
        print(
            f"\n{processes} process{'es' if processes > 1 else ''} (--workers {processes}"
            f"{''.join(' ' + arg for arg in extra)}; "
            f"limit: nlp.pipe(n_process={processes}) with {', '.join(used)}), medians of 3:"
        )
        print(
            f"  batch through --jsonl: {ours:,.0f} words/s ({wall:.1f} s wall per run, "
            "start-up included; rate timed by the command from first to last document)"
        )
        print(f"  limit: {limit:,.0f} words/s")
        print(f"  ratio to the limit: {ratio:.2f} (target >= 0.8)")
        print(f"  speed-up over the naive baseline: {ours / naive:.2f}x (target >= 2)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print(
        f"\npeak RSS of the 1-process batch, {len(docs) // 4} documents: {peak_quarter / 1024:.0f} MiB; "
        f"{len(docs)} documents: {peak_full / 1024:.0f} MiB "
        f"(ratio {peak_full / peak_quarter:.2f}, flat is 1.0)"
    )


if __name__ == "__main__":
    main()
