"""Time control: a two-handle date range over a histogram of events per day, week or month.

Python bins the dated event sites (:func:`histogram`); ``static/timerange.js`` draws the bars
and the handles and filters the markers. Undated events are not in the histogram and no range
hides them (the label says how many there are); events whose date was inferred are counted
apart, drawn as the light top of each bar.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from geomap.mapping.plugins.base import MapElement, static, template
from geomap.mapping.plugins.events import script_json

#: Spans (days) up to which bars are days, then weeks; longer spans get months.
DAY_BINS_UP_TO = 92
WEEK_BINS_UP_TO = 3 * 366
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _day(iso: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso[:10])
    except ValueError:
        return None


def _label(day: dt.date, unit: str) -> str:
    if unit == "month":
        return f"{_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def histogram(dates: Iterable[tuple[str, bool]]) -> dict[str, Any] | None:
    """Bins of ``(iso_date, inferred)`` pairs, one per dated site; None when no date parses.

    Returns ``{"unit": day|week|month, "bins": [[start, end, stated, inferred, label], ...]}``
    with ISO ``start`` (inclusive) and ``end`` (exclusive); empty bins are kept so the bars
    stand on a true time axis."""
    days = [(d, inferred) for iso, inferred in dates if (d := _day(iso)) is not None]
    if not days:
        return None
    first, last = min(d for d, _ in days), max(d for d, _ in days)
    span = (last - first).days
    unit = "day" if span <= DAY_BINS_UP_TO else "week" if span <= WEEK_BINS_UP_TO else "month"

    def start_of(d: dt.date) -> dt.date:
        if unit == "week":
            return d - dt.timedelta(days=d.weekday())
        if unit == "month":
            return d.replace(day=1)
        return d

    def following(d: dt.date) -> dt.date:
        if unit == "month":
            return (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return d + dt.timedelta(days=7 if unit == "week" else 1)

    counts: dict[dt.date, list[int]] = {}
    for d, inferred in days:
        counts.setdefault(start_of(d), [0, 0])[1 if inferred else 0] += 1
    bins, cur = [], start_of(first)
    while cur <= last:
        nxt = following(cur)
        stated, inferred = counts.get(cur, (0, 0))
        bins.append([cur.isoformat(), nxt.isoformat(), stated, inferred, _label(cur, unit)])
        cur = nxt
    return {"unit": unit, "bins": bins}


class TimeRange(MapElement):
    """Bottom-left control: histogram, two handles and a label; ``undated`` is how many
    undated event sites stay on the map whatever the range."""

    _template = template("timerange.j2")

    def __init__(self, hist: dict[str, Any], undated: int = 0) -> None:
        super().__init__()
        if not hist or not hist.get("bins"):
            raise ValueError("TimeRange needs at least one bin")
        self._name = "GeomapTimeRange"
        self.hist = hist
        self.undated = undated

    @property
    def payload(self) -> str:
        return script_json(dict(self.hist, undated=self.undated))

    @property
    def js(self) -> str:
        return static("timerange.js").replace("</script", "<\\/script")

    @property
    def css(self) -> str:
        return static("timerange.css").replace("</", "<\\/")

    def render(self, **kwargs) -> None:
        from geomap.mapping.plugins.base import render_macros

        render_macros(self, kwargs, header_name="geomap_timerange")  # one copy of the code per page
