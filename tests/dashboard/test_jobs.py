"""The background jobs: a load run once and handed over once (the models' warm-up), one
article's analysis beside the script, documents analysed into a corpus, uploads started."""

from __future__ import annotations

import threading

import pytest
import streamlit  # noqa: F401  (before dashboard.warmup, as in the server)

from analysis import ArticleError, ModelNotFoundError
from analysis.storage.corpus import CorpusStore
from dashboard import cache, jobs
from dashboard.jobs import Warmup
from tests.dashboard.corpus.tiny import upload_bytes
from tests.dashboard.loads import CountingLoad


def test_warmup_start_starts_once():
    models = Warmup(CountingLoad("nlp"), name="test-warmup")
    assert (models.start(), models.start()) == (True, False)


def test_warmup_start_runs_load_once():
    load = CountingLoad("nlp")
    models = Warmup(load, name="test-warmup")
    models.start()
    models.start()
    models.take()
    assert load.calls == 1


def test_warmup_take_waits_for_the_load():
    gate = threading.Event()
    models = Warmup(CountingLoad("nlp", gate=gate), name="test-warmup")
    models.start()
    threading.Timer(0.05, gate.set).start()
    assert models.take() == "nlp"


def test_warmup_take_hands_over_once():
    models = Warmup(CountingLoad("nlp"), name="test-warmup")
    models.start()
    assert (models.take(), models.take()) == ("nlp", None)


def test_warmup_take_not_started():
    load = CountingLoad("nlp")
    assert (Warmup(load, name="test-warmup").take(), load.calls) == (None, 0)


def test_warmup_take_raises_load_error():
    models = Warmup(CountingLoad(error=ModelNotFoundError("no model")), name="test-warmup")
    models.start()
    with pytest.raises(ModelNotFoundError, match="no model"):
        models.take()


def test_warmup_take_after_error_is_none():
    models = Warmup(CountingLoad(error=ModelNotFoundError("no model")), name="test-warmup")
    models.start()
    with pytest.raises(ModelNotFoundError):
        models.take()
    assert models.take() is None


def test_warmup_start_with_delay_waits():
    load = CountingLoad("nlp")
    models = Warmup(load, name="test-warmup")
    models.start(delay=60)
    models.join(0.2)
    assert (models.started, load.calls) == (True, 0)


def test_warmup_take_cuts_the_delay_short():
    models = Warmup(CountingLoad("nlp"), name="test-warmup")
    models.start(delay=60)
    assert models.take() == "nlp"


def test_warmup_start_without_delay_cuts_it_short():
    load = CountingLoad("nlp")
    models = Warmup(load, name="test-warmup")
    models.start(delay=60)
    models.start()
    models.join(5)
    assert load.calls == 1


def test_analysis_job_draws_progress_and_returns_the_result():
    raw = b"Ferry Returns\n\nThe ferry to Dover sailed again on Monday.\n\nPassengers cheered."
    drawn = []
    job = jobs.AnalysisJob(
        lambda progress: cache.analyse(raw, "ferry.txt", False, _progress=progress)
    )
    result = job.wait(drawn.append, every=0.01)
    assert (result.article.title, len(result.paragraph_rows)) == ("Ferry Returns", 3)
    assert drawn[-1] == 1.0
    assert drawn == sorted(drawn)


def test_analysis_job_raises_the_article_error_in_the_caller():
    raw = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    job = jobs.AnalysisJob(
        lambda progress: cache.analyse(raw, "photo.txt", False, _progress=progress)
    )
    with pytest.raises(ArticleError, match="PNG image"):
        job.wait(lambda fraction: None, every=0.01)


def test_ingest_job_stores_every_document(nlp, tmp_path):
    from analysis.storage.corpus import queries
    from dashboard.jobs import IngestJob, JobStatus

    source = tmp_path / "three.jsonl"
    source.write_bytes(upload_bytes())
    job = IngestJob(
        tmp_path / "three.duckdb", [str(source)], load_nlp=lambda: nlp, batch_size=1
    ).start()
    assert job.wait(120)
    assert job.status() == JobStatus(3, 3, 3, 0, True, "", ())
    titles = queries.article_table(CorpusStore(tmp_path / "three.duckdb"), sort="date")[
        "title"
    ].tolist()
    assert titles == ["Pier reopens", "Ferries diverted", "Harbour closes for repairs"]


def test_ingest_job_reports_a_stopped_analysis(tmp_path):
    from dashboard.jobs import IngestJob

    source = tmp_path / "three.jsonl"
    source.write_bytes(upload_bytes())

    def broken():
        raise RuntimeError("no model")

    job = IngestJob(tmp_path / "three.duckdb", [str(source)], load_nlp=broken).start()
    assert job.wait(60)
    assert job.status().error == "the analysis stopped (RuntimeError: no model)"


def test_job_status_fraction():
    from dashboard.jobs import JobStatus

    assert [
        JobStatus(4, 1, 1, 0, False, "", ()).fraction,
        JobStatus(None, 1, 1, 0, False, "", ()).fraction,
        JobStatus(4, 1, 1, 0, True, "", ()).fraction,
    ] == [0.25, 0.0, 1.0]


def test_start_upload_without_text_column_is_refused(monkeypatch, tmp_path):
    from analysis.sources.files import IngestError
    from dashboard.jobs import start_upload

    monkeypatch.setenv("NEWSLENS_DATA_DIR", str(tmp_path))
    with pytest.raises(IngestError) as caught:
        start_upload("notes.csv", b"headline,body\nA,B\n", load_nlp=lambda: None)
    assert str(caught.value) == (
        "notes.csv has no 'text' column (columns: headline, body); name the "
        "column that holds the article text with --text-column."
    )


def test_start_upload_over_the_limit_is_refused(monkeypatch, tmp_path):
    from analysis.sources.files import IngestError

    monkeypatch.setenv("NEWSLENS_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(jobs, "upload_limit_mb", lambda: 1)
    with pytest.raises(IngestError) as caught:
        jobs.start_upload("big.jsonl", b"x" * (2 * 1024 * 1024), load_nlp=lambda: None)
    assert str(caught.value) == (
        "big.jsonl is 2 MB; the limit for an upload is 1 MB (add larger "
        "collections with: newslens corpus add)."
    )
