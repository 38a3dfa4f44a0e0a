"""NewsLens analysis: text in, typed rows, DataFrames and frozen dataclasses out.

Never imports streamlit (an import contract in ``pyproject.toml`` checks it). The spaCy
pipeline is loaded only by :func:`load_nlp` and passed in. The names below are the public API;
each is imported on first use, so that ``import analysis.settings`` (which the app reads
first) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

#: Public name -> the module that defines it.
_EXPORTS = {
    "analysis.core.article": ("Article", "RemovedLine", "Segment", "decode_bytes", "parse_article"),
    "analysis.core.corrections": (
        "Correction",
        "CorrectionError",
        "apply_corrections",
        "format_corrections",
        "parse_corrections",
    ),
    "analysis.core.entities": ("ENTITY_COLUMNS", "MENTION_COLUMNS", "NAME_LABELS", "entity_counts"),
    "analysis.errors": ("ArticleError",),
    "analysis.core.nlp": ("ModelNotFoundError", "load_nlp"),
    "analysis.core.pipeline": (
        "AnalysisOptions",
        "ArticleAnalysis",
        "analyze",
        "analyze_article",
        "analyze_many",
    ),
    "analysis.core.sentiment": (
        "LABEL_THRESHOLD",
        "PARAGRAPH_COLUMNS",
        "SENTENCE_COLUMNS",
        "paragraph_sentiment",
        "sentiment_label",
    ),
    "analysis.core.words": (
        "CONTEXT_COLUMNS",
        "TOKEN_COLUMNS",
        "WORD_COLUMNS",
        "WordOptions",
        "keyword_in_context",
        "parse_stop_words",
        "word_counts",
    ),
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:
    from analysis.core.article import Article, RemovedLine, Segment, decode_bytes, parse_article
    from analysis.core.corrections import (
        Correction,
        CorrectionError,
        apply_corrections,
        format_corrections,
        parse_corrections,
    )
    from analysis.core.entities import (
        ENTITY_COLUMNS,
        MENTION_COLUMNS,
        NAME_LABELS,
        entity_counts,
    )
    from analysis.core.nlp import ModelNotFoundError, load_nlp
    from analysis.core.pipeline import (
        AnalysisOptions,
        ArticleAnalysis,
        analyze,
        analyze_article,
        analyze_many,
    )
    from analysis.core.sentiment import (
        LABEL_THRESHOLD,
        PARAGRAPH_COLUMNS,
        SENTENCE_COLUMNS,
        paragraph_sentiment,
        sentiment_label,
    )
    from analysis.core.words import (
        CONTEXT_COLUMNS,
        TOKEN_COLUMNS,
        WORD_COLUMNS,
        WordOptions,
        keyword_in_context,
        parse_stop_words,
        word_counts,
    )
    from analysis.errors import ArticleError
