from analysis import analyze
from analysis.core.article import Segment
from analysis.core.entities import (
    ENTITY_COLUMNS,
    MENTION_COLUMNS,
    MentionRow,
    count_entities,
    entity_counts,
    is_title_case,
    mention_rows,
    mention_table,
    resolve_mentions,
)
from tests.analysis.core.entity_docs import (
    article_rows,
    counted,
    found_mentions,
    resolved_rows,
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


def test_resolve_mentions_surname_with_other_label_is_the_person():
    rows = [[1, 0, 11, "Maria Paris", "PERSON", "Maria Paris"], [2, 0, 5, "Paris", "GPE", "Paris"]]
    assert resolved_rows(rows)[-1] == ("Paris", "PERSON", "Maria Paris")


def test_resolve_mentions_first_name_with_other_label_left_alone():
    rows = [[1, 0, 10, "Austin Lee", "PERSON", "Austin Lee"], [2, 0, 6, "Austin", "GPE", "Austin"]]
    assert resolved_rows(rows)[-1] == ("Austin", "GPE", "Austin")


def test_resolve_mentions_full_name_label_wins():
    rows = [
        [1, 0, 10, "Brock Holt", "PERSON", "Brock Holt"],
        [2, 0, 4, "Holt", "ORG", "Holt"],
        [3, 0, 4, "Holt", "ORG", "Holt"],
    ]
    assert [row[1:] for row in resolved_rows(rows)] == [("PERSON", "Brock Holt")] * 3


def test_resolve_mentions_middle_name_form_is_one_person():
    rows = [
        [1, 0, 16, "Brock Wyatt Holt", "PERSON", "Brock Wyatt Holt"],
        [2, 0, 10, "Brock Holt", "PERSON", "Brock Holt"],
        [3, 0, 10, "Brock Holt", "PERSON", "Brock Holt"],
        [4, 0, 4, "Holt", "PERSON", "Holt"],
    ]
    assert {row[2] for row in resolved_rows(rows)} == {"Brock Holt"}


def test_resolve_mentions_acronym_not_a_short_form():
    rows = [
        [1, 0, 17, "Ana Kasparian TYT", "PERSON", "Ana Kasparian TYT"],
        [2, 0, 3, "TYT", "ORG", "TYT"],
    ]
    assert resolved_rows(rows)[-1] == ("TYT", "ORG", "TYT")


def test_resolve_mentions_nationality_not_a_short_form():
    rows = [
        [1, 0, 19, "Christopher English", "PERSON", "Christopher English"],
        [2, 0, 7, "English", "NORP", "English"],
    ]
    assert resolved_rows(rows)[-1] == ("English", "NORP", "English")


def test_resolve_mentions_glued_names_not_a_full_name():
    rows = [
        [1, 0, 14, "Lin Jian China", "PERSON", "Lin Jian China"],
        [2, 0, 8, "Lin Jian", "PERSON", "Lin Jian"],
        [3, 0, 5, "China", "GPE", "China"],
        [4, 0, 3, "Lin", "PERSON", "Lin"],
    ]
    assert resolved_rows(rows)[2:] == [("China", "GPE", "China"), ("Lin", "PERSON", "Lin Jian")]


def test_resolve_mentions_aliases_merge_country_names():
    rows = [
        [1, 0, 2, "US", "GPE", "US"],
        [2, 0, 4, "U.S.", "ORG", "U.S."],
        [3, 0, 7, "America", "GPE", "America"],
        [4, 0, 13, "United States", "GPE", "United States"],
    ]
    assert {row[1:] for row in resolved_rows(rows)} == {("GPE", "United States")}


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


def test_mention_rows_job_title_stripped(blank):
    text = "Defender Jan Novak scored twice."
    assert found_mentions(blank, text, [("Defender Jan Novak", "PERSON")]) == [
        ("Jan Novak", "PERSON")
    ]


def test_mention_rows_multi_word_title_stripped(blank):
    text = "Prime Minister Ann Lee spoke."
    assert found_mentions(blank, text, [("Prime Minister Ann Lee", "PERSON")]) == [
        ("Ann Lee", "PERSON")
    ]


def test_mention_rows_title_before_name_makes_person(blank):
    text = "Senator Ann Lee voted no."
    assert found_mentions(blank, text, [("Senator Ann Lee", "ORG")]) == [("Ann Lee", "PERSON")]


def test_mention_rows_title_word_opening_company_name_kept(blank):
    text = "General Motors cut jobs."
    assert found_mentions(blank, text, [("General Motors", "ORG")]) == [("General Motors", "ORG")]


def test_mention_rows_trailing_title_stripped(blank):
    text = "the Health Ministry Spokesperson said."
    assert found_mentions(blank, text, [("Health Ministry Spokesperson", "ORG")]) == [
        ("Health Ministry", "ORG"),
    ]


def test_mention_rows_nationality_does_not_swallow_name(blank):
    text = "Chinese President Xi Jinping arrived."
    assert found_mentions(blank, text, [("Chinese President Xi Jinping", "PERSON")]) == [
        ("Chinese", "NORP"),
        ("Xi Jinping", "PERSON"),
    ]


def test_mention_rows_nationality_opening_company_name_kept(blank):
    text = "British Airways cut flights."
    assert found_mentions(blank, text, [("British Airways", "ORG")]) == [("British Airways", "ORG")]


def test_mention_rows_group_word_is_norp(blank):
    text = "Palestinians marched on Friday."
    assert found_mentions(blank, text, [("Palestinians", "GPE")]) == [("Palestinians", "NORP")]


def test_mention_rows_split_at_score_line(blank):
    text = "Arsenal 2-1 Chelsea was a thriller."
    assert found_mentions(blank, text, [("Arsenal 2-1 Chelsea", "ORG")]) == [
        ("Arsenal", "ORG"),
        ("Chelsea", "ORG"),
    ]


def test_mention_rows_split_at_versus(blank):
    text = "Leeds vs Fulham ends level."
    assert found_mentions(blank, text, [("Leeds vs Fulham", "ORG")]) == [
        ("Leeds", "ORG"),
        ("Fulham", "ORG"),
    ]


def test_mention_rows_split_at_free_standing_dash(blank):
    text = "Ann Lee - Daily Planet"
    assert found_mentions(blank, text, [("Ann Lee - Daily Planet", "PERSON")]) == [
        ("Ann Lee", "PERSON"),
        ("Daily Planet", "PERSON"),
    ]


def test_mention_rows_hyphenated_name_kept(blank):
    text = "Jean-Paul Sartre wrote it."
    assert found_mentions(blank, text, [("Jean-Paul Sartre", "PERSON")]) == [
        ("Jean-Paul Sartre", "PERSON")
    ]


def test_mention_rows_split_at_sentence_start(blank):
    text = "They met Ann Lee. Paris was calm."
    found = found_mentions(blank, text, [("Ann Lee. Paris", "PERSON")], sentence_starts={"Paris"})
    assert found == [("Ann Lee", "PERSON"), ("Paris", "GPE")]


def test_mention_rows_acronym_defined_in_text(blank):
    paragraphs = ["Health news", "The World Health Organization (WHO) met.", "WHO said no."]
    rows = article_rows(
        blank, paragraphs, [(1, "World Health Organization", "ORG"), (2, "WHO", "PERSON")]
    )
    assert [(row[0], row[3], row[4], row[5]) for row in rows] == [
        (1, "World Health Organization", "ORG", "World Health Organization"),
        (1, "WHO", "ORG", "World Health Organization"),
        (2, "WHO", "ORG", "World Health Organization"),
    ]


def test_mention_rows_dateline_place_not_glued_to_byline(blank):
    paragraphs = ["Markets", "By Ann Lee\nLONDON (Reuters) - Shares fell in London."]
    rows = article_rows(blank, paragraphs, [(1, "Ann Lee\nLONDON", "PERSON"), (1, "London", "GPE")])
    assert [(row[3], row[4], row[5]) for row in rows] == [
        ("Ann Lee", "PERSON", "Ann Lee"),
        ("LONDON", "GPE", "London"),
        ("Reuters", "ORG", "Reuters"),
        ("London", "GPE", "London"),
    ]


def test_mention_rows_dateline_with_date(blank):
    paragraphs = ["Talks", "PARIS, May 3 -- Talks resumed on Friday."]
    rows = article_rows(blank, paragraphs, [(1, "PARIS", "ORG")])
    assert [(row[1], row[2], row[3], row[4], row[5]) for row in rows] == [
        (0, 5, "PARIS", "GPE", "Paris"),
    ]


def test_mention_rows_names_in_capitals_looked_up(blank):
    paragraphs = ["Visit", "BREAKING: ANN LEE ARRIVES IN NEW YORK", "Ann Lee landed in New York."]
    rows = article_rows(
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
    rows = article_rows(
        blank,
        paragraphs,
        [(0, "ANN LEE WINS", "ORG"), (1, "Ann Lee", "PERSON"), (1, "Ohio", "GPE")],
    )
    assert [(row[1], row[3], row[5]) for row in rows if row[0] == 0] == [
        (0, "ANN LEE", "Ann Lee"),
        (25, "OHIO", "Ohio"),
    ]


def test_mention_rows_nationality_adjective_not_counted(blank):
    text = "American officials met on Monday."
    assert counted(blank, text, [("American", "NORP")]) == [("American", False)]


def test_mention_rows_group_noun_counted(blank):
    text = "The Palestinians marched on Friday."
    assert counted(blank, text, [("Palestinians", "NORP")]) == [("Palestinians", True)]


def test_mention_rows_nationality_before_title_not_counted(blank):
    text = "Chinese President Xi Jinping arrived."
    assert counted(blank, text, [("Chinese President Xi Jinping", "PERSON")]) == [
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
    assert {row[1:] for row in resolved_rows(rows)} == {("GPE", "United States")}
    rows = [[1, 0, 2, "UK", "GPE", "UK"], [2, 0, 7, "Britain", "GPE", "Britain"]]
    assert {row[1:] for row in resolved_rows(rows)} == {("GPE", "United Kingdom")}


def test_mention_rows_et_al_stripped(blank):
    text = "Gibbons et al. (2010) found the same."
    assert found_mentions(blank, text, [("Gibbons et al.", "PERSON")]) == [("Gibbons", "PERSON")]


def test_mention_rows_span_with_email_dropped(blank):
    text = "Contact Ann Lee ann.lee@example.org for details."
    assert found_mentions(blank, text, [("Ann Lee ann.lee@example.org", "PERSON")]) == []


def test_mention_rows_span_with_link_dropped(blank):
    text = "See www.example.org Press for details."
    assert found_mentions(blank, text, [("www.example.org Press", "ORG")]) == []


def test_mention_rows_bare_domain_company_kept(blank):
    text = "Amazon.com cut prices."
    assert found_mentions(blank, text, [("Amazon.com", "ORG")]) == [("Amazon.com", "ORG")]


def test_mention_rows_facility_head_makes_fac(blank):
    text = "Traffic backed up on the Norton Bridge today."
    assert found_mentions(blank, text, [("Norton Bridge", "PERSON")]) == [("Norton Bridge", "FAC")]


def test_mention_rows_natural_place_head_makes_loc(blank):
    text = "They paddled down the Hudson River at dawn."
    assert found_mentions(blank, text, [("Hudson River", "ORG")]) == [("Hudson River", "LOC")]


def test_mention_rows_mount_opener_makes_loc(blank):
    text = "Climbers left Mount Kenya on Sunday."
    assert found_mentions(blank, text, [("Mount Kenya", "PERSON")]) == [("Mount Kenya", "LOC")]


def test_mention_rows_organisation_head_makes_org(blank):
    text = "She teaches at the University of Leeds now."
    assert found_mentions(blank, text, [("University of Leeds", "PERSON")]) == [
        ("University of Leeds", "ORG"),
    ]


def test_mention_rows_place_ending_in_organisation_word_kept(blank):
    text = "Talks resumed in the West Bank on Monday."
    assert found_mentions(blank, text, [("West Bank", "GPE")]) == [("West Bank", "GPE")]


def test_resolve_mentions_short_name_goes_to_person_named_most():
    rows = [
        [1, 0, 11, "Jeanne Roux", "PERSON", "Jeanne Roux"],
        [2, 0, 12, "Anatole Roux", "PERSON", "Anatole Roux"],
        [3, 0, 11, "Jeanne Roux", "PERSON", "Jeanne Roux"],
        [4, 0, 4, "Roux", "PERSON", "Roux"],
    ]
    assert resolved_rows(rows)[-1] == ("Roux", "PERSON", "Jeanne Roux")


def test_resolve_mentions_short_name_tie_goes_to_person_named_first():
    rows = [
        [1, 0, 8, "Ann Lee", "PERSON", "Ann Lee"],
        [2, 0, 8, "Bob Lee", "PERSON", "Bob Lee"],
        [3, 0, 3, "Lee", "PERSON", "Lee"],
    ]
    assert resolved_rows(rows)[-1] == ("Lee", "PERSON", "Ann Lee")


def test_resolve_mentions_first_name_with_other_label_keeps_full_name():
    rows = [
        [1, 0, 14, "Tomas Veldkamp", "PERSON", "Tomas Veldkamp"],
        [2, 0, 5, "Tomas", "PRODUCT", "Tomas"],
        [3, 0, 8, "Veldkamp", "PERSON", "Veldkamp"],
    ]
    assert resolved_rows(rows)[-1] == ("Veldkamp", "PERSON", "Tomas Veldkamp")


def test_resolve_mentions_place_before_person_still_glued():
    rows = [
        [1, 0, 16, "Beijing Lin Jian", "PERSON", "Beijing Lin Jian"],
        [2, 0, 7, "Beijing", "GPE", "Beijing"],
        [3, 0, 8, "Lin Jian", "PERSON", "Lin Jian"],
        [4, 0, 3, "Jian", "PERSON", "Jian"],
    ]
    assert resolved_rows(rows)[-1] == ("Jian", "PERSON", "Lin Jian")


def test_mention_rows_person_after_locative_preposition_is_place(blank):
    paragraphs = ["Travel", "Hotels in Varnholm are cheap.", "Varnholm has two museums."]
    rows = article_rows(blank, paragraphs, [(1, "Varnholm", "PERSON"), (2, "Varnholm", "GPE")])
    assert [(row[3], row[4]) for row in rows] == [("Varnholm", "GPE"), ("Varnholm", "GPE")]


def test_mention_rows_person_after_according_to_stays_person(blank):
    paragraphs = ["Talks", "The deal is off, according to Varnholm.", "Varnholm left early."]
    rows = article_rows(blank, paragraphs, [(1, "Varnholm", "PERSON"), (2, "Varnholm", "PERSON")])
    assert [(row[3], row[4]) for row in rows] == [("Varnholm", "PERSON"), ("Varnholm", "PERSON")]


def test_mention_rows_surname_of_full_name_after_preposition_stays_person(blank):
    paragraphs = ["Talks", "Ann Varnholm spoke.", "In Varnholm's view, talks failed."]
    rows = article_rows(
        blank, paragraphs, [(1, "Ann Varnholm", "PERSON"), (2, "Varnholm", "PERSON")]
    )
    assert [(row[3], row[4]) for row in rows] == [
        ("Ann Varnholm", "PERSON"),
        ("Varnholm", "PERSON"),
    ]


def test_mention_rows_coordinated_nationality_adjectives_not_counted(blank):
    text = "They collect Italian and Polish art."
    assert counted(blank, text, [("Italian", "NORP"), ("Polish", "NORP")]) == [
        ("Italian", False),
        ("Polish", False),
    ]


def test_mention_rows_hyphenated_nationality_not_counted(blank):
    text = "The German-born architect won."
    assert counted(blank, text, [("German", "NORP")]) == [("German", False)]


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
    assert found_mentions(blank, text, [("Fort Selkirk", "PERSON")]) == [("Fort Selkirk", "GPE")]


def test_mention_rows_fort_opener_keeps_longer_organisation(blank):
    text = "The Fort Selkirk Gazette reported it."
    assert found_mentions(blank, text, [("Fort Selkirk Gazette", "ORG")]) == [
        ("Fort Selkirk Gazette", "ORG"),
    ]
