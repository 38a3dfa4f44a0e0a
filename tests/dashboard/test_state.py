from dashboard.state import ViewState, from_query, parse_selection, to_query


def test_from_query_defaults():
    assert from_query({}) == (ViewState(), [])


def test_round_trip():
    state = ViewState(article="x", tab="context", top=5, stop=False, xstop="said", lemma=True,
                      ngram=2, minlen=3, model="textblob", band=0.2, types=("PERSON",), mincount=2,
                      first=2, last=4, sel="w:gaza", removed=True)  # fmt: skip
    assert from_query(to_query(state)) == (state, [])


def test_to_query_only_differences():
    assert to_query(ViewState(top=20, sel="e:China")) == {"top": "20", "sel": "e:China"}


def test_from_query_invalid_values_ignored():
    state, notes = from_query({"top": "500", "ngram": "x", "model": "bert", "types": "FOO",
                               "stop": "yes", "tab": "evil"})  # fmt: skip
    assert state == ViewState()
    assert len(notes) == 6


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
        assert (state.band, notes) == (0.05, ["The link's value for “band” was not understood "
                                              "and was ignored."])


def test_default_model_is_vader():
    assert ViewState().model == "vader"
