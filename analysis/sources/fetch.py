"""The one URL fetcher, used by the command line and the app.

Every URL is untrusted: only http and https; the host is resolved and every address it
resolves to must be public (no loopback, private, link-local/cloud-metadata, multicast,
reserved or unspecified address, whatever its spelling); the connection goes to the address
that was checked (no second DNS lookup to race); redirects are followed by hand, at most
:data:`MAX_REDIRECTS`, each one checked again; connect and read time out; at most
``max_bytes`` are read (reading stops past the cap); only HTML or text content is accepted.

``allow_private=True`` (the ``NEWSLENS_ALLOW_PRIVATE_URLS`` setting, passed in by the command
line and the app) allows private and loopback addresses: for tests and for self-hosting on a
private network.

:func:`fetch_response` is the same fetch for the collector (:mod:`analysis.sources.collect`): it
also sends request headers (conditional GET: ``If-None-Match``, ``If-Modified-Since``), returns
the status and response headers (a 304 comes back with an empty body), accepts other content
types when asked (feeds, sitemaps, robots.txt) and names a redirect loop. Every failure is a
:class:`FetchError` whose ``kind`` (and ``status``, ``retry_after``) say what happened, so that
decisions (wait and retry, give up) never read the message.
"""

from __future__ import annotations

import errno
import ipaddress
import re
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from analysis.core.article import DEFAULT_MAX_CHARS
from analysis.errors import ArticleError

DEFAULT_MAX_BYTES = 5_000_000
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
MAX_REDIRECTS = 5
USER_AGENT = "NewsLens/0.1 (+article analysis; single page fetch)"
_ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown")


_ACCEPT_HEADER = "text/html,application/xhtml+xml,text/plain;q=0.9"


@dataclass(frozen=True)
class Fetched:
    """A fetched page: the final URL after redirects, its bytes and content type."""

    url: str
    body: bytes
    content_type: str


@dataclass(frozen=True)
class Response:
    """An answer of :func:`fetch_response`.

    Attributes:
        url: the final URL after redirects.
        status: the HTTP status (2xx, or 304 to a conditional request).
        body: the bytes read (empty for a 304).
        content_type: the media type without parameters, lower case ("" when not sent).
        headers: the response headers, names in lower case.
    """

    url: str
    status: int
    body: bytes
    content_type: str
    headers: Mapping[str, str] = field(default_factory=dict)


#: What :attr:`FetchError.kind` can be.
FETCH_ERROR_KINDS = (
    "refused",  # the URL or its address may not be fetched (scheme, private address, ...)
    "dns",  # no such host
    "dns_temporary",  # the name server did not answer
    "unreachable",  # the connection failed or broke off
    "timeout",  # no answer, or the answer stopped, within the time limit
    "tls",  # the https connection failed
    "http",  # an HTTP error status (see ``status``)
    "redirects",  # more redirects than allowed, or a redirect without a target
    "redirect_loop",  # a redirect back to an address already visited
    "content_type",  # a type not accepted (an image, a PDF)
    "too_big",  # over the size limit
)


class FetchError(ArticleError):
    """A fetch that failed, with the message for people and structured fields for code.

    Attributes:
        kind: one of :data:`FETCH_ERROR_KINDS`.
        status: the HTTP status for ``kind == "http"``, else None.
        retry_after: seconds the server asked to wait (``Retry-After``), or None.
    """

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.retry_after = retry_after


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """The wait a ``Retry-After`` header asks for, in seconds (0 or more), or None when it is
    missing or unreadable. It is either a number of seconds or an HTTP date."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(int(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


#: What each kind of refused address is called in messages. Decisions use the kind (the
#: key), never these words.
ADDRESS_DESCRIPTIONS = {
    "unspecified": "an unspecified address",
    "loopback": "a loopback address (this server itself)",
    "link_local": "a link-local address (such as a cloud metadata service)",
    "multicast": "a multicast address",
    "private": "a private-network address",
    "reserved": "a reserved address",
    "non_public": "a non-public address",
}
#: The kinds that ``allow_private`` opens: link-local (cloud metadata), multicast, reserved
#: and unspecified addresses stay refused whatever the setting.
PRIVATE_KINDS = frozenset({"loopback", "private", "non_public"})


def address_kind(address: str) -> str | None:
    """The kind of non-public address ``address`` is (a key of :data:`ADDRESS_DESCRIPTIONS`),
    or None for a public address."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            ip = mapped
        elif ip.teredo is not None:
            ip = ip.teredo[1]
    checks = (
        ("is_unspecified", "unspecified"),
        ("is_loopback", "loopback"),
        ("is_link_local", "link_local"),
        ("is_multicast", "multicast"),
        ("is_private", "private"),
        ("is_reserved", "reserved"),
    )
    for attribute, kind in checks:
        if getattr(ip, attribute):
            return kind
    if not ip.is_global:
        return "non_public"
    return None


def refusal_for_address(address: str) -> str | None:
    """Why an IP address may not be fetched, in words, or None when it is a public address."""
    kind = address_kind(address)
    return None if kind is None else ADDRESS_DESCRIPTIONS[kind]


def may_fetch_address(address: str, *, allow_private: bool) -> bool:
    """Whether an address may be fetched: public ones always; loopback and private ones only
    with ``allow_private``."""
    kind = address_kind(address)
    return kind is None or (allow_private and kind in PRIVATE_KINDS)


_HOST_LIKE = re.compile(
    r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?::\d{1,5})?(?:[/?#]|$)", re.IGNORECASE
)


def normalise_url(text: str) -> str:
    """An address as people type it: surrounding space trimmed, and ``https://`` added when
    it has no scheme but starts with a host name ("example.com/story")."""
    url = text.strip()
    if "://" not in url and _HOST_LIKE.match(url):
        return "https://" + url
    return url


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except UnicodeError:
        raise FetchError(f"“{host}” is not a valid web address.", kind="refused") from None
    except socket.gaierror as error:
        if error.errno in (socket.EAI_AGAIN, getattr(socket, "EAI_SYSTEM", None)):
            raise FetchError(
                f"The address “{host}” could not be looked up just now (the network or its "
                "name server did not answer). Check the connection and try again.",
                kind="dns_temporary",
            ) from None
        raise FetchError(
            f"No web site was found at “{host}”. Check the spelling of the address.", kind="dns"
        ) from None
    return sorted({info[4][0] for info in infos})


def _checked_target(url: str, allow_private: bool) -> tuple[str, str, int, str]:
    """(scheme, host, port, address to connect to) for a URL that may be fetched."""
    if len(url) > 2048:
        raise FetchError("The URL is too long (over 2,048 characters).", kind="refused")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise FetchError(
            "This is not a valid web address (its host or port is malformed).", kind="refused"
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"'{scheme}:'" if scheme else "no scheme"
        raise FetchError(
            f"Only http:// and https:// addresses can be fetched (this one has {shown}).",
            kind="refused",
        )
    host = parts.hostname
    if not host:
        raise FetchError("The URL has no host name.", kind="refused")
    if parts.username or parts.password:
        raise FetchError("URLs with a user name or password are not fetched.", kind="refused")
    port = port or (443 if scheme == "https" else 80)
    addresses = _resolve(host, port)
    if not addresses:
        raise FetchError(
            f"No web site was found at “{host}”. Check the spelling of the address.", kind="dns"
        )
    for address in addresses:
        plain_address = address.split("%")[0]
        if not may_fetch_address(plain_address, allow_private=allow_private):
            raise FetchError(
                f"Refused to fetch {host}: it points to {refusal_for_address(plain_address)}, "
                "which NewsLens does not fetch.",
                kind="refused",
            )
    return scheme, host, port, addresses[0]


def fetch_url(
    url: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool = False,
    connect_timeout: float = CONNECT_TIMEOUT,
    read_timeout: float = READ_TIMEOUT,
    max_redirects: int = MAX_REDIRECTS,
) -> Fetched:
    """Fetch one page under the rules in the module docstring.

    Raises:
        ArticleError: the URL is refused or the fetch fails; the message says which rule
            (a :class:`FetchError`, whose ``kind`` says it to code).
    """
    response = fetch_response(
        url,
        max_bytes=max_bytes,
        allow_private=allow_private,
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        max_redirects=max_redirects,
    )
    if response.status == 304:  # never asked for: not a page
        host = urlsplit(response.url).hostname or response.url
        raise FetchError(f"{host} answered HTTP 304 (Not Modified).", kind="http", status=304)
    return Fetched(response.url, response.body, response.content_type or "text/html")


def fetch_response(
    url: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool = False,
    connect_timeout: float = CONNECT_TIMEOUT,
    read_timeout: float = READ_TIMEOUT,
    max_redirects: int = MAX_REDIRECTS,
    headers: Mapping[str, str] | None = None,
    accept: Sequence[str] | None = _ACCEPTED_TYPES,
    accept_header: str = _ACCEPT_HEADER,
    user_agent: str = USER_AGENT,
    follow_redirects: bool = True,
) -> Response:
    """Fetch one URL under the rules in the module docstring, for callers that need more than
    a page: request headers, the status and the response headers.

    Args:
        url: an http(s) URL (``https://`` is added to "example.com/story").
        max_bytes, allow_private, connect_timeout, read_timeout, max_redirects: as
            :func:`fetch_url`.
        headers: extra request headers, such as ``If-None-Match`` and ``If-Modified-Since``
            (``Host`` and ``User-Agent`` are always NewsLens's own).
        accept: the media types accepted; None accepts any.
        accept_header: the ``Accept`` header sent.
        user_agent: the ``User-Agent`` header sent.
        follow_redirects: False returns a redirect (its ``location`` header resolved against
            the URL) instead of following it, for a caller that checks each hop itself.

    Returns:
        The :class:`Response`: a 2xx answer, a 304 (with an empty body), or a redirect when
        not following them.

    Raises:
        FetchError: the URL is refused or the fetch fails (``kind`` says how; an HTTP error
            status and a ``Retry-After`` wait are in ``status`` and ``retry_after``).
    """
    import urllib3

    timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
    current = normalise_url(url)
    visited: set[str] = set()
    extra = {
        name: value
        for name, value in (headers or {}).items()
        if name.lower() not in ("host", "user-agent", "accept")
    }
    for _ in range(max_redirects + 1):
        visited.add(current)
        scheme, host, port, address = _checked_target(current, allow_private)
        parts = urlsplit(current)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        pool_class = (
            urllib3.HTTPSConnectionPool if scheme == "https" else urllib3.HTTPConnectionPool
        )
        tls = {"server_hostname": host, "assert_hostname": host} if scheme == "https" else {}
        host_header = host if ":" not in host else f"[{host}]"
        if parts.port:
            host_header += f":{parts.port}"
        pool = pool_class(address, port=port, timeout=timeout, retries=False, maxsize=1, **tls)
        try:
            response = pool.urlopen(
                "GET",
                path,
                headers={
                    **extra,
                    "Host": host_header,
                    "User-Agent": user_agent,
                    "Accept": accept_header,
                },
                redirect=False,
                preload_content=False,
                decode_content=True,
            )
        except urllib3.exceptions.NewConnectionError as error:
            # A subclass of ConnectTimeoutError in urllib3, but usually a refusal.
            raise FetchError(_unreachable(host, port, error), kind="unreachable") from None
        except urllib3.exceptions.ConnectTimeoutError:
            raise FetchError(
                f"{host} did not answer within {connect_timeout:g} s.", kind="timeout"
            ) from None
        except urllib3.exceptions.ReadTimeoutError:
            raise FetchError(
                f"{host} stopped sending within {read_timeout:g} s.", kind="timeout"
            ) from None
        except urllib3.exceptions.SSLError:
            raise FetchError(
                f"The secure (https) connection to {host} failed: its certificate or encryption "
                "was not accepted.",
                kind="tls",
            ) from None
        except urllib3.exceptions.HTTPError as error:
            raise FetchError(_unreachable(host, port, error), kind="unreachable") from None
        try:
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(f"{host} sent a redirect without a target.", kind="redirects")
                target = urljoin(current, location)
                if not follow_redirects:
                    received = {name.lower(): value for name, value in response.headers.items()}
                    received["location"] = target
                    return Response(current, response.status, b"", "", received)
                if target in visited:
                    raise FetchError(
                        f"Too many redirects: {current} redirects back to {target}, an address "
                        "already visited (a redirect loop).",
                        kind="redirect_loop",
                    )
                current = target
                continue
            received = {name.lower(): value for name, value in response.headers.items()}
            if response.status >= 400:
                raise FetchError(
                    f"{host} answered HTTP {response.status} ({response.reason or 'error'}).",
                    kind="http",
                    status=response.status,
                    retry_after=retry_after_seconds(received.get("retry-after")),
                )
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if response.status == 304:
                return Response(current, 304, b"", content_type, received)
            if accept is not None and content_type and content_type not in accept:
                raise FetchError(
                    f"{current} is {content_type}, not a web page or text; NewsLens reads "
                    "HTML and plain text."
                    if tuple(accept) == _ACCEPTED_TYPES
                    else f"{current} is {content_type}, not one of the types read here "
                    f"({', '.join(accept)}).",
                    kind="content_type",
                )
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(_too_big(max_bytes), kind="too_big")
            body = _read_capped(response, max_bytes, host, read_timeout)
            return Response(current, response.status, body, content_type, received)
        finally:
            response.release_conn()
            pool.close()
    raise FetchError(f"Too many redirects (more than {max_redirects}).", kind="redirects")


def _read_capped(response, max_bytes: int, host: str, read_timeout: float) -> bytes:
    import urllib3

    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.stream(65536):
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(_too_big(max_bytes), kind="too_big")
            chunks.append(chunk)
    except urllib3.exceptions.ReadTimeoutError:
        raise FetchError(
            f"{host} stopped sending within {read_timeout:g} s.", kind="timeout"
        ) from None
    except urllib3.exceptions.HTTPError:
        raise FetchError(
            f"The connection to {host} broke off while the page was being read. Try again.",
            kind="unreachable",
        ) from None
    return b"".join(chunks)


def _too_big(max_bytes: int) -> str:
    return f"The page is larger than the {max_bytes:,}-byte limit; NewsLens stopped reading it."


def _unreachable(host: str, port: int, error: Exception) -> str:
    """A sentence for a failed connection, from the cause's type (never its errno text)."""
    cause = error
    for _ in range(5):  # the OSError behind urllib3's wrappers, a few links down at most
        if cause is None or isinstance(cause, OSError):
            break
        cause = cause.__context__ or cause.__cause__ or getattr(cause, "reason", None)
    if isinstance(cause, ConnectionRefusedError):
        return f"{host} refused the connection (nothing answers on port {port})."
    if isinstance(cause, ConnectionResetError):
        return f"{host} closed the connection. Try again."
    if isinstance(cause, (TimeoutError, socket.timeout)):
        return f"{host} did not answer in time."
    if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return f"{host} cannot be reached from this server (no network route)."
    return f"{host} could not be reached. Check the address, or try again later."


def fetch_article(url: str, *, max_chars: int = DEFAULT_MAX_CHARS, **fetch_options):
    """Fetch an http(s) URL and parse it like any other input.

    Returns:
        An :class:`analysis.core.article.Article` whose ``source`` is the final URL.

    Raises:
        ArticleError: the fetch is refused or fails, or the page has no article text.
    """
    from analysis.core.article import parse_article

    fetched = fetch_url(url, **fetch_options)
    return parse_article(fetched.body, source=fetched.url, max_chars=max_chars)
