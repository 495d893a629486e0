"""Date slider: a range input over the events' distinct dates that filters markers."""

from __future__ import annotations

from geomap.mapping.plugins.base import Control


class TimeSlider(Control):
    """``dates`` are sorted ISO dates, ``labels`` how to show each of them."""

    def __init__(self, dates: list[str], labels: list[str]) -> None:
        if len(dates) != len(labels) or not dates:
            raise ValueError("TimeSlider needs one label per date and at least one date")
        super().__init__("slider", dates, labels)
        self._name = "GeomapTimeSlider"
