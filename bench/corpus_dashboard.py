"""Benchmark of the Corpus page in a real browser (prints figures, asserts nothing about time).

    python bench/corpus_dashboard.py [--articles 10000] [--changes 12] [--first-views 3]
                                     [--dir /tmp/newslens-bench] [--reuse]

Measured with Debian's Chromium (headless, 1600x1000) against ``streamlit run
tests/dashboard/corpus_app.py`` (the Corpus page alone) on a free loopback port:

- first view, against the Article page's in the same run (``--first-views`` each, alternating,
  a fresh server, data folder and browser page each time): from launching the server process
  to the page drawn; for the Corpus page every chart, after importing the shipped sample
  corpus (``seeds/corpus/wikinews-2019-2020.parquet``) into the fresh folder; for the Article
  page (``dashboard/app.py``) the sample article's text and its three charts;
- filter change, on a store of ``--articles`` articles built like ``bench/corpus_queries.py``
  builds its stores (its ``fill``), from the analysed rows of eight sample articles copied
  under new keys, dates and outlets: from pressing Enter in the text search (a new word each
  time, so that no query is answered from the page's cache) to the selected-articles count
  showing the new figure and every chart redrawn (no element stale, the script finished,
  all Plotly charts present), timed in Python around Playwright; median over ``--changes``.

The breakdown splits each change into the server's script run (logged by the page script,
``NEWSLENS_RUN_LOG``) and the rest: the browser's message to the server, the deltas' way back,
and drawing.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd
from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import corpus_queries  # noqa: E402  (its store builder)

from analysis.corpus import CorpusStore  # noqa: E402
from analysis.corpus import queries as Q  # noqa: E402
from analysis.corpus.schema import CONTRACT  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_browser", ROOT / "tests" / "dashboard" / "browser.py")
browser_helpers = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = browser_helpers
_spec.loader.exec_module(browser_helpers)

APP = ROOT / "tests" / "dashboard" / "corpus_app.py"
EXPORT = ROOT / "seeds" / "corpus" / "wikinews-2019-2020.parquet"
VIEWPORT = {"width": 1600, "height": 1000}
#: Coverage, top entities, top words, tone box, tone over time, speakers, co-occurrence,
#: distinctive words.
CHARTS = 8
TIMEOUT_MS = 120_000
SEARCH = 'input[aria-label="Search the text"]'

# True once a run is over and every chart is on the page: no stale element, no running
# script, the count caption showing `want` (null: any).
_DRAWN = """([charts, want]) => {
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  if (document.querySelectorAll('.js-plotly-plot .main-svg').length < charts) return false;
  if (want === null) return true;
  const captions = [...document.querySelectorAll('[data-testid="stCaptionContainer"]')];
  return captions.some(c => c.textContent.startsWith(want));
}"""


def templates_from_export(export: Path, *, count: int = corpus_queries.TEMPLATES) -> list[dict[str, pd.DataFrame]]:
    """The contract tables of ``count`` analysed sample articles, each keyed ``template<i>``,
    as :func:`corpus_queries.fill` takes them: the articles at evenly spaced ranks of length
    between the 35th and the 90th percentile (typical news lengths; the sample's longest, a
    20,000-word report, would make every copy of it weigh as much as forty others)."""
    con = duckdb.connect()
    ranked = [r[0] for r in con.execute(
        f"SELECT doc_key FROM read_parquet('{export}/articles.parquet') ORDER BY words, doc_key").fetchall()]
    keys = [ranked[int(len(ranked) * (0.35 + 0.55 * i / count))] for i in range(count)]
    out = []
    for i, key in enumerate(keys):
        tables = {}
        for name in CONTRACT:
            frame = con.execute(f"SELECT * FROM read_parquet('{export}/{name}.parquet') WHERE doc_key = ?",
                                [key]).df()  # fmt: skip
            tables[name] = frame.assign(doc_key=f"template{i}")
        out.append(tables)
    con.close()
    return out


def search_words(store: CorpusStore, count: int) -> list[tuple[str, str]]:
    """Words to search for, one per change, with the caption each one gives: frequent non-stop
    words whose article counts differ from the previous word's (so a change is visible)."""
    with store.reader() as con:
        words = [r[0] for r in con.execute(
            "SELECT term FROM term_totals WHERE NOT is_stop AND length(term) > 3 "
            "ORDER BY articles DESC, term LIMIT 400").fetchall()]  # fmt: skip
    total = Q.corpus_info(store).articles
    out, previous = [], None
    for word in words[20:]:
        found = len(Q.article_table(store, text=word, limit=None))
        if found != previous and 0 < found < total:
            out.append((word, f"{found:,} of {total:,} articles selected"))
            previous = found
        if len(out) == count:
            break
    return out


def run_times(log: Path) -> list[tuple[float, float]]:
    """(wall clock at the end, seconds) of each script run logged so far."""
    if not log.exists():
        return []
    return [tuple(map(float, line.split())) for line in log.read_text().splitlines() if line.strip()]


# First view drawn: the script finished, `charts` Plotly charts on the page, and the text of
# `text` (a selector; "" for none) shown.
_VIEW = """([charts, text]) => {
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  if (document.querySelectorAll('.js-plotly-plot .main-svg').length < charts) return false;
  if (!text) return true;
  const node = document.querySelector(text);
  return !!(node && node.textContent.trim());
}"""
#: The Article page (dashboard/app.py): its text and its three charts.
ARTICLE = ("article", ROOT / "dashboard" / "app.py", 3, ".st-key-article_panel .nl-body")
#: The Corpus page alone on the sample corpus: every chart and the selected-articles count.
CORPUS = ("corpus", APP, CHARTS, '[data-testid="stCaptionContainer"]')


def first_view(work: Path, page_spec: tuple, *, label: str) -> dict[str, float]:
    """Server start to the page's first view drawn in a fresh browser, in a fresh data folder
    (so the Corpus page imports the sample corpus first)."""
    name, app, charts, text = page_spec
    data = work / f"{label}-data"
    data.mkdir()
    log = work / f"{label}-runs.log"
    os.environ.pop("NEWSLENS_TEST_CORPUS", None)
    with sync_playwright() as p:
        chromium = browser_helpers.launch_chromium(p)
        page = chromium.new_page(viewport=VIEWPORT)
        started = time.perf_counter()
        server = browser_helpers.start_server(cwd=ROOT, data_dir=data, log_path=work / f"{label}-server.log",
                                              env={"NEWSLENS_RUN_LOG": str(log)}, app=app)  # fmt: skip
        try:
            healthy = time.perf_counter() - started
            page.goto(server.url)
            page.wait_for_function(_VIEW, arg=[charts, text], timeout=TIMEOUT_MS)
            drawn = time.perf_counter() - started
            if name == "corpus":
                page.screenshot(path=str(work / f"{label}-1600.png"))
        finally:
            browser_helpers.stop_server(server)
            chromium.close()
    runs = run_times(log)
    return {"healthy": healthy, "drawn": drawn, "first script run": runs[0][1] if runs else float("nan")}


def filter_changes(work: Path, store_path: Path, changes: int) -> list[dict[str, float]]:
    """Each text-search change: total (Enter to drawn) and the script runs it caused."""
    store = CorpusStore(store_path)
    words = search_words(store, changes)
    log = work / "changes-runs.log"
    server = browser_helpers.start_server(cwd=ROOT, data_dir=work / "changes-data",
                                          log_path=work / "changes-server.log", app=APP,
                                          env={"NEWSLENS_TEST_CORPUS": str(store_path),
                                               "NEWSLENS_RUN_LOG": str(log)})  # fmt: skip
    out = []
    try:
        with sync_playwright() as p:
            chromium = browser_helpers.launch_chromium(p)
            page = chromium.new_page(viewport=VIEWPORT)
            total = Q.corpus_info(store).articles
            page.goto(server.url)
            page.wait_for_function(_DRAWN, arg=[CHARTS, f"{total:,} of {total:,} articles selected"],
                                   timeout=TIMEOUT_MS)  # fmt: skip
            box = page.locator(SEARCH)
            for word, caption in words:
                box.fill(word)
                before = len(run_times(log))
                wall, started = time.time(), time.perf_counter()
                box.press("Enter")
                page.wait_for_function(_DRAWN, arg=[CHARTS, caption], timeout=TIMEOUT_MS)
                elapsed = time.perf_counter() - started
                runs = run_times(log)[before:]
                script = sum(r[1] for r in runs)
                # Before the first run starts: the key press reaching the server; after the
                # last run ends: the last deltas' way and drawing.
                first_start = runs[0][0] - runs[0][1] - wall if runs else float("nan")
                out.append({"word": word, "total": elapsed, "script": script, "runs": len(runs),
                            "before": first_start, "after": elapsed - first_start - script})  # fmt: skip
            page.screenshot(path=str(work / "corpus-10k-filtered-1600.png"), full_page=True)
            page.set_viewport_size({"width": 1280, "height": 720})
            page.wait_for_timeout(1500)
            page.screenshot(path=str(work / "corpus-10k-filtered-1280.png"), full_page=True)
            chromium.close()
    finally:
        browser_helpers.stop_server(server)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=12)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/newslens-bench"))
    parser.add_argument("--reuse", action="store_true", help="keep a store built by an earlier run")
    parser.add_argument("--first-views", type=int, default=3,
                        help="first views of each page (Article and Corpus, alternating)")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="corpus-dashboard-", dir=args.dir))
    print(f"load average at start: {os.getloadavg()[0]:.2f}; screenshots and logs in {work}")

    views: dict[str, list[dict[str, float]]] = {"article": [], "corpus": []}
    for round_ in range(args.first_views):
        # Alternating, so that both pages see the same load on a shared machine.
        for spec in (CORPUS, ARTICLE) if round_ % 2 else (ARTICLE, CORPUS):
            views[spec[0]].append(first_view(work, spec, label=f"{spec[0]}-{round_}"))
    for name, runs in views.items():
        what = "text and 3 charts" if name == "article" else "every chart, sample corpus imported first"
        each = ", ".join(f"{r['drawn']:.2f}" for r in runs)
        print(f"first view of the {name} page ({what}), median of {len(runs)}: "
              f"{statistics.median(r['drawn'] for r in runs):.2f} s from the server process start "
              f"(each: {each}; "
              f"health {statistics.median(r['healthy'] for r in runs):.2f} s"
              + (f"; first script run {statistics.median(r['first script run'] for r in runs):.2f} s)"
                 if name == "corpus" else ")"))  # fmt: skip

    store_path = args.dir / f"corpus-dashboard-{args.articles}.duckdb"
    if not (args.reuse and store_path.exists()):
        seconds = corpus_queries.fill(store_path, args.articles, templates_from_export(EXPORT))
        print(f"store of {args.articles:,} articles built in {seconds:.1f} s "
              f"({store_path.stat().st_size / 1e6:.0f} MB)")  # fmt: skip
    rows = filter_changes(work, store_path, args.changes)
    for row in rows:
        print(f"  search {row['word']!r:18} {row['total'] * 1000:7.0f} ms  (before the run {row['before'] * 1000:5.0f} ms,"
              f" script {row['script'] * 1000:6.0f} ms in {row['runs']} run(s), after {row['after'] * 1000:5.0f} ms)")  # fmt: skip
    total = statistics.median(r["total"] for r in rows)
    script = statistics.median(r["script"] for r in rows)
    rest = statistics.median(r["total"] - r["script"] for r in rows)
    print(f"filter change to every chart redrawn, {args.articles:,} articles, median of {len(rows)}: "
          f"{total * 1000:.0f} ms (p90 {sorted(r['total'] for r in rows)[int(0.9 * (len(rows) - 1))] * 1000:.0f} ms); "
          f"server script run {script * 1000:.0f} ms, the rest (messages, drawing) {rest * 1000:.0f} ms: before "
          f"the run {statistics.median(r['before'] for r in rows) * 1000:.0f} ms, after it "
          f"{statistics.median(r['after'] for r in rows) * 1000:.0f} ms")  # fmt: skip
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
