"""Load test (run on demand, not a test): concurrent browser sessions against one server.

    python bench/load.py [--sessions 8] [--seconds 60] [--think 0] [--timeout 30]

Starts one NewsLens server on a free loopback port (its log at DEBUG, one line per script
run) and one headless Chromium. Each session has its own browser context and visits the app
once before the measured run, one at a time (the server loads its model, the browser caches
the app's scripts, as a returning reader's has). Then ``--sessions`` sessions run at once for
``--seconds``, arriving one a second. Each opens an article by share link (the sample or one
of three stored articles), then loops: pick another article in the sidebar, change words per
term, switch the sentiment model, click an entity bar; every fourth round opens a link again.
``--think`` adds a pause before each action. Bounded: sessions stop at the deadline and every
wait has a timeout. Traffic goes to 127.0.0.1 only.

Reports the errors seen, page-load and interaction times (an action to the updated chart,
headline or selection), the server's peak memory and growth, its script-run times and CPU
against the browsers' CPU, and how many times the spaCy pipeline was loaded.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime
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


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time one process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """The processes started, directly or not, by ``pid`` (here: Playwright's driver and the
    Chromium it launches)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class Sampler(threading.Thread):
    """Every half second: the server's resident memory, and the CPU time of the server and of
    every browser process (kept per process, as last seen: processes come and go)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.samples: list[tuple[float, int]] = []
        self.running = True
        self.browser_cpu: dict[int, float] = {}
        self.lock = threading.Lock()

    def run(self) -> None:
        while self.running:
            self.sample()
            time.sleep(0.5)

    def sample(self) -> None:
        with self.lock:
            self.samples.append((time.monotonic(), rss_kib(self.pid)))
            for child in descendants(os.getpid()):
                if child != self.pid:
                    self.browser_cpu[child] = max(
                        self.browser_cpu.get(child, 0.0), cpu_seconds(child)
                    )

    def cpu(self) -> tuple[float, dict[int, float]]:
        """(server CPU seconds, browser CPU seconds per process) so far."""
        self.sample()
        with self.lock:
            return cpu_seconds(self.pid), dict(self.browser_cpu)


#: The browsers share the server's two cores, so they run without CSS animations: a page
#: waiting for the server animates its spinners at some 15% of a core (1.4 s of CPU in 10 s
#: of waiting, 0.5 s without animations), and eight of them starved the server they were
#: waiting for. A reader's browser runs on the reader's machine.
NO_ANIMATIONS = """document.addEventListener('DOMContentLoaded', () => {
  const style = document.createElement('style');
  style.textContent = '*, *::before, *::after { animation: none !important; '
    + 'transition: none !important; }';
  document.head.appendChild(style);
});"""

#: How long one wait may take, in ms (--timeout).
TIMEOUT_MS = [30_000]
#: A reader's pause before each action, in seconds (--think; 0: clicks back to back).
THINK_S = [0.0]

SELECTION = "() => new URLSearchParams(location.search).get('sel')"
HEADLINE = (
    "() => { const h = document.querySelector('.nl-article h2'); return h ? h.textContent : ''; }"
)
#: Widget keys by what they are, as this app names them and as versions before its pages were
#: split did (``bench/server.py`` drives such a baseline too): a selector matches either.
KEYS = {
    "article": ("article_sources_choice", "article_choice"),
    "ngram": ("article_options_ngram", "words_ngram"),
    "model": ("article_options_model", "sentiment_model"),
    "words chart": ("article_words_chart", "words_chart"),
    "sentiment chart": ("article_sentiment_chart", "sentiment_chart"),
    "entities chart": ("article_entities_chart", "entities_chart"),
    "Words": ("article_options_words", "options_words"),
    "Sentiment": ("article_options_sentiment", "options_sentiment"),
}


def keyed(name: str, suffix: str = "") -> str:
    """A CSS selector of the element keyed ``name`` (:data:`KEYS`), any version's key."""
    return ", ".join(f".st-key-{key}{suffix}" for key in KEYS[name])


#: The first trace's name and last category of a chart (by its stable container's selector);
#: for a chart with no data (too few terms seen twice, say), the note it shows instead.
TRACE = """box => {
  const g = document.querySelector(box.split(', ').map(b => `${b} .js-plotly-plot`).join(', '));
  if (!g || !g.data) return null;
  const t = g.data[0];
  if (!t) return ['', ((g.layout.annotations || [])[0] || {}).text || ''];
  return [t.name, t.y ? t.y[t.y.length - 1] : ''];
}"""
CHANGED = (
    f"([key, before]) => {{ const now = ({TRACE})(key); return now && "
    "JSON.stringify(now) !== JSON.stringify(before); }"
)
#: The words per term of the URL are ``n`` and the words chart changed, or stayed as it was
#: once the run ended (a short article has no two-word term seen twice, nor a three-word one).
NGRAM_SHOWN = (
    f"([box, before, n]) => {{ if ((new URLSearchParams(location.search).get('ngram') || '1') "
    f"!== n) return false; const now = ({TRACE})(box); if (now && JSON.stringify(now) !== "
    "JSON.stringify(before)) return true; "
    "return !document.querySelector('[data-testid=\"stStatusWidget\"]'); }"
)
CHARTS_DRAWN = (
    "() => document.querySelectorAll('.js-plotly-plot g.point').length > 0 && "
    "!document.querySelector('[data-testid=\"stStatusWidget\"]')"
)


async def wait_until(page, expression: str, arg=None) -> None:
    # Checked every 50 ms: Playwright's default checks on every animation frame, which keeps
    # a waiting page drawing frames, eight pages at once on the server's cores.
    await page.wait_for_function(expression, arg=arg, timeout=TIMEOUT_MS[0], polling=50)


async def open_link(page, url: str, stats: dict) -> None:
    """Open a share link (a page load) and wait for the article and the chart bars."""
    start = time.monotonic()
    await page.goto(url)
    await wait_until(page, "() => document.querySelector('.nl-article') !== null")
    await wait_until(page, CHARTS_DRAWN)
    stats["loads"].append(time.monotonic() - start)


async def choose_article(page, rng: random.Random) -> None:
    """Pick another article in the sidebar's Article list; wait for its headline."""
    before = await page.evaluate(HEADLINE)
    await page.locator(keyed("article")).click()
    options = page.get_by_role("option")
    await options.first.wait_for(timeout=TIMEOUT_MS[0])
    others = [
        option
        for option in await options.all()
        if await option.get_attribute("aria-selected") != "true"
    ]
    if not others:
        await page.keyboard.press("Escape")
        return
    await rng.choice(others).click()
    await wait_until(page, f"h => ({HEADLINE})() !== h", before)
    await wait_until(page, CHARTS_DRAWN)


async def change_ngram(page, rng: random.Random) -> None:
    """Words per term: another value; wait for the words chart to change."""
    chart = keyed("words chart", "_box")
    before = await page.evaluate(TRACE, chart)
    current = await page.evaluate("() => new URLSearchParams(location.search).get('ngram') || '1'")
    choice = rng.choice([n for n in ("1", "2", "3") if n != current])
    await (
        page.locator(keyed("ngram"))
        .get_by_role("radio", name="1 word" if choice == "1" else choice, exact=True)
        .click()
    )
    await wait_until(page, NGRAM_SHOWN, [chart, before, choice])


async def switch_model(page, rng: random.Random) -> None:
    """Sentiment model: the other one; wait for the sentiment chart to change."""
    chart = keyed("sentiment chart", "_box")
    before = await page.evaluate(TRACE, chart)
    name = "TextBlob" if before and before[0].startswith("VADER") else "VADER"
    await page.locator(keyed("model")).get_by_role("radio", name=name, exact=True).click()
    await wait_until(page, CHANGED, [chart, before])


async def click_entity_bar(page, rng: random.Random) -> None:
    """Click the centre of a random bar of the entities chart; wait for the selection."""
    box = keyed("entities chart", "_box")
    bars = page.locator(", ".join(f"{b} .js-plotly-plot g.point path" for b in box.split(", ")))
    count = await bars.count()
    if not count:
        return
    bar = bars.nth(rng.randrange(count))
    await bar.scroll_into_view_if_needed()
    box = await bar.bounding_box()
    if not box:
        return
    selected = await page.evaluate(SELECTION)
    await page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    # The app writes the selection to the URL in the run that highlights it.
    await wait_until(page, f"s => ({SELECTION})() !== s", selected)


ACTIONS = {
    "article": choose_article,
    "words per term": change_ngram,
    "sentiment model": switch_model,
    "bar click": click_entity_bar,
}


async def open_group(page, label: str) -> None:
    """Open the sidebar's option group ``label`` unless it is open: a group is drawn only
    while open, and a new session starts with every group closed (in versions whose groups
    are always open there is nothing to do)."""
    group = page.locator(keyed(label))
    if not await group.count() or await group.locator("[data-testid=stElementContainer]").count():
        return
    await group.get_by_text(label, exact=True).click()
    await group.locator("[data-testid=stElementContainer]").first.wait_for(timeout=TIMEOUT_MS[0])
    await wait_until(page, CHARTS_DRAWN)


#: What an action needs open first.
PREPARE = {"words per term": "Words", "sentiment model": "Sentiment"}


async def prepare(page, action: str) -> None:
    """Make ready for ``action`` (a key of :data:`ACTIONS`); not part of its time: a reader
    opens a group once per visit."""
    if action in PREPARE:
        await open_group(page, PREPARE[action])


async def session(
    number: int, context, base: str, links: list[str], deadline: float, stats: dict
) -> None:
    """One reader: opens a link, then in turn picks another article, changes two filters and
    clicks an entity bar; every fourth round opens a link again instead of picking."""
    page = await context.new_page()
    page.on("pageerror", lambda error: stats["errors"].append(f"session {number}: {error}"))
    rng = random.Random(number)
    reload = True
    rounds = 0
    while time.monotonic() < deadline - 5:
        try:
            if reload or rounds % 4 == 3:
                await open_link(page, base + rng.choice(links), stats)
                reload = False
                steps = list(ACTIONS)[1:]
            else:
                steps = list(ACTIONS)
            rounds += 1
            for name in steps:
                if time.monotonic() >= deadline:
                    break
                await asyncio.sleep(THINK_S[0])  # the reader looks before the next click
                await prepare(page, name)
                start = time.monotonic()
                await ACTIONS[name](page, rng)
                stats["interactions"].setdefault(name, []).append(time.monotonic() - start)
            exceptions = await page.locator('[data-testid="stException"]').count()
            if exceptions:
                stats["errors"].append(f"session {number}: {exceptions} exception(s) shown")
        except Exception as error:  # noqa: BLE001 (counted and reported)
            stats["errors"].append(f"session {number}: {type(error).__name__}: {error}"[:300])
            reload = True
    await page.close()


async def drive(
    base: str, links: list[str], sessions: int, seconds: float, stats: dict, sampler: Sampler
) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        chromium = await p.chromium.launch(
            executable_path=browser.CHROMIUM_PATH, args=browser.CHROMIUM_ARGS
        )
        contexts = [
            await chromium.new_context(viewport={"width": 1400, "height": 1000})
            for _ in range(sessions)
        ]
        for context in contexts:
            await context.add_init_script(NO_ANIMATIONS)
        # Before the measured minute, one visit per browser, one at a time: the server loads
        # its model (as a deployed server has), and each browser caches the app's scripts, as
        # a returning reader's has. That first visit is timed on its own.
        for context in contexts:
            page = await context.new_page()
            start = time.monotonic()
            await page.goto(base + links[0])
            await page.wait_for_selector(".js-plotly-plot g.point", timeout=120_000)
            stats["cold"].append(time.monotonic() - start)
            await page.close()
        stats["cpu_start"] = sampler.cpu()
        stats["start"] = time.monotonic()
        stats["start_clock"] = datetime.now()
        deadline = stats["start"] + seconds

        async def staggered(number: int, context) -> None:
            # People do not all arrive in the same millisecond: one new session per second.
            await asyncio.sleep(number * 1.0)
            await session(number, context, base, links, deadline, stats)

        await asyncio.gather(*(staggered(n, c) for n, c in enumerate(contexts)))
        stats["cpu_end"] = sampler.cpu()
        await chromium.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--timeout", type=float, default=30, help="seconds one wait may take")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="seconds a reader pauses before each action (default 0: none)",
    )
    args = parser.parse_args()
    TIMEOUT_MS[0] = int(args.timeout * 1000)
    THINK_S[0] = args.think
    from analysis.storage.shares import ArticleStore

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        data = tmp_path / "data"
        store = ArticleStore(data)
        keys = [store.put(text.encode(), source="load test") for text in STORED]
        links = ["?article=china-urges-gaza-ceasefire-2024-03-21"] + [f"?article={k}" for k in keys]
        # DEBUG: the server logs every script run with its time.
        server = browser.start_server(
            cwd=tmp_path,
            data_dir=data,
            log_path=tmp_path / "log",
            env={"NEWSLENS_LOG_LEVEL": "DEBUG"},
        )
        sampler = Sampler(server.process.pid)
        sampler.start()
        stats: dict = {"errors": [], "interactions": {}, "loads": [], "cold": []}
        try:
            asyncio.run(drive(server.url, links, args.sessions, args.seconds, stats, sampler))
        finally:
            sampler.running = False
            sampler.join()
            log = server.log()
            browser.stop_server(server)
    report(args, stats, sampler, log)


RUN_LINE = re.compile(r"^(\S+ \S+) newslens DEBUG script run: ([\d.]+) ms \(CPU ([\d.]+) ms\)")


def script_runs(log: str, since: datetime) -> list[tuple[float, float]]:
    """(wall ms, CPU ms) of each script run the server logged at or after ``since``."""
    runs = []
    for line in log.splitlines():
        match = RUN_LINE.match(line)
        if match and datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S,%f") >= since:
            runs.append((float(match[2]), float(match[3])))
    return runs


def report(args, stats: dict, sampler: Sampler, log: str) -> None:
    (server_start, browsers_start), (server_end, browsers_end) = (
        stats["cpu_start"],
        stats["cpu_end"],
    )
    # The measured run; "after warm-up" is once every session has arrived (one a second).
    minute = [(moment, kib) for moment, kib in sampler.samples if kib and moment >= stats["start"]]
    memory = [kib for _, kib in minute]
    loads = log.count("spaCy pipeline loaded")
    tracebacks = log.count("Traceback")
    times = [t for values in stats["interactions"].values() for t in values]
    print(
        f"{args.sessions} concurrent browser sessions for {args.seconds:.0f} s against one "
        f"server (loopback; the browsers share the machine's {os.cpu_count()} cores with the "
        f"server), pause before each action: {args.think:g} s"
    )
    print(
        f"before the run, first visits with an empty browser cache, one at a time: median "
        f"{statistics.median(stats['cold']):.2f} s"
    )
    print(
        f"page loads (share links) during the run: {len(stats['loads'])}, median "
        f"{statistics.median(stats['loads']):.2f} s, 95th percentile "
        f"{percentile(stats['loads'], 0.95):.2f} s"
        if stats["loads"]
        else "page loads: none"
    )
    if times:
        print(
            f"interactions: {len(times)}; interaction to updated chart/highlight: median "
            f"{statistics.median(times):.2f} s, 95th percentile {percentile(times, 0.95):.2f} s"
        )
        for name, values in stats["interactions"].items():
            print(
                f"  {name}: {len(values)}, median {statistics.median(values):.2f} s, "
                f"95th percentile {percentile(values, 0.95):.2f} s"
            )
    print(
        f"errors seen: {len(stats['errors'])} in the pages, {tracebacks} tracebacks in the "
        "server log"
    )
    for error in stats["errors"][:10]:
        print(f"  {error}")
    if memory:
        arrived = stats["start"] + args.sessions
        after_warm_up = [kib for moment, kib in minute if moment >= arrived] or memory
        print(
            f"server memory: peak {max(memory) / 1024:.0f} MiB; once all sessions arrived "
            f"{after_warm_up[0] / 1024:.0f} MiB -> at the end {memory[-1] / 1024:.0f} MiB "
            f"(growth {(memory[-1] - after_warm_up[0]) / 1024:+.0f} MiB)"
        )
    print(f"spaCy pipeline loads in the server: {loads} (target 1)")
    runs = script_runs(log, stats["start_clock"])
    if runs:
        walls = [wall for wall, _ in runs]
        print(
            f"script runs in the server during the run: {len(runs)}; time per run: median "
            f"{statistics.median(walls):.0f} ms, 95th percentile {percentile(walls, 0.95):.0f} ms"
            f" (CPU median {statistics.median(cpu for _, cpu in runs):.0f} ms)"
        )
    server_cpu = server_end - server_start
    browser_cpu = sum(cpu - browsers_start.get(pid, 0.0) for pid, cpu in browsers_end.items())
    print(
        f"CPU used during the run ({os.cpu_count()} cores, {args.seconds:.0f} s): server "
        f"{server_cpu:.0f} s, browsers {browser_cpu:.0f} s "
        f"({browser_cpu / max(server_cpu, 0.1):.1f}x the server)"
    )


if __name__ == "__main__":
    main()
