import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.core.article import Segment
from analysis.core.entities import mention_rows, resolve_mentions
from analysis.core.quotes import (
    QUOTE_COLUMNS,
    SPEAKER_COLUMNS,
    QuoteRow,
    quote_rows,
    quote_table,
    speaker_table,
)


def _quotes(nlp, *body, headline="Talks Resume"):
    """Quote rows of an article: the headline (paragraph 0) and body paragraphs 1..n."""
    segments = [Segment(0, "headline", headline)] + [
        Segment(i, "body", text) for i, text in enumerate(body, start=1)
    ]
    docs = list(nlp.pipe([segment.text for segment in segments]))
    return quote_rows(segments, docs, resolve_mentions(mention_rows(segments, docs)))


def _who(rows):
    return [(row.paragraph, row.quote, row.speaker, row.entity) for row in rows]


def test_quote_rows_sample_lin_jian(nlp, sample_analysis):
    segments = sample_analysis.segments
    docs = list(nlp.pipe([segment.text for segment in segments]))
    rows = quote_rows(segments, docs, sample_analysis.mention_rows)
    assert [
        (row.paragraph, row.quote[:40], row.speaker, row.entity, row.words) for row in rows
    ] == [(7, "China has maintained close communication", "Lin", "Lin Jian", 23)]


def test_quote_rows_sample_offsets(nlp, sample_analysis):
    segments = sample_analysis.segments
    docs = list(nlp.pipe([segment.text for segment in segments]))
    row = quote_rows(segments, docs, sample_analysis.mention_rows)[0]
    text = sample_analysis.texts[7]
    assert (row.start, row.end, row.speaker_start, row.speaker_end) == (1, 171, 174, 177)
    assert text[row.speaker_start : row.speaker_end] == "Lin"


def test_quote_rows_name_then_verb(nlp):
    rows = _quotes(nlp, 'Lin Jian spoke on Monday. "We will win," Lin stated.')
    assert rows == [QuoteRow(1, 27, 38, "We will win", "Lin", 41, 44, "Lin Jian", 3)]


def test_quote_rows_verb_then_speaker(nlp):
    rows = _quotes(nlp, '"We will win," said the minister.')
    assert rows == [QuoteRow(1, 1, 12, "We will win", "the minister", 20, 32, None, 3)]


def test_quote_rows_pronoun_resolves_to_previous_person(nlp):
    rows = _quotes(nlp, "Anna Berg arrived late.", '"It is over now" she said.')
    assert rows == [QuoteRow(2, 1, 15, "It is over now", "she", 17, 20, "Anna Berg", 4)]


def test_quote_rows_pronoun_skips_person_inside_quote(nlp):
    rows = _quotes(nlp, 'Anna Berg spoke. "Tom Hale is wrong about this," she said.')
    assert _who(rows) == [(1, "Tom Hale is wrong about this", "she", "Anna Berg")]


def test_quote_rows_told_reporters(nlp):
    rows = _quotes(nlp, '"The talks went well," the minister told reporters.')
    assert _who(rows) == [(1, "The talks went well", "the minister", None)]


def test_quote_rows_colon_before(nlp):
    rows = _quotes(nlp, 'Lin Jian said: "We will win."')
    assert rows == [QuoteRow(1, 16, 28, "We will win.", "Lin Jian", 0, 8, "Lin Jian", 3)]


def test_quote_rows_comma_before(nlp):
    rows = _quotes(nlp, 'Lin Jian said, "We will win."')
    assert _who(rows) == [(1, "We will win.", "Lin Jian", "Lin Jian")]


def test_quote_rows_according_to_before(nlp):
    rows = _quotes(nlp, 'According to Lin Jian, "the talks went well."')
    assert _who(rows) == [(1, "the talks went well.", "Lin Jian", "Lin Jian")]


def test_quote_rows_according_to_after(nlp):
    rows = _quotes(nlp, '"The talks went well", according to the ministry.')
    assert rows == [QuoteRow(1, 1, 20, "The talks went well", "the ministry", 36, 48, None, 4)]


def test_quote_rows_split_quote_two_rows(nlp):
    rows = _quotes(nlp, '"First part," Lin Jian said, "second part of it."')
    assert rows == [
        QuoteRow(1, 1, 11, "First part", "Lin Jian", 14, 22, "Lin Jian", 2),
        QuoteRow(1, 30, 48, "second part of it.", "Lin Jian", 14, 22, "Lin Jian", 4),
    ]


def test_quote_rows_over_two_paragraphs(nlp):
    rows = _quotes(
        nlp, 'Lin Jian said: "The first part goes on.', '"And the second part ends here."'
    )
    assert rows == [
        QuoteRow(1, 16, 39, "The first part goes on.", "Lin Jian", 0, 8, "Lin Jian", 5),
        QuoteRow(2, 1, 31, "And the second part ends here.", "Lin Jian", None, None, "Lin Jian", 6),
    ]


def test_quote_rows_over_two_paragraphs_speaker_at_end(nlp):
    rows = _quotes(nlp, '"The first part goes on.', '"And it ends here," Lin Jian said.')
    assert _who(rows) == [
        (1, "The first part goes on.", "Lin Jian", "Lin Jian"),
        (2, "And it ends here", "Lin Jian", "Lin Jian"),
    ]


def test_quote_rows_unclosed_not_continued_ignored(nlp):
    assert _quotes(nlp, 'Lin Jian said: "We will win this war.', "Talks resumed on Friday.") == []


def test_quote_rows_headline_colon(nlp):
    rows = _quotes(nlp, "Lin Jian spoke on Monday.", headline="Lin: 'We will fight on'")
    assert rows == [QuoteRow(0, 6, 22, "We will fight on", "Lin", 0, 3, "Lin Jian", 4)]


def test_quote_rows_apposition_after_name(nlp):
    rows = _quotes(nlp, "“We will win,” Lin Jian, the spokesperson, said.")
    assert _who(rows) == [(1, "We will win", "Lin Jian", "Lin Jian")]


def test_quote_rows_participle_takes_sentence_subject(nlp):
    rows = _quotes(nlp, 'Maria Costa thanked Tom Hale, saying, "we are done here now."')
    assert _who(rows) == [(1, "we are done here now.", "Maria Costa", "Maria Costa")]


def test_quote_rows_next_sentence_same_speaker(nlp):
    rows = _quotes(nlp, '"We won," Lin Jian said. "Next year we will win again."')
    assert _who(rows) == [
        (1, "We won", "Lin Jian", "Lin Jian"),
        (1, "Next year we will win again.", "Lin Jian", "Lin Jian"),
    ]


def test_quote_rows_next_sentence_other_speaker_not_inherited(nlp):
    rows = _quotes(nlp, '"We won," Lin Jian said. Anna Berg called it "a rather hollow win today".')
    assert _who(rows) == [
        (1, "We won", "Lin Jian", "Lin Jian"),
        (1, "a rather hollow win today", "Anna Berg", "Anna Berg"),
    ]


def test_quote_rows_relative_clause_skipped(nlp):
    rows = _quotes(nlp, 'Anna Berg, who led the talks, said, "We are not done yet."')
    assert _who(rows) == [(1, "We are not done yet.", "Anna Berg", "Anna Berg")]


def test_quote_rows_partial_quote_in_reported_speech(nlp):
    rows = _quotes(nlp, 'Lin Jian said the plan was "a step in the right direction".')
    assert _who(rows) == [(1, "a step in the right direction", "Lin Jian", "Lin Jian")]


def test_quote_rows_descriptive_speaker_with_entity_inside(nlp):
    rows = _quotes(nlp, '"The vote was fair," a spokesperson for the United Nations said.')
    assert _who(rows) == [
        (1, "The vote was fair", "a spokesperson for the United Nations", "United Nations")
    ]


def test_quote_rows_scare_quote_dropped(nlp):
    assert _quotes(nlp, 'They call it the so-called "peace plan" now.') == []


def test_quote_rows_short_quote_before_other_verb_not_attributed(nlp):
    assert _quotes(nlp, 'The "peace plan" he said would fail was rejected.') == []


def test_quote_rows_title_dropped(nlp):
    assert _quotes(nlp, 'She read "The Lord of the Rings Returns" twice.') == []


def test_quote_rows_unattributed_long_quote_kept(nlp):
    rows = _quotes(nlp, 'The sign read "no entry for anyone at all today".')
    assert rows == [
        QuoteRow(1, 15, 47, "no entry for anyone at all today", None, None, None, None, 7)
    ]


def test_quote_rows_apostrophes_are_not_quotes(nlp):
    assert _quotes(nlp, "China’s envoy met the players' union in the '90s and left.") == []


def test_quote_rows_nested_quote_is_one_row(nlp):
    rows = _quotes(nlp, "\"They called it 'a farce' and walked out,\" Lin Jian said.")
    assert _who(rows) == [(1, "They called it 'a farce' and walked out", "Lin Jian", "Lin Jian")]


def test_quote_rows_guillemets(nlp):
    rows = _quotes(nlp, "« We will win the vote tomorrow », Lin Jian said.")
    assert _who(rows) == [(1, "We will win the vote tomorrow", "Lin Jian", "Lin Jian")]


def test_quote_rows_german_low_marks(nlp):
    rows = _quotes(nlp, "„We will win the vote tomorrow“, Lin Jian said.")
    assert _who(rows) == [(1, "We will win the vote tomorrow", "Lin Jian", "Lin Jian")]


def test_quote_rows_empty_and_unbalanced(nlp):
    assert _quotes(nlp, 'He said "" and then " and "', '" " ” “') == []


def test_quote_rows_without_tagger(nlp):
    segments = [Segment(1, "body", '"We will win the vote," Lin Jian said.')]
    docs = list(nlp.pipe([s.text for s in segments], disable=["tagger", "lemmatizer"]))
    rows = quote_rows(segments, docs, resolve_mentions(mention_rows(segments, docs)))
    assert _who(rows) == [(1, "We will win the vote", "Lin Jian", "Lin Jian")]


QUOTE_CHARS = "\"“”„«»'‘’「」:,. "


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.text(alphabet=st.sampled_from(list(QUOTE_CHARS) + list("Lin saidhe Wx\n")), max_size=60),
        min_size=1,
        max_size=3,
    )
)
def test_quote_rows_never_raises_and_offsets_hold(nlp, paragraphs):
    segments = [Segment(i, "body", text) for i, text in enumerate(paragraphs, start=1)]
    docs = list(nlp.pipe([segment.text for segment in segments]))
    rows = quote_rows(segments, docs, resolve_mentions(mention_rows(segments, docs)))
    for row in rows:
        text = segments[row.paragraph - 1].text
        assert text[row.start : row.end] == row.quote
        if row.speaker_start is not None:
            assert text[row.speaker_start : row.speaker_end] == row.speaker


def test_quote_table_empty_columns_and_dtypes():
    table = quote_table([])
    assert (tuple(table.columns), [str(d) for d in table.dtypes]) == (
        QUOTE_COLUMNS,
        ["int64", "int64", "int64", "object", "object", "Int64", "Int64", "object", "int64"],
    )


def test_quote_table_missing_speaker_is_none():
    table = quote_table([QuoteRow(1, 1, 20, "no entry for anyone", None, None, None, None, 4)])
    row = table.iloc[0]
    assert (row["speaker"], row["entity"], row["speaker_start"] is pd.NA) == (None, None, True)


ROWS = [
    QuoteRow(1, 1, 10, "a b c d", "Lin", 12, 15, "Lin Jian", 4),
    QuoteRow(2, 1, 10, "a b", "he", 12, 14, "Lin Jian", 2),
    QuoteRow(2, 20, 30, "a b c d e f", "the minister", 31, 43, None, 6),
    QuoteRow(3, 1, 10, "a b c d e", None, None, None, None, 5),
]


def test_speaker_table_rows():
    assert speaker_table(quote_table(ROWS)).values.tolist() == [
        ["Lin Jian", "Lin Jian", 2, 6, 2],
        ["the minister", None, 1, 6, 1],
    ]


def test_speaker_table_empty_columns():
    table = speaker_table(quote_table([]))
    assert (tuple(table.columns), len(table)) == (SPEAKER_COLUMNS, 0)


@pytest.mark.parametrize("order", [ROWS, ROWS[::-1]])
def test_speaker_table_order_independent_of_input(order):
    assert speaker_table(quote_table(order))["speaker"].tolist() == ["Lin Jian", "the minister"]


def test_said_by_names_speakers_as_the_speaker_table_does():
    from analysis.core.quotes import QUOTE_COLUMNS, quote_table, said_by

    rows = [
        (1, 0, 5, "a b c d", "Lin", 10, 13, "Lin Jian", 4),
        (2, 0, 5, "e f g h", "a spokesman", 10, 21, None, 4),
        (3, 0, 5, "i j k l", None, None, None, None, 4),
    ]
    assert len(QUOTE_COLUMNS) == 9
    assert said_by(quote_table(rows)).tolist() == ["Lin Jian", "a spokesman", None]


def _speakers_of(nlp, text):
    from analysis import analyze

    result = analyze(text, nlp=nlp)
    return [(row.speaker, row.entity) for row in result.quote_rows]


def test_speaker_bare_surname_is_the_person_named_before(nlp):
    text = (
        "Church Critic Speaks\n\nMark Varnholm left the church in 2004.\n\n"
        '"It was never a place for questions," Varnholm said.'
    )
    assert _speakers_of(nlp, text) == [("Varnholm", "Mark Varnholm")]


def test_speaker_possessive_statement_is_its_owner(nlp):
    text = (
        "Vote Delayed\n\nSenator Ann Varnholm spoke on Monday.\n\n"
        'Ann Varnholm\'s statement said: "We will not back this bill in its present form."'
    )
    assert _speakers_of(nlp, text) == [("Ann Varnholm", "Ann Varnholm")]


def test_speaker_description_kept_and_linked(nlp):
    text = (
        "Video Removed\n\nThe clip spread on Monday.\n\n"
        '"We removed the video because it broke our rules," a spokesperson for YouTube said.'
    )
    rows = _speakers_of(nlp, text)
    assert rows == [("a spokesperson for YouTube", "YouTube")]


def test_speaker_table_shows_a_description_as_written():
    quotes = quote_table(
        [
            QuoteRow(
                1, 1, 20, "We removed the clip", "a spokesperson for YouTube", 22, 48, "YouTube", 4
            )
        ]
    )
    assert speaker_table(quotes)[["speaker", "entity"]].values.tolist() == [
        ["a spokesperson for YouTube", "YouTube"]
    ]


def test_speaker_word_for_a_time_is_no_speaker(blank_en):
    text = '"We are ready for the vote now," Day said.'
    segments = [Segment(1, "body", text)]
    rows = quote_rows(segments, [blank_en(text)], [])
    assert [(row.quote, row.speaker) for row in rows] == [("We are ready for the vote now", None)]


@pytest.fixture(scope="module")
def blank_en():
    import spacy

    return spacy.blank("en")


@pytest.mark.parametrize(
    ("speaker", "expected"),
    [
        ("a spokesperson for YouTube", True),
        ("The ministry", True),
        ("Day's animal foundation", True),
        ("Lin", False),
        ("Charles de Gaulle", False),
        ("she", False),
    ],
)
def test_is_description(speaker, expected):
    from analysis.core.speakers import is_description

    assert is_description(speaker) is expected
