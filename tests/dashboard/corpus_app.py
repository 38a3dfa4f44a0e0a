"""The Corpus page alone, for AppTest, the browser and ``bench/corpus_dashboard.py``:
``NEWSLENS_TEST_CORPUS`` names a corpus file to show (else the page's own choice: the sample
corpus, imported on first use); with ``NEWSLENS_RUN_LOG`` set, each script run appends its
duration in seconds to that file (the benchmark's server-side share)."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import streamlit as st  # noqa: E402

from analysis.corpus.store import CorpusStore  # noqa: E402
from dashboard.corpus_views import corpus_page  # noqa: E402

started = time.perf_counter()
st.set_page_config(page_title="NewsLens corpus", layout="wide")
corpus = os.environ.get("NEWSLENS_TEST_CORPUS")
log = os.environ.get("NEWSLENS_RUN_LOG")
try:
    corpus_page(source=CorpusStore(corpus) if corpus else None)
finally:
    # st.rerun() and st.stop() end a run by raising: those runs are logged too.
    if log:
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{time.time():.3f} {time.perf_counter() - started:.4f}\n")
