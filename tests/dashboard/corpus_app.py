"""The Corpus page alone, for AppTest, the browser and ``bench/corpus_dashboard.py``:
``NEWSLENS_TEST_CORPUS`` names a corpus file to show (else the page's own choice: the sample
corpus, imported on first use); with ``NEWSLENS_RUN_LOG`` set, each script run appends its
end (epoch seconds) and duration to that file (the benchmark's server-side share).

Like the app's entry point, the first run has the browser fetch the page's element scripts
before the heavy imports, as ``dashboard.warmup`` does for the app (whose other work, loading
the language models, this page does not need)."""

import importlib.resources
import os
import sys
import time
from pathlib import Path

started = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import streamlit as st  # noqa: E402

#: The elements of the Corpus page's first view whose scripts the frontend loads on demand.
ELEMENTS = (
    "DateInput",
    "Multiselect",
    "TextInput",
    "Selectbox",
    "ButtonGroup",
    "NumberInput",
    "FileUploader",
    "PlotlyChart",
    "DataFrame",
    "DownloadButton",
)


def _preload() -> None:
    folder = importlib.resources.files(st) / "static" / "static" / "js"
    names = sorted(entry.name for entry in folder.iterdir())
    found = [
        n
        for e in ELEMENTS
        for n in names
        if n.startswith(f"{e}.") and n.endswith(".js") and n.count(".") == 2
    ]
    imports = "".join(f"import('./static/js/{n}').catch(() => {{}});" for n in found)
    st.html(
        '<style>[data-testid="stElementContainer"]:has(.nl-preload) { display: none; }</style>'
        f'<span class="nl-preload"></span><script>{imports}</script>',
        unsafe_allow_javascript=True,
    )


st.set_page_config(page_title="NewsLens corpus", layout="wide")
_preload()

from analysis.storage.corpus.store import CorpusStore  # noqa: E402
from dashboard.corpus.page import corpus_page  # noqa: E402

corpus = os.environ.get("NEWSLENS_TEST_CORPUS")
log = os.environ.get("NEWSLENS_RUN_LOG")
try:
    corpus_page(source=CorpusStore(corpus) if corpus else None)
finally:
    # st.rerun() and st.stop() end a run by raising: those runs are logged too.
    if log:
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{time.time():.3f} {time.perf_counter() - started:.4f}\n")
