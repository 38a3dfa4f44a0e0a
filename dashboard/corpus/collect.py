"""The Corpus page's "Collect from a site or feed": the corpus's list of collection sources,
a run from new sources or from the whole list again ("Collect again"), its progress while it
runs in the background (:class:`dashboard.jobs.CollectJob`), and the summary of what it did.

A run is :func:`analysis.runners.collect.run_collect`, the runner of ``newslens corpus
collect``: the same robots.txt rules, delay between requests to a site, limits and safe fetcher
(no loopback or private addresses unless the ``NEWSLENS_ALLOW_PRIVATE_URLS`` setting allows
them). Typed sources must be web addresses; a list of URLs comes as an upload, saved in the
data folder, so that the page never reads a file of the server's by a name a reader typed.

The sample corpus is never collected into: from it, a run goes into a new corpus of the name
the reader gives, which the corpus picker then shows.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import streamlit as st

from analysis.errors import ArticleError
from analysis.storage.corpus import collection
from analysis.storage.corpus.store import CorpusStore
from dashboard.corpus.link import SAMPLE
from dashboard.jobs import CollectJob, CollectStatus, collect_job, start_collect
from dashboard.settings import app_settings

#: Seconds between two redraws of a run's progress.
POLL_S = 1.0
#: The shortest delay between two requests to one site the page allows (the command line's
#: default; robots.txt may ask for longer, and is obeyed).
MIN_DELAY_S = 1.0
#: What a list of URLs may be.
LIST_SUFFIXES = (".txt", ".csv")
#: Error rows listed under a summary.
SHOWN_ERRORS = 10

_PHASES = {
    "starting": "Loading the language pipeline",
    "listing": "Reading feeds and sitemaps",
    "fetching": "Fetching article pages",
    "done": "Storing what was collected",
}


class CollectError(ArticleError):
    """Something the reader typed cannot be collected from (said in a sentence)."""


def typed_sources(text: str) -> list[str]:
    """The web addresses typed one per line (blank lines left out, repeats once): an address
    without a scheme gets ``https://``, as on the command line.

    Returns:
        the addresses, in the order typed.

    Raises:
        CollectError: a line is not a web address (a file of the server cannot be named).
    """
    out: list[str] = []
    for line in text.splitlines():
        value = line.strip()
        if not value:
            continue
        scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", value)
        if scheme is None:
            value = f"https://{value}"
        elif scheme.group(1).lower() not in ("http", "https"):
            raise CollectError(f"“{line.strip()}” is not a web address (http or https).")
        if not re.match(r"^https?://[^\s/?#]+\.[^\s/?#]*[^\s.]|^https?://[^\s/?#]+:\d+", value):
            raise CollectError(
                f"“{line.strip()}” is not a web address: type a site, feed or sitemap address "
                "such as www.example.com or https://www.example.com/feed.xml."
            )
        if value not in out:
            out.append(value)
    return out


def new_corpus_file(name: str) -> str:
    """The file name of a new corpus called ``name`` in the data folder.

    Raises:
        CollectError: the name holds no letter or digit.
    """
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", name.strip()).strip("-")[:60]
    if not stem:
        raise CollectError("Give the new corpus a name (letters and digits).")
    return f"{stem}.duckdb"


def saved_list(name: str, data: bytes, *, folder: Path) -> Path:
    """An uploaded list of URLs saved under ``folder`` by its name and a digest of its bytes.

    Raises:
        CollectError: the file is not a .txt or .csv.
    """
    suffix = Path(name).suffix.lower()
    if suffix not in LIST_SUFFIXES:
        raise CollectError(
            f"{name}: a list of URLs is a .txt file (one per line) or a .csv file with a "
            "“url” column."
        )
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(name).stem).strip("-")[:40] or "urls"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}-{hashlib.sha256(data).hexdigest()[:10]}{suffix}"
    path.write_bytes(data)
    return path


def source_label(source: str) -> str:
    """How the page names a source: an address as it is, a saved list by its file name."""
    return source if source.lower().startswith(("http://", "https://")) else Path(source).name


def progress_text(status: CollectStatus) -> str:
    """One line saying where a run is."""
    text = _PHASES.get(status.phase, status.phase)
    if status.phase == "listing":
        text += f": {status.listings:,} read"
    elif status.phase in ("fetching", "done"):
        text += (
            f": {status.fetched:,} of {status.planned:,} pages · {status.new:,} new · "
            f"{status.skipped:,} skipped · {status.failed:,} failed"
        )
    return f"{text} ({status.seconds:.0f} s)"


class SummaryRow(NamedTuple):
    """A line of a run's summary table."""

    outcome: str
    articles: int
    reason: str


def summary_table(report) -> pd.DataFrame:
    """What a :class:`~analysis.runners.collect.CollectReport` says, as a table: new articles
    (copies and revisions apart), skipped and failed ones by reason, and those left for the
    next run.

    Returns:
        columns outcome, articles, reason; in that order of outcomes, reasons by count.
    """
    originals = report.added - report.duplicates - report.revisions
    rows = [SummaryRow("new", originals, "new stories")] if originals or report.added == 0 else []
    if report.duplicates:
        rows.append(SummaryRow("new", report.duplicates, "near-duplicate of a stored story"))
    if report.revisions:
        rows.append(SummaryRow("new", report.revisions, "new revision of a stored page"))
    listed = 0
    for reason, count in report.skip_reasons:
        rows.append(SummaryRow("skipped", count, reason))
        listed += count
    if report.skipped > listed:
        rows.append(SummaryRow("skipped", report.skipped - listed, "already stored"))
    listed = 0
    for reason, count in report.failure_reasons:
        rows.append(SummaryRow("failed", count, reason))
        listed += count
    if report.failed > listed:
        rows.append(SummaryRow("failed", report.failed - listed, "see the errors below"))
    if report.pending:
        rows.append(SummaryRow("left for the next run", report.pending, "limit or stop"))
    return pd.DataFrame(rows, columns=list(SummaryRow._fields))


def listings_table(report) -> pd.DataFrame:
    """The feeds, sitemaps and home pages a run read.

    Returns:
        columns listing, kind, status, articles, problem; in the order read.
    """
    return pd.DataFrame(
        [
            (o.url, o.kind, o.status, o.items, o.problem or "")
            for o in report.listings
            if o.url.lower().startswith(("http://", "https://"))
        ],
        columns=["listing", "kind", "status", "articles", "problem"],
    )


def _pipeline():
    """The spaCy pipeline, for a run's job (imported when first needed)."""
    from dashboard.cache import load_pipeline

    return load_pipeline()


def render_collect(name: str, source, *, choice_key: str, key: str) -> CollectStatus | None:
    """ "Collect from a site or feed" for the corpus ``name`` (its store ``source``): the
    summary or progress of the last run into it, its sources with "Collect again", and a
    field to collect from new ones. Widget keys start with ``key``; a run from the sample
    goes into a new corpus, which the corpus picker of key ``choice_key`` shows from the
    next run.

    Returns:
        the status of the last run into this corpus on this server, or None.
    """
    if not isinstance(source, CorpusStore):
        return None
    ss = st.session_state
    if ss.pop(f"{key}_clear", False):  # a run started: the typed sources were used
        ss[f"{key}_sources"] = ""
    job = None if name == SAMPLE else collect_job(source.path)
    status = job.status() if job is not None else None
    running = status is not None and not status.finished
    summary = status is not None and status.finished and ss.get(f"{key}_shown", False)
    with st.expander(
        "Collect from a site or feed",
        expanded=running or summary,
        icon=":material/rss_feed:",
    ):
        if running:
            _render_progress(job, key=key)
        elif summary:
            _render_summary(status, key=key)
            if job.keep_error:
                st.warning(
                    f"This corpus could not be kept in the database: {job.keep_error} It lasts "
                    "until the server restarts; download its export to keep a copy."
                )
        sources = (
            collection.collect_sources(source)
            if name != SAMPLE and source.path.exists()
            else pd.DataFrame(columns=["source", "kind", "added", "last_run", "summary"])
        )
        if len(sources):
            _render_sources(source, sources, running=running, key=key)
        _render_options(key=key)
        if len(sources) and st.button(
            "Collect again",
            key=f"{key}_again",
            icon=":material/refresh:",
            disabled=running,
            help="Collect from every source on the list; pages already stored are not fetched.",
        ):
            _start(source, [], key=key)
        _render_new(name, source, running=running, choice_key=choice_key, key=key)
    return status


def _render_progress(job: CollectJob, *, key: str) -> None:
    @st.fragment(run_every=POLL_S)
    def progress() -> None:
        now = job.status()
        if now.finished:
            st.session_state[f"{key}_shown"] = True
            st.rerun()  # the whole page: its views show what was stored
        st.progress(now.fraction, text=progress_text(now))
        if job.stopping:
            st.caption("Stopping: pages not fetched yet wait for the next run.")
        elif st.button("Stop", key=f"{key}_stop", icon=":material/stop_circle:"):
            job.stop()
            st.rerun(scope="fragment")

    with st.container(key=f"{key}_progress"):
        progress()


def _render_summary(status: CollectStatus, *, key: str) -> None:
    with st.container(key=f"{key}_summary"):
        report = status.report
        if report is None:
            st.error(f"The collection did not finish: {status.error}")
        else:
            line = (
                f"Last run: {report.summary()} ({report.seconds:.0f} s, "
                f"{report.requests:,} requests)."
            )
            (st.warning if report.failed else st.success)(line)
            st.dataframe(
                summary_table(report),
                hide_index=True,
            )
            if report.errors:
                st.caption("Failed (each is a row of the corpus's errors table):")
                st.dataframe(
                    pd.DataFrame(
                        [(e.document, e.reason) for e in report.errors[:SHOWN_ERRORS]],
                        columns=["page", "reason"],
                    ),
                    hide_index=True,
                    key=f"{key}_errors",
                )
            listings = listings_table(report)
            if len(listings):
                with st.expander("Feeds and sitemaps read"):
                    st.dataframe(listings, hide_index=True)
        if st.button("Close the summary", key=f"{key}_close"):
            st.session_state[f"{key}_shown"] = False
            st.rerun()


def _render_sources(store: CorpusStore, sources: pd.DataFrame, *, running: bool, key: str) -> None:
    st.markdown("**This corpus collects from**")
    labels = dict(zip([source_label(s) for s in sources["source"]], sources["source"], strict=True))
    shown = pd.DataFrame(
        {
            "source": list(labels),
            "kind": sources["kind"].fillna("").tolist(),
            "last run": sources["last_run"].tolist(),
            "what it did": sources["summary"].fillna("").tolist(),
        }
    )
    st.dataframe(shown, hide_index=True)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        removed = st.multiselect("Take off the list", list(labels), key=f"{key}_remove")
    with right:
        if st.button("Remove", key=f"{key}_remove_go", disabled=running or not removed):
            collection.remove_sources(store, [labels[label] for label in removed])
            st.session_state.pop(f"{key}_remove", None)
            st.rerun()


def _render_options(*, key: str) -> None:
    delay, limit, revisit = st.columns(3)
    with delay:
        st.number_input(
            "Seconds between requests to a site",
            min_value=MIN_DELAY_S,
            max_value=60.0,
            value=MIN_DELAY_S,
            step=0.5,
            key=f"{key}_delay",
            help="At least one second; longer when the site's robots.txt asks (Crawl-delay).",
        )
    with limit:
        st.number_input(
            "Pages per run (0: no limit)", min_value=0, value=0, step=10, key=f"{key}_limit"
        )
    with revisit:
        st.number_input(
            "Fetch again pages of the last N days",
            min_value=0,
            value=0,
            step=1,
            key=f"{key}_revisit",
            help="0: never. A page whose text changed is stored as a new revision; the Article "
            "page shows what changed.",
        )


def _render_new(name: str, store: CorpusStore, *, running: bool, choice_key: str, key: str) -> None:
    st.markdown("**Collect from new sources**")
    new_name = ""
    if name == SAMPLE:
        new_name = st.text_input(
            "Into a new corpus named",
            key=f"{key}_new_name",
            help="The sample corpus stays as it is: collected articles go into a corpus of "
            "their own.",
        )
    typed = st.text_area(
        "Sites, feeds or sitemaps, one per line",
        key=f"{key}_sources",
        placeholder="www.example-news.com\nhttps://example.org/feed.xml",
        help="A site's home page (its feeds and sitemaps are found), an RSS, Atom or JSON "
        "feed, or a sitemap.",
    )
    upload = st.file_uploader(
        "Or a list of URLs (.txt, one per line, or .csv with a “url” column)",
        type=["txt", "csv"],
        key=f"{key}_file",
    )
    if not st.button("Collect", key=f"{key}_go", icon=":material/download:", disabled=running):
        return
    try:
        sources = typed_sources(typed)
        if upload is not None:
            folder = app_settings().data_dir / "url-lists"
            sources.append(str(saved_list(upload.name, upload.getvalue(), folder=folder)))
        if not sources:
            raise CollectError("Type a site, feed or sitemap address, or upload a list of URLs.")
        if name == SAMPLE:
            target = CorpusStore(app_settings().data_dir / new_corpus_file(new_name))
            st.session_state[f"{choice_key}_pending"] = target.path.name
            _start(target, sources, key=key)
        _start(store, sources, key=key)
    except CollectError as error:
        st.error(str(error))


def _start(store: CorpusStore, sources: list[str], *, key: str) -> None:
    """Start a run into ``store`` with the options chosen, then draw the page again."""
    # The collector is imported when a run starts: a page view needs none of it.
    from analysis.sources.collect.collector import CollectOptions

    settings = app_settings()
    ss = st.session_state
    limit = int(ss.get(f"{key}_limit") or 0)
    revisit = int(ss.get(f"{key}_revisit") or 0)
    options = CollectOptions(
        delay=max(MIN_DELAY_S, float(ss.get(f"{key}_delay") or MIN_DELAY_S)),
        limit=limit or None,
        revisit_days=revisit or None,
        user_agent=settings.user_agent,
        allow_private=settings.allow_private_urls,
        max_chars=settings.max_chars,
    )
    store.ensure()
    from dashboard.cache import load_archive

    start_collect(store.path, sources, options=options, load_nlp=_pipeline, archive=load_archive())
    ss[f"{key}_shown"] = True
    ss[f"{key}_clear"] = bool(sources)
    st.rerun()
