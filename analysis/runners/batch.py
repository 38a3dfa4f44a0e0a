"""Batch analysis to JSON lines, in one process or several, streaming and in input order.

Each worker analyses whole chunks of documents (spaCy, sentiment, tables) and sends back only
the finished JSON lines, so the processes exchange short strings rather than spaCy ``Doc``
objects. At most ``2 * workers`` chunks are in flight, so memory does not grow with the
number of documents.
"""

from __future__ import annotations

import json
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from analysis.core.article import DEFAULT_MAX_CHARS
from analysis.core.export import analysis_record
from analysis.core.pipeline import AnalysisOptions, analyze_many
from analysis.core.sentiment import DEFAULT_BAND, DEFAULT_MODEL
from analysis.errors import ArticleError


@dataclass(frozen=True)
class BatchSettings:
    options: AnalysisOptions
    max_chars: int = DEFAULT_MAX_CHARS
    sentences: bool = False
    model: str = DEFAULT_MODEL
    band: float = DEFAULT_BAND


Item = tuple[str, "str | ArticleError"]

# Set in the parent before the worker processes fork, so that they inherit the loaded pipeline.
_WORKER: tuple | None = None


def _analyze_chunk(chunk: list[Item], nlp, settings: BatchSettings) -> list[tuple[bool, str]]:
    """(failed, JSON line) for each item of a chunk, in order."""
    good = [
        (number, item_id, text)
        for number, (item_id, text) in enumerate(chunk)
        if not isinstance(text, ArticleError)
    ]
    lines: list[tuple[bool, str] | None] = [None] * len(chunk)
    for number, (item_id, text) in enumerate(chunk):
        if isinstance(text, ArticleError):
            lines[number] = (True, _error_line(item_id, text))
    results = analyze_many(
        ((item_id, text) for _, item_id, text in good),
        nlp=nlp,
        options=settings.options,
        chunk_size=max(1, len(good)),
        max_chars=settings.max_chars,
        # The record holds sentences and sentiment toward entities only with --sentences.
        sentences=settings.sentences,
    )
    for (number, _, _), (item_id, result) in zip(good, results, strict=True):
        if isinstance(result, ArticleError):
            lines[number] = (True, _error_line(item_id, result))
        else:
            record = analysis_record(
                result,
                id=item_id,
                sentences=settings.sentences,
                model=settings.model,
                band=settings.band,
            )
            lines[number] = (False, json.dumps(record, ensure_ascii=False))
    return lines  # type: ignore[return-value]


def _error_line(item_id: str, error: ArticleError) -> str:
    return json.dumps({"id": item_id, "error": str(error)}, ensure_ascii=False)


def _worker_chunk(chunk: list[Item]) -> list[tuple[bool, str]]:
    nlp, settings = _WORKER  # type: ignore[misc]
    return _analyze_chunk(chunk, nlp, settings)


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def analyze_lines(
    items: Iterable[Item],
    *,
    nlp,
    settings: BatchSettings,
    workers: int = 1,
    chunk_size: int = 16,
) -> Iterator[tuple[bool, str]]:
    """Analyse ``(id, text)`` items (or ``(id, ArticleError)`` for items already known to be
    bad) and yield ``(failed, JSON line)`` in input order.

    Args:
        items: read lazily.
        nlp: the loaded spaCy pipeline (inherited by the worker processes).
        settings: options for every document.
        workers: processes analysing at once; 1 analyses in this process.
        chunk_size: documents per task.
    """
    if workers <= 1:
        for chunk in _chunks(items, chunk_size):
            yield from _analyze_chunk(chunk, nlp, settings)
        return
    global _WORKER
    _WORKER = (nlp, settings)
    # fork: the workers start with the pipeline already loaded (and share its memory).
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        pending: deque = deque()
        for chunk in _chunks(items, chunk_size):
            pending.append(pool.apply_async(_worker_chunk, (chunk,)))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
    _WORKER = None
