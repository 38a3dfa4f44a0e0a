"""Widget pieces the pages' views share: a first value for a widget, an expander drawn only
while open, a CSV download built when clicked, a keyed chart and the points clicked on it.

Every function takes the widget's ``key`` (the caller's view key with a suffix), so that a
view built from them can appear twice.
"""

from __future__ import annotations

from typing import Any

import streamlit as st


def init_widget(key: str, value: Any) -> None:
    """A widget's first value, set once in the session state; the widget owns it afterwards.

    Only for a widget whose value the page sets again on every run: Streamlit sends a value
    set this way to the browser in that run's element alone, and a browser that draws the
    widget from a later run's element (its script still loading when a click reran the
    page) shows the widget's default and sends that back. A value from the link is declared
    as the widget's default instead (:func:`widget_default`)."""
    if key not in st.session_state:
        st.session_state[key] = value


def widget_default(key: str, value: Any) -> Any:
    """The default to declare for widget ``key`` (its ``value``, ``default`` or ``index``):
    the value it holds, or ``value`` (from the link) before it exists. Every run's element
    then carries the value, so a browser that draws the widget late shows it (see
    :func:`init_widget`); a widget's identity is its key, so a default that follows its value
    does not make it a new widget."""
    return st.session_state.get(key, value)


def keep_widget(key: str) -> None:
    """Keep a widget's value through runs that do not draw it: Streamlit forgets the value of
    a widget a run does not draw, unless it is set as session state again."""
    if key in st.session_state:
        st.session_state[key] = st.session_state[key]


def lazy_expander(label: str, key: str, *, memory: str):
    """An expander whose content runs only while it is open (``.open``). Whether it is open
    is also kept in the dict at session key ``memory`` (by ``key``), so that it survives a
    run that does not draw it (Streamlit forgets the state of a widget a run does not draw).

    Returns:
        the expander (a context manager with ``.open``).
    """
    remembered = st.session_state.setdefault(memory, {})
    section = st.expander(label, expanded=remembered.get(key, False), key=key, on_change="rerun")
    remembered[key] = bool(section.open)
    return section


def csv_download(frame, name: str, *, key: str, file_prefix: str = "newslens") -> None:
    """A "Download <name> (CSV)" button for ``frame`` (a DataFrame, or a function returning
    one), the file built only when the button is clicked: ``<file_prefix>-<name>.csv``."""

    def data() -> bytes:
        table = frame() if callable(frame) else frame
        return table.to_csv(index=False).encode("utf-8")

    st.download_button(
        f"Download {name} (CSV)",
        data,
        file_name=f"{file_prefix}-{name}.csv",
        mime="text/csv",
        key=key,
    )


def chart(
    figure, key: str, *, clickable: bool = True, download: bool = True, box: str | None = None
):
    """A Plotly chart as widget ``key``, clickable unless told (a click on a point reruns the
    page), in a container keyed ``box`` (default ``<key>_box``: a hook for the browser tests);
    with ``download``, its toolbar saves it as ``<key>.svg``.

    Returns:
        the chart's selection event (None for a chart that is not clickable).
    """
    config: dict[str, Any] = {"displaylogo": False}
    if download:
        config["toImageButtonOptions"] = {"format": "svg", "filename": key}
    with st.container(key=box or f"{key}_box"):
        if not clickable:
            st.plotly_chart(figure, key=key, config=config)
            return None
        return st.plotly_chart(
            figure, key=key, on_select="rerun", selection_mode="points", config=config
        )


def selected_points(event) -> list[dict]:
    """The points of a chart's selection event (a plain dict in AppTest, an attribute
    dictionary in the app); [] for none."""
    if not event:
        return []
    try:
        return list(event["selection"]["points"])
    except (KeyError, TypeError):
        return []


def fresh_points(event, key: str) -> list[dict] | None:
    """The points of a chart selection when it changed since the last run, else None (a
    selection stays in the widget's state across reruns, and a stale one must not undo a
    choice made elsewhere since). What was seen is kept at session key ``<key>__seen``."""
    points = []
    if event:
        selection = event.get("selection", {})
        points = list(selection.get("points", []) if hasattr(selection, "get") else [])
    signature = repr([p.get("customdata") for p in points])
    seen = f"{key}__seen"
    if st.session_state.get(seen, "[]") == signature:
        return None
    st.session_state[seen] = signature
    return points


def first_custom(points: list[dict]):
    """The ``customdata`` of the first point that has one, else None."""
    for point in points:
        data = point.get("customdata")
        if data is not None:
            return data
    return None


def fresh_rows(event, key: str) -> list[int] | None:
    """The rows selected in a table (``st.dataframe`` with ``on_select``) when the selection
    changed since the last run, else None (like :func:`fresh_points`: a selection stays in
    the widget's state, and a stale one must not undo a choice made elsewhere since). What
    was seen is kept at session key ``<key>__seen``."""
    rows: list[int] = []
    if event:
        try:
            rows = [int(r) for r in event["selection"]["rows"]]
        except (KeyError, TypeError):
            rows = []
    seen = f"{key}__seen"
    if st.session_state.get(seen, []) == rows:
        return None
    st.session_state[seen] = rows
    return rows
