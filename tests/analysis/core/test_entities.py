import time

import pytest
import spacy

from analysis import analyze
from analysis.core.article import Segment
from analysis.core.entities import (
    ENTITY_COLUMNS,
    MENTION_COLUMNS,
    PATTERNS_COMPONENT,
    MentionRow,
    add_entity_components,
    count_entities,
    entity_counts,
    is_title_case,
    mention_rows,
    mention_table,
    resolve_mentions,
)


def _counts(analysis):
    return {(row.entity, row.label): row.count for row in analysis.entities.itertuples(index=False)}


def test_entity_counts_sample(sample_analysis):
    counts = _counts(sample_analysis)
    expected = {
        ("China", "GPE"): 10,
        ("Gaza", "GPE"): 5,
        ("Palestine", "GPE"): 3,
        ("Lin Jian", "PERSON"): 3,
        ("Israel", "GPE"): 2,
        ("Wang Kejian", "PERSON"): 1,
        ("United Nations", "ORG"): 1,
    }
    assert {key: counts.get(key) for key in expected} == expected


def test_entity_counts_sample_order(sample_analysis):
    assert sample_analysis.entities["entity"].head(5).tolist() == [
        "China",
        "Gaza",
        "Lin Jian",
        "Palestine",
        "Israel",
    ]


def test_entity_counts_no_headline_fragments(sample_analysis):
    names = set(sample_analysis.entities["entity"])
    assert not names & {"China Urges International Efforts", "Cease Gaza Conflict"}


def test_entity_counts_nothing_from_photo_caption(sample_analysis):
    names = set(sample_analysis.entities["entity"])
    assert "Lin Jian China" not in names and "Chinese Government" not in names
    assert not any("Spokesperson -" in name for name in names)


def test_entity_mentions_headline_names_from_body(sample_analysis):
    headline = sample_analysis.mentions[sample_analysis.mentions["paragraph"] == 0]
    assert headline[["start", "end", "text", "label", "entity"]].values.tolist() == [
        [0, 5, "China", "GPE", "China"],
        [43, 47, "Gaza", "GPE", "Gaza"],
    ]


def test_entity_mentions_possessive_stripped(sample_analysis):
    mentions = sample_analysis.mentions
    wang = mentions[mentions["entity"] == "Wang Kejian"].iloc[0]
    assert (wang["paragraph"], wang["text"]) == (6, "Wang Kejian")
    assert sample_analysis.texts[6][wang["end"] : wang["end"] + 2] == "’s"


def test_entity_mentions_determiner_stripped(sample_analysis):
    mentions = sample_analysis.mentions
    un = mentions[mentions["entity"] == "United Nations"].iloc[0]
    assert sample_analysis.texts[int(un["paragraph"])][un["start"] - 4 : un["end"]] == (
        "the United Nations"
    )


def test_entity_mentions_short_name_counts_for_person(sample_analysis):
    mentions = sample_analysis.mentions
    lin = mentions[mentions["entity"] == "Lin Jian"]
    assert list(zip(lin["paragraph"], lin["text"], strict=True)) == [
        (3, "Lin Jian"),
        (4, "Lin Jian"),
        (7, "Lin"),
    ]


def test_entity_mentions_offsets_slice_to_text(sample_analysis):
    texts = sample_analysis.texts
    for row in sample_analysis.mentions.itertuples(index=False):
        assert texts[row.paragraph][row.start : row.end] == row.text


def test_entity_tables_columns(sample_analysis):
    assert list(sample_analysis.mentions.columns) == list(MENTION_COLUMNS)
    assert list(sample_analysis.entities.columns) == list(ENTITY_COLUMNS)


def test_entity_counts_empty_keeps_schema():
    assert list(entity_counts(mention_table([])).columns) == list(ENTITY_COLUMNS)


def test_resolve_mentions_majority_label():
    rows = [
        [1, 0, 4, "Gaza", "GPE", "Gaza"],
        [2, 0, 4, "Gaza", "LOC", "Gaza"],
        [3, 0, 4, "Gaza", "GPE", "Gaza"],
    ]
    assert [(row.paragraph, row.label) for row in resolve_mentions(rows)] == [
        (1, "GPE"),
        (2, "GPE"),
        (3, "GPE"),
    ]
    assert rows[1][4] == "LOC"  # the input is not modified


def test_resolve_mentions_tie_takes_first_mentions_label():
    rows = [[1, 9, 13, "Acme", "PRODUCT", "Acme"], [2, 9, 13, "Acme", "ORG", "Acme"]]
    assert [row.label for row in resolve_mentions(rows)] == ["PRODUCT", "PRODUCT"]


def _resolved(rows):
    return [(row.text, row.label, row.entity) for row in resolve_mentions(rows)]


def test_resolve_mentions_surname_with_other_label_is_the_person():
    rows = [[1, 0, 11, "Maria Paris", "PERSON", "Maria Paris"], [2, 0, 5, "Paris", "GPE", "Paris"]]
    assert _resolved(rows)[-1] == ("Paris", "PERSON", "Maria Paris")


def test_resolve_mentions_first_name_with_other_label_left_alone():
    rows = [[1, 0, 10, "Austin Lee", "PERSON", "Austin Lee"], [2, 0, 6, "Austin", "GPE", "Austin"]]
    assert _resolved(rows)[-1] == ("Austin", "GPE", "Austin")


def test_resolve_mentions_full_name_label_wins():
    rows = [
        [1, 0, 10, "Brock Holt", "PERSON", "Brock Holt"],
        [2, 0, 4, "Holt", "ORG", "Holt"],
        [3, 0, 4, "Holt", "ORG", "Holt"],
    ]
    assert [row[1:] for row in _resolved(rows)] == [("PERSON", "Brock Holt")] * 3


def test_resolve_mentions_middle_name_form_is_one_person():
    rows = [
        [1, 0, 16, "Brock Wyatt Holt", "PERSON", "Brock Wyatt Holt"],
        [2, 0, 10, "Brock Holt", "PERSON", "Brock Holt"],
        [3, 0, 10, "Brock Holt", "PERSON", "Brock Holt"],
        [4, 0, 4, "Holt", "PERSON", "Holt"],
    ]
    assert {row[2] for row in _resolved(rows)} == {"Brock Holt"}


def test_resolve_mentions_acronym_not_a_short_form():
    rows = [
        [1, 0, 17, "Ana Kasparian TYT", "PERSON", "Ana Kasparian TYT"],
        [2, 0, 3, "TYT", "ORG", "TYT"],
    ]
    assert _resolved(rows)[-1] == ("TYT", "ORG", "TYT")


def test_resolve_mentions_nationality_not_a_short_form():
    rows = [
        [1, 0, 19, "Christopher English", "PERSON", "Christopher English"],
        [2, 0, 7, "English", "NORP", "English"],
    ]
    assert _resolved(rows)[-1] == ("English", "NORP", "English")


def test_resolve_mentions_glued_names_not_a_full_name():
    rows = [
        [1, 0, 14, "Lin Jian China", "PERSON", "Lin Jian China"],
        [2, 0, 8, "Lin Jian", "PERSON", "Lin Jian"],
        [3, 0, 5, "China", "GPE", "China"],
        [4, 0, 3, "Lin", "PERSON", "Lin"],
    ]
    assert _resolved(rows)[2:] == [("China", "GPE", "China"), ("Lin", "PERSON", "Lin Jian")]


def test_resolve_mentions_aliases_merge_country_names():
    rows = [
        [1, 0, 2, "US", "GPE", "US"],
        [2, 0, 4, "U.S.", "ORG", "U.S."],
        [3, 0, 7, "America", "GPE", "America"],
        [4, 0, 13, "United States", "GPE", "United States"],
    ]
    assert {row[1:] for row in _resolved(rows)} == {("GPE", "United States")}


def test_resolve_mentions_own_alias_table():
    rows = [[1, 0, 4, "Beeb", "ORG", "Beeb"], [2, 0, 3, "BBC", "ORG", "BBC"]]
    resolved = resolve_mentions(rows, aliases={"Beeb": "BBC"})
    assert [row.entity for row in resolved] == ["BBC", "BBC"]


def test_resolve_mentions_ambiguous_short_name_left_alone():
    rows = [
        [1, 0, 8, "Ann Lee", "PERSON", "Ann Lee"],
        [1, 20, 28, "Bob Lee", "PERSON", "Bob Lee"],
        [2, 0, 3, "Lee", "PERSON", "Lee"],
    ]
    assert resolve_mentions(rows)[-1][5] == "Lee"


def test_is_title_case():
    assert is_title_case("China Urges International Efforts to Cease Gaza Conflict")
    assert not is_title_case("China urges international efforts to cease Gaza conflict")


def test_sentence_case_headline_uses_ner(nlp):
    from analysis import analyze

    result = analyze("Wang Kejian visits Cairo for talks\n\nThe envoy arrived on Monday.", nlp=nlp)
    headline = result.mentions[result.mentions["paragraph"] == 0]
    assert "Wang Kejian" in headline["entity"].tolist()


def test_count_entities_leaves_numbers_out_by_default():
    rows = [
        MentionRow(1, 0, 7, "Ann Lee", "PERSON", "Ann Lee"),
        MentionRow(1, 11, 17, "Monday", "DATE", "Monday"),
        MentionRow(2, 0, 3, "two", "CARDINAL", "two"),
    ]
    assert count_entities(rows) == [("Ann Lee", "PERSON", 1, 1)]


def test_count_entities_all_types_when_none():
    rows = [
        MentionRow(1, 0, 7, "Ann Lee", "PERSON", "Ann Lee"),
        MentionRow(1, 11, 17, "Monday", "DATE", "Monday"),
    ]
    assert count_entities(rows, types=None) == [
        ("Ann Lee", "PERSON", 1, 1),
        ("Monday", "DATE", 1, 1),
    ]


def test_entity_counts_types_filter():
    mentions = mention_table(
        [
            MentionRow(1, 0, 7, "Ann Lee", "PERSON", "Ann Lee"),
            MentionRow(1, 11, 17, "Monday", "DATE", "Monday"),
        ]
    )
    assert entity_counts(mentions, types=["DATE"])["entity"].tolist() == ["Monday"]


@pytest.fixture(scope="module")
def blank():
    """A blank English pipeline with NewsLens's entity components (no model)."""
    nlp = spacy.blank("en")
    add_entity_components(nlp)
    return nlp


def _doc(blank, text, ents, *, sentence_starts=(), tags=None):
    """A Doc with the given (phrase, label) entities, as a model might have found them, and
    the pattern component's matches."""
    doc = blank.make_doc(text)
    doc.ents = [
        doc.char_span(text.index(phrase), text.index(phrase) + len(phrase), label=label)
        for phrase, label in ents
    ]
    for token in doc:
        token.is_sent_start = token.i == 0 or token.text in sentence_starts
        if tags:
            token.tag_ = tags.get(token.text, "NNP" if token.text[:1].isupper() else "")
    return blank.get_pipe(PATTERNS_COMPONENT)(doc)


def _found(blank, text, ents, **kwargs):
    doc = _doc(blank, text, ents, **kwargs)
    rows = mention_rows([Segment(1, "body", text)], [doc])
    return [(row.text, row.label) for row in rows]


def test_mention_rows_job_title_stripped(blank):
    text = "Defender Jan Novak scored twice."
    assert _found(blank, text, [("Defender Jan Novak", "PERSON")]) == [("Jan Novak", "PERSON")]


def test_mention_rows_multi_word_title_stripped(blank):
    text = "Prime Minister Ann Lee spoke."
    assert _found(blank, text, [("Prime Minister Ann Lee", "PERSON")]) == [("Ann Lee", "PERSON")]


def test_mention_rows_title_before_name_makes_person(blank):
    text = "Senator Ann Lee voted no."
    assert _found(blank, text, [("Senator Ann Lee", "ORG")]) == [("Ann Lee", "PERSON")]


def test_mention_rows_title_word_opening_company_name_kept(blank):
    text = "General Motors cut jobs."
    assert _found(blank, text, [("General Motors", "ORG")]) == [("General Motors", "ORG")]


def test_mention_rows_trailing_title_stripped(blank):
    text = "the Health Ministry Spokesperson said."
    assert _found(blank, text, [("Health Ministry Spokesperson", "ORG")]) == [
        ("Health Ministry", "ORG"),
    ]


def test_mention_rows_nationality_does_not_swallow_name(blank):
    text = "Chinese President Xi Jinping arrived."
    assert _found(blank, text, [("Chinese President Xi Jinping", "PERSON")]) == [
        ("Chinese", "NORP"),
        ("Xi Jinping", "PERSON"),
    ]


def test_mention_rows_nationality_opening_company_name_kept(blank):
    text = "British Airways cut flights."
    assert _found(blank, text, [("British Airways", "ORG")]) == [("British Airways", "ORG")]


def test_mention_rows_group_word_is_norp(blank):
    text = "Palestinians marched on Friday."
    assert _found(blank, text, [("Palestinians", "GPE")]) == [("Palestinians", "NORP")]


def test_mention_rows_split_at_score_line(blank):
    text = "Arsenal 2-1 Chelsea was a thriller."
    assert _found(blank, text, [("Arsenal 2-1 Chelsea", "ORG")]) == [
        ("Arsenal", "ORG"),
        ("Chelsea", "ORG"),
    ]


def test_mention_rows_split_at_versus(blank):
    text = "Leeds vs Fulham ends level."
    assert _found(blank, text, [("Leeds vs Fulham", "ORG")]) == [
        ("Leeds", "ORG"),
        ("Fulham", "ORG"),
    ]


def test_mention_rows_split_at_free_standing_dash(blank):
    text = "Ann Lee - Daily Planet"
    assert _found(blank, text, [("Ann Lee - Daily Planet", "PERSON")]) == [
        ("Ann Lee", "PERSON"),
        ("Daily Planet", "PERSON"),
    ]


def test_mention_rows_hyphenated_name_kept(blank):
    text = "Jean-Paul Sartre wrote it."
    assert _found(blank, text, [("Jean-Paul Sartre", "PERSON")]) == [("Jean-Paul Sartre", "PERSON")]


def test_mention_rows_split_at_sentence_start(blank):
    text = "They met Ann Lee. Paris was calm."
    found = _found(blank, text, [("Ann Lee. Paris", "PERSON")], sentence_starts={"Paris"})
    assert found == [("Ann Lee", "PERSON"), ("Paris", "GPE")]


def _article(blank, paragraphs, ents):
    """mention rows for body paragraphs (1..n) with the given (paragraph, phrase, label)."""
    segments = [
        Segment(i, "headline" if i == 0 else "body", text) for i, text in enumerate(paragraphs)
    ]
    docs = [
        _doc(blank, text, [(phrase, label) for i, phrase, label in ents if i == n])
        for n, text in enumerate(paragraphs)
    ]
    return [tuple(row) for row in mention_rows(segments, docs)]


def test_mention_rows_acronym_defined_in_text(blank):
    paragraphs = ["Health news", "The World Health Organization (WHO) met.", "WHO said no."]
    rows = _article(
        blank, paragraphs, [(1, "World Health Organization", "ORG"), (2, "WHO", "PERSON")]
    )
    assert [(row[0], row[3], row[4], row[5]) for row in rows] == [
        (1, "World Health Organization", "ORG", "World Health Organization"),
        (1, "WHO", "ORG", "World Health Organization"),
        (2, "WHO", "ORG", "World Health Organization"),
    ]


def test_mention_rows_dateline_place_not_glued_to_byline(blank):
    paragraphs = ["Markets", "By Ann Lee\nLONDON (Reuters) - Shares fell in London."]
    rows = _article(blank, paragraphs, [(1, "Ann Lee\nLONDON", "PERSON"), (1, "London", "GPE")])
    assert [(row[3], row[4], row[5]) for row in rows] == [
        ("Ann Lee", "PERSON", "Ann Lee"),
        ("LONDON", "GPE", "London"),
        ("Reuters", "ORG", "Reuters"),
        ("London", "GPE", "London"),
    ]


def test_mention_rows_dateline_with_date(blank):
    paragraphs = ["Talks", "PARIS, May 3 -- Talks resumed on Friday."]
    rows = _article(blank, paragraphs, [(1, "PARIS", "ORG")])
    assert [(row[1], row[2], row[3], row[4], row[5]) for row in rows] == [
        (0, 5, "PARIS", "GPE", "Paris"),
    ]


def test_mention_rows_names_in_capitals_looked_up(blank):
    paragraphs = ["Visit", "BREAKING: ANN LEE ARRIVES IN NEW YORK", "Ann Lee landed in New York."]
    rows = _article(
        blank,
        paragraphs,
        [(1, "ANN LEE ARRIVES", "ORG"), (2, "Ann Lee", "PERSON"), (2, "New York", "GPE")],
    )
    assert [(row[0], row[3], row[4], row[5]) for row in rows if row[0] == 1] == [
        (1, "ANN LEE", "PERSON", "Ann Lee"),
        (1, "NEW YORK", "GPE", "New York"),
    ]


def test_mention_rows_headline_in_capitals_uses_body_names(blank):
    paragraphs = ["ANN LEE WINS THE VOTE IN OHIO", "Ann Lee won in Ohio on Tuesday."]
    rows = _article(
        blank,
        paragraphs,
        [(0, "ANN LEE WINS", "ORG"), (1, "Ann Lee", "PERSON"), (1, "Ohio", "GPE")],
    )
    assert [(row[1], row[3], row[5]) for row in rows if row[0] == 0] == [
        (0, "ANN LEE", "Ann Lee"),
        (25, "OHIO", "Ohio"),
    ]


def _counted(blank, text, ents):
    doc = _doc(blank, text, ents)
    return [(row.text, row.counted) for row in mention_rows([Segment(1, "body", text)], [doc])]


def test_mention_rows_nationality_adjective_not_counted(blank):
    text = "American officials met on Monday."
    assert _counted(blank, text, [("American", "NORP")]) == [("American", False)]


def test_mention_rows_group_noun_counted(blank):
    text = "The Palestinians marched on Friday."
    assert _counted(blank, text, [("Palestinians", "NORP")]) == [("Palestinians", True)]


def test_mention_rows_nationality_before_title_not_counted(blank):
    text = "Chinese President Xi Jinping arrived."
    assert _counted(blank, text, [("Chinese President Xi Jinping", "PERSON")]) == [
        ("Chinese", False),
        ("Xi Jinping", True),
    ]


def test_mention_rows_adjective_not_counted_with_model(nlp):
    text = "Ann Lee studies Spanish poetry in Madrid."
    doc = nlp(text)
    rows = mention_rows([Segment(1, "body", text)], [doc])
    assert [(row.text, row.counted) for row in rows if row.text == "Spanish"] == [
        ("Spanish", False),
    ]


def test_mention_rows_language_noun_counted_with_model(nlp):
    text = "The book was translated into Spanish by Ann Lee."
    doc = nlp(text)
    rows = mention_rows([Segment(1, "body", text)], [doc])
    assert [(row.text, row.counted) for row in rows if row.text == "Spanish"] == [
        ("Spanish", True),
    ]


def test_count_entities_leaves_uncounted_mentions_out():
    rows = [
        MentionRow(1, 0, 8, "American", "NORP", "American", False),
        MentionRow(2, 4, 13, "Americans", "NORP", "Americans"),
    ]
    assert count_entities(rows) == [("Americans", "NORP", 1, 1)]


def test_mention_table_six_field_row_is_counted():
    table = mention_table([[1, 0, 7, "Ann Lee", "PERSON", "Ann Lee"]])
    assert table["counted"].tolist() == [True]


def test_resolve_mentions_alias_is_the_canonical_name_even_when_not_written():
    # One name per entity across a corpus, whichever form each article writes.
    rows = [
        [1, 0, 2, "US", "GPE", "US"],
        [2, 0, 4, "U.S.", "GPE", "U.S."],
        [3, 0, 4, "U.S.", "GPE", "U.S."],
    ]
    assert {row[1:] for row in _resolved(rows)} == {("GPE", "United States")}
    rows = [[1, 0, 2, "UK", "GPE", "UK"], [2, 0, 7, "Britain", "GPE", "Britain"]]
    assert {row[1:] for row in _resolved(rows)} == {("GPE", "United Kingdom")}


def test_mention_rows_et_al_stripped(blank):
    text = "Gibbons et al. (2010) found the same."
    assert _found(blank, text, [("Gibbons et al.", "PERSON")]) == [("Gibbons", "PERSON")]


def test_mention_rows_span_with_email_dropped(blank):
    text = "Contact Ann Lee ann.lee@example.org for details."
    assert _found(blank, text, [("Ann Lee ann.lee@example.org", "PERSON")]) == []


def test_mention_rows_span_with_link_dropped(blank):
    text = "See www.example.org Press for details."
    assert _found(blank, text, [("www.example.org Press", "ORG")]) == []


def test_mention_rows_bare_domain_company_kept(blank):
    text = "Amazon.com cut prices."
    assert _found(blank, text, [("Amazon.com", "ORG")]) == [("Amazon.com", "ORG")]


def test_mention_rows_facility_head_makes_fac(blank):
    text = "Traffic backed up on the Norton Bridge today."
    assert _found(blank, text, [("Norton Bridge", "PERSON")]) == [("Norton Bridge", "FAC")]


def test_mention_rows_natural_place_head_makes_loc(blank):
    text = "They paddled down the Hudson River at dawn."
    assert _found(blank, text, [("Hudson River", "ORG")]) == [("Hudson River", "LOC")]


def test_mention_rows_mount_opener_makes_loc(blank):
    text = "Climbers left Mount Kenya on Sunday."
    assert _found(blank, text, [("Mount Kenya", "PERSON")]) == [("Mount Kenya", "LOC")]


def test_mention_rows_organisation_head_makes_org(blank):
    text = "She teaches at the University of Leeds now."
    assert _found(blank, text, [("University of Leeds", "PERSON")]) == [
        ("University of Leeds", "ORG"),
    ]


def test_mention_rows_place_ending_in_organisation_word_kept(blank):
    text = "Talks resumed in the West Bank on Monday."
    assert _found(blank, text, [("West Bank", "GPE")]) == [("West Bank", "GPE")]


def test_resolve_mentions_short_name_goes_to_person_named_most():
    rows = [
        [1, 0, 11, "Jeanne Roux", "PERSON", "Jeanne Roux"],
        [2, 0, 12, "Anatole Roux", "PERSON", "Anatole Roux"],
        [3, 0, 11, "Jeanne Roux", "PERSON", "Jeanne Roux"],
        [4, 0, 4, "Roux", "PERSON", "Roux"],
    ]
    assert _resolved(rows)[-1] == ("Roux", "PERSON", "Jeanne Roux")


def test_resolve_mentions_short_name_tie_goes_to_person_named_first():
    rows = [
        [1, 0, 8, "Ann Lee", "PERSON", "Ann Lee"],
        [2, 0, 8, "Bob Lee", "PERSON", "Bob Lee"],
        [3, 0, 3, "Lee", "PERSON", "Lee"],
    ]
    assert _resolved(rows)[-1] == ("Lee", "PERSON", "Ann Lee")


def test_resolve_mentions_first_name_with_other_label_keeps_full_name():
    rows = [
        [1, 0, 14, "Tomas Veldkamp", "PERSON", "Tomas Veldkamp"],
        [2, 0, 5, "Tomas", "PRODUCT", "Tomas"],
        [3, 0, 8, "Veldkamp", "PERSON", "Veldkamp"],
    ]
    assert _resolved(rows)[-1] == ("Veldkamp", "PERSON", "Tomas Veldkamp")


def test_resolve_mentions_place_before_person_still_glued():
    rows = [
        [1, 0, 16, "Beijing Lin Jian", "PERSON", "Beijing Lin Jian"],
        [2, 0, 7, "Beijing", "GPE", "Beijing"],
        [3, 0, 8, "Lin Jian", "PERSON", "Lin Jian"],
        [4, 0, 3, "Jian", "PERSON", "Jian"],
    ]
    assert _resolved(rows)[-1] == ("Jian", "PERSON", "Lin Jian")


def test_mention_rows_person_after_locative_preposition_is_place(blank):
    paragraphs = ["Travel", "Hotels in Varnholm are cheap.", "Varnholm has two museums."]
    rows = _article(blank, paragraphs, [(1, "Varnholm", "PERSON"), (2, "Varnholm", "GPE")])
    assert [(row[3], row[4]) for row in rows] == [("Varnholm", "GPE"), ("Varnholm", "GPE")]


def test_mention_rows_person_after_according_to_stays_person(blank):
    paragraphs = ["Talks", "The deal is off, according to Varnholm.", "Varnholm left early."]
    rows = _article(blank, paragraphs, [(1, "Varnholm", "PERSON"), (2, "Varnholm", "PERSON")])
    assert [(row[3], row[4]) for row in rows] == [("Varnholm", "PERSON"), ("Varnholm", "PERSON")]


def test_mention_rows_surname_of_full_name_after_preposition_stays_person(blank):
    paragraphs = ["Talks", "Ann Varnholm spoke.", "In Varnholm's view, talks failed."]
    rows = _article(blank, paragraphs, [(1, "Ann Varnholm", "PERSON"), (2, "Varnholm", "PERSON")])
    assert [(row[3], row[4]) for row in rows] == [
        ("Ann Varnholm", "PERSON"),
        ("Varnholm", "PERSON"),
    ]


def test_mention_rows_coordinated_nationality_adjectives_not_counted(blank):
    text = "They collect Italian and Polish art."
    assert _counted(blank, text, [("Italian", "NORP"), ("Polish", "NORP")]) == [
        ("Italian", False),
        ("Polish", False),
    ]


def test_mention_rows_hyphenated_nationality_not_counted(blank):
    text = "The German-born architect won."
    assert _counted(blank, text, [("German", "NORP")]) == [("German", False)]


def test_resolve_mentions_case_variants_are_one_entity():
    rows = [
        [1, 0, 13, "Labour party", "ORG", "Labour party"],
        [2, 0, 13, "Labour Party", "ORG", "Labour Party"],
        [3, 0, 13, "Labour party", "ORG", "Labour party"],
    ]
    assert [row.entity for row in resolve_mentions(rows)] == ["Labour party"] * 3


def test_resolve_mentions_case_variants_tie_shows_first_written():
    rows = [
        [2, 0, 11, "green party", "ORG", "green party"],
        [1, 0, 11, "Green Party", "ORG", "Green Party"],
    ]
    assert [row.entity for row in resolve_mentions(rows)] == ["Green Party", "Green Party"]


def test_resolve_mentions_case_variant_person_label_outvoted():
    rows = [
        [1, 0, 11, "Fort Worth", "GPE", "Fort Worth"],
        [2, 0, 11, "Fort Worth", "GPE", "Fort Worth"],
        [3, 0, 11, "fort worth", "PERSON", "fort worth"],
    ]
    assert {(row.entity, row.label) for row in resolve_mentions(rows)} == {("Fort Worth", "GPE")}


def test_mention_rows_fort_opener_makes_gpe(blank):
    text = "Flights to Fort Selkirk resumed."
    assert _found(blank, text, [("Fort Selkirk", "PERSON")]) == [("Fort Selkirk", "GPE")]


def test_mention_rows_fort_opener_keeps_longer_organisation(blank):
    text = "The Fort Selkirk Gazette reported it."
    assert _found(blank, text, [("Fort Selkirk Gazette", "ORG")]) == [
        ("Fort Selkirk Gazette", "ORG"),
    ]


def _entities(rows):
    return [(row.text, row.entity) for row in resolve_mentions(rows)]


def test_resolve_mentions_institution_first_word_is_the_institution():
    rows = [
        [1, 0, 16, "Brackley College", "ORG", "Brackley College"],
        [2, 0, 8, "Brackley", "ORG", "Brackley"],
    ]
    assert _entities(rows) == [
        ("Brackley College", "Brackley College"),
        ("Brackley", "Brackley College"),
    ]


def test_resolve_mentions_organisation_last_words_are_the_organisation():
    rows = [
        [1, 0, 17, "Norbury Fen Hawks", "ORG", "Norbury Fen Hawks"],
        [2, 0, 9, "Fen Hawks", "ORG", "Fen Hawks"],
    ]
    assert _entities(rows)[-1] == ("Fen Hawks", "Norbury Fen Hawks")


def test_resolve_mentions_head_word_alone_is_the_named_place():
    rows = [[1, 0, 12, "Carrow Hotel", "ORG", "Carrow Hotel"], [2, 0, 5, "Hotel", "ORG", "Hotel"]]
    assert _entities(rows)[-1] == ("Hotel", "Carrow Hotel")


def test_resolve_mentions_one_last_word_not_the_head_left_alone():
    rows = [[1, 0, 10, "Air Tarves", "ORG", "Air Tarves"], [2, 0, 6, "Tarves", "ORG", "Tarves"]]
    assert _entities(rows)[-1] == ("Tarves", "Tarves")


def test_resolve_mentions_directional_place_not_a_short_form():
    rows = [[1, 0, 11, "South Sudan", "GPE", "South Sudan"], [2, 0, 5, "Sudan", "GPE", "Sudan"]]
    assert _entities(rows)[-1] == ("Sudan", "Sudan")


def test_resolve_mentions_nationality_qualified_place_not_a_short_form():
    rows = [
        [1, 0, 13, "French Guiana", "GPE", "French Guiana"],
        [2, 0, 6, "Guiana", "GPE", "Guiana"],
    ]
    assert _entities(rows)[-1] == ("Guiana", "Guiana")


def test_resolve_mentions_acronym_not_an_institution_short_form():
    rows = [[1, 0, 14, "KLM University", "ORG", "KLM University"], [2, 0, 3, "KLM", "ORG", "KLM"]]
    assert _entities(rows)[-1] == ("KLM", "KLM")


def test_resolve_mentions_nationality_not_an_institution_short_form():
    rows = [[1, 0, 10, "Irish Bank", "ORG", "Irish Bank"], [2, 0, 5, "Irish", "ORG", "Irish"]]
    assert _entities(rows)[-1] == ("Irish", "Irish")


def test_resolve_mentions_short_form_of_two_names_left_alone():
    rows = [
        [1, 0, 17, "Norbury Fen Hawks", "ORG", "Norbury Fen Hawks"],
        [2, 0, 15, "Ashby Fen Hawks", "ORG", "Ashby Fen Hawks"],
        [3, 0, 9, "Fen Hawks", "ORG", "Fen Hawks"],
    ]
    assert _entities(rows)[-1] == ("Fen Hawks", "Fen Hawks")


def test_resolve_mentions_company_not_its_product():
    rows = [[1, 0, 11, "Orbis Music", "ORG", "Orbis Music"], [2, 0, 5, "Orbis", "ORG", "Orbis"]]
    assert _entities(rows)[-1] == ("Orbis", "Orbis")


def test_resolve_mentions_town_not_its_airport():
    rows = [[1, 0, 13, "Kelby Airport", "FAC", "Kelby Airport"], [2, 0, 5, "Kelby", "GPE", "Kelby"]]
    assert _entities(rows)[-1] == ("Kelby", "Kelby")


def test_resolve_mentions_place_first_word_same_label_is_the_place():
    rows = [
        [1, 0, 14, "Norcott Island", "LOC", "Norcott Island"],
        [2, 0, 7, "Norcott", "LOC", "Norcott"],
    ]
    assert _entities(rows)[-1] == ("Norcott", "Norcott Island")


def test_resolve_mentions_country_not_its_capital_city():
    rows = [[1, 0, 11, "Ardena City", "GPE", "Ardena City"], [2, 0, 6, "Ardena", "GPE", "Ardena"]]
    assert _entities(rows)[-1] == ("Ardena", "Ardena")


def test_resolve_mentions_long_article_is_quick():
    # 2,400 mentions of 1,200 names: the short-form look-ups must not compare every pair.
    rows = []
    for n in range(400):
        rows += [
            [n + 1, 0, 12, f"Ann Vel{n}", "PERSON", f"Ann Vel{n}"],
            [n + 1, 20, 26, f"Vel{n}", "PERSON", f"Vel{n}"],
            [n + 1, 30, 45, f"Mor{n} College", "ORG", f"Mor{n} College"],
            [n + 1, 50, 54, f"Mor{n}", "ORG", f"Mor{n}"],
            [n + 1, 60, 66, f"Tarn{n}", "GPE", f"Tarn{n}"],
            [n + 1, 70, 80, f"North Tarn{n}", "GPE", f"North Tarn{n}"],
        ]
    started = time.perf_counter()
    resolved = resolve_mentions(rows)
    assert time.perf_counter() - started < 2.0
    assert (resolved[3].text, resolved[3].entity) == ("Mor0", "Mor0 College")


INTERVIEW = (
    "Candidate Talks Policy\n\n"
    "((NP)) Why did you join the Green Party?\n\n"
    "I wanted cleaner rivers for Ohio.\n\n"
    "((NP)) What would you change first?\n\n"
    "The tax code, as the Green Party has long said.\n\n"
    "((NP)) Who do you admire?\n\n"
    "Rosa Parks."
)


def test_transcript_speaker_labels_are_not_counted(nlp):
    result = analyze(INTERVIEW, nlp=nlp)
    labels = result.mentions[result.mentions["text"] == "NP"]
    assert labels["counted"].tolist() == [False] * len(labels)
    assert "NP" not in result.entities["entity"].tolist()
    assert result.entities[result.entities["entity"] == "Green Party"]["count"].tolist() == [2]


def test_colon_speaker_labels_are_not_counted(nlp):
    text = (
        "Talks Go On\n\nNATO: We met the minister.\n\nLee: Good.\n\nNATO: We met again.\n\n"
        "Lee: Fine.\n\nNATO: Talks will go on in Oslo."
    )
    result = analyze(text, nlp=nlp)
    counted = result.mentions[result.mentions["counted"]]
    assert "NATO" not in counted["text"].tolist()
    assert "Oslo" in result.entities["entity"].tolist()


def test_label_opening_two_paragraphs_is_still_a_mention(nlp):
    text = "Alliance Meets\n\nNATO: ministers met in Oslo.\n\nNATO: they met again in Oslo."
    result = analyze(text, nlp=nlp)
    counted = result.mentions[result.mentions["counted"]]
    assert counted["text"].tolist().count("NATO") == 2


def _labels(rows):
    return [(row[3], row[4]) for row in rows]


def test_mention_rows_war_head_makes_event(blank):
    text = "He fought in the Great Northern War as a boy."
    assert _found(blank, text, [("Great Northern War", "ORG")]) == [("Great Northern War", "EVENT")]


def test_mention_rows_plural_games_word_alone_is_event(blank):
    text = "Tickets for the Paralympics sold out."
    assert _found(blank, text, [("Paralympics", "ORG")]) == [("Paralympics", "EVENT")]


def test_mention_rows_storm_opener_makes_event(blank):
    text = "Hurricane Delmar hit the coast."
    assert _found(blank, text, [("Hurricane Delmar", "PERSON")]) == [("Hurricane Delmar", "EVENT")]


def test_mention_rows_city_of_name_is_place(blank):
    paragraphs = ["Travel", "Trains run to the city of Varnholm daily.", "Varnholm grew fast."]
    rows = _article(blank, paragraphs, [(1, "Varnholm", "ORG"), (2, "Varnholm", "PERSON")])
    assert _labels(rows) == [("Varnholm", "GPE"), ("Varnholm", "GPE")]


def test_mention_rows_state_of_common_phrase_not_a_place(blank):
    text = "They live in a state of Permanent Alarm."
    assert _found(blank, text, [("Permanent Alarm", "ORG")]) == [("Permanent Alarm", "ORG")]


def test_mention_rows_name_is_a_town_is_place(blank):
    paragraphs = ["Travel", "Varnholm is a small port town on the coast.", "Varnholm grew."]
    rows = _article(blank, paragraphs, [(1, "Varnholm", "PERSON"), (2, "Varnholm", "PERSON")])
    assert _labels(rows) == [("Varnholm", "GPE"), ("Varnholm", "GPE")]


def test_mention_rows_city_job_is_not_a_place(blank):
    text = "Varnholm was a city councillor for years."
    assert _found(blank, text, [("Varnholm", "PERSON")]) == [("Varnholm", "PERSON")]


def test_mention_rows_apposition_with_place_noun_is_place(blank):
    text = "They moved to Varnholm, a former kingdom of ten villages."
    assert _found(blank, text, [("Varnholm", "ORG")]) == [("Varnholm", "GPE")]


def test_mention_rows_name_is_located_is_place(blank):
    text = "Varnholm is located on the main road south."
    assert _found(blank, text, [("Varnholm", "ORG")]) == [("Varnholm", "GPE")]


def test_mention_rows_born_after_name_makes_person(blank):
    paragraphs = ["Profile", "Tomas Veldkamp (born 3 May 1950) is a pitcher.", "Veldkamp won."]
    rows = _article(blank, paragraphs, [(1, "Tomas Veldkamp", "ORG"), (2, "Veldkamp", "ORG")])
    assert _labels(rows) == [("Tomas Veldkamp", "PERSON"), ("Veldkamp", "ORG")]


def test_resolve_mentions_born_full_name_takes_its_surname():
    rows = [
        [1, 0, 14, "Tomas Veldkamp", "PERSON", "Tomas Veldkamp"],
        [2, 0, 8, "Veldkamp", "ORG", "Veldkamp"],
        [3, 0, 8, "Veldkamp", "ORG", "Veldkamp"],
    ]
    assert _resolved(rows)[-1] == ("Veldkamp", "PERSON", "Tomas Veldkamp")


def test_mention_rows_author_before_year_is_person(blank):
    text = "As argued by others, Varnholm (1964) was first."
    assert _found(blank, text, [("Varnholm", "ORG")]) == [("Varnholm", "PERSON")]


def test_mention_rows_place_before_year_stays_place(blank):
    text = "She got degrees in Oslo (1910) and Rome (1925)."
    assert _found(blank, text, [("Oslo", "GPE")]) == [("Oslo", "GPE")]


def test_mention_rows_et_al_makes_person(blank):
    text = "The method of Varnholm et al. is slow."
    assert _found(blank, text, [("Varnholm", "GPE")]) == [("Varnholm", "PERSON")]


def test_mention_rows_name_in_bracketed_citation_is_person(blank):
    text = "This was shown before (Lee, Varnholm, & Roe, 2012; Kim, 2015)."
    assert _found(blank, text, [("Varnholm", "GPE"), ("Kim", "ORG")]) == [
        ("Varnholm", "PERSON"),
        ("Kim", "PERSON"),
    ]


def test_mention_rows_name_before_language_is_language(blank):
    text = "Few people speak the Varnish language today."
    assert _found(blank, text, [("Varnish", "ORG")]) == [("Varnish", "LANGUAGE")]


def test_mention_rows_speakers_of_name_is_language(blank):
    text = "There are many speakers of Varnish in the north."
    assert _found(blank, text, [("Varnish", "PERSON")]) == [("Varnish", "LANGUAGE")]


def test_mention_rows_title_after_film_is_work(blank):
    text = "He starred in the romantic comedy Silver Harbour (2004)."
    assert _found(blank, text, [("Silver Harbour", "ORG")]) == [("Silver Harbour", "WORK_OF_ART")]


def test_mention_rows_person_after_memoirs_stays_person(blank):
    text = 'In his memoirs, "Ann Varnholm is portrayed as a friend.'
    assert _found(blank, text, [("Ann Varnholm", "PERSON")]) == [("Ann Varnholm", "PERSON")]


def test_mention_rows_conflicting_cues_leave_label(blank):
    paragraphs = ["News", "Varnholm is a small town.", "Varnholm et al. disagree."]
    rows = _article(blank, paragraphs, [(1, "Varnholm", "ORG"), (2, "Varnholm", "ORG")])
    assert _labels(rows) == [("Varnholm", "ORG"), ("Varnholm", "ORG")]


def test_mention_rows_capital_city_taken_for_organisation_is_place(blank):
    text = "He returned to Copenhagen in August."
    assert _found(blank, text, [("Copenhagen", "ORG")]) == [("Copenhagen", "GPE")]


def test_mention_rows_country_taken_for_person_is_place(blank):
    text = "Visas are free for Liechtenstein and Malta."
    assert _found(blank, text, [("Liechtenstein", "PERSON")]) == [("Liechtenstein", "GPE")]


def test_mention_rows_known_place_in_persons_name_left_to_person(blank):
    paragraphs = ["Profile", "Maria Paris won.", "Paris said she was glad."]
    rows = _article(blank, paragraphs, [(1, "Maria Paris", "PERSON"), (2, "Paris", "PERSON")])
    assert _labels(rows) == [("Maria Paris", "PERSON"), ("Paris", "PERSON")]


def test_mention_rows_person_in_list_of_towns_is_place(blank):
    text = "Buses serve Tulsa, Jenks, Sapulpa and Broken Arrow."
    ents = [("Tulsa", "GPE"), ("Jenks", "GPE"), ("Sapulpa", "GPE"), ("Broken Arrow", "PERSON")]
    assert _found(blank, text, ents)[-1] == ("Broken Arrow", "GPE")


def test_mention_rows_name_in_list_of_people_is_person(blank):
    text = "It was tested before (Lee, Varnholm, Roe and Kim, 2012)."
    ents = [("Lee", "PERSON"), ("Varnholm", "ORG"), ("Roe", "PERSON"), ("Kim", "PERSON")]
    assert _found(blank, text, ents)[1] == ("Varnholm", "PERSON")


def test_mention_rows_organisation_in_list_of_countries_kept(blank):
    text = "Talks with France, Germany, Spain and NATO resumed."
    ents = [("France", "GPE"), ("Germany", "GPE"), ("Spain", "GPE"), ("NATO", "ORG")]
    assert _found(blank, text, ents)[-1] == ("NATO", "ORG")


def test_mention_rows_two_names_are_no_list(blank):
    text = "Trains link Leeds and Varnholm."
    assert _found(blank, text, [("Leeds", "GPE"), ("Varnholm", "PERSON")])[-1] == (
        "Varnholm",
        "PERSON",
    )


def test_mention_rows_surname_of_person_in_list_of_places_stays_person(blank):
    paragraphs = ["Profile", "Yuen Ren Chao taught.", "He knew Oslo, Rome, Chao and Bern."]
    ents = [
        (1, "Yuen Ren Chao", "PERSON"),
        (2, "Oslo", "GPE"),
        (2, "Rome", "GPE"),
        (2, "Chao", "PERSON"),
        (2, "Bern", "GPE"),
    ]
    assert _labels(_article(blank, paragraphs, ents))[3] == ("Chao", "PERSON")


def test_mention_rows_name_is_in_the_province_of_is_place(blank):
    text = "Varnholm is in the province of Oster, on the coast."
    assert _found(blank, text, [("Varnholm", "ORG")]) == [("Varnholm", "GPE")]


def test_mention_rows_name_is_a_destination_is_place(blank):
    text = "However, Varnholm is a perfect destination for hikers."
    assert _found(blank, text, [("Varnholm", "PERSON")]) == [("Varnholm", "GPE")]


def test_mention_rows_citation_authors_run_together_are_people(blank):
    text = "Games help memory (Dye & Bavelier, 2010)."
    assert _found(blank, text, [("Dye & Bavelier", "ORG")]) == [
        ("Dye", "PERSON"),
        ("Bavelier", "PERSON"),
    ]


def test_mention_rows_citation_authors_with_commas_are_people(blank):
    text = "As shown by Lee, Roe, & Kim (2012), it works."
    assert _found(blank, text, [("Lee, Roe, & Kim", "ORG")]) == [
        ("Lee", "PERSON"),
        ("Roe", "PERSON"),
        ("Kim", "PERSON"),
    ]


def test_mention_rows_firm_with_ampersand_kept(blank):
    text = "Shares in Marks & Spencer rose."
    assert _found(blank, text, [("Marks & Spencer", "ORG")]) == [("Marks & Spencer", "ORG")]


def test_mention_rows_title_with_year_not_split_into_authors(blank):
    text = "He wrote Nature, Development and Origin (1922) late."
    ents = [("Nature, Development and Origin", "WORK_OF_ART")]
    assert _found(blank, text, ents) == [("Nature, Development and Origin", "WORK_OF_ART")]


def test_mention_rows_british_road_number_is_facility(blank):
    text = "From the north the A19 links the town with the coast."
    assert _found(blank, text, [("A19", "ORG")]) == [("A19", "FAC")]


def test_mention_rows_interstate_number_found(blank):
    text = "Take I-44 east to the river."
    assert _found(blank, text, []) == [("I-44", "FAC")]


def test_mention_rows_grade_is_not_a_road(blank):
    text = "She got an A1 in maths."
    assert _found(blank, text, []) == []
