"""``newslens corpus collect``: articles of news sites, feeds, sitemaps and URL lists into a
corpus, politely (:mod:`analysis.runners.collect`); exit status as ``add``."""

from __future__ import annotations

import functools
import sys
from datetime import date
from pathlib import Path

from analysis.cli.shared import add_dask, corpus_store, day, db_option, fail, print_failures
from analysis.errors import ArticleError


def collect_parser(commands) -> None:
    collect = commands.add_parser(
        "collect",
        help="collect articles from sites, feeds, sitemaps or files of URLs",
        description="Collect the articles of news sites into the corpus, politely: robots.txt "
        "obeyed, one request at a time per site, feeds asked for only when changed, URLs "
        "already stored not fetched again.",
    )
    collect.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE",
        help="a site's home page, a feed (RSS, Atom, JSON Feed), a sitemap or sitemap index, "
        "or a file of URLs (one per line, or a CSV with a url column)",
    )
    db_option(collect)
    collect.add_argument(
        "--again",
        action="store_true",
        help="collect again from every source this corpus was collected from",
    )
    collect.add_argument(
        "--since", type=day, metavar="DATE", help="leave out articles dated before this day"
    )
    collect.add_argument(
        "--limit", type=int, metavar="N", help="fetch at most N article pages in this run"
    )
    collect.add_argument(
        "--delay",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="seconds between two requests to the same site (default 1)",
    )
    collect.add_argument(
        "--revisit",
        type=float,
        metavar="DAYS",
        help="fetch again the pages first stored less than DAYS days ago, and keep a changed "
        "text as a new revision",
    )
    collect.add_argument(
        "--max-items",
        type=int,
        default=1000,
        metavar="N",
        help="article URLs read from one feed or sitemap, the newest (default 1000)",
    )
    collect.add_argument(
        "--max-time",
        type=float,
        default=3600.0,
        metavar="SECONDS",
        help="stop fetching after this long; the rest waits for the next run (default 3600)",
    )
    collect.add_argument("--engine", choices=("local", "dask"), default="local", help="as for add")
    collect.add_argument("--workers", type=int, default=1, metavar="N", help="as for add")
    collect.add_argument("--scheduler", metavar="ADDRESS", help="as for add")
    collect.add_argument("--shards", metavar="DIR", help="as for add")
    collect.add_argument("--partition-size", type=int, default=16, metavar="N", help="as for add")
    collect.add_argument("--batch-size", type=int, default=128, metavar="N", help="as for add")
    collect.add_argument("--max-chars", type=int, default=None, metavar="N", help="as for add")
    collect.add_argument("--quiet", "-q", action="store_true", help="no progress line")


def run_collect_command(args) -> int:
    from analysis.sources.collect import CollectOptions
    from analysis.sources.files import is_url
    from analysis.storage.corpus import collection
    from analysis.storage.corpus.records import corpus_options

    problem = _collect_usage(args)
    if problem:
        fail(problem)
        return 2
    store = corpus_store(args, existing=args.again)
    sources = list(args.sources)
    if args.again:
        store.ensure()
        sources += [s for s in collection.collect_sources(store)["source"] if s not in sources]
        if not sources:
            raise ArticleError(f"{store.path} has no collection sources yet: name one or more.")
    for source in args.sources:
        if "://" in source and not is_url(source):
            raise ArticleError(f"{source}: only http:// and https:// addresses can be collected.")
        if not is_url(source) and not Path(source).is_file():
            # No https:// is guessed: "urls.txt" looks like a host name too.
            raise ArticleError(
                f"{source}: neither an http(s) address nor a file of URLs (no such file; "
                "write a web address with https://)."
            )
    settings = args.settings
    args.max_chars = args.max_chars or settings.max_chars
    args.options = corpus_options(entity_aliases=settings.entity_aliases)
    options = CollectOptions(
        delay=args.delay,
        since=date.fromisoformat(args.since) if args.since else None,
        limit=args.limit,
        revisit_days=args.revisit,
        max_items=args.max_items,
        max_seconds=args.max_time,
        user_agent=settings.user_agent,
        allow_private=settings.allow_private_urls,
        max_chars=args.max_chars,
    )
    line = _CollectLine(enabled=not args.quiet)
    try:
        report = _run_collect(args, store, sources, options, line)
    except _NoModel as error:
        fail(str(error))
        return 3
    finally:
        line.close()
    if report.added:
        store.compact()  # as after add: new postings sit unsorted until compacted
    print(
        f"{report.summary()} ({report.seconds:.1f} s, {report.requests} requests); "
        f"corpus: {store.path}"
    )
    print_failures(report)
    return 1 if report.failed else 0


def _collect_usage(args) -> str | None:
    """What is wrong with the flags of ``collect``, in one line, or None."""
    if not args.sources and not args.again:
        return "collect needs at least one SOURCE, or --again"
    checks = (
        ("delay", 0, "--delay must be 0 or more"),
        ("revisit", 0, "--revisit must be 0 or more"),
        ("limit", 1, "--limit must be at least 1"),
        ("max_items", 1, "--max-items must be at least 1"),
        ("max_time", 0, "--max-time must be more than 0"),
        ("workers", 1, "--workers must be at least 1"),
        ("partition_size", 1, "--partition-size must be at least 1"),
        ("batch_size", 1, "--batch-size must be at least 1"),
        ("max_chars", 1, "--max-chars must be at least 1"),
    )
    for name, least, message in checks:
        value = getattr(args, name)
        if value is not None and (value < least or (name == "max_time" and value == 0)):
            return message
    if args.engine == "dask" and not args.scheduler:
        return "--engine dask needs --scheduler ADDRESS (or --scheduler local)"
    if args.engine == "local" and args.scheduler:
        return "--scheduler is for --engine dask"
    return None


class _NoModel(Exception):
    """No spaCy model could be loaded (exit 3)."""


def _run_collect(args, store, sources, options, line):
    from analysis.core.nlp import ModelNotFoundError, load_nlp
    from analysis.runners.collect import run_collect
    from analysis.runners.corpus import run_local

    settings = args.settings
    if args.engine == "dask":
        ingest = functools.partial(add_dask, args, store, progress=None)
    else:
        nlp = None
        if args.workers == 1:
            try:
                nlp = load_nlp(preferred=settings.spacy_model)
            except ModelNotFoundError as error:
                raise _NoModel(str(error)) from None
        ingest = functools.partial(
            run_local,
            store=store,
            workers=args.workers,
            nlp=nlp,
            model=settings.spacy_model,
            options=args.options,
            partition_size=args.partition_size,
            batch_size=args.batch_size,
            max_chars=args.max_chars,
        )
    try:
        return run_collect(
            sources, store=store, options=options, ingest=ingest, progress=line.update
        )
    except ModelNotFoundError as error:
        raise _NoModel(str(error)) from None


class _CollectLine:
    """The progress of a collection on stderr: redrawn in place on a terminal, every few
    seconds in a log file."""

    def __init__(self, *, enabled: bool, stream=None) -> None:
        import time

        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.clock = time.monotonic
        self.last = -1e9
        self.drawn = False

    def update(self, state) -> None:
        now = self.clock()
        if not self.enabled or now - self.last < (0.2 if self.tty else 5.0):
            return
        self.last = now
        if state.phase == "listing":
            text = f"reading feeds and sitemaps: {state.listings} read"
        else:
            text = (
                f"pages {state.fetched}/{state.planned}: {state.new} new, {state.skipped} "
                f"skipped, {state.failed} failed"
            )
        text += f"  ({state.requests} requests, {state.seconds:.0f} s)"
        self.stream.write(("\r\033[K" if self.tty else "") + text + ("" if self.tty else "\n"))
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.enabled and self.tty and self.drawn:
            self.stream.write("\n")
            self.stream.flush()


def collection_lines(store, info) -> list[str]:
    """The lines of ``info`` about near-duplicates, revisions and collection sources."""
    from analysis.storage.corpus import collection

    lines = [
        f"near-duplicates: {info.duplicates:,} (left out of the counts above; "
        "--include-duplicates counts them)",
        f"older revisions: {info.revisions:,}",
        f"collection sources: {info.collected_from:,}",
    ]
    for row in collection.collect_sources(store).itertuples(index=False):
        kind = row.kind if isinstance(row.kind, str) else "?"
        lines.append(f"  {row.source} ({kind}): {row.summary or 'not run yet'}")
    return lines
