"""TextBlob's sentiment steps, the same output in less time: its tokenizer
(``textblob._text.find_tokens``) and its word assessments (``Sentiment.assessments``).

TextBlob's default analyzer splits a text with ``find_tokens`` before it looks its words up, and
that split was two thirds of TextBlob's time per text: every token walks two ``while`` loops of
prefix and suffix tests, and every token walks the sentence loop. Most tokens are plain words
(no punctuation at either end) and most are no sentence end; :func:`find_tokens` takes those
straight through and runs TextBlob's own steps, with TextBlob's own tables, on the rest, so the
tokens and sentences are the same for every input. :func:`assessments` is TextBlob's
``assessments`` with one change: a word that may be an emoticon is looked up in one table
rather than in each of TextBlob's emoticon sets, lower-cased anew for every word. Property
tests check both against TextBlob's functions.
"""

from __future__ import annotations

import re

from textblob._text import (
    ABBREVIATIONS,
    EMOTICONS,
    EOS,
    IRONY,
    MOOD,
    PUNCTUATION,
    RE_ABBR1,
    RE_ABBR2,
    RE_ABBR3,
    RE_EMOTICONS,
    RE_SARCASM,
    replacements,
)

#: Characters split off the front of a token (TextBlob's punctuation without the period).
_LEADING = tuple(PUNCTUATION.replace(".", ""))
_LEADING_SET = frozenset(_LEADING)
#: Characters split off the end of a token.
_TRAILING = (*_LEADING, ".")
_TRAILING_SET = frozenset(_TRAILING)
#: Tokens that end a sentence, and those a sentence's end takes along.
_ENDS = frozenset(("...", ".", "!", "?", EOS))
_CLOSERS = ("'", '"', "”", "’", "...", ".", "!", "?", ")", EOS)
_CONTRACTIONS = [(re.compile(a), b) for a, b in replacements.items()]
_CRLF = re.compile("\r\n")
_LINEBREAK = re.compile(r"\n{2,}")


def _split(t: str, tokens: list[str]) -> None:
    """TextBlob's steps for one token with punctuation at an end (appends to ``tokens``)."""
    tail = []
    while t.startswith(_LEADING) and t not in replacements:
        tokens.append(t[0])
        t = t[1:]
    while t.endswith(_TRAILING) and t not in replacements:
        if t.endswith(_LEADING):
            tail.append(t[-1])
            t = t[:-1]
        if t.endswith("..."):
            tail.append("...")
            t = t[:-3].rstrip(".")
        if t.endswith("."):
            if (
                t in ABBREVIATIONS
                or RE_ABBR1.match(t) is not None
                or RE_ABBR2.match(t) is not None
                or RE_ABBR3.match(t) is not None
            ):
                break
            tail.append(t[-1])
            t = t[:-1]
    if t != "":
        tokens.append(t)
    tokens.extend(reversed(tail))


def find_tokens(string: str) -> list[str]:
    """The sentences of ``string``, each a space-separated string of tokens, exactly as
    ``textblob._text.find_tokens(string)`` returns them (with its default arguments)."""
    if "'" in string:
        for pattern, replacement in _CONTRACTIONS:
            string = pattern.sub(replacement, string)
    string = (
        string.replace("“", " “ ")
        .replace("”", " ” ")
        .replace("‘", " ‘ ")
        .replace("’", " ’ ")
        .replace("'", " ' ")
        .replace('"', ' " ')
    )
    if "\r" in string:
        string = _CRLF.sub("\n", string)
    if "\n\n" in string:
        string = _LINEBREAK.sub(f" {EOS} ", string)
    # A paragraph break becomes TextBlob's end-of-sentence marker (so may the marker's own
    # text); markers are dropped from the sentences.
    marked = EOS in string
    # TextBlob collapses white space to single spaces and finds ``TOKEN`` (``(\S+)\s``) in the
    # text with a space added: the runs of non-space characters, as ``str.split`` gives them
    # (``\s`` and ``str.isspace`` are the same characters).
    tokens: list[str] = []
    for t in string.split():
        if t[0] in _LEADING_SET or t[-1] in _TRAILING_SET:
            _split(t, tokens)
        else:
            tokens.append(t)
    sentences: list[list[str]] = [[]]
    count = len(tokens)
    i = j = 0
    for k in [k for k, t in enumerate(tokens) if t in _ENDS]:
        if k < j:
            continue
        j = k
        while j < count and tokens[j] in _CLOSERS:
            if tokens[j] in ("'", '"') and sentences[-1].count(tokens[j]) % 2 == 0:
                break
            j += 1
        if marked:
            sentences[-1].extend(t for t in tokens[i:j] if t != EOS)
        else:
            sentences[-1].extend(tokens[i:j])
        sentences.append([])
        i = j
        j += 1
    sentences[-1].extend(tokens[i:])
    out = []
    for sentence in sentences:
        if sentence:
            text = " ".join(sentence)
            if "(" in text:
                text = RE_SARCASM.sub("(!)", text)
            out.append(RE_EMOTICONS.sub(lambda m: m.group(1).replace(" ", "") + m.group(2), text))
    return out


#: Each emoticon of TextBlob's sets, lower-cased, with the polarity of the first set that holds
#: it (TextBlob's order).
_EMOTICON_POLARITY: dict[str, float] = {}
for (_mood, _polarity), _faces in EMOTICONS.items():
    for _face in _faces:
        _EMOTICON_POLARITY.setdefault(_face.lower(), _polarity)


def assessments(self, words=None, negation=True):
    """``textblob._text.Sentiment.assessments``, step for step, with the emoticon lookup in
    :data:`_EMOTICON_POLARITY` (a method of :func:`analysis.core.sentiment._pattern`'s copy)."""
    if words is None:
        words = []
    a = []
    m = None  # Preceding modifier (i.e., adverb or adjective).
    n = None  # Preceding negation (e.g., "not beautiful").
    negations = self.negations if negation else ()
    for w, pos in words:
        if w is None:
            continue
        entry = self.get(w)
        if entry is None and m is None and n is None and w.isalpha() and w not in negations:
            continue  # an unknown word with nothing before it to carry: no step applies
        if entry is not None and pos in entry:
            p, s, i = entry[pos]
            if m is None:
                a.append(dict(w=[w], p=p, s=s, i=i, n=1, x=self.labeler.get(w)))
            if m is not None:
                a[-1]["w"].append(w)
                a[-1]["p"] = max(-1.0, min(p * a[-1]["i"], +1.0))
                a[-1]["s"] = max(-1.0, min(s * a[-1]["i"], +1.0))
                a[-1]["i"] = i
                a[-1]["x"] = self.labeler.get(w)
            if n is not None:
                a[-1]["w"].insert(0, n)
                a[-1]["i"] = 1.0 / a[-1]["i"]
                a[-1]["n"] = -1
            m = None
            n = None
            if pos and pos in self.modifiers or any(map(self[w].__contains__, self.modifiers)):
                m = (w, pos)
            if negation and w in self.negations:
                n = w
        else:
            if negation and w in self.negations:
                n = w
            elif n and len(w.strip("'")) > 1:
                n = None
            if n is not None and m is not None and (pos in self.modifiers or self.modifier(m[0])):
                a[-1]["w"].append(n)
                a[-1]["n"] = -1
                n = None
            elif m and len(w) > 2:
                m = None
            if w == "!" and len(a) > 0:
                a[-1]["w"].append("!")
                a[-1]["p"] = max(-1.0, min(a[-1]["p"] * 1.25, +1.0))
            if w == "(!)":
                a.append(dict(w=[w], p=0.0, s=1.0, i=1.0, n=1, x=IRONY))
            if w.isalpha() is False and len(w) <= 5 and w not in PUNCTUATION:
                polarity = _EMOTICON_POLARITY.get(w)
                if polarity is not None:
                    a.append(dict(w=[w], p=polarity, s=1.0, i=1.0, n=1, x=MOOD))
    for k in range(len(a)):
        w, p, s, n, x = a[k]["w"], a[k]["p"], a[k]["s"], a[k]["n"], a[k]["x"]
        # "not good" = slightly bad, "not bad" = slightly good.
        a[k] = (w, p * -0.5 if n < 0 else p, s, x)
    return a


def scored(analyzer, text: str) -> tuple[float, float, list]:
    """``analyzer(text)`` for a string, as TextBlob's ``Sentiment.__call__`` computes it: the
    text split (``analyzer.tokenizer``), its words lower-cased and assessed, polarity and
    subjectivity the means of the assessments' (0.0 for none).

    Returns:
        (polarity, subjectivity, assessments), the assessments as ``(words, polarity,
        subjectivity, label)``.
    """
    words = " ".join(analyzer.tokenizer(text)).split()
    a = analyzer.assessments([(w.lower(), None) for w in words], True)
    count = float(len(a) or 1)
    return sum(p for _, p, _, _ in a) / count, sum(s for _, _, s, _ in a) / count, a
