"""Read gold event corpora (JSON Lines): short texts with the events human coders attached to them.

One record a line (the shape of ACLED/GTD-derived evaluation files; see docs/events-accuracy.md)::

    {"doc_id": "x-1", "text": "On 2 May 2020, protesters gathered in Dhaka ...", "published": "2020-05-03",
     "source": "acled",
     "events": [{"date": "2020-05-02", "date_precision": "day", "event_type": "Protests",
                 "sub_event_type": "Peaceful protest", "place": "Dhaka", "country": "Bangladesh",
                 "lat": 23.71, "lon": 90.41, "place_in_text": true}]}

Only ``doc_id`` (or ``id``), ``text`` and ``events`` with ``lat``/``lon`` are required.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from geomap.errors import InputError
from geomap.eval.corpus import is_number, parse_gold_date, read_gold_lines
from geomap.records import DatePrecision

_PRECISIONS = ("day", "month", "year")


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """One coded event: when (to a precision), what (the coder's type), where (a point)."""

    lat: float
    lon: float
    date: dt.date | None = None
    date_precision: DatePrecision = "day"
    event_type: str = ""
    sub_event_type: str = ""
    place: str | None = None
    country: str | None = None
    place_in_text: bool | None = None

    @property
    def type_key(self) -> str:
        """ "Type/Sub-type" when there is a sub-type, else the type."""
        return f"{self.event_type}/{self.sub_event_type}" if self.sub_event_type else self.event_type


@dataclass(frozen=True, slots=True)
class GoldEventRecord:
    """One text and its coded events (the first is the main one)."""

    doc_id: str
    text: str
    events: tuple[GoldEvent, ...]
    published: dt.date | None = None
    source: str = ""

    @property
    def main(self) -> GoldEvent:
        return self.events[0]


def read_event_corpus(path: str | Path) -> list[GoldEventRecord]:
    """Read and validate a gold event corpus; any defect raises a one-line InputError naming the line."""
    return read_gold_lines(path, _record, what="event corpus")


def _record(obj: dict, where: str) -> GoldEventRecord:
    doc_id = obj.get("doc_id", obj.get("id"))
    if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool) or str(doc_id) == "":
        raise InputError(f"{where}: missing or invalid 'doc_id'")
    doc_id = str(doc_id)
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: record {doc_id!r} has no 'text' string")
    raw = obj.get("events")
    if not isinstance(raw, list) or not raw:
        raise InputError(f"{where}: record {doc_id!r} needs a non-empty 'events' list")
    events = tuple(_event(e, f"{where}: record {doc_id!r} event {i}") for i, e in enumerate(raw))
    return GoldEventRecord(
        doc_id=doc_id,
        text=text,
        events=events,
        published=parse_gold_date(obj.get("published"), where, "published"),
        source=str(obj.get("source") or ""),
    )


def _event(e: object, where: str) -> GoldEvent:
    if not isinstance(e, dict):
        raise InputError(f"{where}: expected an object")
    lat, lon = e.get("lat"), e.get("lon")
    if not (is_number(lat) and is_number(lon)) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError(f"{where}: needs coordinates in range, got lat={lat!r} lon={lon!r}")
    precision = e.get("date_precision") or "day"
    if precision not in _PRECISIONS:
        raise InputError(f"{where}: date_precision must be one of {', '.join(_PRECISIONS)}, not {precision!r}")
    in_text = e.get("place_in_text")
    return GoldEvent(
        lat=float(lat),
        lon=float(lon),
        date=parse_gold_date(e.get("date"), where, "date"),
        date_precision=precision,
        event_type=str(e.get("event_type") or ""),
        sub_event_type=str(e.get("sub_event_type") or ""),
        place=e.get("place") if isinstance(e.get("place"), str) and e.get("place") else None,
        country=e.get("country") if isinstance(e.get("country"), str) else None,
        place_in_text=in_text if isinstance(in_text, bool) else None,
    )
