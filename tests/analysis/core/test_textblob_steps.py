from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from textblob._text import find_tokens as textblob_find_tokens

from analysis.core.sentiment import _pattern
from analysis.core.textblob_steps import assessments, find_tokens, scored

SEEDS = Path(__file__).resolve().parents[3] / "seeds"


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("The cat purs.", ["The cat purs ."]),
        (
            "Mr. Lee didn't go (!) to the U.S. today...",
            ["Mr. Lee did n ' t go (!)", "to the U.S. today ..."],
        ),
        ('He said: "Stop." Then left!', ['He said : " Stop .', '" Then left !']),
        ("Great :) really", ["Great :) really"]),
        ("One\n\nTwo", ["One", "Two"]),
        ("It's fine; the end? Yes.", ["It ' s fine ; the end ?", "Yes ."]),
    ],
)
def test_find_tokens_splits_as_textblob_does(text, sentences):
    assert find_tokens(text) == sentences
    assert textblob_find_tokens(text) == sentences


def test_find_tokens_equals_textblob_on_every_sample_line():
    lines = [
        line
        for path in sorted(SEEDS.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    assert len(lines) > 20
    for line in lines:
        assert find_tokens(line) == textblob_find_tokens(line)


_PIECES = st.sampled_from(
    list(".,;:!?()[]{}`'\"@#$^&*+-|=~_<>/\\°…“”‘’ \n\r\taZoXDS83")
    + ["n't", "'s", "'ll", "...", "U.S.", "Mr.", "etc.", "p.m.", ":-)", "( ! )", ":'(", "\n\n"]
    + ["END-OF-SENTENCE", "word", "Word"]
    # Unicode white space: no-break, thin and ideographic spaces, vertical tab, form feed,
    # the information separators.
    + ["\u00a0", "\u2009", "\u3000", "\x0b", "\x0c", "\x1c", "\x1f", "\u2028"]
)


@given(st.lists(_PIECES, max_size=40).map("".join))
@example("a >. > b")
@example("a\u00a0b.\u2009 c\x1c:)\u3000d")
@example("END-OF-SENTENCE.")
@example("\"'.'\" ( ! ) END-OF-SENTENCE ...")
def test_find_tokens_equals_textblob_for_any_text(text):
    assert find_tokens(text) == textblob_find_tokens(text)


def test_the_sentiment_analyzer_splits_with_it():
    assert _pattern().tokenizer is find_tokens


_WORDS = st.sampled_from(
    [
        *[
            "very",
            "really",
            "not",
            "never",
            "no",
            "good",
            "bad",
            "great",
            "terrible",
            "happy",
            "sad",
            "quite",
            "too",
            "slightly",
        ],
        *[
            "is",
            "a",
            "the",
            "!",
            "(!)",
            ":)",
            ":-(",
            ";)",
            "<3",
            "XD",
            "x-d",
            ":/",
            "8)",
            "°o°",
            "2024",
            "10",
            "’",
            "-",
            "nothing",
        ],
        *["extremely", "not-so-good", "hardly", "wonderful", "awful"],
    ]
)


@given(st.lists(_WORDS, max_size=25).map(" ".join))
@example("not very good :) !")
@example("really not good (!) :-( XD")
def test_sentiment_equals_textblob_for_any_words(text):
    from textblob import TextBlob

    expected = TextBlob(text).sentiment_assessments
    want = (expected.polarity, expected.subjectivity, [tuple(a) for a in expected.assessments])
    got = _pattern()(text)
    polarity, subjectivity, assessed = scored(_pattern(), text)
    assert (got[0], got[1], [tuple(a) for a in got.assessments]) == want
    assert (polarity, subjectivity, [tuple(a) for a in assessed]) == want


def test_the_sentiment_analyzer_assesses_with_it():
    assert type(_pattern()).assessments is assessments
