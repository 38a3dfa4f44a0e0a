"""Analyse documents into the corpus store: in local worker processes, or on a Dask cluster.

Both engines do the same thing with the same code: the parent reads the documents lazily
(:mod:`analysis.sources.files`), computes each key (:func:`~analysis.storage.corpus.records.document_key`)
and skips the keys the store already holds under this analysis version (and repeats within
the run) before anything is analysed, so a re-run costs one read of the inputs. The rest go in
partitions of ``partition_size`` documents to :func:`analyse_documents`, which runs
:func:`analysis.core.pipeline.analyze_many` with :func:`~analysis.storage.corpus.records.corpus_options`
and returns contract rows. Results are written in input order.

- :func:`run_local`: ``workers`` processes (started with ``spawn``, each loading the spaCy
  pipeline once), or this process when ``workers`` is 1; the parent writes each batch of
  ``batch_size`` articles in one transaction. At most ``2 * workers`` partitions are in flight,
  so memory does not grow with the number of documents.
- :func:`run_dask`: each Dask worker loads the pipeline once (:class:`NlpPlugin`), analyses a
  partition and writes it as a Parquet shard (a folder of ``<table>.parquet``) under
  ``shard_dir``: written under a temporary name and renamed when complete, so a worker killed
  mid-partition leaves no partial shard. A shard's name is derived from its documents' keys
  and the analysis version, so a retried partition finds its finished shard instead of
  writing a second one. The client loads finished shards into the store in partition order
  (one transaction each) and removes them. A partition whose worker dies is rerun by Dask
  (the scheduler's allowed failures); one that raises is retried ``retries`` times. On a real
  cluster, ``shard_dir`` must be a folder the workers and the client share.

Documents that cannot be analysed become rows of the store's ``errors`` table.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import sys
import time
import uuid
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from analysis.core.article import DEFAULT_MAX_CHARS
from analysis.core.pipeline import AnalysisOptions
from analysis.errors import ArticleError
from analysis.sources.files import Item
from analysis.storage.corpus.records import (
    ANALYSIS_VERSION,
    ArticleMeta,
    article_rows,
    corpus_options,
    document_key,
    tables_from_rows,
)
from analysis.storage.corpus.store import CorpusStore, ErrorRow, write_tables

DEFAULT_PARTITION_SIZE = 16
#: Partitions a local worker process analyses before it is replaced by a fresh one: a spaCy
#: pipeline's memory grows with every new word it meets, so a long run would otherwise grow
#: without bound; a new worker costs one model load (about 2 s) per this many partitions.
WORKER_PARTITIONS = 32
DEFAULT_BATCH_SIZE = 128
#: Errors kept in :class:`IngestReport` for the summary (all of them go to the store).
REPORTED_ERRORS = 20


class Task(NamedTuple):
    """A document to analyse, with its key."""

    key: str
    name: str
    raw: str | bytes
    meta: ArticleMeta


class IngestReport(NamedTuple):
    """What a run did.

    Attributes:
        added: articles written (new, or replacing an older analysis version).
        skipped: documents already stored under this version, or repeated within the run.
        failed: documents that could not be read or analysed.
        errors: the first :data:`REPORTED_ERRORS` of those, in input order.
        seconds: wall time of the run.
    """

    added: int
    skipped: int
    failed: int
    errors: tuple[ErrorRow, ...]
    seconds: float


# -- the shared analysis step -----------------------------------------------------------------


def analyse_documents(
    tasks: Sequence[Task],
    *,
    nlp,
    options: AnalysisOptions | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    version: int = ANALYSIS_VERSION,
) -> list[tuple[Task, dict | str]]:
    """Analyse a partition with :func:`analysis.core.pipeline.analyze_many`, with ``options``
    (default :func:`~analysis.storage.corpus.records.corpus_options`).

    Returns:
        ``(task, rows)`` per task in order, ``rows`` from
        :func:`~analysis.storage.corpus.records.article_rows`, or ``(task, reason)`` for a document that
        cannot be analysed.
    """
    from analysis.core.pipeline import analyze_many

    options = options or corpus_options()
    try:
        results = list(
            analyze_many(
                ((t.name, t.raw) for t in tasks),
                nlp=nlp,
                options=options,
                chunk_size=max(1, len(tasks)),
                max_chars=max_chars,
            )
        )
    except Exception:
        if len(tasks) == 1:
            raise
        # One document broke the shared pass: analyse each alone to find it.
        return [
            pair
            for task in tasks
            for pair in _analyse_alone(task, nlp, options, max_chars, version)
        ]
    out: list[tuple[Task, dict | str]] = []
    for task, (_, result) in zip(tasks, results, strict=True):
        if isinstance(result, ArticleError):
            out.append((task, str(result)))
        else:
            out.append((task, article_rows(result, key=task.key, meta=task.meta, version=version)))
    return out


def _analyse_alone(task: Task, nlp, options, max_chars, version) -> list[tuple[Task, dict | str]]:
    try:
        return analyse_documents(
            [task], nlp=nlp, options=options, max_chars=max_chars, version=version
        )
    except Exception as error:  # reported as this document's error, never a traceback
        return [(task, f"unexpected {type(error).__name__} while analysing: {str(error)[:200]}")]


def tasks_to_run(
    items: Iterable[Item], *, known: set[str], report: _Counts
) -> Iterator[Task | ErrorRow]:
    """Documents as :class:`Task`, minus those whose key is in ``known`` or seen earlier in the
    stream (counted as skipped in ``report``); error rows pass through."""
    seen: set[str] = set()
    for item in items:
        if isinstance(item, ErrorRow):
            yield item
            continue
        key = document_key(item.raw)
        if key in known or key in seen:
            report.skipped += 1
            continue
        seen.add(key)
        yield Task(key, item.name, item.raw, item.meta)


def _partitions(
    stream: Iterable[Task | ErrorRow], size: int
) -> Iterator[tuple[list[Task], list[ErrorRow]]]:
    """Partitions of ``size`` tasks, each with the error rows read before it (in order)."""
    tasks: list[Task] = []
    errors: list[ErrorRow] = []
    for item in stream:
        if isinstance(item, ErrorRow):
            errors.append(item)
            continue
        tasks.append(item)
        if len(tasks) == size:
            yield tasks, errors
            tasks, errors = [], []
    if tasks or errors:
        yield tasks, errors


class _Counts:
    def __init__(self) -> None:
        self.added = self.skipped = self.failed = 0
        self.errors: list[ErrorRow] = []
        self.start = time.monotonic()

    def fail(self, rows: Iterable[ErrorRow]) -> None:
        for row in rows:
            self.failed += 1
            if len(self.errors) < REPORTED_ERRORS:
                self.errors.append(row)

    def report(self) -> IngestReport:
        return IngestReport(
            self.added, self.skipped, self.failed, tuple(self.errors), time.monotonic() - self.start
        )


# -- progress ---------------------------------------------------------------------------------


class Progress:
    """A progress line on stderr with rate and ETA: redrawn in place on a terminal, every few
    seconds in a log file.

    Args:
        total: documents expected, or None when unknown (no bar, no ETA).
        enabled: draw anything at all.
        stream: where to draw; default ``sys.stderr``.
    """

    def __init__(self, total: int | None, *, enabled: bool = True, stream=None) -> None:
        self.total = total
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.start = time.monotonic()
        self.last = 0.0

    def update(self, counts: IngestReport | _Counts, *, final: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not final and now - self.last < (0.2 if self.tty else 5.0)):
            return
        self.last = now
        done = counts.added + counts.skipped + counts.failed
        elapsed = max(now - self.start, 1e-9)
        rate = done / elapsed
        if self.total:
            filled = min(30, int(30 * done / self.total))
            text = f"[{'#' * filled}{'.' * (30 - filled)}] {done}/{self.total}"
        else:
            text = f"{done} documents"
        text += f"  {rate:.1f} docs/s"
        if self.total and not final and rate > 0:
            text += f"  ETA {_clock(max(self.total - done, 0) / rate)}"
        text += f"  {counts.added} added, {counts.skipped} skipped, {counts.failed} failed"
        if final:
            text += f"  ({_clock(elapsed)})"
        end = "\n" if final or not self.tty else ""
        self.stream.write(("\r\033[K" if self.tty else "") + text + end)
        self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


# -- local engine -----------------------------------------------------------------------------

# Each worker process's pipeline, loaded once by the pool's initializer; or why it could not
# be loaded (raised with the first partition: an initializer that raises would make the pool
# start replacement workers forever).
_WORKER_NLP = None
_WORKER_ERROR: Exception | None = None


def _init_worker(model: str | None) -> None:
    global _WORKER_NLP, _WORKER_ERROR
    from analysis.core.nlp import load_nlp
    from analysis.core.sentiment import load_sentiment

    try:
        _WORKER_NLP = load_nlp(preferred=model)
        load_sentiment()
    except Exception as error:
        _WORKER_ERROR = error


def _worker_partition(
    tasks: list[Task], options: AnalysisOptions, max_chars: int, version: int
) -> list:
    if _WORKER_NLP is None:
        raise _WORKER_ERROR or RuntimeError("the worker has no language pipeline")
    return analyse_documents(
        tasks, nlp=_WORKER_NLP, options=options, max_chars=max_chars, version=version
    )


def run_local(
    items: Iterable[Item],
    *,
    store: CorpusStore,
    workers: int = 1,
    nlp=None,
    model: str | None = None,
    options: AnalysisOptions | None = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_chars: int = DEFAULT_MAX_CHARS,
    version: int = ANALYSIS_VERSION,
    progress: Progress | None = None,
) -> IngestReport:
    """Analyse documents into ``store`` with local processes.

    Args:
        items: from :func:`analysis.sources.files.read_inputs`, read lazily.
        store: the corpus.
        workers: analysing processes; 1 analyses in this process.
        nlp: the pipeline for ``workers=1``; loaded with :func:`analysis.core.nlp.load_nlp` when
            None. Worker processes always load their own.
        model: the spaCy model to prefer when a pipeline is loaded (the setting).
        options: the analysis options; default
            :func:`~analysis.storage.corpus.records.corpus_options`.
        partition_size: documents per unit of work.
        batch_size: articles per write transaction.
        max_chars: size limit per document.
        version: the analysis version stored (and compared for skipping).
        progress: drawn as documents finish.

    Returns:
        what the run did (:class:`IngestReport`).
    """
    counts = _Counts()
    options = options or corpus_options()
    known = store.known_keys(version)
    stream = tasks_to_run(items, known=known, report=counts)
    writer = _BatchWriter(store, counts, batch_size=batch_size, progress=progress)
    if workers <= 1:
        if nlp is None:
            from analysis.core.nlp import load_nlp

            nlp = load_nlp(preferred=model)
        for tasks, errors in _partitions(stream, partition_size):
            writer.errors(errors)
            writer.results(
                analyse_documents(
                    tasks, nlp=nlp, options=options, max_chars=max_chars, version=version
                )
            )
    else:
        # spawn: the parent holds DuckDB and maybe threads; a fresh interpreter per worker
        # loads its own pipeline once.
        context = multiprocessing.get_context("spawn")
        with context.Pool(
            workers, initializer=_init_worker, initargs=(model,), maxtasksperchild=WORKER_PARTITIONS
        ) as pool:
            pending: deque = deque()
            for tasks, errors in _partitions(stream, partition_size):
                pending.append(
                    (
                        errors,
                        pool.apply_async(_worker_partition, (tasks, options, max_chars, version)),
                    )
                )
                while len(pending) > 2 * workers:
                    done_errors, result = pending.popleft()
                    writer.errors(done_errors)
                    writer.results(result.get())
            while pending:
                done_errors, result = pending.popleft()
                writer.errors(done_errors)
                writer.results(result.get())
    writer.flush()
    if progress:
        progress.update(counts, final=True)
    return counts.report()


class _BatchWriter:
    """Collects finished articles and writes them ``batch_size`` at a time."""

    def __init__(
        self, store: CorpusStore, counts: _Counts, *, batch_size: int, progress: Progress | None
    ) -> None:
        self.store = store
        self.counts = counts
        self.batch_size = batch_size
        self.progress = progress
        self.rows: list[dict] = []
        self.failed: list[ErrorRow] = []

    def errors(self, rows: Iterable[ErrorRow]) -> None:
        rows = list(rows)
        self.failed.extend(rows)
        self.counts.fail(rows)
        self._tick()

    def results(self, pairs: Iterable[tuple[Task, dict | str]]) -> None:
        for task, rows in pairs:
            if isinstance(rows, str):
                row = ErrorRow(task.name, rows)
                self.failed.append(row)
                self.counts.fail([row])
            else:
                self.rows.append(rows)
            if len(self.rows) >= self.batch_size:
                self.flush()
        self._tick()

    def flush(self) -> None:
        if self.rows:
            tables = tables_from_rows(self.rows)
            with self.store.writer() as con:
                self.counts.added += write_tables(con, tables)
            self.rows = []
        if self.failed:
            self.store.add_errors(self.failed)
            self.failed = []

    def _tick(self) -> None:
        if self.progress:
            self.progress.update(self.counts)


# -- Dask engine ------------------------------------------------------------------------------

PLUGIN_NAME = "newslens-nlp"


def _plugin_class():
    from distributed import WorkerPlugin

    class NlpPlugin(WorkerPlugin):
        """Loads the spaCy pipeline and the sentiment models once per Dask worker;
        :func:`analyse_partition` reads the pipeline back."""

        name = PLUGIN_NAME

        def __init__(self, model: str | None = None) -> None:
            self.model = model
            self.nlp = None

        def setup(self, worker) -> None:
            from analysis.core.nlp import load_nlp
            from analysis.core.sentiment import load_sentiment

            self.nlp = load_nlp(preferred=self.model)
            load_sentiment()

    NlpPlugin.__module__ = __name__
    return NlpPlugin


def __getattr__(name: str):
    # ``NlpPlugin`` subclasses Dask's WorkerPlugin: defined on first use so that importing
    # this module (the local engine) does not import Dask; pickled by reference as
    # ``analysis.runners.corpus.NlpPlugin``.
    if name == "NlpPlugin":
        cls = globals()["NlpPlugin"] = _plugin_class()
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _worker_nlp():
    from distributed import get_worker

    plugin = get_worker().plugins.get(PLUGIN_NAME)
    if plugin is None or plugin.nlp is None:
        raise RuntimeError(f"the {PLUGIN_NAME} worker plugin is not registered on this worker")
    return plugin.nlp


class ShardResult(NamedTuple):
    """A finished partition: its shard folder and what it holds."""

    index: int
    path: str
    articles: int
    errors: tuple[ErrorRow, ...]


def shard_name(index: int, tasks: Sequence[Task], version: int) -> str:
    """The shard folder's name for a partition: its position and a digest of its keys and the
    analysis version, so that a rerun of the same partition finds the same shard."""
    digest = hashlib.sha256(f"{version}\n".encode() + "\n".join(t.key for t in tasks).encode())
    return f"part-{index:06d}-{digest.hexdigest()[:16]}"


def analyse_partition(
    index: int,
    tasks: list[Task],
    *,
    shard_dir: str,
    options: AnalysisOptions | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    version: int = ANALYSIS_VERSION,
) -> ShardResult:
    """The Dask task: analyse one partition on a worker and write its Parquet shard (unless a
    previous attempt already did).

    Returns:
        the shard (see :class:`ShardResult`).
    """
    final = Path(shard_dir) / shard_name(index, tasks, version)
    if not final.exists():
        results = analyse_documents(
            tasks, nlp=_worker_nlp(), options=options, max_chars=max_chars, version=version
        )
        _write_shard(final, results)
    return _read_shard_summary(index, final)


def _write_shard(final: Path, results: list[tuple[Task, dict | str]]) -> None:
    import pandas as pd

    tmp = final.parent / f".tmp-{final.name}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir(parents=True)
    try:
        tables = tables_from_rows([rows for _, rows in results if not isinstance(rows, str)])
        for name, frame in tables.items():
            frame.to_parquet(tmp / f"{name}.parquet", index=False)
        now = datetime.now()
        errors = pd.DataFrame(
            [(task.name, rows, now) for task, rows in results if isinstance(rows, str)],
            columns=["document", "reason", "at"],
        ).astype({"document": "str", "reason": "str", "at": "datetime64[us]"})
        errors.to_parquet(tmp / "errors.parquet", index=False)
        try:
            os.rename(tmp, final)
        except OSError:
            if not final.exists():
                raise
            # Another attempt at the same partition finished first: its shard is identical.
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _read_shard_summary(index: int, final: Path) -> ShardResult:
    import pyarrow.parquet as pq

    articles = pq.read_metadata(final / "articles.parquet").num_rows
    errors = pq.read_table(final / "errors.parquet", columns=["document", "reason"]).to_pylist()
    rows = tuple(ErrorRow(e["document"], e["reason"]) for e in errors)
    return ShardResult(index, str(final), articles, rows)


def default_shard_dir(store: CorpusStore) -> Path:
    """``<corpus file>.shards`` next to the store's file."""
    return store.path.with_name(store.path.name + ".shards")


def run_dask(
    items: Iterable[Item],
    *,
    store: CorpusStore,
    client,
    shard_dir: Path | str | None = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    model: str | None = None,
    options: AnalysisOptions | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    version: int = ANALYSIS_VERSION,
    retries: int = 2,
    progress: Progress | None = None,
) -> IngestReport:
    """Analyse documents into ``store`` on a Dask cluster.

    Args:
        items: from :func:`analysis.sources.files.read_inputs`, read lazily.
        store: the corpus (written by this process only).
        client: a connected ``distributed.Client``.
        shard_dir: where workers write Parquet shards; default :func:`default_shard_dir`.
            Must be shared by the workers and this process.
        partition_size: documents per task.
        model: the spaCy model the workers prefer (the setting).
        options: the analysis options; default
            :func:`~analysis.storage.corpus.records.corpus_options`.
        max_chars: size limit per document.
        version: the analysis version stored.
        retries: reruns of a partition whose task raised.
        progress: drawn as partitions finish.

    Returns:
        what the run did (:class:`IngestReport`).
    """
    from distributed import wait

    counts = _Counts()
    shards = Path(shard_dir) if shard_dir is not None else default_shard_dir(store)
    shards.mkdir(parents=True, exist_ok=True)
    client.register_plugin(__getattr__("NlpPlugin")(model), name=PLUGIN_NAME)
    options = options or corpus_options()
    workers = max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})))
    known = store.known_keys(version)
    stream = tasks_to_run(items, known=known, report=counts)
    pending: deque = deque()  # (errors read before the partition, future), in input order

    def load(errors: list[ErrorRow], future) -> None:
        if errors:
            store.add_errors(errors)
            counts.fail(errors)
        if future is not None:
            shard: ShardResult = future.result()
            counts.added += store.import_parquet(shard.path)
            counts.fail(shard.errors)
            shutil.rmtree(shard.path, ignore_errors=True)
        if progress:
            progress.update(counts)

    for index, (tasks, errors) in enumerate(_partitions(stream, partition_size)):
        future = None
        if tasks:
            future = client.submit(
                analyse_partition,
                index,
                tasks,
                shard_dir=str(shards),
                options=options,
                max_chars=max_chars,
                version=version,
                retries=retries,
                pure=False,
                key=f"newslens-{shard_name(index, tasks, version)}-{uuid.uuid4().hex[:6]}",
            )
        pending.append((errors, future))
        while len([f for _, f in pending if f is not None and not f.done()]) >= 2 * workers:
            wait([f for _, f in pending if f is not None], return_when="FIRST_COMPLETED")
            while pending and (pending[0][1] is None or pending[0][1].done()):
                load(*pending.popleft())
    while pending:
        load(*pending.popleft())
    if progress:
        progress.update(counts, final=True)
    return counts.report()
