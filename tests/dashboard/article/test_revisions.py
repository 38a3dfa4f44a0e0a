"""The Article page's "Earlier revisions": the diff drawn as HTML, and the view through AppTest
on a corpus collected twice from a loopback site whose story was edited in between."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.runners.collect import run_collect
from analysis.sources.collect import CollectOptions
from analysis.storage.corpus import collection, queries
from analysis.storage.corpus.collection import ParagraphChange
from analysis.storage.corpus.store import CorpusStore
from dashboard.article.revisions import change_counts, counts_line, diff_html
from dashboard.corpus.link import CorpusState
from tests.analysis.sources.collect.site import XML, Answer, Site, article, rss

APP = Path(__file__).resolve().parent / "revisions_app.py"
KEY = "article_revisions"
FIRST = [
    "The harbour council met on Monday to discuss the storm damage.",
    "Farmers said the river rose two metres overnight and flooded the fields.",
    "The mayor promised a report by Friday.",
]
SECOND = [
    "The harbour council met on Monday to discuss the storm damage.",
    "Farmers said the river rose three metres overnight and flooded the lower fields.",
    "The mayor promised a report by Friday.",
    "Update: the railway bridge reopened on Tuesday evening.",
]


# -- the diff as HTML -------------------------------------------------------------------------

CHANGES = [
    ParagraphChange("same", 0, 0, "Storm hits", "Storm hits"),
    ParagraphChange(
        "changed",
        1,
        1,
        "It rose two metres.",
        "It rose three metres.",
        (("=", "It rose "), ("-", "two "), ("+", "three "), ("=", "metres.")),
    ),
    ParagraphChange("removed", 2, None, "Old <b>note</b>.", ""),
    ParagraphChange("added", None, 2, "", "New line."),
]


def test_change_counts_has_every_kind():
    assert change_counts(CHANGES[:2]) == {"changed": 1, "added": 0, "removed": 0, "same": 1}


def test_counts_line_reads_as_a_sentence():
    assert counts_line(change_counts(CHANGES)) == (
        "1 paragraph(s) edited, 1 added, 1 removed, 1 unchanged"
    )


def test_diff_html_marks_removed_and_added_words():
    assert diff_html(CHANGES[1:2]) == (
        '<div class="nl-rev"><p><span class="nl-rev-tag">¶1, edited</span>'
        "It rose <del>two </del><ins>three </ins>metres.</p></div>"
    )


def test_diff_html_escapes_and_leaves_unchanged_paragraphs_out():
    html = diff_html(CHANGES)
    assert ("Storm hits" not in html, "Old &lt;b&gt;note&lt;/b&gt;." in html, "<b>" in html) == (
        True,
        True,
        False,
    )


def test_diff_html_shows_unchanged_paragraphs_when_asked():
    assert '<span class="nl-rev-tag">headline</span><span class="nl-rev-same">Storm hits' in (
        diff_html(CHANGES, unchanged=True)
    )


# -- the view ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def revised(tmp_path_factory, nlp) -> tuple[Path, str, str]:
    """A corpus ``news.duckdb`` holding two revisions of one story; (data folder, the old
    revision's key, the new one's)."""
    folder = tmp_path_factory.mktemp("revisions-data")
    store = CorpusStore(folder / "news.duckdb")
    with Site("127.0.0.1") as site:
        host = site.host("127.0.0.1")
        url = f"{host.base}/story/1"
        host.routes["/feed.xml"] = Answer(200, rss([(url, "Fri, 01 Mar 2024 10:00:00 GMT")]), XML)
        host.routes["/story/1"] = Answer(200, article("Storm damage", FIRST))
        options = CollectOptions(delay=0, allow_private=True, revisit_days=1)
        run_collect([f"{host.base}/feed.xml"], store=store, options=options, nlp=nlp)
        host.routes["/story/1"] = Answer(200, article("Storm damage", SECOND))
        report = run_collect([f"{host.base}/feed.xml"], store=store, options=options, nlp=nlp)
    assert report.revisions == 1
    old, new = collection.article_revisions(store, doc_key=_any_key(store))["doc_key"]
    return folder, old, new


def _any_key(store: CorpusStore) -> str:
    return str(queries.article_table(store, limit=1)["doc_key"].iloc[0])


def _app(monkeypatch, tmp_path, folder: Path, key: str, *, text: str | None = None) -> AppTest:
    monkeypatch.setenv("NEWSLENS_DATA_DIR", str(folder))
    store = CorpusStore(folder / "news.duckdb")
    article_file = tmp_path / "article.txt"
    if text is None:
        text = str(queries.article_texts(store, keys=[key]).iloc[0]["text"])
    article_file.write_text(text, encoding="utf-8")
    monkeypatch.setenv("NEWSLENS_TEST_ARTICLE", str(article_file))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["corpus_state"] = CorpusState(corpus="news.duckdb")
    at.session_state["corpus_open_article"] = key
    return at


def test_revisions_of_the_latest_show_the_edit_and_the_added_paragraph(
    revised, monkeypatch, tmp_path
):
    folder, _, new = revised
    at = _app(monkeypatch, tmp_path, folder, new).run()
    assert not at.exception
    assert at.caption[0].value == "1 paragraph(s) edited, 1 added, 0 removed, 3 unchanged"
    (body,) = [e.proto.body for e in at.get("html")]
    assert (
        "river rose <del>two </del><ins>three </ins>metres overnight and flooded the "
        "<ins>lower </ins>fields." in body
    )
    assert '<span class="nl-rev-added">Update: the railway bridge reopened' in body


def test_revisions_offer_both_revisions_oldest_first(revised, monkeypatch, tmp_path):
    folder, old, new = revised
    at = _app(monkeypatch, tmp_path, folder, new).run()
    picker = at.selectbox(key=f"{KEY}_old")
    assert ([o.split(" · ")[0] for o in picker.options], picker.value) == (
        ["Revision 1", "Revision 2"],
        old,
    )


def test_revisions_are_not_shown_for_another_text(revised, monkeypatch, tmp_path):
    folder, _, new = revised
    at = _app(monkeypatch, tmp_path, folder, new, text="Another article entirely.").run()
    assert not at.exception
    assert (len(at.expander), len(at.get("html"))) == (0, 0)


def test_diff_html_escapes_script_and_image_handlers_in_every_kind_of_change():
    script, image = "<script>alert(1)</script>", '<img src=x onerror="alert(2)">'
    changes = [
        ParagraphChange("changed", 0, 0, "a", "b", (("=", script), ("-", image), ("+", script))),
        ParagraphChange("removed", 1, None, image, ""),
        ParagraphChange("added", None, 1, "", script),
    ]
    html = diff_html(changes)
    assert (
        "<script" in html,
        "<img" in html,
        html.count("&lt;script&gt;alert(1)&lt;/script&gt;"),
    ) == (
        False,
        False,
        3,
    )
