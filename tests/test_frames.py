"""events_frame / mentions_frame follow geomap.schema (columns, dtypes, CRS, empty geometry)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from geomap.records import Article, Document, Event, EventPlace, Mention, Place, SourceRef
from geomap.schema import CRS, EVENT_COLUMNS, MENTION_COLUMNS
from geomap.tools.frames import events_frame, mentions_frame

AIN = Place("Ain al-Asad Air Base", 33.79, 42.44, kind="airport", country_code="IQ", admin1="Anbar")
ANBAR = Place(
    "Al Anbar", 33.0, 42.0, kind="admin1", geonameid=99592, country_code="IQ", country="Iraq", geocoder="nominatim"
)
TEXT = "On January 8, strikes hit Ain al-Assad Airbase in Anbar Province. The toll rose on February 10."


def _mention(text, place, role="location"):
    start = TEXT.index(text)
    return Mention(text, start, start + len(text), 0, 66, role=role, place=place, confidence=0.8, doc_id="d")


@pytest.fixture()
def events():
    src = SourceRef("d", TEXT[:66], 0, 66, title="T", url="http://example.org/a", published=dt.date(2020, 3, 11))
    strike = Event(
        "e1",
        "d",
        dt.date(2020, 1, 8),
        "day",
        "January 8",
        "strike",
        "strikes",
        TEXT[:66],
        0,
        66,
        actors=["IRGC"],
        targets=["US"],
        places=[
            EventPlace(_mention("Ain al-Assad Airbase", AIN)),
            EventPlace(_mention("Anbar Province", ANBAR), "context"),
        ],
        sources=[src, SourceRef("d2", "The strikes on Ain al-Assad.", 5, 33)],
    )
    toll = Event("e2", "d", dt.date(2020, 2, 10), "day", "February 10", "casualties", "toll", TEXT[67:], 67, len(TEXT))
    return [strike, toll]


def test_events_frame_schema_and_rows(events):
    gdf = events_frame(events)
    assert list(gdf.columns) == [*EVENT_COLUMNS, "geometry"]
    assert {c: str(gdf[c].dtype) for c in EVENT_COLUMNS} == EVENT_COLUMNS
    assert gdf.crs.to_string() == CRS
    assert len(gdf) == 3  # two places of the strike + one placeless row for the toll
    ain, anbar, toll = (gdf.iloc[i] for i in range(3))
    assert (ain.geometry.x, ain.geometry.y) == (42.44, 33.79)
    assert ain.place_role == "event" and anbar.place_role == "context"
    assert ain.geo_precision == "site" and anbar.geo_precision == "region"
    assert pd.isna(ain.geonameid) and anbar.geonameid == 99592
    assert ain.actors == "IRGC" and ain.n_sources == 2
    assert [s["doc_id"] for s in json.loads(ain.sources)] == ["d", "d2"]
    assert ain.published == "2020-03-11" and ain.date == "2020-01-08"
    assert toll.geometry is None and toll.place_start == -1 and toll.place_text == ""
    assert pd.isna(toll.lat) and toll.n_sources == 1
    # which service placed each row: the gazetteer, an online service, or none for no place
    assert (ain.geocoder, anbar.geocoder, toll.geocoder) == ("offline", "nominatim", "")


def test_events_frame_empty():
    gdf = events_frame([])
    assert list(gdf.columns) == [*EVENT_COLUMNS, "geometry"] and len(gdf) == 0
    assert {c: str(gdf[c].dtype) for c in EVENT_COLUMNS} == EVENT_COLUMNS


def test_mentions_frame_schema():
    article = Article(TEXT, "d", title="T", published=dt.date(2020, 3, 11))
    unresolved = Mention("Kurdistan", 0, 2, 0, 66, role="location", doc_id="d")
    doc = Document(
        article, mentions=[_mention("Ain al-Assad Airbase", AIN), _mention("Anbar Province", ANBAR), unresolved]
    )
    gdf = mentions_frame([doc])
    assert list(gdf.columns) == [*MENTION_COLUMNS, "geometry"]
    assert {c: str(gdf[c].dtype) for c in MENTION_COLUMNS} == MENTION_COLUMNS
    assert gdf.crs.to_string() == CRS
    assert gdf.iloc[0].sentence == TEXT[:66] and gdf.iloc[0].feature_type == "airport"
    assert gdf.iloc[1].geonameid == 99592 and gdf.iloc[1].published == "2020-03-11"
    assert gdf.iloc[2].geometry is None and gdf.iloc[2].place_name == ""
    assert list(gdf.geocoder) == ["offline", "nominatim", ""]


def test_background_column_is_a_bool_per_event():
    news = Event("n", "d", dt.date(2021, 5, 2), "day", "2 May", "protest", "protested", "s", 0, 1, date_basis="stated")
    old = Event(
        "o",
        "d",
        dt.date(2017, 1, 1),
        "year",
        "in 2017",
        "strike",
        "attacked",
        "s",
        2,
        3,
        date_basis="stated",
        background=True,
    )
    frame = events_frame([news, old])
    assert frame["background"].dtype == bool and frame["background"].tolist() == [False, True]
