"""The analysis version: the code's version and the digest of the entity rules' data."""

from analysis.core.entities import lexicon
from analysis.core.metadata import ANALYSIS_VERSION, CODE_VERSION


def test_analysis_version_is_code_version_and_data_digest():
    digest_part = int(lexicon.rules_digest()[:12], 16) % 10**8
    expected = CODE_VERSION * 10**8 + digest_part
    assert expected == ANALYSIS_VERSION


def test_analysis_version_fits_the_corpus_stores_integer():
    assert isinstance(ANALYSIS_VERSION, int) and 0 < ANALYSIS_VERSION < 2**31


def test_rules_digest_changes_with_a_data_file(monkeypatch):
    before = lexicon.rules_digest()
    read = lexicon._read
    monkeypatch.setattr(
        lexicon,
        "_read",
        lambda name: read(name) + ("Atlantis\tcountry\n" if name == "places.tsv" else ""),
    )
    lexicon.rules_digest.cache_clear()
    try:
        assert lexicon.rules_digest() != before
    finally:
        monkeypatch.undo()
        lexicon.rules_digest.cache_clear()
    assert lexicon.rules_digest() == before
