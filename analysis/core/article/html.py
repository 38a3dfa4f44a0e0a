"""HTML -> the page's main text and metadata (trafilatura), and title cleaning: a site name or
date appended to a page title is left out.

Nesting: libxml2, which parses the page for trafilatura, stops at elements nested more than
:data:`DEFAULT_DEPTH` deep and drops the rest of the page. A page nested deeper is parsed here
with libxml2's "huge" option (up to :data:`MAX_DEPTH` levels) and handed to trafilatura as a
tree; a page deeper still is refused as too deeply nested, rather than read in part.
"""

from __future__ import annotations

import html as html_entities
import re
from typing import NamedTuple

from analysis.core.article.lines import normalise_line, parse_dateline
from analysis.errors import ArticleError


def looks_like_html(text: str) -> bool:
    """True when the text is an HTML document or fragment (judged by content, not file name):
    it starts with a tag and has structural markup near the top."""
    head = text.lstrip("\ufeff \t\r\n")[:4096]
    if not head.startswith("<"):
        return False
    return bool(
        re.search(
            r"<(?:!doctype\s+html|html|head|body|article|main|section|div|p|h[1-6]|title|meta)\b",
            head,
            re.IGNORECASE,
        )
    )


#: A web page whose main text is shorter than this is a front page, a menu or an error page.
MIN_HTML_WORDS = 20


def no_html_text_message() -> str:
    return (
        "No article text was found in this web page: it may be a front page, a search page "
        "or a page that needs JavaScript"
    )


_TITLE_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|·|•|»)\s+")
#: Words a dash-joined title goes on with ("Man bites dog - and survives"): never a site name.
_TITLE_GOES_ON = frozenset(
    (
        "a",
        "an",
        "and",
        "as",
        "at",
        "after",
        "again",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "not",
        "now",
        "of",
        "on",
        "or",
        "so",
        "than",
        "then",
        "the",
        "to",
        "until",
        "vs",
        "with",
        "without",
        "yet",
    )
)


def _site_key(name: str) -> str:
    return re.sub(r"^www\.|\.(?:com|org|net|co\.uk|co|news)$", "", normalise_line(name))


def _is_site_like(tail: str, separator: str, *, sitename: str | None) -> bool:
    if sitename and _site_key(tail) == _site_key(sitename):
        return True
    if parse_dateline(tail) is not None:
        return True
    words = tail.split()
    if not 1 <= len(words) <= 4:
        return False
    if separator.strip() not in "-–—":
        return True
    # After a dash, a site name is a name: capitalised words, not a title going on.
    return words[0].casefold() not in _TITLE_GOES_ON and all(
        word[0].isupper() or word[0].isdigit() or "." in word for word in words
    )


def clean_title(title: str, *, sitename: str | None = None) -> str:
    """A web page's title without the site name or date appended to it.

    "Talks Resume | Example News | 03.03.2020" -> "Talks Resume"; "Talks Resume - Example
    News" -> "Talks Resume"; "Man bites dog - and survives" stays whole. Trailing segments
    after " | ", " - ", " – ", " — " (also "::", "·", "•", "»") are dropped while they are the
    site's name (``sitename``, from the page's metadata), a date, or short and site-like: at
    most 4 words, and after a dash only capitalised words that do not carry the title on. A
    leading segment is dropped only when it is ``sitename``. What is left has at least two
    words, unless a segment dropped was the site name or a date.

    Returns:
        The title, outer whitespace trimmed.
    """
    title = " ".join(title.split())
    first = _TITLE_SEPARATOR.search(title)
    if first and sitename and _site_key(title[: first.start()]) == _site_key(sitename):
        title = title[first.end() :]
    while True:
        separators = list(_TITLE_SEPARATOR.finditer(title))
        if not separators:
            break
        last = separators[-1]
        head, tail = title[: last.start()], title[last.end() :]
        certain = bool(sitename and _site_key(tail) == _site_key(sitename))
        certain = certain or parse_dateline(tail) is not None
        if not _is_site_like(tail, last.group(), sitename=sitename):
            break
        if len(head.split()) < 2 and not certain:
            break
        title = head
    return title


_HEAD_TITLES = (
    re.compile(
        r"<meta\s[^>]*?(?:property|name)=[\"']og:title[\"'][^>]*?content=\"([^\"]*)\"", re.I
    ),
    re.compile(
        r"<meta\s[^>]*?content=\"([^\"]*)\"[^>]*?(?:property|name)=[\"']og:title[\"']", re.I
    ),
    re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S),
)


def _page_title(html: str, extracted: str) -> str:
    """The page's own title when trafilatura shortened it at a separator (it cuts "Man bites
    dog - and survives" to "Man bites dog"), else the extracted one."""
    head = html[:200_000]
    for pattern in _HEAD_TITLES:
        match = pattern.search(head)
        if match is None:
            continue
        raw = " ".join(html_entities.unescape(match.group(1)).split())
        if raw.startswith(extracted) and _TITLE_SEPARATOR.match(raw[len(extracted) :]):
            return raw
    return extracted


class PageText(NamedTuple):
    """A web page's main text and metadata, as trafilatura extracts them."""

    body: str
    title: str | None
    author: str | None
    date: str | None
    warnings: tuple[str, ...]


#: Element nesting libxml2 parses by default (trafilatura's parser).
DEFAULT_DEPTH = 255
#: Element nesting libxml2 parses with its "huge" option.
MAX_DEPTH = 2048


def too_deep_message() -> str:
    return (
        f"This web page nests its elements more than {MAX_DEPTH:,} levels deep, too deep to be "
        "read whole (it may be generated or damaged). Save its text as a .txt file to analyse it."
    )


def _tree_depth(root) -> int:
    """The deepest element's level under ``root`` (``root`` is 1), without recursion."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        element, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in element)
    return deepest


def deep_tree(html: str):
    """The page parsed with libxml2's "huge" option when it nests elements deeper than
    libxml2 parses by default (trafilatura would read only its top); None otherwise.

    Raises:
        ArticleError: the page is nested deeper than even that parser reads (:data:`MAX_DEPTH`).
    """
    if html.count("<") <= DEFAULT_DEPTH:
        return None  # fewer tags than the limit: cannot be nested that deep
    import lxml.etree
    import lxml.html

    # trafilatura's own parser options, plus huge_tree; a new parser per call (a parser's error
    # log is its last parse's, and parsers are not to be shared between threads).
    parser = lxml.html.HTMLParser(
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,
    )
    try:
        root = lxml.html.fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except (lxml.etree.LxmlError, ValueError):
        return None  # trafilatura's own parsing says what is wrong
    if any(entry.type == lxml.etree.ErrorTypes.ERR_RESOURCE_LIMIT for entry in parser.error_log):
        raise ArticleError(too_deep_message())
    return root if _tree_depth(root) > DEFAULT_DEPTH else None


def extract_page(html: str, *, source: str | None) -> PageText:
    """The main text, title (cleaned, :func:`clean_title`), author and date of a web page.

    Raises:
        ArticleError: the page cannot be read as HTML, has no main text, or is nested too
            deeply to be read whole.
    """
    import trafilatura

    warnings: tuple[str, ...] = ()
    tree = deep_tree(html)

    try:
        document = trafilatura.bare_extraction(
            html if tree is None else tree,
            url=source if source and source.startswith(("http://", "https://")) else None,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
        )
    except Exception as error:  # trafilatura raises many lxml types on broken markup
        raise ArticleError(f"The web page could not be read as HTML ({error}).") from None
    body = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if not body:
        raise ArticleError(no_html_text_message() + ".")
    title = (getattr(document, "title", None) or "").strip() or None
    author = (getattr(document, "author", None) or "").strip() or None
    date = (getattr(document, "date", None) or "").strip() or None
    sitename = (getattr(document, "sitename", None) or "").strip() or None
    if sitename and parse_dateline(sitename):
        sitename = None  # trafilatura takes the last title segment for the site, a date too
    if title:
        page_title = _page_title(html, title)
        title = clean_title(page_title, sitename=sitename) or page_title
        if title != page_title:
            warnings += (
                f"The page title \u201c{page_title}\u201d was shortened to "
                f"\u201c{title}\u201d: the site name or date after it was left out.",
            )
    return PageText(body, title, author, date, warnings)
