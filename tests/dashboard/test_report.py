import re

from analysis import analyze
from dashboard import charts
from dashboard.report import report_html


def test_report_is_self_contained_and_escaped(nlp):
    analysis = analyze("Evil <script>alert(1)</script> Title\n\nBody about Gaza <img src=x>.",
                       nlp=nlp)  # fmt: skip
    figures = [charts.words_figure(analysis.words), charts.sentiment_figure(analysis.paragraphs),
               charts.entities_figure(analysis.entities)]  # fmt: skip
    report = report_html(analysis, figures, entity_types=["GPE"])
    assert report.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script[^>]+src=", report)  # nothing loaded from the network
    assert report.count('class="plotly-graph-div"') == 3
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report
    assert "<img src=x>" not in report
    assert len(report) > 3_000_000  # Plotly's library is inlined


def test_report_marks_the_article_as_the_view_does(sample_analysis):
    from dashboard.render import article_html

    figures = [charts.words_figure(sample_analysis.words)]
    report = report_html(sample_analysis, figures, entity_types=["GPE", "EVENT"],
                         model="textblob", paragraph_range=(2, 3))  # fmt: skip
    assert article_html(sample_analysis, model="textblob", entity_types=["GPE", "EVENT"],
                        paragraph_range=(2, 3)) in report  # fmt: skip
    assert article_html(sample_analysis, entity_types=["GPE", "EVENT"]) not in report
    assert "(GPE)<" in report and "(EVENT)<" not in report  # the legend: types that occur
