"""The view as a value: what the URL query string holds, parsed and validated.

Pure (no Streamlit): the app reads :func:`from_query` once per session and writes
:func:`to_query` after every run, so copying the address bar reproduces the view.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

TABS = ("words", "sentiment", "entities", "quotes", "context")
MODELS = ("vader", "textblob")
#: The neutral band's half-width: a score within +/-band is neutral (the slider's bounds).
BAND_DEFAULT, BAND_MIN, BAND_MAX, BAND_STEP = 0.05, 0.0, 0.5, 0.01
ENTITY_TYPES = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
    "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
)  # fmt: skip
DEFAULT_TYPES = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT",
                 "WORK_OF_ART", "LAW", "LANGUAGE")  # fmt: skip
MAX_TEXT_PARAM = 500


@dataclass(frozen=True)
class ViewState:
    """Everything a share link carries.

    ``selection`` is ``w:<term>``, ``e:<entity>``, ``p:<paragraph>``, ``q:<speaker>`` or
    empty; ``first`` and ``last`` bound the paragraph range (0 = not set); ``band`` is the
    neutral band's half-width."""

    article: str = ""
    tab: str = "words"
    top: int = 15
    stop: bool = True
    xstop: str = ""
    lemma: bool = False
    ngram: int = 1
    minlen: int = 2
    model: str = "vader"
    band: float = BAND_DEFAULT
    types: tuple[str, ...] = DEFAULT_TYPES
    mincount: int = 1
    first: int = 0
    last: int = 0
    sel: str = ""
    removed: bool = False


_INT_BOUNDS = {"top": (3, 50), "ngram": (1, 3), "minlen": (1, 20), "mincount": (1, 1000),
               "first": (0, 100_000), "last": (0, 100_000)}  # fmt: skip


def _one(value) -> str:
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else ""
    return str(value)


def from_query(params: Mapping) -> tuple[ViewState, list[str]]:
    """Parse query parameters into a view; invalid values fall back to the default.

    Returns:
        The view and a list of notes on the values that were ignored.
    """
    default = ViewState()
    values: dict = {}
    notes: list[str] = []
    for field in fields(ViewState):
        name = field.name
        if name not in params:
            continue
        raw = _one(params[name]).strip()
        current = getattr(default, name)
        try:
            if isinstance(current, float):
                number = round(float(raw), 2)
                if not BAND_MIN <= number <= BAND_MAX:
                    raise ValueError
                values[name] = number
            elif isinstance(current, bool):
                if raw not in ("0", "1"):
                    raise ValueError
                values[name] = raw == "1"
            elif isinstance(current, int):
                number = int(raw)
                low, high = _INT_BOUNDS[name]
                if not low <= number <= high:
                    raise ValueError
                values[name] = number
            elif name == "types":
                chosen = tuple(t for t in raw.split(",") if t)
                if any(t not in ENTITY_TYPES for t in chosen):
                    raise ValueError
                values[name] = chosen
            elif name == "tab":
                if raw not in TABS:
                    raise ValueError
                values[name] = raw
            elif name == "model":
                if raw not in MODELS:
                    raise ValueError
                values[name] = raw
            else:
                if len(raw) > MAX_TEXT_PARAM:
                    raise ValueError
                values[name] = raw
        except ValueError:
            notes.append(f"The link's value for “{name}” was not understood and was ignored.")
    return replace(default, **values), notes


def to_query(state: ViewState) -> dict[str, str]:
    """Query parameters for a view: only the values that differ from the defaults."""
    default = ViewState()
    query: dict[str, str] = {}
    for field in fields(ViewState):
        value = getattr(state, field.name)
        if value == getattr(default, field.name):
            continue
        if isinstance(value, bool):
            query[field.name] = "1" if value else "0"
        elif isinstance(value, tuple):
            query[field.name] = ",".join(value)
        else:
            query[field.name] = str(value)
    return query


def parse_selection(selection: str) -> tuple[str, str]:
    """("word" | "entity" | "paragraph" | "speaker" | "", value) from a ``sel`` value."""
    kinds = {"w": "word", "e": "entity", "p": "paragraph", "q": "speaker"}
    kind, _, value = selection.partition(":")
    if kind in kinds and value:
        return kinds[kind], value
    return "", ""
