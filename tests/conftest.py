"""Shared fixtures: the sample article and the spaCy pipeline (loaded once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

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
