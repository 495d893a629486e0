"""Popup and tooltip HTML for one events row; every article-derived string is escaped here."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from html import escape
from pathlib import PurePath
from typing import Any

from geomap.records import CHECK_BELOW
from geomap.tools.calendar_names import MONTH_NAMES
from geomap.tools.isodate import iso_date

#: How sure the place is, shown next to region-level places so they do not read as sites.
APPROXIMATE = {"region": "region-level place", "country": "country-level place", "continent": "continent-level place"}


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


def flag(value: Any) -> bool:
    """A boolean cell (a bool, 0/1, or 'true'/'yes'/'1' text from a CSV); missing is False."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "t", "yes", "y", "1")
    out = number(value)
    return bool(out) if out is not None else False


def number(value: Any, default: float | None = None) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return default
    return default if math.isnan(out) else out


def integer(value: Any, default: int) -> int:
    """A cell as an int; missing, unreadable or infinite values give ``default``."""
    out = number(value)
    return int(out) if out is not None and math.isfinite(out) else default


def format_date(iso: str, precision: str, date_text: str = "") -> str:
    """'8 January 2020' / 'January 2020' / '2020' by precision; date_text when unparseable."""
    day = iso_date(iso)
    if day is None:
        return date_text or "date unknown"
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{MONTH_NAMES[day.month - 1]} {day.year}"
    if precision == "unknown":
        return date_text or "date unknown"
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def safe_url(url: str) -> str | None:
    """Only http(s) links are linked; anything else (javascript:, data:) is shown as text."""
    url = url.strip()
    return url if url.lower().startswith(("http://", "https://")) else None


def _squash(part: str) -> str:
    """Runs of whitespace (a hard-wrapped line break included) as one space."""
    return re.sub(r"\s+", " ", part)


def highlight(sentence: str, start: int, end: int, place: str = "") -> str:
    """Escaped sentence with sentence[start:end] wrapped in <mark>; line breaks and runs of
    spaces read as one space, so a hard-wrapped quote reads as one line.

    Offsets that do not match the place text fall back to its first occurrence (line breaks
    inside the name allowed), so a stale offset never highlights the wrong words.
    """
    ok = 0 <= start < end <= len(sentence)
    if place and (not ok or _squash(sentence[start:end]) != _squash(place)):
        found = re.search(r"\s+".join(map(re.escape, place.split())), sentence) if place.strip() else None
        ok, start, end = (True, found.start(), found.end()) if found else (False, -1, -1)
    if not ok:
        return escape(_squash(sentence).strip())
    return (
        escape(_squash(sentence[:start]).lstrip())
        + "<mark>"
        + escape(_squash(sentence[start:end]))
        + "</mark>"
        + escape(_squash(sentence[end:]).rstrip())
    )


def display_name(row: Mapping[str, Any]) -> tuple[str, str]:
    """(name to show, local name for a tooltip or ''): the gazetteer's local spelling
    ("\u1e28alab") gives way to the English name the article wrote ("Aleppo") when that is a
    different name in plain letters, not the same name without its accents."""
    name, written = text(row.get("place_name")), " ".join(text(row.get("place_text")).split())
    if not name:
        return written, ""
    if name.isascii() or not written or not written.isascii() or not any(c.isalpha() for c in written):
        return name, ""
    if not written[0].isupper() or _plain(name) == _plain(written):
        return name, ""
    return written, name


def _plain(name: str) -> str:
    from unidecode import unidecode

    return re.sub(r"[^a-z]", "", unidecode(name).lower())


def confidence_html(value: Any) -> str:
    """'confidence 73%' (escaped), with a 'check this' flag under :data:`geomap.records.CHECK_BELOW`;
    '' if unknown."""
    conf = number(value)
    if conf is None or not math.isfinite(conf):
        return ""
    conf = min(max(conf, 0.0), 1.0)  # a confidence is a probability; a hand-edited table may hold anything
    out = f'<span class="gm-conf">confidence {round(conf * 100)}%</span>'
    if conf < CHECK_BELOW:
        out += (
            ' <span class="gm-check" title="the place was matched with low confidence: '
            'check it against the text">check this</span>'
        )
    return out


def _link(title: str, url: str) -> str:
    label = escape(title or url or "source")
    href = safe_url(url)
    if href is None:
        return label
    return f'<a href="{escape(href, quote=True)}" target="_blank" rel="noopener noreferrer">{label}</a>'


def source_list(raw: str) -> list[Mapping[str, Any]]:
    """The ``sources`` column's JSON list (one mapping per sentence that tells the event); [] if unreadable."""
    try:
        items = json.loads(raw) if raw else []
    except (TypeError, ValueError):
        return []
    return [s for s in items if isinstance(s, Mapping)] if isinstance(items, list) else []


def place_label(row: Mapping[str, Any]) -> str:
    """The name to show (see :func:`display_name`), else the name as written (plain text)."""
    return display_name(row)[0] or text(row.get("place_text"))


#: Shown next to the date when it was not stated with the event (``date_basis``).
DATE_BASIS = {"published": "date inferred from publication", "carried": "date carried from earlier in the paragraph"}
#: Shown on places that are not the event's site (``place_role``).
ROLES = {
    "context": "context: a wider area or a place around the event, not its site",
    "mentioned": "mentioned in the sentence, not where the event happened",
}


def source_name(row: Mapping[str, Any]) -> str:
    """The article's title, else its file name (the document id's last part), else its URL."""
    doc = text(row.get("doc_id"))
    return text(row.get("title")) or (PurePath(doc).name if doc else "") or text(row.get("url"))


def source_html(row: Mapping[str, Any]) -> str:
    """'Title · 11 March 2020 · link' for one row; only an http(s) URL is linked; escaped."""
    url = text(row.get("url"))
    name = source_name(row)
    source = [f'<span class="gm-title">{escape(name)}</span>'] if name else []
    published = text(row.get("published"))
    if published:
        source.append(f'<span class="gm-muted">{escape(format_date(published, "day", published))}</span>')
    href = safe_url(url)
    if href is not None:
        source.append(f'<a href="{escape(href, quote=True)}" target="_blank" rel="noopener noreferrer">link</a>')
    return " &middot; ".join(source)


def popup_html(row: Mapping[str, Any], color: str = "#555") -> str:
    """Popup for one (event, place) row."""
    date = format_date(text(row.get("date")), text(row.get("date_precision")), text(row.get("date_text")))
    etype = text(row.get("event_type")) or "other"
    parts = [
        '<div class="geomap-popup">',
        f'<div class="gm-head"><span class="gm-type" style="background:{escape(color, quote=True)}">'
        f'{escape(etype)}</span> <span class="gm-date">{escape(date)}</span>',
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

    written = text(row.get("place_text"))
    shown, local = display_name(row)
    if written or shown:
        name = escape(shown or written)
        where = [
            f'<span class="gm-name" title="{escape(local, quote=True)}">{name}</span>'
            if local
            else f'<span class="gm-name">{name}</span>'
        ]
        detail = [x for x in (text(row.get("admin1")), text(row.get("country"))) if x and x != shown]
        if detail:
            where.append(", " + escape(", ".join(dict.fromkeys(detail))))
        if written and " ".join(written.split()) != shown:
            where.append(
                f' <span class="gm-muted">(&ldquo;{escape(" ".join(written.split()))}&rdquo; in the text)</span>'
            )
        extra = [confidence_html(row.get("confidence"))]
        approx = APPROXIMATE.get(text(row.get("geo_precision")))
        if approx:
            extra.append(f'<span class="gm-muted">{escape(approx)}</span>')
        if any(extra):
            where.append('<div class="gm-meta">' + " &middot; ".join(e for e in extra if e) + "</div>")
        parts.append(f'<div class="gm-place">{"".join(where)}</div>')

    sentence = text(row.get("sentence"))
    if sentence:
        sent_start = integer(row.get("sent_start"), 0)
        start = integer(row.get("place_start"), -1) - sent_start
        end = integer(row.get("place_end"), -1) - sent_start
        quote = highlight(sentence, start, end, written)
        parts.append(f'<blockquote class="gm-quote">&ldquo;{quote}&rdquo;</blockquote>')

    url = text(row.get("url"))
    source = source_html(row)
    if source:
        parts.append(f'<div class="gm-source">{source}</div>')

    n_sources = integer(row.get("n_sources"), 1)
    if n_sources > 1:
        more = n_sources - 1
        label = f"+{more} more source{'s' if more > 1 else ''}"
        others = [
            s
            for s in source_list(text(row.get("sources")))
            if text(s.get("sentence")) != sentence or text(s.get("url")) != url
        ][:5]
        if others:
            items = "".join(
                f"<li>{_link(text(s.get('title')), text(s.get('url')))}"
                + (f"<br>&ldquo;{escape(_squash(text(s.get('sentence'))).strip())}&rdquo;" if s.get("sentence") else "")
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
