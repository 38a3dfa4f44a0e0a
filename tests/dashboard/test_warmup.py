"""Getting the first view ready early: the models' load (TextBlob without SciPy), each page's
first-view scripts preloaded, and nothing loaded by the import itself."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import streamlit  # noqa: F401  (before dashboard.warmup, as in the server)

from dashboard import warmup


def test_load_models_gives_the_pipeline(nlp):
    loaded = warmup.load_models()
    assert (loaded.nlp.pipe_names, loaded.frozen > 0) == (nlp.pipe_names, True)


def test_preload_html_imports_each_script():
    html = warmup.preload_html(["Slider.WU6er_Bo.js", "PlotlyChart.D9Z0_fxz.js"])
    assert html.endswith(
        "<script>import('./static/js/Slider.WU6er_Bo.js').catch(() => {});"
        "import('./static/js/PlotlyChart.D9Z0_fxz.js').catch(() => {});"
        "</script>"
    )


def test_preload_html_drops_unsafe_characters():
    html = warmup.preload_html(["PlotlyChart.x';alert(1)//.js"])
    assert "import('./static/js/PlotlyChart.xalert1.js')" in html


def test_preload_html_hides_its_element():
    html = warmup.preload_html(["Slider.WU6er_Bo.js"])
    assert html.startswith(
        '<style>[data-testid="stElementContainer"]:has(.nl-preload) { display: none; }</style>'
        '<span class="nl-preload"></span>'
    )


def test_frontend_scripts_in_order():
    names = warmup.frontend_scripts(elements=("Slider", "PlotlyChart"))
    assert [name.split(".")[0] for name in names] == ["Slider", "PlotlyChart"]


def test_each_page_preloads_its_elements_scripts_plotly_first():
    assert warmup.FIRST_VIEW_SCRIPTS["article"] == (
        "PlotlyChart",
        "Selectbox",
        "Slider",
        "BidiComponent",
    )
    for elements in warmup.FIRST_VIEW_SCRIPTS.values():
        names = warmup.frontend_scripts(elements=elements)
        # Every element's script exists in this Streamlit (a renamed one would go unloaded).
        assert [name.split(".")[0] for name in names] == list(elements)
        assert names[0].startswith("PlotlyChart.")


def test_frontend_scripts_leaves_out_unknown():
    assert warmup.frontend_scripts(elements=("NoSuchElement",)) == []


# What a fresh interpreter has imported right after importing dashboard.warmup and right after
# import_textblob, and what it can still import and score afterwards.
_FRESH_IMPORT = """
import json, sys, threading
import streamlit
import dashboard.warmup
facts = {"on_import": sorted(m for m in ("spacy", "textblob", "vaderSentiment")
                             if m in sys.modules),
         "threads": sorted(t.name for t in threading.enumerate() if t.name.startswith("newslens"))}
dashboard.warmup.import_textblob()
facts |= {"textblob": "textblob" in sys.modules, "scipy": "scipy" in sys.modules}
import scipy.stats
from textblob import TextBlob
facts["scipy_after"] = scipy.stats.__name__
facts["polarity"] = TextBlob("A good start.").sentiment.polarity
print(json.dumps(facts))
"""


def _fresh(code: str):
    """What ``code``, run in a fresh interpreter from the project's root, prints last (JSON)."""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def fresh_import() -> dict:
    return _fresh(_FRESH_IMPORT)


def test_warmup_import_loads_no_model(fresh_import):
    assert (fresh_import["on_import"], fresh_import["threads"]) == ([], [])


def test_import_textblob_without_scipy(fresh_import):
    assert (fresh_import["textblob"], fresh_import["scipy"]) == (True, False)


def test_import_textblob_scipy_imports_afterwards(fresh_import):
    assert fresh_import["scipy_after"] == "scipy.stats"


def test_import_textblob_scores_as_before(fresh_import):
    assert fresh_import["polarity"] == 0.7


_PAGES_IMPORT = """
import json, sys
import streamlit
import analysis, analysis.core.pipeline, analysis.core.entities, analysis.core.sentiment
import dashboard.article.page, dashboard.corpus.page, dashboard.compare.page
print(json.dumps(sorted(m for m in ("spacy", "textblob", "vaderSentiment") if m in sys.modules)))
"""


def test_pages_and_the_analysis_import_no_model_library():
    # The warm-up thread alone imports spaCy, TextBlob and VADER: a page that imported them
    # too, while that thread does, could fail on a half-imported module.
    assert _fresh(_PAGES_IMPORT) == []
