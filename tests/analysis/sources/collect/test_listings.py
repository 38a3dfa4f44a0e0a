import gzip

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.sources.collect.listings import (
    ListedItem,
    feed_links,
    inflate,
    iso_date,
    parse_feed,
    parse_json_feed,
    parse_sitemap,
    read_url_file,
    sniff,
)
from tests.analysis.sources.collect.site import atom, rss, sitemap_index, urlset

BASE = "https://gazette.example/feed.xml"


def test_parse_feed_rss_items_newest_first_with_their_dates():
    body = rss(
        [
            ("https://gazette.example/a?utm_source=rss", "Tue, 05 Mar 2024 10:00:00 -0500"),
            ("/b", "Wed, 06 Mar 2024 09:00:00 GMT"),
        ]
    )
    assert parse_feed(body, url=BASE, max_items=10).items == (
        ListedItem("https://gazette.example/b", "2024-03-06T09:00:00+00:00", "feed"),
        ListedItem("https://gazette.example/a", "2024-03-05T10:00:00-05:00", "feed"),
    )


def test_parse_feed_atom():
    body = atom([("https://beta.example/x", "2024-03-02T08:30:00+01:00")])
    assert parse_feed(body, url=BASE, max_items=10).items == (
        ListedItem("https://beta.example/x", "2024-03-02T08:30:00+01:00", "feed"),
    )


def test_parse_feed_keeps_the_newest_up_to_the_limit():
    items = [
        (f"https://gazette.example/{d}", f"Tue, {d:02d} Mar 2024 10:00:00 GMT") for d in (1, 3, 2)
    ]
    listed = parse_feed(rss(items), url=BASE, max_items=2)
    assert ([i.url for i in listed.items], listed.left_out, listed.problem) == (
        ["https://gazette.example/3", "https://gazette.example/2"],
        1,
        None,
    )


def test_parse_feed_malformed_xml_read_as_far_as_it_goes():
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>A</title><link>https://gazette.example/a</link></item>\n"
        b"<item><title>broken <b>tag</title><link>https://gazette.example/b</link></item>\n"
        b"<item><title>C</title><link>https://gazette.example/c</link>"
    )
    listed = parse_feed(body, url=BASE, max_items=10)
    assert (sorted(i.url for i in listed.items), listed.problem) == (
        ["https://gazette.example/a", "https://gazette.example/b", "https://gazette.example/c"],
        "malformed XML at line 2 (<unknown>:2:28: mismatched tag); 3 item(s) read as far as "
        "the feed could be parsed",
    )


def test_parse_feed_counts_items_without_a_link():
    body = b'<rss version="2.0"><channel><item><title>No link</title></item></channel></rss>'
    assert parse_feed(body, url=BASE, max_items=10).problem == "1 item(s) without a link"


def test_parse_feed_never_reads_external_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<rss version="2.0"><channel><item><title>&x;</title>'
        "<link>https://gazette.example/&x;</link></item></channel></rss>"
    ).encode()
    items = parse_feed(body, url=BASE, max_items=10).items
    assert "TOPSECRET" not in repr(items)


def test_parse_json_feed():
    body = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": ['
        b'{"id": "1", "url": "https://gazette.example/j1", "date_published": "2024-03-03T10:00:00Z"},'
        b'{"id": "2", "external_url": "https://other.example/j2"},'
        b'{"id": "3"}]}'
    )
    listed = parse_json_feed(body, url=BASE, max_items=10)
    assert (listed.items, listed.problem) == (
        (
            ListedItem("https://gazette.example/j1", "2024-03-03T10:00:00+00:00", "feed"),
            ListedItem("https://other.example/j2", None, "feed"),
        ),
        "1 item(s) without a link",
    )


def test_parse_json_feed_not_json():
    assert parse_json_feed(b'{"version": ', url=BASE, max_items=5).problem == (
        "not valid JSON (Expecting value); nothing read"
    )


def test_parse_sitemap_google_news_dates_before_lastmod():
    body = urlset(
        [
            ("https://gazette.example/n1", "2024-03-05T10:00:00+01:00"),
            ("https://gazette.example/n2", None),
        ],
        news=True,
    )
    assert parse_sitemap(body, url=BASE, max_items=10).items == (
        ListedItem("https://gazette.example/n1", "2024-03-05T10:00:00+01:00", "sitemap"),
        ListedItem("https://gazette.example/n2", None, "sitemap"),
    )


def test_parse_sitemap_lastmod():
    body = urlset(
        [
            ("https://gazette.example/old", "2023-01-01"),
            ("https://gazette.example/new", "2024-01-01"),
        ]
    )
    assert [i.url for i in parse_sitemap(body, url=BASE, max_items=10).items] == [
        "https://gazette.example/new",
        "https://gazette.example/old",
    ]


def test_parse_sitemap_index_children_newest_first():
    body = sitemap_index([("/s1.xml", "2024-01-01"), ("/s2.xml", "2024-02-01"), ("/s3.xml", None)])
    listed = parse_sitemap(body, url="https://gazette.example/index.xml", max_items=10)
    assert (listed.kind, listed.children) == (
        "sitemap_index",
        (
            ("https://gazette.example/s2.xml", "2024-02-01"),
            ("https://gazette.example/s1.xml", "2024-01-01"),
            ("https://gazette.example/s3.xml", None),
        ),
    )


def test_parse_sitemap_malformed_xml_read_as_far_as_it_goes():
    body = (
        b'<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        b"<url><loc>https://gazette.example/1</loc></url>\n"
        b"<url><loc>https://gazette.example/2</loc><oops></url>\n"
        b"<url><loc>https://gazette.example/3</loc>"
    )
    listed = parse_sitemap(body, url=BASE, max_items=10)
    assert (len(listed.items), listed.problem.split(";")[0]) == (
        3,
        "malformed XML at line 4 (Opening and ending tag mismatch: oops line 4 and url)",
    )


def test_parse_sitemap_not_xml_at_all():
    assert parse_sitemap(b"\x00\x01garbage", url=BASE, max_items=10).problem.endswith(
        "nothing read"
    )


def test_inflate_gzip_sitemap():
    body = urlset([("https://gazette.example/z", None)])
    assert inflate(gzip.compress(body), max_bytes=10_000) == (body, None)


def test_inflate_stops_at_the_limit():
    data, problem = inflate(gzip.compress(b"x" * 100_000), max_bytes=1000)
    assert (len(data), problem) == (1000, "larger than 1,000 bytes once inflated; read in part")


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (rss([]), "feed"),
        (atom([]), "feed"),
        (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x"></rdf:RDF>', "feed"),
        (urlset([]), "sitemap"),
        (sitemap_index([]), "sitemap_index"),
        (b"<!DOCTYPE html><html><body>hi</body></html>", "html"),
        (b'{"version": "https://jsonfeed.org/version/1", "items": []}', "json_feed"),
        (b'{"hello": 1}', "unknown"),
        (b"plain words", "unknown"),
    ],
)
def test_sniff(body, kind):
    assert sniff(body) == kind


def test_feed_links_of_a_home_page():
    html = (
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml">'
        b'<link rel="alternate" type="application/feed+json" href="/feed.json">'
        b'<link rel="alternate" type="application/rss+xml" href="/comments/feed">'
        b"</head><body><p>Home</p></body></html>"
    )
    assert feed_links(html, url="https://gazette.example/") == (
        "https://gazette.example/feed.xml",
        "https://gazette.example/feed.json",
    )


def test_read_url_file_lines(tmp_path):
    path = tmp_path / "urls.txt"
    path.write_text(
        "# wire stories\nhttps://a.example/1?utm_source=x\n\nnot a url\nhttps://a.example/1\n"
    )
    listed = read_url_file(path, max_bytes=10_000)
    assert (listed.items, listed.problem) == (
        (ListedItem("https://a.example/1", None, "list"),),
        "1 line(s) that are not http(s) addresses",
    )


def test_read_url_file_media_cloud_csv(tmp_path):
    path = tmp_path / "stories.csv"
    path.write_text(
        "stories_id,publish_date,title,url,language\n"
        '1,2024-03-01 12:00:00,"A, story",https://a.example/1,en\n'
    )
    assert read_url_file(path, max_bytes=10_000).items == (
        ListedItem("https://a.example/1", "2024-03-01T12:00:00", "list"),
    )


def test_read_url_file_gdelt_csv(tmp_path):
    path = tmp_path / "gdelt.csv"
    path.write_text("URL,MobileURL,Date,Title\nhttps://b.example/2,,20240301T120000Z,B\n")
    assert read_url_file(path, max_bytes=10_000).items == (
        ListedItem("https://b.example/2", "2024-03-01T12:00:00+00:00", "list"),
    )


def test_read_url_file_csv_without_url_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,title\n1,x\n")
    with pytest.raises(
        ValueError, match=r"^the CSV file has no url column \(columns: id, title\)$"
    ):
        read_url_file(path, max_bytes=10_000)


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2024-03-05", "2024-03-05"),
        ("2024-03-05T10:00:00Z", "2024-03-05T10:00:00+00:00"),
        ("Tue, 05 Mar 2024 10:00:00 -0500", "2024-03-05T10:00:00-05:00"),
        ("20240305T100000Z", "2024-03-05T10:00:00+00:00"),
        ("yesterday", None),
        ("", None),
    ],
)
def test_iso_date(written, iso):
    assert iso_date(written) == iso


XMLISH = st.one_of(
    st.binary(max_size=400),
    st.lists(
        st.sampled_from(
            [
                b"<rss>",
                b"<channel>",
                b"<item>",
                b"<link>",
                b"</link>",
                b"</item>",
                b"<urlset>",
                b"<url>",
                b"<loc>",
                b"</loc>",
                b"<sitemapindex>",
                b"<sitemap>",
                b"https://a.example/x",
                b"&amp;",
                b"&x;",
                b"<![CDATA[",
                b"]]>",
                b"<?xml version='1.0'?>",
                b"\x00",
                b"{",
                b"}",
                b'"items": [',
                b'"url": ',
                b"jsonfeed.org",
                b"\xff\xfe",
            ]
        ),
        max_size=40,
    ).map(b"".join),
)


@given(XMLISH)
@settings(max_examples=200, deadline=None)
def test_listing_readers_never_raise_on_hostile_bytes(body):
    kinds = {
        parse_feed(body, url=BASE, max_items=5).kind,
        parse_sitemap(body, url=BASE, max_items=5).kind in ("sitemap", "sitemap_index"),
        parse_json_feed(body, url=BASE, max_items=5).kind,
        sniff(body) in ("feed", "json_feed", "sitemap", "sitemap_index", "html", "unknown"),
    }
    assert kinds == {"feed", True, "json_feed"}
