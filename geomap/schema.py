"""Column schemas of the GeoDataFrames geomap produces (documented in README.md).

Both frames are EPSG:4326 with Point geometry; a row whose place is unknown has an
empty geometry (``None``) rather than a guessed point.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

CRS = "EPSG:4326"

#: One row per place mention.
MENTION_COLUMNS: dict[str, str] = {
    "doc_id": "str",
    "mention": "str",  # the name as written
    "start": "int64",  # character offsets in the article text
    "end": "int64",
    "sentence": "str",
    "sent_start": "int64",
    "label": "str",  # spaCy label or GAZ for gazetteer matches
    "role": "str",  # location | actor | modifier
    "place_name": "str",  # canonical gazetteer name ('' when unresolved)
    "geonameid": "Int64",
    "country_code": "str",
    "country": "str",
    "admin1": "str",
    "feature_type": "str",  # PlaceKind: country, admin1, city, airport, ...
    "feature_code": "str",
    "population": "int64",
    "geo_precision": "str",  # site | town | region | country | continent
    "lat": "float64",
    "lon": "float64",
    "confidence": "float64",  # calibrated probability that the point is right
    "geocoder": "str",  # offline | a geopy service (nominatim, ...) | offline-fallback | ''
    "title": "str",
    "url": "str",
    "published": "str",  # ISO date or ''
}

#: One row per (event, place); events with no stated place get one row with empty geometry.
EVENT_COLUMNS: dict[str, str] = {
    "event_id": "str",
    "doc_id": "str",
    "date": "str",  # ISO date (first day of the period for month/year precision) or ''
    "date_precision": "str",  # day | month | year | unknown
    "date_text": "str",
    "date_basis": "str",  # stated | carried (from earlier in the paragraph) | published | ''
    "background": "bool",  # an event the article recalls (dated well before publication)
    "event_type": "str",
    "trigger": "str",
    "actors": "str",  # '; '-joined
    "targets": "str",  # '; '-joined
    "sentence": "str",
    "sent_start": "int64",
    "sent_end": "int64",
    "place_text": "str",  # as written ('' when the event has no place)
    "place_start": "int64",  # mention offsets in the article (-1 when none)
    "place_end": "int64",
    "place_name": "str",
    "geonameid": "Int64",
    "country_code": "str",
    "country": "str",
    "admin1": "str",
    "feature_type": "str",
    "place_role": "str",  # event | context | mentioned
    "geo_precision": "str",
    "lat": "float64",
    "lon": "float64",
    "confidence": "float64",
    "geocoder": "str",
    "title": "str",
    "url": "str",
    "published": "str",
    "n_sources": "int64",  # how many sentences tell this event
    "sources": "str",  # JSON list of {doc_id, sentence, title, url, published}
}


def cast_columns(frame, columns: dict[str, str]):
    """``frame`` with each of ``columns`` it holds cast to its schema dtype, in place.

    The one caster for frames made from records (:mod:`geomap.tools.frames`) and frames read
    back from files and stores (:func:`geomap.io.export.conform`): text columns take None/NaN as
    ``''``, dates as ISO text and parsed JSON (lists, dicts) as JSON text; number columns take
    ``''`` as missing; ``bool`` takes True/False or 1/0 (any case, as text formats write them).
    """
    for name, dtype in columns.items():
        if name not in frame.columns:
            continue
        col = frame[name]
        if dtype == "str":
            text = isinstance(col.dtype, pd.StringDtype)  # text already: only the missing values to fill
            frame[name] = (col.fillna("") if text else col.map(as_text)).astype("str")
        elif dtype == "bool":
            flags = col if col.dtype == bool else col.map(lambda v: str(v).strip().lower() in ("true", "1"))
            frame[name] = flags.astype("bool")
        elif dtype == "int64":
            frame[name] = pd.to_numeric(col).astype("int64")
        else:  # Int64, float64: '' is a missing value
            frame[name] = pd.to_numeric(col.replace("", None)).astype(dtype)
    return frame


def as_text(value) -> str:
    """A text cell: strings stay; None/NaN/NaT → ''; a date → ISO text (OGR reads ISO date strings
    as dates); anything else (JSON fields OGR parsed into lists/dicts) → JSON text."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    if value is pd.NaT:
        return ""
    try:
        return json.dumps(value, ensure_ascii=False)
    except TypeError:
        return str(value)
