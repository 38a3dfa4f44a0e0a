import pandas as pd
import pytest

from analysis import analyze
from analysis.core.stance import (
    ENTITY_SENTENCE_COLUMNS,
    ENTITY_SENTIMENT_COLUMNS,
    entity_score_rows,
    entity_scores,
    entity_sentences,
    entity_sentiment,
    without_names,
)

PRAISE_AND_BLAME = (
    "Anna Berg praised the brave rescuers in Oslo. "
    "Critics said Peter Lund had failed the city and caused a terrible mess."
)
REPEATED = (
    "Anna Berg met Peter Lund in Oslo. Anna Berg thanked the volunteers warmly. "
    "Berg later left for Bergen."
)


@pytest.fixture(scope="module")
def praise_and_blame(nlp):
    return analyze(PRAISE_AND_BLAME, nlp=nlp)


@pytest.fixture(scope="module")
def repeated(nlp):
    return analyze(REPEATED, nlp=nlp)


def test_entity_sentiment_one_positive_one_negative(praise_and_blame):
    table = entity_sentiment(praise_and_blame.mentions, praise_and_blame.sentences)
    assert table[["entity", "type", "mentions", "sentences", "score", "label"]].values.tolist() == [
        ["Anna Berg", "PERSON", 1, 1, 0.765, "positive"],
        ["Oslo", "GPE", 1, 1, 0.765, "positive"],
        ["Peter Lund", "PERSON", 1, 1, -0.8779, "negative"],
    ]


def test_entity_sentiment_textblob_model(praise_and_blame):
    table = entity_sentiment(
        praise_and_blame.mentions, praise_and_blame.sentences, model="textblob"
    )
    assert [
        (e, round(s, 4), label)
        for e, s, label in zip(table["entity"], table["score"], table["label"], strict=True)
    ] == [
        ("Anna Berg", 0.8, "positive"),
        ("Oslo", 0.8, "positive"),
        ("Peter Lund", -0.5583, "negative"),
    ]


def test_entity_sentiment_keeps_both_models_means(praise_and_blame):
    row = entity_sentiment(praise_and_blame.mentions, praise_and_blame.sentences).iloc[2]
    assert (row["entity"], round(row["polarity"], 4), row["vader"]) == (
        "Peter Lund",
        -0.5583,
        -0.8779,
    )


def test_entity_sentiment_band_makes_weak_scores_neutral(praise_and_blame):
    table = entity_sentiment(praise_and_blame.mentions, praise_and_blame.sentences, band=0.8)
    assert table["label"].tolist() == ["neutral", "neutral", "negative"]


def test_entity_sentiment_aliases_share_sentences_sorted_by_mentions(repeated):
    table = entity_sentiment(repeated.mentions, repeated.sentences)
    assert table[["entity", "mentions", "sentences", "label"]].values.tolist() == [
        ["Anna Berg", 3, 3, "positive"],
        ["Bergen", 1, 1, "neutral"],
        ["Oslo", 1, 1, "neutral"],
        ["Peter Lund", 1, 1, "neutral"],
    ]
    # (0 + 0.6808 + 0) / 3: the mean over Anna Berg's three sentences.
    assert round(table.iloc[0]["score"], 4) == 0.2269


def test_entity_sentences_words_that_moved_the_score(praise_and_blame):
    rows = entity_sentences(praise_and_blame.mentions, praise_and_blame.sentences)
    blame = rows[rows["entity"] == "Peter Lund"].iloc[0]
    assert (blame["paragraph"], blame["sentence"], blame["mentions"]) == (1, 1, 1)
    assert (
        blame["text"] == "Critics said Peter Lund had failed the city and caused a terrible mess."
    )
    assert blame["vader_assessments"] == [
        {"words": "Critics", "valence": -1.2},
        {"words": "failed", "valence": -2.3},
        {"words": "terrible", "valence": -2.1},
        {"words": "mess", "valence": -1.5},
    ]
    assert [item["words"] for item in blame["assessments"]] == ["failed", "terrible", "mess"]


def test_entity_sentences_mention_belongs_to_sentence_holding_its_start(repeated):
    rows = entity_sentences(repeated.mentions, repeated.sentences)
    assert rows[["entity", "sentence"]].values.tolist() == [
        ["Anna Berg", 0],
        ["Oslo", 0],
        ["Peter Lund", 0],
        ["Anna Berg", 1],
        ["Anna Berg", 2],
        ["Bergen", 2],
    ]


def test_entity_sentences_name_with_lexicon_valence_does_not_count(nlp):
    result = analyze("Joy Smith spoke to reporters in Oslo on Tuesday.", nlp=nlp)
    assert result.sentences["vader"].tolist() == [0.5859]  # "joy" is in VADER's lexicon
    rows = entity_sentences(result.mentions, result.sentences)
    assert rows[["entity", "vader", "polarity"]].values.tolist() == [
        ["Joy Smith", 0.0, 0.0],
        ["Oslo", 0.0, 0.0],
    ]


def test_entity_sentences_numbers_and_dates_excluded(nlp):
    result = analyze("On Monday, three officials from Norway visited Oslo.", nlp=nlp)
    assert set(result.mentions["label"]) == {"DATE", "CARDINAL", "GPE"}
    assert entity_sentences(result.mentions, result.sentences)["entity"].tolist() == [
        "Norway",
        "Oslo",
    ]


def test_entity_sentences_empty_keeps_schema(praise_and_blame):
    rows = entity_sentences(praise_and_blame.mentions.iloc[:0], praise_and_blame.sentences)
    assert (len(rows), list(rows.columns)) == (0, list(ENTITY_SENTENCE_COLUMNS))


def test_entity_sentiment_empty_keeps_schema(praise_and_blame):
    table = entity_sentiment(praise_and_blame.mentions, praise_and_blame.sentences.iloc[:0])
    assert (len(table), list(table.columns)) == (0, list(ENTITY_SENTIMENT_COLUMNS))


def test_entity_sentiment_unknown_model_raises(praise_and_blame):
    with pytest.raises(ValueError, match="unknown sentiment model 'bert'"):
        entity_sentiment(praise_and_blame.mentions, praise_and_blame.sentences, model="bert")


def test_entity_scores_from_sentence_rows_without_rescoring():
    scored = pd.DataFrame(
        [
            ["Kim Ode", "PERSON", 1, 0, "x", 2, 0.5, 0.4, [], []],
            ["Kim Ode", "PERSON", 2, 0, "y", 1, -0.1, -0.2, [], []],
        ],
        columns=list(ENTITY_SENTENCE_COLUMNS),
    )
    table = entity_scores(scored, model="vader", band=0.05)
    assert [tuple(row) for row in table.itertuples(index=False)] == [
        (
            "Kim Ode",
            "PERSON",
            3,
            2,
            pytest.approx(0.1),
            "positive",
            pytest.approx(0.2),
            pytest.approx(0.1),
        ),
    ]


def test_without_names_one_placeholder_per_word():
    text = "The Justice Department praised Love Street."
    assert without_names(text, [(4, 22), (31, 42)]) == "The _ _ praised _ _."


def test_entity_score_rows_are_the_tables_means_without_a_dataframe():
    scored = [
        ("Ann Lee", "PERSON", 1, 0.5, 0.2),
        ("Dover", "GPE", 1, 0.0, 0.0),
        ("Ann Lee", "PERSON", 2, 0.1, -0.4),
    ]
    rows = entity_score_rows(scored, model="vader")
    assert [tuple(row) for row in rows] == [
        ("Ann Lee", "PERSON", 3, 2, pytest.approx(-0.1), "negative", pytest.approx(0.3),
         pytest.approx(-0.1)),
        ("Dover", "GPE", 1, 1, 0.0, "neutral", 0.0, 0.0),
    ]  # fmt: skip
    assert [row.label for row in entity_score_rows(scored, model="textblob")] == [
        "positive",
        "neutral",
    ]
    # Eleven sentences: numpy sums them pairwise, as pandas does, not one by one.
    many = [("X", "ORG", 1, value, value) for value in [0.1] * 10 + [0.3]]
    table = pd.DataFrame(many, columns=["entity", "type", "mentions", "polarity", "vader"])
    assert entity_score_rows(many)[0].vader == table["vader"].mean()
    assert [tuple(r) for r in entity_score_rows(many)] == list(
        entity_scores(table).itertuples(index=False, name=None)
    )
