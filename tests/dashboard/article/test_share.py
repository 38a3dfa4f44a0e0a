"""Share links that outlive the server: a short article travels in its link (``text``), a long
one by its key in the share store (``article``); the Share control says which; a link whose
article cannot be read opens the sample with one message, and stores nothing."""

import base64
import random
import sqlite3
import zlib

import pytest

from analysis.storage.links import FORMAT_VERSION, decode_article, encode_article
from analysis.storage.shares import ArticleStore, article_key
from tests.dashboard.apptest import HEADLINE, open_sources, panel_text, run_app

SHORT = b"Harbour Talks Resume in Tromso\n\nBy Ann Lee\n\nThe harbour in Tromso reopened on Monday."
TEXT_NOTICE = "This link contains the article's text: anyone with the link can read it."
LOCAL_NOTICE = (
    "This link points to the copy of the article stored on this server: anyone with the link "
    "can read it there for as long as the server keeps its files (a hosted app's disk is wiped "
    "when it restarts)."
)


def long_article() -> bytes:
    """About 2,600 words that compress poorly: far too long for a link to carry."""
    rng = random.Random(18)
    letters = "abcdefghijklmnopqrstuvwxyz"
    paragraphs = [
        " ".join("".join(rng.choices(letters, k=rng.randint(4, 9))) for _ in range(130)) + "."
        for _ in range(20)
    ]
    return ("Long Report On Many Things\n\n" + "\n\n".join(paragraphs)).encode("utf-8")


def stored_rows(data_dir) -> int:
    path = data_dir / "articles.sqlite3"
    if not path.exists():
        return 0
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM newslens_articles").fetchone()[0]


def paste(at, raw: bytes):
    at = open_sources(at)
    at.text_area(key="article_sources_paste").input(raw.decode("utf-8"))
    at.button(key="article_sources_paste_go").click().run()
    assert not at.exception
    return at


def captions(at) -> list[str]:
    return [caption.value for caption in at.caption]


def test_pasted_article_link_carries_its_text(warm, data_dir):
    at = paste(run_app(), SHORT)
    assert decode_article(at.query_params["text"]) == (SHORT, "pasted text")


def test_pasted_article_link_names_no_stored_article(warm, data_dir):
    at = paste(run_app(), SHORT)
    assert ("article" in at.query_params, ArticleStore(data_dir).has(article_key(SHORT))) == (
        False,
        False,
    )


def test_share_control_says_the_link_holds_the_text(warm):
    at = paste(run_app(), SHORT)
    assert TEXT_NOTICE in captions(at)


def test_long_article_link_carries_its_stored_key(warm, data_dir):
    raw = long_article()
    at = paste(run_app(), raw)
    assert (
        at.query_params["article"],
        "text" in at.query_params,
        ArticleStore(data_dir).get(article_key(raw)).raw == raw,
    ) == (article_key(raw), False, True)


def test_share_control_says_the_link_points_to_this_servers_copy(warm):
    at = paste(run_app(), long_article())
    assert LOCAL_NOTICE in captions(at)


def test_sample_article_share_control_says_it_ships_with_newslens(warm):
    at = run_app()
    assert (
        "This link names a sample article that ships with NewsLens: it opens on any server."
        in captions(at)
    )


def test_text_link_opens_its_article_and_view(warm):
    at = run_app(text=encode_article(SHORT, source="pasted text"), tab="quotes", top="7")
    assert (
        "The harbour in Tromso reopened on Monday." in panel_text(at),
        at.query_params["tab"],
        at.query_params["top"],
        at.session_state["article_options_top"],
    ) == (True, "quotes", "7", 7)


def test_text_link_is_listed_by_its_title(warm):
    at = run_app(text=encode_article(SHORT, source="pasted text"))
    choice = at.selectbox(key="article_sources_choice")
    assert choice.format_func(choice.value) == "Harbour Talks Resume in Tromso"


def test_text_link_stores_nothing(warm, data_dir):
    before = stored_rows(data_dir)
    run_app(text=encode_article(SHORT + b" Once more.", source="pasted text"))
    assert stored_rows(data_dir) == before


def test_text_link_wins_over_an_article_key(warm):
    at = run_app(text=encode_article(SHORT), article="0" * 64)
    assert "The harbour in Tromso reopened on Monday." in panel_text(at)


def bomb() -> str:
    """A payload of the right format whose article would unpack to 5 MB of zeros."""
    packed = bytes([FORMAT_VERSION]) + zlib.compress(b"\0\0" + b"\0" * 5_000_000, 9)
    return base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


HOSTILE = [
    (
        "AQ-not-a-payload",
        "The article in this link cannot be opened: it is cut short or altered; showing the "
        "sample article instead.",
    ),
    (
        "A" * 9_000,
        "The article in this link cannot be opened: it is longer than 8,000 characters, more "
        "than any link carries; showing the sample article instead.",
    ),
    (
        bomb(),
        "The article in this link cannot be opened: its article would be larger than "
        "1,000,000 bytes once unpacked; showing the sample article instead.",
    ),
    (
        "<script>alert(1)</script>",
        "The article in this link cannot be opened: it has characters that no NewsLens link "
        "uses; showing the sample article instead.",
    ),
]


@pytest.mark.parametrize(("payload", "message"), HOSTILE, ids=["altered", "long", "bomb", "markup"])
def test_hostile_link_gives_one_message(warm, payload, message):
    at = run_app(text=payload, sel="w:china")
    assert [w.value for w in at.warning] == [message]


@pytest.mark.parametrize(
    "payload", [p for p, _ in HOSTILE], ids=["altered", "long", "bomb", "markup"]
)
def test_hostile_link_shows_the_sample_article(warm, payload):
    at = run_app(text=payload)
    assert (HEADLINE in panel_text(at), "text" in at.query_params, at.query_params["article"]) == (
        True,
        False,
        "china-urges-gaza-ceasefire-2024-03-21",
    )


def test_hostile_link_stores_nothing(warm, data_dir):
    before = stored_rows(data_dir)
    run_app(text=bomb())
    assert stored_rows(data_dir) == before


def test_long_article_with_a_full_store_says_its_link_cannot_reopen_it(warm, tmp_path, monkeypatch):
    from dashboard.article import state

    full = ArticleStore(tmp_path, max_bytes=10)
    monkeypatch.setattr(state, "load_store", lambda: full)
    at = paste(run_app(), long_article())
    assert [w.value for w in at.warning][-1:] == [
        "This link cannot reopen the article: The share store is full, so this article cannot "
        "get a link right now; it is still analysed below."
    ]
