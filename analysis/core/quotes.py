"""Who is quoted: direct quotations, their speakers and the entities the speakers are.

What counts as a quotation:

- Text between double quotation marks: straight ``"``, curly ``“ ”``, low ``„``, guillemets
  ``« »`` (either direction) and corner brackets ``「 」``. Whether a straight mark opens or
  closes is read from the characters around it; a mark that can only open, met inside an open
  quotation, starts a new one (the earlier mark was a stray).
- Text between single marks (``'…'``, ``‘…’``), only where they cannot be apostrophes: the
  opening mark starts a word (after a space, an opening bracket or the start of the text) and
  the closing one ends it (not followed by a letter or digit), so "China’s" and "'90s" never
  open or close a quotation.
- A quotation inside another one is part of the outer quotation, not a row of its own.
- News convention for a quotation over several paragraphs: a paragraph whose quotation is not
  closed, followed by a paragraph that opens with a quotation mark. Each paragraph gives its
  own row; they share one speaker. An unclosed quotation that no paragraph continues is a stray
  mark and is ignored.
- The quoted text excludes the marks, the whitespace inside them and a trailing comma, colon
  or semicolon (``"We will win," Lin said`` quotes ``We will win``).
- A split quotation (``"First part," Lin said, "second part."``) gives two rows with the same
  speaker: each row's text is one contiguous span of the paragraph.

Speakers (no dependency parse: the patterns read part-of-speech tags and lemmas):

- After the quotation: ``"…," Lin said`` / ``"…," said Lin`` / ``"…" she added`` /
  ``"…," the minister told reporters`` / ``"…," Lin Jian, the spokesperson, said`` /
  ``"…", according to the ministry``. When the quotation itself does not end with a comma,
  ``?``, ``!`` or a dash and no comma follows it, the attribution must end the sentence, so
  that ``the "peace plan" he said would fail`` is not Lin's quotation.
- Before it: ``Lin said: "…"`` / ``Lin said, "…"`` / ``Lin said "…"`` / ``Lin said that
  "…"`` / ``Lin told reporters on Tuesday: "…"`` / ``According to Lin, "…"`` / ``Pelosi
  spoke, saying, "…"`` (a participle's speaker is the sentence's subject) / ``Lin: "…"`` (a
  name followed by a colon, as in headlines; the name must be a PERSON, ORG, GPE or FAC
  mention).
- Reported speech with a partial quotation (``Lin said the plan was "a step forward"``): the
  speaker of the nearest speech verb earlier in the same sentence, only for quotations of
  more than :data:`MAX_SCARE_WORDS` words (a shorter one there is as often a scare quote).
- Subjects: the phrase right before the verb (skipping adverbs and auxiliaries, an
  apposition "The spokesman, Lin Jian, said" and a relative clause "Lin, who led the talks,
  said"); a participle ("..., saying") or a second verb ("X did this and said") takes the
  sentence's subject.
- A quotation that opens the sentence right after another quotation's attribution
  (``"...," Lin said. "..."``) has the same speaker, when nothing else sits between them.
- A speech verb is a verb whose lemma is in :data:`SPEECH_VERBS`.
- The speaker is a noun phrase of up to :data:`MAX_SPEAKER_TOKENS` tokens (nouns, proper
  nouns, adjectives, determiners, numbers, possessives; "of", "for", "and", "at", "from"
  between them), or one personal pronoun.
- When both sides attribute a quotation, the words after it win (the usual news order).

Speakers and entities (:func:`analysis.core.speakers.resolve_speaker`):

- A named speaker is a PERSON, ORG, GPE or FAC mention inside the speaker phrase that heads it
  (a person first, then an organisation, place, facility; among equals the last): the speaker
  is that name as written and the entity it resolves to, so a short form counts for the full
  name ("Foreign Ministry spokesperson Lin" -> "Lin", entity "Lin Jian"). A bare surname that
  no mention covers is the one person of the article with it.
- A possessive document is its owner's: "Cornyn's statement said" -> "Cornyn".
- An organisation named beside a person in apposition gives the person ("Ann Lee, the head
  of Acme, said"; "said Acme's chief, Ann Lee.").
- A description is kept as written, with the entity it names as its link ("a spokesperson
  for YouTube" -> entity "YouTube"; "a ministry spokesperson" has none); tables and charts
  show it as written (:func:`shown_speaker`).
- "he" / "she" resolves to the nearest PERSON mentioned before it, outside any quotation, in the
  same paragraph or an earlier one. Other pronouns ("it", "they", "we") resolve to nothing.
- Never a speaker: a hashtag or an @handle, a word for a time ("Monday", "Day" alone).

Which quotations are kept: every attributed one; an unattributed one of more than
:data:`MAX_SCARE_WORDS` words (speaker None) unless it looks like a title (title case, no
final ``.``, ``?`` or ``!``). A short unattributed one is a scare quote or a title (the
so-called "peace plan") and is dropped.
"""

from __future__ import annotations

import re
import typing
from bisect import bisect_left
from collections.abc import Iterable, Sequence

import pandas as pd

from analysis.core.entities import is_title_case
from analysis.core.quote_marks import WORD, Span, inner, quote_spans
from analysis.core.schema import QuoteRow, SpeakerRow, frame
from analysis.core.speakers import Names, resolve_speaker, shown_speaker

#: Columns of :func:`quote_table`, ordered by paragraph then start.
QUOTE_COLUMNS = QuoteRow._fields

#: speaker (:func:`shown_speaker`: the entity of a name or pronoun, a description as written),
#: entity (the entity it is or names, or None), quotes
#: (count), words (words quoted), paragraphs (distinct paragraphs). Sorted by words descending,
#: quotes descending, then speaker. Unattributed quotations are not counted.
SPEAKER_COLUMNS = SpeakerRow._fields

#: Lemmas of verbs that introduce or attribute a quotation.
SPEECH_VERBS = frozenset(
    {
        "acknowledge",
        "add",
        "admit",
        "allege",
        "announce",
        "answer",
        "argue",
        "ask",
        "assert",
        "call",
        "characterise",
        "characterize",
        "cite",
        "claim",
        "comment",
        "complain",
        "concede",
        "conclude",
        "confirm",
        "contend",
        "continue",
        "counter",
        "declare",
        "deny",
        "describe",
        "dub",
        "elaborate",
        "emphasise",
        "emphasize",
        "exclaim",
        "explain",
        "insist",
        "joke",
        "mention",
        "note",
        "observe",
        "pledge",
        "post",
        "praise",
        "predict",
        "promise",
        "recall",
        "recount",
        "reiterate",
        "remark",
        "reply",
        "report",
        "respond",
        "say",
        "shout",
        "state",
        "stress",
        "suggest",
        "talk",
        "tell",
        "term",
        "testify",
        "thank",
        "tweet",
        "urge",
        "vow",
        "warn",
        "write",
    }
)

#: Unattributed quotations of at most this many words are taken for scare quotes or titles.
MAX_SCARE_WORDS = 3

#: Longest speaker, in tokens.
MAX_SPEAKER_TOKENS = 10

# Verbs that take an object first: "..., told reporters" names the listener, not the speaker.
_NO_INVERSION = {"tell", "urge", "inform"}
_PERSONAL_TAGS = {"PRP"}
_NP_POS = {"PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM"}
_HEAD_POS = {"PROPN", "NOUN", "PRON"}
_NP_LINKS = {"of", "for", "and", "from"}
# Read backwards from the verb, a phrase cannot swallow the verb's own complements, so more
# prepositions can join it ("the ambassador in Beijing said", "a contributor to Slate wrote").
_NP_LINKS_BEFORE = _NP_LINKS | {"at", "in", "to"}
_NOT_IN_SPEAKER = {"DATE", "TIME"}
_BETWEEN_SUBJECT_AND_VERB = {"ADV", "AUX", "PART"}
_SENTENCE_END = {".", "!", "?", "…"}
_FALLBACK_DETERMINERS = {"a", "an", "the", "his", "her", "its", "their", "our", "my"}
_FALLBACK_PRONOUNS = {"he", "she", "it", "they", "we", "i", "you"}


def _irregular_forms() -> dict[str, str]:
    forms = {
        "said": "say",
        "says": "say",
        "told": "tell",
        "wrote": "write",
        "written": "write",
        "stated": "state",
    }
    for lemma in SPEECH_VERBS:
        forms.setdefault(lemma, lemma)
        if lemma.endswith("e"):
            stems = (lemma + "s", lemma + "d", lemma[:-1] + "ing")
        elif lemma.endswith("y") and lemma[-2] not in "aeiou":
            stems = (lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing")
        else:
            stems = (lemma + "s", lemma + "ed", lemma + "ing")
        for form in stems:
            forms.setdefault(form, lemma)
    return forms


# Docs analysed without the tagger (the command line's fast mode) have no lemmas: their verbs are
# matched by form instead.
_SPEECH_FORMS = _irregular_forms()
# Forms that are verbs whatever the tagger says (it takes every word of a title-case headline
# for a proper noun).
_UNAMBIGUOUS_FORMS = {"said", "says", "told"}


# ---------------------------------------------------------------------------------------------
# Reading tokens


class _Tokens:
    """The non-space tokens of one doc, with the tag-free fallbacks in one place."""

    def __init__(self, doc) -> None:
        self.toks = [t for t in doc if not t.is_space]
        self.starts = [t.idx for t in self.toks]
        self.tagged = bool(doc.has_annotation("TAG"))

    def window(self, lo: int, hi: int) -> tuple[int, int]:
        """Token indexes [a, b) of the tokens lying inside characters [lo, hi)."""
        a = bisect_left(self.starts, lo)
        b = bisect_left(self.starts, hi)
        while b > a and self.toks[b - 1].idx + len(self.toks[b - 1]) > hi:
            b -= 1
        return a, b

    def lemma(self, i: int) -> str | None:
        tok = self.toks[i]
        if tok.lower_ in _UNAMBIGUOUS_FORMS:
            return _SPEECH_FORMS[tok.lower_]
        if self.tagged:
            if tok.pos_ in ("VERB", "AUX"):
                return tok.lemma_.lower() or _SPEECH_FORMS.get(tok.lower_)
            return None
        return _SPEECH_FORMS.get(tok.lower_)

    def speech_verb(self, i: int) -> bool:
        return self.lemma(i) in SPEECH_VERBS

    def participle(self, i: int) -> bool:
        tok = self.toks[i]
        return tok.tag_ == "VBG" if self.tagged else tok.lower_.endswith("ing")

    def personal(self, i: int) -> bool:
        tok = self.toks[i]
        if self.tagged:
            return tok.tag_ in _PERSONAL_TAGS
        return tok.lower_ in _FALLBACK_PRONOUNS

    def np_like(self, i: int) -> bool:
        tok = self.toks[i]
        if tok.text in ("-", "‐") and 0 < i < len(self.toks) - 1:
            # inside a hyphenated name ("Hoi-kwan"): no space on either side
            return not tok.whitespace_ and not self.toks[i - 1].whitespace_
        if tok.ent_type_ in _NOT_IN_SPEAKER:
            return False
        if self.tagged:
            if tok.tag_ in ("WP", "WDT", "EX"):
                return False
            return tok.pos_ in _NP_POS or tok.tag_ == "POS"
        if tok.lower_ in _SPEECH_FORMS:
            return False
        return tok.is_alpha and (
            not tok.is_stop
            or tok.lower_ in _FALLBACK_DETERMINERS
            or tok.lower_ in _FALLBACK_PRONOUNS
        )

    def head(self, i: int) -> bool:
        tok = self.toks[i]
        if self.tagged:
            return tok.pos_ in _HEAD_POS
        return tok.is_alpha and (not tok.is_stop or tok.lower_ in _FALLBACK_PRONOUNS)

    def between(self, i: int) -> bool:
        """Adverbs and auxiliaries between a speaker and the verb ("Lin has also said")."""
        tok = self.toks[i]
        if self.tagged:
            return tok.pos_ in _BETWEEN_SUBJECT_AND_VERB
        return tok.is_stop and tok.is_alpha

    def relative(self, i: int) -> bool:
        tok = self.toks[i]
        return tok.tag_ in ("WP", "WDT") if self.tagged else tok.lower_ in ("who", "which")

    def determiner(self, i: int) -> bool:
        tok = self.toks[i]
        if self.tagged:
            return tok.pos_ == "DET" or tok.tag_ == "PRP$"
        return tok.lower_ in _FALLBACK_DETERMINERS

    def is_preposition(self, i: int) -> bool:
        tok = self.toks[i]
        return tok.pos_ == "ADP" if self.tagged else tok.lower_ in _NP_LINKS_BEFORE

    def text(self, i: int) -> str:
        return self.toks[i].text

    def lower(self, i: int) -> str:
        return self.toks[i].lower_

    def sentence_end(self, i: int) -> bool:
        return self.toks[i].text in _SENTENCE_END

    def chars(self, a: int, b: int) -> tuple[int, int]:
        return self.toks[a].idx, self.toks[b - 1].idx + len(self.toks[b - 1])


def _np_forward(t: _Tokens, a: int, hi: int) -> tuple[int, int] | None:
    """The speaker phrase starting at token a (before token hi), or None."""
    if a >= hi:
        return None
    if t.personal(a):
        return (a, a + 1)
    b = a
    while b < hi and b - a < MAX_SPEAKER_TOKENS:
        if (
            t.np_like(b)
            and not t.personal(b)
            or t.lower(b) in _NP_LINKS
            and b > a
            and b + 1 < hi
            and t.np_like(b + 1)
        ):
            b += 1
        else:
            break
    while b > a and not t.head(b - 1):
        b -= 1
    return (a, b) if b > a else None


def _np_backward(t: _Tokens, b: int, lo: int) -> tuple[int, int] | None:
    """The speaker phrase ending just before token b (not before token lo), or None."""
    if b <= lo:
        return None
    if t.personal(b - 1):
        return (b - 1, b)
    if not t.head(b - 1):
        return None
    a = b
    while a > lo and b - a < MAX_SPEAKER_TOKENS:
        if (
            t.np_like(a - 1)
            and not t.personal(a - 1)
            or t.lower(a - 1) in _NP_LINKS_BEFORE
            and a - 1 > lo
            and t.np_like(a - 2)
        ):
            a -= 1
        else:
            break
        if t.determiner(a) and not (a > lo and t.lower(a - 1) in _NP_LINKS_BEFORE):
            break  # a determiner opens the phrase: "During the speech Trump claimed"
    while a < b and (t.lower(a) in _NP_LINKS_BEFORE or not t.np_like(a)):
        a += 1
    return (a, b) if a < b else None


# ---------------------------------------------------------------------------------------------
# Attribution patterns


def _after(t: _Tokens, a: int, hi: int, strong: bool) -> tuple[int, int] | None:
    """Speaker named right after a quotation (tokens a..hi), as token bounds."""
    if a < hi and t.text(a) in (",", "—", "–"):
        a += 1
        strong = True
    if a >= hi:
        return None
    found: tuple[tuple[int, int], int] | None = None  # (speaker, first token after it)
    if t.lower(a) == "according" and a + 1 < hi and t.lower(a + 1) == "to":
        speaker = _np_forward(t, a + 2, hi)
        if speaker:
            found = (speaker, speaker[1])
    elif t.speech_verb(a) and not t.participle(a) and t.lemma(a) not in _NO_INVERSION:
        speaker = _np_forward(t, a + 1, hi)
        if speaker:
            found = (speaker, speaker[1])
    else:
        speaker = _np_forward(t, a, hi)
        if speaker:
            v = speaker[1]
            if v + 3 < hi and t.text(v) == "," and t.text(v + 1) != ",":
                apposition = _np_forward(t, v + 1, hi)
                if apposition and apposition[1] < hi and t.text(apposition[1]) == ",":
                    v = apposition[1] + 1
            skipped = 0
            while v < hi and skipped < 3 and t.between(v) and not t.speech_verb(v):
                v += 1
                skipped += 1
            if v < hi and t.speech_verb(v) and (skipped or not t.participle(v)):
                found = (speaker, v + 1)
    if found is None:
        return None
    speaker, after = found
    if not strong and after < hi and t.text(after) not in _SENTENCE_END:
        return None
    return speaker


def _sentence_start(t: _Tokens, i: int, lo: int) -> int:
    while i > lo and not t.sentence_end(i - 1):
        i -= 1
    return i


def _subject(t: _Tokens, v: int, lo: int) -> tuple[int, int] | None:
    """The speaker of the speech verb at token v (no token before lo)."""
    start = _sentence_start(t, v, lo)
    coordinated = v - 1 >= start and t.lower(v - 1) == "and"
    # A participle ("..., saying") and a second verb ("X did this and said") have the
    # sentence's subject as their speaker.
    if coordinated or t.participle(v):
        for a in range(start, v):
            if (a == start or t.text(a - 1) == ",") and t.head(a) or t.personal(a):
                speaker = _np_forward(t, a, v)
                if speaker and (speaker[1] < v and not t.np_like(speaker[1])):
                    return speaker
        return None
    b = v
    while b > start and v - b < 3 and t.between(b - 1):
        b -= 1
    speaker = _np_backward(t, b, start)
    if speaker is None and b - 1 > start and t.text(b - 1) == ",":
        comma = next((i for i in range(b - 2, start, -1) if t.text(i) == ","), None)
        if comma is not None and t.relative(comma + 1):
            # "Cherry, who led the petition, said": the clause between the commas is not it
            return _np_backward(t, comma, start)
        speaker = _np_backward(t, b - 1, start)  # "The spokesman, Lin Jian, said"
        if speaker and speaker[0] - 1 > start and t.is_preposition(speaker[0] - 1):
            # "she, in response, said": the phrase between the commas is not the speaker
            if t.text(speaker[0] - 2) == ",":
                speaker = _np_backward(t, speaker[0] - 2, start)
            else:
                speaker = None
    return speaker


def _before(t: _Tokens, lo: int, b: int) -> tuple[tuple[int, int], str] | None:
    """Speaker named before a quotation (tokens lo..b), as token bounds, with how it was
    found: ``verb`` (a speech verb right before), ``colon`` ("Lin: ...", no verb) or
    ``distant`` (a speech verb earlier in the sentence: "Lin said the plan was "..."")."""
    if b <= lo:
        return None
    sep = None
    if t.text(b - 1) in (":", ",", "—", "–"):
        sep = t.text(b - 1)
        b -= 1
    elif t.lower(b - 1) == "that":
        b -= 1
    if b <= lo:
        return None
    start = _sentence_start(t, b, lo)
    reach = {None: 1, ":": 12}.get(sep, 6)
    for v in range(b - 1, max(start, b - reach) - 1, -1):
        if t.speech_verb(v):
            if v + 1 < b and (
                t.participle(v)
                or any(t.text(i) in _SENTENCE_END or t.lemma(i) for i in range(v + 1, b))
            ):
                break  # another verb or clause sits between the speech verb and the quotation
            speaker = _subject(t, v, lo)
            return (speaker, "verb") if speaker else None
        if t.text(v) in (",", ";", ":") and sep != ":":
            break
    speaker = _np_backward(t, b, start)
    if (
        speaker
        and speaker[0] - 2 >= start
        and t.lower(speaker[0] - 2) == "according"
        and (t.lower(speaker[0] - 1) == "to")
    ):
        return speaker, "verb"
    if sep == ":" and speaker and speaker[0] == start:
        return speaker, "colon"  # kept only when it names an entity, see quote_rows
    for v in range(b - 1, start - 1, -1):
        if t.speech_verb(v):
            speaker = _subject(t, v, lo)
            return (speaker, "distant") if speaker else None
    return None


# ---------------------------------------------------------------------------------------------
# Putting it together


class _Found(typing.NamedTuple):
    start: int
    end: int
    speaker: tuple[int, int] | None  # character offsets
    how: str | None  # "after", or how _before found it


def _attribute(text: str, doc, spans: Sequence[Span]) -> list[_Found | None]:
    """Per span: the quoted text and its speaker, or None for a span with no words."""
    if not spans:  # most paragraphs quote no one: no need to read their tokens
        return []
    tokens = _Tokens(doc) if doc is not None and doc.text == text else None
    found: list[_Found | None] = []
    for k, span in enumerate(spans):
        start, end, strong = inner(text, span)
        if not WORD.search(text[start:end]):
            found.append(None)
            continue
        speaker, how = None, None
        if tokens is not None:
            lo = spans[k - 1].close + 1 if k else 0
            hi = spans[k + 1].open if k + 1 < len(spans) else len(text)
            if span.closed:
                bounds = _after(tokens, *tokens.window(span.close + 1, hi), strong)
                if bounds is not None:
                    speaker, how = tokens.chars(*bounds), "after"
            if speaker is None:
                before = _before(tokens, *tokens.window(lo, span.open))
                if before is not None:
                    speaker, how = tokens.chars(*before[0]), before[1]
        found.append(_Found(start, end, speaker, how))
    return found


def _continues(segment, following, spans: Sequence[Span]) -> bool:
    """True when ``following`` opens with a quotation mark that carries on the unclosed
    quotation at the end of ``segment``."""
    if segment.kind != "body" or following.kind != "body" or not spans:
        return False
    if following.index != segment.index + 1:
        return False
    text = following.text
    return spans[0].open == len(text) - len(text.lstrip())


def _words(text: str, quote: _Found) -> int:
    return len(WORD.findall(text, quote.start, quote.end))


def _follows(text: str, earlier: _Found, later: _Found) -> bool:
    """True when ``later`` opens the sentence right after the attribution that follows
    ``earlier`` (``"...," Lin said. "..."``): news goes on quoting the same speaker."""
    if earlier.how != "after" or earlier.speaker is None:
        return False
    gap = text[earlier.end : later.start]
    # the attribution's sentence ends and the later quotation comes next, nothing in between
    return len(gap) <= 120 and re.fullmatch(r"[^.!?]*[.!?][\s\W]*", gap) is not None


def _looks_like_title(quote: str) -> bool:
    return is_title_case(quote) and not quote.rstrip().endswith((".", "?", "!"))


def quote_rows(segments: Sequence, docs: Sequence, mentions: Sequence[Sequence]) -> list[QuoteRow]:
    """Direct quotations with their speakers (see the module docstring for the patterns).

    Args:
        segments: the analysed segments (``index``, ``kind``, ``text``), in order.
        docs: one spaCy ``Doc`` per segment, same order. Tags and lemmas make speakers
            reliable; without the tagger, verbs are matched by their form.
        mentions: mention rows ``[paragraph, start, end, text, label, entity]`` after
            clean-up (:func:`analysis.core.entities.resolve_mentions`).

    Returns:
        :class:`QuoteRow` rows ordered by paragraph, then start.
    """
    segments = list(segments)
    docs = list(docs)[: len(segments)]
    docs += [None] * (len(segments) - len(docs))
    spans = [quote_spans(segment.text) for segment in segments]

    # Quotations over several paragraphs: chain[key] names the chain's first span.
    chain: dict[tuple[int, int], tuple[int, int]] = {}
    for pos in range(len(segments) - 1):
        if (
            spans[pos]
            and not spans[pos][-1].closed
            and _continues(segments[pos], segments[pos + 1], spans[pos + 1])
        ):
            here = (pos, len(spans[pos]) - 1)
            chain.setdefault(here, here)
            chain[(pos + 1, 0)] = chain[here]

    spans_of = {segment.index: spans[pos] for pos, segment in enumerate(segments)}
    names = Names(mentions, spans_of)

    found: dict[tuple[int, int], _Found] = {}
    speakers: dict[tuple[int, int], tuple[str, int | None, int | None, str | None]] = {}
    for pos, segment in enumerate(segments):
        for k, quote in enumerate(_attribute(segment.text, docs[pos], spans[pos])):
            if quote is None or not (spans[pos][k].closed or (pos, k) in chain):
                continue
            found[(pos, k)] = quote
            if quote.speaker is None:
                continue
            found_speaker = resolve_speaker(segment.index, *quote.speaker, segment.text, names)
            if found_speaker is None:
                continue
            entity = found_speaker[3]
            if quote.how == "colon" and entity is None:
                continue
            if quote.how == "distant" and _words(segment.text, quote) <= MAX_SCARE_WORDS:
                continue
            speakers[(pos, k)] = found_speaker
    for key in sorted(found):
        previous = (key[0], key[1] - 1)
        if (
            key not in speakers
            and previous in speakers
            and _follows(segments[key[0]].text, found[previous], found[key])
        ):
            speakers[key] = speakers[previous]
    for key in sorted(chain):
        first = chain[key]
        if key not in speakers:
            continue
        text, _, _, entity = speakers[key]
        for other, head in chain.items():
            if head == first and other not in speakers:
                speakers[other] = (text, None, None, entity)

    rows = []
    for key, quote in found.items():
        segment = segments[key[0]]
        text = segment.text[quote.start : quote.end]
        words = len(WORD.findall(text))
        speaker, s, e, entity = speakers.get(key, (None, None, None, None))
        if speaker is None and (
            (words <= MAX_SCARE_WORDS and key not in chain) or _looks_like_title(text)
        ):
            continue
        rows.append(
            QuoteRow(segment.index, quote.start, quote.end, text, speaker, s, e, entity, words)
        )
    rows.sort(key=lambda row: (row.paragraph, row.start))
    return rows


def quote_table(rows: Sequence[Sequence]) -> pd.DataFrame:
    """The quotations table (:data:`QUOTE_COLUMNS`); the same columns and dtypes for no rows.

    Returns:
        A DataFrame with int64 paragraph/start/end/words, nullable Int64 speaker offsets and
        object text columns (None where unknown).
    """
    return frame(rows, QuoteRow)


def speaker_table(quotes: pd.DataFrame) -> pd.DataFrame:
    """Who is quoted, and how much.

    Args:
        quotes: a table of :data:`QUOTE_COLUMNS` (possibly filtered).

    Returns:
        A DataFrame of :data:`SPEAKER_COLUMNS`, one row per speaker as
        :func:`shown_speaker` names them (unattributed quotations are left out), sorted by
        words descending, quotes descending, then speaker.
    """
    return frame(speaker_rows(quotes.itertuples(index=False)), SpeakerRow)


def said_by(quotes: pd.DataFrame) -> pd.Series:
    """Per quotation, the speaker as :func:`speaker_table` names them (:func:`shown_speaker`):
    the entity of a named speaker or a pronoun, a description as written, else None."""
    return pd.Series(
        [
            shown_speaker(
                speaker if isinstance(speaker, str) else None,
                entity if isinstance(entity, str) else None,
            )
            for entity, speaker in zip(quotes["entity"], quotes["speaker"], strict=True)
        ],
        index=quotes.index,
        dtype="object",
    )


def speaker_rows(quotes: Iterable) -> list[SpeakerRow]:
    """The rows of :func:`speaker_table` from quotation rows (:class:`QuoteRow` or a table's
    named tuples), without pandas."""
    totals: dict[str, list] = {}
    for row in quotes:
        speaker = row.speaker if isinstance(row.speaker, str) else None
        entity = row.entity if isinstance(row.entity, str) else None
        if speaker is None:
            continue
        name = shown_speaker(speaker, entity)
        entry = totals.setdefault(name, [entity, 0, 0, set()])
        entry[1] += 1
        entry[2] += int(row.words)
        entry[3].add(int(row.paragraph))
    return sorted(
        (
            SpeakerRow(name, entity, count, words, len(places))
            for name, (entity, count, words, places) in totals.items()
        ),
        key=lambda row: (-row.words, -row.quotes, row.speaker),
    )
