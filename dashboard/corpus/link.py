"""The Corpus and Compare pages as values: what their URL query strings (share links) hold,
parsed and validated.

Pure (no Streamlit), like :mod:`dashboard.article.link` for the Article page: a page reads
:func:`from_query` once per session and writes :func:`to_query` after every run, so copying
the address bar reproduces the view. The bounds below are the widgets' bounds too. The
parameters' names and formats are those of every link made so far: an old link opens the
same view.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import NamedTuple

from analysis.core.sentiment import DEFAULT_MODEL, MODELS
from dashboard.labels import ENTITY_TYPES
from dashboard.links import last_value, unknown_note, unknown_params

__all__ = [
    "CorpusState",
    "Point",
    "from_query",
    "parse_item",
    "parse_point",
    "to_query",
]

SAMPLE = "sample"
#: A stored corpus is named by its file name in the data folder, never by a path.
CORPUS_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
INTERVALS = ("day", "week", "month")
LINES = ("item", "source")
#: What the coverage chart's lines show: mentions per period, or the share of the period's
#: articles that mention the item (Media Cloud's "normalized" coverage).
MEASURES = ("count", "share")
FLAGS = ("dups", "stop")
#: Chosen entities and terms for the coverage chart: ``e:<entity>`` or ``t:<term>``.
ITEM_KINDS = {"e": "entity", "t": "term"}
MAX_ITEMS = 8
MAX_SOURCES = 50
COMPARE_MIN, COMPARE_MAX = 2, 4
#: An article key is the SHA-256 of its input (64 hex digits); a link may shorten it.
DOC_KEY = re.compile(r"[0-9a-f]{8,64}")
TOP_DEFAULT, TOP_MIN, TOP_MAX = 15, 5, 50
MAX_TEXT_PARAM = 500
DISTINCT_KINDS = ("source", "month")
#: The views below tone, drawn only when chosen (each one drawn is redrawn on every change):
#: who is quoted, entities together, distinctive words.
SECTIONS = ("quoted", "pairs", "dist")

PARAM_NAMES = {
    "corpus": "corpus",
    "start": "first day",
    "end": "last day",
    "sources": "sources",
    "q": "text search",
    "entity": "entity filter",
    "items": "coverage entities and terms",
    "lines": "one line per",
    "interval": "granularity",
    "point": "selected coverage point",
    "types": "entity types",
    "top": "top entities and terms",
    "model": "sentiment model",
    "pair": "co-occurring pair",
    "dist": "distinctive terms of",
    "open": "views shown",
    "compare": "articles compared",
    "measure": "coverage measure",
    "dups": "count every copy",
    "stop": "word counts with stop words",
    "xstop": "words left out of word counts",
}


@dataclass(frozen=True)
class CorpusState:
    """Everything a Corpus or Compare share link carries.

    ``items`` are ``e:<entity>`` / ``t:<term>``; ``point`` is ``<ISO day>|<line>`` (the line's
    name: an item or an outlet); ``pair`` is ``<entity>|<entity>``; ``dist`` is
    ``source:<outlet>`` or ``month:<YYYY-MM>``; ``open`` the :data:`SECTIONS` shown, in page
    order; ``compare`` holds 2 to 4 article keys (or none); ``measure`` is one of
    :data:`MEASURES`; ``dups`` counts every copy of a story (the queries' ``include_duplicates``);
    ``stop`` keeps stop words in the word counts and ``xstop`` lists the reader's own words
    left out of them.
    """

    corpus: str = SAMPLE
    start: date | None = None
    end: date | None = None
    sources: tuple[str, ...] = ()
    q: str = ""
    entity: str = ""
    items: tuple[str, ...] = ()
    lines: str = "item"
    interval: str = "month"
    point: str = ""
    types: tuple[str, ...] = ()
    top: int = TOP_DEFAULT
    model: str = DEFAULT_MODEL
    pair: str = ""
    dist: str = ""
    open: tuple[str, ...] = ()
    compare: tuple[str, ...] = ()
    measure: str = "count"
    dups: bool = False
    stop: bool = False
    xstop: str = ""


class Point(NamedTuple):
    """A selected coverage point: the period's first day and the line's name."""

    period: date
    line: str


def parse_item(item: str) -> tuple[str, str]:
    """("entity" | "term" | "", name) from an ``items`` value such as ``e:China``."""
    kind, _, name = item.partition(":")
    name = name.strip()
    if kind in ITEM_KINDS and name:
        return ITEM_KINDS[kind], name
    return "", ""


def make_item(kind: str, name: str) -> str:
    """``e:<name>`` for an entity, ``t:<name>`` (case-folded) for a term."""
    if kind == "entity":
        return f"e:{name}"
    return f"t:{name.casefold()}"


def parse_point(point: str) -> Point | None:
    """The :class:`Point` of a ``point`` value (``2020-03-01|e:China``), or None."""
    day, sep, line = point.partition("|")
    if not sep or not line.strip():
        return None
    try:
        return Point(date.fromisoformat(day), line)
    except ValueError:
        return None


def make_point(period: date, line: str) -> str:
    return f"{period.isoformat()}|{line}"


def parse_pair(pair: str) -> tuple[str, str] | None:
    """(entity_a, entity_b), in alphabetical order, of a ``pair`` value, or None."""
    a, sep, b = pair.partition("|")
    if not sep or not a.strip() or not b.strip() or a == b:
        return None
    return (a, b) if a < b else (b, a)


def parse_dist(dist: str) -> tuple[str, str] | None:
    """("source", outlet) or ("month", "YYYY-MM") of a ``dist`` value, or None."""
    kind, sep, value = dist.partition(":")
    if not sep or kind not in DISTINCT_KINDS or not value:
        return None
    if kind == "month":
        try:
            date.fromisoformat(f"{value}-01")
        except ValueError:
            return None
    return kind, value


def _list(raw: str) -> tuple[str, ...]:
    """Comma-separated values; a literal comma inside one is written ``\\,``."""
    parts = re.split(r"(?<!\\),", raw)
    return tuple(dict.fromkeys(p.replace("\\,", ",").strip() for p in parts if p.strip()))


def _join(values: Sequence[str]) -> str:
    return ",".join(v.replace(",", "\\,") for v in values)


def _invalid(name: str) -> str:
    label = f"“{name}” ({PARAM_NAMES[name]})"
    reasons = {
        "corpus": f"must be “{SAMPLE}” or the file name of a stored corpus",
        "start": "must be a day written YYYY-MM-DD",
        "end": "must be a day written YYYY-MM-DD, not before the first day",
        "sources": f"must list at most {MAX_SOURCES} outlets",
        "items": f"must list 1 to {MAX_ITEMS} values such as e:China or t:virus",
        "lines": f"must be {' or '.join(LINES)}",
        "interval": f"must be one of {', '.join(INTERVALS)}",
        "point": "must look like 2020-03-01|e:China",
        "top": f"must be a number from {TOP_MIN} to {TOP_MAX}",
        "model": f"must be {' or '.join(MODELS)}",
        "pair": "must look like China|Japan",
        "dist": "must look like source:wikinews.org or month:2020-03",
        "compare": f"must list {COMPARE_MIN} to {COMPARE_MAX} article keys (hexadecimal)",
        "measure": f"must be {' or '.join(MEASURES)}",
        "dups": "must be 1 or 0",
        "stop": "must be 1 or 0",
    }
    return f"{label} {reasons.get(name, f'is longer than {MAX_TEXT_PARAM} characters')}"


def _parse(name: str, raw: str, notes: list[str]):
    """The value of one parameter; raises ValueError when it is not valid."""
    if len(raw) > MAX_TEXT_PARAM * (MAX_SOURCES if name == "sources" else 1):
        raise ValueError
    if name == "corpus":
        if raw != SAMPLE and (not CORPUS_NAME.fullmatch(raw) or ".." in raw):
            raise ValueError
        return raw
    if name in ("start", "end"):
        return date.fromisoformat(raw)
    if name == "sources":
        chosen = _list(raw)
        if not chosen or len(chosen) > MAX_SOURCES:
            raise ValueError
        return chosen
    if name == "items":
        chosen = _list(raw)
        if not chosen or len(chosen) > MAX_ITEMS or not all(parse_item(i)[0] for i in chosen):
            raise ValueError
        return tuple(make_item(*parse_item(i)) for i in chosen)
    if name == "types":
        chosen = tuple(dict.fromkeys(t.strip().upper() for t in raw.split(",") if t.strip()))
        unknown = [t for t in chosen if t not in ENTITY_TYPES]
        if unknown:
            names = ", ".join(f"“{t}”" for t in unknown)
            verb = "is not an entity type" if len(unknown) == 1 else "are not entity types"
            notes.append(f"{names} {verb} (“types” lists types such as PERSON, ORG, GPE)")
        return tuple(t for t in chosen if t in ENTITY_TYPES)
    if name in FLAGS:
        if raw not in ("0", "1"):
            raise ValueError
        return raw == "1"
    if name in ("lines", "interval", "model", "measure"):
        allowed = {"lines": LINES, "interval": INTERVALS, "model": MODELS, "measure": MEASURES}[
            name
        ]
        if raw not in allowed:
            raise ValueError
        return raw
    if name == "top":
        number = int(raw)
        if not TOP_MIN <= number <= TOP_MAX:
            raise ValueError
        return number
    if name == "point" and raw and parse_point(raw) is None:
        raise ValueError
    if name == "pair" and raw and parse_pair(raw) is None:
        raise ValueError
    if name == "dist" and raw and parse_dist(raw) is None:
        raise ValueError
    if name == "open":
        chosen = _list(raw)
        unknown = [v for v in chosen if v not in SECTIONS]
        if unknown:
            names = ", ".join(f"“{v[:40]}”" for v in unknown[:5])
            verb = "is not a view" if len(unknown) == 1 else "are not views"
            notes.append(f"{names} {verb} (“open” lists {', '.join(SECTIONS)})")
        return tuple(v for v in SECTIONS if v in chosen)
    if name == "compare":
        keys = tuple(dict.fromkeys(k.strip().lower() for k in raw.split(",") if k.strip()))
        if not COMPARE_MIN <= len(keys) <= COMPARE_MAX or not all(
            DOC_KEY.fullmatch(k) for k in keys
        ):
            raise ValueError
        return keys
    return raw


def from_query(params: Mapping) -> tuple[CorpusState, list[str]]:
    """Parse query parameters into a :class:`CorpusState`; every invalid part falls back to
    the default.

    Returns:
        The state and, for each part that was ignored, a phrase saying why in a reader's words
        (“top” (top entities and terms) must be a number from 5 to 50), in the order of the
        fields; then one phrase naming the parameters no Corpus link carries. Give them to
        :func:`dashboard.links.link_message` for one message.
    """
    values: dict = {}
    notes: list[str] = []
    for field in fields(CorpusState):
        name = field.name
        if name not in params:
            continue
        raw = last_value(params[name]).strip()
        try:
            values[name] = _parse(name, raw, notes)
        except ValueError:
            notes.append(_invalid(name))
    if values.get("start") and values.get("end") and values["end"] < values["start"]:
        del values["end"]
        notes.append(_invalid("end"))
    # A link with a chosen pair or distinctive target shows its view (links made before the
    # views could be hidden carry no "open").
    shown = set(values.get("open", ()))
    shown |= {"pairs"} if values.get("pair") else set()
    shown |= {"dist"} if values.get("dist") else set()
    if shown:
        values["open"] = tuple(v for v in SECTIONS if v in shown)
    unknown = unknown_params(params, {field.name for field in fields(CorpusState)})
    if unknown:
        notes.append(unknown_note(unknown, what="a NewsLens corpus link"))
    return replace(CorpusState(), **values), notes


def to_query(state: CorpusState) -> dict[str, str]:
    """Query parameters for a state: only the values that differ from the defaults."""
    default = CorpusState()
    query: dict[str, str] = {}
    for field in fields(CorpusState):
        value = getattr(state, field.name)
        if value == getattr(default, field.name) or value is None:
            continue
        if isinstance(value, bool):
            query[field.name] = "1" if value else "0"
        elif isinstance(value, date):
            query[field.name] = value.isoformat()
        elif isinstance(value, tuple):
            query[field.name] = (
                _join(value) if field.name in ("sources", "items") else ",".join(value)
            )
        else:
            query[field.name] = str(value)
    return query
