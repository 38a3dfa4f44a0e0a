"""Sentiment toward each entity: the sentences that mention it and what they say.

An entity's sentences are those holding at least one of its mentions (after alias resolution:
grouped by the mention table's canonical ``entity``); a mention belongs to the sentence whose
``[start, end)`` contains its start. Each sentence is scored with every entity name in it
replaced by a neutral placeholder: names are not opinions, yet a lexicon reads "Trump",
"Love" or "Justice Department" as sentiment words. All entities of one sentence therefore get
that sentence's score without names; an entity's score is the mean over its sentences.

Only names count (:data:`analysis.core.entities.NAME_LABELS`); dates, numbers and amounts do not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy
import pandas as pd

from analysis.core.entities import NAME_LABELS
from analysis.core.schema import (
    EntitySentenceRow,
    EntitySentimentRow,
    MentionRow,
    SentenceRow,
    frame,
)
from analysis.core.sentiment import (
    DEFAULT_BAND,
    DEFAULT_MODEL,
    MODELS,
    SCORE_COLUMN,
    score_text,
    sentiment_label,
)

#: The word each word of a name becomes before scoring; in no lexicon.
PLACEHOLDER = "_"


#: entity, type, paragraph, sentence, text, mentions, polarity, vader, assessments,
#: vader_assessments (see :class:`EntitySentenceRow`). Sorted by paragraph, sentence, entity.
ENTITY_SENTENCE_COLUMNS = EntitySentenceRow._fields

#: entity, type, mentions, sentences, score, label, polarity, vader (see
#: :class:`EntitySentimentRow`). Sorted by mentions descending, then entity and type.
ENTITY_SENTIMENT_COLUMNS = EntitySentimentRow._fields


def without_names(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with each word inside the ``[start, end)`` spans replaced by
    :data:`PLACEHOLDER`.

    One placeholder per word keeps the word distances VADER's negation and booster rules
    count in.
    """
    chars = list(text)
    for start, end in spans:
        for k in range(max(start, 0), min(end, len(text))):
            if chars[k].isspace():
                continue
            chars[k] = PLACEHOLDER if k == start or text[k - 1].isspace() else ""
    return "".join(chars)


def entity_sentence_rows(
    mentions: Iterable[MentionRow], sentences: Iterable[SentenceRow]
) -> list[EntitySentenceRow]:
    """The rows of :func:`entity_sentences`, from the rows behind its two tables (the
    analysis builds them this way, without a DataFrame per article)."""
    by_paragraph: dict[int, list[tuple[int, int, str, str]]] = defaultdict(list)
    for mention in mentions:
        # A nationality word used as a modifier is no entity mention.
        if mention.label in NAME_LABELS and mention.counted:
            by_paragraph[int(mention.paragraph)].append(
                (int(mention.start), int(mention.end), str(mention.label), str(mention.entity))
            )
    rows = []
    for sentence in sentences:
        paragraph, number, start, end, text = sentence[:5]
        inside = [m for m in by_paragraph.get(int(paragraph), ()) if start <= m[0] < end]
        if not inside:
            continue
        score = score_text(without_names(text, [(m[0] - start, m[1] - start) for m in inside]))
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for _, _, label, entity in inside:
            counts[(entity, label)] += 1
        for (entity, label), count in sorted(counts.items()):
            rows.append(
                EntitySentenceRow(
                    entity,
                    label,
                    int(paragraph),
                    int(number),
                    text,
                    count,
                    score.polarity,
                    score.vader,
                    list(score.assessments),
                    list(score.vader_assessments),
                )
            )
    return rows


def entity_sentences(mentions: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Every sentence that mentions each named entity, scored without the names in it.

    Args:
        mentions: a table of :data:`analysis.core.entities.MENTION_COLUMNS`.
        sentences: a table of :data:`analysis.core.sentiment.SENTENCE_COLUMNS` for the same text.

    Returns:
        A DataFrame of :data:`ENTITY_SENTENCE_COLUMNS`, one row per (sentence, entity), the
        same columns when nothing is mentioned.
    """
    columns = list(MentionRow._fields)
    if "counted" not in mentions:
        mentions = mentions.assign(counted=True)
    mention_rows = [
        MentionRow(*values) for values in zip(*(mentions[c] for c in columns), strict=True)
    ]
    sentence_rows = zip(
        sentences["paragraph"],
        sentences["sentence"],
        sentences["start"],
        sentences["end"],
        sentences["text"],
        strict=True,
    )
    return _sentence_frame(entity_sentence_rows(mention_rows, sentence_rows))


def _sentence_frame(rows: list[EntitySentenceRow]) -> pd.DataFrame:
    return frame(rows, EntitySentenceRow)


def _check_model(model: str) -> None:
    if model not in MODELS:
        raise ValueError(f"unknown sentiment model {model!r}; choose one of {', '.join(MODELS)}")


def entity_scores(
    scored: pd.DataFrame, *, model: str = DEFAULT_MODEL, band: float = DEFAULT_BAND
) -> pd.DataFrame:
    """The sentiment toward each entity from :func:`entity_sentences`' table (no rescoring, so
    another model or band costs nothing).

    Raises:
        ValueError: ``model`` is not one of :data:`analysis.core.sentiment.MODELS`.

    Returns:
        A DataFrame of :data:`ENTITY_SENTIMENT_COLUMNS`.
    """
    columns = ("entity", "type", "mentions", "polarity", "vader")
    return frame(
        entity_score_rows(zip(*(scored[c] for c in columns), strict=True), model=model, band=band),
        EntitySentimentRow,
    )


def entity_score_rows(
    scored: Iterable[tuple[str, str, int, float, float]],
    *,
    model: str = DEFAULT_MODEL,
    band: float = DEFAULT_BAND,
) -> list[EntitySentimentRow]:
    """The rows of :func:`entity_scores` from ``(entity, type, mentions, polarity, vader)``
    per scored sentence (a batch builds them without a DataFrame per article). An entity's
    score is the mean over its sentences, summed as pandas sums (numpy's sum)."""
    _check_model(model)
    groups: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for entity, kind, mentions, polarity, vader in scored:
        groups[(entity, kind)].append((mentions, polarity, vader))
    rows = []
    for (entity, kind), group in groups.items():
        count = numpy.float64(len(group))
        polarity = float(numpy.array([g[1] for g in group], dtype="float64").sum() / count)
        vader = float(numpy.array([g[2] for g in group], dtype="float64").sum() / count)
        score = vader if SCORE_COLUMN[model] == "vader" else polarity
        rows.append(
            EntitySentimentRow(
                entity,
                kind,
                int(sum(int(g[0]) for g in group)),
                len(group),
                score,
                sentiment_label(score, band=band),
                polarity,
                vader,
            )
        )
    rows.sort(key=lambda row: (-row.mentions, row.entity, row.type))
    return rows


def entity_sentiment(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    model: str = DEFAULT_MODEL,
    band: float = DEFAULT_BAND,
) -> pd.DataFrame:
    """The sentiment toward each named entity: the mean score of the sentences that mention it.

    Args:
        mentions: a table of :data:`analysis.core.entities.MENTION_COLUMNS`.
        sentences: a table of :data:`analysis.core.sentiment.SENTENCE_COLUMNS` for the same text.
        model: ``vader`` or ``textblob``: which mean becomes ``score`` and ``label``.
        band: the neutral band for ``label``.

    Raises:
        ValueError: ``model`` is not one of :data:`analysis.core.sentiment.MODELS`.

    Returns:
        A DataFrame of :data:`ENTITY_SENTIMENT_COLUMNS`, sorted by mentions descending, then
        entity; the same columns when nothing is mentioned.
    """
    _check_model(model)
    return entity_scores(entity_sentences(mentions, sentences), model=model, band=band)
