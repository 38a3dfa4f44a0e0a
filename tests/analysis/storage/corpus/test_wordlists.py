import re
from collections import Counter

import pandas as pd
import pytest

from analysis.storage.corpus import CorpusStore
from analysis.storage.corpus.keywords import keyness
from analysis.storage.corpus.queries import top_terms
from analysis.storage.corpus.wordlists import extra_words
from tests.analysis.storage.corpus import article_tables, corpus, key

WORD = re.compile(r"[^\W\d_]+")
INTERVIEW = [
    "Interview with a candidate",
    "((WN)) Why did you run in Cairo?",
    "((WSS)) Because Cairo needed a voice, and WN readers asked.",
    "WN: What comes next?",
    "JOHN SMITH: More talks.",
]


def interview(name: str, paragraphs: list[str], *, source: str = "delta.news"):
    """An article of the test corpus whose paragraphs are ``paragraphs`` (terms recounted)."""
    tables = article_tables("a1")
    k = key(name)
    tables = {n: f.assign(doc_key=k) for n, f in tables.items()}
    tables["articles"] = tables["articles"].assign(source=source, title=paragraphs[0])
    tables["paragraphs"] = pd.DataFrame(
        {
            "doc_key": k,
            "paragraph": range(len(paragraphs)),
            "kind": ["headline"] + ["body"] * (len(paragraphs) - 1),
            "text": paragraphs,
            "polarity": 0.0,
            "subjectivity": 0.5,
            "vader": 0.0,
            "words": [len(WORD.findall(t)) for t in paragraphs],
            "sentences": 1,
        }
    ).astype(tables["paragraphs"].dtypes.to_dict())
    rows = [
        {
            "doc_key": k,
            "paragraph": i,
            "term": t,
            "lemma": t,
            "is_stop": t in {"a", "did", "you", "in", "and", "with", "what", "more"},
            "count": c,
        }
        for i, text in enumerate(paragraphs)
        for t, c in sorted(Counter(w.casefold() for w in WORD.findall(text)).items())
    ]
    tables["terms"] = pd.DataFrame(rows).astype(tables["terms"].dtypes.to_dict())
    for name_ in ("sentences", "mentions", "entities", "quotes", "entity_sentences"):
        tables[name_] = tables[name_].iloc[0:0]
    return tables


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = CorpusStore(tmp_path_factory.mktemp("corpus") / "corpus.duckdb")
    store.add([*corpus(), interview("iv", INTERVIEW)])
    return store


def counts(frame):
    return dict(zip(frame["term"], frame["count"], strict=True))


def test_speaker_labels_top_the_counts_when_kept(store):
    """The defect: "wn" and "wss" topped the Corpus page's word counts."""
    frame = top_terms(store, sources=["delta.news"], drop_markers=False, limit=1)
    assert frame.values.tolist() == [["wn", 3, 1]]


def test_speaker_labels_left_out_by_default(store):
    found = counts(top_terms(store, sources=["delta.news"], limit=50))
    assert (found.get("wss"), found.get("john"), found.get("smith"), found["wn"]) == (
        None,
        None,
        None,
        1,
    )


def test_speaker_label_word_keeps_its_other_uses(store):
    frame = top_terms(store, limit=100)
    assert frame.loc[frame["term"] == "wn", ["count", "articles"]].values.tolist() == [[1, 1]]


def test_speaker_labels_without_markers_counts(store):
    found = counts(top_terms(store, sources=["delta.news"], drop_markers=False, limit=50))
    assert (found["wn"], found["wss"], found["john"]) == (3, 1, 1)


def test_speaker_labels_left_out_of_keyness(store):
    frame = keyness(store, of_source="delta.news", min_count=1, min_g2=0)
    assert "wss" not in set(frame["term"])


def test_extra_stop_words_left_out(store):
    found = counts(top_terms(store, extra_stop_words=["Said, talks", "GAZA"], limit=8))
    assert {"said", "talks", "gaza"} & set(found) == set()


def test_extra_words_split_and_folded():
    assert extra_words(["Said, also; Mr", "  ", "ALSO"]) == ["also", "mr", "said"]


def test_top_terms_order_after_recount(store):
    frame = top_terms(store, limit=4)
    assert frame.values.tolist() == [
        ["said", 7, 6],
        ["cairo", 7, 4],
        ["talks", 7, 4],
        ["egypt", 5, 4],
    ]


def test_top_terms_recounted_word_in_its_place(store):
    frame = top_terms(store, limit=200)
    ordered = frame.sort_values(["count", "articles", "term"], ascending=[False, False, True])
    assert frame["term"].tolist() == ordered["term"].tolist()
