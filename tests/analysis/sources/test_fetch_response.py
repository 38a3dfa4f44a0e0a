"""fetch_response: the fetcher's answer with its status and headers, for the collector."""

from datetime import UTC, datetime

import pytest

from analysis.errors import ArticleError
from analysis.sources.fetch import FetchError, fetch_response, fetch_url, retry_after_seconds
from tests.analysis.sources.collect.site import XML, Answer, Site, conditional, modified_since


@pytest.fixture
def site():
    with Site("127.0.0.1") as site:
        yield site


@pytest.fixture
def host(site):
    return site.host("127.0.0.1")


def test_conditional_request_answered_304(host, site):
    host.routes["/feed"] = conditional(b"<rss/>", etag='"v1"')
    response = fetch_response(
        host.base + "/feed", allow_private=True, accept=None, headers={"If-None-Match": '"v1"'}
    )
    assert (response.status, response.body, site.requests()[0].headers["if-none-match"]) == (
        304,
        b"",
        '"v1"',
    )


def test_response_headers_in_lower_case(host):
    host.routes["/feed"] = modified_since(b"<rss/>", last_modified="Tue, 05 Mar 2024 10:00:00 GMT")
    response = fetch_response(host.base + "/feed", allow_private=True, accept=None)
    assert (response.status, response.content_type, response.headers["last-modified"]) == (
        200,
        "application/xml",
        "Tue, 05 Mar 2024 10:00:00 GMT",
    )


def test_accept_none_takes_any_type_and_a_list_refuses_others(host):
    host.routes["/feed"] = Answer(200, b"<rss/>", XML)
    assert fetch_response(host.base + "/feed", allow_private=True, accept=None).body == b"<rss/>"
    with pytest.raises(FetchError, match="is application/xml, not one of the types") as caught:
        fetch_response(host.base + "/feed", allow_private=True, accept=("text/html",))
    assert caught.value.kind == "content_type"


def test_user_agent_and_headers_sent_but_host_kept(host, site):
    host.routes["/a"] = Answer(200, b"<p>x</p>")
    fetch_response(
        host.base + "/a",
        allow_private=True,
        user_agent="NewsLens/1.2 (test)",
        headers={"Host": "evil.example", "If-Modified-Since": "Tue, 05 Mar 2024 10:00:00 GMT"},
    )
    sent = site.requests()[0].headers
    assert (sent["user-agent"], sent["host"], sent["if-modified-since"]) == (
        "NewsLens/1.2 (test)",
        host.base.removeprefix("http://"),
        "Tue, 05 Mar 2024 10:00:00 GMT",
    )


def test_http_error_kind_status_and_retry_after(host):
    host.routes["/busy"] = Answer(429, b"", (("Retry-After", "120"),))
    with pytest.raises(FetchError, match="answered HTTP 429") as caught:
        fetch_response(host.base + "/busy", allow_private=True)
    assert (caught.value.kind, caught.value.status, caught.value.retry_after) == ("http", 429, 120)


def test_redirect_returned_when_not_followed(host):
    host.routes["/old"] = Answer(301, b"", (("Location", "/new"),))
    response = fetch_response(host.base + "/old", allow_private=True, follow_redirects=False)
    assert (response.status, response.headers["location"]) == (301, host.base + "/new")


def test_redirect_loop_kind(host):
    host.routes["/a"] = Answer(302, b"", (("Location", "/b"),))
    host.routes["/b"] = Answer(302, b"", (("Location", "/a"),))
    with pytest.raises(
        FetchError, match=r"^Too many redirects: .* \(a redirect loop\)\.$"
    ) as caught:
        fetch_response(host.base + "/a", allow_private=True)
    assert caught.value.kind == "redirect_loop"


def test_too_big_kind(host):
    host.routes["/huge"] = Answer(200, b"<p>" + b"x" * 100_000 + b"</p>", chunked=True)
    with pytest.raises(FetchError, match="larger than the 10,000-byte limit") as caught:
        fetch_response(host.base + "/huge", allow_private=True, max_bytes=10_000)
    assert caught.value.kind == "too_big"


def test_timeout_kind(host):
    host.routes["/slow"] = Answer(200, b"<p>" + b"x" * 100 + b"</p>", delay=2)
    with pytest.raises(FetchError, match="stopped sending within 0.5 s") as caught:
        fetch_response(host.base + "/slow", allow_private=True, read_timeout=0.5)
    assert caught.value.kind == "timeout"


def test_refused_kind_for_loopback_by_default(host):
    with pytest.raises(FetchError, match="loopback") as caught:
        fetch_response(host.base + "/a")
    assert caught.value.kind == "refused"


def test_fetch_url_refuses_a_304_it_never_asked_for(host):
    host.routes["/odd"] = Answer(304, b"", ())
    with pytest.raises(ArticleError, match=r"answered HTTP 304 \(Not Modified\)"):
        fetch_url(host.base + "/odd", allow_private=True)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        ("Thu, 01 Jan 2026 00:02:00 GMT", 120.0),
        ("Wed, 31 Dec 2025 23:00:00 GMT", 0.0),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_seconds(value, seconds):
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert retry_after_seconds(value, now=now) == seconds
