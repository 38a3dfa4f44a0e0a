"""Every table NewsLens produces, defined once: one ``typing.NamedTuple`` per row type, its
column names (``Row._fields``), its dtypes, and how paragraphs are numbered.

Paragraph numbering, the same in every table, the app and the corpus store:

- ``0`` is the headline (when the article has one);
- ``1..n`` are the body paragraphs, in order;
- ``n+1..`` are the lines the cleaner removed, in input order, numbered after the body (shown
  as "R9" and so on), so that a reader who disagrees with the cleaner can analyse them too.

Subheadings are shown but neither numbered nor analysed (:class:`analysis.core.article.Subheading`).

Modules build rows of these types and frames with :func:`frame`, which gives the same columns
and dtypes for no rows; nothing reads a row by position across modules.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

import pandas as pd

#: The headline's paragraph number.
HEADLINE = 0


def paragraph_label(paragraph: int, kind: str) -> str:
    """How the text, the charts and the tables name a paragraph: "H" for the headline, "R9"
    for removed line 9, "3" for body paragraph 3."""
    if kind == "headline":
        return "H"
    if kind == "removed":
        return f"R{paragraph}"
    return str(paragraph)


class TokenRow(NamedTuple):
    """One spaCy token of an analysed segment."""

    paragraph: int  #: see the module docstring
    token: int  #: index in the segment
    sentence: int  #: sentence index in the segment, from 0
    start: int  #: character offset in the segment's text
    end: int
    text: str  #: as written
    norm: str  #: case-folded
    lemma: str  #: case-folded lemma (the case-folded text when the pipeline has no lemmatizer)
    is_stop: bool  #: on spaCy's English stop list
    is_word: bool  #: has a letter; not punctuation, a number, a space or a clitic ("’s")


class WordRow(NamedTuple):
    """A counted term: a case-folded word or lemma, or an n-gram joined by one space."""

    term: str
    count: int


class ContextRow(NamedTuple):
    """One occurrence in context (keyword in context)."""

    paragraph: int
    start: int
    end: int
    left: str
    match: str
    right: str


class ParagraphRow(NamedTuple):
    """The sentiment of one segment (headline, body paragraph or removed line)."""

    paragraph: int
    kind: str  #: "headline", "body" or "removed"
    text: str
    polarity: float  #: TextBlob polarity, -1..1
    subjectivity: float  #: TextBlob subjectivity, 0..1
    vader: float  #: VADER compound score, -1..1
    label: str  #: TextBlob's label at the default neutral band
    vader_label: str  #: VADER's label at the default neutral band
    words: int  #: word tokens
    sentences: int  #: scored sentences (0 when sentences were not scored)
    assessments: list  #: TextBlob's {"words", "polarity", "subjectivity"}
    vader_assessments: list  #: VADER's {"words", "valence"}
    disagree: bool  #: the two labels differ


class SentenceRow(NamedTuple):
    """The sentiment of one sentence."""

    paragraph: int
    sentence: int  #: index within the paragraph, from 0 (shown from 1)
    start: int  #: character offsets in the paragraph's text
    end: int
    text: str
    polarity: float
    subjectivity: float
    vader: float
    label: str
    vader_label: str
    assessments: list
    vader_assessments: list
    disagree: bool


class ToneRow(NamedTuple):
    """An article's overall tone under one model, over its body paragraphs."""

    model: str
    mean: float
    spread: float  #: standard deviation over body paragraphs (0 for one)
    positive: int  #: body paragraphs with that label
    neutral: int
    negative: int
    paragraphs: int


class MentionRow(NamedTuple):
    """One mention of a named entity, number, date or amount."""

    paragraph: int
    start: int  #: offsets in the paragraph's text: ``text[start:end] == mention``
    end: int
    text: str  #: as written
    label: str  #: spaCy type, made consistent per entity
    entity: str  #: canonical name
    counted: bool = True  #: False for a nationality word used as a modifier ("American officials")


class EntityRow(NamedTuple):
    """How often one entity is mentioned."""

    entity: str
    label: str
    count: int  #: counted mentions
    paragraphs: int  #: distinct paragraphs


class QuoteRow(NamedTuple):
    """One direct quotation."""

    paragraph: int
    start: int  #: offsets of the quoted text, marks excluded: ``text[start:end] == quote``
    end: int
    quote: str
    speaker: str | None  #: as written ("Lin", "a spokesperson", "she"), or None
    speaker_start: int | None  #: offsets of the speaker in the same paragraph, or None
    speaker_end: int | None
    entity: str | None  #: the canonical entity the speaker resolves to, or None
    words: int  #: words quoted


class SpeakerRow(NamedTuple):
    """Who is quoted, and how much."""

    speaker: str  #: the entity when the speaker resolves to one, else as written
    entity: str | None
    quotes: int
    words: int
    paragraphs: int


class EntitySentenceRow(NamedTuple):
    """One sentence that mentions one entity, scored without the names in it."""

    entity: str  #: canonical name
    type: str  #: entity type (PERSON, ORG, GPE, ...)
    paragraph: int
    sentence: int  #: index within the paragraph
    text: str  #: the sentence as written
    mentions: int  #: the entity's mentions in this sentence
    polarity: float  #: TextBlob polarity of the sentence without names
    vader: float  #: VADER compound score of the sentence without names
    assessments: list  #: TextBlob's {"words", "polarity", "subjectivity"}
    vader_assessments: list  #: VADER's {"words", "valence"}


class EntitySentimentRow(NamedTuple):
    """The sentiment toward one entity over all the sentences that mention it."""

    entity: str
    type: str
    mentions: int  #: mentions in the scored sentences
    sentences: int  #: sentences that mention it
    score: float  #: mean score of those sentences under the chosen model
    label: str  #: positive / neutral / negative for ``score`` and the band
    polarity: float  #: mean TextBlob polarity of those sentences
    vader: float  #: mean VADER compound score of those sentences


#: Column dtypes per row type; columns not listed are ``object``.
DTYPES: dict[type, dict[str, str]] = {
    TokenRow: {
        "paragraph": "int64",
        "token": "int64",
        "sentence": "int64",
        "start": "int64",
        "end": "int64",
        "is_stop": "bool",
        "is_word": "bool",
    },
    WordRow: {"count": "int64"},
    ContextRow: {"paragraph": "int64", "start": "int64", "end": "int64"},
    ParagraphRow: {
        "paragraph": "int64",
        "polarity": "float64",
        "subjectivity": "float64",
        "vader": "float64",
        "words": "int64",
        "sentences": "int64",
        "disagree": "bool",
    },
    SentenceRow: {
        "paragraph": "int64",
        "sentence": "int64",
        "start": "int64",
        "end": "int64",
        "polarity": "float64",
        "subjectivity": "float64",
        "vader": "float64",
        "disagree": "bool",
    },
    ToneRow: {
        "mean": "float64",
        "spread": "float64",
        "positive": "int64",
        "neutral": "int64",
        "negative": "int64",
        "paragraphs": "int64",
    },
    MentionRow: {"paragraph": "int64", "start": "int64", "end": "int64", "counted": "bool"},
    EntityRow: {"count": "int64", "paragraphs": "int64"},
    QuoteRow: {
        "paragraph": "int64",
        "start": "int64",
        "end": "int64",
        "speaker_start": "Int64",
        "speaker_end": "Int64",
        "words": "int64",
    },
    SpeakerRow: {"quotes": "int64", "words": "int64", "paragraphs": "int64"},
    EntitySentenceRow: {
        "paragraph": "int64",
        "sentence": "int64",
        "mentions": "int64",
        "polarity": "float64",
        "vader": "float64",
    },
    EntitySentimentRow: {
        "mentions": "int64",
        "sentences": "int64",
        "score": "float64",
        "polarity": "float64",
        "vader": "float64",
    },
}


def frame(rows: Iterable[tuple], row_type: type) -> pd.DataFrame:
    """A DataFrame of ``row_type``'s columns and dtypes; the same columns for no rows.

    Built column by column, so that a missing value stays None in an object column (a frame
    built from rows turns it into NaN).
    """
    rows = list(rows)
    names = row_type._fields
    dtypes = DTYPES.get(row_type, {})
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    return pd.DataFrame(
        {
            name: pd.Series(list(values), dtype=dtypes.get(name, "object"))
            for name, values in zip(names, columns, strict=True)
        }
    )


class ErrorRow(NamedTuple):
    """A document that could not be analysed."""

    document: str
    reason: str
    at: datetime | None = None  # now, when None
