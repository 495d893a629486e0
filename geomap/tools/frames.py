"""GeoDataFrames of events and mentions, following geomap.schema exactly (columns and dtypes).

A row whose place is unknown keeps its data and gets an empty geometry (None) and NaN
coordinates: analysts list such rows beside the map, they are never pinned to a guess.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geomap.records import Document, Event, EventPlace, Mention, Place, SourceRef
from geomap.schema import CRS, EVENT_COLUMNS, MENTION_COLUMNS, cast_columns


def _iso(value) -> str:
    return value.isoformat() if value is not None else ""


def _place_fields(place: Place | None) -> dict:
    if place is None:
        return {
            "place_name": "",
            "geonameid": None,
            "country_code": "",
            "country": "",
            "admin1": "",
            "feature_type": "",
            "geo_precision": "",
            "lat": float("nan"),
            "lon": float("nan"),
            "geocoder": "",
        }
    return {
        "place_name": place.name,
        "geonameid": place.geonameid,
        "country_code": place.country_code or "",
        "country": place.country or "",
        "admin1": place.admin1 or "",
        "feature_type": place.kind,
        "geo_precision": place.geo_precision,
        "lat": float(place.lat),
        "lon": float(place.lon),
        "geocoder": place.geocoder,
    }


def typed_frame(rows: list[dict], columns: dict[str, str], geometry: list) -> gpd.GeoDataFrame:
    """Build a GeoDataFrame with exactly ``columns`` in order and their schema dtypes."""
    frame = cast_columns(pd.DataFrame(rows, columns=list(columns)), columns)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=CRS, index=frame.index), crs=CRS)


def _point(place: Place | None):
    return Point(place.lon, place.lat) if place is not None else None


def _sources_json(sources: list[SourceRef]) -> str:
    return json.dumps(
        [
            {
                "doc_id": s.doc_id,
                "sentence": s.sentence,
                "title": s.title or "",
                "url": s.url or "",
                "published": _iso(s.published),
            }
            for s in sources
        ],
        ensure_ascii=False,
    )


def _event_rows(event: Event) -> list[tuple[dict, object]]:
    first = event.sources[0] if event.sources else None
    base = {
        "event_id": event.event_id,
        "doc_id": event.doc_id,
        "date": _iso(event.date),
        "date_precision": event.date_precision if event.date is not None else "unknown",
        "date_text": event.date_text,
        "date_basis": event.date_basis if event.date is not None else "",
        "background": bool(event.background),
        "event_type": event.event_type,
        "trigger": event.trigger,
        "actors": "; ".join(event.actors),
        "targets": "; ".join(event.targets),
        "sentence": event.sentence,
        "sent_start": event.sent_start,
        "sent_end": event.sent_end,
        "title": (first.title if first else None) or "",
        "url": (first.url if first else None) or "",
        "published": _iso(first.published) if first else "",
        "n_sources": max(len(event.sources), 1),
        "sources": _sources_json(event.sources),
    }
    places: list[EventPlace | None] = list(event.places) or [None]
    rows = []
    for ep in places:
        mention: Mention | None = ep.mention if ep else None
        place = mention.place if mention else None
        row = dict(base)
        row.update(_place_fields(place))
        row.update(
            {
                "place_text": mention.text if mention else "",
                "place_start": mention.start if mention else -1,
                "place_end": mention.end if mention else -1,
                "place_role": ep.role if ep else "",
                "confidence": float(mention.confidence) if place is not None else float("nan"),
            }
        )
        if ep is not None and ep.passage:  # a place carried from a nearby sentence: quote both
            row.update(
                {
                    "sentence": ep.passage,
                    "sent_start": ep.passage_start,
                    "sent_end": max(ep.passage_start + len(ep.passage), event.sent_end),
                }
            )
        rows.append((row, _point(place)))
    return rows


def events_frame(events: list[Event]) -> gpd.GeoDataFrame:
    """One row per (event, place); an event with no place gets one row with empty geometry."""
    pairs = [pair for event in events for pair in _event_rows(event)]
    return typed_frame([r for r, _ in pairs], EVENT_COLUMNS, [g for _, g in pairs])


def mentions_frame(documents: list[Document]) -> gpd.GeoDataFrame:
    """One row per place mention of each document; unresolved mentions have empty geometry."""
    rows, geometry = [], []
    for document in documents:
        article = document.article
        for m in document.mentions:
            row = {
                "doc_id": m.doc_id or article.doc_id,
                "mention": m.text,
                "start": m.start,
                "end": m.end,
                "sentence": article.text[m.sent_start : m.sent_end],
                "sent_start": m.sent_start,
                "label": m.label,
                "role": m.role,
                "feature_code": (m.place.feature_code or "") if m.place else "",
                "population": int(m.place.population) if m.place else 0,
                "confidence": float(m.confidence),
                "title": article.title or "",
                "url": article.url or "",
                "published": _iso(article.published),
            }
            row.update(_place_fields(m.place))
            rows.append(row)
            geometry.append(_point(m.place))
    return typed_frame(rows, MENTION_COLUMNS, geometry)
