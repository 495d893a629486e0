"""Find and resolve date expressions in news text.

Our own rules decide what counts as a date and how it resolves against the publication date;
dateparser only reads the odd absolute formats our patterns do not cover. The rules:

* a month/day with no year ("January 3") is the most recent such day not after publication;
* a bare weekday ("on Tuesday") is the most recent such weekday before publication (the
  publication day itself when it falls on that weekday: news says "on Wednesday" for today);
  a bare weekday, month or month/day in a clause the parse puts in the future ("will meet on
  Sunday", "is due to vote in May", "will test it during the week of May 6") is the next one
  after publication (the current month, and the publication day, included);
* "last year" / "this month" / "three years ago" resolve against publication, with year or
  month precision as written;
* "two days later", "the next day", "the same day" resolve against the previous date in the text;
* partial dates keep their precision: "in late 2017" is 2017 (year), "in January" a month;
* numeric dates ("21/03/2015", "5/9/1970:", "2015/03/21", "21.03.2015", "on 18/06") take the order a
  component above 12 settles, else the order another numeric date in the same text settles, else the
  reading not after publication and closest to it (without publication: "/" month first, "." and "-"
  day first); a day/month with no year is read like "January 3". A bare "12/02" counts only after a
  date word ("on", "since", a weekday ...) or in parentheses, so fractions, scores and ratios stay out;
* a range ("between 1 and 3 May 2020", "1-3 May") is its first day;
* "last night" and "overnight" are the day before publication; "this morning", "tonight" and
  "earlier today" are the publication day;
* a relative day followed by an explicit date in parentheses ("today (21/03)") takes the explicit date;
* durations ("three years", "24 hours"), plain counts and codes ("Story Code: 454560") are not dates.

Month and year precision dates are stored as the first day of the period.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from geomap.errors import DateError
from geomap.io.readers import parse_date
from geomap.records import DatePrecision, DateRef
from geomap.tools.calendar_names import MONTHS, WEEKDAYS, month_pattern, weekday_pattern
from geomap.tools.ranks import coarser_precision
from geomap.tools.spans import overlaps_any

_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "several": None,
    "few": None,
}

# Month names are matched case-sensitively (capitalised) so "may" and "march" stay verbs.
_MONTH = month_pattern() + r"\.?"
_WEEKDAY = weekday_pattern()
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|2[01]\d\d)"
_NUM = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_UNIT = r"(?:day|week|month|year)s?"
_QUAL = r"(?:early|mid|late|the\s+(?:end|start|beginning|middle)\s+of)"

_RANGE_TO = r"(?:\s*[-–]\s*|\s+(?:and|to|till|until)\s+)"
_RANGE_LEAD = r"(?i:between|from|(?:night|nights)\s+of)\s+"
# Words after which a bare day/month ("on 18/06") reads as a date; parentheses also qualify.
_NUM_DM_LEAD = re.compile(
    rf"(?:\b(?i:on|since|until|till|dated|before|after|(?:night|morning|afternoon|evening|hours|day|date)\s+of)"
    rf"|{_WEEKDAY},?)\s*$"
)
# "24/7" (round the clock) and "9/11" (the 2001 attacks) name no day of their own.
_NOT_NUMERIC = {("24", "7"), ("24", "07"), ("9", "11"), ("09", "11")}

# Words read against publication and the day they name, counted from it.
_REL_DAYS = {
    "day before yesterday": -2,
    "yesterday": -1,
    "today": 0,
    "tomorrow": 1,
    "tonight": 0,
    "last night": -1,
    "overnight": -1,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
}

# Each pattern has a name used by _resolve; order matters (longest forms first).
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-3]\d)\b")),
    # 2015/03/21, 2015.03.21
    (
        "num_ymd",
        re.compile(
            rf"(?<![\w/.\-])(?P<y>{_YEAR})(?P<sep>[/.])(?P<m>0?[1-9]|1[0-2])(?P=sep)(?P<d>[0-3]?\d)(?![\w/]|[.\-]\d)"
        ),
    ),
    # 21/03/2015, 5/9/1970, 21.03.2015, 18-06-2016, 21/03/15 (two-digit years only with "/")
    (
        "num_full",
        re.compile(
            rf"(?<![\w/.\-])(?P<a>\d{{1,2}})(?P<sep>[/.\-])(?P<b>\d{{1,2}})(?P=sep)"
            rf"(?P<y>{_YEAR}|(?<=/)\d\d)(?![\w/]|[.\-]\d)"
        ),
    ),
    # 18/06 (context checked in find_dates)
    ("num_dm", re.compile(r"(?<![\w/.\-,$€£])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\w/%]|[.,]\d|\s*(?i:of|percent)\b)")),
    # between 1 and 3 May 2020, 1-3 May, the night of 3 to 4 May: the first day
    (
        "range_dm",
        re.compile(
            rf"(?:{_RANGE_LEAD}\b(?P<d>{_DAY}){_RANGE_TO}|\b(?P<d2>{_DAY})\s*[-–]\s*)"
            rf"{_DAY}\s+(?:of\s+)?(?P<mon>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?\b"
        ),
    ),
    ("range_md", re.compile(rf"\b(?P<mon>{_MONTH})\s+(?P<d>{_DAY}){_RANGE_TO}{_DAY}(?:,?\s+(?P<y>{_YEAR}))?\b")),
    ("mdy", re.compile(rf"\b(?P<mon>{_MONTH})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})\b")),
    ("dmy", re.compile(rf"\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<mon>{_MONTH}),?\s+(?P<y>{_YEAR})\b")),
    ("md", re.compile(rf"\b(?P<mon>{_MONTH})\s+(?P<d>{_DAY})\b(?!\s*(?:,\s*)?\d)")),
    ("dm", re.compile(rf"\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<mon>{_MONTH})\b(?!\s*,?\s*\d)")),
    ("qual_year", re.compile(rf"\b(?P<q>{_QUAL})[\s-]*(?P<y>{_YEAR})\b", re.I)),
    ("month_year", re.compile(rf"\b(?P<mon>{_MONTH}),?\s+(?:of\s+)?(?P<y>{_YEAR})\b")),
    ("qual_month", re.compile(rf"\b(?P<q>(?i:early|mid|late))[\s-]*(?P<mon>{_MONTH})\b(?!\s*\d)")),
    ("rel_month", re.compile(rf"\b(?P<w>(?i:last|next|this))\s+(?P<mon>{_MONTH})\b(?!\s*\d)")),
    (
        "prep_month",
        re.compile(
            rf"\b(?i:in|since|until|by|during|through|from|before|after)\s+(?P<core>(?P<mon>{_MONTH}))\b(?!\s*\d)"
        ),
    ),
    (
        "prep_year",
        re.compile(
            rf"\b(?i:in|since|until|by|during|through|from|before|after)\s+(?P<core>(?P<y>{_YEAR}))\b"
            r"(?![\-–/]?\d|\s*(?:%|percent|people|troops|soldiers|km|kilomet|miles))"
        ),
    ),
    (
        "weekday",
        re.compile(
            rf"\b(?:(?P<w>(?i:last|next|this))\s+)?(?P<wd>{_WEEKDAY})"
            r"(?:\s+(?:morning|afternoon|evening|night))?\b"
        ),
    ),
    ("ago", re.compile(rf"\b(?P<n>{_NUM})\s+(?P<u>{_UNIT})\s+ago\b", re.I)),
    # "two days later"; "two days after" only when nothing follows ("after the raid" has its own anchor)
    (
        "shift",
        re.compile(
            rf"\b(?P<n>{_NUM}|hours)\s+(?:(?P<u>{_UNIT})\s+)?(?P<dir>later|earlier)\b"
            rf"|\b(?P<n2>{_NUM})\s+(?P<u2>{_UNIT})\s+(?P<dir2>after|before)\b(?=\s*[,.;]|\s+that\b)",
            re.I,
        ),
    ),
    (
        "anchor_day",
        re.compile(
            r"\b(?:the\s+(?P<dir>next|following|previous|preceding)\s+day"
            r"|the\s+day\s+(?P<dir2>before|after)(?=\s*[,.;])"
            r"|(?:the|that)\s+same\s+day|that\s+day)\b",
            re.I,
        ),
    ),
    ("rel_period", re.compile(r"\b(?P<w>last|this|next)\s+(?P<u>year|month)\b", re.I)),
    (
        "rel_day",
        re.compile(
            r"\b(?P<w>(?:the\s+(?=day\s))?"
            + "|".join(word.replace(" ", r"\s+") for word in sorted(_REL_DAYS, key=len, reverse=True))
            + r")\b",
            re.I,
        ),
    ),
]
_RELATIVE_NAMES = {"weekday", "rel_day"}
_EXPLICIT_DAY = {"iso", "num_ymd", "num_full", "num_dm", "range_dm", "range_md", "mdy", "dmy", "md", "dm"}
# What may stand between a relative day and the explicit date that pins it down.
_RELATIVE_AND_EXPLICIT = re.compile(r"\s*(?:,\s*|\(\s*|\s(?i:on)\s+)?(?i:the\s+)?")

# A number right after one of these is an identifier, never a date.
_CODE_BEFORE = re.compile(r"(?:\b(?:code|id|no\.?|number|ref)|#)\s*[:#]?\s*$", re.I)
# A spaCy DATE span that only measures time ("three years", "24 hours", "the past decade").
_DURATION = re.compile(
    rf"^(?:for\s+|over\s+|the\s+)?(?:past\s+|last\s+|next\s+|coming\s+|first\s+)?"
    rf"(?:{_NUM}|\d+|several|few|many|a\s+few|a\s+couple\s+of|couple\s+of)?\s*"
    r"(?:more\s+)?(?:second|minute|hour|day|week|month|year|decade|century|centuries)s?"
    r"(?:\s+(?:long|old))?$",
    re.I,
)
# A dateline: a header line holding only a date and maybe a time ("11 Mar 2020 - 10:16").
_DATELINE = re.compile(
    rf"^\s*(?:(?:{_WEEKDAY}),?\s+)?(?:(?P<d>{_DAY})\s+(?P<mon>{_MONTH}),?\s+(?P<y>{_YEAR})"
    rf"|(?P<mon2>{_MONTH})\s+(?P<d2>{_DAY}),?\s+(?P<y2>{_YEAR})"
    rf"|(?P<iy>{_YEAR})-(?P<im>0[1-9]|1[0-2])-(?P<id>[0-3]\d))"
    r"(?:\s*[-–—|,T@]?\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:[A-Z]{2,4}|GMT[+-]?\d*)?)?\s*$"
)


#: The news window of an article: what it reports happened at most this many days before its
#: publication date (an article of 11 March that tells of a strike on 8 January still reports it,
#: rarely more than a quarter back) ...
NEWS_BEFORE_DAYS = 92
#: ... and is scheduled at most this many days after it.
NEWS_AFTER_DAYS = 31


def period_end(date: dt.date, precision: str) -> dt.date:
    """The last day of the period ``date`` names at ``precision`` (its day, month or year)."""
    if precision == "year":
        return dt.date(date.year, 12, 31)
    if precision == "month":
        return (date.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return date


def before_news_window(date: dt.date, precision: str, published: dt.date) -> bool:
    """Did the period of ``date`` end before the news window of an article published on ``published``?"""
    return period_end(date, precision) < published - dt.timedelta(days=NEWS_BEFORE_DAYS)


def parse_user_date(value: str) -> dt.date:
    """Parse a date given by the user (CLI option, table column); DateError if unreadable."""
    parsed = parse_date(value, where="date")
    if parsed is None:
        raise DateError("empty date (use YYYY-MM-DD)")
    return parsed


def detect_published(text: str, *, max_lines: int = 12) -> dt.date | None:
    """Return the date of a dateline ("11 Mar 2020 - 10:16") among the first lines, if any."""
    for line in text.splitlines()[:max_lines]:
        match = _DATELINE.match(line)
        if not match:
            continue
        g = match.groupdict()
        try:
            if g["iy"]:
                return dt.date(int(g["iy"]), int(g["im"]), int(g["id"]))
            day, mon, year = (g["d"], g["mon"], g["y"]) if g["d"] else (g["d2"], g["mon2"], g["y2"])
            return dt.date(int(year), _month(mon), _day(day))
        except ValueError:
            continue
    return None


def find_dates(doc, published: dt.date | None) -> list[DateRef]:
    """Date expressions of a parsed Doc resolved against ``published``, in text order.

    Candidates come from our patterns and from spaCy DATE entities our patterns missed
    (read by dateparser); datelines, durations, counts and codes are skipped.
    """
    text = doc.text
    skip = _dateline_spans(text)
    found: list[tuple[int, int, str, re.Match[str] | None]] = []
    taken: list[tuple[int, int]] = list(skip)
    for name, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span("core") if "core" in match.groupdict() else match.span()
            if overlaps_any(start, end, taken) or not _plausible(name, match, text, doc):
                continue
            taken.append((start, end))
            found.append((start, end, name, match))
    for ent in getattr(doc, "ents", ()):
        if ent.label_ != "DATE" or overlaps_any(ent.start_char, ent.end_char, taken):
            continue
        taken.append((ent.start_char, ent.end_char))
        found.append((ent.start_char, ent.end_char, "ent", None))
    found.sort(key=lambda item: item[0])
    day_first = _numeric_order(m for _, _, name, m in found if name in _TWO_WAY)

    refs: list[DateRef] = []
    names: list[str] = []
    for start, end, name, match in found:
        if _CODE_BEFORE.search(text[max(0, start - 20) : start]):
            continue
        anchor = refs[-1] if refs else None
        resolved = _resolve(name, match, text[start:end], published, anchor, day_first)
        if resolved is None:
            continue
        date, precision = resolved
        if (
            name in _TENSED
            and published is not None
            and not (match.groupdict().get("w"))
            and _future_clause(doc, start, end)
        ):
            date = _upcoming(name, match, published)
        # "today (21/03)", "on Friday, 6 March", "overnight on 3 May": the explicit date says which
        # day the relative words before it mean; "6 March (Friday)" keeps the explicit one
        follows = start
        while (
            name in _EXPLICIT_DAY
            and names
            and names[-1] in _RELATIVE_NAMES
            and _RELATIVE_AND_EXPLICIT.fullmatch(text[refs[-1].end : follows])
        ):
            follows = refs.pop().start
            names.pop()
        if (
            name == "weekday"
            and names
            and names[-1] in _EXPLICIT_DAY
            and _RELATIVE_AND_EXPLICIT.fullmatch(text[refs[-1].end : start])
        ):
            continue
        refs.append(DateRef(text=text[start:end], start=start, end=end, date=date, precision=precision))
        names.append(name)
    return refs


#: Bare weekdays, months and days of a month: which one they mean depends on the tense of their clause.
_TENSED = {"weekday", "prep_month", "qual_month", "md", "dm"}
#: Auxiliaries of the future ("will meet", "shall vote", "'ll go").
_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
#: Heads whose infinitive is what is to come ("is going to vote", "is due to meet", "set to open").
_FUTURE_HEADS = {"go", "due", "schedule", "set", "expect", "plan", "slate", "poise"}


def _future_clause(doc, start: int, end: int) -> bool:
    """Does the parse put the clause of the date at ``start:end`` in the future?"""
    span = doc.char_span(start, end, alignment_mode="expand") if hasattr(doc, "char_span") else None
    if span is None or len(span) == 0:
        return False
    verb = span.root
    for _ in range(4):  # up to the verb the date phrase hangs on
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    if any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in verb.children):
        return True
    head = verb.head
    return (
        any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        and head.i != verb.i
        and head.lemma_.lower() in _FUTURE_HEADS
        and head.tag_ != "VBD"
    )


def _upcoming(name: str, m: re.Match[str], published: dt.date) -> dt.date:
    """The next such weekday after publication, this or the next such month, or the next such
    day of a month on or after publication."""
    if name in ("md", "dm"):
        for year in range(published.year, published.year + 8):
            try:
                candidate = dt.date(year, _month(m["mon"]), _day(m["d"]))
            except ValueError:
                continue
            if candidate >= published:
                return candidate
    if name == "weekday":
        target = WEEKDAYS[m["wd"].lower()]
        return published + dt.timedelta(days=(target - published.weekday()) % 7 or 7)
    month = _month(m["mon"])
    return dt.date(published.year if month >= published.month else published.year + 1, month, 1)


def _plausible(name: str, match: re.Match[str], text: str, doc) -> bool:
    """Context checks a pattern alone cannot make."""
    if name in _TWO_WAY and (match["a"], match["b"]) in _NOT_NUMERIC:
        return False
    if name == "num_dm":
        before, after = text[max(0, match.start() - 20) : match.start()], text[match.end() :]
        if before.endswith("(") and after.startswith(")"):
            return True
        if re.search(r"(?:^|\n)\s*$", before) and re.match(r"\s*:", after):
            return True  # a heading "12/02: ..."
        return _NUM_DM_LEAD.search(before) is not None
    if name == "rel_day" and match["w"].lower() == "overnight":
        token = next((tok for tok in doc if tok.idx == match.start()), None)
        return token is None or token.dep_ != "amod"  # "an overnight curfew" names no day
    return True


def _numeric_order(matches) -> bool | None:
    """Day first (True) or month first (False) when a numeric date of the text settles it."""
    votes = set()
    for m in matches:
        a, b = int(m["a"]), int(m["b"])
        if a > 12 >= b:
            votes.add(True)
        elif b > 12 >= a:
            votes.add(False)
    return votes.pop() if len(votes) == 1 else None


def _dateline_spans(text: str) -> list[tuple[int, int]]:
    spans, offset = [], 0
    for line in text.splitlines(keepends=True):
        if _DATELINE.match(line.rstrip("\r\n")):
            spans.append((offset, offset + len(line)))
        offset += len(line)
    return spans


def _month(name: str) -> int:
    return MONTHS[name.rstrip(".").lower()]


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def _number(text: str | None) -> int | None:
    if text is None:
        return 1
    text = text.lower()
    return int(text) if text.isdigit() else _NUMBERS.get(text)


def _latest_not_after(month: int, day: int, published: dt.date) -> dt.date:
    """The most recent month/day on or before publication (Feb 29 falls back a year as needed)."""
    for year in range(published.year, published.year - 8, -1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= published:
            return candidate
    raise ValueError("no such day")


def _add_months(date: dt.date, months: int) -> dt.date:
    index = date.year * 12 + date.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _shift(anchor: dt.date, n: int, unit: str) -> dt.date:
    unit = unit.rstrip("s")
    if unit == "day":
        return anchor + dt.timedelta(days=n)
    if unit == "week":
        return anchor + dt.timedelta(weeks=n)
    if unit == "month":
        return _add_months(anchor, n)
    return dt.date(anchor.year + n, 1, 1)


def _truncate(date: dt.date, precision: DatePrecision) -> dt.date:
    if precision == "year":
        return dt.date(date.year, 1, 1)
    if precision == "month":
        return dt.date(date.year, date.month, 1)
    return date


def _unit_precision(unit: str) -> DatePrecision:
    unit = unit.lower().rstrip("s")
    return "year" if unit == "year" else "month" if unit == "month" else "day"


def _resolve(
    name: str,
    m: re.Match[str] | None,
    span: str,
    published: dt.date | None,
    anchor: DateRef | None,
    day_first: bool | None = None,
) -> tuple[dt.date, DatePrecision] | None:
    """Apply one rule; None when the expression is no date or cannot be anchored."""
    try:
        if name in _NUMERIC:
            return _NUMERIC[name](m, published, day_first)
        return _RULES[name](m, span, published, anchor)
    except (ValueError, KeyError, OverflowError):
        return None


def _readings(m: re.Match[str], day_first: bool | None) -> list[tuple[int, int]]:
    """The (month, day) readings of a numeric a/b, the settled order first."""
    a, b = int(m["a"]), int(m["b"])
    readings = [(b, a), (a, b)] if a != b else [(a, b)]
    readings = [(mo, d) for mo, d in readings if 1 <= mo <= 12 and 1 <= d <= 31]
    if len(readings) == 2 and day_first is not None:
        readings = readings[:1] if day_first else readings[1:]
    return readings


def _closest(candidates: list[dt.date], published: dt.date | None) -> dt.date:
    """The candidate not after publication and closest to it (else the closest after it)."""
    if published is None or len(candidates) == 1:
        return candidates[0]
    before = [c for c in candidates if c <= published]
    return max(before) if before else min(candidates)


def _full_year(text: str, published: dt.date | None) -> int:
    year = int(text)
    if year >= 100:
        return year
    pivot = published.year if published else 2049
    # the century that puts the year closest to publication without passing it, unless that is a
    # lifetime away ("3/30/18" in a text dated 2011 is 2018, not 1918)
    readings = [century + year for century in (1900, 2000)]
    not_after = [y for y in readings if pivot - 80 <= y <= pivot + 1]
    return max(not_after) if not_after else min(readings, key=lambda y: abs(pivot - y))


def _r_num_full(m, published, day_first):
    year = _full_year(m["y"], published)
    dates = []
    for month, day in _readings(m, day_first):
        try:
            dates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not dates:
        return None
    if published is None and len(dates) == 2 and m["sep"] == "/":
        dates.reverse()  # without other evidence "/" reads month first, "." and "-" day first
    return _closest(dates, published), "day"


def _r_num_dm(m, published, day_first):
    if published is None:
        return None
    dates = []
    for month, day in _readings(m, day_first):
        try:
            dates.append(_latest_not_after(month, day, published))
        except ValueError:
            continue
    return (max(dates), "day") if dates else None


def _r_num_ymd(m, published, day_first):
    return dt.date(int(m["y"]), int(m["m"]), int(m["d"])), "day"


def _r_full(m, span, published, anchor):
    return dt.date(int(m["y"]), _month(m["mon"]) if "mon" in m.groupdict() else int(m["m"]), _day(m["d"])), "day"


def _r_month_day(m, span, published, anchor):
    if published is None:
        return None
    return _latest_not_after(_month(m["mon"]), _day(m["d"]), published), "day"


def _r_year(m, span, published, anchor):
    return dt.date(int(m["y"]), 1, 1), "year"


def _r_month_year(m, span, published, anchor):
    return dt.date(int(m["y"]), _month(m["mon"]), 1), "month"


def _r_month(m, span, published, anchor):
    if published is None:
        return None
    month = _month(m["mon"])
    year = published.year if month <= published.month else published.year - 1
    word = (m.groupdict().get("w") or "").lower()
    if word == "next":
        year = published.year if month > published.month else published.year + 1
    elif word == "last" and month == published.month:
        year -= 1
    return dt.date(year, month, 1), "month"


def _r_weekday(m, span, published, anchor):
    if published is None:
        return None
    target = WEEKDAYS[m["wd"].lower()]
    word = (m["w"] or "").lower()
    back = (published.weekday() - target) % 7
    if word == "next":
        ahead = (target - published.weekday()) % 7 or 7
        return published + dt.timedelta(days=ahead), "day"
    if word == "last" and back == 0:
        back = 7
    return published - dt.timedelta(days=back), "day"


def _r_ago(m, span, published, anchor):
    n = _number(m["n"])
    if published is None or n is None:
        return None
    precision = _unit_precision(m["u"])
    return _truncate(_shift(published, -n, m["u"].lower()), precision), precision


def _r_shift(m, span, published, anchor):
    if anchor is None or anchor.precision == "unknown":
        return None
    count, unit, direction = (m["n"], m["u"], m["dir"]) if m["n"] else (m["n2"], m["u2"], m["dir2"])
    if count.lower() == "hours":
        return anchor.date, anchor.precision
    n = _number(count)
    if n is None or not unit:
        return None
    sign = 1 if direction.lower() in ("later", "after") else -1
    precision = coarser_precision(anchor.precision, _unit_precision(unit))
    return _truncate(_shift(anchor.date, sign * n, unit.lower()), precision), precision


def _r_anchor_day(m, span, published, anchor):
    if anchor is None or anchor.precision == "unknown":
        return None
    direction = (m["dir"] or m["dir2"] or "").lower()
    if direction and anchor.precision != "day":
        return None  # "the next day" after "in January" says nothing precise
    step = {"next": 1, "following": 1, "after": 1, "previous": -1, "preceding": -1, "before": -1}
    return anchor.date + dt.timedelta(days=step.get(direction, 0)), anchor.precision


def _r_rel_period(m, span, published, anchor):
    if published is None:
        return None
    step = {"last": -1, "this": 0, "next": 1}[m["w"].lower()]
    unit = m["u"].lower()
    if unit == "year":
        return dt.date(published.year + step, 1, 1), "year"
    return _add_months(published, step), "month"


def _r_rel_day(m, span, published, anchor):
    if published is None:
        return None
    step = _REL_DAYS[re.sub(r"^the ", "", re.sub(r"\s+", " ", m["w"].lower()))]
    return published + dt.timedelta(days=step), "day"


def _r_entity(m, span, published, anchor):
    """A spaCy DATE entity our patterns did not cover: only clear calendar dates pass."""
    cleaned = span.strip()
    if _DURATION.match(cleaned):
        return None
    if re.fullmatch(r"(?:the\s+)?(?:19|20)\d\d", cleaned, re.I):
        return dt.date(int(cleaned[-4:]), 1, 1), "year"
    has_month = re.search(_MONTH, cleaned) is not None
    numeric_date = re.search(r"\b\d{1,4}[/.]\d{1,2}[/.]\d{2,4}\b", cleaned) is not None
    if not (has_month or numeric_date):
        return None  # counts, codes, "recent years", "the season": no calendar date
    return _dateparser(cleaned, published)


def _dateparser(text: str, published: dt.date | None):
    from dateparser.date import DateDataParser  # slow import, rarely needed

    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if published is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(published, dt.time(12))
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    period = data.period if data.period in ("day", "month", "year") else "day"
    return _truncate(data.date_obj.date(), period), period


def _r_range(m, span, published, anchor):
    day = m["d"] or m.groupdict().get("d2")
    if m["y"]:
        return dt.date(int(m["y"]), _month(m["mon"]), _day(day)), "day"
    if published is None:
        return None
    return _latest_not_after(_month(m["mon"]), _day(day), published), "day"


_NUMERIC = {"num_full": _r_num_full, "num_dm": _r_num_dm, "num_ymd": _r_num_ymd}
_TWO_WAY = {"num_full", "num_dm"}  # numeric dates whose day/month order is open
_RULES = {
    "range_dm": _r_range,
    "range_md": _r_range,
    "iso": _r_full,
    "mdy": _r_full,
    "dmy": _r_full,
    "md": _r_month_day,
    "dm": _r_month_day,
    "qual_year": _r_year,
    "prep_year": _r_year,
    "month_year": _r_month_year,
    "qual_month": _r_month,
    "rel_month": _r_month,
    "prep_month": _r_month,
    "weekday": _r_weekday,
    "ago": _r_ago,
    "shift": _r_shift,
    "anchor_day": _r_anchor_day,
    "rel_period": _r_rel_period,
    "rel_day": _r_rel_day,
    "ent": _r_entity,
}


def iter_dates_in(refs: list[DateRef], start: int, end: int) -> Iterator[DateRef]:
    """The dates whose text lies inside [start, end)."""
    return (ref for ref in refs if start <= ref.start and ref.end <= end)
