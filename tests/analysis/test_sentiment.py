import pytest
from textblob import TextBlob

from analysis.sentiment import (
    PARAGRAPH_COLUMNS,
    SENTENCE_COLUMNS,
    paragraph_sentiment,
    score_text,
    sentiment_label,
)


def test_paragraph_sentiment_equals_textblob_exactly(sample_analysis):
    body = sample_analysis.paragraphs
    for text, polarity, subjectivity in zip(body["text"], body["polarity"],
                                            body["subjectivity"], strict=True):  # fmt: skip
        assert (polarity, subjectivity) == tuple(TextBlob(text).sentiment)


def test_paragraph_sentiment_sample_labels(sample_analysis):
    body = sample_analysis.paragraphs[sample_analysis.paragraphs["kind"] == "body"]
    assert body["label"].tolist() == [
        "neutral", "neutral", "negative", "positive", "positive", "neutral", "neutral",
        "positive",
    ]  # fmt: skip


def test_paragraph_sentiment_sample_paragraph_five(sample_analysis):
    row = sample_analysis.paragraphs.set_index("paragraph").loc[5]
    assert (round(row["polarity"], 4), round(row["subjectivity"], 4), row["vader"]) == (
        0.7, 0.9, 0.9325,
    )  # fmt: skip
    assert row["assessments"] == [{"words": "fair", "polarity": 0.7, "subjectivity": 0.9}]


def test_paragraph_sentiment_columns(sample_analysis):
    assert list(sample_analysis.paragraphs.columns) == list(PARAGRAPH_COLUMNS)
    assert list(sample_analysis.sentences.columns) == list(SENTENCE_COLUMNS)


def test_sentence_sentiment_sample_drill_down(sample_analysis):
    sentences = sample_analysis.sentences[sample_analysis.sentences["paragraph"] == 4]
    assert sentences["sentence"].tolist() == [0, 1, 2]
    text = sample_analysis.texts[4]
    for start, end, sentence in zip(sentences["start"], sentences["end"], sentences["text"],
                                    strict=True):  # fmt: skip
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
    [(0.05, "positive"), (0.049, "neutral"), (0.0, "neutral"), (-0.049, "neutral"),
     (-0.05, "negative"), (1.0, "positive")],
)  # fmt: skip
def test_sentiment_label_threshold(score, label):
    assert sentiment_label(score) == label


def test_paragraph_sentiment_without_spacy():
    frame = paragraph_sentiment(["A wonderful day.", "A terrible day."])
    assert frame[["paragraph", "label", "vader_label"]].values.tolist() == [
        [1, "positive", "positive"], [2, "negative", "negative"],
    ]  # fmt: skip


def test_paragraph_sentiment_empty_keeps_schema():
    assert list(paragraph_sentiment([]).columns) == list(PARAGRAPH_COLUMNS)


def test_text_parts_cut_at_sentence_ends():
    from analysis.sentiment import text_parts

    text = "One two three. Four five six. Seven eight."
    assert text_parts(text, limit=20) == ["One two three. ", "Four five six. ", "Seven eight."]
    assert "".join(text_parts("x" * 45, limit=20)) == "x" * 45


def test_long_paragraph_vader_is_mean_of_parts_with_note(nlp):
    from analysis import analyze
    from analysis.sentiment import VADER_MAX_CHARS, text_parts, vader_compound

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
