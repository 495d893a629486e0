"""Names in locative frames: a place whatever the NER label, unless the sentence says it is a person.

Each rule has a positive case and a veto case, on hand-written sentences."""

from __future__ import annotations

import pytest

from geomap.nlp.sources import Source


def mentions(geoparser, text):
    return {m.text: m for m in geoparser.mentions(text)}


def covered(geoparser, text, name):
    start = text.index(name)
    return any(m.start < start + len(name) and start < m.end for m in geoparser.mentions(text))


# -- "in X", "X, Country" -----------------------------------------------------------------------


def test_known_town_after_in_and_before_its_country(geoparser):
    got = mentions(geoparser, "About forty people protested in Rijeka, Croatia, on Friday.")
    assert got["Rijeka"].source == "LOCATIVE" and got["Rijeka"].place.country_code == "HR"


def test_known_town_after_in_although_a_verb_of_speech_follows(geoparser):
    got = mentions(geoparser, "Police in Cotonou said they had arrested six men.")
    assert got["Cotonou"].place.country_code == "BJ"


def test_title_vetoes_a_person(geoparser):
    text = "The crowd cheered for President Jackson at the rally."
    assert not covered(geoparser, text, "Jackson")


def test_possessive_person_is_no_place(geoparser):
    assert not covered(geoparser, "In Jackson's view, the plan had failed.", "Jackson")


def test_speaker_after_a_framed_place_is_no_place(geoparser):
    text = "In Paris, Jackson said the plan had failed."
    assert mentions(geoparser, text)["Paris"].place.country_code == "FR"
    assert not covered(geoparser, text, "Jackson")


def test_common_word_after_in_is_no_small_town(geoparser):
    assert not covered(geoparser, "The case is now in Court.", "Court")


# -- "residents of X", "the village of X", "X village" ----------------------------------------------


def test_residents_of_a_known_town(geoparser):
    got = mentions(geoparser, "Traders and residents of Wajir gathered outside the county office.")
    assert got["Wajir"].place.country_code == "KE"


def test_unknown_name_in_a_strong_frame_is_an_unplaced_mention(geoparser):
    got = mentions(geoparser, "Gunmen attacked the village of Kolongo before dawn.")
    assert got["Kolongo"].source == "LOCATIVE" and got["Kolongo"].place is None
    got = mentions(geoparser, "Rebels raided Kolongo village before dawn.")
    assert any("Kolongo" in text for text in got)


def test_unknown_name_after_a_bare_preposition_is_not_taken(geoparser):
    # Without a place noun, container or place label, an unknown name may be anything.
    assert not covered(geoparser, "The money was sent to Kolongo by Tunde Bakare.", "Tunde Bakare")


# -- parentheses ------------------------------------------------------------------------------


def test_parenthesised_container_and_the_name_inside(geoparser):
    got = mentions(geoparser, "Traders marched in Nouakchott (Nouakchott) against the new tax.")
    assert [
        m.place.country_code
        for m in geoparser.mentions("Traders marched in Nouakchott (Nouakchott) against the new tax.")
    ] == ["MR", "MR"]
    assert got["Nouakchott"].source == "LOCATIVE"


def test_parenthesised_place_after_an_institution(geoparser):
    text = "A bus was set alight in front of the Supreme Court (Dhaka) area."
    got = mentions(geoparser, text)
    assert got["Dhaka"].place.country_code == "BD"
    assert "Supreme Court" not in got  # an institution before the parentheses is no place


def test_unknown_name_before_a_known_container(geoparser):
    got = mentions(geoparser, "In Kolongo (Sonsonate), two men were shot.")
    assert got["Sonsonate"].place.country_code == "SV"
    # a village the gazetteer lacks is placed at the town the text puts it in, less surely
    assert got["Kolongo"].place == got["Sonsonate"].place
    assert got["Kolongo"].confidence <= got["Sonsonate"].confidence


def test_any_known_place_in_the_parentheses_is_a_container(geoparser):
    got = mentions(geoparser, "Gunmen attacked Kolongo (Serekale, Borgou) on Monday.")
    assert got["Kolongo"].place is None and got["Borgou"].place.country_code == "BJ"
    # Nothing in the parentheses is a known place: no container, no frame.
    assert not covered(geoparser, "Gunmen attacked Kolongo (Serekale) on Monday.", "Kolongo")


# --- names are not cut, generic words are no places -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Supporters burnt the party offices in the constituency of Wa West on Monday.", "West"),
        ("Residents of a neighbourhood in Belgrade-Stari Grad protested on Monday.", "Grad"),
        ("Troops were deployed in the Mrauk-U District on Monday.", "U District"),
        ("Riots spread through Kuresoi Constituency, Rift Valley Province, on Monday.", "Valley Province"),
        ("The Town council met in Minbya Town on Monday.", "Town"),
    ],
)
def test_a_name_is_not_read_from_its_second_word(geoparser, text, absent):
    found = [m.text for m in geoparser.mentions(text)]
    assert absent not in found


def test_a_regions_abbreviation_is_no_place_in_running_text(geoparser):
    assert "Min" not in [m.text for m in geoparser.mentions("Villagers at Min and Kyauktaw fled on Monday.")]
    # while a demonym before a region cue still narrows it
    got = {m.text: m for m in geoparser.mentions("Rockets hit the western Iraqi Anbar Province on Monday.")}
    assert got["Anbar Province"].place.country_code == "IQ"


def test_an_institution_word_is_no_place(geoparser):
    found = [
        m.text
        for m in geoparser.mentions("Students of the University of Kansas marched in Lawrence, Kansas, on Monday.")
    ]
    assert "University" not in found and "Lawrence" in found
    found = [m.text for m in geoparser.mentions("Police Officer Brown was shot in Topeka on Monday.")]
    assert "Police" not in found and "Officer" not in found and "Topeka" in found


# -- a named division, or a place at the other end of "between", vouches for an unknown name -------


def sources_of(geoparser, text, ents):
    """Each candidate's sources, the model's entities set by hand (name -> label), so that the
    frames are tested whatever the NER model reads."""
    nlp = geoparser.nlp
    with nlp.select_pipes(disable=["geomap_places"]):
        doc = nlp(text)
    doc.ents = [doc.char_span(text.index(n), text.index(n) + len(n), label=label) for n, label in ents.items()]
    return {c.span.text: c.sources for c in geoparser.recognizer.candidates(doc)}


def test_an_unknown_name_in_a_named_division_is_a_place(geoparser):
    # "in X in Y County", "in X of the Y county": the division vouches for the name before it
    for text, name in (
        ("Herders clashed in Darbadi in Wajir County on Sunday.", "Darbadi"),
        ("Residents protested in Lupozeni of the Maramures county.", "Lupozeni"),
    ):
        assert Source.LOCATIVE in sources_of(geoparser, text, {name: "PERSON"})[name]
    # without the division, an unknown name after a bare "in" read as a person is not taken
    assert "Darbadi" not in sources_of(geoparser, "Herders clashed in Darbadi on Sunday.", {"Darbadi": "PERSON"})


def test_between_a_name_and_a_place_both_are_places(geoparser):
    text = "A mine exploded between Bomkrota and Niamey on Monday."
    got = sources_of(geoparser, text, {"Bomkrota": "PERSON", "Niamey": "GPE"})
    assert Source.LOCATIVE in got["Bomkrota"]
    # between two names of people, neither is a place
    text = "A feud between Bomkrota and Kwesi Mensah grew."
    assert sources_of(geoparser, text, {"Bomkrota": "PERSON", "Kwesi Mensah": "PERSON"}) == {}
