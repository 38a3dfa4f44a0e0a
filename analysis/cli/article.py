"""The command line: ``python -m analysis PATH_OR_URL...`` (also installed as ``newslens``).

Exit status: 0 success; 1 some documents of a ``--jsonl`` batch failed (each has an ``error``
line in the output); 2 bad input or usage (one line on stderr); 3 no spaCy model installed;
70 an unexpected error (one line on stderr with a reference; the traceback goes to a log file).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from analysis.core.entities import NAME_LABELS, NUMERIC_LABELS
from analysis.core.export import TABLES, analysis_record, table
from analysis.core.pipeline import AnalysisOptions, ArticleAnalysis
from analysis.core.sentiment import DEFAULT_BAND, DEFAULT_MODEL, LABEL_COLUMN, MODELS, SCORE_COLUMN
from analysis.core.words import WordOptions, parse_stop_words
from analysis.errors import ArticleError
from analysis.settings import SettingsError, load_settings

PROG = "newslens"
ALL_LABELS = NAME_LABELS + NUMERIC_LABELS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Analyse news articles: word frequencies, sentiment per paragraph and "
        "named entities. For a corpus stored in DuckDB: python -m analysis corpus --help.",
        epilog="Exit status: 0 ok; 1 some --jsonl documents failed; 2 bad input; 3 no spaCy model.",
    )
    parser.add_argument(
        "inputs",
        nargs="*",
        metavar="PATH_OR_URL",
        help="text, Markdown or HTML files, http(s) URLs, or - for stdin",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "csv"),
        default="text",
        help="text summary (default), JSON, or one table as CSV",
    )
    parser.add_argument(
        "--table",
        choices=TABLES,
        default="words",
        help="the table written by --format csv (default: words)",
    )
    parser.add_argument(
        "--jsonl",
        metavar="FILE",
        help='batch: read one {"id", "text"} object per line (- for stdin) and '
        "write one JSON result per line",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="--jsonl: analyse in N processes (default 1; this machine has "
        f"{os.cpu_count()} cores)",
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE, not stdout")
    parser.add_argument(
        "--top",
        type=int,
        default=10,
        metavar="N",
        help="terms and entities in the text summary (default 10)",
    )
    words = parser.add_argument_group("word counting")
    words.add_argument("--keep-stop-words", action="store_true", help="count stop words too")
    words.add_argument(
        "--stop-words",
        default="",
        metavar="WORDS",
        help='extra stop words, comma or space separated ("said, also")',
    )
    words.add_argument("--lemmas", action="store_true", help="count lemmas (visits -> visit)")
    words.add_argument(
        "--min-length", type=int, default=2, metavar="N", help="shortest word counted (default 2)"
    )
    words.add_argument(
        "--ngram",
        type=int,
        choices=(1, 2, 3),
        default=1,
        help="count phrases of N words (default 1)",
    )
    sentiment = parser.add_argument_group("sentiment")
    sentiment.add_argument(
        "--model",
        choices=MODELS,
        default=DEFAULT_MODEL,
        help=f"the model whose labels are shown (default {DEFAULT_MODEL}; both are scored)",
    )
    sentiment.add_argument(
        "--band",
        type=float,
        default=DEFAULT_BAND,
        metavar="B",
        help=f"neutral band: scores within +/-B are neutral (default {DEFAULT_BAND}, 0-0.5)",
    )
    parser.add_argument(
        "--entity-types",
        default="",
        metavar="TYPES",
        help="entity types to count, comma separated (e.g. PERSON,ORG,DATE), or 'all'; "
        "default: names only (numbers, dates and amounts stay in the mentions table)",
    )
    parser.add_argument(
        "--include-removed", action="store_true", help="analyse the lines the cleaner removed too"
    )
    parser.add_argument(
        "--sentences",
        action="store_true",
        help="add each sentence's scores and the sentiment toward each entity to JSON output",
    )
    parser.add_argument(
        "--max-chars",
        type=int,
        default=None,
        metavar="N",
        help="size limit per document, in characters (default NEWSLENS_MAX_CHARS or 1,000,000)",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        fail(str(error))
        return 2
    if bool(args.inputs) == bool(args.jsonl):
        parser.print_usage(sys.stderr)
        fail("give PATH_OR_URL arguments or --jsonl FILE (not both)")
        return 2
    try:
        options = AnalysisOptions(
            words=WordOptions(
                stop_words=not args.keep_stop_words,
                extra_stop_words=parse_stop_words(args.stop_words),
                lemmas=args.lemmas,
                min_length=args.min_length,
                ngram=args.ngram,
            ),
            include_removed=args.include_removed,
            entity_types=_entity_types(args.entity_types),
            entity_aliases=tuple(settings.entity_aliases.items()),
        )
    except ValueError as error:
        fail(str(error))
        return 2
    if not 0 <= args.band <= 0.5:
        fail("--band must be between 0 and 0.5")
        return 2
    if args.workers < 1:
        fail("--workers must be at least 1")
        return 2
    if args.max_chars is not None and args.max_chars < 1:
        fail("--max-chars must be a positive number")
        return 2
    max_chars = args.max_chars or settings.max_chars

    from analysis.core.nlp import ModelNotFoundError, load_nlp

    try:
        nlp = load_nlp(preferred=settings.spacy_model)
    except ModelNotFoundError as error:
        fail(str(error))
        return 3
    try:
        # Closed in the `finally` below; a `with` block cannot hold stdout.
        out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout  # noqa: SIM115
    except OSError as error:
        fail(f"cannot write {args.output}: {error.strerror}")
        return 2
    try:
        if args.jsonl:
            return _run_batch(args, nlp, options, out, max_chars=max_chars)
        fetch_options = {"allow_private": settings.allow_private_urls}
        return _run_inputs(args, nlp, options, out, max_chars=max_chars, fetch=fetch_options)
    except BrokenPipeError:
        # The reader (e.g. `head`) went away: stop quietly, as Unix tools do.
        sys.stderr.close()
        return 0
    finally:
        if out is not sys.stdout:
            out.close()


def _entity_types(text: str) -> tuple[str, ...] | None:
    """``--entity-types``: '' for names only, 'all' for every type, else a list of labels.

    Raises:
        ValueError: an unknown type (the message lists the known ones).
    """
    if not text.strip():
        return NAME_LABELS
    chosen = [part.strip().upper() for part in text.replace(" ", ",").split(",") if part.strip()]
    if chosen == ["ALL"]:
        return None
    unknown = [label for label in chosen if label not in ALL_LABELS]
    if unknown:
        raise ValueError(
            f"unknown entity type {unknown[0]!r}; choose from {', '.join(ALL_LABELS)}, or 'all'"
        )
    return tuple(dict.fromkeys(chosen))


def fail(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)


def _read_input(name: str, max_chars: int) -> bytes | str:
    if name == "-":
        return sys.stdin.buffer.read(4 * max_chars + 1)
    path = Path(name)
    try:
        if path.is_dir():
            raise ArticleError(f"{name} is a folder, not a file.")
        if path.stat().st_size > 4 * max_chars:
            raise ArticleError(
                f"{name} is {path.stat().st_size:,} bytes, over the limit of {max_chars:,} "
                "characters (set NEWSLENS_MAX_CHARS to change it)."
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise ArticleError(f"{name}: no such file.") from None
    except PermissionError:
        raise ArticleError(f"{name}: permission denied.") from None
    except OSError as error:
        raise ArticleError(f"{name}: {error.strerror or error}.") from None


def _load_one(
    name: str, nlp, options: AnalysisOptions, max_chars: int, fetch: dict
) -> ArticleAnalysis:
    from analysis.core.pipeline import analyze, analyze_article

    if name.lower().startswith(("http://", "https://")):
        from analysis.sources.fetch import fetch_article

        return analyze_article(
            fetch_article(name, max_chars=max_chars, **fetch), nlp=nlp, options=options
        )
    if "://" in name:
        raise ArticleError(f"{name}: only http:// and https:// addresses can be fetched.")
    raw = _read_input(name, max_chars)
    return analyze(raw, nlp=nlp, options=options, source=name, max_chars=max_chars)


def _run_inputs(args, nlp, options: AnalysisOptions, out, *, max_chars: int, fetch: dict) -> int:
    results: list[tuple[str, ArticleAnalysis]] = []
    failed = False
    for name in args.inputs:
        try:
            results.append((name, _load_one(name, nlp, options, max_chars, fetch)))
        except ArticleError as error:
            fail(f"{name}: {error}" if name not in str(error) else str(error))
            failed = True
    if args.format == "json":
        records = [
            analysis_record(
                result, id=name, sentences=args.sentences, model=args.model, band=args.band
            )
            for name, result in results
        ]
        if records:
            payload = records[0] if len(args.inputs) == 1 else records
            json.dump(payload, out, ensure_ascii=False, indent=2)
            out.write("\n")
    elif args.format == "csv":
        _write_csv(
            results, args.table, out, with_id=len(args.inputs) > 1, model=args.model, band=args.band
        )
    else:
        for number, (name, result) in enumerate(results):
            if number:
                out.write("\n" + "─" * 72 + "\n\n")
            out.write(summary(result, source=name, top=args.top, model=args.model, band=args.band))
    return 2 if failed else 0


def _write_csv(results, name: str, out, *, with_id: bool, model: str, band: float) -> None:
    import pandas as pd

    frames = []
    for source, result in results:
        frame = table(result, name, model=model, band=band)
        if with_id:
            frame = frame.copy()
            frame.insert(0, "id", source)
        frames.append(frame)
    if frames:
        pd.concat(frames, ignore_index=True).to_csv(out, index=False, lineterminator="\n")


def summary(
    result: ArticleAnalysis,
    *,
    source: str,
    top: int = 10,
    model: str = DEFAULT_MODEL,
    band: float = DEFAULT_BAND,
) -> str:
    """A readable text summary of one analysis; sentiment labels under ``model`` and ``band``."""
    from analysis.core.sentiment import labelled

    article = result.article
    body = result.paragraphs[result.paragraphs["kind"] == "body"]
    lines = [article.title or "(no headline)"]
    facts = []
    if article.author:
        facts.append(f"by {article.author}")
    if article.published:
        facts.append(article.published)
    facts.append(f"{len(article.paragraphs)} paragraphs, {int(body['words'].sum()):,} words")
    lines += [" · ".join(facts), f"source: {source}", ""]
    for warning in result.warnings:
        lines.append(f"note: {warning}")
    words = result.words.head(top)
    lines.append(
        "Top words:  "
        + (
            ", ".join(
                f"{term} {count}" for term, count in zip(words["term"], words["count"], strict=True)
            )
            or "(none)"
        )
    )
    entities = result.entities.head(top)
    lines.append(
        "Entities:   "
        + (
            ", ".join(
                f"{row.entity} ({row.label}) {row.count}"
                for row in entities.itertuples(index=False)
            )
            or "(none)"
        )
    )
    speakers = result.speakers.head(top)
    lines.append(
        "Quoted:     "
        + (
            ", ".join(
                f"{row.speaker} ({row.words} words)" for row in speakers.itertuples(index=False)
            )
            or "(no attributed quotations)"
        )
    )
    other = next(m for m in MODELS if m != model)
    names = {"vader": "VADER", "textblob": "TextBlob"}
    tone = {row.model: row for row in result.tone(band=band).itertuples(index=False)}
    if model in tone:
        lines += [
            "",
            f"Tone: {names[model]} mean {tone[model].mean:+.2f} (spread "
            f"{tone[model].spread:.2f}); {names[other]} mean {tone[other].mean:+.2f}",
        ]
    lines.append(
        f"Sentiment per paragraph ({names[model]}, neutral within ±{band:g}; "
        f"≠ where {names[other]} gives another label):"
    )
    scored = labelled(result.paragraphs, band=band)
    for row in scored.itertuples(index=False):
        mark = "H " if row.kind == "headline" else f"{row.paragraph:<2d}"
        if row.kind == "removed":
            mark = "R "
        opening = " ".join(row.text.split())
        opening = opening if len(opening) <= 50 else opening[:49] + "…"
        label = getattr(row, LABEL_COLUMN[model])
        score = getattr(row, SCORE_COLUMN[model])
        split = "≠" if row.disagree else " "
        lines.append(f"  {mark} {label:<8} {score:+.2f} {split} {opening}")
    if article.removed:
        lines += ["", f"Removed by the cleaner ({len(article.removed)}):"]
        for line in article.removed:
            text = line.text if len(line.text) <= 60 else line.text[:59] + "…"
            lines.append(f"  line {line.line}: {line.reason}: {text}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Batch


def _records(stream, counter: dict) -> Iterator[tuple[str, str | ArticleError]]:
    for number, line in enumerate(stream, 1):
        counter["read"] = number
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            yield f"line {number}", ArticleError(f"line {number} is not valid JSON ({error.msg}).")
            continue
        if not isinstance(item, dict):
            yield (
                f"line {number}",
                ArticleError(f'line {number} is not a JSON object with "id" and "text".'),
            )
            continue
        item_id = item.get("id")
        item_id = f"line {number}" if item_id is None else str(item_id)
        text = item.get("text")
        if not isinstance(text, str):
            yield item_id, ArticleError(f'line {number} has no "text" string.')
            continue
        yield item_id, text


class _Progress:
    """A progress line on stderr: redrawn in place on a terminal, every few seconds in a log."""

    def __init__(self, total: int | None, *, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled
        self.tty = sys.stderr.isatty()
        self.start = time.monotonic()
        self.last = 0.0
        self.done = self.failed = self.words = 0

    def update(self, failed: bool, *, final: bool = False) -> None:
        if not final:
            self.done += 1
            self.failed += failed
        now = time.monotonic()
        if not self.enabled or (not final and now - self.last < (0.2 if self.tty else 5.0)):
            return
        self.last = now
        rate = self.done / max(now - self.start, 1e-9)
        if self.total:
            filled = int(30 * self.done / self.total)
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total}"
        else:
            bar = f"{self.done} documents"
        text = f"{bar}  {rate:.1f} docs/s  {self.failed} failed"
        if final:
            elapsed = now - self.start
            text += (
                f"  ({self.words:,} words in {elapsed:.1f} s: {self.words / elapsed:,.0f} words/s)"
            )
        end = "\n" if final or not self.tty else ""
        sys.stderr.write(("\r" if self.tty else "") + text + end)
        sys.stderr.flush()


def _run_batch(args, nlp, options: AnalysisOptions, out, *, max_chars: int) -> int:
    from analysis.core.sentiment import load_sentiment
    from analysis.runners.batch import BatchSettings, analyze_lines

    if args.jsonl == "-":
        stream = sys.stdin
        total = None
    else:
        path = Path(args.jsonl)
        try:
            with path.open("rb") as handle:
                total = sum(1 for line in handle if line.strip())
            stream = path.open(encoding="utf-8", errors="replace")
        except OSError as error:
            fail(f"{args.jsonl}: {error.strerror or error}")
            return 2
    # Load TextBlob and VADER now, so that the progress clock times the analysis only.
    load_sentiment()
    progress = _Progress(total, enabled=not args.quiet)
    counter: dict = {}

    def items() -> Iterator[tuple[str, str | ArticleError]]:
        for item_id, text in _records(stream, counter):
            if isinstance(text, str):
                progress.words += len(text.split())
            yield item_id, text

    settings = BatchSettings(
        options=options,
        max_chars=max_chars,
        sentences=args.sentences,
        model=args.model,
        band=args.band,
    )
    failed = 0
    try:
        for error, line in analyze_lines(items(), nlp=nlp, settings=settings, workers=args.workers):
            failed += error
            out.write(line + "\n")
            out.flush()
            progress.update(error)
    finally:
        if stream is not sys.stdin:
            stream.close()
    progress.update(False, final=True)
    return 1 if failed else 0
