"""The query language on the test corpus: every filter's ``text``, search, and the reading of a
query (tests/analysis/storage/corpus/__init__.py holds the eight articles)."""

from datetime import date

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.storage.corpus import CorpusStore
from analysis.storage.corpus.queries import (
    article_table,
    mentions_over_time,
    search,
    source_counts,
    top_entities,
    top_terms,
)
from analysis.storage.corpus.query_language import QuerySyntaxError
from analysis.storage.corpus.selection import (
    Selection,
    outlet_label,
    outlet_values,
    query_reading,
    selection_summary,
    unknown_entities,
    unknown_outlets,
)
from tests.analysis.storage.corpus import corpus


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = CorpusStore(tmp_path_factory.mktemp("corpus") / "corpus.duckdb")
    store.add(corpus())
    return store


def titles(store, query, **filters):
    return article_table(store, text=query, sort="date", descending=False, **filters)[
        "title"
    ].tolist()


def test_or_selects_either_word(store):
    assert titles(store, "talks OR rates") == [
        "Ceasefire talks resume in Cairo",
        "Markets rally after rate cut",
        "Egypt and Qatar push for truce",
        "Cairo talks end without deal",
        "Rates hold steady",
    ]


def test_minus_leaves_out_a_word(store):
    assert titles(store, "gaza -rafah") == ["Egypt and Qatar push for truce"]


def test_not_with_parentheses(store):
    assert titles(store, "(egypt OR qatar) AND NOT cairo") == ["Aid trucks wait at the border"]


def test_not_alone_selects_the_rest(store):
    assert titles(store, "NOT gaza") == [
        "Ceasefire talks resume in Cairo",
        "Markets rally after rate cut",
        "Floods hit northern towns",
        "Cairo talks end without deal",
        "Rates hold steady",
    ]


def test_prefix_matches_word_starts(store):
    assert titles(store, "tal*") == [
        "Ceasefire talks resume in Cairo",
        "Egypt and Qatar push for truce",
        "Cairo talks end without deal",
    ]


def test_words_are_whole_words_without_stemming(store):
    assert (titles(store, "talk"), titles(store, "rate")) == ([], ["Markets rally after rate cut"])


def test_words_any_case(store):
    assert titles(store, "TALKS") == titles(store, "talks")


def test_phrase_or_word(store):
    assert titles(store, '"talks in cairo" OR floods') == [
        "Ceasefire talks resume in Cairo",
        "Egypt and Qatar push for truce",
        "Floods hit northern towns",
        "Cairo talks end without deal",
    ]


def test_phrase_not_word(store):
    assert titles(store, '"united nations" -gaza') == [
        "Ceasefire talks resume in Cairo",
        "Cairo talks end without deal",
    ]


def test_title_phrase(store):
    assert titles(store, 'title:"rate cut"') == ["Markets rally after rate cut"]


def test_title_word_not_text(store):
    assert titles(store, "title:talks -cairo") == []


def test_source_field(store):
    assert titles(store, "source:BETA.news") == [
        "Markets rally after rate cut",
        "Egypt and Qatar push for truce",
    ]


def test_source_field_no_outlet(store):
    assert titles(store, 'source:"(no outlet)"') == ["Rates hold steady"]


def test_not_source_keeps_articles_without_outlet(store):
    assert titles(store, "-source:alpha.news") == [
        "Markets rally after rate cut",
        "Egypt and Qatar push for truce",
        "Floods hit northern towns",
        "United Nations appeals for Gaza aid",
        "Rates hold steady",
    ]


def test_entity_field_any_case_and_prefix(store):
    assert (
        titles(store, 'entity:"ann lee"')
        == titles(store, "entity:Ann*")
        == [
            "Ceasefire talks resume in Cairo",
            "Egypt and Qatar push for truce",
            "United Nations appeals for Gaza aid",
        ]
    )


def test_query_with_other_filters(store):
    assert titles(store, "gaza OR cairo", sources=["alpha.news"], start="2024-03-05") == [
        "Aid trucks wait at the border",
        "Cairo talks end without deal",
    ]


def test_unreadable_query_raises(store):
    with pytest.raises(QuerySyntaxError):
        article_table(store, text="(gaza")


def test_query_filters_every_view(store):
    frame = top_entities(store, text="floods OR rates", limit=5)
    assert frame["entity"].tolist() == ["John Carter", "Maria Santos"]


def test_query_filters_mentions_over_time(store):
    frame = mentions_over_time(store, entities=["Gaza"], interval="month", text="gaza -rafah")
    assert frame[["mentions", "articles", "period_articles"]].values.tolist() == [[1, 1, 1]]


def test_top_terms_under_a_boolean_query(store):
    assert top_terms(store, text="rates OR floods", limit=3)["term"].tolist() == [
        "rates",
        "bank",
        "borrowers",
    ]


# -- outlets: "(no outlet)" selectable everywhere --------------------------------------------


def test_no_outlet_label_selects_articles_without_one(store):
    assert titles(store, None, sources=["(no outlet)", "beta.news"]) == [
        "Markets rally after rate cut",
        "Egypt and Qatar push for truce",
        "Rates hold steady",
    ]


def test_no_outlet_label_in_word_counts(store):
    assert top_terms(store, sources=["(no outlet)"], limit=2)["term"].tolist() == [
        "rates",
        "steady",
    ]


def test_outlet_label_and_values():
    assert (outlet_label(None), outlet_label(""), outlet_label("a.news")) == (
        "(no outlet)",
        "(no outlet)",
        "a.news",
    )
    assert outlet_values(["a.news", "(no outlet)"]) == ["a.news", None]


def test_source_counts_no_outlet_last(store):
    assert source_counts(store)["source"].isna().tolist() == [False, False, False, True]


# -- search ------------------------------------------------------------------------------------


def test_search_or_ranks_paragraphs(store):
    frame = search(store, "talks OR rates", limit=5)
    assert [tuple(r) for r in frame[["title", "paragraph", "hits"]].values] == [
        ("Rates hold steady", 0, 1),
        ("Rates hold steady", 1, 1),
        ("Cairo talks end without deal", 0, 1),
        ("Cairo talks end without deal", 1, 1),
        ("Egypt and Qatar push for truce", 2, 1),
    ]


def test_search_entity_term_counts_its_paragraphs(store):
    frame = search(store, 'entity:"Ann Lee" gaza', limit=3)
    assert [tuple(r) for r in frame[["title", "paragraph", "hits"]].values] == [
        ("United Nations appeals for Gaza aid", 2, 2),
        ("United Nations appeals for Gaza aid", 0, 1),
        ("United Nations appeals for Gaza aid", 1, 1),
    ]


def test_search_source_only_shows_headlines(store):
    frame = search(store, "source:beta.news")
    assert [tuple(r) for r in frame[["title", "paragraph", "hits"]].values] == [
        ("Egypt and Qatar push for truce", 0, 0),
        ("Markets rally after rate cut", 0, 0),
    ]


def test_search_boolean_empty_has_columns(store):
    assert list(search(store, "title:talks -cairo").columns) == [
        "doc_key",
        "title",
        "source",
        "date",
        "paragraph",
        "kind",
        "text",
        "hits",
    ]


# -- reading a query back ------------------------------------------------------------------------


def test_query_reading_counts_each_term(store):
    reading = query_reading(store, "(gaza OR cairo) -rafah", sources=["alpha.news", "beta.news"])
    assert (reading.parsed, reading.articles, reading.selected) == (
        "(gaza OR cairo) AND NOT rafah",
        3,
        5,
    )
    assert reading.terms.values.tolist() == [
        ["gaza", "text", "word", 2],
        ["cairo", "text", "word", 3],
        ["rafah", "text", "word", 1],
    ]


def test_query_reading_of_empty_query(store):
    reading = query_reading(store, "")
    assert (reading.parsed, reading.articles, reading.selected, len(reading.terms)) == ("", 8, 8, 0)


def test_query_reading_keeps_hints(store):
    assert query_reading(store, "gaza or cairo").hints[0].startswith("'or' was searched as a word")


def test_selection_dates_are_the_selections(store):
    assert selection_summary(store, text="gaza") == Selection(3, date(2024, 3, 6), date(2024, 4, 2))


def test_unknown_outlets_and_entities(store):
    assert unknown_outlets(store, ["alpha.news", "(no outlet)", "nowhere.example", None]) == [
        "nowhere.example"
    ]
    assert unknown_entities(store, ["Ann Lee", "Monday", "Nobody"]) == ["Nobody"]


# -- hostile queries against the database ---------------------------------------------------------

PIECES = st.sampled_from(
    [
        "gaza",
        "talks",
        "AND",
        "OR",
        "NOT",
        "-",
        "(",
        ")",
        '"',
        "*",
        "ta*",
        "source:",
        "entity:",
        "title:",
        "alpha.news",
        "'",
        "\\",
        "%",
        "_",
        "u.s.",
        "don't",
        "covid-19",
        " ",
        "é",
        "?",
        "[",
        "$1",
    ]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(PIECES, max_size=10).map("".join))
def test_any_query_runs_or_is_refused(store, query):
    try:
        article_table(store, text=query)
        search(store, query, limit=3)
    except QuerySyntaxError:
        pass
    except duckdb.Error as error:  # pragma: no cover - the failure this test looks for
        pytest.fail(f"{query!r}: {error}")
