"""Issue 21 on the Corpus page (AppTest, the three-article corpus of tiny.py): the query
language box, the count line, the switches kept in the link, keyness, word-count options,
exports and the citation."""

from __future__ import annotations

from analysis.storage.corpus import CorpusStore
from analysis.storage.corpus.exchange import import_corpus
from tests.dashboard.corpus.test_page import _record_queries


def test_syntax_error_shows_its_message_and_position(app):
    app.query_params["q"] = "(storm OR"
    at = app.run()
    assert (not at.exception, at.error[0].value, at.code[0].value) == (
        True,
        "The query cannot be read: OR has nothing after it (at character 8).",
        "(storm OR\n       ^",
    )


def test_syntax_error_leaves_the_query_out_of_the_count(app):
    app.query_params["q"] = "(storm OR"
    at = app.run()
    assert at.caption[0].value.startswith("Words (all must occur")


def test_how_the_query_was_read_under_the_box(app):
    app.query_params["q"] = "sweden OR harbour"
    at = app.run()
    assert (not at.exception, at.caption[1].value) == (
        True,
        "Read as: `sweden OR harbour` · articles per term: sweden: 1, harbour: 0",
    )


def test_count_line_gives_the_selections_own_dates(app):
    app.query_params["q"] = "sweden"
    at = app.run()
    assert at.caption[0].value == "1 of 3 articles selected · 2024-04-10 to 2024-04-10"


def test_boolean_query_selects(app):
    app.query_params["q"] = "storm -sweden"
    at = app.run()
    assert at.caption[0].value.startswith("2 of 3 articles selected")


def test_query_kept_in_the_link(app):
    at = app.run()
    at.text_input(key="corpus_filters_text").set_value("storm OR sweden").run()
    assert at.query_params["q"] == "storm OR sweden"


def test_count_every_copy_kept_in_the_link(app):
    at = app.run()
    at.toggle(key="corpus_filters_dups").set_value(True).run()
    assert (not at.exception, at.query_params["dups"]) == (True, "1")


def test_count_every_copy_passed_to_the_queries(app, monkeypatch):
    _, asked = _record_queries(monkeypatch)
    app.query_params["dups"] = "1"
    app.run()
    assert {kw.get("include_duplicates") for name, kw in asked if name == "article_table"} == {True}


def test_coverage_share_kept_in_the_link(app):
    app.query_params["items"] = "t:storm"
    at = app.run()
    at.segmented_control(key="corpus_cov_measure").set_value("share").run()
    assert (not at.exception, at.query_params["measure"]) == (True, "share")


def test_own_words_left_out_of_the_word_counts(app):
    app.query_params["xstop"] = "storm"
    app.session_state["corpus_top_terms_table_open"] = True
    at = app.run()
    words = next(d.value for d in at.dataframe if "term" in d.value.columns)
    assert (not at.exception, "storm" in set(words["term"]), "norway" in set(words["term"])) == (
        True,
        False,
        True,
    )


def test_distinctive_words_default_to_the_largest_outlet_of_the_selection(app):
    app.query_params["open"] = "dist"
    at = app.run()
    assert (not at.exception, at.selectbox(key="corpus_dist_source").value) == (
        True,
        "daily.example",
    )


def test_distinctive_words_count_every_copy_when_the_switch_says_so(app, monkeypatch):
    _, asked = _record_queries(monkeypatch)
    app.query_params["open"] = "dist"
    app.query_params["dups"] = "1"
    app.run()
    assert [kw.get("include_duplicates") for name, kw in asked if name == "keyness"] == [True]


def test_distinctive_words_nothing_to_compare_in_one_outlet_and_month(app):
    app.query_params["open"] = "dist"
    app.query_params["sources"] = "herald.example"
    at = app.run()
    assert at.info[0].value.startswith("Nothing to compare")


def test_cite_this_view_names_corpus_query_and_count(app):
    app.query_params["corpus"] = "tiny.duckdb"
    app.query_params["q"] = "storm"
    at = app.run()
    line = at.code[-1].value
    assert (
        line.startswith("NewsLens "),
        'Corpus "tiny.duckdb", 3 articles; query: storm.' in line,
    ) == (
        True,
        True,
    )


def test_export_download_imports_back(corpus_path, tmp_path):
    from dashboard.corpus import data
    from dashboard.corpus.data import Filters

    archive = data.run_query(
        CorpusStore(corpus_path),
        "export_archive",
        format="csv",
        corpus="tiny.duckdb",
        **Filters(text="sweden").plain_kwargs(),
    )
    (tmp_path / "export.zip").write_bytes(archive)
    result = import_corpus(CorpusStore(tmp_path / "back.duckdb"), tmp_path / "export.zip")
    assert (result.added, result.errors) == (1, 0)


def test_opened_text_carries_the_stored_byline_and_date():
    import pandas as pd

    from dashboard.corpus.page import opened_text

    row = pd.Series(
        {
            "text": "Storm hits\n\nThe storm reached Norway.",
            "author": "Ann Lee",
            "date": pd.Timestamp("2024-03-04"),
        }
    )
    assert opened_text(row) == (
        "Storm hits\n\nBy Ann Lee\n\nPublished: 2024-03-04\n\nThe storm reached Norway."
    )


def test_opened_article_reads_back_with_its_stored_date(app, corpus_path, monkeypatch):
    from analysis.core.article.parse import parse_article
    from dashboard.corpus.page import _opened_article
    from tests.dashboard.corpus.tiny import KEYS

    article = _opened_article(CorpusStore(corpus_path), KEYS[1])
    parsed = parse_article(article.raw, source=article.source)
    assert (parsed.title, parsed.published, parsed.source) == (
        "Norway reopens roads",
        "2024-03-20",
        "herald.example",
    )


def test_missing_corpus_in_a_link_is_named_by_its_file_only(sample_app, tmp_path):
    sample_app.query_params["corpus"] = "gone.duckdb"
    at = sample_app.run()
    assert (at.error[0].value, str(tmp_path) in at.error[0].value) == (
        "No corpus named “gone.duckdb” is stored here; showing the sample.",
        False,
    )
