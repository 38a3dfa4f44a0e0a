"""The Article page's state through AppTest: the link read into the widgets and checked
against its article, Back and Forward, the selection (bar clicks, Clear, another article),
an article handed over by another page, and the one naming scheme of its session keys."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from analysis.storage.links import decode_article
from analysis.storage.shares import ArticleStore, article_key
from tests.dashboard.apptest import (
    HEADLINE,
    article_html,
    figure,
    frame_with,
    hits,
    open_options,
    open_sources,
    open_tables,
    panel_text,
    run_app,
    show_tab,
)


def test_query_params_restore_view(warm):
    at = run_app(top="5", ngram="2", model="textblob", sel="w:gaza", tab="context")
    assert [e.label for e in at.sidebar.expander][1:] == [
        "Words · 2 changed",
        "Sentiment · 1 changed",
        "Entities",
    ]
    open_options(at, "words")
    assert at.slider(key="article_options_top").value == 5
    assert len(at.get("plotly_chart")) == 0  # the Charts tab is not the open one
    assert frame_with(at, "paragraph", "left", "match", "right")["match"].tolist() == ["Gaza"] * 5
    assert hits(at) == ["Gaza"] * 5
    assert {k: at.query_params[k] for k in ("top", "ngram", "model", "sel", "tab")} == {
        "top": "5",
        "ngram": "2",
        "model": "textblob",
        "sel": "w:gaza",
        "tab": "context",
    }
    show_tab(at, "Charts")
    assert frame_with(at, "term", "count").iloc[0].tolist() == ["international community", 2]
    assert figure(at, 1)["data"][0]["name"] == "TextBlob polarity"
    assert "tab" not in at.query_params  # the default tab


def test_bad_query_values_fall_back(warm):
    at = run_app(top="9999", model="bert")
    assert [w.value for w in at.warning] == [
        "Parts of this link were ignored: “top” (top terms) must be a number from 3 to 50; "
        "“model” (sentiment model) must be vader or textblob."
    ]
    open_options(at, "words")
    assert at.slider(key="article_options_top").value == 15


def test_link_with_an_entity_not_in_the_article_drops_the_selection(warm):
    at = run_app(sel="e:Atlantis", top="5")
    assert [w.value for w in at.warning] == [
        "Part of this link was ignored: the selected entity “Atlantis” does not occur in this "
        "article."
    ]
    assert (hits(at), "sel" in at.query_params, at.query_params["top"]) == ([], False, "5")


def test_link_with_a_paragraph_range_beyond_the_article_is_reset(warm):
    at = run_app(first="3", last="40")
    assert [w.value for w in at.warning] == [
        "Part of this link was ignored: the paragraph range 3 to 40 does not fit this article, "
        "which has 8 paragraphs; all paragraphs are shown."
    ]
    assert at.slider(key="article_range").value == (1, 8)


def test_link_with_a_word_not_in_the_article_drops_the_selection(warm):
    at = run_app(sel="w:zebra")
    assert [w.value for w in at.warning] == [
        "Part of this link was ignored: the selected word “zebra” does not occur in this "
        "article as counted with the link's word options."
    ]


def test_link_messages_are_one_warning(warm):
    at = run_app(top="1", sel="e:Atlantis", colour="red")
    assert len(at.warning) == 1
    assert at.warning[0].value.startswith(
        "Parts of this link were ignored: “top” (top terms) "
        "must be a number from 3 to 50; “colour” is not a "
        "setting a NewsLens link carries; the selected entity "
        "“Atlantis” does not occur in this article."
    )


def test_unknown_article_never_keeps_the_links_selection(warm):
    at = run_app(article="0" * 64, sel="e:China")
    assert HEADLINE in panel_text(at)
    assert hits(at) == []
    assert "sel" not in at.query_params
    assert [w.value for w in at.warning] == [
        "Part of this link was ignored: this link's article cannot be opened: it is not stored "
        "on this server (it may come from another NewsLens server); the sample article is shown "
        "without the link's selection."
    ]


def test_malformed_article_key(warm):
    at = run_app(article="../../etc/passwd")
    assert HEADLINE in panel_text(at)
    assert [w.value for w in at.warning] == [
        "Part of this link was ignored: this link's article cannot be opened: it names no "
        "sample article and no stored one; the sample article is shown."
    ]
    assert "key" not in at.warning[0].value


def test_unknown_article_key(warm):
    at = run_app(article="0" * 64)
    assert HEADLINE in panel_text(at)
    assert "it is not stored on this server" in at.warning[0].value
    assert at.query_params["article"] == "china-urges-gaza-ceasefire-2024-03-21"


def test_stored_article_opens_from_link(warm, data_dir):
    key = ArticleStore(data_dir).put(
        b"Shared Story Title\n\nA shared paragraph here.", source="pasted text"
    )
    at = run_app(article=key)
    assert "Shared Story Title" in panel_text(at)
    # Reshared, the link carries the article itself: it no longer depends on the store.
    assert decode_article(at.query_params["text"]).raw == (
        b"Shared Story Title\n\nA shared paragraph here."
    )


def test_stored_article_is_listed_by_its_title_on_the_first_run(warm, data_dir):
    key = ArticleStore(data_dir).put(
        b"Shared Story Title\n\nA shared paragraph here.", source="pasted text"
    )
    at = run_app(article=key)
    assert at.selectbox(key="article_sources_choice").format_func(key) == "Shared Story Title"


def test_history_navigation_restores_the_view_of_the_url(warm, monkeypatch):
    from dashboard import history

    at = run_app()
    at.session_state["article_entities_chart"] = {
        "selection": {
            "points": [{"customdata": "Gaza", "y": "Gaza", "x": 5}],
            "point_indices": [0],
            "box": [],
            "lasso": [],
        },
    }
    at.run()
    show_tab(at, "Quotes")
    assert (at.query_params["tab"], at.query_params["sel"]) == ("quotes", "e:Gaza")
    # Back: Streamlit reruns with the previous entry's query string, flagged as history.
    monkeypatch.setattr(history, "is_history_navigation", lambda: True)
    at.query_params.clear()
    at.query_params.update(article="china-urges-gaza-ceasefire-2024-03-21", sel="e:Gaza")
    at.run()
    assert not at.exception
    assert (at.session_state["article_tab"], len(hits(at))) == ("Charts", 5)
    assert "tab" not in at.query_params


def test_without_history_navigation_the_url_does_not_override_the_view(warm):
    at = run_app()
    show_tab(at, "Quotes")
    at.query_params.clear()
    at.query_params.update(article="china-urges-gaza-ceasefire-2024-03-21")
    at.run()
    assert at.query_params["tab"] == "quotes"


def test_plotly_selection_highlights_text(warm):
    at = run_app()
    at.session_state["article_entities_chart"] = {
        "selection": {
            "points": [
                {
                    "customdata": "Lin Jian",
                    "y": "Lin Jian",
                    "x": 3,
                    "point_index": 0,
                    "curve_number": 0,
                }
            ],
            "point_indices": [0],
            "box": [],
            "lasso": [],
        },
    }
    at.run()
    assert hits(at) == ["Lin Jian", "Lin Jian", "Lin"]
    assert at.query_params["sel"] == "e:Lin Jian"


def test_paragraph_selection_marks_paragraph(warm):
    at = run_app()
    at.session_state["article_sentiment_chart"] = {
        "selection": {
            "points": [{"customdata": [5, "", "", "positive"], "x": "5", "point_index": 5}],
            "point_indices": [5],
            "box": [],
            "lasso": [],
        },
    }
    at.run()
    assert 'class="nl-p nl-selected" id="nl-p5"' in article_html(at)
    assert at.query_params["sel"] == "p:5"


def test_clear_selection(warm):
    at = run_app(sel="e:China")
    assert len(hits(at)) == 10
    at.button(key="article_bar_clear").click().run()
    assert hits(at) == []
    assert "sel" not in at.query_params


def test_second_click_on_selected_bar_deselects(warm):
    at = run_app()
    event = {
        "selection": {
            "points": [{"customdata": "China"}],
            "point_indices": [0],
            "box": [],
            "lasso": [],
        }
    }
    at.session_state["article_entities_chart"] = event
    at.run()
    assert len(hits(at)) == 10
    at.session_state["article_entities_chart_1"] = event  # the chart's key after the first click
    at.run()
    assert hits(at) == []


def test_selection_survives_option_changes(warm):
    at = run_app()
    at.session_state["article_sentiment_chart"] = {
        "selection": {
            "points": [{"customdata": [3, "", "", "negative"]}],
            "point_indices": [3],
            "box": [],
            "lasso": [],
        },
    }
    at.run()
    at.session_state["article_options_model"] = "vader"
    open_options(at, "entities")
    at.number_input(key="article_options_mincount").set_value(2).run()
    assert at.query_params["sel"] == "p:3"
    assert 'class="nl-p nl-selected" id="nl-p3"' in article_html(at)


def test_another_article_starts_with_no_selection(warm):
    at = open_sources(run_app(sel="w:gaza"))
    assert hits(at) == ["Gaza"] * 5  # a link's own selection is kept
    at.text_area(key="article_sources_paste").input(
        "Budget Talks Resume in Gaza\n\nBy Ann Lee\n\nNegotiators met Ann Lee in Gaza."
    )
    at.button(key="article_sources_paste_go").click().run()
    assert not at.exception
    assert "Budget Talks Resume in Gaza" in panel_text(at)
    assert hits(at) == []
    assert "sel" not in at.query_params
    at.selectbox(key="article_sources_choice").set_value(
        "china-urges-gaza-ceasefire-2024-03-21"
    ).run()
    assert hits(at) == [] and "sel" not in at.query_params


@pytest.mark.parametrize(
    ("point", "selection", "shown"),
    [
        ({"x": "H"}, "p:0", "the headline"),
        ({"x": "R9"}, "p:9", "removed line R9"),
        ({"customdata": [9, "…", "…", "neutral"], "x": "R9"}, "p:9", "removed line R9"),
        ({"x": "4"}, "p:4", "paragraph 4"),
    ],
)
def test_paragraph_selection_is_named_as_in_the_article(warm, point, selection, shown):
    at = run_app(removed="1")
    at.session_state["article_sentiment_chart"] = {
        "selection": {"points": [point], "point_indices": [0], "box": [], "lasso": []},
    }
    at.run()
    assert at.query_params["sel"] == selection
    assert f"**Selected:** {shown}" in [m.value for m in at.markdown]
    tags = re.findall(r"<(?:div|h2)\b[^>]*>", article_html(at))
    outlined = [re.search(r'id="([^"]+)"', tag)[1] for tag in tags if "nl-selected" in tag]
    assert outlined == [f"nl-p{selection[2:]}"]


#: A link with every parameter the Article page's links carry, as links made before the page's
#: modules were split wrote them: it must open the same view and be written back unchanged.
OLD_LINK = {
    "article": "china-urges-gaza-ceasefire-2024-03-21",
    "tab": "context",
    "top": "5",
    "stop": "0",
    "xstop": "said",
    "lemma": "1",
    "ngram": "2",
    "minlen": "3",
    "model": "textblob",
    "band": "0.2",
    "types": "PERSON,GPE",
    "mincount": "2",
    "first": "2",
    "last": "5",
    "sel": "e:China",
    "removed": "1",
    "hideonce": "0",
}


def test_an_old_link_with_every_parameter_opens_its_view_and_stays_as_it_was(warm):
    at = run_app(**OLD_LINK)
    assert (not at.warning, {k: at.query_params[k] for k in OLD_LINK}) == (True, OLD_LINK)
    assert (
        at.session_state["article_options_top"],
        at.session_state["article_options_types"],
        at.session_state["article_range"],
        at.session_state["article_tab"],
        at.session_state["article_selected"],
    ) == (5, ["PERSON", "GPE"], (2, 5), "Context", "e:China")


def test_every_session_key_follows_the_pages_scheme(warm):
    at = open_options(open_sources(run_app(sel="e:China")), "words", "sentiment", "entities")
    for label in ("Sentiment detail", "Entities detail", "Quotes", "Context", "Charts"):
        show_tab(at, label)
    open_tables(at)
    assert [key for key in at.session_state.to_dict() if not key.startswith("article_")] == []


HARBOUR = b"Harbour Talks Resume\n\nThe harbour in Tromso reopened on Thursday after repairs."


def _opened_by_another_page(raw: bytes, corrections: tuple = ()) -> None:
    """A page that hands the Article page an article, then draws it (as the app does when the
    Corpus page opens one)."""
    import streamlit as st

    from dashboard.article.page import article_page
    from dashboard.article.state import open_article

    if "test_opened" not in st.session_state:
        st.session_state["test_opened"] = open_article(
            raw, source="corpus.example", title="Harbour Talks Resume", corrections=corrections
        )
    article_page()


def test_open_article_applies_the_corrections_it_brings_and_says_so():
    from analysis.core.corrections import Correction

    brought = (Correction("label", "Tromso", "GPE"),)
    at = AppTest.from_function(
        _opened_by_another_page, args=(HARBOUR, brought), default_timeout=120
    )
    at.run()
    said = [info.value for info in at.info]  # shown once, on the run after the hand-over
    entities = frame_with(at, "entity", "label", "count")[["entity", "label", "count"]]
    assert (
        not at.exception,
        entities.values.tolist(),
        at.query_params["corrections"],
        said[:1],
    ) == (
        True,
        [["Tromso", "GPE", 1]],
        "l:Tromso:GPE",
        [
            "The corpus's correction to this article's names is applied here too; undo any "
            "under the entities chart."
        ],
    )


def test_open_article_makes_it_the_current_article_under_its_title():
    at = AppTest.from_function(_opened_by_another_page, args=(HARBOUR,), default_timeout=120)
    at.run()
    key = article_key(decode_article(at.query_params["text"]).raw)
    assert (
        not at.exception,
        "The harbour in Tromso reopened on Thursday" in panel_text(at),
        at.session_state["test_opened"],
        re.fullmatch(r"[0-9a-f]{64}", key) is not None,
        at.selectbox(key="article_sources_choice").format_func(key),
    ) == (True, True, True, True, "Harbour Talks Resume")
