"""The Compare page alone, for AppTest and the browser: ``NEWSLENS_TEST_CORPUS`` names a corpus
file to pick articles from (else the page's own choice: the sample corpus)."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import streamlit as st  # noqa: E402

from analysis.storage.corpus.store import CorpusStore  # noqa: E402
from dashboard.compare.page import compare_page  # noqa: E402

st.set_page_config(page_title="NewsLens compare", layout="wide")
corpus = os.environ.get("NEWSLENS_TEST_CORPUS")
compare_page(source=CorpusStore(corpus) if corpus else None)
