"""Colour and glyph per event type, and how large an approximate place is drawn."""

from __future__ import annotations

from dataclasses import dataclass

#: Colour-blind-friendly-ish palette with enough contrast for white glyphs.
PALETTE = (
    "#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
    "#e377c2", "#17becf", "#7f7f7f", "#bcbd22", "#393b79", "#637939",
)

#: Fixed colours for common news event types so maps look alike across runs.
KNOWN = {
    "attack": "#d62728", "strike": "#d62728", "bombing": "#d62728", "killing": "#8b0000",
    "protest": "#ff7f0e", "demonstration": "#ff7f0e", "arrest": "#9467bd",
    "election": "#1f77b4", "meeting": "#17becf", "visit": "#17becf", "statement": "#7f7f7f",
    "deployment": "#393b79", "disaster": "#8c564b", "accident": "#8c564b",
    "agreement": "#2ca02c", "sanction": "#637939", "other": "#7f7f7f", "event": "#7f7f7f",
}

#: Radius (metres) of the ring drawn for a place known only to this precision.
APPROX_RADIUS_M = {"region": 60_000, "country": 250_000, "continent": 1_200_000}


@dataclass(frozen=True, slots=True)
class Symbol:
    """How one event type is drawn: colour and a short text glyph (font-independent)."""

    event_type: str
    color: str
    glyph: str


def assign_symbols(event_types: list[str]) -> dict[str, Symbol]:
    """Stable colours and distinct 1-2 letter glyphs for the given types."""
    types = sorted(dict.fromkeys(event_types))
    used_colors: set[str] = set()
    out: dict[str, Symbol] = {}
    free = iter([c for c in PALETTE if c not in {KNOWN.get(t.lower()) for t in types}] + list(PALETTE) * 10)
    firsts = [t[:1].upper() for t in types]
    for etype in types:
        color = KNOWN.get(etype.lower())
        if color is None or color in used_colors:
            color = next(c for c in free if c not in used_colors or len(used_colors) >= len(PALETTE))
        used_colors.add(color)
        letter = (etype[:1] or "?").upper()
        glyph = letter if firsts.count(letter) == 1 else (etype[:2].title() or "?")
        out[etype] = Symbol(etype, color, glyph)
    return out
