import subprocess
import sys
import tracemalloc

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis import AnalysisOptions, ArticleError, analyze, analyze_many
from analysis.core.entities import NAME_LABELS, entity_counts
from analysis.core.export import analysis_record
from analysis.core.metadata import ANALYSIS_VERSION, ArticleMeta
from analysis.core.words import WordOptions


def test_analyze_sample_headline_sentiment(sample_analysis):
    headline = sample_analysis.paragraphs.iloc[0]
    assert (headline["paragraph"], headline["kind"], headline["vader"]) == (0, "headline", -0.3182)


def test_analyze_include_removed_analyses_caption(nlp, sample_bytes):
    result = analyze(sample_bytes, nlp=nlp, options=AnalysisOptions(include_removed=True))
    assert result.paragraphs["kind"].tolist().count("removed") == 4
    assert set(result.mentions[result.mentions["paragraph"] >= 9]["paragraph"]) == {9, 10}


def test_analyze_entity_counts_for_paragraph_range(sample_analysis):
    counts = sample_analysis.entity_counts(paragraphs=[3, 4])
    assert counts[["entity", "count"]].values.tolist() == [
        ["China", 2],
        ["Israel", 2],
        ["Lin Jian", 2],
        ["Palestine", 2],
        ["Egypt", 1],
        ["Foreign Ministry", 1],
        ["Gaza", 1],
        ["Qatar", 1],
    ]


def test_analyze_entity_counts_numeric_types_when_asked(sample_analysis):
    counts = sample_analysis.entity_counts(paragraphs=[4], types=["DATE", "GPE"])
    assert counts[["entity", "label", "count"]].values.tolist() == [
        ["China", "GPE", 1],
        ["Egypt", "GPE", 1],
        ["Gaza", "GPE", 1],
        ["Israel", "GPE", 1],
        ["October 7", "DATE", 1],
        ["Palestine", "GPE", 1],
        ["Qatar", "GPE", 1],
    ]


def test_analyze_entities_leave_numeric_types_out_by_default(sample_analysis):
    # The sample's nationality words all modify a noun ("Arab nations"): mentions, not counted.
    assert sorted(set(sample_analysis.entities["label"])) == ["GPE", "ORG", "PERSON"]
    assert sample_analysis.mentions["label"].tolist().count("DATE") == 1


def test_analyze_entity_types_option_counts_every_type(nlp):
    result = analyze(
        "Ann Lee met Bob Ross on Monday.\n\nThey spoke for two hours.",
        nlp=nlp,
        options=AnalysisOptions(entity_types=None),
    )
    assert result.entities[["entity", "label", "count"]].values.tolist() == [
        ["Ann Lee", "PERSON", 1],
        ["Bob Ross", "PERSON", 1],
        ["Monday", "DATE", 1],
        ["two hours", "TIME", 1],
    ]


def test_analyze_entity_context(sample_analysis):
    frame = sample_analysis.entity_context("Lin Jian", window=2)
    assert frame[["paragraph", "left", "match", "right"]].values.tolist() == [
        [3, "… press conference,", "Lin Jian", ", the …"],
        [4, "… detailed by", "Lin Jian", ", aim …"],
        [7, '… further escalation,"', "Lin", "stated."],
    ]


def test_analyze_many_keeps_order_and_goes_on_after_errors(nlp):
    items = [("a", "Good news today."), ("b", ""), ("c", b"\x89PNG\x00"), ("d", "Bad news.")]
    results = list(analyze_many(items, nlp=nlp, chunk_size=2))
    assert [item_id for item_id, _ in results] == ["a", "b", "c", "d"]
    assert [type(result).__name__ for _, result in results] == [
        "ArticleAnalysis",
        "ArticleError",
        "ArticleError",
        "ArticleAnalysis",
    ]


def test_analyze_many_matches_analyze(nlp, sample_bytes, sample_analysis):
    ((_, result),) = analyze_many([("s", sample_bytes)], nlp=nlp)
    assert result.entities.equals(sample_analysis.entities)
    assert result.words.equals(sample_analysis.words)
    assert result.mentions.equals(sample_analysis.mentions)


def test_analyze_many_without_sentences_leaves_out_only_the_sentence_scores(nlp, sample_bytes):
    ((_, lean),) = analyze_many([("s", sample_bytes)], nlp=nlp, sentences=False)
    ((_, full),) = analyze_many([("s", sample_bytes)], nlp=nlp)
    for name in ("token_rows", "paragraph_rows", "mention_rows", "quote_rows", "entity_rows",
                 "word_rows", "warnings", "language"):  # fmt: skip
        assert getattr(lean, name) == getattr(full, name), name
    assert (lean.sentences_scored, full.sentences_scored) == (False, True)
    assert (lean.sentence_rows, lean.entity_sentence_rows) == ((), ())
    assert (len(full.sentence_rows), len(full.entity_sentence_rows)) == (13, 28)
    # Each paragraph still says how many sentences it has.
    assert sum(row.sentences for row in lean.paragraph_rows) == 13
    for read in (lambda: lean.sentences, lambda: lean.entity_sentences):
        with pytest.raises(ValueError, match="without sentence sentiment"):
            read()
    assert analysis_record(lean, id="s") == analysis_record(full, id="s")
    with pytest.raises(ValueError, match="without sentence sentiment"):
        analysis_record(lean, id="s", sentences=True)


def test_analyze_many_is_lazy(nlp):
    pulled = []

    def items():
        for number in range(100):
            pulled.append(number)
            yield str(number), f"Story number {number} is here."

    stream = analyze_many(items(), nlp=nlp, chunk_size=4)
    next(stream)
    assert len(pulled) == 4


def test_analyze_many_memory_does_not_grow_with_documents(nlp, sample_text):
    def peak(count):
        tracemalloc.start()
        for _ in analyze_many(((str(i), sample_text) for i in range(count)), nlp=nlp, chunk_size=8):
            pass
        _, high = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return high

    small, large = peak(16), peak(64)
    assert large < 1.5 * small


def test_import_analysis_does_not_import_streamlit():
    code = "import sys, analysis, analysis.cli.article; print('streamlit' in sys.modules)"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "False"


# --- properties ----------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
news_like = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "China Urges Talks",
                "Trending Now",
                "By Ann Lee",
                "March 21, 2024",
                "",
                "Lin Jian said the United Nations would meet in Gaza.",
                "Photo: Reuters",
                "The talks in Cairo were good.",
                "Wang Kejian’s visit",
                "* * *",
                "<b>bold</b>",
            ]
        ),
        st.text(max_size=60),
    ),
    max_size=12,
).map("\n".join)


@PROPERTY_SETTINGS
@given(text=st.one_of(st.text(max_size=300), news_like))
@example(text="China Urges Talks\n000\u03d1")
def test_any_text_gives_result_or_article_error(nlp, text):
    try:
        result = analyze(text, nlp=nlp)
    except ArticleError as error:
        assert str(error)
        return
    texts = result.texts
    for row in result.mentions.itertuples(index=False):
        assert texts[row.paragraph][row.start : row.end] == row.text
    # A mention shown but not counted (a word in another script) is left out of the counts.
    mentions = result.mentions
    names = mentions[mentions["label"].isin(NAME_LABELS) & mentions["counted"]]
    assert result.entities["count"].sum() == len(names)
    assert entity_counts(result.mentions).equals(result.entities)
    assert result.words["count"].is_monotonic_decreasing
    for row in result.sentences.itertuples(index=False):
        assert texts[row.paragraph][row.start : row.end] == row.text


@PROPERTY_SETTINGS
@given(data=st.binary(max_size=300))
def test_any_bytes_give_result_or_article_error(nlp, data):
    try:
        analyze(data, nlp=nlp)
    except ArticleError as error:
        assert str(error)


def test_analyze_entity_aliases_from_the_setting(nlp, tmp_path):
    from analysis.settings import load_settings

    path = tmp_path / "aliases.csv"
    path.write_text("Sunny Isle,Isle of Sun\n", encoding="utf-8")
    aliases = load_settings({"NEWSLENS_ENTITY_ALIASES": str(path)}).entity_aliases
    rows = [("x", "Ann Lee flew to the Isle of Sun.\n\nAnn Lee loves Sunny Isle.")]
    options = AnalysisOptions(entity_aliases=tuple(aliases.items()))
    ((_, result),) = analyze_many(rows, nlp=nlp, options=options)
    mentions = result.mentions[result.mentions["entity"] == "Isle of Sun"]
    assert mentions["text"].tolist() == ["Isle of Sun", "Sunny Isle"]


KEYED = "Port Reopens\n\nBy Ann Lee\n\nThe port of Dover reopened on Monday, officials said."


def test_analyze_result_carries_document_key_and_version(nlp):
    result = analyze(KEYED, nlp=nlp, source="https://www.example.com/port")
    assert result.key == "b9e5fb68481c8d28c2af385205cb6b2d6a74b6ad2328eb6f6432e3784389906b"
    assert result.version == ANALYSIS_VERSION


def test_analyze_many_result_key_is_sha256_of_raw(nlp):
    ((_, result),) = analyze_many([("a", b"Ann Lee met Bo Park in Dover.")], nlp=nlp)
    assert result.key == "957d4247c74a9d793a2b7354311272a199b1b6ffdfcd92ea9b7944c63189c0fe"


def test_analysis_metadata_outlet_from_url_host(nlp):
    result = analyze(KEYED, nlp=nlp, source="https://www.example.com/port")
    assert result.metadata() == ArticleMeta(
        title="Port Reopens",
        author="Ann Lee",
        published=None,
        source="example.com",
        url="https://www.example.com/port",
    )


def test_analysis_metadata_input_meta_wins(nlp):
    result = analyze(KEYED, nlp=nlp)
    meta = result.metadata(ArticleMeta(title="Dover port open", source="Wire"))
    assert (meta.title, meta.author, meta.source, meta.url) == (
        "Dover port open",
        "Ann Lee",
        "Wire",
        None,
    )


def test_analyze_rows_do_not_depend_on_display_options(nlp):
    plain = analyze(KEYED, nlp=nlp)
    other = analyze(
        KEYED,
        nlp=nlp,
        options=AnalysisOptions(
            words=WordOptions(lemmas=True, ngram=2, stop_words=False), entity_types=None
        ),
    )
    assert other.token_rows == plain.token_rows
    assert other.mention_rows == plain.mention_rows
    assert other.sentence_rows == plain.sentence_rows
    assert [row.lemma for row in plain.token_rows if row.norm == "reopened"] == ["reopen"]
    assert [row.text for row in plain.sentence_rows] == [
        "Port Reopens",
        "The port of Dover reopened on Monday, officials said.",
    ]


def test_analyze_progress_reports_every_step_to_the_total(nlp):
    calls = []
    text = "Headline Here\n\n" + "\n\n".join(f"Paragraph {n} about Dover." for n in range(1, 5))
    analyze(text, nlp=nlp, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(n, 10) for n in range(1, 11)]


def test_analyze_progress_called_about_a_hundred_times_on_long_input(nlp):
    calls = []
    text = "\n\n".join(f"Item {n} was sold." for n in range(1, 451))
    analyze(text, nlp=nlp, progress=lambda done, total: calls.append((done, total)))
    assert (len(calls), calls[0], calls[-1]) == (100, (9, 900), (900, 900))
