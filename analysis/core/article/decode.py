"""Bytes -> text: UTF-8 (BOM optional), UTF-16 with a BOM, or Windows-1252 with a warning;
binary files refused with a message that names what they look like."""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import NamedTuple

from analysis.errors import ArticleError

#: Share of non-printable characters above which text is refused as binary.
MAX_NONPRINTABLE_SHARE = 0.10
#: Text of at least this many letters, fewer than this share of them Latin, gets a warning that
#: it may not be English.
SCRIPT_MIN_LETTERS = 20
MIN_LATIN_SHARE = 0.5


#: The encodings :func:`decoded_bytes` reports; only the last one is a guess.
ENCODINGS = ("utf-8", "utf-16", "windows-1252")


class Decoded(NamedTuple):
    """Bytes decoded to text."""

    text: str
    encoding: str  #: one of :data:`ENCODINGS`
    warnings: tuple[str, ...]  #: empty unless the encoding had to be guessed


def decoded_bytes(raw: bytes) -> Decoded:
    """Decode uploaded bytes: UTF-8 (BOM optional), UTF-16 with a BOM, else Windows-1252.

    Returns:
        The text, the encoding used and warnings (one when the encoding was guessed).

    Raises:
        ArticleError: the bytes are binary data (NUL bytes outside UTF-16), not text.
    """
    if raw.startswith(codecs.BOM_UTF8):
        return Decoded(_decode_strict(raw[len(codecs.BOM_UTF8) :], "utf-8"), "utf-8", ())
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(_decode_strict(raw, "utf-16"), "utf-16", ())
    if b"\x00" in raw:
        raise ArticleError(_binary_message(raw))
    try:
        return Decoded(raw.decode("utf-8"), "utf-8", ())
    except UnicodeDecodeError as error:
        first_bad = error.start
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte, so nothing is lost.
        text = raw.decode("latin-1")
    return Decoded(
        text,
        "windows-1252",
        (
            f"The file is not valid UTF-8 (byte 0x{raw[first_bad]:02x} at position "
            f"{first_bad + 1:,}); it was read as Windows-1252 (Western European). If some "
            "characters look wrong, save the file as UTF-8 and upload it again.",
        ),
    )


def decode_bytes(raw: bytes) -> tuple[str, tuple[str, ...]]:
    """Decode uploaded bytes (see :func:`decoded_bytes`).

    Returns:
        The text and a tuple of warnings (empty unless the encoding had to be guessed).

    Raises:
        ArticleError: the bytes are binary data (NUL bytes outside UTF-16), not text.
    """
    decoded = decoded_bytes(raw)
    return decoded.text, decoded.warnings


def _decode_strict(raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise ArticleError(
            f"The file starts with a {encoding.upper()} byte-order mark but is not valid "
            f"{encoding.upper()} (bad byte at position {error.start})."
        ) from None


_SIGNATURES = {
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"PK\x03\x04": "a ZIP archive (or a Word/OpenDocument file)",
    b"%PDF": "a PDF document",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "a program",
    b"RIFF": "a media file",
}


def _binary_message(raw: bytes) -> str:
    for signature, name in _SIGNATURES.items():
        if raw.startswith(signature):
            return (
                f"This looks like {name}, not text. NewsLens reads plain text (.txt, .md) "
                "and web pages (.html)."
            )
    return (
        "This file contains binary data, not text. NewsLens reads plain text (.txt, .md) "
        "and web pages (.html)."
    )


_WHITESPACE_CONTROLS = re.compile(r"[\t\n\r\f\v]")


def check_text(text: str) -> tuple[str, ...]:
    """Refuse text with NUL bytes, unpaired surrogates or mostly non-printable characters.

    Returns:
        Warnings for text that is kept but may analyse poorly (invisible characters, a script
        other than Latin).
    """
    if "\x00" in text:
        raise ArticleError(_binary_message(text[:8].encode("latin-1", "replace")))
    warnings = []
    if not _WHITESPACE_CONTROLS.sub("", text).replace("\u00a0", " ").isprintable():
        bad = invisible = 0
        for char in text:
            category = unicodedata.category(char)
            if category == "Cs":
                raise ArticleError(
                    "The text contains invalid Unicode (unpaired surrogate characters) and "
                    "cannot be read."
                )
            if category in ("Cc", "Co", "Cn") and char not in "\t\n\r\f\v":
                bad += 1
            elif category == "Cf":
                invisible += 1
        if bad > MAX_NONPRINTABLE_SHARE * len(text):
            raise ArticleError(
                f"This does not look like text: {bad:,} of its {len(text):,} characters are "
                "control or unassigned characters. NewsLens reads plain text and web pages."
            )
        if bad + invisible:
            warnings.append(
                f"The text contains {bad + invisible:,} invisible or control character"
                f"{'s' if bad + invisible != 1 else ''} (such as zero-width spaces); they are "
                "kept, but a word they split is counted as two."
            )
    letters, latin = _letters(text[:20_000])
    if letters >= SCRIPT_MIN_LETTERS and latin < MIN_LATIN_SHARE * letters:
        warnings.append(
            "Most of this text is not in the Latin alphabet. NewsLens's language models are "
            "for English, so words may split oddly and sentiment and entities will be unreliable."
        )
    return tuple(warnings)


_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")
_NOT_ASCII_LETTERS = re.compile(r"[^A-Za-z]+")


def _letters(text: str) -> tuple[int, int]:
    """The letters of ``text`` and those of them in the Latin blocks (below U+0250), counted
    in the ASCII part at once and one by one in the rest."""
    ascii_letters = len(_NOT_ASCII_LETTERS.sub("", text))
    others = [char for char in _ASCII_RUNS.sub("", text) if char.isalpha()]
    latin = sum(1 for char in others if char < "\u0250")
    return ascii_letters + len(others), ascii_letters + latin
