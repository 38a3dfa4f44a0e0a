"""What every page's share link has in common (pure)."""

from dashboard.links import last_value, link_message, unknown_note, unknown_params


def test_link_message_one_note():
    assert link_message(["“top” (top terms) must be a number from 3 to 50"]) == (
        "Part of this link was ignored: “top” (top terms) must be a number from 3 to 50."
    )


def test_link_message_several_notes():
    assert link_message(["a", "b"]) == "Parts of this link were ignored: a; b."


def test_link_message_no_notes():
    assert link_message([]) == ""


def test_last_value_of_a_repeated_parameter():
    assert [last_value(["5", "7"]), last_value("5"), last_value([])] == ["7", "5", ""]


def test_unknown_params_leave_streamlits_embed_options_alone():
    assert unknown_params(["top", "embed", "embed_options", "colour"], {"top"}) == ["colour"]


def test_unknown_note_names_at_most_five():
    assert unknown_note(["a", "b", "c", "d", "e", "f"]) == (
        "“a”, “b”, “c”, “d”, “e” are not settings a NewsLens link carries"
    )
