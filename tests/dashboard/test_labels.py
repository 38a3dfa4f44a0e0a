"""The names a reader sees for the analysis's codes: models, entity types, paragraphs."""

from analysis.core.article import parse_article
from analysis.core.entities import NAME_LABELS, NUMERIC_LABELS
from analysis.core.sentiment import MODELS
from dashboard.labels import (
    DEFAULT_TYPES,
    ENTITY_TYPES,
    MODEL_LABELS,
    paragraph_label,
    paragraph_name,
    paragraph_number,
    removed_numbers,
    type_help,
    type_name,
)


def test_model_labels_name_every_model_in_order():
    assert list(MODEL_LABELS.items()) == [("vader", "VADER"), ("textblob", "TextBlob")]
    assert tuple(MODEL_LABELS) == MODELS


def test_entity_types_are_every_type_the_analysis_gives():
    assert (len(ENTITY_TYPES), set(ENTITY_TYPES)) == (18, set(NAME_LABELS) | set(NUMERIC_LABELS))


def test_entity_types_list_names_before_numbers():
    assert ENTITY_TYPES[:11] == NAME_LABELS
    assert ENTITY_TYPES[11:] == (
        "DATE",
        "TIME",
        "PERCENT",
        "MONEY",
        "QUANTITY",
        "ORDINAL",
        "CARDINAL",
    )


def test_default_types_are_the_names():
    assert DEFAULT_TYPES == (
        "PERSON",
        "NORP",
        "FAC",
        "ORG",
        "GPE",
        "LOC",
        "PRODUCT",
        "EVENT",
        "WORK_OF_ART",
        "LAW",
        "LANGUAGE",
    )


def test_type_name_and_help():
    assert [type_name("GPE"), type_help("GPE"), type_name("ALIEN"), type_help("ALIEN")] == [
        "Countries, cities (GPE)",
        "countries, cities, states",
        "ALIEN",
        "",
    ]


def test_paragraph_label_headline_body_removed():
    assert [paragraph_label(n, removed=[9]) for n in (0, 3, 9)] == ["H", "3", "R9"]


def test_paragraph_number_reads_every_label_back():
    assert [paragraph_number(label) for label in ("H", "3", "R9", 7, "Rx", "")] == [
        0,
        3,
        9,
        7,
        None,
        None,
    ]


def test_paragraph_name_headline_body_removed():
    assert [paragraph_name(n, removed=[9]) for n in (0, 3, 9)] == [
        "the headline",
        "paragraph 3",
        "removed line R9",
    ]


def test_removed_numbers_follow_the_body():
    article = parse_article(
        "Harbour Talks Resume\n\nThe harbour in Tromso closed on Thursday for repairs.\n\n"
        "Ferries were sent to a smaller quay.\n\nShare this article"
    )
    removed = [line.text for line in article.removed]
    assert (removed, removed_numbers(article)) == (["Share this article"], [3])
