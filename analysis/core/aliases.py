"""Names that mean the same entity: the built-in alias table and the user's additions.

A reader counts "U.S.", "US", "America" and "United States" as one country. Each alias below
maps a name as written (case matters: "US" is the country, "us" is not) to its canonical name,
the entity's name in every table (so that a corpus counts one United States, whichever form
each article writes), with the canonical name's label:

======================================================  ==================  =====
aliases                                                 canonical name      label
======================================================  ==================  =====
U.S., U.S, US, USA, U.S.A., America,                    United States       GPE
United States of America
U.K., UK, Britain, Great Britain                        United Kingdom      GPE
U.N., UN                                                United Nations      ORG
E.U., EU                                                European Union      ORG
======================================================  ==================  =====

"America" alone is taken for the country: the continents are "North America", "South America"
and "the Americas", which are other names.

Users add aliases in a file named by the ``NEWSLENS_ENTITY_ALIASES`` environment variable:
either JSON, ``{"alias": "Canonical", ...}``, or CSV with two columns ``alias,canonical`` (an
optional header row ``alias,canonical`` is skipped). A user's alias takes its label from the
canonical name's other mentions in the article (or, when the canonical name is one of the table
above, from the table). :mod:`analysis.settings` reads the file once, at start, and checks it
with :func:`parse_aliases`; a bad file raises :class:`AliasFileError` with one line saying what
is wrong.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from types import MappingProxyType

from analysis.errors import ArticleError

#: Canonical name -> label, for the built-in table.
CANONICAL_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "United States": "GPE",
        "United Kingdom": "GPE",
        "United Nations": "ORG",
        "European Union": "ORG",
    }
)

#: Alias as written -> canonical name (see the module docstring).
BUILTIN_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "U.S.": "United States",
        "U.S": "United States",
        "US": "United States",
        "USA": "United States",
        "U.S.A.": "United States",
        "U.S.A": "United States",
        "America": "United States",
        "United States of America": "United States",
        "U.K.": "United Kingdom",
        "U.K": "United Kingdom",
        "UK": "United Kingdom",
        "Britain": "United Kingdom",
        "Great Britain": "United Kingdom",
        "U.N.": "United Nations",
        "U.N": "United Nations",
        "UN": "United Nations",
        "E.U.": "European Union",
        "E.U": "European Union",
        "EU": "European Union",
    }
)


class AliasFileError(ArticleError):
    """The alias file named by ``NEWSLENS_ENTITY_ALIASES`` cannot be used (the message says
    why, in one line)."""


def parse_aliases(text: str, *, name: str = "alias file") -> dict[str, str]:
    """Aliases from the text of a JSON object or a two-column CSV.

    Args:
        text: the file's content.
        name: the file's name, for the error message.

    Returns:
        Alias -> canonical name, both with outer white space removed.

    Raises:
        AliasFileError: the text is neither a JSON object of strings nor a CSV of two columns.
    """
    stripped = text.strip()
    if not stripped:
        return {}
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as error:
            raise AliasFileError(
                f"{name}: not valid JSON (line {error.lineno}: {error.msg}); expected "
                '{"alias": "Canonical name", ...}'
            ) from None
        if not isinstance(data, dict):
            raise AliasFileError(f'{name}: expected a JSON object, {{"alias": "Canonical name"}}')
        pairs = list(data.items())
    else:
        pairs = []
        for number, row in enumerate(csv.reader(io.StringIO(stripped)), start=1):
            if not row or not "".join(row).strip():
                continue
            if len(row) != 2:
                raise AliasFileError(
                    f"{name}: line {number} has {len(row)} columns; expected two, "
                    "alias,canonical name"
                )
            if number == 1 and [cell.strip().lower() for cell in row] == ["alias", "canonical"]:
                continue
            pairs.append((row[0], row[1]))
    aliases: dict[str, str] = {}
    for alias, canonical in pairs:
        if not isinstance(alias, str) or not isinstance(canonical, str):
            raise AliasFileError(f"{name}: every alias and canonical name must be a string")
        alias, canonical = " ".join(alias.split()), " ".join(canonical.split())
        if not alias or not canonical:
            raise AliasFileError(f"{name}: an alias or a canonical name is empty")
        aliases[alias] = canonical
    return aliases
