"""What the ``newslens corpus`` commands share: the corpus file they work on, day arguments,
the Dask engine's set-up, and how errors and waits are said."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from analysis.errors import ArticleError

PROG = "newslens corpus"


def db_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--db FILE`` (the corpus file) to ``parser``."""
    parser.add_argument(
        "--db", metavar="FILE", help="the corpus file (default $NEWSLENS_DATA_DIR/corpus.duckdb)"
    )


def day(text: str) -> str:
    """``text`` as an ISO day (an argparse type: a bad day is a usage error)."""
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def fail(message: str) -> None:
    """Print ``message`` as the command's one error line on stderr."""
    print(f"{PROG}: error: {message}", file=sys.stderr)


def corpus_store(args, *, existing: bool):
    """The corpus ``--db`` names (or the default one); with ``existing``, it must exist."""
    from analysis.storage.corpus.store import CorpusStore

    path = Path(args.db) if args.db else args.settings.corpus_path
    if existing and not path.is_file():
        raise ArticleError(f"no corpus at {path}; add documents with: {PROG} add PATH...")
    if path.is_dir():
        raise ArticleError(f"{path} is a folder, not a corpus file.")
    return CorpusStore(path)


def waiting(message: str) -> None:
    """Say on stderr what a writer waits for."""
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def add_dask(args, store, items, progress=None):
    """Analyse ``items`` on the Dask cluster the arguments name and store them: the number
    stored (:func:`analysis.runners.corpus.run_dask`)."""
    from distributed import Client, LocalCluster

    from analysis.runners.corpus import run_dask

    options = dict(
        store=store,
        shard_dir=args.shards,
        partition_size=args.partition_size,
        model=args.settings.spacy_model,
        options=args.options,
        max_chars=args.max_chars,
        progress=progress,
    )
    if args.scheduler == "local":
        cluster = LocalCluster(
            n_workers=args.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
        )
        with cluster, Client(cluster) as client:
            return run_dask(items, client=client, **options)
    try:
        client = Client(args.scheduler, timeout=10)
    except (OSError, TimeoutError, ValueError) as error:
        raise ArticleError(
            f"cannot reach the Dask scheduler at {args.scheduler} ({type(error).__name__})"
        ) from None
    with client:
        return run_dask(items, client=client, **options)


def existing_store(args):
    """The corpus ``--db`` names (or the default one), checked to be a corpus file; named in
    messages as typed (the default one by its path in the data folder: the command line runs
    on the user's own machine)."""
    from analysis.storage.corpus.location import check_corpus_file
    from analysis.storage.corpus.store import CorpusStore

    path = Path(args.db) if args.db else args.settings.corpus_path
    shown = args.db or str(path)
    if not path.exists():
        raise ArticleError(f"no corpus at {shown}; add documents with: {PROG} add PATH...")
    check_corpus_file(path, shown=shown)
    args.shown = shown
    return CorpusStore(path)


def print_failures(report) -> None:
    """The documents a run could not store, one line each on stderr (the first ones; the
    rest are counted and left to the errors table)."""
    for error in report.errors:
        print(f"  failed: {error.document}: {error.reason}", file=sys.stderr)
    if report.failed > len(report.errors):
        print(
            f"  ... and {report.failed - len(report.errors)} more (see the errors table: "
            f"{PROG} export)",
            file=sys.stderr,
        )
