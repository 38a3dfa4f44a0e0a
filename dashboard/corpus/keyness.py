"""The Corpus page's "Distinctive words": keyness of an outlet or a month against the rest
of the selection (log-likelihood G2 with the log ratio as effect size, a minimum count; see
:func:`analysis.storage.corpus.keywords.keyness`). The target is inside the selection: by
default the outlet (else the month) with the most selected articles.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from analysis.storage.corpus.keywords import Target
from analysis.storage.corpus.selection import outlet_label
from dashboard.corpus import charts as corpus_charts
from dashboard.corpus import data
from dashboard.corpus.data import Filters, Source
from dashboard.corpus.link import parse_dist
from dashboard.widgets import chart, csv_download, widget_default

#: Words shown; a word counts only when the target uses it at least MIN_COUNT times.
KEYNESS_ROWS = 25
MIN_COUNT = 3
NOTHING = (
    "Nothing to compare: the selection holds one outlet and one month. Widen the filters "
    "to set one outlet or month apart from the rest."
)


def selection_months(first: date | None, last: date | None) -> list[str]:
    """The months ("YYYY-MM") from ``first`` to ``last``, latest first ([] without dates)."""
    if first is None or last is None:
        return []
    months, day = [], date(first.year, first.month, 1)
    while day <= last:
        months.append(day.strftime("%Y-%m"))
        day = (day + timedelta(days=32)).replace(day=1)
    return months[::-1]


def target_of(kind: str, value: str) -> Target:
    """A :class:`Target` for a chosen outlet or month (its article count unknown: 0)."""
    label = value if kind == "source" else date.fromisoformat(value + "-01").strftime("%B %Y")
    return Target(kind, value, 0, label)


def render_distinctive(source: Source, filters: Filters, *, dist: str = "", key: str) -> str:
    """Words that set one outlet or one month of the selection apart from the rest of it.

    Returns:
        the target chosen (``source:<outlet>`` or ``month:<YYYY-MM>``), "" for the default.
    """
    plain = filters.plain_kwargs()
    default = data.run_query(source, "default_target", **plain)
    if default is None:
        st.info(NOTHING, icon=":material/info:")
        return dist
    outlets = data.run_query(
        source, "source_counts", **{k: plain[k] for k in ("start", "end", "text", "entity")}
    )
    names = [outlet_label(s) for s in outlets["source"]]
    if filters.sources:
        names = [n for n in names if n in filters.sources]
    counts = data.run_call(source, data.counts_call(filters._replace(duplicates=False)))
    months = selection_months(counts.first, counts.last)
    parsed = parse_dist(dist) or (default.kind, default.value)
    cols = st.columns([1, 2], vertical_alignment="bottom")
    with cols[0]:
        kind = (
            st.segmented_control(
                "Set apart",
                ["source", "month"],
                default=widget_default(f"{key}_kind", parsed[0]),
                key=f"{key}_kind",
                format_func={"source": "an outlet", "month": "a month"}.get,
            )
            or default.kind
        )
    values = names if kind == "source" else months
    if len(values) < 2:
        st.caption(f"The selection holds one {'outlet' if kind == 'source' else 'month'} only.")
        return dist
    first = default.value if default.kind == kind else values[0]
    current = widget_default(
        f"{key}_{kind}", parsed[1] if parsed[0] == kind and parsed[1] in values else first
    )
    if current not in values:
        current = st.session_state[f"{key}_{kind}"] = first
    with cols[1]:
        value = st.selectbox("Which", values, index=values.index(current), key=f"{key}_{kind}")
    target = target_of(kind, value)
    terms = data.run_query(
        source,
        "keyness",
        **target.arguments(),
        min_count=MIN_COUNT,
        limit=KEYNESS_ROWS,
        **filters.kwargs(),
    )
    left, right = st.columns([3, 2])
    with left:
        chart(
            corpus_charts.keyness_figure(terms, target=target.label),
            f"{key}_chart",
            clickable=False,
        )
    with right:
        st.caption(
            f"{target.label} against the rest of the selection. count: uses in it; reference: "
            f"in the rest; G2: log-likelihood (3.84: p < 0.05; 10.83: p < 0.001); log ratio: "
            f"each point doubles the word's rate. Words used at least {MIN_COUNT} times."
        )
        st.dataframe(
            terms,
            hide_index=True,
            key=f"{key}_table",
            height=360,
            column_config=KEYNESS_COLUMNS,
        )
        csv_download(terms, f"keyness-g2-of-{_file_part(target.value)}", key=f"{key}_csv")
    # The default stays out of the link (a link made before new months or outlets arrive
    # keeps following the largest); a link's own choice stays as it was.
    chosen = f"{kind}:{value}"
    if chosen == dist:
        return dist
    return "" if (kind, value) == (default.kind, default.value) else chosen


def _file_part(value: str) -> str:
    return "".join(c if c.isalnum() or c in "-." else "-" for c in value).strip("-") or "target"


KEYNESS_COLUMNS = {
    "g2": st.column_config.NumberColumn("G2", format="%.1f"),
    "log_ratio": st.column_config.NumberColumn("log ratio", format="%.2f"),
    "p": st.column_config.NumberColumn("p", format="%.2g"),
}
