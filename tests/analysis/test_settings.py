from pathlib import Path

import pytest

from analysis.settings import Settings, SettingsError, load_settings


def test_load_settings_defaults_when_unset():
    settings = load_settings({})
    assert (
        settings.data_dir,
        settings.spacy_model,
        settings.max_chars,
        settings.store_max_bytes,
        settings.allow_private_urls,
        settings.log_level,
        settings.entity_aliases["U.S."],
        settings.store_url,
    ) == (
        Path.home() / ".newslens",
        None,
        1_000_000,
        500_000_000,
        False,
        "INFO",
        "United States",
        None,
    )


def test_load_settings_reads_every_variable(tmp_path):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,canonical\nBeeb,BBC\n", encoding="utf-8")
    settings = load_settings(
        {
            "NEWSLENS_DATA_DIR": str(tmp_path),
            "NEWSLENS_SPACY_MODEL": " my_model ",
            "NEWSLENS_ENTITY_ALIASES": str(aliases),
            "NEWSLENS_MAX_CHARS": "2_000",
            "NEWSLENS_STORE_MAX_BYTES": "1,000",
            "NEWSLENS_ALLOW_PRIVATE_URLS": "yes",
            "NEWSLENS_LOG_LEVEL": "debug",
            "NEWSLENS_STORE_URL": "postgresql://reader:pw@db.example.org:5432/newslens",
        }
    )
    assert (
        settings.data_dir,
        settings.corpus_path,
        settings.spacy_model,
        settings.max_chars,
        settings.store_max_bytes,
        settings.allow_private_urls,
        settings.log_level,
        settings.entity_aliases["Beeb"],
        settings.entity_aliases["UK"],
        settings.store_url,
    ) == (
        tmp_path,
        tmp_path / "corpus.duckdb",
        "my_model",
        2000,
        1000,
        True,
        "DEBUG",
        "BBC",
        "United Kingdom",
        "postgresql+psycopg://reader:pw@db.example.org:5432/newslens",
    )


def test_load_settings_names_every_bad_value_in_one_error(tmp_path):
    with pytest.raises(SettingsError) as caught:
        load_settings(
            {
                "NEWSLENS_MAX_CHARS": "lots",
                "NEWSLENS_STORE_MAX_BYTES": "0",
                "NEWSLENS_ALLOW_PRIVATE_URLS": "maybe",
                "NEWSLENS_LOG_LEVEL": "loud",
                "NEWSLENS_ENTITY_ALIASES": str(tmp_path / "none.json"),
            }
        )
    assert str(caught.value) == (
        f"NEWSLENS_ENTITY_ALIASES={tmp_path / 'none.json'}: cannot read the file (No such file "
        "or directory); NEWSLENS_MAX_CHARS='lots' is not a positive whole number; "
        "NEWSLENS_STORE_MAX_BYTES='0' is not a positive whole number; "
        "NEWSLENS_ALLOW_PRIVATE_URLS='maybe' is not 1 or 0; NEWSLENS_LOG_LEVEL='loud' is not "
        "one of DEBUG, INFO, WARNING, ERROR."
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("postgres://u:pw@host/db", "postgresql+psycopg://u:pw@host/db"),
        (
            "postgresql+psycopg://u:pw@host:6543/db?sslmode=require",
            "postgresql+psycopg://u:pw@host:6543/db?sslmode=require",
        ),
        ("sqlite:////mnt/disk/newslens.sqlite3", "sqlite:////mnt/disk/newslens.sqlite3"),
    ],
)
def test_load_settings_store_url_gets_the_installed_driver(value, expected):
    assert load_settings({"NEWSLENS_STORE_URL": value}).store_url == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("db.example.org", "is not a database URL"),
        ("mysql://u:hunter2@host/db", "='mysql://u:***@host/db' is a mysql database; "),
        ("postgresql+asyncpg://u:hunter2@h/db", "asks for the asyncpg driver"),
        ("postgresql:///db", "='postgresql:///db' names no host"),
        ("sqlite://", "names no database file (an in-memory one would not last)"),
    ],
)
def test_load_settings_store_url_refused_without_showing_the_password(value, reason):
    with pytest.raises(SettingsError) as caught:
        load_settings({"NEWSLENS_STORE_URL": value})
    message = str(caught.value)
    assert (message.startswith("NEWSLENS_STORE_URL"), reason in message, "hunter2" in message) == (
        True,
        True,
        False,
    )


def test_settings_repr_hides_the_store_url():
    settings = load_settings({"NEWSLENS_STORE_URL": "postgresql://u:hunter2@host/db"})
    assert "hunter2" not in repr(settings)


def test_load_settings_alias_file_that_does_not_parse(tmp_path):
    aliases = tmp_path / "aliases.json"
    aliases.write_text("{not json", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"^NEWSLENS_ENTITY_ALIASES=.*aliases\.json: "):
        load_settings({"NEWSLENS_ENTITY_ALIASES": str(aliases)})


def test_load_settings_user_aliases_win_over_builtin(tmp_path):
    aliases = tmp_path / "aliases.json"
    aliases.write_text('{"America": "Americas"}', encoding="utf-8")
    table = load_settings({"NEWSLENS_ENTITY_ALIASES": str(aliases)}).entity_aliases
    assert (table["America"], table["US"]) == ("Americas", "United States")


def test_settings_are_frozen():
    with pytest.raises(AttributeError):
        Settings().max_chars = 5  # type: ignore[misc]


def test_nothing_else_reads_the_environment():
    """Only analysis/settings.py reads NEWSLENS_* (the app and the CLI pass values in)."""
    root = Path(__file__).resolve().parents[2]
    readers = sorted(
        str(path.relative_to(root))
        for package in ("analysis", "dashboard")
        for path in (root / package).rglob("*.py")
        if "os.environ" in path.read_text(encoding="utf-8")
        or "getenv(" in path.read_text(encoding="utf-8")
    )
    assert readers == ["analysis/settings.py"]


def test_load_settings_user_agent_unset_is_none():
    assert load_settings({}).user_agent is None


def test_load_settings_reads_user_agent():
    agent = "NewsLens/0.1.0 (research collector; contact lab@example.org)"
    assert load_settings({"NEWSLENS_USER_AGENT": f"  {agent} "}).user_agent == agent


@pytest.mark.parametrize("agent", ["NewsLens\r\nX-Injected: 1", "NewsLens/é", "N" * 201])
def test_load_settings_refuses_a_user_agent_that_is_not_one_header_value(agent):
    with pytest.raises(SettingsError, match="^NEWSLENS_USER_AGENT=.* is not printable ASCII"):
        load_settings({"NEWSLENS_USER_AGENT": agent})
