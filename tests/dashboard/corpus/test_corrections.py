"""The reader's corrections on the Corpus page, through AppTest, on a copy of the
three-article corpus (a correction is written into the file)."""

from __future__ import annotations

import shutil
from datetime import datetime

import pytest
from streamlit.testing.v1 import AppTest

from analysis.storage.corpus.corrections import StoredCorrection, list_corrections
from analysis.storage.corpus.store import CorpusStore
from dashboard.corpus.corrections import correction_line
from tests.dashboard.corpus.tiny import APP, frame_of

KEY = "corpus_correct"


@pytest.fixture
def own_app(corpus_path, tmp_path, monkeypatch) -> tuple[AppTest, CorpusStore]:
    path = tmp_path / "own.duckdb"
    shutil.copy(corpus_path, path)
    monkeypatch.setenv("NEWSLENS_TEST_CORPUS", str(path))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["corpus_top_entities_table_open"] = True
    return at, CorpusStore(path)


def entity_rows(at) -> list[list]:
    frame = frame_of(at, "entity", "label", "mentions", "articles")
    return frame[["entity", "label", "mentions", "articles"]].values.tolist()


def merged(at):
    at.selectbox(key=f"{KEY}_name").set_value("Bergen").run()
    at.selectbox(key=f"{KEY}_target").set_value("Norway").run()
    at.button(key=f"{KEY}_apply").click().run()
    return at


def test_correction_line_label():
    row = StoredCorrection(2, "label", "Bergen", "GPE", "ann", datetime(2026, 12, 5, 9, 30))
    assert correction_line(row) == (
        "2. “Bergen” is of type Countries, cities (GPE) (ann, 2026-12-05 09:30)"
    )


def test_corpus_entities_before(own_app):
    at, _ = own_app
    assert entity_rows(at.run()) == [
        ["Norway", "GPE", 5, 3],
        ["Bergen", "GPE", 2, 2],
        ["Sweden", "GPE", 2, 1],
        ["Ingrid Berg", "PERSON", 1, 1],
    ]


def test_merge_on_the_corpus_page_changes_top_entities(own_app):
    at, _ = own_app
    at = merged(at.run())
    assert (not at.exception, entity_rows(at)) == (
        True,
        [["Norway", "GPE", 7, 3], ["Sweden", "GPE", 2, 1], ["Ingrid Berg", "PERSON", 1, 1]],
    )


def test_merge_on_the_corpus_page_is_stored(own_app):
    at, store = own_app
    merged(at.run())
    assert [tuple(c)[:5] for c in list_corrections(store)] == [
        (1, "merge", "Bergen", "Norway", "Corpus page")
    ]


def test_ignore_on_the_corpus_page(own_app):
    at, _ = own_app
    at.run()
    at.selectbox(key=f"{KEY}_name").set_value("Sweden").run()
    at.selectbox(key=f"{KEY}_action").set_value("is not a name").run()
    at.button(key=f"{KEY}_apply").click().run()
    assert "Sweden" not in [row[0] for row in entity_rows(at)]


def test_a_chosen_name_stays_chosen_when_the_list_lacks_it(own_app):
    at, store = own_app
    at.run()
    at.selectbox(key=f"{KEY}_name").set_value("Ingrid Berg").run()
    # Places only: the top entities no longer hold the person the reader chose.
    at.multiselect(key="corpus_top_types").set_value(["GPE"]).run()
    assert at.selectbox(key=f"{KEY}_name").value == "Ingrid Berg"
    at.selectbox(key=f"{KEY}_action").set_value("is not a name").run()
    at.button(key=f"{KEY}_apply").click().run()
    assert ([tuple(c)[:3] for c in list_corrections(store)], not at.exception) == (
        [(1, "ignore", "Ingrid Berg")],
        True,
    )
    # Applied, the name is gone from the list and the form shows the first name again.
    assert at.selectbox(key=f"{KEY}_name").value == "Norway"


def test_undo_on_the_corpus_page_restores(own_app):
    at, _ = own_app
    at = merged(at.run())
    at.button(key=f"{KEY}_undo_1").click().run()
    assert entity_rows(at)[:2] == [["Norway", "GPE", 5, 3], ["Bergen", "GPE", 2, 2]]


def test_merge_without_target_says_why(own_app):
    at, store = own_app
    at.run()
    at.button(key=f"{KEY}_apply").click().run()
    assert ([e.value for e in at.error], list_corrections(store)) == (
        ['Say which entity "Norway" is (1 to 200 characters).'],
        [],
    )
