"""The cached pipeline and analyses: the pipeline handed over by the warm-up, a sample's
analysis read from its shipped file."""

from __future__ import annotations

import pytest
import streamlit  # noqa: F401  (before dashboard.warmup, as in the server)

from analysis import ModelNotFoundError
from dashboard import cache, warmup
from dashboard.jobs import Warmup
from tests.dashboard.loads import CountingLoad, stub_pipeline


@pytest.fixture
def fresh_cache(monkeypatch):
    """``load_pipeline`` with an empty cache and the given warm-up in place of the real one."""

    def install(models: Warmup) -> None:
        monkeypatch.setattr(warmup, "MODELS", models)
        cache.load_pipeline.clear()

    yield install
    cache.load_pipeline.clear()


def test_is_precomputed_sample(sample_bytes):
    assert cache.is_precomputed(sample_bytes, False) is True


def test_is_precomputed_not_with_removed_lines(sample_bytes):
    assert cache.is_precomputed(sample_bytes, True) is False


def test_is_precomputed_other_text():
    assert cache.is_precomputed(b"Ferry Returns\n\nThe ferry sailed again.", False) is False


def test_analyse_sample_needs_no_pipeline(fresh_cache, sample_bytes):
    fresh_cache(Warmup(CountingLoad(error=ModelNotFoundError("no model")), name="test-warmup"))
    cache.analyse.clear()
    before = cache.PIPELINE_LOADS["count"]
    result = cache.analyse(sample_bytes, "china-urges-gaza-ceasefire-2024-03-21.txt", False)
    assert (result.entity_rows[0], cache.PIPELINE_LOADS["count"] - before) == (
        ("China", "GPE", 10, 9),
        0,
    )


def test_load_pipeline_is_the_background_pipeline(fresh_cache):
    nlp = stub_pipeline("background")
    models = Warmup(CountingLoad(warmup.Loaded(nlp, 0.5, 10)), name="test-warmup")
    models.start()
    fresh_cache(models)
    assert cache.load_pipeline() is nlp


def test_load_pipeline_loads_once(fresh_cache):
    load = CountingLoad(warmup.Loaded(stub_pipeline("background"), 0.5, 10))
    models = Warmup(load, name="test-warmup")
    models.start()
    fresh_cache(models)
    before = cache.PIPELINE_LOADS["count"]
    first, second = cache.load_pipeline(), cache.load_pipeline()
    assert (first is second, load.calls, cache.PIPELINE_LOADS["count"] - before) == (True, 1, 1)


def test_load_pipeline_raises_background_error(fresh_cache):
    models = Warmup(CountingLoad(error=ModelNotFoundError("install a model")), name="test-warmup")
    models.start()
    fresh_cache(models)
    with pytest.raises(ModelNotFoundError, match="install a model"):
        cache.load_pipeline()


def test_load_pipeline_after_background_error_loads_on_demand(fresh_cache, monkeypatch):
    models = Warmup(CountingLoad(error=ModelNotFoundError("install a model")), name="test-warmup")
    models.start()
    fresh_cache(models)
    with pytest.raises(ModelNotFoundError):
        cache.load_pipeline()
    nlp = stub_pipeline("on demand")
    monkeypatch.setattr(warmup, "load_models", CountingLoad(warmup.Loaded(nlp, 0.5, 10)))
    assert cache.load_pipeline() is nlp


def test_load_pipeline_not_started_loads_on_demand(fresh_cache, monkeypatch):
    fresh_cache(Warmup(CountingLoad("unused"), name="test-warmup"))
    nlp = stub_pipeline("on demand")
    monkeypatch.setattr(warmup, "load_models", CountingLoad(warmup.Loaded(nlp, 0.5, 10)))
    assert cache.load_pipeline() is nlp
