"""The models' background load (dashboard.warmup) and its hand-over to the Streamlit cache."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
import streamlit  # noqa: F401  (before dashboard.warmup, as in the server)

from analysis import ArticleError, ModelNotFoundError
from dashboard import cache, warmup


class CountingLoad:
    """A load that counts its calls and, when ``gate`` is given, waits for it."""

    def __init__(self, result=None, *, error: Exception | None = None, gate=None) -> None:
        self.calls = 0
        self.result = result
        self.error = error
        self.gate = gate

    def __call__(self):
        self.calls += 1
        if self.gate is not None:
            self.gate.wait(5)
        if self.error is not None:
            raise self.error
        return self.result


def stub_pipeline(name: str) -> SimpleNamespace:
    return SimpleNamespace(meta={"name": name})


@pytest.fixture
def fresh_cache(monkeypatch):
    """``load_pipeline`` with an empty cache and the given warm-up in place of the real one."""

    def install(models: warmup.Warmup) -> None:
        monkeypatch.setattr(warmup, "MODELS", models)
        cache.load_pipeline.clear()

    yield install
    cache.load_pipeline.clear()


def test_warmup_start_starts_once():
    models = warmup.Warmup(CountingLoad("nlp"), name="test-warmup")
    assert (models.start(), models.start()) == (True, False)


def test_warmup_start_runs_load_once():
    load = CountingLoad("nlp")
    models = warmup.Warmup(load, name="test-warmup")
    models.start()
    models.start()
    models.take()
    assert load.calls == 1


def test_warmup_take_waits_for_the_load():
    gate = threading.Event()
    models = warmup.Warmup(CountingLoad("nlp", gate=gate), name="test-warmup")
    models.start()
    threading.Timer(0.05, gate.set).start()
    assert models.take() == "nlp"


def test_warmup_take_hands_over_once():
    models = warmup.Warmup(CountingLoad("nlp"), name="test-warmup")
    models.start()
    assert (models.take(), models.take()) == ("nlp", None)


def test_warmup_take_not_started():
    load = CountingLoad("nlp")
    assert (warmup.Warmup(load, name="test-warmup").take(), load.calls) == (None, 0)


def test_warmup_take_raises_load_error():
    models = warmup.Warmup(CountingLoad(error=ModelNotFoundError("no model")), name="test-warmup")
    models.start()
    with pytest.raises(ModelNotFoundError, match="no model"):
        models.take()


def test_warmup_take_after_error_is_none():
    models = warmup.Warmup(CountingLoad(error=ModelNotFoundError("no model")), name="test-warmup")
    models.start()
    with pytest.raises(ModelNotFoundError):
        models.take()
    assert models.take() is None


def test_warmup_start_with_delay_waits():
    load = CountingLoad("nlp")
    models = warmup.Warmup(load, name="test-warmup")
    models.start(delay=60)
    models._thread.join(0.2)
    assert (models.started, load.calls) == (True, 0)


def test_warmup_take_cuts_the_delay_short():
    models = warmup.Warmup(CountingLoad("nlp"), name="test-warmup")
    models.start(delay=60)
    assert models.take() == "nlp"


def test_warmup_start_without_delay_cuts_it_short():
    load = CountingLoad("nlp")
    models = warmup.Warmup(load, name="test-warmup")
    models.start(delay=60)
    models.start()
    models._thread.join(5)
    assert load.calls == 1


def test_is_precomputed_sample(sample_bytes):
    assert cache.is_precomputed(sample_bytes, False) is True


def test_is_precomputed_not_with_removed_lines(sample_bytes):
    assert cache.is_precomputed(sample_bytes, True) is False


def test_is_precomputed_other_text():
    assert cache.is_precomputed(b"Ferry Returns\n\nThe ferry sailed again.", False) is False


def test_analyse_sample_needs_no_pipeline(fresh_cache, sample_bytes):
    fresh_cache(
        warmup.Warmup(CountingLoad(error=ModelNotFoundError("no model")), name="test-warmup")
    )
    cache.analyse.clear()
    before = cache.PIPELINE_LOADS["count"]
    result = cache.analyse(sample_bytes, "china-urges-gaza-ceasefire-2024-03-21.txt", False)
    assert (result.entity_rows[0], cache.PIPELINE_LOADS["count"] - before) == (
        ("China", "GPE", 10, 9),
        0,
    )


def test_load_pipeline_is_the_background_pipeline(fresh_cache):
    nlp = stub_pipeline("background")
    models = warmup.Warmup(CountingLoad(warmup.Loaded(nlp, 0.5, 10)), name="test-warmup")
    models.start()
    fresh_cache(models)
    assert cache.load_pipeline() is nlp


def test_load_pipeline_loads_once(fresh_cache):
    load = CountingLoad(warmup.Loaded(stub_pipeline("background"), 0.5, 10))
    models = warmup.Warmup(load, name="test-warmup")
    models.start()
    fresh_cache(models)
    before = cache.PIPELINE_LOADS["count"]
    first, second = cache.load_pipeline(), cache.load_pipeline()
    assert (first is second, load.calls, cache.PIPELINE_LOADS["count"] - before) == (True, 1, 1)


def test_load_pipeline_raises_background_error(fresh_cache):
    models = warmup.Warmup(
        CountingLoad(error=ModelNotFoundError("install a model")), name="test-warmup"
    )
    models.start()
    fresh_cache(models)
    with pytest.raises(ModelNotFoundError, match="install a model"):
        cache.load_pipeline()


def test_load_pipeline_after_background_error_loads_on_demand(fresh_cache, monkeypatch):
    models = warmup.Warmup(
        CountingLoad(error=ModelNotFoundError("install a model")), name="test-warmup"
    )
    models.start()
    fresh_cache(models)
    with pytest.raises(ModelNotFoundError):
        cache.load_pipeline()
    nlp = stub_pipeline("on demand")
    monkeypatch.setattr(warmup, "load_models", CountingLoad(warmup.Loaded(nlp, 0.5, 10)))
    assert cache.load_pipeline() is nlp


def test_load_pipeline_not_started_loads_on_demand(fresh_cache, monkeypatch):
    fresh_cache(warmup.Warmup(CountingLoad("unused"), name="test-warmup"))
    nlp = stub_pipeline("on demand")
    monkeypatch.setattr(warmup, "load_models", CountingLoad(warmup.Loaded(nlp, 0.5, 10)))
    assert cache.load_pipeline() is nlp


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


@pytest.fixture(scope="module")
def fresh_import() -> dict:
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", _FRESH_IMPORT],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_warmup_import_loads_no_model(fresh_import):
    assert (fresh_import["on_import"], fresh_import["threads"]) == ([], [])


def test_import_textblob_without_scipy(fresh_import):
    assert (fresh_import["textblob"], fresh_import["scipy"]) == (True, False)


def test_import_textblob_scipy_imports_afterwards(fresh_import):
    assert fresh_import["scipy_after"] == "scipy.stats"


def test_import_textblob_scores_as_before(fresh_import):
    assert fresh_import["polarity"] == 0.7


def test_analysis_job_draws_progress_and_returns_the_result():
    raw = b"Ferry Returns\n\nThe ferry to Dover sailed again on Monday.\n\nPassengers cheered."
    drawn = []
    result = cache.AnalysisJob(raw, "ferry.txt", False).wait(drawn.append, every=0.01)
    assert (result.article.title, len(result.paragraph_rows)) == ("Ferry Returns", 3)
    assert drawn[-1] == 1.0
    assert drawn == sorted(drawn)


def test_analysis_job_raises_the_article_error_in_the_caller():
    job = cache.AnalysisJob(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.txt", False)
    with pytest.raises(ArticleError, match="PNG image"):
        job.wait(lambda fraction: None, every=0.01)
