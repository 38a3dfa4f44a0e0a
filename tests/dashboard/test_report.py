import re

from analysis import analyze
from dashboard import charts
from dashboard.report import report_figure, report_html


def test_report_is_self_contained_and_escaped(nlp):
    analysis = analyze(
        "Evil <script>alert(1)</script> Title\n\nBody about Gaza <img src=x>.", nlp=nlp
    )
    figures = [
        charts.words_figure(analysis.words),
        charts.sentiment_figure(analysis.paragraphs),
        charts.entities_figure(analysis.entities),
    ]
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
    report = report_html(
        sample_analysis,
        figures,
        entity_types=["GPE", "EVENT"],
        model="textblob",
        paragraph_range=(2, 3),
    )
    assert (
        article_html(
            sample_analysis, model="textblob", entity_types=["GPE", "EVENT"], paragraph_range=(2, 3)
        )
        in report
    )
    assert article_html(sample_analysis, entity_types=["GPE", "EVENT"]) not in report
    assert "(GPE)<" in report and "(EVENT)<" not in report  # the legend: types that occur


def test_report_marks_the_selection(sample_analysis):
    hits = [(1, 0, 5)]
    report = report_html(
        sample_analysis,
        [],
        entity_types=["GPE"],
        hits=hits,
        selected_paragraph=3,
        selection="entity “China”",
    )
    assert '<mark class="nl-hit">' in report
    assert 'class="nl-p nl-selected" id="nl-p3"' in report
    assert "selected: <strong>entity “China”</strong> (1 highlighted)" in report


def test_report_says_when_nothing_is_selected(sample_analysis):
    assert "nothing selected" in report_html(sample_analysis, [], entity_types=["GPE"])


def test_report_prints_on_one_column_with_whole_charts(sample_analysis):
    report = report_html(sample_analysis, [], entity_types=["GPE"])
    printed = report.split("@media print", 1)[1]
    assert ".nl-grid { display: block; }" in printed
    assert ".nl-figure { break-inside: avoid;" in printed


def test_report_figure_has_a_fixed_size_and_room_for_axis_titles(sample_analysis):
    figure = charts.sentiment_figure(sample_analysis.paragraphs)
    sized = report_figure(figure)
    assert (sized.layout.width, sized.layout.margin.l, sized.layout.margin.b) == (640, 70, 60)
    assert sized.layout.yaxis.automargin is True
    assert figure.layout.width is None  # the app's figure is left as it was


def test_report_numbers_removed_lines_as_the_app(sample_analysis):
    report = report_html(sample_analysis, [], entity_types=["GPE"])
    assert re.findall(r"<li>(R\d+) \(line (\d+)\)", report) == [
        ("R9", "7"),
        ("R10", "8"),
        ("R11", "11"),
        ("R12", "27"),
    ]
