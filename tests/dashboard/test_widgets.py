"""The widget pieces the views share."""

from streamlit.testing.v1 import AppTest

from dashboard.widgets import first_custom, selected_points

EVENT = {
    "selection": {
        "points": [{"x": 1}, {"customdata": "Gaza"}],
        "point_indices": [0, 1],
        "box": [],
        "lasso": [],
    }
}


def test_selected_points_of_an_event():
    assert selected_points(EVENT) == [{"x": 1}, {"customdata": "Gaza"}]


def test_selected_points_of_no_event_or_another_value():
    assert [selected_points(None), selected_points({}), selected_points("x")] == [[], [], []]


def test_first_custom_skips_points_without_it():
    assert first_custom(selected_points(EVENT)) == "Gaza"


def _two_runs(event) -> None:
    import streamlit as st

    from dashboard.widgets import fresh_points

    st.session_state.setdefault("seen", []).append(fresh_points(event, "view_chart"))


def test_fresh_points_give_a_selection_once():
    at = AppTest.from_function(_two_runs, args=(EVENT,)).run()
    at.run()
    assert at.session_state["seen"] == [[{"x": 1}, {"customdata": "Gaza"}], None]


def _expander_when_asked() -> None:
    import streamlit as st

    from dashboard.widgets import lazy_expander

    if st.session_state.get("draw", True):
        section = lazy_expander("More", "view_more", memory="view_open")
        st.session_state["was_open"] = bool(section.open)


def test_lazy_expander_stays_open_through_a_run_that_does_not_draw_it():
    at = AppTest.from_function(_expander_when_asked).run()
    at.session_state["view_more"] = True
    at.run()
    at.session_state["draw"] = False
    at.run()
    at.run()  # Streamlit has forgotten the expander's own state by now
    at.session_state["draw"] = True
    at.session_state["was_open"] = False
    at.run()
    assert at.session_state["was_open"] is True
