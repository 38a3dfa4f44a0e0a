"""A self-contained HTML report: the article and its interactive charts, with Plotly's
JavaScript inlined so that the file opens offline in any browser. Pure (no Streamlit)."""

from __future__ import annotations

import plotly.io as pio

from analysis.pipeline import ArticleAnalysis
from analysis.sentiment import DEFAULT_BAND, DEFAULT_MODEL
from dashboard.render import CSS, article_html, escape, legend_html


def report_html(analysis: ArticleAnalysis, figures, *, entity_types, model: str = DEFAULT_MODEL,
                band: float = DEFAULT_BAND,
                paragraph_range: tuple[int, int] | None = None) -> str:  # fmt: skip
    """The report as one HTML document (about 4.8 MB: Plotly's library is inside): the article
    marked as in the view (sentiment ``model``, paragraphs outside ``paragraph_range`` faded,
    the legend listing the chosen entity types that occur), beside ``figures``."""
    charts = []
    for number, figure in enumerate(figures):
        charts.append(pio.to_html(figure, full_html=False, include_plotlyjs=number == 0,
                                  config={"displaylogo": False}))  # fmt: skip
    title = escape(analysis.article.title or "Article")
    present = sorted({row[4] for row in analysis.mention_rows} & set(entity_types))
    article = article_html(analysis, model=model, band=band, entity_types=entity_types,
                           paragraph_range=paragraph_range)  # fmt: skip
    removed = "".join(
        f"<li>line {line.line}: {escape(line.reason)} — <q>{escape(line.text)}</q></li>"
        for line in analysis.article.removed
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>NewsLens report: {title}</title>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<style>body{{font-family:system-ui,sans-serif;margin:2rem;}}"
        f".nl-grid{{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:2rem;}}"
        f"{CSS}</style></head><body>"
        "<p style='color:#5b6572'>NewsLens report</p>"
        f"<div class='nl-grid'><div>{legend_html(present)}"
        f"{article}"
        f"<h3>Removed by the cleaner</h3><ul>{removed or '<li>nothing</li>'}</ul></div>"
        f"<div>{''.join(charts)}</div></div></body></html>"
    )
