"""Article URLs in one spelling, the date a URL carries, and which URLs share a host.

:func:`normalise_url` builds on ``courlan`` (trafilatura's URL library): it lower-cases the
scheme and host, drops the default port, resolves ``.``/``..`` segments, sorts the query and
removes tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ``mc_cid``, ``ref``, ...);
fragments are dropped here as well (courlan keeps some), so that the same page listed with
``#comments`` or ``?utm_source=rss`` is one URL.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urljoin, urlsplit, urlunsplit

_URL_DAY = re.compile(
    r"/((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)"
)
#: A date in a URL earlier than this is taken for something else (an id, a product code).
EARLIEST_URL_YEAR = 1995


def normalise_url(url: str, *, base: str | None = None) -> str | None:
    """The one spelling of an http(s) URL (see the module docstring).

    Args:
        url: the URL as listed (relative ones are resolved against ``base``).
        base: the address of the page, feed or sitemap that listed it.

    Returns:
        The normalised URL, or None when it is not an http(s) URL with a host.
    """
    from courlan.clean import normalize_url

    text = "".join(url.split())  # feeds wrap long links over lines
    if base:
        text = urljoin(base, text)
    try:
        parts = urlsplit(text)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return None
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
        cleaned = urlsplit(normalize_url(text, strict=False))
    except ValueError:  # a malformed port or host
        return None
    path = cleaned.path or "/"
    if "/." in path:  # courlan only drops leading dot segments
        path = urlsplit(urljoin(f"{cleaned.scheme}://{cleaned.netloc}/", path.lstrip("/"))).path
    return urlunsplit((cleaned.scheme, cleaned.netloc, path, cleaned.query, ""))


def url_day(url: str, *, today: date | None = None) -> str | None:
    """The publication day a news URL carries (``/2024/03/05/``, ``/2024-03-05-title``,
    ``/20240305/``), as ``YYYY-MM-DD``; None when it has none, or an impossible one (before
    :data:`EARLIEST_URL_YEAR` or after ``today``)."""
    path = urlsplit(url).path
    for match in _URL_DAY.finditer(path):
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            continue
        if day.year >= EARLIEST_URL_YEAR and day <= (today or date.today()):
            return day.isoformat()
    return None


def host_of(url: str) -> str:
    """The host a URL is on, lower case (the unit of politeness: one request at a time)."""
    return (urlsplit(url).hostname or "").lower()


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL (the unit robots.txt applies to)."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def same_site(first: str, second: str) -> bool:
    """Whether two URLs are on the same host, "www." aside."""

    def bare(url: str) -> str:
        host = host_of(url)
        return host[4:] if host.startswith("www.") else host

    return bare(first) == bare(second) != ""


def is_root(url: str) -> bool:
    """Whether a URL is a site's home page (no path beyond "/", no query)."""
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query
