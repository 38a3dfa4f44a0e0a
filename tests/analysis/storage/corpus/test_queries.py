from datetime import date

import pandas as pd
import pytest

from analysis.errors import ArticleError
from analysis.storage.corpus import CorpusStore
from analysis.storage.corpus.queries import (
    CorpusInfo,
    Query,
    article_sentiment,
    article_table,
    cooccurrence,
    cooccurrence_paragraphs,
    corpus_info,
    distinctive_terms,
    entity_sentiment_over_time,
    mentions_over_time,
    parse_query,
    quoted_speakers,
    search,
    sentiment_over_time,
    source_counts,
    top_entities,
    top_terms,
)
from tests.analysis.storage.corpus import corpus, key

MAR, APR = pd.Timestamp("2024-03-01"), pd.Timestamp("2024-04-01")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = CorpusStore(tmp_path_factory.mktemp("corpus") / "corpus.duckdb")
    store.add(corpus())
    return store


@pytest.fixture(scope="module")
def empty(tmp_path_factory):
    store = CorpusStore(tmp_path_factory.mktemp("empty") / "corpus.duckdb")
    store.ensure()
    return store


def rows(frame, *columns):
    return [tuple(r) for r in frame[list(columns)].itertuples(index=False)]


def titles(frame):
    return frame["title"].tolist()


def test_parse_query_words_and_phrases():
    assert parse_query('Ceasefire "Central  Bank" talks -gaza') == Query(
        ("bank", "ceasefire", "central", "talks"), (("central", "bank"),)
    )


def test_parse_query_empty():
    assert parse_query("   ") == Query((), ())


def test_mentions_over_time_month(store):
    frame = mentions_over_time(
        store, entities=["Egypt", "Ann Lee"], terms=["Talks"], interval="month"
    )
    assert rows(frame, "period", "item", "kind", "mentions", "articles", "period_articles") == [
        (MAR, "Ann Lee", "entity", 2, 2, 5),
        (MAR, "Egypt", "entity", 3, 3, 5),
        (MAR, "talks", "term", 4, 2, 5),
        (APR, "Ann Lee", "entity", 1, 1, 3),
        (APR, "Egypt", "entity", 1, 1, 3),
        (APR, "talks", "term", 2, 1, 3),
    ]


def test_mentions_over_time_zero_periods_kept(store):
    frame = mentions_over_time(store, entities=["Maria Santos"], interval="month")
    assert rows(frame, "period", "mentions") == [(MAR, 1), (APR, 0)]


def test_mentions_over_time_by_source_weeks(store):
    frame = mentions_over_time(
        store,
        entities=["Egypt"],
        interval="week",
        by_source=True,
        start="2024-03-01",
        end=date(2024, 3, 15),
    )
    assert rows(frame, "period", "source", "mentions", "period_articles") == [
        (pd.Timestamp("2024-03-04"), "alpha.news", 2, 2),
        (pd.Timestamp("2024-03-11"), "beta.news", 1, 2),
    ]


def test_mentions_over_time_bad_interval(store):
    with pytest.raises(ValueError, match="interval"):
        mentions_over_time(store, entities=["Egypt"], interval="fortnight")


def test_top_entities_all(store):
    assert rows(top_entities(store, limit=5), "entity", "label", "mentions", "articles") == [
        ("Egypt", "GPE", 4, 4),
        ("United Nations", "ORG", 4, 4),
        ("Gaza", "GPE", 4, 3),
        ("Ann Lee", "PERSON", 3, 3),
        ("Cairo", "GPE", 3, 3),
    ]


def test_top_entities_label_and_source(store):
    frame = top_entities(store, labels=["PERSON"], sources=["beta.news", "gamma.news"])
    assert rows(frame, "entity", "mentions") == [
        ("Ann Lee", 2),
        ("John Carter", 1),
        ("Maria Santos", 1),
    ]


def test_top_terms_whole_corpus(store):
    assert rows(top_terms(store, limit=4), "term", "count", "articles") == [
        ("said", 7, 6),
        ("talks", 6, 3),
        ("egypt", 5, 4),
        ("nations", 5, 4),
    ]


def test_top_terms_filtered(store):
    assert rows(top_terms(store, limit=3, sources=["gamma.news"]), "term", "count", "articles") == [
        ("aid", 3, 1),
        ("gaza", 3, 1),
        ("said", 2, 2),
    ]


def test_top_terms_whole_month_same_as_days(store):
    by_month = top_terms(store, start="2024-04-01", end="2024-04-30", limit=50)
    by_days = top_terms(store, start="2024-03-31", end="2024-04-30", limit=50)
    pd.testing.assert_frame_equal(by_month, by_days)
    assert rows(by_month, "term", "count", "articles")[:3] == [
        ("nations", 3, 2),
        ("said", 3, 2),
        ("united", 3, 2),
    ]


def test_top_terms_two_outlets(store):
    assert rows(
        top_terms(store, limit=3, sources=["alpha.news", "beta.news"]), "term", "count", "articles"
    ) == [("talks", 6, 3), ("egypt", 5, 4), ("said", 5, 4)]


def test_top_terms_text_search(store):
    assert rows(top_terms(store, text="talks", limit=4), "term", "count", "articles") == [
        ("talks", 6, 3),
        ("cairo", 5, 3),
        ("egypt", 4, 3),
        ("said", 4, 3),
    ]


def test_top_terms_tie_at_the_last_place_goes_to_more_articles(store):
    # "cut" and "steady" are used twice each, like "bank": the articles decide the last place.
    assert rows(top_terms(store, text="bank", limit=5), "term", "count", "articles") == [
        ("rates", 3, 2),
        ("bank", 2, 2),
        ("borrowers", 2, 2),
        ("central", 2, 2),
        ("cut", 2, 1),
    ]


def test_top_terms_limit_zero_under_a_filter(store):
    assert rows(top_terms(store, text="bank", limit=0), "term", "count", "articles") == []


def test_top_terms_no_outlet(store):
    assert rows(top_terms(store, sources=[None], limit=1), "term", "count", "articles") == [
        ("rates", 2, 1)
    ]


def test_top_terms_part_of_month(store):
    assert rows(
        top_terms(store, start="2024-03-05", end="2024-03-13", limit=4), "term", "count", "articles"
    ) == [("aid", 2, 1), ("border", 2, 1), ("cut", 2, 1), ("trucks", 2, 1)]


def test_top_terms_with_stop_words(store):
    assert rows(top_terms(store, limit=2, include_stop=True), "term", "count") == [
        ("the", 11),
        ("in", 8),
    ]


def test_article_sentiment_per_article(store):
    frame = article_sentiment(store, sources=["beta.news", None])
    assert [
        (s if isinstance(s, str) else None, t, round(x, 2), n)
        for s, t, x, n in rows(frame, "source", "title", "tone", "scored")
    ] == [
        ("beta.news", "Markets rally after rate cut", 0.55, 2),
        ("beta.news", "Egypt and Qatar push for truce", 0.15, 2),
        (None, "Rates hold steady", 0.1, 2),
    ]


def test_article_sentiment_toward_entity(store):
    frame = article_sentiment(store, toward="Ann Lee", model="textblob")
    assert [(t, round(x, 3), n) for t, x, n in rows(frame, "title", "tone", "scored")] == [
        ("Ceasefire talks resume in Cairo", 0.25, 1),
        ("Egypt and Qatar push for truce", 0.05, 1),
        ("United Nations appeals for Gaza aid", -0.05, 1),
    ]


def test_sentiment_over_time_month(store):
    frame = sentiment_over_time(store, interval="month")
    assert [(p, a, round(t, 4)) for p, a, t in rows(frame, "period", "articles", "tone")] == [
        (MAR, 5, 0.02),
        (APR, 3, -0.0333),
    ]


def test_sentiment_over_time_toward_by_source(store):
    frame = sentiment_over_time(store, interval="month", by_source=True, toward="Gaza")
    assert [
        (p, s, n, round(t, 2)) for p, s, n, t in rows(frame, "period", "source", "scored", "tone")
    ] == [(MAR, "alpha.news", 1, -0.6), (MAR, "beta.news", 1, 0.2), (APR, "gamma.news", 2, -0.15)]


def test_entity_sentiment_over_time_weeks(store):
    frame = entity_sentiment_over_time(store, entity="Egypt", interval="week")
    assert [(p, a, round(t, 2)) for p, a, t in rows(frame, "period", "articles", "tone")] == [
        (pd.Timestamp("2024-03-04"), 2, 0.05),
        (pd.Timestamp("2024-03-11"), 1, 0.2),
        (pd.Timestamp("2024-04-01"), 1, -0.4),
    ]


def test_cooccurrence_top_pairs(store):
    frame = cooccurrence(store, top=6)
    assert rows(frame, "entity_a", "entity_b", "paragraphs", "articles")[:4] == [
        ("Cairo", "Egypt", 2, 2),
        ("Egypt", "Qatar", 2, 2),
        ("Gaza", "United Nations", 2, 2),
        ("Ann Lee", "Cairo", 1, 1),
    ]
    assert len(frame) == 9


def test_cooccurrence_top_limits_entities(store):
    frame = cooccurrence(store, top=3)
    assert rows(frame, "entity_a", "entity_b", "paragraphs") == [
        ("Gaza", "United Nations", 2),
        ("Egypt", "Gaza", 1),
    ]


def test_cooccurrence_paragraphs_of_pair(store):
    frame = cooccurrence_paragraphs(store, entity_a="Qatar", entity_b="Egypt")
    assert rows(frame, "title", "paragraph", "text") == [
        ("Ceasefire talks resume in Cairo", 1, "Egypt hosted ceasefire talks in Cairo with Qatar."),
        ("Egypt and Qatar push for truce", 1, "Egypt and Qatar pushed for a truce in Gaza."),
    ]


def test_quoted_speakers_by_words(store):
    assert rows(quoted_speakers(store), "speaker", "quotes", "words", "articles") == [
        ("Ann Lee", 2, 9, 2),
        ("John Carter", 1, 6, 1),
        ("a spokesman", 1, 4, 1),
        ("Maria Santos", 1, 3, 1),
    ]


def test_quoted_speakers_top_per_source(store):
    assert rows(quoted_speakers(store, by_source=True, limit=1), "source", "speaker", "words") == [
        ("alpha.news", "Ann Lee", 4),
        ("beta.news", "John Carter", 6),
        ("gamma.news", "Ann Lee", 5),
    ]


def test_distinctive_terms_of_source(store):
    frame = distinctive_terms(store, of_source="alpha.news", limit=3)
    assert [(t, c, r, round(z, 4)) for t, c, r, z in rows(frame, "term", "count", "rest", "z")] == [
        ("talks", 5, 1, 1.3035),
        ("cairo", 4, 1, 1.0942),
        ("border", 2, 0, 0.987),
    ]


def test_distinctive_terms_of_article(store):
    frame = distinctive_terms(store, doc_key=key("a5"), limit=3)
    assert frame["term"].tolist() == ["floods", "northern", "towns"]


def test_distinctive_terms_needs_target(store):
    with pytest.raises(ValueError, match="target"):
        distinctive_terms(store)


def test_search_all_words_ranked(store):
    frame = search(store, "Talks CAIRO")
    assert rows(frame, "title", "paragraph", "hits") == [
        ("Cairo talks end without deal", 0, 2),
        ("Cairo talks end without deal", 1, 2),
        ("Egypt and Qatar push for truce", 2, 2),
        ("Ceasefire talks resume in Cairo", 0, 2),
        ("Ceasefire talks resume in Cairo", 1, 2),
        ("Ceasefire talks resume in Cairo", 2, 1),
    ]


def test_search_phrase(store):
    assert rows(search(store, '"central bank"'), "title", "paragraph", "hits") == [
        ("Rates hold steady", 1, 3),
        ("Markets rally after rate cut", 1, 3),
    ]


def test_search_phrase_within_source(store):
    assert titles(search(store, '"central bank"', sources=["beta.news"])) == [
        "Markets rally after rate cut"
    ]


def test_search_first_rows_hold_every_word(store):
    assert rows(search(store, "talks cairo", limit=2), "title", "paragraph", "hits") == [
        ("Cairo talks end without deal", 0, 2),
        ("Cairo talks end without deal", 1, 2),
    ]


def test_search_first_rows_hold_the_phrase(store):
    assert rows(search(store, '"talks in cairo"', limit=1), "title", "paragraph", "hits") == [
        ("Cairo talks end without deal", 1, 4)
    ]


def test_search_first_rows_within_source(store):
    assert rows(search(store, "gaza", limit=2, sources=["gamma.news"]), "title", "paragraph") == [
        ("United Nations appeals for Gaza aid", 0),
        ("United Nations appeals for Gaza aid", 1),
    ]


@pytest.mark.parametrize(
    "query", ["talks cairo", '"central bank"', '"talks in cairo"', "the", '"said ann lee" talks']
)
def test_search_limit_gives_first_rows_of_full_result(store, query):
    full = search(store, query)
    assert [
        rows(search(store, query, limit=k), "doc_key", "paragraph", "hits")
        for k in range(1, len(full) + 1)
    ] == [rows(full, "doc_key", "paragraph", "hits")[:k] for k in range(1, len(full) + 1)]


def test_search_word_never_used(store):
    assert len(search(store, "talks zebra")) == 0


def test_search_too_many_words(store):
    with pytest.raises(ArticleError, match="at most 60"):
        search(store, " ".join(f"w{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(61)))


def test_search_phrase_order_matters(store):
    assert len(search(store, '"bank central"')) == 0


def test_search_whole_words_only(store):
    assert len(search(store, "tal")) == 0


def test_search_with_entity_filter(store):
    assert titles(search(store, "gaza", entity="Ann Lee")) == [
        "United Nations appeals for Gaza aid",
        "United Nations appeals for Gaza aid",
        "United Nations appeals for Gaza aid",
        "Egypt and Qatar push for truce",
    ]


def test_article_table_sorted_by_tone(store):
    assert titles(article_table(store, sort="tone_vader", limit=3)) == [
        "Markets rally after rate cut",
        "Ceasefire talks resume in Cairo",
        "Egypt and Qatar push for truce",
    ]


def test_article_table_ascending_with_offset(store):
    assert titles(article_table(store, sort="date", descending=False, limit=2, offset=1)) == [
        "Aid trucks wait at the border",
        "Markets rally after rate cut",
    ]


def test_article_table_text_and_entity_filter(store):
    assert titles(article_table(store, text="gaza", entity="Ann Lee")) == [
        "United Nations appeals for Gaza aid",
        "Egypt and Qatar push for truce",
    ]


def test_article_table_phrase_filter(store):
    assert titles(article_table(store, text='"central bank" rates')) == [
        "Rates hold steady",
        "Markets rally after rate cut",
    ]


def test_article_table_phrase_filter_order_matters(store):
    assert titles(article_table(store, text='"bank central"')) == []


def test_article_table_date_range(store):
    assert titles(article_table(store, start="2024-04-02", end="2024-04-03")) == [
        "Cairo talks end without deal",
        "United Nations appeals for Gaza aid",
    ]


def test_source_counts(store):
    frame = source_counts(store)
    assert [
        (s if isinstance(s, str) else None, n) for s, n in rows(frame, "source", "articles")
    ] == [("alpha.news", 3), ("beta.news", 2), ("gamma.news", 2), (None, 1)]


def test_corpus_info(store):
    assert corpus_info(store) == CorpusInfo(
        8, 140, 16, 9, 0, date(2024, 3, 4), date(2024, 4, 10), 3
    )


def test_corpus_info_empty(empty):
    assert corpus_info(empty) == CorpusInfo(0, 0, 0, 0, 0, None, None, 0)


def test_queries_accept_open_connection(store):
    with store.reader() as con:
        assert top_entities(con, limit=1)["entity"].tolist() == ["Egypt"]


EMPTY_COLUMNS = [
    (
        lambda s: mentions_over_time(s, entities=["Egypt"]),
        ["period", "item", "kind", "mentions", "articles", "period_articles"],
    ),
    (lambda s: top_entities(s), ["entity", "label", "mentions", "articles"]),
    (lambda s: top_terms(s), ["term", "count", "articles"]),
    (lambda s: top_terms(s, sources=["x"]), ["term", "count", "articles"]),
    (lambda s: article_sentiment(s), ["source", "doc_key", "title", "date", "tone", "scored"]),
    (
        lambda s: article_sentiment(s, toward="Egypt"),
        ["source", "doc_key", "title", "date", "tone", "scored"],
    ),
    (
        lambda s: sentiment_over_time(s, by_source=True),
        ["period", "source", "articles", "scored", "tone"],
    ),
    (lambda s: cooccurrence(s), ["entity_a", "entity_b", "paragraphs", "articles"]),
    (
        lambda s: cooccurrence_paragraphs(s, entity_a="A", entity_b="B"),
        ["doc_key", "title", "source", "date", "paragraph", "text"],
    ),
    (
        lambda s: quoted_speakers(s, by_source=True),
        ["source", "speaker", "quotes", "words", "articles"],
    ),
    (lambda s: distinctive_terms(s, of_source="x"), ["term", "count", "rest", "log_odds", "z"]),
    (
        lambda s: search(s, "gaza"),
        ["doc_key", "title", "source", "date", "paragraph", "kind", "text", "hits"],
    ),
    (
        lambda s: article_table(s),
        [
            "doc_key",
            "title",
            "source",
            "date",
            "words",
            "tone_vader",
            "tone_textblob",
            "top_entities",
        ],
    ),
    (lambda s: source_counts(s), ["source", "articles", "first", "last"]),
]


@pytest.mark.parametrize("query,columns", EMPTY_COLUMNS)
def test_queries_empty_corpus_same_columns(empty, query, columns):
    frame = query(empty)
    assert (list(frame.columns), len(frame)) == (columns, 0)
