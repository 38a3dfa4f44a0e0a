"""The Article page's sidebar through AppTest: the option groups (closed until opened, their
options outliving a closed group) and adding an article (paste, upload, fetch)."""

from analysis.storage.links import decode_article
from tests.dashboard.apptest import (
    HEADLINE,
    article_html,
    decode,
    figure,
    frame_with,
    open_options,
    open_sources,
    panel_text,
    run_app,
)


def test_option_groups_are_closed_and_drawn_only_when_opened(warm):
    at = run_app()
    assert [e.label for e in at.sidebar.expander] == [
        "Add an article",
        "Words",
        "Sentiment",
        "Entities",
    ]
    assert not [w for w in at.slider if w.key == "article_options_top"]
    assert not at.multiselect and not at.number_input
    open_options(at, "entities")
    assert at.multiselect(key="article_options_types").value == [
        "PERSON",
        "NORP",
        "FAC",
        "ORG",
        "GPE",
        "LOC",
        "PRODUCT",
        "EVENT",
        "WORK_OF_ART",
        "LAW",
        "LANGUAGE",
    ]
    assert not [w for w in at.slider if w.key == "article_options_top"]  # Words is still closed


def test_an_option_outlives_its_group_being_closed(warm):
    at = open_options(run_app(), "words")
    at.slider(key="article_options_top").set_value(5).run()
    at.session_state["article_options_words"] = False
    at.run()
    at.run()  # a second run without the slider: Streamlit would have forgotten its value
    assert not [w for w in at.slider if w.key == "article_options_top"]
    assert len(figure(at, 0)["data"][0]["y"]) == 5
    assert at.query_params["top"] == "5"
    assert at.sidebar.expander[1].label == "Words · 1 changed"
    open_options(at, "words")
    assert at.slider(key="article_options_top").value == 5


def test_top_filter_changes_chart(warm):
    at = open_options(run_app(), "words")
    at.slider(key="article_options_top").set_value(5).run()
    assert (
        figure(at, 0)["data"][0]["y"]
        == [
            "diplomatic",
            "conflict",
            "ceasefire",
            "international",
            "gaza",
            "china",
        ][1:]
    )
    assert at.query_params["top"] == "5"


def test_stop_words_toggle_changes_table(warm):
    at = open_options(run_app(), "words")
    at.toggle(key="article_options_stop").set_value(False).run()
    assert frame_with(at, "term", "count").iloc[0].tolist() == ["the", 15]


def test_extra_stop_words_change_table(warm):
    at = open_options(run_app(), "words")
    at.text_input(key="article_options_xstop").input("china, Gaza").run()
    assert frame_with(at, "term", "count").iloc[0].tolist() == ["international", 5]


def test_ngram_changes_table(warm):
    at = run_app()
    at.session_state["article_options_ngram"] = 2
    at.run()
    assert frame_with(at, "term", "count").head(2).values.tolist() == [
        ["international community", 2],
        ["lin jian", 2],
    ]


def test_min_length_changes_table(warm):
    at = open_options(run_app(), "words")
    at.number_input(key="article_options_minlen").set_value(9).run()
    assert frame_with(at, "term", "count").iloc[0].tolist() == ["international", 5]


def test_lemmas_change_table(warm):
    at = open_options(run_app(), "words")
    at.toggle(key="article_options_lemma").set_value(True).run()
    terms = set(frame_with(at, "term", "count")["term"])
    assert "effort" in terms and "efforts" not in terms


def test_sentiment_model_switch(warm):
    at = run_app()
    assert figure(at, 1)["data"][0]["name"] == "VADER compound"
    assert decode(figure(at, 1)["data"][0]["y"])[:2] == [-0.3182, -0.296]
    at.session_state["article_options_model"] = "textblob"
    at.run()
    assert figure(at, 1)["data"][0]["name"] == "TextBlob polarity"
    assert at.query_params["model"] == "textblob"


def test_neutral_band_relabels_chart_and_text_and_goes_into_the_link(warm):
    at = open_options(run_app(), "sentiment")
    at.slider(key="article_options_band").set_value(0.4).run()
    assert not at.exception
    assert figure(at, 1)["layout"]["shapes"][0]["y1"] == 0.4
    assert 'title="VADER: neutral (-0.30)"' in article_html(at)
    assert at.query_params["band"] == "0.4"


def test_entity_type_filter_changes_table(warm):
    at = open_options(run_app(), "entities")
    at.multiselect(key="article_options_types").set_value(["PERSON"]).run()
    entities = frame_with(at, "entity", "label", "count")
    assert entities[["entity", "count"]].values.tolist() == [["Lin Jian", 3], ["Wang Kejian", 1]]


def test_entity_min_count_changes_table(warm):
    at = open_options(run_app(), "entities")
    at.number_input(key="article_options_mincount").set_value(3).run()
    entities = frame_with(at, "entity", "label", "count")
    assert entities["entity"].tolist() == ["China", "Gaza", "Lin Jian", "Palestine"]


def test_words_table_hides_terms_seen_once_for_two_word_terms(warm):
    at = open_options(run_app(ngram="2"), "words")
    assert at.toggle(key="article_options_hideonce").value is True
    assert frame_with(at, "term", "count")["count"].min() == 2
    at.toggle(key="article_options_hideonce").set_value(False).run()
    assert frame_with(at, "term", "count")["count"].min() == 1
    assert at.query_params["hideonce"] == "0"


def test_single_words_show_terms_seen_once_by_default(warm):
    at = open_options(run_app(), "words")
    assert at.toggle(key="article_options_hideonce").value is False
    assert frame_with(at, "term", "count")["count"].min() == 1
    assert "hideonce" not in at.query_params


def test_paste_article(warm):
    at = open_sources(run_app())
    at.text_area(key="article_sources_paste").input(
        "Budget Talks Resume in Cairo\n\nBy Ann Lee\n\nNegotiators met Ann Lee in Cairo."
    )
    at.button(key="article_sources_paste_go").click().run()
    assert not at.exception
    assert "Budget Talks Resume in Cairo" in panel_text(at)
    assert (decode_article(at.query_params["text"]), "article" in at.query_params) == (
        (
            b"Budget Talks Resume in Cairo\n\nBy Ann Lee\n\nNegotiators met Ann Lee in Cairo.",
            "pasted text",
        ),
        False,
    )


def test_add_article_section_keeps_typed_text_when_closed(warm):
    at = open_sources(run_app())
    at.text_area(key="article_sources_paste").input("Half-pasted draft about Cairo")
    at.text_input(key="article_sources_url").input("example.org/story")
    at.run()
    at.session_state["article_sources_open"] = False
    at.run()
    assert len(at.text_area) == 0  # the section is closed: its fields are not drawn
    at.run()
    # Streamlit forgets a widget that a run does not draw; the typed text must survive that
    # to be there when the section opens again.
    assert at.session_state["article_sources_paste"] == "Half-pasted draft about Cairo"
    assert at.session_state["article_sources_url"] == "example.org/story"


def test_upload_article(warm):
    at = open_sources(run_app())
    at.file_uploader(key="article_sources_upload").set_value(
        ("talks.txt", "Talks Resume\n\nThe envoy arrived in Doha.".encode("utf-16"), "text/plain")
    ).run()
    assert not at.exception
    assert "The envoy arrived in Doha." in panel_text(at)


def test_bad_upload_keeps_previous_article(warm):
    at = open_sources(run_app())
    at.file_uploader(key="article_sources_upload").set_value(
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "text/plain")
    ).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Upload “photo.txt”: This looks like a PNG image, not text. NewsLens reads plain text "
        "(.txt, .md) and web pages (.html)."
    ]
    assert HEADLINE in panel_text(at)


def test_empty_paste_shows_error(warm):
    at = open_sources(run_app())
    at.button(key="article_sources_paste_go").click().run()
    assert [e.value for e in at.error] == [
        "Pasted text: The article is empty (pasted text): there is no text to analyse."
    ]
    assert HEADLINE in panel_text(at)


def test_add_an_article_closed_draws_no_inputs(warm):
    at = run_app()
    assert [w.key for w in at.text_area] + [w.key for w in at.get("file_uploader")] == []


def test_add_an_article_open_draws_its_inputs(warm):
    at = open_sources(run_app())
    assert [w.key for w in at.text_area] == ["article_sources_paste"]


def test_user_text_in_messages_is_not_markdown(warm):
    at = open_sources(run_app())
    at.text_area(key="article_sources_paste").input(
        "Read **this** [report](https://example.org/phish) now\n\nA paragraph about the report."
    )
    at.button(key="article_sources_paste_go").click().run()
    assert at.success[0].value == (
        "Pasted text analysed: “Read \\*\\*this\\*\\* \\[report\\](https://example.org/phish) now”."
    )


def test_address_without_a_scheme_is_fetched_over_https(warm):
    at = open_sources(run_app())
    at.text_input(key="article_sources_url").input("example.invalid/story")
    at.button(key="article_sources_url_go").click().run()
    assert [e.value for e in at.error] == [
        "Could not fetch the page: No web site was found at “example.invalid”. Check the "
        "spelling of the address."
    ]
    assert HEADLINE in panel_text(at)


def test_paste_shows_its_steps(warm, monkeypatch):
    import streamlit as st

    steps = []
    monkeypatch.setattr(st, "rerun", lambda: None)  # keep the run that shows the steps
    at = open_sources(run_app())
    at.text_area(key="article_sources_paste").input(
        "Ferry Service Resumes After Storm\n\nThe ferry to the islands sailed again on Monday."
    )
    at.button(key="article_sources_paste_go").click().run()
    for block in at.get("status"):
        steps.append(block.label)
        steps.extend(md.value for md in block.markdown)
    assert steps == [
        "Pasted text: done",
        "Reading and cleaning the text…",
        "Language analysis of 1 paragraphs (9 words): words, names, quotations, sentiment…",
    ]
    (bar,) = at.get("status")[0].get("progress")
    assert (bar.proto.value, bar.proto.text) == (100, "100%")
