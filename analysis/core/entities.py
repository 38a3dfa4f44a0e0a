"""Named entities: spaCy NER, then the clean-up that makes counts what a reader counts.

NER runs with sentence boundaries set (:mod:`analysis.core.nlp`), so spaCy never starts a name in
one sentence and ends it in the next. Then, per entity span (:func:`mention_rows`):

1. A span holding an e-mail address or a link ("www.example.org", not a bare "Amazon.com") is
   a contact line or a reference, not a name, and is dropped. The span is cut where names are
   run together: at a sentence start, a free-standing dash or slash ("Ann Lee - Reuters"),
   "v"/"vs", a score line ("Arsenal 2-1 Chelsea") or a line break.
2. Leading determiners, honorifics and job titles (:data:`JOB_TITLES`: "President", "Prime
   Minister", "Senator", "Defender", ...) are dropped, and so are trailing possessives,
   punctuation, a citation's "et al." and, after another name, job titles ("Foreign
   Ministry Spokesperson" -> "Foreign Ministry"). A name with a person's title before it is
   a PERSON. Titles that also begin other names ("General Motors") are dropped only from a
   PERSON span.
3. A nationality word (:data:`NATIONALITIES`) before a title or a person's name is a NORP of
   its own ("Chinese President Xi Jinping" -> "Chinese" + "Xi Jinping"); a span that is only a
   nationality or group word ("Palestinians", :data:`GROUP_WORDS`) is NORP. A word for a
   people or a language used as a modifier ("American officials", "Spanish poetry", the
   "Chinese" before a title) stays in the mentions with ``counted`` false and is left out of
   the counts: only the nouns ("the Palestinians", "translated into Spanish") name something.
4. A name's head word (its last word, or the word before "of") overrides an ORG, PERSON,
   PRODUCT or WORK_OF_ART label: a facility's (:data:`FACILITY_HEADS`: "Norton Bridge",
   "Main Street") makes a FAC, a natural place's (:data:`PLACE_HEADS`: "Hudson River") or a
   first "Mount", "Lake", ... (:data:`PLACE_OPENERS`) a LOC, a first "Fort"
   (:data:`TOWN_OPENERS`: "Fort Worth") a GPE, an organisation's
   (:data:`ORG_HEADS`: "University of Leeds", "Acme Corp.") an ORG, an event's
   (:data:`EVENT_HEADS`: "American Revolutionary War", "World Cup", "the Olympics") or a first
   "Hurricane", "Battle", ... (:data:`EVENT_OPENERS`) an EVENT. Places keep their label
   ("West Bank", "Soviet Union").

Then, per article:

5. Datelines ("LONDON (Reuters) -", "PARIS, May 3 --"): the place is a GPE, cut from a byline
   or anything else spaCy glued it to; the agency in brackets is an ORG.
6. Text in capitals: in runs of words in capitals, and in a headline in capitals, the names
   the rest of the article recognises are looked up without case (offsets unchanged). A
   title-case headline ("China Urges International Efforts to Cease Gaza Conflict") makes
   spaCy see capitalised fragments as names, so its own entities are ignored there too and
   the body's names are looked up verbatim.
7. An acronym defined in the text ("the World Health Organization (WHO)") is that name
   wherever it stands alone. A one-word name spaCy took for a person, that is no word of a
   longer person's name of the article, is a place (GPE) when more of its mentions follow a
   locative preposition (:data:`LOCATIVE_PREPOSITIONS`: "hotels in Exeter") or were
   labelled a place than not. In an interview transcript, the speaker label that opens each
   turn ("((WN)) Why ...", "Q: ...", "SMITH: ...", when it opens at least three paragraphs) is
   layout: its mention is kept but not counted. The words around a name say what it is
   (:data:`_CONTEXT_CUES`): "the city of X", "X is a town", "X, a former kingdom", "X is
   located" make a place; "X (born 1950)", a citation ("X (2012)", "(X, 2012)", "X et al.") a
   person; "the X language", "speakers of X" a language; "the film X" a work. When the cues of
   a name's mentions agree, all its mentions take that label. So do lists: a name spaCy took
   for a person in a list of places ("Tulsa, Jenks and Broken Arrow") is a place, one in a list
   of people a person; countries and capitals (:data:`KNOWN_PLACES`) are places. A name
   run together from a citation's authors ("Dye & Bavelier, 2010") is one person per author.
   Road numbers ("I-44", "Route 66", "the A19") are facilities (FAC), found if spaCy missed them.

And in :func:`resolve_mentions`:

8. Aliases (:mod:`analysis.core.aliases`): "U.S.", "US", "America" count as "United States" (GPE),
   "UK"/"Britain" as "United Kingdom", "UN" as "United Nations", "EU" as "European Union";
   users add their own with ``NEWSLENS_ENTITY_ALIASES``. The entity is always the canonical
   name, so that a corpus counts one United States whichever form each article writes.
9. Short forms: a mention that is the last word(s) of exactly one longer PERSON of the
   article, or its first and last words, is that person whatever spaCy labelled it ("Maria
   Paris ... Paris said" is Maria Paris); a first name only when spaCy also took it for a
   person. Not for acronyms, nationality words, or full names that are two names of the
   article run together ("Lin Jian China"; but "Jared Padalecki" is one name even when
   spaCy took "Jared" alone for something else). A short form that fits several people goes
   to the one whose full names are written most often, on a tie to the one named first in an
   earlier paragraph ("Jeanne Moreau ... her father Anatole Moreau ... Moreau"); otherwise it
   stays its own entity. The full name shown is the one written most often. Names that
   differ only in case are one ("Labour party", "Labour Party"), shown as written most
   often, and a full name is a person's only when spaCy took most of its mentions for one. An organisation's or a place's short form is that name: its last words ("Red
   Sox" of "Boston Red Sox", "the Lodge") or its first words before an institution's or a
   place's head word ("Harvard" of "Harvard University"), never across a qualifier ("Sudan"
   is not "South Sudan") and only when one longer name fits (:func:`_named_short_forms`).
10. One label per entity: a person's short forms take PERSON, an alias its canonical name's
    label, anything else the label most of its mentions have; on a tie each mention keeps its
    own label.

Numbers, dates and amounts (:data:`NUMERIC_LABELS`) stay in the mentions table but are left out
of the entity counts unless asked for (``types=``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from analysis.core.aliases import BUILTIN_ALIASES, CANONICAL_LABELS
from analysis.core.schema import EntityRow, MentionRow, frame

#: paragraph (0 headline, 1..n body), start/end (offsets in that paragraph's text, so that
#: ``text[start:end] == mention text``), text (as written), label (spaCy type, made consistent
#: per entity), entity (canonical name), counted (False for a nationality word used as a
#: modifier, "American officials": shown, but not a mention of a name, so left out of the
#: counts). Sorted by paragraph then start.
MENTION_COLUMNS = MentionRow._fields

#: entity, label, count (mentions), paragraphs (distinct paragraphs it appears in). Sorted by
#: count descending, then entity and label ascending.
ENTITY_COLUMNS = EntityRow._fields

#: Labels for names (as opposed to numbers, dates and amounts). The entity counts hold only
#: these unless other types are asked for (``types=`` below, ``AnalysisOptions.entity_types``).
NAME_LABELS = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
    "LANGUAGE",
)  # fmt: skip

#: Numbers, dates and amounts: kept in the mentions table, left out of the counts by default.
NUMERIC_LABELS = ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY")


_LEADING = {
    "the", "a", "an", "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame",
}  # fmt: skip
_TRAILING = {"'s", "’s", "'", "’", ".", ",", ";", ":", "-", "–", "—", ")", "(", '"', "“", "”"}

#: Job titles, stripped like honorifics ("Defender Jan Novak" -> "Jan Novak"): lower case,
#: without full stops, longest first when they overlap ("prime minister" before "minister").
JOB_TITLES = frozenset({
    # government and politics
    "president", "vice president", "vice-president", "president-elect", "prime minister",
    "deputy prime minister", "premier", "chancellor", "minister", "foreign minister",
    "defence minister", "defense minister", "finance minister", "interior minister",
    "health minister", "justice minister", "deputy minister", "secretary", "secretary of state",
    "secretary-general", "secretary general", "foreign secretary", "home secretary",
    "press secretary", "attorney general", "senator", "sen", "representative", "rep",
    "congressman", "congresswoman", "lawmaker", "governor", "gov", "mayor", "councillor",
    "councilman", "councilwoman", "speaker", "house speaker", "ambassador", "envoy",
    "spokesperson", "spokesman", "spokeswoman", "leader", "opposition leader", "first lady",
    # royalty and religion
    "king", "queen", "prince", "princess", "crown prince", "emperor", "empress", "sultan",
    "emir", "sheikh", "pope", "cardinal", "archbishop", "bishop", "rabbi", "imam", "ayatollah",
    "reverend", "rev", "father", "lord", "lady", "baron", "baroness", "tsar", "czar",
    "tsarina", "kaiser",
    # military, police, courts
    "general", "gen", "lieutenant general", "lt gen", "major general", "maj gen", "colonel",
    "col", "lieutenant", "lt", "captain", "capt", "sergeant", "sgt", "corporal", "cpl",
    "private", "pvt", "admiral", "adm", "commander", "cmdr", "marshal", "field marshal",
    "detective", "det", "inspector", "chief inspector", "superintendent", "officer",
    "sheriff", "judge", "justice", "chief justice", "prosecutor",
    # business, academia, sport
    "chairman", "chairwoman", "chairperson", "chair", "chief executive", "ceo", "cfo", "coo",
    "founder", "co-founder", "director", "managing director", "professor", "coach",
    "head coach", "manager", "boss", "defender", "midfielder", "striker", "forward", "winger",
    "goalkeeper", "keeper", "quarterback", "pitcher", "skipper", "referee",
})  # fmt: skip

#: Titles that also begin names of other things ("General Motors", "Major League Baseball",
#: "King's College"): stripped only from a span spaCy labels PERSON.
_PERSON_ONLY_TITLES = frozenset({
    "general", "gen", "major", "justice", "king", "queen", "prince", "princess", "cardinal",
    "private", "lord", "lady", "father", "chair", "leader", "forward", "officer", "speaker",
    "president", "boss", "marshal", "judge", "director", "manager",
})  # fmt: skip
_LONGEST_TITLE = max(len(title.split()) for title in JOB_TITLES)

#: Nationality words (adjectives and nouns for a people). "Chinese President Xi Jinping" is
#: NORP "Chinese" and PERSON "Xi Jinping"; a span that is only one of these words is NORP.
NATIONALITIES = frozenset({
    "Afghan", "Albanian", "Algerian", "American", "Angolan", "Argentine", "Argentinian",
    "Armenian", "Australian", "Austrian", "Azerbaijani", "Bahraini", "Bangladeshi",
    "Belarusian", "Belgian", "Bolivian", "Bosnian", "Brazilian", "British", "Bulgarian",
    "Burmese", "Cambodian", "Cameroonian", "Canadian", "Chilean", "Chinese", "Colombian",
    "Congolese", "Croatian", "Cuban", "Cypriot", "Czech", "Danish", "Dutch", "Ecuadorian",
    "Egyptian", "Emirati", "English", "Eritrean", "Estonian", "Ethiopian", "Filipino",
    "Finnish", "French", "Georgian", "German", "Ghanaian", "Greek", "Guatemalan", "Haitian",
    "Honduran", "Hungarian", "Icelandic", "Indian", "Indonesian", "Iranian", "Iraqi", "Irish",
    "Israeli", "Italian", "Ivorian", "Jamaican", "Japanese", "Jordanian", "Kazakh", "Kenyan",
    "Korean", "North Korean", "South Korean", "Kosovar", "Kuwaiti", "Kyrgyz", "Laotian",
    "Latvian", "Lebanese", "Liberian", "Libyan", "Lithuanian", "Macedonian", "Malaysian",
    "Malian", "Maltese", "Mexican", "Moldovan", "Mongolian", "Montenegrin", "Moroccan",
    "Mozambican", "Namibian", "Nepalese", "Nepali", "Nicaraguan", "Nigerian", "Norwegian",
    "Omani", "Pakistani", "Palestinian", "Panamanian", "Paraguayan", "Peruvian", "Polish",
    "Portuguese", "Qatari", "Romanian", "Russian", "Rwandan", "Salvadoran", "Saudi",
    "Saudi Arabian", "Scottish", "Senegalese", "Serbian", "Singaporean", "Slovak",
    "Slovenian", "Somali", "South African", "Spanish", "Sri Lankan", "Sudanese", "Swedish",
    "Swiss", "Syrian", "Taiwanese", "Tajik", "Tanzanian", "Thai", "Tibetan", "Tunisian",
    "Turkish", "Turkmen", "Ugandan", "Ukrainian", "Uruguayan", "Uzbek", "Venezuelan",
    "Vietnamese", "Welsh", "Yemeni", "Zambian", "Zimbabwean", "African", "Asian", "European",
    "Arab", "Kurdish", "Persian", "Soviet", "Latin American", "Middle Eastern", "Hispanic",
    "Latino", "Scandinavian", "Uyghur", "Uighur",
})  # fmt: skip

#: Plural group words that are NORP when a span is only one of them ("Palestinians").
GROUP_WORDS = frozenset(
    {word + "s" for word in NATIONALITIES if word[-1] in "nioktr" and " " not in word}
    | {
        "Britons", "Brits", "Scots", "Danes", "Swedes", "Finns", "Poles", "Turks", "Croats",
        "Serbs", "Kurds", "Jews", "Muslims", "Christians", "Catholics", "Protestants",
        "Hindus", "Buddhists", "Sikhs", "Sunnis", "Shiites", "Democrats", "Republicans",
        "Conservatives", "Tories", "Liberals", "Rohingya", "Tamils", "Pashtuns",
    }
)  # fmt: skip

_DASHES = {"-", "--", "–", "—", "/", "|"}
_VERSUS = {"v", "v.", "vs", "vs."}
_SCORE = re.compile(r"\d+[-–:]\d+")


def _pieces(ent) -> list[tuple[int, int]]:
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
    return 0


def _key(token) -> str:
    return token.lower_.rstrip(".")


def _title_at(doc, i: int, end: int, label: str) -> int:
    """Number of tokens of the longest job title starting at token ``i`` (0 if none)."""
    for size in range(min(_LONGEST_TITLE, end - i), 0, -1):
        words = " ".join(_key(doc[k]) for k in range(i, i + size))
        if words in JOB_TITLES and (label == "PERSON" or words not in _PERSON_ONLY_TITLES):
            return size
    return 0


def _nationality_at(doc, i: int, end: int) -> int:
    """Number of tokens of a nationality word starting at token ``i`` (0 if none)."""
    for size in (2, 1):
        if i + size <= end and doc[i : i + size].text in NATIONALITIES:
            return size
    return 0


def _is_address(token) -> bool:
    """True for an e-mail address or a link ("www.example.org", "https://..."): a span holding
    one is a contact line or a reference, not a name. A bare domain ("Amazon.com") is often the
    name of a company, so it is not an address here."""
    text = token.text.lower()
    return token.like_email or (
        token.like_url and ("://" in text or text.startswith("www.") or "/" in text)
    )


def _is_name_start(token) -> bool:
    return token.text[:1].isupper() and token.text not in _TRAILING and not token.is_punct


def _trimmed(doc, start: int, end: int, label: str) -> list[tuple[int, int, str, bool]]:
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
    if label != "PERSON":
        for size in range(min(_LONGEST_TITLE, end - start - 1), 0, -1):
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


#: Last words that make a name a building or a structure (FAC): "Norton Bridge", "Al Wakrah
#: Stadium". Words that also head names of organisations ("Church", "Museum", "Hall") are left
#: out.
FACILITY_HEADS = frozenset({
    "Airport", "Street", "St", "Avenue", "Ave", "Road", "Rd", "Boulevard", "Blvd", "Lane",
    "Highway", "Expressway", "Turnpike", "Freeway", "Motorway", "Parkway", "Bridge", "Tunnel",
    "Tube", "Station", "Square", "Plaza", "Stadium", "Arena", "Tower", "Towers", "Castle",
    "Cathedral", "Palace", "Temple", "Mosque", "Synagogue", "Abbey", "Basilica", "Chapel",
    "Monument", "Memorial", "Cemetery", "Dam", "Canal", "Pier", "Harbour", "Harbor", "Port",
})  # fmt: skip

#: Last words that make a name a natural place (LOC): "Hudson River", "Rocky Mountains".
PLACE_HEADS = frozenset({
    "River", "Lake", "Mountains", "Mountain", "Hills", "Island", "Islands", "Isles",
    "Peninsula", "Valley", "Bay", "Gulf", "Strait", "Straits", "Beach", "Coast", "Canyon",
    "Desert", "Forest", "Sea", "Ocean", "Glacier", "Falls", "Creek", "Reef", "Volcano",
})  # fmt: skip

#: First words that make a name a natural place when a name follows: "Mount Everest".
PLACE_OPENERS = frozenset({"Mount", "Mt", "Lake", "River", "Cape", "Isle"})

#: First words that make a name a town (GPE) when one name follows, or when spaCy took the
#: name for a person: "Fort Worth". A longer name it labels otherwise may be an organisation
#: named after the town ("Fort Worth Star-Telegram").
TOWN_OPENERS = frozenset({"Fort", "Ft"})

#: Words heading the name of an organisation ("Ministry of Defence", "Acme Corp."): a name
#: spaCy took for a person, a product or a work with one of these is an ORG. Not applied to
#: places, which some of these words also end ("West Bank", "Soviet Union").
ORG_HEADS = frozenset({
    "University", "College", "Ministry", "Council", "Party", "Company", "Co", "Inc",
    "Corp", "Corporation", "Ltd", "LLC", "PLC", "Group", "Association", "Agency", "Department",
    "Committee", "Commission", "Institute", "Bank", "Union", "Federation", "Foundation",
    "Society", "Board", "Bureau", "Authority", "Court", "Parliament", "Senate", "Congress",
})  # fmt: skip

#: Last words that make a name an event (EVENT): "American Revolutionary War", "World Cup",
#: "Winter Olympics". Plural names of games are events on their own too ("the Paralympics").
EVENT_HEADS = frozenset({
    "War", "Revolution", "Uprising", "Rebellion", "Olympics", "Paralympics", "Cup",
    "Championship", "Championships", "Tournament", "Festival", "Marathon", "Prix",
})  # fmt: skip
_EVENT_WORDS = frozenset({"Olympics", "Paralympics"})

#: First words that make a name an event when a name follows: "Hurricane Katrina", "Battle of
#: Hastings".
EVENT_OPENERS = frozenset({"Hurricane", "Cyclone", "Typhoon", "Storm", "Battle", "Siege"})

_HEAD_LABELS = ("ORG", "PERSON", "PRODUCT", "WORK_OF_ART")


def _label_by_head(doc, start: int, end: int, label: str) -> str:
    """The label a name's head word gives it (``label`` when none): a facility's last word
    makes a FAC, a natural place's a LOC ("Mount" first too), an organisation's an ORG. The
    head is the last word, or the word before "of" ("University of Texas")."""
    words = [doc[k].text.rstrip(".") for k in range(start, end)]
    if label not in _HEAD_LABELS:
        return label
    if words[-1] in _EVENT_WORDS:
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


def _canonical(text: str) -> str:
    return " ".join(text.split())


def mention_rows(segments: Sequence, docs: Sequence) -> list[MentionRow]:
    """Mentions after steps 1 to 7 of the clean-up, before steps 8 to 10
    (:func:`resolve_mentions`; see the module docstring).

    Args:
        segments: the analysed segments (``index``, ``kind``, ``text``), in order.
        docs: one spaCy ``Doc`` per segment, with ``ents``.

    Returns:
        :class:`MentionRow` rows sorted by paragraph, start and end.
    """
    rows: list[MentionRow] = []
    headline = None
    texts = {segment.index: segment.text for segment in segments}
    for segment, doc in zip(segments, docs, strict=True):
        if segment.kind == "headline" and is_title_case(segment.text):
            headline = segment
            continue
        for ent in doc.ents:
            if any(_is_address(token) for token in ent):
                continue
            for piece in _pieces(ent):
                for start, end, label, counted in _trimmed(doc, *piece, ent.label_):
                    span = doc[start:end]
                    text = span.text
                    if label in NAME_LABELS and not any(char.isalpha() for char in text):
                        continue
                    rows.append(MentionRow(
                        segment.index, span.start_char, span.end_char, text, label,
                        _canonical(text), counted,
                    ))  # fmt: skip
    rows = _datelines(texts, rows, headline)
    rows = _capital_runs(texts, rows, headline)
    if headline is not None:
        rows.extend(_headline_rows(headline, rows, caseless=is_capitals(headline.text)))
    rows = _places_taken_for_people(texts, _acronyms(texts, rows))
    rows = _citation_authors(texts, _known_places(_roads(texts, rows)))
    rows = _labels_from_context(texts, _list_labels(texts, rows))
    rows = _transcript_labels(texts, rows)
    return sorted(rows, key=lambda row: (row.paragraph, row.start, row.end))


#: A speaker label opening a paragraph of a transcript: "Q:", "SMITH:", "((WN))", "[Host]".
_SPEAKER_LABEL = re.compile(
    r"[ \t]*(?:(?P<open>\(\(|\[|\()[ \t]*(?P<inside>[A-Z][A-Za-z.]{0,19})[ \t]*(?:\)\)|\]|\))"
    r"|(?P<caps>[A-Z][A-Z.]{0,19})[ \t]*:)"
)
#: Paragraphs a label must open before it is taken for a speaker label.
SPEAKER_LABEL_MIN = 3


def _transcript_labels(texts: dict[int, str], rows: list[MentionRow]) -> list[MentionRow]:
    """In an interview transcript, the label that opens each turn ("((WN)) Why did you ...",
    "Q: ...", "SMITH: ...") is layout, not a mention: a reader does not count it. A label is
    taken for one when it opens at least :data:`SPEAKER_LABEL_MIN` paragraphs; mentions inside
    it stay in the mentions table but are not counted (``counted`` False)."""
    spans: dict[int, tuple[int, int]] = {}
    seen: Counter = Counter()
    for paragraph, text in texts.items():
        match = _SPEAKER_LABEL.match(text)
        if match:
            group = "inside" if match.group("inside") else "caps"
            spans[paragraph] = match.span(group)
            seen[match.group(group)] += 1
    labels = {label for label, count in seen.items() if count >= SPEAKER_LABEL_MIN}
    if not labels:
        return rows
    out = []
    for row in rows:
        span = spans.get(row.paragraph)
        inside = span is not None and span[0] <= row.start and row.end <= span[1]
        if inside and texts[row.paragraph][span[0] : span[1]] in labels:
            row = row._replace(counted=False)
        out.append(row)
    return out


#: Prepositions that put a place after them ("in Exeter", "near Hadibo"). "to", "at" and
#: "from" are left out: people follow them as often ("according to Lee", "a call from Lee").
LOCATIVE_PREPOSITIONS = frozenset({
    "in", "near", "outside", "across", "throughout", "within", "around", "into",
})  # fmt: skip
_WORDS_BEFORE = re.compile(r"([A-Za-z]+)[ \t]+(?:the[ \t]+)?$")


def _places_taken_for_people(texts: dict[int, str], rows: list[MentionRow]) -> list[MentionRow]:
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
        elif _label_class(row.label) == "GPE":
            votes[row.entity]["place"] += 1
    places = {name for name, vote in votes.items()
              if vote["place"] > vote["person"] and any(
                  row.entity == name and row.label == "PERSON" for row in rows)}  # fmt: skip
    return [row._replace(label="GPE") if row.entity in places else row for row in rows]


#: Countries and capital cities: a name that is one of these, and no word of a longer person's
#: name of the article, is a place (GPE) whatever spaCy made of it ("Copenhagen" as an
#: organisation, "Liechtenstein" as a person). Names that are as often people's first names
#: ("Jordan", "Chad", "Georgia", "Sofia", "Victoria", "Santiago") are left out.
KNOWN_PLACES = frozenset({
    # countries and territories
    "Afghanistan", "Albania", "Algeria", "Andorra", "Angola", "Antigua and Barbuda",
    "Argentina", "Armenia", "Australia", "Austria", "Azerbaijan", "Bahamas", "Bahrain",
    "Bangladesh", "Barbados", "Belarus", "Belgium", "Belize", "Benin", "Bhutan", "Bolivia",
    "Bosnia", "Bosnia and Herzegovina", "Herzegovina", "Botswana", "Brazil", "Brunei",
    "Bulgaria", "Burkina Faso", "Burundi", "Cambodia", "Cameroon", "Canada", "Cape Verde",
    "Central African Republic", "Chile", "China", "Colombia", "Comoros", "Congo",
    "Costa Rica", "Croatia", "Cuba", "Cyprus", "Czech Republic", "Czechia", "Denmark",
    "Djibouti", "Dominica", "Dominican Republic", "East Timor", "Ecuador", "Egypt",
    "El Salvador", "Equatorial Guinea", "Eritrea", "Estonia", "Eswatini", "Ethiopia", "Fiji",
    "Finland", "France", "Gabon", "Gambia", "Germany", "Ghana", "Greece", "Grenada",
    "Guatemala", "Guinea", "Guinea-Bissau", "Guyana", "Haiti", "Honduras", "Hong Kong",
    "Hungary", "Iceland", "India", "Indonesia", "Iran", "Iraq", "Ireland", "Israel", "Italy",
    "Ivory Coast", "Jamaica", "Japan", "Kazakhstan", "Kenya", "Kiribati", "Kosovo", "Kuwait",
    "Kyrgyzstan", "Laos", "Latvia", "Lebanon", "Lesotho", "Liberia", "Libya",
    "Liechtenstein", "Lithuania", "Luxembourg", "Macedonia", "North Macedonia",
    "Madagascar", "Malawi", "Malaysia", "Maldives", "Mali", "Malta", "Marshall Islands",
    "Mauritania", "Mauritius", "Mexico", "Micronesia", "Moldova", "Monaco", "Mongolia",
    "Montenegro", "Morocco", "Mozambique", "Myanmar", "Burma", "Namibia", "Nauru", "Nepal",
    "Netherlands", "New Zealand", "Nicaragua", "Niger", "Nigeria", "North Korea", "Norway",
    "Oman", "Pakistan", "Palau", "Palestine", "Panama", "Papua New Guinea", "Paraguay",
    "Peru", "Philippines", "Poland", "Portugal", "Qatar", "Romania", "Russia", "Rwanda",
    "Saint Kitts and Nevis", "Saint Lucia", "Saint Vincent and the Grenadines", "Samoa",
    "San Marino", "Saudi Arabia", "Senegal", "Serbia", "Seychelles", "Sierra Leone",
    "Singapore", "Slovakia", "Slovenia", "Solomon Islands", "Somalia", "South Africa",
    "South Korea", "South Sudan", "Spain", "Sri Lanka", "Sudan", "Suriname", "Swaziland",
    "Sweden", "Switzerland", "Syria", "Taiwan", "Tajikistan", "Tanzania", "Thailand",
    "Timor-Leste", "Togo", "Tonga", "Trinidad and Tobago", "Tunisia", "Turkey",
    "Turkmenistan", "Tuvalu", "Uganda", "Ukraine", "United Arab Emirates", "Uruguay",
    "Uzbekistan", "Vanuatu", "Vatican City", "Venezuela", "Vietnam", "Yemen", "Zambia",
    "Zimbabwe", "England", "Scotland", "Wales", "Northern Ireland",
    # capital cities
    "Kabul", "Tirana", "Algiers", "Luanda", "Buenos Aires", "Yerevan", "Canberra", "Vienna",
    "Baku", "Manama", "Dhaka", "Bridgetown", "Minsk", "Brussels", "Belmopan", "Porto-Novo",
    "Thimphu", "La Paz", "Sarajevo", "Gaborone", "Brasília", "Brasilia", "Ouagadougou",
    "Gitega", "Bujumbura", "Phnom Penh", "Yaoundé", "Ottawa", "Praia", "Bangui", "N'Djamena",
    "Beijing", "Bogotá", "Bogota", "Moroni", "Kinshasa", "Brazzaville", "San José", "Zagreb",
    "Havana", "Nicosia", "Prague", "Copenhagen", "Roseau", "Santo Domingo", "Quito", "Cairo",
    "San Salvador", "Malabo", "Asmara", "Tallinn", "Mbabane", "Addis Ababa", "Suva",
    "Helsinki", "Paris", "Libreville", "Banjul", "Tbilisi", "Berlin", "Accra", "Athens",
    "Guatemala City", "Conakry", "Bissau", "Port-au-Prince", "Tegucigalpa", "Budapest",
    "Reykjavik", "New Delhi", "Jakarta", "Tehran", "Baghdad", "Dublin", "Jerusalem", "Rome",
    "Yamoussoukro", "Tokyo", "Amman", "Astana", "Nairobi", "Tarawa", "Pristina",
    "Kuwait City", "Bishkek", "Vientiane", "Riga", "Beirut", "Maseru", "Monrovia", "Tripoli",
    "Vaduz", "Vilnius", "Antananarivo", "Lilongwe", "Kuala Lumpur", "Malé", "Bamako",
    "Valletta", "Majuro", "Nouakchott", "Port Louis", "Mexico City", "Palikir", "Chisinau",
    "Ulaanbaatar", "Podgorica", "Rabat", "Maputo", "Naypyidaw", "Windhoek", "Kathmandu",
    "Amsterdam", "The Hague", "Managua", "Niamey", "Abuja", "Pyongyang", "Skopje", "Oslo",
    "Muscat", "Islamabad", "Panama City", "Port Moresby", "Asunción", "Lima", "Manila",
    "Warsaw", "Lisbon", "Doha", "Bucharest", "Moscow", "Kigali", "Basseterre", "Castries",
    "Kingstown", "Apia", "Riyadh", "Dakar", "Belgrade", "Freetown", "Bratislava",
    "Ljubljana", "Honiara", "Mogadishu", "Pretoria", "Seoul", "Juba", "Madrid", "Colombo",
    "Khartoum", "Paramaribo", "Stockholm", "Bern", "Damascus", "Taipei", "Dushanbe",
    "Dodoma", "Bangkok", "Dili", "Lomé", "Port of Spain", "Tunis", "Ankara", "Ashgabat",
    "Funafuti", "Kampala", "Kyiv", "Kiev", "Abu Dhabi", "London", "Washington",
    "Montevideo", "Tashkent", "Port Vila", "Caracas", "Hanoi", "Sanaa", "Sana'a", "Lusaka",
    "Harare", "Edinburgh", "Cardiff", "Belfast",
})  # fmt: skip


#: A road's number: "I-44", "US-75", "Route 66", "Interstate 5"; British numbers ("the A19",
#: "the M62") only after "the", since "A1" and "M1" are also grades and measures.
_ROAD_NUMBER = re.compile(
    r"(?<![\w-])(?:(?:I|US|SR)-\d{1,3}|(?:Interstate|Route|Highway|State Route)[ \t]+\d{1,4}"
    r"|(?<=\bthe[ \t])[ABM]\d{1,4}(?:\(M\))?)(?![\w-])"
)


def _roads(texts: dict[int, str], rows: list[MentionRow]) -> list[MentionRow]:
    """Road numbers are facilities (FAC): spaCy's label for them set aside ("the A19" as an
    organisation), and those it did not see added."""
    out = list(rows)
    for index, text in texts.items():
        for match in _ROAD_NUMBER.finditer(text):
            start, end = match.span()
            overlapping = [k for k, row in enumerate(out) if row.paragraph == index
                           and row.start < end and start < row.end]  # fmt: skip
            if any((out[k].start, out[k].end) != (start, end) for k in overlapping):
                continue  # part of a longer name ("Route 66 Diner")
            road = MentionRow(index, start, end, match.group(), "FAC", _canonical(match.group()))
            if overlapping:
                out[overlapping[0]] = out[overlapping[0]]._replace(label="FAC")
            else:
                out.append(road)
    return out


def _person_words(rows: list[MentionRow]) -> set[str]:
    """The words of the longer names labelled PERSON."""
    return {word for row in rows if row.label == "PERSON" and " " in row.entity
            for word in row.entity.split()}  # fmt: skip


def _known_places(rows: list[MentionRow]) -> list[MentionRow]:
    """Mentions of :data:`KNOWN_PLACES` labelled as something else become GPE, unless the name
    is a word of a longer person's name of the article ("Paris" of "Maria Paris")."""
    person_words = _person_words(rows)
    return [row._replace(label="GPE")
            if row.entity in KNOWN_PLACES and row.label in NAME_LABELS
            and _label_class(row.label) != "GPE" and row.entity not in person_words else row
            for row in rows]  # fmt: skip


#: What stands between two names of a list: a comma, "and", "or", "&" (with a short remark
#: in brackets after a name: "Grenada (60 days), Malta").
_LIST_GAP = re.compile(r"(?:[ \t]*\([^()\n]{0,30}\))?(?:[ \t]*,)?[ \t]*(?:(?:and|or|&)[ \t]+)?")


def _list_labels(texts: dict[int, str], rows: list[MentionRow]) -> list[MentionRow]:
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
            classes = {_label_class(label) for label in others}
            own = rows[k].label
            if len(classes) != 1 or classes == {_label_class(own)}:
                continue
            (kind,) = classes
            if own == "PERSON" or kind == "PERSON":
                votes[rows[k].entity].add(others.most_common(1)[0][0])
    # A name is one thing in one article: all its mentions change, when its lists agree; a
    # word of a person's full name stays the person's ("Chao" of "Yuen Ren Chao").
    person_words = _person_words(rows)
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


def _citation_authors(texts: dict[int, str], rows: list[MentionRow]) -> list[MentionRow]:
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
                                      _canonical(piece), row.counted))  # fmt: skip
    return out


#: An author's name as cited: a surname, perhaps with a particle or a first name ("De
#: Certeau", "Morgan-Short"), not a longer title ("Nature, Development and Origin").
_AUTHOR_NAME = re.compile(r"[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*)?")


def _context_label(text: str, start: int, end: int) -> str | None:
    """The label the words around the name at ``start:end`` of ``text`` give it, if any."""
    before, after = text[max(0, start - 120) : start], text[end : end + 120]
    found = {label for label, cue_before, cue_after in _CONTEXT_CUES
             if (cue_before is None or cue_before.search(before))
             and (cue_after is None or cue_after.search(after))}  # fmt: skip
    if (not found and _AUTHOR_YEAR[0].search(before) and _AUTHOR_YEAR[1].search(after)
            and _AUTHOR_NAME.fullmatch(text[start:end])):  # fmt: skip
        return "PERSON"
    return found.pop() if len(found) == 1 else None


def _labels_from_context(texts: dict[int, str], rows: list[MentionRow]) -> list[MentionRow]:
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
            and _label_class(row.label) != _label_class(chosen[row.entity]) else row
            for row in rows]  # fmt: skip


def is_capitals(text: str) -> bool:
    """True when a text is written in capitals (most of at least eight cased letters)."""
    cased = [char for char in text if char.isupper() or char.islower()]
    return len(cased) >= 8 and sum(char.isupper() for char in cased) >= 0.8 * len(cased)


def _name_forms(rows: Iterable[MentionRow]) -> dict[str, tuple[str, str, bool]]:
    """Name as written (and canonical name) -> (label, entity, counted), for names looked up
    elsewhere; counted when any of its mentions is."""
    forms: dict[str, tuple[str, str, bool]] = {}
    for row in rows:
        if row.label in NAME_LABELS:
            for form in (row.text, row.entity):
                label, entity, counted = forms.setdefault(form, (row.label, row.entity, False))
                forms[form] = (label, entity, counted or row.counted)
    return forms


def _lookup(index: int, text: str, forms: dict[str, tuple[str, str, bool]], *, caseless: bool,
            span: tuple[int, int] | None = None) -> list[MentionRow]:  # fmt: skip
    """Mentions of known names in ``text`` (within ``span``), longest names first. Looked up
    without case, a name in capitals that could be a common word ("US" and "us") is left out."""
    start_at, end_at = span or (0, len(text))
    taken: list[tuple[int, int]] = []
    rows = []
    for form in sorted(forms, key=lambda f: (-len(f), f)):
        if caseless and (_is_acronym(form) or len(form) < 3):
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(form)}(?!\w)", re.IGNORECASE if caseless else 0)
        for match in pattern.finditer(text, start_at, end_at):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):
                continue
            taken.append((start, end))
            rows.append(MentionRow(index, start, end, match.group(), *forms[form]))
    return rows


def _headline_rows(headline, body_rows: list[MentionRow], *, caseless: bool = False
                   ) -> list[MentionRow]:  # fmt: skip
    """Mentions of names the body recognises, found in a title-case headline (without case
    when the headline is in capitals)."""
    return _lookup(headline.index, headline.text, _name_forms(body_rows), caseless=caseless)


def _without(rows: list[MentionRow], index: int, start: int, end: int, text: str
             ) -> list[MentionRow]:  # fmt: skip
    """Rows with the characters ``start:end`` of paragraph ``index`` cut out of any mention
    overlapping them; what is left of a mention on either side stays a mention."""
    kept = []
    for row in rows:
        if row.paragraph != index or row.end <= start or end <= row.start:
            kept.append(row)
            continue
        for a, b in ((row.start, start), (end, row.end)):
            piece = text[a:b] if a < b else ""
            left = len(piece) - len(piece.lstrip(" \t\n,-–—("))
            piece = piece.strip(" \t\n,-–—()")
            if any(char.isalpha() for char in piece):
                kept.append(MentionRow(index, a + left, a + left + len(piece), piece, row.label,
                                       _canonical(piece), row.counted))  # fmt: skip
    return kept


#: A dateline at the start of a line: "LONDON (Reuters) -", "PARIS, May 3 --",
#: "PORTLAND, Ore. (AP) —"; a place in title case only with a news agency in brackets.
_DATELINE = re.compile(
    r"^[ \t]*(?:(?P<caps>[A-Z][A-Z.'’-]+(?:[ \t]+[A-Z][A-Z.'’-]+)*)"
    r"|(?P<title>[A-Z][\w.'’-]+(?:[ \t]+[A-Z][\w.'’-]+){0,3})(?=[^\n]*?\())"
    r"(?:,[ \t]+[A-Z][A-Za-z.]+(?:[ \t]+[A-Z][A-Za-z.]+)?)?"
    r"(?:,[ \t]+[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2})?[ \t]*"
    r"(?:\((?P<agency>[A-Z][^()\n]{1,40})\)[ \t]*)?(?:--?|–|—)[ \t]",
    re.MULTILINE,
)


def _recased(text: str) -> str:
    return " ".join(word[:1] + word[1:].lower() if word.isupper() else word
                    for word in text.split())  # fmt: skip


def _datelines(texts: dict[int, str], rows: list[MentionRow], headline) -> list[MentionRow]:
    """The place of a dateline is a place (GPE), never glued to a byline or to the agency."""
    forms = {form.casefold(): value for form, value in _name_forms(rows).items()
             if not form.isupper()}  # fmt: skip
    for index, text in texts.items():
        if headline is not None and index == headline.index:
            continue
        for match in _DATELINE.finditer(text):
            if match.group("title") and not match.group("agency"):
                continue
            group = "caps" if match.group("caps") else "title"
            start, end = match.span(group)
            place = text[start:end].rstrip(".")
            end = start + len(place)
            rows = _without(rows, index, start, end, text)
            entity = forms.get(place.casefold(), ("GPE", _recased(place)))[1]
            rows.append(MentionRow(index, start, end, place, "GPE", entity))
            if match.group("agency"):
                a, b = match.span("agency")
                if not any(r.paragraph == index and r.start < b and a < r.end for r in rows):
                    agency = text[a:b]
                    rows.append(MentionRow(index, a, b, agency, "ORG", _canonical(agency)))
    return rows


#: Two or more words in capitals (at least seven letters in all), as in a kicker or a
#: shouted line; "US FDA" (two acronyms) is too short to count.
_CAPITAL_RUN = re.compile(r"(?<![\w])[A-Z][A-Z'’.&-]*(?:[ \t]+[A-Z][A-Z'’.&-]*)+(?![\w])")


def _capital_runs(texts: dict[int, str], rows: list[MentionRow], headline) -> list[MentionRow]:
    """In a run of words in capitals spaCy's own entities are guesses: the names the rest of
    the article recognises are looked up in it without case instead (offsets unchanged)."""
    runs = []
    for index, text in texts.items():
        if headline is not None and index == headline.index:
            continue
        for match in _CAPITAL_RUN.finditer(text):
            if sum(char.isalpha() for char in match.group()) >= 7:
                runs.append((index, *match.span()))
    if not runs:
        return rows

    def inside(row):
        return any(row.paragraph == i and a <= row.start and row.end <= b for i, a, b in runs)

    outside = [row for row in rows if not inside(row)]
    forms = _name_forms(outside)
    found = []
    for index, a, b in runs:
        for row in _lookup(index, texts[index], forms, caseless=True, span=(a, b)):
            if not any(r.paragraph == index and r.start < row.end and row.start < r.end
                       for r in outside):  # fmt: skip
                found.append(row)
    kept = [row for row in rows if not inside(row)
            or not any(f.paragraph == row.paragraph and f.start < row.end and row.start < f.end
                       for f in found)]  # fmt: skip
    return kept + found


#: "(WHO)" right after a name defines an acronym for it.
_ACRONYM_DEFINITION = re.compile(
    r"[ \t]*\((?:the[ \t]+)?([A-Z][A-Za-z&]*[A-Z]s?|(?:[A-Z]\.){2,})\)"
)


def _abbreviates(acronym: str, name: str) -> bool:
    """True when the capitals of ``acronym`` are, in order, capitals of ``name`` starting with
    its first ("WHO" and "World Health Organization")."""
    letters = [char for char in acronym if char.isupper()]
    capitals = iter(char for char in name if char.isupper())
    return (
        bool(letters) and name[:1] == letters[0] and all(letter in capitals for letter in letters)
    )


def _acronyms(texts: dict[int, str], rows: list[MentionRow]) -> list[MentionRow]:
    """An acronym defined in the text ("the World Health Organization (WHO)") is a mention of
    that name wherever it stands alone, spaCy's own label for it set aside."""
    defined: dict[str, tuple[str, str]] = {}
    for row in rows:
        if row.label not in NAME_LABELS or len(row.text.split()) < 2:
            continue
        match = _ACRONYM_DEFINITION.match(texts[row.paragraph], row.end)
        if match and _abbreviates(match.group(1), row.text):
            defined.setdefault(match.group(1), (row.label, row.entity))
    if not defined:
        return rows
    pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, defined)) + r")(?![\w])")
    for index, text in texts.items():
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(r.paragraph == index and r.start <= start and end <= r.end
                   and (r.start, r.end) != (start, end) for r in rows):  # fmt: skip
                continue  # part of a longer name
            rows = [r for r in rows
                    if not (r.paragraph == index and r.start < end and start < r.end)]  # fmt: skip
            label, entity = defined[match.group()]
            rows.append(MentionRow(index, start, end, match.group(), label, entity))
    return rows


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


def _is_acronym(name: str) -> bool:
    letters = [char for char in name if char.isalpha()]
    return len(letters) > 1 and all(char.isupper() for char in letters)


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
            first_name = cut == 1 and _label_class(standalone[head]) != "GPE"
            if standalone[tail] == "PERSON" and first_name:
                continue
            if _label_class(standalone[head]) != _label_class(standalone[tail]):
                return True
            if cut > 1 and len(words) - cut > 1:
                return True
    return False


def _label_class(label: str) -> str:
    return {"LOC": "GPE", "FAC": "GPE"}.get(label, label)


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


#: Last words of names that their first word(s) alone also stand for: "Harvard" for "Harvard
#: University", "Acme" for "Acme Corp.", "Wembley" for "Wembley Stadium".
SHORTENED_HEADS = ORG_HEADS | FACILITY_HEADS | frozenset({
    "School", "Academy", "Polytechnic", "Seminary", "Conservatory", "Hospital", "Clinic",
    "Museum", "Library", "Gallery", "Zoo", "Park", "Hotel", "Lodge", "Inc", "Holdings",
    "Island",
})  # fmt: skip

#: Words that make a name another place or thing than the name they precede: "South Sudan" is
#: not "Sudan", "New York" not "York", the "Second Republic" not the "Republic".
QUALIFIERS = frozenset({
    "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western",
    "Northeast", "Northwest", "Southeast", "Southwest", "North-East", "North-West",
    "South-East", "South-West", "Upper", "Lower", "Central", "Greater", "Inner", "Outer",
    "New", "Old", "Little", "Great", "First", "Second", "Third", "Fourth", "Fifth", "Summer",
    "Winter",
})  # fmt: skip

#: Label classes (:func:`_label_class`) whose names have short forms of their own.
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
        if _label_class(top) in _SHORTENED_CLASSES and (not rest or rest[0][1] < count):
            labels[name] = top
    # Every first and last run of words of each longer name, so that each short name is
    # looked up once rather than compared with every other name.
    index: dict[tuple, set[str]] = defaultdict(set)
    for name, label in labels.items():
        words = name.split()
        kind, head = _label_class(label), words[-1].rstrip(".")
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
        if (_is_acronym(name) or name in NATIONALITIES or name in GROUP_WORDS
                or name in QUALIFIERS):  # fmt: skip
            continue
        kind, key = _label_class(labels[name]), tuple(name.split())
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
        if _is_acronym(name) or name in NATIONALITIES or name in GROUP_WORDS:
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
            (top, count), *rest = counter.most_common()
            if not rest or rest[0][1] < count:
                chosen[entity] = top
    rows = [row._replace(label=chosen.get(row.entity, row.label))
            if row.label in NAME_LABELS else row for row in rows]  # fmt: skip
    rows.sort(key=lambda row: (row.paragraph, row.start, row.end))
    return rows


def mention_table(rows: Sequence[Sequence]) -> pd.DataFrame:
    """The mentions table (:data:`MENTION_COLUMNS`); the same columns for no rows. A row of
    six fields (without ``counted``) is counted."""
    return frame((MentionRow(*row) for row in rows), MentionRow)


def count_entities(
    rows: Iterable[Sequence], *, types: Iterable[str] | None = NAME_LABELS
) -> list[EntityRow]:
    """Count mentions per entity.

    Args:
        rows: mention rows (:data:`MENTION_COLUMNS`); those with ``counted`` false are left
            out, a row without that field is counted.
        types: the labels to count; ``None`` counts every label (numbers and dates too).

    Returns:
        :class:`analysis.core.schema.EntityRow` rows, sorted by count descending, then entity and
        label.
    """
    wanted = None if types is None else frozenset(types)
    counts: Counter = Counter()
    places: dict[tuple[str, str], set[int]] = defaultdict(set)
    for row in (MentionRow(*row) for row in rows):
        if (wanted is not None and row.label not in wanted) or not row.counted:
            continue
        key = (row.entity, row.label)
        counts[key] += 1
        places[key].add(int(row.paragraph))
    return sorted(
        (EntityRow(entity, label, count, len(places[(entity, label)]))
         for (entity, label), count in counts.items()),
        key=lambda row: (-row.count, row.entity, row.label),
    )  # fmt: skip


def entity_table(rows: Sequence[Sequence]) -> pd.DataFrame:
    """The entity-count table from :func:`count_entities` rows (same columns for none)."""
    return frame(rows, EntityRow)


def entity_counts(
    mentions: pd.DataFrame, *, types: Iterable[str] | None = NAME_LABELS
) -> pd.DataFrame:
    """Count mentions per entity.

    Args:
        mentions: a table of :data:`MENTION_COLUMNS` (possibly filtered).
        types: the labels to count (default: :data:`NAME_LABELS`, names only); ``None`` counts
            every label, dates and numbers too.

    Returns:
        A DataFrame of :data:`ENTITY_COLUMNS`, sorted by count descending, then entity, label.
    """
    rows = mentions.itertuples(index=False, name=None)
    return entity_table(count_entities(rows, types=types))
