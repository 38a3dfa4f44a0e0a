"""``newslens corpus correct merge|label|ignore|list|undo``: the reader's corrections to the
entities of a whole corpus (:mod:`analysis.storage.corpus.corrections`).

Every corpus query follows a correction at once; the analysed rows never change, and an
article analysed again is corrected too. Exit status as the other corpus commands: 0 done,
2 bad usage or a correction that cannot be made (one line on stderr).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable

from analysis.core.entities import NAME_LABELS

PROG = "newslens corpus correct"


def correct_parser(commands, *, db: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the ``correct`` command and its five subcommands to ``commands`` (the corpus
    command's subparsers); ``db`` adds the ``--db`` flag to a parser."""
    correct = commands.add_parser(
        "correct",
        help="correct the entities of the whole corpus: merge two names, change a name's "
        "type, or say a name is none; list or undo corrections",
        description="Correct the entities of the whole corpus. Every query follows at once; "
        "the analysis itself is kept as it was, so a correction can be undone.",
    )
    # The corpus command's parser class: usage errors as one line, exit status 2.
    kinds = correct.add_subparsers(
        dest="correct_kind", required=True, metavar="ACTION", parser_class=commands._parser_class
    )
    merge = kinds.add_parser("merge", help='count NAME as TARGET ("Rathbun" is "Mark Rathbun")')
    merge.add_argument("name", metavar="NAME", help="the entity as the lists show it")
    merge.add_argument("target", metavar="TARGET", help="the entity it is")
    label = kinds.add_parser("label", help="give NAME another type (PERSON, ORG, GPE, ...)")
    label.add_argument("name", metavar="NAME", help="the entity as the lists show it")
    label.add_argument("target", metavar="TYPE", help=f"one of {', '.join(NAME_LABELS)}")
    ignore = kinds.add_parser("ignore", help="say NAME is no name (its mentions are dropped)")
    ignore.add_argument("name", metavar="NAME", help="the entity as the lists show it")
    kinds.add_parser("list", help="the corrections made, numbered, oldest first")
    undo = kinds.add_parser("undo", help="remove correction number N (see list)")
    undo.add_argument("number", metavar="N", type=int, help="the correction's number")
    for parser in (merge, label, ignore, kinds.choices["list"], undo):
        db(parser)


def run_correct(args, store) -> int:
    """Run one ``correct`` subcommand on ``store``; prints one line per result.

    Returns:
        the exit status (0; errors are raised as :class:`analysis.errors.ArticleError`).
    """
    from analysis.storage.corpus import corrections as C

    if args.correct_kind == "list":
        rows = C.list_corrections(store)
        if not rows:
            print("no corrections")
        for row in rows:
            print(
                f"{row.number}  {describe(row)}  ({row.who or 'unknown'}, {row.at:%Y-%m-%d %H:%M})"
            )
        return 0
    if args.correct_kind == "undo":
        row = C.undo_correction(store, args.number)
        print(f"correction {row.number} undone: {describe(row)}")
        return 0
    row = C.add_correction(
        store, args.correct_kind, args.name, getattr(args, "target", None), who=_user()
    )
    print(f"correction {row.number}: {describe(row)} (undo with: {PROG} undo {row.number})")
    return 0


def describe(row) -> str:
    """A correction in words: 'merge "Rathbun" into "Mark Rathbun"', 'label "Scientology"
    ORG', 'ignore "Day"'."""
    if row.kind == "merge":
        return f'merge "{row.name}" into "{row.target}"'
    if row.kind == "label":
        return f'label "{row.name}" {row.target}'
    return f'ignore "{row.name}"'


def _user() -> str | None:
    """The user's login name, from the password database (not the environment)."""
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError, OSError):
        return None
