"""The app through Streamlit's AppTest, by widget key."""

import base64
import html
import json
import logging
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from analysis.storage.shares import ArticleStore
from dashboard import warmup
from tests.conftest import ROOT

APP = str(ROOT / "dashboard" / "app.py")
HEADLINE = "China Urges International Efforts to Cease Gaza Conflict"


def run_app(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception
    return at


@pytest.fixture(scope="module")
def warm():
    # The first run imports the app (cached per process); later runs in this module are quick.
    run_app()


def article_html(at) -> str:
    """The markup the article panel (a custom component) was sent."""
    (panel,) = at.get("bidi_component")
    return json.loads(panel.proto.json)["markup"]


def panel_text(at) -> str:
    """The article panel's text, as a reader sees it (tags dropped, entities unescaped)."""
    body = article_html(at).split("</style>", 1)[-1]
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def hits(at) -> list[str]:
    return re.findall(r'<mark class="nl-hit">(?:<span[^>]*>)?([^<]*)', article_html(at))


TABLE_EXPANDERS = (
    "words_table_open",
    "sentiment_table_open",
    "entities_table_open",
    "removed_open",
)


def open_tables(at) -> AppTest:
    """Tables are drawn only while their expander is open: open them all and rerun."""
    for key in TABLE_EXPANDERS:
        at.session_state[key] = True
    at.run()
    assert not at.exception
    return at


def open_sources(at) -> AppTest:
    """The "Add an article" section is drawn only while open: open it and rerun."""
    at.session_state["source_open"] = True
    at.run()
    assert not at.exception
    return at


def open_options(at, *groups: str) -> AppTest:
    """The sidebar's option groups ("words", "sentiment", "entities") are drawn only while
    open: open ``groups`` and rerun."""
    for group in groups:
        at.session_state[f"options_{group}"] = True
    at.run()
    assert not at.exception
    return at


def show_tab(at, label: str) -> AppTest:
    """Only the open tab is drawn: open the tab labelled ``label`` and rerun."""
    at.session_state["view_tab"] = label
    at.run()
    assert not at.exception
    return at


def frame_with(at, *columns):
    """The table drawn in the open tab whose first columns are ``columns`` (the table
    expanders are opened first when it is not drawn yet)."""
    for attempt in range(2):
        for frame in at.dataframe:
            if list(frame.value.columns[: len(columns)]) == list(columns):
                return frame.value
        if attempt == 0:
            open_tables(at)
    raise AssertionError(f"no table with columns {columns}")


def figure(at, index: int) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def decode(values):
    """Plotly 7 encodes numeric arrays as {"dtype", "bdata"} (base64)."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return values


def test_default_article_loads(warm):
    at = run_app()
    assert HEADLINE in panel_text(at)
    assert at.query_params["article"] == "china-urges-gaza-ceasefire-2024-03-21"
    assert len(at.get("plotly_chart")) == 3
    assert not at.error


def test_only_the_open_tab_and_expanders_are_drawn(warm):
    at = run_app()
    assert len(at.dataframe) == 0  # every table is in a closed expander
    at.session_state["words_table_open"] = True
    at.run()
    assert [list(frame.value.columns) for frame in at.dataframe] == [["term", "count"]]
    show_tab(at, "Entities detail")
    # sentiment toward each entity and the breakdown by type, not the three charts
    assert [chart.key for chart in at.get("plotly_chart")] == [
        "stance_chart",
        "entities_types_chart",
    ]
    assert [list(frame.value.columns[:3]) for frame in at.dataframe] == [
        ["paragraph", "counted", "label"]
    ]
    show_tab(at, "Sentiment detail")
    assert len(at.get("plotly_chart")) == 0
    assert list(at.dataframe[0].value.columns[:3]) == ["paragraph", "sentence", "polarity"]
    assert len(at.dataframe[0].value) == 13  # the headline and 12 body sentences


def test_default_words_table(warm):
    words = frame_with(run_app(), "term", "count")
    assert words.head(3).values.tolist() == [["china", 10], ["gaza", 5], ["international", 5]]


def test_top_filter_changes_chart(warm):
    at = open_options(run_app(), "words")
    at.slider(key="words_top").set_value(5).run()
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


def test_the_article_page_preloads_its_scripts(warm):
    (preload,) = run_app().get("html")
    imported = re.findall(r"import\('\./static/js/(\w+)\.", preload.proto.body)
    assert imported == ["PlotlyChart", "Selectbox", "Slider", "BidiComponent"]


def test_option_groups_are_closed_and_drawn_only_when_opened(warm):
    at = run_app()
    assert [e.label for e in at.sidebar.expander] == [
        "Add an article",
        "Words",
        "Sentiment",
        "Entities",
    ]
    assert not [w for w in at.slider if w.key == "words_top"]
    assert not at.multiselect and not at.number_input
    open_options(at, "entities")
    assert at.multiselect(key="entities_types").value == [
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
    assert not [w for w in at.slider if w.key == "words_top"]  # Words is still closed


def test_an_option_outlives_its_group_being_closed(warm):
    at = open_options(run_app(), "words")
    at.slider(key="words_top").set_value(5).run()
    at.session_state["options_words"] = False
    at.run()
    at.run()  # a second run without the slider: Streamlit would have forgotten its value
    assert not [w for w in at.slider if w.key == "words_top"]
    assert len(figure(at, 0)["data"][0]["y"]) == 5
    assert at.query_params["top"] == "5"
    assert at.sidebar.expander[1].label == "Words · 1 changed"
    open_options(at, "words")
    assert at.slider(key="words_top").value == 5


def test_stop_words_toggle_changes_table(warm):
    at = open_options(run_app(), "words")
    at.toggle(key="words_stop").set_value(False).run()
    assert frame_with(at, "term", "count").iloc[0].tolist() == ["the", 15]


def test_extra_stop_words_change_table(warm):
    at = open_options(run_app(), "words")
    at.text_input(key="words_extra").input("china, Gaza").run()
    assert frame_with(at, "term", "count").iloc[0].tolist() == ["international", 5]


def test_ngram_changes_table(warm):
    at = run_app()
    at.session_state["words_ngram"] = 2
    at.run()
    assert frame_with(at, "term", "count").head(2).values.tolist() == [
        ["international community", 2],
        ["lin jian", 2],
    ]


def test_min_length_changes_table(warm):
    at = open_options(run_app(), "words")
    at.number_input(key="words_minlen").set_value(9).run()
    assert frame_with(at, "term", "count").iloc[0].tolist() == ["international", 5]


def test_lemmas_change_table(warm):
    at = open_options(run_app(), "words")
    at.toggle(key="words_lemma").set_value(True).run()
    terms = set(frame_with(at, "term", "count")["term"])
    assert "effort" in terms and "efforts" not in terms


def test_paragraph_range_narrows_tables(warm):
    at = run_app()
    at.slider(key="view_range").set_value((3, 4)).run()
    entities = frame_with(at, "entity", "label", "count")
    assert entities.head(4)[["entity", "count"]].values.tolist() == [
        ["China", 2],
        ["Israel", 2],
        ["Lin Jian", 2],
        ["Palestine", 2],
    ]
    assert (at.query_params["first"], at.query_params["last"]) == ("3", "4")


def test_sentiment_model_switch(warm):
    at = run_app()
    assert figure(at, 1)["data"][0]["name"] == "VADER compound"
    assert decode(figure(at, 1)["data"][0]["y"])[:2] == [-0.3182, -0.296]
    at.session_state["sentiment_model"] = "textblob"
    at.run()
    assert figure(at, 1)["data"][0]["name"] == "TextBlob polarity"
    assert at.query_params["model"] == "textblob"


def test_neutral_band_relabels_chart_and_text_and_goes_into_the_link(warm):
    at = open_options(run_app(), "sentiment")
    at.slider(key="sentiment_band").set_value(0.4).run()
    assert not at.exception
    assert figure(at, 1)["layout"]["shapes"][0]["y1"] == 0.4
    assert 'title="VADER: neutral (-0.30)"' in article_html(at)
    assert at.query_params["band"] == "0.4"


def test_overall_tone_is_at_the_top(warm):
    at = run_app()
    assert at.markdown[0].value == (
        "**Overall tone:** **VADER +0.40 on average (spread 0.43; 5 positive, 2 neutral, "
        "1 negative of 8 paragraphs)** · TextBlob +0.12 on average (spread 0.25; 3 positive, "
        "4 neutral, 1 negative of 8 paragraphs)"
    )


def test_entity_type_filter_changes_table(warm):
    at = open_options(run_app(), "entities")
    at.multiselect(key="entities_types").set_value(["PERSON"]).run()
    entities = frame_with(at, "entity", "label", "count")
    assert entities[["entity", "count"]].values.tolist() == [["Lin Jian", 3], ["Wang Kejian", 1]]


def test_entity_min_count_changes_table(warm):
    at = open_options(run_app(), "entities")
    at.number_input(key="entities_mincount").set_value(3).run()
    entities = frame_with(at, "entity", "label", "count")
    assert entities["entity"].tolist() == ["China", "Gaza", "Lin Jian", "Palestine"]


def test_paste_article(warm):
    at = open_sources(run_app())
    at.text_area(key="source_paste").input(
        "Budget Talks Resume in Cairo\n\nBy Ann Lee\n\nNegotiators met Ann Lee in Cairo."
    )
    at.button(key="source_paste_go").click().run()
    assert not at.exception
    assert "Budget Talks Resume in Cairo" in panel_text(at)
    assert re.fullmatch(r"[0-9a-f]{64}", at.query_params["article"])


def test_add_article_section_keeps_typed_text_when_closed(warm):
    at = open_sources(run_app())
    at.text_area(key="source_paste").input("Half-pasted draft about Cairo")
    at.text_input(key="source_url").input("example.org/story")
    at.run()
    at.session_state["source_open"] = False
    at.run()
    assert len(at.text_area) == 0  # the section is closed: its fields are not drawn
    at.run()
    # Streamlit forgets a widget that a run does not draw; the typed text must survive that
    # to be there when the section opens again.
    assert at.session_state["source_paste"] == "Half-pasted draft about Cairo"
    assert at.session_state["source_url"] == "example.org/story"


def test_upload_article(warm):
    at = open_sources(run_app())
    at.file_uploader(key="source_upload").set_value(
        ("talks.txt", "Talks Resume\n\nThe envoy arrived in Doha.".encode("utf-16"), "text/plain")
    ).run()
    assert not at.exception
    assert "The envoy arrived in Doha." in panel_text(at)


def test_bad_upload_keeps_previous_article(warm):
    at = open_sources(run_app())
    at.file_uploader(key="source_upload").set_value(
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
    at.button(key="source_paste_go").click().run()
    assert [e.value for e in at.error] == [
        "Pasted text: The article is empty (pasted text): there is no text to analyse."
    ]
    assert HEADLINE in panel_text(at)


def test_query_params_restore_view(warm):
    at = run_app(top="5", ngram="2", model="textblob", sel="w:gaza", tab="context")
    assert [e.label for e in at.sidebar.expander][1:] == [
        "Words · 2 changed",
        "Sentiment · 1 changed",
        "Entities",
    ]
    open_options(at, "words")
    assert at.slider(key="words_top").value == 5
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


def test_context_table_for_selected_term(warm):
    at = run_app(sel="w:gaza", tab="context")
    context = frame_with(at, "paragraph", "left", "match", "right")
    assert context["paragraph"].tolist() == ["H", "1", "2", "4", "8"]
    assert context["match"].tolist() == ["Gaza"] * 5


def test_bad_query_values_fall_back(warm):
    at = run_app(top="9999", model="bert")
    assert [w.value for w in at.warning] == [
        "Parts of this link were ignored: “top” (top terms) must be a number from 3 to 50; "
        "“model” (sentiment model) must be vader or textblob."
    ]
    open_options(at, "words")
    assert at.slider(key="words_top").value == 15


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
    assert at.slider(key="view_range").value == (1, 8)


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


def test_plotly_selection_highlights_text(warm):
    at = run_app()
    at.session_state["entities_chart"] = {
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
    at.session_state["sentiment_chart"] = {
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
    at.button(key="view_clear").click().run()
    assert hits(at) == []
    assert "sel" not in at.query_params


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
    assert at.query_params["article"] == key


def test_stored_article_is_listed_by_its_title_on_the_first_run(warm, data_dir):
    key = ArticleStore(data_dir).put(
        b"Shared Story Title\n\nA shared paragraph here.", source="pasted text"
    )
    at = run_app(article=key)
    assert at.selectbox(key="article_choice").format_func(key) == "Shared Story Title"


def test_include_removed_switch(warm):
    at = run_app()
    at.toggle(key="removed_include").set_value(True).run()
    assert "R9" in panel_text(at)
    assert at.query_params["removed"] == "1"


def test_removed_lines_are_counted_as_they_are_highlighted(warm):
    at = run_app(sel="w:china")
    china = frame_with(at, "term", "count").set_index("term")["count"]["china"]
    assert (china, len(hits(at))) == (10, 10)
    at.toggle(key="removed_include").set_value(True).run()
    china = frame_with(at, "term", "count").set_index("term")["count"]["china"]
    assert (china, len(hits(at))) == (12, 12)


def test_history_navigation_restores_the_view_of_the_url(warm, monkeypatch):
    from dashboard import history

    at = run_app()
    at.session_state["entities_chart"] = {
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
    assert (at.session_state["view_tab"], len(hits(at))) == ("Charts", 5)
    assert "tab" not in at.query_params


def test_without_history_navigation_the_url_does_not_override_the_view(warm):
    at = run_app()
    show_tab(at, "Quotes")
    at.query_params.clear()
    at.query_params.update(article="china-urges-gaza-ceasefire-2024-03-21")
    at.run()
    assert at.query_params["tab"] == "quotes"


def test_filters_and_selection_never_rerun_nlp(warm):
    from dashboard.cache import ANALYSIS_RUNS, PIPELINE_LOADS

    at = open_options(run_app(), "words", "entities")
    before = (ANALYSIS_RUNS["count"], PIPELINE_LOADS["count"])
    at.slider(key="words_top").set_value(7).run()
    at.toggle(key="words_lemma").set_value(True).run()
    at.session_state["words_ngram"] = 3
    at.run()
    at.multiselect(key="entities_types").set_value(["GPE"]).run()
    at.slider(key="view_range").set_value((2, 5)).run()
    at.session_state["sentiment_model"] = "vader"
    at.run()
    at.session_state["entities_chart"] = {
        "selection": {
            "points": [{"customdata": "Gaza"}],
            "point_indices": [0],
            "box": [],
            "lasso": [],
        },
    }
    at.run()
    assert not at.exception
    assert (ANALYSIS_RUNS["count"], PIPELINE_LOADS["count"]) == before


def test_first_view_needs_no_model(monkeypatch):
    from dashboard import article_page, cache

    def no_model():
        raise AssertionError("the sample article's first view loaded the pipeline")

    monkeypatch.setattr(cache, "load_pipeline", no_model)
    monkeypatch.setattr(article_page, "load_pipeline", no_model)
    cache.analyse.clear()
    at = run_app()
    assert HEADLINE in panel_text(at)


class RecordingWarmup(warmup.Warmup):
    """A warm-up that records the delay of each ``start`` and loads nothing."""

    def __init__(self) -> None:
        super().__init__(lambda: None, name="test-warmup")
        self.delays: list[float] = []

    def start(self, *, delay: float = 0.0) -> bool:
        self.delays.append(delay)
        return super().start(delay=delay)


def test_sample_first_view_starts_models_after_it(warm, monkeypatch):
    models = RecordingWarmup()
    monkeypatch.setattr(warmup, "MODELS", models)
    run_app()
    assert models.delays == [warmup.AFTER_FIRST_VIEW]


def test_link_to_stored_article_starts_models_at_once(warm, monkeypatch):
    models = RecordingWarmup()
    monkeypatch.setattr(warmup, "MODELS", models)
    run_app(article="ab" * 32)
    assert models.delays[0] == 0.0


def test_link_with_removed_lines_starts_models_at_once(warm, monkeypatch):
    models = RecordingWarmup()
    monkeypatch.setattr(warmup, "MODELS", models)
    run_app(removed="1")
    assert models.delays[0] == 0.0


def test_add_an_article_closed_draws_no_inputs(warm):
    at = run_app()
    assert [w.key for w in at.text_area] + [w.key for w in at.get("file_uploader")] == []


def test_add_an_article_open_draws_its_inputs(warm):
    at = open_sources(run_app())
    assert [w.key for w in at.text_area] == ["source_paste"]


def test_models_are_frozen_out_of_the_garbage_collector(warm):
    # Streamlit collects garbage after every run; the models' objects are frozen at load.
    import gc

    run_app()
    assert gc.get_freeze_count() > 100_000
    gc.collect(2)
    # What a full collection still walks: a small fraction of what was frozen.
    assert len(gc.get_objects(generation=2)) < gc.get_freeze_count() / 4


def test_unexpected_error_shows_reference_not_traceback(warm, monkeypatch, caplog):
    from dashboard import charts

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(charts, "words_figure", broken)
    at = run_app()
    message = at.error[0].value
    assert re.fullmatch(
        r"Something went wrong on our side \(reference [0-9a-f]{8}\)\. Please try again; if it "
        r"happens again, report the reference\.",
        message,
    )
    reference = re.search(r"reference ([0-9a-f]{8})", message).group(1)
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and logged[0].exc_info[0] is RuntimeError


def test_user_text_in_messages_is_not_markdown(warm):
    at = open_sources(run_app())
    at.text_area(key="source_paste").input(
        "Read **this** [report](https://example.org/phish) now\n\nA paragraph about the report."
    )
    at.button(key="source_paste_go").click().run()
    assert at.success[0].value == (
        "Pasted text analysed: “Read \\*\\*this\\*\\* \\[report\\](https://example.org/phish) now”."
    )


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
    at.session_state["entities_chart"] = event
    at.run()
    assert len(hits(at)) == 10
    at.session_state["entities_chart_1"] = event  # the chart's key after the first click
    at.run()
    assert hits(at) == []


def test_selection_survives_option_changes(warm):
    at = run_app()
    at.session_state["sentiment_chart"] = {
        "selection": {
            "points": [{"customdata": [3, "", "", "negative"]}],
            "point_indices": [3],
            "box": [],
            "lasso": [],
        },
    }
    at.run()
    at.session_state["sentiment_model"] = "vader"
    open_options(at, "entities")
    at.number_input(key="entities_mincount").set_value(2).run()
    assert at.query_params["sel"] == "p:3"
    assert 'class="nl-p nl-selected" id="nl-p3"' in article_html(at)


def test_debug_log_has_one_line_per_run(warm, caplog):
    at = open_options(run_app(), "words")
    with caplog.at_level(logging.DEBUG, logger="newslens"):
        at.slider(key="words_top").set_value(6).run()
        at.toggle(key="words_stop").set_value(False).run()
    runs = [r.getMessage() for r in caplog.records if r.getMessage().startswith("script run: ")]
    assert len(runs) == 2
    assert all(re.fullmatch(r"script run: \d+\.\d ms \(CPU \d+\.\d ms\)", line) for line in runs)


def test_bad_setting_is_one_message_at_start(monkeypatch):
    monkeypatch.setenv("NEWSLENS_LOG_LEVEL", "loud")
    at = run_app()
    assert (not at.exception, [e.value for e in at.error], len(at.get("plotly_chart"))) == (
        True,
        [
            "NewsLens cannot start: NEWSLENS_LOG_LEVEL='loud' is not one of DEBUG, INFO, "
            "WARNING, ERROR. Correct the setting and restart the app."
        ],
        0,
    )


def test_log_level_setting_applies_to_the_server_log(monkeypatch):
    import logging

    monkeypatch.setenv("NEWSLENS_LOG_LEVEL", "warning")
    at = run_app()
    assert (not at.exception, logging.getLogger("newslens").level) == (True, logging.WARNING)
    logging.getLogger("newslens").setLevel(logging.INFO)


def test_another_article_starts_with_no_selection(warm):
    at = open_sources(run_app(sel="w:gaza"))
    assert hits(at) == ["Gaza"] * 5  # a link's own selection is kept
    at.text_area(key="source_paste").input(
        "Budget Talks Resume in Gaza\n\nBy Ann Lee\n\nNegotiators met Ann Lee in Gaza."
    )
    at.button(key="source_paste_go").click().run()
    assert not at.exception
    assert "Budget Talks Resume in Gaza" in panel_text(at)
    assert hits(at) == []
    assert "sel" not in at.query_params
    at.selectbox(key="article_choice").set_value("china-urges-gaza-ceasefire-2024-03-21").run()
    assert hits(at) == [] and "sel" not in at.query_params


def test_context_says_when_the_selection_no_longer_occurs(warm):
    at = run_app(sel="w:gaza", tab="context")
    assert len(frame_with(at, "paragraph", "left", "match", "right")) == 5
    open_options(at, "words")
    at.text_input(key="words_extra").input("gaza").run()
    assert not at.dataframe
    assert [c.value for c in at.caption if c.value.startswith("It does not occur")] == [
        "It does not occur with the current options (stop words, lemmas, words per term, "
        "removed lines). Clear the selection or change the options."
    ]


def test_an_open_table_stays_open_across_tabs(warm):
    at = run_app()
    at.session_state["words_table_open"] = True
    at.run()
    assert len(at.dataframe) == 1
    show_tab(at, "Context")
    show_tab(at, "Charts")
    assert [list(frame.value.columns) for frame in at.dataframe] == [["term", "count"]]


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
    at.session_state["sentiment_chart"] = {
        "selection": {"points": [point], "point_indices": [0], "box": [], "lasso": []},
    }
    at.run()
    assert at.query_params["sel"] == selection
    assert f"**Selected:** {shown}" in [m.value for m in at.markdown]
    tags = re.findall(r"<(?:div|h2)\b[^>]*>", article_html(at))
    outlined = [re.search(r'id="([^"]+)"', tag)[1] for tag in tags if "nl-selected" in tag]
    assert outlined == [f"nl-p{selection[2:]}"]


def test_quotes_tab_lists_who_is_quoted(warm):
    at = show_tab(run_app(), "Quotes")
    assert decode(figure(at, 0)["data"][0]["x"]) == [23]
    assert figure(at, 0)["data"][0]["y"] == ["Lin Jian"]
    quotes = frame_with(at, "paragraph", "words", "speaker", "entity", "quote")
    assert quotes[["paragraph", "words", "speaker", "entity"]].values.tolist() == [
        ["7", 23, "Lin", "Lin Jian"]
    ]
    assert at.query_params["tab"] == "quotes"


def test_speaker_click_highlights_their_quotations(warm):
    at = show_tab(run_app(), "Quotes")
    at.session_state["speakers_chart"] = {
        "selection": {
            "points": [
                {
                    "customdata": ["Lin Jian", 1],
                    "y": "Lin Jian",
                    "x": 23,
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
    assert not at.exception
    assert at.query_params["sel"] == "q:Lin Jian"
    assert "".join(hits(at)).startswith("China")
    assert '<span class="nl-quote" title="Quoted: Lin Jian">' in article_html(at)


def test_entities_detail_shows_sentiment_toward_each_entity(warm):
    at = show_tab(run_app(), "Entities detail")
    dots = figure(at, 0)["data"][0]
    assert dots["y"][-3:] == ["Lin Jian", "Gaza", "China"]  # most mentioned at the top
    assert [round(x, 4) for x in decode(dots["x"])[-3:]] == [0.4686, -0.106, 0.2173]
    at.session_state["stance_chart"] = {
        "selection": {
            "points": [
                {
                    "customdata": ["Gaza", "− negative", 5, 5],
                    "y": "Gaza",
                    "x": -0.106,
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
    assert at.query_params["sel"] == "e:Gaza"
    sentences = frame_with(at, "paragraph", "sentence", "mentions", "polarity", "vader")
    assert sentences["paragraph"].tolist() == ["H", "1", "2", "4", "8"]  # the headline too


def test_tables_number_paragraphs_as_the_text_and_put_text_last(warm):
    at = show_tab(run_app(removed="1"), "Sentiment detail")
    frame = at.dataframe[0].value
    assert list(frame.columns) == [
        "paragraph",
        "sentence",
        "polarity",
        "subjectivity",
        "vader",
        "label",
        "text",
        "assessments",
    ]
    assert frame["paragraph"].tolist()[3:7] == ["3", "4", "4", "4"]
    assert frame["sentence"].tolist()[3:7] == [1, 1, 2, 3]
    assert frame["paragraph"].tolist()[0] == "H"
    assert frame["paragraph"].tolist()[-1] == "R12"


def test_removed_table_numbers_lines_as_the_text(warm):
    at = run_app()
    at.session_state["removed_open"] = True
    at.run()
    removed = next(f.value for f in at.dataframe if "reason" in f.value.columns)
    assert removed["paragraph"].tolist() == ["R9", "R10", "R11", "R12"]


def test_character_offsets_are_shown_only_when_asked(warm):
    at = show_tab(run_app(), "Entities detail")
    assert "start" not in at.dataframe[0].value.columns
    at.toggle(key="entities_mentions_offsets").set_value(True).run()
    assert list(at.dataframe[0].value.columns[:3]) == ["paragraph", "start", "end"]


def test_words_table_hides_terms_seen_once_for_two_word_terms(warm):
    at = open_options(run_app(ngram="2"), "words")
    assert at.toggle(key="words_hideonce").value is True
    assert frame_with(at, "term", "count")["count"].min() == 2
    at.toggle(key="words_hideonce").set_value(False).run()
    assert frame_with(at, "term", "count")["count"].min() == 1
    assert at.query_params["hideonce"] == "0"


def test_single_words_show_terms_seen_once_by_default(warm):
    at = open_options(run_app(), "words")
    assert at.toggle(key="words_hideonce").value is False
    assert frame_with(at, "term", "count")["count"].min() == 1
    assert "hideonce" not in at.query_params


def test_address_without_a_scheme_is_fetched_over_https(warm):
    at = open_sources(run_app())
    at.text_input(key="source_url").input("example.invalid/story")
    at.button(key="source_url_go").click().run()
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
    at.text_area(key="source_paste").input(
        "Ferry Service Resumes After Storm\n\nThe ferry to the islands sailed again on Monday."
    )
    at.button(key="source_paste_go").click().run()
    for block in at.get("status"):
        steps.append(block.label)
        steps.extend(md.value for md in block.markdown)
    assert steps == [
        "Pasted text: done",
        "Reading and cleaning the text…",
        "Language analysis of 1 paragraphs (9 words): words, names, quotations, sentiment…",
        "Storing it, so that the link reopens it…",
    ]
    (bar,) = at.get("status")[0].get("progress")
    assert (bar.proto.value, bar.proto.text) == (100, "100%")


SPANISH = (
    "Nuevo Puente Para la Ciudad\n\n"
    "El gobierno de la ciudad anunció el martes que las obras del nuevo puente comenzarán en "
    "la primavera. Los vecinos del barrio dijeron que esperan que el proyecto mejore el tráfico "
    "y que las tiendas de la zona reciban más clientes durante todo el año, según explicó la "
    "alcaldesa en una rueda de prensa."
)


def test_non_english_note_is_the_first_thing_on_the_page(warm):
    at = open_sources(run_app())
    at.text_area(key="source_paste").input(SPANISH)
    at.button(key="source_paste_go").click().run()
    top = [
        (node.type, node.value)
        for node in at.main.children.values()
        if node.type in ("success", "warning", "markdown")
    ]
    assert [kind for kind, _ in top[:3]] == ["success", "warning", "markdown"]
    assert "This text looks like Spanish" in top[1][1]
    assert top[2][1].startswith("**Overall tone:**")
