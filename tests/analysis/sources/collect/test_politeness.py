"""Politeness: the host gate (on a fake clock) and the polite fetcher against a loopback site.

Times are only ever checked from below (a wait at least as long as asked), which no slowness
of the machine can break.
"""

import threading

import pytest

from analysis.sources.collect.politeness import (
    Disallowed,
    HostGate,
    PoliteFetcher,
    default_user_agent,
)
from analysis.sources.fetch import FetchError
from tests.analysis.sources.collect.site import TEXT, Answer, Site, article, paragraphs

PAGE = Answer(200, article("A story", paragraphs("story")))
HTML = ("text/html",)


class FakeTime:
    """A clock that moves only when waited on, and the stop event that waits."""

    def __init__(self) -> None:
        self.now = 100.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    def wait(self, seconds: float) -> bool:
        self.waits.append(round(seconds, 6))
        self.now += seconds
        return False

    def is_set(self) -> bool:
        return False


def gate(delay: float) -> tuple[HostGate, FakeTime]:
    fake = FakeTime()
    return HostGate(delay=delay, stop=fake, clock=fake.clock), fake


def test_gate_waits_the_delay_between_two_requests_to_a_host():
    g, fake = gate(1.5)
    with g.turn("a.example"):
        fake.now += 0.25  # the request takes a quarter of a second
    with g.turn("a.example"):
        pass
    assert fake.waits == [1.5]


def test_gate_does_not_wait_between_hosts():
    g, fake = gate(1.5)
    with g.turn("a.example"):
        pass
    with g.turn("b.example"):
        pass
    assert fake.waits == []


def test_gate_defer_holds_the_host():
    g, fake = gate(1.0)
    g.defer("a.example", 30)
    with g.turn("a.example"):
        pass
    assert fake.waits == [30]


def test_gate_slow_down_for_a_crawl_delay():
    g, fake = gate(1.0)
    g.slow_down("a.example", 4)
    with g.turn("a.example"):
        pass
    with g.turn("a.example"):
        pass
    assert (g.delay_of("a.example"), g.delay_of("b.example"), fake.waits) == (4, 1.0, [4])


def test_default_user_agent_names_newslens_and_its_version():
    from importlib.metadata import version

    assert default_user_agent() == (
        f"NewsLens/{version('newslens')} (+news collector; obeys robots.txt)"
    )


@pytest.fixture
def site():
    with Site("127.0.0.1", "127.0.0.2") as site:
        yield site


def polite(**options) -> PoliteFetcher:
    return PoliteFetcher(allow_private=True, delay=0, read_timeout=2, **options)


def get(fetcher: PoliteFetcher, url: str):
    return fetcher.get(url, accept=HTML, accept_header="text/html", max_bytes=1_000_000)


def test_fetcher_sends_its_user_agent(site):
    host = site.host("127.0.0.1")
    host.routes["/a"] = PAGE
    get(polite(user_agent="NewsLens/9.9 (test)"), host.base + "/a")
    assert {r.headers["user-agent"] for r in site.requests()} == {"NewsLens/9.9 (test)"}


def test_fetcher_refuses_loopback_unless_allowed(site):
    host = site.host("127.0.0.1")
    host.routes["/a"] = PAGE
    with pytest.raises(Disallowed, match="loopback address") as caught:
        get(PoliteFetcher(delay=0), host.base + "/a")
    assert (caught.value.kind, site.requests()) == ("refused", [])


def test_robots_txt_disallows_a_path(site):
    host = site.host("127.0.0.1")
    host.routes["/robots.txt"] = Answer(200, b"User-agent: *\nDisallow: /private/\n", TEXT)
    host.routes["/private/a"] = PAGE
    with pytest.raises(Disallowed, match="^disallowed by robots.txt$") as caught:
        get(polite(), host.base + "/private/a")
    assert (caught.value.kind, [r.path for r in site.requests()]) == ("rule", ["/robots.txt"])


def test_robots_txt_rules_for_newslens(site):
    host = site.host("127.0.0.1")
    host.routes["/robots.txt"] = Answer(
        200, b"User-agent: NewsLens\nDisallow: /\n\nUser-agent: *\nAllow: /\n", TEXT
    )
    host.routes["/a"] = PAGE
    with pytest.raises(Disallowed):
        get(polite(), host.base + "/a")


def test_robots_txt_missing_allows_everything(site):
    host = site.host("127.0.0.1")
    host.routes["/a"] = PAGE
    assert get(polite(), host.base + "/a").status == 200


def test_robots_txt_unreadable_disallows_the_site(site):
    host = site.host("127.0.0.1")
    host.routes["/robots.txt"] = Answer(500, b"oops", TEXT)
    host.routes["/a"] = PAGE
    with pytest.raises(Disallowed, match="robots.txt of .* could not be read") as caught:
        get(polite(max_retries=0), host.base + "/a")
    assert caught.value.kind == "unreadable"


def test_robots_txt_read_once_per_site(site):
    host = site.host("127.0.0.1")
    host.routes.update({"/a": PAGE, "/b": PAGE})
    fetcher = polite()
    get(fetcher, host.base + "/a")
    get(fetcher, host.base + "/b")
    assert [r.path for r in site.requests()] == ["/robots.txt", "/a", "/b"]


def test_robots_txt_crawl_delay_slows_the_host(site):
    host = site.host("127.0.0.1")
    host.routes["/robots.txt"] = Answer(200, b"User-agent: *\nCrawl-delay: 7\n", TEXT)
    host.routes["/a"] = PAGE
    fetcher = polite()
    fetcher.robots(host.base + "/a")
    assert fetcher.gate.delay_of("127.0.0.1") == 7


def test_429_waited_out_for_retry_after_then_retried(site):
    host = site.host("127.0.0.1")
    answers = iter([Answer(429, b"", (("Retry-After", "1"),)), PAGE])
    host.routes["/busy"] = lambda request: next(answers)
    response = get(polite(), host.base + "/busy")
    first, second = site.requests(path="/busy")
    assert (response.status, second.start - first.start >= 1.0) == (200, True)


def test_503_without_retry_after_backs_off_then_gives_up(site):
    host = site.host("127.0.0.1")
    host.routes["/down"] = Answer(503, b"", TEXT)
    with pytest.raises(FetchError) as caught:
        get(polite(max_retries=2, backoff=0.2), host.base + "/down")
    tries = site.requests(path="/down")
    gaps = [b.start - a.start for a, b in zip(tries, tries[1:], strict=False)]
    assert (caught.value.status, len(tries), gaps[0] >= 0.2, gaps[1] >= 0.4) == (
        503,
        3,
        True,
        True,
    )


def test_retry_after_longer_than_the_wait_allowed_fails_at_once(site):
    host = site.host("127.0.0.1")
    host.routes["/later"] = Answer(429, b"", (("Retry-After", "3600"),))
    with pytest.raises(FetchError, match="asked to wait 3,600 s, longer than the 60 s") as caught:
        get(polite(max_wait=60), host.base + "/later")
    assert (caught.value.retry_after, len(site.requests(path="/later"))) == (3600, 1)


def test_redirect_followed_hop_by_hop_under_robots(site):
    host = site.host("127.0.0.1")
    host.routes["/robots.txt"] = Answer(200, b"User-agent: *\nDisallow: /private/\n", TEXT)
    host.routes["/go"] = Answer(302, b"", (("Location", "/private/a"),))
    host.routes["/private/a"] = PAGE
    with pytest.raises(Disallowed):
        get(polite(), host.base + "/go")
    assert [r.path for r in site.requests()] == ["/robots.txt", "/go"]


def test_redirect_to_another_host(site):
    a, b = site.host("127.0.0.1"), site.host("127.0.0.2")
    a.routes["/moved"] = Answer(301, b"", (("Location", b.base + "/here"),))
    b.routes["/here"] = PAGE
    response = get(polite(), a.base + "/moved")
    assert (response.url, [r.host for r in site.requests() if r.path != "/robots.txt"]) == (
        b.base + "/here",
        ["127.0.0.1", "127.0.0.2"],
    )


def test_redirect_loop_named(site):
    host = site.host("127.0.0.1")
    host.routes["/a"] = Answer(302, b"", (("Location", "/b"),))
    host.routes["/b"] = Answer(302, b"", (("Location", "/a"),))
    with pytest.raises(FetchError, match="a redirect loop") as caught:
        get(polite(), host.base + "/a")
    assert caught.value.kind == "redirect_loop"


def test_one_request_at_a_time_per_host_with_the_delay_between(site):
    host = site.host("127.0.0.1")
    slow = PAGE._replace(delay=0.2)
    host.routes.update({"/1": slow, "/2": slow, "/3": slow})
    fetcher = PoliteFetcher(allow_private=True, delay=0.3)
    fetcher.robots(host.base + "/")
    threads = [threading.Thread(target=get, args=(fetcher, f"{host.base}/{n}")) for n in (1, 2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    pages = sorted((r for r in site.requests() if r.path != "/robots.txt"), key=lambda r: r.start)
    # Start to start, as the server saw them: each answer takes at least 0.2 s (the server
    # stalls), and the next request waits for it and then 0.3 s more.
    gaps = [b.start - a.start for a, b in zip(pages, pages[1:], strict=False)]
    assert (len(pages), all(gap >= 0.5 for gap in gaps)) == (3, True)


def test_hosts_are_fetched_at_the_same_time(site):
    a, b = site.host("127.0.0.1"), site.host("127.0.0.2")
    b_arrived = threading.Event()
    seen: list[bool] = []

    def wait_for_b(request):
        seen.append(b_arrived.wait(timeout=10))
        return PAGE

    def mark_b(request):
        b_arrived.set()
        return PAGE

    a.routes["/a"] = wait_for_b
    b.routes["/b"] = mark_b
    fetcher = polite()
    threads = [
        threading.Thread(target=get, args=(fetcher, a.base + "/a")),
        threading.Thread(target=get, args=(fetcher, b.base + "/b")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [True]


def test_redirects_beyond_the_limit(site):
    host = site.host("127.0.0.1")
    host.routes["/r1"] = Answer(302, b"", (("Location", "/r2"),))
    host.routes["/r2"] = Answer(302, b"", (("Location", "/r3"),))
    host.routes["/r3"] = PAGE
    with pytest.raises(FetchError, match=r"^Too many redirects \(more than 1\)\.$") as caught:
        get(polite(max_redirects=1), host.base + "/r1")
    assert caught.value.kind == "redirects"
