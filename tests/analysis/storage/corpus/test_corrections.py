from datetime import datetime

import duckdb
import pytest

from analysis.core.corrections import Correction, CorrectionError
from analysis.storage.corpus import (
    CorpusStore,
    cooccurrence,
    entity_sentiment_over_time,
    mentions_over_time,
    quoted_speakers,
    top_entities,
)
from analysis.storage.corpus.corrections import (
    MapRow,
    add_correction,
    correction_map,
    list_corrections,
    undo_correction,
)
from analysis.storage.corpus.exchange import export_corpus, import_corpus
from analysis.storage.corpus.queries import article_corrections, article_table
from analysis.storage.corpus.selection import unknown_entities
from analysis.storage.corpus.store import migrate, schema_version
from tests.analysis.storage.corpus import article_tables, corpus, key

AT = datetime(2026, 12, 5, 9, 30)


@pytest.fixture
def store(tmp_path):
    store = CorpusStore(tmp_path / "corpus.duckdb", timeout=5)
    store.add(corpus())
    return store


def entities(store, **filters):
    frame = top_entities(store, **filters)
    return [(r.entity, r.label, r.mentions, r.articles) for r in frame.itertuples()]


def count(store, sql):
    with store.reader() as con:
        return con.execute(sql).fetchone()[0]


# -- correction_map: the corrections in order, resolved per name ------------------------------


def test_correction_map_merge_lists_name_and_target():
    assert correction_map([Correction("merge", "Lee", "Ann Lee")]) == [
        MapRow("Ann Lee", "Ann Lee", None, False),
        MapRow("Lee", "Ann Lee", None, False),
    ]


def test_correction_map_chained_merges_follow_the_last():
    rows = correction_map([Correction("merge", "A", "B"), Correction("merge", "B", "C")])
    assert rows == [
        MapRow("A", "C", None, False),
        MapRow("B", "C", None, False),
        MapRow("C", "C", None, False),
    ]


def test_correction_map_label_after_merge_labels_both():
    rows = correction_map([Correction("merge", "A", "B"), Correction("label", "B", "ORG")])
    assert rows == [MapRow("A", "B", "ORG", False), MapRow("B", "B", "ORG", False)]


def test_correction_map_merge_takes_targets_label():
    rows = correction_map([Correction("label", "B", "ORG"), Correction("merge", "A", "B")])
    assert rows == [MapRow("A", "B", "ORG", False), MapRow("B", "B", "ORG", False)]


def test_correction_map_ignore_after_merge_drops_both():
    rows = correction_map([Correction("merge", "A", "B"), Correction("ignore", "B")])
    assert rows == [MapRow("A", "B", None, True), MapRow("B", "B", None, True)]


def test_correction_map_merge_of_a_name_gone_does_nothing():
    rows = correction_map([Correction("merge", "A", "B"), Correction("merge", "A", "C")])
    assert rows == [
        MapRow("A", "B", None, False),
        MapRow("B", "B", None, False),
        MapRow("C", "C", None, False),
    ]


# -- the queries follow ------------------------------------------------------------------------


def test_article_corrections_are_those_bearing_on_its_names(store):
    add_correction(store, "merge", "Ann Lee", "United Nations", at=AT)
    add_correction(store, "label", "Cairo", "ORG", at=AT)
    add_correction(store, "ignore", "Maria Santos", at=AT)
    assert article_corrections(store, key=key("a1")) == (
        Correction("merge", "Ann Lee", "United Nations"),
        Correction("label", "Cairo", "ORG"),
    )
    assert article_corrections(store, key=key("a5")) == (Correction("ignore", "Maria Santos"),)
    assert article_corrections(store, key=key("a3")) == ()


def test_article_corrections_none_made(store):
    assert article_corrections(store, key=key("a1")) == ()


def test_top_entities_merge_counts_name_for_target(store):
    add_correction(store, "merge", "Ann Lee", "United Nations", at=AT)
    assert entities(store)[:2] == [("United Nations", "ORG", 6, 4), ("Egypt", "GPE", 4, 4)]


def test_top_entities_merge_keeps_own_type_where_target_absent(store):
    # a4 names Ann Lee but not the United Nations: her mention keeps its type there.
    add_correction(store, "merge", "Ann Lee", "United Nations", at=AT)
    assert entities(store)[-1] == ("United Nations", "PERSON", 1, 1)


def test_top_entities_label(store):
    add_correction(store, "label", "Cairo", "ORG", at=AT)
    assert ("Cairo", "ORG", 3, 3) in entities(store)


def test_top_entities_ignore_drops_name(store):
    add_correction(store, "ignore", "Maria Santos", at=AT)
    assert [e for e in entities(store) if e[0] == "Maria Santos"] == []


def test_top_entities_filtered_by_text_follow(store):
    add_correction(store, "merge", "Qatar", "Egypt", at=AT)
    assert entities(store, text="truce") == [
        ("Egypt", "GPE", 2, 1),
        ("Ann Lee", "PERSON", 1, 1),
        ("Cairo", "GPE", 1, 1),
        ("Gaza", "GPE", 1, 1),
    ]


def test_top_entities_by_outlet_follow(store):
    add_correction(store, "merge", "Qatar", "Egypt", at=AT)
    assert entities(store, sources=["beta.news"])[0] == ("Egypt", "GPE", 2, 1)


def test_mentions_over_time_follow_merge(store):
    add_correction(store, "merge", "Qatar", "Egypt", at=AT)
    frame = mentions_over_time(store, entities=["Egypt"], interval="month")
    assert frame["mentions"].tolist() == [5, 1]


def test_cooccurrence_pairs_follow_merge(store):
    add_correction(store, "merge", "Cairo", "Egypt", at=AT)
    pairs = cooccurrence(store)
    assert [(r.entity_a, r.entity_b) for r in pairs.itertuples()].count(("Cairo", "Egypt")) == 0


def test_cooccurrence_merged_pair_counts_once_per_paragraph(store):
    add_correction(store, "merge", "Qatar", "Egypt", at=AT)
    pairs = cooccurrence(store)
    row = pairs[(pairs.entity_a == "Egypt") & (pairs.entity_b == "Gaza")].iloc[0]
    assert (row.paragraphs, row.articles) == (1, 1)


def test_quoted_speakers_follow_merge(store):
    add_correction(store, "merge", "Ann Lee", "United Nations", at=AT)
    rows = quoted_speakers(store)
    assert rows.iloc[0].tolist() == ["United Nations", 2, 9, 2]


def test_quoted_speakers_ignore_unattributes(store):
    add_correction(store, "ignore", "Maria Santos", at=AT)
    assert "Maria Santos" not in quoted_speakers(store)["speaker"].tolist()


def test_quoted_speakers_ignored_name_filtered_follow(store):
    add_correction(store, "ignore", "John Carter", at=AT)
    assert quoted_speakers(store, text="borrowers")["speaker"].tolist() == []


def test_entity_sentiment_follows_merge(store):
    add_correction(store, "merge", "Ann Lee", "Egypt", at=AT)
    frame = entity_sentiment_over_time(store, entity="Egypt", interval="month")
    assert (frame["scored"].tolist(), frame["tone"].round(2).tolist()) == ([5, 2], [0.18, -0.25])


def test_entity_sentiment_of_ignored_name_is_empty(store):
    add_correction(store, "ignore", "Egypt", at=AT)
    assert len(entity_sentiment_over_time(store, entity="Egypt", interval="month")) == 0


def test_entity_sentences_fold_merged_sentence(store):
    add_correction(store, "merge", "Qatar", "Egypt", at=AT)
    sql = "SELECT count(*), sum(mentions) FROM entity_sentences WHERE entity = 'Egypt'"
    with store.reader() as con:
        assert con.execute(sql).fetchone() == (4, 6)


def test_entity_filter_follows_merge(store):
    add_correction(store, "merge", "John Carter", "Ann Lee", at=AT)
    titles = article_table(store, entity="Ann Lee")["title"].tolist()
    assert "Markets rally after rate cut" in titles


def test_article_table_top_entities_follow_corrections(store):
    add_correction(store, "merge", "Ann Lee", "United Nations", at=AT)
    add_correction(store, "ignore", "Cairo", at=AT)
    table = article_table(store, sort="date", descending=False)
    assert table["top_entities"].tolist() == [
        "United Nations, Egypt, Qatar",
        "Egypt, Gaza, Rafah",
        "John Carter",
        "Egypt, Gaza, Qatar",
        "Maria Santos",
        "Gaza, United Nations, Rafah",
        "Egypt, United Nations",
        "",
    ]


def test_unknown_entities_after_merge(store):
    add_correction(store, "merge", "John Carter", "Ann Lee", at=AT)
    assert unknown_entities(store, ["John Carter", "Ann Lee"]) == ["John Carter"]


# -- stored, listed, undone, kept ---------------------------------------------------------------


def test_add_correction_numbers_in_order(store):
    add_correction(store, "label", "Cairo", "ORG", who="ann", at=AT)
    add_correction(store, "ignore", "Rafah", who="bo", at=AT)
    assert [tuple(c) for c in list_corrections(store)] == [
        (1, "label", "Cairo", "ORG", "ann", AT),
        (2, "ignore", "Rafah", None, "bo", AT),
    ]


def test_add_correction_unknown_name_refused(store):
    with pytest.raises(CorrectionError, match='"Atlantis" is not an entity of this corpus'):
        add_correction(store, "ignore", "Atlantis")


def test_add_correction_merged_name_is_gone(store):
    add_correction(store, "merge", "Qatar", "Egypt", at=AT)
    with pytest.raises(CorrectionError, match='"Qatar" is not an entity'):
        add_correction(store, "label", "Qatar", "ORG")


def test_add_correction_bad_type_refused(store):
    with pytest.raises(CorrectionError, match='"CITY" is not an entity type'):
        add_correction(store, "label", "Cairo", "CITY")


def test_undo_restores_counts(store):
    add_correction(store, "merge", "Ann Lee", "United Nations", at=AT)
    undo_correction(store, 1)
    assert entities(store)[:4] == [
        ("Egypt", "GPE", 4, 4),
        ("United Nations", "ORG", 4, 4),
        ("Gaza", "GPE", 4, 3),
        ("Ann Lee", "PERSON", 3, 3),
    ]


def test_undo_keeps_later_numbers(store):
    add_correction(store, "label", "Cairo", "ORG", at=AT)
    add_correction(store, "ignore", "Rafah", at=AT)
    undo_correction(store, 1)
    add_correction(store, "ignore", "Gaza", at=AT)
    assert [c.number for c in list_corrections(store)] == [2, 3]


def test_undo_unknown_number(store):
    with pytest.raises(CorrectionError, match="no correction number 4"):
        undo_correction(store, 4)


def test_corrections_never_change_analysed_rows(store):
    before = store.table("entities")
    add_correction(store, "merge", "Ann Lee", "United Nations", at=AT)
    add_correction(store, "ignore", "Gaza", at=AT)
    assert store.table("entities").equals(before)


def test_corrections_survive_reanalysis(store):
    add_correction(store, "merge", "Qatar", "Egypt", at=AT)
    store.add([article_tables("a4", version=2, title="Egypt and Qatar push for truce")])
    assert entities(store)[0] == ("Egypt", "GPE", 6, 4)


def test_outlet_sums_rebuilt_on_undo(store):
    add_correction(store, "merge", "Qatar", "Egypt", at=AT)
    undo_correction(store, 1)
    assert count(store, "SELECT sum(count) FROM entity_sources WHERE entity = 'Qatar'") == 2


def test_outlet_sums_after_reanalysis_with_correction(store):
    add_correction(store, "merge", "Qatar", "Egypt", at=AT)
    store.add([article_tables("a1", version=2, title="Ceasefire talks resume in Cairo")])
    assert count(store, "SELECT sum(count) FROM entity_sources WHERE entity = 'Egypt'") == 6


# -- migration, export ------------------------------------------------------------------------


def test_migration_keeps_analysed_rows_under_new_names(tmp_path):
    path = tmp_path / "v7.duckdb"
    CorpusStore(path).add(corpus())
    con = duckdb.connect(str(path))
    for name in ("mentions", "entities", "quotes", "entity_sentences"):
        con.execute(f"DROP VIEW {name}")
        con.execute(f"ALTER TABLE analysed_{name} RENAME TO {name}")
    con.execute("DROP TABLE corrections")
    con.execute("DROP TABLE correction_map")
    con.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    assert migrate(con) == 8
    kinds = dict(
        con.execute(
            "SELECT table_name, table_type FROM information_schema.tables "
            "WHERE table_name IN ('entities', 'analysed_entities')"
        ).fetchall()
    )
    mentions = con.execute("SELECT count(*) FROM mentions").fetchone()[0]
    version = schema_version(con)
    con.close()
    assert (kinds, mentions, version) == (
        {"entities": "VIEW", "analysed_entities": "BASE TABLE"},
        27,
        8,
    )


def test_export_import_carries_corrections(store, tmp_path):
    add_correction(store, "merge", "Qatar", "Egypt", who="ann", at=AT)
    add_correction(store, "ignore", "Rafah", who="ann", at=AT)
    export_corpus(store, tmp_path / "out")
    copy = CorpusStore(tmp_path / "copy.duckdb")
    import_corpus(copy, tmp_path / "out")
    assert (
        [tuple(c)[1:] for c in list_corrections(copy)],
        entities(copy)[0],
    ) == (
        [("merge", "Qatar", "Egypt", "ann", AT), ("ignore", "Rafah", None, "ann", AT)],
        ("Egypt", "GPE", 6, 4),
    )


def test_export_keeps_analysed_rows(store, tmp_path):
    add_correction(store, "merge", "Qatar", "Egypt", at=AT)
    export_corpus(store, tmp_path / "out")
    rows = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{tmp_path / 'out' / 'entities.parquet'}') "
        "WHERE entity = 'Qatar'"
    ).fetchall()
    assert rows == [(2,)]


def test_export_csv_import_carries_corrections(store, tmp_path):
    add_correction(store, "label", "Cairo", "ORG", who="ann", at=AT)
    export_corpus(store, tmp_path / "out", format="csv")
    copy = CorpusStore(tmp_path / "copy.duckdb")
    import_corpus(copy, tmp_path / "out")
    assert [tuple(c)[1:] for c in list_corrections(copy)] == [("label", "Cairo", "ORG", "ann", AT)]


def test_import_twice_adds_corrections_once(store, tmp_path):
    add_correction(store, "ignore", "Rafah", at=AT)
    export_corpus(store, tmp_path / "out")
    copy = CorpusStore(tmp_path / "copy.duckdb")
    import_corpus(copy, tmp_path / "out")
    import_corpus(copy, tmp_path / "out")
    assert len(list_corrections(copy)) == 1


def test_export_descriptor_lists_corrections(store, tmp_path):
    result = export_corpus(store, tmp_path / "out")
    resource = next(r for r in result.descriptor["resources"] if r["name"] == "corrections")
    assert (
        [f["name"] for f in resource["schema"]["fields"]],
        resource["schema"]["primaryKey"],
    ) == (["number", "kind", "name", "target", "who", "at"], ["number"])


def test_merge_into_a_name_with_quotes_and_wildcards(store):
    add_correction(store, "merge", "John Carter", 'O\'Brien %_"x"', at=AT)
    assert ('O\'Brien %_"x"', "PERSON", 1, 1) in entities(store)


def test_outlet_sums_equal_a_full_rebuild_after_corrections(store):
    from analysis.storage.corpus.schema import COUNTED, OUTLET_TOTALS

    # John Carter's quote said by "Carter": unlinked, it counts for "Carter".
    carter = article_tables("a3", version=2)
    carter["quotes"] = carter["quotes"].assign(speaker="Carter")
    store.add([carter])
    add_correction(store, "merge", "Ann Lee", "United Nations", at=AT)
    add_correction(store, "label", "Cairo", "ORG", at=AT)
    add_correction(store, "ignore", "John Carter", at=AT)
    add_correction(store, "merge", "Qatar", "Egypt", at=AT)
    undo_correction(store, 2)
    counted = f"doc_id IN (SELECT a.doc_id FROM articles a WHERE {COUNTED})"
    with store.reader() as con:
        for totals in OUTLET_TOTALS:
            kept = con.execute(f"SELECT * FROM {totals.table} ORDER BY ALL").fetchall()
            full = con.execute(
                f"SELECT * FROM ({totals.rows.format(sign='', where=counted)}) ORDER BY ALL"
            ).fetchall()
            assert (totals.table, kept) == (totals.table, full)
