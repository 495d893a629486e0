"""One fixed symbol (colour + letters) per event type, the same in every map.

The types of ``geomap/events/taxonomy.json`` each have a fixed entry in
:data:`FIXED`. Colours come from Paul Tol's and Okabe & Ito's colour-blind-safe
palettes and are grouped by family (violence in reds and purples, unrest in
oranges, hazards in browns and yellows, security in blues, politics in greens
and teals, speech in greys), so a reader sees the kind of event at a glance.
No two types share a colour or letters, and the letters alone tell every type
apart, so nothing depends on seeing colour. The letter colour (white or
near-black) is whichever contrasts more with the fill.

A type outside the taxonomy (a user's own) gets a symbol derived from its name,
so it is the same in every map: a colour from :data:`EXTRA_COLORS` (none of them
a fixed colour) and two letters of its name that no fixed type uses. Only when
two such types in one map would share letters or a colour does the later one
(by name) take the next free one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

#: type -> (colour, letters). Documented in README.md (Map symbols); keep the two in step.
FIXED: dict[str, tuple[str, str]] = {
    # violence
    "assassination": ("#882255", "As"),
    "abduction": ("#AA4499", "Ab"),
    "bombing": ("#A50026", "Bo"),
    "strike": ("#D55E00", "St"),
    "fighting": ("#CC3311", "Fi"),
    "assault": ("#EE3377", "At"),
    "casualties": ("#5C1A33", "Ca"),
    "destruction": ("#994F00", "De"),
    # unrest and law
    "arrest": ("#332288", "Ar"),
    "riot": ("#EE7733", "Ri"),
    "protest": ("#E69F00", "Pr"),
    # hazards
    "disaster": ("#6B4226", "Di"),
    "outbreak": ("#999933", "Ob"),
    "accident": ("#DDCC77", "Ac"),
    # security
    "deployment": ("#004488", "Dp"),
    "sanction": ("#0077BB", "Sa"),
    "threat": ("#88CCEE", "Th"),
    # politics
    "agreement": ("#117733", "Ag"),
    "vote": ("#44AA99", "Vo"),
    "hearing": ("#225555", "He"),
    "meeting": ("#009E73", "Me"),
    # speech and the rest
    "statement": ("#555555", "Sm"),
    "other": ("#BBBBBB", "Ot"),
}

#: Colours for types outside the taxonomy; none is in FIXED.
EXTRA_COLORS = ("#7A5195", "#3D5A80", "#8F6B3A", "#2F6F4F", "#B5525C", "#5E6472", "#6C8EAD", "#A0784B")

#: Marker classes, in the legend in this order.
PIN, BADGE, FAINT = "pin", "badge", "faint"


@dataclass(frozen=True, slots=True)
class Symbol:
    """How one event type is drawn: fill colour, 1-2 letters and the letters' colour."""

    event_type: str
    color: str
    glyph: str
    text: str = "#fff"


def _luminance(color: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_color(fill: str) -> str:
    """White or near-black letters, whichever reads better on ``fill``."""
    return "#fff" if contrast(fill, "#ffffff") >= contrast(fill, "#111111") else "#111"


def _fixed(etype: str) -> Symbol:
    color, glyph = FIXED[etype]
    return Symbol(etype, color, glyph, text_color(color))


_FIXED_GLYPHS = {g.lower() for _, g in FIXED.values()}


def _glyph_candidates(etype: str) -> list[str]:
    """Two-letter glyphs from the name (first letter + a later consonant, then a later
    vowel), then first letter + digit; none a fixed type's."""
    letters = [c for c in etype if c.isalnum()] or ["x"]
    first = letters[0].upper()
    rest = [c.lower() for c in letters[1:] if c.lower() != first.lower()]
    out = [first + c for c in rest if c not in "aeiou"] + [first + c for c in rest if c in "aeiou"]
    out += [first + d for d in "23456789"]
    return [g for g in dict.fromkeys(out) if g.lower() not in _FIXED_GLYPHS]


def custom_symbol(etype: str, taken: set[str] = frozenset(), taken_colors: set[str] = frozenset()) -> Symbol:
    """Symbol of a type outside the taxonomy: depends on its name only, unless another
    such type in the same map already has its letters or colour (then the next free
    ones, in an order that again depends on the name only)."""
    digest = int(hashlib.sha256(etype.encode("utf-8")).hexdigest(), 16)
    n = len(EXTRA_COLORS)
    colors = [EXTRA_COLORS[(digest + i) % n] for i in range(n)]
    color = next((c for c in colors if c not in taken_colors), colors[0])
    glyph = next((g for g in _glyph_candidates(etype) if g.lower() not in taken), None)
    if glyph is None:  # pragma: no cover - needs more than ~30 custom types sharing letters
        glyph = f"{etype[:1].upper()}{digest % 100}"
    return Symbol(etype, color, glyph, text_color(color))


def symbol_for(etype: str) -> Symbol:
    """The symbol of one type on its own (fixed, or derived from the name)."""
    key = etype.lower()
    return _fixed(key) if key in FIXED else custom_symbol(etype)


def assign_symbols(event_types: list[str]) -> dict[str, Symbol]:
    """Symbols for the given types: fixed for taxonomy types, name-derived for others.

    Taxonomy types (any case) always get their :data:`FIXED` symbol, whatever else
    is on the map; letters never repeat within a map.
    """
    types = sorted(dict.fromkeys(event_types))
    out: dict[str, Symbol] = {}
    taken: set[str] = set()
    taken_colors: set[str] = set()
    for etype in types:
        if etype.lower() in FIXED:
            sym = _fixed(etype.lower())
            out[etype] = Symbol(etype, sym.color, sym.glyph, sym.text)
    for etype in types:
        if etype not in out:
            sym = custom_symbol(etype, taken, taken_colors)
            taken.add(sym.glyph.lower())
            taken_colors.add(sym.color)
            out[etype] = sym
    return out
