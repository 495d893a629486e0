"""write_frame round-trips through geopandas for every format; errors are OutputError."""

from __future__ import annotations

import datetime as dt
import os

import geopandas as gpd
import pandas as pd
import pytest

from geomap.errors import OutputError
from geomap.io.export import read_frame, write_frame
from geomap.records import Article, Document, Event, EventPlace, Mention, Place, SourceRef
from geomap.schema import EVENT_COLUMNS, MENTION_COLUMNS
from geomap.tools.frames import events_frame, mentions_frame

BAGHDAD = Place("Baghdad", 33.34, 44.40, kind="city", geonameid=98182, country_code="IQ", country="Iraq")
AIN = Place("Ain al-Asad Air Base", 33.79, 42.44, kind="airport", country_code="IQ")


def _events():
    m1 = Mention("Baghdad", 10, 17, 0, 40, place=BAGHDAD, confidence=0.9)
    m2 = Mention("Ain al-Assad", 50, 62, 41, 90, place=AIN, confidence=0.7)
    quoted = 'He said "harsh revenge", then left; café, 東京.'
    return [
        Event("a", "d", dt.date(2020, 1, 3), "day", "January 3", "assassination", "assassinated", quoted, 0, 40,
              ["US"], ["Soleimani", "al-Muhandis"], [EventPlace(m1)], [SourceRef("d", quoted, 0, 40, "T", "u", dt.date(2020, 3, 11))]),
        Event("b", "d", dt.date(2020, 1, 8), "day", "January 8", "strike", "strikes", "s2", 41, 90,
              places=[EventPlace(m2)]),
        Event("c", "d", None, "unknown", "", "casualties", "toll", "s3", 91, 120),
    ]


FORMATS = ["geojson", "csv", "parquet", "gpkg"]


@pytest.mark.parametrize("ext", FORMATS)
def test_events_round_trip(tmp_path, ext):
    gdf = events_frame(_events())
    path = write_frame(gdf, tmp_path / f"events.{ext}")
    assert path.exists() and [p.name for p in tmp_path.iterdir()] == [f"events.{ext}"]  # no temp left
    back = read_frame(path)
    assert list(back.columns) == list(gdf.columns)
    pd.testing.assert_frame_equal(pd.DataFrame(back.drop(columns="geometry")), pd.DataFrame(gdf.drop(columns="geometry")))
    assert back.geometry.iloc[2] is None
    assert back.geometry.iloc[0].equals(gdf.geometry.iloc[0])
    assert back.crs.to_epsg() == 4326


@pytest.mark.parametrize("ext", ["parquet", "gpkg", "geojson"])
def test_plain_geopandas_readers(tmp_path, ext):
    gdf = events_frame(_events())
    path = write_frame(gdf, tmp_path / f"e.{ext}")
    back = gpd.read_parquet(path) if ext == "parquet" else gpd.read_file(path)
    assert list(back.columns) == list(gdf.columns)
    assert back.geometry.iloc[2] is None and back.geometry.iloc[0].equals(gdf.geometry.iloc[0])
    assert back["event_id"].tolist() == ["a", "b", "c"]
    if ext == "parquet":  # GeoParquet keeps every dtype, nullable Int64 included
        assert back.dtypes.equals(gdf.dtypes)
    elif ext == "gpkg":  # GeoPackage keeps all but the nullable integer
        differ = [c for c in EVENT_COLUMNS if str(back[c].dtype) != EVENT_COLUMNS[c]]
        assert differ == ["geonameid"]


def test_csv_has_lat_lon_and_wkt(tmp_path):
    path = write_frame(events_frame(_events()), tmp_path / "e.csv")
    raw = pd.read_csv(path, keep_default_na=False)
    assert {"lat", "lon", "wkt"} <= set(raw.columns)
    assert raw.loc[0, "wkt"] == "POINT (44.4 33.34)" and raw.loc[2, "wkt"] == ""


@pytest.mark.parametrize("ext", FORMATS)
def test_mentions_round_trip(tmp_path, ext):
    art = Article("Baghdad and Ain al-Assad.", "d", published=dt.date(2020, 3, 11))
    doc = Document(art, mentions=[Mention("Baghdad", 0, 7, 0, 25, place=BAGHDAD, doc_id="d"),
                                  Mention("Kurdistan", 12, 24, 0, 25, doc_id="d")])
    gdf = mentions_frame([doc])
    back = read_frame(write_frame(gdf, tmp_path / f"m.{ext}"))
    assert {c: str(back[c].dtype) for c in MENTION_COLUMNS} == MENTION_COLUMNS
    pd.testing.assert_frame_equal(pd.DataFrame(back.drop(columns="geometry")), pd.DataFrame(gdf.drop(columns="geometry")))


def test_overwrite_is_atomic_and_replaces(tmp_path):
    path = tmp_path / "e.geojson"
    path.write_text("old")
    write_frame(events_frame(_events()), path)
    assert len(gpd.read_file(path)) == 3


def test_unknown_extension_and_format(tmp_path):
    with pytest.raises(OutputError, match=r"\.xlsx"):
        write_frame(events_frame(_events()), tmp_path / "e.xlsx")
    with pytest.raises(OutputError):
        write_frame(events_frame(_events()), tmp_path / "e.geojson", fmt="shapefile")
    assert write_frame(events_frame(_events()), tmp_path / "e.out", fmt="parquet").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_unwritable_directory(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(OutputError):
            write_frame(events_frame(_events()), locked / "e.csv")
    finally:
        locked.chmod(0o700)
