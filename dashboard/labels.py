"""How the dashboard names the analysis's codes for a reader, in one place: the sentiment
models, the entity types, and paragraph numbers ("H", "3", "R9").

The codes and the numbering are the analysis's (:mod:`analysis.core.sentiment`,
:mod:`analysis.core.entities`, :mod:`analysis.core.schema`); this module only words them.
Pure: no Streamlit.
"""

from __future__ import annotations

from collections.abc import Collection

from analysis.core.article import Article
from analysis.core.entities import NAME_LABELS
from analysis.core.schema import HEADLINE
from analysis.core.schema import paragraph_label as _label_of_kind
from analysis.core.sentiment import MODELS

#: Each sentiment model (:data:`analysis.core.sentiment.MODELS`) by its name.
MODEL_LABELS = dict(zip(MODELS, ("VADER", "TextBlob"), strict=True))

#: spaCy's entity types in words a reader knows: (short name, what it covers), in the order
#: the pickers list them (names first, then numbers, dates and amounts).
ENTITY_TYPE_NAMES = {
    "PERSON": ("People", "people, real or fictional"),
    "NORP": ("Groups", "nationalities, religious and political groups"),
    "FAC": ("Facilities", "buildings, airports, roads, bridges"),
    "ORG": ("Organisations", "companies, agencies, institutions, parties"),
    "GPE": ("Countries, cities", "countries, cities, states"),
    "LOC": ("Other places", "regions, mountains, rivers, seas"),
    "PRODUCT": ("Products", "objects, vehicles, software, foods"),
    "EVENT": ("Events", "named wars, storms, elections, sports events"),
    "WORK_OF_ART": ("Titles", "books, songs, films and other works"),
    "LAW": ("Laws", "named laws, treaties and documents"),
    "LANGUAGE": ("Languages", "named languages"),
    "DATE": ("Dates", "dates and periods"),
    "TIME": ("Times", "times of day"),
    "PERCENT": ("Percentages", "percentages"),
    "MONEY": ("Money", "amounts of money"),
    "QUANTITY": ("Quantities", "measurements, weights, distances"),
    "ORDINAL": ("Ordinals", "first, second, ..."),
    "CARDINAL": ("Numbers", "other numbers"),
}
#: Every entity type the analysis gives (:data:`analysis.core.entities.NAME_LABELS` and
#: :data:`~analysis.core.entities.NUMERIC_LABELS`), in the pickers' order.
ENTITY_TYPES = tuple(ENTITY_TYPE_NAMES)
#: The types counted unless others are chosen: the names.
DEFAULT_TYPES = NAME_LABELS


def type_name(label: str) -> str:
    """ "GPE" -> "Countries, cities (GPE)"; an unknown label as it is."""
    name = ENTITY_TYPE_NAMES.get(label)
    return f"{name[0]} ({label})" if name else label


def type_help(label: str) -> str:
    """ "GPE" -> "countries, cities, states"; "" for an unknown label."""
    name = ENTITY_TYPE_NAMES.get(label)
    return name[1] if name else ""


def removed_numbers(article: Article) -> list[int]:
    """The paragraph numbers of the lines the cleaner removed, whether or not they are
    analysed, as :meth:`analysis.core.article.Article.segments` numbers them (after the body:
    R9, R10, ... for an article of 8 paragraphs).

    Returns:
        the numbers, in input order.
    """
    return [s.index for s in article.segments(include_removed=True) if s.kind == "removed"]


def paragraph_label(number: int, *, removed: Collection[int] = ()) -> str:
    """A paragraph as the article panel, the charts and the tables number it
    (:func:`analysis.core.schema.paragraph_label`): "H" for the headline, "R9" for a number
    in ``removed``, "3" for body paragraph 3."""
    kind = "headline" if number == HEADLINE else "removed" if number in removed else "body"
    return _label_of_kind(number, kind)


def paragraph_number(label: object) -> int | None:
    """The paragraph a label of :func:`paragraph_label` names ("H" -> 0, "R9" -> 9, "3" -> 3).

    Returns:
        the number, or None for text that is no such label.
    """
    text = str(label)
    text = str(HEADLINE) if text == "H" else text.removeprefix("R")
    return int(text) if text.isdigit() else None


def paragraph_name(number: int, *, removed: Collection[int] = ()) -> str:
    """A paragraph named in a sentence: "the headline", "removed line R9" (for a number in
    ``removed``) or "paragraph 3"."""
    if number == HEADLINE:
        return "the headline"
    if number in removed:
        return f"removed line {paragraph_label(number, removed=removed)}"
    return f"paragraph {number}"
