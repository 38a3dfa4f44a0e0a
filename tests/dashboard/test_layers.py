"""The dashboard's layers are written down as import contracts (``pyproject.toml``), which
``lint-imports`` checks with the rest of the house rules (``tests/test_house.py``)."""

import tomllib

from tests.conftest import ROOT


def _contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def test_the_dashboard_never_imports_duckdb():
    (contract,) = [c for c in _contracts() if c.get("source_modules") == ["dashboard"]]
    assert (contract["type"], contract["forbidden_modules"]) == ("forbidden", ["duckdb"])


def test_the_pages_are_above_what_they_share_and_the_app_above_them():
    (contract,) = [c for c in _contracts() if c.get("containers") == ["dashboard"]]
    assert contract["layers"][:3] == ["app", "compare", "article | corpus"]


def test_the_figures_html_and_links_import_no_streamlit():
    pure = next(c for c in _contracts() if c.get("forbidden_modules") == ["streamlit"])
    assert {"dashboard.charts", "dashboard.render", "dashboard.article.link"} <= set(
        pure["source_modules"]
    )
