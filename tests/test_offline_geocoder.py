"""The offline geocoder as a geopy citizen, on the real gazetteer: "X, Y" queries answered inside Y,
reverse geocoding to the nearest town, geopandas' geocode/reverse_geocode, and the spatial index."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from cli_app import run_cli
from geopy.exc import GeocoderQueryError
from geopy.point import Point

from geomap.gazetteer import Gazetteer
from geomap.gazetteer.spatial import admin1_at, areas_at, nearest_place, nearest_places, place_index
from geomap.geocoders.offline import OfflineGeocoder
from geomap.tools.distance import EARTH_RADIUS_KM, haversine_km

BAGHDAD = (33.34058, 44.40088)
PEORIA = (40.70, -89.60)
PACIFIC = (0.0, -140.0)  # ~990 km from the nearest town (the Marquesas)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.open()


@pytest.fixture(scope="module")
def geo(gaz) -> OfflineGeocoder:
    return OfflineGeocoder(gaz)


# -- forward -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "query, name, country, admin1",
    [
        ("Paris, Texas", "Paris", "US", "US-TX"),
        ("Paris, TX", "Paris", "US", "US-TX"),
        ("Springfield, Illinois", "Springfield", "US", "US-IL"),
        ("Springfield, IL", "Springfield", "US", "US-IL"),
        ("springfield, ill.", "Springfield", "US", "US-IL"),
        ("Paris, France", "Paris", "FR", "FR-IDF"),
        ("Paris, FR", "Paris", "FR", "FR-IDF"),
        ("Columbus, Ohio, USA", "Columbus", "US", "US-OH"),
        ("London, Ontario", "London", "CA", "CA-ON"),
        ("Washington, D.C.", "Washington", "US", "US-DC"),
    ],
)
def test_place_inside_its_region_or_country(geo, query, name, country, admin1):
    loc = geo.geocode(query)
    assert (loc.raw["name"], loc.raw["country_code"], loc.raw["admin1_code"], loc.raw["kind"]) == (
        name,
        country,
        admin1,
        "city",
    )
    assert loc.address.startswith(f"{name}, ")


def test_bare_name_ranked_by_the_resolver(geo):
    # without a container the world's best-known Paris wins; inside Texas, the Texan one
    assert geo.geocode("Paris").raw["country_code"] == "FR"
    assert geo.geocode("Paris, Texas").point.longitude == pytest.approx(-95.56, abs=0.1)
    three = geo.geocode("Springfield", exactly_one=False, limit=3)
    assert len(three) == 3 and {loc.raw["name"] for loc in three} == {"Springfield"}
    scores = [loc.raw["score"] for loc in three]
    assert scores == sorted(scores, reverse=True) and 0 < scores[0] < 1


def test_facility_written_unlike_its_gazetteer_name(geo):
    loc = geo.geocode("Ain al-Assad Airbase")  # the README's own example
    assert loc is not None and loc.raw["kind"] == "airport" and loc.raw["country_code"] == "IQ"
    assert haversine_km(loc.latitude, loc.longitude, 33.79, 42.44) < 10
    assert geo.geocode("Ain al-Assad Airbase, Iraq").raw["name"] == loc.raw["name"]
    assert geo.geocode("Ain al-Assad Airbase, France") is None
    assert geo.geocode("Ain al-Assad Airbase, Anbar").raw["name"] == loc.raw["name"]  # region by name


def test_facility_inside_its_container_despite_an_exact_namesake(geo):
    # the gazetteer's only "Heathrow Airport" is an airstrip in Texas
    assert geo.geocode("Heathrow Airport").raw["country_code"] == "US"
    for query in ("Heathrow Airport, London", "Heathrow Airport, United Kingdom"):
        loc = geo.geocode(query)
        assert loc.raw["country_code"] == "GB" and loc.raw["kind"] == "airport"
        assert haversine_km(loc.latitude, loc.longitude, 51.47, -0.45) < 5


def test_context_helps_rank(geo):
    assert geo.geocode("Paris", context="A fire in Lamar County, Texas, spread on Monday.").raw["admin1"] == "Texas"


@pytest.mark.parametrize(
    "query", ["Paris, Germany", "Springfield, Iraq", "Columbus, Ohio, France", "Baghdad, Illinois"]
)
def test_no_namesake_outside_the_container(geo, query):
    assert geo.geocode(query) is None
    assert geo.geocode(query, exactly_one=False) is None


def test_every_answer_lies_in_the_container(geo):
    found = geo.geocode("Paris, USA", exactly_one=False)
    assert len(found) >= 5 and {loc.raw["country_code"] for loc in found} == {"US"}
    assert found[0].raw["admin1_code"] == "US-TX"  # the biggest American Paris first
    texas = geo.geocode("Paris, Texas", exactly_one=False)
    assert texas and {loc.raw["admin1_code"] for loc in texas} == {"US-TX"}


def test_country_codes_and_limit(geo):
    assert geo.geocode("Paris", country_codes="us").raw["country_code"] == "US"
    both = geo.geocode("Paris", country_codes=["us", "CA"], exactly_one=False)
    assert {loc.raw["country_code"] for loc in both} == {"US", "CA"}
    assert len(geo.geocode("Paris", country_codes=["us", "CA"], exactly_one=False, limit=4)) == 4
    assert geo.geocode("Paris, Texas", country_codes="FR") is None
    assert geo.geocode("  ") is None


def test_name_with_a_comma_is_still_a_name(geo):
    assert geo.geocode("Korea, Republic of").raw["country_code"] == "KR"


# -- reverse -------------------------------------------------------------------------------------
def test_reverse_to_the_nearest_town(geo):
    loc = geo.reverse(BAGHDAD)
    assert loc.address == "Baghdad, Baghdād, Iraq" and loc.raw["kind"] == "city"
    assert loc.raw["distance_km"] < 1 and loc.raw["admin1_code"] == "IQ-BG"
    # the same answer for every spelling of the point geopy knows
    assert geo.reverse(f"{BAGHDAD[0]}, {BAGHDAD[1]}") == loc == geo.reverse(Point(*BAGHDAD))
    peoria = geo.reverse(PEORIA)
    assert peoria.raw["admin1"] == "Illinois" and peoria.raw["country_code"] == "US"
    assert peoria.raw["distance_km"] == pytest.approx(
        haversine_km(*PEORIA, peoria.latitude, peoria.longitude), abs=0.01
    )


def test_reverse_list_is_nearest_first(geo):
    found = geo.reverse(PEORIA, exactly_one=False, limit=4)
    assert len(found) == 4
    km = [loc.raw["distance_km"] for loc in found]
    assert km == sorted(km) and len({loc.raw["geonameid"] for loc in found}) == 4


def test_reverse_far_from_any_town(gaz, geo):
    assert geo.reverse(PACIFIC) is None
    assert geo.reverse(PACIFIC, exactly_one=False) is None
    far = geo.reverse(PACIFIC, max_km=2000)
    assert far.raw["country_code"] == "PF" and 100 < far.raw["distance_km"] < 2000
    assert OfflineGeocoder(gaz, max_km=2000).reverse(PACIFIC) == far


@pytest.mark.parametrize(
    "bad", [(91, 0), (0, 180.5), (-90.01, 10), (math.nan, 0), "abc", "1, 2, 3", (1,), None, "95, 10"]
)
def test_reverse_rejects_points_off_the_globe(geo, bad):
    with pytest.raises(GeocoderQueryError) as info:
        geo.reverse(bad)
    assert isinstance(info.value, ValueError) and "\n" not in str(info.value)


# -- geopandas -----------------------------------------------------------------------------------
def test_geopandas_geocode_and_reverse_geocode(gaz):
    from geopandas.tools import geocode, reverse_geocode
    from shapely.geometry import Point as ShapelyPoint

    forward = geocode(
        ["Paris, Texas", "Springfield, IL", "Baghdad", "Paris, Germany"], provider=OfflineGeocoder, gazetteer=gaz
    )
    assert list(forward["address"][:3]) == [
        "Paris, Texas, United States",
        "Springfield, Illinois, United States",
        "Baghdad, Baghdād, Iraq",
    ]
    assert forward.geometry[0].x == pytest.approx(-95.56, abs=0.1)  # Texas, not France
    assert forward["address"].isna()[3] and forward.geometry[3].is_empty
    back = reverse_geocode(
        [
            ShapelyPoint(BAGHDAD[1], BAGHDAD[0]),
            ShapelyPoint(PEORIA[1], PEORIA[0]),
            ShapelyPoint(PACIFIC[1], PACIFIC[0]),
        ],
        provider=OfflineGeocoder,
        gazetteer=gaz,
    )
    assert back["address"][0] == "Baghdad, Baghdād, Iraq"
    assert back["address"][1].endswith(", Illinois, United States")
    assert back["address"].isna()[2]


# -- the spatial index ---------------------------------------------------------------------------
def test_index_agrees_with_brute_force(gaz):
    rows = gaz.points()
    lat = np.array([r[1] for r in rows])
    lon = np.array([r[2] for r in rows])
    rng = np.random.default_rng(7)
    for qlat, qlon in zip(rng.uniform(-60, 75, 25), rng.uniform(-180, 180, 25)):
        p1, p2 = np.radians(qlat), np.radians(lat)
        a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon - qlon) / 2) ** 2
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))
        place, dist = nearest_place(gaz, qlat, qlon)
        assert dist == pytest.approx(km.min(), abs=1e-3)
        assert haversine_km(qlat, qlon, place.lat, place.lon) == pytest.approx(dist, abs=1e-3)


def test_antimeridian_needs_no_special_case(gaz):
    east, km_east = nearest_place(gaz, 64.1, 179.999)
    west, km_west = nearest_place(gaz, 64.1, -179.999)
    assert east == west and km_east == pytest.approx(km_west, abs=0.2)


def test_areas_of_many_points_at_once(gaz):
    lats = np.array([BAGHDAD[0], PEORIA[0], 48.85, -33.87])
    lons = np.array([BAGHDAD[1], PEORIA[1], 2.35, 151.21])
    countries, regions = areas_at(gaz, lats, lons)
    assert list(countries) == ["IQ", "US", "FR", "AU"]
    assert list(regions[:3]) == ["IQ-BG", "US-IL", "FR-IDF"]
    assert [admin1_at(gaz, a, b) for a, b in zip(lats, lons)] == list(zip(countries, regions))
    with pytest.raises(ValueError):
        areas_at(gaz, [0, 100], [0, 0])
    assert place_index(gaz) is place_index(gaz)  # built once per gazetteer
    assert nearest_places(gaz, *PACIFIC, max_km=100) == [] and nearest_place(gaz, *PACIFIC, max_km=100) is None


def test_points_and_by_id_read_the_store(gaz):
    rows = gaz.points(("country",))
    assert len(rows) >= 240
    row = next(r for r in rows if r[3] == "IQ")
    place = gaz.by_id(row[0])
    assert (place.kind, place.country_code, place.lat, place.lon) == ("country", "IQ", row[1], row[2])
    assert gaz.by_id(-1) is None


# -- command line --------------------------------------------------------------------------------
def test_cli_reverse(capsys, gaz):
    code, out, err = run_cli(
        capsys, "geocode", "--reverse", "33.34, 44.40", "-n", "2", "--json", "--gazetteer", gaz.path
    )
    assert code == 0, err
    rows = json.loads(out)
    assert [r["name"] for r in rows][0] == "Baghdad" and len(rows) == 2 and rows[0]["km"] <= rows[1]["km"]
    code, out, err = run_cli(capsys, "geocode", "--reverse", "-33.87, 151.21", "--gazetteer", gaz.path)
    assert code == 0 and "Sydney" in out
    code, _, err = run_cli(capsys, "geocode", "--reverse", "0, -140", "--gazetteer", gaz.path)
    assert code == 1 and err.startswith("error: no town within 100 km")
    for args in (["--reverse", "95, 10"], ["--reverse", "here"], ["Paris", "--reverse", "1, 2"]):
        code, _, err = run_cli(capsys, "geocode", *args, "--gazetteer", gaz.path)
        assert code == 2 and err.count("\n") == 1 and "--reverse" in err


def test_cli_name_in_its_region(capsys, gaz):
    code, out, err = run_cli(capsys, "geocode", "Springfield, IL", "--json", "--gazetteer", gaz.path)
    assert code == 0, err
    assert {(r["name"], r["admin1"]) for r in json.loads(out)} == {("Springfield", "Illinois")}
    code, _, err = run_cli(capsys, "geocode", "Paris, Germany", "--gazetteer", gaz.path)
    assert code == 1 and "no place named 'Paris, Germany'" in err
