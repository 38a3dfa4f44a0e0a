"""Corpus query results in, Plotly figures out. Pure: no Streamlit, no database.

Follows :mod:`dashboard.charts`: whole-number axes for counts, article text escaped for Plotly
(:func:`dashboard.charts.plain`), and every mark carries its key in ``customdata`` so that a
click on it can select it in the page.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import (
    BOTTOM_LEGEND,
    MODEL_NAMES,
    count_axis,
    empty_figure,
    plain,
    plain_figure,
)
from dashboard.corpus.link import parse_item

#: One colour per line (Okabe-Ito, told apart by colour-blind readers), in line order.
LINE_COLOURS = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#000000",
    "#999933",
)
CONTEXT = "#d9dee5"
NO_SOURCE = "(no outlet)"
#: Above this many articles an outlet's tone box shows its outliers only, not every article.
BOX_POINTS = 150
#: Above this many periods an outlet's tone line has no dots.
TONE_DOTS = 12


def item_label(item: str) -> str:
    """``e:China`` -> "China"; ``t:virus`` -> "“virus”" (a word, in quotes)."""
    kind, name = parse_item(item)
    return f"“{name}”" if kind == "term" else name


def source_label(source) -> str:
    return source if isinstance(source, str) and source else NO_SOURCE


def coverage_lines(frame: pd.DataFrame, *, lines: str = "item") -> pd.DataFrame:
    """Coverage rows as the chart draws them: one row per period and line.

    Args:
        frame: :func:`analysis.storage.corpus.queries.mentions_over_time` output (``by_source`` when
            ``lines`` is "source"), with the item column already in ``e:``/``t:`` form.
        lines: "item" (a line per entity or term) or "source" (a line per outlet, the items'
            mentions added up).

    Returns:
        period, line, mentions, articles (with at least one mention), period_articles; by
        line in first-seen order, then period.
    """
    columns = ["period", "line", "mentions", "articles", "period_articles"]
    if frame.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype="int64" if c != "line" else "str") for c in columns}
        )
    if lines == "source":
        grouped = frame.assign(line=[source_label(s) for s in frame["source"]])
        out = grouped.groupby(["line", "period"], sort=False, as_index=False).agg(
            mentions=("mentions", "sum"),
            articles=("articles", "max"),
            period_articles=("period_articles", "first"),
        )
    else:
        out = frame.rename(columns={"item": "line"})[columns]
    order = {name: i for i, name in enumerate(dict.fromkeys(out["line"]))}
    out = out.assign(_o=out["line"].map(order)).sort_values(["_o", "period"], kind="stable")
    return out[columns].reset_index(drop=True)


#: How a period's first day is written on a time axis, by interval.
TICK_FORMATS = {"day": "%Y-%m-%d", "week": "%Y-%m-%d", "month": "%b %Y", "year": "%Y"}
#: Width of the one bar of a single period, in a date axis's milliseconds: half a day, a quarter
#: of the two days :func:`period_axis` shows (Plotly draws a lone bar on a date axis one
#: millisecond wide).
SINGLE_BAR_WIDTH = 43_200_000


def period_axis(days, *, interval: str, title: str | None = None) -> dict:
    """A date axis for periods starting on ``days`` (ISO strings): dates only, in the
    interval's format; with a single period, that one tick (Plotly would otherwise spread
    the one day into hours)."""
    axis: dict = {"type": "date", "gridcolor": "#eceff3", "tickformat": TICK_FORMATS[interval]}
    if title:
        axis["title"] = {"text": title}
    shown = sorted(set(days))
    if len(shown) == 1:
        day = pd.Timestamp(shown[0])
        axis.update(
            tickmode="array",
            tickvals=[shown[0]],
            ticktext=[day.strftime(TICK_FORMATS[interval])],
            range=[
                (day - pd.Timedelta(days=1)).isoformat(),
                (day + pd.Timedelta(days=1)).isoformat(),
            ],
        )
    return axis


def coverage_share(lines: pd.DataFrame) -> pd.Series:
    """Per row of :func:`coverage_lines`, the share of the period's articles that mention the
    line's item (articles / period_articles); NaN where the period has no article."""
    total = lines["period_articles"].where(lines["period_articles"] > 0)
    return (lines["articles"] / total).astype("float64")


def coverage_table(lines: pd.DataFrame, *, measure: str = "count") -> pd.DataFrame:
    """The rows behind the coverage chart, named for what they count: period, line,
    mentions, articles_mentioning, articles_in_period, and with ``measure="share"``
    share_of_articles (articles_mentioning / articles_in_period, empty where the period has
    no article)."""
    out = lines.rename(
        columns={"articles": "articles_mentioning", "period_articles": "articles_in_period"}
    )
    if measure == "share":
        out = out.assign(share_of_articles=coverage_share(lines))
    return out


def _values(series) -> list:
    """A column as a chart's values, a missing value as None (a break in the line)."""
    return [None if pd.isna(v) else v for v in series]


def coverage_figure(
    lines: pd.DataFrame, *, interval: str = "month", selected=None, measure: str = "count"
) -> go.Figure:
    """Mentions per period (``measure="share"``: the share of the period's articles that
    mention the item), one line per entity, term or outlet, with the number of articles per
    period as grey bars behind them (right axis); a period with no article breaks a share
    line. Each point's ``customdata`` is ``[line, ISO day]``; ``selected`` (a
    :class:`dashboard.corpus.link.Point`) is ringed."""
    share = measure == "share"
    mentions_axis = count_axis(lines["mentions"], "mentions")
    title = f"{'Share of articles' if share else 'Coverage'} per {interval}"
    if lines.empty:
        return empty_figure(
            title, "Nothing to count: choose entities or terms, or widen the filters."
        )
    context = lines.drop_duplicates("period").sort_values("period")
    traces = [
        {
            "type": "bar",
            "x": [str(p)[:10] for p in context["period"]],
            "y": context["period_articles"].tolist(),
            "name": "articles in the period (right axis)",
            "marker": {"color": CONTEXT},
            "yaxis": "y",
            "hoverinfo": "skip",
            **({"width": [SINGLE_BAR_WIDTH]} if len(context) == 1 else {}),
        }
    ]
    for i, (name, part) in enumerate(lines.groupby("line", sort=False)):
        days = [str(p)[:10] for p in part["period"]]
        label = item_label(name) if ":" in name and parse_item(name)[0] else name
        ring = [
            selected is not None and selected.line == name and str(selected.period) == d
            for d in days
        ]
        values = _values(coverage_share(part).round(4)) if share else part["mentions"].tolist()
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": days,
                "y": values,
                "name": plain(label),
                "line": {"color": LINE_COLOURS[i % len(LINE_COLOURS)], "width": 2},
                "yaxis": "y2",
                "marker": {
                    "size": [14 if r else 7 for r in ring],
                    "line": {"color": ["#f0b400" if r else "white" for r in ring], "width": 2},
                },
                "customdata": [
                    [name, d, int(a), int(t)]
                    for d, a, t in zip(days, part["articles"], part["period_articles"], strict=True)
                ],
                "hovertemplate": (
                    "<b>"
                    + plain(label)
                    + "</b> · %{x|"
                    + TICK_FORMATS[interval]
                    + "}<br>"
                    + ("%{y:.1%} of articles: " if share else "%{y} mention(s) in ")
                    + "%{customdata[2]} of %{customdata[3]} article(s)<extra></extra>"
                ),
            }
        )
    return plain_figure(
        title,
        380,
        traces,
        xaxis=period_axis(context["period"].map(lambda p: str(p)[:10]), interval=interval),
        # The articles' bars sit on the first axis (drawn first, on the right) so that the
        # lines, on the overlaying axis, are drawn over them.
        yaxis={
            **count_axis(lines["period_articles"], "articles"),
            "side": "right",
            "showgrid": False,
        },
        # An overlaying axis syncs its ticks to the first axis by default (ticks such as 18,
        # 37, 55): its own round ticks instead, and its grid is the only one drawn.
        yaxis2={
            **(
                {
                    "title": {"text": "share of articles"},
                    "tickformat": ".0%",
                    "rangemode": "tozero",
                    "gridcolor": "#eceff3",
                }
                if share
                else mentions_axis
            ),
            "overlaying": "y",
            "side": "left",
            # A step of 1 for small counts (else ticks such as 0.5 read "0, 1, 1, 2, 2").
            "tickmode": "linear" if "dtick" in mentions_axis and not share else "auto",
            # The title clear of the widest tick label (it sat over one at 1280 px).
            "automargin": True,
            "title_standoff": 12,
        },
        legend=BOTTOM_LEGEND,
        hovermode="closest",
    )


def box_stats(values) -> dict[str, float]:
    """Tukey's box of some values (a Series or an array, no missing values): quartiles
    (linear interpolation), and the whiskers' ends, the most extreme values within 1.5
    interquartile ranges of the box.

    Returns:
        q1, median, q3, lowerfence, upperfence.
    """
    values = np.asarray(values, dtype=float)
    q1, median, q3 = (float(q) for q in np.quantile(values, [0.25, 0.5, 0.75]))
    reach = 1.5 * (q3 - q1)
    inside = values[(values >= q1 - reach) & (values <= q3 + reach)]
    return {
        "q1": q1,
        "median": median,
        "q3": q3,
        "lowerfence": float(inside.min()),
        "upperfence": float(inside.max()),
    }


def tone_box_figure(
    tones: pd.DataFrame, *, model: str = "vader", toward: str = "", points: int = BOX_POINTS
) -> go.Figure:
    """Tone of each article per outlet: a box per outlet with every article as a dot
    (``customdata`` [doc_key, title]); an outlet with more than ``points`` articles gets its
    box computed here (:func:`box_stats`) and only its outliers as dots, so that the figure
    stays small however large the corpus."""
    what = f"toward {plain(toward)} " if toward else ""
    title = f"Tone {what}by outlet"
    if tones.empty:
        return empty_figure(title, "No scored articles for these filters.")
    traces = []
    style = {"line": {"color": "#5b6572"}, "fillcolor": "rgba(31,95,168,0.08)"}
    dot = {"size": 6, "color": "#1f5fa8"}
    hover = "%{customdata[1]}<br>tone %{y:+.2f}<extra></extra>"
    # Arrays and one grouping, not a DataFrame per outlet: this runs on every filter change,
    # over every selected article.
    scored = tones[tones["tone"].notna()]
    outlet = np.array([source_label(s) for s in scored["source"]], dtype=object)
    tone = scored["tone"].to_numpy(dtype=float)
    keys, titles = scored["doc_key"].to_numpy(dtype=object), scored["title"].to_numpy(dtype=object)
    # Large outlets: their boxes in one trace and their outliers in one more, so that the
    # number of traces (what the browser's redraw grows with) does not grow with outlets.
    big = {"x": [], **{k: [] for k in ("q1", "median", "q3", "lowerfence", "upperfence")}}
    out_x, out_at = [], []
    names = []
    for label in sorted(set(outlet)):
        at = np.flatnonzero(outlet == label)
        name = plain(label)
        names.append(name)
        if len(at) <= points:
            traces.append(
                {
                    "type": "box",
                    "y": tone[at].tolist(),
                    "name": name,
                    "boxpoints": "all",
                    "jitter": 0.4,
                    "pointpos": 0,
                    "marker": dot,
                    **style,
                    "customdata": [
                        [k, plain(t or "")] for k, t in zip(keys[at], titles[at], strict=True)
                    ],
                    "hovertemplate": hover,
                }
            )
            continue
        stats = box_stats(tone[at])
        big["x"].append(name)
        for k, v in stats.items():
            big[k].append(v)
        far = at[(tone[at] < stats["lowerfence"]) | (tone[at] > stats["upperfence"])]
        out_x += [name] * len(far)
        out_at.append(far)
    if big["x"]:
        far = np.concatenate(out_at)
        traces.append({"type": "box", "name": "tone", **big, **style, "hoverinfo": "y"})
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": out_x,
                "y": tone[far].tolist(),
                "name": "outliers",
                "marker": dot,
                "hovertemplate": hover,
                "customdata": [
                    [k, plain(t or "")] for k, t in zip(keys[far], titles[far], strict=True)
                ],
            }
        )
    return plain_figure(
        title,
        360,
        traces,
        showlegend=False,
        yaxis={
            "title": {"text": MODEL_NAMES[model]},
            "range": [-1.05, 1.05],
            "zeroline": True,
            "zerolinecolor": "#888",
            "gridcolor": "#eceff3",
        },
        xaxis={
            "type": "category",
            "automargin": True,
            "categoryorder": "array",
            "categoryarray": names,
        },
    )


def tone_time_figure(
    tones: pd.DataFrame, *, model: str = "vader", interval: str = "month", toward: str = ""
) -> go.Figure:
    """Mean tone per period, one line per outlet
    (:func:`analysis.storage.corpus.queries.sentiment_over_time` with ``by_source``)."""
    what = f"toward {plain(toward)} " if toward else ""
    title = f"Tone {what}per {interval}"
    if tones.empty or tones["tone"].isna().all():
        return empty_figure(title, "No scored articles with a date for these filters.")
    traces = []
    for i, (source, part) in enumerate(tones.groupby(tones["source"].map(source_label), sort=True)):
        traces.append(
            {
                # A dot per period only where a line alone could hide a point (a few periods): a
                # dot is a node in the browser, redrawn on every filter change, for every outlet.
                "type": "scatter",
                "mode": "lines+markers" if len(part) <= TONE_DOTS else "lines",
                "x": [str(p)[:10] for p in part["period"]],
                # A period with nothing scored is a break in the line, not a zero tone.
                "y": _values(part["tone"]),
                "name": plain(source),
                "line": {"color": LINE_COLOURS[i % len(LINE_COLOURS)]},
                "customdata": part["scored"].astype(int).tolist(),
                "hovertemplate": "%{x}: %{y:+.2f} over %{customdata} scored<extra>%{fullData.name}</extra>",
            }
        )
    return plain_figure(
        title,
        340,
        traces,
        legend=BOTTOM_LEGEND,
        xaxis=period_axis([str(p)[:10] for p in tones["period"]], interval=interval),
        yaxis={
            "title": {"text": "mean " + MODEL_NAMES[model]},
            "zeroline": True,
            "zerolinecolor": "#888",
            "gridcolor": "#eceff3",
        },
    )


def speakers_by_source_figure(by_source: pd.DataFrame, *, speakers: list[str]) -> go.Figure:
    """Words quoted per speaker (the ``speakers`` given, most quoted at the top), stacked by
    outlet."""
    title = "Who is quoted (words quoted, by outlet)"
    shown = by_source[by_source["speaker"].isin(speakers)] if len(by_source) else by_source
    if shown.empty:
        return empty_figure(title, "No attributed quotations for these filters.")
    order = [plain(s) for s in reversed(speakers)]
    traces = []
    for i, (source, part) in enumerate(shown.groupby(shown["source"].map(source_label), sort=True)):
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "x": part["words"].tolist(),
                "y": [plain(s) for s in part["speaker"]],
                "name": plain(source),
                "marker": {"color": LINE_COLOURS[i % len(LINE_COLOURS)]},
                "customdata": [
                    [s, int(q)] for s, q in zip(part["speaker"], part["quotes"], strict=True)
                ],
                "hovertemplate": (
                    "<b>%{y}</b> in %{fullData.name}: %{x} words in %{customdata[1]} "
                    "quotation(s)<extra></extra>"
                ),
            }
        )
    totals = shown.groupby("speaker")["words"].sum()
    return plain_figure(
        title,
        max(240, 28 * len(speakers) + 110),
        traces,
        barmode="stack",
        legend=BOTTOM_LEGEND,
        xaxis=count_axis(totals, "words quoted"),
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": order,
            "automargin": True,
        },
    )


def cooccurrence_matrix(pairs: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """The symmetric matrix of :func:`analysis.storage.corpus.queries.cooccurrence` pairs: paragraphs
    naming both, 0 on the diagonal and for pairs never together.

    Returns:
        a square DataFrame indexed and columned by ``names`` in the order given.
    """
    matrix = pd.DataFrame(0, index=list(names), columns=list(names), dtype="int64")
    for a, b, n in zip(pairs["entity_a"], pairs["entity_b"], pairs["paragraphs"], strict=True):
        if a in matrix.index and b in matrix.index:
            matrix.loc[a, b] = matrix.loc[b, a] = int(n)
    return matrix


def cooccurrence_figure(
    matrix: pd.DataFrame, *, selected: tuple[str, str] | None = None
) -> go.Figure:
    """A heatmap of paragraphs naming both entities; each cell's ``customdata`` is
    ``[entity_a, entity_b]``."""
    title = "Entities named in the same paragraph"
    if matrix.empty or int(matrix.to_numpy().sum()) == 0:
        return empty_figure(title, "No two top entities share a paragraph for these filters.")
    names = list(matrix.index)
    labels = [plain(n) for n in names]
    z = matrix.to_numpy().tolist()
    heat = {
        "type": "heatmap",
        "x": labels,
        "y": labels,
        "z": z,
        "customdata": [[[a, b] for b in names] for a in names],
        "colorscale": [[0, "#f7f9fb"], [0.001, "#dbe8f5"], [1, "#1f5fa8"]],
        "xgap": 1,
        "ygap": 1,
        "colorbar": {"title": {"text": "paragraphs"}, "tickformat": ",d"},
        "hoverinfo": "skip",
    }
    # A heatmap's cells cannot be selected in Streamlit (only points can): an invisible
    # square marker over each cell pair carries the click and the hover.
    cells = [(i, j) for i in range(len(names)) for j in range(len(names)) if i != j]
    hits = {
        "type": "scatter",
        "mode": "markers",
        "x": [labels[j] for _, j in cells],
        "y": [labels[i] for i, _ in cells],
        "customdata": [[names[i], names[j], int(z[i][j])] for i, j in cells],
        "marker": {"symbol": "square", "size": 22, "opacity": 0, "color": "#1f5fa8"},
        "showlegend": False,
        "hovertemplate": (
            "<b>%{customdata[0]}</b> and <b>%{customdata[1]}</b>: %{customdata[2]} "
            "paragraph(s)<extra></extra>"
        ),
    }
    shapes = []
    if selected is not None and selected[0] in names and selected[1] in names:
        for a, b in (selected, selected[::-1]):
            i, j = names.index(a), names.index(b)
            shapes.append(
                {
                    "type": "rect",
                    "xref": "x",
                    "yref": "y",
                    "x0": j - 0.5,
                    "x1": j + 0.5,
                    "y0": i - 0.5,
                    "y1": i + 0.5,
                    "line": {"color": "#f0b400", "width": 3},
                }
            )
    return plain_figure(
        title,
        max(320, 26 * len(names) + 140),
        [heat, hits],
        shapes=shapes,
        # Every name written (Plotly leaves out every other one when they crowd).
        xaxis={"type": "category", "tickangle": -90, "automargin": True, "dtick": 1},
        yaxis={"type": "category", "autorange": "reversed", "automargin": True, "dtick": 1},
    )


def distinctive_figure(terms: pd.DataFrame, *, target: str) -> go.Figure:
    """Horizontal bars of the distinctive terms' z-scores (most distinctive at the top)."""
    title = f"Words that set {plain(target)} apart"
    if terms.empty:
        return empty_figure(title, "No word stands out for this choice.")
    shown = terms.iloc[::-1]
    bar = {
        "type": "bar",
        "orientation": "h",
        "x": shown["z"].round(2).tolist(),
        "y": [plain(t) for t in shown["term"]],
        "marker": {"color": "#1f5fa8"},
        "customdata": [
            [t, int(c), int(r)]
            for t, c, r in zip(shown["term"], shown["count"], shown["rest"], strict=True)
        ],
        "hovertemplate": (
            "<b>%{y}</b>: z %{x}<br>%{customdata[1]} here, %{customdata[2]} in "
            "the rest<extra></extra>"
        ),
    }
    return plain_figure(
        title,
        max(260, 26 * len(shown) + 80),
        [bar],
        xaxis={
            "title": {"text": "z-score (log-odds, informative prior)"},
            "gridcolor": "#eceff3",
            "rangemode": "tozero",
        },
        yaxis={"type": "category", "automargin": True},
    )


def keyness_figure(terms: pd.DataFrame, *, target: str) -> go.Figure:
    """Horizontal bars of the keyness words' G2 (most distinctive at the top)
    (:func:`analysis.storage.corpus.keywords.keyness` rows)."""
    title = f"Words that set {plain(target)} apart"
    if terms.empty:
        return empty_figure(title, "No word stands out for this choice.")
    shown = terms.iloc[::-1]
    bar = {
        "type": "bar",
        "orientation": "h",
        "x": shown["g2"].round(1).tolist(),
        "y": [plain(t) for t in shown["term"]],
        "marker": {"color": "#1f5fa8"},
        "customdata": [
            [t, int(c), int(r), round(float(lr), 2)]
            for t, c, r, lr in zip(
                shown["term"], shown["count"], shown["reference"], shown["log_ratio"], strict=True
            )
        ],
        "hovertemplate": (
            "<b>%{y}</b>: G2 %{x}, log ratio %{customdata[3]}<br>%{customdata[1]} here, "
            "%{customdata[2]} in the rest<extra></extra>"
        ),
    }
    return plain_figure(
        title,
        max(260, 24 * len(shown) + 90),
        [bar],
        xaxis={
            "title": {"text": "G2 (log-likelihood)"},
            "gridcolor": "#eceff3",
            "rangemode": "tozero",
        },
        yaxis={"type": "category", "automargin": True, "dtick": 1},
    )
