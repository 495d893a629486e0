"""A store's tables as frames: events and mentions with the columns of ``geomap extract``,
incidents drawn like events, and the other tables as they are.

Every frame with a place has Point geometry (EPSG:4326) from its ``lat``/``lon`` columns (None
where the place is unknown). The events frame has a ``new`` column: True for the rows the last
update added, which the map highlights.
"""

from __future__ import annotations

import json
import os

import geopandas as gpd
import pandas as pd

from geomap.errors import InputError
from geomap.io.export import conform
from geomap.schema import CRS, EVENT_COLUMNS
from geomap.store.db import open_store
from geomap.store.schema import INCIDENT_COLUMNS, TABLES

#: Tables ``geomap extract STORE --table`` writes.
EXPORTABLE = TABLES


def _with_points(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    if "lat" in frame and "lon" in frame:
        lat, lon = pd.to_numeric(frame["lat"]), pd.to_numeric(frame["lon"])
        geometry = gpd.GeoSeries([None] * len(frame), crs=CRS, index=frame.index)
        placed = lat.notna() & lon.notna()
        geometry[placed] = gpd.points_from_xy(lon[placed], lat[placed], crs=CRS)
    else:
        geometry = gpd.GeoSeries([None] * len(frame), crs=CRS, index=frame.index)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS)


def read_table(path: str | os.PathLike, table: str) -> gpd.GeoDataFrame:
    """One table of the store (``events`` and ``mentions`` in geomap's schema dtypes)."""
    if table not in EXPORTABLE:
        raise InputError(f"unknown store table {table!r} (use one of {', '.join(EXPORTABLE)})")
    conn = open_store(path)
    try:
        frame = pd.read_sql_query(f"SELECT * FROM {table} ORDER BY rowid", conn)
        if table == "events":
            last = conn.execute("SELECT MAX(run_id) FROM runs").fetchone()[0]
            frame["new"] = frame["run_id"] == last
    finally:
        conn.close()
    gdf = _with_points(frame)
    if table in ("events", "mentions"):
        gdf = conform(gdf)
    elif table == "incidents":
        gdf["geonameid"] = pd.array(gdf["geonameid"].tolist(), dtype="Int64")
    if table == "articles":
        gdf = gdf.drop(columns="geometry")  # no place: a plain table
        gdf = gpd.GeoDataFrame(gdf, geometry=gpd.GeoSeries([None] * len(gdf), crs=CRS, index=gdf.index), crs=CRS)
    return gdf


def incidents_as_events(path: str | os.PathLike) -> gpd.GeoDataFrame:
    """One events-table row per incident with a place, so the map draws incidents as it draws
    events: its type, date and place; the first report's sentence and source; ``n_sources`` and
    every source in ``sources``; ``new`` when the last update made or grew it."""
    conn = open_store(path)
    try:
        cols = ", ".join(f'"{c}"' for c in INCIDENT_COLUMNS)
        inc = pd.read_sql_query(f"SELECT {cols} FROM incidents ORDER BY incident_id", conn)
        last = conn.execute("SELECT MAX(run_id) FROM runs").fetchone()[0]
    finally:
        conn.close()
    rows = []
    for r in inc.to_dict("records"):
        sources = json.loads(r["sources"]) if r["sources"] else []
        first = sources[0] if sources else {}
        rows.append(
            {
                **{
                    c: r[c]
                    for c in (
                        "event_type",
                        "date",
                        "date_precision",
                        "place_name",
                        "geonameid",
                        "country_code",
                        "country",
                        "admin1",
                        "feature_type",
                        "geo_precision",
                        "lat",
                        "lon",
                        "n_sources",
                    )
                },
                "event_id": f"incident-{r['incident_id']}",
                "doc_id": first.get("doc_id", ""),
                "date_text": "",
                "date_basis": "stated" if r["date"] else "",
                "trigger": "",
                "actors": "",
                "targets": "",
                "sentence": first.get("sentence", ""),
                "sent_start": 0,
                "sent_end": len(first.get("sentence", "")),
                "place_text": r["place_name"] or "",
                "place_start": -1,
                "place_end": -1,
                "place_role": "event" if r["place_name"] else "",
                "confidence": None,
                "geocoder": "",
                "title": first.get("title", ""),
                "url": first.get("url", ""),
                "published": first.get("published", ""),
                "sources": json.dumps(sources, ensure_ascii=False),
                "incident_id": r["incident_id"],
                "first_report": r["first_report"],
                "last_report": r["last_report"],
                "new": r["last_run"] == last,
            }
        )
    frame = pd.DataFrame(rows, columns=[*EVENT_COLUMNS, "incident_id", "first_report", "last_report", "new"])
    return conform(_with_points(frame))
