"""Gazetteer: name keys, lookups, demonyms, capitals, subdivisions and abbreviations."""

from __future__ import annotations

import math

import pytest

from geomap.gazetteer import normalize_name


def km(a, lat, lon):
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, lat, lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


@pytest.mark.parametrize(
    "a, b",
    [
        ("Ain al-Assad Airbase", "Ain Al Asad Air Base"),
        ("São Paulo", "Sao Paulo"),
        ("el-Fasher", "Al Fasher"),
        ("The Hague", "Hague"),
        ("Saint Louis", "St. Louis"),
        ("Fort Worth", "Ft Worth"),
        ("W.Va.", "W. Va."),
    ],
)
def test_normalize_name_variants_share_a_key(a, b):
    assert normalize_name(a) == normalize_name(b)


def test_normalize_name_keeps_distinct_names_apart():
    assert normalize_name("Paris") != normalize_name("Parish")
    assert normalize_name("Al") == "al"  # a lone article is a name, not dropped


def test_lookup_finds_countries_cities_and_alternate_names(gazetteer):
    assert gazetteer.lookup("Iraq")[0].kind == "country"
    baghdad = [p for p in gazetteer.lookup("Baghdad") if p.kind == "city"][0]
    assert km(baghdad, 33.34, 44.40) < 25
    assert any(p.country_code == "US" for p in gazetteer.lookup("Paris"))


def test_country_points_lie_near_the_country_centre(gazetteer):
    us = gazetteer.lookup("United States")[0]
    assert us.kind == "country" and km(us, 39.8, -98.6) < 161  # the centre of the contiguous states
    assert gazetteer.lookup("U.S.")[0].country_code == "US"


def test_us_state_abbreviations_and_counties(gazetteer):
    assert gazetteer.lookup("Calif.")[0].admin1_code == "US-CA"
    assert gazetteer.lookup("W.Va.")[0].admin1_code == "US-WV"
    county = gazetteer.lookup("Licking County")
    assert county and county[0].kind == "admin2" and county[0].admin1_code == "US-OH"
    assert km(county[0], 40.09, -82.48) < 50  # Licking County, Ohio (around Newark)


def test_demonyms_name_countries_regions_and_continents(gazetteer):
    assert gazetteer.demonym_country("Iraqi") == "IQ"
    assert gazetteer.demonym_country("iranian") == "IR"
    assert gazetteer.country(gazetteer.demonym_country("European")).kind == "continent"
    assert gazetteer.country(gazetteer.demonym_country("Scottish")).name == "Scotland"
    assert gazetteer.demonym_country("Kitchen") is None


def test_capitals(gazetteer):
    assert gazetteer.capital("IQ").name == "Baghdad"
    assert gazetteer.capital("FR").name == "Paris"
    assert gazetteer.capital("ZZ") is None


def test_fuzzy_facility_lookup(gazetteer):
    hits = gazetteer.fuzzy("Ain al-Assad Airbase", kinds=("airport",), country="IQ")
    assert hits and km(hits[0][0], 33.80, 42.44) < 25


def test_first_level_regions_count_the_people_of_their_towns(gazetteer):
    def region(name, cc):
        return next(p for p in gazetteer.lookup(name) if p.kind == "admin1" and p.country_code == cc)

    texas, parish = region("Texas", "US"), region("Portland", "JM")
    houston = max((p for p in gazetteer.lookup("Houston") if p.admin1_code == "US-TX"), key=lambda p: p.population)
    assert texas.population > houston.population > 0
    assert 0 < parish.population < texas.population / 100


def test_an_areas_spread_says_how_far_its_towns_lie_from_its_point(gazetteer):
    def area(name, kind):
        return next(p for p in gazetteer.lookup(name) if p.kind == kind)

    lamu, texas = area("Lamu", "admin1"), area("Texas", "admin1")
    assert gazetteer.spread_km(lamu) < 100 < 300 < gazetteer.spread_km(texas)
    assert gazetteer.spread_km(area("Rwanda", "country")) < gazetteer.spread_km(area("Nigeria", "country"))
    assert gazetteer.spread_km(area("Nairobi", "city")) is None  # a town has no spread of towns
