"""The ranker's and the confidence model's features: what each candidate has for it in the
document (:data:`FEATURES`), how the text gives a name (:data:`READING`), and how far a ranking's
top candidate leads (:data:`CONFIDENCE_FEATURES`)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable

from geomap.gazetteer import normalize_name
from geomap.gazetteer.areas import lies_in
from geomap.records import NO_HINT, Mention, Place
from geomap.resolve.context import (
    AREAS,
    COUNTY_KM,
    containment_pairs,
    document_cues,
    document_evidence,
    group_key,
    main_key,
    named_counties,
    outsized,
    states_named,
    text_containers,
)
from geomap.tools.distance import place_km

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
#: - ``biggest_town``: the most populous town of the name;
#: - the last ones, :data:`CONFIDENCE_ONLY`, for the confidence model alone (the ranker gives them
#:   no weight): what kind of text it is and where the candidate stands against its focus.
FEATURES = (
    "country",
    "continent",
    "admin1",
    "admin2",
    "region",
    "city",
    "facility",
    "city_population",
    "admin2_population",
    "capital",
    "main_name",
    "doc_country",
    "doc_top_country",
    "doc_admin1",
    "hint_country",
    "pair",
    "proximity",
    "doc_county",
    "town_word",
    "town_sentence",
    "state_word",
    "biggest_town",
    "doc_words",
    "doc_names",
    "doc_any_country",
    "focus_share",
    "abroad",
    "abroad_small",
    "off_state",
)
#: Features the ranker never weighs (:func:`geomap.resolve.training.fit` holds them at 0) and the
#: confidence model reads, so that its probabilities carry across kinds of text:
#: - ``doc_words``, ``doc_names``: the text's length (``log10(words + 1) / 4``) and how many names
#:   it places (``log(1 + names) / 4``): a tweet gives fewer cues than a report;
#: - ``doc_any_country``: some unambiguous name vouches for a country; ``focus_share``: the share
#:   of those votes that go to the most voted country (1: the text is about one country);
#: - ``abroad``: at least two unambiguous names vouch for the text's countries and none for the
#:   candidate's (its countries, regions, demonyms and containers are elsewhere);
#: - ``abroad_small``: ``abroad`` for a town, county or site, the more so the smaller it is
#:   (``1 - log10(population + 1) / 7``);
#: - ``off_state``: the text names a state or province and this town or county lies in none.
CONFIDENCE_ONLY = FEATURES[FEATURES.index("doc_words") :]
#: The kind feature of each place kind (sites and airports are facilities).
KIND_FEATURE = {
    "country": "country",
    "continent": "continent",
    "admin1": "admin1",
    "admin2": "admin2",
    "region": "region",
    "city": "city",
    "airport": "facility",
    "site": "facility",
}
#: ``log10(population + 1)`` is divided by this, so a town of 10 million scores 1.
POPULATION_SCALE = 7.0
#: Closeness to another chosen place falls to 1/e at this distance.
PROXIMITY_KM = 400.0

#: How the text gives the name (see :func:`reading_features`).
READING = (
    "by_model",
    "by_gazetteer",
    "by_locative",
    "by_cue",
    "label_loc",
    "label_fac",
    "demonym",
    "log_mentions",
    "placed_within",
    "in_container",
    "place_logit",
    "inexact_name",
)
#: Recognizer sources that read a name from the words around it ("Anbar Province", "the Iraqi
#: capital", "Ain al-Assad Airbase").
CUE_SOURCES = frozenset({"FACILITY", "REGION", "CAPITAL", "DEMONYM_PLACE", "PROPAGATED"})
#: What the confidence model reads about a ranked candidate list: how far the top candidate
#: leads (its softmax log-odds, its score margin over the second, how many candidates there
#: are), the top candidate's own features (its kind and the evidence for it) and the reading.
CONFIDENCE_FEATURES = (
    "top_logit",
    "margin",
    "log_candidates",
    "country",
    "admin1",
    "region",
    "continent",
    "admin2",
    "facility",
    "main_name",
    "pair",
    "doc_country",
    "doc_admin1",
    "city_population",
    "proximity",
    "hint_country",
    *CONFIDENCE_ONLY,
    *READING,
)
#: A score margin over the second candidate counts up to this much (a lone candidate has it).
MAX_MARGIN = 10.0


def confidence_features(
    scores: list[float], top_row: list[float], reading: list[float], temperature: float = 1.0
) -> list[float]:
    """The :data:`CONFIDENCE_FEATURES` of a candidate list (``scores`` best first) whose name the
    text reads as ``reading`` (:func:`reading_features`)."""
    p = softmax(scores, temperature)[0]
    p = min(max(p, 1e-6), 1 - 1e-6)
    margin = min(scores[0] - scores[1], MAX_MARGIN) if len(scores) > 1 else MAX_MARGIN
    row = dict(zip(FEATURES, top_row))
    return [
        math.log(p / (1 - p)),
        margin,
        math.log(len(scores)),
        *(row[name] for name in CONFIDENCE_FEATURES[3 : -len(READING)]),
        *reading,
    ]


def reading_features(mentions: list[Mention], in_container: bool = False, exact: bool = True) -> list[float]:
    """How the text gives a name (its mentions): found by the language model, by the gazetteer
    alone, after "in"/"near" or from a cue word; labelled a location, a facility or a people; how
    often named; placed through another name ("North Texas", "Iraqi Kurdistan") or, with
    ``in_container``, at the town the text puts it in ("Palais des Nations in Geneva").
    A name the model missed and the gazetteer found is more often no place at all.
    ``exact``: the gazetteer holds the name as written (accents included); False when only a
    fuzzy, stemmed or accent-folded match found its candidates, which is never as sure."""
    sources = {m.source for m in mentions}
    labels = {m.label for m in mentions}
    within = any(
        m.hint is not None and m.hint.name and normalize_name(m.hint.name) != normalize_name(m.text) for m in mentions
    )
    return [
        float("NER" in sources),
        float(bool(sources & {"GAZ", "EMBEDDED", "HASHTAG"})),
        float("LOCATIVE" in sources),
        float(bool(sources & CUE_SOURCES)),
        float("LOC" in labels),
        float("FAC" in labels),
        float("NORP" in labels or any(m.hint is not None and m.hint.demonym for m in mentions)),
        math.log(len(mentions)),
        float(within),
        float(in_container),
        _place_logit(mentions),
        float(not exact),
    ]


#: The recognizer's probability counts up to this log-odds either way.
MAX_PLACE_LOGIT = 5.0


def _place_logit(mentions: list[Mention]) -> float:
    """The log-odds that the name is a place at all, from the recognizer's classifier (the best
    of its mentions); the most it counts when no classifier judged it (given spans, cues, the
    rules alone)."""
    probs = [m.place_p for m in mentions if m.place_p is not None]
    if not probs:
        return MAX_PLACE_LOGIT
    p = min(max(max(probs), 1e-6), 1 - 1e-6)
    return max(-MAX_PLACE_LOGIT, min(MAX_PLACE_LOGIT, math.log(p / (1 - p))))


def candidate_features(
    mentions: list[Mention],
    text: str,
    candidates_of: Callable[[Mention], list[Place]],
    limit: int,
    named_here: list[tuple[int, int, Place]],
) -> tuple[dict[str, list[int]], dict[str, list[Place]], Callable]:
    """Group same-name mentions, find candidates (``candidates_of``, the best-known ``limit`` of
    them and the namesakes the text's states and counties keep; ``named_here``: the areas the
    text names, :func:`geomap.resolve.context.admins_in_text`), and return a feature function
    ``feats(key, place, picks) -> list[float]`` (picks: the first pass's choices)."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        groups[group_key(m)].append(i)
    everyone = {key: candidates_of(mentions[idx[0]]) for key, idx in groups.items()}
    cands = {key: found[:limit] for key, found in everyone.items()}

    country_votes, admin_named = document_evidence(groups, cands)
    counties = named_counties(groups, cands) + [p for _, _, p in named_here if p.kind == "admin2"]
    admin_named |= states_named(named_here, counties)
    pairs = containment_pairs(mentions, text, groups)
    text_pairs = text_containers(mentions, text, named_here)
    for key, found in everyone.items():
        # A small namesake beyond the usual shortlist stays in the running when the text
        # names its state or county ("Greenville, Indiana" for a town of 700).
        cands[key] = found[:limit] + [
            p
            for p in found[limit:]
            if p.kind not in AREAS
            and (p.admin1_code in admin_named or any(place_km(p, c) <= COUNTY_KM for c in counties))
        ]
    total_votes = sum(country_votes.values()) or 1
    top_country = country_votes.most_common(1)[0][0] if country_votes else None

    biggest = {key: max((p.population for p in found if p.kind == "city"), default=0) for key, found in cands.items()}
    cues = document_cues(mentions, text, groups)
    owned = {key: any(_is_own_name(key, p) for p in found) for key, found in cands.items()}
    for key, found in cands.items():
        # "Portland", "Manchester", "Charlotte": a parish of a few thousand people is not what
        # the name of a city of half a million means, unless the text calls the name a region
        # ("the province of X", "X province") or names the region's country ("Jamaica").
        cands[key] = [
            p
            for p in found
            if not (
                p.kind == "admin1"
                and outsized(p, found)
                and not cues.state_word[key]
                and not country_votes.get(p.country_code)
            )
        ]

    document = _document_features(text, groups, country_votes)
    states = admin_named

    def feats(key: str, p: Place, picks: dict[str, Place] | None) -> list[float]:
        m = mentions[groups[key][0]]
        hint = m.hint or NO_HINT
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
        if p.kind not in AREAS + ("admin1", "admin2") and any(place_km(p, c) <= COUNTY_KM for c in counties):
            f["doc_county"] = 1.0
        if hint.country and p.country_code == hint.country:
            f["hint_country"] = 1.0
        for other_key in pairs.get(key, ()):
            if any(lies_in(p, q) for q in cands.get(other_key, ())[:5]):
                f["pair"] = 1.0
                break
        if any(
            lies_in(p, q)
            or (q.kind == "admin2" and p.kind not in AREAS + ("admin1", "admin2") and place_km(p, q) <= COUNTY_KM)
            for q in text_pairs.get(key, ())
        ):
            f["pair"] = 1.0
        if picks and p.kind == "country":
            # Distance says little about a country: its closeness is the share of the other
            # places that lie inside it (else "Mexico" loses to the State of Mexico, which
            # is near the towns the document names).
            others = [q for k, q in picks.items() if k != key and q.kind not in AREAS]
            f["proximity"] = sum(q.country_code == p.country_code for q in others) / len(others) if others else 0.0
        elif picks and p.kind not in AREAS:
            # Nor about a sea: only for places with a meaningful point.
            f["proximity"] = _proximity(p, [q for k, q in picks.items() if k != key])
        f.update(document)
        town = p.kind not in AREAS + ("admin1",)
        if total_votes >= _FOCUS_EVIDENCE and not country_votes.get(p.country_code):
            f["abroad"] = 1.0
            f["abroad_small"] = (1.0 - min(size, 1.0)) if town else 0.0
        if states and town and p.admin1_code not in states:
            f["off_state"] = 1.0
        return [f[name] for name in FEATURES]

    return groups, cands, feats


#: How many name mentions must vouch for the text's countries before a candidate in none of them
#: counts as abroad.
_FOCUS_EVIDENCE = 2


def _document_features(text: str, groups: dict[str, list[int]], country_votes) -> dict[str, float]:
    """The document's own :data:`CONFIDENCE_ONLY` features (the same for every candidate)."""
    total = sum(country_votes.values())
    return {
        "doc_words": math.log10(len(text.split()) + 1) / 4,
        "doc_names": math.log1p(len(groups)) / 4,
        "doc_any_country": float(total > 0),
        "focus_share": max(country_votes.values()) / total if total else 0.0,
    }


def _is_own_name(key: str, p: Place) -> bool:
    """Is ``key`` (a group's name) the place's own name rather than an alternate one?"""
    return main_key(p.name) == key or normalize_name(p.name) == key


def _proximity(p: Place, others: list[Place]) -> float:
    """Mean closeness (1 near, 0 far) of ``p`` to the other mentions' places."""
    others = [q for q in others if q.kind not in AREAS]
    if not others:
        return 0.0
    return sum(math.exp(-place_km(p, q) / PROXIMITY_KM) for q in others) / len(others)


def softmax(scores: list[float], temperature: float) -> list[float]:
    if not scores:
        return []
    top = max(scores)
    exps = [math.exp((s - top) / temperature) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]
