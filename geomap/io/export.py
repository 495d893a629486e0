"""Write (and read back) geomap GeoDataFrames as GeoJSON, CSV, GeoParquet or GeoPackage.

Writes are atomic. GeoParquet keeps every dtype as is; GeoPackage keeps all but nullable
integers (read as float where a value is missing); GeoJSON and CSV carry no schema, so
:func:`read_frame` restores the schema dtypes of geomap's event and mention frames.
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely import wkt as shapely_wkt

from geomap.errors import InputError, OutputError
from geomap.io.atomic import atomic_path
from geomap.schema import CRS, EVENT_COLUMNS, MENTION_COLUMNS

#: Extension → format name.
FORMATS = {
    ".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".parquet": "parquet",
    ".geoparquet": "parquet", ".gpkg": "gpkg",
}
#: Name of the CSV column holding the geometry as WKT (empty when the place is unknown).
WKT_COLUMN = "wkt"


def format_for(path: str | os.PathLike, fmt: str | None = None) -> str:
    """The export format named by ``fmt`` or by the file extension; OutputError if unknown."""
    if fmt is not None:
        name = fmt.lower().lstrip(".")
        name = FORMATS.get(f".{name}", name)
        if name not in set(FORMATS.values()):
            raise OutputError(f"unknown output format {fmt!r} (use geojson, csv, parquet or gpkg)")
        return name
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise OutputError(
            f"{path}: cannot tell the output format from {suffix or 'no extension'!r} "
            "(use .geojson, .csv, .parquet or .gpkg)"
        )
    return FORMATS[suffix]


def write_frame(gdf: gpd.GeoDataFrame, path: str | os.PathLike, *, fmt: str | None = None) -> Path:
    """Write ``gdf`` to ``path`` atomically in the format its extension names; returns the path."""
    target = Path(path)
    kind = format_for(target, fmt)
    try:
        with atomic_path(target) as tmp:
            if kind == "parquet":
                gdf.to_parquet(tmp, index=False)
            elif kind == "csv":
                _to_csv(gdf).to_csv(tmp, index=False)
            else:
                tmp.unlink()  # OGR drivers create the file themselves
                driver = "GeoJSON" if kind == "geojson" else "GPKG"
                layer = {"layer": target.stem} if kind == "gpkg" else {}
                with warnings.catch_warnings():
                    # The temp file's ".tmp" name is only a stand-in for the final ".gpkg" one.
                    warnings.filterwarnings("ignore", message=".*filename extension should be")
                    gdf.to_file(tmp, driver=driver, engine="pyogrio", **layer)
    except OutputError:
        raise
    except (OSError, ValueError, RuntimeError) as exc:
        raise OutputError(f"cannot write {target}: {exc}") from None
    return target


def _to_csv(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
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
        frame = pd.read_csv(source, dtype=str, keep_default_na=False)
        wkts = frame.pop(WKT_COLUMN) if WKT_COLUMN in frame else pd.Series([""] * len(frame))
        geometry = [shapely_wkt.loads(w) if w else None for w in wkts]
        gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=CRS), crs=CRS)
    else:
        gdf = gpd.read_file(source, engine="pyogrio")
    return conform(gdf)


def conform(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Cast the columns of a geomap events or mentions frame back to the schema dtypes."""
    columns = EVENT_COLUMNS if "event_id" in gdf.columns else MENTION_COLUMNS
    for name, dtype in columns.items():
        if name not in gdf.columns:
            continue
        col = gdf[name]
        if dtype == "str":
            gdf[name] = col.map(_as_text).astype("str")
        elif dtype == "Int64":
            gdf[name] = pd.to_numeric(col.replace("", None)).astype("Int64")
        elif dtype == "int64":
            gdf[name] = pd.to_numeric(col).astype("int64")
        else:
            gdf[name] = pd.to_numeric(col.replace("", None)).astype(dtype)
    geometry = [g if g is not None and not g.is_empty else None for g in gdf.geometry]
    gdf = gdf.set_geometry(gpd.GeoSeries(geometry, crs=gdf.crs or CRS, index=gdf.index))
    order = [c for c in columns if c in gdf.columns]
    rest = [c for c in gdf.columns if c not in columns]
    return gdf[order + rest]


def _as_text(value) -> str:
    """Strings stay; JSON fields OGR parsed into lists/dicts go back to JSON text; NaN → ''."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (dt.date, pd.Timestamp)):
        # OGR reads ISO date strings as dates; geomap keeps them as ISO text.
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    if value is pd.NaT:
        return ""
    import json

    try:
        return json.dumps(value, ensure_ascii=False)
    except TypeError:
        return str(value)


__all__ = ["FORMATS", "WKT_COLUMN", "conform", "format_for", "read_frame", "write_frame"]
