import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import ArticleError
from analysis.sources.collect.pages import read_page
from tests.analysis.sources.collect.site import article, json_ld, paragraphs

URL = "https://gazette.example/news/2024/03/05/talks"
BODY = paragraphs("talks", 3)


def test_read_page_text_is_the_headline_and_body():
    page = read_page(article("Talks resume", BODY), url=URL)
    assert (page.title, page.paragraphs, page.text) == (
        "Talks resume",
        tuple(BODY),
        ("Talks resume", *BODY),
    )


@pytest.mark.parametrize(
    ("head", "day"),
    [
        (json_ld("2024-03-04"), "2024-03-04"),
        (
            '<meta property="article:published_time" content="2024-03-03T08:00:00+02:00">',
            "2024-03-03",
        ),
        ("", None),
    ],
)
def test_read_page_date_from_metadata_only(head, day):
    assert read_page(article("Talks resume", BODY, head=head), url=URL).date == day


def test_read_page_date_from_a_time_element():
    html = article("Talks resume", BODY).replace(
        b"<h1>", b'<time datetime="2024-03-02">2 March</time><h1>'
    )
    assert read_page(html, url=URL).date == "2024-03-02"


def test_read_page_ignores_a_date_in_the_text_and_the_url():
    body = ["Published on 5 January 2019. " + BODY[0], *BODY[1:]]
    assert read_page(article("Talks resume", body), url=URL).date is None


def test_read_page_canonical_on_its_own_site():
    html = article("T", BODY, canonical="/news/talks?utm_source=home#top")
    assert read_page(html, url=URL).canonical == "https://gazette.example/news/talks"


def test_read_page_canonical_on_another_site_is_ignored():
    html = article("T", BODY, canonical="https://original.example/talks")
    assert read_page(html, url=URL).canonical is None


def test_read_page_not_an_article():
    front = b"<html><body><nav><a href='/a'>World</a> <a href='/b'>Sport</a></nav></body></html>"
    with pytest.raises(ArticleError, match="No article text was found in this web page"):
        read_page(front, url=URL)


def test_read_page_prefers_the_metadata_date_to_the_canonical_urls_date():
    html = article("T", BODY, head=json_ld("2024-03-04"), canonical="/news/2024/03/05/talks")
    page = read_page(html, url=URL)
    assert (page.date, page.canonical) == (
        "2024-03-04",
        "https://gazette.example/news/2024/03/05/talks",
    )


@given(
    st.binary(max_size=600)
    | st.text(max_size=600).map(lambda t: f"<html><body><p>{t}</p></body></html>".encode())
)
@settings(max_examples=150, deadline=None)
def test_read_page_raises_only_the_project_error_on_hostile_bytes(body):
    try:
        page = read_page(body, url=URL)
    except ArticleError:
        return
    assert isinstance(page.paragraphs, tuple)
