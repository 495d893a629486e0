"""Incidents: the same happening reported by several articles, on one day or several.

The rules (docs/store.md says the same, with examples):

- **Type.** Only events of the same type join (a strike never joins a protest). Statements and
  ``other`` events never join: what someone said, or an unclassified verb, is no incident.
- **Articles.** An incident holds at most one event of each article: two events an article tells
  apart stay apart (within an article, :mod:`geomap.events.dedupe` has already merged retellings).
- **Date.** Each event has the days it may have happened: its day ±1 for a day-precision date
  (time zones, and "yesterday" told after midnight), the three days up to the publication for an
  undated lead event dated by its article, its whole month or year for a coarser date. An
  incident keeps the days all its reports agree on; an event joins only if its days overlap
  them, so reports cannot chain an incident along the calendar. Undated events never join.
- **Place.** The event's site (its first ``event`` place, the most specific) must be near the
  incident's, by the coarser precision of the two: the same gazetteer place always; sites within
  2 km; towns within 10 km; a region and a place in it (by the gazetteer's region names), or two
  places of one country within 50 km; a country and any place in it. A continent joins nothing
  but itself. Events with no site never join.
- **Choice.** An event that fits several incidents joins the nearest (then the oldest).

An incident's place is the finest site of its reports, its date the finest date.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from geomap.events.places import contains, place_rank, same_place
from geomap.events.taxonomy import OTHER, STATEMENT
from geomap.records import Place
from geomap.tools.distance import place_km
from geomap.tools.ranks import PRECISION_RANK

#: Event types that never form incidents across articles.
SOLITARY_TYPES = frozenset({STATEMENT, OTHER})
#: Geo precisions, finest first.
GEO_RANK = {"site": 0, "town": 1, "region": 2, "country": 3, "continent": 4}
#: Farthest apart (km) two places may be, by the coarser precision of the two.
NEAR_KM = {"site": 2.0, "town": 10.0, "region": 50.0}
#: Days a day-precision date may be off either way; days before publication an article-dated event may be.
DAY_SLACK = 1
PUBLISHED_SLACK = 2

Period = tuple[dt.date, dt.date]


def event_period(date: dt.date | None, precision: str, basis: str) -> Period | None:
    """The days an event dated ``date`` (at ``precision``, from ``basis``) may have happened on."""
    if date is None or precision not in ("day", "month", "year"):
        return None
    if basis == "published":
        return date - dt.timedelta(days=PUBLISHED_SLACK), date
    if precision == "day":
        slack = dt.timedelta(days=DAY_SLACK)
        return date - slack, date + slack
    if precision == "month":
        return date.replace(day=1), date.replace(day=calendar.monthrange(date.year, date.month)[1])
    return dt.date(date.year, 1, 1), dt.date(date.year, 12, 31)


def overlap(a: Period, b: Period) -> Period | None:
    """The days two periods share, or None."""
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    return (lo, hi) if lo <= hi else None


def near_in_place(a: Place, b: Place) -> bool:
    """Whether two event sites may be the same place (the rules in the module's doc)."""
    if same_place(a, b):
        return True
    coarse = max(GEO_RANK.get(a.geo_precision, 1), GEO_RANK.get(b.geo_precision, 1))
    if coarse >= GEO_RANK["continent"]:
        return False
    if coarse == GEO_RANK["country"]:
        return bool(a.country_code) and a.country_code == b.country_code
    if coarse == GEO_RANK["region"]:
        if contains(a, b) or contains(b, a):
            return True
        return bool(a.country_code) and a.country_code == b.country_code and place_km(a, b) <= NEAR_KM["region"]
    return place_km(a, b) <= NEAR_KM["site" if coarse == 0 else "town"]


@dataclass(slots=True)
class Sighting:
    """One stored event as the incident rules see it."""

    article_key: str
    event_id: str
    event_type: str
    date: dt.date | None
    date_precision: str
    date_basis: str
    site: Place | None
    source: dict
    published: dt.date | None

    @property
    def period(self) -> Period | None:
        return event_period(self.date, self.date_precision, self.date_basis)

    @property
    def solitary(self) -> bool:
        return self.event_type in SOLITARY_TYPES or self.period is None or self.site is None


@dataclass(slots=True)
class Incident:
    """An incident being built: what its reports agree on, and the reports."""

    event_type: str
    period: Period | None
    date: dt.date | None
    date_precision: str
    site: Place | None
    articles: set[str] = field(default_factory=set)
    sources: list[dict] = field(default_factory=list)
    first_report: dt.date | None = None
    last_report: dt.date | None = None
    n_events: int = 0
    incident_id: int | None = None
    first_run: int | None = None

    @classmethod
    def of(cls, s: Sighting) -> Incident:
        incident = cls(s.event_type, s.period, s.date, s.date_precision, s.site)
        incident.add(s)
        return incident

    def fits(self, s: Sighting) -> bool:
        """Whether ``s`` is another report of this incident."""
        if s.solitary or self.period is None or self.site is None or self.event_type in SOLITARY_TYPES:
            return False
        if s.event_type != self.event_type or s.article_key in self.articles:
            return False
        return overlap(self.period, s.period) is not None and near_in_place(self.site, s.site)

    def add(self, s: Sighting) -> None:
        """Take ``s`` in (after :meth:`fits`, or as the first report)."""
        if self.n_events and s.period is not None and self.period is not None:
            self.period = overlap(self.period, s.period)
        if s.date is not None and (
            self.date is None or PRECISION_RANK[s.date_precision] < PRECISION_RANK[self.date_precision]
        ):
            self.date, self.date_precision = s.date, s.date_precision
        if s.site is not None and (self.site is None or place_rank(s.site) < place_rank(self.site)):
            self.site = s.site
        self.articles.add(s.article_key)
        self.sources.append(s.source)
        if s.published is not None:
            self.first_report = min(self.first_report or s.published, s.published)
            self.last_report = max(self.last_report or s.published, s.published)
        self.n_events += 1

    @property
    def n_sources(self) -> int:
        return len(self.articles)


def best_fit(incidents: list[Incident], s: Sighting) -> Incident | None:
    """The incident ``s`` joins: of those it fits, the nearest, then the first given."""
    fitting = [i for i in incidents if i.fits(s)]
    if not fitting:
        return None
    return min(fitting, key=lambda i: place_km(i.site, s.site))


def group(sightings: list[Sighting]) -> list[Incident]:
    """The incidents of ``sightings`` taken in order (each joins one made before, or starts one)."""
    incidents: list[Incident] = []
    for s in sightings:
        found = best_fit(incidents, s)
        if found is None:
            incidents.append(Incident.of(s))
        else:
            found.add(s)
    return incidents
