"""Geocoders: the offline one is a geopy Geocoder; online ones are cached, rate-limited and fail
with one-line errors. The network is mocked throughout: a fake geopy service class is what
``get_geocoder_for_service`` returns."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from geopy import exc as geopy_exc
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from geomap.errors import GeocodingError
from geomap.gazetteer.geonames_import import import_geonames
from geomap.gazetteer.store import Gazetteer
from geomap.geocoders import OfflineGeocoder, OnlineGeocoder, make_geocoder
from geomap.geocoders import online as online_mod
from geomap.records import Mention, Place

DATA = Path(__file__).parent / "data" / "geonames"

#: What a Nominatim-like service knows, in its raw answer format.
ANSWERS = {
    "baghdad": [
        {
            "name": "Baghdad",
            "lat": "33.3152",
            "lon": "44.3661",
            "class": "boundary",
            "type": "administrative",
            "addresstype": "city",
            "address": {"city": "Baghdad", "state": "Baghdad Governorate", "country": "Iraq", "country_code": "iq"},
        }
    ],
    "paris": [
        {
            "name": "Paris",
            "lat": "33.6609",
            "lon": "-95.5555",
            "class": "place",
            "type": "town",
            "address": {"state": "Texas", "country": "United States", "country_code": "us"},
        }
    ],
    "al asad": [
        {
            "name": "Al Asad Airbase",
            "lat": "33.7856",
            "lon": "42.4412",
            "class": "aeroway",
            "type": "aerodrome",
            "address": {"country": "Iraq", "country_code": "iq"},
        }
    ],
}


class FakeService(Geocoder):
    """Stands in for a geopy service; counts the requests that would go over the network."""

    calls: list[tuple[str, dict]] = []
    fail_with: Exception | None = None

    def __init__(self, *, user_agent=None, timeout=None, **kwargs):
        super().__init__(user_agent=user_agent, timeout=timeout)
        self.user_agent = user_agent

    def geocode(self, query, *, exactly_one=True, timeout=None, limit=None, addressdetails=False, country_codes=None):
        FakeService.calls.append((query, {"country_codes": country_codes, "limit": limit}))
        if FakeService.fail_with is not None:
            raise FakeService.fail_with
        found = [
            Location(r["name"], Point(float(r["lat"]), float(r["lon"])), r) for r in ANSWERS.get(query.lower(), [])
        ]
        if country_codes:
            found = [loc for loc in found if loc.raw["address"]["country_code"] in country_codes]
        if not found:
            return None
        return found[0] if exactly_one else found


@pytest.fixture
def fake(monkeypatch):
    FakeService.calls = []
    FakeService.fail_with = None
    real = online_mod.get_geocoder_for_service

    def lookup(name):
        return FakeService if name == "fakenom" else real(name)

    monkeypatch.setattr(online_mod, "get_geocoder_for_service", lookup)
    # No real waiting in tests: a fake clock that the limiter's sleeps advance, and a record of them.
    waits: list[float] = []
    clock = [1000.0]

    def sleep(self, seconds):
        waits.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr(RateLimiter, "_clock", lambda self: clock[0])
    monkeypatch.setattr(RateLimiter, "_sleep", sleep)
    FakeService.waits = waits
    return FakeService


@pytest.fixture
def geocoder(fake, tmp_path) -> OnlineGeocoder:
    return OnlineGeocoder("fakenom", cache_path=tmp_path / "cache.sqlite", min_delay_seconds=1.0, max_retries=0)


def test_answer_becomes_place(geocoder):
    place = geocoder.geocode("Baghdad")
    assert (place.name, place.kind, place.country_code, place.admin1, place.source) == (
        "Baghdad",
        "city",
        "IQ",
        "Baghdad Governorate",
        "fakenom",
    )
    assert place.lat == pytest.approx(33.3152)
    assert geocoder.geocode("Al Asad").kind == "airport"
    assert geocoder.geocode("Atlantis") is None
    assert geocoder.geocoder.user_agent.startswith("geomap/")


def test_cache_hit_avoids_second_call(geocoder, fake, tmp_path):
    first = geocoder.geocode("Baghdad")
    assert len(fake.calls) == 1
    assert geocoder.geocode("  baghdad ") == first  # same key: case and spaces ignored
    assert geocoder.geocode("Atlantis") is None
    assert geocoder.geocode("Atlantis") is None  # misses are cached too
    assert [q for q, _ in fake.calls] == ["Baghdad", "Atlantis"]
    # A new geocoder over the same file answers without any request, even during an outage.
    fake.fail_with = geopy_exc.GeocoderUnavailable("down")
    again = OnlineGeocoder("fakenom", cache_path=tmp_path / "cache.sqlite", min_delay_seconds=0)
    assert again.geocode("Baghdad") == first and again.calls == 0


def test_country_codes_passed_and_part_of_cache_key(geocoder, fake):
    assert geocoder.geocode("Paris", country_codes="FR") is None
    assert geocoder.geocode("Paris", country_codes=["US"]).country_code == "US"
    assert [kw["country_codes"] for _, kw in fake.calls] == [["fr"], ["us"]]


def test_rate_limiter_spaces_requests(geocoder, fake):
    geocoder.geocode("Baghdad")
    geocoder.geocode("Paris")
    geocoder.geocode("Baghdad")  # cached: no request, no wait
    assert len(fake.calls) == 2
    assert fake.waits == [1.0]  # the second request waited out the minimum delay


@pytest.mark.parametrize(
    "error, words",
    [
        (geopy_exc.GeocoderUnavailable("connection refused"), "fakenom is unreachable: connection refused"),
        (geopy_exc.GeocoderTimedOut("read timed out"), "fakenom is unreachable: read timed out"),
        (socket.gaierror("name resolution failed"), "fakenom is unreachable"),
        (geopy_exc.GeocoderRateLimited("429\ntoo many"), "fakenom refused the request (rate limited): 429 too many"),
        (geopy_exc.GeocoderServiceError("HTTP 500"), "fakenom failed: HTTP 500"),
    ],
)
def test_outage_isshort_reason_geocoding_error(geocoder, fake, error, words):
    fake.fail_with = error
    with pytest.raises(GeocodingError) as info:
        geocoder.geocode("Baghdad")
    assert str(info.value).startswith(words) and "\n" not in str(info.value)
    fake.fail_with = None
    assert geocoder.geocode("Baghdad") is not None  # the failure was not cached


def test_unknown_service_lists_names(tmp_path):
    with pytest.raises(GeocodingError, match=r"unknown geocoder 'nominatum'.*nominatim.*photon"):
        OnlineGeocoder("nominatum", cache_path=tmp_path / "c.sqlite")


def test_make_geocoder(fake, tmp_path):
    assert make_geocoder(None) is None and make_geocoder("offline") is None
    g = make_geocoder("fakenom", cache_path=tmp_path / "c.sqlite", min_delay_seconds=0)
    assert isinstance(g, OnlineGeocoder) and g.service == "fakenom"


def _mention(text: str, place: Place | None, conf: float) -> Mention:
    return Mention(
        text=text,
        start=0,
        end=len(text),
        sent_start=0,
        sent_end=len(text),
        place=place,
        confidence=conf,
        candidates=[place] if place else [],
    )


def test_refine_replaces_and_keeps(geocoder, fake):
    offline_baghdad = Place("Baghdad", 33.34058, 44.40088, kind="city", country_code="IQ")
    offline_paris = Place("Paris", 48.85341, 2.3488, kind="city", country_code="FR")
    mentions = [
        _mention("Baghdad", offline_baghdad, 0.9),
        _mention("Paris", offline_paris, 0.7),
        _mention("Atlantis", None, 0.0),
        _mention("Baghdad", offline_baghdad, 0.9),
        _mention("Al Asad", None, 0.0),
    ]
    out = geocoder.refine(mentions)
    # Agreement within 50 km: the service's place, the offline confidence.
    assert out[0].place.source == "fakenom" and out[0].confidence == 0.9
    assert out[0].place.geocoder == "fakenom" and out[1].place.geocoder == "offline"
    assert out[3].place == out[0].place
    # The service knows no Paris in France (the offline country is the hint): untouched.
    assert out[1] is mentions[1]
    assert out[2] is mentions[2]
    # No offline place: the service's answer with the documented confidence.
    assert out[4].place.kind == "airport" and out[4].confidence == online_mod.ONLINE_CONFIDENCE
    # Each distinct text once, with the offline country as the hint.
    assert [(q, kw["country_codes"]) for q, kw in fake.calls] == [
        ("Baghdad", ["iq"]),
        ("Paris", ["fr"]),
        ("Atlantis", None),
        ("Al Asad", None),
    ]


def test_refine_disagreement_gets_fixed_confidence(geocoder):
    wrong = Place("Baghdad", 10.0, 10.0, kind="city", country_code="IQ")
    (out,) = geocoder.refine([_mention("Baghdad", wrong, 0.95)])
    assert out.confidence == online_mod.ONLINE_CONFIDENCE
    assert out.place.lat == pytest.approx(33.3152)


def test_offline_geocoder_is_a_geopy_geocoder(tmp_path):
    gaz = Gazetteer(
        import_geonames(tmp_path / "g.sqlite", places=DATA / "places.txt", admin1=DATA / "admin1CodesASCII.txt")
    )
    geo = OfflineGeocoder(gaz)
    assert isinstance(geo, Geocoder)
    loc = geo.geocode("Paris")
    assert isinstance(loc, Location) and loc.raw["country_code"] == "FR"
    assert loc.latitude == pytest.approx(48.85341)
    both = geo.geocode("Paris", exactly_one=False)
    assert {l.raw["country_code"] for l in both} == {"FR", "US"}
    texas = geo.geocode("Paris", country_codes="us")
    assert texas.raw["admin1"] == "Texas"
    assert geo.geocode("Atlantis") is None


def test_network_errors_are_shortened_to_their_cause():
    from geomap.geocoders.online import short_reason

    nested = Exception(
        "HTTPSConnectionPool(host='geo.example', port=443): Max retries exceeded with url: /search?q=x "
        "(Caused by NameResolutionError(\"HTTPSConnection(host='geo.example', port=443): Failed to "
        "resolve 'geo.example' ([Errno -2] Name or service not known)\"))"
    )
    assert short_reason(nested) == "Failed to resolve 'geo.example' ([Errno -2] Name or service not known)"
    assert short_reason(Exception("line one\nline two")) == "line one line two"
    assert len(short_reason(Exception("x" * 500))) == 200
