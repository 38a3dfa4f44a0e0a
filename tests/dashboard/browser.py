"""Helpers for the browser tests and the dashboard benchmark: a free loopback port, a
``streamlit run`` server of the app started and stopped by process id, and Debian's Chromium.

Standard library and Playwright only, so that ``bench/dashboard.py`` can load this file by path.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_PATH = ROOT / "dashboard" / "app.py"
CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: JavaScript for page.wait_for_function: marks the plotly point whose category (y) is `name`
#: in the chart of widget key `key`, through the trace each bar group is bound to (stacked
#: entity bars: one trace per entity type).
MARK_BAR = """([key, name]) => {
  document.querySelectorAll('[data-nl-target]').forEach(e => e.removeAttribute('data-nl-target'));
  const plots = document.querySelectorAll(`.st-key-${key}_box .js-plotly-plot`);
  if (plots.length !== 1) return false;  // not drawn yet, or an old copy not yet removed
  for (const group of plots[0].querySelectorAll('g.trace.bars')) {
    const trace = group.__data__[0].trace;
    for (const point of group.querySelectorAll('g.point')) {
      if (trace.y[point.__data__.i] === name) {
        point.setAttribute('data-nl-target', '1');
        return true;
      }
    }
  }
  return false;
}"""

#: Generous: another benchmark may share this 2-core machine.
START_TIMEOUT_S = 30.0


@dataclass
class Server:
    """A running ``streamlit run`` of the app."""

    process: subprocess.Popen
    url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    *,
    cwd: Path,
    data_dir: Path,
    log_path: Path,
    wait: bool = True,
    env: dict[str, str] | None = None,
    app: Path = APP_PATH,
) -> Server:
    """Start ``app`` on a free loopback port, from ``cwd``, storing articles in ``data_dir``,
    with ``env`` added to this process's environment.

    With ``wait``, return once ``/_stcore/health`` answers ``ok``; raise ``RuntimeError`` (the
    server's log in the message) if it exits or does not answer within ``START_TIMEOUT_S``.
    """
    port = free_port()
    env = dict(os.environ, **(env or {}), NEWSLENS_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
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
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(process, f"http://127.0.0.1:{port}", log_path)
    if wait:
        try:
            wait_healthy(server)
        except BaseException:
            stop_server(server)
            raise
    return server


def wait_healthy(server: Server, *, timeout: float = START_TIMEOUT_S) -> None:
    """Poll ``/_stcore/health`` until it answers ``ok``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with {server.process.returncode}:\n{server.log()}"
            )
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"no healthy streamlit at {server.url} after {timeout} s:\n{server.log()}")


def stop_server(server: Server) -> None:
    """Terminate this server's process (only it), wait, and kill it if it does not exit."""
    process = server.process
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def launch_chromium(playwright):
    """Debian's Chromium, headless. Fails (never skips) when it is not installed."""
    if not Path(CHROMIUM_PATH).exists():
        raise RuntimeError(f"Chromium not found at {CHROMIUM_PATH} (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)


@contextmanager
def chromium() -> Iterator:
    """Debian's Chromium under Playwright, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def served_app(browser, tmp_path_factory, *, ready: str, timeout_ms: int) -> Iterator[str]:
    """The app served from a directory that is not the repository, with its own data folder;
    a first session waits for ``ready`` (a selector) so that no test pays for the pipeline
    load. Yields the app's URL; stops the server afterwards."""
    server = start_server(
        cwd=tmp_path_factory.mktemp("cwd"),
        data_dir=tmp_path_factory.mktemp("newslens-data"),
        log_path=tmp_path_factory.mktemp("log") / "streamlit.log",
    )
    try:
        warm = browser.new_page()
        try:
            warm.goto(server.url)
            warm.wait_for_selector(ready, timeout=timeout_ms)
        finally:
            warm.close()
        yield server.url
    finally:
        stop_server(server)
