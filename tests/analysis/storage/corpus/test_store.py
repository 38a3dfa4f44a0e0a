import os
import signal
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analysis.storage.corpus import (
    SCHEMA_VERSION,
    CorpusBusyError,
    CorpusInputError,
    CorpusStore,
    ErrorRow,
    empty_tables,
    migrate,
    schema_version,
)
from analysis.storage.corpus.store import CorpusReader
from tests.analysis.storage.corpus import article_tables, copies, corpus, key

ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture
def store(tmp_path):
    return CorpusStore(tmp_path / "corpus.duckdb", timeout=5)


@pytest.fixture
def filled(store):
    store.add(corpus())
    return store


def count(store, sql):
    with store.reader() as con:
        return con.execute(sql).fetchone()[0]


def test_empty_tables_columns_and_dtypes():
    tables = empty_tables()
    assert list(tables["terms"].columns) == [
        "doc_key",
        "paragraph",
        "term",
        "lemma",
        "is_stop",
        "count",
    ]
    assert [str(t) for t in tables["terms"].dtypes] == [
        "str",
        "int64",
        "str",
        "str",
        "bool",
        "int64",
    ]
    assert len(tables) == 8 and all(len(frame) == 0 for frame in tables.values())


def test_add_returns_articles_written(store):
    assert store.add(corpus()) == 8


def test_add_stores_every_table(filled):
    sizes = {
        name: len(filled.table(name))
        for name in (
            "articles",
            "paragraphs",
            "sentences",
            "mentions",
            "entities",
            "quotes",
            "entity_sentences",
        )
    }
    assert sizes == {
        "articles": 8,
        "paragraphs": 24,
        "sentences": 24,
        "mentions": 27,
        "entities": 23,
        "quotes": 5,
        "entity_sentences": 24,
    }


def test_add_same_version_is_noop(filled):
    assert filled.add(corpus()) == 0
    assert count(filled, "SELECT count(*) FROM paragraphs") == 24


def test_add_newer_version_replaces_rows(filled):
    assert filled.add([article_tables("a1", version=2, title="Talks resume")]) == 1
    row = filled.table("articles").set_index("doc_key").loc[key("a1")]
    assert (row["version"], row["title"]) == (2, "Talks resume")
    assert count(filled, "SELECT count(*) FROM paragraphs") == 24


def test_add_other_version_replaces_rows(store):
    # The analysis version holds a digest of the rule data: a change gives another number, not
    # necessarily a higher one, and the article is analysed again.
    store.add([article_tables("a1", version=3)])
    assert store.add([article_tables("a1", version=2, title="Rules changed")]) == 1
    assert store.table("articles")["title"].tolist() == ["Rules changed"]
    assert store.known_keys(2) == {key("a1")} and store.known_keys(3) == set()


def test_add_duplicate_key_in_batch_keeps_first(store):
    assert store.add([article_tables("a2"), article_tables("a2", title="Second")]) == 1
    assert store.table("articles")["title"].tolist() == ["Aid trucks wait at the border"]
    assert count(store, "SELECT count(*) FROM paragraphs") == 3


def test_add_replacing_updates_term_totals(filled):
    before = count(filled, "SELECT count FROM term_totals WHERE term = 'cairo'")
    filled.add([article_tables("a1", version=2, title="Talks resume")])
    assert (before, count(filled, "SELECT count FROM term_totals WHERE term = 'cairo'")) == (5, 4)


def test_write_tables_repeated_article_stored_once(store):
    from analysis.storage.corpus.store import write_tables

    one = article_tables("a6")
    twice = {name: pd.concat([frame, frame], ignore_index=True) for name, frame in one.items()}
    with store.writer() as con:
        assert write_tables(con, twice) == 1
    assert (
        count(store, "SELECT count(*) FROM paragraphs"),
        count(store, "SELECT count(*) FROM entities"),
    ) == (3, 4)


def test_import_parquet_empty_shard(store, tmp_path):
    for name, frame in empty_tables().items():
        frame.to_parquet(tmp_path / f"{name}.parquet", index=False)
    assert store.import_parquet(tmp_path) == 0


def test_add_stray_child_rows_rejected_whole_batch(store):
    broken = article_tables("a1")
    broken["mentions"] = broken["mentions"].assign(doc_key=key("elsewhere"))
    with pytest.raises(CorpusInputError, match="mentions"):
        store.add([article_tables("a2"), broken])
    assert count(store, "SELECT count(*) FROM articles") == 0


def test_add_missing_column_rejected(store):
    broken = article_tables("a1")
    broken["terms"] = broken["terms"].drop(columns=["lemma"])
    with pytest.raises(CorpusInputError, match="lemma"):
        store.add([broken])


def test_add_missing_table_means_no_rows(store):
    article = article_tables("a8")
    del article["quotes"]
    assert store.add([article]) == 1


def test_known_keys_by_version(store):
    store.add([article_tables("a1", version=1), article_tables("a2", version=2)])
    assert store.known_keys(2) == {key("a2")}
    assert store.known_keys() == {key("a1"), key("a2")}


def test_has_by_version(store):
    store.add([article_tables("a1", version=2)])
    assert (store.has(key("a1"), 2), store.has(key("a1"), 3), store.has(key("a2"))) == (
        True,
        False,
        False,
    )


def test_table_round_trips_literal_values(filled):
    entities = filled.table("entities")
    row = entities[(entities["doc_key"] == key("a6")) & (entities["entity"] == "Gaza")].iloc[0]
    assert (row["label"], row["count"], list(row["paragraphs"])) == ("GPE", 2, [1, 2])


def test_errors_round_trip(store):
    at = datetime(2024, 5, 1, 12, 0)
    store.add_errors(
        [
            ErrorRow("bad.html", "empty text", at),
            {"document": "b.txt", "reason": "binary", "at": at},
        ]
    )
    assert store.errors().values.tolist() == [
        ["b.txt", "binary", pd.Timestamp(at)],
        ["bad.html", "empty text", pd.Timestamp(at)],
    ]


def test_schema_version_current(store):
    assert store.schema_version() == SCHEMA_VERSION == 8


def test_migrate_upgrades_v1_file(tmp_path):
    path = tmp_path / "old.duckdb"
    CorpusStore(path).add(corpus())
    # What a version-1 file is: the same article tables, no term_totals, no postings.
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE term_totals")
    con.execute("DROP TABLE postings")
    con.execute("DROP TABLE term_months")
    for table in ("term_sources", "entity_sources", "pair_sources", "speaker_sources"):
        con.execute(f"DROP TABLE {table}")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()
    store = CorpusStore(path)
    assert store.schema_version() == 8
    assert count(store, "SELECT count FROM term_totals WHERE term = 'cairo'") == 5
    assert count(store, "SELECT sum(count) FROM postings WHERE term = 'cairo'") == 5
    assert count(store, "SELECT sum(count) FROM term_months WHERE term = 'cairo'") == 5


def test_migrate_upgrades_v4_file_with_term_sources(tmp_path):
    path = tmp_path / "old.duckdb"
    CorpusStore(path).add(corpus())
    con = duckdb.connect(str(path))
    for table in ("term_sources", "entity_sources", "pair_sources", "speaker_sources"):
        con.execute(f"DROP TABLE {table}")
    con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    con.close()
    store = CorpusStore(path)
    assert (
        count(
            store, "SELECT count FROM term_sources WHERE source = 'alpha.news' AND term = 'cairo'"
        )
        == 4
    )


def test_migrate_upgrades_v5_file_with_outlet_totals(tmp_path):
    path = tmp_path / "old.duckdb"
    CorpusStore(path).add(corpus())
    con = duckdb.connect(str(path))
    for table in ("entity_sources", "pair_sources", "speaker_sources"):
        con.execute(f"DROP TABLE {table}")
    con.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    con.close()
    store = CorpusStore(path)
    assert (
        count(store, "SELECT sum(count) FROM entity_sources WHERE entity = 'Egypt'"),
        count(
            store,
            "SELECT sum(paragraphs) FROM pair_sources WHERE entity_a = 'Cairo' AND entity_b = 'Egypt'",
        ),
        count(store, "SELECT sum(words) FROM speaker_sources WHERE speaker = 'Ann Lee'"),
    ) == (4, 2, 9)


def test_term_sources_no_outlet_as_empty_string(filled):
    assert count(filled, "SELECT count FROM term_sources WHERE source = '' AND term = 'rates'") == 2


def test_add_replacing_updates_term_sources(filled):
    filled.add([article_tables("a1", version=2, title="Talks resume")])
    assert (
        count(
            filled,
            "SELECT count FROM term_sources WHERE source = 'alpha.news' AND term = 'ceasefire'",
        )
        == 1
    )


def test_add_replacing_drops_term_sources_gone(filled):
    filled.add([article_tables("a1", version=2, title="Talks continue")])
    assert count(filled, "SELECT count(*) FROM term_sources WHERE term = 'resume'") == 0


def test_migrate_v1_file_has_no_term_totals(tmp_path):
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    migrate(con, target=1)
    tables = {
        row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    assert (schema_version(con), "term_totals" in tables, "articles" in tables) == (1, False, True)


def test_compact_sorts_postings_by_term(store):
    store.add(corpus()[4:])
    store.add(corpus()[:4])
    assert store.compact() == 179
    with store.reader() as con:
        terms = [row[0] for row in con.execute("SELECT term FROM postings").fetchall()]
    assert (terms[0], terms[-1], terms == sorted(terms)) == ("a", "would", True)


def test_add_replacing_removes_old_postings(filled):
    filled.add([article_tables("a1", version=2, title="Talks resume")])
    assert count(filled, "SELECT sum(count) FROM postings WHERE term = 'ceasefire'") == 1


def test_add_replacing_updates_term_months(filled):
    filled.add([article_tables("a1", version=2, title="Talks resume")])
    assert count(filled, "SELECT sum(count) FROM term_months WHERE term = 'ceasefire'") == 1


def test_compact_folds_term_months(filled):
    filled.add([article_tables("a1", version=2, title="Talks resume")])
    filled.compact()
    assert count(filled, "SELECT count(*) FROM term_months WHERE term = 'ceasefire'") == 1


def test_export_parquet_round_trip(filled, tmp_path):
    filled.add_errors([ErrorRow("x.txt", "empty text", datetime(2024, 1, 2))])
    filled.export_parquet(tmp_path / "out")
    copy = CorpusStore(tmp_path / "copy.duckdb")
    assert copy.import_parquet(tmp_path / "out") == 8
    quotes = copy.table("quotes")
    row = quotes[quotes["doc_key"] == key("a7")].iloc[0]
    assert (row["quote"], row["speaker"], pd.isna(row["entity"]), row["words"]) == (
        "We will try again,",
        "a spokesman",
        True,
        4,
    )
    assert copy.errors()["reason"].tolist() == ["empty text"]


def test_export_parquet_files(filled, tmp_path):
    files = filled.export_parquet(tmp_path / "out")
    assert [f.name for f in files] == [
        "articles.parquet",
        "paragraphs.parquet",
        "sentences.parquet",
        "terms.parquet",
        "mentions.parquet",
        "entities.parquet",
        "quotes.parquet",
        "entity_sentences.parquet",
        "errors.parquet",
        "corrections.parquet",
    ]


def test_import_parquet_is_idempotent(filled, tmp_path):
    filled.export_parquet(tmp_path / "out")
    assert filled.import_parquet(tmp_path / "out") == 0
    assert count(filled, "SELECT count(*) FROM mentions") == 27


def test_import_parquet_tables_equal(filled, tmp_path):
    filled.export_parquet(tmp_path / "out")
    copy = CorpusStore(tmp_path / "copy.duckdb")
    copy.import_parquet(tmp_path / "out")
    pd.testing.assert_frame_equal(copy.table("entity_sentences"), filled.table("entity_sentences"))


def test_export_csv_literal_row(filled, tmp_path):
    filled.export_csv(tmp_path / "csv")
    lines = (tmp_path / "csv" / "articles.csv").read_text().splitlines()
    assert lines[0] == (
        "doc_id,doc_key,version,title,author,published,date,source,url,words,paragraphs,"
        "tone_vader,tone_textblob,top_entities,date_source,duplicate_of,revision,fetched_at,text"
    )
    a8 = next(line for line in lines if line.startswith(key("a8")))
    assert a8.split(",")[2:10] == [
        "1",
        "Rates hold steady",
        "",
        "2024-04-10T09:00:00",
        "2024-04-10",
        "",
        "https://example.org/a8",
        "12",
    ]


def test_reader_times_out_while_writer_holds_file(store):
    store.ensure()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(3)"
            ),
            str(store.path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    busy = CorpusStore(store.path, timeout=0.3)
    busy._ready = True
    with pytest.raises(CorpusBusyError, match="in use by another process"):
        busy.table("articles")
    holder.kill()
    holder.wait()


WRITER = """
import sys, time
from analysis.storage.corpus import CorpusStore
from tests.analysis.storage.corpus import copies
store = CorpusStore(sys.argv[1], timeout=60)
for i in range(int(sys.argv[2])):
    store.add(copies(8, start=8 * i))
    print(i, flush=True)
"""

READER = """
import sys, time
from analysis.storage.corpus import CorpusStore
store = CorpusStore(sys.argv[1], timeout=60)
seen, bad = [], 0
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    with store.reader() as con:
        a, p, m = con.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(DISTINCT doc_id) FROM paragraphs),"
            " (SELECT count(*) FROM mentions)").fetchone()
    expected_mentions = sum([5, 4, 1, 6, 2, 5, 3, 1][i % 8] for i in range(a))
    bad += (a != p) or (m != expected_mentions)
    seen.append(a)
    if a >= int(sys.argv[2]):
        break
    time.sleep(0.01)
print(len(seen), len(set(seen)), bad)
"""


def run(script, *args):
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_reader_never_sees_half_article(store):
    store.ensure()
    writer = run(WRITER, store.path, 15)
    reader = run(READER, store.path, 120)
    _, writer_err = writer.communicate(timeout=180)
    reader_out, reader_err = reader.communicate(timeout=180)
    assert (writer.returncode, reader.returncode) == (0, 0), writer_err + reader_err
    reads, distinct_counts, bad = map(int, reader_out.split())
    assert (reads > 0, bad) == (True, 0)
    assert count(store, "SELECT count(*) FROM articles") == 120


def test_killed_writer_leaves_complete_articles(store):
    store.ensure()
    writer = run(WRITER, store.path, 1000)
    committed = -1
    while committed < 5:
        committed = int(writer.stdout.readline())
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    stored = count(store, "SELECT count(*) FROM articles")
    assert 8 * (committed + 1) <= stored <= 8 * (committed + 2)
    with store.reader() as con:
        per_article = con.execute("""
            SELECT a.title, count(DISTINCT p.paragraph), count(DISTINCT m.start || '-' || m.paragraph)
            FROM articles a LEFT JOIN paragraphs p USING (doc_id) LEFT JOIN mentions m USING (doc_id)
            GROUP BY a.doc_id, a.title""").fetchall()
    template = {
        "Ceasefire talks resume in Cairo": 5,
        "Aid trucks wait at the border": 4,
        "Markets rally after rate cut": 1,
        "Egypt and Qatar push for truce": 6,
        "Floods hit northern towns": 2,
        "United Nations appeals for Gaza aid": 5,
        "Cairo talks end without deal": 3,
        "Rates hold steady": 1,
    }
    assert all(
        paragraphs == 3 and mentions == template[title]
        for title, paragraphs, mentions in per_article
    )


def test_killed_writer_file_accepts_more(store):
    store.ensure()
    writer = run(WRITER, store.path, 1000)
    while int(writer.stdout.readline()) < 2:
        pass
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    before = count(store, "SELECT count(*) FROM articles")
    assert store.add(copies(8, start=100_000)) == 8
    assert count(store, "SELECT count(*) FROM articles") == before + 8


def articles_via(reader):
    with reader.connection() as con:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]


def test_corpus_reader_keeps_one_connection(filled):
    reader = CorpusReader(filled, idle=60)
    counts = [articles_via(reader) for _ in range(3)]
    reader.close()
    assert (counts, reader.opened) == ([8, 8, 8], 1)


def test_corpus_reader_lets_go_when_idle(filled):
    reader = CorpusReader(filled, idle=0.05)
    articles_via(reader)
    assert filled.add(copies(1)) == 1


def test_corpus_reader_gives_way_to_waiting_writer(filled):
    reader = CorpusReader(filled, idle=60)
    articles_via(reader)
    assert filled.add(copies(1)) == 1


def test_corpus_reader_sees_new_articles_after_write(filled):
    reader = CorpusReader(filled, idle=60)
    articles_via(reader)
    filled.add(copies(2))
    seen = articles_via(reader)
    reader.close()
    assert (seen, reader.opened) == (10, 2)


def test_writer_removes_its_marker(filled):
    filled.add(copies(1))
    assert filled.writer_marker.exists() is False


def moved_to_beta(name):
    tables = article_tables(name, version=2)
    tables["articles"] = tables["articles"].assign(source="beta.news")
    return tables


def test_add_replacing_moves_entity_sources(filled):
    filled.add([moved_to_beta("a1")])
    assert (
        count(
            filled,
            "SELECT count FROM entity_sources WHERE source = 'beta.news' AND entity = 'Ann Lee'",
        )
        == 2
    )


def test_add_replacing_moves_pair_sources(filled):
    filled.add([moved_to_beta("a1")])
    assert (
        count(
            filled,
            "SELECT paragraphs FROM pair_sources WHERE source = 'alpha.news' "
            "AND entity_a = 'Cairo' AND entity_b = 'Egypt'",
        )
        == 1
    )


def test_add_replacing_drops_speaker_sources_gone(filled):
    filled.add([moved_to_beta("a1")])
    assert (
        count(
            filled,
            "SELECT count(*) FROM speaker_sources WHERE source = 'alpha.news' AND speaker = 'Ann Lee'",
        )
        == 0
    )


def test_import_parquet_fills_outlet_totals(filled, tmp_path):
    filled.export_parquet(tmp_path / "out")
    copy = CorpusStore(tmp_path / "copy.duckdb")
    copy.import_parquet(tmp_path / "out")
    assert count(copy, "SELECT sum(words) FROM speaker_sources WHERE speaker = 'Ann Lee'") == 9


def test_speakers_by_source_keep_blank_outlet_apart(filled):
    from analysis.storage.corpus.queries import quoted_speakers

    blank = article_tables("a5", version=2)
    blank["articles"] = blank["articles"].assign(source="")
    filled.add([blank])
    frame = quoted_speakers(filled, by_source=True)
    assert [s for s in frame["source"] if s != "alpha.news"] == ["", "beta.news", "gamma.news"]
