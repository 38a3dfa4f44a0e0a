"""The ``newslens_patterns`` component: spaCy's ``SpanRuler`` with the same patterns and the same
matches, in less time.

spaCy's matcher starts every token pattern at every token, and a pattern whose first token
tests a word list or a regular expression costs it a Python call per token (a plain value is
compared in its compiled loop). Most such patterns also need a listed word that few texts have
("Boeing", "HMS", "UTC", "CEO" after "'s"), or a first word of a rare shape ("STS-135",
"I-95"), so the ruler (:func:`pattern_ruler`) keeps them in a second matcher that runs only on
a doc where one of them can match: a doc holding, for each word list of the pattern, a word of
the list, and a word that passes the first token's regular expression and its true-or-false
tests (``IS_ALPHA``, ``IS_PUNCT``...). Those checks read the doc's words once, as an array.
A one-token pattern that is only a list of lower-case words ("said", "announced") is the same
as those words as phrases (the ruler's phrases are matched in lower case), which spaCy's
phrase matcher finds in one pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

#: The token attributes whose word lists decide whether a doc can hold a match.
_LISTED = ("ORTH", "LOWER")
#: The token attributes whose regular expression, on a pattern's first token, decides it too
#: (``TEXT`` is ``ORTH`` in a pattern).
_TESTED = {"TEXT": "ORTH", "ORTH": "ORTH", "LOWER": "LOWER"}


@cache
def pattern_ruler() -> type:
    """The ``PatternRuler`` class, a ``SpanRuler`` (phrases matched in lower case) that runs
    the patterns that start with a costly test, and need listed words (:func:`needs_of`) or
    start with a regular expression (:func:`first_token_test`), only on docs where they can
    match. Defined on first use: spaCy is imported when the pipeline is
    loaded (in the app, by one background thread), not with this package."""
    import re
    import warnings

    from spacy.attrs import IDS
    from spacy.matcher import Matcher
    from spacy.pipeline import SpanRuler
    from spacy.tokens import Span

    class PatternRuler(SpanRuler):
        def clear(self) -> None:
            super().clear()
            self.listed = Matcher(
                self.nlp.vocab, validate=self.validate, fuzzy_compare=self.matcher_fuzzy_compare
            )
            # Per pattern of ``listed``: its word lists (as string ids) and the test of its
            # first token (see :func:`first_token_test`), with the columns they read.
            self._gates: list[tuple[tuple[tuple[int, frozenset[int]], ...], tuple | None]] = []
            self._columns: list[str] = list(_LISTED)

        def add_patterns(self, patterns: Sequence[dict]) -> None:
            direct = []
            strings = self.nlp.vocab.strings
            for entry in patterns:
                pattern = entry["pattern"]
                words = _lower_words(pattern)
                if words is not None and all(len(self.nlp.make_doc(w)) == 1 for w in words):
                    direct.extend({**entry, "pattern": word} for word in words)
                    continue
                costly = _costly_start(pattern)
                needs = needs_of(pattern) if costly else ()
                test = first_token_test(pattern) if costly else None
                if not needs and test is None:
                    direct.append(entry)
                    continue
                label, key = entry["label"], entry.get("id", "")
                name = repr((label, key))
                self._match_label_id_map[strings.as_int(name)] = {"label": label, "id": key}
                self.listed.add(name, [pattern])
                self._gates.append(
                    (
                        tuple(
                            (self._column(attr), frozenset(strings.add(w) for w in values))
                            for attr, values in needs
                        ),
                        None
                        if test is None
                        else (
                            self._column(test[0]),
                            re.compile(test[1]),
                            [self._column(flag) for flag, _ in test[2]],
                            [int(value) for _, value in test[2]],
                        ),
                    )
                )
            super().add_patterns(direct)
            # Kept as given, so that the ruler's patterns (and what it writes to disk) are the
            # data's.
            if direct:
                del self._patterns[-len(direct) :]
            self._patterns.extend(patterns)

        def _column(self, attr: str) -> int:
            if attr not in self._columns:
                self._columns.append(attr)
            return self._columns.index(attr)

        def match(self, doc):
            matches = super().match(doc)
            if not self._gates or not self._may_match(doc):
                return matches
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="\\[W036")
                found = {
                    Span(
                        doc,
                        start,
                        end,
                        label=self._match_label_id_map[key]["label"],
                        span_id=self._match_label_id_map[key]["id"],
                    )
                    for key, start, end in self.listed(doc)
                    if start != end
                }
            return sorted(found.union(matches)) if found else matches

        def _may_match(self, doc) -> bool:
            """True when, for one of the patterns of ``listed``, the doc has a word of each of
            its lists and a word that passes its first token's test."""
            if len(doc) == 0:
                return False
            values = doc.to_array([IDS[attr] for attr in self._columns])
            present: dict[int, set[int]] = {}
            tested: dict[tuple, list[str]] = {}
            for needs, test in self._gates:
                for column, words in needs:
                    if column not in present:
                        present[column] = set(values[:, column].tolist())
                    if words.isdisjoint(present[column]):
                        break
                else:
                    if test is None:
                        return True
                    column, regex, flags, wanted = test
                    key = (column, *flags, *wanted)
                    if key not in tested:
                        passing = (values[:, flags] == wanted).all(axis=1)
                        strings = doc.vocab.strings
                        tested[key] = [strings[s] for s in set(values[passing, column].tolist())]
                    if any(map(regex.search, tested[key])):
                        return True
            return False

    return PatternRuler


def needs_of(pattern) -> tuple[tuple[str, frozenset[str]], ...]:
    """The word lists a match of the token pattern ``pattern`` must hold a word of: one per
    token that always takes part (no ``OP``, or ``+``) and is a word or a list of words of
    :data:`_LISTED` (``{"ORTH": "State"}``, ``{"LOWER": {"IN": [...]}}``)."""
    if not isinstance(pattern, list):
        return ()
    needs = []
    for token in pattern:
        if token.get("OP", "+") != "+":
            continue
        for attr in _LISTED:
            value = token.get(attr)
            if isinstance(value, str):
                needs.append((attr, frozenset([value])))
            elif isinstance(value, dict) and list(value) == ["IN"]:
                needs.append((attr, frozenset(value["IN"])))
    return tuple(needs)


def first_token_test(pattern) -> tuple[str, str, tuple[tuple[str, bool], ...]] | None:
    """``(attribute, regular expression, ((flag, value), ...))`` when the first token of the
    token pattern ``pattern`` must pass a regular expression on its text (``TEXT``, ``ORTH``
    or ``LOWER``): the attribute it reads (``ORTH`` or ``LOWER``), the expression, and the
    token's true-or-false tests (``IS_ALPHA``, ``IS_PUNCT``...); else None."""
    if not isinstance(pattern, list) or not pattern or pattern[0].get("OP", "+") != "+":
        return None
    token = pattern[0]
    for key, attr in _TESTED.items():
        value = token.get(key)
        if isinstance(value, dict) and list(value) == ["REGEX"]:
            flags = tuple(
                (flag, wanted)
                for flag, wanted in token.items()
                if flag.startswith("IS_") and isinstance(wanted, bool)
            )
            return attr, value["REGEX"], flags
    return None


def _costly_start(pattern) -> bool:
    """True when the first token of a token pattern tests a list, a regular expression or
    another Python predicate (a dict value)."""
    return isinstance(pattern, list) and any(isinstance(v, dict) for v in pattern[0].values())


def _lower_words(pattern) -> list[str] | None:
    """The words of a one-token pattern that is only a list of lower-case words, else None."""
    if not isinstance(pattern, list) or len(pattern) != 1 or list(pattern[0]) != ["LOWER"]:
        return None
    value = pattern[0]["LOWER"]
    if not isinstance(value, dict) or list(value) != ["IN"]:
        return None
    words = value["IN"]
    return list(words) if all(isinstance(w, str) and w == w.lower() for w in words) else None
