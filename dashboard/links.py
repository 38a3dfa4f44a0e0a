"""What every page's share link has in common: how a parameter's value is read, which
parameters belong to no page, and the one message that says what a link asked for in vain.

Each page's own parameters are in its ``link`` module (:mod:`dashboard.article.link`,
:mod:`dashboard.corpus.link`). Pure: no Streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def last_value(value) -> str:
    """A parameter's value as text; of a repeated parameter (a list), the last one."""
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else ""
    return str(value)


def unknown_params(params: Iterable, known: set[str]) -> list[str]:
    """The parameters of a link that no page setting carries (Streamlit's own ``embed`` and
    ``embed_*`` options are left alone), in the link's order."""
    return [
        str(name)
        for name in params
        if name not in known and name != "embed" and not str(name).startswith("embed_")
    ]


def unknown_note(unknown: Sequence[str], *, what: str = "a NewsLens link") -> str:
    """The phrase naming parameters no link carries: "“colour” is not a setting a NewsLens
    link carries" (at most five names, each cut to 40 characters)."""
    names = ", ".join(f"“{name[:40]}”" for name in unknown[:5])
    verb = "is not a setting" if len(unknown) == 1 else "are not settings"
    return f"{names} {verb} {what} carries"


def link_message(notes: Sequence[str]) -> str:
    """One message for everything a link asked for that could not be used.

    Returns:
        "" for no notes; else "Part of this link was ignored: <note>." or "Parts of this link
        were ignored: <note>; <note>." with each note as given.
    """
    if not notes:
        return ""
    head = "Part of this link was ignored" if len(notes) == 1 else "Parts of this link were ignored"
    return f"{head}: {'; '.join(notes)}."
