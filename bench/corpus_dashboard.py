"""Benchmark of the Corpus page in a real browser (prints figures, asserts nothing about time).

    python bench/corpus_dashboard.py [--articles 10000] [--changes 12] [--first-views 3]
                                     [--dir /tmp/newslens-bench] [--reuse]
                                     [--server-profile N] [--compare-commit REV]

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
and drawing; in the browser, the bytes received, each chart's redraws (Plotly's
``plotly_beforeplot`` to ``plotly_afterplot``, by the widget key of its container) and the
main thread's long tasks. ``--server-profile N`` first splits the server's run by query,
figure and Streamlit call (``AppTest``, no browser). ``--compare-commit REV`` runs the page of
another commit as well (a ``git worktree`` under ``--dir``), each change on both pages in turn,
so that both see the same load.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import duckdb
import pandas as pd
import psutil
from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(HERE))  # after the root: bench/dashboard.py is no package

import corpus_queries  # noqa: E402  (its store builder)

from analysis.storage.corpus import CorpusStore  # noqa: E402
from analysis.storage.corpus import queries as Q  # noqa: E402
from analysis.storage.corpus.schema import CONTRACT  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "bench_browser", ROOT / "tests" / "dashboard" / "browser.py"
)
browser_helpers = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = browser_helpers
_spec.loader.exec_module(browser_helpers)

APP = ROOT / "tests" / "dashboard" / "corpus_app.py"
EXPORT = ROOT / "seeds" / "corpus" / "wikinews-2019-2020.parquet"
VIEWPORT = {"width": 1600, "height": 1000}
#: Drawn by default: coverage, top entities, top words, tone box, tone over time; each view
#: chosen under "More views" (``--open``: quoted, pairs, dist) adds one.
CHARTS = 5
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


def templates_from_export(
    export: Path, *, count: int = corpus_queries.TEMPLATES
) -> list[dict[str, pd.DataFrame]]:
    """The contract tables of ``count`` analysed sample articles, each keyed ``template<i>``,
    as :func:`corpus_queries.fill` takes them: the articles at evenly spaced ranks of length
    between the 35th and the 90th percentile (typical news lengths; the sample's longest, a
    20,000-word report, would make every copy of it weigh as much as forty others)."""
    con = duckdb.connect()
    ranked = [
        r[0]
        for r in con.execute(
            f"SELECT doc_key FROM read_parquet('{export}/articles.parquet') ORDER BY words, doc_key"
        ).fetchall()
    ]
    keys = [ranked[int(len(ranked) * (0.35 + 0.55 * i / count))] for i in range(count)]
    out = []
    for i, key in enumerate(keys):
        tables = {}
        for name in CONTRACT:
            frame = con.execute(
                f"SELECT * FROM read_parquet('{export}/{name}.parquet') WHERE doc_key = ?", [key]
            ).df()
            tables[name] = frame.assign(doc_key=f"template{i}")
        out.append(tables)
    con.close()
    return out


def search_words(store: CorpusStore, count: int) -> list[tuple[str, str]]:
    """Words to search for, one per change, with the caption each one gives: frequent non-stop
    words whose article counts differ from the previous word's (so a change is visible)."""
    with store.reader() as con:
        words = [
            r[0]
            for r in con.execute(
                "SELECT term FROM term_totals WHERE NOT is_stop AND length(term) > 3 "
                "ORDER BY articles DESC, term LIMIT 400"
            ).fetchall()
        ]
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
    return [
        tuple(map(float, line.split())) for line in log.read_text().splitlines() if line.strip()
    ]


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
        server = browser_helpers.start_server(
            cwd=ROOT,
            data_dir=data,
            log_path=work / f"{label}-server.log",
            env={"NEWSLENS_RUN_LOG": str(log)},
            app=app,
        )
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
    return {
        "healthy": healthy,
        "drawn": drawn,
        "first script run": runs[0][1] if runs else float("nan"),
    }


#: Installed in every page before its scripts run: the time of each Enter key press, of each
#: message from the server (and its size), of each Plotly chart's redraw (by the widget key of
#: the chart's container), and the browser's long tasks.
_PROBE = """(() => {
  const nl = window.__nl = {enter: [], messages: [], plots: [], long: []};
  document.addEventListener('keydown', e => { if (e.key === 'Enter') nl.enter.push(performance.now()); }, true);
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const socket = new Native(...args);
    socket.addEventListener('message', e => nl.messages.push(
      [performance.now(), e.data.byteLength ?? e.data.size ?? e.data.length ?? 0]));
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  const name = gd => {
    const box = gd.closest('[class*="st-key-"]');
    const key = box && [...box.classList].find(c => c.startsWith('st-key-'));
    return key ? key.slice(7).replace(/_box$/, '') : '?';
  };
  const hook = gd => {
    if (gd.__nlHooked || typeof gd.on !== 'function') return;
    gd.__nlHooked = true;
    gd.on('plotly_beforeplot', () => { nl.plots.push(['before', name(gd), performance.now()]); });
    gd.on('plotly_afterplot', () => nl.plots.push(['after', name(gd), performance.now()]));
  };
  new MutationObserver(() => document.querySelectorAll('.js-plotly-plot').forEach(hook))
    .observe(document, {childList: true, subtree: true, attributes: true, attributeFilter: ['class']});
  try {
    new PerformanceObserver(list => list.getEntries().forEach(e => nl.long.push([e.startTime, e.duration])))
      .observe({type: 'longtask', buffered: true});
  } catch (e) {}
})();"""

#: The probe's records since the last Enter key press, relative to it, in milliseconds.
_SINCE_ENTER = """() => {
  const nl = window.__nl, t0 = nl.enter[nl.enter.length - 1];
  const after = rows => rows.filter(r => r[0] >= t0);
  return {
    messages: after(nl.messages).map(([t, n]) => [t - t0, n]),
    plots: nl.plots.filter(r => r[2] >= t0).map(([what, key, t]) => [what, key, t - t0]),
    long: after(nl.long).map(([t, d]) => [t - t0, d]),
  };
}"""


def browser_breakdown(probe: dict) -> dict:
    """What the browser did after a change: messages from the server (the first and last, in
    ms after Enter, their bytes), each chart's redraws (ms from its first redraw start to its
    last redraw end, and the time it was last drawn), and long tasks (count, ms in all)."""
    messages = probe["messages"]
    charts: dict[str, dict[str, float]] = {}
    open_: dict[str, float] = {}
    for what, key, t in probe["plots"]:
        chart = charts.setdefault(key, {"draw": 0.0, "redraws": 0, "done": 0.0})
        if what == "before":
            open_[key] = t
        elif key in open_:
            chart["draw"] += t - open_.pop(key)
            chart["redraws"] += 1
            chart["done"] = t
    return {
        "first message": messages[0][0] if messages else float("nan"),
        "last message": messages[-1][0] if messages else float("nan"),
        "bytes": sum(n for _, n in messages),
        "charts": charts,
        "long tasks": len(probe["long"]),
        "long ms": sum(d for _, d in probe["long"]),
    }


def _chromium_processes() -> set[int]:
    return {p.pid for p in psutil.process_iter(["name"]) if "chrom" in (p.info["name"] or "")}


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) of a process and its descendants so far: the work done,
    which, unlike the time it takes, does not grow with the machine's load."""
    total = 0.0
    try:
        root = psutil.Process(pid)
        for proc in [root, *root.children(recursive=True)]:
            try:
                times = proc.cpu_times()
                total += times.user + times.system
            except psutil.Error:
                pass
    except psutil.Error:
        pass
    return total


class Variant(NamedTuple):
    """One version of the page under test: a label and the checkout it runs from."""

    label: str
    root: Path
    charts: int = CHARTS
    query: str = ""


def filter_changes(
    work: Path, store_path: Path, changes: int, variants: list[Variant]
) -> dict[str, list[dict]]:
    """Each text-search change, on each variant's own server and page, alternating (the same
    words in the same order for every variant): total (Enter to drawn), the script runs it
    caused, and the browser's breakdown."""
    store = CorpusStore(store_path)
    words = search_words(store, changes)
    total = Q.corpus_info(store).articles
    out: dict[str, list[dict]] = {v.label: [] for v in variants}
    servers, pages, logs, browsers, browser_pids = {}, {}, {}, [], {}
    try:
        with sync_playwright() as p:
            for v in variants:
                # A browser per variant, so that the CPU time of each page's drawing is its own.
                before = _chromium_processes()
                chromium = browser_helpers.launch_chromium(p)
                browsers.append(chromium)
                started = _chromium_processes() - before
                # The browser process: a Chromium without a --type (its helpers have one; the
                # crash handlers are other programs).
                browser_pids[v.label] = next(
                    pid
                    for pid in started
                    if psutil.Process(pid).name() == "chromium"
                    and not any(a.startswith("--type=") for a in psutil.Process(pid).cmdline())
                )
                logs[v.label] = work / f"changes-{v.label}-runs.log"
                servers[v.label] = browser_helpers.start_server(
                    cwd=v.root,
                    data_dir=work / f"changes-{v.label}-data",
                    log_path=work / f"changes-{v.label}-server.log",
                    app=v.root / APP.relative_to(ROOT),
                    env={
                        "NEWSLENS_TEST_CORPUS": str(store_path),
                        "NEWSLENS_RUN_LOG": str(logs[v.label]),
                    },
                )
                page = chromium.new_page(viewport=VIEWPORT)
                page.add_init_script(_PROBE)
                page.goto(servers[v.label].url + v.query)
                page.wait_for_function(
                    _DRAWN,
                    arg=[v.charts, f"{total:,} of {total:,} articles selected"],
                    timeout=TIMEOUT_MS,
                )
                pages[v.label] = page
            for i, (word, caption) in enumerate(words):
                # Alternating which goes first, so that neither always follows the other's work.
                for v in variants if i % 2 == 0 else variants[::-1]:
                    page, log = pages[v.label], logs[v.label]
                    box = page.locator(SEARCH)
                    box.fill(word)
                    page.wait_for_timeout(300)  # let the browser settle after the last change
                    before = len(run_times(log))
                    cpu_server, cpu_browser = (
                        cpu_seconds(servers[v.label].process.pid),
                        cpu_seconds(browser_pids[v.label]),
                    )
                    wall, started = time.time(), time.perf_counter()
                    box.press("Enter")
                    page.wait_for_function(_DRAWN, arg=[v.charts, caption], timeout=TIMEOUT_MS)
                    elapsed = time.perf_counter() - started
                    cpu_server = cpu_seconds(servers[v.label].process.pid) - cpu_server
                    cpu_browser = cpu_seconds(browser_pids[v.label]) - cpu_browser
                    page.wait_for_timeout(200)  # late chart redraws and long tasks are recorded too
                    runs = run_times(log)[before:]
                    script = sum(r[1] for r in runs)
                    # Before the first run starts: the key press reaching the server; after the
                    # last run ends: the last deltas' way and drawing.
                    first_start = runs[0][0] - runs[0][1] - wall if runs else float("nan")
                    out[v.label].append(
                        {
                            "word": word,
                            "total": elapsed,
                            "script": script,
                            "runs": len(runs),
                            "before": first_start,
                            "after": elapsed - first_start - script,
                            "cpu server": cpu_server,
                            "cpu browser": cpu_browser,
                            "browser": browser_breakdown(page.evaluate(_SINCE_ENTER)),
                        }
                    )
            for v in variants:
                pages[v.label].screenshot(
                    path=str(work / f"corpus-10k-filtered-{v.label}-1600.png"), full_page=True
                )
            for chromium in browsers:
                chromium.close()
    finally:
        for server in servers.values():
            browser_helpers.stop_server(server)
    return out


def report_changes(label: str, rows: list[dict], articles: int) -> None:
    """Prints each change and the medians of one variant."""
    med = statistics.median
    print(f"-- {label}")
    for row in rows:
        b = row["browser"]
        print(
            f"  search {row['word']!r:14} {row['total'] * 1000:6.0f} ms  (before the run {row['before'] * 1000:4.0f} ms,"
            f" script {row['script'] * 1000:5.0f} ms in {row['runs']} run(s), after {row['after'] * 1000:5.0f} ms;"
            f" {b['bytes'] / 1000:4.0f} kB, last message at {b['last message']:5.0f} ms,"
            f" long tasks {b['long tasks']} / {b['long ms']:4.0f} ms; CPU server {row['cpu server'] * 1000:4.0f} ms,"
            f" browser {row['cpu browser'] * 1000:4.0f} ms)"
        )
    total = med(r["total"] for r in rows)
    p90 = sorted(r["total"] for r in rows)[int(0.9 * (len(rows) - 1))]
    print(
        f"filter change to every chart redrawn, {articles:,} articles, median of {len(rows)}: "
        f"{total * 1000:.0f} ms (p90 {p90 * 1000:.0f} ms); server script run {med(r['script'] for r in rows) * 1000:.0f} ms, "
        f"before the run {med(r['before'] for r in rows) * 1000:.0f} ms, after it "
        f"{med(r['after'] for r in rows) * 1000:.0f} ms"
    )
    b = [r["browser"] for r in rows]
    print(
        f"  browser: {med(x['bytes'] for x in b) / 1000:.0f} kB from the server per change, first message "
        f"{med(x['first message'] for x in b):.0f} ms and last {med(x['last message'] for x in b):.0f} ms after "
        f"Enter; long tasks {med(x['long ms'] for x in b):.0f} ms in all"
    )
    print(
        f"  CPU time per change (work done, whatever the load): server {med(r['cpu server'] for r in rows) * 1000:.0f} ms, "
        f"browser {med(r['cpu browser'] for r in rows) * 1000:.0f} ms (Chromium's processes, from Enter to drawn)"
    )
    keys = sorted({k for x in b for k in x["charts"]})
    for key in keys:
        drawn = [x["charts"][key] for x in b if key in x["charts"]]
        print(
            f"  chart {key:28} redraw {med(c['draw'] for c in drawn):5.0f} ms ({med(c['redraws'] for c in drawn):.0f}x),"
            f" last drawn {med(c['done'] for c in drawn):5.0f} ms after Enter (in {len(drawn)} of {len(b)} changes)"
        )


def server_breakdown(store_path: Path, changes: int) -> None:
    """The Corpus page's script run after each text-search change, in this process
    (``AppTest``, no browser): its duration, and the time spent in each query (in the thread
    that ran it: prefetched queries overlap), in building each figure, and in Streamlit's
    ``plotly_chart`` and ``dataframe`` calls (the figures' and tables' serialisation)."""
    import threading
    from collections import defaultdict

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard import charts
    from dashboard.corpus import charts as corpus_charts
    from dashboard.corpus import data

    spent: dict[str, list[float]] = defaultdict(list)
    lock = threading.Lock()

    def timed(function, label):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                with lock:
                    spent[label].append(time.perf_counter() - started)

        return wrapper

    saved = []
    for name, function in list(data.QUERIES.items()):
        saved.append((data.QUERIES, name, function))
        data.QUERIES[name] = timed(function, f"query {name}")
    for module, names in (
        (corpus_charts, [n for n in dir(corpus_charts) if n.endswith("_figure")]),
        (charts, ["entities_figure", "words_figure"]),
        (st, ["plotly_chart", "dataframe"]),
    ):
        for name in names:
            saved.append((module, name, getattr(module, name)))
            label = f"streamlit {name}" if module is st else f"figure {name}"
            setattr(module, name, timed(getattr(module, name), label))
    os.environ["NEWSLENS_TEST_CORPUS"] = str(store_path)
    try:
        app = AppTest.from_file(str(APP), default_timeout=TIMEOUT_MS / 1000)
        app.run()
        spent.clear()
        runs = []
        for word, _ in search_words(CorpusStore(store_path), changes):
            started = time.perf_counter()
            app.text_input(key="corpus_filters_text").set_value(word).run()
            runs.append(time.perf_counter() - started)
            data.query_pool().submit(lambda: None).result()  # let the query threads finish
    finally:
        for owner, name, function in saved:
            if isinstance(owner, dict):
                owner[name] = function
            else:
                setattr(owner, name, function)
    print(
        f"server script run after a change (AppTest, no browser), median of {len(runs)}: "
        f"{statistics.median(runs) * 1000:.0f} ms; time in each part per run (queries in their own threads):"
    )
    for label, times in sorted(spent.items(), key=lambda kv: -sum(kv[1])):
        print(
            f"  {label:38} {sum(times) / len(runs) * 1000:6.1f} ms in {len(times) / len(runs):.1f} call(s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=12)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/newslens-bench"))
    parser.add_argument("--reuse", action="store_true", help="keep a store built by an earlier run")
    parser.add_argument(
        "--first-views",
        type=int,
        default=3,
        help="first views of each page (Article and Corpus, alternating); 0: none",
    )
    parser.add_argument(
        "--server-profile",
        type=int,
        default=0,
        metavar="N",
        help="first, N changes in AppTest with the server's time split by query and figure",
    )
    parser.add_argument(
        "--compare-commit",
        default="",
        help="also measure the filter changes of this commit (a git worktree under --dir), "
        "alternating with the working tree's",
    )
    parser.add_argument(
        "--open",
        default="",
        help="views shown under 'More views' (comma-separated: quoted,pairs,dist); "
        "default: the page as it opens",
    )
    parser.add_argument(
        "--compare-charts",
        type=int,
        default=8,
        help="charts the --compare-commit page draws (8 before the views could be hidden)",
    )
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
        if not runs:
            continue
        what = (
            "text and 3 charts"
            if name == "article"
            else "every chart, sample corpus imported first"
        )
        each = ", ".join(f"{r['drawn']:.2f}" for r in runs)
        print(
            f"first view of the {name} page ({what}), median of {len(runs)}: "
            f"{statistics.median(r['drawn'] for r in runs):.2f} s from the server process start "
            f"(each: {each}; "
            f"health {statistics.median(r['healthy'] for r in runs):.2f} s"
            + (
                f"; first script run {statistics.median(r['first script run'] for r in runs):.2f} s)"
                if name == "corpus"
                else ")"
            )
        )

    store_path = args.dir / f"corpus-dashboard-{args.articles}.duckdb"
    if not (args.reuse and store_path.exists()):
        seconds = corpus_queries.fill(store_path, args.articles, templates_from_export(EXPORT))
        print(
            f"store of {args.articles:,} articles built in {seconds:.1f} s "
            f"({store_path.stat().st_size / 1e6:.0f} MB)"
        )
    if args.server_profile:
        server_breakdown(store_path, args.server_profile)
    shown = [v for v in args.open.split(",") if v]
    query = f"?open={','.join(shown)}" if shown else ""
    variants = [Variant("now", ROOT, CHARTS + len(shown), query)]
    if args.compare_commit:
        old = args.dir / f"worktree-{args.compare_commit}"
        if not old.exists():
            subprocess.run(
                [
                    "git",
                    "-C",
                    str(ROOT),
                    "worktree",
                    "add",
                    "--detach",
                    str(old),
                    args.compare_commit,
                ],
                check=True,
                capture_output=True,
            )
        variants.insert(0, Variant(args.compare_commit, old, args.compare_charts, query))
    results = filter_changes(work, store_path, args.changes, variants)
    for label, rows in results.items():
        report_changes(label, rows, args.articles)
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
