"""The collector's tables, revisions and copies in the corpus store."""

import pandas as pd
import pytest

from analysis.storage.corpus import CorpusStore, collection
from analysis.storage.corpus.collection import ParagraphChange, paragraph_diff, word_diff
from tests.analysis.storage.corpus import corpus, key
from tests.analysis.storage.corpus.test_counted import copy_of_a1, revision_of_a3, variant


def url_row(url, status, **fields):
    return {
        "url": url,
        "status": status,
        "reason": None,
        "doc_key": None,
        "listed_date": None,
        "listed_by": None,
        "source": "https://alpha.news/feed",
        "attempts": 0,
    } | fields


def save(store, *, urls=(), listings=(), signatures=(), sources=(), summary="run"):
    collection.save_run(
        store,
        urls=list(urls),
        listings=list(listings),
        signatures=list(signatures),
        sources=list(sources),
        summary=summary,
    )


@pytest.fixture
def store(tmp_path):
    store = CorpusStore(tmp_path / "corpus.duckdb")
    store.add(corpus())
    return store


def test_known_urls_a_stored_article_wins_over_an_earlier_outcome(store):
    save(store, urls=[url_row("https://alpha.news/a1", "failed", attempts=2)])
    save(store, urls=[url_row("https://alpha.news/new", "refused", reason="HTTP 404")])
    found = collection.known_urls(
        store, ["https://alpha.news/a1", "https://alpha.news/new", "https://alpha.news/none"]
    )
    assert {url: (row["status"], row["doc_key"], row["reason"]) for url, row in found.items()} == {
        "https://alpha.news/a1": ("stored", key("a1"), None),
        "https://alpha.news/new": ("refused", None, "HTTP 404"),
    }


def test_known_urls_ignores_older_revisions(store):
    store.add([revision_of_a3()])
    found = collection.known_urls(store, ["https://beta.news/a3"])
    assert found["https://beta.news/a3"]["doc_key"] == key("a3-r2")


def test_save_run_keeps_the_last_outcome_of_a_url(store):
    save(store, urls=[url_row("https://x.news/1", "pending")])
    save(
        store,
        urls=[
            url_row("https://x.news/1", "failed", attempts=1),
            url_row("https://x.news/1", "stored", doc_key="k"),
        ],
    )
    row = collection.known_urls(store, ["https://x.news/1"])["https://x.news/1"]
    assert (row["status"], row["doc_key"], row["attempts"]) == ("stored", "k", 0)


def test_retry_urls_pending_and_failed_for_now_of_these_sources(store):
    save(
        store,
        urls=[
            url_row("https://x.news/pending", "pending"),
            url_row("https://x.news/failed-once", "failed", attempts=1),
            url_row("https://x.news/failed-thrice", "failed", attempts=3),
            url_row("https://x.news/refused", "refused"),
            url_row("https://x.news/other", "pending", source="https://other.news/feed"),
        ],
    )
    rows = collection.retry_urls(store, sources=["https://alpha.news/feed"], max_attempts=3)
    assert sorted(row["url"] for row in rows) == [
        "https://x.news/failed-once",
        "https://x.news/pending",
    ]


def test_listing_cache_round_trip(store):
    save(
        store,
        listings=[
            {
                "url": "https://alpha.news/",
                "kind": "html",
                "etag": '"e1"',
                "last_modified": "Tue, 05 Mar 2024 10:00:00 GMT",
                "status": "read",
                "items": 0,
                "found": ("https://alpha.news/feed.xml",),
            }
        ],
    )
    row = collection.listing_cache(store)["https://alpha.news/"]
    assert (row["kind"], row["etag"], row["last_modified"], row["found"]) == (
        "html",
        '"e1"',
        "Tue, 05 Mar 2024 10:00:00 GMT",
        ("https://alpha.news/feed.xml",),
    )


def test_sources_listed_with_the_last_summary_and_kind_kept(store):
    save(store, sources=[("https://alpha.news/", "site")], summary="3 new")
    save(store, sources=[("https://alpha.news/", None)], summary="0 new")
    rows = collection.collect_sources(store)
    assert rows[["source", "kind", "summary"]].values.tolist() == [
        ["https://alpha.news/", "site", "0 new"]
    ]


def test_remove_sources(store):
    save(store, sources=[("https://alpha.news/", "site"), ("urls.txt", "list")])
    assert (
        collection.remove_sources(store, ["urls.txt", "none"]),
        list(collection.collect_sources(store)["source"]),
    ) == (
        1,
        ["https://alpha.news/"],
    )


def test_signatures_of_counted_originals_only(store):
    store.add([copy_of_a1()])
    save(
        store,
        signatures=[(key("a1"), b"\x01" * 8), (key("a1-copy"), b"\x02" * 8), (key("a2"), b"")],
    )
    assert list(collection.signatures(store)) == [(key("a1"), "https://alpha.news/a1", b"\x01" * 8)]


def test_unsigned_articles_with_their_body(store):
    collection.save_signatures(store, [(key(f"a{n}"), b"") for n in range(2, 9)])
    assert list(collection.unsigned_articles(store)) == [
        (
            key("a1"),
            "https://alpha.news/a1",
            (
                "Egypt hosted ceasefire talks in Cairo with Qatar.",
                '"The talks were constructive," said Ann Lee of the United Nations.',
            ),
        )
    ]


def test_revisit_articles_latest_revision_with_its_text(store):
    store.add(
        [
            variant(
                "a2",
                "a2-fetched",
                url="https://alpha.news/fetched",
                fetched_at=pd.Timestamp("2024-05-01 10:00"),
            )
        ]
    )
    rows = collection.revisit_articles(
        store, first_fetched_after=pd.Timestamp("2024-04-30").to_pydatetime()
    )
    assert [(r["url"], r["doc_key"], r["revision"], r["text"][0]) for r in rows] == [
        ("https://alpha.news/fetched", key("a2-fetched"), 1, "Aid trucks wait at the border")
    ]


def test_revisit_articles_first_fetched_too_long_ago(store):
    store.add(
        [
            variant(
                "a2",
                "a2-fetched",
                url="https://alpha.news/fetched",
                fetched_at=pd.Timestamp("2024-05-01 10:00"),
            )
        ]
    )
    assert (
        collection.revisit_articles(
            store, first_fetched_after=pd.Timestamp("2024-06-01").to_pydatetime()
        )
        == []
    )


def test_fetched_since(store):
    store.add([revision_of_a3()])
    since = pd.Timestamp("2024-03-13 07:00").to_pydatetime()
    assert collection.fetched_since(store, [key("a3"), key("a3-r2")], since) == {key("a3-r2")}


def test_article_revisions(store):
    store.add([revision_of_a3()])
    frame = collection.article_revisions(store, doc_key=key("a3-r2"))
    assert frame[["doc_key", "revision", "latest"]].values.tolist() == [
        [key("a3"), 1, False],
        [key("a3-r2"), 2, True],
    ]


def test_story_copies_original_first(store):
    store.add([copy_of_a1()])
    frame = collection.story_copies(store, doc_key=key("a1-copy"))
    assert frame[["doc_key", "source"]].values.tolist() == [
        [key("a1"), "alpha.news"],
        [key("a1-copy"), "delta.news"],
    ]


def test_story_copies_of_an_unknown_key(store):
    assert len(collection.story_copies(store, doc_key="nope")) == 0


def test_revision_diff_between_stored_revisions(store):
    revision = revision_of_a3()
    edited = "Stocks rallied again after the central bank cut rates."
    frame = revision["paragraphs"]
    revision["paragraphs"] = frame.assign(text=frame["text"].where(frame["paragraph"] != 1, edited))
    store.add([revision])
    changes = collection.revision_diff(store, old_key=key("a3"), new_key=key("a3-r2"))
    assert [(c.change, c.old, c.new, c.words) for c in changes] == [
        ("same", 0, 0, ()),
        (
            "changed",
            1,
            1,
            (
                ("=", "Stocks rallied "),
                ("+", "again "),
                ("=", "after the central bank cut rates."),
            ),
        ),
        ("same", 2, 2, ()),
    ]


def test_paragraph_diff_kept_added_removed_changed():
    old = ["Headline", "The council met on Monday.", "Rents rose again.", "Old closing line."]
    new = [
        "Headline",
        "The council met on Tuesday.",
        "Rents rose again.",
        "A new closing paragraph here.",
    ]
    assert [(c.change, c.old, c.new) for c in paragraph_diff(old, new)] == [
        ("same", 0, 0),
        ("changed", 1, 1),
        ("same", 2, 2),
        ("removed", 3, None),
        ("added", None, 3),
    ]


def test_paragraph_diff_inserted_paragraph():
    changes = paragraph_diff(["A b c.", "D e f."], ["A b c.", "New one.", "D e f."])
    assert changes == [
        ParagraphChange("same", 0, 0, "A b c.", "A b c."),
        ParagraphChange("added", None, 1, "", "New one."),
        ParagraphChange("same", 1, 2, "D e f.", "D e f."),
    ]


def test_word_diff_marks_the_words():
    assert word_diff("The council met on Monday.", "The council met on Tuesday night.") == (
        ("=", "The council met on "),
        ("-", "Monday."),
        ("+", "Tuesday night."),
    )


def test_word_diff_kept_and_added_runs_give_the_new_text():
    new = "Rents rose  sharply again in Riverton."
    runs = word_diff("Rents rose again in Riverton today.", new)
    assert "".join(text for op, text in runs if op != "-") == new
