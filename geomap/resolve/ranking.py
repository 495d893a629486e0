"""The resolver: each mention's candidates scored by the ranker in rounds (each round sees the
other names' picks of the round before), the text's stated containers and its one country
applied, the scores turned into a confidence."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace

from geomap.gazetteer import Gazetteer, normalize_name
from geomap.gazetteer.areas import lies_in
from geomap.nlp.patterns import CIVIC_WORDS, ROAD_WORDS
from geomap.records import Mention, Place, PlaceHint
from geomap.resolve.candidates import all_candidates
from geomap.resolve.confidence import Weights
from geomap.resolve.context import (
    AREAS,
    CONTAINER_KINDS,
    admins_in_text,
    containment_pairs,
    enclosures,
    false_friend,
    group_key,
    vote_by_group,
)
from geomap.resolve.features import candidate_features, reading_features, softmax
from geomap.review import BIAS_SCORE, Review
from geomap.tools.distance import LOCAL_KM, place_km

#: Ranking passes: the first without the other names' choices, each later one with the choices
#: of the pass before (a town and its county settle each other).
ROUNDS = 3
#: Kinds of the areas (beyond towns and counties) that may stand for a name the gazetteer lacks.
AREA_CONTAINER_KINDS = ("admin1", "country")
#: A name inside an area is placed at the area's point when nine in ten of the area's towns lie
#: this close to it (100 miles, the radius the accuracy figures count as right).
AREA_GUESS_KM = 161.0
#: The most confidence a name placed at its area's point gets (and never more than the area's own):
#: below ``CHECK_BELOW``, so that such a guess is flagged for checking.
AREA_GUESS_CONFIDENCE = 0.5


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
        return all_candidates(self.gazetteer, mention)[: self.weights.max_candidates]

    # -- resolution -------------------------------------------------------------------------
    def resolve(self, mentions: list[Mention], text: str = "") -> list[Mention]:
        """Return copies of ``mentions`` with place, confidence and candidates set."""
        if not mentions:
            return []
        review = self.review
        kept = [m for m in mentions if not review.denies(m.text)] if review.deny else mentions
        scored, top_rows, contained, implied = self._score(kept, text) if kept else ({}, {}, {}, set())
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
            conf = self.weights.confidence_of(
                [s for s, _ in ranked],
                top_rows[key],
                reading_features(by_group[key], key in contained, self.exact_name(by_group[key][0])),
            )
            if key in contained:  # a guess from its container is no surer than the container
                conf = min(conf, confidence(contained[key]))
                if key in implied or scored[key][0][1].kind in AREA_CONTAINER_KINDS:
                    # a point for a whole division: always a guess to check
                    conf = min(conf, AREA_GUESS_CONFIDENCE)
            return conf

        out: list[Mention] = []
        for m in mentions:
            key = group_key(m)
            ranked = None if review.deny and review.denies(m.text) else scored.get(key)
            if not ranked:
                out.append(replace(m, place=None, confidence=0.0, candidates=[]))
                continue
            out.append(
                replace(
                    m, place=ranked[0][1], confidence=round(confidence(key), 4), candidates=[p for _, p in ranked[:5]]
                )
            )
        return out

    def exact_name(self, m: Mention) -> bool:
        """Does the gazetteer hold the mention's name (or the name its hint gives) as written?"""
        name = (m.hint.name if m.hint is not None and m.hint.name else None) or m.text
        return self.gazetteer.is_known_name(name) and self.gazetteer.spelled_alike(name)

    def rank(self, name: str, *, country: str | None = None, context: str = "") -> list[tuple[Place, float]]:
        """Candidates for a bare name with their probabilities (``geomap geocode``)."""
        hint = PlaceHint(country=country.upper()) if country else None
        mention = Mention(text=name, start=0, end=len(name), sent_start=0, sent_end=len(name), hint=hint)
        if self.review.denies(name):
            return []
        corrected = self.review.correction(group_key(mention), context, {country.upper()} if country else set())
        if corrected is not None:
            return [(corrected, 1.0)]
        scored, top_rows, _, _ = self._score([mention], context)
        ranked = scored.get(group_key(mention), [])
        if not ranked:
            return []
        # The top candidate's probability is the confidence model's (a lone candidate is not
        # sure to be right because it is alone); the others share the rest by their scores.
        probs = softmax([s for s, _ in ranked], self.weights.temperature)
        top = self.weights.confidence_of(
            [s for s, _ in ranked],
            top_rows[group_key(mention)],
            reading_features([mention], exact=self.exact_name(mention)),
        )
        rest = (1.0 - top) / (1.0 - probs[0]) if probs[0] < 1.0 else 0.0
        return [(p, round(top if i == 0 else pr * rest, 4)) for i, ((_, p), pr) in enumerate(zip(ranked, probs))]

    def features(
        self, mentions: list[Mention], text: str
    ) -> tuple[dict[str, list[int]], dict[str, list[Place]], Callable]:
        """Group same-name mentions, find candidates, and return a feature function
        ``feats(key, place, picks) -> list[float]`` (picks: the first pass's choices;
        :func:`geomap.resolve.features.candidate_features`)."""
        return candidate_features(
            mentions,
            text,
            lambda m: all_candidates(self.gazetteer, m),
            self.weights.max_candidates,
            admins_in_text(self.gazetteer, text, mentions),
        )

    def training_lists(
        self, mentions: list[Mention], text: str
    ) -> list[tuple[Mention, list[Place], list[list[float]], list[float]]]:
        """For each mention: its candidates, their feature rows (:data:`FEATURES`) as the ranker
        sees them in its last pass, and its name's reading (:func:`reading_features`), for
        fitting the ranker and the confidence model on gold corpora."""
        groups, cands, feats = self.features(mentions, text)
        before_last, _, _, _ = self._score(mentions, text, rounds=ROUNDS - 1)  # what the last pass sees
        picks = {k: r[0][1] for k, r in before_last.items() if r}
        final, final_rows, contained, _ = self._score(mentions, text)
        out = []
        for m in mentions:
            key = group_key(m)
            reading = reading_features(
                [mentions[i] for i in groups[key]], key in contained, self.exact_name(mentions[groups[key][0]])
            )
            if key in contained:  # no candidate of its own: the container it was placed at
                out.append((m, [final[key][0][1]], [final_rows[key]], reading))
                continue
            options = cands.get(key) or []
            out.append((m, options, [feats(key, p, picks) for p in options], reading))
        return out

    def _score(
        self, mentions: list[Mention], text: str, rounds: int = ROUNDS
    ) -> tuple[dict[str, list[tuple[float, Place]]], dict[str, list[float]], dict[str, str], set[str]]:
        """Ranked (score, place) lists per group of same-name mentions, each group's top
        candidate's feature row, the groups placed at their container (no candidate of their
        own) -> the container's group, and those of them whose container the text implies
        rather than states (see :meth:`_place_at_town`)."""
        coef = self.weights.coef
        bias = self.review.bias
        groups, cands, feats = self.features(mentions, text)
        votes = vote_by_group(groups, cands)
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
        for key, containers in enclosures(mentions, text).items():
            ranked = scored.get(key)
            if not ranked or ranked[0][1].kind in AREAS + ("admin1",):
                continue
            stated = [
                scored[ck][0][1]
                for ck in containers
                if scored.get(ck) and scored[ck][0][1].kind in ("country", "admin1")
            ]
            inside = [(sc, p) for sc, p in ranked if any(lies_in(p, c) for c in stated)]
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
            if any(
                scored.get(ck)
                and (scored[ck][0][1].kind in ("country", "admin1") or scored[ck][0][1].population >= pick.population)
                for ck in containers
            ):
                scored[key] = []
        picked = {key: ranked[0][1].country_code for key, ranked in scored.items() if ranked}
        for key, ranked in scored.items():
            if ranked and false_friend(key, [p for _, p in ranked], votes, picked):
                scored[key] = []
        contained = self._place_at_containers(groups, cands, feats, text, mentions, picks, scored, top_rows)
        implied = self._place_at_town(groups, cands, feats, picks, scored, top_rows, contained)
        return scored, top_rows, contained, implied

    def _place_at_containers(self, groups, cands, feats, text, mentions, picks, scored, top_rows) -> dict[str, str]:
        """A name the gazetteer does not know that the text puts in a town or county ("Palais des
        Nations in Geneva", "Hampton Avenue, Lemay") is placed at that town or county; failing
        one, at a small first-level division or country ("Kolbio in Lamu County"; see
        :meth:`small_area`). The groups so placed -> their container's group."""
        placed: dict[str, str] = {}
        unknown = [key for key in groups if not cands[key]]
        if not unknown:
            return placed
        pairs = containment_pairs(mentions, text, groups)
        for key in unknown:
            stated = [(other, scored[other][0][1]) for other in pairs.get(key, ()) if scored.get(other)]
            # the smallest container the text states: a town or county, else a small area
            found = next(((o, p) for o, p in stated if p.kind in CONTAINER_KINDS), None) or next(
                ((o, p) for o, p in stated if self.small_area(p)), None
            )
            if found is not None:
                other, place = found
                row = feats(key, place, picks)
                scored[key] = [(sum(c * x for c, x in zip(self.weights.coef, row)), place)]
                top_rows[key] = row
                placed[key] = other
        return placed

    def _place_at_town(self, groups, cands, feats, picks, scored, top_rows, contained) -> set[str]:
        """A street or a building the gazetteer lacks that the text puts in no place ("North
        State Street", "Memorial Hospital") is placed at the text's town, when the text is local:
        it names a town, and every town, county or site it places lies within
        :data:`~geomap.tools.distance.LOCAL_KM` of it (the most named, the first on ties). A
        guess the text does not state: its confidence is at most :data:`AREA_GUESS_CONFIDENCE`.
        Adds the groups so placed to ``contained`` and returns them."""
        local = [key for key in groups if not cands[key] and key not in contained and _local_name(key)]
        if not local:
            return set()
        towns = [
            key for key, ranked in scored.items() if ranked and key not in contained and ranked[0][1].kind == "city"
        ]
        if not towns:
            return set()
        town = max(towns, key=lambda key: len(groups[key]))  # max keeps the first on ties
        home = scored[town][0][1]
        for key, ranked in scored.items():
            if ranked and key not in contained and ranked[0][1].kind in _LOCAL_KINDS:
                if place_km(ranked[0][1], home) > LOCAL_KM:
                    return set()  # the text ranges wider than one town
        row = feats(town, home, picks)
        for key in local:
            scored[key] = [(sum(c * x for c, x in zip(self.weights.coef, row)), home)]
            top_rows[key] = row
            contained[key] = town
        return set(local)

    def small_area(self, place: Place) -> bool:
        """Is ``place`` a first-level division or country small enough that a name inside it is
        most likely within :data:`AREA_GUESS_KM` of its point (nine in ten of its towns are)?"""
        if place.kind not in AREA_CONTAINER_KINDS:
            return False
        spread = self.gazetteer.spread_km(place)
        return spread is not None and spread <= AREA_GUESS_KM


#: Kinds of place a local text's places are: all of them lie near its town.
_LOCAL_KINDS = ("city", "admin2", "site", "airport")
#: Last words of a local name the gazetteer seldom holds (a street, a road, a building), as they
#: end a name group's key.
_LOCAL_HEADS = frozenset(normalize_name(w) for w in ROAD_WORDS | CIVIC_WORDS)


def _local_name(key: str) -> bool:
    """Does a name group's key end in a street's or a building's word ("north state street")?"""
    words = key.split()
    return len(words) > 1 and words[-1] in _LOCAL_HEADS


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
    return sorted(
        range(len(options)),
        key=lambda i: (-round(scores[i], 9), -spread[options[i].country_code], -mass[options[i].country_code]),
    )
