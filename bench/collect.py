"""The collector against ``corpus add`` (a benchmark: prints figures, asserts nothing).

    python bench/collect.py [--docs 1000] [--hosts 4] [--workers 1] [--skip fetch,again]
    python bench/collect.py --threshold        # the near-duplicate threshold, measured

A news site is served on loopback (``--hosts`` addresses 127.0.0.1, 127.0.0.2, ..., each with
a sitemap index and a sitemap of its share of the articles, robots.txt, article pages with
JSON-LD dates and page furniture). Articles: 8 paragraphs each, drawn at random (seeded) from
the Wikinews texts of /work/shared/data/wikinews/bench.jsonl.gz, so that no two are
near-duplicates.

Measured, each in its own process (peak memory is that run's alone), the model load included:

- ``add``: ``newslens corpus add`` of a JSONL of the same texts as extracted from the pages
  (what the collector hands on, without the HTML): the baseline;
- ``collect``: ``newslens corpus collect`` of the sitemap indexes, ``--delay 0``;
- ``fetch``: the collector alone, its documents consumed and dropped (listing, fetching,
  reading the pages, dates, near-duplicates: the collector's own cost);
- ``again``: ``collect`` again over the unchanged site (nothing new to fetch).

Peak memory is the largest RSS of the measured process, sampled every 0.1 s. CPU is the
user and system time of the measured process and its children: on a machine shared with
other work, wall times swing with the load, CPU times much less.

``--threshold`` measures the near-duplicate threshold on the Wikinews sample corpus
(seeds/corpus): the similarity of its 113 distinct articles to each other, and how often
edited copies (a byline added, the last paragraph dropped, words changed, cut short) are
found through the LSH index at several thresholds.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if sys.path and Path(sys.path[0]).resolve() == HERE:
    sys.path.pop(0)
sys.path.insert(0, str(ROOT))
DATA = Path("/work/shared/data/wikinews")


# -- the site ----------------------------------------------------------------------------------


def build_site(count: int, hosts: int, seed: int = 19) -> dict[int, dict[str, tuple[str, bytes]]]:
    """``{host number: {path: (content type, body)}}`` with ``count`` articles spread over
    ``hosts`` hosts (the sitemaps name host addresses and ports filled in later)."""
    with gzip.open(DATA / "bench.jsonl.gz", "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    pool = list(
        dict.fromkeys(p for r in records for p in r["text"].split("\n\n") if len(p.split()) >= 25)
    )
    titles = [r["title"] for r in records]
    rng = random.Random(seed)
    site: dict[int, dict[str, tuple[str, bytes]]] = {h: {} for h in range(hosts)}
    for i in range(count):
        host = i % hosts
        body = "".join(f"<p>{p}</p>" for p in rng.sample(pool, 8))
        day = f"2024-{1 + (i // 28) % 12:02d}-{1 + i % 28:02d}"
        title = f"{rng.choice(titles)} ({i})"
        page = (
            f"<!DOCTYPE html><html><head><title>{title} | Bench Gazette</title>"
            '<script type="application/ld+json">{"@type": "NewsArticle", '
            f'"datePublished": "{day}T08:00:00Z"}}</script></head><body>'
            "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<article><h1>{title}</h1>{body}</article>"
            "<footer>Copyright Bench Gazette. All rights reserved.</footer></body></html>"
        )
        site[host][f"/news/{i}"] = ("text/html; charset=utf-8", page.encode())
    return site


def serve(site, hosts: int) -> tuple[list[str], list[ThreadingHTTPServer]]:
    """Start one server per host on 127.0.0.(1+h); returns their base URLs and servers."""
    bases, servers = [], []
    for h in range(hosts):
        routes = site[h]

        class Handler(BaseHTTPRequestHandler):
            table = routes

            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802
                found = self.table.get(self.path)
                if found is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                kind, body = found
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        server = ThreadingHTTPServer((f"127.0.0.{1 + h}", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.{1 + h}:{server.server_address[1]}"
        pages = sorted(p for p in routes if p.startswith("/news/"))
        urls = "".join(f"<url><loc>{base}{p}</loc></url>" for p in pages)
        routes["/robots.txt"] = ("text/plain", b"User-agent: *\nDisallow: /private/\n")
        routes["/sitemap.xml"] = (
            "application/xml",
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode(),
        )
        routes["/sitemap_index.xml"] = (
            "application/xml",
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>'
            f"<loc>{base}/sitemap.xml</loc></sitemap></sitemapindex>".encode(),
        )
        bases.append(base)
        servers.append(server)
    return bases, servers


def extracted_jsonl(site, bases: list[str], path: Path) -> int:
    """The texts the collector hands on (the same extraction), as JSONL for ``corpus add``;
    returns the words written."""
    from analysis.core.article import parse_article

    words = 0
    with path.open("w", encoding="utf-8") as out:
        for h, routes in site.items():
            for page, (_, body) in sorted(routes.items()):
                if not page.startswith("/news/"):
                    continue
                url = bases[h] + page
                article = parse_article(body, source=url)
                text = "\n\n".join(((article.title,) if article.title else ()) + article.paragraphs)
                words += len(text.split())
                record = {"id": url, "text": text, "url": url, "date": article.published}
                out.write(json.dumps(record) + "\n")
    return words


# -- one measurement, in a child process ---------------------------------------------------------


def one(kind: str, args) -> None:
    start = time.perf_counter()
    if kind == "fetch":
        from analysis.runners.collect import run_collect
        from analysis.runners.corpus import IngestReport
        from analysis.sources.collect import CollectOptions
        from analysis.storage.corpus.store import CorpusStore

        def drop(items):
            count = sum(1 for _ in items)
            return IngestReport(0, count, 0, (), 0.0)

        options = CollectOptions(delay=0, allow_private=True, max_seconds=None)
        run_collect(args.sources, store=CorpusStore(args.db), options=options, ingest=drop)
        print(json.dumps({"seconds": time.perf_counter() - start, "status": 0, "cpu": _cpu()}))
        return
    from analysis.cli.corpus import main

    if kind == "add":
        argv = ["add", args.path, "--db", args.db, "-q", "--workers", str(args.workers)]
    else:
        argv = ["collect", *args.sources, "--db", args.db, "-q", "--delay", "0"]
        argv += ["--workers", str(args.workers), "--max-items", "100000", "--max-time", "86400"]
    status = main(argv)
    print(json.dumps({"seconds": time.perf_counter() - start, "status": status, "cpu": _cpu()}))


def _cpu() -> float:
    """User and system seconds of this process and its finished children."""
    import resource

    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(kind: str, args, db: Path, path: Path, sources: list[str]) -> dict:
    import psutil

    command = [sys.executable, __file__, "--one", kind, "--db", str(db), "--path", str(path)]
    command += ["--workers", str(args.workers), "--sources", *sources]
    env = dict(os.environ, NEWSLENS_ALLOW_PRIVATE_URLS="1", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
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
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{kind} failed ({proc.returncode}): {err.strip()[-800:]}")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = peak / 1e6
    result["summary"] = next((line for line in out.splitlines() if " new" in line), "")
    return result


# -- the near-duplicate threshold ----------------------------------------------------------------


def threshold() -> None:
    import statistics

    from analysis.core.article import parse_article
    from analysis.sources.collect import dedup

    docs = []
    with (ROOT / "seeds" / "corpus" / "wikinews-2019-2020.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            docs.append(list(parse_article(json.loads(line)["text"]).paragraphs))
    docs = [d for d in docs if dedup.shingles(d)]
    rng = random.Random(7)

    def exact(a, b):
        first, second = dedup.shingles(a), dedup.shingles(b)
        return len(first & second) / len(first | second)

    pairs = sorted(exact(a, b) for a, b in itertools.combinations(docs, 2))
    print(
        f"{len(docs)} distinct articles, {len(pairs):,} pairs: shingle Jaccard max "
        f"{pairs[-1]:.3f}, 99.9th percentile {pairs[int(len(pairs) * 0.999)]:.3f}"
    )

    def changed(paragraphs, share):
        out = []
        for text in paragraphs:
            words = text.split()
            out.append(" ".join("changed" if rng.random() < share else w for w in words))
        return out

    edits = {
        "byline and dateline added": lambda ps: ["By Staff Reporter. LONDON (Wire) -", *ps],
        "last paragraph dropped": lambda ps: ps[:-1],
        "editor's note appended": lambda ps: [
            *ps,
            "This story has been updated with additional reporting from our correspondents.",
        ],
        "5% of words changed": lambda ps: changed(ps, 0.05),
        "10% of words changed": lambda ps: changed(ps, 0.10),
        "byline, last dropped, 2% changed": lambda ps: [
            "By Staff Reporter.",
            *changed(ps[:-1], 0.02),
        ],
        "first two thirds only": lambda ps: ps[: max(1, 2 * len(ps) // 3)],
        "first half only": lambda ps: ps[: max(1, len(ps) // 2)],
    }
    long_docs = [(k, d) for k, d in enumerate(docs) if len(d) >= 4]
    copies = {name: [edit(list(d)) for _, d in long_docs] for name, edit in edits.items()}
    for name, made in copies.items():
        values = [exact(d, c) for (_, d), c in zip(long_docs, made, strict=True)]
        print(f"  {name:34s} Jaccard median {statistics.median(values):.2f}, min {min(values):.2f}")
    for level in (0.4, 0.5, 0.6, 0.7, 0.8):
        index = dedup.NearDuplicates(threshold=level)
        for k, d in enumerate(docs):
            index.add(str(k), dedup.signature(d), url=str(k))
        wrong = sum(
            1 for k, d in enumerate(docs) if index.original_of(dedup.signature(d), url=str(k))
        )
        found = []
        for name, made in copies.items():
            hits = sum(
                index.original_of(dedup.signature(c), url="copy") == str(k)
                for (k, _), c in zip(long_docs, made, strict=True)
            )
            found.append(f"{name} {hits / len(made):.0%}")
        print(
            f"threshold {level}: distinct articles matched {wrong}/{len(docs)}; found: "
            + ", ".join(found)
        )


# -- main ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--skip", default="", help="comma-separated measurements to leave out")
    parser.add_argument(
        "--order", default="add,collect,fetch,again", help="the measurements, in this order"
    )
    parser.add_argument("--threshold", action="store_true", help="measure the duplicate threshold")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--sources", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args.one, args)
        return
    if args.threshold:
        threshold()
        return
    work = Path(tempfile.mkdtemp(prefix="newslens-bench-collect-"))
    site = build_site(args.docs, args.hosts)
    bases, servers = serve(site, args.hosts)
    jsonl = work / "extracted.jsonl"
    words = extracted_jsonl(site, bases, jsonl)
    sources = [base + "/sitemap_index.xml" for base in bases]
    print(
        f"{args.docs} articles on {args.hosts} loopback hosts, {words:,} words extracted "
        f"({words / args.docs:.0f} per article); {os.cpu_count()} cores; "
        f"load {os.getloadavg()[0]:.2f}; folder {work}",
        flush=True,
    )
    skip = set(filter(None, args.skip.split(",")))
    results = {}
    # On a shared machine, run it in both orders (--order collect,add,...) and compare the
    # CPU times, which the load moves much less than the wall times.
    for step, kind in enumerate(args.order.split(",")):
        if kind in skip:
            continue
        db = work / f"{kind}-{step}.duckdb"
        if kind == "again":
            db = work / f"collect-{args.order.split(',').index('collect')}.duckdb"
        result = measure(kind, args, db, jsonl, sources)
        results[kind] = result
        print(
            f"{kind:8s} {result['seconds']:8.1f} s  cpu {result['cpu']:7.1f} s  "
            f"{args.docs / result['seconds']:7.2f} docs/s  "
            f"peak {result['peak_mb']:6.0f} MB  exit {result['status']}  "
            f"load {os.getloadavg()[0]:.2f}  {result['summary'][:120]}",
            flush=True,
        )
    if "add" in results and "collect" in results:
        wall = results["collect"]["seconds"] / results["add"]["seconds"] - 1
        cpu = results["collect"]["cpu"] / results["add"]["cpu"] - 1
        print(f"collect overhead over add: wall {wall:+.1%}, cpu {cpu:+.1%} (target <= +25%)")
    for server in servers:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
