"""Worker processes for the local engine that survive their workers' deaths.

A ``multiprocessing.Pool`` loses the task of a worker that is killed (``kill -9``, the
out-of-memory killer) and waits for its result forever. :class:`WorkerPool` gives each worker
one partition at a time through its own pipe and watches every worker's process, so it knows
which partition a dead worker held:

- the partition is given to a fresh worker again, up to ``retries`` times;
- if it keeps killing its worker, its documents are tried one at a time, once each, so that
  only the document that kills its worker is lost;
- a document that still kills its worker becomes a "worker died" result (an error row), and
  the run goes on;
- when workers keep dying without finishing anything (:data:`MAX_DEATHS_IN_A_ROW` in a row: no
  memory, a broken installation), the pool gives up: every partition it holds becomes "worker
  died" results and :attr:`WorkerPool.stopped` says why, so the run ends instead of retrying
  forever.

Workers load the language pipeline once (``spawn``: a fresh interpreter each, as the parent may
hold DuckDB and threads), analyse with ``analyse(tasks, nlp=..., **options)`` and are replaced
by fresh ones after ``max_partitions`` partitions, as a spaCy pipeline's memory grows with the
words it meets.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Hashable, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any, NamedTuple

#: Deaths of workers in a row, with no partition finished between them, after which the pool
#: stops: something kills every worker, and retrying would only repeat it.
MAX_DEATHS_IN_A_ROW = 12
#: Seconds to wait for workers to leave after being asked, before they are terminated.
STOP_GRACE = 5.0


class Finished(NamedTuple):
    """A partition the pool is done with.

    Attributes:
        key: the key it was submitted with.
        results: what ``analyse`` returned for it, in task order; for documents whose worker
            kept dying, ``died(task, reason)`` stands in for their result.
    """

    key: Hashable
    results: list


class _Job(NamedTuple):
    key: Hashable  # the key the partition was submitted with
    tasks: list
    deaths: int  # workers that died holding these documents so far
    part: int | None = None  # for one document of a split partition: its index there


class _Worker:
    def __init__(self, process, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.job: _Job | None = None
        self.done = 0


def _worker_main(conn: Connection, model: str | None, analyse: Callable, options: dict) -> None:
    """A worker process: load the pipeline, then analyse what the pipe brings until told to stop
    (None) or the parent goes away."""
    # The parent handles Ctrl-C and stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    nlp = None
    failure: BaseException | None = None
    try:
        from analysis.core.nlp import load_nlp
        from analysis.core.sentiment import load_sentiment

        nlp = load_nlp(preferred=model)
        load_sentiment()
    except Exception as error:  # raised with the first partition, in the parent
        failure = error
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        key, tasks = message
        try:
            if failure is not None:
                raise failure
            result = ("ok", analyse(tasks, nlp=nlp, **options))
        except Exception as error:
            result = ("raised", error)
        try:
            conn.send((key, *result))
        except Exception as error:  # an exception that cannot be pickled
            conn.send((key, "raised", RuntimeError(f"{type(error).__name__}: {error}")))


def _how(exitcode: int | None) -> str:
    """How a worker process ended, in words."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        if -exitcode == signal.SIGKILL:
            return f"was killed ({name}, often the out-of-memory killer)"
        return f"was killed ({name})"
    return f"stopped (exit status {exitcode})"


def death_reason(exitcode: int | None, deaths: int) -> str:
    """The error row's reason for a document whose worker died ``deaths`` times."""
    times = "once" if deaths == 1 else f"{deaths} times"
    return (
        f"worker died: the process analysing this document {_how(exitcode)}, {times}; it was "
        "not stored (run the same command again to retry it)"
    )


class WorkerPool:
    """``workers`` processes analysing partitions (see the module docstring).

    Args:
        workers: processes.
        model: the spaCy model the workers prefer.
        analyse: ``analyse(tasks, nlp=..., **options) -> list`` (one result per task), a
            module-level function (it is pickled by reference).
        options: keyword arguments for ``analyse`` (picklable).
        died: ``died(task, reason)`` -> the result standing for a document whose worker kept
            dying.
        retries: times a partition whose worker died is given to another worker whole.
        max_partitions: partitions a worker analyses before it is replaced.
    """

    def __init__(
        self,
        workers: int,
        *,
        model: str | None,
        analyse: Callable,
        options: dict[str, Any],
        died: Callable[[Any, str], Any],
        retries: int = 1,
        max_partitions: int = 32,
    ) -> None:
        self.size = max(1, workers)
        self.model = model
        self.analyse = analyse
        self.options = options
        self.died = died
        self.retries = retries
        self.max_partitions = max_partitions
        self.context = multiprocessing.get_context("spawn")
        self.workers: list[_Worker] = []
        self.queue: deque[_Job] = deque()
        self.splits: dict[Hashable, list] = {}
        self.finished: list[Finished] = []
        self.deaths_in_a_row = 0
        self.deaths = 0
        self.stopped = ""  # why the pool gave up, or ""

    # -- the parent's side ------------------------------------------------------------------

    def submit(self, key: Hashable, tasks: Sequence) -> None:
        """Queue a partition; it is :class:`Finished` later under ``key``."""
        job = _Job(key, list(tasks), 0)
        if self.stopped:
            self._give_up(job, self._not_analysed())
            return
        self.queue.append(job)
        self._dispatch()

    @property
    def busy(self) -> int:
        """Partitions submitted and not yet returned by :meth:`wait`."""
        jobs = len(self.queue) + sum(1 for w in self.workers if w.job is not None)
        return jobs + len(self.finished)

    def wait(self) -> list[Finished]:
        """Block until at least one partition is finished (with nothing in the pool, return at
        once); replaces workers that died or retired meanwhile.

        Returns:
            the partitions finished since the last call.

        Raises:
            Exception: what a worker raised outside the analysis of a document (a pipeline
                that cannot be loaded).
        """
        while not self.finished and (self.queue or any(w.job for w in self.workers)):
            self._dispatch()
            busy = [w for w in self.workers if w.job is not None]
            waitables: list = [w.conn for w in busy] + [w.process.sentinel for w in self.workers]
            ready = set(wait(waitables))
            for worker in list(self.workers):
                if worker.job is not None and worker.conn in ready:
                    self._receive(worker)
            for worker in list(self.workers):
                if worker.process.sentinel in ready or not worker.process.is_alive():
                    self._reap(worker)
        done, self.finished = self.finished, []
        return done

    def close(self) -> None:
        """Stop every worker (asked first, terminated after :data:`STOP_GRACE` seconds)."""
        for worker in self.workers:
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(None)
        for worker in self.workers:
            worker.process.join(STOP_GRACE)
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join(STOP_GRACE)
            worker.conn.close()
        self.workers = []

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- inside -------------------------------------------------------------------------------

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(
            target=_worker_main,
            args=(child, self.model, self.analyse, self.options),
            daemon=True,
            name="newslens-worker",
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self.workers.append(worker)
        return worker

    def _dispatch(self) -> None:
        while self.queue:
            idle = next((w for w in self.workers if w.job is None), None)
            if idle is None:
                if len(self.workers) >= self.size:
                    return
                idle = self._start()
            job = self.queue.popleft()
            idle.job = job
            # A worker gone already fails the send: its death is seen by wait().
            with contextlib.suppress(OSError, ValueError):
                idle.conn.send((job.key, job.tasks))

    def _receive(self, worker: _Worker) -> None:
        try:
            key, status, value = worker.conn.recv()
        except (EOFError, OSError):
            return  # died while answering: reaped as a death
        job, worker.job = worker.job, None
        if status == "raised":
            raise value
        self.deaths_in_a_row = 0
        worker.done += 1
        self._complete(job, value)
        if worker.done >= self.max_partitions:
            # Retire: a fresh worker starts when there is work for it.
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(None)
            worker.process.join(STOP_GRACE)
            if worker.process.is_alive():
                worker.process.terminate()
            self._forget(worker)

    def _reap(self, worker: _Worker) -> None:
        worker.process.join(0.1)
        if worker.process.is_alive():
            return
        job = worker.job
        self._forget(worker)
        if job is None:
            return  # idle or retiring: nothing lost
        self.deaths += 1
        self.deaths_in_a_row += 1
        exitcode = worker.process.exitcode
        job = job._replace(deaths=job.deaths + 1)
        if self.deaths_in_a_row >= MAX_DEATHS_IN_A_ROW:
            self._stop(job, exitcode)
        elif job.part is None and job.deaths <= self.retries:
            self.queue.appendleft(job)
        elif job.part is None and len(job.tasks) > 1:
            # Alone, each document gets one more try: only the one that kills is lost.
            self.splits[job.key] = [None] * len(job.tasks)
            self.queue.extendleft(
                reversed([job._replace(tasks=[t], part=i) for i, t in enumerate(job.tasks)])
            )
        else:
            self._give_up(job, death_reason(exitcode, job.deaths))

    def _stop(self, job: _Job, exitcode: int | None) -> None:
        """Give up: workers keep dying whatever they are given."""
        self.stopped = (
            f"worker processes died {self.deaths_in_a_row} times in a row without finishing "
            f"anything (the last one {_how(exitcode)})"
        )
        self._give_up(job, death_reason(exitcode, job.deaths))
        others = [w.job for w in self.workers if w.job is not None]
        for worker in self.workers:
            worker.job = None
            worker.process.terminate()
        for other in [*others, *self.queue]:
            self._give_up(other, self._not_analysed())
        self.queue.clear()

    def _not_analysed(self) -> str:
        return (
            f"worker died: the run stopped before this document was analysed ({self.stopped}); "
            "it was not stored (run the same command again to retry it)"
        )

    def _give_up(self, job: _Job, reason: str) -> None:
        self._complete(job, [self.died(task, reason) for task in job.tasks])

    def _complete(self, job: _Job, results: list) -> None:
        if job.part is None:
            self.finished.append(Finished(job.key, results))
            return
        slots = self.splits[job.key]
        slots[job.part] = results[0]
        if all(slot is not None for slot in slots):
            del self.splits[job.key]
            self.finished.append(Finished(job.key, slots))

    def _forget(self, worker: _Worker) -> None:
        if worker in self.workers:
            self.workers.remove(worker)
        with contextlib.suppress(OSError):
            worker.conn.close()
