"""The date an ISO 8601 text starts with: the one home of "its first ten characters, or None"
that the page reader, the popups and the map's time range each need."""

from __future__ import annotations

import datetime as dt


def iso_date(value: object) -> dt.date | None:
    """The date of an ISO 8601 text (its first ten characters, around blanks ignored), or None
    when there is none (an empty or missing value, or a text that does not start with a date)."""
    try:
        return dt.date.fromisoformat(str(value).strip()[:10]) if value else None
    except ValueError:
        return None
