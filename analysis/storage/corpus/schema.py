"""The corpus tables: their columns, DuckDB types and pandas dtypes, and the numbered migrations.

One analysed article arrives as a dict of pandas DataFrames, one per table below (the
*contract* form), each with ``doc_key`` (SHA-256 hex of the raw input bytes) as first column.
The store keeps the same columns but replaces ``doc_key`` by an integer ``doc_id`` in every
table except ``articles`` (which holds both): integer joins and filters are several times
cheaper than 64-character keys on tables with tens of millions of rows. Exports and
:meth:`CorpusStore.table` give the contract form back.

Contract tables and columns (DuckDB type; meaning):

``articles`` (one row per article)
    doc_key VARCHAR; version INTEGER (analysis version); title, author VARCHAR;
    published VARCHAR (ISO 8601 or NULL); date DATE (published day or NULL); source VARCHAR
    (outlet, e.g. "wikinews.org", or NULL); url VARCHAR; words INTEGER; paragraphs INTEGER
    (body paragraphs); tone_vader, tone_textblob DOUBLE (mean over body paragraphs);
    top_entities VARCHAR (up to 3 entity names joined by ", "); from version 7 (see
    :data:`COLLECTION_COLUMNS`): date_source VARCHAR (where ``published`` came from: "page",
    "feed", "sitemap", "list", "url", or NULL when the input gave it or nothing did);
    duplicate_of VARCHAR (the doc_key of the first stored copy of a near-duplicate, else
    NULL); revision INTEGER (1, 2, ... for successive texts of the same URL); fetched_at
    TIMESTAMP (when the collector fetched it, UTC, else NULL).
``paragraphs``
    doc_key; paragraph INTEGER (0 headline, 1..n body, n+1.. removed lines); kind VARCHAR
    ("headline", "body", "removed"); text VARCHAR; polarity, subjectivity, vader DOUBLE;
    words, sentences INTEGER.
``sentences``
    doc_key; paragraph, sentence (from 0), start, end INTEGER; text VARCHAR; polarity,
    subjectivity, vader DOUBLE.
``terms`` (word counts per paragraph; words only)
    doc_key; paragraph INTEGER; term, lemma VARCHAR (case-folded); is_stop BOOLEAN;
    count INTEGER.
``mentions``
    doc_key; paragraph, start, end INTEGER; text, label, entity (canonical name) VARCHAR.
``entities`` (named entities only)
    doc_key; entity, label VARCHAR; count INTEGER; paragraphs INTEGER[].
``quotes``
    doc_key; paragraph, start, end INTEGER; quote, speaker, entity VARCHAR (speaker and entity
    may be NULL); words INTEGER.
``entity_sentences`` (each sentence that mentions an entity, scored)
    doc_key; entity, type VARCHAR; paragraph, sentence, mentions INTEGER; polarity, vader DOUBLE.

Store-only tables: ``errors`` (document VARCHAR, reason VARCHAR, at TIMESTAMP), ``meta``
(key VARCHAR PRIMARY KEY, value VARCHAR; holds ``schema_version``) and, from version 2,
``term_totals`` (term VARCHAR PRIMARY KEY, is_stop BOOLEAN, count BIGINT, articles BIGINT):
corpus-wide word counts kept up to date by every write, so that unfiltered term queries and
the background of distinctive terms read a few thousand rows instead of every paragraph;
from version 3, ``postings`` (term VARCHAR, doc_id, paragraph, count INTEGER): the terms
table's rows again, kept sorted by term by :meth:`CorpusStore.compact`, so that looking up a
few words reads only the row groups holding them (DuckDB skips row groups by their min/max)
instead of every term of every article; ``terms`` stays in article order, which serves
queries over a date range or one article; from version 4, ``term_months`` (month DATE,
source VARCHAR, term VARCHAR, is_stop BOOLEAN, count BIGINT, articles BIGINT): word counts
per calendar month and outlet (NULL month or source for articles without one). Writes append
signed deltas (a replaced article adds negative rows), so a (month, source, term) may have
several rows: always ``sum()`` them; :meth:`CorpusStore.compact` folds them. Word queries
over whole months and outlets read it instead of every term of every selected article; from
version 5, ``term_sources`` (source VARCHAR, term VARCHAR, is_stop BOOLEAN, count BIGINT,
articles BIGINT; primary key source, term): word counts per outlet, one row per pair (writes
add to it in place, as to ``term_totals``), with ``''`` standing for articles without an
outlet (a key column cannot be NULL), so the words of one outlet are read from it directly,
without a grouping over every month of ``term_months``; from version 6, the
:data:`OUTLET_TOTALS` tables, kept the same way: ``entity_sources`` (source, entity, label,
count, articles: named-entity mentions per outlet), ``pair_sources`` (source, entity_a,
entity_b, paragraphs, articles: entity names found in the same paragraph, entity_a <
entity_b) and ``speaker_sources`` (source, speaker, quotes, words, articles: quotes per
speaker, the quote's entity or else its speaker text); from version 7, the collector's tables (:data:`COLLECTION_DDL`):
``articles.latest`` (BOOLEAN, store-only: false for a revision that a later revision of the
same URL replaced), ``collect_sources`` (the sources collected into this corpus, for "collect
again"), ``collect_listings`` (each feed, sitemap and home page read, with its ETag and
Last-Modified for conditional requests), ``collect_urls`` (every article URL the collector has
dealt with, its outcome and reason) and ``collect_signatures`` (the MinHash signature of each
article that near-duplicates are compared with). The totals tables above count *counted*
articles only: the latest revision of each URL, near-duplicates aside (:data:`COUNTED`).
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd


class Column(NamedTuple):
    name: str
    sql: str  # DuckDB type
    dtype: str  # pandas dtype of the contract frame


_KEY = Column("doc_key", "VARCHAR", "str")


def _c(name: str, sql: str) -> Column:
    dtype = {
        "VARCHAR": "str",
        "INTEGER": "int64",
        "DOUBLE": "float64",
        "BOOLEAN": "bool",
        "DATE": "datetime64[s]",
        "INTEGER[]": "object",
        "TIMESTAMP": "datetime64[us]",
    }[sql]
    return Column(name, sql, dtype)


#: Contract tables in insertion order; every one starts with ``doc_key``.
CONTRACT: dict[str, tuple[Column, ...]] = {
    "articles": (
        _KEY,
        _c("version", "INTEGER"),
        _c("title", "VARCHAR"),
        _c("author", "VARCHAR"),
        _c("published", "VARCHAR"),
        _c("date", "DATE"),
        _c("source", "VARCHAR"),
        _c("url", "VARCHAR"),
        _c("words", "INTEGER"),
        _c("paragraphs", "INTEGER"),
        _c("tone_vader", "DOUBLE"),
        _c("tone_textblob", "DOUBLE"),
        _c("top_entities", "VARCHAR"),
        _c("date_source", "VARCHAR"),
        _c("duplicate_of", "VARCHAR"),
        _c("revision", "INTEGER"),
        _c("fetched_at", "TIMESTAMP"),
    ),
    "paragraphs": (
        _KEY,
        _c("paragraph", "INTEGER"),
        _c("kind", "VARCHAR"),
        _c("text", "VARCHAR"),
        _c("polarity", "DOUBLE"),
        _c("subjectivity", "DOUBLE"),
        _c("vader", "DOUBLE"),
        _c("words", "INTEGER"),
        _c("sentences", "INTEGER"),
    ),
    "sentences": (
        _KEY,
        _c("paragraph", "INTEGER"),
        _c("sentence", "INTEGER"),
        _c("start", "INTEGER"),
        _c("end", "INTEGER"),
        _c("text", "VARCHAR"),
        _c("polarity", "DOUBLE"),
        _c("subjectivity", "DOUBLE"),
        _c("vader", "DOUBLE"),
    ),
    "terms": (
        _KEY,
        _c("paragraph", "INTEGER"),
        _c("term", "VARCHAR"),
        _c("lemma", "VARCHAR"),
        _c("is_stop", "BOOLEAN"),
        _c("count", "INTEGER"),
    ),
    "mentions": (
        _KEY,
        _c("paragraph", "INTEGER"),
        _c("start", "INTEGER"),
        _c("end", "INTEGER"),
        _c("text", "VARCHAR"),
        _c("label", "VARCHAR"),
        _c("entity", "VARCHAR"),
    ),
    "entities": (
        _KEY,
        _c("entity", "VARCHAR"),
        _c("label", "VARCHAR"),
        _c("count", "INTEGER"),
        _c("paragraphs", "INTEGER[]"),
    ),
    "quotes": (
        _KEY,
        _c("paragraph", "INTEGER"),
        _c("start", "INTEGER"),
        _c("end", "INTEGER"),
        _c("quote", "VARCHAR"),
        _c("speaker", "VARCHAR"),
        _c("entity", "VARCHAR"),
        _c("words", "INTEGER"),
    ),
    "entity_sentences": (
        _KEY,
        _c("entity", "VARCHAR"),
        _c("type", "VARCHAR"),
        _c("paragraph", "INTEGER"),
        _c("sentence", "INTEGER"),
        _c("mentions", "INTEGER"),
        _c("polarity", "DOUBLE"),
        _c("vader", "DOUBLE"),
    ),
}

TABLES: tuple[str, ...] = tuple(CONTRACT)
CHILD_TABLES: tuple[str, ...] = TABLES[1:]

#: Row order of each table in exports and :meth:`CorpusStore.table` (after ``doc_key``).
ORDER: dict[str, tuple[str, ...]] = {
    "articles": (),
    "paragraphs": ("paragraph",),
    "sentences": ("paragraph", "sentence"),
    "terms": ("paragraph", "term"),
    "mentions": ("paragraph", "start", "entity"),
    "entities": ("entity", "label"),
    "quotes": ("paragraph", "start"),
    "entity_sentences": ("entity", "paragraph", "sentence", "type"),
}

ERROR_COLUMNS: tuple[Column, ...] = (
    Column("document", "VARCHAR", "str"),
    Column("reason", "VARCHAR", "str"),
    Column("at", "TIMESTAMP", "datetime64[us]"),
)


#: What each column holds, for an export's descriptor (and a reader of it).
DESCRIPTIONS: dict[str, str] = {
    "doc_key": "SHA-256 of the document's bytes: the article's key in every table",
    "doc_id": "the article's identifier (the same value as doc_key), as quanteda, readtext "
    "and tidytext name it",
    "text": "the headline and the body paragraphs, separated by a blank line",
    "version": "the analysis version the article was analysed with",
    "title": "headline",
    "author": "byline",
    "published": "publication date or date-time as given (ISO 8601)",
    "date": "publication day",
    "source": "outlet: from the data, else the host of the article's URL; empty for none",
    "url": "where the article was found",
    "words": "words",
    "paragraphs": "body paragraphs (entities: the paragraph numbers where it is mentioned)",
    "tone_vader": "mean VADER compound score of the body paragraphs (-1 to 1)",
    "tone_textblob": "mean TextBlob polarity of the body paragraphs (-1 to 1)",
    "top_entities": "up to three most mentioned named entities, comma-separated",
    "paragraph": "paragraph number: 0 the headline, 1.. the body",
    "kind": "headline or body",
    "polarity": "TextBlob polarity (-1 to 1)",
    "subjectivity": "TextBlob subjectivity (0 to 1)",
    "vader": "VADER compound score (-1 to 1)",
    "sentences": "sentences",
    "sentence": "sentence number in the paragraph, from 0",
    "start": "offset of the first character in the paragraph's text",
    "end": "offset after the last character in the paragraph's text",
    "term": "the word, case-folded",
    "lemma": "its lemma (spaCy)",
    "is_stop": "a spaCy stop word",
    "count": "occurrences",
    "label": "spaCy entity label (PERSON, ORG, GPE, ...)",
    "entity": "the entity's canonical name",
    "quote": "the quoted words",
    "speaker": "who is quoted, as written",
    "type": "the entity's label",
    "mentions": "mentions of the entity in the sentence",
    "document": "the input that could not be analysed",
    "reason": "why",
    "at": "when it failed",
}


def q(name: str) -> str:
    """A quoted SQL identifier (``end``, ``count`` and ``type`` are keywords)."""
    return '"' + name.replace('"', '""') + '"'


def empty_tables() -> dict[str, pd.DataFrame]:
    """The contract's tables with no rows and the right columns and dtypes.

    Returns:
        ``{table name: empty DataFrame}`` for every name in :data:`TABLES`, columns in
        contract order.
    """
    return {name: empty_table(name) for name in TABLES}


def empty_table(name: str) -> pd.DataFrame:
    """One contract table with no rows (see :func:`empty_tables`)."""
    return pd.DataFrame({c.name: pd.Series([], dtype=c.dtype) for c in CONTRACT[name]})


#: Columns of ``articles`` added by version 7 (the collector), with the SQL value an incoming
#: table without them (an older export, a hand-built table) gets.
COLLECTION_COLUMNS: dict[str, str] = {
    "date_source": "NULL",
    "duplicate_of": "NULL",
    "revision": "1",
    "fetched_at": "NULL",
}
#: The condition (on ``articles`` aliased ``a``) of the articles every count counts: the
#: latest revision of each URL, near-duplicates aside. :data:`LATEST` keeps the copies.
COUNTED = "(a.latest AND a.duplicate_of IS NULL)"
LATEST = "a.latest"


def _create_v1() -> list[str]:
    statements = []
    for name, columns in CONTRACT.items():
        cols = [f"{q(c.name)} {c.sql}" for c in columns[1:] if c.name not in COLLECTION_COLUMNS]
        if name == "articles":
            head = ["doc_id INTEGER PRIMARY KEY", "doc_key VARCHAR NOT NULL UNIQUE"]
        else:
            head = ["doc_id INTEGER NOT NULL"]
        statements.append(f"CREATE TABLE {name} ({', '.join(head + cols)})")
    errors = ", ".join(f"{q(c.name)} {c.sql}" for c in ERROR_COLUMNS)
    statements.append(f"CREATE TABLE errors ({errors})")
    return statements


_TERM_TOTALS = (
    "CREATE TABLE term_totals (term VARCHAR PRIMARY KEY, is_stop BOOLEAN NOT NULL, "
    "count BIGINT NOT NULL, articles BIGINT NOT NULL)"
)
_FILL_TERM_TOTALS = (
    "INSERT INTO term_totals SELECT term, bool_or(is_stop), sum(count), count(DISTINCT doc_id) "
    "FROM terms GROUP BY term"
)


POSTINGS_DDL = (
    "CREATE TABLE postings (term VARCHAR NOT NULL, doc_id INTEGER NOT NULL, "
    "paragraph INTEGER NOT NULL, count INTEGER NOT NULL)"
)
_FILL_POSTINGS = (
    "INSERT INTO postings SELECT term, doc_id, paragraph, count FROM terms "
    "ORDER BY term, doc_id, paragraph"
)


TERM_MONTHS_DDL = (
    "CREATE TABLE term_months (month DATE, source VARCHAR, term VARCHAR NOT NULL, "
    "is_stop BOOLEAN NOT NULL, count BIGINT NOT NULL, articles BIGINT NOT NULL)"
)
#: Per-article rows of term_months for the articles selected by ``{where}`` (on ``t.doc_id``).
TERM_MONTHS_ROWS = (
    "SELECT CAST(date_trunc('month', a.date) AS DATE) AS month, a.source, t.term, "
    "bool_or(t.is_stop) AS is_stop, {sign}sum(t.count) AS count, "
    "{sign}count(DISTINCT t.doc_id) AS articles "
    "FROM terms t JOIN articles a USING (doc_id) WHERE {where} GROUP BY ALL"
)


TERM_SOURCES_DDL = (
    "CREATE TABLE term_sources (source VARCHAR NOT NULL, term VARCHAR NOT NULL, "
    "is_stop BOOLEAN NOT NULL, count BIGINT NOT NULL, articles BIGINT NOT NULL, "
    "PRIMARY KEY (source, term))"
)
#: Per-article rows of term_sources for the articles selected by ``{where}`` (on ``t.doc_id``).
TERM_SOURCES_ROWS = (
    "SELECT coalesce(a.source, '') AS source, t.term, bool_or(t.is_stop) AS is_stop, "
    "{sign}sum(t.count) AS count, {sign}count(DISTINCT t.doc_id) AS articles "
    "FROM terms t JOIN articles a USING (doc_id) WHERE {where} GROUP BY ALL"
)
#: Adds rows of :data:`TERM_SOURCES_ROWS` (signed) to the counts already stored.
TERM_SOURCES_UPSERT = (
    "INSERT INTO term_sources BY NAME "
    + TERM_SOURCES_ROWS
    + " ON CONFLICT (source, term) DO UPDATE SET count = count + excluded.count, "
    "articles = articles + excluded.articles"
)


class OutletTotals(NamedTuple):
    """A table of sums per outlet kept in place by every write, like ``term_sources``: one row
    per key (``source`` first, ``''`` for no outlet), writes add signed per-article rows to it
    and delete the keys whose ``articles`` fall to zero."""

    table: str
    ddl: str
    rows: str  # per-article rows for the articles selected by {where}, signed by {sign}
    key: tuple[str, ...]
    sums: tuple[str, ...]

    def upsert(self, *, sign: str, where: str) -> str:
        """SQL adding the rows of the articles selected by ``where`` (negated when ``sign`` is "-")."""
        updates = ", ".join(f"{c} = {c} + excluded.{c}" for c in self.sums)
        return (
            f"INSERT INTO {self.table} BY NAME {self.rows.format(sign=sign, where=where)} "
            f"ON CONFLICT ({', '.join(self.key)}) DO UPDATE SET {updates}"
        )

    def fill(self) -> str:
        """SQL filling the empty table from every stored article, sorted by its key."""
        return (
            f"INSERT INTO {self.table} BY NAME {self.rows.format(sign='', where='TRUE')} "
            f"ORDER BY {', '.join(self.key)}"
        )


#: From version 6: what the entity, co-occurrence and speaker queries read when the filter
#: is outlets only (or nothing): a few thousand rows instead of every mention of the corpus.
OUTLET_TOTALS: tuple[OutletTotals, ...] = (
    OutletTotals(
        "entity_sources",
        "CREATE TABLE entity_sources (source VARCHAR NOT NULL, entity VARCHAR NOT NULL, "
        "label VARCHAR NOT NULL, count BIGINT NOT NULL, articles BIGINT NOT NULL, "
        "PRIMARY KEY (source, entity, label))",
        "SELECT coalesce(a.source, '') AS source, e.entity, e.label, {sign}sum(e.count) AS count, "
        "{sign}count(*) AS articles FROM entities e JOIN articles a USING (doc_id) "
        "WHERE {where} GROUP BY ALL",
        ("source", "entity", "label"),
        ("count", "articles"),
    ),
    OutletTotals(
        "pair_sources",
        "CREATE TABLE pair_sources (source VARCHAR NOT NULL, entity_a VARCHAR NOT NULL, "
        "entity_b VARCHAR NOT NULL, paragraphs BIGINT NOT NULL, articles BIGINT NOT NULL, "
        "PRIMARY KEY (source, entity_a, entity_b))",
        "WITH places AS (SELECT DISTINCT e.doc_id, unnest(e.paragraphs) AS paragraph, e.entity "
        "FROM entities e WHERE {where}) "
        "SELECT coalesce(a.source, '') AS source, x.entity AS entity_a, y.entity AS entity_b, "
        "{sign}count(*) AS paragraphs, {sign}count(DISTINCT x.doc_id) AS articles "
        "FROM places x JOIN places y ON x.doc_id = y.doc_id AND x.paragraph = y.paragraph "
        "AND x.entity < y.entity JOIN articles a ON a.doc_id = x.doc_id GROUP BY ALL",
        ("source", "entity_a", "entity_b"),
        ("paragraphs", "articles"),
    ),
    OutletTotals(
        "speaker_sources",
        "CREATE TABLE speaker_sources (source VARCHAR NOT NULL, speaker VARCHAR NOT NULL, "
        "quotes BIGINT NOT NULL, words BIGINT NOT NULL, articles BIGINT NOT NULL, "
        "PRIMARY KEY (source, speaker))",
        "SELECT coalesce(a.source, '') AS source, coalesce(q.entity, q.speaker) AS speaker, "
        "{sign}count(*) AS quotes, {sign}sum(q.words) AS words, {sign}count(DISTINCT q.doc_id) AS articles "
        "FROM quotes q JOIN articles a USING (doc_id) "
        "WHERE {where} AND coalesce(q.entity, q.speaker) IS NOT NULL GROUP BY ALL",
        ("source", "speaker"),
        ("quotes", "words", "articles"),
    ),
)


#: The collector's own tables (version 7); see the module docstring.
COLLECTION_DDL: tuple[str, ...] = (
    "CREATE TABLE collect_sources (source VARCHAR PRIMARY KEY, kind VARCHAR, "
    "added TIMESTAMP NOT NULL, last_run TIMESTAMP, summary VARCHAR)",
    "CREATE TABLE collect_listings (url VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, "
    "etag VARCHAR, last_modified VARCHAR, checked TIMESTAMP NOT NULL, status VARCHAR, "
    "items INTEGER, found VARCHAR[])",
    "CREATE TABLE collect_urls (url VARCHAR PRIMARY KEY, status VARCHAR NOT NULL, "
    "reason VARCHAR, doc_key VARCHAR, listed_date VARCHAR, listed_by VARCHAR, "
    "source VARCHAR, attempts INTEGER NOT NULL, updated TIMESTAMP NOT NULL)",
    "CREATE TABLE collect_signatures (doc_key VARCHAR PRIMARY KEY, minhash BLOB NOT NULL)",
)


#: Entity names listed in ``articles.top_entities``.
TOP_ENTITIES = 3

#: From version 8 the rows these tables got from the analysis are stored under
#: ``analysed_<name>`` (what writers write and exports read), and a view under the contract
#: name applies the reader's corrections (table ``corrections``, resolved into
#: ``correction_map``) on read, so that every query follows them and the analysis is never
#: changed; see :mod:`analysis.storage.corpus.corrections`.
CORRECTED_TABLES: tuple[str, ...] = ("mentions", "entities", "quotes", "entity_sentences")

CORRECTIONS_DDL = (
    "CREATE TABLE IF NOT EXISTS corrections (number INTEGER PRIMARY KEY, kind VARCHAR NOT NULL, "
    'name VARCHAR NOT NULL, target VARCHAR, who VARCHAR, "at" TIMESTAMP NOT NULL)'
)
#: Each name a correction touches (and each merge target): the entity it counts for now,
#: the type a label correction gave it (NULL: its own, or a merge target's in the article),
#: and whether it is no name at all.
CORRECTION_MAP_DDL = (
    "CREATE TABLE IF NOT EXISTS correction_map (name VARCHAR PRIMARY KEY, "
    "entity VARCHAR NOT NULL, label VARCHAR, dropped BOOLEAN NOT NULL)"
)


def stored_table(name: str) -> str:
    """The table holding the analysed rows of contract table ``name`` (see
    :data:`CORRECTED_TABLES`)."""
    return f"analysed_{name}" if name in CORRECTED_TABLES else name


def plain_views() -> list[str]:
    """SQL of the views under the contract names when there is no correction: the analysed
    rows as they are (no join, no cost)."""
    views = []
    for name in CORRECTED_TABLES:
        cols = ", ".join(["doc_id", *(q(c.name) for c in CONTRACT[name][1:])])
        views.append(f"CREATE OR REPLACE VIEW {name} AS SELECT {cols} FROM {stored_table(name)}")
    return views


def _affected(name: str, label: str) -> str:
    """The analysed rows of ``name`` whose entity a correction touches and that stay names,
    with the entity they count for and their type: the type a label correction gave, else
    that of the entity's own rows in the article (a merge takes the target's type), else
    their own."""
    cols = ", ".join(f"t.{q(c.name)}" for c in CONTRACT[name][1:] if c.name not in ("entity",))
    label = q(label)
    return f"""SELECT * REPLACE (coalesce(fixed, first_value({label}) OVER (
                   PARTITION BY doc_id, entity ORDER BY own DESC, {label})) AS {label})
               FROM (SELECT t.doc_id, {cols}, c.entity, c.label AS fixed,
                            t.entity = c.entity AS own
                     FROM {stored_table(name)} t JOIN correction_map c ON c.name = t.entity
                     WHERE NOT c.dropped)"""


def corrected_views() -> list[str]:
    """SQL of the views under the contract names applying ``correction_map``: rows of names
    no correction touches pass as they are; the others count for their entity, with its
    type, merged rows of one article (entities) or sentence (entity sentences) folded into
    one, the rows of ignored names gone, and a quote said by an ignored name unattributed
    (or, said by a description or another name, no longer linked to it)."""
    untouched = {
        name: (
            f"SELECT doc_id, {', '.join(q(c.name) for c in CONTRACT[name][1:])} "
            f"FROM {stored_table(name)} t ANTI JOIN correction_map c ON c.name = t.entity"
        )
        for name in ("mentions", "entities", "entity_sentences")
    }
    mention_cols = ", ".join(q(c.name) for c in CONTRACT["mentions"][1:])
    return [
        f"""CREATE OR REPLACE VIEW mentions AS {untouched["mentions"]} UNION ALL
            SELECT doc_id, {mention_cols} FROM ({_affected("mentions", "label")})""",
        f"""CREATE OR REPLACE VIEW entities AS {untouched["entities"]} UNION ALL
            SELECT doc_id, entity, any_value(label) AS label,
                   CAST(sum("count") AS INTEGER) AS "count",
                   list_sort(list_distinct(flatten(list(paragraphs)))) AS paragraphs
            FROM ({_affected("entities", "label")}) GROUP BY doc_id, entity""",
        f"""CREATE OR REPLACE VIEW entity_sentences AS {untouched["entity_sentences"]} UNION ALL
            SELECT doc_id, entity, any_value("type") AS "type", paragraph, sentence,
                   CAST(sum(mentions) AS INTEGER) AS mentions, any_value(polarity) AS polarity,
                   any_value(vader) AS vader
            FROM ({_affected("entity_sentences", "type")})
            GROUP BY doc_id, entity, paragraph, sentence""",
        """CREATE OR REPLACE VIEW quotes AS
            SELECT t.doc_id, t.paragraph, t.start, t."end", t.quote,
                   CASE WHEN s.dropped OR (c.dropped AND (t.speaker IS NULL
                        OR t.speaker = t.entity)) THEN NULL ELSE t.speaker END AS speaker,
                   CASE WHEN c.dropped OR s.dropped THEN NULL
                        ELSE coalesce(c.entity, t.entity) END AS entity,
                   t.words
            FROM analysed_quotes t LEFT JOIN correction_map c ON c.name = t.entity
            LEFT JOIN (SELECT name, dropped FROM correction_map WHERE dropped) s
                ON s.name = t.speaker""",
    ]


def _corrections_step(con) -> None:
    """Version 8: the analysed tables renamed, views in their place, the corrections tables.
    Idempotent, so that a file whose recorded version is older than its tables (tests
    rewind it) migrates too."""
    tables = {
        row[0]
        for row in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
        ).fetchall()
    }
    for name in CORRECTED_TABLES:
        if name in tables and stored_table(name) not in tables:
            con.execute(f"ALTER TABLE {name} RENAME TO {stored_table(name)}")
    con.execute(CORRECTIONS_DDL)
    con.execute(CORRECTION_MAP_DDL)
    for statement in plain_views():
        con.execute(statement)


class Migration(NamedTuple):
    version: int
    description: str
    statements: tuple  # SQL text, or a function run on the connection


#: Numbered steps; a file at version k gets steps k+1.. applied in order, in one transaction.
#: Never edit a released step: append a new one.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "article tables, errors", tuple(_create_v1())),
    Migration(2, "term_totals: corpus-wide word counts", (_TERM_TOTALS, _FILL_TERM_TOTALS)),
    Migration(
        3, "postings: the terms again, sorted by term for lookups", (POSTINGS_DDL, _FILL_POSTINGS)
    ),
    Migration(
        4,
        "term_months: word counts per month and outlet",
        (
            TERM_MONTHS_DDL,
            "INSERT INTO term_months " + TERM_MONTHS_ROWS.format(sign="", where="TRUE"),
        ),
    ),
    Migration(
        5,
        "term_sources: word counts per outlet",
        (
            TERM_SOURCES_DDL,
            "INSERT INTO term_sources BY NAME "
            + TERM_SOURCES_ROWS.format(sign="", where="TRUE")
            + " ORDER BY source, term",
        ),
    ),
    Migration(
        6,
        "entity_sources, pair_sources, speaker_sources: entity, co-occurrence and speaker "
        "sums per outlet",
        tuple(st for t in OUTLET_TOTALS for st in (t.ddl, t.fill())),
    ),
    Migration(
        7,
        "collection: articles.date_source, duplicate_of, revision, fetched_at, latest; the "
        "collector's sources, listings, URLs and signatures",
        (
            *(
                f"ALTER TABLE articles ADD COLUMN IF NOT EXISTS {q(c.name)} {c.sql}"
                + (f" DEFAULT {COLLECTION_COLUMNS[c.name]}" if c.name == "revision" else "")
                for c in CONTRACT["articles"]
                if c.name in COLLECTION_COLUMNS
            ),
            "ALTER TABLE articles ADD COLUMN IF NOT EXISTS latest BOOLEAN DEFAULT TRUE",
            *(st.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS") for st in COLLECTION_DDL),
        ),
    ),
    Migration(
        8,
        "corrections: the analysed entity tables kept as analysed_*, views applying the "
        "reader's corrections under their names, corrections and correction_map",
        (_corrections_step,),
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1].version
