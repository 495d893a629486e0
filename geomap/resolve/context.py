"""What a document says about its places, besides the names themselves: the groups of same-name
mentions, the countries its unambiguous names vouch for, the states and counties it names (also
outside the mentions), containment written "X, Y", "X in Y", "X (Y)", and the words that call a
name a town or a state."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from geomap.gazetteer import Gazetteer, normalize_name
from geomap.gazetteer.heads import OMITTED_TAILS
from geomap.nlp.patterns import PLACE_TYPE_NOUNS
from geomap.records import NO_HINT, Mention, Place
from geomap.tools.distance import NEAR_KM
from geomap.tools.spans import overlaps_any

AREAS = ("country", "continent", "region")
#: A first-level region with fewer people than a town of its name abroad has, by this factor, is
#: out of the running for that name unless the text speaks of a region or of its country.
_OUTSIZED = 3
#: ... and the town abroad has at least this many people.
_OUTSIZING_TOWN = 100_000


def outsized(region: Place, found: list[Place]) -> bool:
    """Is a first-level region dwarfed by a big town of its name in another country?"""
    abroad = max((q.population for q in found if q.kind == "city" and q.country_code != region.country_code), default=0)
    return abroad >= _OUTSIZING_TOWN and region.population * _OUTSIZED < abroad


#: Places whose point stands for what the text puts in them (not a state or a country: too large).
CONTAINER_KINDS = ("city", "admin2")


@dataclass(frozen=True)
class Cues:
    """What the text's words say each name is, per group of same-name mentions (0 or 1)."""

    town_word: dict[str, float]
    town_sentence: dict[str, float]
    state_word: dict[str, float]


#: Words that make the name beside them a town: "the town of X", "X city", "downtown X".
_TOWN_NOUN = r"(?:town|city|village|borough|township|hamlet|municipality)"
_TOWN_BEFORE = re.compile(rf"\b(?:{_TOWN_NOUN}\s+of|downtown)\s+$", re.I)
_TOWN_AFTER = re.compile(
    rf"^\s+(?:{_TOWN_NOUN})\b(?!\s+(?:council|hall|manager|limits|police|school|centre|center)\b)", re.I
)
#: A town's own institutions after its name: "X Police Department", "X High School", "X Mayor"
#: (not "X City Council": "Oklahoma" before "City Council" is no town, see _TOWN_AFTER).
_TOWN_INSTITUTION = re.compile(
    r"^\s+(?:police\s+(?:department|dept|chief)|fire\s+(?:department|dept|chief)|"
    r"high\s+school|middle\s+school|elementary|mayor|board\s+of\s+education|"
    r"school\s+board|public\s+library)\b",
    re.I,
)
#: Words of a sentence about a town: its size, charter, seat, people.
_TOWN_TALK = re.compile(
    r"\b(?:town|village|borough|township|population|inhabitants|residents|incorporated|"
    r"county seat|settled|founded|downtown|census)\b",
    re.I,
)
#: "the state of X", "X state", "X province" (not "X State University").
_STATE_BEFORE = re.compile(r"\b(?:state|province|region|governorate|prefecture)\s+of\s+$", re.I)
_STATE_AFTER = re.compile(
    r"^\s+(?:state|province|governorate|prefecture)\b(?!\s+(?:university|college|"
    r"police|park|department|route|highway|road|senate|house|fair)\b)",
    re.I,
)
_CUE_WINDOW = 25


def document_cues(mentions: list[Mention], text: str, groups: dict[str, list[int]]) -> Cues:
    town_word: dict[str, float] = {}
    town_sentence: dict[str, float] = {}
    state_word: dict[str, float] = {}
    for key, idx in groups.items():
        tw = ts = sw = 0.0
        for i in idx:
            m = mentions[i]
            if not text or m.end > len(text):
                continue
            before = text[max(0, m.start - _CUE_WINDOW) : m.start]
            after = text[m.end : m.end + _CUE_WINDOW]
            if _TOWN_BEFORE.search(before) or _TOWN_AFTER.match(after) or _TOWN_INSTITUTION.match(after):
                tw = 1.0
            if _STATE_BEFORE.search(before) or _STATE_AFTER.match(after):
                sw = 1.0
            sentence = text[m.sent_start : m.start] + " " + text[m.end : m.sent_end]
            if _TOWN_TALK.search(sentence):
                ts = 1.0
        town_word[key], town_sentence[key], state_word[key] = tw, ts, sw
    return Cues(town_word, town_sentence, state_word)


#: A town below this size, far from every country the text names, needs its own evidence.
_SMALL_TOWN = 50_000
#: How many other unambiguous names must vouch for the text's countries before a namesake abroad
#: is dropped (one foreign country in passing, "migrants from Afghanistan", is not enough).
_FRIEND_EVIDENCE = 2


def document_evidence(groups: dict[str, list[int]], cands: dict[str, list[Place]]) -> tuple[Counter, set[str]]:
    """Document context from the unambiguous evidence: countries and regions named outright,
    and the countries of single-candidate mentions (votes weighted by mentions)."""
    country_votes: Counter[str] = Counter()
    admin_named: set[str] = set()
    for key, cc in vote_by_group(groups, cands).items():
        country_votes[cc] += len(groups[key])
    for key in groups:
        for p in cands[key]:
            if p.kind == "admin1" and p.admin1_code and normalize_name(p.name) == key:
                admin_named.add(p.admin1_code)
    return country_votes, admin_named


def states_named(named: list[tuple[int, int, Place]], counties: list[Place]) -> set[str]:
    """First-level regions a text names outright, and the state its counties point to: the
    state of a county whose name only one state has, or the one state that most of the named
    counties' names share ("Tazewell County and Woodford County": Illinois, not Virginia or
    Kentucky)."""
    states = {p.admin1_code for _, _, p in named if p.kind == "admin1" and p.admin1_code}
    by_name: dict[str, set[str]] = defaultdict(set)
    for c in counties:
        if c.admin1_code:
            by_name[normalize_name(c.name)].add(c.admin1_code)
    votes = Counter(code for codes in by_name.values() for code in codes)
    for codes in by_name.values():
        if len(codes) == 1:
            states |= codes
    if votes:
        (top, n), *rest = votes.most_common(2)
        if n >= 2 and (not rest or rest[0][1] < n):
            states.add(top)
    return states


def text_containers(mentions: list[Mention], text: str, named: list[tuple[int, int, Place]]) -> dict[str, list[Place]]:
    """ "Greenville, Indiana" where the text's state or county is no mention: the mention's group ->
    the places of the area written right after it."""
    out: dict[str, list[Place]] = defaultdict(list)
    if not named:
        return out
    starts: dict[int, list[Place]] = defaultdict(list)
    for start, _, p in named:
        starts[start].append(p)
    for m in mentions:
        for start, places in starts.items():
            if start > m.end and start - m.end <= 30 and _CONTAINER_SEP.match(text[m.end : start]):
                out[group_key(m)].extend(places)
    return out


def named_counties(groups: dict[str, list[int]], cands: dict[str, list[Place]]) -> list[Place]:
    """Counties named outright by a mention ("Hempstead County")."""
    return [
        p
        for key in groups
        for p in cands[key][:5]
        if p.kind == "admin2" and normalize_name(p.name) == key and _COUNTY_WORD.search(p.name)
    ]


#: A town within NEAR_KM of the point of a county the text names lies in or next to it.
COUNTY_KM = NEAR_KM
#: Second-level areas named with their type word ("Hempstead County", "County Cork", "Orleans Parish").
_COUNTY_WORD = re.compile(r"\b(?:county|parish|borough)\b", re.I)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
#: A dotted state abbreviation after a comma ("Mo.", "N.H.", "Ga.").
_STATE_ABBR = re.compile(r",\s*((?:[A-Z][a-z]{0,3}\.\s?){1,2})(?=[\s,;:)]|$)")
#: Two or three capitals after a comma: a state's or province's postal code ("Portland, OR").
_POSTAL_CODE = re.compile(r",\s*([A-Z]{2,3})(?=[\s,;:.)]|$)")
#: Countries whose postal codes of states and provinces are their ISO 3166-2 codes, and are
#: written after town names.
_POSTAL_COUNTRIES = ("US", "CA", "AU")
#: Only spaces (or a hyphen) may stand between the words of one name.
_SAME_NAME = re.compile(r"^[ -]$")
_MAX_ADMIN_WORDS = 4
#: A region name that more countries than this have is no evidence when only the text names it.
_MAX_REGION_COUNTRIES = 2


@lru_cache(maxsize=50_000)
def _word_key(word: str) -> str:
    return normalize_name(word)


def vote_by_group(groups: dict[str, list[int]], cands: dict[str, list[Place]]) -> dict[str, str]:
    """The country each unambiguous group vouches for: all its candidates lie in one country,
    or its best-known candidate is a country or continent that no first-level region of another
    country shares the name of ("Georgia" vouches for neither Georgia nor the United States)."""
    votes: dict[str, str] = {}
    for key in groups:
        options = cands[key]
        if not options:
            continue
        ccs = {p.country_code for p in options if p.country_code}
        top = options[0]
        if len(ccs) == 1 or (
            top.kind in ("country", "continent")
            and not any(
                p.kind == "admin1" and p.country_code != top.country_code and normalize_name(p.name) == key
                for p in options
            )
        ):
            cc = top.country_code or next(iter(ccs), None)
            if cc:
                votes[key] = cc
    return votes


def false_friend(key: str, ranked: list[Place], votes: dict[str, str], picked: dict[str, str | None]) -> bool:
    """Better unplaced than a namesake abroad: the text is about one country (at least two other
    unambiguous names vouch for it and every other place resolves there), none of this name's
    candidates lies in it, and the pick is a small town or site ("IITA" read as a town in
    Paraguay beside Abomey-Calavi, Atlantique)."""
    others = [cc for k, cc in votes.items() if k != key]
    named = set(others) | {cc for k, cc in picked.items() if k != key and cc}
    pick = ranked[0]
    if len(others) < _FRIEND_EVIDENCE or len(named) != 1 or pick.kind in AREAS + ("admin1", "admin2"):
        return False  # areas are often named by an exonym ("Nicosia" for the Lefkosia district)
    return pick.population < _SMALL_TOWN and not any(p.country_code in named for p in ranked)


def main_key(name: str) -> str:
    key = normalize_name(name)
    for tail in OMITTED_TAILS:
        if key.endswith(" " + tail):
            return key[: -len(tail) - 1]
    return key


def group_key(m: Mention) -> str:
    hint = m.hint or NO_HINT
    if hint.capital_of:
        return f"capital:{hint.capital_of}"
    if hint.demonym:
        return f"country:{hint.country}"
    return normalize_name(hint.same_as or m.text)


#: Place-type words that may stand between a name and its container ("Feni town (Feni Sadar, …)").
_CONTAINER_NOUNS = "|".join(sorted(re.escape(w) for w in PLACE_TYPE_NOUNS))
#: What separates a name from its container: "X, Y", "X in Y", "X near Y", "X (Y", "X district, Y".
_CONTAINER_SEP = re.compile(rf"^(?:\s+(?:{_CONTAINER_NOUNS}))?(?:\s*,\s*|\s*\(\s*| in | near )$")
_PAREN_SEP = re.compile(rf"^(?:\s+(?:{_CONTAINER_NOUNS}))?\s*\(\s*$")
#: What separates the containers that follow ("X (Y, Z)", "X, Y, Z"): a comma.
_NEXT_CONTAINER_SEP = re.compile(r"^\s*,\s*$")


def containment_pairs(mentions: list[Mention], text: str, groups: dict[str, list[int]]) -> dict[str, list[str]]:
    """Mentions written "X, Y", "X in Y", "X (Y)" or "X (Y, Z)": X's group -> [Y's group, Z's group].

    A name is paired with each container that follows it in a row, so that "Caluco (Sonsonate,
    El Salvador)" makes both the province and the country vouch for the town.
    """
    pairs: dict[str, list[str]] = defaultdict(list)
    if not text:
        return pairs
    for i, a in enumerate(mentions):
        prev, sep = a, _CONTAINER_SEP
        for b in mentions[i + 1 : i + 4]:
            if b.sent_start != a.sent_start or not sep.match(text[prev.end : b.start]):
                break
            if group_key(b) != group_key(a):
                pairs[group_key(a)].append(group_key(b))
            prev, sep = b, _NEXT_CONTAINER_SEP
    return pairs


def enclosures(mentions: list[Mention], text: str) -> dict[str, list[str]]:
    """Mentions written "X (Y)" or "X (Y, Z)", the containment stated outright: X's group -> [Y, Z]."""
    out: dict[str, list[str]] = defaultdict(list)
    if not text:
        return out
    for i, a in enumerate(mentions):
        b = mentions[i + 1] if i + 1 < len(mentions) else None
        if b is None or b.sent_start != a.sent_start or not _PAREN_SEP.match(text[a.end : b.start]):
            continue
        prev = a
        for b in mentions[i + 1 : i + 4]:
            if prev is not a and not _NEXT_CONTAINER_SEP.match(text[prev.end : b.start]):
                break
            if group_key(b) != group_key(a):
                out[group_key(a)].append(group_key(b))
            prev = b
    return out


def admins_in_text(gaz: Gazetteer, text: str, mentions: list[Mention]) -> list[tuple[int, int, Place]]:
    """States, provinces and counties the text names outside the mentions ("… in Hempstead
    County", "southwest Arkansas"): (start, end, place) for each of their places."""
    if not text:
        return []
    index = gaz.admin_names()
    cased = text != text.lower()  # a lower-cased text (some corpora) gives no capital cue
    taken = sorted((m.start, m.end) for m in mentions)
    out: list[tuple[int, int, Place]] = []
    for m in mentions:
        # "Columbia, Mo.", "Dover, N.H.": a state's short abbreviation, only right after a name.
        abbr = _STATE_ABBR.match(text, m.end)
        if abbr and not overlaps_any(abbr.start(1), abbr.end(1), taken):
            out.extend((abbr.start(1), abbr.end(1), p) for p in gaz.lookup(abbr.group(1)) if p.kind == "admin1")
        # "Portland, OR", "Richmond, CA", "Nelson, BC": a postal code of a state or province.
        postal = _POSTAL_CODE.match(text, m.end) if cased else None
        if postal and not overlaps_any(postal.start(1), postal.end(1), taken):
            for cc in _POSTAL_COUNTRIES:
                state = gaz.country(f"{cc}-{postal.group(1)}")
                if state is not None and state.kind == "admin1":
                    out.append((postal.start(1), postal.end(1), state))
    words = [(w.start(), w.end(), _word_key(w.group())) for w in _WORD.finditer(text)]
    i = 0
    while i < len(words):
        start = words[i][0]
        if (cased and not text[start].isupper()) or overlaps_any(start, words[i][1], taken):
            i += 1
            continue
        step = 1
        for n in range(min(_MAX_ADMIN_WORDS, len(words) - i), 0, -1):
            end = words[i + n - 1][1]
            if n > 1 and (
                overlaps_any(start, end, taken)
                or not all(_SAME_NAME.match(text[words[j][1] : words[j + 1][0]]) for j in range(i, i + n - 1))
            ):
                continue
            found = [
                p
                for p in index.get(" ".join(w[2] for w in words[i : i + n]), ())
                if p.kind == "admin1" or _COUNTY_WORD.search(p.name)
            ]
            if len({p.country_code for p in found if p.kind == "admin1"}) > _MAX_REGION_COUNTRIES:
                # "Central", "North", "Coast": a region name of many countries, which the
                # recognizer did not take for a place, says nothing on its own.
                found = [p for p in found if p.kind != "admin1"]
            if found:
                out.extend((start, end, p) for p in found)
                step = n
                break
        i += step
    return out
