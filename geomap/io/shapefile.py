"""Shapefile (ESRI) through GDAL: the limits of the format and how geomap works around them.

- A dBase field name has at most 10 characters. geomap's longer column names get the fixed
  short names of :data:`SHORT_NAMES` (``date_precision`` → ``date_prec`` …), and :func:`long_names`
  turns them back when the file is read. Other long names are cut to 10 characters (made unique
  with a number).
- A text field holds at most 254 bytes: longer text (a long sentence, the ``sources`` JSON) is
  cut at a character boundary. Use GeoPackage or GeoParquet to keep every character.
- The text is UTF-8 (a ``.cpg`` file says so); a Shapefile is the ``.shp`` with its ``.shx``,
  ``.dbf``, ``.prj`` and ``.cpg``, or all of them in one ``.shp.zip``.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

#: Files that make up one Shapefile, after the ``.shp`` itself.
SIDECARS = (".shx", ".dbf", ".prj", ".cpg")
MAX_NAME = 10
MAX_TEXT_BYTES = 254
#: geomap column → its Shapefile field name (every schema column longer than 10 characters).
SHORT_NAMES = {
    "date_precision": "date_prec",
    "place_start": "place_beg",
    "country_code": "country_cd",
    "feature_type": "feat_type",
    "feature_code": "feat_code",
    "geo_precision": "geo_prec",
}


def shapefile_files(shp: Path) -> list[Path]:
    """The ``.shp`` and the files GDAL writes beside it."""
    return [shp, *(shp.with_suffix(ext) for ext in SIDECARS)]


def short_names(columns: list[str]) -> dict[str, str]:
    """Column → field name of at most 10 characters, unique (case-insensitively, as dBase compares)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        name = SHORT_NAMES.get(column, column)[:MAX_NAME]
        n = 1
        while name.lower() in taken:
            suffix = str(n)
            name = SHORT_NAMES.get(column, column)[: MAX_NAME - len(suffix)] + suffix
            n += 1
        taken.add(name.lower())
        out[column] = name
    return out


def long_names(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A frame read from a Shapefile with geomap's column names back."""
    back = {short: long for long, short in SHORT_NAMES.items() if short in gdf.columns}
    return gdf.rename(columns=back)


def _cut(value):
    if not isinstance(value, str):
        return value
    data = value.encode("utf-8")
    if len(data) <= MAX_TEXT_BYTES:
        return value
    return data[:MAX_TEXT_BYTES].decode("utf-8", errors="ignore")


def write_shapefile(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Write ``gdf`` as a Shapefile at ``path`` (``.shp``, or ``.shp.zip`` for one zipped file)."""
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    frame = gdf.rename(columns=short_names(columns))
    for column in frame.columns:
        if column != frame.geometry.name and (
            frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column].dtype)
        ):
            frame[column] = frame[column].map(_cut)
    # a frame whose places are all unknown still makes a Point layer
    kinds = {g.geom_type for g in frame.geometry if g is not None and not g.is_empty}
    geometry_type = "Point" if kinds <= {"Point"} else None
    frame.to_file(path, driver="ESRI Shapefile", engine="pyogrio", encoding="UTF-8", geometry_type=geometry_type)


__all__ = [
    "MAX_TEXT_BYTES",
    "SHORT_NAMES",
    "SIDECARS",
    "long_names",
    "shapefile_files",
    "short_names",
    "write_shapefile",
]
