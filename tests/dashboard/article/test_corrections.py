"""The reader's corrections on the Article page: the pure helpers, and the page through
AppTest (no model runs again; every table follows; the link keeps them)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core.corrections import Correction, CorrectionError
from dashboard.article.corrections import added_correction, correction_text
from dashboard.article.link import ViewState, from_query, to_query
from tests.dashboard.apptest import figure, frame_with, hits, run_app, show_tab

CORRECT = "article_entities_correct"


def test_correction_text_merge():
    assert correction_text(Correction("merge", "Rathbun", "Mark Rathbun")) == (
        "“Rathbun” is “Mark Rathbun”"
    )


def test_correction_text_label():
    assert correction_text(Correction("label", "Scientology", "ORG")) == (
        "“Scientology” is of type Organisations (ORG)"
    )


def test_correction_text_ignore():
    assert correction_text(Correction("ignore", "Day")) == "“Day” is not a name"


def test_added_correction_ignore_drops_target():
    assert added_correction((), "ignore", "Day", "PERSON") == (Correction("ignore", "Day"),)


def test_added_correction_merge_without_target_refused():
    with pytest.raises(CorrectionError, match="Say which entity"):
        added_correction((), "merge", "Rathbun", None)


# -- the link --------------------------------------------------------------------------------


def test_link_round_trip_keeps_corrections():
    view = ViewState(article="x", corrections="m:Rathbun:Mark%20Rathbun,i:Day")
    assert to_query(view) == {"article": "x", "corrections": "m:Rathbun:Mark%20Rathbun,i:Day"}


def test_link_reads_corrections():
    assert from_query({"corrections": "l:Scientology:ORG"}) == (
        ViewState(corrections="l:Scientology:ORG"),
        [],
    )


def test_link_hostile_corrections_ignored_with_one_note():
    view, notes = from_query({"corrections": "x:<script>,i:Day"})
    assert (view.corrections, notes) == (
        "",
        [
            "“corrections” (corrections to the names) were ignored: Correction 1 "
            "('x:<script>') cannot be read."
        ],
    )


def test_link_too_many_corrections_ignored():
    view, notes = from_query({"corrections": ",".join(["i:Day"] * 101)})
    assert (view.corrections, notes) == (
        "",
        [
            "“corrections” (corrections to the names) were ignored: A link holds at most 100 "
            "corrections."
        ],
    )


# -- the page --------------------------------------------------------------------------------


def merged(at):
    at.selectbox(key=f"{CORRECT}_name").set_value("Lin Jian").run()
    at.selectbox(key=f"{CORRECT}_target").set_value("Wang Kejian").run()
    at.button(key=f"{CORRECT}_apply").click().run()
    return at


def test_merge_changes_entities_table(warm):
    at = merged(run_app())
    entities = frame_with(at, "entity", "label", "count")[["entity", "label", "count"]]
    rows = entities[entities["entity"].isin(["Lin Jian", "Wang Kejian"])]
    assert rows.values.tolist() == [["Wang Kejian", "PERSON", 4]]


def test_merge_goes_into_the_link(warm):
    at = merged(run_app())
    assert at.query_params["corrections"] == "m:Lin%20Jian:Wang%20Kejian"


def test_merge_is_listed(warm):
    at = merged(run_app())
    assert "“Lin Jian” is “Wang Kejian”" in [m.value for m in at.markdown]


def test_merge_needs_no_analysis(warm):
    from dashboard.cache import ANALYSIS_RUNS, PIPELINE_LOADS

    at = run_app()
    before = (ANALYSIS_RUNS["count"], PIPELINE_LOADS["count"])
    merged(at)
    assert (ANALYSIS_RUNS["count"], PIPELINE_LOADS["count"]) == before


def test_merge_moves_quotes_to_target(warm):
    at = show_tab(merged(run_app()), "Quotes")
    quotes = frame_with(at, "paragraph", "words", "speaker", "entity", "quote")
    assert (
        figure(at, 0)["data"][0]["y"],
        quotes[["speaker", "entity"]].values.tolist(),
    ) == (["Wang Kejian"], [["Lin", "Wang Kejian"]])


def test_merged_name_highlights_with_target(warm):
    at = merged(run_app(sel="e:Wang Kejian"))
    assert hits(at) == ["Lin Jian", "Lin Jian", "Wang Kejian", "Lin"]


def test_selection_follows_merge(warm):
    at = run_app(sel="e:Lin Jian")
    merged(at)
    assert at.query_params["sel"] == "e:Wang Kejian"


def test_label_changes_type(warm):
    at = run_app()
    at.selectbox(key=f"{CORRECT}_name").set_value("Foreign Ministry").run()
    at.selectbox(key=f"{CORRECT}_action").set_value("is of another type").run()
    at.selectbox(key=f"{CORRECT}_type").set_value("GPE").run()
    at.button(key=f"{CORRECT}_apply").click().run()
    entities = frame_with(at, "entity", "label", "count")[["entity", "label", "count"]]
    assert entities[entities["entity"] == "Foreign Ministry"].values.tolist() == [
        ["Foreign Ministry", "GPE", 1]
    ]


def test_ignore_drops_name(warm):
    at = run_app()
    at.selectbox(key=f"{CORRECT}_name").set_value("China").run()
    at.selectbox(key=f"{CORRECT}_action").set_value("is not a name").run()
    at.button(key=f"{CORRECT}_apply").click().run()
    entities = frame_with(at, "entity", "label", "count")
    assert ("China" in entities["entity"].tolist(), at.query_params["corrections"]) == (
        False,
        "i:China",
    )


def test_undo_removes_one(warm):
    at = run_app(corrections="i:China,i:Gaza")
    at.button(key=f"{CORRECT}_undo_0").click().run()
    assert at.query_params["corrections"] == "i:Gaza"


def test_undo_all(warm):
    at = run_app(corrections="i:China,i:Gaza")
    at.button(key=f"{CORRECT}_clear").click().run()
    assert "corrections" not in at.query_params


def test_link_corrections_applied(warm):
    at = run_app(corrections="i:China")
    entities = frame_with(at, "entity", "label", "count")
    assert entities["entity"].tolist()[:2] == ["Gaza", "Lin Jian"]


def test_entities_detail_has_the_corrections(warm):
    at = run_app(corrections="i:China")
    show_tab(at, "Entities detail")
    at.button(key="article_stance_correct_undo_0").click().run()
    assert "corrections" not in at.query_params


def test_merge_without_target_says_why(warm):
    at = run_app()
    at.selectbox(key=f"{CORRECT}_name").set_value("Gaza").run()
    at.button(key=f"{CORRECT}_apply").click().run()
    assert ([e.value for e in at.error], "corrections" in at.query_params) == (
        ['Say which entity "Gaza" is (1 to 200 characters).'],
        False,
    )


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_link_any_corrections_text_is_kept_or_dropped_with_one_note(text):
    view, notes = from_query({"corrections": text})
    assert (view.corrections, len(notes)) in ((text.strip(), 0), ("", 1))
