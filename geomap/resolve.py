"""Toponym resolution: pick each mention's place from its gazetteer candidates, in context.

A candidate's score adds up evidence a reader would use:

- a prior for what the name usually means out of context: countries and first-level regions over
  towns, big towns over small ones (log population);
- the document's geography: how much of the document is about the candidate's country, whether
  its first-level region is named in the document ("Paris" beside "Texas"), whether a county the
  document names lies around it ("Paris" beside "Lamar County"); states and counties count when
  the text names them even if no mention does (a gold span alone, a state the recognizer missed);
- the local pattern "X, Y" ("Paris, Texas"): X lies in Y;
- distance to the places chosen for the other mentions (a second pass);
- the recognizer's hints: "the Iraqi capital", "Iraqi Kurdistan", a facility head.

Scores become probabilities with a softmax; the winner's probability is the mention's
confidence. Mentions of the same name in one document share one resolution.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from geomap.gazetteer import Gazetteer, normalize_name
from geomap.gazetteer.heads import OMITTED_TAILS
from typing import Callable

from geomap.nlp.patterns import PLACE_TYPE_NOUNS
from geomap.tools.distance import place_km
from geomap.tools.spans import overlaps_any
from geomap.records import Mention, Place
from geomap.review import BIAS_SCORE, Review

#: Candidate features by name, in the order of the ranker's weight vector:
#: - the candidate's kind (one of the first seven is 1);
#: - its size: ``log10(population + 1) / POPULATION_SCALE`` for towns and counties, a national capital;
#: - ``main_name``: the name is the place's own, not an alternate one;
#: - the document's geography: the share of its unambiguous places in the candidate's country,
#:   the country most of them are in, its state named ("Paris" beside "Texas"), a county it
#:   names lying around the candidate ("Paris" beside "Lamar County");
#: - ``hint_country``: the recognizer's hint ("the Iraqi capital", "Iraqi Kurdistan");
#: - ``pair``: "X, Y", "X (Y)", "X in Y": the candidate lies in Y;
#: - ``proximity``: closeness to the places chosen for the other names (second pass);
#: - ``town_word``/``town_sentence``: the text calls this name a town ("the town of X", "X city") or
#:   talks of towns in its sentence (population, incorporated, county seat), for towns;
#: - ``state_word``: "the state of X", "X province", for first-level regions;
#: - ``biggest_town``: the most populous town of the name.
FEATURES = (
    "country", "continent", "admin1", "admin2", "region", "city", "facility",
    "city_population", "admin2_population", "capital", "main_name",
    "doc_country", "doc_top_country", "doc_admin1", "hint_country", "pair", "proximity",
    "doc_county", "town_word", "town_sentence", "state_word", "biggest_town",
)
#: The kind feature of each place kind (sites and airports are facilities).
KIND_FEATURE = {"country": "country", "continent": "continent", "admin1": "admin1", "admin2": "admin2",
                "region": "region", "city": "city", "airport": "facility", "site": "facility"}
#: ``log10(population + 1)`` is divided by this, so a town of 10 million scores 1.
POPULATION_SCALE = 7.0
#: Ranking passes: the first without the other names' choices, each later one with the choices
#: of the pass before (a town and its county settle each other).
ROUNDS = 3
#: Closeness to another chosen place falls to 1/e at this distance.
PROXIMITY_KM = 400.0
RANKER_FILE = Path(__file__).parent / "nlp" / "ranker.json"
log = logging.getLogger("geomap")


@dataclass(frozen=True)
class Weights:
    """A linear ranker over :data:`FEATURES`, learned on the dev half of the eval corpora
    (``geomap/nlp/ranker.json``), and a temperature for the confidences."""

    coef: tuple[float, ...] = (3.0, 2.6, 1.6, 0.6, 2.4, 0.0, -1.0,
                               2.2, 0.5, 0.6, 1.0, 2.0, 0.0, 1.5, 3.0, 4.0, 1.2, 4.0, 0.0, 0.0, 0.0, 0.0)
    temperature: float = 1.0
    #: Platt scaling of the top candidate's log-odds into a calibrated confidence (used when
    #: there is no confidence model).
    calib: tuple[float, float] = (1.0, 0.0)
    max_candidates: int = 25
    #: A logistic model over :data:`CONFIDENCE_FEATURES` (coefficients, then the intercept) for
    #: the probability that the top candidate is right.
    confidence: tuple[float, ...] | None = None

    @classmethod
    def shipped(cls) -> "Weights":
        """The weights shipped with the package (a warning and the hand-set defaults when the
        file is unreadable or was fitted for other features)."""
        return cls.read(RANKER_FILE)

    @classmethod
    def read(cls, path: str | Path) -> "Weights":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("ranker weights %s unreadable (%s); using the hand-set defaults", path, exc)
            return cls()
        if list(data.get("features", [])) != list(FEATURES):
            log.warning("ranker weights %s were fitted for other features; using the hand-set defaults", path)
            return cls()
        conf = data.get("confidence")
        if conf is not None and list(conf.get("features", [])) != list(CONFIDENCE_FEATURES):
            log.warning("confidence model in %s was fitted for other features; using Platt scaling", path)
            conf = None
        return cls(coef=tuple(data["coef"]), temperature=float(data.get("temperature", 1.0)),
                   calib=tuple(data.get("calib", (1.0, 0.0))),
                   confidence=None if conf is None else (*conf["coef"], conf["intercept"]))

    def to_json(self, **about) -> dict:
        """The weights as the JSON object :meth:`read` loads (``about``: provenance fields)."""
        out = {"features": list(FEATURES), "coef": [round(float(c), 4) for c in self.coef],
               "temperature": self.temperature, "calib": [round(float(c), 4) for c in self.calib]}
        if self.confidence is not None:
            out["confidence"] = {"features": list(CONFIDENCE_FEATURES),
                                 "coef": [round(float(c), 4) for c in self.confidence[:-1]],
                                 "intercept": round(float(self.confidence[-1]), 4)}
        return {**out, **about}

    def confidence_of(self, scores: list[float], top_row: list[float], reading: list[float]) -> float:
        """Probability that the best of candidates with these ranker ``scores`` is right; its
        feature row is ``top_row``, its name's reading ``reading``."""
        z = confidence_features(scores, top_row, reading, self.temperature)
        if self.confidence is not None:
            logit = sum(c * x for c, x in zip(self.confidence, z)) + self.confidence[-1]
        else:
            a, b = self.calib
            logit = a * z[0] + b
        return 1.0 / (1.0 + math.exp(-max(min(logit, 30.0), -30.0)))


#: How the text gives the name (see :func:`reading_features`).
READING = ("by_model", "by_gazetteer", "by_locative", "by_cue", "label_loc", "label_fac", "demonym",
           "log_mentions", "placed_within", "in_container")
#: Recognizer sources that read a name from the words around it ("Anbar Province", "the Iraqi
#: capital", "Ain al-Assad Airbase").
CUE_SOURCES = frozenset({"FACILITY", "REGION", "CAPITAL", "DEMONYM_PLACE", "PROPAGATED"})
#: What the confidence model reads about a ranked candidate list: how far the top candidate
#: leads (its softmax log-odds, its score margin over the second, how many candidates there
#: are), the top candidate's own features (its kind and the evidence for it) and the reading.
CONFIDENCE_FEATURES = (
    "top_logit", "margin", "log_candidates",
    "country", "admin1", "region", "continent", "admin2", "facility",
    "main_name", "pair", "doc_country", "doc_admin1", "city_population", "proximity", "hint_country",
    *READING,
)
#: A score margin over the second candidate counts up to this much (a lone candidate has it).
MAX_MARGIN = 10.0


def confidence_features(scores: list[float], top_row: list[float], reading: list[float],
                        temperature: float = 1.0) -> list[float]:
    """The :data:`CONFIDENCE_FEATURES` of a candidate list (``scores`` best first) whose name the
    text reads as ``reading`` (:func:`reading_features`)."""
    p = _softmax(scores, temperature)[0]
    p = min(max(p, 1e-6), 1 - 1e-6)
    margin = min(scores[0] - scores[1], MAX_MARGIN) if len(scores) > 1 else MAX_MARGIN
    row = dict(zip(FEATURES, top_row))
    return [math.log(p / (1 - p)), margin, math.log(len(scores)),
            *(row[name] for name in CONFIDENCE_FEATURES[3:-len(READING)]), *reading]


def reading_features(mentions: list[Mention], in_container: bool = False) -> list[float]:
    """How the text gives a name (its mentions): found by the language model, by the gazetteer
    alone, after "in"/"near" or from a cue word; labelled a location, a facility or a people; how
    often named; placed through another name ("North Texas", "Iraqi Kurdistan") or, with
    ``in_container``, at the town the text puts it in ("Palais des Nations in Geneva").
    A name the model missed and the gazetteer found is more often no place at all."""
    sources = {m.source for m in mentions}
    labels = {m.label for m in mentions}
    within = any((m.hint or {}).get("name") and normalize_name(m.hint["name"]) != normalize_name(m.text)
                 for m in mentions)
    return [float("NER" in sources), float(bool(sources & {"GAZ", "EMBEDDED", "HASHTAG"})), float("LOCATIVE" in sources),
            float(bool(sources & CUE_SOURCES)), float("LOC" in labels), float("FAC" in labels),
            float("NORP" in labels or any((m.hint or {}).get("demonym") for m in mentions)),
            math.log(len(mentions)), float(within), float(in_container)]


class Resolver:
    """Resolve place mentions against a gazetteer."""

    def __init__(self, gazetteer: Gazetteer, weights: Weights | None = None, review: Review | None = None) -> None:
        self.gazetteer = gazetteer
        self.weights = weights or Weights.shipped()
        self.review = review or Review()

    # -- candidates -------------------------------------------------------------------------
    def candidates(self, mention: Mention) -> list[Place]:
        """Gazetteer candidates for one mention, using the recognizer's hint (the best-known
        ``max_candidates`` of them)."""
        return self._all_candidates(mention)[: self.weights.max_candidates]

    def _all_candidates(self, mention: Mention) -> list[Place]:
        gaz = self.gazetteer
        hint = mention.hint or {}
        if hint.get("capital_of"):
            capital = gaz.capital(hint["capital_of"])
            return [capital] if capital else []
        if hint.get("demonym"):
            country = gaz.country(hint["country"])
            return [country] if country else []
        if hint.get("name"):  # "Iraqi Kurdistan": a name qualified by a demonym
            return gaz.lookup(mention.text) or gaz.lookup(hint["name"], country=hint.get("country"))
        kinds = hint.get("kinds")
        found = gaz.lookup(mention.text, kinds=kinds, country=hint.get("country"))
        if kinds and not any(p.kind in kinds for p in found):
            # Facilities are often written differently from the gazetteer ("Ain al-Assad
            # Airbase" for "Al Asad Air Base"): fall back to fuzzy matching within the kind.
            fuzzy = [p for p, _ in gaz.fuzzy(mention.text, kinds=kinds, country=hint.get("country"))
                     if _same_stem(mention.text, p.name)]
            found = fuzzy or found
        if not found and not kinds:
            found = self._name_and_container(mention.text)
        if not found and mention.label == "FAC":
            # "Camp Taji", "Bagram Airfield": a facility unknown to the gazetteer is placed
            # at the town or district it is named after.
            stem = _facility_stem(mention.text)
            if stem and stem != mention.text:
                # by the place's own name, word for word: "Fort Hood" is neither Al Hudaydah, which
                # "Hood" also spells, nor 'En Hod
                found = [p for p in gaz.lookup(stem, country=hint.get("country"))
                         if p.kind in ("city", "admin2") and _main_key(p.name) == _main_key(stem)
                         and len(p.name.split()) == len(stem.split())]
        return found

    def _name_and_container(self, text: str) -> list[Place]:
        """"Chicago Illinois", "Herat Afghanistan": an unknown name that is a known name followed
        by its state or country, without the comma; the first name's candidates inside it."""
        words = text.split()
        for cut in range(len(words) - 1, 0, -1):
            head, tail = " ".join(words[:cut]), " ".join(words[cut:])
            containers = [p for p in self.gazetteer.lookup(tail) if p.kind in ("admin1", "country")]
            if containers:
                inside = [p for p in self.gazetteer.lookup(head) if any(_inside(p, c) for c in containers)]
                if inside:
                    return inside
        return []

    def _admins_in_text(self, text: str, mentions: list[Mention]) -> list[tuple[int, int, Place]]:
        """States, provinces and counties the text names outside the mentions ("… in Hempstead
        County", "southwest Arkansas"): (start, end, place) for each of their places."""
        if not text:
            return []
        index = self.gazetteer.admin_names()
        cased = text != text.lower()  # a lower-cased text (some corpora) gives no capital cue
        taken = sorted((m.start, m.end) for m in mentions)
        out: list[tuple[int, int, Place]] = []
        for m in mentions:
            # "Columbia, Mo.", "Dover, N.H.": a state's short abbreviation, only right after a name.
            abbr = _STATE_ABBR.match(text, m.end)
            if abbr and not overlaps_any(abbr.start(1), abbr.end(1), taken):
                out.extend((abbr.start(1), abbr.end(1), p) for p in self.gazetteer.lookup(abbr.group(1))
                           if p.kind == "admin1")
            # "Portland, OR", "Richmond, CA", "Nelson, BC": a postal code of a state or province.
            postal = _POSTAL_CODE.match(text, m.end) if cased else None
            if postal and not overlaps_any(postal.start(1), postal.end(1), taken):
                for cc in _POSTAL_COUNTRIES:
                    state = self.gazetteer.country(f"{cc}-{postal.group(1)}")
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
                if n > 1 and (overlaps_any(start, end, taken) or not all(
                        _SAME_NAME.match(text[words[j][1]:words[j + 1][0]]) for j in range(i, i + n - 1))):
                    continue
                found = [p for p in index.get(" ".join(w[2] for w in words[i:i + n]), ())
                         if p.kind == "admin1" or _COUNTY_WORD.search(p.name)]
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

    # -- resolution -------------------------------------------------------------------------
    def resolve(self, mentions: list[Mention], text: str = "") -> list[Mention]:
        """Return copies of ``mentions`` with place, confidence and candidates set."""
        if not mentions:
            return []
        review = self.review
        kept = [m for m in mentions if not review.denies(m.text)] if review.deny else mentions
        scored, top_rows, contained = self._score(kept, text) if kept else ({}, {}, {})
        if review.corrections:
            countries = {ranked[0][1].country_code for ranked in scored.values() if ranked}
            for m in kept:
                place = review.correction(group_key(m), text, countries)
                if place is not None:
                    scored[group_key(m)] = [(math.inf, place)]
            for key, container in contained.items():  # placed at a container the user corrected
                if scored[key][0][0] != math.inf and scored.get(container) and scored[container][0][0] == math.inf:
                    scored[key] = [(scored[key][0][0], scored[container][0][1])]
        by_group: dict[str, list[Mention]] = defaultdict(list)
        for m in kept:
            by_group[group_key(m)].append(m)

        def confidence(key: str) -> float:
            ranked = scored[key]
            if ranked[0][0] == math.inf:  # the user's correction
                return 1.0
            conf = self.weights.confidence_of([s for s, _ in ranked], top_rows[key],
                                              reading_features(by_group[key], key in contained))
            if key in contained:  # a guess from its container is no surer than the container
                conf = min(conf, confidence(contained[key]))
            return conf

        out: list[Mention] = []
        for m in mentions:
            key = group_key(m)
            ranked = None if review.deny and review.denies(m.text) else scored.get(key)
            if not ranked:
                out.append(replace(m, place=None, confidence=0.0, candidates=[]))
                continue
            out.append(replace(m, place=ranked[0][1], confidence=round(confidence(key), 4),
                               candidates=[p for _, p in ranked[:5]]))
        return out

    def rank(self, name: str, *, country: str | None = None, context: str = "") -> list[tuple[Place, float]]:
        """Candidates for a bare name with their probabilities (``geomap geocode``)."""
        hint = {"country": country.upper()} if country else None
        mention = Mention(text=name, start=0, end=len(name), sent_start=0, sent_end=len(name), hint=hint)
        if self.review.denies(name):
            return []
        corrected = self.review.correction(group_key(mention), context, {country.upper()} if country else set())
        if corrected is not None:
            return [(corrected, 1.0)]
        ranked = self._score([mention], context)[0].get(group_key(mention), [])
        probs = _softmax([s for s, _ in ranked], self.weights.temperature)
        return [(p, round(pr, 4)) for (_, p), pr in zip(ranked, probs)]

    def features(self, mentions: list[Mention], text: str
                 ) -> tuple[dict[str, list[int]], dict[str, list[Place]], Callable]:
        """Group same-name mentions, find candidates, and return a feature function
        ``feats(key, place, picks) -> list[float]`` (picks: the first pass's choices)."""
        groups: dict[str, list[int]] = defaultdict(list)
        for i, m in enumerate(mentions):
            groups[group_key(m)].append(i)
        everyone = {key: self._all_candidates(mentions[idx[0]]) for key, idx in groups.items()}
        limit = self.weights.max_candidates
        cands = {key: found[:limit] for key, found in everyone.items()}

        country_votes, admin_named = _document_evidence(groups, cands)
        named_here = self._admins_in_text(text, mentions)
        counties = _named_counties(groups, cands) + [p for _, _, p in named_here if p.kind == "admin2"]
        admin_named |= _states_named(named_here, counties)
        pairs = _containment_pairs(mentions, text, groups)
        text_pairs = _text_containers(mentions, text, named_here)
        for key, found in everyone.items():
            # A small namesake beyond the usual shortlist stays in the running when the text
            # names its state or county ("Greenville, Indiana" for a town of 700).
            cands[key] = found[:limit] + [
                p for p in found[limit:] if p.kind not in _AREAS and (
                    p.admin1_code in admin_named or any(place_km(p, c) <= _COUNTY_KM for c in counties))]
        total_votes = sum(country_votes.values()) or 1
        top_country = country_votes.most_common(1)[0][0] if country_votes else None

        biggest = {key: max((p.population for p in found if p.kind == "city"), default=0)
                   for key, found in cands.items()}
        cues = _cues(mentions, text, groups)
        owned = {key: any(_is_own_name(key, p) for p in found) for key, found in cands.items()}
        for key, found in cands.items():
            # "Portland", "Manchester", "Charlotte": a parish of a few thousand people is not what
            # the name of a city of half a million means, unless the text calls the name a region
            # ("the province of X", "X province") or names the region's country ("Jamaica").
            cands[key] = [p for p in found if not (
                p.kind == "admin1" and _outsized(p, found)
                and not cues.state_word[key] and not country_votes.get(p.country_code))]

        def feats(key: str, p: Place, picks: dict[str, Place] | None) -> list[float]:
            m = mentions[groups[key][0]]
            hint = m.hint or {}
            f = dict.fromkeys(FEATURES, 0.0)
            f[KIND_FEATURE.get(p.kind, "city")] = 1.0
            size = math.log10(p.population + 1) / POPULATION_SCALE
            if p.kind == "city":
                f["city_population"] = size
                # a capital by a name that other places bear as their own is not the capital's
                # ("Salisbury" is Harare's old name, and a city in England)
                f["capital"] = float(p.feature_code == "PPLC" and (_is_own_name(key, p) or not owned[key]))
                f["biggest_town"] = float(p.population > 0 and p.population == biggest[key])
                f["town_word"], f["town_sentence"] = cues.town_word[key], cues.town_sentence[key]
            elif p.kind == "admin2":
                f["admin2_population"] = size
            elif p.kind == "admin1":
                f["state_word"] = cues.state_word[key]
            f["main_name"] = float(_is_own_name(key, p))
            if p.country_code:
                f["doc_country"] = country_votes.get(p.country_code, 0) / total_votes
                f["doc_top_country"] = float(p.country_code == top_country)
            if p.kind not in ("admin1", "country") and p.admin1_code in admin_named:
                f["doc_admin1"] = 1.0
            if p.kind not in _AREAS + ("admin1", "admin2") and any(
                    place_km(p, c) <= _COUNTY_KM for c in counties):
                f["doc_county"] = 1.0
            if hint.get("country") and p.country_code == hint["country"]:
                f["hint_country"] = 1.0
            for other_key in pairs.get(key, ()):
                if any(_inside(p, q) for q in cands.get(other_key, ())[:5]):
                    f["pair"] = 1.0
                    break
            if any(_inside(p, q) or (q.kind == "admin2" and p.kind not in _AREAS + ("admin1", "admin2")
                                     and place_km(p, q) <= _COUNTY_KM) for q in text_pairs.get(key, ())):
                f["pair"] = 1.0
            if picks and p.kind == "country":
                # Distance says little about a country: its closeness is the share of the other
                # places that lie inside it (else "Mexico" loses to the State of Mexico, which
                # is near the towns the document names).
                others = [q for k, q in picks.items() if k != key and q.kind not in _AREAS]
                f["proximity"] = sum(q.country_code == p.country_code for q in others) / len(others) if others else 0.0
            elif picks and p.kind not in _AREAS:
                # Nor about a sea: only for places with a meaningful point.
                f["proximity"] = _proximity(p, [q for k, q in picks.items() if k != key])
            return [f[name] for name in FEATURES]

        return groups, cands, feats

    def training_lists(self, mentions: list[Mention], text: str
                       ) -> list[tuple[Mention, list[Place], list[list[float]], list[float]]]:
        """For each mention: its candidates, their feature rows (:data:`FEATURES`) as the ranker
        sees them in its last pass, and its name's reading (:func:`reading_features`), for
        fitting the ranker and the confidence model on gold corpora."""
        groups, cands, feats = self.features(mentions, text)
        before_last, _, _ = self._score(mentions, text, rounds=ROUNDS - 1)  # what the last pass sees
        picks = {k: r[0][1] for k, r in before_last.items() if r}
        final, final_rows, contained = self._score(mentions, text)
        out = []
        for m in mentions:
            key = group_key(m)
            reading = reading_features([mentions[i] for i in groups[key]], key in contained)
            if key in contained:  # no candidate of its own: the container it was placed at
                out.append((m, [final[key][0][1]], [final_rows[key]], reading))
                continue
            options = cands.get(key) or []
            out.append((m, options, [feats(key, p, picks) for p in options], reading))
        return out

    def _score(self, mentions: list[Mention], text: str, rounds: int = ROUNDS
               ) -> tuple[dict[str, list[tuple[float, Place]]], dict[str, list[float]], dict[str, str]]:
        """Ranked (score, place) lists per group of same-name mentions, each group's top
        candidate's feature row, and the groups placed at their container (no candidate of
        their own) -> the container's group."""
        coef = self.weights.coef
        bias = self.review.bias
        groups, cands, feats = self.features(mentions, text)
        votes = _vote_by_group(groups, cands)
        spread = Counter(cc for key in groups for cc in {p.country_code for p in cands[key]})
        picks: dict[str, Place] = {}
        scored: dict[str, list[tuple[float, Place]]] = {}
        top_rows: dict[str, list[float]] = {}
        for n in range(rounds):
            for key in groups:
                options = cands[key]
                if not options:
                    continue
                rows = [feats(key, p, picks if n else None) for p in options]
                scores = [sum(c * x for c, x in zip(coef, row)) for row in rows]
                if bias:
                    scores = [sc + BIAS_SCORE * (p.country_code in bias) for sc, p in zip(scores, options)]
                order = _ranked_order(scores, options, spread)
                scored[key] = [(scores[i], options[i]) for i in order]
                top_rows[key] = rows[order[0]]
            picks = {key: ranked[0][1] for key, ranked in scored.items()}
        for key, containers in _enclosures(mentions, text).items():
            ranked = scored.get(key)
            if not ranked or ranked[0][1].kind in _AREAS + ("admin1",):
                continue
            stated = [scored[ck][0][1] for ck in containers
                      if scored.get(ck) and scored[ck][0][1].kind in ("country", "admin1")]
            inside = [(sc, p) for sc, p in ranked if any(_inside(p, c) for c in stated)]
            if inside and inside[0][1] is not ranked[0][1]:
                # "Tripoli (Lebanon)": the text says which country or state; its namesake
                # elsewhere is out, however well known.
                scored[key] = inside
                top_rows[key] = feats(key, inside[0][1], picks)
                continue
            bounds = [q for ck in containers for q in cands.get(ck, ())[:5]]
            countries = {q.country_code for q in bounds}
            if not bounds or any(p.country_code in countries for _, p in ranked):
                continue
            # "Arada (Tripoli)": no candidate lies in the country of the place the text puts it
            # in, so the gazetteer lacks this one; better unplaced than a namesake on another
            # continent. The better-known name decides: a small container that is itself a
            # misreading ("Batumi (Adjara)" read as a village elsewhere) does not unplace a city.
            pick = ranked[0][1]
            if any(scored.get(ck) and (scored[ck][0][1].kind in ("country", "admin1")
                                       or scored[ck][0][1].population >= pick.population)
                   for ck in containers):
                scored[key] = []
        picked = {key: ranked[0][1].country_code for key, ranked in scored.items() if ranked}
        for key, ranked in scored.items():
            if ranked and _false_friend(key, [p for _, p in ranked], votes, picked):
                scored[key] = []
        contained = self._place_at_containers(groups, cands, feats, text, mentions, picks, scored, top_rows)
        return scored, top_rows, contained

    def _place_at_containers(self, groups, cands, feats, text, mentions, picks, scored, top_rows
                             ) -> dict[str, str]:
        """A name the gazetteer does not know that the text puts in a town or county ("Palais des
        Nations in Geneva", "Hampton Avenue, Lemay") is placed at that town or county; the
        groups so placed -> their container's group."""
        placed: dict[str, str] = {}
        unknown = [key for key in groups if not cands[key]]
        if not unknown:
            return placed
        pairs = _containment_pairs(mentions, text, groups)
        for key in unknown:
            for other in pairs.get(key, ()):
                ranked = scored.get(other)
                if ranked and ranked[0][1].kind in _CONTAINER_KINDS:
                    place = ranked[0][1]
                    row = feats(key, place, picks)
                    scored[key] = [(sum(c * x for c, x in zip(self.weights.coef, row)), place)]
                    top_rows[key] = row
                    placed[key] = other
                    break
        return placed


def _is_own_name(key: str, p: Place) -> bool:
    """Is ``key`` (a group's name) the place's own name rather than an alternate one?"""
    return _main_key(p.name) == key or normalize_name(p.name) == key


def _ranked_order(scores: list[float], options: list[Place], spread: Counter) -> list[int]:
    """Candidate indexes best first. Equal scores go to the country where more of the text's
    names have a candidate ("Atlantique and Littoral": Benin's, not Cameroon's Littoral), then to
    the country that holds more of the name's weight ("Gaza" is Palestine's region, beside
    Palestine's city and strip, before Mozambique's province of the same standing).
    ``spread``: country -> the number of name groups with a candidate there."""
    top = max(scores)
    mass: Counter = Counter()
    for sc, p in zip(scores, options):
        mass[p.country_code] += math.exp(sc - top)
    return sorted(range(len(options)), key=lambda i: (
        -round(scores[i], 9), -spread[options[i].country_code], -mass[options[i].country_code]))


_AREAS = ("country", "continent", "region")
#: A first-level region with fewer people than a town of its name abroad has, by this factor, is
#: out of the running for that name unless the text speaks of a region or of its country.
_OUTSIZED = 3
#: ... and the town abroad has at least this many people.
_OUTSIZING_TOWN = 100_000


def _outsized(region: Place, found: list[Place]) -> bool:
    """Is a first-level region dwarfed by a big town of its name in another country?"""
    abroad = max((q.population for q in found if q.kind == "city" and q.country_code != region.country_code),
                 default=0)
    return abroad >= _OUTSIZING_TOWN and region.population * _OUTSIZED < abroad


#: Places whose point stands for what the text puts in them (not a state or a country: too large).
_CONTAINER_KINDS = ("city", "admin2")


@dataclass(frozen=True)
class _Cues:
    """What the text's words say each name is, per group of same-name mentions (0 or 1)."""

    town_word: dict[str, float]
    town_sentence: dict[str, float]
    state_word: dict[str, float]


#: Words that make the name beside them a town: "the town of X", "X city", "downtown X".
_TOWN_NOUN = r"(?:town|city|village|borough|township|hamlet|municipality)"
_TOWN_BEFORE = re.compile(rf"\b(?:{_TOWN_NOUN}\s+of|downtown)\s+$", re.I)
_TOWN_AFTER = re.compile(rf"^\s+(?:{_TOWN_NOUN})\b(?!\s+(?:council|hall|manager|limits|police|school|centre|center)\b)", re.I)
#: A town's own institutions after its name: "X Police Department", "X High School", "X Mayor"
#: (not "X City Council": "Oklahoma" before "City Council" is no town, see _TOWN_AFTER).
_TOWN_INSTITUTION = re.compile(r"^\s+(?:police\s+(?:department|dept|chief)|fire\s+(?:department|dept|chief)|"
                               r"high\s+school|middle\s+school|elementary|mayor|board\s+of\s+education|"
                               r"school\s+board|public\s+library)\b", re.I)
#: Words of a sentence about a town: its size, charter, seat, people.
_TOWN_TALK = re.compile(r"\b(?:town|village|borough|township|population|inhabitants|residents|incorporated|"
                        r"county seat|settled|founded|downtown|census)\b", re.I)
#: "the state of X", "X state", "X province" (not "X State University").
_STATE_BEFORE = re.compile(r"\b(?:state|province|region|governorate|prefecture)\s+of\s+$", re.I)
_STATE_AFTER = re.compile(r"^\s+(?:state|province|governorate|prefecture)\b(?!\s+(?:university|college|"
                          r"police|park|department|route|highway|road|senate|house|fair)\b)", re.I)
_CUE_WINDOW = 25


def _cues(mentions: list[Mention], text: str, groups: dict[str, list[int]]) -> _Cues:
    town_word: dict[str, float] = {}
    town_sentence: dict[str, float] = {}
    state_word: dict[str, float] = {}
    for key, idx in groups.items():
        tw = ts = sw = 0.0
        for i in idx:
            m = mentions[i]
            if not text or m.end > len(text):
                continue
            before = text[max(0, m.start - _CUE_WINDOW):m.start]
            after = text[m.end:m.end + _CUE_WINDOW]
            if _TOWN_BEFORE.search(before) or _TOWN_AFTER.match(after) or _TOWN_INSTITUTION.match(after):
                tw = 1.0
            if _STATE_BEFORE.search(before) or _STATE_AFTER.match(after):
                sw = 1.0
            sentence = text[m.sent_start:m.start] + " " + text[m.end:m.sent_end]
            if _TOWN_TALK.search(sentence):
                ts = 1.0
        town_word[key], town_sentence[key], state_word[key] = tw, ts, sw
    return _Cues(town_word, town_sentence, state_word)
#: A town below this size, far from every country the text names, needs its own evidence.
_SMALL_TOWN = 50_000
#: How many other unambiguous names must vouch for the text's countries before a namesake abroad
#: is dropped (one foreign country in passing, "migrants from Afghanistan", is not enough).
_FRIEND_EVIDENCE = 2


def _document_evidence(groups: dict[str, list[int]], cands: dict[str, list[Place]]
                       ) -> tuple[Counter, set[str]]:
    """Document context from the unambiguous evidence: countries and regions named outright,
    and the countries of single-candidate mentions (votes weighted by mentions)."""
    country_votes: Counter[str] = Counter()
    admin_named: set[str] = set()
    for key, cc in _vote_by_group(groups, cands).items():
        country_votes[cc] += len(groups[key])
    for key in groups:
        for p in cands[key]:
            if p.kind == "admin1" and p.admin1_code and normalize_name(p.name) == key:
                admin_named.add(p.admin1_code)
    return country_votes, admin_named


def _states_named(named: list[tuple[int, int, Place]], counties: list[Place]) -> set[str]:
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


def _text_containers(mentions: list[Mention], text: str, named: list[tuple[int, int, Place]]
                     ) -> dict[str, list[Place]]:
    """"Greenville, Indiana" where the text's state or county is no mention: the mention's group ->
    the places of the area written right after it."""
    out: dict[str, list[Place]] = defaultdict(list)
    if not named:
        return out
    starts: dict[int, list[Place]] = defaultdict(list)
    for start, _, p in named:
        starts[start].append(p)
    for m in mentions:
        for start, places in starts.items():
            if start > m.end and start - m.end <= 30 and _CONTAINER_SEP.match(text[m.end:start]):
                out[group_key(m)].extend(places)
    return out


def _named_counties(groups: dict[str, list[int]], cands: dict[str, list[Place]]) -> list[Place]:
    """Counties named outright by a mention ("Hempstead County")."""
    return [p for key in groups for p in cands[key][:5]
            if p.kind == "admin2" and normalize_name(p.name) == key and _COUNTY_WORD.search(p.name)]


#: A site or town this close to a city's point counts as inside it ("Sadr City, Baghdad").
_NEAR_CITY_KM = 50.0
#: A town this close to the point of a county the text names lies in or next to it.
_COUNTY_KM = 50.0
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


def _vote_by_group(groups: dict[str, list[int]], cands: dict[str, list[Place]]) -> dict[str, str]:
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
        if len(ccs) == 1 or (top.kind in ("country", "continent") and not any(
                p.kind == "admin1" and p.country_code != top.country_code and normalize_name(p.name) == key
                for p in options)):
            cc = top.country_code or next(iter(ccs), None)
            if cc:
                votes[key] = cc
    return votes


def _false_friend(key: str, ranked: list[Place], votes: dict[str, str], picked: dict[str, str | None]) -> bool:
    """Better unplaced than a namesake abroad: the text is about one country (at least two other
    unambiguous names vouch for it and every other place resolves there), none of this name's
    candidates lies in it, and the pick is a small town or site ("IITA" read as a town in
    Paraguay beside Abomey-Calavi, Atlantique)."""
    others = [cc for k, cc in votes.items() if k != key]
    named = set(others) | {cc for k, cc in picked.items() if k != key and cc}
    pick = ranked[0]
    if len(others) < _FRIEND_EVIDENCE or len(named) != 1 or pick.kind in _AREAS + ("admin1", "admin2"):
        return False  # areas are often named by an exonym ("Nicosia" for the Lefkosia district)
    return pick.population < _SMALL_TOWN and not any(p.country_code in named for p in ranked)


_FACILITY_WORDS = {"camp", "fort", "base", "air", "airbase", "airfield", "airport", "field", "station",
                   "naval", "military", "outpost", "garrison", "barracks", "forward", "operating"}


def _facility_stem(text: str) -> str:
    """The name in a facility name without its facility words ("Camp Taji" -> "Taji")."""
    words = [w for w in text.split() if w.lower() not in _FACILITY_WORDS]
    return " ".join(words)




#: How alike two facility names must be once their facility words are gone (rapidfuzz, 0-100).
_STEM_MATCH = 85.0


def _same_stem(a: str, b: str) -> bool:
    """The names of two facilities agree without their facility words ("Ain al-Assad Airbase" and
    "Al Asad Air Base" do; "Bagram Airfield" and "Sj Airfield" do not)."""
    from rapidfuzz import fuzz

    sa, sb = normalize_name(_facility_stem(a)), normalize_name(_facility_stem(b))
    return bool(sa and sb) and fuzz.token_set_ratio(sa, sb) >= _STEM_MATCH


def _main_key(name: str) -> str:
    key = normalize_name(name)
    for tail in OMITTED_TAILS:
        if key.endswith(" " + tail):
            return key[: -len(tail) - 1]
    return key


def group_key(m: Mention) -> str:
    hint = m.hint or {}
    if hint.get("capital_of"):
        return f"capital:{hint['capital_of']}"
    if hint.get("demonym"):
        return f"country:{hint['country']}"
    return normalize_name(hint.get("same_as") or m.text)


#: Place-type words that may stand between a name and its container ("Feni town (Feni Sadar, …)").
_CONTAINER_NOUNS = "|".join(sorted(re.escape(w) for w in PLACE_TYPE_NOUNS))
#: What separates a name from its container: "X, Y", "X in Y", "X near Y", "X (Y", "X district, Y".
_CONTAINER_SEP = re.compile(rf"^(?:\s+(?:{_CONTAINER_NOUNS}))?(?:\s*,\s*|\s*\(\s*| in | near )$")
_PAREN_SEP = re.compile(rf"^(?:\s+(?:{_CONTAINER_NOUNS}))?\s*\(\s*$")
#: What separates the containers that follow ("X (Y, Z)", "X, Y, Z"): a comma.
_NEXT_CONTAINER_SEP = re.compile(r"^\s*,\s*$")


def _containment_pairs(mentions: list[Mention], text: str, groups: dict[str, list[int]]
                       ) -> dict[str, list[str]]:
    """Mentions written "X, Y", "X in Y", "X (Y)" or "X (Y, Z)": X's group -> [Y's group, Z's group].

    A name is paired with each container that follows it in a row, so that "Caluco (Sonsonate,
    El Salvador)" makes both the province and the country vouch for the town.
    """
    pairs: dict[str, list[str]] = defaultdict(list)
    if not text:
        return pairs
    for i, a in enumerate(mentions):
        prev, sep = a, _CONTAINER_SEP
        for b in mentions[i + 1:i + 4]:
            if b.sent_start != a.sent_start or not sep.match(text[prev.end:b.start]):
                break
            if group_key(b) != group_key(a):
                pairs[group_key(a)].append(group_key(b))
            prev, sep = b, _NEXT_CONTAINER_SEP
    return pairs


def _enclosures(mentions: list[Mention], text: str) -> dict[str, list[str]]:
    """Mentions written "X (Y)" or "X (Y, Z)", the containment stated outright: X's group -> [Y, Z]."""
    out: dict[str, list[str]] = defaultdict(list)
    if not text:
        return out
    for i, a in enumerate(mentions):
        b = mentions[i + 1] if i + 1 < len(mentions) else None
        if b is None or b.sent_start != a.sent_start or not _PAREN_SEP.match(text[a.end:b.start]):
            continue
        prev = a
        for b in mentions[i + 1:i + 4]:
            if prev is not a and not _NEXT_CONTAINER_SEP.match(text[prev.end:b.start]):
                break
            if group_key(b) != group_key(a):
                out[group_key(a)].append(group_key(b))
            prev = b
    return out


def _inside(p: Place, container: Place) -> bool:
    """Is ``p`` within ``container`` as far as the gazetteer's codes tell?"""
    if container.kind == "country":
        return p.country_code == container.country_code and p.kind != "country"
    if container.kind in ("admin1", "admin2"):
        return bool(p.admin1_code) and p.admin1_code == container.admin1_code and p is not container
    if container.kind == "city":
        return place_km(p, container) < _NEAR_CITY_KM and p.kind in ("site", "airport", "city")
    return False


def _proximity(p: Place, others: list[Place]) -> float:
    """Mean closeness (1 near, 0 far) of ``p`` to the other mentions' places."""
    others = [q for q in others if q.kind not in _AREAS]
    if not others:
        return 0.0
    return sum(math.exp(-place_km(p, q) / PROXIMITY_KM) for q in others) / len(others)


def _softmax(scores: list[float], temperature: float) -> list[float]:
    if not scores:
        return []
    top = max(scores)
    exps = [math.exp((s - top) / temperature) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]
