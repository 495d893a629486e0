"""Toponym resolution: pick each mention's place from its gazetteer candidates, in context.

A candidate's score adds up evidence a reader would use:

- a prior for what the name usually means out of context: countries and first-level regions over
  towns, big towns over small ones (log population);
- the document's geography: how much of the document is about the candidate's country, whether
  its first-level region is named in the document ("Paris" beside "Texas");
- the local pattern "X, Y" ("Paris, Texas"): X lies in Y;
- distance to the places chosen for the other mentions (a second pass);
- the recognizer's hints: "the Iraqi capital", "Iraqi Kurdistan", a facility head.

Scores become probabilities with a softmax; the winner's probability is the mention's
confidence. Mentions of the same name in one document share one resolution.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

from geomap.gazetteer import Gazetteer, normalize_name
from geomap.records import Mention, Place

#: Prior for a bare name by kind (towns get theirs from population).
KIND_PRIOR = {"country": 3.0, "continent": 2.6, "admin1": 1.6, "region": 2.4, "admin2": 0.6,
              "city": 0.0, "airport": -1.0, "site": -1.0}


@dataclass(frozen=True)
class Weights:
    """Weights of the evidence; tuned on the dev half of the eval corpora."""

    population: float = 2.2        # per log10(population) / 7
    capital: float = 0.6           # national capitals are what a bare name usually means
    doc_country: float = 2.0       # times the candidate country's share of the document
    doc_admin1: float = 1.5        # the candidate's region is named in the document
    pair: float = 4.0              # "X, Y" with X inside Y
    hint_country: float = 3.0      # "Iraqi Kurdistan": the demonym's country
    proximity: float = 1.2         # closeness to the other chosen places (second pass)
    temperature: float = 1.0       # softmax temperature for confidences
    max_candidates: int = 25


class Resolver:
    """Resolve place mentions against a gazetteer."""

    def __init__(self, gazetteer: Gazetteer, weights: Weights | None = None) -> None:
        self.gazetteer = gazetteer
        self.weights = weights or Weights()

    # -- candidates -------------------------------------------------------------------------
    def candidates(self, mention: Mention) -> list[Place]:
        """Gazetteer candidates for one mention, using the recognizer's hint."""
        gaz = self.gazetteer
        hint = mention.hint or {}
        if hint.get("capital_of"):
            capital = gaz.capital(hint["capital_of"])
            return [capital] if capital else []
        if hint.get("demonym"):
            country = gaz.country(hint["country"])
            return [country] if country else []
        if hint.get("name"):  # "Iraqi Kurdistan": a name qualified by a demonym
            found = gaz.lookup(mention.text) or gaz.lookup(hint["name"], country=hint.get("country"))
            return found[: self.weights.max_candidates]
        kinds = hint.get("kinds")
        found = gaz.lookup(mention.text, kinds=kinds, country=hint.get("country"))
        if kinds and not any(p.kind in kinds for p in found):
            # Facilities are often written differently from the gazetteer ("Ain al-Assad
            # Airbase" for "Al Asad Air Base"): fall back to fuzzy matching within the kind.
            fuzzy = [p for p, _ in gaz.fuzzy(mention.text, kinds=kinds, country=hint.get("country"))]
            found = fuzzy or found
        return found[: self.weights.max_candidates]

    # -- resolution -------------------------------------------------------------------------
    def resolve(self, mentions: list[Mention], text: str = "") -> list[Mention]:
        """Return copies of ``mentions`` with place, confidence and candidates set."""
        if not mentions:
            return []
        scored = self._score(mentions, text)
        out: list[Mention] = []
        for m in mentions:
            ranked = scored.get(_group_key(m))
            if not ranked:
                out.append(replace(m, place=None, confidence=0.0, candidates=[]))
                continue
            conf = _softmax([s for s, _ in ranked], self.weights.temperature)[0]
            out.append(replace(m, place=ranked[0][1], confidence=round(conf, 4),
                               candidates=[p for _, p in ranked[:5]]))
        return out

    def rank(self, name: str, *, country: str | None = None, context: str = "") -> list[tuple[Place, float]]:
        """Candidates for a bare name with their probabilities (``geomap geocode``)."""
        hint = {"country": country.upper()} if country else None
        mention = Mention(text=name, start=0, end=len(name), sent_start=0, sent_end=len(name), hint=hint)
        ranked = self._score([mention], context).get(_group_key(mention), [])
        probs = _softmax([s for s, _ in ranked], self.weights.temperature)
        return [(p, round(pr, 4)) for (_, p), pr in zip(ranked, probs)]

    def _score(self, mentions: list[Mention], text: str) -> dict[str, list[tuple[float, Place]]]:
        """Ranked (score, place) lists per group of same-name mentions."""
        w = self.weights
        groups: dict[str, list[int]] = defaultdict(list)
        for i, m in enumerate(mentions):
            groups[_group_key(m)].append(i)
        cands = {key: self.candidates(mentions[idx[0]]) for key, idx in groups.items()}

        # Document context from the unambiguous evidence: countries and regions named outright,
        # and the countries of single-candidate mentions.
        country_votes: Counter[str] = Counter()
        admin_named: set[str] = set()
        for key, idx in groups.items():
            options = cands[key]
            if not options:
                continue
            ccs = {p.country_code for p in options if p.country_code}
            top = options[0]
            if len(ccs) == 1 or top.kind in ("country", "continent"):
                cc = top.country_code or next(iter(ccs), None)
                if cc:
                    country_votes[cc] += len(idx)
            for p in options:
                if p.kind in ("admin1", "admin2") and p.admin1_code:
                    admin_named.add(p.admin1_code)
        total_votes = sum(country_votes.values()) or 1
        pairs = _containment_pairs(mentions, text, groups)

        def score(key: str, p: Place, picks: dict[str, Place] | None) -> float:
            m = mentions[groups[key][0]]
            hint = m.hint or {}
            s = KIND_PRIOR.get(p.kind, 0.0)
            if p.kind == "city":
                s += w.population * math.log10(p.population + 1) / 7
                if p.feature_code == "PPLC":
                    s += w.capital
            if p.country_code:
                s += w.doc_country * country_votes.get(p.country_code, 0) / total_votes
            if p.kind not in ("admin1", "country") and p.admin1_code in admin_named:
                s += w.doc_admin1
            if hint.get("country") and p.country_code == hint["country"]:
                s += w.hint_country
            for other_key in pairs.get(key, ()):
                if any(_inside(p, q) for q in cands.get(other_key, ())[:5]):
                    s += w.pair
                    break
            if picks:
                s += w.proximity * _proximity(p, [q for k, q in picks.items() if k != key])
            return s

        picks: dict[str, Place] = {}
        scored: dict[str, list[tuple[float, Place]]] = {}
        for rounds in range(2):
            for key in groups:
                options = cands[key]
                if not options:
                    continue
                ranked = sorted(((score(key, p, picks if rounds else None), p) for p in options),
                                key=lambda sp: -sp[0])
                scored[key] = ranked
            picks = {key: ranked[0][1] for key, ranked in scored.items()}

        return scored


def _group_key(m: Mention) -> str:
    hint = m.hint or {}
    if hint.get("capital_of"):
        return f"capital:{hint['capital_of']}"
    if hint.get("demonym"):
        return f"country:{hint['country']}"
    return normalize_name(hint.get("same_as") or m.text)


def _containment_pairs(mentions: list[Mention], text: str, groups: dict[str, list[int]]
                       ) -> dict[str, list[str]]:
    """Mentions written "X, Y" (or "X in Y"): X's group -> [Y's group]."""
    pairs: dict[str, list[str]] = defaultdict(list)
    for a, b in zip(mentions, mentions[1:]):
        between = text[a.end:b.start] if text else ""
        if between in (", ", ",", " in ", " near ") and a.sent_start == b.sent_start:
            pairs[_group_key(a)].append(_group_key(b))
    return pairs


def _inside(p: Place, container: Place) -> bool:
    """Is ``p`` within ``container`` as far as the gazetteer's codes tell?"""
    if container.kind == "country":
        return p.country_code == container.country_code and p.kind != "country"
    if container.kind in ("admin1", "admin2"):
        return bool(p.admin1_code) and p.admin1_code == container.admin1_code and p is not container
    if container.kind == "city":
        return _km(p, container) < 50 and p.kind in ("site", "airport", "city")
    return False


def _km(a: Place, b: Place) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _proximity(p: Place, others: list[Place]) -> float:
    """Mean closeness (1 near, 0 far) of ``p`` to the other mentions' places."""
    others = [q for q in others if q.kind not in ("country", "continent", "region")]
    if not others:
        return 0.0
    return sum(math.exp(-_km(p, q) / 400.0) for q in others) / len(others)


def _softmax(scores: list[float], temperature: float) -> list[float]:
    if not scores:
        return []
    top = max(scores)
    exps = [math.exp((s - top) / temperature) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]
