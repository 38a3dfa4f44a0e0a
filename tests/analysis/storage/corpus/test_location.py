import pytest

from analysis.storage.corpus import CorpusStore
from analysis.storage.corpus.location import NotACorpusError, check_corpus_file, corpus_name


def test_check_corpus_file_accepts_a_corpus(tmp_path):
    store = CorpusStore(tmp_path / "c.duckdb")
    store.ensure()
    assert check_corpus_file(store.path) == store.path


def test_check_corpus_file_text_file_is_not_a_corpus(tmp_path):
    """The defect: such a file was "in use by another process" after a 10 s wait."""
    path = tmp_path / "notes.duckdb"
    path.write_text("hello, this is not a database at all")
    with pytest.raises(NotACorpusError, match="^notes.duckdb is not a corpus: it is not a DuckDB"):
        check_corpus_file(path)


def test_check_corpus_file_empty_file(tmp_path):
    path = tmp_path / "empty.duckdb"
    path.write_bytes(b"")
    with pytest.raises(NotACorpusError, match="is not a corpus"):
        check_corpus_file(path)


def test_check_corpus_file_missing_names_the_file_only(tmp_path):
    with pytest.raises(NotACorpusError) as caught:
        check_corpus_file(tmp_path / "data" / "gone.duckdb")
    assert str(caught.value) == "There is no corpus named gone.duckdb."


def test_check_corpus_file_folder(tmp_path):
    with pytest.raises(NotACorpusError, match="^shown.duckdb is a folder"):
        check_corpus_file(tmp_path, shown="shown.duckdb")


def test_corpus_name_leaves_out_the_folder(tmp_path):
    assert corpus_name(tmp_path / "srv" / "data" / "news.duckdb") == "news.duckdb"
