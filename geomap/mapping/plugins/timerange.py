"""Time control: a two-handle date range over a histogram of events per day, week or month.

Python bins the dated event sites (:func:`histogram`); ``static/timerange.js`` draws the bars
and the handles and filters the markers. Undated events are not in the histogram and no range
hides them (the label says how many there are); events whose date was inferred are counted
apart, drawn as the light top of each bar.

The default range is the *news window* (:func:`news_window`), not the span of every date: a
"since 1900" clause or a recalled disaster would otherwise stretch a week of news over a
century. Dates outside the window are listed in the control ("3 earlier dates not shown: 1900,
1994, 2004") with a button that shows every date; so are background events (history the
article recalls), which are also off the map until the reader switches their layer on.

The window rule:

- anchors are the articles' publication dates. The window runs from
  :data:`NEWS_BEFORE_DAYS` before the earliest to :data:`NEWS_AFTER_DAYS` after the latest: news
  reports what happened in the weeks before it was published (an article of 11 March that
  tells of a strike on 8 January is still reporting it), rarely more than a quarter back, and
  looks ahead only to what is scheduled soon;
- with no publication date, the window is centred on the median of the news events' dates,
  :data:`MAD_FACTOR` median absolute deviations either side (at least
  :data:`NEWS_BEFORE_DAYS`): robust, since up to half of the dates can be outliers;
- a dated event is in the window when its period (the day, month or year it names) overlaps
  it; if no news event is in the window, there is no window and every date is in range.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from geomap.dates import NEWS_AFTER_DAYS, NEWS_BEFORE_DAYS, period_end
from geomap.mapping.plugins.base import MapElement, static, template
from geomap.mapping.plugins.events import script_json
from geomap.tools.isodate import iso_date

#: The news window reaches NEWS_BEFORE_DAYS before the earliest publication date and
#: NEWS_AFTER_DAYS after the latest (one home, geomap.dates: the events stage uses them too).
#: Without publication dates: the window is the median date ± this many median absolute deviations.
MAD_FACTOR = 3
#: Dates outside the window listed by name in the control, at most (then "…").
OUTSIDE_LISTED = 5

#: Spans (days) up to which bars are days, then weeks, then months; longer spans get years.
DAY_BINS_UP_TO = 92
WEEK_BINS_UP_TO = 3 * 366
MONTH_BINS_UP_TO = 15 * 366
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _label(day: dt.date, unit: str) -> str:
    if unit == "year":
        return str(day.year)
    if unit == "month":
        return f"{_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def period(iso: str, precision: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of the period a date names (its day, month or year)."""
    start = iso_date(iso)
    if start is None:
        return None
    return start, period_end(start, precision)


def _median(values: list[int]) -> float:
    values = sorted(values)
    mid = len(values) // 2
    return float(values[mid]) if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def news_window(dates: Iterable[tuple[str, str]], published: Iterable[str]) -> tuple[dt.date, dt.date] | None:
    """The news window (see the module doc) of news events' ``(iso_date, precision)`` and the
    articles' publication dates; None when it would hold none of the events' dates."""
    periods = [p for iso, precision in dates if (p := period(iso, precision)) is not None]
    if not periods:
        return None
    anchors = sorted({d for iso in published if (d := iso_date(iso)) is not None})
    if anchors:
        lo = anchors[0] - dt.timedelta(days=NEWS_BEFORE_DAYS)
        hi = anchors[-1] + dt.timedelta(days=NEWS_AFTER_DAYS)
    else:
        ordinals = [p[0].toordinal() for p in periods]
        mid = _median(ordinals)
        half = max(MAD_FACTOR * _median([abs(o - mid) for o in ordinals]), NEWS_BEFORE_DAYS)
        lo, hi = dt.date.fromordinal(int(mid - half)), dt.date.fromordinal(int(mid + half))
    if not any(start <= hi and end >= lo for start, end in periods):
        return None
    return lo, hi


def in_window(window: tuple[dt.date, dt.date] | None, iso: str, precision: str) -> bool:
    """Whether a date is in the window (an undated or unreadable one always is)."""
    p = period(iso, precision)
    return window is None or p is None or (p[0] <= window[1] and p[1] >= window[0])


def outside_note(dates: Iterable[tuple[str, str]], window: tuple[dt.date, dt.date]) -> dict[str, Any]:
    """The dates outside ``window``: ``{"earlier": [labels], "later": [labels], "n": count}``,
    labels distinct and in order, at most :data:`OUTSIDE_LISTED` each."""
    from geomap.mapping.popup import format_date

    earlier: dict[tuple, str] = {}
    later: dict[tuple, str] = {}
    n = 0
    for iso, precision in dates:
        p = period(iso, precision)
        if p is None or (p[0] <= window[1] and p[1] >= window[0]):
            continue
        n += 1
        side = earlier if p[1] < window[0] else later
        side.setdefault((p[0], p[1]), format_date(iso, precision or "day"))

    def listed(side: dict[tuple, str]) -> list[str]:
        labels = [side[k] for k in sorted(side)]
        return labels if len(labels) <= OUTSIDE_LISTED else labels[:OUTSIDE_LISTED] + ["\u2026"]

    return {
        "earlier": listed(earlier),
        "later": listed(later),
        "n_earlier": len(earlier),
        "n_later": len(later),
        "n": n,
    }


def histogram(dates: Iterable[tuple[str, bool]]) -> dict[str, Any] | None:
    """Bins of ``(iso_date, inferred)`` pairs, one per dated site; None when no date parses.

    Returns ``{"unit": day|week|month|year, "bins": [[start, end, stated, inferred, label], ...]}``
    with ISO ``start`` (inclusive) and ``end`` (exclusive); empty bins are kept so the bars
    stand on a true time axis."""
    days = [(d, inferred) for iso, inferred in dates if (d := iso_date(iso)) is not None]
    if not days:
        return None
    first, last = min(d for d, _ in days), max(d for d, _ in days)
    span = (last - first).days
    unit = (
        "day"
        if span <= DAY_BINS_UP_TO
        else "week"
        if span <= WEEK_BINS_UP_TO
        else "month"
        if span <= MONTH_BINS_UP_TO
        else "year"
    )

    def start_of(d: dt.date) -> dt.date:
        if unit == "week":
            return d - dt.timedelta(days=d.weekday())
        if unit == "month":
            return d.replace(day=1)
        if unit == "year":
            return d.replace(month=1, day=1)
        return d

    def following(d: dt.date) -> dt.date:
        if unit == "year":
            return d.replace(year=d.year + 1)
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
    undated event sites stay on the map whatever the range. ``full`` is the histogram of every
    date and ``outside`` the :func:`outside_note` of the dates ``hist`` leaves out (the reader
    can switch to ``full``)."""

    _template = template("timerange.j2")

    def __init__(
        self,
        hist: dict[str, Any],
        undated: int = 0,
        *,
        full: dict[str, Any] | None = None,
        outside: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        if not hist or not hist.get("bins"):
            raise ValueError("TimeRange needs at least one bin")
        self._name = "GeomapTimeRange"
        self.hist = hist
        self.undated = undated
        self.full = full
        self.outside = outside

    @property
    def payload(self) -> str:
        return script_json(dict(self.hist, undated=self.undated, full=self.full, outside=self.outside))

    @property
    def js(self) -> str:
        return static("timerange.js").replace("</script", "<\\/script")

    @property
    def css(self) -> str:
        return static("timerange.css").replace("</", "<\\/")

    def render(self, **kwargs) -> None:
        from geomap.mapping.plugins.base import render_macros

        render_macros(self, kwargs, header_name="geomap_timerange")  # one copy of the code per page
