"""Every background thread the app starts, in one place:

- :class:`Warmup`: a load run once in a daemon thread and handed over once (the models'
  warm-up, :data:`dashboard.warmup.MODELS`);
- :class:`AnalysisJob`: an analysis beside the script, which draws its progress (the Article
  page's "Add an article");
- :class:`IngestJob`: documents analysed into a corpus a batch at a time (the Corpus page's
  uploads: :func:`start_upload`, :func:`upload_job`), then kept in the durable store when one
  is configured;
- :class:`RestoreJob`: a kept corpus rebuilt in the data folder (a link to a corpus this server
  does not have: :func:`start_restore`, :func:`restore_job`).

The Corpus page's query threads are in :mod:`dashboard.corpus.data` (:func:`prefetch`): they
run the page's own queries ahead, not jobs of their own.

Light to import (no pandas, models or database): :mod:`dashboard.warmup` imports it first
thing; what the jobs need is imported when they run, or handed in (the analysis, the
pipeline's load), so that this module imports no other part of the app.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

import streamlit as st

if TYPE_CHECKING:
    from analysis.settings import Settings
    from analysis.storage.archive import ArchiveProgress, CorpusArchive
    from analysis.storage.corpus.store import CorpusStore

T = TypeVar("T")

#: An uploaded corpus's file name starts with this (the corpus picker names it an upload).
UPLOAD_PREFIX = "upload-"
#: Articles per write of an upload job: small, so that the page fills in early.
UPLOAD_BATCH = 16
#: What an upload may be.
UPLOAD_SUFFIXES = (".zip", ".jsonl", ".ndjson", ".csv")


def _with_script_context(thread: threading.Thread) -> None:
    """Give ``thread`` the current script run's context (when there is one): Streamlit's
    caches read it, and warn on every call without it."""
    from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None:
        add_script_run_ctx(thread, ctx)


# -- a load run once ---------------------------------------------------------------------------


class Warmup(Generic[T]):
    """``load()`` run once in a daemon thread, its result handed over once.

    :meth:`take` waits for the thread and gives its result (or raises its error) to the first
    caller; later callers, and callers of a warm-up never started, get ``None`` and load for
    themselves, so a cleared cache loads again as it always did.
    """

    def __init__(self, load: Callable[[], T], *, name: str) -> None:
        self._load = load
        self._name = name
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._taken = False
        self._wake = threading.Event()
        self._delay = 0.0
        self._result: T | None = None
        self._error: BaseException | None = None

    def _run(self) -> None:
        if self._delay > 0:
            self._wake.wait(self._delay)
        try:
            self._result = self._load()
        except BaseException as error:  # handed to the first session, which reports it
            self._error = error

    def start(self, *, delay: float = 0.0) -> bool:
        """Start the load in the background unless it was started before; with ``delay``, the
        thread waits that many seconds first (:meth:`take` or a later ``start()`` without a
        delay cuts the wait short).

        Returns:
            True when this call started it, False when it was already started.
        """
        with self._lock:
            if self._thread is not None:
                if delay <= 0:
                    self._wake.set()
                return False
            self._delay = delay
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._thread.start()
            return True

    @property
    def started(self) -> bool:
        """Whether :meth:`start` has run."""
        return self._thread is not None

    def join(self, timeout: float | None = None) -> None:
        """Wait up to ``timeout`` seconds for the thread (if started) to end."""
        if self._thread is not None:
            self._thread.join(timeout)

    def take(self) -> T | None:
        """Wait for the background load and hand its result over, once.

        Returns:
            The result for the first caller; ``None`` when it was taken before or never
            started.

        Raises:
            Whatever the load raised, to the first caller only.
        """
        with self._lock:
            if self._thread is None or self._taken:
                return None
            self._taken = True
            thread = self._thread
        self._wake.set()
        thread.join()
        result, error = self._result, self._error
        self._result = self._error = None
        if error is not None:
            raise error
        return result


# -- one article's analysis --------------------------------------------------------------------


class AnalysisJob:
    """An analysis in a background thread, so that the script can draw its progress.

    ``analyse(progress)`` runs in the thread; it calls ``progress(done, total)`` as it goes
    (:func:`dashboard.cache.analyse`'s ``_progress``) and returns the analysis. ``wait(draw)``
    calls ``draw(fraction)`` from the script's own thread (so ``draw`` may update a
    ``st.progress``) until the analysis ends, then returns the result or raises the analysis's
    error (an :class:`~analysis.ArticleError` for bad input).
    """

    def __init__(self, analyse: Callable[[Callable[[int, int], None]], object]) -> None:
        self.fraction = 0.0
        self.result = None
        self.error: BaseException | None = None
        self._analyse = analyse
        self._thread = threading.Thread(target=self._run, name="newslens-analysis", daemon=True)
        _with_script_context(self._thread)
        self._thread.start()

    def _progress(self, done: int, total: int) -> None:
        self.fraction = done / total if total else 1.0

    def _run(self) -> None:
        try:
            self.result = self._analyse(self._progress)
        except BaseException as error:  # handed to the script's thread by wait()
            self.error = error

    def wait(self, draw: Callable[[float], object], *, every: float = 0.2):
        """Call ``draw`` with the fraction done every ``every`` seconds until the analysis
        ends, then once with 1.0.

        Returns:
            What ``analyse`` returned.

        Raises:
            Whatever ``analyse`` raised.
        """
        while self._thread.is_alive():
            draw(self.fraction)
            self._thread.join(every)
        if self.error is not None:
            raise self.error
        draw(1.0)
        return self.result


# -- documents analysed into a corpus ----------------------------------------------------------


class JobStatus(NamedTuple):
    """How far an :class:`IngestJob` has got.

    Attributes:
        total: documents expected (None when the input cannot tell without reading it all).
        done: documents handled (added, already stored, or failed).
        added: articles written so far (the page redraws when this grows).
        failed: documents that could not be analysed.
        finished: the job has stopped (done, or stopped by ``error``).
        error: why the whole job stopped early, or "".
        errors: ``document: reason`` of the first failed documents.
        kept: the corpus was kept in the durable store once analysed.
        keep_error: why it could not be kept, or "".
    """

    total: int | None
    done: int
    added: int
    failed: int
    finished: bool
    error: str
    errors: tuple[str, ...]
    kept: bool = False
    keep_error: str = ""

    @property
    def fraction(self) -> float:
        """Done over total, 0 to 1 (0 while the total is unknown and nothing finished)."""
        if self.finished:
            return 1.0
        return min(1.0, self.done / self.total) if self.total else 0.0


class _JobProgress:
    """The ``progress`` of :func:`analysis.runners.corpus.run_local` (which calls only
    :meth:`update`): keeps the counts for :meth:`IngestJob.status` instead of drawing them."""

    def __init__(self) -> None:
        self.counts = (0, 0, 0)  # done, added, failed: replaced whole, read by other threads

    def update(self, counts, *, final: bool = False) -> None:
        self.counts = (counts.added + counts.skipped + counts.failed, counts.added, counts.failed)


class IngestJob:
    """Documents analysed into one corpus in a background thread, a batch written at a time,
    so that the page reading the corpus stays usable and fills in as batches land (the store
    lets readers in between a writer's batches).

    Args:
        path: the corpus file (created, with its schema, before :meth:`start` returns).
        inputs: files for :func:`analysis.sources.files.read_inputs`; checked here (an input of
            no known kind or without a text column raises
            :class:`~analysis.sources.files.IngestError` at once).
        load_nlp: returns the spaCy pipeline; called in the thread.
        batch_size: articles per write.
        label: what the reader calls the input (an upload's file name); default the corpus
            file's name.
        settings: the limits and aliases the analysis uses (default: the defaults).
        archive: where the finished corpus is kept under its file name
            (:class:`~analysis.storage.archive.CorpusArchive`), or None.
    """

    def __init__(
        self,
        path: Path,
        inputs: Sequence[str],
        *,
        load_nlp: Callable[[], object],
        batch_size: int = UPLOAD_BATCH,
        label: str = "",
        settings: Settings | None = None,
        archive: CorpusArchive | None = None,
    ) -> None:
        from analysis.settings import Settings
        from analysis.sources.files import check_inputs, count_documents

        self.path = Path(path)
        self.label = label or self.path.name
        self.inputs = check_inputs(list(inputs))
        self.total = count_documents(self.inputs)
        self.batch_size = batch_size
        self._load_nlp = load_nlp
        self._settings = settings or Settings()
        self._progress = _JobProgress()
        self._error = ""
        self._errors: tuple[str, ...] = ()
        self._archive = archive
        self._kept, self._keep_error = False, ""
        self._done = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"newslens-ingest-{self.path.name}", daemon=True
        )

    def start(self) -> IngestJob:
        """Create the corpus file and start analysing; returns the job."""
        from analysis.storage.corpus.store import CorpusStore

        CorpusStore(self.path).ensure()
        self._thread.start()
        return self

    def _run(self) -> None:
        from analysis.errors import ArticleError
        from analysis.runners.corpus import run_local
        from analysis.sources.files import read_inputs
        from analysis.storage.corpus.records import corpus_options
        from analysis.storage.corpus.store import CorpusStore

        store, settings = CorpusStore(self.path), self._settings
        try:
            items = read_inputs(self.inputs, max_chars=settings.max_chars)
            report = run_local(
                items,
                store=store,
                workers=1,
                nlp=self._load_nlp(),
                options=corpus_options(entity_aliases=settings.entity_aliases),
                max_chars=settings.max_chars,
                partition_size=self.batch_size,
                batch_size=self.batch_size,
                progress=self._progress,
            )
            self._errors = tuple(f"{e.document}: {e.reason}" for e in report.errors)
            if report.added:
                store.compact()
        except Exception as error:  # shown on the page, never as a traceback
            self._error = (
                str(error)
                if isinstance(error, ArticleError)
                else (f"the analysis stopped ({type(error).__name__}: {str(error)[:200]})")
            )
        else:
            self._keep(store)
        finally:
            self._done.set()

    def _keep(self, store: CorpusStore) -> None:
        """Keep the finished corpus in the archive (once, at the end: a save is a whole
        export); the corpus stays usable here when that fails."""
        from analysis.errors import ArticleError

        if self._archive is None:
            return
        try:
            self._archive.save(self.path.name, store)
        except ArticleError as error:
            self._keep_error = str(error)
        except Exception as error:  # shown on the page, never as a traceback
            self._keep_error = f"it could not be kept ({type(error).__name__})"
        else:
            self._kept = True

    def status(self) -> JobStatus:
        done, added, failed = self._progress.counts
        return JobStatus(
            self.total,
            done,
            added,
            failed,
            self._done.is_set(),
            self._error,
            self._errors,
            self._kept,
            self._keep_error,
        )

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job has finished or ``timeout`` seconds passed; True if finished."""
        return self._done.wait(timeout)


@st.cache_resource(show_spinner=False)
def build_lock() -> threading.Lock:
    """Held while a corpus file is built (the sample imported, an upload job started), so
    that two sessions never build the same file at once."""
    return threading.Lock()


@st.cache_resource(show_spinner=False)
def _jobs() -> dict[str, IngestJob]:
    """Upload jobs by corpus file path, shared by every session of this server."""
    return {}


def upload_limit_mb() -> int:
    """Streamlit refuses larger uploads itself (``server.maxUploadSize``); the same figure is
    checked here so that a corpus built from bytes handed over otherwise keeps to it."""
    return int(st.get_option("server.maxUploadSize"))


def start_upload(
    name: str,
    data: bytes,
    *,
    load_nlp: Callable[[], object],
    archive: CorpusArchive | None = None,
) -> str:
    """Save an uploaded .zip, .jsonl or .csv in the data folder and start analysing it, in the
    background, into a corpus of its own (:class:`IngestJob`, listed by :func:`upload_job`),
    with the spaCy pipeline ``load_nlp()`` returns (called in the job's thread); once analysed
    it is kept in ``archive`` when one is given.

    Returns:
        the new corpus's file name.

    Raises:
        ArticleError: the file is over the limit, of another kind, or has no text column.
    """
    from analysis.sources.files import IngestError
    from dashboard.settings import app_settings

    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise IngestError(f"{name}: upload a .zip of articles, a .jsonl or a .csv file.")
    if len(data) > upload_limit_mb() * 1024 * 1024:
        raise IngestError(
            f"{name} is {len(data) / 1e6:.0f} MB; the limit for an upload is "
            f"{upload_limit_mb()} MB (add larger collections with: newslens corpus add)."
        )
    digest = hashlib.sha256(data).hexdigest()[:10]
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(name).stem).strip("-")[:40] or "upload"
    folder = app_settings().data_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    saved = folder / f"{stem}-{digest}{suffix}"
    saved.write_bytes(data)
    corpus = f"{UPLOAD_PREFIX}{stem}-{digest}.duckdb"
    jobs, path = _jobs(), app_settings().data_dir / corpus
    with build_lock():
        if str(path) in jobs and not jobs[str(path)].status().finished:
            return corpus
        try:
            job = IngestJob(
                path,
                [str(saved)],
                load_nlp=load_nlp,
                label=name,
                settings=app_settings(),
                archive=archive,
            )
        except IngestError as error:
            # The saved copy's path means nothing to the reader: name the upload instead.
            raise IngestError(str(error).replace(str(saved), name)) from None
        jobs[str(path)] = job.start()
    return corpus


def upload_job(corpus: str) -> IngestJob | None:
    """The upload job of a corpus (a file name in the data folder) started on this server, or
    None."""
    from dashboard.settings import app_settings

    return _jobs().get(str(app_settings().data_dir / corpus))


# -- a kept corpus restored --------------------------------------------------------------------


class RestoreStatus(NamedTuple):
    """How far a :class:`RestoreJob` has got.

    Attributes:
        stage: "reading" (the kept copy's parts), "building" (the DuckDB file) or "done".
        fraction: of the current stage, 0 to 1.
        finished: the job has stopped (done, or stopped by ``error``).
        error: why the corpus could not be restored, or "".
    """

    stage: str
    fraction: float
    finished: bool
    error: str


class RestoreJob:
    """A corpus kept in the durable store rebuilt at ``path`` in a background thread
    (:meth:`analysis.storage.archive.CorpusArchive.restore`), so that the page draws its
    progress meanwhile.

    Args:
        archive: where the corpus is kept.
        name: its name there (its file name).
        path: where its DuckDB file goes.
    """

    def __init__(self, archive: CorpusArchive, name: str, path: Path) -> None:
        self.archive, self.name, self.path = archive, name, Path(path)
        self._step: tuple[str, float] = ("reading", 0.0)
        self._error = ""
        self._done = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"newslens-restore-{self.path.name}", daemon=True
        )

    def start(self) -> RestoreJob:
        self._thread.start()
        return self

    def _progress(self, step: ArchiveProgress) -> None:
        self._step = (step.stage, step.fraction)

    def _run(self) -> None:
        from analysis.errors import ArticleError

        try:
            self.archive.restore(self.name, self.path, progress=self._progress)
        except ArticleError as error:
            self._error = str(error)
        except Exception as error:  # shown on the page, never as a traceback
            self._error = f"the corpus could not be restored ({type(error).__name__})"
        finally:
            self._done.set()

    def status(self) -> RestoreStatus:
        stage, fraction = self._step
        return RestoreStatus(stage, fraction, self._done.is_set(), self._error)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job has finished or ``timeout`` seconds passed; True if finished."""
        return self._done.wait(timeout)


# -- collecting from sites and feeds into a corpus ---------------------------------------------


class CollectStatus(NamedTuple):
    """How far a :class:`CollectJob` has got.

    Attributes:
        phase: "starting" (loading the pipeline), "listing" (reading feeds and sitemaps),
            "fetching" (article pages) or "done" (the collector's last word; the job is over
            once ``finished``).
        listings: feeds, sitemaps and home pages read so far.
        planned: article pages to fetch in this run (known once listing is done).
        fetched: article pages dealt with so far.
        new: pages handed on to be analysed and stored.
        skipped: URLs not fetched or not stored again.
        failed: failures so far.
        seconds: since the job started.
        finished: the job has stopped (its report is ready, or ``error`` says why not).
        error: why the job stopped without a report, or "".
        report: the run's :class:`~analysis.runners.collect.CollectReport` once finished.
    """

    phase: str
    listings: int
    planned: int
    fetched: int
    new: int
    skipped: int
    failed: int
    seconds: float
    finished: bool
    error: str
    report: object | None

    @property
    def fraction(self) -> float:
        """Pages dealt with over pages planned, 0 to 1 (0 while listing)."""
        if self.finished:
            return 1.0
        return min(1.0, self.fetched / self.planned) if self.planned else 0.0


class CollectJob:
    """A collection run (:func:`analysis.runners.collect.run_collect`, the runner of
    ``newslens corpus collect``, with its robots.txt, delays and limits) into one corpus, in a
    background thread; the page polls :meth:`status` and may :meth:`stop` it.

    Args:
        path: the corpus file.
        sources: what to collect from; empty: every source on the corpus's list ("collect
            again").
        options: the run's :class:`~analysis.sources.collect.collector.CollectOptions`.
        load_nlp: returns the spaCy pipeline; called in the thread.
        settings: the limits and aliases the analysis uses (default: the defaults).
        archive: where the corpus is kept once a run has stored something
            (:class:`~analysis.storage.archive.CorpusArchive`), or None.
    """

    def __init__(
        self,
        path: Path,
        sources: Sequence[str],
        *,
        options: object,
        load_nlp: Callable[[], object],
        settings: Settings | None = None,
        archive: CorpusArchive | None = None,
    ) -> None:
        import time

        from analysis.settings import Settings

        self.path = Path(path)
        self.sources = tuple(sources)
        self._options = options
        self._load_nlp = load_nlp
        self._settings = settings or Settings()
        self._archive = archive
        self.keep_error = ""
        self._began = time.monotonic()
        self._state: object | None = None  # the collector's last CollectProgress
        self._report: object | None = None
        self._error = ""
        self._stop = threading.Event()
        self._done = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"newslens-collect-{self.path.name}", daemon=True
        )

    def start(self) -> CollectJob:
        """Start collecting; returns the job."""
        self._thread.start()
        return self

    def _progress(self, state: object) -> None:
        # Called under the collector's lock: an assignment only.
        self._state = state

    def _run(self) -> None:
        from analysis.errors import ArticleError
        from analysis.runners.collect import collect_again, run_collect
        from analysis.storage.corpus.records import corpus_options
        from analysis.storage.corpus.store import CorpusStore

        store, settings = CorpusStore(self.path), self._settings
        try:
            common = {
                "options": self._options,
                "nlp": self._load_nlp(),
                "analysis": corpus_options(entity_aliases=settings.entity_aliases),
                "progress": self._progress,
                "stop": self._stop,
            }
            if self.sources:
                self._report = run_collect(self.sources, store=store, **common)
            else:
                self._report = collect_again(store, **common)
            if self._report.added:
                store.compact()
                self._keep(store)
        except Exception as error:  # shown on the page, never as a traceback
            self._error = (
                str(error)
                if isinstance(error, ArticleError)
                else f"the collection stopped ({type(error).__name__}: {str(error)[:200]})"
            )
        finally:
            self._done.set()

    def _keep(self, store: CorpusStore) -> None:
        """Keep the corpus in the archive, as an upload is (a failure is said, the corpus
        stays on this server)."""
        from analysis.errors import ArticleError

        if self._archive is None:
            return
        try:
            self._archive.save(self.path.name, store)
        except ArticleError as error:
            self.keep_error = str(error)
        except Exception as error:  # shown on the page, never as a traceback
            self.keep_error = f"it could not be kept ({type(error).__name__})"

    def stop(self) -> None:
        """Ask the run to stop: pages not fetched yet wait for the next run."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        """Whether :meth:`stop` was called."""
        return self._stop.is_set()

    def status(self) -> CollectStatus:
        import time

        state = self._state
        counts = (
            (0, 0, 0, 0, 0, 0)
            if state is None
            else (
                state.listings,
                state.planned,
                state.fetched,
                state.new,
                state.skipped,
                state.failed,
            )
        )
        return CollectStatus(
            "starting" if state is None else state.phase,
            *counts,
            time.monotonic() - self._began,
            self._done.is_set(),
            self._error,
            self._report,
        )

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job has finished or ``timeout`` seconds passed; True if finished."""
        return self._done.wait(timeout)


@st.cache_resource(show_spinner=False)
def _restores() -> dict[str, RestoreJob]:
    """Restore jobs by corpus file path, shared by every session of this server."""
    return {}


def start_restore(archive: CorpusArchive, name: str, path: Path) -> RestoreJob:
    """The job restoring the kept corpus ``name`` to ``path``: the one this server started
    (running or finished, until :func:`forget_restore`), else a new one, started.

    Returns:
        the job.
    """
    jobs = _restores()
    with build_lock():
        job = jobs.get(str(path))
        if job is None:
            job = jobs[str(path)] = RestoreJob(archive, name, path).start()
    return job


def forget_restore(path: Path) -> None:
    """Drop the restore job of ``path`` (a failed one: the next request tries again)."""
    with build_lock():
        _restores().pop(str(path), None)


@st.cache_resource(show_spinner=False)
def _collect_jobs() -> dict[str, CollectJob]:
    """Collection jobs by corpus file path, shared by every session of this server (the last
    one of each corpus)."""
    return {}


def start_collect(
    path: Path,
    sources: Sequence[str],
    *,
    options: object,
    load_nlp: Callable[[], object],
    archive: CorpusArchive | None = None,
) -> CollectJob:
    """Start collecting ``sources`` (empty: the corpus's list) into the corpus at ``path`` in
    the background, unless a collection into it is running already (that one is returned).

    Returns:
        the job collecting into ``path``.
    """
    from dashboard.settings import app_settings

    jobs = _collect_jobs()
    with build_lock():
        running = jobs.get(str(path))
        if running is not None and not running.status().finished:
            return running
        job = CollectJob(
            path,
            sources,
            options=options,
            load_nlp=load_nlp,
            settings=app_settings(),
            archive=archive,
        )
        jobs[str(path)] = job.start()
    return job


def collect_job(path: Path) -> CollectJob | None:
    """The last collection job into the corpus at ``path`` started on this server, or None."""
    return _collect_jobs().get(str(path))
