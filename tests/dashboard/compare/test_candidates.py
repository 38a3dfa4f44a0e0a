"""The articles the Compare page can compare."""

from __future__ import annotations

import hashlib

import pytest

from analysis.errors import ArticleError
from dashboard.compare.candidates import added_candidate, seed_candidates

LYON = b"Lyon market reopens\n\nTraders in Lyon reopened the covered market on Saturday."


def test_seed_candidates_are_the_samples_by_title(sample_bytes):
    (first, *_) = seed_candidates()
    assert (first.key, first.label, first.source) == (
        hashlib.sha256(sample_bytes).hexdigest(),
        "Sample: China Urges International Efforts to Cease Gaza Conflict",
        "china-urges-gaza-ceasefire-2024-03-21.txt",
    )


def test_added_candidate_is_labelled_by_kind_and_title():
    candidate = added_candidate(LYON, source="pasted text", kind="Pasted")
    assert (candidate.key, candidate.label, candidate.raw) == (
        hashlib.sha256(LYON).hexdigest(),
        "Pasted: Lyon market reopens",
        LYON,
    )


def test_added_candidate_of_an_empty_text_is_refused():
    with pytest.raises(ArticleError, match="empty"):
        added_candidate(b"   ", source="pasted text", kind="Pasted")
