"""The batch runner behind ``python -m analysis --jsonl``."""

import json

import pytest

from analysis.core import sentiment, stance
from analysis.core.pipeline import AnalysisOptions
from analysis.runners.batch import BatchSettings, analyze_lines

TEXT = (
    "Storm hits coast\n\n"
    "Ann Lee said the storm was terrible. Roads in Dover were closed.\n\n"
    "Officials praised the rescue teams. The town will reopen on Monday."
)


@pytest.mark.parametrize(("sentences", "scored"), [(False, 3), (True, 9)])
def test_the_batch_scores_sentences_only_when_its_records_hold_them(
    nlp, monkeypatch, sentences, scored
):
    texts = []
    score_text = sentiment.score_text

    def counted(text):
        texts.append(text)
        return score_text(text)

    monkeypatch.setattr(sentiment, "score_text", counted)
    monkeypatch.setattr(stance, "score_text", counted)
    settings = BatchSettings(options=AnalysisOptions(), sentences=sentences)
    ((failed, line),) = analyze_lines([("a", TEXT)], nlp=nlp, settings=settings)
    record = json.loads(line)
    assert failed is False
    # Three segments; with sentences, each of the four body sentences too, and the two that
    # name someone or somewhere once more without the names.
    assert len(texts) == scored
    assert ("sentences" in record, "entity_sentiment" in record) == (sentences, sentences)
    assert [p["vader"] for p in record["paragraphs"]] == [-0.4767, 0.7579]
