"""Stand-ins for the analysis step that misbehave, for the fault tests of the runners. Worker
processes import this module by name (``run_local(analyse=...)`` pickles the function by
reference), so it stays light: the analysis itself is imported when called."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

#: The folder where :func:`hold_once` leaves its process id (set by the test, inherited by the
#: worker processes it starts).
HOOK_DIR = "NEWSLENS_TEST_HOOK_DIR"


def _analyse(tasks, **options):
    from analysis.runners.corpus import analyse_documents

    return analyse_documents(tasks, **options)


def hold_once(tasks, **options):
    """The first worker given the document named "hold" writes its process id to
    ``$NEWSLENS_TEST_HOOK_DIR/pid`` and waits to be killed; later attempts analyse it."""
    if any(task.name == "hold" for task in tasks):
        folder = Path(os.environ[HOOK_DIR])
        try:
            os.close(os.open(folder / "held", os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return _analyse(tasks, **options)
        (folder / "pid.tmp").write_text(str(os.getpid()))
        (folder / "pid.tmp").rename(folder / "pid")
        time.sleep(600)
    return _analyse(tasks, **options)


def die_on_killer(tasks, **options):
    """Kill the worker (as the out-of-memory killer would) whenever it holds a document whose
    name starts with "killer"."""
    if any(task.name.startswith("killer") for task in tasks):
        os.kill(os.getpid(), signal.SIGKILL)
    return _analyse(tasks, **options)


def always_die(tasks, **options):
    """Kill the worker whatever it holds."""
    os.kill(os.getpid(), signal.SIGKILL)


def raise_outside_documents(tasks, **options):
    """Fail as a worker whose pipeline cannot be loaded does."""
    raise RuntimeError("no language pipeline in this worker")


def crash_every_partition_plugin():
    """A Dask worker plugin whose workers die on every partition (and, being a plugin, on the
    workers that replace them too)."""
    from distributed import WorkerPlugin

    class CrashEveryPartition(WorkerPlugin):
        name = "newslens-test-crash"

        def setup(self, worker):
            from analysis.runners import corpus as runners

            def analyse(tasks, **options):
                os._exit(1)

            runners.analyse_documents = analyse

    return CrashEveryPartition()
