"""Offline base map: simplified country outlines from an installed package.

The ``countryinfo`` package (MIT licence) ships a GeoJSON FeatureCollection of
each country's outline in its ``data/*.json`` files. They are read once per
process, simplified and rounded so the layer inlined into every map page stays
small, and returned as one GeoJSON GeometryCollection of MultiPolygons.

Known gaps of that data: a few countries have no outline there (among them
Hungary, Serbia, Montenegro, Kosovo and Myanmar) and small islands are missing;
those areas show as sea.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from shapely import set_precision
from shapely.geometry import MultiPolygon, Polygon, shape

from geomap.errors import OutputError

#: Simplification tolerance in degrees; the source is already a small-scale
#: world outline, so this mostly drops near-collinear points.
TOLERANCE = 0.05
#: Decimals kept (0.01 degree is about 1 km, finer than the source's accuracy).
DECIMALS = 2


def _source_features() -> list[dict[str, Any]]:
    """Outline features from countryinfo's data files, one per country id."""
    try:
        data = resources.files("countryinfo").joinpath("data")
        files = sorted((p for p in data.iterdir() if p.name.endswith(".json")), key=lambda p: p.name)
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError) as exc:
        raise OutputError("offline country outlines need the python package 'countryinfo'") from exc
    seen: dict[str, dict[str, Any]] = {}
    for path in files:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # one unreadable file costs one country, not the map
        collection = record.get("geoJSON") if isinstance(record, dict) else None
        if not isinstance(collection, dict):
            continue
        for feature in collection.get("features") or []:
            geometry = feature.get("geometry") if isinstance(feature, dict) else None
            if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
                continue
            # several files (aliases such as two Vatican names) share one outline
            key = str(feature.get("id") or (feature.get("properties") or {}).get("name") or path.name)
            seen.setdefault(key, geometry)
    return [seen[k] for k in sorted(seen)]


def _polygons(geom: Any) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return [g for part in getattr(geom, "geoms", []) for g in _polygons(part)]


def _multipolygon(geometry: dict[str, Any], tolerance: float, decimals: int) -> list | None:
    """MultiPolygon coordinates of one outline, simplified and rounded; None if nothing is left."""
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError, KeyError):
        return None
    simple = geom.simplify(tolerance, preserve_topology=True) if tolerance > 0 else geom
    # each point snapped to a grid of 10^-decimals degrees ("pointwise": the source outlines are
    # not all valid, so no topology is rebuilt)
    grid = set_precision(simple, 10.0 ** -decimals, mode="pointwise")
    polygons = []
    for poly in _polygons(grid):
        # round() only drops the float noise GEOS < 3.12 leaves on snapped values (62.230000000000004)
        rings = [[[round(x, decimals), round(y, decimals)] for x, y in ring.coords]
                 for ring in (poly.exterior, *poly.interiors)]
        # snapping can collapse a tiny island to a point or a line
        if len({tuple(p) for p in rings[0]}) >= 3:
            polygons.append(rings)
    return polygons or None


@lru_cache(maxsize=4)
def country_outlines(tolerance: float = TOLERANCE, decimals: int = DECIMALS) -> dict[str, Any]:
    """Country outlines as a GeoJSON GeometryCollection of MultiPolygons (cached per process).

    Treat the result as read-only: it is shared by every map of the process.
    """
    geometries = []
    for geometry in _source_features():
        coords = _multipolygon(geometry, tolerance, decimals)
        if coords:
            geometries.append({"type": "MultiPolygon", "coordinates": coords})
    if not geometries:
        raise OutputError("offline country outlines: the 'countryinfo' package has no outline data")
    return {"type": "GeometryCollection", "geometries": geometries}


@lru_cache(maxsize=4)
def country_outlines_json(tolerance: float = TOLERANCE, decimals: int = DECIMALS) -> str:
    """:func:`country_outlines` as compact JSON text (numbers only, safe in a script)."""
    return json.dumps(country_outlines(tolerance, decimals), separators=(",", ":"))


@lru_cache(maxsize=1)
def country_records() -> tuple[tuple[str, dict[str, Any], dict[str, Any] | None], ...]:
    """(ISO alpha-2 code, countryinfo record, outline geometry or None), one per country, from
    the same countryinfo files; () when the package is missing. Read-only, cached."""
    try:
        data = resources.files("countryinfo").joinpath("data")
        files = sorted((p for p in data.iterdir() if p.name.endswith(".json")), key=lambda p: p.name)
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        return ()
    out: dict[str, tuple[str, dict[str, Any], dict[str, Any] | None]] = {}
    for path in files:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(record, dict):
            continue
        code = str((record.get("ISO") or {}).get("alpha2") or "").upper()
        if len(code) != 2 or code in out:
            continue
        collection = record.get("geoJSON")
        features = collection.get("features") if isinstance(collection, dict) else None
        outline = next((f["geometry"] for f in features or [] if isinstance(f, dict)
                        and isinstance(f.get("geometry"), dict)
                        and f["geometry"].get("type") in ("Polygon", "MultiPolygon")), None)
        out[code] = (code, record, outline)
    return tuple(out.values())


@lru_cache(maxsize=1)
def _outlines_by_code() -> dict[str, dict[str, Any]]:
    """ISO 3166 alpha-2 code -> outline geometry."""
    return {code: outline for code, _, outline in country_records() if outline is not None}


@lru_cache(maxsize=256)
def country_outline(code: str, tolerance: float = TOLERANCE, decimals: int = DECIMALS) -> dict[str, Any] | None:
    """One country's outline (ISO alpha-2 code, any case) as a GeoJSON MultiPolygon, or None
    when the offline data has none (see the module's known gaps). Numbers only, read-only."""
    geometry = _outlines_by_code().get(str(code or "").upper())
    coords = _multipolygon(geometry, tolerance, decimals) if geometry else None
    return {"type": "MultiPolygon", "coordinates": coords} if coords else None
