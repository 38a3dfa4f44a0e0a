"""DataFrame in, Plotly figure out. Pure: no Streamlit, no NLP.

Every bar carries its key in ``customdata`` (the term, the entity name, the paragraph
number), so that a click on it can select it in the app.
"""

from __future__ import annotations

import html
import textwrap

import pandas as pd
import plotly.graph_objects as go

from analysis.core.schema import paragraph_label
from analysis.core.sentiment import (
    DEFAULT_BAND,
    DEFAULT_MODEL,
    LABEL_COLUMN,
    SCORE_COLUMN,
    labelled,
)
from dashboard.labels import MODEL_LABELS, type_help, type_name
from dashboard.render import ENTITY_COLOURS, SENTIMENT_COLOURS, SENTIMENT_SIGNS

BAR = "#1f5fa8"
SELECTED = "#f0b400"
#: The top margin holds Plotly's toolbar (shown on hover, at the figure's top right) above
#: the title, which sits just over the plot: a long title under the toolbar at 1280 px.
_MARGIN = {"l": 10, "r": 10, "t": 64, "b": 10}
#: A legend under everything, at the bottom of the figure: above the plot it met the title,
#: and below the plot area (paper coordinates) it met the x axis's title. Plotly grows the
#: bottom margin to make room for it, also when it wraps onto several lines.
BOTTOM_LEGEND = {
    "orientation": "h",
    "yref": "container",
    "y": 0,
    "yanchor": "bottom",
    "x": 0,
    "xanchor": "left",
    "title": {"text": ""},
}


#: Character widths in em of the app's sans-serif (Source Sans), by kind: what
#: :func:`text_width` uses to give a bar chart's labels their margin.
_EM_NARROW, _EM_WIDE, _EM_UPPER, _EM_SPACE, _EM_OTHER = 0.27, 0.8, 0.62, 0.22, 0.52
_NARROW = frozenset("fijlrtI.,:;'!|()[]-")
_WIDE = frozenset("mwMW@%&")
#: Pixels between the longest label and the figure's edge (tick label padding and a margin for
#: the estimate).
_LABEL_PAD = 18


def text_width(text: str, size: float = 12) -> float:
    """An estimate, in pixels, of ``text``'s width in the app's sans-serif at ``size`` px.

    Bar charts give their category labels a left margin from it (:func:`fixed_margins`).
    """
    em = 0.0
    for char in str(text):
        if char in _NARROW:
            em += _EM_NARROW
        elif char in _WIDE:
            em += _EM_WIDE
        elif char.isupper():
            em += _EM_UPPER
        elif char.isspace():
            em += _EM_SPACE
        else:
            em += _EM_OTHER
    return em * size


def label_margin(labels) -> dict:
    """The figure margin that fits category ``labels`` (plain text) on the left axis."""
    widest = max((text_width(label) for label in labels), default=0.0)
    return {**_MARGIN, "l": int(widest) + _LABEL_PAD}


#: The longest category label shown in full on an axis, in characters; a longer one ends in
#: "…" there (the hover shows it in full), so that one long name cannot squeeze the bars.
LABEL_CHARS = 30


def shortened(label: str, limit: int = LABEL_CHARS) -> str:
    """``label`` as an axis shows it: at most ``limit`` characters, "…" marking a cut."""
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def category_axis(labels, **axis) -> tuple[dict, dict]:
    """A category y axis for ``labels`` (plain text, in the order of the trace's ``y``) and the
    figure margin that fits it. Labels longer than :data:`LABEL_CHARS` keep their category
    (the bar's value, hover and click) and are shortened on the axis only."""
    labels = [str(label) for label in labels]
    shown = [shortened(label) for label in labels]
    axis = {"type": "category", **axis}
    if shown != labels:
        axis.update(
            tickmode="array",
            tickvals=[plain(label) for label in labels],
            ticktext=[plain(label) for label in shown],
        )
    return axis, label_margin(shown)


def plain(text: str) -> str:
    """Article text for a figure: Plotly reads ``<b>``, ``<a href>``, ``<br>`` and entities in
    labels and hover text as markup, so ``&``, ``<`` and ``>`` are escaped (Plotly shows the
    escaped characters as typed)."""
    return html.escape(str(text), quote=False)


def plain_figure(
    title: str, height: int, data: list[dict], *, fixed: bool = False, **layout
) -> go.Figure:
    """A figure from plain trace and layout dicts.

    Plotly's property validation is skipped (``_validate=False``): it is slow, and runs on
    every rerun of the app; ``tests/dashboard/test_charts.py`` validates every figure these
    functions build instead. With ``fixed``, the margins are fixed (:func:`fixed_margins`):
    the Article page's charts, whose labels are known here.
    """
    layout = {
        "title": {
            "text": title,
            "x": 0,
            "font": {"size": 15},
            "y": 1,
            "yref": "paper",
            "yanchor": "bottom",
            "pad": {"b": 8},
        },
        "height": height,
        "margin": _MARGIN,
        "plot_bgcolor": "white",
        "clickmode": "event+select",
        "dragmode": False,
        "hoverlabel": {"align": "left"},
        **layout,
    }
    return go.Figure(
        {
            "data": data,
            "layout": fixed_margins(layout, entries=legend_entries(data)) if fixed else layout,
        },
        _validate=False,
    )


#: Room, in pixels, below the plot for the x axis's tick labels and title, and for a legend
#: under it (one line; a legend that wraps onto more lines makes its own room).
AXIS_ROOM, LEGEND_ROOM = 55, 45
#: A legend entry's line: in a narrow chart (half a page at 1280 px, a Compare column) the
#: legend wraps to one entry per line, and a legend taller than its room pushed the x axis's
#: title over its tick labels.
LEGEND_LINE = 19


def legend_entries(data: list[dict]) -> int:
    """The traces of ``data`` with an entry in the legend."""
    return sum(1 for trace in data if trace.get("showlegend", True) and trace.get("name"))


def fixed_margins(layout: dict, *, entries: int = 1) -> dict:
    """``layout`` with fixed margins in place of ``automargin``, which Streamlit's chart theme
    turns on for every axis: Plotly then measures tick labels and titles in the browser and,
    when they need more room than the margin gives, draws the whole figure a second time. The
    left margin comes from the labels (:func:`label_margin`) or the caller; below the plot
    there is :data:`AXIS_ROOM`, and with a legend room for its ``entries``, each on its own
    line (at least :data:`LEGEND_ROOM`)."""
    layout = dict(layout)
    axes = {"xaxis", "yaxis"} | {key for key in layout if key.startswith(("xaxis", "yaxis"))}
    for axis in sorted(axes):
        layout[axis] = {**layout.get(axis, {}), "automargin": False}
    margin = dict(layout.get("margin", _MARGIN))
    legend = max(LEGEND_ROOM, LEGEND_LINE * entries + 10) if "legend" in layout else 0
    margin["b"] = max(margin["b"], AXIS_ROOM + legend)
    layout["margin"] = margin
    return layout


def count_axis(counts, title: str) -> dict:
    """An axis for counts: whole numbers only (a step of 1 while the largest count is small)."""
    largest = max((int(c) for c in counts), default=0)
    axis = {
        "title": {"text": title},
        "gridcolor": "#eceff3",
        "rangemode": "tozero",
        "tickformat": ",d",
    }
    if largest <= 10:
        axis["dtick"] = 1
    return axis


def empty_figure(title: str, message: str) -> go.Figure:
    """A figure with no data: ``message`` where the plot would be."""
    note = {
        "text": message,
        "showarrow": False,
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "font": {"size": 14, "color": "#5b6572"},
    }
    return plain_figure(
        title, 220, [], annotations=[note], xaxis={"visible": False}, yaxis={"visible": False}
    )


def words_figure(words: pd.DataFrame, *, top: int = 15, selected: str = "") -> go.Figure:
    """Horizontal bars of the ``top`` terms (most frequent at the top)."""
    title = "Most frequent words"
    shown = words.head(top)
    if shown.empty:
        return empty_figure(title, "No words to count with these options.")
    shown = shown.iloc[::-1]
    bar = {
        "type": "bar",
        "x": shown["count"].tolist(),
        "y": [plain(term) for term in shown["term"]],
        "orientation": "h",
        "customdata": shown["term"].tolist(),
        "marker": {"color": [SELECTED if term == selected else BAR for term in shown["term"]]},
        "hovertemplate": "<b>%{y}</b>: %{x}<extra></extra>",
    }
    yaxis, margin = category_axis(shown["term"])
    return plain_figure(
        title,
        max(260, 28 * len(shown) + 80),
        [bar],
        fixed=True,
        xaxis=count_axis(shown["count"], "occurrences"),
        yaxis=yaxis,
        margin=margin,
    )


def _opening(text: str, words: int = 12) -> str:
    parts = text.split()
    opening = " ".join(parts[:words]) + (" …" if len(parts) > words else "")
    return "<br>".join(plain(line) for line in textwrap.wrap(opening, 60))


def _moved(assessments, *, key: str = "polarity") -> str:
    if not isinstance(assessments, (list, tuple)) or not assessments:
        return "no scored words"
    items = sorted(assessments, key=lambda a: -abs(a[key]))[:6]
    return ", ".join(f"{plain(a['words'])} ({a[key]:+.2f})" for a in items)


#: Each model's score as an axis names it: the model and its score's name.
MODEL_NAMES = {
    model: f"{MODEL_LABELS[model]} {score}"
    for model, score in (("vader", "compound"), ("textblob", "polarity"))
}
DISAGREE = "#5b6572"


def sentiment_figure(
    paragraphs: pd.DataFrame,
    *,
    model: str = DEFAULT_MODEL,
    band: float = DEFAULT_BAND,
    selected: int | None = None,
) -> go.Figure:
    """Sentiment per paragraph as bars coloured by label, subjectivity alongside as a line.

    ``model`` picks the bars: VADER compound or TextBlob polarity (both -1..1), labelled with
    the neutral ``band`` (shaded). Hovering a bar shows the paragraph's opening words and the
    words that moved the model's score. A "≠" above a paragraph marks that the two models
    give it different labels.
    """
    title = "Sentiment per paragraph"
    if paragraphs.empty:
        return empty_figure(title, "No paragraphs in this range.")
    paragraphs = labelled(paragraphs, band=band)
    score_column, label_column = SCORE_COLUMN[model], LABEL_COLUMN[model]
    other = next(m for m in SCORE_COLUMN if m != model)
    moved_column, moved_key = (
        ("vader_assessments", "valence") if model == "vader" else ("assessments", "polarity")
    )
    if moved_column not in paragraphs:
        moved_column, moved_key = "assessments", "polarity"
    name = MODEL_NAMES[model]
    # As the article panel numbers them: H for the headline, R9 for a removed line.
    numbers = [
        paragraph_label(int(p), kind)
        for p, kind in zip(paragraphs["paragraph"], paragraphs["kind"], strict=True)
    ]
    colours = [SENTIMENT_COLOURS[label] for label in paragraphs[label_column]]
    line_colours = [
        SELECTED if p == selected else colour
        for p, colour in zip(paragraphs["paragraph"], colours, strict=True)
    ]
    custom = [
        [int(p), _opening(text), _moved(moved, key=moved_key), f"{SENTIMENT_SIGNS[label]} {label}"]
        for p, text, moved, label in zip(
            paragraphs["paragraph"],
            paragraphs["text"],
            paragraphs[moved_column],
            paragraphs[label_column],
            strict=True,
        )
    ]
    bars = {
        "type": "bar",
        "x": numbers,
        "y": paragraphs[score_column].tolist(),
        "name": name,
        # Coloured by label, its legend swatch would show one label's colour: the left axis
        # names the bars instead.
        "showlegend": False,
        "marker": {"color": colours, "line": {"color": line_colours, "width": 3}},
        "customdata": custom,
        "hovertemplate": (
            "<b>¶ %{x}</b> · %{customdata[3]} · " + name + " %{y:+.2f}<br>"
            "%{customdata[1]}<br><i>moved by:</i> %{customdata[2]}<extra></extra>"
        ),
        "xaxis": "x",
        "yaxis": "y",
    }
    subjectivity = {
        "type": "scatter",
        "x": numbers,
        "y": paragraphs["subjectivity"].tolist(),
        "name": "TextBlob subjectivity (right axis)",
        "mode": "lines+markers",
        "line": {"color": "#6a51a3", "width": 1.5, "dash": "dot"},
        "cliponaxis": False,
        "hovertemplate": "¶ %{x} subjectivity %{y:.2f}<extra></extra>",
        "xaxis": "x",
        "yaxis": "y2",
    }
    traces = [bars, subjectivity]
    split = paragraphs["disagree"].tolist()
    if any(split):
        other_labels = paragraphs[LABEL_COLUMN[other]].tolist()
        other_scores = paragraphs[SCORE_COLUMN[other]].tolist()
        where = [i for i, flag in enumerate(split) if flag]
        traces.append(
            {
                "type": "scatter",
                "x": [numbers[i] for i in where],
                "y": [1.0] * len(where),
                "name": "≠ the models disagree",
                "mode": "text",
                "text": ["≠"] * len(where),
                "textfont": {"size": 16, "color": DISAGREE},
                "customdata": [
                    [int(paragraphs["paragraph"].iloc[i]), other_labels[i], other_scores[i]]
                    for i in where
                ],
                "hovertemplate": (
                    "¶ %{x}: " + MODEL_NAMES[other] + " says %{customdata[1]} "
                    "(%{customdata[2]:+.2f})<extra></extra>"
                ),
                "cliponaxis": False,
                "xaxis": "x",
                "yaxis": "y",
            }
        )
    neutral = {
        "type": "rect",
        "xref": "paper",
        "x0": 0,
        "x1": 0.94,
        "yref": "y",
        "y0": -band,
        "y1": band,
        "fillcolor": "#9e9e9e",
        "opacity": 0.12,
        "line": {"width": 0},
        "layer": "below",
    }
    return plain_figure(
        title,
        430,
        traces,
        fixed=True,
        xaxis={
            "anchor": "y",
            "domain": [0.0, 0.94],
            "title": {"text": "paragraph"},
            "type": "category",
        },
        yaxis={
            "anchor": "x",
            "domain": [0.0, 1.0],
            "title": {"text": name},
            "range": [-1.05, 1.05],
            "zeroline": True,
            "zerolinecolor": "#888",
            "gridcolor": "#eceff3",
        },
        yaxis2={
            "anchor": "x",
            "overlaying": "y",
            "side": "right",
            "title": {"text": "subjectivity (0-1)"},
            "range": [0, 1],
            "dtick": 0.25,
            "showgrid": False,
        },
        shapes=[neutral],
        legend=BOTTOM_LEGEND,
        # Room for the ticks (-0.5, 0.75) and titles of the two y axes.
        margin={**_MARGIN, "l": 70, "r": 60},
        # A paragraph's whole column hovers and clicks as the paragraph: a neutral paragraph's
        # bar has no height to point at.
        hovermode="x",
    )


def entities_figure(entities: pd.DataFrame, *, top: int = 20, selected: str = "") -> go.Figure:
    """Horizontal bars of entity counts, coloured by type."""
    title = "Named entities"
    shown = entities.head(top)
    if shown.empty:
        return empty_figure(title, "No entities of these types and counts.")
    shown = shown.iloc[::-1]
    traces = []
    for label in sorted(set(shown["label"])):
        part = shown[shown["label"] == label]
        outline = [SELECTED if e == selected else "rgba(0,0,0,0)" for e in part["entity"]]
        traces.append(
            {
                "type": "bar",
                "x": part["count"].tolist(),
                "y": [plain(entity) for entity in part["entity"]],
                "orientation": "h",
                "name": type_name(label),
                "customdata": part["entity"].tolist(),
                "marker": {
                    "color": ENTITY_COLOURS.get(label, "#bbbbbb"),
                    "line": {"color": outline, "width": 3},
                },
                "hovertemplate": (
                    "<b>%{y}</b>: %{x} mentions<br>"
                    + type_name(label)
                    + ": "
                    + type_help(label)
                    + "<extra></extra>"
                ),
            }
        )
    yaxis, margin = category_axis(
        shown["entity"], categoryorder="array", categoryarray=[plain(e) for e in shown["entity"]]
    )
    return plain_figure(
        title,
        max(260, 28 * len(shown) + 110),
        traces,
        fixed=True,
        yaxis=yaxis,
        margin=margin,
        xaxis=count_axis(shown["count"], "mentions"),
        barmode="stack",
        legend=BOTTOM_LEGEND,
    )


def entity_types_figure(entities: pd.DataFrame) -> go.Figure:
    """A small breakdown of mentions by entity type."""
    title = "Mentions by type"
    if entities.empty:
        return empty_figure(title, "No entities.")
    totals = entities.groupby("label", as_index=False)["count"].sum()
    totals = totals.sort_values(["count", "label"], ascending=[True, False])
    bar = {
        "type": "bar",
        "x": totals["count"].tolist(),
        "y": [type_name(label) for label in totals["label"]],
        "orientation": "h",
        "customdata": [type_help(label) for label in totals["label"]],
        "marker": {"color": [ENTITY_COLOURS.get(label, "#bbbbbb") for label in totals["label"]]},
        "hovertemplate": "%{y}: %{x} mentions<br>%{customdata}<extra></extra>",
    }
    return plain_figure(
        title,
        max(160, 24 * len(totals) + 70),
        [bar],
        fixed=True,
        yaxis={"type": "category"},
        margin=label_margin(bar["y"]),
        xaxis=count_axis(totals["count"], "mentions"),
    )


def speakers_figure(speakers: pd.DataFrame, *, top: int = 15, selected: str = "") -> go.Figure:
    """Who is quoted: horizontal bars of words quoted per speaker (most at the top), the
    number of quotations in the hover."""
    title = "Who is quoted (words quoted)"
    shown = speakers.head(top)
    if shown.empty:
        return empty_figure(title, "No attributed quotations in this range.")
    shown = shown.iloc[::-1]
    bar = {
        "type": "bar",
        "x": shown["words"].tolist(),
        "y": [plain(name) for name in shown["speaker"]],
        "orientation": "h",
        "customdata": [
            [name, int(quotes)]
            for name, quotes in zip(shown["speaker"], shown["quotes"], strict=True)
        ],
        "marker": {"color": [SELECTED if name == selected else BAR for name in shown["speaker"]]},
        "hovertemplate": "<b>%{y}</b>: %{x} words in %{customdata[1]} quotation(s)<extra></extra>",
    }
    yaxis, margin = category_axis(shown["speaker"])
    return plain_figure(
        title,
        max(220, 28 * len(shown) + 80),
        [bar],
        fixed=True,
        xaxis=count_axis(shown["words"], "words quoted"),
        yaxis=yaxis,
        margin=margin,
    )


def entity_sentiment_figure(
    scores: pd.DataFrame,
    *,
    model: str = DEFAULT_MODEL,
    band: float = DEFAULT_BAND,
    top: int = 20,
    selected: str = "",
) -> go.Figure:
    """Sentiment toward each entity: one dot per entity (the most mentioned first, at the
    top), at the mean score of the sentences that mention it, sized by mentions and coloured
    by label; the neutral band shaded."""
    title = "Sentiment toward each entity (sentences that mention it)"
    shown = scores.head(top)
    if shown.empty:
        return empty_figure(title, "No entities of these types in this range.")
    shown = shown.iloc[::-1]
    largest = max(int(shown["mentions"].max()), 1)
    dots = {
        "type": "scatter",
        "mode": "markers",
        "x": shown["score"].tolist(),
        "y": [plain(entity) for entity in shown["entity"]],
        "customdata": [
            [entity, SENTIMENT_SIGNS[label] + " " + label, int(mentions), int(sentences)]
            for entity, label, mentions, sentences in zip(
                shown["entity"], shown["label"], shown["mentions"], shown["sentences"], strict=True
            )
        ],
        "marker": {
            "size": [10 + 22 * (int(m) / largest) ** 0.5 for m in shown["mentions"]],
            "color": [SENTIMENT_COLOURS[label] for label in shown["label"]],
            "symbol": [
                {"positive": "triangle-up", "negative": "triangle-down"}.get(label, "circle")
                for label in shown["label"]
            ],
            "line": {
                "color": [SELECTED if e == selected else "white" for e in shown["entity"]],
                "width": [3 if e == selected else 1 for e in shown["entity"]],
            },
        },
        "hovertemplate": (
            "<b>%{y}</b> · %{customdata[1]} %{x:+.2f}<br>%{customdata[2]} "
            "mention(s) in %{customdata[3]} sentence(s)<extra></extra>"
        ),
    }
    neutral = {
        "type": "rect",
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "xref": "x",
        "x0": -band,
        "x1": band,
        "fillcolor": "#9e9e9e",
        "opacity": 0.12,
        "line": {"width": 0},
        "layer": "below",
    }
    yaxis, margin = category_axis(shown["entity"])
    return plain_figure(
        title,
        max(240, 30 * len(shown) + 90),
        [dots],
        fixed=True,
        yaxis=yaxis,
        margin=margin,
        xaxis={
            "title": {"text": f"mean {MODEL_NAMES[model]} of its sentences"},
            "range": [-1.05, 1.05],
            "zeroline": True,
            "zerolinecolor": "#888",
            "gridcolor": "#eceff3",
        },
        shapes=[neutral],
    )
