"""The Corpus page's downloads and citation: the selection exported as ``newslens corpus
export`` writes it (a .zip of every table with its ``datapackage.json``, which
``newslens corpus import`` reads back), and a "Cite this view" line with a copy button.
"""

from __future__ import annotations

import streamlit as st

from analysis.storage.corpus.citation import cite_view
from analysis.storage.corpus.query_language import QuerySyntaxError
from dashboard.corpus import data
from dashboard.corpus.data import Filters, Source
from dashboard.corpus.link import SAMPLE

#: The sample corpus's name as its export's descriptor and citation carry it.
SAMPLE_NAME = "wikinews-2019-2020.duckdb"
FORMATS = {"parquet": "Parquet", "csv": "CSV"}


def corpus_label(name: str) -> str:
    """The corpus's name as an export and a citation carry it (a file name, never a path)."""
    return SAMPLE_NAME if name == SAMPLE else name


def export_name(name: str, format: str) -> str:
    """The download's file name: ``newslens-<corpus>-<format>.zip``."""
    stem = corpus_label(name).removesuffix(".duckdb")
    return f"newslens-{stem}-{format}.zip"


def citation(source: Source, filters: Filters, *, corpus: str, view: str | None = None) -> str:
    """The citation of what the page shows for ``filters`` (:func:`cite_view`)."""
    counts = data.run_call(source, data.counts_call(filters))
    return cite_view(
        corpus=corpus_label(corpus), articles=counts.selected, view=view, **filters.plain_kwargs()
    )


def render_downloads(source: Source, filters: Filters, *, corpus: str, key: str) -> None:
    """The selection as an export (Parquet or CSV, zipped, with ``datapackage.json``), each
    built when its button is clicked, and the citation of the view."""
    st.markdown("**Download the selected articles**")
    cols = st.columns(len(FORMATS))
    for col, (format, label) in zip(cols, FORMATS.items(), strict=True):
        with col:
            st.download_button(
                f"{label} (every table, zipped)",
                lambda format=format: data.run_query(
                    source,
                    "export_archive",
                    format=format,
                    corpus=corpus_label(corpus),
                    **filters.plain_kwargs(),
                ),
                file_name=export_name(corpus, format),
                mime="application/zip",
                key=f"{key}_{format}",
            )
    st.caption(
        "An export as `newslens corpus export` writes it: one file per table and a "
        "datapackage.json (columns, versions, query, filters, citation); `newslens corpus "
        "import` reads it back, pandas and R read its files. It keeps every copy of a story. "
        "Each table above has its own CSV under it; charts download as SVG from their toolbar."
    )
    try:
        line = citation(source, filters, corpus=corpus)
    except QuerySyntaxError:
        return
    st.markdown("**Cite this view**")
    with st.container(key=f"{key}_cite"):
        st.code(line, language=None, wrap_lines=True)
