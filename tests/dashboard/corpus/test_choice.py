"""Which corpus: the shipped sample corpus (its export up to date, imported once), the picker's
labels."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.storage.corpus import (
    CorpusStore,
    document_key,
)

SEED_DIR = Path(__file__).resolve().parents[3] / "seeds" / "corpus"


def _export_rows(name: str, keys: list[str]) -> pd.DataFrame:
    import duckdb

    path = str(SEED_DIR / "wikinews-2019-2020.parquet" / f"{name}.parquet")
    sql = f"SELECT * FROM read_parquet('{path}') WHERE doc_key IN (SELECT unnest(?::VARCHAR[]))"
    return duckdb.execute(sql, [keys]).df()


def test_sample_export_version_is_the_analysis_version():
    import duckdb

    from analysis.core.metadata import ANALYSIS_VERSION

    path = str(SEED_DIR / "wikinews-2019-2020.parquet" / "articles.parquet")
    stored = duckdb.execute(f"SELECT DISTINCT version FROM read_parquet('{path}')").fetchall()
    assert stored == [(ANALYSIS_VERSION,)], "rebuild the export: see seeds/corpus/README.md"


def test_sample_export_holds_the_seed_documents():
    from analysis.sources.files import read_inputs
    from analysis.storage.corpus.queries import export_article_count
    from dashboard.corpus.choice import SAMPLE_EXPORT

    keys = {
        document_key(item.raw) for item in read_inputs([str(SEED_DIR / "wikinews-2019-2020.jsonl")])
    }
    exported = set(_export_rows("articles", sorted(keys))["doc_key"])
    assert (export_article_count(SAMPLE_EXPORT), len(keys), exported == keys) == (113, 113, True)


def _telling_keys() -> list[str]:
    """The two shipped articles under 2,000 words that name the most entities: where a change
    to the analysis (names, quotes, sentiment) most likely shows, at a test's cost."""
    import duckdb

    export = SEED_DIR / "wikinews-2019-2020.parquet"
    sql = f"""SELECT a.doc_key FROM read_parquet('{export}/articles.parquet') a
              JOIN read_parquet('{export}/entities.parquet') e USING (doc_key)
              WHERE a.words < 2000 GROUP BY a.doc_key ORDER BY count(*) DESC, a.doc_key LIMIT 2"""
    return [row[0] for row in duckdb.execute(sql).fetchall()]


def test_sample_export_rows_equal_a_fresh_analysis(nlp, tmp_path):
    """Two seed documents analysed now give exactly the shipped rows, table by table."""
    from analysis.runners.corpus import Task, analyse_documents
    from analysis.sources.files import read_inputs
    from analysis.storage.corpus.records import tables_from_rows

    wanted = _telling_keys()
    items = [
        i
        for i in read_inputs([str(SEED_DIR / "wikinews-2019-2020.jsonl")])
        if document_key(i.raw) in wanted
    ]
    tasks = [Task(document_key(i.raw), i.name, i.raw, i.meta) for i in items]
    assert len(tasks) == 2
    fresh = CorpusStore(tmp_path / "fresh.duckdb")
    fresh.add([tables_from_rows([one.rows]) for one in analyse_documents(tasks, nlp=nlp)])
    shipped = CorpusStore(tmp_path / "shipped.duckdb")
    shipped.import_parquet(SEED_DIR / "wikinews-2019-2020.parquet")
    keys = sorted(t.key for t in tasks)
    sizes = {}
    for name in (
        "articles",
        "paragraphs",
        "sentences",
        "terms",
        "mentions",
        "entities",
        "quotes",
        "entity_sentences",
    ):
        want = shipped.table(name)
        want = want[want["doc_key"].isin(keys)].reset_index(drop=True)
        got = fresh.table(name)
        pd.testing.assert_frame_equal(
            got, want, obj=f"{name} (rebuild the export: see seeds/corpus/README.md)"
        )
        sizes[name] = len(got) > 0
    assert sizes == dict.fromkeys(sizes, True)


def test_import_sample_imports_once(tmp_path):
    from analysis.storage.corpus import queries
    from dashboard.corpus.choice import import_sample

    path = tmp_path / "sample.duckdb"
    first = queries.corpus_info(import_sample(path)).articles
    stamp = path.stat().st_mtime_ns
    again = queries.corpus_info(import_sample(path)).articles
    assert (first, again, path.stat().st_mtime_ns == stamp) == (113, 113, True)


def test_corpus_label_sample_upload_and_stored():
    from dashboard.corpus.choice import corpus_label

    assert [
        corpus_label("sample"),
        corpus_label("upload-forty-3f57e8dd6c.duckdb"),
        corpus_label("news.duckdb"),
    ] == ["Sample: Wikinews 2019-2020", "Upload: forty-3f57e8dd6c", "news"]
