"""Is a place inside an area? The one home of that rule, read by the resolver's document cues,
the offline geocoder's "name, container" queries and the event places.

By the gazetteer's codes where an area has them (a country, a first-level region), by the
region's name where a place carries only that (airports), and by the one "near" distance for a
town's or county's surroundings.
"""

from __future__ import annotations

from geomap.gazetteer.heads import ADMIN_HEADS
from geomap.gazetteer.normalize import normalize_name
from geomap.records import Place
from geomap.tools.distance import NEAR_KM, place_km

_GENERIC_WORDS = frozenset(ADMIN_HEADS)
#: Kinds that may lie at a town: what is no broader than one.
_AT_TOWN = ("site", "airport", "city")


def region_key(name: str | None) -> str:
    """A region's name without its administrative head ("Al Anbar Governorate" = "Anbar")."""
    return " ".join(w for w in normalize_name(name or "").split() if w not in _GENERIC_WORDS)


def lies_in(p: Place, area: Place) -> bool:
    """Does ``p`` lie in ``area``: a country by its code; a first- or second-level region by the
    first-level code (or the region's name, for a place that carries only that, like airports); a
    town within :data:`~geomap.tools.distance.NEAR_KM` of its point (sites, airports and towns
    only). A place never lies in itself."""
    if p is area:
        return False
    if area.kind == "country":
        return p.country_code == area.country_code and p.kind != "country"
    if area.kind in ("admin1", "admin2"):
        if p.admin1_code:
            return p.admin1_code == area.admin1_code
        # airports carry their region's name only
        return (
            bool(p.admin1)
            and p.country_code == area.country_code
            and region_key(p.admin1) in {region_key(area.name), region_key(area.admin1)} - {""}
        )
    if area.kind == "city":
        return p.kind in _AT_TOWN and place_km(p, area) < NEAR_KM
    return False
