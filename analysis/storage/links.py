"""Articles in links: an article short enough travels in the link itself, compressed, so that the
link opens on any server running NewsLens, with an empty disk and no database; a longer one is
stored (:mod:`analysis.storage.shares`) and the link carries its key.

The payload (the value of one query parameter) is URL-safe base64, without padding, of one
version byte (:data:`FORMAT_VERSION`) followed by a zlib stream (with its checksum) of::

    source length (2 bytes, big-endian) | source (UTF-8) | the article's bytes

zlib at level 9 was chosen over LZMA and bzip2: on news prose they compress about as well,
and a zlib stream's header is the smallest. A new format takes a new version byte; a decoder
refuses versions it does not know.

A payload comes from a link anyone can write, so decoding trusts nothing: its length is
checked before it is decoded, the stream is inflated with a bound on the output (a few bytes
that inflate to gigabytes, a "decompression bomb", stop at the bound), and every failure is
one :class:`LinkPayloadError` saying in words what is wrong. Decoding only reads bytes: nothing
in a payload is executed, looked up or stored.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import zlib
from typing import Literal, NamedTuple

from analysis.errors import ArticleError

#: The longest link that carries its article (about 2,000 words of prose).
LINK_MAX_CHARS = 8_000
#: The longest link that carries a key instead: the length every link stays within.
SHORT_LINK_MAX_CHARS = 2_000
#: The first byte of every payload of the current format.
FORMAT_VERSION = 1
#: The most bytes a payload may inflate to (the article and its source): far above what fits
#: in :data:`LINK_MAX_CHARS` as prose, far below what would strain a server.
MAX_INFLATED_BYTES = 1_000_000
#: The longest source label carried (a URL, a file name).
MAX_SOURCE_BYTES = 2_000
_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]+$")

Carries = Literal["text", "key"]


class LinkPayloadError(ArticleError):
    """A link's article payload cannot be read; the message says why, for a reader."""


class LinkedArticle(NamedTuple):
    """An article read from a link's payload.

    Attributes:
        raw: the article's bytes, as they were when the link was made.
        source: where it came from (a file name, a URL, "pasted text"), or None.
    """

    raw: bytes
    source: str | None


class ArticleReference(NamedTuple):
    """What a link carries to name an article (:func:`article_reference`).

    Attributes:
        carries: ``"text"`` (``value`` is the article itself, :func:`encode_article`) or
            ``"key"`` (``value`` is its key in the share store, which must then hold it).
        value: the query parameter's value.
    """

    carries: Carries
    value: str


def encode_article(raw: bytes, *, source: str | None = None) -> str:
    """The payload that carries ``raw`` (and its source label) in a link.

    Args:
        raw: the article's bytes, as the app received them.
        source: where they came from; a label longer than :data:`MAX_SOURCE_BYTES` bytes in
            UTF-8 is cut (at a character boundary).

    Returns:
        URL-safe base64 (``A-Z a-z 0-9 - _``), no padding: safe in a query string as is.

    Raises:
        ValueError: ``raw`` and ``source`` together are longer than :data:`MAX_INFLATED_BYTES`
            (such a payload could never be decoded).
    """
    label = (source or "").encode("utf-8")[:MAX_SOURCE_BYTES].decode("utf-8", "ignore")
    label_bytes = label.encode("utf-8")
    body = len(label_bytes).to_bytes(2, "big") + label_bytes + raw
    if len(body) > MAX_INFLATED_BYTES:
        raise ValueError(f"an article of {len(raw):,} bytes is too long to travel in a link")
    packed = bytes([FORMAT_VERSION]) + zlib.compress(body, 9)
    return base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def decode_article(
    payload: str, *, max_chars: int = LINK_MAX_CHARS, max_bytes: int = MAX_INFLATED_BYTES
) -> LinkedArticle:
    """The article a link's payload carries.

    Args:
        payload: the query parameter's value, as the link gave it.
        max_chars: the longest payload accepted (longer ones are refused unread).
        max_bytes: the most bytes the payload may inflate to.

    Returns:
        the article's bytes and source label.

    Raises:
        LinkPayloadError: the payload is too long, not of this format (or of a newer one), cut
            short or damaged, or inflates past ``max_bytes``.
    """
    if not isinstance(payload, str) or not payload:
        raise LinkPayloadError(_refused("it is empty"))
    if len(payload) > max_chars:
        raise LinkPayloadError(
            _refused(f"it is longer than {max_chars:,} characters, more than any link carries")
        )
    if not _PAYLOAD.match(payload):
        raise LinkPayloadError(_refused("it has characters that no NewsLens link uses"))
    try:
        packed = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except (binascii.Error, ValueError):
        raise LinkPayloadError(_refused("it is cut short or altered")) from None
    if not packed:
        raise LinkPayloadError(_refused("it is empty"))
    if packed[0] != FORMAT_VERSION:
        raise LinkPayloadError(
            _refused(
                "it is not in a format this version of NewsLens reads "
                "(it was altered, or made by a newer version)"
            )
        )
    body = _inflate(packed[1:], max_bytes=max_bytes)
    if len(body) < 2:
        raise LinkPayloadError(_refused("it is cut short or altered"))
    label_length = int.from_bytes(body[:2], "big")
    if label_length > MAX_SOURCE_BYTES or 2 + label_length > len(body):
        raise LinkPayloadError(_refused("it is cut short or altered"))
    try:
        label = body[2 : 2 + label_length].decode("utf-8")
    except UnicodeDecodeError:
        raise LinkPayloadError(_refused("it is cut short or altered")) from None
    return LinkedArticle(body[2 + label_length :], label or None)


def _inflate(stream: bytes, *, max_bytes: int) -> bytes:
    """The bytes a zlib stream inflates to, refusing more than ``max_bytes`` without ever
    holding more than one byte past it."""
    inflater = zlib.decompressobj()
    try:
        body = inflater.decompress(stream, max_bytes + 1)
    except zlib.error:
        raise LinkPayloadError(_refused("it is cut short or altered")) from None
    if len(body) > max_bytes or inflater.unconsumed_tail:
        raise LinkPayloadError(
            _refused(f"its article would be larger than {max_bytes:,} bytes once unpacked")
        )
    if not inflater.eof or inflater.unused_data:
        raise LinkPayloadError(_refused("it is cut short or altered"))
    return body


def article_reference(
    raw: bytes,
    *,
    source: str | None = None,
    link_length: int,
    max_chars: int = LINK_MAX_CHARS,
) -> ArticleReference:
    """How a link should name an article: the article itself when the whole link stays within
    ``max_chars`` characters, else its key (the caller then stores the article,
    :meth:`analysis.storage.shares.ArticleStore.put`).

    Args:
        raw: the article's bytes.
        source: its source label (carried with the text).
        link_length: the length of the whole link without this parameter's value (address,
            path, the other parameters, this parameter's ``name=``).
        max_chars: the longest link that may carry the article.

    Returns:
        ``("text", payload)`` or ``("key", sha256 hex)``.
    """
    if link_length < max_chars:
        try:
            payload = encode_article(raw, source=source)
        except ValueError:  # too long for any link
            payload = None
        if payload is not None and link_length + len(payload) <= max_chars:
            return ArticleReference("text", payload)
    # The share store's key (analysis.storage.shares.article_key), computed here so that the
    # codec needs no database library.
    return ArticleReference("key", hashlib.sha256(raw).hexdigest())


def link_notice(carries: Carries, *, durable: bool) -> str:
    """What the page says next to a link about what it holds (privacy, and how long it opens).

    Args:
        carries: what the link carries (:attr:`ArticleReference.carries`).
        durable: whether the share store is a configured database
            (:attr:`analysis.storage.shares.ArticleStore.durable`) rather than the server's
            own folder.

    Returns:
        one or two sentences for the reader.
    """
    if carries == "text":
        return "This link contains the article's text: anyone with the link can read it."
    if durable:
        return (
            "This link points to the stored copy of the article: anyone with the link can "
            "read it while that copy is kept."
        )
    return (
        "This link points to the copy of the article stored on this server: anyone with the "
        "link can read it there for as long as the server keeps its files (a hosted app's "
        "disk is wiped when it restarts)."
    )


def _refused(reason: str) -> str:
    return (
        f"The article in this link cannot be opened: {reason}; showing the sample article instead."
    )
