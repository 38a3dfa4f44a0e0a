from dashboard.state import ViewState, from_query, parse_selection, to_query


def test_from_query_defaults():
    assert from_query({}) == (ViewState(), [])


def test_round_trip():
    state = ViewState(article="x", tab="context", top=5, stop=False, xstop="said", lemma=True,
                      ngram=2, minlen=3, model="vader", types=("PERSON",), mincount=2,
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
    assert parse_selection("x:1") == ("", "")
    assert parse_selection("w:") == ("", "")
