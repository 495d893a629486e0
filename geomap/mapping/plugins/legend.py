"""Legend: one row per event type plus the meaning of the dashed ring."""

from __future__ import annotations

from html import escape

from geomap.mapping.plugins.base import Control
from geomap.mapping.symbols import Symbol


def legend_html(symbols: list[Symbol], counts: dict[str, int], approximate: bool) -> str:
    rows = [
        f'<div class="gm-row"><span class="gm-swatch" style="background:{escape(s.color, quote=True)}">'
        f"{escape(s.glyph)}</span>{escape(s.event_type)} <span class=\"gm-muted\">({counts.get(s.event_type, 0)})</span></div>"
        for s in symbols
    ]
    if approximate:
        rows.append('<div class="gm-row"><span class="gm-ring"></span>approximate place (region/country)</div>')
    return "<h4>Event types</h4>" + "".join(rows)


class Legend(Control):
    """Bottom-right legend control."""

    def __init__(self, symbols: list[Symbol], counts: dict[str, int], approximate: bool = False) -> None:
        super().__init__("control", "bottomright", "geomap-box geomap-legend",
                         legend_html(symbols, counts, approximate))
        self._name = "GeomapLegend"
