"""NewsLens analysis: pure computation, text in, DataFrames and frozen dataclasses out.

Never imports streamlit. The spaCy pipeline is loaded only by :func:`load_nlp` and passed in.
"""

from analysis.core.article import Article, RemovedLine, Segment, decode_bytes, parse_article
from analysis.core.entities import ENTITY_COLUMNS, MENTION_COLUMNS, NAME_LABELS, entity_counts
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

__all__ = [
    "CONTEXT_COLUMNS", "ENTITY_COLUMNS", "LABEL_THRESHOLD", "MENTION_COLUMNS", "NAME_LABELS",
    "PARAGRAPH_COLUMNS", "SENTENCE_COLUMNS", "TOKEN_COLUMNS", "WORD_COLUMNS", "AnalysisOptions",
    "Article", "ArticleAnalysis", "ArticleError", "ModelNotFoundError", "RemovedLine", "Segment",
    "WordOptions", "analyze", "analyze_article", "analyze_many", "decode_bytes", "entity_counts",
    "keyword_in_context", "load_nlp", "paragraph_sentiment", "parse_article", "parse_stop_words",
    "sentiment_label", "word_counts",
]  # fmt: skip
