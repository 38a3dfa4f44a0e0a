"""The Article page's view as a value: what its URL query string (its share link) holds,
parsed and validated.

Pure (no Streamlit): the page reads :func:`from_query` once per session (and on the browser's
Back and Forward) and writes :func:`to_query` after every run, so copying the address bar
reproduces the view. The parameters' names and formats are those of every link made so far:
an old link opens the same view.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from analysis.core.corrections import CorrectionError, parse_corrections
from analysis.core.sentiment import DEFAULT_BAND, DEFAULT_MODEL, MODELS
from dashboard.labels import DEFAULT_TYPES, ENTITY_TYPES
from dashboard.links import last_value, unknown_note, unknown_params

__all__ = [
    "BAND_MAX",
    "BAND_MIN",
    "BAND_STEP",
    "TABS",
    "ViewState",
    "from_query",
    "parse_selection",
    "to_query",
]

TABS = ("words", "sentiment", "entities", "quotes", "context")
#: The neutral band's bounds and step (the slider's too); its default is the analysis's.
BAND_MIN, BAND_MAX, BAND_STEP = 0.0, 0.5, 0.01
MAX_TEXT_PARAM = 500


@dataclass(frozen=True)
class ViewState:
    """Everything a share link carries.

    ``article`` is a sample's slug or a stored article's key; ``text`` an article carried in
    the link. ``selection`` is ``w:<term>``, ``e:<entity>``, ``p:<paragraph>``, ``q:<speaker>`` or
    empty; ``first`` and ``last`` bound the paragraph range (0 = not set); ``band`` is the
    neutral band's half-width."""

    article: str = ""
    #: The article itself, when the link carries it (:func:`analysis.storage.links.encode_article`);
    #: ``article`` is then empty.
    text: str = ""
    tab: str = "words"
    top: int = 15
    stop: bool = True
    xstop: str = ""
    lemma: bool = False
    ngram: int = 1
    minlen: int = 2
    model: str = DEFAULT_MODEL
    band: float = DEFAULT_BAND
    types: tuple[str, ...] = DEFAULT_TYPES
    mincount: int = 1
    first: int = 0
    last: int = 0
    sel: str = ""
    removed: bool = False
    #: Hide terms counted only once; ``None`` follows the words per term (on for 2 and 3).
    hideonce: bool | None = None
    #: The reader's corrections to the names, in the text form of
    #: :func:`analysis.core.corrections.format_corrections`.
    corrections: str = ""

    @property
    def hides_once(self) -> bool:
        """Whether terms seen once are hidden: the link's choice, else on for n-grams."""
        return self.ngram >= 2 if self.hideonce is None else self.hideonce


_INT_BOUNDS = {
    "top": (3, 50),
    "ngram": (1, 3),
    "minlen": (1, 20),
    "mincount": (1, 1000),
    "first": (0, 100_000),
    "last": (0, 100_000),
}
#: What each link parameter sets, in the words of the sidebar.
PARAM_NAMES = {
    "article": "article",
    "text": "article text",
    "tab": "open tab",
    "top": "top terms",
    "stop": "remove stop words",
    "xstop": "extra stop words",
    "lemma": "count lemmas",
    "ngram": "words per term",
    "minlen": "minimum word length",
    "model": "sentiment model",
    "band": "neutral band",
    "types": "entity types",
    "mincount": "minimum mentions",
    "first": "first paragraph",
    "last": "last paragraph",
    "sel": "selection",
    "removed": "analyse the removed lines",
    "hideonce": "hide terms seen once",
    "corrections": "corrections to the names",
}
SELECTION_KINDS = {"w": "word", "e": "entity", "p": "paragraph", "q": "speaker"}


def _invalid(name: str, raw: str) -> str:
    """Why a link's value for ``name`` was ignored, in words a reader knows."""
    label = f"“{name}” ({PARAM_NAMES[name]})"
    if name in ("first", "last"):
        return f"{label} must be a paragraph number"
    if name in _INT_BOUNDS:
        low, high = _INT_BOUNDS[name]
        return f"{label} must be a number from {low} to {high}"
    if name == "band":
        return f"{label} must be a number from {BAND_MIN:.2f} to {BAND_MAX:.2f}"
    if name in ("stop", "lemma", "removed", "hideonce"):
        return f"{label} must be 1 (on) or 0 (off)"
    if name == "tab":
        return f"{label} must be one of {', '.join(TABS)}"
    if name == "model":
        return f"{label} must be {' or '.join(MODELS)}"
    if name == "sel":
        if len(raw) > MAX_TEXT_PARAM:
            return f"{label} is longer than {MAX_TEXT_PARAM} characters"
        return f"{label} must look like w:word, e:entity, p:3 or q:speaker"
    return f"{label} is longer than {MAX_TEXT_PARAM} characters"


def from_query(params: Mapping) -> tuple[ViewState, list[str]]:
    """Parse query parameters into a view; every invalid part falls back to the default.

    Returns:
        The view and, for each part that was ignored, a phrase saying why in a reader's words
        ("“top” (top terms) must be a number from 3 to 50"), in the order of the fields; then
        one phrase naming the parameters no link carries.
    """
    default = ViewState()
    values: dict = {}
    notes: list[str] = []
    for field in fields(ViewState):
        name = field.name
        if name not in params:
            continue
        raw = last_value(params[name]).strip()
        current = getattr(default, name)
        try:
            if name == "hideonce" or isinstance(current, bool):
                if raw not in ("0", "1"):
                    raise ValueError
                values[name] = raw == "1"
            elif isinstance(current, float):
                number = round(float(raw), 2)
                if not BAND_MIN <= number <= BAND_MAX:
                    raise ValueError
                values[name] = number
            elif isinstance(current, int):
                number = int(raw)
                low, high = _INT_BOUNDS[name]
                if not low <= number <= high:
                    raise ValueError
                values[name] = number
            elif name == "types":
                chosen = tuple(
                    dict.fromkeys(t.strip().upper() for t in raw.split(",") if t.strip())
                )
                unknown = [t for t in chosen if t not in ENTITY_TYPES]
                # The known types are kept: only what is wrong is dropped (all of it: the
                # default types).
                known = tuple(t for t in chosen if t in ENTITY_TYPES)
                if known or not unknown:
                    values[name] = known
                if unknown:
                    names = ", ".join(f"“{t}”" for t in unknown)
                    verb = "is not an entity type" if len(unknown) == 1 else "are not entity types"
                    notes.append(f"{names} {verb} (“types” lists types such as PERSON, ORG, GPE)")
            elif name == "tab":
                if raw not in TABS:
                    raise ValueError
                values[name] = raw
            elif name == "model":
                if raw not in MODELS:
                    raise ValueError
                values[name] = raw
            elif name == "corrections":
                try:
                    parse_corrections(raw)
                except CorrectionError as error:
                    notes.append(f"“corrections” ({PARAM_NAMES[name]}) were ignored: {error}")
                else:
                    values[name] = raw
            elif name == "text":
                # Checked (length first) when it is decoded, with its own message.
                values[name] = raw
            else:
                if len(raw) > MAX_TEXT_PARAM:
                    raise ValueError
                if name == "sel" and raw and not parse_selection(raw)[0]:
                    raise ValueError
                values[name] = raw
        except ValueError:
            notes.append(_invalid(name, raw))
    unknown = unknown_params(params, {field.name for field in fields(ViewState)})
    if unknown:
        notes.append(unknown_note(unknown))
    return replace(default, **values), notes


def to_query(state: ViewState) -> dict[str, str]:
    """Query parameters for a view: only the values that differ from the defaults."""
    default = ViewState()
    query: dict[str, str] = {}
    for field in fields(ViewState):
        value = getattr(state, field.name)
        if value == getattr(default, field.name):
            continue
        if value is None:
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
    kind, _, value = selection.partition(":")
    if kind in SELECTION_KINDS and value:
        if SELECTION_KINDS[kind] == "paragraph" and not value.isdigit():
            return "", ""
        return SELECTION_KINDS[kind], value
    return "", ""
