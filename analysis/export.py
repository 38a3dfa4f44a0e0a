"""Plain records for JSON and CSV output, shared by the command line and the app's downloads."""

from __future__ import annotations

import math

import pandas as pd

from analysis.pipeline import ArticleAnalysis

#: The CSV tables the command line and the app can write.
TABLES = ("words", "entities", "paragraphs", "mentions", "sentences", "removed")


def _round(value: float) -> float:
    return 0.0 if math.isnan(value) else round(float(value), 4)


def analysis_record(result: ArticleAnalysis, *, id: str, sentences: bool = False) -> dict:  # noqa: A002
    """The JSON object for one document.

    Keys: ``id``, ``title``, ``author``, ``published``, ``source``, ``headline`` (the headline's
    sentiment, or None), ``paragraphs`` (body paragraphs: ``index``, ``text``, ``polarity``,
    ``subjectivity``, ``vader``, ``label``), ``words`` (``term``, ``count``), ``entities``
    (``text``, ``label``, ``count``), ``mentions`` (``paragraph``, ``start``, ``end``, ``text``,
    ``label``, ``entity``), ``removed`` (``text``, ``reason``, ``line``) and ``warnings``; with
    ``sentences``, also ``sentences`` (``paragraph``, ``sentence``, ``start``, ``end``, ``text``,
    ``polarity``, ``subjectivity``, ``vader``, ``label``).
    Every list is sorted deterministically (see the table schemas).
    """
    article = result.article
    paragraphs = []
    headline = None
    for index, kind, text, polarity, subjectivity, vader, label, *_ in result.paragraph_rows:
        item = {
            "index": index,
            "text": text,
            "polarity": _round(polarity),
            "subjectivity": _round(subjectivity),
            "vader": _round(vader),
            "label": label,
        }
        if kind == "headline":
            headline = item
        elif kind == "body":
            paragraphs.append(item)
    record = {
        "id": id,
        "title": article.title,
        "author": article.author,
        "published": article.published,
        "source": article.source,
        "headline": headline,
        "paragraphs": paragraphs,
        "words": [{"term": term, "count": count} for term, count in result.word_rows],
        "entities": [
            {"text": entity, "label": label, "count": count}
            for entity, label, count, _ in result.entity_rows
        ],
        "mentions": [
            {
                "paragraph": paragraph,
                "start": start,
                "end": end,
                "text": text,
                "label": label,
                "entity": entity,
            }
            for paragraph, start, end, text, label, entity in result.mention_rows
        ],  # fmt: skip
        "removed": [
            {"text": line.text, "reason": line.reason, "line": line.line}
            for line in article.removed
        ],
        "warnings": list(result.warnings),
    }
    if sentences:
        record["sentences"] = [
            {"paragraph": row[0], "sentence": row[1], "start": row[2], "end": row[3],
             "text": row[4], "polarity": _round(row[5]), "subjectivity": _round(row[6]),
             "vader": _round(row[7]), "label": row[8]}
            for row in result.sentence_rows
        ]  # fmt: skip
    return record


def table(result: ArticleAnalysis, name: str) -> pd.DataFrame:
    """One of :data:`TABLES` as a DataFrame ready for CSV (lists rendered as text)."""
    if name == "words":
        return result.words
    if name == "entities":
        return result.entities
    if name == "mentions":
        return result.mentions
    if name in ("paragraphs", "sentences"):
        frame = result.paragraphs if name == "paragraphs" else result.sentences
        frame = frame.copy()
        frame["assessments"] = [
            "; ".join(f"{item['words']} ({item['polarity']:+.2f})" for item in items)
            for items in frame["assessments"]
        ]
        return frame
    if name == "removed":
        return pd.DataFrame(
            [(line.line, line.kind, line.reason, line.text) for line in result.article.removed],
            columns=["line", "kind", "reason", "text"],
        )
    raise ValueError(f"unknown table {name!r}; choose one of {', '.join(TABLES)}")
