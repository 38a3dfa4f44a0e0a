import pytest

from analysis.core.aliases import (
    ALIASES_ENV_VAR,
    BUILTIN_ALIASES,
    AliasFileError,
    load_aliases,
    parse_aliases,
)
from analysis.errors import ArticleError


def test_parse_aliases_json():
    assert parse_aliases('{"Beeb": "BBC", " the Fed ": "Federal Reserve"}') == {
        "Beeb": "BBC", "the Fed": "Federal Reserve",
    }  # fmt: skip


def test_parse_aliases_csv_with_header():
    assert parse_aliases("alias,canonical\nBeeb,BBC\nFed,Federal Reserve\n") == {
        "Beeb": "BBC", "Fed": "Federal Reserve",
    }  # fmt: skip


def test_parse_aliases_csv_wrong_columns():
    with pytest.raises(AliasFileError, match="line 2 has 3 columns"):
        parse_aliases("Beeb,BBC\nFed,Federal,Reserve\n", name="x.csv")


def test_parse_aliases_bad_json_one_line():
    with pytest.raises(AliasFileError) as caught:
        parse_aliases('{"Beeb": }', name="x.json")
    assert str(caught.value).startswith("x.json: not valid JSON (line 1")
    assert "\n" not in str(caught.value)


def test_parse_aliases_json_not_strings():
    with pytest.raises(AliasFileError, match="must be a string"):
        parse_aliases('{"Beeb": 3}')


def test_load_aliases_builtin_without_setting():
    assert load_aliases({})["U.S."] == "United States"


def test_load_aliases_adds_user_file(tmp_path):
    path = tmp_path / "aliases.json"
    path.write_text('{"Beeb": "BBC", "America": "Americas"}', encoding="utf-8")
    table = load_aliases({ALIASES_ENV_VAR: str(path)})
    assert (table["Beeb"], table["America"], table["UK"]) == ("BBC", "Americas", "United Kingdom")


def test_load_aliases_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(ArticleError, match="cannot read the file"):
        load_aliases({ALIASES_ENV_VAR: str(tmp_path / "none.json")})


def test_builtin_aliases_canonical_names():
    assert sorted(set(BUILTIN_ALIASES.values())) == [
        "European Union", "United Kingdom", "United Nations", "United States",
    ]  # fmt: skip
