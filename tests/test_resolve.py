"""Resolution in context: document geography, "X, Y" pairs, country-level names, confidence."""

from __future__ import annotations

from geomap.resolve import FEATURES, Weights


def places(geoparser, text):
    return {m.text: m for m in geoparser.mentions(text)}


def test_paris_next_to_texas_is_paris_texas(geoparser):
    got = places(geoparser, "Storms hit Paris and Tyler on Monday, the Texas weather service said.")
    assert got["Paris"].place.country_code == "US"
    assert got["Paris"].place.admin1_code == "US-TX"


def test_paris_comma_texas(geoparser):
    got = places(geoparser, "He grew up in Paris, Texas, before moving away.")
    assert got["Paris"].place.admin1_code == "US-TX"


def test_paris_alone_is_the_french_capital(geoparser):
    got = places(geoparser, "The summit opened in Paris on Tuesday.")
    assert got["Paris"].place.country_code == "FR"


def test_georgia_among_us_states_is_the_state(geoparser):
    text = ("Voters in Alabama, Florida and Georgia went to the polls as Tennessee and "
            "South Carolina counted ballots.")
    got = places(geoparser, text)
    assert got["Georgia"].place.kind == "admin1" and got["Georgia"].place.country_code == "US"


def test_georgia_beside_russia_is_the_country(geoparser):
    got = places(geoparser, "Russia and Georgia fought a short war over South Ossetia in 2008.")
    assert got["Georgia"].place.kind == "country" and got["Georgia"].place.country_code == "GE"


def test_country_level_names(geoparser):
    got = places(geoparser, "Officials from the United States, Mexico and Canada met in Ottawa.")
    for name, cc in [("United States", "US"), ("Mexico", "MX"), ("Canada", "CA")]:
        assert got[name].place.kind == "country" and got[name].place.country_code == cc


def test_confidence_in_unit_interval_and_higher_for_unambiguous(geoparser):
    got = places(geoparser, "Aid reached Afghanistan and Springfield this week.")
    for m in got.values():
        assert 0.0 <= m.confidence <= 1.0
    assert got["Afghanistan"].confidence > got["Springfield"].confidence


def test_shipped_weights_match_the_feature_list():
    w = Weights.shipped()
    assert len(w.coef) == len(FEATURES)
    assert w.coef != Weights().coef  # the learned ranker is shipped, not the hand-set defaults


def test_rank_gives_probabilities(geoparser):
    ranked = geoparser.resolver.rank("Springfield")
    assert len(ranked) > 3
    assert abs(sum(p for _, p in ranked) - 1.0) < 1e-3


def test_parenthesised_container_picks_the_namesake_inside_it(geoparser):
    got = places(geoparser, "Delegates from Libya and Syria met in Tripoli (Lebanon).")
    assert got["Tripoli"].place.country_code == "LB"
    got = places(geoparser, "Crowds in Birmingham marched, as did protesters in London (Ontario).")
    assert got["London"].place.country_code == "CA"


def test_container_that_rules_out_every_candidate_leaves_the_name_unplaced(geoparser):
    got = places(geoparser, "Fighting in Arada (Tripoli) left two dead.")
    assert got["Arada"].place is None  # not the Honduran village
    # A small container that is itself misread does not unplace a well-known city.
    got = places(geoparser, "Georgian troops were moved from Tbilisi to Batumi (Adjara).")
    assert got["Batumi"].place.country_code == "GE"


def test_small_namesake_abroad_is_left_unplaced_when_the_text_names_its_countries(geoparser):
    # The only "Chandra" the gazetteer knows is a village in the Comoros.
    alone = places(geoparser, "Residents gathered at Chandra on Friday.")
    assert alone["Chandra"].place is not None and alone["Chandra"].place.country_code == "KM"
    # Two other names vouch for Bangladesh: better unplaced than a namesake on another continent.
    got = places(geoparser, "Residents of Satkhira, Bangladesh, gathered at Chandra on Friday.")
    assert got["Satkhira"].place.country_code == "BD"
    assert got["Chandra"].place is None
    # A well-known place abroad keeps its place.
    far = places(geoparser, "Residents of Satkhira, Bangladesh, flew to Paris on Friday.")
    assert far["Paris"].place.country_code == "FR"


def test_name_followed_by_its_state_without_a_comma(geoparser):
    got = places(geoparser, "A police officer was shot in Chicago Illinois on Monday.")
    (m,) = [m for m in got.values() if "Chicago" in m.text]
    assert m.place is not None and m.place.name == "Chicago" and m.place.admin1_code == "US-IL"
