from datetime import date

import pandas as pd
import pytest

from analysis.core.pipeline import analyze
from analysis.storage.corpus import CorpusStore, empty_tables
from analysis.storage.corpus.records import (
    ANALYSIS_VERSION,
    ArticleMeta,
    article_rows,
    article_tables,
    corpus_options,
    document_key,
    published_day,
    tables_from_rows,
    term_rows,
    url_host,
)

BRIDGE = (
    "Mayor Ann Lee opens new bridge\n\n"
    "Mayor Ann Lee opened the new bridge in Springfield on Monday. Crowds cheered the mayor.\n\n"
    '"This bridge will serve everyone in Springfield," Lee said.'
)


@pytest.fixture(scope="module")
def bridge(nlp):
    return analyze(BRIDGE, nlp=nlp, options=corpus_options(), source="bridge.txt")


def test_document_key_is_sha256_of_utf8():
    assert document_key("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_document_key_same_for_text_and_its_bytes():
    assert document_key("Café") == document_key("Café".encode())


def test_url_host_strips_www_and_case():
    assert url_host("https://www.River-News.example/a?b=1") == "river-news.example"


def test_url_host_none_for_a_file_name():
    assert url_host("bridge.txt") is None


def test_published_day_keeps_the_written_day():
    assert published_day("2024-03-21T23:30:00-05:00") == date(2024, 3, 21)


def test_published_day_none_for_words():
    assert published_day("March 21, 2024") is None


def test_term_rows_counts_words_per_paragraph():
    tokens = [
        (1, 0, 0, 0, 3, "The", "the", "the", True, True),
        (1, 1, 0, 4, 8, "Mice", "mice", "mouse", False, True),
        (1, 2, 0, 9, 13, "mice", "mice", "mouse", False, True),
        (1, 3, 0, 13, 14, ".", ".", ".", False, False),
        (2, 0, 0, 0, 4, "mice", "mice", "mice", False, True),
    ]
    assert term_rows(tokens) == [
        (1, "mice", "mouse", False, 2),
        (1, "the", "the", True, 1),
        (2, "mice", "mice", False, 1),
    ]


def test_term_rows_lemma_of_most_occurrences():
    tokens = [
        (1, 0, 0, 0, 4, "saw", "saw", "see", False, True),
        (1, 1, 0, 5, 8, "saw", "saw", "saw", False, True),
        (1, 2, 0, 9, 12, "saw", "saw", "saw", False, True),
    ]
    assert term_rows(tokens) == [(1, "saw", "saw", False, 3)]


def test_article_rows_article_row(bridge):
    row = article_rows(bridge, key="k1")["articles"][0]
    assert row[:5] == ("k1", ANALYSIS_VERSION, "Mayor Ann Lee opens new bridge", None, None)
    assert row[6:10] == (None, None, 24, 2)
    assert row[12] == "Ann Lee, Springfield"


def test_article_rows_meta_wins(bridge):
    meta = ArticleMeta(
        title="Bridge opens",
        published="2024-05-06T08:00:00+02:00",
        url="https://www.river-news.example/bridge",
    )
    row = article_rows(bridge, key="k1", meta=meta)["articles"][0]
    assert (row[2], row[4], row[5], row[6], row[7]) == (
        "Bridge opens",
        "2024-05-06T08:00:00+02:00",
        pd.Timestamp("2024-05-06"),
        "river-news.example",
        "https://www.river-news.example/bridge",
    )


def test_article_rows_source_from_a_fetched_page(nlp):
    result = analyze(BRIDGE, nlp=nlp, options=corpus_options(), source="https://news.example/b")
    row = article_rows(result, key="k1")["articles"][0]
    assert (row[6], row[7]) == ("news.example", "https://news.example/b")


def test_article_rows_source_column_wins_over_url(bridge):
    meta = ArticleMeta(source="River News", url="https://river-news.example/b")
    assert article_rows(bridge, key="k1", meta=meta)["articles"][0][6] == "River News"


def test_article_rows_entities_list_their_paragraphs(bridge):
    assert article_rows(bridge, key="k1")["entities"] == [
        ("k1", "Ann Lee", "PERSON", 3, [0, 1, 2]),
        ("k1", "Springfield", "GPE", 2, [1, 2]),
    ]


def test_article_rows_quotes(bridge):
    assert article_rows(bridge, key="k1")["quotes"] == [
        ("k1", 2, 1, 47, "This bridge will serve everyone in Springfield", "Lee", "Ann Lee", 7)
    ]


def test_article_rows_paragraph_words_and_sentences(bridge):
    rows = article_rows(bridge, key="k1")["paragraphs"]
    assert [(r[1], r[2], r[7], r[8]) for r in rows] == [
        (0, "headline", 6, 1),
        (1, "body", 15, 2),
        (2, "body", 9, 1),
    ]


def test_article_rows_entity_sentences(bridge):
    rows = article_rows(bridge, key="k1")["entity_sentences"]
    assert [r[1:6] for r in rows] == [
        ("Ann Lee", "PERSON", 0, 0, 1),
        ("Ann Lee", "PERSON", 1, 0, 1),
        ("Springfield", "GPE", 1, 0, 1),
        ("Ann Lee", "PERSON", 2, 0, 1),
        ("Springfield", "GPE", 2, 0, 1),
    ]


def test_article_rows_terms_of_the_quote_paragraph(bridge):
    rows = [r[2:] for r in article_rows(bridge, key="k1")["terms"] if r[1] == 2]
    assert rows[:3] == [
        ("bridge", "bridge", False, 1),
        ("everyone", "everyone", True, 1),
        ("in", "in", True, 1),
    ]


def test_tables_from_rows_empty_has_contract_columns():
    tables = tables_from_rows([])
    assert {name: list(frame.columns) for name, frame in tables.items()} == {
        name: list(frame.columns) for name, frame in empty_tables().items()
    }


def test_article_tables_dtypes_match_contract(bridge):
    tables = article_tables(bridge, key="k1")
    expected = {name: [str(t) for t in frame.dtypes] for name, frame in empty_tables().items()}
    assert {name: [str(t) for t in frame.dtypes] for name, frame in tables.items()} == expected


def test_article_tables_stored_as_built(bridge, tmp_path):
    store = CorpusStore(tmp_path / "c.duckdb")
    store.add([article_tables(bridge, key="k1")])
    assert len(store.table("terms")) == 28
    assert store.table("quotes")["speaker"].tolist() == ["Lee"]
