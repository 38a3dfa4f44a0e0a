"""VADER's word-level steps (``vaderSentiment``'s ``SentiText`` and ``sentiment_valence``), step
for step, over a word list lower-cased once.

VADER lower-cases the words around each word of its lexicon again in every check (the three
words before it for boosters, each of its negation windows, its idioms, "least"), and its
negation and idiom checks lower-case the whole text each time, so a paragraph's scoring grew
with the square of its length. These functions read one lower-cased list and VADER's own tables
(lexicon, boosters, negations, idioms, constants), so every valence is VADER's; property tests
compare the compound scores with ``SentimentIntensityAnalyzer.polarity_scores``.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    normalize,
)

_NEGATIONS = frozenset(NEGATE)
_PUNCTUATION = string.punctuation


def words_of(text: str) -> tuple[list[str], bool]:
    """``SentiText(text)``'s words (split at white space, punctuation stripped from a word
    that keeps more than two characters) and ``is_cap_diff`` (some but not all in capitals)."""
    words = [
        token if len(stripped := token.strip(_PUNCTUATION)) <= 2 else stripped
        for token in text.split()
    ]
    capitals = sum(map(str.isupper, words))
    return words, 0 < len(words) - capitals < len(words)


def valences(
    words: Sequence[str],
    is_cap_diff: bool,
    lexicon: Mapping[str, float],
    lowers: list[str] | None = None,
) -> list:
    """The valence of each word after VADER's rules: 0 for a word outside the lexicon, a
    booster and "kind" before "of"; else ``sentiment_valence``'s, then the "but" rule
    (``_but_check``). ``lowers``: the words lower-cased, when the caller has them."""
    if lowers is None:
        lowers = [word.lower() for word in words]
    count = len(lowers)
    out: list = [0] * count
    for i in [i for i, lower in enumerate(lowers) if lower in lexicon]:
        lower = lowers[i]
        if lower in BOOSTER_DICT or (lower == "kind" and i < count - 1 and lowers[i + 1] == "of"):
            continue
        out[i] = _valence(words, lowers, i, is_cap_diff, lexicon)
    return _but(lowers, out)


def carried(
    words: Sequence[str], lowers: Sequence[str], values: Sequence, lexicon: Mapping[str, float]
) -> list[tuple[str, float]]:
    """``(words, valence)`` for each word whose valence is not 0, in order: the word, led by
    the negation that flipped its sign ("not bad") when there is one among the three words
    before it (VADER's negation window)."""
    out = []
    for i, valence in enumerate(values):
        if not valence:
            continue
        phrase = words[i]
        if valence * lexicon.get(lowers[i], 0.0) < 0:
            for back in range(1, min(3, i) + 1):
                before = lowers[i - back]
                if before == "no" or _negated(before):
                    phrase = " ".join(words[i - back : i + 1])
                    break
        out.append((phrase, valence))
    return out


def _but(lowers: list[str], sentiments: list) -> list:
    """VADER's ``_but_check``: the valences before the first "but" halved, those after it
    raised by half, as VADER finds them (by the first index of an equal value)."""
    if "but" not in lowers:
        return sentiments
    bi = lowers.index("but")
    for sentiment in sentiments:
        si = sentiments.index(sentiment)
        if si < bi:
            sentiments.pop(si)
            sentiments.insert(si, sentiment * 0.5)
        elif si > bi:
            sentiments.pop(si)
            sentiments.insert(si, sentiment * 1.5)
    return sentiments


def compound(valences: Sequence, text: str) -> float:
    """VADER's compound score (``score_valence``'s ``compound``) of the valences of ``text``."""
    if not valences:
        return 0.0
    total = float(sum(valences))
    emphasis = _punctuation_emphasis(text)
    if total > 0:
        total += emphasis
    elif total < 0:
        total -= emphasis
    return round(normalize(total), 4)


def _punctuation_emphasis(text: str) -> float:
    """VADER's ``_punctuation_emphasis``: its exclamation and question mark amplifiers."""
    return SentimentIntensityAnalyzer._amplify_ep(text) + SentimentIntensityAnalyzer._amplify_qm(
        text
    )


def _valence(
    words: Sequence[str], lowers: list[str], i: int, is_cap_diff: bool, lexicon: Mapping
) -> float:
    """``SentimentIntensityAnalyzer.sentiment_valence`` for the lexicon word at ``i``."""
    lower = lowers[i]
    valence = lexicon[lower]
    if lower == "no" and i != len(lowers) - 1 and lowers[i + 1] in lexicon:
        valence = 0.0
    if (
        (i > 0 and lowers[i - 1] == "no")
        or (i > 1 and lowers[i - 2] == "no")
        or (i > 2 and lowers[i - 3] == "no" and lowers[i - 1] in ("or", "nor"))
    ):
        valence = lexicon[lower] * N_SCALAR
    if words[i].isupper() and is_cap_diff:
        valence = valence + C_INCR if valence > 0 else valence - C_INCR
    for start_i in range(3):
        j = i - (start_i + 1)
        if i > start_i and lowers[j] not in lexicon:
            s = _scalar(words[j], lowers[j], valence, is_cap_diff)
            if start_i == 1 and s != 0:
                s = s * 0.95
            if start_i == 2 and s != 0:
                s = s * 0.9
            valence = valence + s
            valence = _negation(valence, lowers, start_i, i)
            if start_i == 2:
                valence = _idioms(valence, lowers, i)
    return _least(valence, lowers, i, lexicon)


def _scalar(word: str, lower: str, valence: float, is_cap_diff: bool) -> float:
    """VADER's ``scalar_inc_dec``."""
    scalar = 0.0
    if lower in BOOSTER_DICT:
        scalar = BOOSTER_DICT[lower]
        if valence < 0:
            scalar *= -1
        if word.isupper() and is_cap_diff:
            scalar = scalar + C_INCR if valence > 0 else scalar - C_INCR
    return scalar


def _negated(lower: str) -> bool:
    """VADER's ``negated([word])``: a negation word, or a word holding "n't"."""
    return lower in _NEGATIONS or "n't" in lower


def _negation(valence: float, lowers: list[str], start_i: int, i: int) -> float:
    """VADER's ``_negation_check``."""
    if start_i == 0:
        if _negated(lowers[i - 1]):
            valence = valence * N_SCALAR
    elif start_i == 1:
        if lowers[i - 2] == "never" and lowers[i - 1] in ("so", "this"):
            valence = valence * 1.25
        elif lowers[i - 2] == "without" and lowers[i - 1] == "doubt":
            pass
        elif _negated(lowers[i - 2]):
            valence = valence * N_SCALAR
    elif start_i == 2:
        if (lowers[i - 3] == "never" and lowers[i - 2] in ("so", "this")) or lowers[i - 1] in (
            "so",
            "this",
        ):
            valence = valence * 1.25
        elif lowers[i - 3] == "without" and "doubt" in (lowers[i - 2], lowers[i - 1]):
            pass
        elif _negated(lowers[i - 3]):
            valence = valence * N_SCALAR
    return valence


def _idioms(valence: float, lowers: list[str], i: int) -> float:
    """VADER's ``_special_idioms_check`` (called for i >= 3)."""
    one, two, three = lowers[i - 1], lowers[i - 2], lowers[i - 3]
    here = lowers[i]
    twoone = f"{two} {one}"
    threetwoone = f"{three} {two} {one}"
    threetwo = f"{three} {two}"
    for sequence in (f"{one} {here}", f"{two} {one} {here}", twoone, threetwoone, threetwo):
        if sequence in SPECIAL_CASES:
            valence = SPECIAL_CASES[sequence]
            break
    if len(lowers) - 1 > i:
        zeroone = f"{here} {lowers[i + 1]}"
        if zeroone in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroone]
    if len(lowers) - 1 > i + 1:
        zeroonetwo = f"{here} {lowers[i + 1]} {lowers[i + 2]}"
        if zeroonetwo in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in BOOSTER_DICT:
            valence = valence + BOOSTER_DICT[n_gram]
    return valence


def _least(valence: float, lowers: list[str], i: int, lexicon: Mapping) -> float:
    """VADER's ``_least_check``."""
    if i > 1 and lowers[i - 1] not in lexicon and lowers[i - 1] == "least":
        if lowers[i - 2] != "at" and lowers[i - 2] != "very":
            valence = valence * N_SCALAR
    elif i > 0 and lowers[i - 1] not in lexicon and lowers[i - 1] == "least":
        valence = valence * N_SCALAR
    return valence
