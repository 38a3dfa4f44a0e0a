"""The sample articles' analyses, shipped precomputed in ``seeds/analysed/``, so that a
newcomer's first view needs no spaCy, TextBlob or VADER.

An analysis is deterministic: the same bytes, analysis version, options and model give the
same rows. One file per sample article, ``seeds/analysed/<document key>.json``, holds the rows
of :class:`analysis.ArticleAnalysis` and what they were computed with; :func:`load_precomputed`
gives the analysis back only when all of that matches what a live analysis would use now,
else ``None`` (the caller analyses as usual). The article itself is parsed again (it is cheap
and needs no model), and its segments must be the ones the rows were computed from.

Rebuild the files after a change to the analysis (``tests/dashboard/test_precomputed.py``
fails while they are stale)::

    python -m dashboard.precomputed

Pure: no Streamlit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from analysis import AnalysisOptions, ArticleAnalysis, ArticleError, parse_article
from analysis.core.metadata import ANALYSIS_VERSION, document_key
from analysis.core.nlp import installed_model
from analysis.core.schema import (
    EntityRow,
    EntitySentenceRow,
    MentionRow,
    ParagraphRow,
    QuoteRow,
    SentenceRow,
    TokenRow,
    WordRow,
)

ANALYSED_DIR = Path(__file__).resolve().parent.parent / "seeds" / "analysed"

#: The rows an analysis holds, each field with its row type.
ROW_FIELDS: dict[str, type] = {
    "token_rows": TokenRow,
    "paragraph_rows": ParagraphRow,
    "sentence_rows": SentenceRow,
    "mention_rows": MentionRow,
    "entity_rows": EntityRow,
    "word_rows": WordRow,
    "quote_rows": QuoteRow,
    "entity_sentence_rows": EntitySentenceRow,
}


def options_record(options: AnalysisOptions) -> dict[str, Any]:
    """``options`` as plain JSON values (sets sorted), for comparing with a file's."""
    words = options.words
    return {
        "include_removed": options.include_removed,
        "entity_types": None if options.entity_types is None else list(options.entity_types),
        "entity_aliases": [list(pair) for pair in options.entity_aliases],
        "words": {
            "stop_words": words.stop_words,
            "extra_stop_words": sorted(words.extra_stop_words),
            "lemmas": words.lemmas,
            "min_length": words.min_length,
            "ngram": words.ngram,
        },
    }


def analysis_file(analysis: ArticleAnalysis, *, model: str) -> dict[str, Any]:
    """What :func:`load_precomputed` reads back: the analysis's rows and what they depend on.

    Returns:
        A JSON-ready dict: ``key``, ``version``, ``model``, ``options``, ``segments`` (kind and
        text of each), ``stop_words`` (sorted), ``warnings``, ``language`` and one list of
        rows per :data:`ROW_FIELDS` field.
    """
    record: dict[str, Any] = {
        "key": analysis.key,
        "version": analysis.version,
        "model": model,
        "title": analysis.article.title,
        "options": options_record(analysis.options),
        "segments": [[s.index, s.kind, s.text] for s in analysis.segments],
        "stop_words": sorted(analysis.stop_words),
        "warnings": list(analysis.warnings),
        "language": analysis.language,
    }
    for name in ROW_FIELDS:
        record[name] = [list(row) for row in getattr(analysis, name)]
    return record


def dumps(record: Mapping[str, Any]) -> str:
    """The file's text: one JSON object, one row per line (readable diffs)."""
    lines = []
    for name, value in record.items():
        if name in ROW_FIELDS:
            rows = ",\n  ".join(json.dumps(row, ensure_ascii=False) for row in value)
            lines.append(f'"{name}": [\n  {rows}\n]' if rows else f'"{name}": []')
        else:
            lines.append(f"{json.dumps(name)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def load_precomputed(
    raw: bytes,
    *,
    source: str | None,
    options: AnalysisOptions,
    directory: Path = ANALYSED_DIR,
    model: str | None = None,
) -> ArticleAnalysis | None:
    """The shipped analysis of ``raw``, when there is one that a live analysis with ``options``
    would reproduce: same document key, analysis version, options and model (``model``:
    default :func:`installed_model`), and the same segments.

    Returns:
        The analysis (its article parsed again from ``raw`` with ``source``), or ``None``.
    """
    path = directory / f"{document_key(raw)}.json"
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("version") != ANALYSIS_VERSION or record.get("options") != options_record(
        options
    ):
        return None
    if record.get("model") != (model or installed_model()):
        return None
    try:
        article = parse_article(raw, source=source)
    except ArticleError:
        return None
    segments = article.segments(include_removed=options.include_removed)
    if [[s.index, s.kind, s.text] for s in segments] != record["segments"]:
        return None
    rows = {name: tuple(kind(*row) for row in record[name]) for name, kind in ROW_FIELDS.items()}
    return ArticleAnalysis(
        article=article,
        options=options,
        segments=segments,
        stop_words=frozenset(record["stop_words"]),
        warnings=tuple(record["warnings"]),
        language=record["language"],
        key=record["key"],
        **rows,
    )


def write_precomputed(paths: list[Path], *, nlp, directory: Path = ANALYSED_DIR) -> list[Path]:
    """Analyse each article file in ``paths`` with ``nlp`` and the app's default options and
    write its file into ``directory`` (files of other inputs there are removed).

    Returns:
        The files written, in the order of ``paths``.
    """
    from analysis import analyze

    model = installed_model()
    if model is None:
        raise RuntimeError("the spaCy pipeline is not an installed package: nothing to key on")
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        analysis = analyze(
            path.read_bytes(),
            nlp=nlp,
            options=AnalysisOptions(include_removed=False),
            source=path.name,
        )
        target = directory / f"{analysis.key}.json"
        target.write_text(dumps(analysis_file(analysis, model=model)), encoding="utf-8")
        written.append(target)
    for old in directory.glob("*.json"):
        if old not in written:
            old.unlink()
    return written


def main() -> None:
    """Rewrite ``seeds/analysed/`` from the sample articles."""
    from analysis import load_nlp
    from dashboard.sources import list_seeds

    for path in write_precomputed([seed.path for seed in list_seeds()], nlp=load_nlp()):
        print(path)


if __name__ == "__main__":
    main()
