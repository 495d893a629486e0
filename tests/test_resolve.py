"""Resolution in context: document geography, "X, Y" pairs, country-level names, confidence."""

from __future__ import annotations

from geomap.records import CHECK_BELOW
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
    text = "Voters in Alabama, Florida and Georgia went to the polls as Tennessee and South Carolina counted ballots."
    got = places(geoparser, text)
    assert got["Georgia"].place.kind == "admin1" and got["Georgia"].place.country_code == "US"


def test_a_name_of_a_country_and_a_state_is_no_evidence_for_either(geoparser):
    # repeated, "Georgia" must not outvote the one state named beside it and pull Atlanta to Texas
    text = (
        "Georgia lawmakers want a help line for Georgia families. In Georgia, agencies led by the "
        "Atlanta office will draft a plan; Texas started one in 2005. Atlanta officials agree."
    )
    got = places(geoparser, text)
    assert got["Georgia"].place.admin1_code == "US-GA"
    assert got["Atlanta"].place.admin1_code == "US-GA"


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


# -- states and counties the passage names outside the mentions --------------------------------


def _resolve_span(geoparser, text, name):
    start = text.index(name)
    return geoparser.resolve_spans(text, [(start, start + len(name))])[0]


def test_county_named_in_the_passage_settles_the_town(geoparser):
    # Only the town is a mention (as in gold-span evaluation); the county is plain text.
    m = _resolve_span(geoparser, "Greenville is the county seat of Butler County.", "Greenville")
    assert m.place.admin1_code == "US-AL"


def test_state_that_the_named_counties_share(geoparser):
    # Both county names exist in two states each; only Illinois has both.
    text = "The mill town of Washington lies on the prairie between Tazewell County and Woodford County."
    assert _resolve_span(geoparser, text, "Washington").place.admin1_code == "US-IL"
    assert places(geoparser, text)["Washington"].place.admin1_code == "US-IL"


def test_town_in_a_named_county_in_full_text(geoparser):
    got = places(geoparser, "The fair was held in Paris, the seat of Lamar County.")
    assert got["Paris"].place.admin1_code == "US-TX"


def test_dotted_state_abbreviation_after_a_comma(geoparser):
    # A town of a few hundred people, beyond the usual shortlist of candidates.
    m = _resolve_span(geoparser, "Greenville, Ind., has a small public library.", "Greenville")
    assert m.place.admin1_code == "US-IN"


def test_state_named_in_a_lower_cased_passage(geoparser):
    m = _resolve_span(geoparser, "jackson is a town in the hills of tennessee.", "jackson")
    assert m.place.admin1_code == "US-TN"


def test_the_mention_is_no_evidence_for_itself(geoparser):
    from geomap.resolve import FEATURES

    text = "Officials in Washington met on Monday."
    mentions = geoparser.span_mentions(geoparser.parse_text(text), [(13, 23)])
    groups, cands, feats = geoparser.resolver.features(mentions, text)
    (key,) = groups
    # The state of Washington is a candidate of the mention, not a state the text names.
    assert any(p.admin1_code == "US-WA" for p in cands[key])
    assert all(feats(key, p, None)[FEATURES.index("doc_admin1")] == 0 for p in cands[key])


def test_state_words_in_lower_case_do_not_count_in_cased_text(geoparser):
    from geomap.resolve import FEATURES

    text = "Greenville has a georgia pine on every corner."
    mentions = geoparser.span_mentions(geoparser.parse_text(text), [(0, 10)])
    groups, cands, feats = geoparser.resolver.features(mentions, text)
    (key,) = groups
    assert all(feats(key, p, None)[FEATURES.index("doc_admin1")] == 0 for p in cands[key])


def test_a_given_span_is_placed_at_the_place_it_is_an_institution_of(geoparser):
    text = (
        "A researcher at Colorado State University said the Mount Pleasant City Council met. "
        "Storms hit the Tennessee Colony area."
    )
    spans = [
        (text.index(n), text.index(n) + len(n))
        for n in ("Colorado State University", "Mount Pleasant City Council", "Tennessee Colony")
    ]
    uni, council, colony = geoparser.resolve_spans(text, spans)
    assert uni.place.kind == "admin1" and uni.place.admin1_code == "US-CO"
    assert council.place.name == "Mount Pleasant" and council.place.kind == "city"
    # a place name inside an unknown name that is no institution of it says nothing
    assert colony.place is None or colony.place.kind == "city"


def test_an_unknown_name_is_placed_at_the_town_the_text_puts_it_in(geoparser):
    got = places(geoparser, "Thieves hit a smoker on Hampton Avenue in Lemay, Missouri.")
    avenue, town = got["Hampton Avenue"], got["Lemay"]
    assert avenue.place == town.place and avenue.place.kind == "city"
    assert avenue.confidence <= town.confidence  # no surer than its container
    # a state is too large to stand for what lies in it
    text = "Crews closed Elm Ridge Road in Texas."
    road, state = geoparser.resolve_spans(
        text, [(text.index(n), text.index(n) + len(n)) for n in ("Elm Ridge Road", "Texas")]
    )
    assert road.place is None and state.place.kind == "admin1"


def spans_of(text, *names):
    return [(text.index(n), text.index(n) + len(n)) for n in names]


def test_an_unknown_village_is_placed_at_its_small_first_level_division(geoparser):
    # Kenyan counties are first-level divisions a few dozen kilometres across
    for text in ("Raiders burned huts in Kolbio in Lamu County.", "Raiders burned huts in Kolbio, Lamu County."):
        village, county = geoparser.resolve_spans(text, spans_of(text, "Kolbio", "Lamu County"))
        assert county.place.kind == "admin1" and county.place.country_code == "KE"
        assert village.place == county.place
        assert village.confidence <= county.confidence  # no surer than its container
        assert village.confidence < CHECK_BELOW  # a point for a whole county: flagged to check


def test_an_unknown_village_in_a_small_country_is_placed_there_but_not_in_a_large_one(geoparser, gazetteer):
    text = "Youths blocked the road at Gatagara, Rwanda, and at Umbubu, Nigeria."
    village, rwanda, other, nigeria = geoparser.resolve_spans(
        text, spans_of(text, "Gatagara", "Rwanda", "Umbubu", "Nigeria")
    )
    assert village.place == rwanda.place and village.confidence < rwanda.confidence
    assert nigeria.place.kind == "country" and other.place is None  # Nigeria is too large to guess in
    assert gazetteer.spread_km(nigeria.place) > gazetteer.spread_km(rwanda.place)


def test_a_town_container_is_preferred_to_the_area_after_it(geoparser):
    text = "Gunmen struck Kwamdoro (Ouahigouya, Burkina Faso) at dawn."
    village, town, _ = geoparser.resolve_spans(text, spans_of(text, "Kwamdoro", "Ouahigouya", "Burkina Faso"))
    assert town.place.kind == "city" and village.place == town.place


def test_dc_is_the_district_of_columbia(geoparser):
    got = places(geoparser, "Lawmakers in DC are silent while Washington, D.C. waits.")
    assert got["DC"].place.admin1_code == "US-DC"


def test_equal_scores_go_to_the_country_that_holds_more_of_the_name(geoparser):
    # Mozambique's Gaza province and Palestine's Gaza region score alike; Palestine also has the
    # city and the strip of that name, so a tweet with nothing else goes there
    for text in ("Ceasefire talks on Gaza resume.", "Israeli strikes on Gaza killed 20 people."):
        got = places(geoparser, text)
        assert got["Gaza"].place.country_code == "PS", text


def test_postal_code_of_a_state_or_province_after_a_comma(geoparser):
    for text, name, code in [
        ("A storm hit Portland, OR on Monday.", "Portland", "US-OR"),
        ("The police chief of Richmond, CA, joined the protest.", "Richmond", "US-CA"),
        ("Flooding in Springfield, IL closed roads.", "Springfield", "US-IL"),
        ("A new office opened in Nelson, BC this week.", "Nelson", "CA-BC"),
    ]:
        assert places(geoparser, text)[name].place.admin1_code == code, text


def test_capitals_that_are_no_postal_code_say_nothing(geoparser):
    # "XYZ" is no state's code; Springfield stays the town the resolver picks without it
    alone = places(geoparser, "Flooding in Springfield closed roads.")["Springfield"].place
    got = places(geoparser, "Flooding in Springfield, XYZ closed roads.")["Springfield"].place
    assert got.admin1_code == alone.admin1_code != "US-IL"


def test_a_small_region_does_not_take_the_name_of_a_big_city(geoparser):
    # Jamaica's Portland and Manchester parishes and St Vincent's Charlotte parish hold fewer
    # people than the cities of those names; they stay candidates when the text is about them
    assert places(geoparser, "A storm hit Portland on Monday.")["Portland"].place.admin1_code == "US-OR"
    assert places(geoparser, "Poppies were sold in Manchester.")["Manchester"].place.country_code == "GB"
    assert places(geoparser, "Charlotte police said.")["Charlotte"].place.admin1_code == "US-NC"
    got = places(geoparser, "The Portland parish council in Jamaica met.")["Portland"].place
    assert got.kind == "admin1" and got.country_code == "JM"


def test_a_town_is_not_lost_to_tiny_regions_spelled_alike(geoparser):
    # "Saaba" (Burkina Faso, over 100,000 people) folds to the key of two Caribbean "Saba" regions
    got = places(geoparser, "Two groups clashed near Saaba on Monday.")["Saaba"].place
    assert got.country_code == "BF" and got.kind == "city"


def test_a_street_the_text_puts_nowhere_is_placed_at_the_towns_of_local_news(geoparser):
    # The gazetteer has no streets; a local text's town is where its streets are, a guess that is
    # flagged for checking.
    got = places(
        geoparser,
        "A man was stabbed in an alley on North State Street, according to Chicago police. He lived in Park Ridge.",
    )
    street = got["North State Street"]
    assert street.place is not None and street.place.name == "Chicago"
    assert street.confidence <= 0.5 < CHECK_BELOW
    # a text that ranges wider than one town gives its streets no town
    got = places(geoparser, "Crews closed Elm Street. Officials in Denver and Boston spoke.")
    assert got["Elm Street"].place is None
