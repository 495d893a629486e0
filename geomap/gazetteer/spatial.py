"""The nearest town to a point: a spatial index over a gazetteer's populated places.

Points become unit vectors on the sphere, so a k-d tree's straight-line (chord) distance orders
neighbours exactly as the great-circle distance does, and the antimeridian and the poles need no
special case. The index holds only the towns' points and codes (not their records), is built on
first use (a second or two for the 235,000 towns of the default gazetteer) and is kept once per
gazetteer. Queries take arrays: thousands of points are answered in one call.

>>> place, km = nearest_place(gaz, 33.3, 44.4)          # Baghdad, ~5 km
>>> admin1_at(gaz, 40.69, -89.59)                        # ('US', 'US-IL'): Peoria lies in Illinois
>>> countries, regions = areas_at(gaz, lats, lons)      # the same for arrays of points
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING

import numpy as np

from geomap.records import Place
from geomap.tools.distance import EARTH_RADIUS_KM

if TYPE_CHECKING:
    from geomap.gazetteer.store import Gazetteer

#: The place kinds a reverse geocoder answers with: populated places.
TOWN_KINDS = ("city",)
#: A point farther than this from every town is "nowhere" for reverse geocoding (open ocean, ice).
DEFAULT_MAX_KM = 100.0

_LOCK = threading.Lock()
_INDEXES: weakref.WeakKeyDictionary[Gazetteer, PlaceIndex] = weakref.WeakKeyDictionary()


def check_points(lats, lons) -> tuple[np.ndarray, np.ndarray]:
    """``lats``, ``lons`` as float arrays of one shape; ValueError for a latitude outside -90..90,
    a longitude outside -180..180, or a value that is not a number."""
    try:
        lat = np.atleast_1d(np.asarray(lats, dtype=float))
        lon = np.atleast_1d(np.asarray(lons, dtype=float))
    except (TypeError, ValueError):
        raise ValueError(f"coordinates must be numbers, not {lats!r}, {lons!r}") from None
    if lat.shape != lon.shape:
        raise ValueError(f"{lat.size} latitudes but {lon.size} longitudes")
    if not (np.isfinite(lat).all() and np.isfinite(lon).all()):
        raise ValueError("coordinates must be finite numbers")
    if (np.abs(lat) > 90).any():
        raise ValueError(f"latitude must lie in -90..90, not {lat[np.abs(lat) > 90][0]:g}")
    if (np.abs(lon) > 180).any():
        raise ValueError(f"longitude must lie in -180..180, not {lon[np.abs(lon) > 180][0]:g}")
    return lat, lon


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)))


class PlaceIndex:
    """Nearest-neighbour queries over the places of some kinds (by default towns)."""

    def __init__(self, gazetteer: Gazetteer, kinds: tuple[str, ...] = TOWN_KINDS) -> None:
        from scipy.spatial import cKDTree

        rows = gazetteer.points(kinds)
        self.gazetteer = gazetteer
        self.kinds = kinds
        self.ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        lat = np.fromiter((r[1] for r in rows), dtype=float, count=len(rows))
        lon = np.fromiter((r[2] for r in rows), dtype=float, count=len(rows))
        self.country_codes = np.array([r[3] for r in rows], dtype=object)
        self.admin1_codes = np.array([r[4] for r in rows], dtype=object)
        self._tree = cKDTree(_unit_vectors(lat, lon)) if rows else None

    def __len__(self) -> int:
        return int(self.ids.size)

    def query(self, lats, lons, k: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """Positions in the index of the ``k`` nearest places to each point, and their great-circle
        distances in km: arrays of shape ``(n,)`` for ``k == 1``, else ``(n, k)``, nearest first
        (position ``len(self)`` and distance ``inf`` where fewer than ``k`` places exist)."""
        lat, lon = check_points(lats, lons)
        if self._tree is None:
            shape = (lat.size,) if k == 1 else (lat.size, k)
            return np.full(shape, len(self)), np.full(shape, np.inf)
        chord, pos = self._tree.query(_unit_vectors(lat, lon), k=k)
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord / 2, 0.0, 1.0))
        return pos, np.where(np.isfinite(chord), km, np.inf)

    def place(self, position: int) -> Place:
        """The gazetteer record at a position of :meth:`query`."""
        found = self.gazetteer.by_id(int(self.ids[position]))
        if found is None:  # the file changed under an open gazetteer
            raise LookupError(f"place {int(self.ids[position])} is gone from {self.gazetteer.path}")
        return found


def place_index(gazetteer: Gazetteer) -> PlaceIndex:
    """The town index of ``gazetteer``, built on first use and shared afterwards."""
    with _LOCK:
        index = _INDEXES.get(gazetteer)
        if index is None:
            index = _INDEXES[gazetteer] = PlaceIndex(gazetteer)
        return index


def nearest_places(
    gazetteer: Gazetteer, lat: float, lon: float, *, k: int = 1, max_km: float | None = None
) -> list[tuple[Place, float]]:
    """The ``k`` towns nearest to one point with their distances in km, nearest first; only
    those within ``max_km`` when it is given. ValueError for a point off the globe."""
    index = place_index(gazetteer)
    pos, km = index.query(lat, lon, k=k)
    pos, km = np.atleast_1d(pos[0]), np.atleast_1d(km[0])
    keep = np.isfinite(km) & (km <= (np.inf if max_km is None else max_km))
    return [(index.place(p), float(d)) for p, d in zip(pos[keep], km[keep])]


def nearest_place(
    gazetteer: Gazetteer, lat: float, lon: float, *, max_km: float | None = None
) -> tuple[Place, float] | None:
    """The town nearest to a point and its distance in km (None beyond ``max_km``, or for an
    empty gazetteer)."""
    found = nearest_places(gazetteer, lat, lon, max_km=max_km)
    return found[0] if found else None


def areas_at(gazetteer: Gazetteer, lats, lons) -> tuple[np.ndarray, np.ndarray]:
    """Country codes and first-level region codes ("US", "US-IL") of the towns nearest to many
    points at once: the areas the points most likely lie in. Object arrays aligned with the
    input (None where the nearest town has no region, or the gazetteer no towns).

    The nearest town stands in for an outline: right away from borders, and wrong for a point
    closer to a town across a border than to any on its own side.
    """
    index = place_index(gazetteer)
    pos, _ = index.query(lats, lons)
    found = pos < len(index)
    countries = np.full(pos.shape, None, dtype=object)
    regions = np.full(pos.shape, None, dtype=object)
    countries[found] = index.country_codes[pos[found]]
    regions[found] = index.admin1_codes[pos[found]]
    return countries, regions


def admin1_at(gazetteer: Gazetteer, lat: float, lon: float) -> tuple[str | None, str | None]:
    """``(country code, admin1 code)`` of the area a point most likely lies in (see :func:`areas_at`)."""
    countries, regions = areas_at(gazetteer, lat, lon)
    return countries[0], regions[0]
