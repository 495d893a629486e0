"""Write (and read back) geomap GeoDataFrames as GeoJSON, CSV, GeoParquet, GeoPackage, KML or Shapefile.

Writes are atomic (a Shapefile's files are all staged and replace the old ones together).
GeoParquet keeps every dtype as is; GeoPackage keeps all but nullable
integers (read as float where a value is missing); GeoJSON, CSV and KML carry no schema, so
:func:`read_frame` restores the schema dtypes of geomap's event and mention frames. KML is for
Google Earth (:mod:`geomap.io.kml`); a Shapefile has short field names and cut text
(:mod:`geomap.io.shapefile`).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely import wkt as shapely_wkt

from geomap.errors import InputError, OutputError
from geomap.io.atomic import staged
from geomap.io.kml import read_kml, write_kml
from geomap.io.shapefile import long_names, shapefile_files, write_shapefile
from geomap.schema import CRS, EVENT_COLUMNS, MENTION_COLUMNS, cast_columns

#: Extension → format name.
FORMATS = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".csv": "csv",
    ".parquet": "parquet",
    ".geoparquet": "parquet",
    ".gpkg": "gpkg",
    ".kml": "kml",
    ".shp": "shp",
    ".shp.zip": "shp.zip",
}
#: How the formats are named in messages.
FORMAT_LIST = "geojson, csv, parquet, gpkg, kml, shp or shp.zip"
EXTENSION_LIST = ".geojson, .csv, .parquet, .gpkg, .kml, .shp or .shp.zip"


def _suffix(path: str | os.PathLike) -> str:
    """The extension that names the format: ``.shp.zip`` counts as one."""
    name = Path(path).name.lower()
    return ".shp.zip" if name.endswith(".shp.zip") else Path(name).suffix


#: Name of the CSV column holding the geometry as WKT (empty when the place is unknown).
WKT_COLUMN = "wkt"


def format_for(path: str | os.PathLike, fmt: str | None = None) -> str:
    """The export format named by ``fmt`` or by the file extension; OutputError if unknown."""
    if fmt is not None:
        name = fmt.lower().lstrip(".")
        name = FORMATS.get(f".{name}", name)
        if name not in set(FORMATS.values()):
            raise OutputError(f"unknown output format {fmt!r} (use {FORMAT_LIST})")
        return name
    suffix = _suffix(path)
    if suffix not in FORMATS:
        raise OutputError(
            f"{path}: cannot tell the output format from {suffix or 'no extension'!r} (use {EXTENSION_LIST})"
        )
    return FORMATS[suffix]


def output_files(path: str | os.PathLike, fmt: str | None = None) -> list[Path]:
    """Every file a frame written to ``path`` makes: the path itself, and for a ``.shp`` the
    ``.shx``, ``.dbf``, ``.prj`` and ``.cpg`` beside it (stage them all to replace them together)."""
    target = Path(path)
    return shapefile_files(target) if format_for(target, fmt) == "shp" else [target]


def write_frame(gdf: gpd.GeoDataFrame, path: str | os.PathLike, *, fmt: str | None = None) -> Path:
    """Write ``gdf`` to ``path`` atomically in the format its extension names; returns the path."""
    target = Path(path)
    kind = format_for(target, fmt)
    try:
        # The staging file has the target's own name (in a hidden folder beside it), so what OGR
        # names after the file -- a GeoJSON's "name" member, a GeoPackage layer -- is the final name.
        with staged(output_files(target, fmt)) as paths:
            tmp = paths[0]
            if kind == "parquet":
                gdf.to_parquet(tmp, index=False)
            elif kind == "csv":
                frame = _to_csv(gdf)
                # Python's csv quotes a field with "\n" but not one with a bare "\r", which a reader
                # takes for a line end: a text with one has every field quoted.
                quoting = csv.QUOTE_ALL if _has_cr(frame) else csv.QUOTE_MINIMAL
                frame.to_csv(tmp, index=False, quoting=quoting)
            elif kind == "kml":
                with open(tmp, "wb") as out:
                    write_kml(gdf, out, name=target.stem)
            elif kind in ("shp", "shp.zip"):
                write_shapefile(gdf, tmp)
            else:
                driver = "GeoJSON" if kind == "geojson" else "GPKG"
                gdf.to_file(tmp, driver=driver, engine="pyogrio", layer=target.stem)
    except OutputError:
        raise
    except (OSError, ValueError, RuntimeError) as exc:
        raise OutputError(f"cannot write {target}: {exc}") from None
    return target


#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet shows as text: a leading ``= + - @`` (tab, CR) gets a
    ``'`` in front. Text already of the form ``'…'=…`` gets one more, so :func:`csv_unsafe`
    gives back exactly the original."""
    if text.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_unsafe(text: str) -> str:
    """The inverse of :func:`csv_safe` (for reading geomap's own CSV back)."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _text_columns(frame: pd.DataFrame) -> list:
    return [
        name for name in frame.columns if frame[name].dtype == object or pd.api.types.is_string_dtype(frame[name].dtype)
    ]


def _has_cr(frame: pd.DataFrame) -> bool:
    return any(isinstance(v, str) and "\r" in v for name in _text_columns(frame) for v in frame[name])


def _to_csv(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    for name in _text_columns(frame):
        frame[name] = frame[name].map(lambda v: csv_safe(v) if isinstance(v, str) else v)
    geoms = gdf.geometry
    frame[WKT_COLUMN] = [g.wkt if g is not None and not g.is_empty else "" for g in geoms]
    if "lat" not in frame:
        frame["lat"] = [g.y if g is not None and not g.is_empty else float("nan") for g in geoms]
        frame["lon"] = [g.x if g is not None and not g.is_empty else float("nan") for g in geoms]
    return frame


def read_frame(path: str | os.PathLike, *, fmt: str | None = None) -> gpd.GeoDataFrame:
    """Read a file written by :func:`write_frame`, restoring geomap's schema dtypes."""
    source = Path(path)
    kind = format_for(source, fmt)
    if not source.exists():
        raise InputError(f"{source}: no such file")
    if kind == "parquet":
        gdf = gpd.read_parquet(source)
    elif kind == "csv":
        frame = pd.read_csv(source, dtype=str, keep_default_na=False).map(csv_unsafe)
        wkts = frame.pop(WKT_COLUMN) if WKT_COLUMN in frame else pd.Series([""] * len(frame))
        geometry = [shapely_wkt.loads(w) if w else None for w in wkts]
        gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=CRS), crs=CRS)
    else:
        ours = read_kml(source) if kind == "kml" else None
        gdf = ours if ours is not None else gpd.read_file(source, engine="pyogrio")
        if kind in ("shp", "shp.zip"):
            gdf = long_names(gdf)
    return conform(gdf)


def conform(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Cast the columns of a geomap events or mentions frame back to the schema dtypes
    (:func:`geomap.schema.cast_columns`), empty geometries to None, the schema's columns first."""
    columns = EVENT_COLUMNS if "event_id" in gdf.columns else MENTION_COLUMNS
    cast_columns(gdf, columns)
    geometry = [g if g is not None and not g.is_empty else None for g in gdf.geometry]
    gdf = gdf.set_geometry(gpd.GeoSeries(geometry, crs=gdf.crs or CRS, index=gdf.index))
    order = [c for c in columns if c in gdf.columns]
    rest = [c for c in gdf.columns if c not in columns]
    return gdf[order + rest]


__all__ = [
    "FORMATS",
    "WKT_COLUMN",
    "conform",
    "csv_safe",
    "csv_unsafe",
    "format_for",
    "output_files",
    "read_frame",
    "write_frame",
]
