"""The count line and the reading of a query under the Corpus page's filters."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analysis.storage.corpus.queries import SelectionCounts
from analysis.storage.corpus.selection import QueryReading
from dashboard.corpus.reading import caret_line, count_line, reading_line


def test_count_line_gives_the_selections_dates():
    counts = SelectionCounts(2, 113, date(2020, 3, 1), date(2020, 3, 9))
    assert count_line(counts) == "2 of 113 articles selected · 2020-03-01 to 2020-03-09"


def test_count_line_without_dates():
    assert count_line(SelectionCounts(0, 5, None, None)) == "0 of 5 articles selected"


def test_caret_line_points_at_the_position():
    assert caret_line("(gaza OR", 7) == "(gaza OR\n       ^"


def test_reading_line_gives_each_terms_articles():
    terms = pd.DataFrame({"term": ["biden", "trump"], "articles": [3, 12]})
    reading = QueryReading("biden or trump", "biden AND or AND trump", (), terms, 1, 10)
    assert reading_line(reading) == (
        "Read as: `biden AND or AND trump` · articles per term: biden: 3, trump: 12"
    )
