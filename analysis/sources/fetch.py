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
"""

from __future__ import annotations

import errno
import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from analysis.core.article import DEFAULT_MAX_CHARS
from analysis.errors import ArticleError

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
        raise ArticleError(f"“{host}” is not a valid web address.") from None
    except socket.gaierror as error:
        if error.errno in (socket.EAI_AGAIN, getattr(socket, "EAI_SYSTEM", None)):
            raise ArticleError(
                f"The address “{host}” could not be looked up just now (the network or its "
                "name server did not answer). Check the connection and try again."
            ) from None
        raise ArticleError(
            f"No web site was found at “{host}”. Check the spelling of the address."
        ) from None
    return sorted({info[4][0] for info in infos})


def _checked_target(url: str, allow_private: bool) -> tuple[str, str, int, str]:
    """(scheme, host, port, address to connect to) for a URL that may be fetched."""
    if len(url) > 2048:
        raise ArticleError("The URL is too long (over 2,048 characters).")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise ArticleError(
            "This is not a valid web address (its host or port is malformed)."
        ) from None
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
        raise ArticleError(f"No web site was found at “{host}”. Check the spelling of the address.")
    for address in addresses:
        plain_address = address.split("%")[0]
        if not may_fetch_address(plain_address, allow_private=allow_private):
            raise ArticleError(
                f"Refused to fetch {host}: it points to {refusal_for_address(plain_address)}, "
                "which NewsLens does not fetch."
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
        ArticleError: the URL is refused or the fetch fails; the message says which rule.
    """
    import urllib3

    timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
    current = normalise_url(url)
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
                "GET",
                path,
                headers={
                    "Host": host_header,
                    "User-Agent": USER_AGENT,
                    "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9",
                },
                redirect=False,
                preload_content=False,
                decode_content=True,
            )
        except urllib3.exceptions.NewConnectionError as error:
            # A subclass of ConnectTimeoutError in urllib3, but usually a refusal.
            raise ArticleError(_unreachable(host, port, error)) from None
        except urllib3.exceptions.ConnectTimeoutError:
            raise ArticleError(f"{host} did not answer within {connect_timeout:g} s.") from None
        except urllib3.exceptions.ReadTimeoutError:
            raise ArticleError(f"{host} stopped sending within {read_timeout:g} s.") from None
        except urllib3.exceptions.SSLError:
            raise ArticleError(
                f"The secure (https) connection to {host} failed: its certificate or encryption "
                "was not accepted."
            ) from None
        except urllib3.exceptions.HTTPError as error:
            raise ArticleError(_unreachable(host, port, error)) from None
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
    except urllib3.exceptions.HTTPError:
        raise ArticleError(
            f"The connection to {host} broke off while the page was being read. Try again."
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
