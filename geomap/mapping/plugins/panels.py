"""Small panels: events without a mapped place, the title, the tile-error notice."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from geomap.mapping import popup
from geomap.mapping.plugins.base import Control
from geomap.mapping.symbols import Symbol, symbol_for


def unplaced_html(
    rows: list[Mapping[str, Any]], symbols: Mapping[str, Symbol] | None = None, total: int | None = None
) -> str:
    """One item per event: its type, date, sentence, the article it comes from and, when the
    text names places only in passing (``_mentions``), those."""
    from geomap.mapping.plugins.legend import swatch

    items = []
    for row in rows:
        etype = popup.text(row.get("event_type")) or "other"
        sym = (symbols or {}).get(etype) or symbol_for(etype)
        date = popup.format_date(
            popup.text(row.get("date")), popup.text(row.get("date_precision")), popup.text(row.get("date_text"))
        )
        if popup.text(row.get("date_basis")) == "published" and popup.text(row.get("date")):
            date += " (publication date)"
        mentions = [m for m in row.get("_mentions") or [] if m]
        where = (
            (f'<br><span class="gm-muted">mentions {escape(", ".join(mentions))} (not where it happened)</span>')
            if mentions
            else ""
        )
        items.append(
            f'<li data-date="{escape(popup.text(row.get("date")), quote=True)}">'
            f"{swatch(sym, 'gm-swatch')}<b>{escape(etype)}</b> &middot; {escape(date)}"
            f"<br>&ldquo;{popup.highlight(popup.text(row.get('sentence')), -1, -1)}&rdquo;{where}"
            f'<br><span class="gm-src">{popup.source_html(row)}</span></li>'
        )
    shown = f"{total}, first {len(rows)} listed" if total and total > len(rows) else str(len(rows))
    return f"<details><summary>Events without a mapped place ({shown})</summary><ul>{''.join(items)}</ul></details>"


class UnplacedPanel(Control):
    """Collapsible list of events that have no place to pin."""

    def __init__(
        self, rows: list[Mapping[str, Any]], symbols: Mapping[str, Symbol] | None = None, total: int | None = None
    ) -> None:
        super().__init__("panel", unplaced_html(rows, symbols, total))
        self._name = "GeomapUnplaced"


class Title(Control):
    def __init__(self, title: str) -> None:
        super().__init__("title", escape(title))
        self._name = "GeomapTitle"


class TileNotice(Control):
    """Shown once when base tiles fail (e.g. offline); events stay usable.

    ``fallback_message`` is shown instead when the runtime could switch the
    base map to the offline country outlines.
    """

    def __init__(
        self,
        message: str = "Base map tiles could not be loaded (offline?). Events are still shown.",
        fallback_message: str | None = None,
    ) -> None:
        args = [message] if fallback_message is None else [message, fallback_message]
        super().__init__("tileNotice", *args)
        self._name = "GeomapTileNotice"


class Fit(Control):
    """The first view: ``bounds`` of the event sites, padded by the controls' sizes.
    Add it after every control so their sizes are known."""

    def __init__(self, bounds: list[list[float]], max_zoom: int) -> None:
        super().__init__("fit", bounds, max_zoom)
        self._name = "GeomapFit"
