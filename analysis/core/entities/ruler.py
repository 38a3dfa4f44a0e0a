"""The ``newslens_patterns`` component: spaCy's ``SpanRuler`` with the same patterns and the same
matches, in less time.

spaCy's matcher starts every token pattern at every token, and a pattern whose first token
tests a word list or a regular expression costs it a Python call per token (a plain value is
compared in its compiled loop). Most such patterns also need a listed word that few texts have
("Boeing", "HMS", "UTC", "CEO" after "'s"), so the ruler (:func:`pattern_ruler`) keeps them in a second
matcher that runs only on a doc holding, for each word list of one of them, a word of the list:
where it does not, none of them can match. A one-token pattern that is only a list of
lower-case words ("said", "announced") is the same as those words as phrases (the ruler's
phrases are matched in lower case), which spaCy's phrase matcher finds in one pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

#: The token attributes whose word lists decide whether a doc can hold a match.
_LISTED = ("ORTH", "LOWER")


@cache
def pattern_ruler() -> type:
    """The ``PatternRuler`` class, a ``SpanRuler`` (phrases matched in lower case) that runs
    the patterns that start with a costly test and need listed words (:func:`needs_of`) only
    on docs that have the words. Defined on first use: spaCy is imported when the pipeline is
    loaded (in the app, by one background thread), not with this package."""
    import warnings

    from spacy.attrs import LOWER, ORTH
    from spacy.matcher import Matcher
    from spacy.pipeline import SpanRuler
    from spacy.tokens import Span

    class PatternRuler(SpanRuler):
        def clear(self) -> None:
            super().clear()
            self.listed = Matcher(
                self.nlp.vocab, validate=self.validate, fuzzy_compare=self.matcher_fuzzy_compare
            )
            self._needs: list[tuple[tuple[str, frozenset[int]], ...]] = []

        def add_patterns(self, patterns: Sequence[dict]) -> None:
            direct = []
            strings = self.nlp.vocab.strings
            for entry in patterns:
                pattern = entry["pattern"]
                words = _lower_words(pattern)
                if words is not None and all(len(self.nlp.make_doc(w)) == 1 for w in words):
                    direct.extend({**entry, "pattern": word} for word in words)
                    continue
                needs = needs_of(pattern) if _costly_start(pattern) else ()
                if not needs:
                    direct.append(entry)
                    continue
                label, key = entry["label"], entry.get("id", "")
                name = repr((label, key))
                self._match_label_id_map[strings.as_int(name)] = {"label": label, "id": key}
                self.listed.add(name, [pattern])
                self._needs.append(
                    tuple(
                        (attr, frozenset(strings.add(w) for w in values)) for attr, values in needs
                    )
                )
            super().add_patterns(direct)
            # Kept as given, so that the ruler's patterns (and what it writes to disk) are the
            # data's.
            if direct:
                del self._patterns[-len(direct) :]
            self._patterns.extend(patterns)

        def match(self, doc):
            matches = super().match(doc)
            if not self._needs or not self._may_match(doc):
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
            """True when, for one of the listed patterns, the doc has a word of each of its
            lists."""
            if len(doc) == 0:
                return False
            values = doc.to_array([ORTH, LOWER])
            present = {"ORTH": set(values[:, 0].tolist()), "LOWER": set(values[:, 1].tolist())}
            return any(
                all(not words.isdisjoint(present[attr]) for attr, words in needs)
                for needs in self._needs
            )

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
