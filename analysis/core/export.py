"""Plain records for JSON and CSV output, shared by the command line and the app's downloads."""

from __future__ import annotations

import math

import pandas as pd

from analysis.core.pipeline import ArticleAnalysis
from analysis.core.quotes import speaker_rows
from analysis.core.sentiment import (
    DEFAULT_BAND,
    DEFAULT_MODEL,
    labelled,
    sentiment_label,
    tone_rows,
)
from analysis.core.stance import entity_score_rows, entity_scores

#: The CSV tables the command line and the app can write.
TABLES = (
    "words",
    "entities",
    "paragraphs",
    "mentions",
    "sentences",
    "removed",
    "quotes",
    "speakers",
    "entity-sentiment",
    "entity-sentences",
    "tone",
    "subheadings",
)


def _round(value: float) -> float:
    return 0.0 if math.isnan(value) else round(float(value), 4)


def analysis_record(
    result: ArticleAnalysis,
    *,
    id: str,  # noqa: A002
    sentences: bool = False,
    model: str = DEFAULT_MODEL,
    band: float = DEFAULT_BAND,
) -> dict:
    """The JSON object for one document.

    Keys: ``id``, ``title``, ``author``, ``published``, ``source``, ``sentiment`` (the ``model``
    and neutral ``band`` the labels use), ``tone`` (per model: ``model``, ``mean``, ``spread``,
    ``positive``, ``neutral``, ``negative``, ``paragraphs``), ``headline`` (the headline's
    sentiment, or None), ``paragraphs`` (body paragraphs: ``index``, ``text``, ``polarity``,
    ``subjectivity``, ``vader``, ``label`` (under ``model``), ``textblob_label``,
    ``vader_label``, ``disagree``), ``subheadings`` (``before``, ``text``), ``words``
    (``term``, ``count``), ``entities`` (``text``, ``label``, ``count``: names only unless the
    analysis was asked for other types), ``mentions`` (``paragraph``, ``start``, ``end``,
    ``text``, ``label``, ``entity``, ``counted``: False for a nationality word used as a
    modifier), ``quotes`` (``paragraph``, ``start``, ``end``, ``quote``,
    ``speaker``, ``entity``, ``words``), ``speakers`` (``speaker``, ``entity``, ``quotes``,
    ``words``), ``removed`` (``text``, ``reason``, ``kind``, ``line``) and ``warnings``; with
    ``sentences``, also ``sentences`` (``paragraph``, ``sentence``, ``start``, ``end``,
    ``text``, ``polarity``, ``subjectivity``, ``vader``, ``label``, ``disagree``) and
    ``entity_sentiment`` (``entity``, ``type``, ``mentions``, ``sentences``, ``score``,
    ``label``, ``polarity``, ``vader``).
    Every list is sorted deterministically (see the table schemas).
    """
    # Built from the rows, not the pandas tables: a batch writes thousands of these.
    article = result.article
    paragraphs = []
    headline = None
    for row in result.paragraph_rows:
        textblob, vader = _labels(row, band)
        item = {
            "index": row.paragraph,
            "text": row.text,
            "polarity": _round(row.polarity),
            "subjectivity": _round(row.subjectivity),
            "vader": _round(row.vader),
            "label": vader if model == "vader" else textblob,
            "textblob_label": textblob,
            "vader_label": vader,
            "disagree": textblob != vader,
        }
        if row.kind == "headline":
            headline = item
        elif row.kind == "body":
            paragraphs.append(item)
    record = {
        "id": id,
        "title": article.title,
        "author": article.author,
        "published": article.published,
        "source": article.source,
        "sentiment": {"model": model, "band": band},
        "tone": [
            {
                "model": row.model,
                "mean": _round(row.mean),
                "spread": _round(row.spread),
                "positive": int(row.positive),
                "neutral": int(row.neutral),
                "negative": int(row.negative),
                "paragraphs": int(row.paragraphs),
            }
            for row in tone_rows(result.paragraph_rows, band=band)
        ],
        "headline": headline,
        "paragraphs": paragraphs,
        "subheadings": [{"before": h.before, "text": h.text} for h in article.subheadings],
        "words": [{"term": term, "count": count} for term, count in result.word_rows],
        "entities": [
            {"text": entity, "label": label, "count": count}
            for entity, label, count, _ in result.entity_rows
        ],
        "mentions": [
            {
                "paragraph": row.paragraph,
                "start": row.start,
                "end": row.end,
                "text": row.text,
                "label": row.label,
                "entity": row.entity,
                "counted": row.counted,
            }
            for row in result.mention_rows
        ],
        "quotes": [
            {
                "paragraph": row.paragraph,
                "start": row.start,
                "end": row.end,
                "quote": row.quote,
                "speaker": row.speaker,
                "entity": row.entity,
                "words": row.words,
            }
            for row in result.quote_rows
        ],
        "speakers": [
            {"speaker": row.speaker, "entity": row.entity, "quotes": row.quotes, "words": row.words}
            for row in speaker_rows(result.quote_rows)
        ],
        "removed": [
            {"text": line.text, "reason": line.reason, "kind": line.kind, "line": line.line}
            for line in article.removed
        ],
        "warnings": list(result.warnings),
    }
    if sentences:
        result.require_sentences()
        record["sentences"] = [
            {
                "paragraph": row.paragraph,
                "sentence": row.sentence,
                "start": row.start,
                "end": row.end,
                "text": row.text,
                "polarity": _round(row.polarity),
                "subjectivity": _round(row.subjectivity),
                "vader": _round(row.vader),
                "label": labels[1] if model == "vader" else labels[0],
                "disagree": labels[0] != labels[1],
            }
            for row, labels in ((row, _labels(row, band)) for row in result.sentence_rows)
        ]
        record["entity_sentiment"] = [
            {
                "entity": row.entity,
                "type": row.type,
                "mentions": int(row.mentions),
                "sentences": int(row.sentences),
                "score": _round(row.score),
                "label": row.label,
                "polarity": _round(row.polarity),
                "vader": _round(row.vader),
            }
            for row in entity_score_rows(
                (
                    (r.entity, r.type, r.mentions, r.polarity, r.vader)
                    for r in result.entity_sentence_rows
                ),
                model=model,
                band=band,
            )
        ]
    return record


def _labels(row, band: float) -> tuple[str, str]:
    """(TextBlob label, VADER label) of a paragraph or sentence row for ``band``."""
    return sentiment_label(row.polarity, band=band), sentiment_label(row.vader, band=band)


def _moved(items, key: str) -> str:
    return "; ".join(f"{item['words']} ({item[key]:+.2f})" for item in items)


def table(
    result: ArticleAnalysis, name: str, *, model: str = DEFAULT_MODEL, band: float = DEFAULT_BAND
) -> pd.DataFrame:
    """One of :data:`TABLES` as a DataFrame ready for CSV (lists rendered as text); labels
    under ``model`` with the neutral ``band`` where a table has them."""
    if name == "words":
        return result.words
    if name == "entities":
        return result.entities
    if name == "mentions":
        return result.mentions
    if name in ("paragraphs", "sentences"):
        frame = result.paragraphs if name == "paragraphs" else result.sentences
        frame = labelled(frame, band=band)
        frame["assessments"] = [_moved(items, "polarity") for items in frame["assessments"]]
        frame["vader_assessments"] = [
            _moved(items, "valence") for items in frame["vader_assessments"]
        ]
        return frame
    if name == "removed":
        return pd.DataFrame(
            [(line.line, line.kind, line.reason, line.text) for line in result.article.removed],
            columns=["line", "kind", "reason", "text"],
        )
    if name == "quotes":
        return result.quotes
    if name == "speakers":
        return result.speakers
    if name == "entity-sentiment":
        return entity_scores(result.entity_sentences, model=model, band=band).round(
            {"score": 4, "polarity": 4, "vader": 4}
        )
    if name == "entity-sentences":
        frame = result.entity_sentences.copy()
        frame["assessments"] = [_moved(items, "polarity") for items in frame["assessments"]]
        frame["vader_assessments"] = [
            _moved(items, "valence") for items in frame["vader_assessments"]
        ]
        return frame
    if name == "tone":
        return result.tone(band=band)
    if name == "subheadings":
        return pd.DataFrame(
            [(h.before, h.line, h.text) for h in result.article.subheadings],
            columns=["before", "line", "text"],
        )
    raise ValueError(f"unknown table {name!r}; choose one of {', '.join(TABLES)}")
