"""Which corpus a page shows: the sample (imported into the data folder on first use), a
corpus stored there, or an upload analysed in the background (:mod:`dashboard.jobs`); the
sidebar's picker (:func:`render_corpus_choice`) and an upload's progress (:func:`render_job`).
The Compare page picks its articles from the same choice."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import streamlit as st

from analysis.errors import ArticleError
from analysis.storage.corpus import queries
from analysis.storage.corpus.location import corpus_name
from analysis.storage.corpus.store import CorpusStore
from dashboard.corpus.data import corpus_store
from dashboard.corpus.link import SAMPLE, CorpusState
from dashboard.jobs import (
    UPLOAD_PREFIX,
    IngestJob,
    JobStatus,
    build_lock,
    start_upload,
    upload_limit_mb,
)
from dashboard.settings import app_settings
from dashboard.widgets import init_widget

ROOT = Path(__file__).resolve().parents[2]
#: The sample corpus, analysed ahead (``newslens corpus export``; see seeds/corpus/README.md).
SAMPLE_EXPORT = ROOT / "seeds" / "corpus" / "wikinews-2019-2020.parquet"
SAMPLE_FILE = "sample-corpus.duckdb"
#: Seconds between two redraws of an upload's progress.
JOB_POLL_S = 1.0


def sample_path() -> Path:
    return app_settings().data_dir / SAMPLE_FILE


def stored_corpora(folder: Path | None = None) -> list[str]:
    """The file names of the corpora in the data folder (the sample left out), sorted."""
    folder = folder or app_settings().data_dir
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.glob("*.duckdb") if p.name != SAMPLE_FILE and p.is_file())


def import_sample(path: Path, *, export: Path = SAMPLE_EXPORT) -> CorpusStore:
    """The corpus at ``path`` holding every article of ``export`` (the sample corpus, analysed
    ahead and shipped in ``seeds/``): imported when the file lacks some, else left alone.

    Returns:
        the store at ``path``.
    """
    store = CorpusStore(path)
    with build_lock():
        wanted = queries.export_article_count(export)
        held = queries.corpus_info(store).articles if path.exists() else 0
        # Into an empty store the import writes its word postings already sorted: only an
        # import added to earlier articles needs compacting.
        if held < wanted and store.import_parquet(export) and held:
            store.compact()
    return store


def sample_store(*, key: str) -> CorpusStore:
    """The sample corpus (Wikinews 2019-2020 from ``seeds/``), imported on the first use of
    a session (the session key ``<key>_sample_ready`` remembers it)."""
    path = sample_path()
    ready = f"{key}_sample_ready"
    if st.session_state.get(ready) != str(path):
        import_sample(path)
        st.session_state[ready] = str(path)
    return corpus_store(str(path))


def corpus_label(name: str) -> str:
    """How the corpus picker lists a corpus: the sample by what it is, an upload as "Upload:
    <file name>-<digest>", a stored corpus by its file name without ".duckdb"."""
    if name == SAMPLE:
        return "Sample: Wikinews 2019-2020"
    stem = name.removesuffix(".duckdb")
    return f"Upload: {stem.removeprefix(UPLOAD_PREFIX)}" if stem.startswith(UPLOAD_PREFIX) else stem


def render_corpus_choice(state: CorpusState, *, key: str) -> tuple[str, CorpusStore | None]:
    """The sidebar's corpus picker (widget ``<key>_name``): the sample, a stored corpus, or
    an upload (``<key>_upload``, analysed in the background: :func:`dashboard.jobs.start_upload`;
    the new corpus is chosen on the next run through ``<key>_pending``).

    Returns:
        the corpus name and its store.
    """
    stored = stored_corpora()
    options = [SAMPLE, *stored]
    if state.corpus not in options:
        st.error(
            f"No corpus named “{corpus_name(state.corpus)}” is stored here; showing the sample."
        )
        state = replace(state, corpus=SAMPLE)
    ss = st.session_state
    pending = ss.pop(f"{key}_pending", None)
    if pending is not None:
        ss[f"{key}_name"] = pending
    init_widget(f"{key}_name", state.corpus)
    if ss[f"{key}_name"] not in options:
        ss[f"{key}_name"] = SAMPLE
    with st.sidebar:
        name = st.selectbox("Corpus", options, key=f"{key}_name", format_func=corpus_label)
        upload = st.file_uploader(
            "Add a corpus (.zip, .jsonl, .csv)",
            type=["zip", "jsonl", "ndjson", "csv"],
            key=f"{key}_upload",
            help=f"Up to {upload_limit_mb()} MB; records need a “text” column. "
            "Analysed in the background: the page fills in as it goes.",
        )
    if upload is not None and ss.get(f"{key}_uploaded") != upload.file_id:
        try:
            corpus = start_upload(upload.name, upload.getvalue(), load_nlp=_pipeline)
        except ArticleError as error:
            st.sidebar.error(str(error))
        else:
            ss[f"{key}_uploaded"] = upload.file_id
            ss[f"{key}_pending"] = corpus
            st.rerun()
    return name, corpus_source(name, key=key)


def _pipeline():
    """The spaCy pipeline, for an upload's job (imported here when first needed: the page's
    first view needs no model)."""
    from dashboard.cache import load_pipeline

    return load_pipeline()


def corpus_source(name: str, *, key: str) -> CorpusStore:
    """The store of the corpus ``name`` (the sample is imported first: :func:`sample_store`)."""
    if name == SAMPLE:
        return sample_store(key=key)
    return corpus_store(str(app_settings().data_dir / name))


def render_job(job: IngestJob, *, key: str) -> JobStatus:
    """The progress of an upload job; while it runs, redrawn every :data:`JOB_POLL_S` seconds
    (a fragment), and the whole page rerun whenever a batch has been written (the count is
    kept at ``<key>_added``), so every view fills in.

    Returns:
        the job's status when drawn.
    """
    status = job.status()
    if status.finished:
        _job_result(status)
        return status

    @st.fragment(run_every=JOB_POLL_S)
    def progress() -> None:
        now = job.status()
        seen = f"{key}_added"
        if now.finished or now.added != st.session_state.get(seen, 0):
            st.session_state[seen] = now.added
            st.rerun()
        total = f"{now.total:,}" if now.total else "?"
        text = (
            f"Analysing {job.label}: {now.done:,} of {total} "
            f"documents · {now.added:,} stored · the page fills in as batches are written"
        )
        st.progress(now.fraction, text=text)

    progress()
    return status


def _job_result(status: JobStatus) -> None:
    if status.error:
        st.error(f"The upload could not be analysed completely: {status.error}")
    if status.failed:
        st.warning(
            f"{status.failed} document(s) could not be analysed: " + "; ".join(status.errors[:3])
        )
