import math
import re
from collections import Counter
from datetime import date

import pytest

from analysis.storage.corpus import CorpusStore
from analysis.storage.corpus.keywords import Target, default_target, keyness
from tests.analysis.storage.corpus import SPEC, corpus, key

WORD = re.compile(r"[^\W\d_]+")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = CorpusStore(tmp_path_factory.mktemp("corpus") / "corpus.duckdb")
    store.add(corpus())
    return store


def rows(frame):
    return [
        (r.term, r.count, r.reference, round(r.g2, 6), round(r.log_ratio, 6))
        for r in frame.itertuples()
    ]


def test_keyness_of_an_outlet(store):
    assert rows(keyness(store, of_source="alpha.news")) == [("talks", 5, 1, 4.541219, 2.840395)]


def test_keyness_g2_as_written_by_hand():
    """G2 = 2 (a ln(a/E1) + b ln(b/E2)) over the test corpus's words, outlet alpha.news."""
    target, rest = Counter(), Counter()
    for _, source, _, title, body, _, _ in SPEC:
        words = [w.casefold() for t in [title, *(b for b, _ in body)] for w in WORD.findall(t)]
        (target if source == "alpha.news" else rest).update(words)
    a, b, c, d = target["talks"], rest["talks"], sum(target.values()), sum(rest.values())
    e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
    assert round(2 * (a * math.log(a / e1) + b * math.log(b / e2)), 6) == 4.541219


def test_keyness_p_value(store):
    assert round(keyness(store, of_source="alpha.news")["p"].iloc[0], 6) == 0.033088


def test_keyness_minimum_count_leaves_out_words_seen_once(store):
    frame = keyness(store, of_source="alpha.news", min_count=2, min_g2=0)
    assert frame["count"].min() == 2


def test_keyness_ties_broken_by_log_ratio_then_word(store):
    frame = keyness(store, of_source="alpha.news", min_count=2, min_g2=0)
    assert rows(frame)[:6] == [
        ("talks", 5, 1, 4.541219, 2.840395),
        ("border", 2, 0, 3.555567, 2.518467),
        ("ceasefire", 2, 0, 3.555567, 2.518467),
        ("deal", 2, 0, 3.555567, 2.518467),
        ("trucks", 2, 0, 3.555567, 2.518467),
        ("cairo", 4, 1, 3.166145, 2.518467),
    ]


def test_keyness_of_a_month(store):
    frame = keyness(store, of_start="2024-04-01", of_end="2024-04-30", min_count=2, min_g2=0)
    assert rows(frame)[:2] == [
        ("deal", 2, 0, 4.136295, 2.857981),
        ("steady", 2, 0, 4.136295, 2.857981),
    ]


def test_keyness_against_the_rest_of_the_selection(store):
    """The reference is the selection without the target, not the whole corpus."""
    frame = keyness(store, of_source="alpha.news", text="gaza OR cairo", min_count=2, min_g2=0)
    assert rows(frame)[:1] == [("border", 2, 0, 2.096995, 1.462972)]


def test_keyness_target_outside_the_selection_is_empty(store):
    assert len(keyness(store, of_source="alpha.news", sources=["beta.news"])) == 0


def test_keyness_of_no_outlet(store):
    frame = keyness(store, of_source="(no outlet)", min_count=2)
    assert rows(frame) == [
        ("steady", 2, 0, 9.939627, 5.459432),
        ("rates", 2, 1, 6.294564, 4.459432),
    ]


def test_keyness_of_an_article(store):
    assert keyness(store, doc_key=key("a5"), min_count=2)["term"].tolist() == [
        "floods",
        "northern",
        "towns",
    ]


def test_keyness_leaves_out_the_readers_words(store):
    frame = keyness(store, doc_key=key("a5"), min_count=2, extra_stop_words=["Floods"])
    assert frame["term"].tolist() == ["northern", "towns"]


def test_keyness_needs_a_target(store):
    with pytest.raises(ValueError, match="target"):
        keyness(store)


def test_keyness_columns_when_empty(store):
    frame = keyness(store, of_source="nowhere.example")
    assert (list(frame.columns), len(frame)) == (
        ["term", "count", "reference", "g2", "log_ratio", "p"],
        0,
    )


def test_default_target_largest_outlet(store):
    assert default_target(store) == Target("source", "alpha.news", 3, "alpha.news")


def test_default_target_inside_the_date_filter(store):
    """The defect: the view opened on the corpus's last month whatever the filter."""
    target = default_target(store, sources=["gamma.news"], end="2024-03-31")
    assert target is None


def test_default_target_month_when_one_outlet(store):
    assert default_target(store, sources=["gamma.news"]) == Target(
        "month", "2024-04", 1, "April 2024"
    )


def test_default_target_arguments_of_a_month():
    assert Target("month", "2024-02", 3, "February 2024").arguments() == {
        "of_start": date(2024, 2, 1),
        "of_end": date(2024, 2, 29),
    }
