"""The Corpus page: one ``render_<thing>(source, filters, ..., key=...)`` per view, every
widget key prefixed by ``key`` so that a view can appear twice, and :func:`corpus_page`, the
wiring.

``source`` is a :class:`~analysis.storage.corpus.store.CorpusStore` (queries are cached by the file's
modification stamp, the query and its arguments, so a filter change runs each query once and
going back to an earlier filter runs none) or an open DuckDB connection (not cached: for tests
and scripts). A view returns what the reader chose in it (a clicked point, entity, article), and
the page folds that into its :class:`~dashboard.corpus_state.CorpusState`.
"""

from __future__ import annotations

import html
import io
import re
import tempfile
import threading
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

import duckdb
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from analysis.errors import ArticleError
from analysis.runners.corpus import Progress
from analysis.settings import Settings
from analysis.storage.corpus import queries
from analysis.storage.corpus.queries import _open, _selected
from analysis.storage.corpus.schema import TABLES
from analysis.storage.corpus.store import CorpusReader, CorpusStore, contract_select
from dashboard import charts, corpus_charts
from dashboard.corpus_state import (
    COMPARE_MAX,
    INTERVALS,
    MAX_ITEMS,
    MAX_SOURCES,
    SAMPLE,
    SECTIONS,
    TOP_MAX,
    TOP_MIN,
    CorpusState,
    Point,
    from_query,
    link_message,
    make_item,
    make_point,
    parse_dist,
    parse_item,
    parse_pair,
    parse_point,
    to_query,
)
from dashboard.render import CSS, ENTITY_TYPE_NAMES, md_escape, type_name
from dashboard.settings import app_settings
from dashboard.state import DEFAULT_TYPES, MODELS

ROOT = Path(__file__).resolve().parent.parent
#: The sample corpus, analysed ahead (``newslens corpus export``; see seeds/corpus/README.md).
SAMPLE_EXPORT = ROOT / "seeds" / "corpus" / "wikinews-2019-2020.parquet"
SAMPLE_FILE = "sample-corpus.duckdb"
UPLOAD_PREFIX = "upload-"
#: Articles per write of an upload job: small, so that the page fills in early.
UPLOAD_BATCH = 16
JOB_POLL_S = 1.0
SECTION_LABELS = {
    "quoted": "Who is quoted",
    "pairs": "Entities together",
    "dist": "Distinctive words",
}


def upload_limit_mb() -> int:
    """Streamlit refuses larger uploads itself (``server.maxUploadSize``); the same figure is
    checked here so that a corpus built from bytes handed over otherwise keeps to it."""
    return int(st.get_option("server.maxUploadSize"))


#: Rows the article table shows (sorted by date, newest first), unless the reader asks for
#: more (up to the last choice); the CSV has them all. A table's rows are sent again and its
#: grid built again on every run: a long one is most of the browser's work after a filter change.
ARTICLE_ROWS = 200
ARTICLE_ROW_CHOICES = (ARTICLE_ROWS, 1000)
#: Rows a table under a chart shows; its CSV has them all (what the page sends to the browser
#: stays small however large the corpus).
TABLE_ROWS = 100
DETAIL_ROWS = 60
COOCCURRENCE_TOP = 12
TOP_ITEMS = 30
MODEL_LABELS = {"vader": "VADER", "textblob": "TextBlob"}

Source = CorpusStore | duckdb.DuckDBPyConnection


class Filters(NamedTuple):
    """The filter at the top of the Corpus page, applied to every view."""

    start: date | None = None
    end: date | None = None
    sources: tuple[str, ...] = ()  # empty: every outlet
    text: str = ""
    entity: str = ""

    def kwargs(self) -> dict:
        """The common filter arguments of :mod:`analysis.storage.corpus.queries`."""
        return {
            "start": self.start,
            "end": self.end,
            "sources": self.sources or None,
            "text": self.text or None,
            "entity": self.entity or None,
        }


def filters_of(state: CorpusState) -> Filters:
    return Filters(state.start, state.end, state.sources, state.q, state.entity)


# -- queries the corpus module does not have yet (see the report: to move to analysis) --------


def mention_paragraphs(
    source: Source,
    *,
    entities: Sequence[str] = (),
    terms: Sequence[str] = (),
    limit: int = DETAIL_ROWS,
    start=None,
    end=None,
    sources=None,
    text=None,
    entity=None,
) -> pd.DataFrame:
    """The paragraphs of the selected articles that mention any of ``entities`` (canonical
    names) or use any of ``terms`` (case-folded words).

    Returns:
        doc_key, title, source, date, paragraph, text, items (``e:``/``t:`` items found, sorted),
        spans (``[start, end]`` of each entity mention, by start; terms are located by
        :func:`term_spans`); at most ``limit`` rows, by date, doc_key, paragraph.
    """
    params: list = []
    sel = _selected(start, end, sources, text, entity, params, extra=", a.title")
    params += [sorted(set(entities)), sorted({t.casefold() for t in terms}), limit]
    sql = f"""
        WITH sel AS ({sel}),
        hits AS (
            SELECT m.doc_id, m.paragraph, m.start AS s, m."end" AS e, 'e:' || m.entity AS item
            FROM mentions m WHERE m.entity IN (SELECT unnest(?::VARCHAR[]))
              AND m.doc_id IN (SELECT doc_id FROM sel)
            UNION ALL
            SELECT p.doc_id, p.paragraph, NULL, NULL, 't:' || p.term
            FROM postings p WHERE p.term IN (SELECT unnest(?::VARCHAR[]))
              AND p.doc_id IN (SELECT doc_id FROM sel)),
        paras AS (
            SELECT doc_id, paragraph, list_sort(list_distinct(list(item))) AS items,
                   coalesce(list([s, e] ORDER BY s) FILTER (WHERE s IS NOT NULL), []) AS spans
            FROM hits GROUP BY doc_id, paragraph)
        SELECT s.doc_key, s.title, s.source, s.date, x.paragraph, p.text, x.items, x.spans
        FROM paras x JOIN paragraphs p USING (doc_id, paragraph) JOIN sel s USING (doc_id)
        ORDER BY s.date NULLS LAST, s.doc_key, x.paragraph LIMIT ?
    """
    with _open(source) as con:
        return con.execute(sql, params).df()


def selected_count(
    source: Source, *, start=None, end=None, sources=None, text=None, entity=None
) -> int:
    """The number of articles the filter selects."""
    params: list = []
    sel = _selected(start, end, sources, text, entity, params)
    with _open(source) as con:
        return int(con.execute(f"SELECT count(*) FROM ({sel})", params).fetchone()[0])


def article_texts(source: Source, *, keys: Sequence[str]) -> pd.DataFrame:
    """Stored articles by key or key prefix (8 to 64 hex digits), as text to analyse again.

    Returns:
        doc_key, title, source, date, text (headline, blank line, body paragraphs, as an
        article file is written); one row per key found, in the order of ``keys``.
    """
    params = [list(keys)]
    sql = """
        WITH wanted AS (SELECT k, row_number() OVER () AS n FROM (SELECT unnest(?::VARCHAR[]) AS k)),
        found AS (SELECT DISTINCT ON (w.n) w.n, a.doc_id, a.doc_key, a.title, a.source, a.date
                  FROM wanted w JOIN articles a ON starts_with(a.doc_key, w.k) ORDER BY w.n, a.doc_key)
        SELECT f.doc_key, f.title, f.source, f.date,
               string_agg(p.text, chr(10) || chr(10) ORDER BY p.paragraph) AS text
        FROM found f JOIN paragraphs p ON p.doc_id = f.doc_id AND p.kind IN ('headline', 'body')
        GROUP BY f.n, f.doc_key, f.title, f.source, f.date ORDER BY f.n
    """
    with _open(source) as con:
        return con.execute(sql, params).df()


def filtered_parquet(
    source: Source, *, start=None, end=None, sources=None, text=None, entity=None
) -> bytes:
    """The selected articles' rows of every table, as a .zip of ``<table>.parquet`` files in
    contract form (what ``newslens corpus import`` reads back)."""
    params: list = []
    sel = _selected(start, end, sources, text, entity, params)
    with _open(source) as con, tempfile.TemporaryDirectory() as tmp:
        con.execute(f"CREATE TEMP TABLE _wanted AS SELECT doc_key FROM ({sel})", params)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
            for name in TABLES:
                path = Path(tmp) / f"{name}.parquet"
                select = contract_select(name).replace(" ORDER BY ", " WHERE {} ORDER BY ", 1)
                alias = "doc_key" if name == "articles" else "a.doc_key"
                select = select.format(f"{alias} IN (SELECT doc_key FROM _wanted)")
                con.execute(
                    f"COPY ({select}) TO '{str(path).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)"
                )
                archive.write(path, f"{name}.parquet")
        con.execute("DROP TABLE _wanted")
    return out.getvalue()


QUERIES = {
    f.__name__: f
    for f in (
        queries.mentions_over_time,
        queries.top_entities,
        queries.top_terms,
        queries.article_sentiment,
        queries.sentiment_over_time,
        queries.cooccurrence,
        queries.quoted_speakers,
        queries.distinctive_terms,
        queries.article_table,
        queries.source_counts,
        queries.corpus_info,
        mention_paragraphs,
        article_texts,
        filtered_parquet,
        selected_count,
    )
}


def file_stamp(path: Path) -> tuple[int, ...]:
    """Changes whenever DuckDB writes the file (or its write-ahead log)."""
    stamp = []
    for part in (path, path.with_name(path.name + ".wal")):
        try:
            info = part.stat()
            stamp += [info.st_mtime_ns, info.st_size]
        except FileNotFoundError:
            stamp += [0, 0]
    return tuple(stamp)


@st.cache_resource(show_spinner=False)
def _store(path: str) -> CorpusStore:
    return CorpusStore(path)


@st.cache_resource(show_spinner=False)
def _reader(path: str) -> CorpusReader:
    """One read-only connection per corpus for the whole server, kept open between queries
    (opening the file costs more than most queries, and DuckDB keeps the blocks it has read);
    it lets go of the file when idle or when a writer (an upload job, the CLI) waits."""
    return CorpusReader(_store(path))


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(name: str, path: str, stamp: tuple, kwargs: dict):
    return QUERIES[name](_reader(path), **kwargs)


def run_query(source: Source, name: str, **kwargs):
    """``QUERIES[name](source, **kwargs)``, cached for a store by its file stamp."""
    if isinstance(source, CorpusStore):
        return _cached(name, str(source.path), file_stamp(source.path), kwargs)
    return QUERIES[name](source, **kwargs)


class Call(NamedTuple):
    """One query a view runs: ``run_query(source, name, **kwargs)``."""

    name: str
    kwargs: dict


def run_call(source: Source, call: Call):
    return run_query(source, call.name, **call.kwargs)


#: Queries of one page run that run at the same time.
QUERY_THREADS = 4


@st.cache_resource(show_spinner=False)
def _query_pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=QUERY_THREADS, thread_name_prefix="newslens-query")


def prefetch(source: Source, calls: Sequence[Call]) -> list[Future]:
    """Start the queries ``calls`` of a store in background threads, in order, and return at
    once: the views that ask for them later find them cached, or wait for the one running
    (the cache computes a value once). The queries are independent, and DuckDB lets go of
    the interpreter lock while one runs, each on its own cursor, so they overlap with each
    other and with the drawing of the views above them. A connection, not a store, is used
    by one thread only: nothing is started for it.

    Returns:
        a future per call started (its result: the query's, or None if it failed; the view
        asks again and shows the error where it belongs).
    """
    if not isinstance(source, CorpusStore):
        return []
    ctx = get_script_run_ctx(suppress_warning=True)

    def run(call: Call):
        if ctx is not None:
            # The cache reads the session's context; without it every call logs a warning.
            add_script_run_ctx(threading.current_thread(), ctx)
        try:
            return run_call(source, call)
        except Exception:
            return None

    pool = _query_pool()
    return [pool.submit(run, call) for call in calls]


# -- pieces shared by the views ----------------------------------------------------------------


def _init(key: str, value) -> None:
    """A widget's first value (from the link), set once; the widget owns it afterwards."""
    if key not in st.session_state:
        st.session_state[key] = value


def fresh_points(event, key: str) -> list[dict] | None:
    """The points of a chart selection when it changed since the last run, else None (a
    selection stays in the widget's state across reruns, and a stale one must not undo a choice
    made elsewhere since)."""
    points = []
    if event:
        selection = event.get("selection", {})
        points = list(selection.get("points", []) if hasattr(selection, "get") else [])
    signature = repr([p.get("customdata") for p in points])
    seen = f"{key}__seen"
    if st.session_state.get(seen, "[]") == signature:
        return None
    st.session_state[seen] = signature
    return points


def _custom(points: list[dict]):
    for point in points:
        data = point.get("customdata")
        if data is not None:
            return data
    return None


def _chart(figure, key: str, *, clickable: bool = True):
    """A chart, clickable unless told (a click on a point reruns the page), in a container
    keyed ``<key>_box`` (a hook for the browser tests).

    Returns:
        the chart's selection event (None for a chart that is not clickable).
    """
    config = {"displaylogo": False, "toImageButtonOptions": {"format": "svg", "filename": key}}
    with st.container(key=f"{key}_box"):
        if not clickable:
            st.plotly_chart(figure, key=key, config=config)
            return None
        return st.plotly_chart(
            figure, key=key, on_select="rerun", selection_mode="points", config=config
        )


def _csv(frame: pd.DataFrame | Callable[[], pd.DataFrame], name: str, key: str) -> None:
    """A CSV download of ``frame`` (or of what a function returns), built when clicked."""

    def data() -> bytes:
        table = frame() if callable(frame) else frame
        return table.to_csv(index=False).encode("utf-8")

    st.download_button(
        f"Download {name} (CSV)", data, file_name=f"newslens-{name}.csv", mime="text/csv", key=key
    )


def _table(frame: pd.DataFrame, *, label: str, name: str, key: str) -> None:
    """The table behind a chart, in an expander keyed ``<key>_table_open`` (its first
    :data:`TABLE_ROWS` rows), with a CSV download of every row. The table is drawn only while
    the expander is open (opening it reruns the page): a closed expander's table was still
    sent and built in the browser on every run, for seven tables under the charts."""
    section = st.expander(label, key=f"{key}_table_open", on_change="rerun")
    with section:
        if not section.open:
            return
        st.dataframe(frame.head(TABLE_ROWS), hide_index=True, key=f"{key}_table")
        if len(frame) > TABLE_ROWS:
            st.caption(f"The first {TABLE_ROWS:,} of {len(frame):,} rows; the CSV has them all.")
        _csv(frame, name, f"{key}_csv")


def term_spans(text: str, term: str) -> list[tuple[int, int]]:
    """Where ``term`` occurs in ``text`` as a whole word, case-insensitive.

    Returns:
        (start, end) character offsets, in order.
    """
    pattern = re.compile(rf"(?<![^\W\d_]){re.escape(term)}(?![^\W\d_])", re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def highlight_html(text: str, spans: Sequence[Sequence[int]]) -> str:
    """``text`` HTML-escaped, with each (start, end) span in ``<mark class="nl-hit">``;
    overlapping spans are merged."""
    merged: list[list[int]] = []
    for start, end in sorted((max(0, int(s)), min(len(text), int(e))) for s, e in spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, at = [], 0
    for start, end in merged:
        out.append(html.escape(text[at:start]))
        out.append(f'<mark class="nl-hit">{html.escape(text[start:end])}</mark>')
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


def paragraph_spans(row) -> list[tuple[int, int]]:
    """Entity spans of a :func:`mention_paragraphs` row plus the spans of its terms."""
    spans = [(int(s), int(e)) for s, e in row.spans]
    for item in row.items:
        kind, name = parse_item(item)
        if kind == "term":
            spans += term_spans(row.text, name)
    return spans


def _paragraph_cards(rows: pd.DataFrame, *, key: str) -> None:
    """Paragraphs with their article's title, outlet and date, mentions highlighted."""
    if rows.empty:
        st.caption("No paragraph found.")
        return
    parts = [f"<style>{CSS}</style><div class='nl-article'>"]
    for row in rows.itertuples(index=False):
        day = "" if pd.isna(row.date) else f" · {pd.Timestamp(row.date).date().isoformat()}"
        where = "headline" if int(row.paragraph) == 0 else f"¶ {int(row.paragraph)}"
        parts.append(
            f"<div class='nl-meta' style='margin:.6rem 0 .1rem 0'><b>{html.escape(row.title or '(untitled)')}</b>"
            f" · {html.escape(corpus_charts.source_label(row.source))}{day} · {where}</div>"
            f"<div class='nl-p' data-doc='{html.escape(row.doc_key)}' data-paragraph='{int(row.paragraph)}'>"
            f"<span class='nl-text'>{highlight_html(row.text, paragraph_spans(row))}</span></div>"
        )
    parts.append("</div>")
    with st.container(key=f"{key}_paragraphs", height=420):
        st.html("".join(parts))


def period_end(period: date, interval: str) -> date:
    """The last day of the period starting on ``period``."""
    if interval == "day":
        return period
    if interval == "week":
        return period + timedelta(days=6)
    following = date(period.year + period.month // 12, period.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _within(filters: Filters, first: date, last: date) -> Filters:
    start = max(first, filters.start) if filters.start else first
    end = min(last, filters.end) if filters.end else last
    return filters._replace(start=start, end=end)


def fit_range(
    chosen: Sequence[date],
    first: date | None,
    last: date | None,
    *,
    whole: tuple[date | None, date | None] | None = None,
) -> tuple[date, ...]:
    """A date range widget's value for a corpus spanning ``first`` to ``last``: the whole
    span when ``chosen`` was the whole span of the corpus shown before (``whole``), else
    ``chosen`` with each day moved into the span (the whole span if that leaves it empty).

    Returns:
        () for a corpus without dates, else one or two days.
    """
    if first is None or last is None:
        return ()
    chosen = tuple(chosen or ())
    if not chosen or (whole is not None and chosen == tuple(whole)):
        return (first, last)
    fitted = tuple(min(max(day, first), last) for day in chosen)
    if len(fitted) == 2 and fitted[0] >= fitted[1] and chosen[0] != chosen[1]:
        return (first, last)
    return fitted


# -- the queries of the views, for the views and for prefetch ------------------------------------


def coverage_leaders_call(filters: Filters) -> Call:
    """The entities the coverage view offers to follow."""
    return Call("top_entities", {"limit": TOP_ITEMS, **filters.kwargs()})


def chosen_items(raw: Sequence[str]) -> tuple[str, ...]:
    """The coverage picker's values as items: a typed word becomes a term item."""
    return tuple(dict.fromkeys(i if parse_item(i)[0] else make_item("term", i) for i in raw))


def coverage_call(filters: Filters, items: Sequence[str], *, lines: str, interval: str) -> Call:
    entities = [parse_item(i)[1] for i in items if parse_item(i)[0] == "entity"]
    terms = [parse_item(i)[1] for i in items if parse_item(i)[0] == "term"]
    return Call(
        "mentions_over_time",
        {
            "entities": entities,
            "terms": terms,
            "interval": interval,
            "by_source": lines == "source",
            **filters.kwargs(),
        },
    )


def top_calls(filters: Filters, *, types: Sequence[str], top: int) -> tuple[Call, Call]:
    """The top entities (of ``types``; none: every type) and the top words."""
    return (
        Call(
            "top_entities", {"labels": list(types) or None, "limit": int(top), **filters.kwargs()}
        ),
        Call("top_terms", {"limit": int(top), **filters.kwargs()}),
    )


def sentiment_calls(filters: Filters, *, model: str, interval: str) -> tuple[Call, Call]:
    """Tone per article and per period and outlet, toward the filter's entity if any."""
    toward = filters.entity or None
    return (
        Call("article_sentiment", {"model": model, "toward": toward, **filters.kwargs()}),
        Call(
            "sentiment_over_time",
            {
                "model": model,
                "toward": toward,
                "interval": interval,
                "by_source": True,
                **filters.kwargs(),
            },
        ),
    )


def quoted_calls(filters: Filters, *, top: int) -> tuple[Call, Call]:
    """Speakers overall and per outlet."""
    return (
        Call("quoted_speakers", {"limit": int(top), **filters.kwargs()}),
        Call("quoted_speakers", {"by_source": True, "limit": int(top), **filters.kwargs()}),
    )


def cooccurrence_call(filters: Filters, *, types: Sequence[str]) -> Call:
    return Call(
        "cooccurrence", {"top": COOCCURRENCE_TOP, "labels": list(types) or None, **filters.kwargs()}
    )


def articles_call(filters: Filters, *, rows: int = ARTICLE_ROWS) -> Call:
    """The newest ``rows`` selected articles."""
    return Call("article_table", {"limit": int(rows), **filters.kwargs()})


def page_calls(filters: Filters, state: CorpusState) -> list[Call]:
    """The queries the views below the filters run for ``filters``, with the choices their
    widgets hold at the start of the run (before a widget exists: the state's), in page
    order: what :func:`corpus_page` prefetches. A guess that turns out wrong costs one query;
    the views always run their own."""
    ss = st.session_state
    interval = ss.get(f"{KEY}_cov_interval", state.interval) or "month"
    lines = ss.get(f"{KEY}_cov_lines", state.lines) or "item"
    raw = ss.get(f"{KEY}_cov_items", list(state.items))
    types = ss.get(f"{KEY}_top_types", list(state.types) or list(DEFAULT_TYPES))
    top = ss.get(f"{KEY}_top_top", state.top)
    model = ss.get(f"{KEY}_tone_model", state.model) or "vader"
    rows = ss.get(f"{KEY}_articles_rows") or ARTICLE_ROWS
    calls = [coverage_leaders_call(filters)]
    if raw:
        calls.append(coverage_call(filters, chosen_items(raw), lines=lines, interval=interval))
    calls += [
        *top_calls(filters, types=types, top=top),
        *sentiment_calls(filters, model=model, interval=interval),
        articles_call(filters, rows=rows),
    ]
    shown = ss.get(f"{KEY}_open", list(state.open)) or ()
    if "quoted" in shown:
        calls += quoted_calls(filters, top=top)
    if "pairs" in shown:
        calls.append(cooccurrence_call(filters, types=types))
    return calls


# -- the views ----------------------------------------------------------------------------------


def render_filters(source: Source, state: CorpusState, *, key: str) -> Filters:
    """Date range, outlets, text search and entity, in one row.

    Returns:
        the :class:`Filters` chosen.
    """
    info = run_query(source, "corpus_info")
    outlets = run_query(source, "source_counts")
    names = [s for s in outlets["source"] if isinstance(s, str)][:500]
    leaders = run_query(source, "top_entities", limit=300)
    entity_options = ["", *sorted(dict.fromkeys(leaders["entity"]))]
    if state.entity and state.entity not in entity_options:
        entity_options.append(state.entity)
    first, last = info.first, info.last
    span = (state.start or first, state.end or last) if first else ()
    _init(f"{key}_dates", span)
    _init(f"{key}_sources", [s for s in state.sources if s in names])
    _init(f"{key}_text", state.q)
    _init(f"{key}_entity", state.entity)
    ss = st.session_state
    # The widgets keep their values when the corpus changes (another corpus chosen, an upload
    # filling in): a range over the whole corpus follows it, any other is kept within it.
    ss[f"{key}_dates"] = fit_range(ss[f"{key}_dates"], first, last, whole=ss.get(f"{key}_span"))
    ss[f"{key}_span"] = (first, last)
    ss[f"{key}_sources"] = [s for s in ss[f"{key}_sources"] if s in names]
    if ss[f"{key}_entity"] not in entity_options:
        entity_options.append(ss[f"{key}_entity"])
    # The date range needs its two days in full at 1280 px wide.
    cols = st.columns([1.75, 1.5, 1.4, 1.35], vertical_alignment="bottom")
    with cols[0]:
        chosen = st.date_input(
            "Dates",
            min_value=first,
            max_value=last,
            key=f"{key}_dates",
            disabled=first is None,
            format="YYYY-MM-DD",
            help="First and last day (inclusive); articles without a date "
            "are left out once the range is narrowed.",
        )
    with cols[1]:
        picked = st.multiselect(
            "Outlets",
            names,
            key=f"{key}_sources",
            max_selections=MAX_SOURCES,
            placeholder="every outlet",
        )
    with cols[2]:
        text = st.text_input(
            "Search the text",
            key=f"{key}_text",
            max_chars=200,
            placeholder='words, or "a phrase"',
            help="Articles holding every word (whole words, any case); text in "
            "double quotes is a phrase.",
        )
    with cols[3]:
        entity = st.selectbox(
            "Mentions",
            entity_options,
            key=f"{key}_entity",
            format_func=lambda e: e or "any entity",
            help="Only articles that mention this entity.",
        )
    start = end = None
    if first is not None and isinstance(chosen, (tuple, list)) and len(chosen) == 2:
        start = chosen[0] if chosen[0] > first else None
        end = chosen[1] if chosen[1] < last else None
    elif first is not None and isinstance(chosen, (tuple, list)) and len(chosen) == 1:
        start = chosen[0] if chosen[0] > first else None  # the second click is pending
    filters = Filters(start, end, tuple(picked), text.strip(), entity or "")
    try:
        count = run_query(source, "selected_count", **filters.kwargs())
    except ArticleError as error:
        st.error(str(error))
        return filters._replace(text="")
    st.caption(
        f"{count:,} of {info.articles:,} articles selected"
        + (f" · {info.first} to {info.last}" if info.first else "")
    )
    return filters


class Coverage(NamedTuple):
    items: tuple[str, ...]
    lines: str
    interval: str
    point: str


def render_coverage(
    source: Source,
    filters: Filters,
    *,
    items: Sequence[str] = (),
    lines: str = "item",
    interval: str = "month",
    point: str = "",
    key: str,
) -> Coverage:
    """Mentions of chosen entities or terms per day/week/month, a line per item or per outlet,
    the number of articles as grey bars; a click on a point shows the paragraphs behind it,
    mentions highlighted.

    Returns:
        the items, lines, interval and point chosen (:class:`Coverage`).
    """
    leaders = run_call(source, coverage_leaders_call(filters))
    options = list(dict.fromkeys([*items, *(make_item("entity", e) for e in leaders["entity"])]))
    _init(f"{key}_items", list(items) or options[:3])
    _init(f"{key}_lines", lines)
    _init(f"{key}_interval", interval)
    # Wide enough for "day week month" in full at 1280 px.
    cols = st.columns([2.4, 1.1, 1.5], vertical_alignment="bottom")
    with cols[0]:
        raw = st.multiselect(
            "Entities and words to follow",
            options,
            key=f"{key}_items",
            format_func=lambda i: corpus_charts.item_label(i) if parse_item(i)[0] else f"“{i}”",
            accept_new_options=True,
            max_selections=MAX_ITEMS,
            help="Pick entities, or type a word and press Enter to follow the word.",
        )
    with cols[1]:
        lines = (
            st.segmented_control(
                "One line per",
                ["item", "source"],
                key=f"{key}_lines",
                format_func={"item": "item", "source": "outlet"}.get,
            )
            or "item"
        )
    with cols[2]:
        interval = st.segmented_control("Per", INTERVALS, key=f"{key}_interval") or "month"
    chosen = chosen_items(raw)
    frame = run_call(source, coverage_call(filters, chosen, lines=lines, interval=interval))
    if len(frame):
        frame = frame.assign(
            item=[make_item(k, i) for k, i in zip(frame["kind"], frame["item"], strict=True)]
        )
    table = corpus_charts.coverage_lines(frame, lines=lines)
    selected = parse_point(point)
    event = _chart(
        corpus_charts.coverage_figure(table, interval=interval, selected=selected), f"{key}_chart"
    )
    points = fresh_points(event, f"{key}_chart")
    if points is not None:
        data = _custom(points)
        point = make_point(date.fromisoformat(data[1]), data[0]) if data else ""
        selected = parse_point(point)
    if selected is not None and selected.line not in set(table["line"]):
        point, selected = "", None
    st.caption("Click a point to read the paragraphs behind it. Grey bars: articles in the period.")
    _table(frame, label="Coverage table", name="coverage", key=key)
    if selected is not None:
        render_point(
            source,
            filters,
            point=selected,
            items=chosen,
            lines=lines,
            interval=interval,
            key=f"{key}_point",
        )
    return Coverage(chosen, lines, interval, point)


def render_point(
    source: Source,
    filters: Filters,
    *,
    point: Point,
    items: Sequence[str],
    lines: str = "item",
    interval: str = "month",
    key: str,
) -> pd.DataFrame:
    """The paragraphs behind one coverage point, mentions highlighted.

    Returns:
        the :func:`mention_paragraphs` rows shown.
    """
    within = _within(filters, point.period, period_end(point.period, interval))
    wanted = [point.line] if lines == "item" else list(items)
    if lines == "source":
        outlet = None if point.line == corpus_charts.NO_SOURCE else point.line
        within = within._replace(sources=(outlet,))
    entities = [parse_item(i)[1] for i in wanted if parse_item(i)[0] == "entity"]
    terms = [parse_item(i)[1] for i in wanted if parse_item(i)[0] == "term"]
    kwargs = within.kwargs()
    if lines == "source":
        kwargs["sources"] = list(within.sources)
    rows = run_query(source, "mention_paragraphs", entities=entities, terms=terms, **kwargs)
    name = corpus_charts.item_label(point.line) if parse_item(point.line)[0] else point.line
    end = period_end(point.period, interval)
    span = point.period.isoformat() + ("" if end == point.period else f" to {end.isoformat()}")
    st.markdown(
        f"**{md_escape(name)}, {span}**: {len(rows)} paragraph(s) in "
        f"{rows['doc_key'].nunique()} article(s)"
    )
    _paragraph_cards(rows, key=key)
    return rows


class Top(NamedTuple):
    types: tuple[str, ...]
    top: int
    clicked: str  # an item (``e:``/``t:``) clicked in this run, or ""
    entities: pd.DataFrame  # the top entities shown (top_entities of the chosen types)


def render_top(
    source: Source,
    filters: Filters,
    *,
    types: Sequence[str] = (),
    top: int = 15,
    selected: str = "",
    key: str,
) -> Top:
    """The most mentioned entities (of the chosen types) and the most frequent words; a click
    on a bar returns its item, so the page can follow it in the coverage chart; the articles
    using ``selected`` are listed below.

    Returns:
        the types and number chosen, and the item clicked in this run ("" for none).
    """
    _init(f"{key}_types", list(types) or list(DEFAULT_TYPES))
    _init(f"{key}_top", top)
    cols = st.columns([4, 1], vertical_alignment="bottom")
    with cols[0]:
        chosen = st.multiselect(
            "Entity types", list(ENTITY_TYPE_NAMES), key=f"{key}_types", format_func=type_name
        )
    with cols[1]:
        top = st.number_input("How many", TOP_MIN, TOP_MAX, key=f"{key}_top", step=5)
    kind, name = parse_item(selected)
    entities_call, terms_call = top_calls(filters, types=chosen, top=top)
    entities, terms = run_call(source, entities_call), run_call(source, terms_call)
    clicked = ""
    left, right = st.columns(2)
    with left:
        figure = charts.entities_figure(
            entities.rename(columns={"mentions": "count"}),
            top=int(top),
            selected=name if kind == "entity" else "",
        )
        points = fresh_points(_chart(figure, f"{key}_entities_chart"), f"{key}_entities_chart")
        if points and _custom(points):
            clicked = make_item("entity", _custom(points))
        _table(entities, label="Entity table", name="top-entities", key=f"{key}_entities")
    with right:
        figure = charts.words_figure(terms, top=int(top), selected=name if kind == "term" else "")
        points = fresh_points(_chart(figure, f"{key}_terms_chart"), f"{key}_terms_chart")
        if points and _custom(points):
            clicked = make_item("term", _custom(points))
        _table(terms, label="Word table", name="top-words", key=f"{key}_terms")
    shown = clicked or selected
    if parse_item(shown)[0]:
        render_item_articles(source, filters, item=shown, key=f"{key}_articles")
    return Top(tuple(chosen), int(top), clicked, entities)


def render_item_articles(source: Source, filters: Filters, *, item: str, key: str) -> pd.DataFrame:
    """The articles that mention an entity or use a word, under the filter.

    Returns:
        the :func:`analysis.storage.corpus.queries.article_table` rows shown.
    """
    kind, name = parse_item(item)
    if kind == "entity":
        if filters.entity and filters.entity != name:
            rows = run_query(source, "article_table", limit=0, **filters.kwargs())
        else:
            rows = run_query(
                source, "article_table", limit=DETAIL_ROWS, **filters._replace(entity=name).kwargs()
            )
    else:
        text = f"{filters.text} {name}".strip()
        rows = run_query(
            source, "article_table", limit=DETAIL_ROWS, **filters._replace(text=text).kwargs()
        )
    st.markdown(
        f"**Articles with {md_escape(corpus_charts.item_label(item))}** ({len(rows)}"
        f"{'+' if len(rows) == DETAIL_ROWS else ''})"
    )
    st.dataframe(
        _article_view(rows), hide_index=True, key=f"{key}_table", column_config=_ARTICLE_COLUMNS
    )
    return rows


def render_sentiment(
    source: Source, filters: Filters, *, model: str = "vader", interval: str = "month", key: str
) -> str:
    """Tone per outlet (a box with every article as a dot) and over time (a line per outlet);
    toward the filter's entity when one is chosen (the sentences that mention it).

    Returns:
        the model chosen.
    """
    _init(f"{key}_model", model)
    model = (
        st.segmented_control("Model", MODELS, key=f"{key}_model", format_func=MODEL_LABELS.get)
        or "vader"
    )
    toward = filters.entity or None
    tones_call, lines_call = sentiment_calls(filters, model=model, interval=interval)
    tones, lines = run_call(source, tones_call), run_call(source, lines_call)
    left, right = st.columns(2)
    with left:
        # The tone charts lead nowhere on a click: a click would only rerun the page.
        _chart(
            corpus_charts.tone_box_figure(tones, model=model, toward=toward or ""),
            f"{key}_box_chart",
            clickable=False,
        )
        _table(tones, label="Tone per article", name="tone-articles", key=f"{key}_box")
    with right:
        _chart(
            corpus_charts.tone_time_figure(
                lines, model=model, interval=interval, toward=toward or ""
            ),
            f"{key}_time_chart",
            clickable=False,
        )
        _table(lines, label="Tone per period", name="tone-periods", key=f"{key}_time")
    if toward:
        st.caption(
            f"Scores are those of the sentences that mention {md_escape(toward)}, "
            "without the names."
        )
    return model


def render_quoted(source: Source, filters: Filters, *, top: int = 15, key: str) -> pd.DataFrame:
    """Who is quoted: speakers by words quoted, stacked by outlet.

    Returns:
        the speakers table (:func:`analysis.storage.corpus.queries.quoted_speakers`).
    """
    speakers_call, by_source_call = quoted_calls(filters, top=top)
    speakers, by_source = run_call(source, speakers_call), run_call(source, by_source_call)
    figure = corpus_charts.speakers_by_source_figure(by_source, speakers=list(speakers["speaker"]))
    _chart(figure, f"{key}_chart")
    _table(by_source, label="Speakers by outlet", name="speakers", key=key)
    return speakers


def render_cooccurrence(
    source: Source,
    filters: Filters,
    *,
    pair: str = "",
    types: Sequence[str] = (),
    leaders: pd.DataFrame | None = None,
    key: str,
) -> str:
    """A matrix of the top entities named in the same paragraph; a click on a cell lists the
    paragraphs naming both, mentions highlighted. ``leaders``: the top entities of ``types``
    under the filter, at least :data:`COOCCURRENCE_TOP` of them when there are, if already
    queried (else queried here).

    Returns:
        the pair chosen (``entity|entity``, or "").
    """
    labels = list(types) or None
    if leaders is None:
        leaders = run_query(
            source, "top_entities", labels=labels, limit=COOCCURRENCE_TOP, **filters.kwargs()
        )
    leaders = leaders.head(COOCCURRENCE_TOP)
    pairs = run_call(source, cooccurrence_call(filters, types=types))
    names = list(leaders["entity"])
    chosen = parse_pair(pair)
    matrix = corpus_charts.cooccurrence_matrix(pairs, names)
    event = _chart(corpus_charts.cooccurrence_figure(matrix, selected=chosen), f"{key}_chart")
    points = fresh_points(event, f"{key}_chart")
    if points is not None:
        data = _custom(points)
        chosen = parse_pair(f"{data[0]}|{data[1]}") if data else None
    _table(pairs, label="Pairs", name="cooccurrence", key=key)
    if chosen is None:
        return ""
    rows = run_query(
        source,
        "mention_paragraphs",
        entities=list(chosen),
        limit=DETAIL_ROWS * 4,
        **filters.kwargs(),
    )
    both = {make_item("entity", chosen[0]), make_item("entity", chosen[1])}
    rows = rows[[both <= set(i) for i in rows["items"]]].head(DETAIL_ROWS) if len(rows) else rows
    st.markdown(
        f"**{md_escape(chosen[0])} and {md_escape(chosen[1])}** in the same paragraph: "
        f"{len(rows)} paragraph(s)"
    )
    _paragraph_cards(rows, key=f"{key}_pair")
    return f"{chosen[0]}|{chosen[1]}"


def render_distinctive(source: Source, filters: Filters, *, dist: str = "", key: str) -> str:
    """Words that set one outlet or one month apart from the rest of the corpus (log-odds with
    an informative prior; see :func:`analysis.storage.corpus.queries.distinctive_terms`).

    Returns:
        the target chosen (``source:<outlet>`` or ``month:<YYYY-MM>``).
    """
    info = run_query(source, "corpus_info")
    outlets = [s for s in run_query(source, "source_counts")["source"] if isinstance(s, str)]
    months: list[str] = []
    if info.first is not None:
        day = date(info.first.year, info.first.month, 1)
        while day <= info.last:
            months.append(day.strftime("%Y-%m"))
            day = period_end(day, "month") + timedelta(days=1)
    default = ("month", months[-1]) if months else ("source", outlets[0] if outlets else "")
    parsed = parse_dist(dist) or default
    _init(f"{key}_kind", parsed[0])
    cols = st.columns([1, 2], vertical_alignment="bottom")
    with cols[0]:
        kind = (
            st.segmented_control(
                "Set apart",
                ["source", "month"],
                key=f"{key}_kind",
                format_func={"source": "an outlet", "month": "a month"}.get,
            )
            or "month"
        )
    values = outlets if kind == "source" else months[::-1]
    if not values:
        st.caption("No outlet or dated article to compare.")
        return ""
    _init(f"{key}_{kind}", parsed[1] if parsed[0] == kind and parsed[1] in values else values[0])
    with cols[1]:
        value = st.selectbox("Which", values, key=f"{key}_{kind}")
    if kind == "source":
        terms = run_query(source, "distinctive_terms", of_source=value)
    else:
        first = date.fromisoformat(f"{value}-01")
        terms = run_query(source, "distinctive_terms", start=first, end=period_end(first, "month"))
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(
            corpus_charts.distinctive_figure(terms, target=value),
            key=f"{key}_chart",
            config={"displaylogo": False},
        )
    with right:
        st.caption(
            "Against every other stored article; the filters above do not apply here. "
            "count: uses in the target; rest: in every other article."
        )
        st.dataframe(
            terms,
            hide_index=True,
            key=f"{key}_table",
            height=360,
            column_config={
                "log_odds": st.column_config.NumberColumn(format="%.2f"),
                "z": st.column_config.NumberColumn(format="%.2f"),
            },
        )
        _csv(terms, "distinctive", f"{key}_csv")
    # The default stays out of the link: a link made before new months arrive keeps following the latest.
    return "" if (kind, value) == default else f"{kind}:{value}"


_ARTICLE_COLUMNS = {
    "title": st.column_config.TextColumn("title", width="large"),
    "date": st.column_config.DateColumn("date", format="YYYY-MM-DD"),
    "words": st.column_config.NumberColumn("words", format="%d"),
    "tone_vader": st.column_config.NumberColumn("tone (VADER)", format="%+.2f"),
    "tone_textblob": st.column_config.NumberColumn("tone (TextBlob)", format="%+.2f"),
    "top_entities": st.column_config.TextColumn("top entities", width="medium"),
}


def _article_view(rows: pd.DataFrame) -> pd.DataFrame:
    columns = ["title", "source", "date", "words", "tone_vader", "tone_textblob", "top_entities"]
    return rows[columns]


def render_sections(shown: Sequence[str], *, key: str) -> tuple[str, ...]:
    """The choice of views drawn below tone (who is quoted, entities together, distinctive
    words). Only chosen views are drawn: every view drawn is queried and redrawn on every
    filter change, so a reader who does not look at one does not wait for it.

    Returns:
        the views chosen, in page order (:data:`dashboard.corpus_state.SECTIONS`).
    """
    _init(key, list(shown))
    st.subheader("More views")
    chosen = st.pills(
        "Show",
        list(SECTIONS),
        key=key,
        selection_mode="multi",
        format_func=SECTION_LABELS.get,
        help="Each view shown is redrawn on every filter change, so only the "
        "chosen ones are drawn; the link keeps which are shown.",
    )
    return tuple(v for v in SECTIONS if v in (chosen or ()))


def render_articles(source: Source, filters: Filters, *, key: str) -> str | None:
    """The selected articles: title, outlet, date, words, tone, top entities; sortable by any
    column header and searchable (the table's search). Selecting a row returns its key.

    Returns:
        the ``doc_key`` of the row selected in this run, or None.
    """
    # The choice of rows is drawn under the table, but its value is known before (a widget's
    # value is in the session state when the run starts).
    shown = st.session_state.get(f"{key}_rows") or ARTICLE_ROWS
    rows = run_call(source, articles_call(filters, rows=shown))
    event = st.dataframe(
        _article_view(rows),
        hide_index=True,
        key=f"{key}_table",
        on_select="rerun",
        selection_mode="single-row",
        column_config=_ARTICLE_COLUMNS,
    )
    picked = event["selection"]["rows"] if event else []
    capped = len(rows) == shown
    newest = f" (the newest {shown:,} shown; the CSV has them all)" if capped else ""
    cols = st.columns([4, 1], vertical_alignment="center")
    with cols[0]:
        st.caption(f"{len(rows):,} article(s){newest} · select a row to open the article")
    if capped or shown != ARTICLE_ROWS:
        with cols[1]:
            st.segmented_control(
                "Rows shown",
                ARTICLE_ROW_CHOICES,
                key=f"{key}_rows",
                default=ARTICLE_ROWS,
                format_func=lambda n: f"{n:,}",
                label_visibility="collapsed",
                help="How many of the newest selected articles the table shows",
            )
    _csv(
        lambda: run_query(source, "article_table", limit=None, **filters.kwargs()),
        "articles",
        f"{key}_csv",
    )
    if picked and picked[0] < len(rows):
        return str(rows["doc_key"].iloc[picked[0]])
    return None


def render_downloads(source: Source, filters: Filters, *, key: str) -> None:
    """The filtered corpus as Parquet (one file per table, zipped), built when asked for."""
    name = "newslens-corpus.zip"
    st.download_button(
        "Download the selected articles (Parquet, every table)",
        lambda: run_query(source, "filtered_parquet", **filters.kwargs()),
        file_name=name,
        mime="application/zip",
        key=f"{key}_parquet",
    )
    st.caption(
        "Every table above has its own CSV download under it; charts download as SVG "
        "from their toolbar (camera icon)."
    )


# -- choosing the corpus -----------------------------------------------------------------------


def sample_path() -> Path:
    return app_settings().data_dir / SAMPLE_FILE


def stored_corpora(folder: Path | None = None) -> list[str]:
    """The file names of the corpora in the data folder (the sample left out), sorted."""
    folder = folder or app_settings().data_dir
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.glob("*.duckdb") if p.name != SAMPLE_FILE and p.is_file())


@st.cache_resource(show_spinner=False)
def _build_lock() -> threading.Lock:
    return threading.Lock()


def export_articles(export: Path) -> int:
    """The number of articles in a folder written by ``newslens corpus export`` (read from the
    Parquet footer, not the rows)."""
    path = str(export / "articles.parquet").replace("'", "''")
    with duckdb.connect() as con:
        return int(con.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0])


def import_sample(path: Path, *, export: Path = SAMPLE_EXPORT) -> CorpusStore:
    """The corpus at ``path`` holding every article of ``export`` (the sample corpus, analysed
    ahead and shipped in ``seeds/``): imported when the file lacks some, else left alone.

    Returns:
        the store at ``path``.
    """
    store = CorpusStore(path)
    with _build_lock():
        wanted = export_articles(export)
        held = queries.corpus_info(store).articles if path.exists() else 0
        # Into an empty store the import writes its word postings already sorted: only an
        # import added to earlier articles needs compacting.
        if held < wanted and store.import_parquet(export) and held:
            store.compact()
    return store


def sample_store() -> CorpusStore:
    """The sample corpus (Wikinews 2019-2020 from ``seeds/``), imported on first use."""
    path = sample_path()
    flag = f"corpus_ready_{path}"
    if not st.session_state.get(flag):
        import_sample(path)
        st.session_state[flag] = True
    return _store(str(path))


class JobStatus(NamedTuple):
    """How far an :class:`IngestJob` has got.

    Attributes:
        total: documents expected (None when the input cannot tell without reading it all).
        done: documents handled (added, already stored, or failed).
        added: articles written so far (the page redraws when this grows).
        failed: documents that could not be analysed.
        finished: the job has stopped (done, or stopped by ``error``).
        error: why the whole job stopped early, or "".
        errors: ``document: reason`` of the first failed documents.
    """

    total: int | None
    done: int
    added: int
    failed: int
    finished: bool
    error: str
    errors: tuple[str, ...]

    @property
    def fraction(self) -> float:
        """Done over total, 0 to 1 (0 while the total is unknown and nothing finished)."""
        if self.finished:
            return 1.0
        return min(1.0, self.done / self.total) if self.total else 0.0


class _JobProgress(Progress):
    """:class:`~analysis.runners.corpus.Progress` that keeps the counts for :meth:`IngestJob.status`."""

    def __init__(self, total: int | None) -> None:
        super().__init__(total, enabled=False)
        self.counts = (0, 0, 0)  # done, added, failed: replaced whole, read by other threads

    def update(self, counts, *, final: bool = False) -> None:
        self.counts = (counts.added + counts.skipped + counts.failed, counts.added, counts.failed)


class IngestJob:
    """Documents analysed into one corpus in a background thread, a batch written at a time,
    so that the page reading the corpus stays usable and fills in as batches land (the store
    lets readers in between a writer's batches).

    Args:
        path: the corpus file (created, with its schema, before :meth:`start` returns).
        inputs: files for :func:`analysis.sources.files.read_inputs`; checked here (an input of
            no known kind or without a text column raises
            :class:`~analysis.sources.files.IngestError` at once).
        load_nlp: returns the spaCy pipeline; called in the thread.
        batch_size: articles per write.
        label: what the reader calls the input (an upload's file name); default the corpus
            file's name.
    """

    def __init__(
        self,
        path: Path,
        inputs: Sequence[str],
        *,
        load_nlp: Callable[[], object],
        batch_size: int = UPLOAD_BATCH,
        label: str = "",
        settings: Settings | None = None,
    ) -> None:
        from analysis.sources.files import check_inputs, count_documents

        self.path = Path(path)
        self.label = label or self.path.name
        self.inputs = check_inputs(list(inputs))
        self.total = count_documents(self.inputs)
        self.batch_size = batch_size
        self._load_nlp = load_nlp
        self._settings = settings or Settings()
        self._progress = _JobProgress(self.total)
        self._error = ""
        self._errors: tuple[str, ...] = ()
        self._done = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"newslens-ingest-{self.path.name}", daemon=True
        )

    def start(self) -> IngestJob:
        """Create the corpus file and start analysing; returns the job."""
        CorpusStore(self.path).ensure()
        self._thread.start()
        return self

    def _run(self) -> None:
        from analysis.runners.corpus import run_local
        from analysis.sources.files import read_inputs
        from analysis.storage.corpus.records import corpus_options

        store, settings = CorpusStore(self.path), self._settings
        try:
            items = read_inputs(self.inputs, max_chars=settings.max_chars)
            report = run_local(
                items,
                store=store,
                workers=1,
                nlp=self._load_nlp(),
                options=corpus_options(entity_aliases=settings.entity_aliases),
                max_chars=settings.max_chars,
                partition_size=self.batch_size,
                batch_size=self.batch_size,
                progress=self._progress,
            )
            self._errors = tuple(f"{e.document}: {e.reason}" for e in report.errors)
            if report.added:
                store.compact()
        except Exception as error:  # shown on the page, never as a traceback
            self._error = (
                str(error)
                if isinstance(error, ArticleError)
                else (f"the analysis stopped ({type(error).__name__}: {str(error)[:200]})")
            )
        finally:
            self._done.set()

    def status(self) -> JobStatus:
        done, added, failed = self._progress.counts
        return JobStatus(
            self.total, done, added, failed, self._done.is_set(), self._error, self._errors
        )

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job has finished or ``timeout`` seconds passed; True if finished."""
        return self._done.wait(timeout)


@st.cache_resource(show_spinner=False)
def _jobs() -> dict[str, IngestJob]:
    """Upload jobs by corpus file path, shared by every session of this server."""
    return {}


def _pipeline():
    from dashboard.cache import load_pipeline

    return load_pipeline()


def start_upload(name: str, data: bytes, *, load_nlp: Callable[[], object] | None = None) -> str:
    """Save an uploaded .zip, .jsonl or .csv in the data folder and start analysing it, in the
    background, into a corpus of its own (:class:`IngestJob`, listed by :func:`upload_job`).

    Returns:
        the new corpus's file name.

    Raises:
        ArticleError: the file is over the limit, of another kind, or has no text column.
    """
    import hashlib

    from analysis.sources.files import IngestError

    suffix = Path(name).suffix.lower()
    if suffix not in (".zip", ".jsonl", ".ndjson", ".csv"):
        raise IngestError(f"{name}: upload a .zip of articles, a .jsonl or a .csv file.")
    if len(data) > upload_limit_mb() * 1024 * 1024:
        raise IngestError(
            f"{name} is {len(data) / 1e6:.0f} MB; the limit for an upload is "
            f"{upload_limit_mb()} MB (add larger collections with: newslens corpus add)."
        )
    digest = hashlib.sha256(data).hexdigest()[:10]
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(name).stem).strip("-")[:40] or "upload"
    folder = app_settings().data_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    saved = folder / f"{stem}-{digest}{suffix}"
    saved.write_bytes(data)
    corpus = f"{UPLOAD_PREFIX}{stem}-{digest}.duckdb"
    jobs, path = _jobs(), app_settings().data_dir / corpus
    with _build_lock():
        if str(path) in jobs and not jobs[str(path)].status().finished:
            return corpus
        try:
            job = IngestJob(
                path,
                [str(saved)],
                load_nlp=load_nlp or _pipeline,
                label=name,
                settings=app_settings(),
            )
        except IngestError as error:
            # The saved copy's path means nothing to the reader: name the upload instead.
            raise IngestError(str(error).replace(str(saved), name)) from None
        jobs[str(path)] = job.start()
    return corpus


def upload_job(corpus: str) -> IngestJob | None:
    """The upload job of a corpus (a file name in the data folder) started on this server, if any."""
    return _jobs().get(str(app_settings().data_dir / corpus))


def render_job(job: IngestJob, *, key: str) -> JobStatus:
    """The progress of an upload job; while it runs, redrawn every second (a fragment), and
    the whole page rerun whenever a batch has been written, so every view fills in.

    Returns:
        the job's status when drawn.
    """
    status = job.status()
    if status.finished:
        _job_result(status)
        return status

    @st.fragment(run_every=JOB_POLL_S)
    def progress() -> None:
        now = job.status()
        seen = f"{key}_added"
        if now.finished or now.added != st.session_state.get(seen, 0):
            st.session_state[seen] = now.added
            st.rerun()
        total = f"{now.total:,}" if now.total else "?"
        text = (
            f"Analysing {job.label}: {now.done:,} of {total} "
            f"documents · {now.added:,} stored · the page fills in as batches are written"
        )
        st.progress(now.fraction, text=text)

    progress()
    return status


def _job_result(status: JobStatus) -> None:
    if status.error:
        st.error(f"The upload could not be analysed completely: {status.error}")
    if status.failed:
        st.warning(
            f"{status.failed} document(s) could not be analysed: " + "; ".join(status.errors[:3])
        )


def corpus_label(name: str) -> str:
    """How the corpus picker lists a corpus: the sample by what it is, an upload as "Upload:
    <file name>-<digest>", a stored corpus by its file name without ".duckdb"."""
    if name == SAMPLE:
        return "Sample: Wikinews 2019-2020"
    stem = name.removesuffix(".duckdb")
    return f"Upload: {stem.removeprefix(UPLOAD_PREFIX)}" if stem.startswith(UPLOAD_PREFIX) else stem


def render_corpus_choice(state: CorpusState, *, key: str) -> tuple[str, CorpusStore | None]:
    """The sidebar's corpus picker: the sample, a stored corpus, or an upload (analysed in the
    background; see :func:`start_upload`).

    Returns:
        the corpus name and its store (None when the named corpus does not exist).
    """
    stored = stored_corpora()
    options = [SAMPLE, *stored]
    if state.corpus not in options:
        st.error(
            f"No corpus named “{state.corpus}” in {app_settings().data_dir}; showing the sample."
        )
        state = replace(state, corpus=SAMPLE)
    _init(f"{key}_name", state.corpus)
    if st.session_state[f"{key}_name"] not in options:
        st.session_state[f"{key}_name"] = SAMPLE
    with st.sidebar:
        name = st.selectbox("Corpus", options, key=f"{key}_name", format_func=corpus_label)
        upload = st.file_uploader(
            "Add a corpus (.zip, .jsonl, .csv)",
            type=["zip", "jsonl", "ndjson", "csv"],
            key=f"{key}_upload",
            help=f"Up to {upload_limit_mb()} MB; records need a “text” column. "
            "Analysed in the background: the page fills in as it goes.",
        )
    if upload is not None and st.session_state.get(f"{key}_uploaded") != upload.file_id:
        try:
            corpus = start_upload(upload.name, upload.getvalue())
        except ArticleError as error:
            st.sidebar.error(str(error))
        else:
            st.session_state[f"{key}_uploaded"] = upload.file_id
            st.session_state[f"{key}_pending"] = corpus
            st.rerun()
    if name == SAMPLE:
        return name, sample_store()
    return name, _store(str(app_settings().data_dir / name))


# -- the page ---------------------------------------------------------------------------------

KEY = "corpus"


def _apply_pending() -> None:
    """Choices made by a click after the widget they set was drawn (a rerun applies them)."""
    ss = st.session_state
    pending = ss.pop(f"{KEY}_pending_widgets", None)
    for widget, value in (pending or {}).items():
        ss[widget] = value
    corpus = ss.pop(f"{KEY}_choice_pending", None)
    if corpus is not None:
        ss[f"{KEY}_choice_name"] = corpus


def corpus_page(
    *, source: Source | None = None, on_open: Callable[[str], None] | None = None
) -> None:
    """The Corpus page: corpus choice, filters, and every view; the state goes to the URL.

    Args:
        source: a corpus to show instead of the one the state names (tests, embedding).
        on_open: called with an article's key when a row of the article table is selected
            (the app switches to the Article page); without it the key is kept in
            ``st.session_state["corpus_open_article"]``.
    """
    ss = st.session_state
    if f"{KEY}_state" not in ss:
        state, notes = from_query(st.query_params.to_dict())
        ss[f"{KEY}_state"] = state
        ss[f"{KEY}_notes"] = notes
    _apply_pending()
    state: CorpusState = ss[f"{KEY}_state"]
    st.html(f"<style>{CSS}</style>")
    st.title("Corpus")
    note = link_message(ss.pop(f"{KEY}_notes", []))
    if note:
        st.warning(note, icon=":material/link_off:")
    if source is None:
        name, source = render_corpus_choice(state, key=f"{KEY}_choice")
    else:
        name = state.corpus
    job = upload_job(name)
    if job is not None:
        render_job(job, key=f"{KEY}_job")
    info = run_query(source, "corpus_info")
    if info.articles == 0:
        st.info("This corpus holds no articles yet.")
        return
    filters = render_filters(source, state, key=f"{KEY}_filters")
    prefetch(source, page_calls(filters, state))

    st.subheader("Coverage over time")
    coverage = render_coverage(
        source,
        filters,
        items=state.items,
        lines=state.lines,
        interval=state.interval,
        point=state.point,
        key=f"{KEY}_cov",
    )
    st.subheader("Top entities and words")
    top = render_top(
        source,
        filters,
        types=state.types,
        top=state.top,
        selected=coverage.items[0] if len(coverage.items) == 1 else "",
        key=f"{KEY}_top",
    )
    st.subheader("Sentiment")
    model = render_sentiment(
        source, filters, model=state.model, interval=coverage.interval, key=f"{KEY}_tone"
    )
    shown = render_sections(state.open, key=f"{KEY}_open")
    pair, dist = state.pair, state.dist
    if "quoted" in shown or "pairs" in shown:
        left, right = st.columns(2) if {"quoted", "pairs"} <= set(shown) else (st.container(), None)
        if "quoted" in shown:
            with left:
                st.subheader("Who is quoted")
                render_quoted(source, filters, top=top.top, key=f"{KEY}_quoted")
        if "pairs" in shown:
            with right if right is not None else left:
                st.subheader("Entities together")
                # The top view's entities are the same query with a larger limit: no second query.
                leaders = top.entities if top.top >= COOCCURRENCE_TOP else None
                pair = render_cooccurrence(
                    source,
                    filters,
                    pair=state.pair,
                    types=top.types,
                    leaders=leaders,
                    key=f"{KEY}_pairs",
                )
    if "dist" in shown:
        st.subheader("Distinctive words")
        dist = render_distinctive(source, filters, dist=state.dist, key=f"{KEY}_dist")
    st.subheader("Articles")
    opened = render_articles(source, filters, key=f"{KEY}_articles")
    render_downloads(source, filters, key=f"{KEY}_downloads")

    types = top.types if tuple(top.types) != tuple(DEFAULT_TYPES) else ()
    new = CorpusState(
        corpus=name,
        start=filters.start,
        end=filters.end,
        sources=filters.sources,
        q=filters.text,
        entity=filters.entity,
        items=coverage.items,
        lines=coverage.lines,
        interval=coverage.interval,
        point=coverage.point,
        types=types,
        top=top.top,
        model=model,
        pair=pair,
        dist=dist,
        open=shown,
        compare=state.compare,
    )
    ss[f"{KEY}_state"] = new
    st.query_params.from_dict(to_query(new))
    if top.clicked:
        ss[f"{KEY}_pending_widgets"] = {f"{KEY}_cov_items": [top.clicked]}
        st.rerun()
    if opened:
        ss["corpus_open_article"] = opened
        if on_open is not None:
            on_open(opened)


__all__ = [
    "Filters",
    "corpus_page",
    "filters_of",
    "highlight_html",
    "mention_paragraphs",
    "period_end",
    "render_articles",
    "render_cooccurrence",
    "render_corpus_choice",
    "render_coverage",
    "render_distinctive",
    "render_downloads",
    "render_filters",
    "render_item_articles",
    "render_point",
    "render_quoted",
    "render_sentiment",
    "render_top",
    "run_query",
    "sample_store",
    "term_spans",
    "import_sample",
    "IngestJob",
    "JobStatus",
    "start_upload",
    "upload_job",
    "render_job",
    "COMPARE_MAX",
]
