import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import ArticleError
from analysis.storage.corpus.query_language import (
    And,
    Not,
    Or,
    QuerySyntaxError,
    Term,
    parse_search,
)


def read(text):
    return parse_search(text).describe()


def word(value):
    return Term("text", "word", value, (value,), (value,))


@pytest.mark.parametrize(
    "query,expected",
    [
        ("ceasefire gaza", "ceasefire AND gaza"),
        ("Ceasefire AND Gaza", "ceasefire AND gaza"),
        ("biden OR trump", "biden OR trump"),
        ("gaza AND NOT hamas", "gaza AND NOT hamas"),
        ("gaza -hamas", "gaza AND NOT hamas"),
        ("(biden OR trump) talks", "(biden OR trump) AND talks"),
        ("a AND b OR c AND d", "(a AND b) OR (c AND d)"),
        ("NOT a OR b", "NOT a OR b"),
        ("-(a OR b) c", "NOT (a OR b) AND c"),
        ('"Ceasefire  talks"', '"ceasefire talks"'),
        ("\u201cceasefire talks\u201d", '"ceasefire talks"'),
        ("climat*", "climat*"),
        ("source:Reuters.com", "source:reuters.com"),
        ('entity:"Joe Biden"', 'entity:"joe biden"'),
        ('source:"(no outlet)"', 'source:"(no outlet)"'),
        ("title:ceasefire", "title:ceasefire"),
        ('TITLE:"gaza truce" -source:x.com', 'title:"gaza truce" AND NOT source:x.com'),
        ("biden, trump", "biden AND trump"),
        ("well-known", '"well known"'),
        ("covid-19", "covid-19"),
        ("U.S.", "u.s."),
        ("+gaza", "gaza"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_parse_search_reads(query, expected):
    assert read(query) == expected


def test_parse_search_nodes():
    assert parse_search("(biden OR trump) -election").node == And(
        (Or((word("biden"), word("trump"))), Not(word("election")))
    )


def test_parse_search_phrase_term():
    assert parse_search('"central bank"').node == Term(
        "text", "phrase", "central bank", ("central", "bank"), ("central", "bank")
    )


def test_parse_search_prefix_term():
    assert parse_search("Climat*").node == Term("text", "prefix", "climat", ("climat",), ())


def test_parse_search_possessive_finds_its_word_first():
    assert parse_search("Biden's").node == Term(
        "text", "word", "biden's", ("biden", "s"), ("biden",)
    )


def test_parse_search_lowercase_or_is_a_word_with_a_hint():
    parsed = parse_search("biden or trump")
    assert (parsed.describe(), parsed.hints) == (
        'biden AND "or" AND trump',
        ("'or' was searched as a word; to find either of two words write OR in capitals.",),
    )


def test_parse_search_hints_for_and_and_not():
    assert len(parse_search("gaza and not hamas").hints) == 2


def test_parse_search_terms_in_order_distinct():
    assert [t.describe() for t in parse_search("b OR a OR b -c").terms()] == ["b", "a", "c"]


def test_parse_search_positive_terms_leave_out_negated():
    assert [t.describe() for t in parse_search("a -b NOT (c OR d) NOT NOT e").positive_terms()] == [
        "a",
        "e",
    ]


@pytest.mark.parametrize(
    "query,position,reason",
    [
        ('gaza "ceasefire talks', 5, "a quotation mark is never closed"),
        ("(gaza OR cairo", 0, "the '(' is never closed"),
        ("gaza)", 4, "a ')' with no '(' before it"),
        (")", 0, "a ')' with no '(' before it"),
        ("gaza ()", 5, "empty parentheses"),
        ("gaza AND", 5, "AND has nothing after it"),
        ("OR gaza", 0, "OR has nothing before it"),
        ("gaza OR", 5, "OR has nothing after it"),
        ("gaza NOT", 5, "NOT has nothing after it"),
        ("cli*mate", 3, "'*' works only at the end of a word (climat*)"),
        ("a*", 0, "a '*' needs at least 2 characters before it (climat*)"),
        ("place:gaza", 0, "'place:' is not a field"),
        ("source: bbc", 0, "source: needs a value right after the colon"),
        ('gaza ""', 5, "empty quotation marks"),
        ("2024", 0, "'2024' holds no letters"),
        ("gaza - hamas", 5, "a '-' must be written right before"),
        ('"climate chang*"', 14, "'*' does not work inside quotation marks"),
    ],
)
def test_parse_search_errors_say_where(query, position, reason):
    with pytest.raises(QuerySyntaxError) as caught:
        parse_search(query)
    assert (caught.value.position, caught.value.reason.startswith(reason)) == (position, True)


def test_parse_search_error_message_counts_from_one():
    with pytest.raises(QuerySyntaxError, match=r"\(at character 6\)\.$"):
        parse_search('gaza "ceasefire')


def test_parse_search_error_is_the_project_error():
    with pytest.raises(ArticleError):
        parse_search("(")


def test_parse_search_too_many_terms():
    with pytest.raises(QuerySyntaxError, match="at most 60"):
        parse_search(" ".join(f"w{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(61)))


def test_parse_search_deep_nesting_refused():
    with pytest.raises(QuerySyntaxError, match="nested parentheses"):
        parse_search("(" * 30 + "a" + ")" * 30)


def test_parse_search_long_not_chain_refused():
    with pytest.raises(QuerySyntaxError, match="NOTs in a row"):
        parse_search("NOT " * 40 + "a")


def test_parse_search_too_long_refused():
    with pytest.raises(QuerySyntaxError, match="at most 2,000 characters"):
        parse_search("a " * 1001)


QUERY_PIECES = st.sampled_from(
    [
        "gaza",
        "Cairo",
        "AND",
        "OR",
        "NOT",
        "and",
        "-",
        "+",
        "(",
        ")",
        '"',
        "\u201c",
        "\u201d",
        "*",
        "cli*",
        "source:",
        "entity:",
        "title:",
        "foo:",
        ":",
        "-talks",
        "u.s.",
        "covid-19",
        "don't",
        "2024",
        " ",
        "  ",
        "\t",
        "\n",
        "\x00",
        "é",
        "\ud800",
        ",",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(QUERY_PIECES, max_size=14).map("".join))
def test_parse_search_pieces_never_raise_another_error(query):
    with contextlib.suppress(QuerySyntaxError):
        parse_search(query)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_parse_search_any_text_never_raises_another_error(query):
    with contextlib.suppress(QuerySyntaxError):
        parse_search(query)


@settings(max_examples=400, deadline=None)
@given(st.lists(QUERY_PIECES, max_size=14).map("".join))
def test_parse_search_reading_reads_back_the_same(query):
    try:
        parsed = parse_search(query)
    except QuerySyntaxError:
        return
    assert parse_search(parsed.describe()).node == parsed.node


def test_parse_search_control_character_or_surrogate_separates_like_a_space():
    parsed = parse_search("\x00source:gaza* a\x00b\ud800")
    assert parsed.describe() == "source:gaza* AND a AND b"


def test_parse_search_control_character_inside_quotes_separates_like_a_space():
    parsed = parse_search('"gaza\x00city" "gaza\x00gaza" title:"cease\ud800fire"')
    assert parsed.describe() == '"gaza city" AND "gaza gaza" AND title:"cease fire"'
    assert parse_search(parsed.describe()).node == parsed.node


def test_parse_search_prefix_with_a_colon_inside_is_refused():
    with pytest.raises(QuerySyntaxError) as raised:
        parse_search(":source:cli*")
    assert str(raised.value) == (
        "The query cannot be read: ':source:cli*': a word ending in '*' cannot hold a colon "
        "(a field goes first, as in source:reut*) (at character 1)."
    )
