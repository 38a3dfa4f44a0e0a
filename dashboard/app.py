"""NewsLens: read one article closely, a corpus at a glance, and articles side by side.

Run with ``streamlit run dashboard/app.py``. This entry point checks the settings and picks
the page; each page is a package of its own:

- **Article** (``/``, the default): the article beside linked, filterable charts
  (:mod:`dashboard.article`);
- **Corpus** (``/corpus``): coverage over time, outlets side by side, who is quoted, the
  article table (:mod:`dashboard.corpus`);
- **Compare** (``/compare``): two to four articles side by side (:mod:`dashboard.compare`).

Each page keeps its own view in the URL, so a share link reopens any page as it was.
"""

from __future__ import annotations

import logging
import time
import uuid

import streamlit as st

from dashboard import warmup

LOG = logging.getLogger("newslens")


# Each page's modules are imported when the page first runs: a session that opens on one page
# does not wait for the others' imports.
def _article_page() -> None:
    from dashboard.article.page import article_page

    article_page()


def _corpus_page() -> None:
    from dashboard.corpus.page import corpus_page

    corpus_page(on_open=_open_on_article_page)


def _compare_page() -> None:
    from dashboard.compare.page import compare_page

    compare_page()


ARTICLE = st.Page(
    _article_page, title="Article", icon=":material/article:", url_path="article", default=True
)
CORPUS = st.Page(_corpus_page, title="Corpus", icon=":material/stacks:", url_path="corpus")
COMPARE = st.Page(_compare_page, title="Compare", icon=":material/compare:", url_path="compare")


def _open_on_article_page(article) -> None:
    """A row of the Corpus page's article table was chosen: the Article page takes it, with
    the corpus's corrections to its names (:func:`dashboard.article.state.open_article`), and
    the app goes there."""
    from dashboard.article.state import open_article

    if open_article(
        article.raw, source=article.source, title=article.title, corrections=article.corrections
    ):
        st.switch_page(ARTICLE)


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
    path = page.url_path or "article"  # the default page's path is ""
    # The browser loads the view's scripts while the server works on the first run.
    warmup.render_preload(path)
    warmup.start_models(path, st.query_params)
    page.run()


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
