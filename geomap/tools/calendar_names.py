"""Month and weekday names: the one home of the calendar words that dates, the recognizer, the
map's popups and the evaluation each read."""

from __future__ import annotations

#: Month names in calendar order.
MONTH_NAMES: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
#: Abbreviations news writes (with or without a full stop): abbreviation -> month number. "May"
#: has none; "Sept" comes before "Sep" so a pattern built from them reads the longer first.
MONTH_ABBREVIATIONS: dict[str, int] = {
    "Jan": 1,
    "Feb": 2,
    "Mar": 3,
    "Apr": 4,
    "Jun": 6,
    "Jul": 7,
    "Aug": 8,
    "Sept": 9,
    "Sep": 9,
    "Oct": 10,
    "Nov": 11,
    "Dec": 12,
}
#: Weekday names, Monday first (Python's ``date.weekday()`` order).
WEEKDAY_NAMES: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: Lower-case month name or abbreviation -> month number (1-12).
MONTHS: dict[str, int] = {
    **{name.lower(): i for i, name in enumerate(MONTH_NAMES, start=1)},
    **{abbr.lower(): n for abbr, n in MONTH_ABBREVIATIONS.items()},
}
#: Lower-case weekday name -> ``date.weekday()`` number.
WEEKDAYS: dict[str, int] = {name.lower(): i for i, name in enumerate(WEEKDAY_NAMES)}
#: Every lower-case calendar word.
CALENDAR_WORDS: frozenset[str] = frozenset(MONTHS) | frozenset(WEEKDAYS)


def month_pattern() -> str:
    """A regex alternation of the capitalised month names and abbreviations, full names first."""
    return "(?:" + "|".join([*MONTH_NAMES, *MONTH_ABBREVIATIONS]) + ")"


def weekday_pattern() -> str:
    """A regex alternation of the capitalised weekday names."""
    return "(?:" + "|".join(WEEKDAY_NAMES) + ")"
