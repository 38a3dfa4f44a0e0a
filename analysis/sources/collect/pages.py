"""A fetched article page: its text (the same extraction as ``corpus add``), its canonical URL
and the date its metadata gives.

The text comes from :func:`analysis.core.article.parse_article`, the cleaner every input goes
through, so that what the collector compares (revisions, near-duplicates) is what the corpus
stores. The date comes from ``htmldate`` restricted to the page's markup (JSON-LD, ``<meta>``
tags such as ``article:published_time``, ``<time>`` elements, ...): without its URL and
without its search of the visible text, which would take a date in the URL or a date in the
body ("updated on ...") for the publication date.
"""

from __future__ import annotations

from typing import NamedTuple

from analysis.core.article import DEFAULT_MAX_CHARS
from analysis.sources.collect.urls import normalise_url, same_site


class Page(NamedTuple):
    """What the collector reads from an article page.

    Attributes:
        title: the headline, or None.
        paragraphs: the body paragraphs.
        canonical: the page's ``<link rel="canonical">`` URL, normalised, when it declares one
            on its own site (a canonical URL on another site marks syndicated copy: that page
            keeps its own URL and the near-duplicate check finds the original).
        date: the publication day its metadata gives (``YYYY-MM-DD``), or None.
    """

    title: str | None
    paragraphs: tuple[str, ...]
    canonical: str | None
    date: str | None

    @property
    def text(self) -> tuple[str, ...]:
        """The headline (when there is one) and the body paragraphs: the paragraphs the
        corpus stores, in order."""
        return ((self.title,) if self.title else ()) + self.paragraphs


def read_page(body: bytes, *, url: str, max_chars: int = DEFAULT_MAX_CHARS) -> Page:
    """Read an article page.

    Args:
        body: the page's bytes.
        url: where it was fetched (after redirects).
        max_chars: the size limit of an article.

    Returns:
        The :class:`Page`.

    Raises:
        ArticleError: the page has no article text (a front page, an error page), is empty
            or too large.
    """
    from analysis.core.article import parse_article

    article = parse_article(body, source=url, max_chars=max_chars)
    canonical, date = _head(body, url)
    return Page(article.title, tuple(article.paragraphs), canonical, date)


def _head(body: bytes, url: str) -> tuple[str | None, str | None]:
    import lxml.html
    from htmldate import find_date

    try:
        tree = lxml.html.document_fromstring(body)
    except (ValueError, lxml.etree.ParserError):
        return None, None
    canonical = None
    for link in list(tree.iterfind(".//link[@href]")):
        if "canonical" in (link.get("rel") or "").lower().split():
            target = normalise_url(link.get("href", ""), base=url)
            if canonical is None and target is not None and same_site(target, url):
                canonical = target
            # htmldate reads a date in the canonical URL before the metadata: the URL's date
            # is the last resort here, so the link goes before the tree is searched.
            link.drop_tree()
    try:
        date = find_date(tree, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # htmldate raises on odd markup; a page without a date is fine
        date = None
    return canonical, date
