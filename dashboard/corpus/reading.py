"""Under the Corpus page's filters: the count line (from one snapshot of the corpus), how the
search box's query was read, and a query that cannot be read, with where.

``source`` and the queries are :mod:`dashboard.corpus.data`'s.
"""

from __future__ import annotations

import streamlit as st

from analysis.errors import ArticleError
from analysis.storage.corpus.query_language import QuerySyntaxError
from dashboard.corpus import data
from dashboard.corpus.data import Filters, Source
from dashboard.render import md_escape

#: Where the query language is described for readers.
SYNTAX_HELP = (
    "Words (all must occur, whole words, any case), “a phrase”, OR, AND, NOT or -word, "
    "(parentheses), prefix* (at least 2 letters), and fields: source:reuters.com, "
    'source:"(no outlet)", entity:"Joe Biden", title:word. Operators in capitals.'
)


def count_line(counts) -> str:
    """ "N of M articles selected · first to last" (the selection's own dates) of a
    :class:`~analysis.storage.corpus.queries.SelectionCounts`."""
    line = f"{counts.selected:,} of {counts.total:,} articles selected"
    if counts.first is not None:
        line += f" · {counts.first} to {counts.last}"
    return line


def caret_line(query: str, position: int) -> str:
    """The query with a caret under character ``position`` (0-based), on two lines."""
    shown = query.replace("\n", " ")
    return f"{shown}\n{' ' * max(0, min(position, len(shown)))}^"


def reading_line(reading) -> str:
    """ "Read as: … · term: N articles · …" of a
    :class:`~analysis.storage.corpus.selection.QueryReading` (markdown, escaped)."""
    terms = [
        f"{md_escape(t)}: {int(n):,}"
        for t, n in zip(reading.terms["term"], reading.terms["articles"], strict=True)
    ]
    line = f"Read as: `{reading.parsed}`"
    if terms:
        line += " · articles per term: " + ", ".join(terms)
    return line


def render_counts(source: Source, filters: Filters, *, key: str) -> Filters:
    """The count line and, for a query in the search box, how it was read; a query that
    cannot be read is shown with its position, and left out of the filter.

    Returns:
        ``filters``, without its text when the query cannot be read.
    """
    try:
        counts = data.run_call(source, data.counts_call(filters))
    except QuerySyntaxError as error:
        st.error(str(error), icon=":material/error:")
        if error.position is not None:
            st.code(caret_line(filters.text, error.position), language=None)
        st.caption(SYNTAX_HELP)
        return filters._replace(text="")
    except ArticleError as error:
        st.error(str(error))
        return filters._replace(text="")
    with st.container(key=f"{key}_line"):
        st.caption(count_line(counts))
    if filters.text:
        reading = data.run_call(source, data.reading_call(filters))
        with st.container(key=f"{key}_reading"):
            st.caption(reading_line(reading))
            for hint in reading.hints:
                st.caption(f":material/info: {md_escape(hint)}")
    return filters
