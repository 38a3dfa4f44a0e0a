"""Inputs at the limits of the parsers and of memory (issue 22): HTML nested hundreds of levels
deep, bytes that are not UTF-8, a whole document on one line."""

import pytest

from analysis.core import pipeline
from analysis.core.article import parse_article
from analysis.core.article.decode import decoded_bytes
from analysis.core.article.pieces import MAX_PARAGRAPH_CHARS, paragraph_pieces
from analysis.core.nlp import disabled_for
from analysis.core.pipeline import held_docs, piped_docs, text_pieces
from analysis.errors import ArticleError

BODY = " ".join(["The council of Springfield approved a budget after a long debate."] * 5)


def nested(depth: int) -> str:
    return (
        "<html><head><title>Deep page</title></head><body>"
        + "<div>" * depth
        + f"<p>{BODY}</p>"
        + "</div>" * depth
        + "</body></html>"
    )


def test_html_nested_254_levels_is_read():
    assert parse_article(nested(254)).paragraphs == (BODY,)


def test_html_nested_2000_levels_is_read():
    assert parse_article(nested(2000)).paragraphs == (BODY,)


def test_html_nested_beyond_the_parser_is_too_deep():
    with pytest.raises(ArticleError, match="nests its elements more than 2,048 levels deep"):
        parse_article(nested(3000))


def test_html_deep_sidebar_before_the_article_keeps_the_article():
    html = (
        "<html><head><title>Page</title></head><body>"
        + "<div>" * 300
        + "menu"
        + "</div>" * 300
        + f"<article><p>{BODY}</p></article></body></html>"
    )
    assert parse_article(html).paragraphs == (BODY,)


def test_bytes_not_utf8_say_their_encoding():
    article = parse_article("Caf\xe9 talks resume\n\nThe caf\xe9 reopened.".encode("cp1252"))
    assert (article.encoding, article.warnings[0][:53]) == (
        "windows-1252",
        "The file is not valid UTF-8 (byte 0xe9 at position 4)",
    )


def test_utf8_bytes_say_their_encoding():
    assert parse_article("Café talks resume\n\nThe café reopened.".encode()).encoding == "utf-8"


def test_text_has_no_encoding():
    assert parse_article("Talks resume\n\nThe café reopened.").encoding is None


def test_decoded_bytes_utf16():
    assert decoded_bytes("Talks".encode("utf-16"))[:2] == ("Talks", "utf-16")


# -- long segments, bounded memory ---------------------------------------------------------------


def test_text_pieces_cut_after_sentence_ends():
    text = "One two three. Four five six. Seven eight nine."
    assert text_pieces(text, limit=20) == [
        "One two three. ",
        "Four five six. ",
        "Seven eight nine.",
    ]


def test_text_pieces_without_sentence_ends_cut_at_a_space():
    assert text_pieces("aaaa bbbb cccc dddd", limit=10) == ["aaaa bbbb ", "cccc dddd"]


def test_text_pieces_one_long_word_cut_at_the_limit():
    assert text_pieces("x" * 25, limit=10) == ["x" * 10, "x" * 10, "x" * 5]


def test_text_pieces_short_text_whole():
    assert text_pieces("Short.", limit=10) == ["Short."]


class Spy:
    """A pipeline that records what spaCy is given at once."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.calls: list[list[int]] = []

    def pipe(self, texts, **options):
        texts = list(texts)
        self.calls.append([len(t) for t in texts])
        return self.nlp.pipe(texts, **options)


def one_line(nlp, characters: int) -> str:
    sentence = "Ann Lee visited Springfield on Monday to open a new school for the town. "
    return (sentence * (characters // len(sentence) + 1))[:characters].strip()


def test_piped_docs_spacy_never_reads_more_than_a_piece(nlp, monkeypatch):
    monkeypatch.setattr(pipeline, "PIPE_PIECE_CHARS", 2_000)
    spy = Spy(nlp)
    list(piped_docs(spy, [one_line(nlp, 9_000)], batch_size=64, disable=disabled_for(nlp)))
    assert max(length for call in spy.calls for length in call) <= 2_000


def test_piped_docs_batches_stay_under_the_batch_limit(nlp, monkeypatch):
    monkeypatch.setattr(pipeline, "PIPE_BATCH_CHARS", 3_000)
    spy = Spy(nlp)
    texts = [one_line(nlp, 1_000)] * 9
    list(piped_docs(spy, texts, batch_size=64, disable=disabled_for(nlp)))
    assert [sum(call) for call in spy.calls] == [3_000, 3_000, 3_000]


def test_piped_docs_long_text_joined_back_with_the_same_tokens(nlp, monkeypatch):
    monkeypatch.setattr(pipeline, "PIPE_PIECE_CHARS", 2_000)
    text = one_line(nlp, 9_000)
    docs = list(
        piped_docs(nlp, ["First.", text, "Last."], batch_size=64, disable=disabled_for(nlp))
    )
    assert (
        [doc.text for doc in docs],
        [t.text for t in docs[1]],
        len(list(docs[1].sents)),
    ) == (["First.", text, "Last."], [t.text for t in nlp.tokenizer(text)], text.count(". ") + 1)


def test_analyze_one_line_document_keeps_its_entities(nlp, monkeypatch):
    from analysis.core.pipeline import analyze

    monkeypatch.setattr(pipeline, "PIPE_PIECE_CHARS", 2_000)
    result = analyze(one_line(nlp, 9_000), nlp=nlp)
    counts = dict(zip(result.entities["entity"], result.entities["count"], strict=True))
    # 124 sentences name Ann Lee; the last one is cut short inside "Springfield".
    assert (len(result.article.paragraphs), counts["Ann Lee"], counts["Springfield"]) == (
        1,
        124,
        123,
    )


# -- paragraphs too long to be read as one ---------------------------------------------------


def test_paragraph_pieces_short_paragraph_whole():
    assert paragraph_pieces("Short. Text.", limit=20) == ["Short. Text."]


def test_paragraph_pieces_cut_after_sentence_ends_without_their_spaces():
    assert paragraph_pieces("One two. Three four. Five six.", limit=21) == [
        "One two. Three four.",
        "Five six.",
    ]


def test_parse_cuts_a_paragraph_over_the_limit_at_sentence_ends(nlp, monkeypatch):
    from analysis.core.article import parse

    monkeypatch.setattr(parse, "MAX_PARAGRAPH_CHARS", 2_000)
    monkeypatch.setattr(parse, "paragraph_pieces", lambda text: paragraph_pieces(text, limit=2_000))
    text = one_line(nlp, 9_000)
    article = parse_article(f"Short first paragraph.\n\n{text}")
    assert ([len(p) for p in article.paragraphs], article.warnings) == (
        [22, 1_970, 1_970, 1_970, 1_970, 1_116],
        (
            "1 paragraph(s) over 2,000 characters were each read as several paragraphs, cut "
            "after a sentence end (6 paragraphs in all), so that what is worked out per "
            "paragraph stays in proportion to a paragraph.",
        ),
    )


def test_parse_leaves_a_paragraph_at_the_limit_whole(nlp):
    text = one_line(nlp, MAX_PARAGRAPH_CHARS)
    assert ([len(p) for p in parse_article(text).paragraphs], parse_article(text).warnings) == (
        [len(text)],
        (),
    )


def test_held_docs_drop_token_vectors_past_the_limit(nlp, monkeypatch):
    from analysis.core import pipeline

    monkeypatch.setattr(pipeline, "KEEP_VECTORS_TOKENS", 8)
    texts = ["Ann Lee went home.", "She was tired.", "Bo slept.", "Next article."]
    docs = piped_docs(nlp, texts, batch_size=8, disable=disabled_for(nlp))
    first = list(held_docs(docs, 3))  # 5 + 4 + 3 tokens: past 8 at the third doc
    second = list(held_docs(docs, 1))
    assert (
        [doc.tensor.size for doc in first],
        [t.pos_ for t in first[0]][:2],
        second[0].tensor.size > 0,
    ) == ([0, 0, 0], ["PROPN", "PROPN"], True)


def test_held_docs_keep_token_vectors_under_the_limit(nlp):
    docs = piped_docs(nlp, ["Ann Lee went home."], batch_size=8, disable=disabled_for(nlp))
    assert [doc.tensor.size > 0 for doc in held_docs(docs, 1)] == [True]


def test_analyze_pairs_per_paragraph_stay_bounded_on_one_line(nlp, monkeypatch):
    from analysis.core.article import parse
    from analysis.core.pipeline import analyze

    monkeypatch.setattr(parse, "paragraph_pieces", lambda text: paragraph_pieces(text, limit=2_000))
    result = analyze(one_line(nlp, 9_000), nlp=nlp)
    per_paragraph = result.mentions.groupby("paragraph")["entity"].nunique()
    assert (len(per_paragraph), int(per_paragraph.max())) == (5, 4)
