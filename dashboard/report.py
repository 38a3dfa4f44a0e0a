"""A self-contained HTML report: the article and its interactive charts, with Plotly's
JavaScript inlined so that the file opens offline in any browser. Pure (no Streamlit)."""

from __future__ import annotations

from collections.abc import Iterable

import plotly.graph_objects as go
import plotly.io as pio

from analysis.core.pipeline import ArticleAnalysis
from analysis.core.schema import paragraph_label
from analysis.core.sentiment import DEFAULT_BAND, DEFAULT_MODEL
from dashboard.labels import MODEL_LABELS, removed_numbers
from dashboard.render import CSS, article_html, escape, legend_html

#: The width every chart is drawn at: it fits a column of the report on a wide screen and an
#: A4 or Letter page when printed.
FIGURE_WIDTH = 640
#: Room for the axis titles: the app's figures have thin margins and let Streamlit fit them,
#: which in a fixed-size report cut titles off.
FIGURE_MARGIN = {"l": 70, "r": 70, "t": 50, "b": 60}

REPORT_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1c2430; background: #fff; }
.nl-grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 680px); gap: 2rem; }
.nl-report-head { color: #5b6572; margin: 0 0 .4rem 0; }
.nl-view { margin: 0 0 1rem 0; font-size: .95rem; }
.nl-view strong { color: #1c2430; }
.nl-figure { margin: 0 0 1.5rem 0; }
@media (max-width: 1100px) { .nl-grid { grid-template-columns: minmax(0, 1fr); } }
@media print {
  @page { margin: 14mm; }
  body { margin: 0; font-size: 11pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .nl-grid { display: block; }
  .nl-figure { break-inside: avoid; page-break-inside: avoid; }
  .nl-p, .nl-article h2 { break-inside: avoid; page-break-inside: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  .modebar-container { display: none !important; }
}
"""


def report_figure(figure: go.Figure) -> go.Figure:
    """A copy of an app figure sized for the report: :data:`FIGURE_WIDTH` wide, its height
    kept, margins wide enough for the axis titles (which also push the margins further when
    they need more room). The figure passed in is not modified."""
    sized = go.Figure(figure)
    sized.update_layout(width=FIGURE_WIDTH, autosize=False, margin=FIGURE_MARGIN)
    sized.update_xaxes(automargin=True)
    sized.update_yaxes(automargin=True)
    return sized


def report_html(
    analysis: ArticleAnalysis,
    figures,
    *,
    entity_types,
    model: str = DEFAULT_MODEL,
    band: float = DEFAULT_BAND,
    paragraph_range: tuple[int, int] | None = None,
    hits: Iterable[tuple[int, int, int]] = (),
    selected_paragraph: int | None = None,
    selection: str = "",
) -> str:
    """The report as one HTML document (a large one: Plotly's library is inside): the article
    marked as in the view (sentiment ``model``, paragraphs outside ``paragraph_range`` faded,
    ``hits`` highlighted, ``selected_paragraph`` outlined, the legend listing the chosen entity
    types that occur), a line naming the view and the ``selection`` (as the app words it, e.g.
    "entity “Gaza”"), and ``figures`` (see :func:`report_figure`). It prints on one column,
    with no chart cut across pages."""
    hits = tuple(hits)
    charts = []
    for number, figure in enumerate(figures):
        html = pio.to_html(
            report_figure(figure),
            full_html=False,
            include_plotlyjs=number == 0,
            config={"displaylogo": False, "responsive": False},
        )
        charts.append(f'<div class="nl-figure">{html}</div>')
    title = escape(analysis.article.title or "Article")
    present = sorted({row.label for row in analysis.mention_rows} & set(entity_types))
    article = article_html(
        analysis,
        model=model,
        band=band,
        entity_types=entity_types,
        paragraph_range=paragraph_range,
        hits=hits,
        selected_paragraph=selected_paragraph,
    )
    removed = "".join(
        f"<li>{paragraph_label(number, 'removed')} (line {line.line}): {escape(line.reason)} — "
        f"<q>{escape(line.text)}</q></li>"
        for number, line in zip(
            removed_numbers(analysis.article), analysis.article.removed, strict=True
        )
    )
    view = [
        f"Sentiment: <strong>{escape(MODEL_LABELS.get(model, model))}</strong>, neutral "
        f"within ±{band:.2f}"
    ]
    if paragraph_range:
        view.append(f"paragraphs <strong>{paragraph_range[0]} to {paragraph_range[1]}</strong>")
    if selection:
        found = f" ({len(hits)} highlighted)" if hits else ""
        view.append(f"selected: <strong>{escape(selection)}</strong>{found}")
    else:
        view.append("nothing selected")
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>NewsLens report: {title}</title>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<style>{REPORT_CSS}{CSS}</style></head><body>"
        "<p class='nl-report-head'>NewsLens report</p>"
        f"<p class='nl-view'>{' · '.join(view)}</p>"
        f"<div class='nl-grid'><div>{legend_html(present)}"
        f"{article}"
        f"<h3>Removed by the cleaner</h3><ul>{removed or '<li>nothing</li>'}</ul></div>"
        f"<div>{''.join(charts)}</div></div></body></html>"
    )
