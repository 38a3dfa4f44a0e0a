"""What lists articles: feeds, sitemaps, a site's home page, and files of URLs.

Each reader takes bytes already fetched (never the network) and returns a :class:`Listed`: the
article URLs with the date the listing gives them, the further listings it points to (a
sitemap index's sitemaps, a home page's feeds) and, when the input is damaged, what was wrong
and how much was read before it.

- RSS 0.9x/1.0/2.0 and Atom: ``feedparser`` (maintained, reads broken XML with its loose
  parser as far as it goes); JSON Feed 1.0/1.1: read here (``feedparser`` 6.0 does not).
- Sitemaps (``urlset``), sitemap indexes (``sitemapindex``) and Google News sitemaps
  (``news:publication_date``): read here with lxml's recovering parser (entities not
  resolved, no network), because ``trafilatura.sitemaps`` keeps only the URLs and fetches by
  itself; gzip-compressed sitemaps are inflated up to the size limit.
- A home page's feeds: ``trafilatura.feeds.determine_feed`` (``<link rel="alternate">`` of
  the feed types, else links that look like feeds; comment feeds left out).
- Files of URLs: one URL per line (blank lines and ``#`` comments skipped), or a CSV with a
  ``url`` column (also ``URL``, ``SOURCEURL``: Media Cloud's and GDELT's exports) and an
  optional date column (``publish_date``, ``date``, ``seendate``, ``DATEADDED``).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import NamedTuple

from analysis.sources.collect.urls import normalise_url

#: The kinds of listing :func:`sniff` tells apart.
KINDS = ("feed", "json_feed", "sitemap", "sitemap_index", "html", "unknown")
_ROOT = re.compile(rb"<\s*(?:[\w-]+:)?(rss|feed|RDF|urlset|sitemapindex|html)\b", re.IGNORECASE)
#: The common places of a feed, tried on a home page that links none.
FEED_PATHS = ("/feed", "/rss", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml")
#: The common places of a sitemap, tried on a home page whose robots.txt names none.
SITEMAP_PATHS = ("/sitemap.xml", "/sitemap_index.xml")
URL_COLUMNS = ("url", "sourceurl", "link", "story_url")
DATE_COLUMNS = ("publish_date", "published", "publication_date", "date", "seendate", "dateadded")


class ListedItem(NamedTuple):
    """An article URL a listing gives.

    Attributes:
        url: normalised (:func:`~analysis.sources.collect.urls.normalise_url`).
        date: the date the listing gives it (ISO 8601), or None.
        by: the kind of listing: "feed", "sitemap" or "list".
    """

    url: str
    date: str | None
    by: str


class Listed(NamedTuple):
    """What one listing holds.

    Attributes:
        kind: one of :data:`KINDS`.
        items: article URLs, newest first where dates are given, at most ``max_items``.
        children: further listings (a sitemap index's sitemaps, newest first; a home page's
            feeds), each ``(url, date or None)``.
        problem: what was wrong with the input (malformed XML, items without a URL), said
            for people, or None.
        left_out: items beyond ``max_items`` (the oldest), not in ``items``.
    """

    kind: str
    items: tuple[ListedItem, ...] = ()
    children: tuple[tuple[str, str | None], ...] = ()
    problem: str | None = None
    left_out: int = 0


def sniff(body: bytes, content_type: str = "") -> str:
    """The kind of listing ``body`` is (one of :data:`KINDS`), from its first element (or
    JSON object), else its content type."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return "json_feed" if b"jsonfeed.org" in body[:65536] else "unknown"
    match = _ROOT.search(_strip_prolog(head))
    if match:
        root = match.group(1).lower()
        return {
            b"rss": "feed",
            b"feed": "feed",
            b"rdf": "feed",
            b"urlset": "sitemap",
            b"sitemapindex": "sitemap_index",
            b"html": "html",
        }[root]
    if "html" in content_type:
        return "html"
    return "unknown"


def _strip_prolog(head: bytes) -> bytes:
    """The head of an XML document without its declaration, comments and doctype."""
    return re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", head, flags=re.DOTALL)


def iso_date(text: str | None) -> str | None:
    """A date or date-time in ISO 8601 (its own offset kept), from ISO 8601, RFC 822 (RSS) or
    GDELT's ``20240301T120000Z``; None when it cannot be read."""
    if not text or not text.strip():
        return None
    value = text.strip()
    try:
        return _iso(datetime.fromisoformat(value.replace("Z", "+00:00")), value)
    except ValueError:
        pass
    try:
        return _iso(parsedate_to_datetime(value), value)
    except (TypeError, ValueError, IndexError):
        pass
    try:
        from dateutil.parser import isoparse

        return _iso(isoparse(value), value)
    except (ValueError, OverflowError):
        return None


def _iso(when: datetime, written: str) -> str:
    date_only = len(written) <= 10 and ":" not in written
    if date_only:
        return when.date().isoformat()
    return when.isoformat()


# -- feeds -----------------------------------------------------------------------------------


def parse_feed(body: bytes, *, url: str, max_items: int) -> Listed:
    """The items of an RSS or Atom feed (with ``feedparser``), newest first.

    Args:
        body: the feed's bytes.
        url: its address (relative links are resolved against it).
        max_items: items kept, the newest.

    Returns:
        A :class:`Listed` of kind "feed"; ``problem`` says when the XML was malformed and how
        many items were read, or that items had no link.
    """
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": url})
    items: list[ListedItem] = []
    unlinked = 0
    for entry in parsed.entries:
        link = entry.get("link") or _first_alternate(entry)
        target = normalise_url(link, base=url) if link else None
        if target is None:
            unlinked += 1
            continue
        items.append(ListedItem(target, _entry_date(entry), "feed"))
    problems = []
    error = parsed.get("bozo_exception")
    if parsed.get("bozo") and error is not None and _is_xml_error(error):
        line = getattr(error, "getLineNumber", lambda: None)()
        where = f" at line {line}" if line else ""
        problems.append(
            f"malformed XML{where} ({_first_line(error)}); {len(items)} item(s) read as far as "
            "the feed could be parsed"
        )
    if unlinked:
        problems.append(f"{unlinked} item(s) without a link")
    return _listed("feed", items, max_items, problems)


def _first_alternate(entry) -> str | None:
    for link in entry.get("links", ()):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link["href"]
    return None


def _entry_date(entry) -> str | None:
    for field in ("published", "updated", "created"):
        if entry.get(field) and (found := iso_date(entry[field])):
            return found
    for field in ("published_parsed", "updated_parsed"):
        parsed = entry.get(field)
        if parsed:
            return datetime(*parsed[:6], tzinfo=UTC).isoformat()
    return None


def _is_xml_error(error: Exception) -> bool:
    # feedparser also reports a declared encoding it overrode; that is not damage.
    return type(error).__name__ not in ("CharacterEncodingOverride", "NonXMLContentType")


def parse_json_feed(body: bytes, *, url: str, max_items: int) -> Listed:
    """The items of a JSON Feed (1.0 or 1.1): ``url`` (else ``external_url``) and
    ``date_published`` (else ``date_modified``), newest first."""
    try:
        feed = json.loads(body.decode("utf-8-sig", errors="replace"))
    except (json.JSONDecodeError, RecursionError) as error:
        reason = getattr(error, "msg", type(error).__name__)
        return Listed("json_feed", problem=f"not valid JSON ({reason}); nothing read")
    entries = feed.get("items") if isinstance(feed, dict) else None
    if not isinstance(entries, list):
        return Listed("json_feed", problem="a JSON Feed without an items list; nothing read")
    items, unlinked = [], 0
    for entry in entries:
        link = entry.get("url") or entry.get("external_url") if isinstance(entry, dict) else None
        target = normalise_url(link, base=url) if isinstance(link, str) else None
        if target is None:
            unlinked += 1
            continue
        stamp = entry.get("date_published") or entry.get("date_modified")
        items.append(
            ListedItem(target, iso_date(stamp if isinstance(stamp, str) else None), "feed")
        )
    problems = [f"{unlinked} item(s) without a link"] if unlinked else []
    return _listed("json_feed", items, max_items, problems)


# -- sitemaps --------------------------------------------------------------------------------


def inflate(body: bytes, *, max_bytes: int) -> tuple[bytes, str | None]:
    """A gzip-compressed body inflated (up to ``max_bytes``), or the body as it is.

    Returns:
        The bytes, and a problem (too large, not gzip after all) or None.
    """
    if not body.startswith(b"\x1f\x8b"):
        return body, None
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, max_bytes + 1)
    except zlib.error as error:
        return b"", f"a damaged gzip file ({error})"
    if len(out) > max_bytes:
        return out[:max_bytes], f"larger than {max_bytes:,} bytes once inflated; read in part"
    return out, None


def parse_sitemap(body: bytes, *, url: str, max_items: int) -> Listed:
    """The URLs of a sitemap, or the sitemaps of a sitemap index, newest first.

    A ``<url>``'s date is its Google News ``<news:publication_date>``, else its ``<lastmod>``.
    Malformed XML is read as far as lxml's recovering parser gets, and said in ``problem``.

    Returns:
        A :class:`Listed` of kind "sitemap" (``items``) or "sitemap_index" (``children``).
    """
    from lxml import etree

    parser = etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as error:
        root, early = None, error
    else:
        early = None
    problems = []
    damage = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
    if root is None:
        reason = damage[0].message if damage else str(early or "no XML element")
        return Listed("sitemap", problem=f"malformed XML ({reason}); nothing read")
    kind = "sitemap_index" if _local(root.tag) == "sitemapindex" else "sitemap"
    entries: list[tuple[str, str | None]] = []
    unlinked = 0
    wanted = "sitemap" if kind == "sitemap_index" else "url"
    for element in root.iter():
        if not isinstance(element.tag, str) or _local(element.tag) != wanted:
            continue
        fields = {}
        for child in element.iter():
            if isinstance(child.tag, str) and child is not element:
                fields.setdefault(_local(child.tag), (child.text or "").strip())
        target = normalise_url(fields["loc"], base=url) if fields.get("loc") else None
        if target is None:
            unlinked += 1
            continue
        stamp = iso_date(fields.get("publication_date")) or iso_date(fields.get("lastmod"))
        entries.append((target, stamp))
    if damage:
        first = damage[0]
        problems.append(
            f"malformed XML at line {first.line} ({first.message.strip()}); "
            f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'} read as far as the "
            "sitemap could be parsed"
        )
    if unlinked:
        problems.append(f"{unlinked} entr{'y' if unlinked == 1 else 'ies'} without a <loc>")
    if kind == "sitemap_index":
        children = tuple(_newest_first(entries))
        return Listed(kind, children=children, problem="; ".join(problems) or None)
    items = [ListedItem(target, stamp, "sitemap") for target, stamp in entries]
    return _listed(kind, items, max_items, problems)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].split(":")[-1].lower()


# -- home pages ------------------------------------------------------------------------------


def feed_links(html: bytes, *, url: str) -> tuple[str, ...]:
    """The feeds a web page links (see the module docstring), normalised, in page order."""
    from trafilatura.feeds import FeedParameters, determine_feed

    from analysis.sources.collect.urls import host_of

    text = html.decode("utf-8", errors="replace")
    params = FeedParameters(url, host_of(url), url)
    found = []
    for link in determine_feed(text, params):
        target = normalise_url(link, base=url)
        if target is not None and target not in found:
            found.append(target)
    return tuple(found)


# -- files of URLs ---------------------------------------------------------------------------


def read_url_file(path: Path, *, max_bytes: int) -> Listed:
    """The URLs of a file: a CSV with a url column, or one URL per line (see the module
    docstring).

    Returns:
        A :class:`Listed` of kind "list", in file order; ``problem`` counts the rows or lines
        that are not http(s) addresses.

    Raises:
        OSError: the file cannot be read.
        ValueError: a CSV file without a url column (the message names its columns).
    """
    with path.open("rb") as handle:
        raw = handle.read(max_bytes + 1)
    problems = []
    if len(raw) > max_bytes:
        raw = raw[:max_bytes]
        problems.append(f"larger than {max_bytes:,} bytes; read in part")
    text = raw.decode("utf-8-sig", errors="replace")
    if path.suffix.lower() == ".csv":
        rows = _csv_rows(text)
    else:
        rows = (
            (line.strip(), None)
            for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        )
    items, bad, seen = [], 0, set()
    for link, stamp in rows:
        target = normalise_url(link) if link else None
        if target is None:
            bad += 1
            continue
        if target not in seen:
            seen.add(target)
            items.append(ListedItem(target, iso_date(stamp), "list"))
    if bad:
        problems.append(f"{bad} line(s) that are not http(s) addresses")
    return Listed("list", tuple(items), problem="; ".join(problems) or None)


def _csv_rows(text: str) -> Iterable[tuple[str, str | None]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None) or []
    names = [name.strip().lower() for name in header]
    url_at = next((names.index(n) for n in URL_COLUMNS if n in names), None)
    if url_at is None:
        shown = ", ".join(header[:12]) or "none"
        raise ValueError(f"the CSV file has no url column (columns: {shown})")
    date_at = next((names.index(n) for n in DATE_COLUMNS if n in names), None)
    for row in reader:
        if len(row) <= url_at:
            if any(row):
                yield "", None
            continue
        yield (
            row[url_at].strip(),
            row[date_at] if date_at is not None and date_at < len(row) else None,
        )


# -- shared ----------------------------------------------------------------------------------


def _newest_first(entries: Iterable[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """Entries newest first (undated ones last, in their order), each URL once."""
    seen, unique = set(), []
    for entry in entries:
        if entry[0] not in seen:
            seen.add(entry[0])
            unique.append(entry)
    dated = sorted((e for e in unique if e[1]), key=lambda e: sort_key(e[1]), reverse=True)
    return dated + [e for e in unique if not e[1]]


def sort_key(stamp: str) -> str:
    """A date-time as sortable text in UTC (a date alone sorts as its midnight)."""
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when.isoformat()


def _listed(kind: str, items: list[ListedItem], max_items: int, problems: list[str]) -> Listed:
    ordered = (
        [ListedItem(u, d, items[0].by) for u, d in _newest_first((i.url, i.date) for i in items)]
        if items
        else []
    )
    left_out = max(0, len(ordered) - max_items)
    return Listed(
        kind, tuple(ordered[:max_items]), problem="; ".join(problems) or None, left_out=left_out
    )


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0][:160] if text else type(error).__name__
