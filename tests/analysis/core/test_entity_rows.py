"""Mention rows: titles, heads, lists, layout, and interviews, on text written here."""

import time

from analysis import analyze
from analysis.core.entities import (
    resolve_mentions,
)
from tests.analysis.core.entity_docs import (
    article_rows,
    found_mentions,
    resolved_rows,
)


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
    assert found_mentions(blank, text, [("Great Northern War", "ORG")]) == [
        ("Great Northern War", "EVENT")
    ]


def test_mention_rows_plural_games_word_alone_is_event(blank):
    text = "Tickets for the Paralympics sold out."
    assert found_mentions(blank, text, [("Paralympics", "ORG")]) == [("Paralympics", "EVENT")]


def test_mention_rows_storm_opener_makes_event(blank):
    text = "Hurricane Delmar hit the coast."
    assert found_mentions(blank, text, [("Hurricane Delmar", "PERSON")]) == [
        ("Hurricane Delmar", "EVENT")
    ]


def test_mention_rows_city_of_name_is_place(blank):
    paragraphs = ["Travel", "Trains run to the city of Varnholm daily.", "Varnholm grew fast."]
    rows = article_rows(blank, paragraphs, [(1, "Varnholm", "ORG"), (2, "Varnholm", "PERSON")])
    assert _labels(rows) == [("Varnholm", "GPE"), ("Varnholm", "GPE")]


def test_mention_rows_state_of_common_phrase_not_a_place(blank):
    text = "They live in a state of Permanent Alarm."
    assert found_mentions(blank, text, [("Permanent Alarm", "ORG")]) == [("Permanent Alarm", "ORG")]


def test_mention_rows_name_is_a_town_is_place(blank):
    paragraphs = ["Travel", "Varnholm is a small port town on the coast.", "Varnholm grew."]
    rows = article_rows(blank, paragraphs, [(1, "Varnholm", "PERSON"), (2, "Varnholm", "PERSON")])
    assert _labels(rows) == [("Varnholm", "GPE"), ("Varnholm", "GPE")]


def test_mention_rows_city_job_is_not_a_place(blank):
    text = "Varnholm was a city councillor for years."
    assert found_mentions(blank, text, [("Varnholm", "PERSON")]) == [("Varnholm", "PERSON")]


def test_mention_rows_apposition_with_place_noun_is_place(blank):
    text = "They moved to Varnholm, a former kingdom of ten villages."
    assert found_mentions(blank, text, [("Varnholm", "ORG")]) == [("Varnholm", "GPE")]


def test_mention_rows_name_is_located_is_place(blank):
    text = "Varnholm is located on the main road south."
    assert found_mentions(blank, text, [("Varnholm", "ORG")]) == [("Varnholm", "GPE")]


def test_mention_rows_born_after_name_makes_person(blank):
    paragraphs = ["Profile", "Tomas Veldkamp (born 3 May 1950) is a pitcher.", "Veldkamp won."]
    rows = article_rows(blank, paragraphs, [(1, "Tomas Veldkamp", "ORG"), (2, "Veldkamp", "ORG")])
    assert _labels(rows) == [("Tomas Veldkamp", "PERSON"), ("Veldkamp", "ORG")]


def test_resolve_mentions_born_full_name_takes_its_surname():
    rows = [
        [1, 0, 14, "Tomas Veldkamp", "PERSON", "Tomas Veldkamp"],
        [2, 0, 8, "Veldkamp", "ORG", "Veldkamp"],
        [3, 0, 8, "Veldkamp", "ORG", "Veldkamp"],
    ]
    assert resolved_rows(rows)[-1] == ("Veldkamp", "PERSON", "Tomas Veldkamp")


def test_mention_rows_author_before_year_is_person(blank):
    text = "As argued by others, Varnholm (1964) was first."
    assert found_mentions(blank, text, [("Varnholm", "ORG")]) == [("Varnholm", "PERSON")]


def test_mention_rows_place_before_year_stays_place(blank):
    text = "She got degrees in Oslo (1910) and Rome (1925)."
    assert found_mentions(blank, text, [("Oslo", "GPE")]) == [("Oslo", "GPE")]


def test_mention_rows_et_al_makes_person(blank):
    text = "The method of Varnholm et al. is slow."
    assert found_mentions(blank, text, [("Varnholm", "GPE")]) == [("Varnholm", "PERSON")]


def test_mention_rows_name_in_bracketed_citation_is_person(blank):
    text = "This was shown before (Lee, Varnholm, & Roe, 2012; Kim, 2015)."
    assert found_mentions(blank, text, [("Varnholm", "GPE"), ("Kim", "ORG")]) == [
        ("Varnholm", "PERSON"),
        ("Kim", "PERSON"),
    ]


def test_mention_rows_name_before_language_is_language(blank):
    text = "Few people speak the Varnish language today."
    assert found_mentions(blank, text, [("Varnish", "ORG")]) == [("Varnish", "LANGUAGE")]


def test_mention_rows_speakers_of_name_is_language(blank):
    text = "There are many speakers of Varnish in the north."
    assert found_mentions(blank, text, [("Varnish", "PERSON")]) == [("Varnish", "LANGUAGE")]


def test_mention_rows_title_after_film_is_work(blank):
    text = "He starred in the romantic comedy Silver Harbour (2004)."
    assert found_mentions(blank, text, [("Silver Harbour", "ORG")]) == [
        ("Silver Harbour", "WORK_OF_ART")
    ]


def test_mention_rows_person_after_memoirs_stays_person(blank):
    text = 'In his memoirs, "Ann Varnholm is portrayed as a friend.'
    assert found_mentions(blank, text, [("Ann Varnholm", "PERSON")]) == [("Ann Varnholm", "PERSON")]


def test_mention_rows_conflicting_cues_leave_label(blank):
    paragraphs = ["News", "Varnholm is a small town.", "Varnholm et al. disagree."]
    rows = article_rows(blank, paragraphs, [(1, "Varnholm", "ORG"), (2, "Varnholm", "ORG")])
    assert _labels(rows) == [("Varnholm", "ORG"), ("Varnholm", "ORG")]


def test_mention_rows_capital_city_taken_for_organisation_is_place(blank):
    text = "He returned to Copenhagen in August."
    assert found_mentions(blank, text, [("Copenhagen", "ORG")]) == [("Copenhagen", "GPE")]


def test_mention_rows_country_taken_for_person_is_place(blank):
    text = "Visas are free for Liechtenstein and Malta."
    assert found_mentions(blank, text, [("Liechtenstein", "PERSON")]) == [("Liechtenstein", "GPE")]


def test_mention_rows_known_place_in_persons_name_left_to_person(blank):
    paragraphs = ["Profile", "Maria Paris won.", "Paris said she was glad."]
    rows = article_rows(blank, paragraphs, [(1, "Maria Paris", "PERSON"), (2, "Paris", "PERSON")])
    assert _labels(rows) == [("Maria Paris", "PERSON"), ("Paris", "PERSON")]


def test_mention_rows_person_in_list_of_towns_is_place(blank):
    text = "Buses serve Tulsa, Jenks, Sapulpa and Broken Arrow."
    ents = [("Tulsa", "GPE"), ("Jenks", "GPE"), ("Sapulpa", "GPE"), ("Broken Arrow", "PERSON")]
    assert found_mentions(blank, text, ents)[-1] == ("Broken Arrow", "GPE")


def test_mention_rows_name_in_list_of_people_is_person(blank):
    text = "It was tested before (Lee, Varnholm, Roe and Kim, 2012)."
    ents = [("Lee", "PERSON"), ("Varnholm", "ORG"), ("Roe", "PERSON"), ("Kim", "PERSON")]
    assert found_mentions(blank, text, ents)[1] == ("Varnholm", "PERSON")


def test_mention_rows_organisation_in_list_of_countries_kept(blank):
    text = "Talks with France, Germany, Spain and NATO resumed."
    ents = [("France", "GPE"), ("Germany", "GPE"), ("Spain", "GPE"), ("NATO", "ORG")]
    assert found_mentions(blank, text, ents)[-1] == ("NATO", "ORG")


def test_mention_rows_two_names_are_no_list(blank):
    text = "Trains link Leeds and Varnholm."
    assert found_mentions(blank, text, [("Leeds", "GPE"), ("Varnholm", "PERSON")])[-1] == (
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
    assert _labels(article_rows(blank, paragraphs, ents))[3] == ("Chao", "PERSON")


def test_mention_rows_name_is_in_the_province_of_is_place(blank):
    text = "Varnholm is in the province of Oster, on the coast."
    assert found_mentions(blank, text, [("Varnholm", "ORG")]) == [("Varnholm", "GPE")]


def test_mention_rows_name_is_a_destination_is_place(blank):
    text = "However, Varnholm is a perfect destination for hikers."
    assert found_mentions(blank, text, [("Varnholm", "PERSON")]) == [("Varnholm", "GPE")]


def test_mention_rows_citation_authors_run_together_are_people(blank):
    text = "Games help memory (Dye & Bavelier, 2010)."
    assert found_mentions(blank, text, [("Dye & Bavelier", "ORG")]) == [
        ("Dye", "PERSON"),
        ("Bavelier", "PERSON"),
    ]


def test_mention_rows_citation_authors_with_commas_are_people(blank):
    text = "As shown by Lee, Roe, & Kim (2012), it works."
    assert found_mentions(blank, text, [("Lee, Roe, & Kim", "ORG")]) == [
        ("Lee", "PERSON"),
        ("Roe", "PERSON"),
        ("Kim", "PERSON"),
    ]


def test_mention_rows_firm_with_ampersand_kept(blank):
    text = "Shares in Marks & Spencer rose."
    assert found_mentions(blank, text, [("Marks & Spencer", "ORG")]) == [("Marks & Spencer", "ORG")]


def test_mention_rows_title_with_year_not_split_into_authors(blank):
    text = "He wrote Nature, Development and Origin (1922) late."
    ents = [("Nature, Development and Origin", "WORK_OF_ART")]
    assert found_mentions(blank, text, ents) == [("Nature, Development and Origin", "WORK_OF_ART")]


def test_mention_rows_british_road_number_is_facility(blank):
    text = "From the north the A19 links the town with the coast."
    assert found_mentions(blank, text, [("A19", "ORG")]) == [("A19", "FAC")]


def test_mention_rows_interstate_number_found(blank):
    text = "Take I-44 east to the river."
    assert found_mentions(blank, text, []) == [("I-44", "FAC")]


def test_mention_rows_grade_is_not_a_road(blank):
    text = "She got an A1 in maths."
    assert found_mentions(blank, text, []) == []
