"""One layer of events (one event type) as a single data blob and one JS loop."""

from __future__ import annotations

import json
from typing import Any

from branca.element import Element

from geomap.mapping.plugins.base import MapElement, template


def script_json(value: Any) -> str:
    """JSON safe to place inside an inline <script>.

    Only '</' and '<!--' can end or confuse a script element, so escaping those
    (instead of every '<') keeps popup markup compact.
    """
    return (
        json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        .replace("</", "<\\/")
        .replace("<!--", "<\\u0021--")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


class EventLayer(MapElement):
    """Markers (or area rings) for many events, added to a FeatureGroup and optional cluster.

    rows: ``[lat, lon, popup_html, tooltip_html, iso_date, approx_radius_m]``
    with HTML already escaped by :mod:`geomap.mapping.popup`.
    """

    _template = template("events.j2")

    def __init__(self, rows: list[list[Any]], *, color: str, glyph_html: str,
                 cluster: Element | None = None) -> None:
        super().__init__()
        self._name = "GeomapEvents"
        self.rows = rows
        self.color = color
        self.glyph_html = glyph_html
        self.cluster = cluster

    @property
    def payload(self) -> str:
        return script_json({"color": self.color, "glyph": self.glyph_html, "rows": self.rows})
