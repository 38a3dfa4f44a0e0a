"""Near-duplicate articles: the same story published twice (wire copy on two sites, one site's
two URLs), found with MinHash LSH (``datasketch``).

An article's fingerprint is the set of its body's word :data:`SHINGLE`-grams (case-folded
words, headline left out: copies of a wire story often carry each outlet's own headline).
Two articles whose estimated Jaccard similarity of those sets reaches :data:`THRESHOLD` are
the same story; the later one is stored with ``duplicate_of`` set to the first one's key.
MinHash with :data:`NUM_PERM` permutations estimates the similarity; the LSH index finds the
candidates without comparing every pair, and each candidate's estimate is checked against
the threshold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np

#: Words per shingle.
SHINGLE = 3
#: MinHash permutations (the signature is ``4 * NUM_PERM`` bytes).
NUM_PERM = 128
#: Estimated Jaccard similarity of the shingle sets from which two articles are one story.
THRESHOLD = 0.5
#: Articles shorter than this many words get no signature (too short to tell copies apart).
MIN_WORDS = 20
_SEED = 1
#: datasketch's hashing scheme, named so that stored signatures are read back under it.
_SCHEME = "affine32"
_WORD = re.compile(r"\w+")


def shingles(paragraphs: Iterable[str]) -> set[bytes]:
    """The body's word :data:`SHINGLE`-grams, case-folded, as UTF-8 bytes; empty when it has
    fewer than :data:`MIN_WORDS` words."""
    words = [w.casefold() for paragraph in paragraphs for w in _WORD.findall(paragraph)]
    if len(words) < MIN_WORDS:
        return set()
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def signature(paragraphs: Iterable[str]):
    """The MinHash signature of a body (a ``datasketch.MinHash``), or None when it is too short
    (see :func:`shingles`)."""
    from datasketch import MinHash

    grams = shingles(paragraphs)
    if not grams:
        return None
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    minhash.update_batch(list(grams))
    return minhash


def signature_bytes(minhash) -> bytes:
    """A signature as bytes, for the corpus's ``collect_signatures`` table."""
    return np.asarray(minhash.hashvalues, dtype=np.uint32).tobytes()


def signature_from_bytes(data: bytes):
    """The signature :func:`signature_bytes` wrote."""
    from datasketch import MinHash

    values = np.frombuffer(data, dtype=np.uint32)
    return MinHash(num_perm=len(values), seed=_SEED, hashvalues=values, scheme=_SCHEME)


class NearDuplicates:
    """An index of the signatures of stored (and newly collected) originals.

    Args:
        threshold: the similarity from which two articles are one story.
    """

    def __init__(self, *, threshold: float = THRESHOLD) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._signatures: dict[str, object] = {}
        self._urls: dict[str, str | None] = {}
        self._order: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, key: str) -> bool:
        return key in self._signatures

    def add(self, key: str, minhash, *, url: str | None = None) -> None:
        """Index an original under its doc_key (a key already indexed is left as it is)."""
        if key in self._signatures:
            return
        self._lsh.insert(key, minhash)
        self._signatures[key] = minhash
        self._urls[key] = url
        self._order[key] = len(self._order)

    def original_of(self, minhash, *, url: str | None = None) -> str | None:
        """The key of the indexed article this one copies, or None.

        Earlier revisions of the same ``url`` are not copies. Of several originals above the
        threshold, the first indexed (the first stored) is taken.
        """
        found = None
        for key in self._lsh.query(minhash):
            if url is not None and self._urls.get(key) == url:
                continue
            if minhash.jaccard(self._signatures[key]) < self.threshold:
                continue
            if found is None or self._order[key] < self._order[found]:
                found = key
        return found

    def keys(self) -> Sequence[str]:
        """The indexed keys, in the order they were indexed."""
        return list(self._signatures)
