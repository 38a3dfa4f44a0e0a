"""The Article page's share link: parsed, checked, written back (pure)."""

from dashboard.article.link import ViewState, from_query, parse_selection, to_query


def test_from_query_defaults():
    assert from_query({}) == (ViewState(), [])


def test_round_trip():
    state = ViewState(
        article="x",
        tab="context",
        top=5,
        stop=False,
        xstop="said",
        lemma=True,
        ngram=2,
        minlen=3,
        model="textblob",
        band=0.2,
        types=("PERSON",),
        mincount=2,
        first=2,
        last=4,
        sel="w:gaza",
        removed=True,
        hideonce=False,
    )
    assert from_query(to_query(state)) == (state, [])


def test_to_query_only_differences():
    assert to_query(ViewState(top=20, sel="e:China")) == {"top": "20", "sel": "e:China"}


def test_from_query_invalid_values_ignored():
    state, notes = from_query(
        {"top": "500", "ngram": "x", "model": "bert", "types": "FOO", "stop": "yes", "tab": "evil"}
    )
    assert state == ViewState()
    assert len(notes) == 6


def test_from_query_top_out_of_bounds_says_the_bounds():
    assert from_query({"top": "500"})[1] == ["“top” (top terms) must be a number from 3 to 50"]


def test_from_query_keeps_the_known_entity_types():
    state, notes = from_query({"types": "PERSON,FOO,gpe"})
    assert (state.types, notes) == (
        ("PERSON", "GPE"),
        ["“FOO” is not an entity type (“types” lists types such as PERSON, ORG, GPE)"],
    )


def test_from_query_unknown_parameter_is_named():
    assert from_query({"colour": "red"}) == (
        ViewState(),
        ["“colour” is not a setting a NewsLens link carries"],
    )


def test_from_query_malformed_selection_ignored():
    assert from_query({"sel": "p:three"})[1] == [
        "“sel” (selection) must look like w:word, e:entity, p:3 or q:speaker"
    ]


def test_hides_once_follows_words_per_term():
    assert [ViewState(ngram=n).hides_once for n in (1, 2, 3)] == [False, True, True]


def test_hides_once_the_links_choice_wins():
    assert (
        ViewState(ngram=2, hideonce=False).hides_once,
        ViewState(ngram=1, hideonce=True).hides_once,
    ) == (False, True)


def test_hideonce_round_trip():
    assert to_query(ViewState(hideonce=False)) == {"hideonce": "0"}
    assert from_query({"hideonce": "0"}) == (ViewState(hideonce=False), [])


def test_from_query_list_values_take_last():
    assert from_query({"top": ["5", "7"]})[0].top == 7


def test_from_query_overlong_text_ignored():
    state, notes = from_query({"xstop": "a" * 501})
    assert (state.xstop, len(notes)) == ("", 1)


def test_parse_selection():
    assert parse_selection("w:gaza") == ("word", "gaza")
    assert parse_selection("e:Lin Jian") == ("entity", "Lin Jian")
    assert parse_selection("p:3") == ("paragraph", "3")
    assert parse_selection("q:Lin Jian") == ("speaker", "Lin Jian")
    assert parse_selection("x:1") == ("", "")
    assert parse_selection("w:") == ("", "")


def test_from_query_band():
    assert from_query({"band": "0.15"}) == (ViewState(band=0.15), [])


def test_from_query_band_out_of_bounds_or_not_a_number_ignored():
    for raw in ("0.9", "-0.1", "nan", "inf", "wide"):
        state, notes = from_query({"band": raw})
        assert (state.band, notes) == (
            0.05,
            ["“band” (neutral band) must be a number from 0.00 to 0.50"],
        )


def test_default_model_is_vader():
    assert ViewState().model == "vader"


def test_from_query_takes_a_long_article_text_as_it_is():
    payload = "A" * 7_000
    assert from_query({"text": payload}) == (ViewState(text=payload), [])


def test_to_query_carries_the_article_text():
    assert to_query(ViewState(text="AQxyz", tab="quotes")) == {"text": "AQxyz", "tab": "quotes"}
