"""Per entity span: cut names run together, strip titles and determiners, and label a name
by its own words (steps 1 to 4 of the clean-up, see :mod:`analysis.core.entities`)."""

from __future__ import annotations

import re

from analysis.core.entities.lexicon import (
    BUILDING_HEADS,
    EVENT_HEADS,
    EVENT_OPENERS,
    EVENT_WORDS,
    FACILITY_HEADS,
    GROUP_WORDS,
    JOB_TITLES,
    LONGEST_TITLE,
    NATIONALITIES,
    ORG_HEADS,
    PERSON_ONLY_TITLES,
    PLACE_HEADS,
    PLACE_OPENERS,
    TOWN_OPENERS,
)

_LEADING = {
    "the", "a", "an", "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame",
}  # fmt: skip
_TRAILING = {"'s", "’s", "'", "’", ".", ",", ";", ":", "-", "–", "—", ")", "(", '"', "“", "”"}


_DASHES = {"-", "--", "–", "—", "/", "|"}
_VERSUS = {"v", "v.", "vs", "vs."}
_SCORE = re.compile(r"\d+[-–:]\d+")


def pieces(ent) -> list[tuple[int, int]]:
    """Token ranges of an entity span cut where names are run together: at a sentence start,
    a free-standing dash or slash, "v"/"vs", a score ("Arsenal 2-1 Chelsea") or a line break.
    The separators themselves are left out."""
    doc = ent.doc
    pieces: list[tuple[int, int]] = []
    start = ent.start
    i = ent.start
    while i < ent.end:
        if i > ent.start and doc[i].is_sent_start:
            pieces.append((start, i))
            start = i
        skip = _separator_size(doc, i, ent.start, ent.end)
        if skip:
            pieces.append((start, i))
            i += skip
            start = i
            continue
        i += 1
    pieces.append((start, ent.end))
    return [(a, b) for a, b in pieces if b > a]


def _separator_size(doc, i: int, start: int, end: int) -> int:
    """Tokens of a separator between two names at token ``i`` of the span ``start:end``."""
    token = doc[i]
    if "\n" in token.text or (token.is_space and i > start):
        return 1

    if i > start and (
        token.lower_ in _VERSUS
        or (token.text in _DASHES and token.whitespace_ and doc[i - 1].whitespace_)
    ):
        return 1
    if _SCORE.fullmatch(token.text):
        return 1
    if token.like_num and i + 2 < end and doc[i + 1].text in _DASHES and doc[i + 2].like_num:
        return 3
    if swallows_next(doc, i, start, end):
        return 1
    return 0


def swallows_next(doc, i: int, start: int, end: int) -> bool:
    """True when the "the" at token ``i`` joins a name to the modifier of the noun after the
    span ("Rathbun the Scientology critic": Rathbun, and Scientology qualifying "critic"),
    not to an epithet ("Ivan the Terrible ruled", "Alexander the Great was")."""
    if doc[i].text != "the" or not start < i < end - 1 or end >= len(doc):
        return False
    following = doc[end]
    return (
        doc[i - 1].text[:1].isupper()
        and doc[i + 1].text[:1].isupper()
        and following.is_lower
        and following.tag_ in ("NN", "NNS")
    )


def _key(token) -> str:
    return token.lower_.rstrip(".")


#: The first and the last words of the job titles, and the beginnings of the nationality
#: words: a title or a nationality word can only start (or end) with one of them.
_TITLE_FIRSTS = frozenset(title.split(" ")[0] for title in JOB_TITLES)
_TITLE_LASTS = frozenset(title.split(" ")[-1] for title in JOB_TITLES)
_NATIONALITY_HEADS = frozenset(word[:k] for word in NATIONALITIES for k in range(1, len(word)))


def _title_at(doc, i: int, end: int, label: str) -> int:
    """Number of tokens of the longest job title starting at token ``i`` (0 if none)."""
    if i < end:
        first = _key(doc[i])
        if " " not in first and first not in _TITLE_FIRSTS:
            return 0
    for size in range(min(LONGEST_TITLE, end - i), 0, -1):
        words = " ".join(_key(doc[k]) for k in range(i, i + size))
        if words in JOB_TITLES and (label == "PERSON" or words not in PERSON_ONLY_TITLES):
            return size
    return 0


def _nationality_at(doc, i: int, end: int) -> int:
    """Number of tokens of a nationality word starting at token ``i`` (0 if none)."""
    if i >= end:
        return 0
    first = doc[i].text
    if i + 2 <= end and first in _NATIONALITY_HEADS and doc[i : i + 2].text in NATIONALITIES:
        return 2
    return 1 if first in NATIONALITIES else 0


def is_address(token) -> bool:
    """True for an e-mail address or a link ("www.example.org", "https://..."): a span holding
    one is a contact line or a reference, not a name. A bare domain ("Amazon.com") is often the
    name of a company, so it is not an address here."""
    text = token.text.lower()
    return token.like_email or (
        token.like_url and ("://" in text or text.startswith("www.") or "/" in text)
    )


def _is_name_start(token) -> bool:
    return token.text[:1].isupper() and token.text not in _TRAILING and not token.is_punct


def trimmed(doc, start: int, end: int, label: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, label, counted) token ranges of the names in one piece of an entity span.

    Leading determiners, honorifics and job titles are dropped ("the", "Mr.", "Defender"),
    and so are trailing possessives, punctuation and, after another name, job titles
    ("Foreign Ministry Spokesperson" -> "Foreign Ministry"). A leading nationality word
    before a title or a person's name is a NORP of its own ("Chinese President Xi Jinping").
    A name that is only a nationality or group word is NORP. A nationality word used as a
    modifier (:func:`_is_modifier`) is not counted.
    """
    found: list[tuple[int, int, str, bool]] = []
    titled = False
    while start < end:
        if _key(doc[start]) in _LEADING and end - start > 1:
            start += 1
            continue
        size = _title_at(doc, start, end, label)
        if size and start + size < end and _is_name_start(doc[start + size]):
            start += size
            titled = True
            continue
        size = _nationality_at(doc, start, end)
        if (
            size
            and start + size < end
            and _is_name_start(doc[start + size])
            and (label == "PERSON" or _title_at(doc, start + size, end, "PERSON"))
        ):
            found.append((start, start + size, "NORP", False))
            start += size
            continue
        break
    while end > start:
        if doc[end - 1].text in _TRAILING or doc[end - 1].is_punct:
            end -= 1
        elif end - start > 2 and _key(doc[end - 1]) == "al" and doc[end - 2].lower_ == "et":
            end -= 2  # "Gibbons et al.": a citation of co-authors, not part of the name
        else:
            break
    if label != "PERSON" and end > start:
        last = _key(doc[end - 1])
        sizes = range(min(LONGEST_TITLE, end - start - 1), 0, -1)
        if " " not in last and last not in _TITLE_LASTS:
            sizes = range(0)
        for size in sizes:
            if " ".join(_key(doc[k]) for k in range(end - size, end)) in JOB_TITLES:
                end -= size
                break
    if end <= start:
        return found
    text = doc[start:end].text
    if text in NATIONALITIES or text in GROUP_WORDS:
        label = "NORP"
    elif (
        titled
        and label != "PERSON"
        and end - start <= 4
        and all(doc[k].text[:1].isupper() for k in range(start, end))
    ):
        label = "PERSON"
    else:
        label = _label_by_head(doc, start, end, label)
    counted = not (label in _PEOPLE_LABELS and _is_modifier(doc, start, end))
    found.append((start, end, label, counted))
    return found


_HEAD_LABELS = ("ORG", "PERSON", "PRODUCT", "WORK_OF_ART")


def _label_by_head(doc, start: int, end: int, label: str) -> str:
    """The label a name's head word gives it (``label`` when none): a facility's last word
    makes a FAC, a natural place's a LOC ("Mount" first too), an organisation's an ORG. The
    head is the last word, or the word before "of" ("University of Texas")."""
    words = [doc[k].text.rstrip(".") for k in range(start, end)]
    if label not in _HEAD_LABELS:
        return label
    if words[-1] in EVENT_WORDS:
        return "EVENT"
    if len(words) < 2:
        return label
    if words[-1] in EVENT_HEADS or (words[0] in EVENT_OPENERS and words[1][:1].isupper()):
        return "EVENT"
    heads = [words[-1]]
    if "of" in words[1:-1]:
        heads.append(words[words.index("of", 1) - 1])
    for head in heads:
        if head in ORG_HEADS:
            return "ORG"
        if head in FACILITY_HEADS:
            return "FAC"
        if head in PLACE_HEADS:
            return "LOC"
        if head in BUILDING_HEADS and label != "ORG":
            return "FAC"
    if words[0] in PLACE_OPENERS and words[1][:1].isupper():
        return "LOC"
    if (
        words[0] in TOWN_OPENERS
        and words[1][:1].isupper()
        and (len(words) == 2 or label == "PERSON")
    ):
        return "GPE"
    return label


#: Labels of words for peoples and languages, which are names only as nouns ("the
#: Palestinians", "speaks English"), not as adjectives ("Spanish poetry").
_PEOPLE_LABELS = ("NORP", "LANGUAGE")


def _is_modifier(doc, start: int, end: int) -> bool:
    """True when the words ``start:end`` qualify what follows rather than name something: a
    word that is not a plural group word (:data:`GROUP_WORDS`) followed by a lower-case word
    that is not a stop word ("American officials", "Spanish poetry"; not "translated into
    Spanish by"), by a hyphen ("German-born") or by another such word that does ("Italian,
    German and Polish art"). Part-of-speech tags are not used, so that the counts do not depend on
    whether the tagger ran (it runs only when lemmas are asked for)."""
    if doc[start:end].text in GROUP_WORDS or end >= len(doc):
        return False
    following = doc[end]
    if following.text in ("-", "–") and not doc[end - 1].whitespace_:
        return True  # "German-born"
    if following.text in (",", "and", "or") and end + 1 < len(doc):
        # "Italian, German and Polish art": each word qualifies what the last one does.
        for at in (end + 1, end + 2):  # "Italian, German", "Italian, and German"
            size = _nationality_at(doc, at, len(doc))
            if size:
                return _is_modifier(doc, at, at + size)
    return following.is_alpha and following.is_lower and not following.is_stop


def is_title_case(text: str) -> bool:
    """True when most longer words of a line are capitalised, as in many headlines."""
    words = [word for word in re.findall(r"[^\W\d_][\w’'-]*", text)[1:] if len(word) >= 4]
    if len(words) < 2:
        return False
    capitalised = sum(word[0].isupper() for word in words)
    return capitalised >= 0.6 * len(words)
