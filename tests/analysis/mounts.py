"""Small file systems for fault tests: a tmpfs that fills up, a read-only bind mount. Tests run
as root (CI and the developer containers); elsewhere these tests are skipped, with the reason."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _mount(*args: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs or a read-only bind mount needs root")
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"mount {' '.join(args)} failed: {done.stderr.strip()}")


def _unmount(path: Path) -> None:
    subprocess.run(["umount", str(path)], check=True)


@contextmanager
def small_disk(path: Path, *, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` (``"1m"``) mounted at ``path`` (created), unmounted afterwards."""
    path.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path))
    try:
        yield path
    finally:
        _unmount(path)


def grow(path: Path, *, size: str) -> None:
    """Give the tmpfs at ``path`` more room (space freed, as a user would)."""
    subprocess.run(["mount", "-o", f"remount,size={size}", str(path)], check=True)


@contextmanager
def read_only_view(source: Path, path: Path) -> Iterator[Path]:
    """``source`` (a folder) seen read-only at ``path`` (a bind mount), unmounted afterwards."""
    path.mkdir(parents=True, exist_ok=True)
    _mount("--bind", "-o", "ro", str(source), str(path))
    try:
        yield path
    finally:
        _unmount(path)
