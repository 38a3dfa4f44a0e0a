"""Plain records for JSON and CSV output, shared by the command line and the app's downloads."""

from __future__ import annotations

import math

import pandas as pd

from analysis.pipeline import ArticleAnalysis

#: The CSV tables the command line and the app can write.
TABLES = ("words", "entities", "paragraphs", "mentions", "sentences", "removed")


def _round(value: float) -> float:
    return 0.0 if math.isnan(value) else round(float(value), 4)


def analysis_record(result: ArticleAnalysis, *, id: str) -> dict:  # noqa: A002 (schema name)
    """The JSON object for one document.

    Keys: ``id``, ``title``, ``author``, ``published``, ``source``, ``headline`` (the headline's
    sentiment, or None), ``paragraphs`` (body paragraphs: ``index``, ``text``, ``polarity``,
    ``subjectivity``, ``vader``, ``label``), ``words`` (``term``, ``count``), ``entities``
    (``text``, ``label``, ``count``), ``mentions`` (``paragraph``, ``start``, ``end``, ``text``,
    ``label``, ``entity``), ``removed`` (``text``, ``reason``, ``line``) and ``warnings``.
    Every list is sorted deterministically (see the table schemas).
    """
    article = result.article
    paragraphs = []
    headline = None
    for row in result.paragraphs.itertuples(index=False):
        item = {
            "index": int(row.paragraph),
            "text": row.text,
            "polarity": _round(row.polarity),
            "subjectivity": _round(row.subjectivity),
            "vader": _round(row.vader),
            "label": row.label,
        }
        if row.kind == "headline":
            headline = item
        elif row.kind == "body":
            paragraphs.append(item)
    return {
        "id": id,
        "title": article.title,
        "author": article.author,
        "published": article.published,
        "source": article.source,
        "headline": headline,
        "paragraphs": paragraphs,
        "words": [
            {"term": term, "count": int(count)}
            for term, count in zip(result.words["term"], result.words["count"], strict=True)
        ],
        "entities": [
            {"text": row.entity, "label": row.label, "count": int(row.count)}
            for row in result.entities.itertuples(index=False)
        ],
        "mentions": [
            {
                "paragraph": int(row.paragraph),
                "start": int(row.start),
                "end": int(row.end),
                "text": row.text,
                "label": row.label,
                "entity": row.entity,
            }
            for row in result.mentions.itertuples(index=False)
        ],  # fmt: skip
        "removed": [
            {"text": line.text, "reason": line.reason, "line": line.line}
            for line in article.removed
        ],
        "warnings": list(article.warnings),
    }


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
