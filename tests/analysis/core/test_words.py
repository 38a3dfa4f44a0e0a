import pandas as pd
import pytest

from analysis.core.words import (
    CONTEXT_COLUMNS,
    TOKEN_COLUMNS,
    WORD_COLUMNS,
    WordOptions,
    keyword_in_context,
    parse_stop_words,
    term_spans,
    token_table,
    word_counts,
)


def _top(frame, n=3):
    return list(zip(frame["term"].head(n), frame["count"].head(n), strict=True))


def test_word_counts_sample_top_three(sample_analysis):
    assert _top(sample_analysis.words) == [("china", 10), ("gaza", 5), ("international", 5)]


def test_word_counts_sample_columns(sample_analysis):
    assert list(sample_analysis.words.columns) == list(WORD_COLUMNS)


def test_word_counts_never_counts_removed_lines(sample_analysis):
    # "spokesperson" occurs only in the removed caption (twice) and once in the body.
    words = dict(zip(sample_analysis.words["term"], sample_analysis.words["count"], strict=True))
    assert words["spokesperson"] == 1
    assert "trending" not in words


def test_word_counts_with_stop_words(sample_analysis):
    frame = sample_analysis.word_counts(options=WordOptions(stop_words=False))
    assert _top(frame, 4) == [("the", 15), ("and", 11), ("china", 10), ("in", 10)]


def test_word_counts_extra_stop_words(sample_analysis):
    frame = sample_analysis.word_counts(
        options=WordOptions(extra_stop_words=frozenset({"China", "GAZA"}))
    )
    assert _top(frame, 2) == [("international", 5), ("ceasefire", 3)]


def test_word_counts_lemmas_merge_forms(sample_analysis):
    plain = sample_analysis.word_counts()
    lemmas = sample_analysis.word_counts(options=WordOptions(lemmas=True))
    assert set(plain["term"]) >= {"efforts", "visits"}
    assert "effort" not in set(plain["term"])
    lemma_counts = dict(zip(lemmas["term"], lemmas["count"], strict=True))
    assert (lemma_counts["effort"], lemma_counts["visit"], "efforts" in lemma_counts) == (
        2,
        1,
        False,
    )


def test_word_counts_min_length(sample_analysis):
    frame = sample_analysis.word_counts(options=WordOptions(min_length=9))
    assert _top(frame) == [("international", 5), ("ceasefire", 3), ("diplomatic", 3)]
    assert frame["term"].str.len().min() >= 9


def test_word_counts_bigrams(sample_analysis):
    frame = sample_analysis.word_counts(options=WordOptions(ngram=2))
    assert _top(frame, 2) == [("international community", 2), ("lin jian", 2)]


def test_word_counts_trigrams_keep_inner_stop_words(sample_analysis):
    frame = sample_analysis.word_counts(options=WordOptions(ngram=3))
    assert "ceasefire in gaza" in set(frame["term"])


def test_word_counts_excludes_numbers_and_punctuation(sample_analysis):
    frame = sample_analysis.word_counts(options=WordOptions(stop_words=False, min_length=1))
    terms = set(frame["term"])
    assert "7" not in terms and "," not in terms and "’s" not in terms and '"' not in terms


def test_word_counts_for_paragraph_range(sample_analysis):
    frame = sample_analysis.word_counts(paragraphs=[1])
    assert _top(frame, 6) == [
        ("achieve", 1),
        ("applying", 1),
        ("ceasefire", 1),
        ("china", 1),
        ("gaza", 1),
        ("international", 1),
    ]


def test_word_counts_empty_table_keeps_schema():
    frame = word_counts(token_table([]))
    assert list(frame.columns) == ["term", "count"] and frame.empty


def test_token_table_schema(sample_analysis):
    assert list(sample_analysis.tokens.columns) == list(TOKEN_COLUMNS)
    assert list(token_table([]).columns) == list(TOKEN_COLUMNS)


def test_word_options_rejects_bad_ngram():
    with pytest.raises(ValueError, match="ngram must be 1, 2 or 3"):
        WordOptions(ngram=4)


def test_word_options_folds_extra_stop_words():
    assert WordOptions(extra_stop_words=frozenset({" Said ", ""})).extra_stop_words == {"said"}


def test_parse_stop_words():
    assert parse_stop_words("said, Also;mr\nMrs  x") == {"said", "also", "mr", "mrs", "x"}


def test_term_spans_slice_to_term(sample_analysis):
    spans = term_spans(sample_analysis.tokens, "gaza")
    texts = sample_analysis.texts
    assert [texts[p][s:e] for p, s, e in spans.itertuples(index=False)] == ["Gaza"] * 5
    assert spans["paragraph"].tolist() == [0, 1, 2, 4, 8]


def test_term_context_sample(sample_analysis):
    frame = sample_analysis.term_context("gaza", window=3)
    assert list(frame.columns) == list(CONTEXT_COLUMNS)
    assert frame.iloc[1].to_dict() == {
        "paragraph": 1,
        "start": 67,
        "end": 71,
        "left": "… a ceasefire in",
        "match": "Gaza",
        "right": ".",
    }


def test_term_context_bigram(sample_analysis):
    frame = sample_analysis.term_context("international community")
    assert frame["paragraph"].tolist() == [2, 7]


def test_keyword_in_context_window_zero():
    spans = pd.DataFrame({"paragraph": [1], "start": [4], "end": [9]})
    frame = keyword_in_context({1: "The quick fox"}, spans, window=0)
    assert frame[["left", "match", "right"]].values.tolist() == [["", "quick", ""]]
