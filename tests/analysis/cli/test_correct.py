import pytest

from analysis.cli.corpus import main
from analysis.storage.corpus import CorpusStore
from tests.analysis.storage.corpus import corpus


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "corpus.duckdb"
    CorpusStore(path).add(corpus())
    return str(path)


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_correct_merge_says_number(db, capsys):
    status, out, _ = run(capsys, "correct", "merge", "Qatar", "Egypt", "--db", db)
    assert (status, out) == (
        0,
        'correction 1: merge "Qatar" into "Egypt" (undo with: newslens corpus correct undo 1)\n',
    )


def test_correct_merge_followed_by_queries(db, capsys):
    run(capsys, "correct", "merge", "Qatar", "Egypt", "--db", db)
    _, out, _ = run(capsys, "query", "top-entities", "--limit", "1", "--db", db)
    assert out == "entity,label,mentions,articles\nEgypt,GPE,6,4\n"


def test_correct_label(db, capsys):
    status, out, _ = run(capsys, "correct", "label", "Cairo", "ORG", "--db", db)
    assert (status, out.split(" (")[0]) == (0, 'correction 1: label "Cairo" ORG')


def test_correct_label_unknown_type_exit_2(db, capsys):
    status, out, err = run(capsys, "correct", "label", "Cairo", "CITY", "--db", db)
    assert (status, out, err.count("\n"), '"CITY" is not an entity type' in err) == (
        2,
        "",
        1,
        True,
    )


def test_correct_ignore_unknown_name_exit_2(db, capsys):
    status, _, err = run(capsys, "correct", "ignore", "Day", "--db", db)
    assert (status, err) == (
        2,
        'newslens corpus: error: "Day" is not an entity of this corpus (as corrected so '
        "far); names are written as the entity lists show them.\n",
    )


def test_correct_list_empty(db, capsys):
    assert run(capsys, "correct", "list", "--db", db)[:2] == (0, "no corrections\n")


def test_correct_list_numbered(db, capsys):
    run(capsys, "correct", "merge", "Qatar", "Egypt", "--db", db)
    run(capsys, "correct", "ignore", "Rafah", "--db", db)
    _, out, _ = run(capsys, "correct", "list", "--db", db)
    assert [line.split("  (")[0] for line in out.splitlines()] == [
        '1  merge "Qatar" into "Egypt"',
        '2  ignore "Rafah"',
    ]


def test_correct_undo(db, capsys):
    run(capsys, "correct", "ignore", "Rafah", "--db", db)
    status, out, _ = run(capsys, "correct", "undo", "1", "--db", db)
    assert (status, out) == (0, 'correction 1 undone: ignore "Rafah"\n')


def test_correct_undo_unknown_exit_2(db, capsys):
    status, _, err = run(capsys, "correct", "undo", "3", "--db", db)
    assert (
        status,
        err.startswith("newslens corpus: error: This corpus has no correction number 3"),
    ) == (2, True)


def test_correct_undo_not_a_number_exit_2(db, capsys):
    status, _, err = run(capsys, "correct", "undo", "x", "--db", db)
    assert (status, "invalid int value: 'x'" in err) == (2, True)


def test_correct_no_corpus_exit_2(tmp_path, capsys):
    status, _, err = run(capsys, "correct", "list", "--db", str(tmp_path / "none.duckdb"))
    assert (status, "no corpus at" in err) == (2, True)
