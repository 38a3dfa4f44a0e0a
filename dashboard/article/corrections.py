"""The reader's corrections to an article's names: merge two names, change a name's type, or
say a name is none; the list of those made, each with Undo.

The corrections live in the page's state (:func:`dashboard.article.state.corrections`) and
are applied to the cached analysis at the top of every run
(:func:`analysis.core.corrections.apply_corrections`: no model runs), so every chart, table,
highlight and download follows; the share link carries them (``corrections``).
"""

from __future__ import annotations

import streamlit as st

from analysis import ArticleAnalysis
from analysis.core.corrections import Correction, CorrectionError, correction
from analysis.core.entities import NAME_LABELS
from dashboard.article import state
from dashboard.labels import type_name
from dashboard.render import md_escape

#: What the reader can say about a name, as the picker shows it -> the kind of correction.
ACTIONS = {
    "is the same as": "merge",
    "is of another type": "label",
    "is not a name": "ignore",
}


def correctable_names(analysis: ArticleAnalysis) -> list[str]:
    """The article's entities a reader can correct, most mentioned first (ties by name).

    Returns:
        the entity names.
    """
    frame = analysis.entities
    if frame.empty:
        return []
    counts = frame.groupby("entity", sort=False)["count"].sum().reset_index()
    counts = counts.sort_values(["count", "entity"], ascending=[False, True])
    return counts["entity"].tolist()


def correction_text(item: Correction) -> str:
    """A correction in a reader's words: '“Rathbun” is “Mark Rathbun”', '“Scientology” is of
    type Organisations (ORG)', '“Day” is not a name'."""
    if item.kind == "merge":
        return f"“{item.name}” is “{item.target}”"
    if item.kind == "label":
        return f"“{item.name}” is of type {type_name(item.target)}"
    return f"“{item.name}” is not a name"


def added_correction(
    items: tuple[Correction, ...], kind: str, name: str, target: str | None
) -> tuple[Correction, ...]:
    """``items`` with one more correction.

    Raises:
        CorrectionError: the correction cannot be made (a merge into itself or into
            nothing, a type that is not one).
    """
    return (*items, correction(kind, name, target if kind != "ignore" else None))


def render_corrections(analysis: ArticleAnalysis, *, selected: str = "", key: str) -> None:
    """Pick a name (``<key>_name``, the selected entity first), say what it is
    (``<key>_action``) and, for a merge or a type, what (``<key>_target``, ``<key>_type``),
    then Apply (``<key>_apply``); below, the corrections made, each with Undo
    (``<key>_undo_<n>``), and Undo all (``<key>_clear``)."""
    names = correctable_names(analysis)
    made = state.corrections()
    ss = st.session_state
    if not names and not made:
        return
    if names:
        if ss.get(f"{key}_name") not in names:
            ss[f"{key}_name"] = selected if selected in names else names[0]
        left, right = st.columns(2)
        name = left.selectbox("Name", names, key=f"{key}_name")
        action = right.selectbox("What it is", list(ACTIONS), key=f"{key}_action")
        kind = ACTIONS[action]
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        if kind == "merge":
            others = [n for n in names if n != name]
            left.selectbox(
                "The same as",
                others,
                index=None,
                accept_new_options=True,
                placeholder="Choose a name or type one",
                key=f"{key}_target",
            )
        elif kind == "label":
            left.selectbox(
                "Type",
                NAME_LABELS,
                format_func=type_name,
                key=f"{key}_type",
            )
        right.button(
            "Apply",
            key=f"{key}_apply",
            on_click=_apply,
            args=(key,),
            use_container_width=True,
            help="Charts, highlights, quotes, sentiment and downloads follow at once; the "
            "share link keeps the corrections.",
        )
    if made:
        st.markdown("**Your corrections**")
        for number, item in enumerate(made):
            text, undo = st.columns([5, 1], vertical_alignment="center")
            text.markdown(md_escape(correction_text(item)))
            undo.button(
                "Undo", key=f"{key}_undo_{number}", on_click=_undo, args=(number,), type="tertiary"
            )
        st.button("Undo all", key=f"{key}_clear", on_click=state.set_corrections, args=((),))


def _apply(key: str) -> None:
    """The Apply button: one more correction, or a message saying why not."""
    ss = st.session_state
    kind = ACTIONS[ss[f"{key}_action"]]
    name = ss[f"{key}_name"]
    target = ss.get(f"{key}_target") if kind == "merge" else ss.get(f"{key}_type")
    try:
        items = added_correction(state.corrections(), kind, name, target)
    except CorrectionError as error:
        state.flash("error", str(error))
        return
    state.set_corrections(items)
    ss.pop(f"{key}_target", None)
    if kind != "label" and ss.get(state.SELECTED) == f"e:{name}":
        # A selected name that is merged or dropped: the selection follows it.
        ss[state.SELECTED] = f"e:{target}" if kind == "merge" else ""


def _undo(number: int) -> None:
    """An Undo button: correction ``number`` goes (the later ones stay, in order)."""
    items = state.corrections()
    state.set_corrections(items[:number] + items[number + 1 :])
