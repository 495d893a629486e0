"""One layer of events (one event type) as a single data blob and one JS loop."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from branca.element import Element
from folium.template import Template

from geomap.mapping.plugins.base import MapElement, template
from geomap.mapping.symbols import Symbol


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


class BoundPopup(MapElement):
    """A popup of already-escaped HTML (``html``) bound to the layer it is added to.

    folium's ``Popup`` builds its content with jQuery, which offline pages do not load, and puts
    the HTML inside a JavaScript template literal, where an article's "${...}" would run. This
    hands the HTML to Leaflet as a JSON string instead."""

    _template = Template(
        """{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.bindPopup({{ this.content }}, {{ this.options }});
{% endmacro %}"""
    )

    def __init__(self, html: str, *, max_width: int = 420) -> None:
        super().__init__()
        self._name = "GeomapPopup"
        self.content = script_json(html)
        self.options = script_json({"maxWidth": max_width})


class EventLayer(MapElement):
    """Markers for many events of one type, added to a FeatureGroup and optional cluster.

    rows: ``[lat, lon, popup_html, tooltip_html, iso_date, kind, area]`` with HTML
    already escaped by :mod:`geomap.mapping.popup`; kind 0 is a pin, 1 a badge for a
    region/country-level place (with ``areas[area]``, a GeoJSON outline, when known),
    2 a faint mark for a place that is not the event's site. ``background`` marks a layer of
    events the article recalls as history (the time control widens its range when the reader
    switches such a layer on).
    """

    _template = template("events.j2")

    def __init__(
        self,
        rows: list[list[Any]],
        *,
        symbol: Symbol,
        areas: dict[str, Any] | None = None,
        cluster: Element | None = None,
        background: bool = False,
    ) -> None:
        super().__init__()
        self.background = background
        self._name = "GeomapEvents"
        self.rows = rows
        self.symbol = symbol
        self.areas = areas or {}
        self.cluster = cluster

    @property
    def payload(self) -> str:
        s = self.symbol
        return script_json(
            {
                "type": escape(s.event_type),
                "color": s.color,
                "text": s.text,
                "glyph": escape(s.glyph),
                "rows": self.rows,
                "areas": self.areas,
                "background": self.background,
            }
        )
