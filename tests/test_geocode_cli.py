"""``geomap geocode NAME`` on a tiny app that registers the command (offline and a mocked service)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from cli_app import app_with
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point
from typer.testing import CliRunner

from geomap.cli.geocode_cmd import register
from geomap.errors import GeocodingError, InputError, PlaceNotFound
from geomap.gazetteer.geonames_import import import_geonames
from geomap.geocoders import online as online_mod

DATA = Path(__file__).parent / "data" / "geonames"
runner = CliRunner()


def _app() -> typer.Typer:
    return app_with(register)


@pytest.fixture(scope="module")
def gaz_path(tmp_path_factory) -> Path:
    return import_geonames(
        tmp_path_factory.mktemp("gz") / "gn.sqlite",
        places=DATA / "places.txt",
        admin1=DATA / "admin1CodesASCII.txt",
        alternate_names=DATA / "alternateNamesV2.txt",
        country_info=DATA / "countryInfo.txt",
    )


def _json(args: list[str]) -> list[dict]:
    result = runner.invoke(_app(), args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_offline_table(gaz_path):
    result = runner.invoke(_app(), ["geocode", "Paris", "--gazetteer", str(gaz_path)])
    assert result.exit_code == 0, result.output
    lines = [l for l in result.output.splitlines() if "Paris" in l and "city" in l]
    assert len(lines) == 2
    assert any("FR" in l and "Île-de-France" in l and "48.8534" in l for l in lines)
    assert any("US" in l and "Texas" in l and "24,171" in l for l in lines)


def test_offline_json_scores_and_country(gaz_path):
    rows = _json(["geocode", "Paris", "--gazetteer", str(gaz_path), "--json"])
    assert {r["country_code"] for r in rows} == {"FR", "US"}
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True) and 0.99 <= sum(scores) <= 1.01
    top = _json(["geocode", "Paris", "--country", "us", "--gazetteer", str(gaz_path), "--json", "-n", "1"])
    assert len(top) == 1 and top[0]["country_code"] == "US" and top[0]["admin1"] == "Texas"
    base = _json(["geocode", "Ain al-Assad Airbase", "--gazetteer", str(gaz_path), "--json"])
    assert base[0]["kind"] == "airport" and base[0]["feature_code"] == "AIRB"


def test_unknown_place_and_bad_options(gaz_path):
    result = runner.invoke(_app(), ["geocode", "Atlantis", "--gazetteer", str(gaz_path)])
    assert isinstance(result.exception, PlaceNotFound) and "Atlantis" in str(result.exception)
    result = runner.invoke(_app(), ["geocode", "Paris", "--country", "France", "--gazetteer", str(gaz_path)])
    assert isinstance(result.exception, InputError)
    result = runner.invoke(_app(), ["geocode", "Paris", "--geocoder", "nominatum"])
    assert isinstance(result.exception, GeocodingError) and "nominatim" in str(result.exception)


class _Fake(Geocoder):
    calls = 0

    def __init__(self, **kwargs):
        super().__init__(user_agent=kwargs.get("user_agent"))

    def geocode(self, query, *, exactly_one=True, limit=None, country_codes=None, addressdetails=False):
        _Fake.calls += 1
        if query != "Baghdad":
            return None
        raw = {"name": "Baghdad", "type": "city", "address": {"country_code": "iq", "state": "Baghdad"}}
        return [Location("Baghdad, Iraq", Point(33.3152, 44.3661), raw)]


def test_online_service_mocked(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # the answer cache goes here, not the user's
    monkeypatch.setattr(online_mod, "get_geocoder_for_service", lambda name: _Fake)
    rows = _json(["geocode", "Baghdad", "--geocoder", "fakenom", "--json"])
    assert [(r["name"], r["country_code"], r["kind"], r["source"], r["score"]) for r in rows] == [
        ("Baghdad", "IQ", "city", "fakenom", None)
    ]
    assert list(tmp_path.rglob("geocode-cache.sqlite"))
    result = runner.invoke(_app(), ["geocode", "Atlantis", "--geocoder", "fakenom"])
    assert isinstance(result.exception, PlaceNotFound)
