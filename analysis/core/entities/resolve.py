"""One entity per name in an article: aliases, short forms and one label per entity (steps 8
to 10 of the clean-up, see :mod:`analysis.core.entities`)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from analysis.core.aliases import BUILTIN_ALIASES, CANONICAL_LABELS
from analysis.core.entities.lexicon import (
    GROUP_WORDS,
    JOB_TITLES,
    NATIONALITIES,
    PLACE_HEADS,
    QUALIFIERS,
    SHORTENED_HEADS,
)
from analysis.core.entities.tables import NAME_LABELS, is_acronym, label_class
from analysis.core.schema import MentionRow


def _is_short_form(short: list[str], full: list[str], *, first: bool = True) -> bool:
    """True when ``short`` is the last word(s) of ``full`` (not a place after "of": "Tabennese"
    of "Theodorus of Tabennese"), its first and last words ("Brock Holt" of "Brock Wyatt
    Holt") or, when ``first``, its first word(s)."""
    n = len(short)
    if n >= len(full):
        return False
    if full[-n:] == short and full[-n - 1] not in ("of", "from"):
        return True
    return (n == 2 and [full[0], full[-1]] == short) or (first and full[:n] == short)


def _glued(name: str, standalone: dict[str, str]) -> bool:
    """True when ``name`` is two names of the article run together: it splits into two parts
    that each occur on their own, with different label classes or both of several words
    ("Lin Jian China" when "Lin Jian" and "China" occur alone). A surname standing alone as a
    person after a one-word head that is no place is a person's name whatever spaCy made of
    the first name alone ("Jared Padalecki" when "Jared" alone was taken for a product)."""
    words = name.split()
    for cut in range(1, len(words)):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        if head in standalone and tail in standalone:
            first_name = cut == 1 and label_class(standalone[head]) != "GPE"
            if standalone[tail] == "PERSON" and first_name:
                continue
            if label_class(standalone[head]) != label_class(standalone[tail]):
                return True
            if cut > 1 and len(words) - cut > 1:
                return True
    return False


def _people(rows: list[MentionRow]) -> dict[str, str]:
    """Full name -> the full name it is a short form of (itself when none or several)."""
    standalone: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        if row.label in NAME_LABELS:
            standalone[row.entity][row.label] += 1
    majority = {name: labels.most_common(1)[0][0] for name, labels in standalone.items()}
    # A name written mostly as something else is not a person's because of one mention spaCy
    # took for a person ("Fort Worth" as a town, once "fort worth" as a person).
    people = sorted(
        {row.entity for row in rows if row.label == "PERSON" and _is_full_name(row.entity)
         and 2 * standalone[row.entity]["PERSON"] >= standalone[row.entity].total()
         and not _glued(row.entity, majority)},
        key=lambda name: (-len(name.split()), name),
    )  # fmt: skip
    root: dict[str, str] = {}
    for name in people:
        words = name.split()
        owners = {root[other] for other in root if _is_short_form(words, other.split())}
        root[name] = owners.pop() if len(owners) == 1 else name
    # The name shown is the full form written most often ("Brock Holt" rather than "Brock
    # Wyatt Holt" given once); ties go to the longer, then the first alphabetically.
    written = Counter(row.entity for row in rows if row.entity in root)
    members: dict[str, list[str]] = defaultdict(list)
    for name, top in root.items():
        members[top].append(name)
    shown = {top: min(names, key=lambda n: (-written[n], -len(n.split()), n))
             for top, names in members.items()}  # fmt: skip
    return {name: shown[top] for name, top in root.items()}


def _is_full_name(name: str) -> bool:
    """Two or more words, each a capitalised word or a lower-case particle ("de", "van")."""
    words = name.split()
    return (
        len(words) > 1
        and all(
            word[0].isupper() and not any(char.isdigit() for char in word) or word.islower()
            for word in words
        )
        and words[0][0].isupper()
    )


def _main_owner(owners: set[str], rows: list[MentionRow], root: dict[str, str]) -> str | None:
    """The person a short form fitting several full names is: the only one, else the one whose
    full names are written most often, else the one of those the article names first, in an
    earlier paragraph than the others ("Jeanne Moreau" ... "her father, Anatole Moreau" ...
    "Moreau"). None when that does not decide."""
    if len(owners) <= 1:
        return next(iter(owners), None)
    written: Counter = Counter()
    first: dict[str, int] = {}
    for row in rows:
        top = root.get(row.entity)
        if top in owners and row.label == "PERSON":
            written[top] += 1
            first[top] = min(first.get(top, row.paragraph), row.paragraph)
    most = max(written[name] for name in owners)
    leaders = sorted((first.get(name, 1 << 30), name) for name in owners if written[name] == most)
    if len(leaders) == 1 or leaders[0][0] < leaders[1][0]:
        return leaders[0][1]
    return None


def _case_merged(rows: list[MentionRow]) -> list[MentionRow]:
    """Rows with names that differ only in letter case ("Labour party", "Labour Party")
    under one entity: the casing written most often, on a tie the one written first
    (``rows`` are in text order)."""
    casings: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        if row.label in NAME_LABELS:
            casings[row.entity.casefold()][row.entity] += 1
    # Counter keeps first-seen order and max() keeps the first of equals: ties go to the
    # casing written first.
    shown = {key: max(counter, key=counter.__getitem__) for key, counter in casings.items()
             if len(counter) > 1}  # fmt: skip
    if not shown:
        return rows
    return [row._replace(entity=shown.get(row.entity.casefold(), row.entity))
            if row.label in NAME_LABELS else row for row in rows]  # fmt: skip


_SHORTENED_CLASSES = ("ORG", "GPE")


def _named_short_forms(rows: list[MentionRow], *, people: set[str]) -> dict[str, str]:
    """Short name -> the longer organisation or place name of the article it stands for.

    A name is a short form of a longer name of the same class (organisation; place) when it
    is its last words ("Red Sox" of "Boston Red Sox"; one word only when it is the head, "the
    Lodge"), or its first words before the head word of an institution or a place
    (:data:`SHORTENED_HEADS`: "Harvard" of "Harvard University") and, for a place, spaCy
    gave both the same label ("Manchester" the city is not "Manchester Airport"; "Mexico"
    not "Mexico City", so "City" is no such head). Not when the words left out hold a
    qualifier (:data:`QUALIFIERS`: "Sudan" of "South Sudan"), a nationality word or a
    lower-case word ("Congo" of "Republic of the Congo"); not for an acronym, a nationality
    word or a qualifier; not when two longer names fit ("Red Sox" with "Pawtucket Red Sox").

    Returns:
        Short name -> longer name, for names that are the short form of exactly one.
    """
    counts: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        if row.label in NAME_LABELS and row.entity not in people:
            counts[row.entity][row.label] += 1
    labels: dict[str, str] = {}
    for name, counter in counts.items():
        (top, count), *rest = counter.most_common()
        if label_class(top) in _SHORTENED_CLASSES and (not rest or rest[0][1] < count):
            labels[name] = top
    # Every first and last run of words of each longer name, so that each short name is
    # looked up once rather than compared with every other name.
    index: dict[tuple, set[str]] = defaultdict(set)
    for name, label in labels.items():
        words = name.split()
        kind, head = label_class(label), words[-1].rstrip(".")
        for n in range(1, len(words)):
            before, after = words[:-n], words[n:]
            # One last word alone stands for the name only when it is the head ("the
            # Lodge"): "Chathams" may be the islands rather than "Air Chathams".
            if (_plain_extra(before) and words[-n][:1].isupper()
                    and (n > 1 or head in SHORTENED_HEADS or head in PLACE_HEADS)):  # fmt: skip
                index[(kind, "", tuple(words[-n:]))].add(name)
            if _plain_extra(after) and head in SHORTENED_HEADS:
                index[(kind, label if kind == "GPE" else "", tuple(words[:n]))].add(name)
    shortened: dict[str, str] = {}
    for name in sorted(labels, key=lambda n: (-len(n.split()), n)):
        if (is_acronym(name) or name in NATIONALITIES or name in GROUP_WORDS
                or name in QUALIFIERS):  # fmt: skip
            continue
        kind, key = label_class(labels[name]), tuple(name.split())
        longer = index.get((kind, "", key), set()) | index.get((kind, labels[name], key), set())
        # A longer name that is itself a short form counts as the name it stands for.
        owners = {shortened.get(other, other) for other in longer}
        if len(owners) == 1:
            shortened[name] = owners.pop()
    return shortened


def _plain_extra(words: list[str]) -> bool:
    """True when the words a short form leaves out are capitalised and no qualifier."""
    return all(word[:1].isupper() and word not in QUALIFIERS and word not in NATIONALITIES
               for word in words)  # fmt: skip


def resolve_mentions(
    rows: Iterable[Sequence], *, aliases: Mapping[str, str] = BUILTIN_ALIASES
) -> list[MentionRow]:
    """Steps 8 to 10 of the clean-up: aliases, short forms and one label per entity.

    Args:
        rows: mention rows (:data:`MENTION_COLUMNS`).
        aliases: name as written -> canonical name (:mod:`analysis.core.aliases`).

    Returns:
        New :class:`MentionRow` rows sorted by paragraph and start; the input is not modified.
    """
    rows = [MentionRow(*row) for row in rows]
    rows.sort(key=lambda row: (row.paragraph, row.start, row.end))
    rows = [row._replace(entity=aliases.get(row.entity, row.entity))
            if row.label in NAME_LABELS else row for row in rows]  # fmt: skip
    rows = _case_merged(rows)
    root = _people(rows)
    person_forms = {row.entity for row in rows if row.label == "PERSON"}
    owner: dict[str, str] = {}
    for name in {row.entity for row in rows if row.label in NAME_LABELS}:
        if name in root:
            owner[name] = root[name]
            continue
        if is_acronym(name) or name in NATIONALITIES or name in GROUP_WORDS:
            continue
        words = name.split()
        # A first name alone that spaCy takes for something else is more often that thing
        # ("Austin" the city in an article about Austin Lee): only surnames count then.
        first = name in person_forms
        owners = {root[full] for full in root
                  if _is_short_form(words, full.split(), first=first)}  # fmt: skip
        chosen = _main_owner(owners, rows, root)
        if chosen is not None:
            owner[name] = chosen
    rows = [row._replace(entity=owner.get(row.entity, row.entity)) for row in rows]
    people = set(owner.values())
    shortened = _named_short_forms(rows, people=people)
    if shortened:
        rows = [row._replace(entity=shortened.get(row.entity, row.entity)) for row in rows]
    labels: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        if row.label in NAME_LABELS:
            labels[row.entity][row.label] += 1
    chosen: dict[str, str] = {}
    for entity, counter in labels.items():
        if entity in people and "PERSON" in counter:
            chosen[entity] = "PERSON"
        elif entity in CANONICAL_LABELS:
            chosen[entity] = CANONICAL_LABELS[entity]
        else:
            # One label per entity, so that it counts as one: the label most of its mentions
            # have, on a tie the one its first mention has (the counter keeps text order).
            chosen[entity] = counter.most_common(1)[0][0]
    rows = [row._replace(label=chosen.get(row.entity, row.label))
            if row.label in NAME_LABELS else row for row in rows]  # fmt: skip
    rows.sort(key=lambda row: (row.paragraph, row.start, row.end))
    return rows


#: Words before a surname that belong to it ("Mr Rathbun", "Dr. Lee").
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame"})


def later_surnames(texts: dict[int, str], rows: list[MentionRow]) -> list[MentionRow]:
    """A person's surname standing alone after the person was named in full is a mention of
    that person even where spaCy did not tag it ("Mark Rathbun left. ... Rathbun said"), when
    the surname is the last word of one person of the article only, is not also a name of
    another kind there, is not a common word (never written in lower case in the article, not
    a stop word), and does not stand inside another name (a capitalised word before it, other
    than a title, or after it).

    Returns:
        ``rows`` with the added mentions, sorted by paragraph and start.
    """
    full: dict[str, set[str]] = defaultdict(set)
    first_seen: dict[str, tuple[int, int]] = {}
    other_kinds: set[str] = set()
    for row in rows:
        if row.label == "PERSON" and len(row.entity.split()) > 1:
            full[row.entity.split()[-1]].add(row.entity)
            first_seen.setdefault(row.entity, (row.paragraph, row.start))
        elif row.label in NAME_LABELS and row.label != "PERSON":
            other_kinds.update(row.text.split())
    from spacy.lang.en.stop_words import STOP_WORDS  # spaCy is loaded when this runs

    lower_words = {word for text in texts.values() for word in re.findall(r"\b[a-z]+\b", text)}
    common = lower_words | STOP_WORDS
    owner_of: dict[str, str] = {}
    for surname, owners in full.items():
        if (
            len(owners) != 1
            or len(surname) < 3
            or not surname[0].isupper()
            or not surname.isalpha()
            or surname in other_kinds
            or surname.lower() in lower_words
            or surname.lower() in STOP_WORDS
        ):
            continue
        (owner_of[surname],) = owners
    added = []
    taken = _Taken(rows)
    # One pass over the words of the text for every surname at once: a surname stands alone
    # where it is a whole run of word characters, not joined by an apostrophe or hyphen.
    for index, text in texts.items() if owner_of else ():
        for match in _WORD_RUN.finditer(text):
            owner = owner_of.get(match.group())
            if owner is None:
                continue
            start, end = match.span()
            if (start and text[start - 1] in "'’-") or text[end : end + 1] == "-":
                continue
            if (index, start) <= first_seen[owner] or _inside_name(text, start, end, common):
                continue
            if taken.overlaps(index, start, end):
                continue
            added.append(MentionRow(index, start, end, match.group(), "PERSON", owner))
    return sorted(rows + added, key=lambda row: (row.paragraph, row.start, row.end))


def _inside_name(text: str, start: int, end: int, common: set[str]) -> bool:
    """True when a capitalised word stands right before ``start`` (not a title or honorific,
    nor a common word opening the sentence: "Later Rathbun said") or right after ``end``."""
    # Only the words next to the surname matter: windows keep this linear in the text.
    window = max(0, start - 80)
    before = _WORD_BEFORE.search(text, window, start)
    if before is not None:
        word = before.group(1)
        key = word.lower().rstrip(".")
        at = before.start(1)
        opens = at == 0 or _SENTENCE_GAP.search(text, max(0, at - 4), at) is not None
        if (
            word[:1].isupper()
            and key not in _HONORIFICS
            and key not in JOB_TITLES
            and not (opens and key in common)
        ):
            return True
    return _NAME_AFTER.match(text, end) is not None


_WORD_RUN = re.compile(r"\w+")
_WORD_BEFORE = re.compile(r"([\w.'’-]+)[ \t]+$")
_SENTENCE_GAP = re.compile(r"[.!?][\"”’]?[ \t]+$")
_NAME_AFTER = re.compile(r"(?:['’]s)?[ \t]+[A-Z]")


class _Taken:
    """The character spans mentions take, per paragraph, for overlap look-ups."""

    def __init__(self, rows: Sequence[MentionRow]) -> None:
        spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for row in rows:
            spans[row.paragraph].append((row.start, row.end))
        self.spans = {index: sorted(found) for index, found in spans.items()}
        self.starts = {index: [a for a, _ in found] for index, found in self.spans.items()}

    def overlaps(self, paragraph: int, start: int, end: int) -> bool:
        spans = self.spans.get(paragraph, [])
        k = bisect_left(self.starts.get(paragraph, []), end)
        # mentions never overlap each other much: the few before ``end`` are enough to look at
        return any(a < end and start < b for a, b in spans[max(0, k - 8) : k])
