import base64
import json
import tracemalloc
import zlib
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analysis.errors import ArticleError
from analysis.storage.links import (
    FORMAT_VERSION,
    LINK_MAX_CHARS,
    MAX_INFLATED_BYTES,
    ArticleReference,
    LinkedArticle,
    LinkPayloadError,
    article_reference,
    decode_article,
    encode_article,
    link_notice,
)
from analysis.storage.shares import article_key

ROOT = Path(__file__).resolve().parents[3]
REFUSED = r"^The article in this link cannot be opened: {}; showing the sample article instead\.$"
ALTERED = REFUSED.format("it is cut short or altered")


def _prose(words: int) -> bytes:
    """The first ``words`` words of the sample corpus's Wikinews texts, as paragraphs."""
    corpus = ROOT / "seeds" / "corpus" / "wikinews-2019-2020.jsonl"
    paragraphs: list[str] = []
    count = 0
    for line in corpus.read_text(encoding="utf-8").splitlines():
        for paragraph in json.loads(line)["text"].split("\n\n"):
            taken = paragraph.split()[: words - count]
            paragraphs.append(" ".join(taken))
            count += len(taken)
            if count == words:
                return "\n\n".join(paragraphs).encode("utf-8")
    raise AssertionError("the sample corpus is shorter than asked")


def _payload(packed: bytes) -> str:
    return base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def _packed_body(body: bytes, *, version: int = FORMAT_VERSION) -> str:
    return _payload(bytes([version]) + zlib.compress(body))


# -- round trips ------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=5_000), source=st.none() | st.text(max_size=300))
@example(raw=b"", source=None)
@example(raw=b"\x00\xff" * 100, source="\U0001f4f0 \u00e9")
def test_decode_article_round_trips_encode_article(raw, source):
    decoded = decode_article(encode_article(raw, source=source))
    assert decoded == LinkedArticle(raw, source or None)


@settings(max_examples=100, deadline=None)
@given(raw=st.binary(max_size=2_000), source=st.text(max_size=50))
def test_encode_article_uses_only_url_safe_characters(raw, source):
    assert set(encode_article(raw, source=source)) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )


def test_encode_article_sample_round_trip(sample_bytes):
    payload = encode_article(sample_bytes, source="pasted text")
    assert decode_article(payload) == LinkedArticle(sample_bytes, "pasted text")


def test_encode_article_starts_with_the_format_version(sample_bytes):
    packed = base64.urlsafe_b64decode(encode_article(sample_bytes) + "==")
    assert packed[0] == 1


def test_encode_article_cuts_a_long_source_at_a_character_boundary():
    decoded = decode_article(encode_article(b"text", source="\u00e9" * 3_000))
    assert decoded.source == "\u00e9" * 1_000


def test_encode_article_refuses_what_no_link_could_carry():
    with pytest.raises(ValueError, match="too long to travel in a link"):
        encode_article(b"x" * MAX_INFLATED_BYTES)


# -- text or key ------------------------------------------------------------------------------


def test_article_reference_carries_the_sample_article(sample_bytes):
    reference = article_reference(sample_bytes, source="pasted text", link_length=300)
    assert (reference.carries, decode_article(reference.value)) == (
        "text",
        LinkedArticle(sample_bytes, "pasted text"),
    )


def test_article_reference_carries_1500_words_of_prose():
    assert article_reference(_prose(1_500), link_length=300).carries == "text"


def test_article_reference_gives_the_key_of_3000_words_of_prose():
    raw = _prose(3_000)
    assert article_reference(raw, link_length=300) == ArticleReference("key", article_key(raw))


def test_article_reference_fills_the_link_exactly_to_its_limit(sample_bytes):
    payload = encode_article(sample_bytes)
    room = LINK_MAX_CHARS - len(payload)
    assert (
        article_reference(sample_bytes, link_length=room).carries,
        article_reference(sample_bytes, link_length=room + 1).carries,
    ) == ("text", "key")


def test_article_reference_respects_a_smaller_limit(sample_bytes):
    assert article_reference(sample_bytes, link_length=10, max_chars=500).carries == "key"


def test_article_reference_gives_the_key_of_an_article_too_big_to_encode():
    raw = b"a" * (MAX_INFLATED_BYTES + 1)
    assert article_reference(raw, link_length=0) == ArticleReference("key", article_key(raw))


@settings(max_examples=50, deadline=None)
@given(raw=st.binary(max_size=12_000), link_length=st.integers(0, 9_000))
def test_article_reference_text_always_fits_and_key_only_when_text_would_not(raw, link_length):
    reference = article_reference(raw, link_length=link_length)
    payload = encode_article(raw)
    if reference.carries == "text":
        assert (reference.value, link_length + len(payload) <= LINK_MAX_CHARS) == (payload, True)
    else:
        assert (reference.value, link_length + len(payload) > LINK_MAX_CHARS) == (
            article_key(raw),
            True,
        )


def test_link_notice_for_a_link_with_the_text():
    assert link_notice("text", durable=False) == (
        "This link contains the article's text: anyone with the link can read it."
    )


def test_link_notice_for_a_key_in_a_durable_store():
    assert link_notice("key", durable=True) == (
        "This link points to the stored copy of the article: anyone with the link can read it "
        "while that copy is kept."
    )


def test_link_notice_for_a_key_on_this_server_only():
    assert link_notice("key", durable=False).startswith(
        "This link points to the copy of the article stored on this server"
    )


# -- hostile payloads -------------------------------------------------------------------------


def test_decode_article_error_is_an_article_error():
    assert issubclass(LinkPayloadError, ArticleError)


def test_decode_article_refuses_an_empty_payload():
    with pytest.raises(LinkPayloadError, match=REFUSED.format("it is empty")):
        decode_article("")


def test_decode_article_refuses_a_payload_longer_than_any_link():
    with pytest.raises(
        LinkPayloadError,
        match=REFUSED.format("it is longer than 8,000 characters, more than any link carries"),
    ):
        decode_article("A" * 8_001)


@pytest.mark.parametrize("payload", ["abc$def", "a b", "abc=", "<script>", "a/b+c", "é"])
def test_decode_article_refuses_characters_no_link_uses(payload):
    with pytest.raises(
        LinkPayloadError, match=REFUSED.format("it has characters that no NewsLens link uses")
    ):
        decode_article(payload)


def test_decode_article_refuses_a_base64_length_no_encoder_writes():
    with pytest.raises(LinkPayloadError, match=ALTERED):
        decode_article("AAAAA")


def test_decode_article_refuses_another_format_version():
    with pytest.raises(LinkPayloadError, match="not in a format this version of NewsLens reads"):
        decode_article(_packed_body(b"\x00\x00text", version=2))


def test_decode_article_refuses_a_payload_cut_short(sample_bytes):
    with pytest.raises(LinkPayloadError, match=ALTERED):
        decode_article(encode_article(sample_bytes)[:-40])


def test_decode_article_refuses_a_damaged_payload(sample_bytes):
    payload = encode_article(sample_bytes)
    middle = len(payload) // 2
    damaged = payload[:middle] + ("B" if payload[middle] != "B" else "C") + payload[middle + 1 :]
    with pytest.raises(LinkPayloadError, match=ALTERED):
        decode_article(damaged)


def test_decode_article_refuses_bytes_after_the_stream():
    packed = bytes([FORMAT_VERSION]) + zlib.compress(b"\x00\x00text") + b"extra"
    with pytest.raises(LinkPayloadError, match=ALTERED):
        decode_article(_payload(packed))


def test_decode_article_refuses_a_body_without_its_label_length():
    with pytest.raises(LinkPayloadError, match=ALTERED):
        decode_article(_packed_body(b"\x00"))


def test_decode_article_refuses_a_label_longer_than_the_body():
    with pytest.raises(LinkPayloadError, match=ALTERED):
        decode_article(_packed_body(b"\x00\x10short"))


def test_decode_article_refuses_a_label_longer_than_any_source():
    body = (2_001).to_bytes(2, "big") + b"s" * 2_001 + b"text"
    with pytest.raises(LinkPayloadError, match=ALTERED):
        decode_article(_packed_body(body))


def test_decode_article_refuses_a_label_that_is_not_utf8():
    with pytest.raises(LinkPayloadError, match=ALTERED):
        decode_article(_packed_body(b"\x00\x02\xff\xfetext"))


def test_decode_article_refuses_a_decompression_bomb():
    # Five megabytes of zeros deflate to a payload that fits in a link.
    payload = _packed_body(b"\x00" * 5_000_000)
    assert len(payload) < LINK_MAX_CHARS
    with pytest.raises(
        LinkPayloadError,
        match=REFUSED.format("its article would be larger than 1,000,000 bytes once unpacked"),
    ):
        decode_article(payload)


def test_decode_article_never_inflates_a_bomb_past_the_limit():
    payload = _packed_body(b"\x00" * 5_000_000)
    tracemalloc.start()
    try:
        with pytest.raises(LinkPayloadError):
            decode_article(payload)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2_500_000


def test_decode_article_accepts_exactly_the_size_limit():
    # The body is the 2-byte label length and 98 bytes of text: 100 bytes.
    assert decode_article(encode_article(b"x" * 98), max_bytes=100).raw == b"x" * 98


def test_decode_article_refuses_one_byte_past_the_size_limit():
    with pytest.raises(LinkPayloadError, match="larger than 100 bytes once unpacked"):
        decode_article(encode_article(b"x" * 99), max_bytes=100)


@settings(max_examples=300, deadline=None)
@given(payload=st.text(max_size=200) | st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123456789-_"))
def test_decode_article_of_arbitrary_text_returns_or_refuses(payload):
    try:
        decoded = decode_article(payload)
    except LinkPayloadError as error:
        assert str(error).startswith("The article in this link cannot be opened: ")
    else:
        assert isinstance(decoded, LinkedArticle)


@settings(max_examples=200, deadline=None)
@given(
    raw=st.binary(min_size=1, max_size=500),
    position=st.integers(min_value=0),
    replacement=st.sampled_from("AQgw_-9z"),
)
def test_decode_article_of_an_altered_payload_refuses_or_gives_the_original(
    raw, position, replacement
):
    payload = encode_article(raw, source="s")
    at = position % len(payload)
    altered = payload[:at] + replacement + payload[at + 1 :]
    try:
        decoded = decode_article(altered)
    except LinkPayloadError:
        return
    # Only a change in the unused low bits of the last character decodes at all.
    assert decoded == LinkedArticle(raw, "s")
