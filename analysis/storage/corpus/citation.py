"""How to cite what NewsLens showed: one line naming the tool and its versions, the corpus,
the query, the filters and the date (in the manner of APA's entries for data sets)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from importlib import metadata

from analysis.core.metadata import ANALYSIS_VERSION
from analysis.storage.corpus.query_language import NO_OUTLET, parse_search


def newslens_version() -> str:
    """The installed NewsLens version ("0.1.0"), or "unknown" when it is not installed."""
    try:
        return metadata.version("newslens")
    except metadata.PackageNotFoundError:
        return "unknown"


def cite_view(
    *,
    corpus: str,
    articles: int | None = None,
    view: str | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
    sources: Sequence[str | None] | None = None,
    text: str | None = None,
    entity: str | None = None,
    when: date | datetime | None = None,
    version: str | None = None,
) -> str:
    """A one-line citation of a corpus view or export.

    Args:
        corpus: the corpus's name (a file name, never a path on the server).
        articles: the number of articles selected, when known.
        view: what is shown ("Coverage over time"), if a single view is cited.
        start, end, sources, text, entity: the filter (the query is given as read, so that
            it reads back the same).
        when: the day it was retrieved (default today).
        version: the NewsLens version (default the installed one).

    Returns:
        e.g. ``NewsLens 0.1.0 (analysis version 3) [Computer software]. Coverage over time
        of corpus "news.duckdb", 52 articles; query: biden OR trump; dates 2024-03-01 to
        2024-03-31; outlets: alpha.news, (no outlet); entity: Ann Lee. Retrieved 2024-04-02.``

    Raises:
        QuerySyntaxError: the query cannot be read.
    """
    when = when or date.today()
    day = when.date() if isinstance(when, datetime) else when
    head = f"NewsLens {version or newslens_version()} (analysis version {ANALYSIS_VERSION})"
    what = f'{view} of corpus "{corpus}"' if view else f'Corpus "{corpus}"'
    parts = [what + (f", {articles:,} articles" if articles is not None else "")]
    parsed = parse_search(text).describe()
    if parsed:
        parts.append(f"query: {parsed}")
    if start is not None or end is not None:
        first = str(start)[:10] if start is not None else "the first"
        last = str(end)[:10] if end is not None else "the last"
        parts.append(f"dates {first} to {last}")
    if sources:
        parts.append("outlets: " + ", ".join(s if s else NO_OUTLET for s in sources))
    if entity:
        parts.append(f"entity: {entity}")
    return f"{head} [Computer software]. {'; '.join(parts)}. Retrieved {day.isoformat()}."
