"""The pattern ruler: spaCy's SpanRuler's matches, with listed-word patterns run only where
their words are."""

import pytest
from spacy.pipeline import SpanRuler

from analysis.core.entities.patterns import entity_patterns
from analysis.core.entities.ruler import first_token_test, needs_of, pattern_ruler

TEXTS = [
    "Apple's chief executive said the USS Enterprise left at 7:38 pm ET on Tuesday.",
    "Two Boeing 737 jets and an Airbus A320 flew the Apollo 11 route over I-95 and Route 66.",
    "H.R. 25 and Resolution 12 passed; CEO Jane Roe of Acme announced cuts at 10:00 UTC.",
    "Nothing listed here: the rain fell on the town all day.",
    "STS-135 and the space shuttle Atlantis, the Mars rover Curiosity and HMS Victory.",
    "Lee's car was parked outside.",
    "It's 20,000 people in the U.S. and $5 a head.",
    "The F-16 landed after the storm.",
]


def _spans(matches):
    return [(s.start, s.end, s.label_, s.id_) for s in matches]


@pytest.fixture(scope="module")
def rulers(nlp):
    plain = SpanRuler(nlp, spans_key="x", phrase_matcher_attr="LOWER", overwrite=True)
    fast = pattern_ruler()(nlp, spans_key="x", phrase_matcher_attr="LOWER", overwrite=True)
    with nlp.select_pipes(disable=list(nlp.pipe_names)):
        plain.add_patterns(entity_patterns())
        fast.add_patterns(entity_patterns())
    return plain, fast


def test_pattern_ruler_finds_what_spacys_span_ruler_finds(nlp, rulers):
    plain, fast = rulers
    docs = list(nlp.pipe(TEXTS, disable=["newslens_patterns", "newslens_entities"]))
    assert [_spans(fast.match(d)) for d in docs] == [_spans(plain.match(d)) for d in docs]
    assert [sorted({s.id_ for s in fast.match(d)}) for d in docs] == [
        ["acting", "organisation", "organisation_cue", "time_zone", "vehicle"],
        ["code", "mission", "model", "organisation", "road"],
        ["acting", "bill", "organisation_cue", "time_zone"],
        [],
        ["code", "mission", "vehicle"],
        [],
        [],
        ["code"],
    ]


def test_pattern_ruler_keeps_the_patterns_as_the_data_gives_them(rulers):
    plain, fast = rulers
    assert fast.patterns == plain.patterns == entity_patterns()


def test_listed_patterns_run_only_where_their_words_are(nlp, rulers):
    _, fast = rulers
    calls = []
    listed = fast.listed

    class Spy:
        def __call__(self, doc):
            calls.append(doc.text)
            return listed(doc)

    fast.listed = Spy()
    try:
        for text in TEXTS:
            fast.match(nlp.make_doc(text))
    finally:
        fast.listed = listed
    # Words that are neither letters, digits nor punctuation ("It's", "20,000", "U.S.") are
    # no code; "F-16" is.
    assert calls == [TEXTS[0], TEXTS[1], TEXTS[2], TEXTS[4], TEXTS[7]]


def test_a_lower_case_word_list_of_one_token_becomes_phrases(nlp, rulers):
    _, fast = rulers
    doc = nlp.make_doc("Officials SAID and Said it.")
    assert [(s.text, s.id_) for s in fast.match(doc)] == [("SAID", "acting"), ("Said", "acting")]
    assert all("said" not in str(p) for p in fast.matcher._patterns.values())


def test_needs_of_a_pattern_are_its_required_words():
    pattern = [
        {"ORTH": {"IN": ["'s", "’s"]}},
        {"LOWER": "chief", "OP": "?"},
        {"LOWER": {"IN": ["executive", "officer"]}},
        {"IS_TITLE": True, "OP": "+"},
        {"ORTH": "Inc", "OP": "+"},
    ]
    assert needs_of(pattern) == (
        ("ORTH", frozenset({"'s", "’s"})),
        ("LOWER", frozenset({"executive", "officer"})),
        ("ORTH", frozenset({"Inc"})),
    )
    assert needs_of("a phrase") == ()


def test_first_token_test_is_its_expression_and_true_or_false_tests():
    pattern = [{"IS_ALPHA": False, "IS_SPACE": False, "LENGTH": 4, "TEXT": {"REGEX": "^X-\\d$"}}]
    assert first_token_test(pattern) == (
        "ORTH",
        "^X-\\d$",
        (("IS_ALPHA", False), ("IS_SPACE", False)),
    )
    assert first_token_test([{"LOWER": {"REGEX": "^ab"}}, {"ORTH": "c"}]) == ("LOWER", "^ab", ())
    # Not when the first token may be left out, or tests no expression.
    assert first_token_test([{"TEXT": {"REGEX": "^X$"}, "OP": "?"}]) is None
    assert first_token_test([{"LOWER": {"IN": ["a", "b"]}}]) is None
    assert first_token_test("a phrase") is None
