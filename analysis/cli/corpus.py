"""``newslens corpus add|collect|info|query|export|import|correct``: the corpus from the command line.

Exit status: 0 success; 1 ``add`` (or ``collect``) finished but some documents failed (each is in the store's
``errors`` table; the first few are listed), or stopped early because its worker processes
kept dying (what was stored is kept; running it again goes on); 2 bad usage or input, or a
corpus file that cannot be used (a full disk, a read-only folder, another process holding it
too long: one line on stderr saying what to do); 3 no spaCy model installed; 70 an unexpected
error (:func:`run`: one line with a reference, the traceback in a log file); 130 interrupted.
Nothing a user does shows a traceback.

``query NAME`` runs one of the corpus queries (see :data:`QUERIES`); its flags are the
query's own keyword arguments, dashes for underscores (``--by-source``, ``--start
2024-03-01``); list arguments take several values (``--entities "Ann Lee" Gaza``); the text
filter is ``--query`` (the corpus query language; ``--text`` is the same flag). The help of
every flag says its format and default (:data:`PARAM_HELP`).
"""

from __future__ import annotations

import argparse
import functools
import inspect
import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb

from analysis.cli.collect import collect_parser, collection_lines, run_collect_command
from analysis.cli.correct import correct_parser, run_correct
from analysis.cli.guard import guarded
from analysis.cli.shared import (
    PROG,
    add_dask,
    corpus_store,
    day,
    db_option,
    existing_store,
    fail,
    print_failures,
    waiting,
)
from analysis.errors import ArticleError
from analysis.settings import load_settings
from analysis.storage.corpus import keywords as K
from analysis.storage.corpus import queries as Q
from analysis.storage.corpus import selection as S
from analysis.storage.corpus import timeline as T
from analysis.storage.corpus.query_language import NO_OUTLET

#: Outlets listed by ``info`` (the most frequent first).
INFO_SOURCES = 20

#: Query name on the command line -> (function, one-sentence summary for ``--help``).
QUERIES: dict[str, tuple[Callable, str]] = {
    "articles": (Q.article_table, "The selected articles, one row each, sorted."),
    "article-sentiment": (Q.article_sentiment, "The tone of every selected article."),
    "cooccurrence": (Q.cooccurrence, "Pairs of the most mentioned entities found together."),
    "cooccurrence-paragraphs": (
        Q.cooccurrence_paragraphs,
        "The paragraphs that name both entities of a pair.",
    ),
    "coverage": (
        T.coverage,
        "Articles matching --query per period, beside all articles of the period, and their "
        "ratio (Media Cloud's date,count,total_count,ratio).",
    ),
    "distinctive-terms": (
        K.keyness,
        "Words that set an outlet, a period or an article apart from the rest of the "
        "selection (log-likelihood G2 with log ratio).",
    ),
    "distinctive-terms-log-odds": (
        Q.distinctive_terms,
        "Distinctive words by log-odds with an informative prior (Monroe et al. 2008).",
    ),
    "entity-sentiment-over-time": (
        Q.entity_sentiment_over_time,
        "Tone of the sentences that mention one entity, per period.",
    ),
    "explain": (
        S.query_reading,
        "How a query is read, and how many articles each of its terms matches.",
    ),
    "mentions-over-time": (
        T.mentions_series,
        "Mentions of entities and words per period (every period, empty ones as zeros), with "
        "the articles of each period.",
    ),
    "quoted-speakers": (Q.quoted_speakers, "Who is quoted most, by words quoted."),
    "search": (Q.search, "Paragraphs of the articles a query matches, best matches first."),
    "sentiment-over-time": (
        T.tone_series,
        "Mean tone per period (and outlet); every period, no tone where nothing was scored.",
    ),
    "sources": (Q.source_counts, "Articles per outlet, with their first and last dates."),
    "top-entities": (Q.top_entities, "The most mentioned named entities."),
    "top-terms": (Q.top_terms, "The most frequent words, stop words and speaker labels left out."),
}

_CHOICES = {"interval": Q.INTERVALS, "model": tuple(Q.MODELS), "sort": Q.ARTICLE_SORTS}
_DAYS = ("start", "end", "of_start", "of_end")
#: Whole numbers that cannot be negative.
_COUNTS = ("limit", "top", "offset", "min_count")
_ENTITY_ARGUMENTS = ("entity", "entities", "toward", "entity_a", "entity_b")
_QUERY_HELP = (
    'a query: words, "a phrase", AND, OR, NOT, -word, (groups), prefix*, source:NAME, '
    "entity:\"Full Name\", title:word; e.g. '(biden OR trump) -election'"
)

#: What each flag of a query means and its format; the default is added from the signature.
PARAM_HELP: dict[str, str] = {
    "start": "first day, YYYY-MM-DD; articles without a date are then left out",
    "end": "last day, YYYY-MM-DD; articles without a date are then left out",
    "sources": f"outlets to keep, as listed by 'query sources'; {NO_OUTLET!r} for articles "
    "without one",
    "text": _QUERY_HELP,
    "query": _QUERY_HELP,
    "entity": "keep the articles that mention this entity (canonical name, exact)",
    "entities": "entities to count (canonical names, exact)",
    "terms": "words to count (any case)",
    "interval": "period length",
    "by_source": "one series per outlet",
    "limit": "most rows, a whole number",
    "top": "how many of the most mentioned entities, a whole number",
    "offset": "rows to skip first, a whole number",
    "labels": "entity labels to keep (PERSON ORG GPE ...)",
    "model": "sentiment model",
    "toward": "tone of the sentences that mention this entity (canonical name)",
    "sort": "column to sort by",
    "descending": "largest first",
    "include_stop": "keep spaCy's stop words",
    "extra_stop_words": "more words to leave out (any case)",
    "drop_markers": "leave out speaker labels at the start of paragraphs ('WN:', '((WSS))', "
    "'JOHN SMITH:')",
    "include_duplicates": "count every copy of a story (its near-duplicates on other sites) "
    "rather than each story once",
    "entity_a": "first entity of the pair (canonical name)",
    "entity_b": "second entity of the pair (canonical name)",
    "of_source": f"target: this outlet ({NO_OUTLET!r} for none)",
    "of_start": "target: from this day, YYYY-MM-DD",
    "of_end": "target: to this day, YYYY-MM-DD",
    "doc_key": "target: this article (its doc_key, 64 hex digits)",
    "min_count": "fewest uses in the target for a word to be listed, a whole number",
    "min_g2": "smallest log-likelihood G2 listed, a number (3.84: p < 0.05; 0: every word)",
    "prior_scale": "weight of the corpus-wide prior, a number above 0",
}


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line and exit status 2, without the usage block on every error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        fail(f"{message} (see {self.prog} --help)")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG, description="Analyse many articles into one corpus file and query it."
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    add = commands.add_parser("add", help="analyse documents into the corpus")
    add.add_argument(
        "inputs",
        nargs="+",
        metavar="PATH_OR_URL",
        help="folders, .zip, .jsonl or .csv files, article files, http(s) URLs",
    )
    db_option(add)
    add.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local processes (default) or a Dask cluster",
    )
    add.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="processes analysing at once (local engine, or --scheduler local)",
    )
    add.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler address (tcp://host:8786), or 'local' to start a "
        "cluster of --workers processes on this machine",
    )
    add.add_argument(
        "--shards",
        metavar="DIR",
        help="Dask engine: folder for the workers' Parquet shards, shared with "
        "this machine (default: next to the corpus file)",
    )
    add.add_argument(
        "--partition-size",
        type=int,
        default=16,
        metavar="N",
        help="documents per unit of work (default 16)",
    )
    add.add_argument(
        "--batch-size",
        type=int,
        default=128,
        metavar="N",
        help="local engine: articles per write (default 128)",
    )
    add.add_argument(
        "--max-chars",
        type=int,
        default=None,
        metavar="N",
        help="size limit per document (default $NEWSLENS_MAX_CHARS or 1,000,000)",
    )
    for field in ("text", "id", "title", "author", "date", "source", "url"):
        add.add_argument(
            f"--{field}-column",
            default=field,
            metavar="NAME",
            help=f"JSONL/CSV: the {field} column (default {field!r})",
        )
    add.add_argument("--quiet", "-q", action="store_true", help="no progress bar")

    collect_parser(commands)

    info = commands.add_parser("info", help="counts, date range and sources")
    db_option(info)

    query = commands.add_parser("query", help="run one corpus query, as CSV or JSON")
    names = query.add_subparsers(
        dest="query_name", required=True, metavar="NAME", parser_class=_Parser
    )
    for name, (function, summary) in QUERIES.items():
        sub = names.add_parser(
            name,
            help=summary,
            description=_description(function, summary),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        db_option(sub)
        sub.add_argument(
            "--format",
            choices=("csv", "json"),
            default="csv",
            help="csv: a header row, then one line per row; json: a list of records (default: csv)",
        )
        _query_arguments(sub, function)

    export = commands.add_parser(
        "export",
        help="write the articles (all, or those the filters select) with every table and a "
        "datapackage.json, to load in R or pandas or import again",
    )
    export.add_argument(
        "directory", metavar="DIR_OR_ZIP", help="a new folder, or a file name ending in .zip"
    )
    db_option(export)
    export.add_argument(
        "--format",
        choices=("parquet", "csv"),
        default="parquet",
        help="one file per table (default: parquet)",
    )
    _query_arguments(export, _export_filters)

    imp = commands.add_parser(
        "import", help="add the articles of an export (a folder or .zip), after checking all of it"
    )
    imp.add_argument("directory", metavar="DIR_OR_ZIP", help="what export wrote")
    db_option(imp)
    correct_parser(commands, db=db_option)
    return parser


def _export_filters(
    source,
    *,
    start: str | None = None,
    end: str | None = None,
    sources: Sequence[str | None] | None = None,
    text: str | None = None,
    entity: str | None = None,
) -> None:
    """The filter flags of ``export`` (a signature for :func:`_query_arguments`)."""


def _description(function: Callable, summary: str) -> str:
    """A query's ``--help`` text: its docstring without reST markup and without the sections
    about Python (arguments, exceptions; the flags below say the same), "Returns:" as
    "Output:"."""
    doc = inspect.getdoc(function) or summary
    kept = [
        part
        for part in doc.split("\n\n")
        if not part.startswith(("Args:", "Raises:", "Example", ">>>"))
    ]
    return _plain("\n\n".join(kept).replace("Returns:\n", "Output:\n"))


def _plain(text: str) -> str:
    """reST roles and literals as plain text (":func:`~a.b.c`" -> "c", "``x``" -> "x")."""
    text = re.sub(r":[a-z]+:`~?(?:[\w.]+\.)?([^`<]+?)(?:\s*<[^>]*>)?`", r"\1", text)
    return text.replace("``", "")


def _query_arguments(parser: argparse.ArgumentParser, function: Callable) -> None:
    """One flag per keyword argument of ``function`` (positional ones stay positional), each
    with its meaning, format and default (:data:`PARAM_HELP`)."""
    params = list(inspect.signature(function).parameters.values())[1:]
    for param in params:
        kind = str(param.annotation)
        flags = ["--" + param.name.replace("_", "-")]
        if param.name == "text":
            flags = ["--query", "--text"]
        required = param.default is inspect.Parameter.empty
        meaning = PARAM_HELP.get(param.name, param.name.replace("_", " "))
        if param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
            name = "query" if param.name == "text" else param.name
            parser.add_argument(
                param.name, metavar=name.upper(), help=PARAM_HELP.get(name, meaning)
            )
        elif kind == "bool":
            parser.add_argument(
                *flags,
                action=argparse.BooleanOptionalAction,
                default=param.default,
                help=f"{meaning} (default: {'on' if param.default else 'off'})",
            )
        elif kind.startswith("Sequence"):
            parser.add_argument(
                *flags,
                dest=param.name,
                nargs="+",
                metavar="VALUE",
                required=required,
                default=None if required else _default(param),
                help=f"{meaning}; one or more, each quoted if it has spaces"
                + ("" if required else f" (default: {_shown(param.default, param.name)})"),
            )
        else:
            convert = int if kind.startswith("int") else float if kind == "float" else str
            if param.name in _DAYS:
                convert = day
            elif param.name in _COUNTS:
                convert = _count
            elif convert is float:
                convert = _number
            choices = _CHOICES.get(param.name)
            parser.add_argument(
                *flags,
                dest=param.name,
                type=convert,
                choices=choices,
                required=required,
                default=None if required else param.default,
                metavar=None if choices else _metavar(param.name, convert),
                help=meaning
                + ("" if required else f" (default: {_shown(param.default, param.name)})"),
            )


def _metavar(name: str, convert: Callable) -> str:
    if convert is day:
        return "YYYY-MM-DD"
    if convert in (_count, int):
        return "N"
    if convert is _number:
        return "X"
    return "QUERY" if name == "text" else "NAME" if "source" in name or "entit" in name else "TEXT"


#: How a default of None reads for these flags.
_NO_FILTER = {
    "start": "no limit",
    "end": "no limit",
    "sources": "every outlet",
    "text": "every article",
    "entity": "every article",
    "labels": "every label",
    "toward": "the articles' own tone",
    "limit": "no limit",
}


def _shown(default, name: str = "") -> str:
    if default is None and name in _NO_FILTER:
        return _NO_FILTER[name]
    if default is None or default == ():
        return "none"
    if isinstance(default, bool):
        return "on" if default else "off"
    if isinstance(default, (tuple, list)):
        return " ".join(str(v) for v in default)
    return str(default)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number, 0 or more, not {text!r}")
    return value


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number, 0 or more, not {text!r}")
    return value


def _default(param: inspect.Parameter):
    return list(param.default) if isinstance(param.default, tuple) else param.default


def main(argv: list[str] | None = None) -> int:
    """Run ``newslens corpus ARGS``; returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        args.settings = load_settings()
        if args.command == "add":
            return _add(args)
        if args.command == "info":
            return _info(args)
        if args.command == "collect":
            return run_collect_command(args)
        if args.command == "query":
            return _query(args)
        if args.command == "export":
            return _export(args)
        if args.command == "correct":
            return run_correct(args, existing_store(args))
        return _import(args)
    except ArticleError as error:
        fail(str(error))
        return 2
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except (duckdb.Error, OSError) as error:
        from analysis.storage.corpus.store import storage_error

        problem = storage_error(error, Path(args.db) if args.db else args.settings.corpus_path)
        if problem is not None:
            fail(str(problem))
        elif isinstance(error, duckdb.Error):
            fail(f"the corpus file could not be used: {str(error).splitlines()[0][:200]}")
        else:
            raise
        return 2


def _add(args) -> int:
    from analysis.runners.corpus import Progress, run_local
    from analysis.sources.fetch import fetch_url
    from analysis.sources.files import Columns, check_inputs, count_documents, read_inputs
    from analysis.storage.corpus.records import corpus_options

    for name in ("workers", "partition_size", "batch_size", "max_chars"):
        value = getattr(args, name)
        if value is not None and value < 1:
            fail(f"--{name.replace('_', '-')} must be at least 1")
            return 2
    if args.engine == "dask" and not args.scheduler:
        fail("--engine dask needs --scheduler ADDRESS (or --scheduler local)")
        return 2
    if args.engine == "local" and args.scheduler:
        fail("--scheduler is for --engine dask")
        return 2
    columns = Columns(
        text=args.text_column,
        id=args.id_column,
        title=args.title_column,
        author=args.author_column,
        date=args.date_column,
        source=args.source_column,
        url=args.url_column,
    )
    inputs = check_inputs(args.inputs, columns=columns)
    store = corpus_store(args, existing=False)
    # A long ingest waits out a reader holding the file, and says so.
    store.on_wait = waiting
    store.remove_stale_marker()
    store.ensure()
    progress = Progress(count_documents(inputs, columns=columns), enabled=not args.quiet)
    settings = args.settings
    args.max_chars = args.max_chars or settings.max_chars
    args.options = corpus_options(entity_aliases=settings.entity_aliases)
    fetch = functools.partial(fetch_url, allow_private=settings.allow_private_urls)
    items = read_inputs(inputs, columns=columns, max_chars=args.max_chars, fetch=fetch)
    if args.engine == "local":
        from analysis.core.nlp import ModelNotFoundError, load_nlp

        nlp = None
        if args.workers == 1:
            try:
                nlp = load_nlp(preferred=settings.spacy_model)
            except ModelNotFoundError as error:
                fail(str(error))
                return 3
        try:
            report = run_local(
                items,
                store=store,
                workers=args.workers,
                nlp=nlp,
                model=settings.spacy_model,
                options=args.options,
                partition_size=args.partition_size,
                batch_size=args.batch_size,
                max_chars=args.max_chars,
                progress=progress,
            )
        except ModelNotFoundError as error:
            fail(str(error))
            return 3
    else:
        report = add_dask(args, store, items, progress)
    if report.added:
        # New word postings sit unsorted at the end until compacted; lookups scan them in full.
        store.compact()
    _summary(report, store.path)
    return 1 if report.failed or report.stopped else 0


#: What the rest of a kind of notice means, after the few that are listed.
NOTICE_KINDS = {
    "date": "dates that cannot be read (the articles are stored without a date)",
    "encoding": "documents that are not UTF-8 (read as Windows-1252, or bytes replaced)",
    "duplicate-id": "record ids used again for another text (both are stored)",
    "unicode": "metadata fields with invalid Unicode (replaced by \ufffd)",
    "empty": "inputs with no documents",
}


def _summary(report, path: Path) -> None:
    """The end of ``add``: the counts on stdout; failures, notes and an early stop on stderr."""
    others = (
        f", {report.stored_by_others} stored meanwhile by another process adding to this corpus"
        if report.stored_by_others
        else ""
    )
    print(
        f"{report.added} added, {report.skipped} already stored{others}, {report.failed} failed "
        f"({report.seconds:.1f} s); corpus: {path}"
    )
    print_failures(report)
    for kind, count in report.notice_counts:
        shown = [n for n in report.notices if n.kind == kind]
        for notice in shown:
            print(f"  note: {notice.document}: {notice.message}", file=sys.stderr)
        if count > len(shown):
            what = NOTICE_KINDS.get(kind, f"notes ({kind})")
            print(f"  ... and {count - len(shown):,} more {what}", file=sys.stderr)
    if report.stopped:
        print(
            f"  stopped early: {report.stopped}. What was stored is kept; run the same command "
            "again to go on (fewer --workers or a smaller --partition-size need less memory).",
            file=sys.stderr,
        )


def _info(args) -> int:
    store = existing_store(args)
    info = Q.corpus_info(store)
    sources = Q.source_counts(store)
    lines = [
        f"corpus: {args.shown}",
        f"articles: {info.articles:,}",
        f"words: {info.words:,}",
        f"body paragraphs: {info.paragraphs:,}",
        f"entities: {info.entities:,}",
        f"errors: {info.errors:,}",
        f"dates: {info.first or '-'} .. {info.last or '-'}",
        f"sources: {info.sources:,}",
    ]
    for row in sources.head(INFO_SOURCES).itertuples(index=False):
        lines.append(
            f"  {S.outlet_label(row.source if isinstance(row.source, str) else None)}: {row.articles:,}"
        )
    if len(sources) > INFO_SOURCES:
        lines.append(f"  ... and {len(sources) - INFO_SOURCES:,} more ({PROG} query sources)")
    lines += collection_lines(store, info)
    print("\n".join(lines))
    return 0


def _warn(message: str) -> None:
    print(f"{PROG}: warning: {message}", file=sys.stderr)


def _check_filters(store, kwargs: dict) -> None:
    """Usage errors in the filter (exit 2), and warnings for names that select nothing."""
    for first, last in (("start", "end"), ("of_start", "of_end")):
        if kwargs.get(first) and kwargs.get(last) and kwargs[last] < kwargs[first]:
            raise ArticleError(
                f"--{last.replace('_', '-')} {kwargs[last]} is before "
                f"--{first.replace('_', '-')} {kwargs[first]}: no day is in that range."
            )
    for key in ("text", "query"):
        if kwargs.get(key):
            from analysis.storage.corpus.query_language import parse_search

            for hint in parse_search(kwargs[key]).hints:
                _warn(hint)
    outlets = [
        *(kwargs.get("sources") or ()),
        *([kwargs["of_source"]] if kwargs.get("of_source") else []),
    ]
    for name in S.unknown_outlets(store, outlets):
        _warn(
            f"no stored article comes from the outlet {name!r}; the results are empty for it "
            f"(the outlets: {PROG} query sources)"
        )
    names = []
    for key in _ENTITY_ARGUMENTS:
        value = kwargs.get(key)
        names += list(value) if isinstance(value, (list, tuple)) else [value] if value else []
    for name in S.unknown_entities(store, names):
        _warn(
            f"no stored article mentions the entity {name!r} (names are canonical and "
            f"exact: {PROG} query top-entities)"
        )


def _query(args) -> int:
    function = QUERIES[args.query_name][0]
    params = list(inspect.signature(function).parameters)[1:]
    kwargs = {name: getattr(args, name) for name in params if hasattr(args, name)}
    store = existing_store(args)
    _check_filters(store, kwargs)
    try:
        result = function(store, **kwargs)
    except ValueError as error:
        fail(str(error))
        return 2
    if isinstance(result, S.QueryReading):
        return _print_reading(result, args.format)
    frame = result
    if args.format == "json":
        frame = _iso_days(frame)
        text = frame.to_json(orient="records", date_format="iso", force_ascii=False)
        json.dump(json.loads(text), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
    return 0


def _print_reading(reading, format: str) -> int:
    """``query explain``: the query as read, then its terms with their article counts."""
    if format == "json":
        record = {
            "query": reading.query,
            "parsed": reading.parsed,
            "hints": list(reading.hints),
            "terms": reading.terms.to_dict(orient="records"),
            "articles": reading.articles,
            "selected": reading.selected,
        }
        json.dump(record, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    print(f"read as: {reading.parsed or '(everything)'}")
    print(f"matches: {reading.articles:,} of {reading.selected:,} articles")
    reading.terms.to_csv(sys.stdout, index=False, lineterminator="\n")
    return 0


def _iso_days(frame):
    """Date columns as ``YYYY-MM-DD`` strings (JSON would write midnight time stamps)."""
    frame = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if (
            str(values.dtype).startswith("datetime64")
            and (values.dropna().dt.normalize() == values.dropna()).all()
        ):
            frame[column] = (
                values.dt.strftime("%Y-%m-%d").astype(object).where(values.notna(), None)
            )
    return frame


def _export(args) -> int:
    from analysis.storage.corpus.exchange import export_corpus

    store = existing_store(args)
    filters = {k: getattr(args, k) for k in ("start", "end", "sources", "text", "entity")}
    _check_filters(store, filters)
    result = export_corpus(store, Path(args.directory), format=args.format, **filters)
    print(
        f"{result.articles:,} articles in {len(result.files)} {args.format} files and "
        f"datapackage.json written to {args.directory}"
    )
    print(f"cite as: {result.descriptor['citation']}")
    return 0


def _import(args) -> int:
    from analysis.storage.corpus.exchange import import_corpus

    source = Path(args.directory)
    if not source.exists():
        raise ArticleError(f"{args.directory}: no such folder or .zip file.")
    from analysis.storage.corpus.location import check_corpus_file

    store = corpus_store(args, existing=False)
    if store.path.exists():
        check_corpus_file(store.path, shown=args.db or str(store.path))
    result = import_corpus(store, source)
    shown = args.db or str(store.path)
    print(
        f"{result.added:,} added, {result.skipped:,} already stored, {result.errors:,} error "
        f"rows added; corpus: {shown}"
    )
    return 0


# -- collect -----------------------------------------------------------------------------------


def run(argv: list[str] | None = None) -> int:
    """:func:`main` with no traceback for anything: Ctrl-C exits 130; an unexpected error is
    written to a log file and reported on one line with a reference (exit 70)."""
    return guarded(main, argv, fail=fail)
