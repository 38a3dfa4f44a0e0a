import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from textblob import TextBlob

from analysis.core.sentiment import (
    DEFAULT_BAND,
    DEFAULT_MODEL,
    MODELS,
    PARAGRAPH_COLUMNS,
    SENTENCE_COLUMNS,
    TONE_COLUMNS,
    article_tone,
    labelled,
    paragraph_sentiment,
    score_text,
    sentiment_label,
    vader_assessments,
    vader_compound,
)


def test_paragraph_sentiment_equals_textblob_exactly(sample_analysis):
    body = sample_analysis.paragraphs
    for text, polarity, subjectivity in zip(
        body["text"], body["polarity"], body["subjectivity"], strict=True
    ):
        assert (polarity, subjectivity) == tuple(TextBlob(text).sentiment)


def test_score_text_equals_textblob_assessments_and_leaves_textblob_alone():
    import textblob.en

    lazy = type(textblob.en.sentiment)
    for text in (
        "Not a very good day, but not bad either!",
        "The talks were extremely productive :) and really quite hopeful.",
        "Officials met in Cairo on Tuesday.",
        "",
    ):
        expected = TextBlob(text).sentiment_assessments
        score = score_text(text)
        assert (score.polarity, score.subjectivity) == (expected.polarity, expected.subjectivity)
        assert [a["words"] for a in score.assessments] == [
            " ".join(words) for words, *_ in expected.assessments
        ]
    assert type(textblob.en.sentiment) is lazy


def test_paragraph_sentiment_sample_labels(sample_analysis):
    body = sample_analysis.paragraphs[sample_analysis.paragraphs["kind"] == "body"]
    assert body["label"].tolist() == [
        "neutral",
        "neutral",
        "negative",
        "positive",
        "positive",
        "neutral",
        "neutral",
        "positive",
    ]


def test_paragraph_sentiment_sample_paragraph_five(sample_analysis):
    row = sample_analysis.paragraphs.set_index("paragraph").loc[5]
    assert (round(row["polarity"], 4), round(row["subjectivity"], 4), row["vader"]) == (
        0.7,
        0.9,
        0.9325,
    )
    assert row["assessments"] == [{"words": "fair", "polarity": 0.7, "subjectivity": 0.9}]


def test_paragraph_sentiment_columns(sample_analysis):
    assert list(sample_analysis.paragraphs.columns) == list(PARAGRAPH_COLUMNS)
    assert list(sample_analysis.sentences.columns) == list(SENTENCE_COLUMNS)


def test_sentence_sentiment_sample_drill_down(sample_analysis):
    sentences = sample_analysis.sentences[sample_analysis.sentences["paragraph"] == 4]
    assert sentences["sentence"].tolist() == [0, 1, 2]
    text = sample_analysis.texts[4]
    for start, end, sentence in zip(
        sentences["start"], sentences["end"], sentences["text"], strict=True
    ):
        assert text[start:end] == sentence
        assert sentences.set_index("text").loc[sentence, "polarity"] == (
            TextBlob(sentence).sentiment.polarity
        )


def test_score_text_assessments_say_which_words_moved_the_score():
    score = score_text("The food was not good at all.")
    assert score.assessments == (
        {"words": "not good", "polarity": -0.35, "subjectivity": 0.6000000000000001},
    )
    assert score.label == "negative"


@pytest.mark.parametrize(
    ("score", "label"),
    [
        (0.05, "positive"),
        (0.049, "neutral"),
        (0.0, "neutral"),
        (-0.049, "neutral"),
        (-0.05, "negative"),
        (1.0, "positive"),
    ],
)
def test_sentiment_label_threshold(score, label):
    assert sentiment_label(score) == label


def test_paragraph_sentiment_without_spacy():
    frame = paragraph_sentiment(["A wonderful day.", "A terrible day."])
    assert frame[["paragraph", "label", "vader_label"]].values.tolist() == [
        [1, "positive", "positive"],
        [2, "negative", "negative"],
    ]


def test_paragraph_sentiment_empty_keeps_schema():
    assert list(paragraph_sentiment([]).columns) == list(PARAGRAPH_COLUMNS)


def test_text_parts_cut_at_sentence_ends():
    from analysis.core.sentiment import text_parts

    text = "One two three. Four five six. Seven eight."
    assert text_parts(text, limit=20) == ["One two three. ", "Four five six. ", "Seven eight."]
    assert "".join(text_parts("x" * 45, limit=20)) == "x" * 45


def test_long_paragraph_vader_is_mean_of_parts_with_note(nlp):
    from analysis import analyze
    from analysis.core.sentiment import VADER_MAX_CHARS, text_parts, vader_compound

    paragraph = "The talks went well. " * 300 + "The outcome was terrible. " * 100
    assert len(paragraph) > VADER_MAX_CHARS
    parts = text_parts(paragraph)
    assert len(parts) == 2
    result = analyze("Long Story Here\n\n" + paragraph, nlp=nlp)
    # (0.9999 + -0.9996) / 2: VADER of each part, averaged.
    assert vader_compound(paragraph) == 0.0001
    assert result.paragraphs.iloc[1]["vader"] == 0.0001
    assert result.warnings == (
        "Very long paragraphs (1; over 5,000 characters): their VADER score is the average over "
        "parts of the paragraph, because VADER slows down sharply on long texts. TextBlob scores "
        "the whole paragraph.",
    )


def test_sentiment_defaults():
    assert (DEFAULT_MODEL, MODELS, DEFAULT_BAND) == ("vader", ("vader", "textblob"), 0.05)


@pytest.mark.parametrize(
    ("score", "band", "label"),
    [
        (0.15, 0.2, "neutral"),
        (0.2, 0.2, "positive"),
        (-0.25, 0.2, "negative"),
        (-0.05, 0.1, "neutral"),
    ],
)
def test_sentiment_label_band(score, band, label):
    assert sentiment_label(score, band=band) == label


def test_sentiment_label_threshold_keyword_still_works():
    assert sentiment_label(0.15, threshold=0.2) == "neutral"


def test_score_text_vader_praise_and_the_words_that_moved_it():
    score = score_text("The minister praised the brave rescuers.")
    assert (score.vader, score.vader_label) == (0.765, "positive")
    assert score.vader_assessments == (
        {"words": "praised", "valence": 2.2},
        {"words": "brave", "valence": 2.4},
    )


def test_vader_assessments_negation_flips_and_names_the_negator():
    assert vader_assessments("The plan is not bad.") == ({"words": "not bad", "valence": 1.85},)


def test_vader_assessments_but_halves_before_and_raises_after():
    assert vader_assessments("The talks were very good, but the outcome was a disaster.") == (
        {"words": "good", "valence": 1.0965},
        {"words": "disaster", "valence": -4.65},
    )


def test_vader_assessments_no_valence_words():
    assert vader_assessments("Officials announced the schedule on Monday.") == ()


@pytest.mark.parametrize(
    "text",
    [
        "The minister praised the brave rescuers.",
        "The plan isn't very bad at all!",
        "The talks were very good, but the outcome was a disaster.",
        "GREAT news for the town",
        "It was kind of sad. No problem though :)",
        "",
    ],
)
def test_vader_compound_equals_vader_polarity_scores(text):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    assert vader_compound(text) == SentimentIntensityAnalyzer().polarity_scores(text)["compound"]


_VADER_WORDS = st.sampled_from(
    [
        "good",
        "bad",
        "GOOD",
        "BAD",
        "not",
        "isn't",
        "never",
        "so",
        "this",
        "without",
        "doubt",
        "kind",
        "of",
        "sort",
        "least",
        "at",
        "very",
        "no",
        "nor",
        "or",
        "but",
        "BUT",
        "extremely",
        "barely",
        "the",
        "a",
        "is",
        "was",
        "great",
        "disaster",
        ":)",
        "!",
        "?",
        ",",
        ".",
        "hardly",
        "nothing",
        "rescued",
        "killed",
        "Love",
        "Justice",
        "happy",
    ]
)


@given(st.lists(_VADER_WORDS, max_size=25).map(" ".join))
@example("never so good")
@example("without doubt good")
@example("the kind of good")
@example("at least good , not very bad but GREAT !")
def test_vader_compound_equals_vader_polarity_scores_for_any_words(text):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    assert vader_compound(text) == SentimentIntensityAnalyzer().polarity_scores(text)["compound"]


def test_paragraph_sentiment_disagree_when_models_differ():
    frame = paragraph_sentiment(
        [
            "Officials announced the new schedule on Monday.",
            "The minister praised the brave rescuers.",
        ]
    )
    assert frame[["label", "vader_label", "disagree"]].values.tolist() == [
        ["positive", "neutral", True],
        ["positive", "positive", False],
    ]


def test_paragraph_sentiment_rows_carry_vader_words():
    frame = paragraph_sentiment(["The plan is not bad."])
    assert frame["vader_assessments"].tolist() == [[{"words": "not bad", "valence": 1.85}]]


def _scores(rows):
    return pd.DataFrame(
        rows, columns=["paragraph", "kind", "polarity", "vader", "label", "vader_label", "disagree"]
    )


def test_labelled_derives_labels_for_another_band():
    table = _scores(
        [
            [1, "body", 0.15, 0.3, "positive", "positive", False],
            [2, "body", -0.5, -0.1, "negative", "negative", False],
        ]
    )
    frame = labelled(table, band=0.2)
    assert frame[["label", "vader_label", "disagree"]].values.tolist() == [
        ["neutral", "positive", True],
        ["negative", "neutral", True],
    ]
    assert table["label"].tolist() == ["positive", "negative"]


def test_labelled_empty_keeps_columns():
    frame = labelled(_scores([]), band=0.1)
    assert (len(frame), list(frame.columns)) == (0, list(_scores([]).columns))


def test_article_tone_body_paragraphs_only():
    table = _scores(
        [
            [0, "headline", 0.9, 0.9, "", "", False],
            [1, "body", 0.5, 0.6, "", "", False],
            [2, "body", 0.0, -0.2, "", "", False],
            [3, "body", -0.2, 0.2, "", "", False],
            [4, "removed", -0.9, -0.9, "", "", False],
        ]
    )
    tone = article_tone(table)
    assert list(tone.columns) == list(TONE_COLUMNS)
    assert [
        [row[0], round(row[1], 4), round(row[2], 4), *row[3:]]
        for row in tone.itertuples(index=False)
    ] == [
        ["vader", 0.2, 0.3266, 2, 0, 1, 3],
        ["textblob", 0.1, 0.2944, 1, 1, 1, 3],
    ]


def test_article_tone_band_moves_counts():
    table = _scores(
        [[1, "body", 0.15, 0.15, "", "", False], [2, "body", -0.3, -0.3, "", "", False]]
    )
    tone = article_tone(table, band=0.2).set_index("model")
    assert tone.loc["vader", ["positive", "neutral", "negative"]].tolist() == [0, 1, 1]


def test_article_tone_empty_keeps_schema():
    tone = article_tone(_scores([[0, "headline", 0.9, 0.9, "", "", False]]))
    assert (len(tone), list(tone.columns)) == (0, list(TONE_COLUMNS))
