"""Corpus ingest throughput (a benchmark: prints figures, asserts nothing).

    python bench/corpus.py [--docs 10000] [--workers 2] [--skip dask,pipe1]

Documents: the Wikinews texts of /work/shared/data/wikinews/bench.jsonl.gz (demo.jsonl is a
subset of it) repeated until ``--docs``, each with a distinct last line so that their keys
differ, written to one JSONL file and read through ``analysis.sources.files`` like any input.

Measured, each in its own process (so peak memory is that run's alone), in alternating order
(the machine is shared; compare ratios from one run):

- ``pipe1``/``pipe2``: bare ``nlp.pipe`` over the same paragraphs with the components the
  corpus runs (the limit), ``n_process`` 1 and 2;
- ``local1``/``local2``: ``newslens corpus add`` with the local engine, 1 and 2 workers;
- ``dask2``: the Dask engine on a LocalCluster of 2 worker processes (cluster start included);
- ``rerun``: the local engine again on the stored corpus (every document skipped);
- ``local2-half``: the local engine, 2 workers, on half the documents: peak memory should not
  grow with the number of documents.

Times are wall time in the child process, model loading and process start-up included (for
the limit too), so they favour large ``--docs``. Peak memory is the largest summed RSS of the measured process and its children, sampled
every 0.1 s.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if sys.path and Path(sys.path[0]).resolve() == HERE:
    sys.path.pop(0)
sys.path.insert(0, str(ROOT))
DATA = Path("/work/shared/data/wikinews")


def write_documents(path: Path, count: int) -> int:
    """``count`` records cycling through the Wikinews texts; returns the words written."""
    with gzip.open(DATA / "bench.jsonl.gz", "rt", encoding="utf-8") as handle:
        source = [json.loads(line) for line in handle if line.strip()]
    words = 0
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            record = dict(source[i % len(source)])
            record["id"] = f"{record['id']}-{i}"
            record["text"] = record["text"] + f"\n\nCopy {i} of this report."
            words += len(record["text"].split()) + len(record["title"].split())
            out.write(json.dumps(record) + "\n")
    return words


def _paragraphs(path: Path) -> list[str]:
    texts = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            texts.append(record["title"])
            texts.extend(p for p in record["text"].split("\n\n") if p.strip())
    return texts


def one(kind: str, path: Path, db: Path, workers: int) -> None:
    """Run one measurement in this process (called in a child process); the clock includes
    loading the models, for the limit and the engines alike."""
    start = time.perf_counter()
    if kind.startswith("pipe"):
        from analysis.core.nlp import disabled_for, load_nlp

        nlp = load_nlp()
        texts = _paragraphs(path)
        disable = disabled_for(nlp, sentences=True, lemmas=True)
        for _ in nlp.pipe(
            texts, batch_size=64, disable=disable, n_process=2 if kind == "pipe2" else 1
        ):
            pass
        print(json.dumps({"seconds": time.perf_counter() - start}))
        return
    from analysis.cli.corpus import main

    argv = ["add", str(path), "--db", str(db), "-q"]
    if kind == "dask2":
        argv += ["--engine", "dask", "--scheduler", "local", "--workers", str(workers)]
    else:
        argv += ["--workers", "1" if kind == "local1" else str(workers)]
    status = main(argv)
    print(json.dumps({"seconds": time.perf_counter() - start, "status": status}))


def measure(kind: str, path: Path, db: Path, workers: int) -> dict:
    """Run ``one`` in a child process; its wall time and the peak RSS of its process tree."""
    import psutil

    proc = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--one",
            kind,
            "--path",
            str(path),
            "--db",
            str(db),
            "--workers",
            str(workers),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        parent = psutil.Process(proc.pid)
        while not stop.is_set():
            try:
                tree = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.1)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    out, err = proc.communicate()
    stop.set()
    thread.join()
    if proc.returncode != 0:
        raise SystemExit(f"{kind} failed ({proc.returncode}): {err.strip()[-500:]}")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = peak / 1e6
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip", default="", help="comma-separated measurements to leave out")
    parser.add_argument("--dir", default=None, help="working folder (default: a temporary one)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args.one, Path(args.path), Path(args.db), args.workers)
        return
    work = Path(args.dir or tempfile.mkdtemp(prefix="newslens-bench-corpus-"))
    work.mkdir(parents=True, exist_ok=True)
    full, half = work / "docs.jsonl", work / "half.jsonl"
    words = write_documents(full, args.docs)
    write_documents(half, max(1, args.docs // 2))
    print(
        f"{args.docs} documents, {words:,} words ({words / args.docs:.0f} per document); "
        f"{os.cpu_count()} cores; folder {work}"
    )
    skip = set(filter(None, args.skip.split(",")))
    # Alternate the limit and the engines so that a change in the machine's load hits both.
    order = ["pipe2", "local2", "pipe1", "local1", "dask2", "rerun", "local2-half"]
    results: dict[str, dict] = {}
    for kind in order:
        if kind in skip:
            continue
        if kind == "rerun":
            db, run_kind, path = work / "local2.duckdb", "local2", full
        elif kind == "local2-half":
            db, run_kind, path = work / "half.duckdb", "local2", half
        else:
            db, run_kind, path = work / f"{kind}.duckdb", kind, full
        if kind != "rerun" and db.exists():
            db.unlink()
        results[kind] = measure(run_kind, path, db, args.workers)
        r = results[kind]
        n = args.docs // 2 if kind == "local2-half" else args.docs
        print(
            f"{kind:12s} {r['seconds']:8.1f} s  {n / r['seconds']:7.2f} docs/s  "
            f"peak {r['peak_mb']:7.0f} MB",
            flush=True,
        )
    if "pipe2" in results and "local2" in results:
        print(
            f"local2 / pipe2 throughput: {results['pipe2']['seconds'] / results['local2']['seconds']:.2f}"
        )
    if "pipe1" in results and "local1" in results:
        print(
            f"local1 / pipe1 throughput: {results['pipe1']['seconds'] / results['local1']['seconds']:.2f}"
        )
    if "dask2" in results and "local2" in results:
        print(
            f"dask2 / local2 throughput: {results['local2']['seconds'] / results['dask2']['seconds']:.2f}"
        )
    if "local2-half" in results and "local2" in results:
        print(
            f"peak memory, {args.docs // 2} vs {args.docs} documents: "
            f"{results['local2-half']['peak_mb']:.0f} vs {results['local2']['peak_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()
