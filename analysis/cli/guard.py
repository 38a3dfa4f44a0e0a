"""The command line's last line of defence: no traceback reaches the terminal."""

from __future__ import annotations

from pathlib import Path


def guarded(main_function, argv: list[str] | None, *, fail) -> int:
    """``main_function(argv)`` with no traceback for anything: Ctrl-C exits 130; an unexpected
    error is written to a log file and reported through ``fail`` on one line with a reference
    (exit 70)."""
    try:
        return main_function(argv)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the last line of defence: report, never dump a traceback
        import tempfile
        import traceback
        import uuid

        reference = uuid.uuid4().hex[:8]
        log = Path(tempfile.gettempdir()) / f"newslens-error-{reference}.log"
        log.write_text(traceback.format_exc(), encoding="utf-8")
        fail(
            f"unexpected {type(error).__name__}; please report reference {reference} "
            f"(details in {log})"
        )
        return 70
