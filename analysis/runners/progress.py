"""The progress line of a corpus run (:class:`Progress`), on stderr."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.runners.corpus import IngestReport


class Progress:
    """A progress line on stderr with rate and ETA: redrawn in place on a terminal, every few
    seconds in a log file.

    Args:
        total: documents expected, or None when unknown (no bar, no ETA).
        enabled: draw anything at all.
        stream: where to draw; default ``sys.stderr``.
    """

    def __init__(self, total: int | None, *, enabled: bool = True, stream=None) -> None:
        self.total = total
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.start = time.monotonic()
        self.last = 0.0

    def update(self, counts: IngestReport, *, final: bool = False) -> None:
        """Redraw with ``counts`` (an :class:`~analysis.runners.corpus.IngestReport` or the
        running counts, which have the same count attributes)."""
        now = time.monotonic()
        if not self.enabled or (not final and now - self.last < (0.2 if self.tty else 5.0)):
            return
        self.last = now
        done = counts.added + counts.skipped + counts.failed + counts.stored_by_others
        elapsed = max(now - self.start, 1e-9)
        rate = done / elapsed
        if self.total:
            filled = min(30, int(30 * done / self.total))
            text = f"[{'#' * filled}{'.' * (30 - filled)}] {done}/{self.total}"
        else:
            text = f"{done} documents"
        text += f"  {rate:.1f} docs/s"
        if self.total and not final and rate > 0:
            text += f"  ETA {_clock(max(self.total - done, 0) / rate)}"
        text += f"  {counts.added} added, {counts.skipped} skipped, {counts.failed} failed"
        if final:
            text += f"  ({_clock(elapsed)})"
        end = "\n" if final or not self.tty else ""
        self.stream.write(("\r\033[K" if self.tty else "") + text + end)
        self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"
