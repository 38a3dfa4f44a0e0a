"""Server cost of an interaction, this checkout against a baseline commit, in one run (not a
test: it prints figures and asserts nothing about time).

    python bench/server.py [--baseline 90d842d] [--rounds 10]

Starts two servers on free loopback ports: the app of this checkout, and the app of
``--baseline`` (checked out with ``git worktree`` into a temporary directory and imported from
there through PYTHONPATH). One headless Chromium page per server is warmed up with a visit; then,
in alternating order, each page gets the same interactions (words per term, sentiment model, a
click on an entity bar) and the CPU time its server process used for each one is read from
/proc, from the action until the chart has changed plus a settling second. Reports the median
per interaction for each server and their ratio. The default baseline is the last commit before
the server-side work on load (figures drawn without validation, models frozen out of the
garbage collector, only the open tab drawn).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if sys.path and Path(sys.path[0]).resolve() == HERE:
    sys.path.pop(0)  # bench/analysis.py would shadow the `analysis` package
_spec = importlib.util.spec_from_file_location("load", HERE / "load.py")
load = importlib.util.module_from_spec(_spec)
sys.modules["load"] = load
_spec.loader.exec_module(load)
browser = load.browser

ACTIONS = ["words per term", "sentiment model", "bar click"]


async def measure(servers: dict, rounds: int) -> dict[str, list[float]]:
    from playwright.async_api import async_playwright

    cpu: dict[str, list[float]] = {name: [] for name in servers}
    async with async_playwright() as p:
        chromium = await p.chromium.launch(
            executable_path=browser.CHROMIUM_PATH, args=browser.CHROMIUM_ARGS
        )
        pages = {}
        for name, server in servers.items():
            context = await chromium.new_context(viewport={"width": 1400, "height": 1000})
            await context.add_init_script(load.NO_ANIMATIONS)
            page = await context.new_page()
            await page.goto(server.url + "/?article=china-urges-gaza-ceasefire-2024-03-21")
            await page.wait_for_selector(".js-plotly-plot g.point", timeout=120_000)
            pages[name] = page
        await asyncio.sleep(2)
        rngs = {name: random.Random(7) for name in servers}  # the same choices on both
        for number in range(rounds):
            order = list(servers) if number % 2 == 0 else list(reversed(servers))
            for name in order:
                for action in ACTIONS:
                    await load.prepare(pages[name], action)
                    pid = servers[name].process.pid
                    before = load.cpu_seconds(pid)
                    await load.ACTIONS[action](pages[name], rngs[name])
                    await asyncio.sleep(1.0)  # what the run does after the chart changed
                    cpu[name].append(load.cpu_seconds(pid) - before)
        await chromium.close()
    return cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="90d842d", help="git commit to compare against")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        tree = tmp_path / "baseline"
        subprocess.run(
            [
                "git",
                "-C",
                str(ROOT),
                "worktree",
                "add",
                "--detach",
                "--quiet",
                str(tree),
                args.baseline,
            ],
            check=True,
        )
        servers = {}
        try:
            for name, root, env in (
                ("baseline", tree, {"PYTHONPATH": str(tree)}),
                ("this checkout", ROOT, {}),
            ):
                work = tmp_path / f"run-{name.replace(' ', '-')}"
                work.mkdir()
                servers[name] = browser.start_server(
                    cwd=work,
                    data_dir=work / "data",
                    log_path=work / "log",
                    env=env,
                    app=root / "dashboard" / "app.py",
                )
            started = time.monotonic()
            cpu = asyncio.run(measure(servers, args.rounds))
            elapsed = time.monotonic() - started
        finally:
            for server in servers.values():
                browser.stop_server(server)
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False
            )
    medians = {name: statistics.median(values) for name, values in cpu.items()}
    print(
        f"server CPU per interaction ({len(ACTIONS)} kinds x {args.rounds} rounds each, "
        f"alternating servers, {elapsed:.0f} s):"
    )
    for name, values in cpu.items():
        print(
            f"  {name:14s} median {1000 * medians[name]:.0f} ms "
            f"(range {1000 * min(values):.0f}-{1000 * max(values):.0f} ms)"
        )
    ratio = medians["baseline"] / max(medians["this checkout"], 1e-9)
    print(f"  ratio: the baseline ({args.baseline}) uses {ratio:.1f}x the CPU of this checkout")


if __name__ == "__main__":
    main()
