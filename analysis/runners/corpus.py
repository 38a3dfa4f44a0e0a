"""Analyse documents into the corpus store: in local worker processes, or on a Dask cluster.

Both engines do the same thing with the same code: the parent reads the documents lazily
(:mod:`analysis.sources.files`), computes each key (:func:`~analysis.storage.corpus.records.document_key`)
and skips the keys the store already holds under this analysis version (and repeats within
the run) before anything is analysed, so a re-run costs one read of the inputs. The rest go in
partitions of ``partition_size`` documents to :func:`analyse_documents`, which runs
:func:`analysis.core.pipeline.analyze_many` with :func:`~analysis.storage.corpus.records.corpus_options`
and returns contract rows. Results are written in input order.

- :func:`run_local`: ``workers`` processes (:class:`~analysis.runners.pool.WorkerPool`: started
  with ``spawn``, each loading the spaCy pipeline once; a worker that dies costs only its
  partition a retry, and a document that keeps killing its worker becomes an error row), or
  this process when ``workers`` is 1; the parent writes each batch of ``batch_size`` articles
  in one transaction. At most ``2 * workers`` partitions are in flight, so memory does not
  grow with the number of documents.
- :func:`run_dask`: each Dask worker loads the pipeline once (:class:`NlpPlugin`), analyses a
  partition and writes it as a Parquet shard (a folder of ``<table>.parquet``) under
  ``shard_dir``: written under a temporary name and renamed when complete, so a worker killed
  mid-partition leaves no partial shard. A shard's name is derived from its documents' keys
  and the analysis version, so a retried partition finds its finished shard instead of
  writing a second one. The client loads finished shards into the store in partition order
  (one transaction each) and removes them. A partition whose worker dies is rerun by Dask
  (the scheduler's ``distributed.scheduler.allowed-failures``); when its workers keep dying
  (Dask's ``KilledWorker``), its documents become error rows ("worker died") and the run
  goes on. One that raises is retried ``retries`` times. On a real cluster, ``shard_dir`` must
  be a folder the workers and the client share.

Documents that cannot be analysed become rows of the store's ``errors`` table; what the reader
or the analysis notes about a document that is stored anyway (:class:`~analysis.sources.files.Notice`:
an unreadable date, a file that is not UTF-8, an id used twice) is counted in the report.
Articles that another process stored while the run was analysing them (two ``corpus add``
runs into one file) are counted as such, and the run stops analysing what the other stores.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from analysis.core.article import DEFAULT_MAX_CHARS
from analysis.core.pipeline import AnalysisOptions
from analysis.errors import ArticleError
from analysis.runners.pool import WorkerPool
from analysis.runners.progress import Progress  # noqa: F401  (re-exported)
from analysis.sources.files import Item, Notice
from analysis.storage.corpus.records import (
    ANALYSIS_VERSION,
    ArticleMeta,
    article_rows,
    corpus_options,
    document_key,
    tables_from_rows,
)
from analysis.storage.corpus.schema import TABLES
from analysis.storage.corpus.store import CorpusStore, ErrorRow, storage_error, write_tables

DEFAULT_PARTITION_SIZE = 16
#: Partitions a local worker process analyses before it is replaced by a fresh one: a spaCy
#: pipeline's memory grows with every new word it meets, so a long run would otherwise grow
#: without bound; a new worker costs one model load (about 2 s) per this many partitions.
WORKER_PARTITIONS = 32
DEFAULT_BATCH_SIZE = 128
#: Errors kept in :class:`IngestReport` for the summary (all of them go to the store).
REPORTED_ERRORS = 20
#: Notices of each kind kept in :class:`IngestReport` (all of them are counted).
REPORTED_NOTICES = 5
#: Times a local partition whose worker died is tried again whole.
WORKER_RETRIES = 1


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
        notices: the first :data:`REPORTED_NOTICES` notices of each kind, in input order.
        notice_counts: ``(kind, count)`` of every notice, by kind in order of first
            appearance.
        stored_by_others: articles this run analysed that another process stored first.
        stopped: why the run stopped before reading all its input, or "".
    """

    added: int
    skipped: int
    failed: int
    errors: tuple[ErrorRow, ...]
    seconds: float
    notices: tuple[Notice, ...] = ()
    notice_counts: tuple[tuple[str, int], ...] = ()
    stored_by_others: int = 0
    stopped: str = ""


class Analysed(NamedTuple):
    """One document after :func:`analyse_documents`.

    Attributes:
        task: the document.
        rows: its contract rows (:func:`~analysis.storage.corpus.records.article_rows`), or why
            it cannot be analysed.
        notices: what the analysis notes about a document it stored (its bytes were not
            UTF-8, and the encoding was guessed).
    """

    task: Task
    rows: dict | str
    notices: tuple[Notice, ...] = ()


# -- the shared analysis step -----------------------------------------------------------------


def analyse_documents(
    tasks: Sequence[Task],
    *,
    nlp,
    options: AnalysisOptions | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    version: int = ANALYSIS_VERSION,
) -> list[Analysed]:
    """Analyse a partition with :func:`analysis.core.pipeline.analyze_many`, with ``options``
    (default :func:`~analysis.storage.corpus.records.corpus_options`).

    Returns:
        an :class:`Analysed` per task, in order.
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
    out: list[Analysed] = []
    for task, (_, result) in zip(tasks, results, strict=True):
        if isinstance(result, ArticleError):
            out.append(Analysed(task, str(result)))
            continue
        notices: tuple[Notice, ...] = ()
        if result.article.encoding == "windows-1252":
            notices = (Notice(task.name, "encoding", result.article.warnings[0]),)
        rows = article_rows(result, key=task.key, meta=task.meta, version=version)
        out.append(Analysed(task, rows, notices))
    return out


def _analyse_alone(task: Task, nlp, options, max_chars, version) -> list[Analysed]:
    try:
        return analyse_documents(
            [task], nlp=nlp, options=options, max_chars=max_chars, version=version
        )
    except Exception as error:  # reported as this document's error, never a traceback
        return [
            Analysed(task, f"unexpected {type(error).__name__} while analysing: {str(error)[:200]}")
        ]


def _died(task: Task, reason: str) -> Analysed:
    return Analysed(task, reason)


def tasks_to_run(
    items: Iterable[Item], *, known: set[str], report: _Counts
) -> Iterator[Task | ErrorRow | Notice]:
    """Documents as :class:`Task`, minus those whose key is in ``known`` (read as the stream
    goes, so keys added to it meanwhile count) or seen earlier in the stream (counted as
    skipped in ``report``); error rows and notices pass through."""
    seen: set[str] = set()
    for item in items:
        if isinstance(item, (ErrorRow, Notice)):
            yield item
            continue
        key = document_key(item.raw)
        if key in known or key in seen:
            report.skipped += 1
            continue
        seen.add(key)
        yield Task(key, item.name, item.raw, item.meta)


def _partitions(
    stream: Iterable[Task | ErrorRow | Notice], size: int
) -> Iterator[tuple[list[Task], list[ErrorRow | Notice]]]:
    """Partitions of ``size`` tasks, each with the error rows and notices read before it (in
    order)."""
    tasks: list[Task] = []
    errors: list[ErrorRow | Notice] = []
    for item in stream:
        if isinstance(item, (ErrorRow, Notice)):
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
        self.added = self.skipped = self.failed = self.stored_by_others = 0
        self.errors: list[ErrorRow] = []
        self.notices: list[Notice] = []
        self.notice_counts: Counter[str] = Counter()
        self.stopped = ""
        self.start = time.monotonic()

    def fail(self, rows: Iterable[ErrorRow]) -> None:
        for row in rows:
            self.failed += 1
            if len(self.errors) < REPORTED_ERRORS:
                self.errors.append(row)

    def note(self, notices: Iterable[Notice]) -> None:
        for notice in notices:
            self.notice_counts[notice.kind] += 1
            if self.notice_counts[notice.kind] <= REPORTED_NOTICES:
                self.notices.append(notice)

    def report(self) -> IngestReport:
        return IngestReport(
            self.added,
            self.skipped,
            self.failed,
            tuple(self.errors),
            time.monotonic() - self.start,
            tuple(self.notices),
            tuple(self.notice_counts.items()),
            self.stored_by_others,
            self.stopped,
        )


# -- local engine -----------------------------------------------------------------------------


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
    analyse: Callable[..., list[Analysed]] = analyse_documents,
    retries: int = WORKER_RETRIES,
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
        analyse: what analyses a partition, with the arguments of :func:`analyse_documents`
            (a module-level function: worker processes import it by name).
        retries: times a partition whose worker process died is tried again whole before its
            documents are tried one at a time (see :mod:`analysis.runners.pool`).

    Returns:
        what the run did (:class:`IngestReport`).
    """
    counts = _Counts()
    options = options or corpus_options()
    known = store.known_keys(version)
    stream = tasks_to_run(items, known=known, report=counts)
    writer = _BatchWriter(
        store, counts, batch_size=batch_size, progress=progress, known=known, version=version
    )
    if workers <= 1:
        if nlp is None:
            from analysis.core.nlp import load_nlp

            nlp = load_nlp(preferred=model)
        for tasks, side in _partitions(stream, partition_size):
            writer.side(side)
            writer.results(
                analyse(tasks, nlp=nlp, options=options, max_chars=max_chars, version=version)
            )
    else:
        _run_pool(
            stream,
            writer,
            counts,
            workers=workers,
            model=model,
            analyse=analyse,
            options={"options": options, "max_chars": max_chars, "version": version},
            partition_size=partition_size,
            retries=retries,
        )
    writer.flush()
    if progress:
        progress.update(counts, final=True)
    return counts.report()


def _run_pool(
    stream,
    writer: _BatchWriter,
    counts: _Counts,
    *,
    workers,
    model,
    analyse,
    options,
    partition_size,
    retries,
) -> None:
    """Partitions through a :class:`~analysis.runners.pool.WorkerPool`, written in input order,
    at most ``2 * workers`` ahead of the writer."""
    pool = WorkerPool(
        workers,
        model=model,
        analyse=analyse,
        options=options,
        died=_died,
        retries=retries,
        max_partitions=WORKER_PARTITIONS,
    )
    with pool:
        pending: deque[tuple[int, list]] = deque()  # (partition, side rows read before it)
        results: dict[int, list[Analysed]] = {}

        def write_ready() -> None:
            while pending and (pending[0][0] in results or pending[0][0] < 0):
                index, side = pending.popleft()
                writer.side(side)
                if index >= 0:
                    writer.results(results.pop(index))

        def collect() -> None:
            for finished in pool.wait():
                results[finished.key] = finished.results
            write_ready()

        for index, (tasks, side) in enumerate(_partitions(stream, partition_size)):
            if tasks:
                pool.submit(index, tasks)
                pending.append((index, side))
            else:
                pending.append((-1, side))
            write_ready()
            while pool.busy > 2 * workers:
                collect()
            if pool.stopped:
                counts.stopped = pool.stopped
                break
        while pool.busy:
            collect()
        write_ready()
        counts.stopped = counts.stopped or pool.stopped


class _BatchWriter:
    """Collects finished articles and writes them ``batch_size`` at a time."""

    def __init__(
        self,
        store: CorpusStore,
        counts: _Counts,
        *,
        batch_size: int,
        progress: Progress | None,
        known: set[str],
        version: int,
    ) -> None:
        self.store = store
        self.counts = counts
        self.batch_size = batch_size
        self.progress = progress
        self.known = known
        self.version = version
        self.rows: list[dict] = []
        self.failed: list[ErrorRow] = []

    def side(self, rows: Iterable[ErrorRow | Notice]) -> None:
        """Error rows and notices read from the input."""
        for row in rows:
            if isinstance(row, Notice):
                self.counts.note([row])
            else:
                self.failed.append(row)
                self.counts.fail([row])
        self._tick()

    def results(self, analysed: Iterable[Analysed]) -> None:
        for one in analysed:
            self.counts.note(one.notices)
            if isinstance(one.rows, str):
                row = ErrorRow(one.task.name, one.rows)
                self.failed.append(row)
                self.counts.fail([row])
            else:
                self.rows.append(one.rows)
            if len(self.rows) >= self.batch_size:
                self.flush()
        self._tick()

    def flush(self) -> None:
        if self.rows:
            tables = tables_from_rows(self.rows)
            with self.store.writer() as con:
                written = write_tables(con, tables)
            self.counts.added += written
            raced = len(self.rows) - written
            self.rows = []
            if raced:
                self._stored_by_others(raced)
        if self.failed:
            self.store.add_errors(self.failed)
            self.failed = []

    def _stored_by_others(self, count: int) -> None:
        """``count`` articles of the batch were stored by another process meanwhile: count
        them, and skip from now on what the other process stored."""
        self.counts.stored_by_others += count
        self.known.update(self.store.known_keys(self.version))

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
    notices: tuple[Notice, ...] = ()


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


#: The shard's own files beside the contract tables: documents that failed, and notices.
SHARD_ERRORS = "errors.parquet"
SHARD_NOTICES = "notices.parquet"


def _write_shard(final: Path, results: list[Analysed]) -> None:
    import pandas as pd

    tmp = final.parent / f".tmp-{final.name}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir(parents=True)
    try:
        tables = tables_from_rows([one.rows for one in results if not isinstance(one.rows, str)])
        for name, frame in tables.items():
            frame.to_parquet(tmp / f"{name}.parquet", index=False)
        now = datetime.now()
        errors = pd.DataFrame(
            [(one.task.name, one.rows, now) for one in results if isinstance(one.rows, str)],
            columns=["document", "reason", "at"],
        ).astype({"document": "str", "reason": "str", "at": "datetime64[us]"})
        errors.to_parquet(tmp / SHARD_ERRORS, index=False)
        notices = pd.DataFrame(
            [notice for one in results for notice in one.notices], columns=list(Notice._fields)
        ).astype("str")
        notices.to_parquet(tmp / SHARD_NOTICES, index=False)
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
    errors = pq.read_table(final / SHARD_ERRORS, columns=["document", "reason"]).to_pylist()
    rows = tuple(ErrorRow(e["document"], e["reason"]) for e in errors)
    notices = ()
    if (final / SHARD_NOTICES).exists():
        notices = tuple(Notice(**n) for n in pq.read_table(final / SHARD_NOTICES).to_pylist())
    return ShardResult(index, str(final), articles, rows, notices)


def load_shard(store: CorpusStore, path: Path | str) -> int:
    """Write the articles of a shard (its contract tables) into ``store`` in one transaction,
    with the rules of :meth:`~analysis.storage.corpus.store.CorpusStore.add`.

    Returns:
        the number of articles written (fewer than the shard holds when another process
        stored some of them first).
    """
    import pyarrow.parquet as pq

    folder = Path(path)
    tables = {name: pq.read_table(folder / f"{name}.parquet").to_pandas() for name in TABLES}
    with store.writer() as con:
        return write_tables(con, tables)


def default_shard_dir(store: CorpusStore) -> Path:
    """``<corpus file>.shards`` next to the store's file."""
    return store.path.with_name(store.path.name + ".shards")


def _killed_worker() -> type[BaseException]:
    from distributed.scheduler import KilledWorker

    return KilledWorker


def _killed_reason() -> str:
    """The error row's reason for a document of a partition whose Dask workers kept dying."""
    import dask

    deaths = int(dask.config.get("distributed.scheduler.allowed-failures", 3)) + 1
    return (
        f"worker died: every Dask worker given this document's partition died ({deaths} "
        "times: KilledWorker, often out of memory); it was not stored (run the same command "
        "again to retry it)"
    )


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

    Raises:
        CorpusStorageError: the shard folder's disk is full or cannot be written.
    """
    from distributed import wait

    counts = _Counts()
    shards = Path(shard_dir) if shard_dir is not None else default_shard_dir(store)
    try:
        shards.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        problem = storage_error(error, shards)
        raise (problem or error) from error
    client.register_plugin(__getattr__("NlpPlugin")(model), name=PLUGIN_NAME)
    options = options or corpus_options()
    workers = max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})))
    known = store.known_keys(version)
    stream = tasks_to_run(items, known=known, report=counts)
    killed = _killed_worker()
    # (error rows and notices read before the partition, future, its tasks), in input order
    pending: deque = deque()

    def load(side: list, future, tasks: list[Task]) -> None:
        failed = [row for row in side if isinstance(row, ErrorRow)]
        counts.note(row for row in side if isinstance(row, Notice))
        if future is not None:
            try:
                shard: ShardResult | None = future.result()
            except killed:
                shard = None
                failed += [ErrorRow(task.name, _killed_reason()) for task in tasks]
            except OSError as error:
                problem = storage_error(error, shards)
                raise (problem or error) from error
            if shard is not None:
                written = load_shard(store, shard.path)
                counts.added += written
                if shard.articles > written:
                    counts.stored_by_others += shard.articles - written
                    known.update(store.known_keys(version))
                failed += shard.errors
                counts.note(shard.notices)
                shutil.rmtree(shard.path, ignore_errors=True)
        if failed:
            store.add_errors(failed)
            counts.fail(failed)
        if progress:
            progress.update(counts)

    for index, (tasks, side) in enumerate(_partitions(stream, partition_size)):
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
        pending.append((side, future, tasks))
        while len([f for _, f, _ in pending if f is not None and not f.done()]) >= 2 * workers:
            wait([f for _, f, _ in pending if f is not None], return_when="FIRST_COMPLETED")
            while pending and (pending[0][1] is None or pending[0][1].done()):
                load(*pending.popleft())
    while pending:
        load(*pending.popleft())
    if progress:
        progress.update(counts, final=True)
    return counts.report()
