"""The Article page through AppTest: the article beside its charts, the tabs and the tables
under them, the removed lines; no NLP re-run for a filter."""

from tests.dashboard.apptest import (
    HEADLINE,
    article_html,
    decode,
    figure,
    frame_with,
    hits,
    open_options,
    open_sources,
    panel_text,
    run_app,
    show_tab,
)


def test_default_article_loads(warm):
    at = run_app()
    assert HEADLINE in panel_text(at)
    assert at.query_params["article"] == "china-urges-gaza-ceasefire-2024-03-21"
    assert len(at.get("plotly_chart")) == 3
    assert not at.error


def test_only_the_open_tab_and_expanders_are_drawn(warm):
    at = run_app()
    assert len(at.dataframe) == 0  # every table is in a closed expander
    at.session_state["article_words_table_open"] = True
    at.run()
    assert [list(frame.value.columns) for frame in at.dataframe] == [["term", "count"]]
    show_tab(at, "Entities detail")
    # sentiment toward each entity and the breakdown by type, not the three charts
    assert [chart.key for chart in at.get("plotly_chart")] == [
        "article_stance_chart",
        "article_stance_types_chart",
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


def test_paragraph_range_narrows_tables(warm):
    at = run_app()
    at.slider(key="article_range").set_value((3, 4)).run()
    entities = frame_with(at, "entity", "label", "count")
    assert entities.head(4)[["entity", "count"]].values.tolist() == [
        ["China", 2],
        ["Israel", 2],
        ["Lin Jian", 2],
        ["Palestine", 2],
    ]
    assert (at.query_params["first"], at.query_params["last"]) == ("3", "4")


def test_overall_tone_is_at_the_top(warm):
    at = run_app()
    assert at.markdown[0].value == (
        "**Overall tone:** **VADER +0.40 on average (spread 0.43; 5 positive, 2 neutral, "
        "1 negative of 8 paragraphs)** · TextBlob +0.12 on average (spread 0.25; 3 positive, "
        "4 neutral, 1 negative of 8 paragraphs)"
    )


def test_context_table_for_selected_term(warm):
    at = run_app(sel="w:gaza", tab="context")
    context = frame_with(at, "paragraph", "left", "match", "right")
    assert context["paragraph"].tolist() == ["H", "1", "2", "4", "8"]
    assert context["match"].tolist() == ["Gaza"] * 5


def test_include_removed_switch(warm):
    at = run_app()
    at.toggle(key="article_removed_include").set_value(True).run()
    assert "R9" in panel_text(at)
    assert at.query_params["removed"] == "1"


def test_removed_lines_are_counted_as_they_are_highlighted(warm):
    at = run_app(sel="w:china")
    china = frame_with(at, "term", "count").set_index("term")["count"]["china"]
    assert (china, len(hits(at))) == (10, 10)
    at.toggle(key="article_removed_include").set_value(True).run()
    china = frame_with(at, "term", "count").set_index("term")["count"]["china"]
    assert (china, len(hits(at))) == (12, 12)


def test_filters_and_selection_never_rerun_nlp(warm):
    from dashboard.cache import ANALYSIS_RUNS, PIPELINE_LOADS

    at = open_options(run_app(), "words", "entities")
    before = (ANALYSIS_RUNS["count"], PIPELINE_LOADS["count"])
    at.slider(key="article_options_top").set_value(7).run()
    at.toggle(key="article_options_lemma").set_value(True).run()
    at.session_state["article_options_ngram"] = 3
    at.run()
    at.multiselect(key="article_options_types").set_value(["GPE"]).run()
    at.slider(key="article_range").set_value((2, 5)).run()
    at.session_state["article_options_model"] = "vader"
    at.run()
    at.session_state["article_entities_chart"] = {
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
    from dashboard import cache
    from dashboard.article import page as article_page

    def no_model():
        raise AssertionError("the sample article's first view loaded the pipeline")

    monkeypatch.setattr(cache, "load_pipeline", no_model)
    monkeypatch.setattr(article_page, "load_pipeline", no_model)
    cache.analyse.clear()
    at = run_app()
    assert HEADLINE in panel_text(at)


def test_context_says_when_the_selection_no_longer_occurs(warm):
    at = run_app(sel="w:gaza", tab="context")
    assert len(frame_with(at, "paragraph", "left", "match", "right")) == 5
    open_options(at, "words")
    at.text_input(key="article_options_xstop").input("gaza").run()
    assert not at.dataframe
    assert [c.value for c in at.caption if c.value.startswith("It does not occur")] == [
        "It does not occur with the current options (stop words, lemmas, words per term, "
        "removed lines). Clear the selection or change the options."
    ]


def test_an_open_table_stays_open_across_tabs(warm):
    at = run_app()
    at.session_state["article_words_table_open"] = True
    at.run()
    assert len(at.dataframe) == 1
    show_tab(at, "Context")
    show_tab(at, "Charts")
    assert [list(frame.value.columns) for frame in at.dataframe] == [["term", "count"]]


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
    at.session_state["article_quotes_chart"] = {
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
    at.session_state["article_stance_chart"] = {
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
        "vader_label",
        "text",
        "vader_assessments",
    ]
    assert frame["paragraph"].tolist()[3:7] == ["3", "4", "4", "4"]
    assert frame["sentence"].tolist()[3:7] == [1, 1, 2, 3]
    assert frame["paragraph"].tolist()[0] == "H"
    assert frame["paragraph"].tolist()[-1] == "R12"


def test_removed_table_numbers_lines_as_the_text(warm):
    at = run_app()
    at.session_state["article_removed_open"] = True
    at.run()
    removed = next(f.value for f in at.dataframe if "reason" in f.value.columns)
    assert removed["paragraph"].tolist() == ["R9", "R10", "R11", "R12"]


def test_character_offsets_are_shown_only_when_asked(warm):
    at = show_tab(run_app(), "Entities detail")
    assert "start" not in at.dataframe[0].value.columns
    at.toggle(key="article_stance_mentions_offsets").set_value(True).run()
    assert list(at.dataframe[0].value.columns[:3]) == ["paragraph", "start", "end"]


SPANISH = (
    "Nuevo Puente Para la Ciudad\n\n"
    "El gobierno de la ciudad anunció el martes que las obras del nuevo puente comenzarán en "
    "la primavera. Los vecinos del barrio dijeron que esperan que el proyecto mejore el tráfico "
    "y que las tiendas de la zona reciban más clientes durante todo el año, según explicó la "
    "alcaldesa en una rueda de prensa."
)


def test_non_english_note_is_the_first_thing_on_the_page(warm):
    at = open_sources(run_app())
    at.text_area(key="article_sources_paste").input(SPANISH)
    at.button(key="article_sources_paste_go").click().run()
    top = [
        (node.type, node.value)
        for node in at.main.children.values()
        if node.type in ("success", "warning", "markdown")
    ]
    assert [kind for kind, _ in top[:3]] == ["success", "warning", "markdown"]
    assert "This text looks like Spanish" in top[1][1]
    assert top[2][1].startswith("**Overall tone:**")


def test_sentence_detail_labelled_by_the_chosen_model(warm):
    at = run_app()
    show_tab(at, "Sentiment detail")
    columns = list(at.dataframe[0].value.columns)
    assert ("vader_label" in columns, "label" in columns) == (True, False)
