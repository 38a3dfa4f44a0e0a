"""The house rules that tools check: layers (import-linter), formatting and lint (ruff)."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(tool: str, *args: str) -> subprocess.CompletedProcess:
    command = shutil.which(tool) or str(Path(sys.executable).with_name(tool))
    return subprocess.run([command, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_import_contracts_are_kept():
    done = _run("lint-imports", "--no-cache")
    assert (done.returncode, "BROKEN" in done.stdout) == (0, False), done.stdout[-3000:]


def test_the_contracts_cover_the_layers():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers" and "analysis.core" in c["layers"])
    core = next(c for c in contracts if c.get("source_modules") == ["analysis.core"])
    wanted = {"duckdb", "socket", "threading", "multiprocessing", "analysis.settings"}
    assert (layers["layers"][-1], wanted <= set(core["forbidden_modules"])) == (
        "analysis.core",
        True,
    )


def test_ruff_format_is_clean():
    done = _run("ruff", "format", "--check", ".")
    assert (done.returncode, done.stdout.count("Would reformat")) == (0, 0), done.stdout[-2000:]


def test_ruff_check_is_clean():
    done = _run("ruff", "check", ".")
    assert done.returncode == 0, done.stdout[-2000:]


def test_the_console_script_names_a_function_that_exists():
    import importlib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    module, _, name = config["project"]["scripts"]["newslens"].partition(":")
    assert callable(getattr(importlib.import_module(module), name, None))


def test_no_module_is_over_800_lines():
    long = {
        str(path.relative_to(ROOT)): lines
        for folder in ("analysis", "dashboard", "bench", "tests")
        for path in (ROOT / folder).rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 800
    }
    assert long == {}
