"""Which corpus a page shows: the sample (imported into the data folder on first use), a
corpus stored there, a corpus kept in the durable store (restored into the data folder on
first use, :func:`render_restore`), or an upload analysed in the background
(:mod:`dashboard.jobs`) and then kept; the sidebar's picker (:func:`render_corpus_choice`),
an upload's progress (:func:`render_job`) and, without a durable store, how long an upload
lasts (:func:`render_lifetime`). The Compare page picks its articles from the same choice."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import streamlit as st

from analysis.errors import ArticleError
from analysis.storage.corpus import queries
from analysis.storage.corpus.exchange import export_archive
from analysis.storage.corpus.location import corpus_name
from analysis.storage.corpus.store import CorpusStore
from dashboard.cache import load_archive
from dashboard.corpus.data import corpus_store
from dashboard.corpus.link import SAMPLE, CorpusState
from dashboard.jobs import (
    UPLOAD_PREFIX,
    IngestJob,
    JobStatus,
    RestoreJob,
    build_lock,
    forget_restore,
    start_restore,
    start_upload,
    upload_job,
    upload_limit_mb,
)
from dashboard.settings import app_settings
from dashboard.widgets import widget_default

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


@st.cache_data(show_spinner=False, ttl=30)
def kept_corpora() -> list[str]:
    """The names of the corpora kept in the durable store, sorted ([] without one).

    Raises:
        StoreUnavailableError: the database cannot be reached (not cached).
    """
    archive = load_archive()
    return [] if archive is None else [kept.name for kept in archive.kept()]


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
    try:
        kept = kept_corpora()
    except ArticleError as error:
        st.error(str(error))
        kept = []
    options = [SAMPLE, *stored, *(name for name in kept if name not in stored)]
    if state.corpus not in options:
        st.error(
            f"No corpus named “{corpus_name(state.corpus)}” is stored here; showing the sample."
        )
        state = replace(state, corpus=SAMPLE)
    ss = st.session_state
    pending = ss.pop(f"{key}_pending", None)
    if pending is not None:
        ss[f"{key}_name"] = pending
    current = widget_default(f"{key}_name", state.corpus)
    if current not in options:
        current = ss[f"{key}_name"] = SAMPLE
    with st.sidebar:
        name = st.selectbox(
            "Corpus",
            options,
            index=options.index(current),
            key=f"{key}_name",
            format_func=corpus_label,
        )
        upload = st.file_uploader(
            "Add a corpus (.zip, .jsonl, .csv)",
            type=["zip", "jsonl", "ndjson", "csv"],
            key=f"{key}_upload",
            help=f"Up to {upload_limit_mb()} MB; records need a “text” column. "
            "Analysed in the background: the page fills in as it goes.",
        )
    if upload is not None and ss.get(f"{key}_uploaded") != upload.file_id:
        try:
            corpus = start_upload(
                upload.name, upload.getvalue(), load_nlp=_pipeline, archive=load_archive()
            )
        except ArticleError as error:
            st.sidebar.error(str(error))
        else:
            ss[f"{key}_uploaded"] = upload.file_id
            ss[f"{key}_pending"] = corpus
            st.rerun()
    path = app_settings().data_dir / name
    if name != SAMPLE and name not in stored and not path.exists():
        archive = load_archive()
        if archive is not None:
            job = start_restore(archive, name, path)
            if not render_restore(job, label=corpus_label(name), key=key):
                name = SAMPLE
    render_lifetime(name, key=key)
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


def render_restore(job: RestoreJob, *, label: str, key: str) -> bool:
    """A kept corpus being restored into the data folder: its progress, redrawn every
    :data:`JOB_POLL_S` seconds (a fragment), and the whole page rerun once it is there; the
    page stops here meanwhile. When it cannot be restored, say why (the job is forgotten, so
    that choosing the corpus again tries again) and pick the sample for the next run.

    Returns:
        True once the corpus is there; False when it cannot be restored.
    """
    status = job.status()
    if status.finished and not status.error:
        return True
    if status.error:
        forget_restore(job.path)
        st.error(f"{label} cannot be opened: {status.error} Showing the sample corpus.")
        st.session_state[f"{key}_pending"] = SAMPLE
        return False

    @st.fragment(run_every=JOB_POLL_S)
    def progress() -> None:
        now = job.status()
        if now.finished:
            st.rerun(scope="app")
        step = {
            "reading": "reading the kept copy from the database",
            "building": "rebuilding its tables",
        }.get(now.stage, "opening it")
        with st.container(key=f"{key}_restoring"):
            st.progress(
                now.fraction,
                text=f"Restoring {label} (this server does not have it yet): "
                f"{step}… {now.fraction:.0%}",
            )

    progress()
    st.stop()


def render_lifetime(name: str, *, key: str) -> None:
    """For an uploaded corpus when no durable store is configured: that it lasts until the
    server restarts, and its export to keep a copy (``<key>_export``; offered once its
    analysis has finished)."""
    if not name.startswith(UPLOAD_PREFIX) or load_archive() is not None:
        return
    with st.container(key=f"{key}_lifetime"):
        st.info(
            "This uploaded corpus lasts until the server restarts (a hosted app's disk is "
            "wiped then), and so do links to it. Download its export to keep a copy: "
            "upload it again, or import it with `newslens corpus import`.",
            icon=":material/schedule:",
        )
        job = upload_job(name)
        if job is None or job.status().finished:
            path = app_settings().data_dir / name
            st.download_button(
                "Download this corpus (export, Parquet)",
                lambda: export_archive(corpus_store(str(path)), corpus=name),
                file_name=f"{name.removesuffix('.duckdb')}.zip",
                mime="application/zip",
                key=f"{key}_export",
            )


def _job_result(status: JobStatus) -> None:
    if status.kept:
        st.caption(
            "Kept in the database: this corpus, and links to it, come back after the server "
            "restarts."
        )
    if status.keep_error:
        st.warning(
            f"This corpus could not be kept in the database: {status.keep_error} It lasts "
            "until the server restarts."
        )
    if status.error:
        st.error(f"The upload could not be analysed completely: {status.error}")
    if status.failed:
        st.warning(
            f"{status.failed} document(s) could not be analysed: " + "; ".join(status.errors[:3])
        )
