"""``newslens``: the entry point. ``newslens corpus ...`` goes to :mod:`analysis.cli.corpus`,
anything else to :mod:`analysis.cli.article`."""

from __future__ import annotations

import sys

from analysis.cli import article, corpus
from analysis.cli.guard import guarded


def main(argv: list[str] | None = None) -> int:
    """Run ``newslens ARGS``; returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["corpus"]:
        return corpus.main(argv[1:])
    return article.main(argv)


def run(argv: list[str] | None = None) -> int:
    """:func:`main`, with no traceback for anything: an unexpected error is written to a log
    file and reported on one line with a reference (exit 70)."""
    return guarded(main, argv, fail=article.fail)
