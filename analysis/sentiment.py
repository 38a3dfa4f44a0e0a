"""Sentiment per paragraph and per sentence: TextBlob (polarity, subjectivity and the words that
drove them) and VADER's compound score as a second model.

Polarity is exactly ``TextBlob(text).sentiment.polarity`` for each paragraph's text; the label
is ``positive`` when the score is at least :data:`LABEL_THRESHOLD`, ``negative`` when it is at
most ``-LABEL_THRESHOLD`` and ``neutral`` in between (the same cut-off VADER's authors
recommend for its compound score, applied to both models).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

LABEL_THRESHOLD = 0.05

#: paragraph (0 headline, 1..n body, n+1.. removed lines), kind, text, polarity, subjectivity,
#: vader (compound, -1..1), label (from polarity), vader_label (from vader), words (int: word
#: tokens), sentences (int), assessments (list of {"words", "polarity", "subjectivity"}: the
#: words TextBlob scored, with their contribution before averaging).
PARAGRAPH_COLUMNS = (
    "paragraph", "kind", "text", "polarity", "subjectivity", "vader", "label", "vader_label",
    "words", "sentences", "assessments",
)  # fmt: skip

#: paragraph, sentence (index within the paragraph), start, end (offsets in the paragraph's
#: text), text, polarity, subjectivity, vader, label, vader_label, assessments.
SENTENCE_COLUMNS = (
    "paragraph", "sentence", "start", "end", "text", "polarity", "subjectivity", "vader",
    "label", "vader_label", "assessments",
)  # fmt: skip


@dataclass(frozen=True)
class Score:
    """TextBlob and VADER scores of one piece of text."""

    polarity: float
    subjectivity: float
    vader: float
    assessments: tuple[dict, ...]

    @property
    def label(self) -> str:
        return sentiment_label(self.polarity)

    @property
    def vader_label(self) -> str:
        return sentiment_label(self.vader)


def sentiment_label(score: float, *, threshold: float = LABEL_THRESHOLD) -> str:
    """``positive`` (score >= threshold), ``negative`` (<= -threshold) or ``neutral``."""
    if score >= threshold:
        return "positive"
    if score <= -threshold:
        return "negative"
    return "neutral"


@lru_cache(maxsize=1)
def _vader():
    # The analyzer reads its lexicon file on construction; one per process is enough.
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def load_sentiment() -> None:
    """Import TextBlob and build the VADER analyzer now (about a second and a half) rather than
    on the first score."""
    from textblob.en import sentiment  # noqa: F401

    _vader()


#: VADER's scoring is quadratic in the length of its input (100,000 characters take about 8 s,
#: 500,000 several minutes), so longer texts are scored in parts of at most this many
#: characters, split at sentence ends, and the parts' compound scores averaged.
VADER_MAX_CHARS = 5_000
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")


def text_parts(text: str, limit: int = VADER_MAX_CHARS) -> list[str]:
    """``text`` in consecutive parts of at most ``limit`` characters, cut after a sentence end
    where there is one, else at a space, else anywhere."""
    parts = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max((m.end() for m in _SENTENCE_END.finditer(window)), default=0)
        if cut == 0:
            cut = window.rfind(" ") + 1 or limit
        parts.append(rest[:cut])
        rest = rest[cut:]
    parts.append(rest)
    return [part for part in parts if part.strip()]


def vader_compound(text: str) -> float:
    """VADER's compound score; for texts over :data:`VADER_MAX_CHARS`, the mean over parts."""
    analyzer = _vader()
    if len(text) <= VADER_MAX_CHARS:
        return float(analyzer.polarity_scores(text)["compound"])
    scores = [analyzer.polarity_scores(part)["compound"] for part in text_parts(text)]
    return round(sum(scores) / len(scores), 4) if scores else 0.0


def score_text(text: str) -> Score:
    """Score one text with TextBlob's pattern analyzer and VADER (compound).

    ``polarity`` and ``subjectivity`` equal ``TextBlob(text).sentiment`` exactly: this calls
    the function TextBlob's default analyzer calls, once (``sentiment_assessments`` calls it
    twice and builds a namedtuple class on every call).
    """
    from textblob.en import sentiment as pattern_sentiment

    result = pattern_sentiment(text)
    polarity, subjectivity = result
    assessments = tuple(
        {"words": " ".join(words), "polarity": float(word_polarity), "subjectivity": float(subj)}
        for words, word_polarity, subj, _ in result.assessments
    )
    return Score(
        polarity=float(polarity),
        subjectivity=float(subjectivity),
        vader=vader_compound(text),
        assessments=assessments,
    )


def sentiment_rows(
    index: int, kind: str, text: str, doc, word_count: int, *, sentences: bool = True
) -> tuple[tuple, list[tuple]]:
    """One paragraph row (:data:`PARAGRAPH_COLUMNS`) and its sentence rows
    (:data:`SENTENCE_COLUMNS`) for segment ``index`` and its spaCy ``Doc``; no sentence rows
    (and ``sentences`` 0) when ``sentences`` is False."""
    score = score_text(text)
    rows = []
    if sentences:
        spans = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        whole = text.strip()
        for number, span in enumerate(spans):
            sentence_text = span.text.strip()
            if not sentence_text:
                continue
            start = span.start_char + (len(span.text) - len(span.text.lstrip()))
            # A paragraph of one sentence needs no second scoring.
            own = score if sentence_text == whole else score_text(sentence_text)
            rows.append((
                index, number, start, start + len(sentence_text), sentence_text, own.polarity,
                own.subjectivity, own.vader, own.label, own.vader_label, list(own.assessments),
            ))  # fmt: skip
    paragraph = (
        index, kind, text, score.polarity, score.subjectivity, score.vader, score.label,
        score.vader_label, word_count, len(rows), list(score.assessments),
    )  # fmt: skip
    return paragraph, rows


def paragraph_table(rows: Iterable[tuple]) -> pd.DataFrame:
    """The paragraph sentiment table (same columns for no rows)."""
    frame = pd.DataFrame(list(rows), columns=list(PARAGRAPH_COLUMNS))
    return frame.astype(
        {"paragraph": "int64", "polarity": "float64", "subjectivity": "float64",
         "vader": "float64", "words": "int64", "sentences": "int64"}
    )  # fmt: skip


def sentence_table(rows: Iterable[tuple]) -> pd.DataFrame:
    """The sentence sentiment table (same columns for no rows)."""
    frame = pd.DataFrame(list(rows), columns=list(SENTENCE_COLUMNS))
    return frame.astype(
        {"paragraph": "int64", "sentence": "int64", "start": "int64", "end": "int64",
         "polarity": "float64", "subjectivity": "float64", "vader": "float64"}
    )  # fmt: skip


def paragraph_sentiment(texts: Sequence[str]) -> pd.DataFrame:
    """Sentiment of each text, numbered from 1, without sentence detail (no spaCy needed).

    Returns:
        A DataFrame of :data:`PARAGRAPH_COLUMNS`; ``words`` counts whitespace-separated words
        and ``sentences`` is 0 (sentences need the spaCy pipeline: use ``analyze``).
    """
    rows = []
    for number, text in enumerate(texts, 1):
        score = score_text(text)
        rows.append((
            number, "body", text, score.polarity, score.subjectivity, score.vader, score.label,
            score.vader_label, len(text.split()), 0, list(score.assessments),
        ))  # fmt: skip
    return paragraph_table(rows)
