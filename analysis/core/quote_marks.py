"""Where quotations stand in a paragraph: the quotation marks that open and close them (see
:mod:`analysis.core.quotes` for what counts as a quotation)."""

from __future__ import annotations

import re
import typing
from collections.abc import Sequence

_STRAIGHT_DOUBLE = {'"', "＂"}
_DOUBLE_MARKS = _STRAIGHT_DOUBLE | set("“”„‟«»「」")
_SINGLE_MARKS = set("'‘’‚‹›")
_ALL_MARKS = _DOUBLE_MARKS | _SINGLE_MARKS
_OPENING_CONTEXT = set("([{<—–-/:;,") | _ALL_MARKS
_CLOSING_CONTEXT = set(".,;:!?)]}>—–-…") | _ALL_MARKS
#: A word: letters or digits, with inner apostrophes or hyphens.
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_TRIM_END = " \t\r\n,;:"
#: How a quotation that an attribution follows ends ("...," she said; "...?" she asked).
_STRONG_END = (",", "?", "!", "—", "–", "-", "…")


class Span(typing.NamedTuple):
    open: int  # index of the opening mark
    close: int  # index of the closing mark, or len(text) when unclosed
    closed: bool


def _opens(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return (
        (not before or before.isspace() or before in _OPENING_CONTEXT)
        and bool(after)
        and (not after.isspace())
    )


def _closes(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return (
        bool(before)
        and not before.isspace()
        and (not after or after.isspace() or after in _CLOSING_CONTEXT)
    )


#: Where the marks are (a paragraph's other characters are skipped at once).
_DOUBLE_FOUND = re.compile("[" + re.escape("".join(sorted(_DOUBLE_MARKS))) + "]")
_SINGLE_FOUND = re.compile("[" + re.escape("".join(sorted(_SINGLE_MARKS))) + "]")


def _double_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    opened: int | None = None
    for mark in _DOUBLE_FOUND.finditer(text):
        i, char = mark.start(), mark.group()
        opens, closes = _opens(text, i), _closes(text, i)
        only_opens, only_closes = opens and not closes, closes and not opens
        if opened is None:
            if (
                char in "“„‟«「"
                or (char in _STRAIGHT_DOUBLE and not only_closes)
                or (char in "”»" and only_opens)
            ):
                opened = i
            continue
        first = text[opened]
        if (
            char in "”」"
            or (char == "»" and (first == "«" or not only_opens))
            or (char == "«" and first == "»")
            or (char in _STRAIGHT_DOUBLE and not only_opens)
            or (char == "“" and only_closes)
        ):
            spans.append(Span(opened, i, True))
            opened = None
        elif char in _STRAIGHT_DOUBLE or char in "“„‟«»「":
            opened = i
    if opened is not None:
        spans.append(Span(opened, len(text), False))
    return spans


def _single_spans(text: str, doubles: Sequence[Span]) -> list[Span]:
    inside = [False] * len(text)
    for span in doubles:
        for i in range(span.open, min(span.close + 1, len(text))):
            inside[i] = True
    spans: list[Span] = []
    opened: int | None = None
    for mark in _SINGLE_FOUND.finditer(text):
        i, char = mark.start(), mark.group()
        if inside[i]:
            continue
        after = text[i + 1] if i + 1 < len(text) else ""
        after_is_alnum = after.isalnum()
        if opened is not None and char in "'’›" and _closes(text, i) and not after_is_alnum:
            spans.append(Span(opened, i, True))
            opened = None
        elif (
            char in "‘‚‹"
            and _opens(text, i)
            or char == "'"
            and opened is None
            and _opens(text, i)
            and after.isalpha()
        ):
            opened = i
    if opened is not None:
        spans.append(Span(opened, len(text), False))
    return spans


def quote_spans(text: str) -> list[Span]:
    """Outermost quotation spans of one paragraph, in order."""
    doubles = _double_spans(text)
    spans = sorted(doubles + _single_spans(text, doubles))
    outer: list[Span] = []
    for span in spans:
        if outer and span.open < outer[-1].close:
            continue  # nested in the previous span
        outer.append(span)
    return outer


def inner(text: str, span: Span) -> tuple[int, int, bool]:
    """(start, end, strong) of the quoted text; strong when it ends like a quotation that an
    attribution follows (comma, question or exclamation mark, dash)."""
    start, end = span.open + 1, span.close
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    strong = text[start:end].endswith(_STRONG_END)
    while end > start and text[end - 1] in _TRIM_END:
        end -= 1
    return start, end, strong
