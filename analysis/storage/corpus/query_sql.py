"""A parsed query (:mod:`analysis.storage.corpus.query_language`) as SQL over the corpus tables.

Each term becomes a condition on one article (a row of ``articles``, aliased by the caller):

- a word: its ``postings`` rows (sorted by term, so only the row groups holding it are read);
  a word with inner punctuation ("covid-19", "biden's") also matches where its parts occur in
  the text in that order;
- a prefix (``climat*``): the ``postings`` rows of every term in the range it starts;
- a phrase: the paragraphs holding every word of it the analysis indexes, then their text
  checked by a regular expression (whole words, case-insensitive, anything but letters and
  digits between the words);
- ``title:``: a regular expression on the title; ``source:``: the outlet, case-insensitive
  (``"(no outlet)"``: none); ``entity:``: the article's named entities, case-insensitive.

AND, OR and NOT are the same operators on these conditions. Parameters are appended to the
caller's list in the order their placeholders appear.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from analysis.storage.corpus.query_language import (
    NO_OUTLET,
    And,
    Node,
    Not,
    ParsedQuery,
    Term,
)

#: Not a letter or digit: what separates the words of a phrase, and bounds a whole word.
_GAP = r"[^\pL\pN]"
#: Sorts after every character a term can continue with: the end of a prefix's range.
_LAST = "\U0010ffff"


def query_condition(parsed: ParsedQuery, params: list, *, alias: str = "a") -> str:
    """A SQL condition on ``articles`` (aliased ``alias``) true for the articles the query
    matches; "TRUE" for an empty query."""
    if parsed.node is None:
        return "TRUE"
    return _condition(parsed.node, params, alias)


def _condition(node: Node, params: list, alias: str) -> str:
    if isinstance(node, Term):
        return term_condition(node, params, alias=alias)
    if isinstance(node, Not):
        return f"NOT ({_condition(node.part, params, alias)})"
    joiner = " AND " if isinstance(node, And) else " OR "
    return "(" + joiner.join(_condition(part, params, alias) for part in node.parts) + ")"


def term_condition(term: Term, params: list, *, alias: str = "a") -> str:
    """A SQL condition on ``articles`` (aliased ``alias``) true when the article holds
    ``term``; never NULL (so that NOT works on articles without a title or outlet)."""
    if term.field == "source":
        if term.kind == "value" and term.value == NO_OUTLET:
            return f"({alias}.source IS NULL OR {alias}.source = '')"
        params.append(term.value)
        test = (
            "starts_with(lower({0}.source), ?)"
            if term.kind == "prefix"
            else "lower({0}.source) = ?"
        )
        return f"coalesce({test.format(alias)}, FALSE)"
    if term.field == "entity":
        params.append(term.value)
        test = "starts_with(lower(entity), ?)" if term.kind == "prefix" else "lower(entity) = ?"
        return f"{alias}.doc_id IN (SELECT doc_id FROM entities WHERE {test})"
    if term.field == "title":
        params.append(_pattern(term))
        return f"coalesce(regexp_matches({alias}.title, ?, 'i'), FALSE)"
    return f"{alias}.doc_id IN ({term_articles(term, params)})"


def term_articles(term: Term, params: list) -> str:
    """SQL of the doc_id of the articles whose text holds ``term`` (a "text" term)."""
    if term.kind == "word" and term.indexed == (term.value,):
        params.append(term.value)
        return "SELECT doc_id FROM postings WHERE term = ?"
    return f"SELECT DISTINCT doc_id FROM ({term_paragraphs(term, params)})"


def term_paragraphs(term: Term, params: list, *, within: str | None = None) -> str:
    """SQL of the doc_id, paragraph of the paragraphs holding ``term`` (a "text" term).

    Args:
        term: the term.
        params: the parameter list to append to.
        within: SQL of doc_ids (without parameters) the paragraphs are restricted to.
    """
    restrict = "" if within is None else f" AND doc_id IN ({within})"
    if term.kind == "prefix":
        params += [term.value, term.value + _LAST, term.value]
        return (
            "SELECT DISTINCT doc_id, paragraph FROM postings "
            f"WHERE term >= ? AND term < ? AND starts_with(term, ?){restrict}"
        )
    if term.kind == "word":
        params.append(term.value)
        exact = f"SELECT doc_id, paragraph FROM postings WHERE term = ?{restrict}"
        if term.indexed == (term.value,) or not term.indexed:
            return exact
        return f"{exact} UNION {_phrase_paragraphs(term, params, restrict)}"
    return _phrase_paragraphs(term, params, restrict)


def _phrase_paragraphs(term: Term, params: list, restrict: str) -> str:
    """Paragraphs holding ``term.words`` in order: the candidates hold every indexed word
    (one semi-join per further word, each reading only that word's row groups), and only
    those go through the regular expression."""
    if not term.indexed:
        params.append(_pattern(term))
        where = restrict.replace(" AND ", " WHERE ", 1) if restrict else ""
        return f"""SELECT doc_id, paragraph FROM (SELECT doc_id, paragraph, text FROM paragraphs{where})
                   WHERE regexp_matches(text, ?, 'i')"""
    words = sorted(term.indexed)
    sql = f"SELECT DISTINCT doc_id, paragraph FROM postings WHERE term = ?{restrict}"
    params.append(words[0])
    for word in words[1:]:
        sql += " AND (doc_id, paragraph) IN (SELECT doc_id, paragraph FROM postings WHERE term = ?)"
        params.append(word)
    params.append(_pattern(term))
    # The CASE keeps the regular expression from being pushed down into the paragraphs scan,
    # where it would run on every paragraph instead of the candidates.
    return f"""SELECT c.doc_id, c.paragraph FROM ({sql}) c
               JOIN paragraphs p ON p.doc_id = c.doc_id AND p.paragraph = c.paragraph
               WHERE CASE WHEN c.paragraph = p.paragraph THEN regexp_matches(p.text, ?, 'i') END"""


def _pattern(term: Term) -> str:
    """The regular expression for ``term`` in running text (whole words, case-insensitive)."""
    if term.kind == "prefix":
        return rf"(^|{_GAP}){re.escape(term.value)}"
    words = term.words or (term.value,)
    inner = rf"{_GAP}+".join(re.escape(w) for w in words)
    return rf"(^|{_GAP}){inner}({_GAP}|$)"


def ranking_sql(parsed: ParsedQuery, *, within: str) -> tuple[str, list]:
    """SQL ranking the paragraphs of the articles ``within`` selects (SQL of doc_ids, without
    parameters) by the terms of ``parsed`` they hold, and its parameters (a last one, the
    row limit, is for the caller to append).

    The SQL gives doc_key, title, source, date, paragraph, kind, text, hits (the terms not
    under a NOT found in the paragraph: words and phrases in its text, ``entity:`` where the
    entity is mentioned, ``title:`` for the headline); an article holding none shows its first
    paragraph with hits 0; by hits descending, date descending, doc_key, paragraph.
    """
    params: list = []
    parts = []
    for atom, term in enumerate(parsed.positive_terms()):
        if term.field == "text":
            found = term_paragraphs(term, params, within=within)
        elif term.field == "title":
            test = term_condition(term, params, alias="a")
            found = f"SELECT a.doc_id, 0 AS paragraph FROM articles a WHERE a.doc_id IN ({within}) AND {test}"
        elif term.field == "entity":
            params.append(term.value)
            test = "starts_with(lower(entity), ?)" if term.kind == "prefix" else "lower(entity) = ?"
            found = f"SELECT DISTINCT doc_id, paragraph FROM mentions WHERE doc_id IN ({within}) AND {test}"
        else:
            continue
        parts.append(f"SELECT doc_id, paragraph, {atom} AS atom FROM ({found})")
    hits = (
        " UNION ALL ".join(parts)
        or "SELECT NULL::INTEGER AS doc_id, NULL::INTEGER AS paragraph, 0 AS atom LIMIT 0"
    )
    sql = f"""
        WITH hits AS MATERIALIZED (
            SELECT doc_id, paragraph, count(DISTINCT atom) AS hits FROM ({hits}) GROUP BY ALL),
        bare AS (
            SELECT p.doc_id, min(p.paragraph) AS paragraph, 0 AS hits FROM paragraphs p
            WHERE p.doc_id IN ({within}) AND p.doc_id NOT IN (SELECT doc_id FROM hits)
            GROUP BY p.doc_id),
        ranked AS (SELECT * FROM hits UNION ALL SELECT * FROM bare)
        SELECT a.doc_key, a.title, a.source, a.date, r.paragraph, p.kind, p.text,
               CAST(r.hits AS BIGINT) AS hits
        FROM ranked r JOIN articles a USING (doc_id) JOIN paragraphs p USING (doc_id, paragraph)
        ORDER BY hits DESC, a.date DESC NULLS LAST, a.doc_key, r.paragraph LIMIT ?
    """
    return sql, params


def text_terms(parsed: ParsedQuery) -> tuple[Term, ...]:
    """The terms of the article text a match shows (not under a NOT), in order."""
    return tuple(t for t in parsed.positive_terms() if t.field == "text")


def simple_words(parsed: ParsedQuery) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]] | None:
    """When the query is indexed words and phrases that must all occur (no OR, NOT, fields,
    prefixes or words with inner punctuation): its distinct words, sorted, and its phrases
    (each a tuple of words, every one indexed) in query order; else None."""
    node = parsed.node
    if node is None:
        return (), ()
    parts: Sequence[Node] = node.parts if isinstance(node, And) else (node,)
    words: set[str] = set()
    phrases: list[tuple[str, ...]] = []
    for part in parts:
        if not isinstance(part, Term) or part.field != "text":
            return None
        if part.kind == "word" and part.indexed == (part.value,):
            words.add(part.value)
        elif part.kind == "phrase" and part.indexed and set(part.indexed) == set(part.words):
            words.update(part.words)
            if part.words not in phrases:
                phrases.append(part.words)
        else:
            return None
    return tuple(sorted(words)), tuple(phrases)
