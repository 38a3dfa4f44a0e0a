"""The URL fetcher against a real HTTP server on loopback."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from analysis.errors import ArticleError
from analysis.sources.fetch import (
    fetch_article,
    fetch_url,
    may_fetch_address,
    normalise_url,
    refusal_for_address,
)

ARTICLE_HTML = (
    b"<html><head><title>Talks Resume</title></head><body><article><h1>Talks Resume</h1>"
    b"<p>Negotiators returned to Cairo on Thursday for a new round of talks on a ceasefire, "
    b"officials said, after a week in which the fighting intensified again.</p>"
    b"<p>The mediators hope to agree a framework before the end of the month, according to "
    b"two diplomats briefed on the discussions.</p></article></body></html>"
)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):  # noqa: N802 (http.server API)
        routes = {
            "/article": (200, "text/html; charset=utf-8", ARTICLE_HTML),
            "/image": (200, "image/png", b"\x89PNG\r\n"),
            "/big": (200, "text/html", b"<p>" + b"x" * 200_000 + b"</p>"),
            "/missing": (404, "text/html", b"no"),
            "/front": (
                200,
                "text/html",
                b"<html><body><nav><a href='/a'>Home</a> "
                b"<a href='/b'>World</a></nav></body></html>",
            ),
            "/json": (200, "application/json", b"{}"),
        }
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.end_headers()
            return
        if self.path == "/to-metadata":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
            return
        if self.path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<p>start")
            self.wfile.flush()
            time.sleep(3)
            self.wfile.write(b"</p>")
            return
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        status, kind, body = routes.get(self.path, (404, "text/plain", b""))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if self.path != "/big":  # no Content-Length: the cap must stop the read itself
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_refuses_loopback_by_default(server):
    with pytest.raises(ArticleError, match="loopback address"):
        fetch_url(server + "/article", allow_private=False)


def test_fetch_article_when_private_allowed(server):
    article = fetch_article(server + "/article", allow_private=True)
    assert article.title == "Talks Resume"
    assert article.paragraphs[0].startswith("Negotiators returned to Cairo")
    assert article.source == server + "/article"


def test_fetch_follows_redirect(server):
    assert fetch_url(server + "/redirect", allow_private=True).url == server + "/article"


def test_fetch_limits_redirects(server):
    with pytest.raises(ArticleError, match="Too many redirects"):
        fetch_url(server + "/loop", allow_private=True)


def test_fetch_refuses_non_html(server):
    with pytest.raises(ArticleError, match="is image/png, not a web page or text"):
        fetch_url(server + "/image", allow_private=True)


def test_fetch_stops_reading_past_cap(server):
    with pytest.raises(ArticleError, match="larger than the 50,000-byte limit"):
        fetch_url(server + "/big", allow_private=True, max_bytes=50_000)


def test_fetch_http_error(server):
    with pytest.raises(ArticleError, match="answered HTTP 404"):
        fetch_url(server + "/missing", allow_private=True)


@pytest.mark.parametrize(
    "url", ["ftp://example.com/a", "javascript:alert(1)", "file:///etc/passwd", "/etc/passwd"]
)
def test_fetch_refuses_other_schemes(url):
    with pytest.raises(ArticleError, match="Only http:// and https://"):
        fetch_url(url)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "a loopback address (this server itself)"),
        ("10.1.2.3", "a private-network address"),
        ("169.254.169.254", "a link-local address (such as a cloud metadata service)"),
        ("::ffff:127.0.0.1", "a loopback address (this server itself)"),
        ("::1", "a loopback address (this server itself)"),
        ("0.0.0.0", "an unspecified address"),
        ("224.0.0.1", "a multicast address"),
        ("8.8.8.8", None),
    ],
)
def test_refusal_for_address(address, reason):
    assert refusal_for_address(address) == reason


@pytest.mark.parametrize("host", ["2130706433", "0x7f000001", "127.1", "[::ffff:7f00:1]"])
def test_fetch_refuses_other_spellings_of_loopback(host):
    with pytest.raises(ArticleError, match="loopback"):
        fetch_url(f"http://{host}/", allow_private=False)


def test_fetch_rechecks_redirect_target(server):
    with pytest.raises(ArticleError, match="link-local address"):
        fetch_url(server + "/to-metadata", allow_private=True)


def test_fetch_slow_response_times_out(server):
    with pytest.raises(ArticleError, match="stopped sending within 1 s"):
        fetch_url(server + "/slow", allow_private=True, read_timeout=1)


def test_fetch_refuses_json(server):
    with pytest.raises(ArticleError, match="is application/json, not a web page or text"):
        fetch_url(server + "/json", allow_private=True)


def test_fetch_article_non_article_page(server):
    with pytest.raises(ArticleError, match="No article text was found in this web page"):
        fetch_article(server + "/front", allow_private=True)


def test_fetch_private_allowed_when_asked(server):
    assert fetch_url(server + "/article", allow_private=True).body == ARTICLE_HTML


def test_fetch_unresolvable_host():
    with pytest.raises(ArticleError) as caught:
        fetch_url("http://no-such-host.invalid/")
    assert str(caught.value) == (
        "No web site was found at “no-such-host.invalid”. Check the spelling of the address."
    )


def test_fetch_connection_refused_reads_as_a_sentence():
    import socket

    with socket.socket() as probe:  # a loopback port with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ArticleError) as caught:
        fetch_url(f"http://127.0.0.1:{port}/", allow_private=True)
    assert (
        str(caught.value) == f"127.0.0.1 refused the connection (nothing answers on port {port})."
    )
    assert "Errno" not in str(caught.value)


@pytest.mark.parametrize(
    ("typed", "url"),
    [
        ("example.com/story", "https://example.com/story"),
        ("  news.example.co.uk:8080/a?b=1 ", "https://news.example.co.uk:8080/a?b=1"),
        ("http://example.com/a", "http://example.com/a"),
        ("ftp://example.com/a", "ftp://example.com/a"),
        ("/etc/passwd", "/etc/passwd"),
        ("not a url", "not a url"),
        ("javascript:alert(1)", "javascript:alert(1)"),
    ],
)
def test_normalise_url(typed, url):
    assert normalise_url(typed) == url


def test_fetch_decisions_do_not_depend_on_message_wording(server, monkeypatch):
    import analysis.sources.fetch as fetch

    reworded = {kind: f"kind {number}" for number, kind in enumerate(fetch.ADDRESS_DESCRIPTIONS)}
    monkeypatch.setattr(fetch, "ADDRESS_DESCRIPTIONS", reworded)
    assert fetch_url(server + "/article", allow_private=True).body == ARTICLE_HTML
    with pytest.raises(ArticleError, match="it points to kind 2"):
        fetch_url(server + "/to-metadata", allow_private=True)
    with pytest.raises(ArticleError, match="it points to kind 1"):
        fetch_url(server + "/article", allow_private=False)


@pytest.mark.parametrize(
    ("address", "private_allowed", "allowed"),
    [
        ("8.8.8.8", False, True),
        ("127.0.0.1", False, False),
        ("127.0.0.1", True, True),
        ("192.168.1.5", True, True),
        ("169.254.169.254", True, False),
        ("0.0.0.0", True, False),
        ("224.0.0.1", True, False),
    ],
)
def test_may_fetch_address(address, private_allowed, allowed):
    assert may_fetch_address(address, allow_private=private_allowed) is allowed


def test_fetch_refuses_credentials_in_url():
    with pytest.raises(ArticleError, match="user name or password"):
        fetch_url("http://user:pw@example.com/")
