"""The runners when workers die, when another writer stores the same articles, and what they
report beside errors (issue 22). Worker processes are this test process's own children; they
are killed by their process ids (or kill themselves through the hooks in ``hooks.py``)."""

import multiprocessing
import os
import signal
import threading
import time

import pytest

from analysis.runners.corpus import run_dask, run_local
from analysis.sources.files import Document, Notice
from analysis.storage.corpus import CorpusStore
from tests.analysis.runners import hooks
from tests.analysis.runners.test_corpus import documents

#: A run that has not ended by then is taken as hung (far beyond what these runs need).
HANG = 600


@pytest.fixture
def store(tmp_path):
    return CorpusStore(tmp_path / "corpus.duckdb")


def run_in_thread(**kwargs):
    """run_local in a thread; returns (thread, outcome list: [report] or [exception])."""
    outcome = []

    def target():
        try:
            outcome.append(run_local(**kwargs))
        except BaseException as error:  # handed to the test
            outcome.append(error)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, outcome


def named(docs, names):
    return [doc._replace(name=name) for doc, name in zip(docs, names, strict=True)]


def stored_reasons(store):
    return sorted(store.errors()["reason"].str.split(",").str[0])


def test_worker_killed_mid_partition_run_ends_with_everything_stored(store, tmp_path, monkeypatch):
    monkeypatch.setenv(hooks.HOOK_DIR, str(tmp_path))
    docs = named(documents(6), ["d0", "d1", "hold", "d3", "d4", "d5"])
    thread, outcome = run_in_thread(
        items=docs, store=store, workers=2, partition_size=2, analyse=hooks.hold_once
    )
    pid_file = tmp_path / "pid"
    deadline = time.monotonic() + HANG
    while not pid_file.exists() and time.monotonic() < deadline and thread.is_alive():
        time.sleep(0.05)
    pid = int(pid_file.read_text())
    assert pid in [child.pid for child in multiprocessing.active_children()]
    os.kill(pid, signal.SIGKILL)
    thread.join(HANG)
    assert (thread.is_alive(), outcome[0][:3], store.article_counts().total) == (
        False,
        (6, 0, 0),
        6,
    )


def test_document_that_kills_its_worker_is_one_error_row(store):
    docs = named(documents(5), ["d0", "d1", "killer", "d3", "d4"])
    thread, outcome = run_in_thread(
        items=docs, store=store, workers=2, partition_size=3, analyse=hooks.die_on_killer
    )
    thread.join(HANG)
    errors = store.errors()
    assert (outcome[0][:3], list(errors["document"]), errors["reason"][0]) == (
        (4, 0, 1),
        ["killer"],
        "worker died: the process analysing this document was killed (SIGKILL, often the "
        "out-of-memory killer), 3 times; it was not stored (run the same command again to "
        "retry it)",
    )


def test_every_worker_killed_every_document_is_an_error_row(store):
    thread, outcome = run_in_thread(
        items=documents(2), store=store, workers=2, partition_size=2, analyse=hooks.always_die
    )
    thread.join(HANG)
    report = outcome[0]
    assert (report[:3], report.stopped, stored_reasons(store)) == (
        (0, 0, 2),
        "",
        ["worker died: the process analysing this document was killed (SIGKILL"] * 2,
    )


def test_workers_dying_in_a_row_stop_the_run(store, monkeypatch):
    from analysis.runners import pool

    monkeypatch.setattr(pool, "MAX_DEATHS_IN_A_ROW", 3)
    thread, outcome = run_in_thread(
        items=documents(40), store=store, workers=2, partition_size=1, analyse=hooks.always_die
    )
    thread.join(HANG)
    report = outcome[0]
    assert (
        report.added,
        report.failed < 40,
        report.stopped.split(" (")[0],
        set(store.errors()["reason"].str[:13]),
    ) == (
        0,
        True,
        "worker processes died 3 times in a row without finishing anything",
        {"worker died: "},
    )


def test_worker_error_outside_documents_is_raised(store):
    thread, outcome = run_in_thread(
        items=documents(2), store=store, workers=2, analyse=hooks.raise_outside_documents
    )
    thread.join(HANG)
    assert (type(outcome[0]), str(outcome[0])) == (
        RuntimeError,
        "no language pipeline in this worker",
    )


def test_workers_retired_and_replaced_between_partitions(store, monkeypatch):
    from analysis.runners import corpus as runners

    monkeypatch.setattr(runners, "WORKER_PARTITIONS", 1)
    report = run_local(documents(3), store=store, workers=1 + 1, partition_size=1)
    assert (report[:3], store.article_counts().total) == ((3, 0, 0), 3)


# -- another writer ----------------------------------------------------------------------------------


def test_articles_stored_meanwhile_by_another_writer_are_counted(nlp, store, monkeypatch):
    run_local(documents(3), store=store, nlp=nlp)
    # As if this run had read the stored keys before the other writer stored its articles.
    original = CorpusStore.known_keys
    calls = []

    def stale_first(self, version=None):
        calls.append(version)
        return set() if len(calls) == 1 else original(self, version)

    monkeypatch.setattr(CorpusStore, "known_keys", stale_first)
    report = run_local(documents(4), store=store, nlp=nlp, batch_size=4, partition_size=4)
    assert (report[:3], report.stored_by_others) == ((1, 0, 0), 3)


def test_articles_stored_by_another_writer_are_then_skipped(nlp, store, monkeypatch):
    run_local(documents(6), store=store, nlp=nlp)
    original = CorpusStore.known_keys
    calls = []

    def stale_first(self, version=None):
        calls.append(version)
        return set() if len(calls) == 1 else original(self, version)

    monkeypatch.setattr(CorpusStore, "known_keys", stale_first)
    analysed = []

    def counting(tasks, **options):
        from analysis.runners.corpus import analyse_documents

        analysed.extend(t.name for t in tasks)
        return analyse_documents(tasks, **options)

    report = run_local(
        documents(6), store=store, nlp=nlp, batch_size=1, partition_size=1, analyse=counting
    )
    # The first write finds its article stored: the rest are skipped before analysis.
    assert (analysed, report.stored_by_others, report.skipped) == (["doc-0"], 1, 5)


# -- notices -------------------------------------------------------------------------------------------


def test_document_not_utf8_is_stored_with_an_encoding_notice(nlp, store):
    raw = "Caf\xe9 owners meet the council\n\nThe caf\xe9 owners met the council on Monday.".encode(
        "cp1252"
    )
    report = run_local([Document("cafe.txt", raw)], store=store, nlp=nlp)
    assert (report[:3], report.notice_counts, report.notices[0].message[:47]) == (
        (1, 0, 0),
        (("encoding", 1),),
        "The file is not valid UTF-8 (byte 0xe9 at posit",
    )


def test_notices_from_the_reader_are_counted_and_kept(nlp, store):
    notices = [Notice(f"f{i}.jsonl:1", "date", "the date cannot be read") for i in range(7)]
    report = run_local([*notices, *documents(1)], store=store, nlp=nlp)
    assert (report.notice_counts, len(report.notices)) == ((("date", 7),), 5)


# -- Dask ----------------------------------------------------------------------------------------------


def test_run_dask_every_worker_dies_documents_become_error_rows(store, tmp_path):
    import dask
    from distributed import Client, LocalCluster

    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        cluster = LocalCluster(
            n_workers=1,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
        )
        with cluster, Client(cluster) as client:
            client.register_plugin(hooks.crash_every_partition_plugin())
            report = run_dask(
                named(documents(2), ["d0", "d1"]),
                store=store,
                client=client,
                shard_dir=tmp_path / "shards",
                partition_size=2,
            )
    errors = store.errors()
    assert (report[:3], list(errors["document"]), errors["reason"][0]) == (
        (0, 0, 2),
        ["d0", "d1"],
        "worker died: every Dask worker given this document's partition died (2 times: "
        "KilledWorker, often out of memory); it was not stored (run the same command again "
        "to retry it)",
    )
