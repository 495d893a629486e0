"""Small panels: events without a mapped place, the title, the tile-error notice."""

from __future__ import annotations

from html import escape
from typing import Any, Mapping

from geomap.mapping import popup
from geomap.mapping.plugins.base import Control


def unplaced_html(rows: list[Mapping[str, Any]]) -> str:
    items = []
    for row in rows:
        date = popup.format_date(popup.text(row.get("date")), popup.text(row.get("date_precision")),
                                 popup.text(row.get("date_text")))
        title, url = popup.text(row.get("title")), popup.text(row.get("url"))
        href = popup.safe_url(url)
        source = ""
        if title or url:
            label = escape(title or url)
            source = (f' <a href="{escape(href, quote=True)}" target="_blank" rel="noopener noreferrer">{label}</a>'
                      if href else f" {label}")
        items.append(
            f'<li data-date="{escape(popup.text(row.get("date")), quote=True)}">'
            f"<b>{escape(popup.text(row.get('event_type')) or 'event')}</b> &middot; {escape(date)}"
            f"<br>&ldquo;{escape(popup.text(row.get('sentence')))}&rdquo;{source}</li>"
        )
    return (f"<details><summary>Events without a mapped place ({len(rows)})</summary>"
            f"<ul>{''.join(items)}</ul></details>")


class UnplacedPanel(Control):
    """Collapsible list of events that have no place to pin."""

    def __init__(self, rows: list[Mapping[str, Any]]) -> None:
        super().__init__("panel", unplaced_html(rows))
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

    def __init__(self, message: str = "Base map tiles could not be loaded (offline?). "
                 "Events are still shown.",
                 fallback_message: str | None = None) -> None:
        args = [message] if fallback_message is None else [message, fallback_message]
        super().__init__("tileNotice", *args)
        self._name = "GeomapTileNotice"
