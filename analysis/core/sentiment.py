"""Sentiment per paragraph and per sentence under two models: VADER's compound score (the
default model) and TextBlob's polarity and subjectivity, each with the words that moved it.

Polarity is exactly ``TextBlob(text).sentiment.polarity`` and ``vader`` exactly VADER's
compound score for each paragraph's text. A score is ``positive`` when it is at least the
neutral band (:data:`DEFAULT_BAND`, the cut-off VADER's authors recommend), ``negative`` when
it is at most minus the band and ``neutral`` in between. The rows store the scores; the labels
they carry are for the default band, and :func:`labelled` derives them for any other band.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from analysis.core.schema import ParagraphRow, SentenceRow, ToneRow, frame

#: The sentiment models, the default first. VADER is the default: its lexicon is built for
#: short texts and handles negation, boosters and "but"; TextBlob averages adjectives.
MODELS = ("vader", "textblob")
DEFAULT_MODEL = "vader"

#: The neutral band: scores strictly between -band and +band are neutral.
DEFAULT_BAND = 0.05
#: The former name of :data:`DEFAULT_BAND`.
LABEL_THRESHOLD = DEFAULT_BAND

#: Each model's score column and label column in the paragraph and sentence tables.
SCORE_COLUMN = {"vader": "vader", "textblob": "polarity"}
LABEL_COLUMN = {"vader": "vader_label", "textblob": "label"}

#: The paragraph table (:class:`analysis.core.schema.ParagraphRow`): labels and ``disagree`` are for
#: :data:`DEFAULT_BAND`; :func:`labelled` derives them for another band.
PARAGRAPH_COLUMNS = ParagraphRow._fields

#: The sentence table (:class:`analysis.core.schema.SentenceRow`).
SENTENCE_COLUMNS = SentenceRow._fields

#: One row per model in :data:`MODELS` order (:class:`analysis.core.schema.ToneRow`); no rows when
#: there is no body paragraph.
TONE_COLUMNS = ToneRow._fields


@dataclass(frozen=True)
class Score:
    """TextBlob and VADER scores of one piece of text."""

    polarity: float
    subjectivity: float
    vader: float
    assessments: tuple[dict, ...]
    vader_assessments: tuple[dict, ...] = ()

    @property
    def label(self) -> str:
        return sentiment_label(self.polarity)

    @property
    def vader_label(self) -> str:
        return sentiment_label(self.vader)

    @property
    def disagree(self) -> bool:
        return self.label != self.vader_label


def sentiment_label(
    score: float, *, band: float = DEFAULT_BAND, threshold: float | None = None
) -> str:
    """The label of a score for a neutral band.

    Args:
        score: a TextBlob polarity or VADER compound score (-1..1).
        band: scores strictly inside (-band, band) are neutral.
        threshold: the former name of ``band``; wins when given.

    Returns:
        ``positive`` (score >= band), ``negative`` (score <= -band) or ``neutral``.
    """
    if threshold is not None:
        band = threshold
    if score >= band:
        return "positive"
    if score <= -band:
        return "negative"
    return "neutral"


def labelled(table: pd.DataFrame, *, band: float = DEFAULT_BAND) -> pd.DataFrame:
    """A paragraph or sentence table with its labels derived for another neutral band.

    Returns:
        A copy of ``table`` with ``label`` (TextBlob), ``vader_label`` and ``disagree`` (the
        two labels differ) recomputed from ``polarity`` and ``vader``; same columns, same rows.
    """
    out = table.copy()
    out["label"] = [sentiment_label(score, band=band) for score in out["polarity"]]
    out["vader_label"] = [sentiment_label(score, band=band) for score in out["vader"]]
    out["disagree"] = (out["label"] != out["vader_label"]).astype(bool)
    return out


def article_tone(paragraphs: pd.DataFrame, *, band: float = DEFAULT_BAND) -> pd.DataFrame:
    """The overall tone of an article's body under each model.

    Args:
        paragraphs: a table of :data:`PARAGRAPH_COLUMNS`; only ``kind == "body"`` rows count
            (not the headline, not removed lines).
        band: the neutral band for the label counts.

    Returns:
        A DataFrame of :data:`TONE_COLUMNS`, one row per model in :data:`MODELS` order, or no
        rows when there is no body paragraph.
    """
    return frame(tone_rows(paragraphs.itertuples(index=False), band=band), ToneRow)


def tone_rows(paragraphs: Iterable, *, band: float = DEFAULT_BAND) -> list[ToneRow]:
    """The rows of :func:`article_tone` from paragraph rows, without pandas."""
    body = [row for row in paragraphs if row.kind == "body"]
    rows = []
    if body:
        for model in MODELS:
            scores = [float(getattr(row, SCORE_COLUMN[model])) for row in body]
            mean = sum(scores) / len(scores)
            spread = (sum((score - mean) ** 2 for score in scores) / len(scores)) ** 0.5
            labels = [sentiment_label(score, band=band) for score in scores]
            rows.append(
                ToneRow(
                    model,
                    mean,
                    spread,
                    labels.count("positive"),
                    labels.count("neutral"),
                    labels.count("negative"),
                    len(body),
                )
            )
    return rows


@lru_cache(maxsize=1)
def _vader():
    # The analyzer reads its lexicon file on construction; one per process is enough.
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=1)
def _pattern():
    """TextBlob's default analyzer (``textblob.en.sentiment``), loaded, as an instance whose
    lexicon lookups are plain dictionary lookups.

    TextBlob's lexicon is a ``lazydict`` that loads itself on first use and then still routes
    every ``word in lexicon`` and ``lexicon[word]`` through its loader check (Python looks
    these up on the class, where TextBlob's replacement methods never land). The copy holds
    the same entries and settings, splits texts with :func:`analysis.core.textblob_steps.
    find_tokens` and assesses their words with :func:`analysis.core.textblob_steps.assessments`
    (TextBlob's steps, same output, faster) and runs TextBlob's own ``__call__``, so the scores
    are the same.
    """
    import copy

    from textblob.en import sentiment

    # TextBlob (and NLTK under it) and VADER are imported when first used, as here: importing
    # them before the spaCy model loads raises the process's peak memory by some 50 MB.
    from analysis.core.textblob_steps import assessments as fast_assessments
    from analysis.core.textblob_steps import find_tokens

    len(sentiment)  # loads the lexicon

    class _Loaded(type(sentiment)):
        __contains__ = dict.__contains__
        __getitem__ = dict.__getitem__
        __iter__ = dict.__iter__
        __len__ = dict.__len__
        get = dict.get
        items = dict.items
        keys = dict.keys
        values = dict.values
        assessments = fast_assessments

    loaded = copy.copy(sentiment)
    loaded.__class__ = _Loaded
    loaded.tokenizer = find_tokens
    return loaded


@lru_cache(maxsize=1)
def _vader_steps():
    """:mod:`analysis.core.vader_words`, imported on first use (it imports VADER)."""
    from analysis.core import vader_words

    return vader_words


@lru_cache(maxsize=1)
def _textblob_steps():
    """:mod:`analysis.core.textblob_steps`, imported on first use (it imports TextBlob)."""
    from analysis.core import textblob_steps

    return textblob_steps


@lru_cache(maxsize=1)
def _emoji_characters() -> frozenset[str]:
    return frozenset(_vader().emojis)


def load_sentiment() -> None:
    """Load TextBlob's lexicon and build the VADER analyzer now (about a second and a half)
    rather than on the first score."""
    _pattern()
    _emoji_characters()


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


def _vader_scored(text: str) -> tuple[float, tuple[dict, ...]]:
    """VADER's compound score of ``text`` and the words that carried valence.

    This is ``SentimentIntensityAnalyzer.polarity_scores`` with its word loop written out, so
    that each word's valence after VADER's rules (negation, boosters, capitals, "but") can be
    kept; the steps are VADER's, written out over words lower-cased once
    (:mod:`analysis.core.vader_words`), so the compound score is the same.
    """
    analyzer = _vader()
    if not _emoji_characters().isdisjoint(text):
        pieces, after_space = [], True
        for char in text:
            if char in analyzer.emojis:
                pieces.append(("" if after_space else " ") + analyzer.emojis[char])
                after_space = False
            else:
                pieces.append(char)
                after_space = char == " "
        text = "".join(pieces)
    text = text.strip()
    steps = _vader_steps()
    words, is_cap_diff = steps.words_of(text)
    lowers = [word.lower() for word in words]
    lexicon = analyzer.lexicon
    valences = steps.valences(words, is_cap_diff, lexicon, lowers)
    compound = float(steps.compound(valences, text))
    moved = tuple(
        {"words": phrase, "valence": round(float(valence), 4)}
        for phrase, valence in steps.carried(words, lowers, valences, lexicon)
    )
    return compound, moved


def _vader_parts(text: str) -> tuple[float, tuple[dict, ...]]:
    if len(text) <= VADER_MAX_CHARS:
        return _vader_scored(text)
    scored = [_vader_scored(part) for part in text_parts(text)]
    if not scored:
        return 0.0, ()
    compound = round(sum(score for score, _ in scored) / len(scored), 4)
    return compound, tuple(item for _, moved in scored for item in moved)


def vader_compound(text: str) -> float:
    """VADER's compound score; for texts over :data:`VADER_MAX_CHARS`, the mean over parts."""
    return _vader_parts(text)[0]


def vader_assessments(text: str) -> tuple[dict, ...]:
    """The words VADER scored in ``text``, in text order.

    Returns:
        One ``{"words": word, "valence": valence}`` per word that carried valence, the valence
        after VADER's rules (a negated word's sign is flipped and scaled, a boosted word's
        size raised, words before "but" halved and after it raised by half); words of
        VADER's lexicon whose valence the rules cancelled are left out.
    """
    return _vader_parts(text)[1]


def score_text(text: str) -> Score:
    """Score one text with TextBlob's pattern analyzer and VADER (compound).

    ``polarity`` and ``subjectivity`` equal ``TextBlob(text).sentiment`` exactly: this runs
    TextBlob's default analyzer once, on a string (see :func:`_pattern` and
    :func:`analysis.core.textblob_steps.scored`; ``sentiment_assessments`` runs it twice and
    builds a namedtuple class on every call).
    """
    polarity, subjectivity, assessed = _textblob_steps().scored(_pattern(), text)
    assessments = tuple(
        {"words": " ".join(words), "polarity": float(word_polarity), "subjectivity": float(subj)}
        for words, word_polarity, subj, _ in assessed
    )
    vader, moved = _vader_parts(text)
    return Score(
        polarity=float(polarity),
        subjectivity=float(subjectivity),
        vader=vader,
        assessments=assessments,
        vader_assessments=moved,
    )


def sentiment_rows(
    index: int,
    kind: str,
    text: str,
    doc,
    word_count: int,
    *,
    sentences: bool = True,
    scored: bool = True,
) -> tuple[ParagraphRow, list[SentenceRow]]:
    """One paragraph row (:data:`PARAGRAPH_COLUMNS`) and its sentence rows
    (:data:`SENTENCE_COLUMNS`) for segment ``index`` and its spaCy ``Doc``; no sentence rows
    (and ``sentences`` 0) when ``sentences`` is False. With ``scored`` False the sentences
    are counted (``sentences``) but not scored: no sentence rows either."""
    score = score_text(text)
    rows = []
    count = 0
    if sentences:
        spans = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        whole = text.strip()
        for number, span in enumerate(spans):
            # The span's text, cut from the text (``span.text`` builds it token by token).
            own_text = text[span.start_char : span.end_char]
            sentence_text = own_text.strip()
            if not sentence_text:
                continue
            count += 1
            if not scored:
                continue
            start = span.start_char + (len(own_text) - len(own_text.lstrip()))
            # A paragraph of one sentence needs no second scoring.
            own = score if sentence_text == whole else score_text(sentence_text)
            rows.append(
                SentenceRow(
                    index,
                    number,
                    start,
                    start + len(sentence_text),
                    sentence_text,
                    own.polarity,
                    own.subjectivity,
                    own.vader,
                    own.label,
                    own.vader_label,
                    list(own.assessments),
                    list(own.vader_assessments),
                    own.disagree,
                )
            )
    paragraph = ParagraphRow(
        index,
        kind,
        text,
        score.polarity,
        score.subjectivity,
        score.vader,
        score.label,
        score.vader_label,
        word_count,
        count,
        list(score.assessments),
        list(score.vader_assessments),
        score.disagree,
    )
    return paragraph, rows


def paragraph_table(rows: Iterable[tuple]) -> pd.DataFrame:
    """The paragraph sentiment table (same columns for no rows)."""
    return frame(rows, ParagraphRow)


def sentence_table(rows: Iterable[tuple]) -> pd.DataFrame:
    """The sentence sentiment table (same columns for no rows)."""
    return frame(rows, SentenceRow)


def paragraph_sentiment(texts: Sequence[str]) -> pd.DataFrame:
    """Sentiment of each text, numbered from 1, without sentence detail (no spaCy needed).

    Returns:
        A DataFrame of :data:`PARAGRAPH_COLUMNS`; ``words`` counts whitespace-separated words
        and ``sentences`` is 0 (sentences need the spaCy pipeline: use ``analyze``).
    """
    rows = []
    for number, text in enumerate(texts, 1):
        score = score_text(text)
        rows.append(
            ParagraphRow(
                number,
                "body",
                text,
                score.polarity,
                score.subjectivity,
                score.vader,
                score.label,
                score.vader_label,
                len(text.split()),
                0,
                list(score.assessments),
                list(score.vader_assessments),
                score.disagree,
            )
        )
    return paragraph_table(rows)
