"""The layering written down in pyproject.toml holds (import-linter's contracts)."""

import shutil
import subprocess
import sys
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept():
    command = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    done = subprocess.run(
        [command, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, "BROKEN" in done.stdout) == (0, False), done.stdout[-3000:]


def test_the_contracts_cover_the_layers():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers" and "analysis.core" in c["layers"])
    core = next(c for c in contracts if c.get("source_modules") == ["analysis.core"])
    assert (
        layers["layers"][-1],
        {"duckdb", "socket", "threading", "multiprocessing", "analysis.settings"}
        <= set(core["forbidden_modules"]),
    ) == ("analysis.core", True)
