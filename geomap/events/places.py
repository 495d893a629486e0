"""Where an event happens: place mentions attached to its trigger, their roles, containment."""

from __future__ import annotations

import re

from geomap.events.syntax import clause_of, mention_tokens
from geomap.events.taxonomy import STATEMENT, EventType
from geomap.gazetteer.areas import lies_in
from geomap.gazetteer.heads import ADMIN_HEADS
from geomap.gazetteer.normalize import normalize_name
from geomap.records import EventPlace, Mention, Place
from geomap.tools.ranks import KIND_BREADTH

#: Prepositions that put an event somewhere ("from" only for movements).
LOC_PREPS = {
    "in",
    "at",
    "on",
    "near",
    "inside",
    "outside",
    "against",
    "into",
    "to",
    "across",
    "throughout",
    "around",
    "over",
    "within",
    "off",
    "along",
    "onto",
    "outside of",
}
#: Event types whose direct object is where it happened ("attacked Baghdad", "visited Kyiv").
OBJECT_IS_PLACE = {"strike", "fighting", "protest", "meeting", "disaster", "deployment", "assassination"}
#: Event types whose "from X" is where they happened ("troops withdrew from X", "abducted from X").
MOVE_TYPES = {"deployment", "abduction"}
#: Dependencies that keep a token inside the same noun phrase when walking up to its preposition.
_NOMINAL = {"compound", "appos", "conj", "amod", "nmod", "flat", "nummod", "cc"}
#: Verbs whose object, or whose "on"/"to" object, is someone addressed, not a place: "urged Paris
#: and Berlin to act", "called on Washington", "appealed to Moscow", "warned Tehran".
ADDRESS_VERBS = {
    "urge",
    "ask",
    "tell",
    "warn",
    "press",
    "pressure",
    "accuse",
    "thank",
    "invite",
    "criticize",
    "criticise",
    "condemn",
    "blame",
    "call",
    "appeal",
    "implore",
    "encourage",
    "persuade",
    "request",
    "praise",
    "congratulate",
    "remind",
    "advise",
    "lobby",
    "petition",
    "challenge",
    "reassure",
    "assure",
    "inform",
    "notify",
    "convince",
    "reproach",
    "rebuke",
    "caution",
    "beseech",
    "exhort",
}
#: Prepositions that introduce the addressee of an ADDRESS_VERBS verb ("called on", "appealed to").
_ADDRESS_PREPS = {"on", "upon", "to"}


def is_addressee(tok) -> bool:
    """A place the parse makes someone spoken to: the object of an appeal or a warning ("urged
    Paris and Berlin to act"), or its "on"/"to" phrase ("called on Washington")."""
    dep, head = _governor(tok)
    if dep in ("dobj", "dative", "iobj"):
        return head.lemma_.lower() in ADDRESS_VERBS
    if dep == "pobj" and head.lower_ in _ADDRESS_PREPS and head.head.i != head.i:
        return head.head.lemma_.lower() in ADDRESS_VERBS
    return False


def is_actor_like(tok) -> bool:
    """A subject, possessor or addressee, not a place something happens at: a metonymic actor
    ("Washington said", "Moscow denied", "urged Paris to act") or a modifier."""
    cur = tok
    while cur.dep_ in _NOMINAL and cur.head.i != cur.i:
        cur = cur.head
    if cur.dep_ == "pobj" and cur.head.lower_ == "by":
        return True  # "attacks by Iran": the agent
    if is_addressee(tok):
        return True
    return cur.dep_ in ("nsubj", "nsubjpass", "poss", "agent", "csubj") or tok.dep_ == "poss"


def _governor(tok):
    """Walk up the noun phrase; return (dep, head) where the phrase attaches."""
    cur = tok
    while cur.dep_ in _NOMINAL and cur.head.i != cur.i:
        cur = cur.head
    return cur.dep_, cur.head


def _reaches(tok, targets: set[int], limit: int = 12) -> bool:
    for _ in range(limit):
        if tok.i in targets:
            return True
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def attached_places(trigger, etype: EventType, mentions: list[Mention], doc) -> list[Mention]:
    """Location mentions where the trigger's event happens, by dependency structure."""
    scope = clause_of(trigger)
    anchors = {trigger.i, scope.i}
    # Reported speech happens where it is said ("said in Baghdad"), not where its content is.
    reach = 1 if etype.name == STATEMENT else 12
    found = []
    for mention in mentions:
        if mention.role != "location":
            continue
        for tok in mention_tokens(mention, doc):
            if is_actor_like(tok):
                continue
            dep, head = _governor(tok)
            prep = head.lower_ if dep == "pobj" else ""
            if dep == "pobj" and (prep in LOC_PREPS or (prep == "from" and etype.name in MOVE_TYPES)):
                if _reaches(head, anchors, reach):
                    found.append(mention)
                    break
            if dep == "dobj" and head.i in anchors and etype.name in OBJECT_IS_PLACE:
                found.append(mention)
                break
    return found


_GENERIC = re.compile(r"\b(" + "|".join(ADMIN_HEADS) + r")\b")


def _norm(name: str | None) -> str:
    """Gazetteer name key without generic heads ("Al Anbar Governorate" = "Anbar")."""
    return " ".join(_GENERIC.sub(" ", normalize_name(name or "")).split())


def same_place(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None:
        return False
    if a.geonameid is not None and b.geonameid is not None:
        return a.geonameid == b.geonameid
    return _norm(a.name) == _norm(b.name) and abs(a.lat - b.lat) < 0.05 and abs(a.lon - b.lon) < 0.05


def contains(a: Place | None, b: Place | None) -> bool:
    """True when place ``b`` lies in place ``a`` (:func:`geomap.gazetteer.areas.lies_in`)."""
    if a is None or b is None or same_place(a, b):
        return False
    return lies_in(b, a)


def _contained_in_text(outer: Mention, inner: Mention, doc) -> bool:
    """ "X in the Y region" / "X, Y": a region mention attached to another place mention."""
    if outer.place is None or outer.place.kind not in ("country", "admin1", "admin2", "region", "continent"):
        return False
    inner_span = doc.char_span(inner.start, inner.end, alignment_mode="expand")
    if inner_span is None:
        return False
    inner_ids = {t.i for t in inner_span}
    for tok in mention_tokens(outer, doc):
        dep, head = _governor(tok)
        if dep == "pobj" and head.lower_ == "in" and head.head.i in inner_ids:
            return True
        if tok.dep_ == "appos" and tok.head.i in inner_ids:
            return True
    return False


def place_roles(attached: list[Mention], others: list[Mention], doc) -> list[EventPlace]:
    """Roles of a sentence's places: an attached place is the event's unless it is doubtful
    (:data:`SITE_DOUBT`; then it is only mentioned), contains another attached one, or is coarse
    (a country, continent, sea …) beside a finer one; then it is context."""
    result: list[EventPlace] = []
    others = [m for m in attached if doubtful(m)] + others  # only mentioned (SITE_DOUBT)
    attached = [m for m in attached if not doubtful(m)]
    finer = any(m.place is not None and not is_coarse(m.place) for m in attached)
    for mention in attached:
        broader = (finer and mention.place is not None and is_coarse(mention.place)) or any(
            other is not mention and (contains(mention.place, other.place) or _contained_in_text(mention, other, doc))
            for other in attached
        )
        result.append(EventPlace(mention, "context" if broader else "event"))
    # The most specific event place first: it is the one a map pins and a coder records.
    result.sort(key=lambda ep: (ep.role != "event", specificity(ep) if ep.role == "event" else 0))
    for mention in others:
        result.append(EventPlace(mention, "mentioned"))
    return unique_places(result)


def unique_places(places: list[EventPlace]) -> list[EventPlace]:
    """One entry per place (the first telling), the stronger role winning."""
    order = {"event": 0, "context": 1, "mentioned": 2}
    kept: list[EventPlace] = []
    for ep in places:
        for i, seen in enumerate(kept):
            if seen.mention is ep.mention or same_place(seen.mention.place, ep.mention.place):
                if order[ep.role] < order[seen.role]:
                    kept[i] = EventPlace(seen.mention, ep.role)
                break
        else:
            kept.append(ep)
    return kept


#: Place kinds too coarse to say where an event happened when a finer place is named with it.
COARSE_KINDS = {"country", "continent"}
#: GeoNames feature codes of water (class H): streams, seas, oceans, lakes, bays, straits.
WATER_CODES = {
    "STM",
    "STMS",
    "STMI",
    "STMA",
    "STMB",
    "STMC",
    "STMD",
    "STMH",
    "STMM",
    "STMQ",
    "STMSB",
    "STMX",
    "SEA",
    "OCN",
    "LK",
    "LKS",
    "LKI",
    "LKN",
    "LKO",
    "LKX",
    "RSV",
    "BAY",
    "BAYS",
    "GULF",
    "STRT",
    "CHN",
    "CHNM",
    "CHNN",
    "CNL",
    "SD",
    "LGN",
    "ESTY",
    "FJD",
    "INLT",
    "COVE",
    "SOUND",
}
#: Last words that make a name a body of water ("the Red Sea", "the Tigris River"), whatever the
#: gazetteer resolved it to.
WATER_WORDS = {"river", "sea", "ocean", "gulf", "strait", "straits"}


def is_water(place: Place | None, name: str = "") -> bool:
    """A river, sea, ocean or lake, by its GeoNames code or by the word that ends its name."""
    if place is not None and place.feature_code in WATER_CODES:
        return True
    words = [normalize_name(n).split() for n in (name, place.name if place else "") if n]
    return any(w and w[-1] in WATER_WORDS for w in words)


def is_coarse(place: Place) -> bool:
    """A country, a continent, an area of no country or a body of water (an ocean, a sea, a
    river): never the site when a finer place is named beside it ("demonstrated on the Pacific
    road in Villa Nueva")."""
    return place.kind in COARSE_KINDS or (place.kind == "region" and not place.country_code) or is_water(place)


#: A place whose confidence (the resolver's probability that it is right) is below this is more
#: likely a misreading ("Dr" read as a town, a news agency read as a capital) than the place
#: the text means: it is never an event's site, so the event takes a surer place near it or
#: stays unplaced. Chosen on the dev news set and events-dev (docs/events-accuracy.md).
SITE_DOUBT = 0.3


def doubtful(mention: Mention) -> bool:
    """A resolved place too unsure to stand for where an event happened (:data:`SITE_DOUBT`)."""
    return mention.place is not None and mention.confidence < SITE_DOUBT


def can_be_site(mention: Mention, doc) -> bool:
    """A resolved place that may stand for where an event happened: not a doubtful reading
    (:data:`SITE_DOUBT`), not an actor or an addressee ("Moscow denied", "urged Paris to act"); a
    country, continent or body of water only in a location phrase ("protests in Chad", "capsized
    on the Nile")."""
    if mention.place is None or mention.role != "location" or doubtful(mention):
        return False
    if any(is_actor_like(t) for t in mention_tokens(mention, doc)):
        return False
    if is_coarse(mention.place) or is_water(mention.place, mention.text):
        return in_location_phrase(mention, doc)
    return True


def place_rank(place: Place | None) -> int:
    """Smaller is more specific: a site before a town before a district, region, country
    (an area of no country, such as an ocean, ranks with countries; no place ranks last)."""
    if place is None:
        return 9
    return KIND_BREADTH["country"] if is_coarse(place) else KIND_BREADTH.get(place.kind, 2)


def specificity(ep: EventPlace) -> int:
    return place_rank(ep.mention.place)


def in_location_phrase(mention: Mention, doc) -> bool:
    for tok in mention_tokens(mention, doc):
        dep, head = _governor(tok)
        if not is_actor_like(tok) and dep == "pobj" and head.lower_ in LOC_PREPS:
            return True
    return False
