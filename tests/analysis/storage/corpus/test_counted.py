"""Each story counted once: near-duplicates and older revisions in the store and its queries."""

import duckdb
import pandas as pd
import pytest

from analysis.storage.corpus import CorpusStore
from analysis.storage.corpus.keywords import keyness
from analysis.storage.corpus.queries import (
    article_table,
    cooccurrence,
    corpus_info,
    distinctive_terms,
    mentions_over_time,
    quoted_speakers,
    search,
    source_counts,
    top_entities,
    top_terms,
)
from analysis.storage.corpus.store import migrate, schema_version
from tests.analysis.storage.corpus import corpus, key

COLLECTION = ("date_source", "duplicate_of", "revision", "fetched_at")


def variant(name: str, new: str, **articles) -> dict[str, pd.DataFrame]:
    """Article ``name`` of the test corpus again under the key of ``new``, with some
    ``articles`` columns changed."""
    source = {frames["articles"]["doc_key"].iloc[0]: frames for frames in corpus()}[key(name)]
    out = {table: frame.assign(doc_key=key(new)) for table, frame in source.items()}
    out["articles"] = out["articles"].assign(**articles)
    return out


def copy_of_a1() -> dict[str, pd.DataFrame]:
    """Wire copy: a1's text on another site, marked a near-duplicate of a1."""
    return variant(
        "a1",
        "a1-copy",
        source="delta.news",
        url="https://delta.news/a1",
        duplicate_of=key("a1"),
        date_source="page",
    )


def revision_of_a3() -> dict[str, pd.DataFrame]:
    """a3's URL fetched again with a new text: revision 2."""
    return variant(
        "a3",
        "a3-r2",
        title="Markets rally after surprise rate cut",
        revision=2,
        fetched_at=pd.Timestamp("2024-03-13 08:00"),
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = CorpusStore(tmp_path_factory.mktemp("counted") / "corpus.duckdb")
    store.add(corpus())
    store.add([copy_of_a1()])
    store.add([revision_of_a3()])
    return store


def one(store, sql: str, params=()):
    with store.reader() as con:
        return con.execute(sql, list(params)).fetchall()


def test_near_duplicate_left_out_of_the_article_table(store):
    keys = set(article_table(store)["doc_key"])
    assert (len(keys), key("a1-copy") in keys, key("a1") in keys) == (8, False, True)


def test_include_duplicates_lists_every_copy(store):
    keys = set(article_table(store, include_duplicates=True)["doc_key"])
    assert (len(keys), key("a1-copy") in keys) == (9, True)


def test_older_revision_never_listed(store):
    listed = article_table(store, include_duplicates=True)
    titles = set(listed["title"])
    assert (
        key("a3") in set(listed["doc_key"]),
        "Markets rally after surprise rate cut" in titles,
        "Markets rally after rate cut" in titles,
    ) == (False, True, False)


def test_revision_marks_the_older_one_not_latest(store):
    rows = one(
        store,
        "SELECT doc_key, revision, latest FROM articles WHERE url = ? ORDER BY revision",
        ["https://beta.news/a3"],
    )
    assert rows == [(key("a3"), 1, False), (key("a3-r2"), 2, True)]


def test_top_terms_counts_a_story_once(store):
    counts = dict(zip(*[top_terms(store, limit=200)[c] for c in ("term", "count")], strict=True))
    assert (counts["cairo"], counts["rallied"]) == (5, 1)


def test_top_terms_include_duplicates_counts_every_copy(store):
    frame = top_terms(store, limit=200, include_duplicates=True)
    counts = dict(zip(frame["term"], frame["count"], strict=True))
    assert (counts["cairo"], counts["rallied"]) == (7, 1)


def test_top_terms_outlet_of_duplicates_only(store):
    assert (
        len(top_terms(store, sources=["delta.news"])),
        top_terms(store, sources=["delta.news"], include_duplicates=True)["term"].iloc[0],
    ) == (0, "talks")


def test_top_terms_whole_months(store):
    march = {"start": "2024-03-01", "end": "2024-03-31"}
    default = top_terms(store, limit=200, **march)
    every = top_terms(store, limit=200, include_duplicates=True, **march)
    cairo = [int(f.loc[f["term"] == "cairo", "count"].iloc[0]) for f in (default, every)]
    assert cairo == [3, 5]


def test_top_entities_counts_a_story_once(store):
    default = top_entities(store).set_index("entity")["articles"].to_dict()
    every = top_entities(store, include_duplicates=True).set_index("entity")["articles"].to_dict()
    assert (default["Egypt"], every["Egypt"]) == (4, 5)


def test_quoted_speakers_counts_a_story_once(store):
    default = quoted_speakers(store).set_index("speaker")["quotes"].to_dict()
    every = quoted_speakers(store, include_duplicates=True).set_index("speaker")["quotes"]
    assert (default["Ann Lee"], every.to_dict()["Ann Lee"]) == (2, 3)


def test_cooccurrence_counts_a_story_once(store):
    def pairs(frame):
        return {(r.entity_a, r.entity_b): r.articles for r in frame.itertuples()}

    default = pairs(cooccurrence(store))
    every = pairs(cooccurrence(store, include_duplicates=True))
    assert (default[("Cairo", "Egypt")], every[("Cairo", "Egypt")]) == (2, 3)


def test_source_counts_leave_out_an_outlet_of_duplicates_only(store):
    default = set(source_counts(store)["source"].dropna())
    every = set(source_counts(store, include_duplicates=True)["source"].dropna())
    assert (sorted(every - default)) == ["delta.news"]


def test_search_finds_the_copy_only_when_asked(store):
    default = set(search(store, "Qatar Cairo")["doc_key"])
    every = set(search(store, "Qatar Cairo", include_duplicates=True)["doc_key"])
    assert sorted(every - default) == [key("a1-copy")]


def test_mentions_over_time_period_articles(store):
    def march_articles(**kwargs):
        frame = mentions_over_time(store, terms=["cairo"], interval="month", **kwargs)
        return int(
            frame.loc[frame["period"] == pd.Timestamp("2024-03-01"), "period_articles"].iloc[0]
        )

    assert (march_articles(), march_articles(include_duplicates=True)) == (5, 6)


def test_distinctive_terms_of_a_duplicate(store):
    frame = distinctive_terms(store, doc_key=key("a1-copy"), limit=3)
    assert (len(frame), bool((frame["rest"] >= 0).all())) == (3, True)


def test_distinctive_terms_of_an_older_revision_counts_it_in_the_corpus(store):
    frame = distinctive_terms(store, doc_key=key("a3"), limit=50).set_index("term")
    # a3's words: once in a3 itself and once in its latest revision.
    assert (frame.loc["rallied", "count"], frame.loc["rallied", "rest"]) == (1, 1)


def test_corpus_info_reports_duplicates_revisions_and_sources(store):
    info = corpus_info(store)
    assert (info.articles, info.duplicates, info.revisions, info.collected_from) == (8, 1, 1, 0)


def test_totals_tables_equal_a_recount_of_the_counted_articles(store):
    recount = one(
        store,
        """SELECT t.term, sum(t.count), count(DISTINCT t.doc_id) FROM terms t JOIN articles a
           USING (doc_id) WHERE a.latest AND a.duplicate_of IS NULL GROUP BY t.term
           EXCEPT SELECT term, count, articles FROM term_totals""",
    )
    outlets = one(
        store,
        """SELECT coalesce(a.source, ''), e.entity, e.label, sum(e.count), count(*)
           FROM entities e JOIN articles a USING (doc_id)
           WHERE a.latest AND a.duplicate_of IS NULL GROUP BY ALL
           EXCEPT SELECT source, entity, label, count, articles FROM entity_sources""",
    )
    assert (recount, outlets) == ([], [])


def test_revision_in_the_same_batch_as_the_first(tmp_path):
    store = CorpusStore(tmp_path / "c.duckdb")
    store.add([*corpus(), revision_of_a3()])
    counts = dict(zip(*[top_terms(store, limit=200)[c] for c in ("term", "count")], strict=True))
    assert (corpus_info(store).revisions, counts["rallied"]) == (1, 1)


def test_replaced_older_analysis_of_a_duplicate_keeps_totals(tmp_path):
    store = CorpusStore(tmp_path / "c.duckdb")
    store.add([*corpus(), copy_of_a1()])
    newer = copy_of_a1()
    newer["articles"] = newer["articles"].assign(version=99)
    store.add([newer])
    counts = dict(zip(*[top_terms(store, limit=200)[c] for c in ("term", "count")], strict=True))
    assert (counts["cairo"], corpus_info(store).duplicates) == (5, 1)


def test_add_a_table_without_the_collection_columns(tmp_path):
    store = CorpusStore(tmp_path / "c.duckdb")
    old = corpus()[0]
    old["articles"] = old["articles"].drop(columns=list(COLLECTION))
    store.add([old])
    assert one(store, "SELECT revision, latest, duplicate_of FROM articles") == [(1, True, None)]


def test_import_an_export_older_than_the_collection_columns(store, tmp_path):
    store.export_parquet(tmp_path / "out")
    articles = str(tmp_path / "out" / "articles.parquet")
    kept = ", ".join(f'"{c}"' for c in ("doc_key", "version", "title", "author", "published"))
    duckdb.execute(
        f"COPY (SELECT {kept}, date, source, url, words, paragraphs, tone_vader, tone_textblob, "
        f"top_entities FROM read_parquet('{articles}') WHERE duplicate_of IS NULL "
        f"AND revision = 1) TO '{tmp_path / 'old.parquet'}' (FORMAT parquet)"
    )
    (tmp_path / "old.parquet").replace(articles)
    children = ("paragraphs", "sentences", "terms", "mentions", "entities", "quotes")
    for name in (*children, "entity_sentences"):
        table = str(tmp_path / "out" / f"{name}.parquet")
        duckdb.execute(
            f"COPY (SELECT * FROM read_parquet('{table}') WHERE doc_key IN "
            f"(SELECT doc_key FROM read_parquet('{articles}'))) TO '{tmp_path / 'old.parquet'}' "
            "(FORMAT parquet)"
        )
        (tmp_path / "old.parquet").replace(table)
    # An export of that time had one file per table and no descriptor.
    (tmp_path / "out" / "datapackage.json").unlink()
    copy = CorpusStore(tmp_path / "copy.duckdb")
    assert copy.import_parquet(tmp_path / "out") == 8
    assert one(copy, "SELECT DISTINCT revision, latest FROM articles") == [(1, True)]


def test_export_carries_the_collection_columns(store, tmp_path):
    store.export_parquet(tmp_path / "out")
    path = tmp_path / "out" / "articles.parquet"
    row = duckdb.execute(
        f"SELECT date_source, duplicate_of, revision FROM read_parquet('{path}') WHERE doc_key = ?",
        [key("a1-copy")],
    ).fetchall()
    assert row == [("page", key("a1"), 1)]


def test_migrate_a_version_6_file(tmp_path):
    path = tmp_path / "v6.duckdb"
    CorpusStore(path).add(corpus())
    con = duckdb.connect(str(path))
    for column in (*COLLECTION, "latest"):
        con.execute(f"ALTER TABLE articles DROP COLUMN {column}")
    for table in ("collect_sources", "collect_listings", "collect_urls", "collect_signatures"):
        con.execute(f"DROP TABLE {table}")
    con.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    assert migrate(con) == 8
    rows = con.execute(
        "SELECT DISTINCT revision, latest, duplicate_of, date_source FROM articles"
    ).fetchall()
    tables = {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    version = schema_version(con)
    con.close()
    assert (rows, "collect_urls" in tables, version) == ([(1, True, None, None)], True, 8)


def test_export_keeps_every_copy_and_revision(store, tmp_path):
    store.export_parquet(tmp_path / "out")
    copy = CorpusStore(tmp_path / "copy.duckdb")
    assert copy.import_parquet(tmp_path / "out") == 10
    info = corpus_info(copy)
    assert (info.articles, info.duplicates, info.revisions) == (8, 1, 1)


def test_keyness_counts_a_story_once_unless_every_copy_is_asked_for(store):
    def talks(frame):
        row = frame.set_index("term").loc["talks"]
        return int(row["count"]), int(row["reference"])

    wide = {"min_count": 1, "min_g2": 0, "limit": 100}
    every = {**wide, "include_duplicates": True}
    assert (
        len(keyness(store, of_source="delta.news", **wide)),
        keyness(store, of_source="delta.news", **every)["term"].iloc[0],
        talks(keyness(store, of_source="alpha.news", **wide)),
        talks(keyness(store, of_source="alpha.news", **every)),
    ) == (0, "ceasefire", (5, 1), (5, 4))
