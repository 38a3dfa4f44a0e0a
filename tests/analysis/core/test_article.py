import codecs

import pytest

from analysis.core.article import (
    Subheading,
    clean_title,
    decode_bytes,
    end_lists,
    is_caption,
    is_furniture,
    is_subheading,
    line_label,
    looks_like_html,
    parse_article,
    parse_byline,
    parse_dateline,
    pull_quotes,
    subheading_blocks,
)
from analysis.errors import ArticleError

CAPTION = "Lin Jian China Foreign Ministry Spokesperson - Photo: Chinese Government"


# --- the sample article --------------------------------------------------------------------


def test_parse_article_sample_title(sample_bytes):
    assert parse_article(sample_bytes).title == (
        "China Urges International Efforts to Cease Gaza Conflict"
    )


def test_parse_article_sample_author(sample_bytes):
    assert parse_article(sample_bytes).author == "Henrik Rothen"


def test_parse_article_sample_published(sample_bytes):
    assert parse_article(sample_bytes).published == "2024-03-21T10:57:00+01:00"


def test_parse_article_sample_has_eight_paragraphs(sample_bytes):
    article = parse_article(sample_bytes)
    assert len(article.paragraphs) == 8
    assert article.paragraphs[0] == (
        "China is applying international pressure to achieve a ceasefire in Gaza."
    )
    assert article.paragraphs[-1].endswith("two-state solution.")


def test_parse_article_sample_removed_lines_with_reasons(sample_bytes):
    removed = [(r.text, r.kind, r.reason, r.line) for r in parse_article(sample_bytes).removed]
    assert removed == [
        (CAPTION, "caption", "photo caption", 7),
        (CAPTION, "caption", "photo caption (printed again; first on line 7)", 8),
        (
            "Trending Now",
            "furniture",
            "page furniture (navigation or promotion, not article text)",
            11,
        ),
        (
            "Most Read",
            "furniture",
            "page furniture (navigation or promotion, not article text)",
            27,
        ),
    ]


def test_parse_article_sample_body_text_unaltered(sample_text, sample_bytes):
    article = parse_article(sample_bytes)
    for paragraph in article.paragraphs:
        assert paragraph in sample_text
    assert article.paragraphs[4].startswith("China’s diplomatic outreach")


def test_parse_article_str_and_bytes_agree(sample_text, sample_bytes):
    assert parse_article(sample_text) == parse_article(sample_bytes)


def test_article_segments_number_headline_zero(sample_bytes):
    segments = parse_article(sample_bytes).segments()
    assert [(s.index, s.kind) for s in segments[:3]] == [
        (0, "headline"),
        (1, "body"),
        (2, "body"),
    ]
    assert len(segments) == 9


def test_article_segments_include_removed(sample_bytes):
    segments = parse_article(sample_bytes).segments(include_removed=True)
    assert [(s.index, s.kind, s.text) for s in segments[9:]] == [
        (9, "removed", CAPTION),
        (10, "removed", CAPTION),
        (11, "removed", "Trending Now"),
        (12, "removed", "Most Read"),
    ]


# --- decoding ------------------------------------------------------------------------------


def test_decode_bytes_utf8_bom():
    assert decode_bytes(codecs.BOM_UTF8 + "Café".encode()) == ("Café", ())


def test_decode_bytes_utf16_bom():
    assert decode_bytes("Zoë’s story".encode("utf-16")) == ("Zoë’s story", ())


def test_decode_bytes_cp1252_fallback_warns():
    text, warnings = decode_bytes("It’s “quoted” café".encode("cp1252"))
    assert text == "It’s “quoted” café"
    assert len(warnings) == 1 and "Windows-1252" in warnings[0]


def test_decode_bytes_undefined_cp1252_byte_kept_as_latin1():
    text, _ = decode_bytes(b"abc \x81 def \xe9")
    assert text == "abc \x81 def é"


def test_parse_article_png_refused():
    with pytest.raises(ArticleError, match="PNG image"):
        parse_article(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def test_parse_article_zip_refused():
    with pytest.raises(ArticleError, match="ZIP archive"):
        parse_article(b"PK\x03\x04\x14\x00\x00\x00\x08\x00article.txt")


def test_parse_article_nul_byte_refused():
    with pytest.raises(ArticleError, match="binary data"):
        parse_article(b"Some text\x00 and more")


def test_parse_article_nul_in_str_refused():
    with pytest.raises(ArticleError, match="binary data"):
        parse_article("Some text\x00 and more")


def test_parse_article_mostly_control_characters_refused():
    with pytest.raises(ArticleError, match="control or unassigned characters"):
        parse_article("ab" + "\x01\x02\x03\x04" * 10)


def test_parse_article_lone_surrogate_refused():
    with pytest.raises(ArticleError, match="unpaired surrogate"):
        parse_article("Hello \ud800 world")


# --- user errors ---------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "   \n\t  \n", b"", b"  \r\n  "])
def test_parse_article_empty_refused(raw):
    with pytest.raises(ArticleError, match="The article is empty"):
        parse_article(raw)


def test_parse_article_only_furniture_refused():
    with pytest.raises(ArticleError, match="No article text is left after cleaning"):
        parse_article("Trending Now\n\nMost Read\n\nAdvertisement")


def test_parse_article_over_limit_names_limit():
    with pytest.raises(ArticleError) as caught:
        parse_article("word " * 30, max_chars=100)
    assert str(caught.value) == (
        "The article is too long: 150 characters, over the limit of 100 characters "
        "(set NEWSLENS_MAX_CHARS to change it)."
    )


def test_parse_article_limit_given():
    with pytest.raises(ArticleError, match="limit of 50 characters"):
        parse_article("x" * 51, max_chars=50)


def test_parse_article_default_limit_is_one_million():
    with pytest.raises(ArticleError, match="limit of 1,000,000 characters"):
        parse_article("a" * 1_000_001)


def test_parse_article_rejects_non_text_type():
    with pytest.raises(TypeError):
        parse_article(12)  # type: ignore[arg-type]


# --- structure -----------------------------------------------------------------------------


def test_parse_article_one_long_line_is_one_paragraph():
    text = "Officials met on Tuesday to discuss the budget " * 20
    article = parse_article(text)
    assert article.title is None
    assert article.paragraphs == (text.strip(),)


def test_parse_article_single_newlines_split_paragraphs_without_blank_lines():
    article = parse_article("Budget Talks Resume\nThe council met.\nIt agreed a plan.")
    assert article.title == "Budget Talks Resume"
    assert article.paragraphs == ("The council met.", "It agreed a plan.")


def test_parse_article_blank_lines_keep_wrapped_lines_together():
    article = parse_article("Budget Talks Resume\n\nThe council met\non Tuesday.\n\nIt agreed.")
    assert article.paragraphs == ("The council met\non Tuesday.", "It agreed.")


def test_parse_article_first_sentence_is_not_a_headline():
    article = parse_article("The council met on Tuesday.\n\nIt agreed a plan.")
    assert article.title is None
    assert len(article.paragraphs) == 2


def test_parse_article_headline_alone_becomes_body():
    article = parse_article("Budget Talks Resume\n\nAdvertisement")
    assert article.title is None
    assert article.paragraphs == ("Budget Talks Resume",)


def test_parse_article_repeated_paragraph_removed():
    article = parse_article("Title Here Now\n\nSame words.\n\nOther words.\n\nSame words.")
    assert article.paragraphs == ("Same words.", "Other words.")
    assert [(r.kind, r.reason) for r in article.removed] == [
        ("duplicate", "repeats line 3 verbatim")
    ]


def test_parse_article_headline_repeated_in_body_removed():
    article = parse_article("Budget Talks Resume\n\nBudget Talks Resume\n\nThe council met.")
    assert article.paragraphs == ("The council met.",)
    assert article.removed[0].reason == "repeats the headline verbatim"


def test_parse_article_separator_removed():
    article = parse_article("The council met.\n\n* * *\n\nIt agreed.")
    assert [(r.text, r.kind) for r in article.removed] == [("* * *", "separator")]


def test_parse_article_crlf_line_endings():
    article = parse_article("Budget Talks Resume\r\n\r\nBy Ann Lee\r\n\r\nThe council met.\r\n")
    assert (article.title, article.author, article.paragraphs) == (
        "Budget Talks Resume",
        "Ann Lee",
        ("The council met.",),
    )


# --- line classifiers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Written by Henrik Rothen", "Henrik Rothen"),
        ("By Jane Doe and John Roe", "Jane Doe and John Roe"),
        ("BY JANE DOE | Reuters", "JANE DOE"),
        ("Author: Ann Lee", "Ann Lee"),
        ("By the end of the day, talks had failed.", None),
        ("by the way", None),
    ],
)
def test_parse_byline(line, expected):
    assert parse_byline(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Mar.21 - 2024 10:57 AM CET", "2024-03-21T10:57:00+01:00"),
        ("March 21, 2024", "2024-03-21"),
        ("Published: 21 March 2024", "2024-03-21"),
        ("Updated 2024-03-21 18:05 UTC", "2024-03-21T18:05:00+00:00"),
        ("Thu 21 Mar 2024 09.30 GMT", "2024-03-21T09:30:00+00:00"),
        ("Tuesday, March 3, 2020", "2020-03-03"),
        ("3 March 2020", "2020-03-03"),
        ("Tuesday, March 3, 2020 at 10:15 a.m. EST", "2020-03-03T10:15:00-05:00"),
        ("2020-03-03T10:15", "2020-03-03T10:15:00"),
        ("04.03.2020", "2020-03-04"),
        ("On March 21 the minister resigned", None),
        ("Trending Now", None),
    ],
)
def test_parse_dateline(line, expected):
    assert parse_dateline(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (CAPTION, True),
        ("Protesters gather in the square. (Photo by Ann Lee/Reuters)", True),
        ("Getty Images", True),
        ("The ministry released a photo by its own staff.", False),
        ("China is applying international pressure.", False),
    ],
)
def test_is_caption(line, expected):
    assert is_caption(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Trending Now", True),
        ("MOST READ", True),
        ("Advertisement", True),
        ("Share this article", True),
        ("Read more: Talks resume in Cairo", True),
        ("Most read stories are about the war and its victims today", False),
        ("Trending now is a new word for hype.", False),
    ],
)
def test_is_furniture(line, expected):
    assert is_furniture(line) is expected


# --- HTML ----------------------------------------------------------------------------------

HTML = """<!DOCTYPE html><html><head><title>Talks Resume | Daily</title>
<meta name="author" content="Ann Lee"><meta property="article:published_time" content="2024-03-21">
<script>window.pwned = 1</script><style>body{display:none}</style></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Talks Resume in Cairo</h1>
<p>Negotiators from both sides returned to Cairo on Thursday for a new round of talks on a
ceasefire, officials said, after a week in which fighting intensified.</p>
<p>The mediators hope to agree a framework before the end of the month, according to two
diplomats briefed on the discussions, who asked not to be named.</p>
<p onclick="alert(1)">Both delegations are expected to stay in the city for several days while
technical teams work through the remaining details of an agreement.</p>
</article><footer>Copyright Daily</footer></body></html>"""


def test_looks_like_html_by_content():
    assert looks_like_html(HTML)
    assert looks_like_html("  <p>One</p><p>Two</p>")
    assert not looks_like_html("Headline\n\nA story about <script> tags in text.")


def test_parse_article_html_extracts_main_text():
    article = parse_article(HTML.encode())
    assert article.format == "html"
    assert article.author == "Ann Lee"
    assert article.published == "2024-03-21"
    assert len(article.paragraphs) == 3
    assert article.paragraphs[0].startswith("Negotiators from both sides returned to Cairo")
    assert "pwned" not in " ".join(article.paragraphs)
    assert "Home" not in article.paragraphs
    assert any("trafilatura" in warning for warning in article.warnings)


def test_parse_article_html_without_text_refused():
    with pytest.raises(ArticleError, match="No article text was found in this web page"):
        parse_article("<html><body><nav><a href='/'>Home</a></nav></body></html>")


def test_parse_article_pasted_text_with_tags_stays_text():
    text = "Headline About Tags\n\nA post said <script>alert(1)</script> and <img src=x>."
    article = parse_article(text)
    assert article.format == "text"
    assert article.paragraphs == ("A post said <script>alert(1)</script> and <img src=x>.",)


# --- end-of-article lists, labels, credits ---------------------------------------------------

PROSE = (
    "The council voted on Tuesday to close the old harbour bridge to lorries after engineers "
    "found cracks in two of its steel supports during a routine inspection last month."
)


def test_parse_article_sources_list_at_end_removed():
    text = (
        f"Harbour Bridge Closed to Lorries\n\n{PROSE}\n\nSources:\n\n"
        '"Bridge inspection report" — Harbour Council, March 2, 2020\n\n'
        '"Cracks found in bridge" — The Example Post, March 1, 2020'
    )
    article = parse_article(text)
    assert article.paragraphs == (PROSE,)
    assert [(r.line, r.kind, r.reason) for r in article.removed] == [
        (5, "sources", "heading of the list of sources at the end of the article"),
        (7, "sources", "list of sources at the end of the article"),
        (9, "sources", "list of sources at the end of the article"),
    ]


def test_parse_article_related_list_after_sources_has_its_own_kind():
    text = f"{PROSE}\n\nREFERENCES\n\nHarbour Council report\n\nSee also\n\nBridges in the city"
    article = parse_article(text)
    assert [(r.text, r.kind) for r in article.removed] == [
        ("REFERENCES", "sources"),
        ("Harbour Council report", "sources"),
        ("See also", "related"),
        ("Bridges in the city", "related"),
    ]


def test_parse_article_sources_heading_followed_by_prose_is_kept():
    text = f"Bridge Closed\n\n{PROSE}\n\nSources\n\n{PROSE.replace('Tuesday', 'Monday')}"
    article = parse_article(text)
    assert article.removed == ()
    assert article.subheadings == (Subheading(2, "Sources", 5),)


def test_parse_article_paragraph_starting_sources_say_is_body():
    line = "Sources say the bridge will stay closed until the summer."
    article = parse_article(f"{PROSE}\n\n{line}")
    assert article.paragraphs == (PROSE, line)


def test_end_lists_needs_prose_before_the_heading():
    assert end_lists(["Sources", "Harbour Council report", "City archive"]) == {}


@pytest.mark.parametrize(
    "line",
    [
        "Categories: Politics and conflicts | Asia | China",
        "Category: Transport",
        "TAGS: bridges, harbour, council",
        "Filed under: Local news",
        "Topics: Transport, Infrastructure",
    ],
)
def test_line_label_tag_lines(line):
    assert line_label(line) == ("tags", "category or tag list (page furniture, not article text)")


@pytest.mark.parametrize(
    "line",
    [
        "Topics discussed at the meeting included the bridge.",
        "Tags: officials said the list of topics was still being drawn up.",
    ],
)
def test_line_label_tag_near_misses_are_body(line):
    assert line_label(line) is None


def test_parse_article_tag_line_removed_with_reason():
    article = parse_article(f"{PROSE}\n\nTags: bridges, harbour")
    assert article.paragraphs == (PROSE,)
    assert [(r.kind, r.line) for r in article.removed] == [("tags", 3)]


@pytest.mark.parametrize(
    "line",
    [
        "Read more: Harbour council votes to repair the old bridge before the summer season",
        "RELATED: Lorries diverted through the town centre",
        "See also: How the bridge was built",
        "Also read | Ferry fares to rise",
        "Read more » City budget",
        "Related - Engineers warn of more cracks",
    ],
)
def test_line_label_link_lines(line):
    assert line_label(line) == ("link", "link to another article (not part of this one)")


@pytest.mark.parametrize(
    "line",
    [
        "Related to the closure, the council cut ferry fares.",
        "Related-party deals were also examined.",
        "Read more about it in the council's report, the mayor said.",
    ],
)
def test_line_label_link_near_misses_are_body(line):
    assert line_label(line) is None


def test_parse_article_long_read_more_line_removed():
    line = "Read more: Harbour council votes to repair the old bridge before the summer season"
    article = parse_article(f"{PROSE}\n\n{line}\n\n{PROSE.replace('Tuesday', 'Monday')}")
    assert len(article.paragraphs) == 2
    assert [(r.text, r.kind) for r in article.removed] == [(line, "link")]


@pytest.mark.parametrize(
    "line",
    [
        "(Reporting by Ann Lee in London and Sam Roe in Paris; Editing by Tom Diaz)",
        "Editing by Mary van der Berg",
        "Additional reporting by Omar al-Hadi",
        "Writing by Ann Lee; editing by Tom Diaz.",
        "Compiled by the Example News staff",
        "Reporting By ANN LEE",
    ],
)
def test_line_label_credit_lines(line):
    assert line_label(line) == ("credit", "staff credit (who reported, wrote or edited the story)")


@pytest.mark.parametrize(
    "line",
    [
        "Reporting by local media suggested the bridge had been closed before.",
        "Editing by Ann Lee made the report clearer, the council said.",
    ],
)
def test_line_label_credit_near_misses_are_body(line):
    assert line_label(line) is None


def test_parse_article_written_by_stays_the_byline():
    article = parse_article(f"Bridge Closed\n\nWritten by Ann Lee\n\n{PROSE}")
    assert (article.author, article.removed) == ("Ann Lee", ())


@pytest.mark.parametrize(
    "line",
    [
        "© 2024 Example Media",
        "(c) 2020 Harbour Gazette Ltd",
        "Copyright 2020 Example News Group. All rights reserved.",
        "COPYRIGHT © EXAMPLE MEDIA",
        "All rights reserved.",
        "Example Media Ltd 2024, all rights reserved",
    ],
)
def test_line_label_copyright_lines(line):
    assert line_label(line) == ("copyright", "copyright notice (page furniture, not article text)")


@pytest.mark.parametrize(
    "line",
    [
        "Copyright law was changed in 2020 after a long campaign by musicians.",
        "The contract, the lawyers argued at length before the court on Monday, left the "
        "label with all rights reserved",
    ],
)
def test_line_label_copyright_near_misses_are_body(line):
    assert line_label(line) is None


# --- pull quotes ---------------------------------------------------------------------------

QUOTED = (
    "The mayor defended the decision. \"We cannot gamble with people's lives on a bridge "
    'that is cracking," she told reporters outside the town hall on Wednesday.'
)


def test_parse_article_pull_quote_removed_body_copy_kept():
    pull = "“We cannot gamble with people’s lives on a bridge that is cracking”"
    article = parse_article(f"Bridge Closed\n\n{PROSE}\n\n{pull}\n\n{QUOTED}")
    assert article.paragraphs == (PROSE, QUOTED)
    assert [(r.text, r.kind, r.reason, r.line) for r in article.removed] == [
        (
            pull,
            "pullquote",
            "pull quote (repeats words of the paragraph on line 7, printed large on the page)",
            5,
        ),
    ]


def test_pull_quotes_clause_with_ellipsis_and_attribution():
    pull = '"We cannot gamble ... on a bridge that is cracking" — Mayor Ann Lee'
    assert pull_quotes([QUOTED, PROSE, pull]) == {2: 0}


def test_pull_quotes_quote_not_in_body_is_kept():
    assert pull_quotes([QUOTED, '"The bridge will reopen in the spring," the mayor said.']) == {}


def test_pull_quotes_short_quote_is_kept():
    assert pull_quotes([QUOTED, '"We cannot gamble"']) == {}


# --- subheadings ---------------------------------------------------------------------------

SECOND = PROSE.replace("Tuesday", "Monday")


def test_parse_article_subheading_kept_apart_from_paragraphs():
    text = f"Bridge Closed\n\n{PROSE}\n\nWhat happens next\n\n{SECOND}\n\nMore text here."
    article = parse_article(text)
    assert article.paragraphs == (PROSE, SECOND, "More text here.")
    assert article.subheadings == (Subheading(2, "What happens next", 5),)
    assert article.removed == ()


def test_article_segments_leave_subheadings_out():
    article = parse_article(f"Bridge Closed\n\n{PROSE}\n\nWhat happens next\n\n{SECOND}")
    assert [(s.index, s.kind) for s in article.segments()] == [
        (0, "headline"),
        (1, "body"),
        (2, "body"),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Reaction from Washington", True),
        ("What happens next", True),
        ("The Long Road to a Deal With the Unions", True),
        ("2024 in numbers", True),
        ("He refused to comment.", False),
        ("Why did it fail?", False),
        ("“We will rebuild”", False),
        ("Officials said the vote would go ahead anyway", False),
        ("the council met", False),
        ("File:Harbour bridge (cropped).jpg", False),
    ],
)
def test_is_subheading(line, expected):
    assert is_subheading(line) is expected


def test_subheading_blocks_needs_a_paragraph_on_each_side():
    assert subheading_blocks(["Reaction from Washington", PROSE, "What happens next"]) == []


def test_subheading_blocks_list_of_short_lines_is_not_headings():
    assert subheading_blocks([PROSE, "Green Party", "Labour Party", SECOND]) == []


def test_parse_article_one_sentence_paragraph_is_not_a_subheading():
    article = parse_article(f"{PROSE}\n\nHe refused to comment.\n\n{SECOND}")
    assert (len(article.paragraphs), article.subheadings) == (3, ())


# --- date lines ----------------------------------------------------------------------------


def test_parse_article_date_line_under_headline_is_published():
    article = parse_article(f"Bridge Closed\n\nTuesday, March 3, 2020\n\n{PROSE}")
    assert (article.title, article.published, article.paragraphs) == (
        "Bridge Closed",
        "2020-03-03",
        (PROSE,),
    )


def test_parse_article_date_line_before_headline_is_not_the_headline():
    article = parse_article(f"3 March 2020\n\nBridge Closed\n\n{PROSE}")
    assert (article.title, article.published) == ("Bridge Closed", "2020-03-03")


def test_parse_article_date_line_after_standfirst_removed_with_reason():
    article = parse_article(f"{PROSE}\n\n2020-03-03\n\n{SECOND}")
    assert article.published == "2020-03-03"
    assert [(r.text, r.kind, r.reason) for r in article.removed] == [
        ("2020-03-03", "dateline", "date line: used as the published date"),
    ]


def test_parse_article_sentence_with_a_date_is_body():
    line = "On March 3, 2020 the council closed the bridge."
    article = parse_article(f"{PROSE}\n\n{line}")
    assert (article.published, article.paragraphs) == (None, (PROSE, line))


# --- HTML titles ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "sitename", "expected"),
    [
        ("Bridge Closed to Lorries | Example News | 03.03.2020", None, "Bridge Closed to Lorries"),
        ("Bridge closed to lorries - Example News", None, "Bridge closed to lorries"),
        ("Bridge closed to lorries — Example Times", None, "Bridge closed to lorries"),
        ("Bridge closed to lorries – example.com", None, "Bridge closed to lorries"),
        ("Example News | Bridge closed to lorries", "Example News", "Bridge closed to lorries"),
        ("Bridge - The Harbour Gazette", "The Harbour Gazette", "Bridge"),
        ("Man bites dog - and survives", None, "Man bites dog - and survives"),
        ("Man Bites Dog - And Survives", None, "Man Bites Dog - And Survives"),
        (
            "Bridge closed - engineers found cracks in two supports",
            None,
            "Bridge closed - engineers found cracks in two supports",
        ),
        ("Bridge - Example News", None, "Bridge - Example News"),
    ],
)
def test_clean_title(title, sitename, expected):
    assert clean_title(title, sitename=sitename) == expected


def _page(title: str, head: str = "") -> str:
    return (
        f"<html><head><title>{title}</title>{head}</head><body><article><p>{PROSE}</p>"
        f"<p>{SECOND}</p></article></body></html>"
    )


def test_parse_article_html_title_site_and_date_stripped_with_note():
    article = parse_article(_page("Bridge Closed | Example News | 03.03.2020"))
    assert article.title == "Bridge Closed"
    assert (
        "The page title “Bridge Closed | Example News | 03.03.2020” was shortened to “Bridge "
        "Closed”: the site name or date after it was left out."
    ) in article.warnings


def test_parse_article_html_title_with_a_dash_in_it_survives():
    assert parse_article(_page("Man bites dog - and survives")).title == (
        "Man bites dog - and survives"
    )


def test_parse_article_html_title_uses_site_name_from_metadata():
    head = '<meta property="og:site_name" content="The Harbour Gazette">'
    assert parse_article(_page("Bridge - The Harbour Gazette", head)).title == "Bridge"
