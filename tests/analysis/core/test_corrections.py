"""A reader's corrections: applied to the rows of an analysis, and written as link text."""

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import analyze
from analysis.core.corrections import (
    Correction,
    CorrectionError,
    apply_corrections,
    correction,
    corrections_for,
    format_corrections,
    parse_corrections,
)
from analysis.core.schema import EntitySentenceRow, MentionRow, QuoteRow
from analysis.errors import ArticleError

MENTIONS = (
    MentionRow(1, 0, 12, "Mark Rathbun", "PERSON", "Mark Rathbun"),
    MentionRow(1, 18, 29, "Scientology", "GPE", "Scientology"),
    MentionRow(2, 0, 7, "Rathbun", "ORG", "Rathbun"),
    MentionRow(2, 20, 31, "Scientology", "ORG", "Scientology"),
    MentionRow(3, 3, 6, "Day", "PERSON", "Day"),
)
QUOTES = (
    QuoteRow(2, 40, 60, "It will fail soon now", "Rathbun", 0, 7, "Rathbun", 5),
    QuoteRow(3, 10, 30, "We are not done yet", "Day", 3, 6, "Day", 5),
)
SENTENCES = (
    EntitySentenceRow("Mark Rathbun", "PERSON", 1, 0, "s1", 1, 0.0, 0.1, [], []),
    EntitySentenceRow("Scientology", "GPE", 1, 0, "s1", 1, 0.0, 0.1, [], []),
    EntitySentenceRow("Rathbun", "ORG", 2, 0, "s2", 1, 0.0, -0.2, [], []),
    EntitySentenceRow("Scientology", "ORG", 2, 0, "s2", 1, 0.0, -0.2, [], []),
    EntitySentenceRow("Day", "PERSON", 3, 0, "s3", 1, 0.0, 0.0, [], []),
)


@pytest.fixture(scope="module")
def base(nlp):
    result = analyze("Notes\n\nA short text.", nlp=nlp)
    return dataclasses.replace(
        result, mention_rows=MENTIONS, quote_rows=QUOTES, entity_sentence_rows=SENTENCES
    )


def test_merge_moves_mentions_to_the_target_with_its_type(base):
    fixed = apply_corrections(base, [correction("merge", "Rathbun", "Mark Rathbun")])
    assert [(row.text, row.label, row.entity) for row in fixed.mention_rows[:3]] == [
        ("Mark Rathbun", "PERSON", "Mark Rathbun"),
        ("Scientology", "GPE", "Scientology"),
        ("Rathbun", "PERSON", "Mark Rathbun"),
    ]


def test_merge_counts_follow(base):
    fixed = apply_corrections(base, [correction("merge", "Rathbun", "Mark Rathbun")])
    assert [(row.entity, row.label, row.count) for row in fixed.entity_rows][:1] == [
        ("Mark Rathbun", "PERSON", 2)
    ]


def test_merge_moves_quotes_and_speakers(base):
    fixed = apply_corrections(base, [correction("merge", "Rathbun", "Mark Rathbun")])
    assert fixed.speakers["speaker"].tolist() == ["Day", "Mark Rathbun"]
    assert fixed.quote_rows[0].entity == "Mark Rathbun"


def test_merge_moves_entity_sentences(base):
    fixed = apply_corrections(base, [correction("merge", "Rathbun", "Mark Rathbun")])
    rathbun = [
        (r.paragraph, r.type) for r in fixed.entity_sentence_rows if r.entity == "Mark Rathbun"
    ]
    assert rathbun == [(1, "PERSON"), (2, "PERSON")]


def test_label_sets_one_type(base):
    fixed = apply_corrections(base, [correction("label", "Scientology", "ORG")])
    assert [
        (row.entity, row.label, row.count)
        for row in fixed.entity_rows
        if row.entity == "Scientology"
    ] == [("Scientology", "ORG", 2)]


def test_label_changes_entity_sentence_types(base):
    fixed = apply_corrections(base, [correction("label", "Scientology", "ORG")])
    assert {r.type for r in fixed.entity_sentence_rows if r.entity == "Scientology"} == {"ORG"}


def test_ignore_removes_mentions_counts_and_sentences(base):
    fixed = apply_corrections(base, [correction("ignore", "Day")])
    assert "Day" not in {row.entity for row in fixed.mention_rows}
    assert "Day" not in {row.entity for row in fixed.entity_rows}
    assert "Day" not in {row.entity for row in fixed.entity_sentence_rows}


def test_ignore_unattributes_a_quote_said_by_the_name(base):
    fixed = apply_corrections(base, [correction("ignore", "Day")])
    assert fixed.quote_rows[1] == QuoteRow(
        3, 10, 30, "We are not done yet", None, None, None, None, 5
    )


def test_corrections_leave_the_stored_rows_alone(base):
    apply_corrections(
        base, [correction("ignore", "Day"), correction("label", "Scientology", "ORG")]
    )
    assert base.mention_rows == MENTIONS and base.quote_rows == QUOTES


def test_corrections_apply_in_order(base):
    fixed = apply_corrections(
        base,
        [
            correction("merge", "Rathbun", "Mark Rathbun"),
            correction("label", "Mark Rathbun", "ORG"),
        ],
    )
    assert {row.label for row in fixed.mention_rows if row.entity == "Mark Rathbun"} == {"ORG"}


def test_corrections_for_keeps_those_bearing_on_the_names_in_order():
    corpus = (
        correction("merge", "Rathbun", "Mark Rathbun"),
        correction("label", "Mark Rathbun", "PERSON"),
        correction("ignore", "Day"),
        correction("label", "Scientology", "ORG"),
        correction("merge", "Mark Rathbun", "M. Rathbun"),
        correction("label", "Rathbun", "ORG"),
    )
    assert corrections_for(["Rathbun", "Gaza"], corpus) == (
        correction("merge", "Rathbun", "Mark Rathbun"),
        correction("label", "Mark Rathbun", "PERSON"),
        correction("merge", "Mark Rathbun", "M. Rathbun"),
    )
    assert corrections_for(["Day", "Scientology"], corpus) == (
        correction("ignore", "Day"),
        correction("label", "Scientology", "ORG"),
    )
    assert corrections_for(["Cairo"], corpus) == ()


def test_no_corrections_is_the_same_analysis(base):
    assert apply_corrections(base, []) is base


def test_format_corrections_text():
    text = format_corrections(
        [
            correction("merge", "Rathbun", "Mark Rathbun"),
            correction("label", "Scientology", "ORG"),
            correction("ignore", "Day"),
        ]
    )
    assert text == "m:Rathbun:Mark%20Rathbun,l:Scientology:ORG,i:Day"


def test_parse_corrections_text():
    assert parse_corrections("m:Rathbun:Mark%20Rathbun,i:Day") == (
        Correction("merge", "Rathbun", "Mark Rathbun"),
        Correction("ignore", "Day", None),
    )


def test_parse_corrections_empty_text_is_none():
    assert parse_corrections("  ") == ()


def test_parse_corrections_unknown_kind_is_refused():
    with pytest.raises(CorrectionError, match="cannot be read"):
        parse_corrections("x:Day")


def test_parse_corrections_label_must_be_a_type():
    with pytest.raises(CorrectionError, match="not an entity type"):
        parse_corrections("l:Day:FRUIT")


def test_parse_corrections_bad_encoding_is_refused():
    with pytest.raises(CorrectionError, match="cannot be read"):
        parse_corrections("i:%FF")


def test_parse_corrections_too_many_are_refused():
    with pytest.raises(CorrectionError, match="at most 100"):
        parse_corrections(",".join(["i:Day"] * 101))


def test_correction_merge_into_itself_is_refused():
    with pytest.raises(CorrectionError, match="into itself"):
        correction("merge", "Day", "Day")


def test_correction_error_is_an_article_error():
    assert issubclass(CorrectionError, ArticleError)


NAMES = st.text(min_size=1, max_size=40).filter(
    lambda s: s.split() and len(" ".join(s.split())) <= 200
)
LABELS = st.sampled_from(["PERSON", "ORG", "GPE", "NORP", "EVENT"])
CORRECTIONS = st.one_of(
    st.tuples(NAMES, NAMES)
    .filter(lambda p: " ".join(p[0].split()) != " ".join(p[1].split()))
    .map(lambda p: correction("merge", p[0], p[1])),
    st.tuples(NAMES, LABELS).map(lambda p: correction("label", p[0], p[1])),
    NAMES.map(lambda name: correction("ignore", name)),
)


@given(st.lists(CORRECTIONS, max_size=8))
def test_text_form_round_trips(corrections):
    text = format_corrections(corrections)
    assert parse_corrections(text) == tuple(corrections)


@given(st.lists(CORRECTIONS, max_size=8))
def test_text_form_is_url_safe(corrections):
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%:,")
    assert set(format_corrections(corrections)) <= allowed


@given(
    st.one_of(
        st.text(max_size=300),
        st.lists(st.sampled_from(["m", "l", "i", ":", ",", "%", "FF", "C3", "ORG", "x"])).map(
            "".join
        ),
    )
)
def test_parse_corrections_hostile_text_raises_only_correction_error(text):
    try:
        parsed = parse_corrections(text)
    except CorrectionError:
        return
    assert all(isinstance(item, Correction) for item in parsed)
