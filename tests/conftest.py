"""Shared fixtures: the sample article and the spaCy pipeline (loaded once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# The suite is a gate: its property tests try the same examples on every run (derived from
# each test), so a run on CI finds what a run here found. New examples are searched for with
# `python -m pytest --hypothesis-profile=explore` (a fresh random draw each run).
settings.register_profile("gate", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile("gate")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PATH = ROOT / "seeds" / "china-urges-gaza-ceasefire-2024-03-21.txt"


@pytest.fixture(scope="session")
def sample_bytes() -> bytes:
    return SAMPLE_PATH.read_bytes()


@pytest.fixture(scope="session")
def sample_text(sample_bytes) -> str:
    return sample_bytes.decode("utf-8")


@pytest.fixture(scope="session")
def nlp():
    from analysis.core.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def sample_analysis(nlp, sample_bytes):
    from analysis import analyze

    return analyze(sample_bytes, nlp=nlp, source=SAMPLE_PATH.name)


# A real PostgreSQL server, started and stopped by the tests (tests/postgres.py).
from tests.postgres import postgres_server, postgres_url  # noqa: E402, F401
