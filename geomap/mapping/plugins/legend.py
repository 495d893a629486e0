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
    extra: tuple[str, ...] = (),
) -> str:
    """``counts`` are the rows drawn per type; ``others`` the faint places, ``unplaced`` the listed
    events, ``background`` the sites of events the text recalls as history (off by default);
    ``extra`` are rows of marks that layers added later explain (already escaped HTML)."""
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
    marks.extend(extra)
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
        self._parts = (
            symbols,
            counts,
            {"badges": badges, "others": others, "unplaced": unplaced, "background": background},
        )
        self._extra: list[str] = []
        super().__init__("control", "bottomright", "geomap-box geomap-legend", self._html())
        self._name = "GeomapLegend"

    def _html(self) -> str:
        symbols, counts, options = self._parts
        return legend_html(symbols, counts, **options, extra=tuple(self._extra))

    def add_mark(self, key_html: str, text: str) -> None:
        """One more row of marks: ``key_html`` (our own markup: a key swatch) before ``text`` (escaped
        here), for a layer added after the map was made (a store's incidents)."""
        self._extra.append(f'<div class="gm-row">{key_html}{escape(text)}</div>')
        self.args[2] = self._html()


def legend_of(m) -> Legend | None:
    """The map's legend, if it has one."""
    return next((child for child in m._children.values() if isinstance(child, Legend)), None)
