"""A news site served on loopback for the collector's tests: routes set by the test, every
request logged (which host, path, headers, when it started and ended).

Two loopback addresses (127.0.0.1 and 127.0.0.2) are two hosts; nothing else is reached.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple


class Answer(NamedTuple):
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)
    delay: float = 0.0  # seconds to stall after the first bytes of the body
    chunked: bool = False  # no Content-Length: the reader's cap must stop a huge body


class Request(NamedTuple):
    host: str
    path: str
    headers: dict[str, str]
    start: float
    end: float
    status: int


Route = Callable[["Request"], Answer] | Answer


@dataclass
class Host:
    address: str
    routes: dict[str, Route] = field(default_factory=dict)
    server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"http://{self.address}:{self.server.server_address[1]}"


class Site:
    """Hosts on loopback addresses, started and stopped by the test (a context manager)."""

    def __init__(self, *addresses: str) -> None:
        self.hosts = {address: Host(address) for address in addresses}
        self.log: list[Request] = []
        self._lock = threading.Condition()
        self._busy = 0  # requests being answered

    def __enter__(self) -> Site:
        for host in self.hosts.values():
            host.server = ThreadingHTTPServer((host.address, 0), _handler(self, host))
            host.server.daemon_threads = True
            threading.Thread(target=host.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        for host in self.hosts.values():
            assert host.server is not None
            host.server.shutdown()
            host.server.server_close()

    def host(self, address: str) -> Host:
        return self.hosts[address]

    def requests(self, address: str | None = None, path: str | None = None) -> list[Request]:
        """The requests answered so far (once those being answered are done and logged), in
        the order they arrived (a request is logged when its answer is sent, and a busy machine
        can log a later request first)."""
        with self._lock:
            self._lock.wait_for(lambda: self._busy == 0, timeout=10)
            return sorted(
                (
                    r
                    for r in self.log
                    if (address is None or r.host == address) and (path is None or r.path == path)
                ),
                key=lambda r: r.start,
            )

    def clear(self) -> None:
        with self._lock:
            self.log.clear()

    def _begin(self) -> None:
        with self._lock:
            self._busy += 1

    def _record(self, request: Request) -> None:
        with self._lock:
            self.log.append(request)
            self._busy -= 1
            self._lock.notify_all()


def _handler(site: Site, host: Host):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep test output clean
            pass

        def do_GET(self):  # noqa: N802 (http.server API)
            site._begin()
            start = time.monotonic()
            headers = {k.lower(): v for k, v in self.headers.items()}
            probe = Request(host.address, self.path, headers, start, start, 0)
            answer = Answer(500, b"the test route failed", (("Content-Type", "text/plain"),))
            try:
                route = host.routes.get(self.path)
                if route is None:
                    answer = Answer(404, b"not found", (("Content-Type", "text/plain"),))
                else:
                    answer = route(probe) if callable(route) else route
                self._send(answer)
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                site._record(probe._replace(end=time.monotonic(), status=answer.status))

        def _send(self, answer: Answer) -> None:
            self.send_response(answer.status)
            for name, value in answer.headers:
                self.send_header(name, value)
            if not answer.chunked:
                self.send_header("Content-Length", str(len(answer.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if answer.delay:
                self.wfile.write(answer.body[:10])
                self.wfile.flush()
                time.sleep(answer.delay)
                self.wfile.write(answer.body[10:])
            else:
                self.wfile.write(answer.body)
            self.close_connection = True

    return Handler


# -- content -------------------------------------------------------------------------------

WORDS = [
    "minister",
    "council",
    "harbour",
    "village",
    "river",
    "committee",
    "budget",
    "election",
    "market",
    "farmers",
    "hospital",
    "teachers",
    "bridge",
    "railway",
    "festival",
    "museum",
    "report",
    "court",
    "police",
    "weather",
    "storm",
    "factory",
    "union",
    "airport",
    "coast",
    "school",
    "students",
    "vaccine",
    "project",
    "mayor",
    "parliament",
]


def paragraphs(seed: str, count: int = 4, words: int = 40) -> list[str]:
    """``count`` paragraphs of plain sentences, the same for the same seed."""
    out = []
    for p in range(count):
        digest = hashlib.sha256(f"{seed}-{p}".encode()).digest() * 4
        chosen = [WORDS[b % len(WORDS)] for b in digest[:words]]
        sentences = [" ".join(chosen[i : i + 10]) for i in range(0, len(chosen), 10)]
        out.append(". ".join(s.capitalize() for s in sentences) + ".")
    return out


def article(
    title: str,
    body: list[str],
    *,
    head: str = "",
    canonical: str | None = None,
) -> bytes:
    """An article page: a head (metadata, a canonical link) and the text in <article>."""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    text = "".join(f"<p>{p}</p>" for p in body)
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>{link}{head}</head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{text}</article>"
        "<footer>Copyright The Test Gazette</footer></body></html>"
    ).encode()


def json_ld(day: str) -> str:
    return (
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        f'"@type": "NewsArticle", "datePublished": "{day}T08:00:00Z"}}</script>'
    )


def rss(items: list[tuple[str, str | None]], *, title: str = "Test Gazette") -> bytes:
    """An RSS 2.0 feed of ``(link, RFC 822 date or None)`` items."""
    entries = "".join(
        f"<item><title>Item {i}</title><link>{link}</link>"
        + (f"<pubDate>{day}</pubDate>" if day else "")
        + "</item>"
        for i, (link, day) in enumerate(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>http://example.invalid/</link>{entries}</channel></rss>"
    ).encode()


def atom(items: list[tuple[str, str | None]]) -> bytes:
    entries = "".join(
        f'<entry><title>Entry {i}</title><link rel="alternate" href="{link}"/>'
        f"<id>urn:test:{i}</id>" + (f"<published>{day}</published>" if day else "") + "</entry>"
        for i, (link, day) in enumerate(items)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Beta Feed</title><id>urn:test</id>{entries}</feed>"
    ).encode()


def urlset(items: list[tuple[str, str | None]], *, news: bool = False) -> bytes:
    """A sitemap; with ``news``, a Google News sitemap (dates as news:publication_date)."""
    namespace = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
    entries = []
    for link, day in items:
        if news and day:
            extra = (
                "<news:news><news:publication><news:name>Test Gazette</news:name>"
                "<news:language>en</news:language></news:publication>"
                f"<news:publication_date>{day}</news:publication_date>"
                "<news:title>A story</news:title></news:news>"
            )
        else:
            extra = f"<lastmod>{day}</lastmod>" if day else ""
        entries.append(f"<url><loc>{link}</loc>{extra}</url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{namespace}>'
        + "".join(entries)
        + "</urlset>"
    ).encode()


def sitemap_index(children: list[tuple[str, str | None]]) -> bytes:
    entries = "".join(
        f"<sitemap><loc>{link}</loc>" + (f"<lastmod>{day}</lastmod>" if day else "") + "</sitemap>"
        for link, day in children
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}'
        "</sitemapindex>"
    ).encode()


XML = (("Content-Type", "application/xml"),)
TEXT = (("Content-Type", "text/plain"),)


def conditional(body: bytes, *, etag: str, kind: tuple = XML) -> Route:
    """A route answering 304 to a request that sends back its ETag."""

    def answer(request: Request) -> Answer:
        if request.headers.get("if-none-match") == etag:
            return Answer(304, b"", (("ETag", etag),))
        return Answer(200, body, (*kind, ("ETag", etag)))

    return answer


def modified_since(body: bytes, *, last_modified: str, kind: tuple = XML) -> Route:
    """A route answering 304 to a request that sends back its Last-Modified."""

    def answer(request: Request) -> Answer:
        if request.headers.get("if-modified-since") == last_modified:
            return Answer(304, b"", (("Last-Modified", last_modified),))
        return Answer(200, body, (*kind, ("Last-Modified", last_modified)))

    return answer
