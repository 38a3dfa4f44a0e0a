"""What the Article page shows of an analysis for a view (pure), on the sample article."""

from __future__ import annotations

import dataclasses

import pytest

from analysis import AnalysisOptions, WordOptions, analyze
from dashboard.article.link import ViewState
from dashboard.article.scope import hits, scope_of, selection_text

#: The Words options of the default view (ViewState()).
WORDS = WordOptions(
    stop_words=True, extra_stop_words=frozenset(), lemmas=False, min_length=2, ngram=1
)


@pytest.fixture(scope="module")
def with_removed(nlp, sample_bytes):
    """The sample article analysed with its removed lines (R9 to R12)."""
    return analyze(sample_bytes, nlp=nlp, options=AnalysisOptions(include_removed=True))


def test_scope_of_a_range_counts_its_entities_without_the_headline(sample_analysis):
    scope = scope_of(sample_analysis, ViewState(), first=3, last=4, options=WORDS)
    assert (scope.wanted, scope.entities.head(4)[["entity", "count"]].values.tolist()) == (
        [3, 4],
        [["China", 2], ["Israel", 2], ["Lin Jian", 2], ["Palestine", 2]],
    )


def test_scope_of_the_first_paragraph_takes_the_headline(sample_analysis):
    scope = scope_of(sample_analysis, ViewState(), first=1, last=8, options=WORDS)
    assert scope.wanted == [0, 1, 2, 3, 4, 5, 6, 7, 8]


def test_scope_of_a_selected_entity_finds_its_mentions(sample_analysis):
    scope = scope_of(sample_analysis, ViewState(sel="e:China"), first=1, last=8, options=WORDS)
    assert (scope.kind, scope.value, len(scope.hits), scope.selection_text) == (
        "entity",
        "China",
        10,
        "entity “China”",
    )


def test_scope_of_two_word_terms_hides_those_seen_once(sample_analysis):
    options = dataclasses.replace(WORDS, ngram=2)
    scope = scope_of(sample_analysis, ViewState(ngram=2), first=1, last=8, options=options)
    assert (scope.hidden_once, scope.words.head(2).values.tolist()) == (
        65,
        [["international community", 2], ["lin jian", 2]],
    )


def test_scope_of_a_selected_paragraph_marks_it_without_hits(sample_analysis):
    scope = scope_of(sample_analysis, ViewState(sel="p:3"), first=1, last=8, options=WORDS)
    assert (scope.selected_paragraph, scope.hits, scope.selection_text) == (3, [], "paragraph 3")


def test_scope_of_removed_lines_counts_them_when_included(with_removed):
    scope = scope_of(with_removed, ViewState(removed=True), first=1, last=8, options=WORDS)
    assert (scope.wanted[-4:], len(scope.paragraphs)) == ([9, 10, 11, 12], 13)


def test_scope_of_removed_lines_leaves_them_out_when_not_included(with_removed):
    scope = scope_of(with_removed, ViewState(removed=False), first=1, last=8, options=WORDS)
    assert (scope.wanted[-1], len(scope.paragraphs)) == (8, 9)


def test_hits_of_a_speaker_are_their_quotations(sample_analysis):
    found = hits(sample_analysis, "speaker", "Lin Jian", options=WORDS)
    assert [paragraph for paragraph, _, _ in found] == [7]


def test_hits_of_no_selection_are_none(sample_analysis):
    assert hits(sample_analysis, "", "", options=WORDS) == []


def test_selection_text_names_each_kind():
    assert [
        selection_text("word", "gaza", removed=[]),
        selection_text("speaker", "Lin Jian", removed=[]),
        selection_text("paragraph", "0", removed=[]),
        selection_text("paragraph", "9", removed=[9]),
        selection_text("", "", removed=[]),
    ] == [
        "word “gaza”",
        "quotations of “Lin Jian”",
        "the headline",
        "removed line R9",
        "",
    ]
