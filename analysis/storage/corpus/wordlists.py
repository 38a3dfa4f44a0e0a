"""Which words the corpus word counts leave out: spaCy's stop words (the ``is_stop`` flag the
analysis stored), the reader's own words, and speaker labels.

A speaker label is how transcripts and interviews mark who speaks: one to three words in
capitals at the start of a paragraph, followed by a colon or in brackets ("WN: How did it
start?", "JOHN SMITH: It started...", "((WSS)) It started...", "[Q] ..."). Each such word is not counted once in that paragraph, so a
label that is only ever a label disappears from the counts and a name that is also used in
the text keeps those uses. The rule reads the paragraph text of the selected articles (the
analysis does not mark labels), so it costs a scan of their paragraphs.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NamedTuple

import pandas as pd

#: One to three words in capitals (letters, digits, . ' ’ -) at a paragraph's start, then a
#: colon or closing brackets ("WN:", "((WN))", "[JOHN SMITH]").
LABEL = (
    r"^\s*[(\[]{0,2}\s*(\p{Lu}[\p{Lu}\p{Nd}.'’-]*(?:[ \t]+\p{Lu}[\p{Lu}\p{Nd}.'’-]*){0,2})"
    r"\s*(?:[)\]]{1,2}|:)"
)


def extra_words(words: Sequence[str] | None) -> list[str]:
    """The reader's own stop words, case-folded, each typed entry split on spaces, commas and
    semicolons ("said, also; Mr" gives three), sorted and distinct."""
    out = set()
    for entry in words or ():
        out.update(w for w in re.split(r"[\s,;]+", str(entry).casefold()) if w)
    return sorted(out)


def label_sql(where: str) -> str:
    """SQL of doc_id, term, labels (times the word is a speaker label in that article) for
    the articles selected by ``where`` (a condition on ``articles a``). Its parameters are
    :data:`LABEL` twice, then those of ``where``."""
    return f"""
        SELECT doc_id, term, count(*) AS labels FROM (
            SELECT p.doc_id,
                   unnest(regexp_split_to_array(lower(regexp_extract(p.text, ?, 1)), '\\s+')) AS term
            FROM paragraphs p JOIN articles a USING (doc_id)
            WHERE regexp_matches(p.text, ?) AND {where})
        WHERE term <> '' GROUP BY ALL"""


class Skipped(NamedTuple):
    """Words a count leaves out.

    Attributes:
        condition: SQL to append to a WHERE on a table with a ``term`` column ("AND term NOT
            IN (...)"), "" when nothing is left out.
        labels: doc_id, term, labels: the speaker labels of the selection (no rows when
            they are kept or there are none), the reader's own words left out.
        relation: the name of the registered relation of those labels ("" when none).
    """

    condition: str
    labels: pd.DataFrame
    relation: str


@contextmanager
def skipped_terms(
    con,
    *,
    extra_stop_words: Sequence[str] | None,
    drop_markers: bool,
    where: str,
    params: Sequence,
) -> Iterator[Skipped]:
    """The words to leave out of a count over the articles ``where`` selects (a condition on
    ``articles a`` with ``params``): the reader's words, and the words found as speaker
    labels (to be counted again without their label uses: :func:`recount_sql`). Their lists
    are registered on ``con`` for the block."""
    extra = extra_words(extra_stop_words)
    labels = pd.DataFrame(
        {
            "doc_id": pd.Series([], dtype="int64"),
            "term": pd.Series([], dtype="str"),
            "labels": pd.Series([], dtype="int64"),
        }
    )
    if drop_markers:
        labels = con.execute(label_sql(where), [LABEL, LABEL, *params]).df()
        labels = labels[~labels["term"].isin(extra)].reset_index(drop=True)
    words = sorted(set(extra) | set(labels["term"]))
    if not words:
        yield Skipped("", labels, "")
        return
    tag = uuid.uuid4().hex
    skipped, found = f"_skipped_{tag}", f"_labels_{tag}"
    con.register(skipped, pd.DataFrame({"term": pd.Series(words, dtype="str")}))
    con.register(found, labels)
    try:
        yield Skipped(
            f" AND term NOT IN (SELECT term FROM {skipped})", labels, found if len(labels) else ""
        )
    finally:
        con.unregister(skipped)
        con.unregister(found)


def recount_sql(skip: Skipped, selected: str, *, stop: str) -> str:
    """SQL of term, count, articles for the words found as speaker labels, their label uses
    taken away (an article counts when it uses the word otherwise): ``selected`` is SQL of
    the selected doc_ids, ``stop`` a condition on ``term_totals`` ("AND NOT is_stop" or "")."""
    return f"""
        WITH used AS (
            SELECT doc_id, term, sum(count) AS count FROM postings
            WHERE term IN (SELECT DISTINCT term FROM {skip.relation})
              AND doc_id IN ({selected}) GROUP BY ALL),
        kept AS (
            SELECT u.term, u.count - coalesce(l.labels, 0) AS count
            FROM used u LEFT JOIN {skip.relation} l USING (doc_id, term))
        SELECT k.term, CAST(sum(k.count) AS BIGINT) AS count,
               count(*) FILTER (WHERE k.count > 0) AS articles
        FROM kept k JOIN term_totals t USING (term) WHERE TRUE {stop}
        GROUP BY k.term HAVING sum(k.count) > 0"""
