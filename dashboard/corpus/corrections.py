"""The reader's corrections to the names of the whole corpus, on the Corpus page: merge two
names, change a name's type, or say a name is none, from the names of the top-entities chart;
the corrections made, each with Undo.

A correction is stored in the corpus file (:mod:`analysis.storage.corpus.corrections`) and
every query applies it; the page's query cache is keyed by the file's stamp, which the write
changes, so every view follows on the same run (the buttons act in their callbacks, before
the page is drawn again).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.core.corrections import CorrectionError
from analysis.core.entities import NAME_LABELS
from analysis.errors import ArticleError
from analysis.storage.corpus.corrections import (
    StoredCorrection,
    add_correction,
    list_corrections,
    undo_correction,
)
from analysis.storage.corpus.store import CorpusStore
from dashboard.labels import type_name
from dashboard.render import md_escape

#: What the reader can say about a name -> the kind of correction.
ACTIONS = {
    "is the same as": "merge",
    "is of another type": "label",
    "is not a name": "ignore",
}
#: Who the corrections list says made a correction here.
WHO = "Corpus page"


def correction_line(row: StoredCorrection) -> str:
    """A stored correction in a reader's words, with its number and time: '2. “Rathbun” is
    “Mark Rathbun” (Corpus page, 2026-12-05 09:30)'."""
    if row.kind == "merge":
        what = f"“{row.name}” is “{row.target}”"
    elif row.kind == "label":
        what = f"“{row.name}” is of type {type_name(row.target)}"
    else:
        what = f"“{row.name}” is not a name"
    return f"{row.number}. {what} ({row.who or 'unknown'}, {row.at:%Y-%m-%d %H:%M})"


def render_corrections(source, entities: pd.DataFrame, *, key: str) -> None:
    """Correct a name of ``entities`` (the top-entities view's table) for the whole corpus:
    the name (``<key>_name``), what it is (``<key>_action``), the entity or type
    (``<key>_target``, ``<key>_type``), Apply (``<key>_apply``); the corrections made, each
    with Undo (``<key>_undo_<number>``). Drawn only for a corpus file (a store)."""
    if not isinstance(source, CorpusStore):
        return
    message = st.session_state.pop(f"{key}_message", None)
    with st.expander("Correct the names (for the whole corpus)", expanded=message is not None):
        if message is not None:
            getattr(st, message[0])(md_escape(message[1]))
        names = list(dict.fromkeys(entities["entity"])) if len(entities) else []
        if names:
            _render_form(source, names, key=key)
        try:
            made = list_corrections(source)
        except ArticleError as error:
            st.error(md_escape(str(error)))
            return
        if made:
            st.markdown("**Corrections of this corpus**")
        for row in made:
            text, undo = st.columns([6, 1], vertical_alignment="center")
            text.markdown(md_escape(correction_line(row)))
            undo.button(
                "Undo",
                key=f"{key}_undo_{row.number}",
                on_click=_undo,
                args=(source, row.number, key),
                type="tertiary",
            )
        st.caption(
            "Every chart and table of the corpus follows a correction; the analysis itself is "
            "kept, so undoing one restores the counts. `newslens corpus correct` does the same "
            "from the command line."
        )


def _render_form(source: CorpusStore, names: list[str], *, key: str) -> None:
    ss = st.session_state
    chosen = ss.get(f"{key}_name")
    if chosen is None:
        ss[f"{key}_name"] = names[0]
    elif chosen not in names:
        # The reader's choice stays when this run's list lacks it (another filter, a run
        # drawn while a pick was on its way): it is still a name to correct.
        names = [*names, chosen]
    left, middle, right, button = st.columns([3, 2, 3, 1], vertical_alignment="bottom")
    name = left.selectbox("Name", names, key=f"{key}_name")
    kind = ACTIONS[middle.selectbox("What it is", list(ACTIONS), key=f"{key}_action")]
    if kind == "merge":
        right.selectbox(
            "The same as",
            [n for n in names if n != name],
            index=None,
            accept_new_options=True,
            placeholder="Choose a name or type one",
            key=f"{key}_target",
        )
    elif kind == "label":
        right.selectbox("Type", NAME_LABELS, format_func=type_name, key=f"{key}_type")
    button.button(
        "Apply",
        key=f"{key}_apply",
        on_click=_apply,
        args=(source, key),
        use_container_width=True,
        help="Stored in the corpus file: every view follows, for everyone who opens it.",
    )


def _apply(source: CorpusStore, key: str) -> None:
    """The Apply button: the correction stored, or a message saying why not."""
    ss = st.session_state
    kind = ACTIONS[ss[f"{key}_action"]]
    target = {"merge": ss.get(f"{key}_target"), "label": ss.get(f"{key}_type")}.get(kind)
    try:
        row = add_correction(source, kind, ss[f"{key}_name"], target, who=WHO)
    except (CorrectionError, ArticleError) as error:
        ss[f"{key}_message"] = ("error", str(error))
        return
    ss.pop(f"{key}_target", None)
    if kind != "label":
        ss.pop(f"{key}_name", None)  # merged or no name: gone from the list
    ss[f"{key}_message"] = ("success", f"Applied to the whole corpus: {correction_line(row)}")


def _undo(source: CorpusStore, number: int, key: str) -> None:
    """An Undo button: correction ``number`` removed from the corpus."""
    try:
        row = undo_correction(source, number)
    except ArticleError as error:
        st.session_state[f"{key}_message"] = ("error", str(error))
        return
    st.session_state[f"{key}_message"] = ("success", f"Undone: {correction_line(row)}")
