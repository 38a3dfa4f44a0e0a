"""Cost of the reader's corrections on a large corpus (prints figures, asserts nothing).

Builds (or reuses) a store of ``--size`` synthetic articles as ``bench/corpus_queries.py``
does, then times: making a correction (stored, the views pointed at ``correction_map``, the
sums per outlet rebuilt), undoing it, and the entity queries (median of ``--runs`` calls,
through one kept reader) with no correction, with three (a merge, a label, an ignore of
frequent names) and after undoing them.

    python bench/corpus_corrections.py [--size 100000] [--dir /tmp/newslens-bench] [--reuse]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import corpus_queries as B  # noqa: E402

from analysis.storage.corpus import CorpusStore  # noqa: E402
from analysis.storage.corpus import queries as Q  # noqa: E402
from analysis.storage.corpus.corrections import (  # noqa: E402
    add_correction,
    list_corrections,
    undo_correction,
)
from analysis.storage.corpus.store import CorpusReader  # noqa: E402


def timed(fn, runs: int) -> float:
    """Median milliseconds of ``runs`` calls (after one warm-up call)."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/newslens-bench"))
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    path = args.dir / f"corrections-{args.size}.duckdb"
    if not (args.reuse and path.exists()):
        seconds = B.fill(path, args.size, [B.template(i) for i in range(B.TEMPLATES)])
        print(f"built {args.size:,} articles in {seconds:.0f} s")
    store = CorpusStore(path)
    for row in reversed(list_corrections(store)):
        undo_correction(store, row.number)
    print(f"load average: {os.getloadavg()[0]:.1f}")
    top = Q.top_entities(store, limit=4)
    names = top["entity"].tolist()
    print("top entities:", ", ".join(names))
    reader = CorpusReader(store)
    calls = {
        "top_entities": lambda: Q.top_entities(reader, limit=20),
        "top_entities (text filter)": lambda: Q.top_entities(reader, limit=20, text="rare1"),
        "top_entities (month)": lambda: Q.top_entities(
            reader, limit=20, start="2023-03-01", end="2023-03-31"
        ),
        "cooccurrence (month)": lambda: Q.cooccurrence(
            reader, start="2023-03-01", end="2023-03-31"
        ),
        "quoted_speakers (month)": lambda: Q.quoted_speakers(
            reader, start="2023-03-01", end="2023-03-31"
        ),
        "entity filter (articles)": lambda: Q.article_table(reader, entity=names[0], limit=50),
        "entity sentiment": lambda: Q.entity_sentiment_over_time(
            reader, entity=names[0], interval="month"
        ),
    }
    before = {name: timed(fn, args.runs) for name, fn in calls.items()}
    reader.close()
    start = time.perf_counter()
    add_correction(store, "merge", names[1], names[0], who="bench")
    first = time.perf_counter() - start
    start = time.perf_counter()
    add_correction(store, "label", names[2], "ORG", who="bench")
    add_correction(store, "ignore", names[3], who="bench")
    two = time.perf_counter() - start
    print(f"one correction made: {first:.2f} s; two more: {two:.2f} s")
    reader = CorpusReader(store)
    after = {name: timed(fn, args.runs) for name, fn in calls.items()}
    reader.close()
    start = time.perf_counter()
    for row in reversed(list_corrections(store)):
        undo_correction(store, row.number)
    print(f"three corrections undone: {time.perf_counter() - start:.2f} s")
    print(f"{'query':<28} {'none ms':>9} {'3 corrections ms':>17}")
    for name in calls:
        print(f"{name:<28} {before[name]:>9.1f} {after[name]:>17.1f}")


if __name__ == "__main__":
    main()
