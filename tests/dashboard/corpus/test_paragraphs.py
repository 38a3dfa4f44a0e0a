"""Corpus paragraphs: where a term occurs, its marks (pure)."""

from __future__ import annotations

from dashboard.corpus.paragraphs import highlight_html, term_spans


def test_term_spans_whole_words_any_case():
    assert term_spans("Storm, storms and a storm.", "storm") == [(0, 5), (20, 25)]


def test_highlight_html_escapes_text_and_marks():
    assert (
        highlight_html("<b>AT&T</b> said", [(3, 7)])
        == '&lt;b&gt;<mark class="nl-hit">AT&amp;T</mark>&lt;/b&gt; said'
    )


def test_highlight_html_merges_overlaps():
    assert highlight_html("abcdef", [(1, 3), (2, 5)]) == 'a<mark class="nl-hit">bcde</mark>f'


def test_highlight_html_escapes_hostile_text():
    text = 'Lee <script>alert(1)</script> and <img src=x onerror="alert(2)"> met'
    out = highlight_html(text, [(0, 3)])
    assert out == (
        '<mark class="nl-hit">Lee</mark> &lt;script&gt;alert(1)&lt;/script&gt; and '
        "&lt;img src=x onerror=&quot;alert(2)&quot;&gt; met"
    )
