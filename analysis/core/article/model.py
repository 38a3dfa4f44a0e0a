"""What the cleaner makes of an input: the :class:`Article`, its :class:`Segment` s, the
:class:`RemovedLine` s it dropped and the :class:`Subheading` s it kept apart."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

#: Default size limit, in characters of decoded text (``max_chars=``; the command line and the
#: app pass ``NEWSLENS_MAX_CHARS`` from :mod:`analysis.settings`).
DEFAULT_MAX_CHARS = 1_000_000


@dataclass(frozen=True)
class RemovedLine:
    """A line the cleaner dropped from the article.

    Attributes:
        text: the line as it appeared (outer whitespace trimmed).
        reason: why it was dropped, in words a reader understands.
        kind: what the line was: ``caption`` (photo caption or credit), ``duplicate`` (repeats
            an earlier line), ``furniture`` (navigation, promotion), ``separator`` (no words),
            ``sources`` (the list of sources or references closing the article, its heading
            included), ``related`` (the list of related articles closing it), ``tags``
            (category or tag list), ``link`` ("Read more: ..." and the like), ``credit``
            ("Reporting by ...; Editing by ..."), ``copyright`` ("© 2024 Example Media"),
            ``pullquote`` (a quotation repeated in large type from a body paragraph),
            ``dateline`` (a date alone on a line near the top of the body, used as the
            published date).
        line: 1-based line number in the decoded input (for HTML: in the extracted text).
    """

    text: str
    reason: str
    kind: str
    line: int


class Subheading(NamedTuple):
    """A short heading inside the body ("What happens next"): kept, shown, not analysed.

    Attributes:
        before: the 1-based number of the body paragraph it stands above.
        text: the heading as it appeared (outer whitespace trimmed).
        line: 1-based line number in the decoded input (for HTML: in the extracted text).
    """

    before: int
    text: str
    line: int


@dataclass(frozen=True)
class Segment:
    """One unit of analysed text: the headline (index 0), a body paragraph (1..n) or, when the
    user asks for it, a removed line (n+1..)."""

    index: int
    kind: str  # "headline" | "body" | "removed"
    text: str


@dataclass(frozen=True)
class Article:
    """A cleaned news article.

    Attributes:
        title: the headline, or None when the text has none.
        author: the byline's name(s), or None.
        published: ISO 8601 date or date-time (with offset when the text names a zone), or None.
        paragraphs: the body paragraphs, in order, never empty.
        removed: lines the cleaner dropped, in input order, each with its reason.
        warnings: notes on degraded input (encoding guessed, HTML extracted, ...).
        source: where the text came from (file name, URL), if known.
        format: ``text`` or ``html``.
        subheadings: short headings between body paragraphs, in order; neither paragraphs
            (so not analysed and not numbered) nor removed lines.
        encoding: how bytes were decoded (:data:`analysis.core.article.decode.ENCODINGS`), or
            None for text given as text; ``windows-1252`` means the bytes were not UTF-8 and
            the encoding was guessed (:attr:`warnings` says so too).
    """

    title: str | None
    author: str | None
    published: str | None
    paragraphs: tuple[str, ...]
    removed: tuple[RemovedLine, ...] = ()
    warnings: tuple[str, ...] = ()
    source: str | None = None
    format: str = "text"
    characters: int = field(default=0, compare=False)
    subheadings: tuple[Subheading, ...] = ()
    encoding: str | None = field(default=None, compare=False)

    def segments(self, *, include_removed: bool = False) -> tuple[Segment, ...]:
        """The units analysed: headline (index 0, if any), body paragraphs (1..n) and, with
        ``include_removed``, the removed lines (n+1..)."""
        units: list[Segment] = []
        if self.title:
            units.append(Segment(0, "headline", self.title))
        units.extend(Segment(i, "body", text) for i, text in enumerate(self.paragraphs, 1))
        if include_removed:
            start = len(self.paragraphs) + 1
            units.extend(
                Segment(start + i, "removed", line.text) for i, line in enumerate(self.removed)
            )
        return tuple(units)
