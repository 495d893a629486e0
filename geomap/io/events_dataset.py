"""Read an events table back for mapping: a .parquet/.geojson/.gpkg/.csv file written by
``--events``, or a folder of (partitioned) GeoParquet files such as a distributed run writes."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geomap.errors import InputError
from geomap.io.export import conform, read_frame
from geomap.schema import CRS

#: File types that hold an events table, never article text.
EVENT_SUFFIXES = (".parquet", ".geoparquet", ".geojson", ".gpkg")


def _parquet_parts(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.parquet") if p.is_file() and not p.name.startswith(("_", ".")))


def is_events_dataset(path: str | os.PathLike) -> bool:
    """True for a file with an events-table suffix or a folder holding .parquet parts (never a URL)."""
    if "://" in str(path):
        return False
    from geomap.store.db import is_store

    path = Path(path)
    if path.is_dir():
        return bool(_parquet_parts(path))
    return path.suffix.lower() in EVENT_SUFFIXES or is_store(path)


def read_events_dataset(path: str | os.PathLike, *, incidents: bool = False) -> gpd.GeoDataFrame:
    """One events GeoDataFrame (schema dtypes) from a file or a folder of parquet parts, or an
    event store's events (``incidents``: its incidents, drawn as events; docs/store.md)."""
    from geomap.store.db import is_store

    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if is_store(path):
        from geomap.store.frames import incidents_as_events, read_table

        return incidents_as_events(path) if incidents else read_table(path, "events")
    if incidents:
        raise InputError(f"{path}: an incidents map needs an event store (made by `geomap update`)")
    try:
        if path.is_dir():
            parts = _parquet_parts(path)
            if not parts:
                raise InputError(f"{path}: no .parquet files in this folder")
            frames = [gpd.read_parquet(p) for p in parts]
            frame = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs or CRS)
        elif path.suffix.lower() == ".geoparquet":
            frame = gpd.read_parquet(path)
        else:
            frame = read_frame(path)
    except InputError:
        raise
    except Exception as exc:  # a damaged or foreign file: one line, not a traceback
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError(f"{path}: not a readable events table ({first})") from exc
    if "event_id" not in frame.columns or "event_type" not in frame.columns:
        raise InputError(f"{path}: not an events table (no event_id/event_type columns)")
    return conform(frame)
