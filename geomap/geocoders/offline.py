"""A geopy-compatible geocoder over geomap's offline gazetteer.

``OfflineGeocoder().geocode("Baghdad")`` answers like any geopy service (a
:class:`geopy.location.Location`, or a list with ``exactly_one=False``) without touching the
network, so code written for geopy can swap it in and out.
"""

from __future__ import annotations

from dataclasses import asdict

from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from geomap.gazetteer import Gazetteer
from geomap.records import Place


class OfflineGeocoder(Geocoder):
    """Geocode place names from the local gazetteer (no network)."""

    def __init__(self, gazetteer: Gazetteer | str | None = None) -> None:
        super().__init__(scheme="https", timeout=1, proxies={}, user_agent="geomap-offline")
        self.gazetteer = gazetteer if isinstance(gazetteer, Gazetteer) else Gazetteer.open(gazetteer)

    def geocode(self, query: str, *, exactly_one: bool = True, country_codes: str | list[str] | None = None,
                limit: int | None = None, **_ignored):
        """Places named ``query``, most likely first (countries and big towns before villages)."""
        codes = [country_codes] if isinstance(country_codes, str) else list(country_codes or [])
        places = self.gazetteer.lookup(str(query))
        if codes:
            wanted = {c.upper() for c in codes}
            places = [p for p in places if p.country_code in wanted]
        if not places:
            return None
        locations = [to_location(p) for p in places[: (1 if exactly_one else limit or len(places))]]
        return locations[0] if exactly_one else locations

    def reverse(self, query, *, exactly_one: bool = True, **_ignored):
        raise NotImplementedError("the offline gazetteer does not reverse-geocode")


def to_location(place: Place) -> Location:
    """A geopy Location for a gazetteer place; ``raw`` holds every field of the Place."""
    parts = [place.name, place.admin1 if place.admin1 != place.name else None, place.country]
    address = ", ".join(p for p in parts if p)
    return Location(address, Point(place.lat, place.lon), dict(asdict(place)))
