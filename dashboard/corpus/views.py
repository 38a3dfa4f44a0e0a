"""The Corpus page's views: one ``render_<thing>(source, filters, ..., key=...)`` per view,
every widget key prefixed by ``key`` so that a view can appear twice. ``source`` and the
queries are :mod:`dashboard.corpus.data`'s. A view returns what the reader chose in it (a
clicked point, entity, article), and the page (:mod:`dashboard.corpus.page`) folds that into
its :class:`~dashboard.corpus.link.CorpusState`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

import pandas as pd
import streamlit as st

from analysis.core.sentiment import DEFAULT_MODEL, MODELS
from analysis.storage.corpus.queries import MENTION_PARAGRAPHS
from analysis.storage.corpus.queries import MODELS as TONE_COLUMNS
from analysis.storage.corpus.selection import outlet_label
from dashboard import charts
from dashboard.corpus import charts as corpus_charts
from dashboard.corpus import data
from dashboard.corpus.data import COOCCURRENCE_TOP, Filters, Source
from dashboard.corpus.link import (
    INTERVALS,
    MAX_ITEMS,
    MAX_SOURCES,
    MAX_TEXT_PARAM,
    MEASURES,
    SECTIONS,
    TOP_MAX,
    TOP_MIN,
    CorpusState,
    Point,
    make_item,
    make_point,
    parse_item,
    parse_pair,
    parse_point,
)
from dashboard.corpus.paragraphs import render_paragraphs
from dashboard.corpus.reading import SYNTAX_HELP, render_counts
from dashboard.labels import DEFAULT_TYPES, ENTITY_TYPES, MODEL_LABELS, type_name
from dashboard.render import md_escape
from dashboard.widgets import (
    chart,
    csv_download,
    first_custom,
    fresh_points,
    fresh_rows,
    init_widget,
    widget_default,
)

MEASURE_LABELS = {"count": "count", "share": "share"}
SECTION_LABELS = {
    "quoted": "Who is quoted",
    "pairs": "Entities together",
    "dist": "Distinctive words",
}
#: Rows the article table shows (sorted by date, newest first), unless the reader asks for
#: more (up to the last choice); the CSV has them all. A table's rows are sent again and its
#: grid built again on every run: a long one is most of the browser's work after a filter change.
ARTICLE_ROWS = 200
ARTICLE_ROW_CHOICES = (ARTICLE_ROWS, 1000)
#: Rows a table under a chart shows; its CSV has them all (what the page sends to the browser
#: stays small however large the corpus).
TABLE_ROWS = 100
#: Articles or paragraphs listed under a chosen item or pair.
DETAIL_ROWS = MENTION_PARAGRAPHS


def _table(frame: pd.DataFrame, *, label: str, name: str, key: str) -> None:
    """The table behind a chart, in an expander keyed ``<key>_table_open`` (its first
    :data:`TABLE_ROWS` rows), with a CSV download of every row. The table is drawn only while
    the expander is open (opening it reruns the page): a closed one sends the browser
    nothing to build."""
    section = st.expander(label, key=f"{key}_table_open", on_change="rerun")
    with section:
        if not section.open:
            return
        st.dataframe(frame.head(TABLE_ROWS), hide_index=True, key=f"{key}_table")
        if len(frame) > TABLE_ROWS:
            st.caption(f"The first {TABLE_ROWS:,} of {len(frame):,} rows; the CSV has them all.")
        csv_download(frame, name, key=f"{key}_csv")


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


def render_filters(source: Source, state: CorpusState, *, key: str) -> Filters:
    """Date range, outlets, text search and entity, in one row.

    Returns:
        the :class:`Filters` chosen.
    """
    info = data.run_query(source, "corpus_info")
    outlets = data.run_query(source, "source_counts", include_duplicates=True)
    # An article without an outlet is chosen as "(no outlet)", a value every query reads.
    names = [outlet_label(s) for s in outlets["source"]][:500]
    leaders = data.run_query(source, "top_entities", limit=300)
    entity_options = ["", *sorted(dict.fromkeys(leaders["entity"]))]
    if state.entity and state.entity not in entity_options:
        entity_options.append(state.entity)
    first, last = info.first, info.last
    span = (state.start or first, state.end or last) if first else ()
    # Dates and outlets are set again on every run below (so sent with every run's element);
    # the other filters declare their first value as their default.
    init_widget(f"{key}_dates", span)
    init_widget(f"{key}_sources", [s for s in state.sources if s in names])
    ss = st.session_state
    # The widgets keep their values when the corpus changes (another corpus chosen, an upload
    # filling in): a range over the whole corpus follows it, any other is kept within it.
    ss[f"{key}_dates"] = fit_range(ss[f"{key}_dates"], first, last, whole=ss.get(f"{key}_span"))
    ss[f"{key}_span"] = (first, last)
    ss[f"{key}_sources"] = [s for s in ss[f"{key}_sources"] if s in names]
    entity_now = widget_default(f"{key}_entity", state.entity)
    if entity_now not in entity_options:
        entity_options.append(entity_now)
    # At 1280 px wide: the date range's two days in full, and an outlet's chip such as
    # "en.wikinews.org" uncut.
    cols = st.columns([1.75, 1.85, 1.25, 1.15], vertical_alignment="bottom")
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
            widget_default(f"{key}_text", state.q),
            key=f"{key}_text",
            max_chars=MAX_TEXT_PARAM,
            placeholder='words, "a phrase", OR, NOT',
            help=SYNTAX_HELP,
        )
    with cols[3]:
        entity = st.selectbox(
            "Mentions",
            entity_options,
            index=entity_options.index(entity_now),
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
    line, switch = st.columns([4, 1.3], vertical_alignment="top")
    with switch:
        duplicates = st.toggle(
            "Count every copy",
            widget_default(f"{key}_dups", state.dups),
            key=f"{key}_dups",
            help="A story published twice (wire copy on two sites, a site's two URLs) counts "
            "once unless this is on; older revisions of an article never count.",
        )
    filters = Filters(start, end, tuple(picked), text.strip(), entity or "", bool(duplicates))
    with line:
        return render_counts(source, filters, key=key)


class Coverage(NamedTuple):
    items: tuple[str, ...]
    lines: str
    interval: str
    point: str
    measure: str = "count"


def render_coverage(
    source: Source,
    filters: Filters,
    *,
    items: Sequence[str] = (),
    lines: str = "item",
    interval: str = "month",
    point: str = "",
    measure: str = "count",
    key: str,
) -> Coverage:
    """Mentions of chosen entities or terms per day/week/month, a line per item or per outlet,
    the number of articles as grey bars; a click on a point shows the paragraphs behind it,
    mentions highlighted.

    Returns:
        the items, lines, interval and point chosen (:class:`Coverage`).
    """
    leaders = data.run_call(source, data.coverage_leaders_call(filters))
    options = list(dict.fromkeys([*items, *(make_item("entity", e) for e in leaders["entity"])]))
    # Wide enough for "day week month" in full at 1280 px.
    cols = st.columns([2.3, 1.1, 1.5, 1.1], vertical_alignment="bottom")
    with cols[0]:
        raw = st.multiselect(
            "Entities and words to follow",
            options,
            # A word typed in is not among the options: it is no default.
            default=[
                i
                for i in widget_default(f"{key}_items", list(items) or options[:3])
                if i in options
            ],
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
                default=widget_default(f"{key}_lines", lines),
                key=f"{key}_lines",
                format_func={"item": "item", "source": "outlet"}.get,
            )
            or "item"
        )
    with cols[2]:
        interval = (
            st.segmented_control(
                "Per",
                INTERVALS,
                default=widget_default(f"{key}_interval", interval),
                key=f"{key}_interval",
            )
            or "month"
        )
    with cols[3]:
        measure = (
            st.segmented_control(
                "Show",
                MEASURES,
                default=widget_default(f"{key}_measure", measure),
                key=f"{key}_measure",
                format_func=MEASURE_LABELS.get,
                help="Mentions per period, or the share of the period's articles that "
                "mention each item (Media Cloud's normalised coverage).",
            )
            or "count"
        )
    chosen = data.chosen_items(raw)
    frame = data.run_call(
        source, data.coverage_call(filters, chosen, lines=lines, interval=interval)
    )
    if len(frame):
        frame = frame.assign(
            item=[make_item(k, i) for k, i in zip(frame["kind"], frame["item"], strict=True)]
        )
    table = corpus_charts.coverage_lines(frame, lines=lines)
    selected = parse_point(point)
    event = chart(
        corpus_charts.coverage_figure(table, interval=interval, selected=selected, measure=measure),
        f"{key}_chart",
    )
    points = fresh_points(event, f"{key}_chart")
    if points is not None:
        custom = first_custom(points)
        point = make_point(date.fromisoformat(custom[1]), custom[0]) if custom else ""
        selected = parse_point(point)
    if selected is not None and selected.line not in set(table["line"]):
        point, selected = "", None
    st.caption("Click a point to read the paragraphs behind it. Grey bars: articles in the period.")
    _table(
        corpus_charts.coverage_table(table, measure=measure),
        label="Coverage table",
        name=f"{'share-of-articles-mentioning' if measure == 'share' else 'mentions'}-per-{interval}",
        key=key,
    )
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
    return Coverage(chosen, lines, interval, point, measure)


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
        the :func:`analysis.storage.corpus.queries.mention_paragraphs` rows shown.
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
    rows = data.run_query(source, "mention_paragraphs", entities=entities, terms=terms, **kwargs)
    name = corpus_charts.item_label(point.line) if parse_item(point.line)[0] else point.line
    end = period_end(point.period, interval)
    span = point.period.isoformat() + ("" if end == point.period else f" to {end.isoformat()}")
    st.markdown(
        f"**{md_escape(name)}, {span}**: {len(rows)} paragraph(s) in "
        f"{rows['doc_key'].nunique()} article(s)"
    )
    render_paragraphs(rows, key=key)
    return rows


class Top(NamedTuple):
    types: tuple[str, ...]
    top: int
    clicked: str  # an item (``e:``/``t:``) clicked in this run, or ""
    entities: pd.DataFrame  # the top entities shown (top_entities of the chosen types)
    stop: bool = False  # the word counts keep stop words
    xstop: str = ""  # the reader's own words left out of the word counts


def render_top(
    source: Source,
    filters: Filters,
    *,
    types: Sequence[str] = (),
    top: int = 15,
    selected: str = "",
    stop: bool = False,
    xstop: str = "",
    key: str,
) -> Top:
    """The most mentioned entities (of the chosen types) and the most frequent words; a click
    on a bar returns its item, so the page can follow it in the coverage chart; the articles
    using ``selected`` are listed below.

    Returns:
        the types and number chosen, and the item clicked in this run ("" for none).
    """
    cols = st.columns([4, 1], vertical_alignment="bottom")
    with cols[0]:
        chosen = st.multiselect(
            "Entity types",
            list(ENTITY_TYPES),
            default=widget_default(f"{key}_types", list(types) or list(DEFAULT_TYPES)),
            key=f"{key}_types",
            format_func=type_name,
        )
    with cols[1]:
        top = st.number_input(
            "How many", TOP_MIN, TOP_MAX, widget_default(f"{key}_top", top), 5, key=f"{key}_top"
        )
    kind, name = parse_item(selected)
    stop, xstop = render_word_options(stop=stop, xstop=xstop, key=key)
    entities_call, terms_call = data.top_calls(
        filters, types=chosen, top=top, include_stop=stop, extra_stop_words=xstop
    )
    entities, terms = data.run_call(source, entities_call), data.run_call(source, terms_call)
    clicked = ""
    left, right = st.columns(2)
    with left:
        figure = charts.entities_figure(
            entities.rename(columns={"mentions": "count"}),
            top=int(top),
            selected=name if kind == "entity" else "",
        )
        points = fresh_points(chart(figure, f"{key}_entities_chart"), f"{key}_entities_chart")
        if points and first_custom(points):
            clicked = make_item("entity", first_custom(points))
        _table(entities, label="Entity table", name="entity-mentions", key=f"{key}_entities")
    with right:
        figure = charts.words_figure(terms, top=int(top), selected=name if kind == "term" else "")
        points = fresh_points(chart(figure, f"{key}_terms_chart"), f"{key}_terms_chart")
        if points and first_custom(points):
            clicked = make_item("term", first_custom(points))
        _table(terms, label="Word table", name="word-occurrences", key=f"{key}_terms")
    shown = clicked or selected
    if parse_item(shown)[0]:
        render_item_articles(source, filters, item=shown, key=f"{key}_articles")
    return Top(tuple(chosen), int(top), clicked, entities, stop, xstop)


def render_word_options(*, stop: bool = False, xstop: str = "", key: str) -> tuple[bool, str]:
    """The word counts' options, as on the Article page: stop words kept or not, and the
    reader's own words left out (speaker labels such as "WN:" are always left out).

    Returns:
        (include stop words, the own words as typed).
    """
    cols = st.columns([1.3, 3], vertical_alignment="bottom")
    with cols[0]:
        stop = st.checkbox(
            "Include stop words",
            widget_default(f"{key}_stop", stop),
            key=f"{key}_stop",
            help="Stop words are the most common words (the, of, said...), left out by default.",
        )
    with cols[1]:
        xstop = st.text_input(
            "Leave out these words",
            widget_default(f"{key}_xstop", xstop),
            key=f"{key}_xstop",
            max_chars=MAX_TEXT_PARAM,
            placeholder="your own words, separated by spaces or commas",
            help="Words left out of the word counts, any case. Speaker labels of "
            "transcripts and interviews (“WN:”, “((WSS))”) are always left out.",
        )
    return bool(stop), xstop.strip()


def render_item_articles(source: Source, filters: Filters, *, item: str, key: str) -> pd.DataFrame:
    """The articles that mention an entity or use a word, under the filter.

    Returns:
        the :func:`analysis.storage.corpus.queries.article_table` rows shown.
    """
    kind, name = parse_item(item)
    if kind == "entity":
        if filters.entity and filters.entity != name:
            rows = data.run_query(source, "article_table", limit=0, **filters.kwargs())
        else:
            rows = data.run_query(
                source, "article_table", limit=DETAIL_ROWS, **filters._replace(entity=name).kwargs()
            )
    else:
        text = f"{filters.text} {name}".strip()
        rows = data.run_query(
            source, "article_table", limit=DETAIL_ROWS, **filters._replace(text=text).kwargs()
        )
    st.markdown(
        f"**Articles with {md_escape(corpus_charts.item_label(item))}** ({len(rows)}"
        f"{'+' if len(rows) == DETAIL_ROWS else ''})"
    )
    st.dataframe(
        article_view(rows), hide_index=True, key=f"{key}_table", column_config=ARTICLE_COLUMNS
    )
    return rows


def render_sentiment(
    source: Source,
    filters: Filters,
    *,
    model: str = DEFAULT_MODEL,
    interval: str = "month",
    key: str,
) -> str:
    """Tone per outlet (a box with every article as a dot) and over time (a line per outlet);
    toward the filter's entity when one is chosen (the sentences that mention it).

    Returns:
        the model chosen.
    """
    model = (
        st.segmented_control(
            "Model",
            MODELS,
            default=widget_default(f"{key}_model", model),
            key=f"{key}_model",
            format_func=MODEL_LABELS.get,
        )
        or DEFAULT_MODEL
    )
    toward = filters.entity or None
    tones_call, lines_call = data.sentiment_calls(filters, model=model, interval=interval)
    tones, lines = data.run_call(source, tones_call), data.run_call(source, lines_call)
    left, right = st.columns(2)
    with left:
        # The tone charts lead nowhere on a click: a click would only rerun the page.
        chart(
            corpus_charts.tone_box_figure(tones, model=model, toward=toward or ""),
            f"{key}_box_chart",
            clickable=False,
        )
        _table(tones, label="Tone per article", name="tone-articles", key=f"{key}_box")
    with right:
        chart(
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
    speakers_call, by_source_call = data.quoted_calls(filters, top=top)
    speakers, by_source = (
        data.run_call(source, speakers_call),
        data.run_call(source, by_source_call),
    )
    figure = corpus_charts.speakers_by_source_figure(by_source, speakers=list(speakers["speaker"]))
    chart(figure, f"{key}_chart")
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
        leaders = data.run_query(
            source, "top_entities", labels=labels, limit=COOCCURRENCE_TOP, **filters.kwargs()
        )
    leaders = leaders.head(COOCCURRENCE_TOP)
    pairs = data.run_call(source, data.cooccurrence_call(filters, types=types))
    names = list(leaders["entity"])
    chosen = parse_pair(pair)
    matrix = corpus_charts.cooccurrence_matrix(pairs, names)
    event = chart(corpus_charts.cooccurrence_figure(matrix, selected=chosen), f"{key}_chart")
    points = fresh_points(event, f"{key}_chart")
    if points is not None:
        custom = first_custom(points)
        chosen = parse_pair(f"{custom[0]}|{custom[1]}") if custom else None
    st.caption("Click a cell, or select a row of the pairs' table, to read the paragraphs.")
    section = st.expander("Pairs", key=f"{key}_table_open", on_change="rerun")
    with section:
        if section.open:
            shown = pairs.head(TABLE_ROWS)
            event = st.dataframe(
                shown,
                hide_index=True,
                key=f"{key}_table",
                on_select="rerun",
                selection_mode="single-row",
            )
            rows = fresh_rows(event, f"{key}_table")
            if rows:
                row = shown.iloc[rows[0]]
                chosen = parse_pair(f"{row['entity_a']}|{row['entity_b']}")
            csv_download(pairs, "paragraphs-naming-both-entities", key=f"{key}_csv")
    if chosen is None:
        return ""
    rows = data.run_query(
        source,
        "mention_paragraphs",
        entities=list(chosen),
        every=True,
        limit=DETAIL_ROWS + 1,
        **filters.kwargs(),
    )
    shown = (
        f"the first {DETAIL_ROWS} paragraphs"
        if len(rows) > DETAIL_ROWS
        else f"{len(rows)} paragraph(s)"
    )
    rows = rows.head(DETAIL_ROWS)
    st.markdown(
        f"**{md_escape(chosen[0])} and {md_escape(chosen[1])}** in the same paragraph: {shown}"
    )
    render_paragraphs(rows, key=f"{key}_pair")
    return f"{chosen[0]}|{chosen[1]}"


#: The article table's columns as shown (a tone column per sentiment model).
ARTICLE_COLUMNS = {
    "title": st.column_config.TextColumn("title", width="large"),
    "date": st.column_config.DateColumn("date", format="YYYY-MM-DD"),
    "words": st.column_config.NumberColumn("words", format="%d"),
    **{
        column: st.column_config.NumberColumn(f"tone ({MODEL_LABELS[model]})", format="%+.2f")
        for model, (column, _) in TONE_COLUMNS.items()
    },
    "top_entities": st.column_config.TextColumn("top entities", width="medium"),
}


def article_view(rows: pd.DataFrame) -> pd.DataFrame:
    """The columns of :func:`analysis.storage.corpus.queries.article_table` rows shown."""
    tones = [column for column, _ in TONE_COLUMNS.values()]
    shown = rows[["title", "source", "date", "words", *tones, "top_entities"]]
    # An article without an outlet reads "(no outlet)", as in the filter and the charts.
    return shown.assign(source=[outlet_label(s) for s in shown["source"]])


def render_sections(shown: Sequence[str], *, key: str) -> tuple[str, ...]:
    """The choice of views drawn below tone (who is quoted, entities together, distinctive
    words). Only chosen views are drawn: every view drawn is queried and redrawn on every
    filter change, so a reader who does not look at one does not wait for it.

    Returns:
        the views chosen, in page order (:data:`dashboard.corpus.link.SECTIONS`).
    """
    st.subheader("More views")
    chosen = st.pills(
        "Show",
        list(SECTIONS),
        default=widget_default(key, list(shown)),
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
    rows = data.run_call(source, data.articles_call(filters, rows=shown))
    event = st.dataframe(
        article_view(rows),
        hide_index=True,
        key=f"{key}_table",
        on_select="rerun",
        selection_mode="single-row",
        column_config=ARTICLE_COLUMNS,
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
    csv_download(
        lambda: data.run_query(source, "article_table", limit=None, **filters.kwargs()),
        "articles",
        key=f"{key}_csv",
    )
    if picked and picked[0] < len(rows):
        return str(rows["doc_key"].iloc[picked[0]])
    return None
