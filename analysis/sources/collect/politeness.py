"""Fetching politely: robots.txt, one request at a time per host with a pause between, and
waiting out 429 and 503 answers.

Every request goes through :class:`PoliteFetcher`, which goes through the safe fetcher
(:func:`analysis.sources.fetch.fetch_response`: SSRF rules, size and time limits) and adds:

- **robots.txt** (RFC 9309, parsed by ``protego``) for every URL, redirects included, matched
  with the collector's user agent: read once per site (scheme, host and port) and run; a
  robots.txt that is missing (any 4xx) allows everything, one that cannot be read (5xx, 429,
  no answer) disallows everything on that site, as the RFC asks. A ``Crawl-delay`` longer
  than the delay asked for is obeyed, up to :data:`MAX_CRAWL_DELAY`.
- **one request at a time per host** and at least ``delay`` seconds from the end of one
  request to the start of the next (:class:`HostGate`); different hosts are fetched at once
  by the caller's threads.
- **429 Too Many Requests and 503 Service Unavailable** are waited out and retried, up to
  ``max_retries`` times: for ``Retry-After`` seconds when the server says, else 1, 2, 4, ...
  seconds; a wait longer than ``max_wait`` is not waited: the URL fails, to be retried on a
  later run. Nothing else is sent to that host meanwhile.
- **redirects** are followed here, one hop at a time, each hop checked against robots.txt
  and the gate of its host; a redirect back to an address already visited is a loop.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import contextmanager

from analysis.errors import ArticleError
from analysis.sources.collect.urls import host_of, origin_of
from analysis.sources.fetch import (
    CONNECT_TIMEOUT,
    MAX_REDIRECTS,
    READ_TIMEOUT,
    FetchError,
    Response,
    fetch_response,
)

DEFAULT_DELAY = 1.0
#: The longest ``Crawl-delay`` obeyed, in seconds.
MAX_CRAWL_DELAY = 60.0
#: robots.txt is read up to this size (RFC 9309 asks for at least 500 KiB).
ROBOTS_MAX_BYTES = 512 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)


def default_user_agent() -> str:
    """``NewsLens/<version> (+news collector; obeys robots.txt)``: the product token robots.txt
    rules name ("NewsLens"), and the installed version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("newslens")
    except PackageNotFoundError:
        number = "0"
    return f"NewsLens/{number} (+news collector; obeys robots.txt)"


class Stopped(Exception):
    """The run was asked to stop (its stop event was set) while waiting for a host."""


class Disallowed(ArticleError):
    """robots.txt does not let us fetch a URL.

    Attributes:
        kind: "rule" (a rule disallows it), "unreadable" (robots.txt could not be read, so
            nothing on the site is fetched for now) or "refused" (the site's address may not
            be fetched at all).
    """

    def __init__(self, message: str, *, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


class HostGate:
    """One request at a time per host, ``delay`` seconds apart (see the module docstring).

    Args:
        delay: seconds from the end of one request to a host to the start of the next.
        stop: set to abandon waits (they raise :class:`Stopped`).
        clock: monotonic seconds (a test may pass its own).
    """

    def __init__(
        self,
        *,
        delay: float = DEFAULT_DELAY,
        stop: threading.Event | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.delay = delay
        self.stop = stop or threading.Event()
        self.clock = clock
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._next: dict[str, float] = {}
        self._delays: dict[str, float] = {}

    def delay_of(self, host: str) -> float:
        """The pause between two requests to ``host``."""
        return self._delays.get(host, self.delay)

    def slow_down(self, host: str, delay: float) -> None:
        """Pause at least ``delay`` seconds between requests to ``host`` (a Crawl-delay)."""
        with self._guard:
            self._delays[host] = max(self.delay, delay)

    def defer(self, host: str, seconds: float) -> None:
        """Send nothing to ``host`` for ``seconds`` from now."""
        with self._guard:
            self._next[host] = max(self._next.get(host, 0.0), self.clock() + seconds)

    @contextmanager
    def turn(self, host: str):
        """Hold ``host`` for one request: waits for the requests before it and the pause."""
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            while (pause := self._next.get(host, 0.0) - self.clock()) > 0:
                if self.stop.wait(pause):
                    raise Stopped()
            if self.stop.is_set():
                raise Stopped()
            try:
                yield
            finally:
                self.defer(host, self.delay_of(host))


class RobotsRules:
    """robots.txt of one site: protego's parser, or everything allowed or disallowed."""

    def __init__(
        self, parser=None, *, allow: bool = True, reason: str | None = None, kind: str = "rule"
    ) -> None:
        self.parser = parser
        self.allow = allow
        self.reason = reason
        self.kind = kind

    def allowed(self, url: str, user_agent: str) -> bool:
        if self.parser is None:
            return self.allow
        return bool(self.parser.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        return float(delay) if delay is not None else None

    def sitemaps(self) -> tuple[str, ...]:
        return tuple(self.parser.sitemaps) if self.parser is not None else ()


class PoliteFetcher:
    """The collector's fetcher (see the module docstring). Safe to share between threads.

    Args:
        user_agent: sent with every request and matched against robots.txt.
        delay: seconds between two requests to the same host.
        allow_private: let the safe fetcher reach loopback and private addresses.
        connect_timeout, read_timeout: per request, in seconds.
        max_redirects: redirects followed per URL.
        max_retries: retries of a 429 or 503 answer.
        max_wait: the longest wait (Retry-After or backoff) obeyed, in seconds.
        backoff: the first wait when a 429 or 503 gives no Retry-After (doubled each time).
        stop: set to stop waiting and fetching (raises :class:`Stopped`).
        fetch: the safe fetcher (a test may wrap it).
    """

    def __init__(
        self,
        *,
        user_agent: str | None = None,
        delay: float = DEFAULT_DELAY,
        allow_private: bool = False,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        max_redirects: int = MAX_REDIRECTS,
        max_retries: int = 3,
        max_wait: float = 120.0,
        backoff: float = 1.0,
        stop: threading.Event | None = None,
        fetch: Callable[..., Response] = fetch_response,
    ) -> None:
        self.user_agent = user_agent or default_user_agent()
        self.stop = stop or threading.Event()
        self.gate = HostGate(delay=delay, stop=self.stop)
        self.allow_private = allow_private
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_redirects = max_redirects
        self.max_retries = max_retries
        self.max_wait = max_wait
        self.backoff = backoff
        self._fetch = fetch
        self._robots: dict[str, RobotsRules] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self.requests = 0

    # -- robots.txt ----------------------------------------------------------------------

    def robots(self, url: str) -> RobotsRules:
        """The robots.txt rules of ``url``'s site, read on first use."""
        origin = origin_of(url)
        with self._guard:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:
            if origin not in self._robots:
                self._robots[origin] = self._read_robots(origin)
            return self._robots[origin]

    def _read_robots(self, origin: str) -> RobotsRules:
        from protego import Protego

        try:
            response = self.get(
                origin + "/robots.txt",
                accept=None,
                accept_header="text/plain,*/*;q=0.5",
                max_bytes=ROBOTS_MAX_BYTES,
                check_robots=False,
            )
        except FetchError as error:
            status = error.status or 0
            if error.kind == "http" and 400 <= status < 500 and status != 429:
                return RobotsRules(allow=True)  # no robots.txt: everything is allowed
            if error.kind in ("refused", "dns"):
                return RobotsRules(allow=False, reason=str(error), kind="refused")
            return RobotsRules(
                allow=False,
                reason=f"robots.txt of {origin} could not be read ({error}); nothing on the "
                "site is fetched until it can be",
                kind="unreadable",
            )
        rules = RobotsRules(Protego.parse(response.body.decode("utf-8", errors="replace")))
        delay = rules.crawl_delay(self.user_agent)
        if delay is not None and delay > self.gate.delay:
            self.gate.slow_down(host_of(origin), min(delay, MAX_CRAWL_DELAY))
        return rules

    def check(self, url: str) -> None:
        """Raise :class:`Disallowed` when robots.txt does not let us fetch ``url``."""
        rules = self.robots(url)
        if not rules.allowed(url, self.user_agent):
            raise Disallowed(rules.reason or "disallowed by robots.txt", kind=rules.kind)

    # -- requests ------------------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        accept: Sequence[str] | None,
        accept_header: str,
        max_bytes: int,
        headers: Mapping[str, str] | None = None,
        check_robots: bool = True,
    ) -> Response:
        """Fetch ``url`` politely, following redirects.

        Returns:
            The :class:`~analysis.sources.fetch.Response` (2xx, or 304 to a conditional request).

        Raises:
            Disallowed: robots.txt disallows the URL or a redirect target.
            FetchError: the fetch failed (a 429 or 503 only once the retries are spent).
            Stopped: the stop event was set.
        """
        current = url
        visited: set[str] = set()
        for _ in range(self.max_redirects + 1):
            visited.add(current)
            if check_robots:
                self.check(current)
            response = self._request(current, accept, accept_header, max_bytes, headers)
            if response.status not in _REDIRECTS:
                return response
            target = response.headers.get("location", "")
            if target in visited:
                raise FetchError(
                    f"Too many redirects: {current} redirects back to {target}, an address "
                    "already visited (a redirect loop).",
                    kind="redirect_loop",
                )
            current = target
        raise FetchError(f"Too many redirects (more than {self.max_redirects}).", kind="redirects")

    def _request(self, url, accept, accept_header, max_bytes, headers) -> Response:
        host = host_of(url)
        attempt = 0
        while True:
            with self.gate.turn(host):
                with self._guard:
                    self.requests += 1
                try:
                    return self._fetch(
                        url,
                        max_bytes=max_bytes,
                        allow_private=self.allow_private,
                        connect_timeout=self.connect_timeout,
                        read_timeout=self.read_timeout,
                        headers=headers,
                        accept=accept,
                        accept_header=accept_header,
                        user_agent=self.user_agent,
                        follow_redirects=False,
                    )
                except FetchError as error:
                    if error.kind != "http" or error.status not in (429, 503):
                        raise
                    if attempt >= self.max_retries:
                        raise
                    wait = error.retry_after
                    if wait is None:
                        wait = self.backoff * 2**attempt
                    if wait > self.max_wait:
                        raise FetchError(
                            f"{host} answered HTTP {error.status} and asked to wait {wait:,.0f} s, "
                            f"longer than the {self.max_wait:g} s the collector waits; retried on "
                            "the next run.",
                            kind="http",
                            status=error.status,
                            retry_after=wait,
                        ) from None
                    self.gate.defer(host, wait)
                    attempt += 1
