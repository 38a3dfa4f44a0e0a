import io
import os
from pathlib import Path

import pandas as pd
import pytest

from analysis.runners.corpus import (
    IngestReport,
    Progress,
    Task,
    analyse_partition,
    run_dask,
    run_local,
    shard_name,
)
from analysis.sources.files import Document
from analysis.storage.corpus import TABLES, CorpusStore
from analysis.storage.corpus.records import ArticleMeta, document_key
from analysis.storage.corpus.store import ErrorRow

PEOPLE = ["Ann Lee", "Omar Haddad", "Maria Santos", "John Carter", "Priya Nair"]
PLACES = ["Springfield", "Riverton", "Lakeside", "Hillview", "Northport"]
SENTENCES = [
    "{person} visited {place} on Monday to open a new school.",
    '"We will rebuild the harbour before winter," {person} said in {place}.',
    "Residents of {place} complained about rising rents and slow buses.",
    "The council of {place} approved a budget of {n} million dollars after a long debate.",
    "Heavy rain flooded several streets in {place}, and volunteers handed out sandbags.",
    "{person} criticised the plan, calling it expensive and unfair to small shops.",
]


def documents(count: int) -> list[Document]:
    """``count`` short articles built from the sentences above, one a day from 2024-01-01."""
    docs = []
    for i in range(count):
        person, place = PEOPLE[i % 5], PLACES[(i // 5) % 5]
        body = [
            SENTENCES[(i + k) % len(SENTENCES)].format(person=person, place=place, n=i + 3)
            for k in range(3)
        ]
        raw = f"{place} council meets {person}\n\n" + "\n\n".join(body)
        meta = ArticleMeta(
            published=f"2024-{1 + i // 28:02d}-{1 + i % 28:02d}",
            url=f"https://www.town-news.example/{i}",
        )
        docs.append(Document(f"doc-{i}", raw, meta))
    return docs


def store_tables(store: CorpusStore) -> dict[str, pd.DataFrame]:
    tables = {name: store.table(name) for name in TABLES}
    errors = store.errors()[["document", "reason"]]
    tables["errors"] = errors.sort_values(["document", "reason"], ignore_index=True)
    return tables


@pytest.fixture
def store(tmp_path):
    return CorpusStore(tmp_path / "corpus.duckdb")


@pytest.fixture(scope="module")
def local50(nlp, tmp_path_factory):
    """The 50-document corpus plus a bad document and a reader's error, analysed in this
    process."""
    store = CorpusStore(tmp_path_factory.mktemp("local") / "corpus.duckdb")
    report = run_local(items50(), store=store, nlp=nlp)
    return report, store_tables(store)


def items50():
    docs = documents(50)
    return [
        *docs[:10],
        Document("binary.txt", b"\x00\x01\x02\x03" * 20),
        ErrorRow("feed.jsonl:3", "not valid JSON"),
        *docs[10:],
    ]


def test_run_local_report(local50):
    report = local50[0]
    assert report[:3] == (50, 0, 2)


def test_run_local_errors_in_store(local50):
    errors = local50[1]["errors"]
    assert list(zip(errors["document"], errors["reason"].str[:40], strict=True)) == [
        ("binary.txt", "This file contains binary data, not text"),
        ("feed.jsonl:3", "not valid JSON"),
    ]


def test_run_local_article_rows(local50):
    articles = local50[1]["articles"].set_index("doc_key")
    row = articles.loc[document_key(documents(1)[0].raw)]
    assert (row["title"], row["source"], str(row["date"].date()), row["paragraphs"]) == (
        "Springfield council meets Ann Lee",
        "town-news.example",
        "2024-01-01",
        3,
    )


def test_run_local_rerun_skips_stored(nlp, store):
    run_local(documents(3), store=store, nlp=nlp)
    report = run_local(documents(4), store=store, nlp=nlp)
    assert report[:3] == (1, 3, 0)


def test_run_local_repeat_in_stream_skipped(nlp, store):
    docs = documents(2)
    report = run_local([docs[0], docs[1], docs[0]], store=store, nlp=nlp)
    assert report[:3] == (2, 1, 0)


def test_run_local_newer_version_replaces(nlp, store):
    run_local(documents(2), store=store, nlp=nlp, version=7)
    report = run_local(documents(2), store=store, nlp=nlp, version=8)
    assert (report[:3], sorted(store.table("articles")["version"])) == ((2, 0, 0), [8, 8])


def test_run_local_small_batches_same_tables(nlp, store, local50):
    run_local(items50(), store=store, nlp=nlp, batch_size=7, partition_size=3)
    ours = store_tables(store)
    assert all(ours[name].equals(local50[1][name]) for name in ours)


def test_run_local_two_workers_same_tables(store, local50):
    report = run_local(items50(), store=store, workers=2)
    ours = store_tables(store)
    assert (report[:3], [name for name in ours if not ours[name].equals(local50[1][name])]) == (
        (50, 0, 2),
        [],
    )


# -- Dask --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    )
    with cluster, Client(cluster) as connected:
        yield connected


def test_run_dask_same_tables_as_local(client, store, local50, tmp_path):
    report = run_dask(
        items50(), store=store, client=client, shard_dir=tmp_path / "shards", partition_size=4
    )
    ours = store_tables(store)
    assert (report[:3], [name for name in ours if not ours[name].equals(local50[1][name])]) == (
        (50, 0, 2),
        [],
    )


def test_run_dask_removes_loaded_shards(client, store, tmp_path):
    run_dask(
        documents(6), store=store, client=client, shard_dir=tmp_path / "shards", partition_size=2
    )
    assert os.listdir(tmp_path / "shards") == []


def test_run_dask_rerun_skips_stored(client, store, tmp_path):
    run_dask(documents(4), store=store, client=client, shard_dir=tmp_path / "s", partition_size=2)
    report = run_dask(documents(5), store=store, client=client, shard_dir=tmp_path / "s")
    assert report[:3] == (1, 4, 0)


def crash_first_partition(marker: str) -> None:
    """Installed in each worker: the first partition analysed anywhere kills its worker
    process (the marker file says it happened), as a machine failure would."""
    from analysis.runners import corpus as runners

    original = runners.analyse_documents

    def analyse(tasks, **options):
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return original(tasks, **options)
        os._exit(1)

    runners.analyse_documents = analyse


def test_run_dask_worker_killed_partition_rerun_once(client, store, local50, tmp_path):
    marker = tmp_path / "crashed"
    client.run(crash_first_partition, str(marker))
    report = run_dask(
        items50(), store=store, client=client, shard_dir=tmp_path / "shards", partition_size=4
    )
    ours = store_tables(store)
    assert (
        marker.exists(),
        report[:3],
        [name for name in ours if not ours[name].equals(local50[1][name])],
    ) == (
        True,
        (50, 0, 2),
        [],
    )


def test_analyse_partition_finished_shard_not_redone(tmp_path, nlp):
    from analysis.runners.corpus import _write_shard, analyse_documents

    docs = documents(2)
    tasks = [Task(document_key(d.raw), d.name, d.raw, d.meta) for d in docs]
    final = tmp_path / shard_name(0, tasks, 1)
    _write_shard(final, analyse_documents(tasks, nlp=nlp))
    # Outside a Dask worker there is no pipeline: finding the shard is the only way through.
    result = analyse_partition(0, tasks, shard_dir=str(tmp_path), version=1)
    assert (result.articles, result.errors, result.path) == (2, (), str(final))


def test_write_shard_failure_leaves_nothing(tmp_path, nlp, monkeypatch):
    from analysis.runners.corpus import _write_shard, analyse_documents

    docs = documents(1)
    tasks = [Task(document_key(d.raw), d.name, d.raw, d.meta) for d in docs]
    results = analyse_documents(tasks, nlp=nlp)
    calls = []

    def failing(self, path, **kwargs):
        calls.append(path)
        if len(calls) == 3:
            raise OSError("disk full")
        Path(path).write_bytes(b"partial")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", failing)
    with pytest.raises(OSError):
        _write_shard(tmp_path / "part-000000-x", results)
    assert os.listdir(tmp_path) == []


def test_shard_name_depends_on_keys_and_version():
    tasks = [Task("k1", "a", "A.", ArticleMeta()), Task("k2", "b", "B.", ArticleMeta())]
    names = {shard_name(3, tasks, 1), shard_name(3, tasks[:1], 1), shard_name(3, tasks, 2)}
    assert (len(names), shard_name(3, tasks, 1)[:12]) == (3, "part-000003-")


def test_progress_bar_line():
    stream = io.StringIO()
    Progress(10, stream=stream).update(IngestReport(3, 1, 1, (), 0.0))
    assert stream.getvalue().startswith("[###############...............] 5/10  ")


def test_progress_final_line_has_counts():
    stream = io.StringIO()
    Progress(None, stream=stream).update(IngestReport(3, 1, 1, (), 0.0), final=True)
    assert (
        "5 documents" in stream.getvalue() and "3 added, 1 skipped, 1 failed" in stream.getvalue()
    )
