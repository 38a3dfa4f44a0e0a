import pytest

from analysis.core.aliases import BUILTIN_ALIASES, AliasFileError, parse_aliases


def test_parse_aliases_json():
    assert parse_aliases('{"Beeb": "BBC", " the Fed ": "Federal Reserve"}') == {
        "Beeb": "BBC",
        "the Fed": "Federal Reserve",
    }


def test_parse_aliases_csv_with_header():
    assert parse_aliases("alias,canonical\nBeeb,BBC\nFed,Federal Reserve\n") == {
        "Beeb": "BBC",
        "Fed": "Federal Reserve",
    }


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


def test_builtin_aliases_canonical_names():
    assert sorted(set(BUILTIN_ALIASES.values())) == [
        "European Union",
        "United Kingdom",
        "United Nations",
        "United States",
    ]
