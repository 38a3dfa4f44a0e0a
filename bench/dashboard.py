"""Benchmark of the dashboard in a real browser (not a test: it prints figures and asserts
nothing about time).

    python bench/dashboard.py [--starts 3] [--clicks 10]

Measured with Debian's Chromium (headless) against ``streamlit run dashboard/app.py`` on a free
loopback port, started from a temporary directory with its own article store:
- start-up: from launching the server process to the first chart bars drawn in a fresh browser
  page (the page is opened as soon as ``/_stcore/health`` answers); median over ``--starts``
  fresh servers, each loading the spaCy pipeline;
- selection: from the mouse press on an entity bar to the article panel showing that entity's
  highlights (the count of ``mark.nl-hit`` changing to the entity's mention count), timed in the
  page; median over ``--clicks`` clicks alternating between the bars "China" and "Gaza".
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
ENTITIES_CHART = "entities_chart"  # its widget key
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
    server = browser_helpers.start_server(cwd=workdir, data_dir=workdir / "data",
                                          log_path=workdir / "streamlit.log", wait=False)  # fmt: skip
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
    server = browser_helpers.start_server(cwd=workdir, data_dir=workdir / "data",
                                          log_path=workdir / "streamlit.log")  # fmt: skip
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


def _seconds(values: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--starts", type=int, default=3, help="fresh server starts (default 3)")
    parser.add_argument("--clicks", type=int, default=10, help="entity bar clicks (default 10)")
    args = parser.parse_args()

    print(f"NewsLens dashboard benchmark: Chromium headless, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f} at start")  # fmt: skip
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
            print(f"(a) server process start -> first chart bars drawn in a fresh page, "
                  f"{args.starts} fresh servers:")  # fmt: skip
            print(f"    bars drawn (s):        {_seconds(drawn)}")
            print(f"    of which health ok (s): {_seconds(healthy)}")
            print(f"    median: {statistics.median(drawn):.2f} s "
                  f"(health ok after {statistics.median(healthy):.2f} s)")  # fmt: skip

            workdir = Path(tmp) / "clicks"
            workdir.mkdir()
            times = measure_clicks(browser, workdir, args.clicks)
            names = " / ".join(name for name, _ in CLICKED)
            print(f"(b) mouse press on an entity bar -> its highlights shown in the article, "
                  f"{args.clicks} clicks alternating {names}:")  # fmt: skip
            print(f"    per click (s): {_seconds(times)}")
            print(f"    median: {statistics.median(times):.2f} s "
                  f"(min {min(times):.2f}, max {max(times):.2f})")  # fmt: skip
        finally:
            browser.close()
    print(f"load average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
