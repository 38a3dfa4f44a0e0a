"""Load test (run on demand, not a test): concurrent browser sessions against one server.

    python bench/load.py [--sessions 8] [--seconds 60]

Starts one NewsLens server on a free loopback port and drives ``--sessions`` Chromium pages
at once for ``--seconds`` (bounded: each session stops at the deadline, and every wait has a
timeout). Each session loops: open an article by link (the sample or one of three stored
articles), change a filter (words per term, sentiment model), click an entity bar. Reports
the errors seen, the server's peak memory and its growth over the run, the median and 95th
percentile time from an interaction to the updated chart or highlighted text, and how many
times the spaCy pipeline was loaded (from the server's log). Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if sys.path and Path(sys.path[0]).resolve() == HERE:
    sys.path.pop(0)  # bench/analysis.py would shadow the `analysis` package
_spec = importlib.util.spec_from_file_location("browser", ROOT / "tests/dashboard/browser.py")
browser = importlib.util.module_from_spec(_spec)
sys.modules["browser"] = browser  # dataclasses look their module up there
_spec.loader.exec_module(browser)

STORED = [
    "Budget Talks Resume in Brussels\n\nBy Ann Lee\n\nEuropean Union ministers met in Brussels "
    "on Monday. Officials said the talks with the European Commission went well.\n\n"
    "Critics in Paris and Berlin called the plan disappointing and too slow.",
    "Floods Hit Jakarta\n\nHeavy rain flooded parts of Jakarta on Sunday, officials said. "
    "The Red Cross sent teams to help thousands of residents.\n\nPresident Joko Widodo "
    "promised support, and the World Bank offered an emergency loan.",
    "Markets Rally After Rate Cut\n\nStocks in New York and London rose sharply after the "
    "Federal Reserve cut rates. Analysts at Goldman Sachs called it a welcome surprise.\n\n"
    "The dollar fell against the euro and the yen.",
]


def rss_kib(pid: int) -> int:
    """Resident memory of the server and its children (Streamlit runs in one process)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class Sampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.samples: list[tuple[float, int]] = []
        self.running = True

    def run(self) -> None:
        while self.running:
            self.samples.append((time.monotonic(), rss_kib(self.pid)))
            time.sleep(0.5)


#: How long one wait may take, in ms (--timeout).
TIMEOUT_MS = [30_000]

SELECTION = "() => new URLSearchParams(location.search).get('sel')"


async def top_word(page) -> str:
    return await page.evaluate(
        "() => { const g = document.querySelector('.st-key-words_chart_box .js-plotly-plot');"
        " const y = g && g.data && g.data[0] && g.data[0].y; return y ? y[y.length - 1] : ''; }"
    )


async def click_entity_bar(page) -> bool:
    """Click the centre of a random bar of the entities chart (the third chart)."""
    bars = page.locator(".st-key-entities_chart_box .js-plotly-plot g.point path")
    count = await bars.count()
    if not count:
        return False
    bar = bars.nth(random.randrange(count))
    await bar.scroll_into_view_if_needed()
    box = await bar.bounding_box()
    if not box:
        return False
    await page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    return True


async def session(number: int, context, base: str, links: list[str], deadline: float,
                  stats: dict) -> None:  # fmt: skip
    page = await context.new_page()
    page.on("pageerror", lambda error: stats["errors"].append(f"session {number}: {error}"))
    rng = random.Random(number)
    while time.monotonic() < deadline - 5:
        try:
            link = rng.choice(links)
            start = time.monotonic()
            await page.goto(base + link)
            await page.wait_for_selector(".nl-article", timeout=TIMEOUT_MS[0])
            await page.wait_for_selector(".js-plotly-plot g.point", timeout=TIMEOUT_MS[0])
            stats["loads"].append(time.monotonic() - start)
            # A filter: words per term.
            before = await top_word(page)
            start = time.monotonic()
            current = await page.evaluate(
                "() => new URLSearchParams(location.search).get('ngram') || '1'"
            )
            choice = rng.choice([n for n in ("1", "2", "3") if n != current])
            radio_name = "1 word" if choice == "1" else choice
            await (
                page.locator(".st-key-words_ngram")
                .get_by_role("radio", name=radio_name, exact=True)
                .click()
            )
            await page.wait_for_function(
                "w => { const g = document.querySelector('.st-key-words_chart_box .js-plotly-plot');"
                " const y = g && g.data && g.data[0].y; return y && y[y.length - 1] !== w; }",
                arg=before, timeout=TIMEOUT_MS[0],
            )  # fmt: skip
            stats["interactions"].append(time.monotonic() - start)
            # A click on an entity bar.
            selected = await page.evaluate(SELECTION)
            start = time.monotonic()
            if await click_entity_bar(page):
                # The app writes the selection to the URL in the same run that highlights it.
                await page.wait_for_function(f"s => ({SELECTION})() !== s", arg=selected,
                                             timeout=TIMEOUT_MS[0])  # fmt: skip
                stats["interactions"].append(time.monotonic() - start)
            exceptions = await page.locator('[data-testid="stException"]').count()
            if exceptions:
                stats["errors"].append(f"session {number}: {exceptions} exception(s) shown")
        except Exception as error:  # noqa: BLE001 (counted and reported)
            stats["errors"].append(f"session {number}: {type(error).__name__}: {error}"[:300])
    await page.close()


async def drive(base: str, links: list[str], sessions: int, seconds: float, stats: dict) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=browser.CHROMIUM_PATH,
                                           args=browser.CHROMIUM_ARGS)  # fmt: skip
        contexts = [await chromium.new_context(viewport={"width": 1400, "height": 1000})
                    for _ in range(sessions)]  # fmt: skip
        # A deployed server has its model loaded: one visit first, outside the measurement.
        warm = await contexts[0].new_page()
        await warm.goto(base + links[0])
        await warm.wait_for_selector(".js-plotly-plot g.point", timeout=120_000)
        await warm.close()
        deadline = time.monotonic() + seconds

        async def staggered(number: int, context) -> None:
            # People do not all arrive in the same millisecond: one new session per second.
            await asyncio.sleep(number * 1.0)
            await session(number, context, base, links, deadline, stats)

        await asyncio.gather(*(staggered(n, c) for n, c in enumerate(contexts)))
        await chromium.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--timeout", type=float, default=30, help="seconds one wait may take")
    args = parser.parse_args()
    TIMEOUT_MS[0] = int(args.timeout * 1000)
    from analysis.store import ArticleStore

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        data = tmp_path / "data"
        store = ArticleStore(data)
        keys = [store.put(text.encode(), source="load test") for text in STORED]
        links = ["?article=china-urges-gaza-ceasefire-2024-03-21"] + [f"?article={k}" for k in keys]
        server = browser.start_server(cwd=tmp_path, data_dir=data, log_path=tmp_path / "log")
        sampler = Sampler(server.process.pid)
        sampler.start()
        stats: dict = {"errors": [], "interactions": [], "loads": []}
        try:
            started = time.monotonic()
            asyncio.run(drive(server.url, links, args.sessions, args.seconds, stats))
            elapsed = time.monotonic() - started
        finally:
            sampler.running = False
            sampler.join()
            log = server.log()
            browser.stop_server(server)
    memory = [kib for _, kib in sampler.samples if kib]
    # "After warm-up": once every session has loaded a page (a quarter of the run).
    warm = [kib for moment, kib in sampler.samples if kib and moment - started > elapsed / 4]
    loads = log.count("spaCy pipeline loaded")
    tracebacks = log.count("Traceback")
    times = stats["interactions"]
    print(f"{args.sessions} concurrent browser sessions for {elapsed:.0f} s against one server "
          f"(loopback)")  # fmt: skip
    print(f"page loads: {len(stats['loads'])}, median {statistics.median(stats['loads']):.2f} s"
          if stats["loads"] else "page loads: none")  # fmt: skip
    if times:
        print(
            f"interactions: {len(times)}; interaction to updated chart/highlight: median "
            f"{statistics.median(times):.2f} s, 95th percentile {percentile(times, 0.95):.2f} s"
        )
    print(f"errors seen: {len(stats['errors'])} in the pages, {tracebacks} tracebacks in the "
          "server log")  # fmt: skip
    for error in stats["errors"][:10]:
        print(f"  {error}")
    if memory:
        print(
            f"server memory: peak {max(memory) / 1024:.0f} MiB; after warm-up "
            f"{(warm or memory)[0] / 1024:.0f} MiB -> at the end {memory[-1] / 1024:.0f} MiB "
            f"(growth {(memory[-1] - (warm or memory)[0]) / 1024:+.0f} MiB)"
        )
    print(f"spaCy pipeline loads in the server: {loads} (target 1)")


if __name__ == "__main__":
    main()
