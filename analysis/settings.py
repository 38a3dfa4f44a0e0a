"""Every ``NEWSLENS_*`` setting, read from the environment in one place, once, and checked.

The command line and the app call :func:`load_settings` once at start and pass the values they
need to the functions that use them; nothing else in NewsLens reads the environment. A value
that cannot be used is one :class:`SettingsError` naming each bad variable, its value and what
is expected, before anything runs.

==============================  =============  ==========================================
variable                        default        what it sets
==============================  =============  ==========================================
NEWSLENS_DATA_DIR               ~/.newslens    the share store and the default corpus
NEWSLENS_SPACY_MODEL            (unset)        spaCy model to try first
NEWSLENS_ENTITY_ALIASES         (unset)        a JSON or CSV file of extra entity aliases
NEWSLENS_MAX_CHARS              1000000        largest article, in characters
NEWSLENS_STORE_MAX_BYTES        500000000      total size of articles in the share store
NEWSLENS_STORE_URL              (unset)        a database for shared articles and corpora
NEWSLENS_ALLOW_PRIVATE_URLS     0              let the fetcher reach private addresses
NEWSLENS_LOG_LEVEL              INFO           the app server's log level
NEWSLENS_USER_AGENT             (unset)        the collector's User-Agent (default names
                                               NewsLens and its version)
==============================  =============  ==========================================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import NoReturn

from analysis.core.aliases import BUILTIN_ALIASES, AliasFileError, parse_aliases
from analysis.errors import ArticleError

DEFAULT_MAX_CHARS = 1_000_000
DEFAULT_STORE_MAX_BYTES = 500_000_000
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
CORPUS_FILE = "corpus.duckdb"
MAX_USER_AGENT = 200
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")


class SettingsError(ArticleError):
    """One or more ``NEWSLENS_*`` values cannot be used; the message names each of them."""


@dataclass(frozen=True)
class Settings:
    """NewsLens's settings, as read by :func:`load_settings` (the defaults when unset).

    Attributes:
        data_dir: where the share store and the default corpus live.
        spacy_model: a spaCy package name or path to load before the defaults, or None.
        entity_aliases: alias -> canonical name: the built-in table plus the user's file.
        max_chars: the largest article, in characters.
        store_max_bytes: the share store's total size for stored articles (and, apart, for
            kept corpora).
        store_url: the SQLAlchemy URL of the database that keeps shared articles and corpora
            (PostgreSQL; ``postgresql://`` and ``postgres://`` get the psycopg driver), or None
            for the local SQLite file in :attr:`data_dir`. Left out of the repr (it may hold
            a password).
        allow_private_urls: whether the fetcher may reach loopback and private addresses.
        log_level: the app server's log level, one of :data:`LOG_LEVELS`.
        user_agent: the ``User-Agent`` the collector sends (and matches robots.txt rules
            with), or None for its default, which names NewsLens and its version.
    """

    data_dir: Path = field(default_factory=lambda: Path.home() / ".newslens")
    spacy_model: str | None = None
    entity_aliases: Mapping[str, str] = field(default_factory=lambda: BUILTIN_ALIASES)
    max_chars: int = DEFAULT_MAX_CHARS
    store_max_bytes: int = DEFAULT_STORE_MAX_BYTES
    store_url: str | None = field(default=None, repr=False)
    allow_private_urls: bool = False
    log_level: str = "INFO"
    user_agent: str | None = None

    @property
    def corpus_path(self) -> Path:
        """The default corpus file: ``corpus.duckdb`` in :attr:`data_dir`."""
        return self.data_dir / CORPUS_FILE


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read and check every ``NEWSLENS_*`` variable.

    Args:
        environ: the environment to read (default ``os.environ``).

    Returns:
        The settings, every value checked.

    Raises:
        SettingsError: one or more values cannot be used; one line per variable.
    """
    env = os.environ if environ is None else environ
    problems: list[str] = []
    values: dict[str, object] = {}

    def read(name: str) -> str:
        return env.get(name, "").strip()

    if data_dir := read("NEWSLENS_DATA_DIR"):
        values["data_dir"] = Path(data_dir).expanduser()
    if model := read("NEWSLENS_SPACY_MODEL"):
        values["spacy_model"] = model
    if aliases := read("NEWSLENS_ENTITY_ALIASES"):
        try:
            values["entity_aliases"] = read_alias_file(aliases)
        except AliasFileError as error:
            problems.append(str(error))
    for name, key in (
        ("NEWSLENS_MAX_CHARS", "max_chars"),
        ("NEWSLENS_STORE_MAX_BYTES", "store_max_bytes"),
    ):
        raw = read(name)
        if not raw:
            continue
        number = raw.replace("_", "").replace(",", "")
        if number.isdigit() and int(number) > 0:
            values[key] = int(number)
        else:
            problems.append(f"{name}={raw!r} is not a positive whole number")
    if store_url := read("NEWSLENS_STORE_URL"):
        try:
            values["store_url"] = parse_store_url(store_url)
        except ValueError as error:
            problems.append(f"NEWSLENS_STORE_URL {error}")
    private = read("NEWSLENS_ALLOW_PRIVATE_URLS").lower()
    if private in _TRUE:
        values["allow_private_urls"] = True
    elif private not in _FALSE:
        problems.append(f"NEWSLENS_ALLOW_PRIVATE_URLS={private!r} is not 1 or 0")
    if level := read("NEWSLENS_LOG_LEVEL"):
        if level.upper() in LOG_LEVELS:
            values["log_level"] = level.upper()
        else:
            problems.append(f"NEWSLENS_LOG_LEVEL={level!r} is not one of {', '.join(LOG_LEVELS)}")
    if agent := read("NEWSLENS_USER_AGENT"):
        # Sent as an HTTP header: printable ASCII only, so that it can carry no second header.
        if len(agent) <= MAX_USER_AGENT and all(" " <= ch <= "~" for ch in agent):
            values["user_agent"] = agent
        else:
            problems.append(
                f"NEWSLENS_USER_AGENT={agent!r} is not printable ASCII of at most "
                f"{MAX_USER_AGENT} characters"
            )
    if problems:
        raise SettingsError("; ".join(problems) + ".")
    return Settings(**values)  # type: ignore[arg-type]


def parse_store_url(value: str) -> str:
    """The store's database URL, checked: a SQLAlchemy URL of PostgreSQL (``postgresql://``,
    ``postgres://`` and ``postgresql+psycopg://`` all mean the psycopg 3 driver, the one
    installed) or of SQLite (a file, e.g. on a mounted disk).

    Returns:
        the URL with its driver named (``postgresql+psycopg://...`` or ``sqlite:///...``).

    Raises:
        ValueError: the value is not such a URL; the message never repeats a password.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(value)
    except (ArgumentError, ValueError):
        _bad_store_url("is not a database URL")
    backend, _, driver = url.drivername.partition("+")
    if backend in ("postgresql", "postgres"):
        if driver not in ("", "psycopg", "psycopg2"):
            _bad_store_url(f"asks for the {driver} driver; NewsLens connects with psycopg", url)
        if not url.host and "host" not in url.query:
            _bad_store_url("names no host", url)
        return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if backend == "sqlite" and driver in ("", "pysqlite"):
        if url.database in (None, "", ":memory:"):
            _bad_store_url("names no database file (an in-memory one would not last)", url)
        return url.render_as_string(hide_password=False)
    _bad_store_url(f"is a {backend} database; PostgreSQL is the supported server", url)


def _bad_store_url(reason: str, url=None) -> NoReturn:
    shown = f"={url.render_as_string(hide_password=True)!r} " if url is not None else " "
    raise ValueError(
        f"{shown.lstrip()}{reason} (expected e.g. postgresql://user:password@host:5432/database)"
    )


def read_alias_file(path: str) -> Mapping[str, str]:
    """The built-in alias table plus the user's file at ``path`` (JSON or CSV, see
    :mod:`analysis.core.aliases`); the user's entries win.

    Raises:
        AliasFileError: the file cannot be read or parsed (one line saying why).
    """
    name = f"NEWSLENS_ENTITY_ALIASES={path}"
    try:
        text = Path(path).expanduser().read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "not UTF-8"
        raise AliasFileError(f"{name}: cannot read the file ({reason})") from None
    return MappingProxyType({**BUILTIN_ALIASES, **parse_aliases(text, name=name)})
