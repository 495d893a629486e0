"""Popup and tooltip HTML for one events row; every article-derived string is escaped here."""

from __future__ import annotations

import datetime as dt
import json
import math
from html import escape
from typing import Any, Mapping

_MONTHS = (
    "January February March April May June July August September October November December"
).split()

#: How sure the place is, shown next to region-level places so they do not read as sites.
APPROXIMATE = {"region": "region-level place", "country": "country-level place",
               "continent": "continent-level place"}


def text(value: Any) -> str:
    """A cell as text: None/NaN/NA become ''."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    try:
        import pandas as pd

        if value is pd.NA:
            return ""
    except ImportError:  # pragma: no cover
        pass
    return str(value)


def number(value: Any, default: float | None = None) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return default
    return default if math.isnan(out) else out


def format_date(iso: str, precision: str, date_text: str = "") -> str:
    """'8 January 2020' / 'January 2020' / '2020' by precision; date_text when unparseable."""
    try:
        day = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return date_text or "date unknown"
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{_MONTHS[day.month - 1]} {day.year}"
    if precision == "unknown":
        return date_text or "date unknown"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def safe_url(url: str) -> str | None:
    """Only http(s) links are linked; anything else (javascript:, data:) is shown as text."""
    url = url.strip()
    return url if url.lower().startswith(("http://", "https://")) else None


def highlight(sentence: str, start: int, end: int, place: str = "") -> str:
    """Escaped sentence with sentence[start:end] wrapped in <mark>.

    Offsets that do not match the place text fall back to its first occurrence,
    so a stale offset never highlights the wrong words.
    """
    ok = 0 <= start < end <= len(sentence)
    if place and (not ok or sentence[start:end] != place):
        found = sentence.find(place)
        ok, start, end = found >= 0, found, found + len(place)
    if not ok:
        return escape(sentence)
    return (
        escape(sentence[:start]) + "<mark>" + escape(sentence[start:end]) + "</mark>"
        + escape(sentence[end:])
    )


def _link(title: str, url: str) -> str:
    label = escape(title or url or "source")
    href = safe_url(url)
    if href is None:
        return label
    return f'<a href="{escape(href, quote=True)}" target="_blank" rel="noopener noreferrer">{label}</a>'


def _sources(raw: str) -> list[Mapping[str, Any]]:
    try:
        items = json.loads(raw) if raw else []
    except (TypeError, ValueError):
        return []
    return [s for s in items if isinstance(s, Mapping)] if isinstance(items, list) else []


def place_label(row: Mapping[str, Any]) -> str:
    """Resolved name, else the name as written (plain text, not escaped)."""
    return text(row.get("place_name")) or text(row.get("place_text"))


#: Shown next to the date when it was not stated with the event (``date_basis``).
DATE_BASIS = {"published": "date inferred from publication",
              "carried": "date carried from earlier in the paragraph"}
#: Shown on places that are not the event's site (``place_role``).
ROLES = {"context": "context: a wider area or a place around the event, not its site",
         "mentioned": "mentioned in the sentence, not where the event happened"}


def source_name(row: Mapping[str, Any]) -> str:
    """The article's title, else its URL, else its document id (usually the file name)."""
    return text(row.get("title")) or text(row.get("url")) or text(row.get("doc_id"))


def source_html(row: Mapping[str, Any]) -> str:
    """'Title (linked) · published' for one row; escaped."""
    url = text(row.get("url"))
    name = source_name(row)
    source = [_link(name, url)] if name else []
    published = text(row.get("published"))
    if published:
        source.append(f'<span class="gm-muted">{escape(published)}</span>')
    return " &middot; ".join(source)


def popup_html(row: Mapping[str, Any], color: str = "#555") -> str:
    """Popup for one (event, place) row."""
    date = format_date(text(row.get("date")), text(row.get("date_precision")), text(row.get("date_text")))
    etype = text(row.get("event_type")) or "other"
    parts = [
        '<div class="geomap-popup">',
        f'<div class="gm-head"><span class="gm-type" style="background:{escape(color, quote=True)}">'
        f"{escape(etype)}</span> <span class=\"gm-date\">{escape(date)}</span>",
    ]
    date_text = text(row.get("date_text"))
    if date_text and date_text != date:
        parts.append(f' <span class="gm-muted">(&ldquo;{escape(date_text)}&rdquo;)</span>')
    basis = DATE_BASIS.get(text(row.get("date_basis")))
    if basis and text(row.get("date")):
        parts.append(f' <span class="gm-inferred">{escape(basis)}</span>')
    parts.append("</div>")
    role = ROLES.get(text(row.get("place_role")).strip().lower())
    if role:
        parts.append(f'<div class="gm-role">{escape(role)}</div>')

    written, resolved = text(row.get("place_text")), text(row.get("place_name"))
    if written or resolved:
        where = [escape(written or resolved)]
        detail = [x for x in (resolved if resolved and resolved != written else "",
                              text(row.get("admin1")), text(row.get("country"))) if x]
        if detail:
            where.append(" &rarr; " + escape(", ".join(dict.fromkeys(detail))))
        conf = number(row.get("confidence"))
        extra = []
        if conf is not None and math.isfinite(conf):
            # a confidence is a probability; a hand-edited table may hold anything
            extra.append(f"confidence {round(min(max(conf, 0.0), 1.0) * 100)}%")
        approx = APPROXIMATE.get(text(row.get("geo_precision")))
        if approx:
            extra.append(approx)
        if extra:
            where.append(f' <span class="gm-muted">({escape(", ".join(extra))})</span>')
        parts.append(f'<div class="gm-place">{"".join(where)}</div>')

    sentence = text(row.get("sentence"))
    if sentence:
        sent_start = int(number(row.get("sent_start"), 0) or 0)
        start = int(number(row.get("place_start"), -1) or 0) - sent_start
        end = int(number(row.get("place_end"), -1) or 0) - sent_start
        parts.append(
            f'<blockquote class="gm-quote">&ldquo;{highlight(sentence, start, end, written)}&rdquo;</blockquote>'
        )

    url = text(row.get("url"))
    source = source_html(row)
    if source:
        parts.append(f'<div class="gm-source">{source}</div>')

    n_sources = int(number(row.get("n_sources"), 1) or 1)
    if n_sources > 1:
        more = n_sources - 1
        label = f"+{more} more source{'s' if more > 1 else ''}"
        others = [s for s in _sources(text(row.get("sources")))
                  if text(s.get("sentence")) != sentence or text(s.get("url")) != url][:5]
        if others:
            items = "".join(
                f"<li>{_link(text(s.get('title')), text(s.get('url')))}"
                + (f"<br>&ldquo;{escape(text(s.get('sentence')))}&rdquo;" if s.get("sentence") else "")
                + "</li>"
                for s in others
            )
            parts.append(f'<details class="gm-more"><summary>{label}</summary><ul>{items}</ul></details>')
        else:
            parts.append(f'<div class="gm-more">{label}</div>')
    parts.append("</div>")
    return "".join(parts)


def tooltip_html(row: Mapping[str, Any]) -> str:
    """'Place — date' for hover."""
    name = place_label(row) or text(row.get("event_type")) or "event"
    date = format_date(text(row.get("date")), text(row.get("date_precision")), text(row.get("date_text")))
    if text(row.get("date_basis")) == "published" and text(row.get("date")):
        date += " (publication date)"
    role = text(row.get("place_role")).strip().lower()
    suffix = f" &middot; {escape(role)}" if role in ROLES else ""
    return f"{escape(name)} &middot; {escape(date)}{suffix}"
