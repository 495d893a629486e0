"""write_frame round-trips through geopandas for every format; errors are OutputError."""

from __future__ import annotations

import datetime as dt
import os

import geopandas as gpd
import pandas as pd
import pytest

from geomap.errors import OutputError
from geomap.io.export import output_files, read_frame, write_frame
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
        Event(
            "a",
            "d",
            dt.date(2020, 1, 3),
            "day",
            "January 3",
            "assassination",
            "assassinated",
            quoted,
            0,
            40,
            ["US"],
            ["Soleimani", "al-Muhandis"],
            [EventPlace(m1)],
            [SourceRef("d", quoted, 0, 40, "T", "u", dt.date(2020, 3, 11))],
        ),
        Event(
            "b",
            "d",
            dt.date(2020, 1, 8),
            "day",
            "January 8",
            "strike",
            "strikes",
            "s2",
            41,
            90,
            places=[EventPlace(m2)],
        ),
        Event("c", "d", None, "unknown", "", "casualties", "toll", "s3", 91, 120),
    ]


FORMATS = ["geojson", "csv", "parquet", "gpkg", "kml", "shp", "shp.zip"]


@pytest.mark.parametrize("ext", FORMATS)
def test_events_round_trip(tmp_path, ext):
    gdf = events_frame(_events())
    path = write_frame(gdf, tmp_path / f"events.{ext}")
    made = sorted(p.name for p in tmp_path.iterdir())  # no temporary file left
    assert made == sorted(p.name for p in output_files(path))
    assert made == ([f"events.{e}" for e in ("cpg", "dbf", "prj", "shp", "shx")] if ext == "shp" else [f"events.{ext}"])
    back = read_frame(path)
    assert list(back.columns) == list(gdf.columns)
    pd.testing.assert_frame_equal(
        pd.DataFrame(back.drop(columns="geometry")), pd.DataFrame(gdf.drop(columns="geometry"))
    )
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
    doc = Document(
        art,
        mentions=[
            Mention("Baghdad", 0, 7, 0, 25, place=BAGHDAD, doc_id="d"),
            Mention("Kurdistan", 12, 24, 0, 25, doc_id="d"),
        ],
    )
    gdf = mentions_frame([doc])
    back = read_frame(write_frame(gdf, tmp_path / f"m.{ext}"))
    assert {c: str(back[c].dtype) for c in MENTION_COLUMNS} == MENTION_COLUMNS
    pd.testing.assert_frame_equal(
        pd.DataFrame(back.drop(columns="geometry")), pd.DataFrame(gdf.drop(columns="geometry"))
    )


def test_overwrite_is_atomic_and_replaces(tmp_path):
    path = tmp_path / "e.geojson"
    path.write_text("old")
    write_frame(events_frame(_events()), path)
    assert len(gpd.read_file(path)) == 3


def test_unknown_extension_and_format(tmp_path):
    with pytest.raises(OutputError, match=r"\.xlsx"):
        write_frame(events_frame(_events()), tmp_path / "e.xlsx")
    with pytest.raises(OutputError):
        write_frame(events_frame(_events()), tmp_path / "e.geojson", fmt="esri")
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


KML = "{http://www.opengis.net/kml/2.2}"


def _hostile_events():
    """Events whose title and sentence carry markup and XML's special characters."""
    place = Mention(
        "Mosul", 0, 5, 0, 60, place=Place("Mosul", 36.34, 43.13, kind="city", country_code="IQ"), confidence=0.8
    )
    sentence = 'A strike hit <script>alert("x")</script> Mosul & Tal Afar; AT&T said "<b>no</b>" \x07.'
    title = "<script>document.location='//evil'</script> Q&A"
    return [
        Event(
            "k1",
            "d",
            dt.date(2021, 5, 1),
            "day",
            "on 1 May",
            "strike",
            "strike",
            sentence,
            0,
            60,
            places=[EventPlace(place)],
            sources=[SourceRef("d", sentence, 0, 60, title, "http://x/?a=1&b=2")],
        ),
        Event(
            "k2",
            "d",
            dt.date(2021, 3, 1),
            "month",
            "in March",
            "protest",
            "protest",
            "Crowds marched.",
            61,
            80,
            places=[EventPlace(place)],
        ),
        Event("k3", "d", None, "unknown", "", "casualties", "toll", "Undated, no place.", 81, 99),
    ]


def test_kml_placemarks_are_escaped_named_and_timed(tmp_path):
    import xml.etree.ElementTree as ET

    gdf = events_frame(_hostile_events())
    path = write_frame(gdf, tmp_path / "events.kml")
    raw = path.read_text(encoding="utf-8")
    assert "<script>" not in raw and "&lt;script&gt;" in raw and "AT&amp;T" in raw
    marks = ET.parse(path).getroot().iter(f"{KML}Placemark")
    got = [
        (
            m.findtext(f"{KML}name"),
            m.findtext(f"{KML}description"),
            m.findtext(f"{KML}TimeStamp/{KML}when"),
            m.findtext(f"{KML}Point/{KML}coordinates"),
        )
        for m in marks
    ]
    # the control character XML cannot hold became U+FFFD; everything else reads back exactly
    assert got[0] == ("strike — Mosul", gdf.sentence[0].replace("\x07", "\ufffd"), "2021-05-01", "43.13,36.34")
    assert got[1] == ("protest — Mosul", "Crowds marched.", "2021-03", "43.13,36.34")  # month precision
    assert got[2] == ("casualties", "Undated, no place.", None, None)  # no time, no point
    back = read_frame(path)  # GDAL reads the table back, markup intact as text
    assert back.title[0] == "<script>document.location='//evil'</script> Q&A"
    assert back.url[0] == "http://x/?a=1&b=2" and back.event_type.tolist() == ["strike", "protest", "casualties"]


def test_shapefile_field_names_and_long_text(tmp_path):
    import pyogrio

    from geomap.io.shapefile import MAX_TEXT_BYTES, SHORT_NAMES

    long_sentence = "Ünïcödé " * 60  # 480 characters, 720+ bytes in UTF-8
    events = _hostile_events()
    events[1].sentence = long_sentence
    gdf = events_frame(events)
    path = write_frame(gdf, tmp_path / "events.shp")
    fields = list(pyogrio.read_info(path)["fields"])
    assert all(len(f) <= 10 for f in fields) and "date_prec" in fields and "country_cd" in fields
    assert set(SHORT_NAMES) <= set(EVENT_COLUMNS) | set(MENTION_COLUMNS)
    back = read_frame(path)
    assert list(back.columns) == list(gdf.columns)  # long names restored
    cut = back.sentence[1]
    assert len(cut.encode("utf-8")) <= MAX_TEXT_BYTES and long_sentence.startswith(cut) and len(cut) > 150
    assert (tmp_path / "events.cpg").read_text().strip().upper().replace("-", "") == "UTF8"


def test_zipped_shapefile_is_one_file_holding_all_parts(tmp_path):
    import zipfile

    path = write_frame(events_frame(_events()), tmp_path / "events.shp.zip")
    assert [p.name for p in tmp_path.iterdir()] == ["events.shp.zip"]
    names = sorted(zipfile.ZipFile(path).namelist())
    assert {"events.shp", "events.shx", "events.dbf", "events.prj"} <= set(names)
    assert read_frame(path).event_id.tolist() == ["a", "b", "c"]


def test_failed_shapefile_write_leaves_every_old_part(tmp_path, monkeypatch):
    path = write_frame(events_frame(_events()), tmp_path / "events.shp")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def half_written(gdf, target):
        target.write_bytes(b"new shp")
        target.with_suffix(".dbf").write_bytes(b"new dbf")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("geomap.io.export.write_shapefile", half_written)
    with pytest.raises(OutputError, match="No space left"):
        write_frame(events_frame(_events()[:1]), path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # no part replaced, no debris
