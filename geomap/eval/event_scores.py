"""Pure scoring of extracted events against coded ones: date, place, type, coverage.

Nothing here runs a geoparser or reads files; the runner turns each record's output into an
:class:`EventOutcome` and :func:`summarize` aggregates them (with breakdowns).
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from geomap.eval.event_corpus import GoldEvent
from geomap.eval.metrics import ACC_KM
from geomap.tools.calendar_names import month_pattern, weekday_pattern
from geomap.tools.distance import haversine_km

#: A date expression a reader would see in the text: a calendar date (month name with a day or a
#: year, or a numeric d/m/y), a weekday, or a relative day word. Independent of geomap's own date
#: finder on purpose, so the breakdown does not depend on what the extractor catches.
_MONTH = month_pattern()
_DATE_EXPRESSION = re.compile(
    rf"\b{_MONTH}\.?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?\b|\d{{4}}\b)"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b"
    r"|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b|(?:\bon\s+|\()\d{1,2}/\d{1,2}(?![/\d])"
    rf"|\b{weekday_pattern()}s?\b"
    r"|\b(?:yesterday|today|tonight|overnight|last\s+night|this\s+(?:morning|afternoon|evening))\b",
    re.I,
)


def has_date_expression(text: str) -> bool:
    """Does the text state when something happened (calendar date, weekday, "yesterday" …)?"""
    return _DATE_EXPRESSION.search(text) is not None


def date_matches(pred: dt.date | None, gold: dt.date | None, precision: str) -> bool:
    """Is ``pred`` the gold date at the gold precision (same day, month or year)?"""
    if pred is None or gold is None:
        return False
    if precision == "year":
        return pred.year == gold.year
    if precision == "month":
        return (pred.year, pred.month) == (gold.year, gold.month)
    return pred == gold


def km_to_gold(point: tuple[float, float] | None, gold: Sequence[GoldEvent]) -> float | None:
    """Distance from a (lat, lon) point to the nearest coded event point; None without a point."""
    if point is None:
        return None
    return min(haversine_km(point[0], point[1], g.lat, g.lon) for g in gold)


def name_spans(name: str, text: str) -> list[tuple[int, int]]:
    """Whole-word, case-insensitive occurrences of a place name in the text."""
    if not name.strip():
        return []
    pattern = re.compile(rf"(?<!\w){re.escape(name.strip())}(?!\w)", re.I)
    return [m.span() for m in pattern.finditer(text)]


@dataclass(frozen=True, slots=True)
class EventOutcome:
    """How one record's extracted events compare with its coded events."""

    doc_id: str
    gold_type: str  # "source: event_type", e.g. "acled: Protests"
    dated_text: bool  # the text has a date expression
    n_events: int  # events geomap extracted
    date_ok: bool  # first event's date = a coded date at its precision
    site_km: float | None  # first event place with role "event" → nearest coded point
    nearest_km: float | None  # any placed event row → nearest coded point
    type_ok: bool | None  # None when the coded type has no counterpart in the taxonomy
    named: bool  # the coded place is named in the text
    named_found: bool  # … and a geomap mention covers the name
    baseline_km: float | None  # the naive rule: the first place the text names
    pred_date: str = ""
    pred_type: str = ""
    pred_place: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def _rate(flags: Iterable[bool]) -> float | None:
    flags = list(flags)
    return sum(flags) / len(flags) if flags else None


def _within(values: Iterable[float | None]) -> float | None:
    return _rate(v is not None and v <= ACC_KM for v in values)


def _median(values: Iterable[float | None]) -> float | None:
    placed = [v for v in values if v is not None]
    return statistics.median(placed) if placed else None


def summarize(outcomes: Sequence[EventOutcome]) -> dict:
    """The headline figures of a set of outcomes (None where a figure has no records)."""
    typed = [o.type_ok for o in outcomes if o.type_ok is not None]
    named = [o for o in outcomes if o.named]
    return {
        "records": len(outcomes),
        "coverage": _rate(o.n_events > 0 for o in outcomes),
        "date": _rate(o.date_ok for o in outcomes),
        "site_acc161": _within(o.site_km for o in outcomes),
        "site_placed": _rate(o.site_km is not None for o in outcomes),
        "site_median_km": _median(o.site_km for o in outcomes),
        "nearest_acc161": _within(o.nearest_km for o in outcomes),
        "type": _rate(typed),
        "typed_records": len(typed),
        "named_found": _rate(o.named_found for o in named),
        "named_records": len(named),
        "baseline_acc161": _within(o.baseline_km for o in outcomes),
        "baseline_median_km": _median(o.baseline_km for o in outcomes),
    }


def breakdown(outcomes: Sequence[EventOutcome], key) -> dict[str, dict]:
    """``summarize`` per group, groups by ``key(outcome)`` in order of size."""
    groups: dict[str, list[EventOutcome]] = {}
    for o in outcomes:
        groups.setdefault(str(key(o)), []).append(o)
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return {name: summarize(group) for name, group in ordered}
