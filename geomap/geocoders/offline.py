"""A geopy-compatible geocoder over geomap's offline gazetteer.

``OfflineGeocoder().geocode("Paris, Texas")`` and ``.reverse((33.3, 44.4))`` answer like any geopy
service (a :class:`geopy.location.Location`, or a list with ``exactly_one=False``) without touching
the network, so code written for geopy, ``geopandas.tools.geocode`` and
``geopandas.tools.reverse_geocode`` among it, can swap it in and out.

Forward queries are ranked by geomap's resolver, the one the pipeline uses. ``"X, Y"`` and
``"X, Y, Z"`` ask for a place X inside Y and Z: a country (by name or ISO code), a first-level
region (by name, or by its code as in "IL" or "TX"), or, failing those, a county or town nearby.
With no X there the answer is None, never a namesake elsewhere.
"""

from __future__ import annotations

from dataclasses import asdict

from geopy.exc import GeocoderQueryError
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from geomap.gazetteer import Gazetteer, normalize_name
from geomap.gazetteer.areas import lies_in
from geomap.gazetteer.spatial import DEFAULT_MAX_KM, check_points, nearest_places
from geomap.nlp.patterns import FACILITY_WORDS
from geomap.records import Mention, Place, PlaceHint
from geomap.resolve import Resolver
from geomap.review import Review

#: Kinds a container can be when the query names its area outright.
_AREA_KINDS = ("country", "admin1")
#: Kinds read as "near" containers when the part names no country or region ("Kensington, London").
_NEAR_KINDS = ("admin2", "city")
#: The kinds a facility name is looked for among, as the recognizer hints them for the pipeline.
_FACILITY_KINDS = ("airport", "site")
#: How many fuzzy facility matches are checked against a query's container.
_FUZZY_SHORTLIST = 25
#: How many nearest towns ``reverse(..., exactly_one=False)`` lists unless ``limit`` says.
REVERSE_CANDIDATES = 5


class OfflineGeocoder(Geocoder):
    """Geocode place names, and points back to towns, from the local gazetteer (no network).

    ``max_km``: a point farther than this from every town reverse-geocodes to None.
    """

    def __init__(
        self, gazetteer: Gazetteer | str | None = None, *, max_km: float = DEFAULT_MAX_KM, review: Review | None = None
    ) -> None:
        super().__init__(scheme="https", timeout=1, proxies={}, user_agent="geomap-offline")
        self.gazetteer = gazetteer if isinstance(gazetteer, Gazetteer) else Gazetteer.open(gazetteer)
        self.resolver = Resolver(self.gazetteer, review=review)
        self.max_km = float(max_km)
        self._subdivisions: dict[str, list[str]] | None = None

    # -- forward --------------------------------------------------------------------------------
    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        country_codes: str | list[str] | None = None,
        limit: int | None = None,
        context: str = "",
        **_ignored,
    ):
        """Places named ``query``, most likely first; ``context`` (text around the name) helps rank.

        ``raw`` holds the Place's fields and ``score``: the resolver's probability for it (None for
        a small namesake found only inside the query's container)."""
        found = self.search(query, country_codes=country_codes, limit=1 if exactly_one else limit, context=context)
        if not found:
            return None
        locations = [to_location(p, score=s) for p, s in found]
        return locations[0] if exactly_one else locations

    def search(
        self, query: str, *, country_codes: str | list[str] | None = None, limit: int | None = None, context: str = ""
    ) -> list[tuple[Place, float | None]]:
        """:meth:`geocode`'s answer as ``(Place, score)`` pairs, best first."""
        text = " ".join(str(query).split())
        if not text:
            return []
        codes = [country_codes] if isinstance(country_codes, str) else list(country_codes or [])
        wanted = [c.strip().upper() for c in codes if c and c.strip()]
        ranked = [(p, s) for p, s in self._search(text, wanted, context) if not wanted or p.country_code in wanted]
        return ranked[:limit] if limit else ranked

    def _search(self, text: str, codes: list[str], context: str) -> list[tuple[Place, float | None]]:
        context = f"{text}. {context}" if context else text  # the name first: the resolver reads it at 0
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if len(parts) > 1:
            areas = [self.containers(part) for part in parts[1:]]
            if all(areas):
                return self._inside(parts[0], areas, codes, context)
            if not self.gazetteer.lookup(text):  # "Korea, Republic of": one name with a comma
                return []
        return self._rank(text if len(parts) > 1 else parts[0], codes, context)

    def _rank(self, name: str, codes: list[str], context: str) -> list[tuple[Place, float | None]]:
        """The resolver's ranking of ``name``'s candidates (in the one wanted country); with several
        wanted countries, the namesakes in each that the overall shortlist left out follow."""
        ranked = self._ranked(name, codes[0] if len(codes) == 1 else None, context)
        if len(codes) > 1:
            seen = {p for p, _ in ranked}
            for code in codes:
                more = [p for p, _ in self._ranked(name, code, context) if p not in seen]
                seen.update(more)
                ranked += [(p, None) for p in more]
        return ranked

    def _ranked(self, name: str, country: str | None, context: str) -> list[tuple[Place, float | None]]:
        ranked: list[tuple[Place, float | None]] = list(self.resolver.rank(name, country=country, context=context))
        if not ranked and _is_facility(name):
            ranked = self._facility(name, country, context)
        return ranked

    def _facility(self, name: str, country: str | None, context: str) -> list[tuple[Place, float | None]]:
        """ "Ain al-Assad Airbase": a facility written unlike its gazetteer name ("Al Asad Air Base"),
        resolved as the pipeline resolves a facility the recognizer found."""
        mention = Mention(
            text=name,
            start=0,
            end=len(name),
            sent_start=0,
            sent_end=len(name),
            label="FAC",
            hint=PlaceHint(kinds=tuple(_FACILITY_KINDS), country=country),
        )
        (found,) = self.resolver.resolve([mention], context)
        if found.place is None:
            return []
        return [(found.place, found.confidence)] + [(p, None) for p in found.candidates if p != found.place]

    def _inside(
        self, name: str, areas: list[list[Place]], codes: list[str], context: str
    ) -> list[tuple[Place, float | None]]:
        """``name``'s candidates that lie in one reading of every container, best first."""

        def fits(p: Place) -> bool:
            return all(any(lies_in(p, area) for area in group) for group in areas)

        countries = {a.country_code for group in areas for a in group if a.country_code}
        hint = codes or (sorted(countries) if len(countries) == 1 else [])
        ranked = [(p, s) for p, s in self._rank(name, hint, context) if fits(p)]
        seen = {p for p, _ in ranked}
        # A small namesake beyond the resolver's shortlist ("Paris" has dozens): biggest first.
        ranked += [(p, None) for p in self.gazetteer.lookup(name) if p not in seen and fits(p)]
        if not ranked and _is_facility(name):
            # "Heathrow Airport, London": the exact name is a namesake elsewhere (an airstrip in
            # Texas); the facility in the container is written differently ("London Heathrow Airport").
            country = hint[0] if len(hint) == 1 else None
            ranked = [
                (p, None)
                for p, _ in self.gazetteer.fuzzy(name, kinds=_FACILITY_KINDS, country=country, limit=_FUZZY_SHORTLIST)
                if fits(p)
            ]
        return ranked

    def containers(self, part: str) -> list[Place]:
        """The areas a query part may name: countries and first-level regions by name or code
        ("Texas", "TX", "Tex.", "USA", "FR"); else counties and towns of that name."""
        found = [p for p in self.gazetteer.lookup(part) if p.kind in _AREA_KINDS]
        code = part.replace(".", "").strip().upper()
        if code.isalpha() and 2 <= len(code) <= 3:
            country = self.gazetteer.country(code)
            if country is not None and country.kind == "country":
                found.append(country)
            for cc in self._subdivision_countries().get(code, ()):
                region = self.gazetteer.country(f"{cc}-{code}")
                if region is not None and region.kind == "admin1":
                    found.append(region)
        found = list(dict.fromkeys(found))
        return found or [p for p in self.gazetteer.lookup(part) if p.kind in _NEAR_KINDS]

    def _subdivision_countries(self) -> dict[str, list[str]]:
        """Subdivision code suffix ("TX") -> the countries that have it ("US")."""
        if self._subdivisions is None:
            found: dict[str, list[str]] = {}
            for key in self.gazetteer.meta:
                cc, sep, suffix = key.removeprefix("code:").partition("-")
                if key.startswith("code:") and sep and suffix.isalpha():
                    found.setdefault(suffix, []).append(cc)
            self._subdivisions = found
        return self._subdivisions

    # -- reverse --------------------------------------------------------------------------------
    def reverse(
        self, query, *, exactly_one: bool = True, max_km: float | None = None, limit: int | None = None, **_ignored
    ):
        """The town nearest to a point, with its region and country: ``(lat, lon)``, ``"lat, lon"``
        or a geopy Point. None when no town lies within ``max_km`` (default: the geocoder's);
        ``exactly_one=False`` lists up to ``limit`` towns, nearest first. ``raw`` holds the Place's
        fields and ``distance_km``. A point off the globe raises GeocoderQueryError."""
        found = self.nearest(query, limit=1 if exactly_one else limit or REVERSE_CANDIDATES, max_km=max_km)
        if not found:
            return None
        locations = [to_location(p, distance_km=round(km, 3)) for p, km in found]
        return locations[0] if exactly_one else locations

    def nearest(self, query, *, limit: int = 1, max_km: float | None = None) -> list[tuple[Place, float]]:
        """:meth:`reverse`'s answer as ``(Place, km)`` pairs, nearest first."""
        lat, lon = parse_point(query)
        reach = self.max_km if max_km is None else float(max_km)
        return nearest_places(self.gazetteer, lat, lon, k=max(1, int(limit)), max_km=reach)


def _is_facility(name: str) -> bool:
    """Does ``name`` carry a facility word ("Airbase", "Camp", "Air Base")?"""
    return bool(FACILITY_WORDS & set(normalize_name(name).split()))


def parse_point(query) -> tuple[float, float]:
    """``(lat, lon)`` of a reverse query: a pair, a ``"lat, lon"`` string or a geopy Point;
    GeocoderQueryError (a ValueError) for anything else or a point off the globe."""
    try:
        if isinstance(query, Point):
            pair = (query.latitude, query.longitude)
        elif isinstance(query, str):
            pair = _split_pair(query)
        else:
            pair = tuple(query)[:2] if len(query) in (2, 3) else ()
        if len(pair) != 2:
            raise ValueError(f"expected a latitude and a longitude, not {query!r}")
        lat, lon = check_points(pair[0], pair[1])
    except (TypeError, ValueError) as exc:
        raise GeocoderQueryError(str(exc)) from None
    return float(lat[0]), float(lon[0])


def _split_pair(text: str) -> tuple:
    """ "33.3, 44.4" or "33.3 44.4"; other notations ("41.5N 81.7W") through geopy's parser."""
    bits = text.replace(",", " ").split()
    try:
        return tuple(float(b) for b in bits)
    except ValueError:
        pass
    try:
        point = Point(text)
    except ValueError:
        raise ValueError(f'not a point: {text!r} (expected "LAT, LON")') from None
    return point.latitude, point.longitude


def to_location(place: Place, **extra) -> Location:
    """A geopy Location for a gazetteer place; ``raw`` holds every field of the Place (and ``extra``)."""
    parts = [place.name, place.admin1 if place.admin1 != place.name else None, place.country]
    address = ", ".join(p for p in parts if p)
    return Location(address, Point(place.lat, place.lon), {**asdict(place), **extra})
