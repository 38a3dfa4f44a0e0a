"""Getting the first view ready early: the models load in a background thread, and a session
waits only for what is not ready yet.

A newcomer's first view (the sample article, whose analysis ships precomputed:
:mod:`dashboard.precomputed`) needs no model at all, so the Article page starts the load only
once its first run has sent the page, after :data:`AFTER_FIRST_VIEW` seconds, so that the load
does not compete with that run, or with the server sending the browser its scripts, for the
interpreter lock and the CPU. A page or an article that needs the models starts the load at
once (:func:`start_models`, :meth:`dashboard.jobs.Warmup.start`), and a session that wants
them before a delayed load has begun cuts the delay short
(:meth:`~dashboard.jobs.Warmup.take`). Two more things make the first view sooner: less to
load (TextBlob without SciPy, :func:`import_textblob`) and the browser fetching and running
the view's scripts (:func:`render_preload`) while the server still works.
"""

from __future__ import annotations

import gc
import importlib
import importlib.resources
import re
import sys
import time
from collections.abc import Mapping
from typing import NamedTuple

# Imported before the thread starts: Plotly, which Streamlit imports, looks pandas up in
# sys.modules, and would find the thread's half-imported one.
import streamlit as st

from dashboard.jobs import Warmup

#: Modules the first view needs besides the models (the charts, the tables' serialisation),
#: imported in the background with them.
FIRST_VIEW_MODULES = ("pandas", "pyarrow", "plotly.graph_objects", "plotly.io")


class Loaded(NamedTuple):
    """What :func:`load_models` gives: the pipeline and when it was ready."""

    nlp: object
    seconds: float  # from the start of the load to the end
    frozen: int  # objects frozen out of the garbage collector's reach


def load_models() -> Loaded:
    """The spaCy pipeline, with TextBlob's and VADER's lexicons read and the modules of the
    first view imported; then every object in the process is frozen out of the garbage
    collector's reach (``gc.freeze``).

    Streamlit runs a full collection after every script run, and with the models in memory
    that walks every one of the models' long-lived objects on every click. Objects created
    later are collected as before.

    Returns:
        A :class:`Loaded` with the pipeline.

    Raises:
        analysis.ModelNotFoundError: no English pipeline is installed.
    """
    start = time.perf_counter()
    import_textblob()
    for module in FIRST_VIEW_MODULES:
        importlib.import_module(module)
    # Imported here, not at the top: the app imports this module first thing, before anything
    # heavy, and the first view may need none of these.
    from analysis import load_nlp
    from analysis.core.sentiment import load_sentiment, score_text
    from dashboard.settings import app_settings

    nlp = load_nlp(preferred=app_settings().spacy_model)
    load_sentiment()
    score_text("A good start.")  # the lexicons are read on first use
    # No collection first: after imports and loads it finds next to nothing, and it would walk
    # every object once more while the first session waits.
    gc.freeze()
    return Loaded(nlp, time.perf_counter() - start, gc.get_freeze_count())


def import_textblob() -> None:
    """Import TextBlob with SciPy hidden from it, unless either is imported already.

    TextBlob imports all of NLTK, and NLTK imports SciPy, which then takes most of TextBlob's
    import time, only optionally (``try: from scipy... except ImportError``): for collocation
    statistics and a transition parser that NewsLens never uses, which keep NLTK's fallbacks.
    SciPy imports as usual afterwards. :func:`load_models` runs it first; nothing else in the
    app imports SciPy, so no other thread wants it while it is hidden.
    """
    if "textblob" in sys.modules or "scipy" in sys.modules:
        return
    sys.modules["scipy"] = None  # an import of it raises ImportError
    try:
        import textblob  # noqa: F401
    except ImportError:
        pass  # a version that needs SciPy: load_sentiment imports it again, as usual
    finally:
        if "scipy" in sys.modules and sys.modules["scipy"] is None:
            del sys.modules["scipy"]


#: Seconds the Article page's first run waits before it starts the load when its article
#: needed no model: long enough for the browser to fetch the view's scripts and draw it.
AFTER_FIRST_VIEW = 8.0
#: Started by the first page that runs (see the module's docstring), taken by
#: ``dashboard.cache.load_pipeline`` (once per process).
MODELS: Warmup[Loaded] = Warmup(load_models, name="newslens-models")
#: A stored article's key in a link (SHA-256 in hex): no sample article, so no shipped analysis.
STORED_KEY = re.compile(r"[0-9a-f]{64}")


def start_models(page: str, query: Mapping[str, str]) -> None:
    """Start the models' load now, unless ``page`` (a URL path of
    :data:`FIRST_VIEW_SCRIPTS`) is the Article page on an analysis that is shipped: then the
    page starts it itself, after its first view (:data:`AFTER_FIRST_VIEW`), as that view needs
    no model and the load would only compete with it."""
    if page != "article" or link_needs_models(query):
        MODELS.start()


def link_needs_models(query: Mapping[str, str]) -> bool:
    """Whether the Article page's address opens an analysis that is not shipped (a stored
    article, or the removed lines analysed): then the models load beside the page's imports.
    Read from the raw query, before anything heavy is imported."""
    return bool(STORED_KEY.fullmatch(query.get("article", ""))) or query.get("removed") == "1"


#: Streamlit's frontend loads the script of an element (named for the element, with a content
#: hash) only when the first such element arrives, that is late in the first script run, after
#: its imports, and then behind the charts' drawing. These are each page's first-view elements,
#: by the page's URL path; Plotly's comes first: it is the largest, and the browser runs it
#: while the server still works. Not those of closed sections, which are drawn when opened.
FIRST_VIEW_SCRIPTS = {
    # The article choice, the paragraph range, the article panel (a custom component).
    "article": ("PlotlyChart", "Selectbox", "Slider", "BidiComponent"),
    # The corpus choice and upload, the filters, the views' switches, the tables.
    "corpus": (
        "PlotlyChart",
        "Selectbox",
        "FileUploader",
        "DateInput",
        "Multiselect",
        "TextInput",
        "ButtonGroup",
        "NumberInput",
        "DataFrame",
        "DownloadButton",
    ),
    # The articles to compare, the summary table, the views' tabs.
    "compare": ("PlotlyChart", "Multiselect", "DataFrame", "DownloadButton"),
}


def frontend_scripts(*, elements: tuple[str, ...] = FIRST_VIEW_SCRIPTS["article"]) -> list[str]:
    """The file names of the scripts of ``elements`` in this installation of Streamlit.

    Returns:
        One name per element found (``Slider.WU6er_Bo.js``), in the order of ``elements``; an
        element with no script here is left out.
    """
    folder = importlib.resources.files(st) / "static" / "static" / "js"
    try:
        names = sorted(entry.name for entry in folder.iterdir())
    except OSError:
        return []
    found = []
    for element in elements:
        name = next(
            (
                n
                for n in names
                if n.startswith(f"{element}.") and n.endswith(".js") and n.count(".") == 2
            ),
            None,
        )
        if name:
            found.append(name)
    return found


def preload_html(names: list[str]) -> str:
    """Markup that has the browser fetch, compile and run the frontend scripts ``names`` now
    (the frontend's own import of one then finds it ready), and that takes no room on the page
    (its element is hidden, so the column leaves no gap for it). A failed import is ignored:
    the element loads its script again when it needs it."""
    hrefs = [
        "./static/js/" + "".join(c for c in name if c.isalnum() or c in "._-") for name in names
    ]
    imports = "".join(f"import({href!r}).catch(() => {{}});" for href in hrefs)
    return (
        '<style>[data-testid="stElementContainer"]:has(.nl-preload) { display: none; }'
        '</style><span class="nl-preload"></span>\n'
        f"<script>{imports}</script>"
    )


def render_preload(page: str) -> None:
    """Draw :func:`preload_html` of the first-view scripts of ``page`` (a URL path of
    :data:`FIRST_VIEW_SCRIPTS`; nothing visible) where the script is. Early in the first run,
    the browser then loads them while the server imports and loads."""
    names = frontend_scripts(elements=FIRST_VIEW_SCRIPTS.get(page, ("PlotlyChart",)))
    if names:
        st.html(preload_html(names), unsafe_allow_javascript=True)
