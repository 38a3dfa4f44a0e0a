"""The one URL fetcher, used by the command line and the app.

Every URL is untrusted: only http and https; the host is resolved and every address it
resolves to must be public (no loopback, private, link-local/cloud-metadata, multicast,
reserved or unspecified address, whatever its spelling); the connection goes to the address
that was checked (no second DNS lookup to race); redirects are followed by hand, at most
:data:`MAX_REDIRECTS`, each one checked again; connect and read time out; at most
``max_bytes`` are read (reading stops past the cap); only HTML or text content is accepted.

``NEWSLENS_ALLOW_PRIVATE_URLS=1`` (or ``allow_private=True``) allows private and loopback
addresses: for tests and for self-hosting on a private network.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from analysis.errors import ArticleError

ALLOW_PRIVATE_ENV_VAR = "NEWSLENS_ALLOW_PRIVATE_URLS"
DEFAULT_MAX_BYTES = 5_000_000
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
MAX_REDIRECTS = 5
USER_AGENT = "NewsLens/0.1 (+article analysis; single page fetch)"
_ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown")


@dataclass(frozen=True)
class Fetched:
    """A fetched page: the final URL after redirects, its bytes and content type."""

    url: str
    body: bytes
    content_type: str


def allow_private_from_env() -> bool:
    return os.environ.get(ALLOW_PRIVATE_ENV_VAR, "").strip().lower() in ("1", "true", "yes")


_PRIVATE_REASONS = ("a loopback address (this server itself)", "a private-network address",
                    "a non-public address")  # fmt: skip


def refusal_for_address(address: str) -> str | None:
    """Why an IP address may not be fetched, or None when it is a public address."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            ip = mapped
        elif ip.teredo is not None:
            ip = ip.teredo[1]
    checks = (
        ("is_unspecified", "an unspecified address"),
        ("is_loopback", "a loopback address (this server itself)"),
        ("is_link_local", "a link-local address (such as a cloud metadata service)"),
        ("is_multicast", "a multicast address"),
        ("is_private", "a private-network address"),
        ("is_reserved", "a reserved address"),
    )
    for attribute, description in checks:
        if getattr(ip, attribute):
            return description
    if not ip.is_global:
        return "a non-public address"
    return None


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise ArticleError(f"The address {host!r} could not be found ({error}).") from None
    return sorted({info[4][0] for info in infos})


def _checked_target(url: str, allow_private: bool) -> tuple[str, str, int, str]:
    """(scheme, host, port, address to connect to) for a URL that may be fetched."""
    if len(url) > 2048:
        raise ArticleError("The URL is too long (over 2,048 characters).")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise ArticleError(f"This is not a valid URL ({error}).") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"'{scheme}:'" if scheme else "no scheme"
        raise ArticleError(
            f"Only http:// and https:// addresses can be fetched (this one has {shown})."
        )
    host = parts.hostname
    if not host:
        raise ArticleError("The URL has no host name.")
    if parts.username or parts.password:
        raise ArticleError("URLs with a user name or password are not fetched.")
    port = port or (443 if scheme == "https" else 80)
    addresses = _resolve(host, port)
    if not addresses:
        raise ArticleError(f"The address {host!r} could not be found.")
    for address in addresses:
        reason = refusal_for_address(address.split("%")[0])
        # The private-network setting opens loopback and private ranges only: link-local
        # (cloud metadata), multicast, reserved and unspecified addresses stay refused.
        if reason and (not allow_private or reason not in _PRIVATE_REASONS):
            raise ArticleError(
                f"Refused to fetch {host}: it points to {reason}, which NewsLens does not fetch."
            )
    return scheme, host, port, addresses[0]


def fetch_url(
    url: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool | None = None,
    connect_timeout: float = CONNECT_TIMEOUT,
    read_timeout: float = READ_TIMEOUT,
    max_redirects: int = MAX_REDIRECTS,
) -> Fetched:
    """Fetch one page under the rules in the module docstring.

    Raises:
        ArticleError: the URL is refused or the fetch fails; the message says which rule.
    """
    import urllib3

    if allow_private is None:
        allow_private = allow_private_from_env()
    timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
    current = url.strip()
    for _ in range(max_redirects + 1):
        scheme, host, port, address = _checked_target(current, allow_private)
        parts = urlsplit(current)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        pool_class = (
            urllib3.HTTPSConnectionPool if scheme == "https" else urllib3.HTTPConnectionPool
        )
        extra = {"server_hostname": host, "assert_hostname": host} if scheme == "https" else {}
        host_header = host if ":" not in host else f"[{host}]"
        if parts.port:
            host_header += f":{parts.port}"
        pool = pool_class(address, port=port, timeout=timeout, retries=False, maxsize=1, **extra)
        try:
            response = pool.urlopen(
                "GET", path,
                headers={"Host": host_header, "User-Agent": USER_AGENT,
                         "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9"},
                redirect=False, preload_content=False, decode_content=True,
            )  # fmt: skip
        except urllib3.exceptions.ConnectTimeoutError:
            raise ArticleError(f"{host} did not answer within {connect_timeout:g} s.") from None
        except urllib3.exceptions.ReadTimeoutError:
            raise ArticleError(f"{host} stopped sending within {read_timeout:g} s.") from None
        except urllib3.exceptions.SSLError as error:
            raise ArticleError(f"The secure connection to {host} failed ({error}).") from None
        except urllib3.exceptions.HTTPError as error:
            raise ArticleError(f"{host} could not be reached ({_short(error)}).") from None
        try:
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("Location")
                if not location:
                    raise ArticleError(f"{host} sent a redirect without a target.")
                current = urljoin(current, location)
                continue
            if response.status >= 400:
                raise ArticleError(
                    f"{host} answered HTTP {response.status} ({response.reason or 'error'})."
                )
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if content_type and content_type not in _ACCEPTED_TYPES:
                raise ArticleError(
                    f"{current} is {content_type}, not a web page or text; NewsLens reads "
                    "HTML and plain text."
                )
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise ArticleError(_too_big(max_bytes))
            body = _read_capped(response, max_bytes, host, read_timeout)
            return Fetched(current, body, content_type or "text/html")
        finally:
            response.release_conn()
            pool.close()
    raise ArticleError(f"Too many redirects (more than {max_redirects}).")


def _read_capped(response, max_bytes: int, host: str, read_timeout: float) -> bytes:
    import urllib3

    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.stream(65536):
            size += len(chunk)
            if size > max_bytes:
                raise ArticleError(_too_big(max_bytes))
            chunks.append(chunk)
    except urllib3.exceptions.ReadTimeoutError:
        raise ArticleError(f"{host} stopped sending within {read_timeout:g} s.") from None
    except urllib3.exceptions.HTTPError as error:
        raise ArticleError(f"Reading from {host} failed ({_short(error)}).") from None
    return b"".join(chunks)


def _too_big(max_bytes: int) -> str:
    return f"The page is larger than the {max_bytes:,}-byte limit; NewsLens stopped reading it."


def _short(error: Exception) -> str:
    text = str(error)
    return text.split(": ", 1)[-1][:160] if text else type(error).__name__


def fetch_article(url: str, *, max_chars: int | None = None, **fetch_options):
    """Fetch an http(s) URL and parse it like any other input.

    Returns:
        An :class:`analysis.article.Article` whose ``source`` is the final URL.

    Raises:
        ArticleError: the fetch is refused or fails, or the page has no article text.
    """
    from analysis.article import parse_article

    fetched = fetch_url(url, **fetch_options)
    return parse_article(fetched.body, source=fetched.url, max_chars=max_chars)
