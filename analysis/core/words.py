"""Word frequencies and keyword-in-context, from the token table of an analysed article.

The token table (:data:`TOKEN_COLUMNS`) is computed once per article by :func:`token_table`;
counting with other options (stop words, lemmas, n-grams, minimum length, a paragraph range)
is plain pandas/Python over that table and never runs spaCy again.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.core.schema import ContextRow, TokenRow, WordRow, frame

#: The token table's columns (:class:`analysis.core.schema.TokenRow`).
TOKEN_COLUMNS = TokenRow._fields

#: term, count (:class:`analysis.core.schema.WordRow`). Sorted by count descending, then term.
WORD_COLUMNS = WordRow._fields

#: paragraph, start, end (offsets of the match in that paragraph's text), left, match, right
#: (:class:`analysis.core.schema.ContextRow`).
CONTEXT_COLUMNS = ContextRow._fields


@dataclass(frozen=True)
class WordOptions:
    """How words are counted.

    Attributes:
        stop_words: remove spaCy's English stop words (and ``extra_stop_words``).
        extra_stop_words: more words to remove, compared case-insensitively.
        lemmas: count lemmas ("visits" -> "visit") instead of the words as written.
        min_length: shortest word counted, in characters (n-grams: their first and last word).
        ngram: 1 for single words, 2 or 3 for phrases of that many words.
    """

    stop_words: bool = True
    extra_stop_words: frozenset[str] = frozenset()
    lemmas: bool = False
    min_length: int = 2
    ngram: int = 1

    def __post_init__(self) -> None:
        if self.ngram not in (1, 2, 3):
            raise ValueError(f"ngram must be 1, 2 or 3, not {self.ngram!r}")
        if self.min_length < 1:
            raise ValueError(f"min_length must be at least 1, not {self.min_length!r}")
        folded = frozenset(word.strip().casefold() for word in self.extra_stop_words)
        object.__setattr__(self, "extra_stop_words", folded - {""})


def parse_stop_words(text: str) -> frozenset[str]:
    """User-typed extra stop words ("said, also; Mr") -> a case-folded set of words."""
    return frozenset(re.split(r"[\s,;]+", text.casefold())) - {""}


_LETTER = re.compile(r"[^\W\d_]")


def token_rows(index: int, doc) -> list[TokenRow]:
    """Rows of :data:`TOKEN_COLUMNS` for one spaCy ``Doc`` (segment ``index``).

    Reads the token attributes as one array (``Doc.to_array``) rather than through a Python
    ``Token`` object per token, which is most of the cost in a batch.
    """
    from spacy.attrs import (
        IDX,
        IS_ALPHA,
        IS_PUNCT,
        IS_SPACE,
        IS_STOP,
        LEMMA,
        LIKE_NUM,
        ORTH,
        SENT_START,
    )

    if len(doc) == 0:
        return []
    # A token's text is its ORTH string (LENGTH would cost spaCy a Python call per token).
    attrs = [IDX, ORTH, IS_STOP, IS_PUNCT, IS_SPACE, LIKE_NUM, IS_ALPHA, LEMMA, SENT_START]
    array = doc.to_array(attrs).tolist()
    strings = doc.vocab.strings
    rows = []
    sentence = 0
    for number, (start, orth, stop, punct, space, num, alpha, lemma, sent) in enumerate(array):
        if sent == 1 and number:
            sentence += 1
        word = strings[orth]
        length = len(word)
        folded = word.casefold()
        # A word has a letter and is not punctuation, a number, a space or a clitic ("’s").
        is_word = not (punct or space or num) and (
            bool(alpha) or (_LETTER.search(word) is not None and not word.startswith(("'", "’")))
        )
        lemma_text = strings[lemma].casefold() if lemma else folded
        rows.append(
            TokenRow(
                index,
                number,
                sentence,
                start,
                start + length,
                word,
                folded,
                lemma_text,
                bool(stop),
                is_word,
            )
        )
    return rows


def token_table(rows: Iterable[tuple]) -> pd.DataFrame:
    """The token table from :func:`token_rows` output (empty input gives the same columns)."""
    return frame(rows, TokenRow)


# Field positions, for the counting loop's speed (rows may be plain tuples of a token table).
_PARAGRAPH, _START, _END, _NORM, _LEMMA, _STOP, _WORD = (
    TokenRow._fields.index(name)
    for name in ("paragraph", "start", "end", "norm", "lemma", "is_stop", "is_word")
)


def _ngram_spans(
    rows: Sequence[tuple], options: WordOptions, stop_words: frozenset[str]
) -> Iterator[tuple[str, int, int, int]]:
    """(term, paragraph, start, end) for every counted n-gram occurrence, in text order.

    N-grams never span punctuation (so never a sentence boundary) nor two paragraphs; with
    stop words removed, an n-gram may not start or end with one ("ceasefire in gaza" counts,
    "in gaza" does not)."""
    n = options.ngram
    column = _LEMMA if options.lemmas else _NORM
    extra = options.extra_stop_words
    stopped = [
        options.stop_words
        and (
            row[_STOP]
            or row[_NORM] in stop_words
            or row[column] in stop_words
            or row[_NORM] in extra
            or row[column] in extra
        )
        for row in rows
    ]
    usable = [row[_WORD] for row in rows]
    if n == 1:  # single words: the same tests, without the run of words
        for row, stop, use in zip(rows, stopped, usable, strict=True):
            if not stop and use and len(row[column]) >= options.min_length:
                yield row[column], row[_PARAGRAPH], row[_START], row[_END]
        return
    for i in range(len(rows) - n + 1):
        last = i + n - 1
        first_row, last_row = rows[i], rows[last]
        if first_row[_PARAGRAPH] != last_row[_PARAGRAPH] or stopped[i] or stopped[last]:
            continue
        if not all(usable[i : last + 1]):
            continue
        if (
            len(first_row[column]) < options.min_length
            or len(last_row[column]) < options.min_length
        ):
            continue
        term = first_row[column] if n == 1 else " ".join(row[column] for row in rows[i : last + 1])
        yield term, first_row[_PARAGRAPH], first_row[_START], last_row[_END]


def count_terms(
    rows: Sequence[tuple], *, options: WordOptions, stop_words: frozenset[str]
) -> list[WordRow]:
    """Term counts from token rows, sorted by count descending then term."""
    counts = Counter(term for term, *_ in _ngram_spans(rows, options, stop_words))
    return [
        WordRow(term, count)
        for term, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def word_table(rows: Iterable[tuple]) -> pd.DataFrame:
    """The word-count table from (term, count) pairs (same columns for none)."""
    return frame(rows, WordRow)


def token_tuples(tokens: pd.DataFrame) -> list[tuple]:
    """Rows of a (possibly filtered) token table as tuples, for the counting functions."""
    return list(tokens.itertuples(index=False, name=None))


def word_counts(
    tokens: pd.DataFrame,
    *,
    options: WordOptions | None = None,
    stop_words: Iterable[str] = (),
) -> pd.DataFrame:
    """Count words (or n-grams) in a token table.

    Args:
        tokens: a table of :data:`TOKEN_COLUMNS`, possibly filtered to some paragraphs.
        options: how to count; defaults to :class:`WordOptions()`.
        stop_words: the language's stop list, checked on the case-folded word and lemma in
            addition to spaCy's own ``is_stop`` flag.

    Returns:
        A DataFrame of :data:`WORD_COLUMNS`, sorted by count descending then term ascending.
    """
    options = options or WordOptions()
    return word_table(
        count_terms(token_tuples(tokens), options=options, stop_words=frozenset(stop_words))
    )


def term_spans(
    tokens: pd.DataFrame, term: str, *, options: WordOptions | None = None
) -> pd.DataFrame:
    """Where a counted term occurs: a DataFrame of paragraph, start, end in text order."""
    options = options or WordOptions(ngram=max(1, min(3, len(term.split()))))
    wanted = " ".join(term.casefold().split())
    rows = [
        (paragraph, start, end)
        for found, paragraph, start, end in _ngram_spans(token_tuples(tokens), options, frozenset())
        if found == wanted
    ]
    return pd.DataFrame(rows, columns=["paragraph", "start", "end"]).astype("int64")


def keyword_in_context(
    texts: Mapping[int, str], spans: pd.DataFrame, *, window: int = 8
) -> pd.DataFrame:
    """Keyword-in-context lines for spans (paragraph, start, end) of the given texts.

    Args:
        texts: paragraph number -> that paragraph's text.
        spans: a DataFrame with paragraph, start and end columns (e.g. from :func:`term_spans`
            or the entity mentions table).
        window: how many words to show on each side.

    Returns:
        A DataFrame of :data:`CONTEXT_COLUMNS`, one row per span, in paragraph and offset order.
    """
    rows = []
    for paragraph, start, end in sorted(
        zip(spans["paragraph"], spans["start"], spans["end"], strict=True)
    ):
        text = texts.get(int(paragraph), "")
        left_words = text[:start].split()
        right_words = text[end:].split()
        left = right = ""
        if window:
            left = " ".join(left_words[-window:])
            right = " ".join(right_words[:window])
            if len(left_words) > window:
                left = "… " + left
            if len(right_words) > window:
                right += " …"
        rows.append(ContextRow(int(paragraph), int(start), int(end), left, text[start:end], right))
    return frame(rows, ContextRow)


def stop_word_list(nlp) -> frozenset[str]:
    """The pipeline's stop words, case-folded."""
    return frozenset(word.casefold() for word in nlp.Defaults.stop_words)
