import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard import charts
from dashboard.corpus import charts as corpus_charts


def test_words_figure_top_bar_is_most_frequent(sample_analysis):
    figure = charts.words_figure(sample_analysis.words, top=3)
    bar = figure.data[0]
    assert list(bar.y) == ["international", "gaza", "china"]
    assert list(bar.x) == [5, 5, 10]
    assert list(bar.customdata) == ["international", "gaza", "china"]


def test_words_figure_marks_selected_term(sample_analysis):
    figure = charts.words_figure(sample_analysis.words, top=3, selected="gaza")
    assert list(figure.data[0].marker.color) == [charts.BAR, charts.SELECTED, charts.BAR]


def test_words_figure_empty_says_why():
    figure = charts.words_figure(pd.DataFrame(columns=["term", "count"]))
    assert figure.layout.annotations[0].text == "No words to count with these options."


def test_sentiment_figure_bars_coloured_by_sign(sample_analysis):
    figure = charts.sentiment_figure(sample_analysis.paragraphs, model="textblob")
    bars, line, _ = figure.data
    assert list(bars.x) == ["H", "1", "2", "3", "4", "5", "6", "7", "8"]
    assert list(bars.marker.color)[3:6] == ["#c2452d", "#2f6db5", "#2f6db5"]
    assert line.name == "TextBlob subjectivity (right axis)"
    assert [round(v, 3) for v in line.y][5] == 0.9


def test_sentiment_figure_defaults_to_vader_with_its_moving_words(sample_analysis):
    bars = charts.sentiment_figure(sample_analysis.paragraphs).data[0]
    assert bars.name == "VADER compound"
    assert list(bars.marker.color)[:4] == ["#c2452d", "#c2452d", "#9e9e9e", "#2f6db5"]
    assert bars.customdata[5][2] == (
        "peace (+2.50), appreciating (+1.90), parties (+1.70), "
        "fair (+1.30), outreach (+1.10), well (+1.10)"
    )
    assert bars.customdata[5][3] == "+ positive"


def test_sentiment_figure_marks_where_the_models_disagree(sample_analysis):
    marks = charts.sentiment_figure(sample_analysis.paragraphs).data[2]
    assert (marks.name, list(marks.x), list(marks.text)) == (
        "≠ the models disagree",
        ["H", "1", "3", "6"],
        ["≠"] * 4,
    )
    assert [row[:2] for row in marks.customdata] == [
        [0, "neutral"],
        [1, "neutral"],
        [3, "negative"],
        [6, "neutral"],
    ]


def test_sentiment_figure_band_relabels_and_is_shaded(sample_analysis):
    figure = charts.sentiment_figure(sample_analysis.paragraphs, band=0.4)
    assert list(figure.data[0].marker.color)[:4] == ["#9e9e9e"] * 3 + ["#2f6db5"]
    assert (figure.layout.shapes[0].y0, figure.layout.shapes[0].y1) == (-0.4, 0.4)


def test_sentiment_figure_hover_has_opening_and_moving_words(sample_analysis):
    figure = charts.sentiment_figure(sample_analysis.paragraphs, model="textblob")
    paragraph, opening, moved, label = figure.data[0].customdata[5]
    assert (paragraph, label, moved) == (5, "+ positive", "fair (+0.70)")
    assert opening.startswith("China’s diplomatic outreach was well received")


def test_sentiment_figure_vader(sample_analysis):
    figure = charts.sentiment_figure(sample_analysis.paragraphs, model="vader")
    assert figure.data[0].name == "VADER compound"
    assert list(figure.data[0].y)[:2] == [-0.3182, -0.296]


def test_entities_figure_one_trace_per_type(sample_analysis):
    figure = charts.entities_figure(sample_analysis.entities, top=5)
    assert sorted(trace.name for trace in figure.data) == [
        "Countries, cities (GPE)",
        "People (PERSON)",
    ]
    gpe = next(trace for trace in figure.data if trace.name == "Countries, cities (GPE)")
    assert dict(zip(gpe.y, gpe.x, strict=True)) == {
        "Israel": 2,
        "Palestine": 3,
        "Gaza": 5,
        "China": 10,
    }
    assert list(figure.layout.yaxis.categoryarray) == [
        "Israel",
        "Palestine",
        "Lin Jian",
        "Gaza",
        "China",
    ]


def test_entity_types_figure(sample_analysis):
    figure = charts.entity_types_figure(sample_analysis.entities)
    assert dict(zip(figure.data[0].y, figure.data[0].x, strict=True)) == {
        "Countries, cities (GPE)": 22,
        "People (PERSON)": 4,
        "Organisations (ORG)": 2,
    }
    assert list(figure.data[0].customdata)[-1] == "countries, cities, states"


def test_count_axes_show_whole_numbers(sample_analysis):
    figure = charts.entities_figure(sample_analysis.entities)
    assert (figure.layout.xaxis.tickformat, figure.layout.xaxis.dtick) == (",d", 1)
    many = pd.DataFrame({"term": ["a", "b"], "count": [40, 3]})
    axis = charts.words_figure(many).layout.xaxis
    assert (axis.tickformat, axis.dtick) == (",d", None)


def test_article_text_in_figures_is_escaped():
    words = pd.DataFrame({"term": ["<b>x</b>"], "count": [1]})
    figure = charts.words_figure(words)
    assert list(figure.data[0].y) == ["&lt;b&gt;x&lt;/b&gt;"]
    assert list(figure.data[0].customdata) == ["<b>x</b>"]  # the key stays as it was
    paragraphs = pd.DataFrame(
        {
            "paragraph": [1],
            "kind": ["body"],
            "text": ["<a href='https://evil'>click</a> & more"],
            "polarity": [0.0],
            "subjectivity": [0.0],
            "vader": [0.0],
            "label": ["neutral"],
            "vader_label": ["neutral"],
            "assessments": [[]],
        }
    )
    hover = charts.sentiment_figure(paragraphs).data[0].customdata[0][1]
    assert hover == "&lt;a href='https://evil'&gt;click&lt;/a&gt; &amp; more"


def test_every_figure_is_valid_plotly(sample_analysis):
    """The builders skip Plotly's validation for speed; it runs here instead. A misspelt or
    misplaced property makes ``go.Figure(spec)`` raise ValueError."""
    empty_words = pd.DataFrame(columns=["term", "count"])
    figures = [
        charts.words_figure(sample_analysis.words, top=5, selected="gaza"),
        charts.words_figure(empty_words),
        charts.sentiment_figure(sample_analysis.paragraphs, selected=3),
        charts.sentiment_figure(sample_analysis.paragraphs, model="vader"),
        charts.sentiment_figure(sample_analysis.paragraphs.iloc[0:0]),
        charts.entities_figure(sample_analysis.entities, selected="China"),
        charts.entity_types_figure(sample_analysis.entities),
        charts.speakers_figure(SPEAKERS, selected="Ana Diaz"),
        charts.speakers_figure(SPEAKERS.iloc[0:0]),
        charts.entity_sentiment_figure(SCORES, selected="Oslo", band=0.1),
        charts.entity_sentiment_figure(SCORES.iloc[0:0]),
    ]
    for figure in figures:
        spec = figure.to_dict()
        validated = go.Figure(spec).to_dict()
        assert json.loads(pio.to_json(validated)) == json.loads(pio.to_json(spec))


def test_sentiment_figure_has_subjectivity_on_a_right_axis(sample_analysis):
    figure = charts.sentiment_figure(sample_analysis.paragraphs)
    assert (figure.data[0].yaxis, figure.data[1].yaxis) == ("y", "y2")
    assert (figure.layout.yaxis2.overlaying, figure.layout.yaxis2.side) == ("y", "right")
    assert list(figure.layout.yaxis.range) == [-1.05, 1.05]
    assert figure.layout.hovermode == "x"  # a neutral paragraph's column is clickable


def test_sentiment_figure_labels_as_the_article_does():
    paragraphs = pd.DataFrame(
        {
            "paragraph": [0, 1, 9],
            "kind": ["headline", "body", "removed"],
            "text": ["a", "b", "c"],
            "polarity": [0.0, 0.2, 0.0],
            "subjectivity": [0.0, 0.5, 0.0],
            "vader": [0.0, 0.3, 0.0],
            "label": ["neutral", "positive", "neutral"],
            "vader_label": ["neutral"] * 3,
            "assessments": [[], [], []],
        }
    )
    figure = charts.sentiment_figure(paragraphs)
    assert list(figure.data[0].x) == ["H", "1", "R9"]
    assert [row[0] for row in figure.data[0].customdata] == [0, 1, 9]


SPEAKERS = pd.DataFrame(
    {
        "speaker": ["Ana Diaz", "a <spokesman>"],
        "entity": ["Ana Diaz", None],
        "quotes": [2, 1],
        "words": [30, 7],
        "paragraphs": [2, 1],
    }
)
SCORES = pd.DataFrame(
    {
        "entity": ["Oslo", "Ana Diaz"],
        "type": ["GPE", "PERSON"],
        "mentions": [4, 1],
        "sentences": [3, 1],
        "score": [0.5, -0.3],
        "label": ["positive", "negative"],
        "polarity": [0.1, -0.2],
        "vader": [0.5, -0.3],
    }
)


def test_speakers_figure_most_words_at_the_top():
    bar = charts.speakers_figure(SPEAKERS, selected="Ana Diaz").data[0]
    assert list(bar.y) == ["a &lt;spokesman&gt;", "Ana Diaz"]
    assert list(bar.x) == [7, 30]
    assert [row[0] for row in bar.customdata] == ["a <spokesman>", "Ana Diaz"]
    assert list(bar.marker.color) == [charts.BAR, charts.SELECTED]


def test_speakers_figure_empty_says_why():
    empty = pd.DataFrame(columns=["speaker", "entity", "quotes", "words", "paragraphs"])
    figure = charts.speakers_figure(empty)
    assert figure.layout.annotations[0].text == "No attributed quotations in this range."


def test_entity_sentiment_figure_dots_by_score_and_label():
    dots = charts.entity_sentiment_figure(SCORES, selected="Oslo").data[0]
    assert list(dots.y) == ["Ana Diaz", "Oslo"]
    assert list(dots.x) == [-0.3, 0.5]
    assert list(dots.marker.symbol) == ["triangle-down", "triangle-up"]
    assert list(dots.marker.color) == ["#c2452d", "#2f6db5"]
    assert [row[:2] for row in dots.customdata] == [
        ["Ana Diaz", "− negative"],
        ["Oslo", "+ positive"],
    ]
    assert list(dots.marker.line.width) == [1, 3]


def test_sentiment_figure_legend_sits_at_the_bottom_of_the_figure(sample_analysis):
    legend = charts.sentiment_figure(sample_analysis.paragraphs).layout.legend
    assert (legend.yref, legend.y, legend.yanchor) == ("container", 0, "bottom")


def test_entities_figure_legend_sits_at_the_bottom_of_the_figure(sample_analysis):
    legend = charts.entities_figure(sample_analysis.entities).layout.legend
    assert (legend.yref, legend.y, legend.yanchor) == ("container", 0, "bottom")


def test_sentiment_figure_bars_have_no_legend_swatch(sample_analysis):
    figure = charts.sentiment_figure(sample_analysis.paragraphs)
    assert [trace.showlegend for trace in figure.data[:2]] == [False, None]


def test_label_width_estimate_and_margin():
    # L, J upper; i narrow; n, a other; a space: (0.62 * 2 + 0.27 * 2 + 0.52 * 3 + 0.22) * 12
    assert round(charts.text_width("Lin Jian"), 2) == 42.72
    assert round(charts.text_width("WWW"), 2) == 28.8  # wide letters
    assert charts.label_margin(["China", "Lin Jian"]) == {"l": 60, "r": 10, "t": 64, "b": 10}
    assert charts.label_margin([])["l"] == 18


def test_charts_have_fixed_margins_instead_of_automargin(sample_analysis):
    words = pd.DataFrame({"term": ["gaza", "international community"], "count": [3, 2]})
    figure = charts.words_figure(words)
    # The left margin fits the longer term: int(122.64) + 18; below, the axis's room only.
    assert figure.layout.margin.to_plotly_json() == {"l": 140, "r": 10, "t": 64, "b": 55}
    assert (figure.layout.xaxis.automargin, figure.layout.yaxis.automargin) == (False, False)
    entities = pd.DataFrame(
        {"entity": ["Lin Jian", "China"], "label": ["PERSON", "GPE"], "count": [3, 10]}
    )
    figure = charts.entities_figure(entities)
    assert figure.layout.margin.to_plotly_json() == {"l": 60, "r": 10, "t": 64, "b": 103}
    paragraphs = charts.sentiment_figure(sample_analysis.paragraphs)
    assert paragraphs.layout.margin.to_plotly_json() == {"l": 70, "r": 60, "t": 64, "b": 103}
    assert [paragraphs.layout[axis].automargin for axis in ("xaxis", "yaxis", "yaxis2")] == [
        False,
        False,
        False,
    ]


def test_corpus_charts_keep_automargin():
    # The Corpus page's category axes (outlets, names) keep Plotly's automargin.
    figure = corpus_charts.cooccurrence_figure(
        pd.DataFrame([[0, 2], [2, 0]], index=["China", "Gaza"], columns=["China", "Gaza"])
    )
    assert figure.layout.xaxis.automargin is True and figure.layout.margin.b == 10


def test_a_long_name_is_shortened_on_the_axis_only():
    long = "International Committee of the Red Cross & Red Crescent"
    entities = pd.DataFrame({"entity": [long, "China"], "label": ["ORG", "GPE"], "count": [2, 5]})
    figure = charts.entities_figure(entities)
    full = "International Committee of the Red Cross &amp; Red Crescent"
    assert figure.layout.yaxis.tickvals == ("China", full)
    assert figure.layout.yaxis.ticktext == ("China", "International Committee of th…")
    assert [trace.y for trace in figure.data] == [("China",), (full,)]  # bar, hover and click
    assert figure.layout.margin.l == 169  # fits the shortened label, not the whole name
    assert (
        charts.words_figure(pd.DataFrame({"term": ["gaza"], "count": [1]})).layout.yaxis.tickvals
        is None
    )


def test_title_sits_over_the_plot_below_the_toolbar():
    title = charts.plain_figure("A title", 300, []).layout.title
    assert (title.yref, title.y, title.yanchor, charts._MARGIN["t"]) == ("paper", 1, "bottom", 64)


def test_a_legend_of_four_entries_gets_a_line_each():
    entities = pd.DataFrame(
        {
            "entity": ["A", "B", "C", "D"],
            "label": ["PERSON", "GPE", "ORG", "NORP"],
            "count": [4, 3, 2, 1],
        }
    )
    # Below the plot: the axis's room, then four legend lines of 19 px and 10 px to spare.
    assert charts.entities_figure(entities).layout.margin.b == 55 + 4 * 19 + 10
