"""Synthetic events GeoDataFrames (schema.EVENT_COLUMNS) for benchmarks; seeded and offline."""

from __future__ import annotations

import datetime as dt
import json
import random

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geomap.schema import CRS, EVENT_COLUMNS

TYPES = ["attack", "protest", "arrest", "election", "statement", "deployment", "disaster", "meeting"]
PLACES = [  # name, country, lat, lon, precision
    ("Baghdad", "Iraq", 33.34, 44.40, "town"),
    ("Mosul", "Iraq", 36.34, 43.13, "town"),
    ("Anbar", "Iraq", 33.4, 42.2, "region"),
    ("Iraq", "Iraq", 33.0, 43.5, "country"),
    ("Tehran", "Iran", 35.69, 51.42, "town"),
    ("Isfahan", "Iran", 32.65, 51.67, "town"),
    ("Damascus", "Syria", 33.51, 36.29, "town"),
    ("Beirut", "Lebanon", 33.89, 35.50, "town"),
    ("Kabul", "Afghanistan", 34.53, 69.17, "town"),
    ("Washington", "United States", 38.90, -77.04, "town"),
    ("Paris", "France", 48.86, 2.35, "town"),
    ("Nairobi", "Kenya", -1.29, 36.82, "town"),
]


def synthetic_events(n: int, *, seed: int = 7, unplaced_share: float = 0.03) -> gpd.GeoDataFrame:
    """*n* event rows spread over a few dozen places, types and two years of dates."""
    rng = random.Random(seed)
    start = dt.date(2019, 1, 1)
    rows, geoms = [], []
    for i in range(n):
        name, country, lat, lon, precision = rng.choice(PLACES)
        etype = rng.choice(TYPES)
        day = start + dt.timedelta(days=rng.randrange(730))
        date_precision = rng.choices(["day", "month", "year"], [8, 2, 1])[0]
        if date_precision == "month":
            day = day.replace(day=1)
        elif date_precision == "year":
            day = day.replace(month=1, day=1)
        sentence = f"Reports said a {etype} took place in {name} on {day:%d %B %Y}, witnesses told reporters."
        offset = sentence.index(name)
        placed = rng.random() >= unplaced_share
        # jitter so markers do not all sit on the same dozen points
        jlat, jlon = lat + rng.uniform(-0.3, 0.3), lon + rng.uniform(-0.3, 0.3)
        n_sources = rng.choice([1, 1, 1, 2, 3])
        sources = [
            {
                "doc_id": f"d{i}-{k}",
                "sentence": sentence,
                "title": f"Article {i}-{k}",
                "url": f"https://example.org/{i}/{k}",
                "published": str(day),
            }
            for k in range(n_sources)
        ]
        rows.append(
            {
                "event_id": f"e{i}",
                "doc_id": f"d{i}",
                "date": day.isoformat(),
                "date_precision": date_precision,
                "date_text": f"{day:%d %B %Y}",
                "event_type": etype,
                "trigger": etype,
                "actors": "",
                "targets": "",
                "sentence": sentence,
                "sent_start": 1000,
                "sent_end": 1000 + len(sentence),
                "place_text": name if placed else "",
                "place_start": 1000 + offset if placed else -1,
                "place_end": 1000 + offset + len(name) if placed else -1,
                "place_name": name if placed else "",
                "geonameid": None,
                "country_code": "",
                "country": country if placed else "",
                "admin1": "",
                "feature_type": "city",
                "place_role": "event",
                "geo_precision": precision if placed else "",
                "lat": jlat if placed else float("nan"),
                "lon": jlon if placed else float("nan"),
                "confidence": round(rng.uniform(0.4, 1.0), 2),
                "title": f"Article {i}",
                "url": f"https://example.org/{i}",
                "published": day.isoformat(),
                "n_sources": n_sources,
                "sources": json.dumps(sources),
                "background": False,
            }
        )
        geoms.append(Point(jlon, jlat) if placed else None)
    frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS)).astype(EVENT_COLUMNS)
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=CRS)
