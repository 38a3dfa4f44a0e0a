"""The entity rules that read patterns and the whole article, each on text written here."""

import pytest
import spacy

from analysis import analyze
from analysis.core.article import Segment
from analysis.core.entities import (
    ENTITIES_COMPONENT,
    PATTERNS_COMPONENT,
    add_entity_components,
    article_doc,
    mention_rows,
    mentions_from_doc,
    resolve_article,
    rules_digest,
)


@pytest.fixture(scope="module")
def blank():
    nlp = spacy.blank("en")
    add_entity_components(nlp)
    return nlp


def _doc(blank, text, ents, *, tags=None):
    doc = blank.make_doc(text)
    doc.ents = [
        doc.char_span(text.index(phrase), text.index(phrase) + len(phrase), label=label)
        for phrase, label in ents
    ]
    for token in doc:
        token.is_sent_start = token.i == 0
        if tags is not None:
            token.tag_ = tags.get(token.text, "NNP" if token.text[:1].isupper() else "VBD")
    return blank.get_pipe(PATTERNS_COMPONENT)(doc)


def _found(blank, text, ents, **kwargs):
    rows = mention_rows([Segment(1, "body", text)], [_doc(blank, text, ents, **kwargs)])
    return [(row.text, row.label) for row in rows if row.counted]


def _resolved(blank, text, ents, **kwargs):
    doc = resolve_article(_doc(blank, text, ents, **kwargs))
    return [(ent.text, ent.label_, ent._.canonical) for ent in doc.ents]


def test_vehicle_after_cue_is_a_product(blank):
    text = "Crowds watched the space shuttle Norland land at dawn."
    assert _found(blank, text, [("Norland", "GPE")]) == [("Norland", "PRODUCT")]


def test_ship_with_prefix_found_when_spacy_missed_it(blank):
    text = "Sailors boarded HMS Tenacity at noon."
    assert _found(blank, text, []) == [("HMS Tenacity", "PRODUCT")]


def test_rover_named_before_cue_is_a_product(blank):
    text = "Engineers woke the Pathmark rover on Monday."
    assert _found(blank, text, [("Pathmark", "PERSON")]) == [("Pathmark", "PRODUCT")]


def test_vehicle_named_after_listed_company_is_company_and_craft(blank):
    text = "They checked the SpaceX Starhawk capsule twice."
    assert _found(blank, text, [("SpaceX Starhawk", "PERSON")]) == [
        ("SpaceX", "ORG"),
        ("Starhawk", "PRODUCT"),
    ]


def test_mission_code_is_an_event_not_a_country(blank):
    text = "The crew of STS-9 returned."
    assert _found(blank, text, [("STS-9", "GPE")]) == [("STS-9", "EVENT")]


def test_code_of_letters_and_digits_is_never_a_person(blank):
    text = "The wreck of KX42 was found."
    assert _found(blank, text, [("KX42", "PERSON")]) == [("KX42", "PRODUCT")]


def test_code_taken_for_an_organisation_stays_one(blank):
    text = "The channel TVN24 reported it."
    assert _found(blank, text, [("TVN24", "ORG")]) == [("TVN24", "ORG")]


def test_flight_number_found_as_an_event(blank):
    text = "Relatives of those on Flight 812 met."
    assert _found(blank, text, []) == [("Flight 812", "EVENT")]


def test_bill_number_is_a_law(blank):
    text = "The House passed H.R. 4410 on Friday."
    assert _found(blank, text, [("H.R. 4410", "ORG")]) == [("H.R. 4410", "LAW")]


def test_model_number_is_a_product(blank):
    text = "The airline grounded its Boeing 737 fleet."
    assert _found(blank, text, [("Boeing 737", "ORG")]) == [("Boeing 737", "PRODUCT")]


def test_centre_taken_for_a_person_is_a_facility(blank):
    text = "Visitors filled the Anna Varnholm Center all day."
    assert _found(blank, text, [("Anna Varnholm Center", "PERSON")]) == [
        ("Anna Varnholm Center", "FAC"),
    ]


def test_museum_taken_for_an_organisation_stays_one(blank):
    text = "The Varnholm Museum said it would close."
    assert _found(blank, text, [("Varnholm Museum", "ORG")]) == [("Varnholm Museum", "ORG")]


def test_listed_platform_taken_for_a_person_is_an_organisation(blank):
    text = "Twitter suspended the account on Monday."
    assert _found(blank, text, [("Twitter", "PERSON")]) == [("Twitter", "ORG")]


def test_listed_company_that_acts_is_an_organisation_not_a_place(blank):
    text = "Amazon announced new warehouses."
    assert _found(blank, text, [("Amazon", "LOC")]) == [("Amazon", "ORG")]


def test_listed_company_name_as_a_river_stays_a_place(blank):
    text = "Fires burned along the Amazon for weeks."
    assert _found(blank, text, [("Amazon", "LOC")]) == [("Amazon", "LOC")]


def test_name_with_chief_executive_is_an_organisation(blank):
    text = "Brelco's chief executive resigned."
    assert _found(blank, text, [("Brelco", "PERSON")]) == [("Brelco", "ORG")]


def test_brand_spelling_taken_for_a_person_is_an_organisation(blank):
    text = "Researchers at NetWatcher found the files."
    assert _found(blank, text, [("NetWatcher", "PERSON")]) == [("NetWatcher", "ORG")]


def test_surname_with_inner_capital_stays_a_person(blank):
    text = "Senators heard McArdle on Tuesday."
    assert _found(blank, text, [("McArdle", "PERSON")]) == [("McArdle", "PERSON")]


def test_disease_is_not_a_name(blank):
    text = "Cases of COVID-19 rose in Lagos."
    assert _found(blank, text, [("COVID-19", "PERSON"), ("Lagos", "GPE")]) == [("Lagos", "GPE")]


def test_disease_with_a_common_noun_after_it_is_not_a_name(blank):
    text = "The Ebola outbreak ended."
    assert _found(blank, text, [("Ebola outbreak", "ORG")]) == []


def test_facility_named_after_a_disease_stays_a_name(blank):
    text = "Staff of the Ebola Treatment Centre were tested."
    assert _found(blank, text, [("Ebola Treatment Centre", "ORG")]) == [
        ("Ebola Treatment Centre", "ORG"),
    ]


def test_hashtag_is_not_a_name(blank):
    text = "Posts tagged #FreeVarnholm spread fast."
    assert _found(blank, text, [("FreeVarnholm", "PERSON")]) == []


def test_handle_is_not_a_name(blank):
    text = "She wrote to @varnholm_news about it."
    assert _found(blank, text, [("@varnholm_news", "ORG")]) == []


def test_time_zone_after_a_clock_time_is_not_a_name(blank):
    text = "It landed at 9:54 a.m. ET on Friday."
    assert _found(blank, text, [("ET", "PERSON")]) == []


def test_name_in_another_script_is_shown_not_counted(blank):
    text = "The minister (मंत्री) met Anna Lee."
    doc = _doc(blank, text, [("मंत्री", "PERSON"), ("Anna Lee", "PERSON")])
    rows = mention_rows([Segment(1, "body", text)], [doc])
    assert [(row.text, row.counted) for row in rows] == [("मंत्री", False), ("Anna Lee", True)]


def test_name_does_not_swallow_the_modifier_of_the_next_noun(blank):
    text = "We met Rathbun the Scientology critic in May."
    tags = {"critic": "NN"}
    found = _found(blank, text, [("Rathbun the Scientology", "PERSON")], tags=tags)
    assert found == [("Rathbun", "PERSON"), ("Scientology", "ORG")]


def test_epithet_before_a_verb_stays_in_the_name(blank):
    text = "We read how Ivan the Terrible ruled."
    tags = {"ruled": "VBD"}
    found = _found(blank, text, [("Ivan the Terrible", "PERSON")], tags=tags)
    assert found == [("Ivan the Terrible", "PERSON")]


def test_later_bare_surname_is_the_person(blank):
    text = "Mark Varnholm left the group. Then Varnholm said it was over."
    assert _resolved(blank, text, [("Mark Varnholm", "PERSON")]) == [
        ("Mark Varnholm", "PERSON", "Mark Varnholm"),
        ("Varnholm", "PERSON", "Mark Varnholm"),
    ]


def test_bare_surname_of_two_people_is_left_alone(blank):
    text = "Ann Varnholm and Bob Varnholm met. Varnholm said no."
    ents = [("Ann Varnholm", "PERSON"), ("Bob Varnholm", "PERSON")]
    assert [found[0] for found in _resolved(blank, text, ents)] == ["Ann Varnholm", "Bob Varnholm"]


def test_surname_that_is_a_common_word_is_left_alone(blank):
    text = "Ann Brown ate. The brown bag fell. Brown said so."
    assert [found[0] for found in _resolved(blank, text, [("Ann Brown", "PERSON")])] == [
        "Ann Brown"
    ]


def test_surname_inside_another_name_is_left_alone(blank):
    text = "Mark Varnholm spoke. The Varnholm Trust paid."
    assert [found[0] for found in _resolved(blank, text, [("Mark Varnholm", "PERSON")])] == [
        "Mark Varnholm"
    ]


def test_components_added_after_ner(nlp):
    names = nlp.pipe_names
    assert names[names.index("ner") + 1 : names.index("ner") + 3] == [
        PATTERNS_COMPONENT,
        ENTITIES_COMPONENT,
    ]


def test_nlp_call_sets_corrected_entities_and_canonical_names(nlp):
    doc = nlp("Senator Ann Varnholm spoke in Oslo.\n\nLater, Varnholm left.")
    assert [(ent.text, ent.label_, ent._.canonical) for ent in doc.ents] == [
        ("Ann Varnholm", "PERSON", "Ann Varnholm"),
        ("Oslo", "GPE", "Oslo"),
        ("Varnholm", "PERSON", "Ann Varnholm"),
    ]


def test_displacy_shows_the_corrected_entities(nlp):
    from spacy import displacy

    html = displacy.render(nlp("Twitter suspended the account."), style="ent")
    assert "Twitter" in html and "ORG" in html and "PERSON" not in html


def test_analysis_rows_are_read_from_the_article_doc(nlp, sample_analysis):
    segments = sample_analysis.segments
    docs = list(nlp.pipe([s.text for s in segments], disable=[ENTITIES_COMPONENT]))
    doc = article_doc(segments, docs, nlp=nlp)
    assert mentions_from_doc(doc) == list(sample_analysis.mention_rows)


def test_user_aliases_reach_the_article_component(nlp):
    result = analyze(
        "Brelco Wins\n\nBrelco Holdings grew. Analysts at Brelco Holdings agreed.",
        nlp=nlp,
        options=__import__("analysis").AnalysisOptions(
            entity_aliases=(("Brelco Holdings", "Brelco Group"),)
        ),
    )
    assert "Brelco Group" in result.entities["entity"].tolist()


def test_rules_digest_is_a_sha256_of_the_data():
    digest = rules_digest()
    assert len(digest) == 64 and int(digest, 16) >= 0
