"""Which language a text is in, by its function words: enough to warn that NewsLens's English
models will be unreliable and to keep that language's function words out of the top terms.

Each list holds common articles, prepositions, conjunctions and pronouns of one language,
chosen so that no word is also a common English word ("a", "in", "die" and "to" are left
out). A text is in the language whose words make up the largest share of its words, when
that share is at least :data:`MIN_SHARE` and larger than the share of English stop words.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Function words per language (case-folded).
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "Spanish": frozenset({
        "de", "el", "la", "los", "las", "del", "al", "y", "que", "en", "un", "una", "por",
        "con", "para", "es", "se", "su", "sus", "no", "como", "más", "pero", "lo", "le", "muy",
        "también"
    }),
    "French": frozenset({
        "de", "en", "le", "la", "les", "des", "du", "et", "est", "dans", "une", "pour", "que",
        "qui", "sur", "pas", "par", "au", "aux", "avec", "ce", "cette", "sont", "il", "elle",
        "mais", "ou"
    }),
    "German": frozenset({
        "der", "das", "und", "ist", "nicht", "den", "dem", "des", "ein", "eine", "einer", "mit",
        "von", "zu", "auf", "für", "sich", "im", "auch", "es", "sie", "wird", "sind"
    }),
    "Italian": frozenset({
        "e", "il", "gli", "di", "che", "è", "della", "delle", "degli", "del", "per", "non",
        "una", "con", "sono", "anche", "nel", "nella", "alla", "più", "lo", "ha"
    }),
    "Portuguese": frozenset({
        "de", "e", "os", "da", "das", "dos", "não", "em", "um", "uma", "com", "para", "que",
        "por", "mais", "foi", "ao", "pelo", "pela", "são", "também"
    }),
    "Dutch": frozenset({
        "de", "het", "een", "en", "van", "niet", "op", "voor", "met", "zijn", "dat", "ook",
        "bij", "aan", "werd", "wordt", "naar", "maar", "door", "deze"
    }),
}  # fmt: skip

#: The smallest share of a language's function words that names it.
MIN_SHARE = 0.12


def detect_language(words: Iterable[str], english_share: float) -> tuple[str, float]:
    """The language of some case-folded words and the share of them that are its function
    words; ``("English", english_share)`` when no other language has a larger share of at
    least :data:`MIN_SHARE`."""
    words = list(words)
    if not words:
        return "English", english_share
    best, share = "English", english_share
    for language, function_words in FUNCTION_WORDS.items():
        own = sum(word in function_words for word in words) / len(words)
        if own >= MIN_SHARE and own > share:
            best, share = language, own
    return best, share
