"""What several articles share and what sets each apart (pure)."""

from __future__ import annotations

import pandas as pd

from dashboard.compare.passages import (
    NearDuplicate,
    aligned_counts,
    exclusive_items,
    near_duplicates,
    shingles,
)

WIRE = (
    "The central bank raised its main interest rate by half a point on Tuesday, citing inflation."
)


def test_shingles_five_word_grams():
    assert shingles("One two three four five six") == frozenset(
        {("one", "two", "three", "four", "five"), ("two", "three", "four", "five", "six")}
    )


def test_shingles_short_text_has_none():
    assert shingles("Too short to say") == frozenset()


def test_near_duplicates_finds_shared_wire_copy():
    found = near_duplicates(
        [
            [(1, WIRE), (2, "Shop owners in Lyon said prices kept rising.")],
            [(1, WIRE + " Markets fell."), (2, "Analysts in Madrid expected the move.")],
        ]
    )
    assert found == [NearDuplicate(0, 1, 1, 1, 0.8571)]


def test_near_duplicates_below_threshold_left_out():
    assert (
        near_duplicates(
            [[(1, "the cat sat on the mat today")], [(1, "the cat sat on a mat yesterday")]]
        )
        == []
    )


def test_near_duplicates_never_within_one_article():
    assert near_duplicates([[(1, WIRE), (2, WIRE)], [(1, "Nothing alike in this one here.")]]) == []


def test_exclusive_items_per_article():
    assert exclusive_items(
        [["Lyon", "Bank", "France"], ["Madrid", "Bank"], ["Bank", "France"]]
    ) == [["Lyon"], ["Madrid"], []]


def test_aligned_counts_union_with_zeros_and_only_in():
    first = pd.DataFrame({"term": ["bank", "lyon"], "count": [3, 1]})
    second = pd.DataFrame({"term": ["bank", "madrid"], "count": [1, 2]})
    table = aligned_counts([first, second], names=["A", "B"], item="term", value="count")
    assert table.to_dict("records") == [
        {"term": "bank", "A": 3, "B": 1, "only in": ""},
        {"term": "madrid", "A": 0, "B": 2, "only in": "B"},
        {"term": "lyon", "A": 1, "B": 0, "only in": "A"},
    ]
