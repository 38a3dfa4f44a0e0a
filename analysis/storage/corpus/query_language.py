"""The corpus query language: what a researcher types in the search box or after ``--query``.

In the style of Media Cloud and Lucene:

==========================  ===============================================================
``ceasefire gaza``          both words (words side by side must all occur: AND)
``"ceasefire talks"``       the words in this order, within one paragraph
``biden OR trump``          either word
``gaza AND NOT hamas``      ``NOT`` (or ``-hamas``) leaves out the articles with the word
``(biden OR trump) talks``  parentheses group; AND binds tighter than OR
``climat*``                 any word starting with "climat" (at least 2 characters first)
``source:reuters.com``      the outlet (``source:"(no outlet)"`` for articles without one)
``entity:"Joe Biden"``      a named entity the article mentions (its canonical name)
``title:ceasefire``         a word, ``prefix*`` or ``"phrase"`` in the title
==========================  ===============================================================

Words match whole words as the analysis split them, case-insensitively, without stemming
("aid" does not find "aids", "talk" does not find "talks": write ``talk*``). Operators are in
capitals: a lowercase ``and``, ``or`` or ``not`` is searched as a word and the reading says
so (:attr:`ParsedQuery.hints`). A query that cannot be read raises :class:`QuerySyntaxError`
with the position of the problem.

This module only reads the text (no database): :func:`parse_search` gives a
:class:`ParsedQuery`, whose :meth:`~ParsedQuery.describe` is how the query was read;
:mod:`analysis.storage.corpus.query_sql` turns it into SQL.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from analysis.errors import ArticleError

FIELDS = ("source", "entity", "title")
#: What ``source:`` takes for the articles that have no outlet.
NO_OUTLET = "(no outlet)"
MAX_QUERY_CHARS = 2000
#: Terms (words, phrases, fields) in one query: each becomes a lookup in the SQL.
MAX_TERMS = 60
MAX_DEPTH = 20
#: Characters before a trailing ``*``: "a*" would ask for a large part of the vocabulary.
MIN_PREFIX = 2
OPERATORS = ("AND", "OR", "NOT")
_QUOTES = {
    '"': '"',
    "\u201c": '\u201d\u201c"',
    "\u201d": '\u201d\u201c"',
    "\u201e": '\u201c\u201d"',
}
_BREAK = set("()") | set(_QUOTES)
#: Runs of letters and digits: the parts of a phrase, joined by anything else in the text.
_RUN = re.compile(r"[^\W_]+")
_LETTERS = re.compile(r"^[^\W\d_]+$")
_LETTER = re.compile(r"[^\W\d_]")
#: Where the tokenizer splits a word: a hyphen or slash between letters ("well-known").
_SPLIT = re.compile(r"(?<=[^\W\d_])[-\u2010\u2011\u2013\u2014/](?=[^\W\d_])")


class QuerySyntaxError(ArticleError):
    """A query that cannot be read; ``position`` is the 0-based index of the problem in the
    query text (the message counts characters from 1)."""

    def __init__(self, message: str, *, position: int, query: str):
        super().__init__(f"The query cannot be read: {message} (at character {position + 1}).")
        self.position = position
        self.query = query
        self.reason = message


class Term(NamedTuple):
    """One thing a query looks for.

    Attributes:
        field: "text" (the article's words), "title", "source" or "entity".
        kind: "word" (one indexed word), "prefix" (``value*``), "phrase" (words in order) or,
            for fields, "value" (the whole value, case-insensitive).
        value: the case-folded word, prefix (without ``*``), phrase (single spaces) or value.
        words: the runs of letters and digits the text must hold in this order (a word with
            inner punctuation, "covid-19", has several).
        indexed: those of ``words`` the analysis stores as words of their own, used to find
            candidate paragraphs before the text is checked (may be empty).
    """

    field: str
    kind: str
    value: str
    words: tuple[str, ...] = ()
    indexed: tuple[str, ...] = ()

    def describe(self) -> str:
        """The term as the query language writes it (``climat*``, ``title:"a b"``)."""
        field = "" if self.field == "text" else f"{self.field}:"
        if self.kind == "prefix":
            return f"{field}{self.value}*"
        if self.kind == "phrase" or not _plain(self.value):
            return f'{field}"{self.value}"'
        return f"{field}{self.value}"


class Not(NamedTuple):
    part: Node


class And(NamedTuple):
    parts: tuple[Node, ...]


class Or(NamedTuple):
    parts: tuple[Node, ...]


Node = Term | Not | And | Or


class ParsedQuery(NamedTuple):
    """A query as read.

    Attributes:
        text: the query as typed.
        node: the expression (None for an empty query, which selects everything).
        hints: sentences about how something was read (a lowercase ``or`` searched as a word).
    """

    text: str
    node: Node | None
    hints: tuple[str, ...] = ()

    def describe(self) -> str:
        """How the query was read, in the query language with every operator written out and
        groups in parentheses ("(biden OR trump) AND NOT election"); "" for an empty query."""
        return "" if self.node is None else _describe(self.node, top=True)

    def terms(self) -> tuple[Term, ...]:
        """The distinct terms, in the order they first occur."""
        return tuple(dict.fromkeys(_walk(self.node))) if self.node is not None else ()

    def positive_terms(self) -> tuple[Term, ...]:
        """The distinct terms not under a NOT (what a matching article shows), in order."""
        if self.node is None:
            return ()
        return tuple(dict.fromkeys(_walk(self.node, negated=False)))


class _Token(NamedTuple):
    kind: str  # "(", ")", "phrase", "word"
    text: str
    start: int
    end: int


def parse_search(text: str | None) -> ParsedQuery:
    """Read a query (see the module docstring for the language).

    Returns:
        the :class:`ParsedQuery`; an empty or blank query gives ``node`` None.

    Raises:
        QuerySyntaxError: the query cannot be read; the message says where and why.
    """
    text = text or ""
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(
            f"a query can be at most {MAX_QUERY_CHARS:,} characters long",
            position=MAX_QUERY_CHARS,
            query=text,
        )
    tokens = _tokenize(text)
    if not tokens:
        return ParsedQuery(text, None)
    parser = _Parser(text, tokens)
    node = parser.expression(0)
    if parser.index < len(tokens):
        token = tokens[parser.index]
        raise QuerySyntaxError("a ')' with no '(' before it", position=token.start, query=text)
    terms = list(_walk(node))
    if len(terms) > MAX_TERMS:
        raise QuerySyntaxError(
            f"a query can hold at most {MAX_TERMS} words, phrases and fields",
            position=0,
            query=text,
        )
    return ParsedQuery(text, node, tuple(dict.fromkeys(parser.hints)))


def _separates(char: str) -> bool:
    """White space, control characters (a NUL pasted in) and lone surrogates, which separate
    words."""
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cs")


def _split_separated(text: str) -> list[str]:
    """``text`` cut at every separator (see :func:`_separates`), without empty pieces."""
    pieces, piece = [], []
    for char in text:
        if _separates(char):
            if piece:
                pieces.append("".join(piece))
                piece = []
        else:
            piece.append(char)
    if piece:
        pieces.append("".join(piece))
    return pieces


def _tokenize(text: str) -> list[_Token]:
    tokens = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if _separates(char):
            i += 1
        elif char in "()":
            tokens.append(_Token(char, char, i, i + 1))
            i += 1
        elif char in _QUOTES:
            close = _QUOTES[char]
            j = i + 1
            while j < n and text[j] not in close:
                j += 1
            if j >= n:
                raise QuerySyntaxError(
                    'a quotation mark is never closed (a phrase needs a closing ")',
                    position=i,
                    query=text,
                )
            tokens.append(_Token("phrase", text[i + 1 : j], i, j + 1))
            i = j + 1
        else:
            j = i
            while j < n and not _separates(text[j]) and text[j] not in _BREAK:
                j += 1
            tokens.append(_Token("word", text[i:j], i, j))
            i = j
    return tokens


class _Parser:
    def __init__(self, text: str, tokens: list[_Token]):
        self.text = text
        self.tokens = tokens
        self.index = 0
        self.hints: list[str] = []

    def _error(self, message: str, position: int) -> QuerySyntaxError:
        return QuerySyntaxError(message, position=position, query=self.text)

    def _peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def _operator(self, name: str) -> bool:
        token = self._peek()
        return token is not None and token.kind == "word" and token.text == name

    def expression(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            token = self._peek()
            raise self._error(
                f"more than {MAX_DEPTH} nested parentheses", token.start if token else 0
            )
        parts = [self._conjunction(depth)]
        while self._operator("OR"):
            operator = self.tokens[self.index]
            self.index += 1
            if self._at_end_of_group():
                raise self._error("OR has nothing after it", operator.start)
            parts.append(self._conjunction(depth))
        return parts[0] if len(parts) == 1 else Or(_flat(parts, Or))

    def _at_end_of_group(self) -> bool:
        token = self._peek()
        return token is None or token.kind == ")"

    def _conjunction(self, depth: int) -> Node:
        token = self._peek()
        if token is not None and token.kind == ")" and depth == 0:
            raise self._error("a ')' with no '(' before it", token.start)
        if token is None or token.kind == ")":
            where = token.start if token else len(self.text)
            raise self._error("something to search for is missing here", where)
        if token.kind == "word" and token.text in ("AND", "OR"):
            raise self._error(f"{token.text} has nothing before it", token.start)
        parts = [self._unary(depth)]
        while True:
            token = self._peek()
            if token is None or token.kind == ")" or self._operator("OR"):
                break
            if self._operator("AND"):
                self.index += 1
                if self._at_end_of_group() or self._operator("OR") or self._operator("AND"):
                    raise self._error("AND has nothing after it", token.start)
            parts.append(self._unary(depth))
        return parts[0] if len(parts) == 1 else And(_flat(parts, And))

    def _unary(self, depth: int) -> Node:
        token = self._peek()
        if self._operator("NOT"):
            self.index += 1
            if self._at_end_of_group() or self._operator("OR") or self._operator("AND"):
                raise self._error("NOT has nothing after it", token.start)
            if depth >= MAX_DEPTH:
                raise self._error(f"more than {MAX_DEPTH} NOTs in a row", token.start)
            return Not(self._unary(depth + 1))
        if token.kind == "word" and token.text in ("-", "+"):
            following = self.tokens[self.index + 1] if self.index + 1 < len(self.tokens) else None
            if following is None or following.start != token.end or following.kind == ")":
                raise self._error(
                    f"a '{token.text}' must be written right before the word, phrase or "
                    "group it applies to",
                    token.start,
                )
            self.index += 1
            part = self._primary(depth)
            return Not(part) if token.text == "-" else part
        if token.kind == "word" and token.text[0] in "-+" and len(token.text) > 1:
            sign = token.text[0]
            self.index += 1
            part = self._word(token._replace(text=token.text[1:], start=token.start + 1))
            return Not(part) if sign == "-" else part
        return self._primary(depth)

    def _primary(self, depth: int) -> Node:
        token = self._peek()
        if token.kind == "(":
            self.index += 1
            after = self._peek()
            if after is not None and after.kind == ")":
                raise self._error("empty parentheses", token.start)
            if after is None:
                raise self._error("the '(' is never closed", token.start)
            node = self.expression(depth + 1)
            closing = self._peek()
            if closing is None or closing.kind != ")":
                raise self._error("the '(' is never closed", token.start)
            self.index += 1
            return node
        if token.kind == ")":
            raise self._error("a ')' with no '(' before it", token.start)
        self.index += 1
        if token.kind == "phrase":
            return _phrase("text", token.text, token.start, self.text)
        return self._word(token)

    def _word(self, token: _Token) -> Node:
        text = token.text
        field, colon, rest = text.partition(":")
        if colon and _LETTERS.match(field):
            name = field.casefold()
            if name not in FIELDS:
                raise self._error(
                    f"'{field}:' is not a field; the fields are source:, entity: and title: "
                    "(put text with a colon in quotes)",
                    token.start,
                )
            return self._field(name, rest, token)
        if text.casefold() in ("and", "or", "not") and text not in OPERATORS:
            self.hints.append(_HINTS[text.casefold()].format(word=text))
        return _word("text", text, token.start, self.text)

    def _field(self, name: str, rest: str, token: _Token) -> Term:
        if rest:
            return _word(name, rest, token.start + len(name) + 1, self.text)
        following = self._peek()
        if following is not None and following.kind == "phrase" and following.start == token.end:
            self.index += 1
            return _phrase(name, following.text, following.start, self.text)
        raise self._error(
            f'{name}: needs a value right after the colon ({name}:word or {name}:"a phrase")',
            token.start,
        )


_HINTS = {
    "or": "'{word}' was searched as a word; to find either of two words write OR in capitals.",
    "and": "'{word}' was searched as a word; words side by side must all occur already "
    "(AND in capitals is the operator).",
    "not": "'{word}' was searched as a word; to leave a word out write NOT in capitals or -word.",
}
#: A clitic the tokenizer splits off ("biden's" -> "biden", "'s"; "don't" -> "do", "n't").
_CLITIC = re.compile(r"^([^\W\d_]+?)(n['\u2019]t|['\u2019](?:s|d|ll|re|ve|m))$")


def _word(field: str, raw: str, start: int, query: str) -> Term:
    """A bare word (or a field's value without quotes) -> its :class:`Term`."""
    value = raw.casefold()
    prefix = value.endswith("*")
    if prefix:
        value = value[:-1]
    if "*" in value:
        raise QuerySyntaxError(
            "'*' works only at the end of a word (climat*)",
            position=start + raw.index("*"),
            query=query,
        )
    if field in ("source", "entity"):
        value = value.strip()
        if prefix and len(value) < MIN_PREFIX:
            raise _short_prefix(start, query)
        if not value:
            raise QuerySyntaxError(f"{field}: needs a value", position=start, query=query)
        return Term(field, "prefix" if prefix else "value", value)
    value = _strip_outer(value)
    if not _LETTER.search(value):
        raise QuerySyntaxError(
            f"'{raw}' holds no letters; numbers and punctuation are not indexed as words "
            f'(a phrase in quotes, "{raw.strip("*")}", finds them in the text)',
            position=start,
            query=query,
        )
    if prefix:
        if len(value) < MIN_PREFIX:
            raise _short_prefix(start, query)
        if ":" in value:
            raise QuerySyntaxError(
                f"'{raw}': a word ending in '*' cannot hold a colon (a field goes first, "
                "as in source:reut*)",
                position=start,
                query=query,
            )
        return Term(field, "prefix", value, (value,), ())
    parts = [p for p in _SPLIT.split(value) if p]
    if len(parts) > 1:
        # The tokenizer splits "well-known" and "and/or": search the parts as a phrase.
        return _phrase_term(field, " ".join(parts), parts, start, query, shown=value)
    words = tuple(_RUN.findall(value))
    if _LETTERS.match(value):
        return Term(field, "word", value, words, (value,))
    clitic = _CLITIC.match(value)
    # "covid-19", "u.s.": one word of the analysis; "biden's": "biden" then the clitic.
    return Term(field, "word", value, words, (clitic.group(1),) if clitic else ())


def _short_prefix(start: int, query: str) -> QuerySyntaxError:
    return QuerySyntaxError(
        f"a '*' needs at least {MIN_PREFIX} characters before it (climat*)",
        position=start,
        query=query,
    )


def _strip_outer(value: str) -> str:
    """A word without the punctuation around it ("biden," -> "biden"); a final "." stays on
    an abbreviation with inner dots ("u.s.")."""
    stripped = value.strip()
    while True:
        shorter = re.sub(r"^[^\w*]+|[^\w*]+$", "", stripped)
        if shorter == stripped:
            break
        stripped = shorter
    if "." in stripped and value.rstrip().endswith(".") and not stripped.endswith("."):
        stripped += "."
    return stripped


def _phrase(field: str, inner: str, start: int, query: str) -> Term:
    """A phrase in quotes (``start`` is the opening quote) -> its :class:`Term`."""
    value = " ".join(_split_separated(inner.casefold()))
    if not value:
        raise QuerySyntaxError("empty quotation marks", position=start, query=query)
    if "*" in value:
        raise QuerySyntaxError(
            "'*' does not work inside quotation marks",
            position=start + 1 + inner.index("*"),
            query=query,
        )
    if field in ("source", "entity"):
        return Term(field, "value", value)
    chunks = [p for chunk in value.split(" ") for p in _SPLIT.split(chunk) if p]
    if len(chunks) == 1 and _LETTER.search(chunks[0]):
        return _word(field, chunks[0], start + 1, query)
    return _phrase_term(field, value, chunks, start, query, shown=value)


def _phrase_term(
    field: str, value: str, chunks: list[str], start: int, query: str, *, shown: str
) -> Term:
    words = tuple(w for chunk in chunks for w in _RUN.findall(chunk))
    if not words:
        raise QuerySyntaxError(
            f'the phrase "{shown}" holds no letters or digits', position=start, query=query
        )
    indexed = tuple(
        dict.fromkeys(c for c in (_strip_outer(c) for c in chunks) if _LETTERS.match(c))
    )
    return Term(field, "phrase", value, words, indexed)


def _plain(value: str) -> bool:
    """Whether a value can be written without quotation marks and read back the same."""
    return (
        bool(value)
        and not any(_separates(c) or c in _BREAK or c == ":" for c in value)
        and (value not in ("-", "+") and value[0] not in "-+" and value.upper() not in OPERATORS)
        and "*" not in value
    )


def _flat(parts: list[Node], kind: type) -> tuple[Node, ...]:
    out: list[Node] = []
    for part in parts:
        out.extend(part.parts if isinstance(part, kind) else (part,))
    return tuple(out)


def _walk(node: Node, *, negated: bool | None = None, under_not: bool = False):
    """The terms of ``node`` in order; with ``negated`` False, only those not under a NOT."""
    if isinstance(node, Term):
        if negated is None or negated == under_not:
            yield node
    elif isinstance(node, Not):
        yield from _walk(node.part, negated=negated, under_not=not under_not)
    else:
        for part in node.parts:
            yield from _walk(part, negated=negated, under_not=under_not)


def _describe(node: Node, *, top: bool = False) -> str:
    if isinstance(node, Term):
        return node.describe()
    if isinstance(node, Not):
        inner = _describe(node.part)
        return f"NOT {inner}"
    joiner = " AND " if isinstance(node, And) else " OR "
    text = joiner.join(_describe(part) for part in node.parts)
    return text if top else f"({text})"
