"""Great-circle distances, shared by resolution, online geocoding and evaluation."""

from __future__ import annotations

import math

from geomap.records import Place

#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0088
#: The one "near" distance: a place this close to a town's or county's point lies in or at it, and
#: two points this close are one place (namesakes in the gazetteer build, an online answer against
#: the offline one).
NEAR_KM = 50.0
#: Local news: every place a text names below country level lies within this of its town (the
#: events' locality, and the town a street or a building the text puts nowhere is placed in).
LOCAL_KM = 80.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two (lat, lon) points in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    # min() guards against rounding pushing a just above 1 for antipodal points
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def place_km(a: Place, b: Place) -> float:
    """Great-circle distance in km between two places."""
    return haversine_km(a.lat, a.lon, b.lat, b.lon)
