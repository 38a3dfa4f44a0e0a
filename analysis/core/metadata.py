"""Who an analysed article is: its document key, the analysis version, and its metadata.

:class:`ArticleMeta` is what an input says about a document beside its text; :func:`resolve_meta`
applies the precedence every consumer uses: metadata given with the input wins over what the
cleaner read from the text (``title``, ``author``, ``published``); ``source`` (the outlet) is
the input's own, else the host of the input's URL (without "www."), else the host of the
article's own source when that is a URL (a fetched page), else None.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from typing import NamedTuple
from urllib.parse import urlsplit

from analysis.core.entities.lexicon import rules_digest

#: The version of the analysis code. Bump it whenever a change to the code (cleaning, models,
#: rules, the result's tables) would change what is stored for the same input. A change to the
#: entity rules' data files needs no bump: their digest is part of :data:`ANALYSIS_VERSION`.
CODE_VERSION = 4

#: The version stored with every article: :data:`CODE_VERSION` times 10**8 plus a number
#: from the digest of the entity rules' data (:func:`analysis.core.entities.rules_digest`), an
#: int (the corpus store keeps an INTEGER) that changes when the code version or any rule data
#: changes, so that a re-run analyses stored articles again. Then rebuild the shipped results:
#: seeds/corpus/rebuild.sh and python -m dashboard.precomputed.
ANALYSIS_VERSION = CODE_VERSION * 10**8 + int(rules_digest()[:12], 16) % 10**8


class ArticleMeta(NamedTuple):
    """What the input says about a document, beside its text; None where it says nothing.

    Attributes:
        title: the headline.
        author: the byline.
        published: ISO 8601 date or date-time.
        source: the outlet ("example.com", "Reuters").
        url: where the document was found.
    """

    title: str | None = None
    author: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None


def document_key(raw: str | bytes) -> str:
    """The corpus key of a document: the SHA-256 hex digest of its raw bytes (text is
    UTF-8-encoded first)."""
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    return hashlib.sha256(data).hexdigest()


def url_host(url: str | None) -> str | None:
    """The host of an http(s) URL, lower case, without a leading "www."; None for anything
    else."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def published_day(published: str | None) -> date | None:
    """The calendar day of an ISO 8601 date or date-time as written (its own time zone, not
    converted), or None when there is none or it is not ISO 8601."""
    if not published:
        return None
    text = published.strip()
    if not _ISO_DAY.match(text):
        return None
    try:
        return datetime.fromisoformat(text).date() if len(text) > 10 else date.fromisoformat(text)
    except ValueError:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None


def resolve_meta(article, meta: ArticleMeta | None = None) -> ArticleMeta:
    """The article's metadata: ``meta`` (the input's own) where it says something, else what
    the cleaner read from ``article`` (an :class:`analysis.core.article.Article`); see the module
    docstring for the outlet."""
    meta = meta or ArticleMeta()
    own_url = article.source if url_host(article.source) else None
    url = meta.url or own_url
    return ArticleMeta(
        title=meta.title or article.title,
        author=meta.author or article.author,
        published=meta.published or article.published,
        source=meta.source or url_host(meta.url) or url_host(own_url),
        url=url,
    )
