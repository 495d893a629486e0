"""Evidence for the learned recognizer: one row of numbers per candidate span.

A candidate is a span that some source proposes as a place: the NER model, a gazetteer name, a
locative frame, a cue pattern. Whether it *is* a place is decided by a classifier
(:mod:`geomap.nlp.place_model`) from evidence that does not belong to one corpus:

- which sources proposed it, and the model's label for it (or none);
- its shape (one word or several, capitals, a hashtag, the capitalisation of its sentence);
- the words around it: locative and motion prepositions, a place noun, a verb of attack or motion
  that governs it, use as a modifier before a noun, a possessive, a title before it;
- the gazetteer's prior: the biggest namesake's population, how many namesakes, their kinds;
- whether it is also a common noun, a stop word, a first name or a surname;
- the document: the same string as a model place elsewhere, how often it recurs, whether a country
  or region named in the text contains one of its namesakes.

``RECOGNIZER_FEATURES`` names every column, in order; a fitted model stores the names it was fitted
with, so a change here is caught when a stale model is loaded.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from geomap.nlp import patterns
from geomap.nlp.person_names import NameShares
from geomap.nlp.sources import Source
from geomap.records import PlaceHint

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_OTHER_LABELS = frozenset(
    {
        "WORK_OF_ART",
        "EVENT",
        "PRODUCT",
        "LAW",
        "LANGUAGE",
        "DATE",
        "CARDINAL",
        "MONEY",
        "QUANTITY",
        "ORDINAL",
        "TIME",
        "PERCENT",
    }
)
_KINDS = ("country", "admin1", "admin2", "city", "continent", "region", "site", "airport")
_NOUN_TAGS = frozenset({"NN", "NNS"})


@dataclass
class Candidate:
    """A span proposed as a place, with every source that proposed it."""

    span: Span
    sources: set[Source] = field(default_factory=set)
    priority: int = 9
    hint: PlaceHint | None = None

    @property
    def key(self) -> tuple[int, int, str]:
        return self.span.start, self.span.end, self.span.label_


_SOURCE_FEATURES = tuple(f"src_{s.value.lower()}" for s in Source if s is not Source.GOLD)

RECOGNIZER_FEATURES: tuple[str, ...] = (
    *_SOURCE_FEATURES,
    "n_sources",
    # the model's reading of the span
    "ner_gpe",
    "ner_loc",
    "ner_fac",
    "ner_norp",
    "ner_person",
    "ner_org",
    "ner_other",
    "ner_none",
    "ner_exact",
    "ner_longer",
    # shape
    "n_tokens",
    "all_upper",
    "short",
    "sent_start",
    "hashtag",
    "has_digit",
    "propn_share",
    "sentence_capitals",
    "label_norp",
    # context
    "prev_locative",
    "prev_weak",
    "prev_motion",
    "prev_of_frame",
    "prev_of_other",
    "prev_the",
    "prev_place_noun",
    "next_place_noun",
    "ends_place_noun",
    "next_comma_area",
    "in_parens",
    "next_propn",
    "modifier_of_noun",
    "possessive",
    "title_before",
    "in_person_name",
    "next_surname",
    "prev_first_name",
    "prev_capital_word",
    "next_capital_word",
    "dep_pobj",
    "dep_subj",
    "dep_obj",
    "dep_compound",
    "place_verb",
    "speech_subject",
    "in_list",
    # gazetteer prior
    "gaz_known",
    "gaz_notable",
    "gaz_log_pop",
    "gaz_log_namesakes",
    *(f"gaz_{k}" for k in _KINDS),
    "gaz_big_alias",
    "gaz_spelled_alike",
    "demonym",
    # the word itself
    "common_noun",
    "stop_word",
    "first_name",
    "surname",
    "calendar",
    # the document
    "doc_model_place",
    "doc_repeats",
    "doc_container",
)


@dataclass
class _DocFacts:
    """What the whole document says, computed once per Doc."""

    model_places: dict[str, set[int]]
    countries: set[str]


def _doc_facts(doc: Doc, gaz) -> _DocFacts:
    model_places: dict[str, set[int]] = {}
    for e in doc.ents:
        if e.label_ in PLACE_LABELS:
            model_places.setdefault(e.text, set()).add(e.start)
    countries: set[str] = set()
    for e in doc.ents:
        if e.label_ in PLACE_LABELS | {"NORP"}:
            code = gaz.demonym_country(e.text)
            if code:
                countries.add(code[:2])
            for p in gaz.lookup(e.text, kinds=("country", "admin1"), limit=3):
                if p.country_code:
                    countries.add(p.country_code)
    return _DocFacts(model_places, countries)


def candidate_rows(
    doc: Doc, candidates: Iterable[Candidate], gaz, common_nouns: frozenset[str], names: NameShares
) -> list[list[float]]:
    """One feature row (``RECOGNIZER_FEATURES`` order) for each candidate."""
    cands = list(candidates)
    if not cands:
        return []
    facts = _doc_facts(doc, gaz)
    text = doc.text
    rows = []
    for cand in cands:
        rows.append(_row(doc, cand, gaz, common_nouns, names, facts, text))
    return rows


def _ner_reading(span: Span) -> tuple[set[str], bool, bool]:
    """Labels of the model's entities overlapping the span, whether one has the same bounds, and
    whether one is longer."""
    labels, exact, longer = set(), False, False
    for tok in span:
        if tok.ent_type_:
            labels.add(tok.ent_type_)
    for ent in span.doc.ents:
        if ent.start < span.end and span.start < ent.end:
            exact = exact or (ent.start == span.start and ent.end == span.end)
            longer = longer or (ent.end - ent.start > span.end - span.start)
    return labels, exact, longer


def _sentence_capitals(span: Span) -> float:
    sent = span.sent
    words = [t for t in sent if t.is_alpha]
    if not words:
        return 0.0
    return sum(t.text[:1].isupper() for t in words) / len(words)


def _row(doc: Doc, cand: Candidate, gaz, common_nouns, names: NameShares, facts: _DocFacts, text: str) -> list[float]:
    span = cand.span
    n = len(doc)
    f: dict[str, float] = {}
    for s in Source:
        if s is not Source.GOLD:
            f[f"src_{s.value.lower()}"] = float(s in cand.sources)
    f["n_sources"] = float(len(cand.sources))

    labels, exact, longer = _ner_reading(span)
    f["ner_gpe"] = float("GPE" in labels)
    f["ner_loc"] = float("LOC" in labels)
    f["ner_fac"] = float("FAC" in labels)
    f["ner_norp"] = float("NORP" in labels)
    f["ner_person"] = float("PERSON" in labels)
    f["ner_org"] = float("ORG" in labels)
    f["ner_other"] = float(bool(labels & _OTHER_LABELS))
    f["ner_none"] = float(not labels)
    f["ner_exact"] = float(exact)
    f["ner_longer"] = float(longer)

    words = span.text
    letters = [c for c in words if c.isalpha()]
    f["n_tokens"] = float(min(len(span), 6))
    f["all_upper"] = float(bool(letters) and all(c.isupper() for c in letters))
    f["short"] = float(len(letters) <= 3)
    f["sent_start"] = float(span[0].is_sent_start)
    f["hashtag"] = float(span.start > 0 and doc[span.start - 1].text == "#")
    f["has_digit"] = float(any(c.isdigit() for c in words))
    f["propn_share"] = sum(t.pos_ == "PROPN" for t in span) / len(span)
    f["sentence_capitals"] = _sentence_capitals(span)
    f["label_norp"] = float(span.label_ == "NORP")

    prev = doc[span.start - 1] if span.start > 0 else None
    prev2 = doc[span.start - 2] if span.start > 1 else None
    nxt = doc[span.end] if span.end < n else None
    nxt2 = doc[span.end + 1] if span.end + 1 < n else None
    low = prev.lower_ if prev is not None else ""
    f["prev_locative"] = float(low in patterns.LOCATIVE_PREPS)
    f["prev_weak"] = float(low in patterns.WEAK_LOCATIVE_PREPS)
    f["prev_motion"] = float(low in patterns.MOTION_PREPS)
    of_frame = low == "of" and prev2 is not None
    f["prev_of_frame"] = float(
        of_frame and (prev2.lower_ in patterns.PLACE_TYPE_NOUNS or prev2.lower_ in patterns.OF_FRAME_WORDS)
    )
    f["prev_of_other"] = float(low == "of" and not f["prev_of_frame"])
    f["prev_the"] = float(low == "the")
    f["prev_place_noun"] = float(prev is not None and prev.is_lower and low in patterns.PLACE_TYPE_NOUNS)
    f["next_place_noun"] = float(nxt is not None and nxt.is_lower and nxt.lower_ in patterns.PLACE_TYPE_NOUNS)
    f["ends_place_noun"] = float(len(span) > 1 and span[-1].lower_ in patterns.PLACE_TYPE_NOUNS)
    f["next_comma_area"] = float(
        nxt is not None
        and nxt.text == ","
        and nxt2 is not None
        and nxt2.is_title
        and gaz.is_notable_name(nxt2.text, min_population=10**10)
    )
    f["in_parens"] = float(low == "(" and nxt is not None and nxt.text == ")")
    f["next_propn"] = float(nxt is not None and nxt.pos_ == "PROPN" and nxt.is_title)
    f["modifier_of_noun"] = float(
        nxt is not None and nxt.is_lower and nxt.tag_ in _NOUN_TAGS | {"JJ"} and span.root.head.i >= span.end
    )
    f["possessive"] = float(nxt is not None and nxt.tag_ == "POS")
    first = span[0].lower_.rstrip(".")
    f["title_before"] = float(low.rstrip(".") in patterns.PERSON_TITLES or first in patterns.PERSON_TITLES)
    f["in_person_name"] = float(
        any(
            e.label_ == "PERSON" and e.start <= span.start and span.end <= e.end and e.end - e.start > len(span)
            for e in doc.ents
        )
    )
    f["next_surname"] = names.last(nxt.text) if nxt is not None and nxt.is_title else 0.0
    f["prev_first_name"] = names.first(prev.text) if prev is not None and prev.is_title else 0.0
    f["prev_capital_word"] = float(prev is not None and prev.is_title and not prev.is_sent_start)
    f["next_capital_word"] = float(nxt is not None and nxt.is_title)

    root = span.root
    dep = root.dep_
    f["dep_pobj"] = float(dep == "pobj")
    f["dep_subj"] = float(dep in ("nsubj", "nsubjpass"))
    f["dep_obj"] = float(dep in ("dobj", "obj", "attr", "oprd"))
    f["dep_compound"] = float(dep in ("compound", "amod", "nmod", "poss"))
    head = root.head
    if dep == "pobj" and head.head is not None:
        head = head.head
    f["place_verb"] = float(head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in patterns.PLACE_VERBS)
    f["speech_subject"] = float(dep in ("nsubj", "nsubjpass") and root.head.lemma_ in patterns.SPEECH_VERBS)
    f["in_list"] = float(dep == "conj" or (nxt is not None and nxt.lower_ in ("and", "or")))

    found = gaz.lookup(words)
    f["gaz_known"] = float(bool(found))
    f["gaz_notable"] = float(gaz.is_notable_name(words, min_population=15000))
    pop = max((p.population for p in found), default=0)
    f["gaz_log_pop"] = math.log10(1 + pop)
    f["gaz_log_namesakes"] = math.log10(1 + len(found))
    kinds = {p.kind for p in found}
    for k in _KINDS:
        f[f"gaz_{k}"] = float(k in kinds)
    f["gaz_big_alias"] = float(gaz.is_city_alias(words, min_population=100_000))
    f["gaz_spelled_alike"] = float(gaz.spelled_alike(words)) if found else 0.0
    f["demonym"] = float(gaz.demonym_country(words) is not None)

    single = len(span) == 1
    word = span[0]
    f["common_noun"] = float(single and word.lower_ in common_nouns)
    f["stop_word"] = float(single and word.is_stop)
    f["first_name"] = names.first(word.text)
    f["surname"] = names.last(span[-1].text)
    f["calendar"] = float(single and word.lower_ in patterns.CALENDAR_WORDS)

    f["doc_model_place"] = float(bool(facts.model_places.get(words, set()) - {span.start}))
    f["doc_repeats"] = math.log1p(text.count(words) - 1) if words else 0.0
    f["doc_container"] = float(
        any(p.country_code in facts.countries for p in found[:20] if p.kind not in ("country", "continent"))
    )
    return [f[name] for name in RECOGNIZER_FEATURES]
