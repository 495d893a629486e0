"""A mention's gazetteer candidates: by its name and the recognizer's hint, by a name followed by
its container ("Chicago Illinois"), a facility by its stem ("Camp Taji" -> Taji)."""

from __future__ import annotations

from geomap.gazetteer import Gazetteer, normalize_name
from geomap.gazetteer.areas import lies_in
from geomap.nlp.patterns import FACILITY_WORDS
from geomap.records import NO_HINT, Mention, Place
from geomap.resolve.context import main_key


def all_candidates(gaz: Gazetteer, mention: Mention) -> list[Place]:
    """Every gazetteer candidate of one mention, best-known first, using the recognizer's hint."""
    hint = mention.hint or NO_HINT
    if hint.capital_of:
        capital = gaz.capital(hint.capital_of)
        return [capital] if capital else []
    if hint.demonym:
        country = gaz.country(hint.country)
        return [country] if country else []
    if hint.name:  # "Iraqi Kurdistan": a name qualified by a demonym
        return gaz.lookup(mention.text) or gaz.lookup(hint.name, country=hint.country)
    kinds = hint.kinds
    found = gaz.lookup(mention.text, kinds=kinds, country=hint.country)
    if kinds and not any(p.kind in kinds for p in found):
        # Facilities are often written differently from the gazetteer ("Ain al-Assad
        # Airbase" for "Al Asad Air Base"): fall back to fuzzy matching within the kind.
        fuzzy = [
            p for p, _ in gaz.fuzzy(mention.text, kinds=kinds, country=hint.country) if _same_stem(mention.text, p.name)
        ]
        found = fuzzy or found
    if not found and not kinds:
        found = _name_and_container(gaz, mention.text)
    if not found and mention.label == "FAC":
        # "Camp Taji", "Bagram Airfield": a facility unknown to the gazetteer is placed
        # at the town or district it is named after.
        stem = _facility_stem(mention.text)
        if stem and stem != mention.text:
            # by the place's own name, word for word: "Fort Hood" is neither Al Hudaydah, which
            # "Hood" also spells, nor 'En Hod
            found = [
                p
                for p in gaz.lookup(stem, country=hint.country)
                if p.kind in ("city", "admin2")
                and main_key(p.name) == main_key(stem)
                and len(p.name.split()) == len(stem.split())
            ]
    return found


def _name_and_container(gaz: Gazetteer, text: str) -> list[Place]:
    """ "Chicago Illinois", "Herat Afghanistan": an unknown name that is a known name followed
    by its state or country, without the comma; the first name's candidates inside it."""
    words = text.split()
    for cut in range(len(words) - 1, 0, -1):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        containers = [p for p in gaz.lookup(tail) if p.kind in ("admin1", "country")]
        if containers:
            inside = [p for p in gaz.lookup(head) if any(lies_in(p, c) for c in containers)]
            if inside:
                return inside
    return []


def _facility_stem(text: str) -> str:
    """The name in a facility name without its facility words ("Camp Taji" -> "Taji")."""
    words = [w for w in text.split() if w.lower() not in FACILITY_WORDS]
    return " ".join(words)


#: How alike two facility names must be once their facility words are gone (rapidfuzz, 0-100).
_STEM_MATCH = 85.0


def _same_stem(a: str, b: str) -> bool:
    """The names of two facilities agree without their facility words ("Ain al-Assad Airbase" and
    "Al Asad Air Base" do; "Bagram Airfield" and "Sj Airfield" do not)."""
    from rapidfuzz import fuzz

    sa, sb = normalize_name(_facility_stem(a)), normalize_name(_facility_stem(b))
    return bool(sa and sb) and fuzz.token_set_ratio(sa, sb) >= _STEM_MATCH
