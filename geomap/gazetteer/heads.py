"""Words that end a place name but name its kind ("Anbar *Province*", "Licking *County*").

The one home of these lists outside the recognizer: the gazetteer's lookups, its builds and the
event places each use the set that fits their job.
"""

from __future__ import annotations

#: Heads a lookup strips when the whole name is not found ("Anbar Province" -> "Anbar"), each with
#: the kinds of place the stem may then be.
GENERIC_HEADS: dict[str, tuple[str, ...]] = {
    "province": ("admin1", "admin2", "region"),
    "governorate": ("admin1", "admin2"),
    "region": ("admin1", "admin2", "region"),
    "state": ("admin1",),
    "county": ("admin2", "admin1"),
    "district": ("admin1", "admin2", "city"),
    "oblast": ("admin1",),
    "prefecture": ("admin1",),
    "city": ("city",),
    "town": ("city",),
    "village": ("city",),
    "municipality": ("city", "admin2"),
    "territory": ("admin1",),
    "department": ("admin1",),
    "air base": ("airport",),
    "airport": ("airport",),
    "international airport": ("airport",),
    "base": ("airport", "site"),
    "outpost": ("airport", "site"),
}

#: Heads of second-level subdivision names ("Licking County", "Orleans Parish"): the build keeps
#: no alias that is only the stem; the lookup's head stripping finds the subdivision by it.
ADMIN2_HEADS: tuple[str, ...] = ("county", "parish", "borough", "district", "municipality", "census area")

#: Administrative heads that two names of one region may differ by ("Al Anbar Governorate" and
#: "Anbar"): left out when event places compare names.
ADMIN_HEADS: tuple[str, ...] = ("province", "governorate", "region", "state", "district", "oblast", "county")

#: Generic last words of gazetteer names that text often leaves out ("the Atlantic" for the
#: Atlantic Ocean): the resolver still counts the name as the place's own.
OMITTED_TAILS: tuple[str, ...] = ("ocean", "sea", "river", "county", "parish", "province", "governorate", "mountains")
