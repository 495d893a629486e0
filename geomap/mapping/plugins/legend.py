"""Legend: one row per drawn event type (counting the same rows as the layer names),
then what each kind of mark means."""

from __future__ import annotations

from html import escape

from geomap.mapping.plugins.base import Control
from geomap.mapping.symbols import Symbol


def swatch(s: Symbol, cls: str = "gm-swatch") -> str:
    return (
        f'<span class="{cls}" style="background:{escape(s.color, quote=True)};'
        f'color:{escape(s.text, quote=True)}">{escape(s.glyph)}</span>'
    )


def legend_html(
    symbols: list[Symbol],
    counts: dict[str, int],
    *,
    badges: bool = False,
    others: int = 0,
    unplaced: int = 0,
    background: int = 0,
) -> str:
    """``counts`` are the rows drawn per type; ``others`` the faint places, ``unplaced`` the listed
    events, ``background`` the sites of events the text recalls as history (off by default)."""
    rows = [
        f'<div class="gm-row" data-type="{escape(s.event_type, quote=True)}" '
        f'data-count="{counts.get(s.event_type, 0)}">'
        f'{swatch(s)}{escape(s.event_type)} <span class="gm-muted">({counts.get(s.event_type, 0)})</span></div>'
        for s in symbols
    ]
    marks = []
    if symbols:
        marks.append('<div class="gm-row"><span class="gm-pin-key"></span>where the event happened</div>')
    if badges:
        marks.append(
            '<div class="gm-row"><span class="gm-badge-key"></span>only the region or country is known '
            "(badge, dashed country outline)</div>"
        )
    if others:
        marks.append(
            f'<div class="gm-row" data-others="{others}"><span class="gm-faint-key"></span>other places '
            f"in the text ({others}), off: switch on in the layer list</div>"
        )
    if background:
        marks.append(
            f'<div class="gm-row" data-background="{background}"><span class="gm-background-key"></span>'
            f"background events, history the text recalls ({background}), off: switch on in the "
            "layer list</div>"
        )
    if unplaced:
        marks.append(
            f'<div class="gm-row" data-unplaced="{unplaced}">{unplaced} event'
            f"{'s' if unplaced != 1 else ''} without a mapped place: see the list</div>"
        )
    head = 'Event types <span class="gm-muted">(on the map)</span>' if symbols else "Legend"
    # folded to its heading on compact maps (see geomap.layout in the runtime)
    return (
        f"<details open><summary>{head}</summary>"
        + "".join(rows)
        + ('<div class="gm-marks">' + "".join(marks) + "</div>" if marks else "")
        + "</details>"
    )


class Legend(Control):
    """Bottom-right legend control."""

    def __init__(
        self,
        symbols: list[Symbol],
        counts: dict[str, int],
        *,
        badges: bool = False,
        others: int = 0,
        unplaced: int = 0,
        background: int = 0,
    ) -> None:
        super().__init__(
            "control",
            "bottomright",
            "geomap-box geomap-legend",
            legend_html(symbols, counts, badges=badges, others=others, unplaced=unplaced, background=background),
        )
        self._name = "GeomapLegend"
