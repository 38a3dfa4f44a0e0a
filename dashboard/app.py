"""NewsLens: read one article closely, a corpus at a glance, and articles side by side.

Run with ``streamlit run dashboard/app.py``. This entry point only sets the page up and picks
the page; each page is a module of wiring:

- **Article** (``/``, the default): the article beside linked, filterable charts
  (:mod:`dashboard.article_page`);
- **Corpus** (``/corpus``): coverage over time, outlets side by side, who is quoted, the
  article table (:mod:`dashboard.corpus_views`);
- **Compare** (``/compare``): two to four articles side by side (:mod:`dashboard.compare_views`).

Each page keeps its own view in the URL, so a share link reopens any page as it was.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

import streamlit as st

from dashboard import warmup

LOG = logging.getLogger("newslens")
#: A stored article's key in a link (SHA-256 in hex): no sample article, so no shipped analysis.
STORED_KEY = re.compile(r"[0-9a-f]{64}")


# Each page's module is imported when the page first runs: a session that opens on one page
# does not wait for the others' imports.
def _article_page() -> None:
    from dashboard.article_page import main as article_main

    article_main()


def _corpus_page() -> None:
    from dashboard.corpus_views import corpus_page

    corpus_page(on_open=_open_corpus_article)


def _compare_page() -> None:
    from dashboard.compare_views import compare_page

    compare_page()


ARTICLE = st.Page(
    _article_page, title="Article", icon=":material/article:", url_path="article", default=True
)
CORPUS = st.Page(_corpus_page, title="Corpus", icon=":material/stacks:", url_path="corpus")
COMPARE = st.Page(_compare_page, title="Compare", icon=":material/compare:", url_path="compare")


def _open_corpus_article(key: str, source=None) -> None:
    """A row of the Corpus page's article table was chosen: open that article on the Article
    page. The corpus keeps each article's headline and body (not the raw input), so that
    text is what the Article page analyses and stores for its share link."""
    from analysis import ArticleError
    from dashboard.cache import load_store
    from dashboard.corpus_views import article_texts

    source = source if source is not None else _corpus_source()
    found = article_texts(source, keys=[key])
    if found.empty:
        st.warning("That article is no longer in the corpus.")
        return
    row = found.iloc[0]
    raw = str(row["text"]).encode("utf-8")
    ss = st.session_state
    try:
        stored = load_store().put(raw, source=str(row["source"] or "corpus"))
    except ArticleError as error:
        st.warning(str(error))
        return
    ss.setdefault("nl_custom", {})[stored] = str(row["title"] or "Corpus article")
    ss.nl_pending = stored
    st.switch_page(ARTICLE)


def _corpus_source():
    """The corpus the Corpus page shows (its state names it; the sample when none)."""
    from dashboard import corpus_views
    from dashboard.corpus_state import SAMPLE
    from dashboard.settings import app_settings

    state = st.session_state.get(f"{corpus_views.KEY}_state")
    name = state.corpus if state is not None else SAMPLE
    if name == SAMPLE:
        return corpus_views.sample_store()
    return corpus_views._store(str(app_settings().data_dir / name))


def main() -> None:
    st.set_page_config(page_title="NewsLens", page_icon=":material/newspaper:", layout="wide")
    from analysis.settings import SettingsError
    from dashboard.settings import app_settings

    try:
        app_settings()
    except SettingsError as error:
        st.error(f"NewsLens cannot start: {error} Correct the setting and restart the app.")
        st.stop()
    page = st.navigation([ARTICLE, CORPUS, COMPARE], position="top")
    # The browser loads the view's scripts while the server works on the first run.
    warmup.render_preload(page.url_path or "article")  # the default page's path is ""
    if page.url_path != ARTICLE.url_path or _link_needs_models():
        # Otherwise the Article page starts the load itself, later: its first view (a sample
        # article) needs no model, and the load would only compete with it.
        warmup.MODELS.start()
    page.run()


def _link_needs_models() -> bool:
    """Whether the address opens the Article page on an analysis that is not shipped (a stored
    article, or the removed lines analysed): then the models load beside the page's imports.
    Read from the raw query, before anything heavy is imported."""
    query = st.query_params
    return bool(STORED_KEY.fullmatch(query.get("article", ""))) or query.get("removed") == "1"


def run() -> None:
    """Every unexpected error is logged with its traceback and shown as one short message with a
    reference the user can report. With NEWSLENS_LOG_LEVEL=DEBUG every run logs its time."""
    start, cpu_start = time.perf_counter(), time.thread_time()
    try:
        main()
    except Exception:  # the last line of defence (st.rerun/st.stop are BaseExceptions)
        reference = uuid.uuid4().hex[:8]
        LOG.exception("unexpected error, reference %s", reference)
        st.error(
            f"Something went wrong on our side (reference {reference}). Please try again; "
            "if it happens again, report the reference."
        )
    finally:
        LOG.debug(
            "script run: %.1f ms (CPU %.1f ms)",
            1000 * (time.perf_counter() - start),
            1000 * (time.thread_time() - cpu_start),
        )


if __name__ == "__main__":
    run()
