from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.sources.collect.urls import (
    host_of,
    is_root,
    normalise_url,
    origin_of,
    same_site,
    url_day,
)


@pytest.mark.parametrize(
    ("listed", "expected"),
    [
        ("HTTPS://Example.COM/World/Story", "https://example.com/World/Story"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com/a?utm_source=rss&utm_medium=feed", "https://example.com/a"),
        ("https://example.com/a?id=7&fbclid=XY&gclid=Z", "https://example.com/a?id=7"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a/../b/./c", "https://example.com/b/c"),
        ("  https://example.com/a\n  b ", "https://example.com/ab"),
    ],
)
def test_normalise_url(listed, expected):
    assert normalise_url(listed) == expected


def test_normalise_url_resolves_a_relative_link():
    assert normalise_url("../b?utm_campaign=x", base="https://example.com/news/a/") == (
        "https://example.com/news/b"
    )


@pytest.mark.parametrize(
    "listed", ["ftp://example.com/a", "mailto:desk@example.com", "javascript:go()", "http://:80/a"]
)
def test_normalise_url_refuses_what_is_not_an_http_url(listed):
    assert normalise_url(listed) is None


def test_normalise_url_malformed_port():
    assert normalise_url("http://example.com:99999999/a") is None


@given(st.text(max_size=120))
@settings(max_examples=150, deadline=None)
def test_normalise_url_never_raises_and_is_stable(text):
    once = normalise_url(text, base="https://example.com/a/")
    assert once is None or normalise_url(once) == once


@given(
    st.from_regex(
        r"https?://[a-z]{1,8}\.(com|org)(/[a-z0-9._~-]{0,8}){0,3}(\?[a-z]{1,5}=[a-z0-9]{0,5})?",
        fullmatch=True,
    )
)
@settings(max_examples=150, deadline=None)
def test_normalise_url_of_a_plain_url_is_stable(url):
    once = normalise_url(url)
    assert once is not None and normalise_url(once) == once


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://example.com/2024/03/05/talks", "2024-03-05"),
        ("https://example.com/news/2024-03-05-talks-resume", "2024-03-05"),
        ("https://example.com/20240305/talks", "2024-03-05"),
        ("https://example.com/2024/03/talks", None),
        ("https://example.com/2024/02/30/talks", None),
        ("https://example.com/1980/01/02/old", None),
        ("https://example.com/2099/01/02/future", None),
        ("https://example.com/story?date=2024-03-05", None),
    ],
)
def test_url_day(url, day):
    assert url_day(url, today=date(2026, 1, 1)) == day


def test_host_and_origin():
    url = "HTTP://News.Example.com:8080/a"
    assert (host_of(url), origin_of(url)) == ("news.example.com", "http://news.example.com:8080")


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("https://www.example.com/a", "https://example.com/b", True),
        ("https://example.com/a", "https://news.example.com/a", False),
        ("https://example.com/a", "https://example.org/a", False),
    ],
)
def test_same_site(first, second, same):
    assert same_site(first, second) is same


@pytest.mark.parametrize(
    ("url", "root"),
    [
        ("https://example.com", True),
        ("https://example.com/", True),
        ("https://example.com/world", False),
        ("https://example.com/?p=1", False),
    ],
)
def test_is_root(url, root):
    assert is_root(url) is root
