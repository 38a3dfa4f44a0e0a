from analysis.sources.collect.dedup import (
    MIN_WORDS,
    NUM_PERM,
    THRESHOLD,
    NearDuplicates,
    shingles,
    signature,
    signature_bytes,
    signature_from_bytes,
)
from tests.analysis.sources.collect.site import paragraphs

STORY = paragraphs("wire", 6)


def test_shingles_are_case_folded_word_triples():
    text = [
        "One two Three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty"
    ]
    grams = shingles(text)
    assert (len(grams), b"one two three" in grams, b"eighteen nineteen twenty" in grams) == (
        18,
        True,
        True,
    )


def test_shingles_of_a_short_text_are_empty():
    assert shingles(["too short " * ((MIN_WORDS - 1) // 2)]) == set()


def test_signature_of_a_short_text_is_none():
    assert signature(["a few words"]) is None


def test_signature_bytes_round_trip():
    minhash = signature(STORY)
    data = signature_bytes(minhash)
    assert (len(data), signature_from_bytes(data).jaccard(minhash)) == (4 * NUM_PERM, 1.0)


def test_a_copy_with_a_byline_and_without_its_last_paragraph_is_found():
    index = NearDuplicates()
    index.add("original", signature(STORY), url="https://a.example/story")
    copy = ["By Staff Reporter. LONDON (Wire) -", *STORY[:-1]]
    assert index.original_of(signature(copy), url="https://b.example/copy") == "original"


def test_a_different_story_is_not_a_copy():
    index = NearDuplicates()
    index.add("original", signature(STORY), url="https://a.example/story")
    assert index.original_of(signature(paragraphs("other", 6)), url="https://b.example/x") is None


def test_a_story_sharing_a_third_of_its_text_is_not_a_copy():
    index = NearDuplicates()
    index.add("original", signature(STORY), url="https://a.example/story")
    mixed = [*STORY[:2], *paragraphs("other", 4)]
    assert index.original_of(signature(mixed), url="https://b.example/x") is None


def test_an_earlier_revision_of_the_same_url_is_not_a_copy():
    index = NearDuplicates()
    index.add("rev1", signature(STORY), url="https://a.example/story")
    assert index.original_of(signature(STORY), url="https://a.example/story") is None


def test_the_first_indexed_original_wins():
    index = NearDuplicates()
    index.add("first", signature(STORY), url="https://a.example/1")
    index.add("second", signature(STORY[:-1]), url="https://a.example/2")
    assert index.original_of(signature(STORY), url="https://c.example/3") == "first"


def test_adding_a_key_twice_keeps_the_first():
    index = NearDuplicates()
    index.add("k", signature(STORY), url="https://a.example/1")
    index.add("k", signature(paragraphs("other", 6)), url="https://a.example/2")
    assert (len(index), index.original_of(signature(STORY), url="x")) == (1, "k")


def test_threshold_default():
    assert NearDuplicates().threshold == THRESHOLD == 0.5
