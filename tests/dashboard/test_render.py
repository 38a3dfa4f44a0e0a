import re

import pandas as pd

from analysis import analyze
from dashboard.render import (
    article_html,
    format_published,
    legend_html,
    md_escape,
    table_view,
)

HOSTILE = (
    "Hostile <b>Headline</b>\n\n"
    "By <img src=x onerror=alert(1)>\n\n"
    'A <script>window.__pwned=1</script> tag and <img src=x onerror="window.__pwned=2"> '
    'and [link](javascript:alert(3)) and <style>body{display:none}</style> & "quotes".'
)


def test_article_html_escapes_everything(nlp):
    markup = article_html(analyze(HOSTILE, nlp=nlp, source="<evil>.txt"))
    assert "<script" not in markup and "<img" not in markup and "<style" not in markup
    assert "<b>" not in markup
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in markup
    assert "&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;" in markup
    assert "Source: &lt;evil&gt;.txt" in markup


def test_article_html_sample_structure(sample_analysis):
    markup = article_html(sample_analysis, entity_types=["PERSON"])
    assert markup.count('class="nl-p"') == 8
    assert "21 March 2024, 10:57 (UTC+01:00)" in markup
    people = re.findall(r'title="People \(PERSON\)">([^<]+)<', markup)
    assert people == ["Lin Jian", "Lin Jian", "Wang Kejian", "Lin"]


def test_article_html_hits_and_selection(sample_analysis):
    markup = article_html(
        sample_analysis, hits=[(1, 67, 71)], selected_paragraph=3, paragraph_range=(2, 8)
    )
    assert '<mark class="nl-hit">Gaza</mark>' in markup
    assert 'class="nl-p nl-selected" id="nl-p3"' in markup
    assert 'class="nl-p nl-out" id="nl-p1"' in markup


def test_article_html_overlapping_entity_and_hit(sample_analysis):
    markup = article_html(sample_analysis, entity_types=["GPE"], hits=[(1, 0, 5)])
    assert (
        '<mark class="nl-hit"><span class="nl-ent" style="--ent:#009e73" '
        'data-entity="China" title="Countries, cities (GPE)">China</span></mark>'
    ) in markup


def test_article_html_entities_carry_their_canonical_name(sample_analysis):
    markup = article_html(sample_analysis, entity_types=["PERSON"])
    assert re.findall(r'data-entity="([^"]+)"[^>]*>([^<]+)<', markup) == [
        ("Lin Jian", "Lin Jian"),
        ("Lin Jian", "Lin Jian"),
        ("Wang Kejian", "Wang Kejian"),
        ("Lin Jian", "Lin"),
    ]


def test_article_html_sentiment_sign_and_disagreement(sample_analysis):
    markup = article_html(sample_analysis)
    first = markup[markup.index('id="nl-p1"') : markup.index('id="nl-p2"')]
    assert 'title="VADER: negative (-0.30); TextBlob: neutral (+0.00)"' in first
    assert '<span class="nl-sign" aria-hidden="true">−</span>' in first
    assert (
        '<span class="nl-split" title="The models disagree: TextBlob: neutral (+0.00)">≠</span>'
    ) in first
    assert markup.count('class="nl-split"') == 3  # paragraphs 1, 3 and 6 (and the headline)


def test_article_html_band_changes_the_marks(sample_analysis):
    markup = article_html(sample_analysis, band=0.4)
    first = markup[markup.index('id="nl-p1"') : markup.index('id="nl-p2"')]
    assert 'title="VADER: neutral (-0.30)"' in first
    assert 'class="nl-split"' not in first


def test_legend_html_escapes():
    assert "&lt;x&gt;" in legend_html(["<x>"])


def test_legend_html_names_types_and_signs():
    legend = legend_html(["GPE"])
    assert 'title="countries, cities, states"' in legend
    assert "Countries, cities (GPE)" in legend
    assert "+ positive" in legend and "− negative" in legend


def test_format_published():
    assert format_published("2024-03-21") == "21 March 2024"
    assert format_published("2024-03-21T10:57:00") == "21 March 2024, 10:57"
    assert format_published("last Tuesday") == "last Tuesday"


def test_article_html_shows_subheadings_unnumbered(nlp):
    text = (
        "Storm Closes Harbour\n\nThe harbour closed on Monday as the storm arrived.\n\n"
        "What happens next\n\nOfficials will decide on Tuesday whether it can <reopen>."
    )
    analysis = analyze(text, nlp=nlp)
    markup = article_html(analysis)
    assert (
        '<h3 class="nl-sub" title="Subheading: shown, not scored">What happens next</h3>'
        '<div class="nl-p" id="nl-p2"'
    ) in markup
    assert markup.count('class="nl-p"') == 2
    assert "&lt;reopen&gt;" in markup


def test_table_view_orders_numbers_first_and_hides_offsets():
    frame = pd.DataFrame(
        {
            "paragraph": [0, 9],
            "sentence": [0, 1],
            "start": [0, 4],
            "end": [3, 9],
            "text": ["One.", "Two."],
            "vader": [0.5, -0.5],
        }
    )
    shown = table_view(frame, removed=[9])
    assert shown.to_dict("list") == {
        "paragraph": ["H", "R9"],
        "sentence": [1, 2],
        "vader": [0.5, -0.5],
        "text": ["One.", "Two."],
    }


def test_table_view_offsets_follow_the_sentence():
    frame = pd.DataFrame(
        {"paragraph": [2], "sentence": [0], "text": ["One."], "start": [0], "end": [4]}
    )
    assert list(table_view(frame, offsets=True).columns) == [
        "paragraph",
        "sentence",
        "start",
        "end",
        "text",
    ]


def test_table_view_leaves_the_frame_alone():
    frame = pd.DataFrame({"paragraph": [0], "sentence": [0]})
    table_view(frame)
    assert frame.to_dict("list") == {"paragraph": [0], "sentence": [0]}


def test_md_escape_list_marker_and_emphasis():
    assert md_escape("1. China *urges* [calm](x)") == "1\\. China \\*urges\\* \\[calm\\](x)"


def test_md_escape_leaves_a_number_inside_the_text():
    assert md_escape("Talks 2. round") == "Talks 2. round"
