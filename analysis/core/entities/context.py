"""Labels from the words around a name and from the article's other names: place and person
cues, lists, known places, road numbers and citations (step 7 of the clean-up)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from analysis.core.entities.lexicon import NATIONALITIES
from analysis.core.entities.tables import NAME_LABELS, canonical, label_class
from analysis.core.schema import MentionRow

#: Prepositions that put a place after them ("in Exeter", "near Hadibo"). "to", "at" and
#: "from" are left out: people follow them as often ("according to Lee", "a call from Lee").
LOCATIVE_PREPOSITIONS = frozenset({
    "in", "near", "outside", "across", "throughout", "within", "around", "into",
})  # fmt: skip
_WORDS_BEFORE = re.compile(r"([A-Za-z]+)[ \t]+(?:the[ \t]+)?$")


def places_taken_for_people(texts: dict[int, str], rows: list[MentionRow]) -> list[MentionRow]:
    """A one-word name that spaCy mostly took for a person, that is no word of a longer PERSON
    of the article, is a place (GPE) when its mentions after a locative preposition ("hotels
    in Lisbon") and those spaCy labelled a place outnumber the other PERSON ones."""
    person_words = {word for row in rows if row.label == "PERSON" and " " in row.entity
                    for word in row.entity.split()}  # fmt: skip
    votes: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        if row.label not in NAME_LABELS or " " in row.entity or row.entity in person_words:
            continue
        if row.label == "PERSON":
            match = _WORDS_BEFORE.search(texts[row.paragraph], 0, row.start)
            located = match is not None and match.group(1).lower() in LOCATIVE_PREPOSITIONS
            votes[row.entity]["place" if located else "person"] += 1
        elif label_class(row.label) == "GPE":
            votes[row.entity]["place"] += 1
    places = {name for name, vote in votes.items()
              if vote["place"] > vote["person"] and any(
                  row.entity == name and row.label == "PERSON" for row in rows)}  # fmt: skip
    return [row._replace(label="GPE") if row.entity in places else row for row in rows]


def full_name_words(rows: list[MentionRow]) -> set[str]:
    """The words of the longer names labelled PERSON."""
    return {word for row in rows if row.label == "PERSON" and " " in row.entity
            for word in row.entity.split()}  # fmt: skip


#: What stands between two names of a list: a comma, "and", "or", "&" (with a short remark
#: in brackets after a name: "Grenada (60 days), Malta").
_LIST_GAP = re.compile(r"(?:[ \t]*\([^()\n]{0,30}\))?(?:[ \t]*,)?[ \t]*(?:(?:and|or|&)[ \t]+)?")


def list_labels(texts: dict[int, str], rows: list[MentionRow]) -> list[MentionRow]:
    """In a list of three or more names ("Tulsa, Sand Springs, Jenks and Broken Arrow"), the
    names are of one kind: a name spaCy took for a person among others that are all one other
    kind takes their label, and a name among others that are all people is a person ("Lee,
    Varnholm, & Roe"). Organisations and places are not changed into each other ("France,
    Germany and NATO")."""
    ordered = sorted(range(len(rows)), key=lambda k: (rows[k].paragraph, rows[k].start))
    runs: list[list[int]] = []
    for k in ordered:
        row = rows[k]
        if row.label not in NAME_LABELS or not row.counted:
            continue
        if runs:
            last = rows[runs[-1][-1]]
            same = last.paragraph == row.paragraph
            gap = texts[row.paragraph][last.end : row.start] if same else None
            if gap is not None and gap.strip() and _LIST_GAP.fullmatch(gap):
                runs[-1].append(k)
                continue
        runs.append([k])
    votes: dict[str, set[str]] = defaultdict(set)
    for run in runs:
        if len(run) < 3:
            continue
        for k in run:
            others = Counter(rows[j].label for j in run if j != k)
            classes = {label_class(label) for label in others}
            own = rows[k].label
            if len(classes) != 1 or classes == {label_class(own)}:
                continue
            (kind,) = classes
            if own == "PERSON" or kind == "PERSON":
                votes[rows[k].entity].add(others.most_common(1)[0][0])
    # A name is one thing in one article: all its mentions change, when its lists agree; a
    # word of a person's full name stays the person's ("Chao" of "Yuen Ren Chao").
    person_words = full_name_words(rows)
    chosen = {name: labels.pop() for name, labels in votes.items()
              if len(labels) == 1 and name not in person_words}  # fmt: skip
    return [row._replace(label=chosen[row.entity])
            if row.entity in chosen and row.label in NAME_LABELS else row for row in rows]  # fmt: skip


#: Nouns for a kind of place: "the city of Lodz", "Lodz is a city", "Mof, a former kingdom".
_PLACE_NOUNS = (
    r"(?:city|cities|town|village|capital|country|island|port|province|state|county|region|"
    r"district|municipality|suburb|neighbou?rhood|borough|republic|kingdom|nation|archipelago|"
    r"peninsula|destination|resort|hamlet|parish|commune|prefecture|territory|colony)"
)
#: A place noun must end its phrase ("a city of contrasts", not "a city councillor").
_PLACE_NOUN_END = (
    r"(?=[ \t]*(?:[,.;:)]|$)|[ \t]+(?:of|in|on|near|with|that|which|where|whose|and|to|for|"
    r"from|between|located|situated|almost|known)\b)"
)
_NAME_WORD = r"[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*)?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)[a-z]?"

#: (label, cue before a name, cue after it): words around a name in English news and
#: expository text that say what kind of name it is, whatever spaCy made of it.
_CONTEXT_CUES = (
    # "the city of Lodz", "the ancestral village of Varnholm" (not "a state of Emergency")
    ("GPE", re.compile(
        rf"\b[Tt]he[ \t]+(?:[a-z-]+[ \t]+){{0,2}}{_PLACE_NOUNS}[ \t]+of[ \t]+$"), None),
    # "Lodz is a city ...", "Lodz had been a major port", "Lodz, a former kingdom ..."
    ("GPE", None, re.compile(
        rf"^(?:,?[ \t]+(?:is|was|has been|had been|remains|became)|,)[ \t]+(?:a|an|the)[ \t]+"
        rf"(?:[\w-]+[ \t]+){{0,3}}?{_PLACE_NOUNS}{_PLACE_NOUN_END}", re.I)),
    # "Varnholm is located on the coast", "Varnholm is in the province of Oster"
    ("GPE", None, re.compile(r"^[ \t]+(?:is|was|are|were)[ \t]+(?:located|situated)\b")),
    ("GPE", None, re.compile(
        rf"^[ \t]+(?:is|was|lies|lay)[ \t]+(?:in|on|near)[ \t]+the[ \t]+(?:[\w-]+[ \t]+){{0,2}}?"
        rf"{_PLACE_NOUNS}{_PLACE_NOUN_END}")),
    # "Ann Varnholm (born 3 May 1950) is ...": a biography's or an obituary's opening
    ("PERSON", None, re.compile(r"^[ \t]*\((?:born|b\.|née|nee)[ \t]")),
    ("PERSON", None, re.compile(r"^,?[ \t]+et[ \t]+al\b")),
    # "(Varnholm, 2012)", "(Lee, Varnholm, & Roe, 2012; ...)", "(e.g. Varnholm et al., 2015)"
    ("PERSON", re.compile(
        rf"(?:\(|;[ \t]|e\.g\.,?[ \t]|see[ \t])(?:{_NAME_WORD},?[ \t]+(?:&[ \t]+|and[ \t]+)?)*"
        r"(?:&[ \t]+|and[ \t]+)?$"), re.compile(
        rf"^(?:,?[ \t]+(?:&|and)[ \t]+{_NAME_WORD}|,[ \t]+{_NAME_WORD})*,[ \t]+{_YEAR}\b")),
    # "the Eegimaa language", "Varnish speakers", "speakers of Varnish", "translated into Varnish"
    ("LANGUAGE", None, re.compile(r"^[ \t]+(?:language|languages|dialect|dialects|speakers)\b")),
    ("LANGUAGE", re.compile(
        r"\b(?:speakers[ \t]+of|speak|speaks|spoke|spoken|speaking|translated[ \t]+(?:from|into)"
        r")[ \t]+$"), None),
    # "the romantic comedy Chasing Liberty (2004)", "his book Hydraulica, which ..."
    ("WORK_OF_ART", re.compile(
        r"\b(?:film|movie|novel|book|album|song|single|series|sitcom|play|opera|musical|"
        r"documentary|comedy|drama|thriller|poem|painting|symphony|story|episode|anthology|"
        r"memoir)s?,?[ \t]+[\"“]?$", re.I),
     re.compile(r"^(?:[\"”’]|[ \t]*\(|[,.;:]|[ \t]+(?:and|as|in|with|by|which|that)\b|$)")),
)  # fmt: skip

#: A citation's author before a year in brackets ("Varnholm (2012)", "Varnholm's (2012)
#: model"), unless a cue above says otherwise: a work's year follows its title too ("the
#: film Silver Harbour (2004)"); not a place's or a listed item's ("in Oslo (1910)", "The
#: Lookout (2007)", a line "Pittsburgh Pirates (2012)").
_AUTHOR_YEAR = (
    re.compile(r"[a-z,;][ \t]+(?<!\bin )(?<!\bat )(?<!\bthe )$"),
    re.compile(rf"^(?:['’]s)?[ \t]+\({_YEAR}\)"),
)


#: Between the authors of a citation: "Lee & Roe", "Lee, Roe, & Kim", "Lee and Roe".
_AUTHOR_GAP = re.compile(r"[ \t]*(?:,[ \t]*(?:&[ \t]*|and[ \t]+)?|&[ \t]*)")
#: What follows the authors of a citation: ", 2012", " et al., 2012", " (2012)".
_CITATION_YEAR = re.compile(rf"(?:,?[ \t]+et[ \t]+al\.?)?(?:,[ \t]*|[ \t]+\(){_YEAR}\b")


def citation_authors(texts: dict[int, str], rows: list[MentionRow]) -> list[MentionRow]:
    """A name run together from a citation's authors ("Dye & Bavelier, 2010", "Lee, Roe, &
    Kim (2012)") is one person per author, when every part is capitalised words; a firm's
    name with "&" ("Marks & Spencer") has no year after it, a work's title with a year
    ("Nature, Development and Origin (1922)") has lower-case words."""
    out = []
    for row in rows:
        text = texts[row.paragraph]
        words = _AUTHOR_GAP.sub(" ", row.text).split()
        if (row.label not in NAME_LABELS or not _AUTHOR_GAP.search(row.text)
                or not _CITATION_YEAR.match(text, row.end)
                or not all(word[:1].isupper() for word in words)):  # fmt: skip
            out.append(row)
            continue
        at = row.start
        for piece in _AUTHOR_GAP.split(row.text):
            start = text.index(piece, at) if piece else at
            at = start + len(piece)
            if piece[:1].isupper():
                out.append(MentionRow(row.paragraph, start, at, piece, "PERSON",
                                      canonical(piece), row.counted))  # fmt: skip
    return out


#: An author's name as cited: a surname, perhaps with a particle or a first name ("De
#: Certeau", "Morgan-Short"), not a longer title ("Nature, Development and Origin").
_AUTHOR_NAME = re.compile(r"[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*)?")


def _context_label(text: str, start: int, end: int) -> str | None:
    """The label the words around the name at ``start:end`` of ``text`` give it, if any."""
    before, after = text[max(0, start - 120) : start], text[end : end + 120]
    # The words after first: their cues are anchored where the name ends, so they fail fast.
    found = {label for label, cue_before, cue_after in _CONTEXT_CUES
             if (cue_after is None or cue_after.search(after))
             and (cue_before is None or cue_before.search(before))}  # fmt: skip
    if (not found and _AUTHOR_YEAR[0].search(before) and _AUTHOR_YEAR[1].search(after)
            and _AUTHOR_NAME.fullmatch(text[start:end])):  # fmt: skip
        return "PERSON"
    return found.pop() if len(found) == 1 else None


def labels_from_context(texts: dict[int, str], rows: list[MentionRow]) -> list[MentionRow]:
    """A name takes the label the words around its mentions give it (:data:`_CONTEXT_CUES`:
    "the city of X", "X is a town", "X (born 1950)", "(X, 2012)", "the X language", "the film
    X"), for all its mentions, when the cues of its mentions agree: a name is one thing in
    one article. Nationality words are left alone."""
    votes: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row.label in NAME_LABELS and row.entity not in NATIONALITIES:
            label = _context_label(texts[row.paragraph], row.start, row.end)
            if label is not None:
                votes[row.entity].add(label)
    chosen = {name: labels.pop() for name, labels in votes.items() if len(labels) == 1}
    if not chosen:
        return rows
    return [row._replace(label=chosen[row.entity])
            if row.entity in chosen and row.label in NAME_LABELS
            and label_class(row.label) != label_class(chosen[row.entity]) else row
            for row in rows]  # fmt: skip


def rejoined_names(texts: dict[int, str], rows: list[MentionRow]) -> list[MentionRow]:
    """Two names side by side, one space apart, that together are a person's full name written
    elsewhere in the article ("Sadiq" and "Khan" where "Sadiq Khan" stands) are that person:
    spaCy cut the name in two."""
    full = {row.text for row in rows if row.label == "PERSON" and " " in row.text}
    if not full:
        return rows
    ordered = sorted(rows, key=lambda row: (row.paragraph, row.start, row.end))
    out: list[MentionRow] = []
    for row in ordered:
        last = out[-1] if out else None
        if (
            last is not None
            and last.paragraph == row.paragraph
            and row.start == last.end + 1
            and texts[row.paragraph][last.end] == " "
            and f"{last.text} {row.text}" in full
            and last.label in NAME_LABELS
            and row.label in NAME_LABELS
        ):
            text = f"{last.text} {row.text}"
            out[-1] = MentionRow(
                row.paragraph, last.start, row.end, text, "PERSON", canonical(text)
            )
            continue
        out.append(row)
    return out
