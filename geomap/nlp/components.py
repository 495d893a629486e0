"""The ``geomap_places`` spaCy component: place-name recognition on top of a stock NER model.

It adds what the statistical model misses or mislabels, using the gazetteer and token patterns:
facilities ("Ain al-Assad Airbase"), regions ("Anbar Province"), demonym phrases ("Iraqi
Kurdistan", "the Iraqi capital"), gazetteer names the model skipped, and names in locative frames
whatever the model's label ("protested in Rijeka", "the village of X", "X (Province)"); it drops GPE/LOC spans
that are no place at all (acronyms of organisations the model calls GPE, such as "IRGC").

Results land in ``doc.spans["places"]`` (labels GPE, LOC, FAC, NORP for demonyms), each span with
``span._.geomap_hint`` (constraints for the resolver), and ``doc.ents`` is updated to agree.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from geomap.gazetteer.normalize import normalize_name
from geomap.nlp import patterns
from geomap.nlp.person_names import name_shares
from geomap.nlp.place_features import RECOGNIZER_FEATURES, Candidate, candidate_rows
from geomap.nlp.place_model import SHIPPED_CLASSIFIER, PlaceClassifier
from geomap.nlp.sources import CUE_SOURCES, PROPOSAL_SOURCES, Source
from geomap.records import NO_HINT, PlaceHint
from geomap.tools.datelines import dateline_spans

SPAN_KEY = "places"
PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Entity labels a gazetteer phrase match must not override: the model has read the context.
_PROTECTED = {"PERSON", "ORG", "NORP", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "LANGUAGE"}
# Match sources, best first, for resolving overlaps.
_PRIORITY = {
    Source.FACILITY: 0,
    Source.REGION: 0,
    Source.CAPITAL: 0,
    Source.DEMONYM_PLACE: 1,
    Source.PROPAGATED: 1,
    Source.LOCATIVE: 1,
    Source.NER: 2,
    Source.HASHTAG: 2,
    Source.GAZ: 3,
    Source.EMBEDDED: 3,
    Source.NER_WEAK: 4,
    Source.GAZ_ANY: 4,
}
#: Entity labels whose names often start with a place ("Ohio Department of Development",
#: "DeKalb Police", "American Legion"): the place inside is a toponym too.
_EMBEDDING = {"ORG", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW"}
_MAX_NGRAM = 4
_MAX_NAME = 5
#: The most words of a name the gazetteer is asked about, links included ("Democratic People's
#: Republic of Korea" is seven tokens).
_MAX_KNOWN = 7
#: Nouns that make "the <noun> of X" and "X <noun>" a place frame ("the village of X", "X district").
_FRAME_NOUNS = patterns.PLACE_TYPE_NOUNS
#: Single words that are never a place name on their own (place types, compass words, institutions).
_GENERIC_WORDS = _FRAME_NOUNS | patterns.COMPASS_WORDS | patterns.INSTITUTION_WORDS | patterns.ROAD_WORDS
#: A common word ("Court", "Union", "God") names a place on a bare "in X" only when the place is this big.
_COMMON_WORD_MIN_POPULATION = 100_000
_DETERMINERS = {"the", "The"}
#: Heads of administrative areas' names ("Lamu County", "Saladin province").
_REGION_HEADS = frozenset(patterns.REGION_HEADS)
_POSSESSIVES = {"'s", "’s", "'", "’"}

if not Span.has_extension("geomap_hint"):
    Span.set_extension("geomap_hint", default=None)
if not Span.has_extension("geomap_source"):
    Span.set_extension("geomap_source", default=None)
if not Span.has_extension("geomap_prob"):
    Span.set_extension("geomap_prob", default=None)
#: The ``classifier`` setting: the model shipped with geomap, or none (the rules alone), or a path.
SHIPPED = "shipped"
NO_CLASSIFIER = "none"


@Language.factory(
    "geomap_places",
    default_config={
        "gazetteer": None,
        "min_population": 15000,
        "use_gazetteer_terms": True,
        "locative_unknown": True,
        "classifier": SHIPPED,
    },
    assigns=["doc.ents", "doc.spans"],
    requires=["doc.ents", "token.pos"],
)
def make_place_ruler(
    nlp: Language,
    name: str,
    gazetteer: str | None,
    min_population: int,
    use_gazetteer_terms: bool,
    locative_unknown: bool,
    classifier: str,
) -> PlaceRecognizer:
    return PlaceRecognizer(
        nlp,
        name,
        gazetteer=gazetteer,
        min_population=min_population,
        use_gazetteer_terms=use_gazetteer_terms,
        locative_unknown=locative_unknown,
        classifier=classifier,
    )


class PlaceRecognizer:
    """Find place names in a Doc already processed by a NER model.

    Gazetteer names are matched token by token against the gazetteer's index rather than
    through a PhraseMatcher: loading a hundred thousand names into a PhraseMatcher costs
    over ten seconds at every start, an indexed lookup per capitalised n-gram costs microseconds.
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "geomap_places",
        *,
        gazetteer: Any = None,
        min_population: int = 15000,
        use_gazetteer_terms: bool = True,
        locative_unknown: bool = True,
        classifier: str | PlaceClassifier | None = SHIPPED,
    ) -> None:
        self.name = name
        self.vocab = nlp.vocab
        self.nlp = nlp
        self.locative_unknown = locative_unknown
        self._common_nouns: frozenset[str] | None = None
        self.min_population = min_population
        self.use_gazetteer_terms = use_gazetteer_terms
        self.gazetteer_path = gazetteer if isinstance(gazetteer, (str, Path)) else None
        self._gazetteer = gazetteer if gazetteer is not None and not isinstance(gazetteer, (str, Path)) else None
        self.cue_matcher = Matcher(nlp.vocab)
        self.cue_matcher.add("FACILITY", patterns.facility_patterns())
        self.cue_matcher.add("REGION", patterns.region_patterns())
        self.cue_matcher.add("DEMONYM_PLACE", [[{"IS_TITLE": True}, {"IS_TITLE": True, "POS": "PROPN"}]])
        self.cue_matcher.add("CAPITAL", [[{"LOWER": "the"}, {"IS_TITLE": True}, {"LOWER": "capital"}]])
        self.classifier_setting, self.classifier = _load_classifier(classifier)

    def use_gazetteer(self, gazetteer) -> None:
        """Share an open gazetteer (its path is what the pipeline's config and ``to_disk`` keep,
        so a saved and reloaded pipeline opens the same file)."""
        self._gazetteer = gazetteer
        self.gazetteer_path = str(gazetteer.path)

    @property
    def gazetteer(self):
        # Opened on first use so that loading a saved pipeline stays cheap.
        if self._gazetteer is None:
            from geomap.gazetteer import Gazetteer

            self._gazetteer = Gazetteer.open(self.gazetteer_path)
        return self._gazetteer

    # -- spaCy component protocol -------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        if self.classifier is None:
            found = [(c.priority, c.span) for c in self.candidates(doc)]
        else:
            found = self._classified(doc)
        chosen = _non_overlapping(_whole_names(found))
        chosen = _non_overlapping(chosen + self._propagate(doc, chosen))
        places = [span for _, span in chosen]
        for span in places:
            if span.label_ in PLACE_LABELS and span._.geomap_source != Source.REGION:
                # a region cue ("Ramsey District" Court) already says what the name is
                place = self.place_within(span)
                if place is not None:
                    old = span._.geomap_hint
                    span._.geomap_hint = PlaceHint(country=old.country if old else None, name=place, same_as=place)
        doc.spans[SPAN_KEY] = places
        geo = [s for s in places if s.label_ in PLACE_LABELS]
        kept = [e for e in doc.ents if not any(_overlaps(e, s) for s in geo)]
        doc.ents = sorted(kept + geo, key=lambda s: s.start)
        return doc

    # -- candidates and the classifier ---------------------------------------------------------
    def _classified(self, doc: Doc) -> list[tuple[int, Span]]:
        """The candidates the classifier calls places, each with its probability."""
        cands = self.candidates(doc, proposals=True)
        probs = self.classifier.probabilities(self.feature_rows(doc, cands))
        datelines = {start for start, _ in dateline_spans(doc.text)}
        out = []
        model = self.classifier
        held: list[tuple[Candidate, float]] = []  # known whole names the classifier doubted
        for cand, prob in zip(cands, probs):
            proposal = cand.sources <= PROPOSAL_SOURCES
            if proposal and self._person_evidence(doc, cand.span, "PERSON" in {t.ent_type_ for t in cand.span}):
                continue  # "President Jackson", "in Jackson's view": a person, as the rules say
            needed = model.threshold if proposal else model.rule_threshold
            if prob >= needed or _kept_by_rule(cand, self.gazetteer) or cand.span.start_char in datelines:
                cand.span._.geomap_prob = float(prob)
                out.append((cand.priority, cand.span))
            elif cand.sources == {Source.GAZ_ANY} and _linked_name(cand.span):
                held.append((cand, float(prob)))
        for cand, prob in held:
            # a known whole name around a place the classifier kept is that place, told in full
            # ("the Democratic People's Republic of Korea" where the model read "Korea")
            inner = [
                s._.geomap_prob or 0.0
                for _, s in out
                if cand.span.start <= s.start and s.end <= cand.span.end and len(s) < len(cand.span)
            ]
            if inner:
                cand.span._.geomap_prob = max([prob, *inner])
                out.append((cand.priority, cand.span))
        return out

    def feature_rows(self, doc: Doc, cands: list[Candidate]) -> list[list[float]]:
        """The classifier's evidence for each candidate (``RECOGNIZER_FEATURES`` order)."""
        return candidate_rows(doc, cands, self.gazetteer, self.common_nouns, name_shares())

    def candidates(self, doc: Doc, proposals: bool = False) -> list[Candidate]:
        """Every span some source proposes as a place, once per span with all its sources.

        The label, hint and priority of a span are those of its best source. ``proposals``: also
        the spans only a classifier may accept (model places that fail the plausibility rules,
        capitalised names the gazetteer knows at any size)."""
        gaz = self.gazetteer
        by_span: dict[tuple[int, int], Candidate] = {}

        def add(source: Source, span: Span, label: str, hint: PlaceHint | None = None) -> None:
            if len(span) == 1 and span[0].lower_ in _GENERIC_WORDS:
                return  # "Town", "West", "University": a part of a name, never a place alone
            if len(span) == 1 and span[0].lower_.rstrip(".") in patterns.TITLE_ABBREVIATIONS:
                return  # "Dr", "Gen.": a title, not the town a gazetteer lists under those letters
            if _names_an_agency(span):
                return  # "SANA reported", "Xinhua reporters": the news agency, not Sanaa or a district
            span = _with_compass_word(span, gaz)
            if _names_streets(span):
                return  # "near Rivers and Stokes avenue": streets, not Rivers State
            if _before_road_word(span):
                # "Rivers Avenue", "Paris Road": the street is named, not the state or the town
                span, label, hint = doc[span.start : span.end + 1], "FAC", None
            if source in PROPOSAL_SOURCES and not proposals:
                return
            prio = _PRIORITY[source]
            cand = by_span.get((span.start, span.end))
            if cand is not None:
                cand.sources.add(source)
                if prio >= cand.priority:
                    return
            span = Span(doc, span.start, span.end, label=label)
            span._.geomap_hint = hint
            span._.geomap_source = source
            if cand is None:
                by_span[(span.start, span.end)] = Candidate(span, {source}, prio, hint)
            else:
                cand.span, cand.priority, cand.hint = span, prio, hint

        for match_id, start, end in self.cue_matcher(doc):
            source = Source(self.vocab.strings[match_id])
            span = doc[start:end]
            if source in ("FACILITY", "REGION"):
                # "Iraqi Anbar Province": the demonym narrows the country, it is not part of the name.
                country = None
                while span.end - span.start > 2 and gaz.demonym_country(span[0].text):
                    country = country or gaz.demonym_country(span[0].text)
                    span = doc[span.start + 1 : span.end]
                if span[0].text == "-" or span[-2].text == "-":
                    continue
                if country is None and _cuts_a_name(span):
                    continue  # "Rift Valley Province" unknown: "Valley Province" is no name of its own
                if span[0].lower_ in patterns.GENERIC_MODIFIERS:
                    continue
                # "Defense Department": a region head after a name the gazetteer does not know
                # is an organisation, not a province.
                if source == "REGION" and not gaz.is_known_name(span[:-1].text):
                    continue
                # "U.S. District (Court)": a country's name before a region head is no region.
                if source == "REGION" and _only_a_country(gaz, span[:-1].text):
                    continue
                # "Colorado State University": the head is inside a longer proper name, an
                # institution rather than the region.
                if (
                    source == "REGION"
                    and span[-1].lower_ == "state"
                    and span.end < len(doc)
                    and doc[span.end].is_title
                    and doc[span.end].pos_ == "PROPN"
                ):
                    continue
                kinds = ("airport", "site") if source == Source.FACILITY else ("admin1", "admin2", "region")
                add(source, span, "FAC" if source == "FACILITY" else "GPE", PlaceHint(kinds=kinds, country=country))
            elif source == Source.DEMONYM_PLACE:
                country = gaz.demonym_country(span[0].text)
                # "Iraqi Kurdistan" yes, "Russian Minister" or "Nigerian Air" no: the second word
                # must name a country or region, or be one the model read as a place.
                # And a known name must have a place in that country (or across borders): the
                # "Canadian Coast" (Guard) is no Tanzanian region.
                if (
                    country
                    and (span[1].ent_type_ in PLACE_LABELS or gaz.is_notable_name(span[1].text, min_population=10**10))
                    and _has_place_in(gaz, span[1].text, country)
                ):
                    add(source, span, "GPE", PlaceHint(country=country, name=span[1].text))
            elif source == Source.CAPITAL:
                country = gaz.demonym_country(span[1].text)
                if country:
                    add(source, span, "GPE", PlaceHint(capital_of=country))

        ner_tokens: set[int] = set()  # tokens of the model's own plausible places
        for ent in doc.ents:
            if ent.label_ in PLACE_LABELS:
                span = _strip_determiner(ent)
                if span is not None:
                    span = self._whole_name(span)
                if span is not None and self._plausible_place(span):
                    add(Source.NER, span, ent.label_)
                    ner_tokens.update(range(span.start, span.end))
                elif span is not None:
                    add(Source.NER_WEAK, span, ent.label_)
            elif ent.label_ == "NORP":
                country = gaz.demonym_country(ent.text)
                if country:
                    add(Source.NER, ent, "NORP", PlaceHint(country=country, demonym=True))

        for ent in doc.ents:
            if ent.label_ in _EMBEDDING and len(ent) > 1:
                found = self._leading_place(ent)
                if found is not None:
                    span, hint = found
                    add(Source.EMBEDDED, span, "NORP" if hint else "GPE", hint)

        for span in self._locative_names(doc, ner_tokens):
            add(Source.LOCATIVE, span, "GPE")

        for span, name in self._hashtag_names(doc):
            add(Source.HASHTAG, span, "GPE", PlaceHint(name=name) if name != span.text else None)

        if self.use_gazetteer_terms:
            for span in self._gazetteer_names(doc):
                add(Source.GAZ, span, "GPE")
            for span in self._dateline_names(doc):
                add(Source.GAZ, span, "GPE")
        if proposals:
            for span in self._known_names(doc):
                add(Source.GAZ_ANY, span, "GPE")
        return sorted(by_span.values(), key=lambda c: (c.span.start, c.span.end))

    def _known_names(self, doc: Doc):
        """Capitalised names of at most :data:`_MAX_KNOWN` words that the gazetteer knows as a place
        of any size, longest first within each run of capitalised words and the links between them
        (:func:`_name_link`: "Port Louis" in "Port Louis city", "Bunia" read as a person,
        "Democratic People's Republic of Korea")."""
        gaz = self.gazetteer
        n = len(doc)
        i = 0
        while i < n:
            if not _name_word(doc[i]):
                i += 1
                continue
            j = i
            while j < n and j - i < _MAX_KNOWN:
                if _name_word(doc[j]) or (_particle(doc[j]) and j + 1 < n and _name_word(doc[j + 1])):
                    j += 1
                elif link := _name_link(doc, j):
                    j += link
                else:
                    break
            while i < j:
                for stop in range(min(j, i + _MAX_KNOWN), i, -1):
                    span = doc[i:stop]
                    if not (_name_word(span[0]) and _name_word(span[-1])):
                        continue
                    text = span.text
                    if (
                        gaz.is_notable_name(text, min_population=0)
                        or gaz.is_city_alias(text, min_population=100_000)
                        or self._known_area(text)
                    ) and gaz.spelled_alike(text):
                        yield span
                        i = stop
                        break
                else:
                    i += 1

    # -- locative frames ----------------------------------------------------------------------
    def _locative_names(self, doc: Doc, ner_places: set[int]) -> list[Span]:
        """Names that stand where a place stands, whatever the NER label: "protested in Rijeka",
        "residents of Wajir", "Wumbi village", "Caluco (Sonsonate)", "Hinche, Centre".

        A name the gazetteer knows as a populated place or an administrative area needs one frame
        (a locative preposition, "north of", a place noun before or after it, a container after it,
        parentheses after a place). A name it does not know needs a strong frame ("the village of
        X", "X district", "X (Province)", "in X, Province"), and is emitted unresolved. Evidence of a
        person vetoes either: a title before it, a possessive or a verb of speech on a name the
        model read as a person; but "between X and Y" makes X a place when Y is one. ``ner_places``:
        the tokens of the model's own plausible places.
        """
        names = _name_chunks(doc)
        if not names:
            return []
        starts = {span.start: span for span in names}
        out: list[Span] = []
        accepted: dict[int, str] = {}  # end token of an accepted name -> its left frame
        between: Span | None = None  # a name after "between" that no frame accepted on its own
        for span in names:
            # "between Bolsi and Bossey Bangou (Torodi)": both ends are places
            other_end = between if between is not None and between.end == span.start - 1 else None
            between = None
            if other_end is not None and doc[other_end.end].lower_ != "and":
                other_end = None
            left = self._left_frame(doc, span, accepted)
            right = self._right_frame(doc, span, starts)
            if ner_places.intersection(range(span.start, span.end)):
                if left in ("prep", "strong"):
                    accepted[span.end] = left  # "in Kabul and Rijeka": the frame carries over
                if other_end is not None:
                    out.append(other_end)
                continue
            if left is None and right is None:
                continue
            labels = {t.ent_type_ for t in span if t.ent_type_}
            person = "PERSON" in labels
            if self._person_evidence(doc, span, person) or _names_an_institution(span):
                continue  # "outside St. Peter's church": the building, not the parish
            known = self._known_place(span.text)
            if known:
                if (
                    span.end - span.start == 1
                    and left != "strong"
                    and right not in ("postfix", "container")
                    and span[0].lower_ in self.common_nouns
                    and not self.gazetteer.is_notable_name(span.text, min_population=_COMMON_WORD_MIN_POPULATION)
                    and not self.gazetteer.is_city_alias(span.text)
                ):
                    continue  # "in Court", "trust in God": a common word, not a small town
                ok = (
                    left in ("prep", "strong", "paren")
                    or right is not None
                    or (left in ("weak", "inherited") and not person)
                )
            else:
                strong = (
                    left == "strong"
                    or right in ("postfix", "container")
                    or (left == "prep" and (right == "comma" or labels & PLACE_LABELS))
                    # "in Kolbio in Lamu County", "in Luhei of the Maramures county"
                    or (left == "prep" and right is None and self._in_an_area(doc, span.end, starts))
                )
                # "Supreme Court (Dhaka)": a name ending in a common noun is an institution.
                ok = (
                    self.locative_unknown
                    and strong
                    and not span.text.isupper()
                    and sum(c.isalpha() for c in span.text) >= 3
                    and span[-1].lower_ not in self.common_nouns
                )
            if ok:
                out.append(span)
                if left is not None and left != "paren":
                    accepted[span.end] = left
                if other_end is not None:
                    out.append(other_end)
            elif (
                left == "weak"
                and doc[span.start - 1].lower_ == "between"
                and not span.text.isupper()
                and sum(c.isalpha() for c in span.text) >= 3
                and span[-1].lower_ not in self.common_nouns
            ):
                between = span
        return out

    def _left_frame(self, doc: Doc, span: Span, accepted: dict[int, str]) -> str | None:
        """What stands before a name: "prep" (in, at, north of), "weak" (between, from), "strong"
        (the village of), "paren" (inside parentheses), "inherited" (a list after a framed name)."""
        i = span.start
        if i == 0:
            return None
        prev = doc[i - 1]
        low = prev.lower_
        if low in patterns.LOCATIVE_PREPS:
            return "prep"
        if low in patterns.WEAK_LOCATIVE_PREPS:
            return "weak"
        if low == "of" and i >= 2:
            before = doc[i - 2].lower_
            if before in _FRAME_NOUNS:
                return "strong"
            if before in patterns.OF_FRAME_WORDS:
                return "prep"
            return None
        if prev.is_lower and low in _FRAME_NOUNS:
            return "prep"  # "the capital Ndjamena", "the town Oursi"
        if prev.text == "(":
            return "paren" if i >= 2 and not doc[i - 2].is_punct else None
        if low in ("and", "or", ","):
            if (i - 1) in accepted:
                return "inherited"
            if low == ",":
                # "(Djugu, Ituri)": a later name inside parentheses after a place.
                for j in range(i - 2, max(i - 10, 0) - 1, -1):
                    if doc[j].text in (")", ".") or doc[j].is_sent_start:
                        break
                    if doc[j].text == "(":
                        return "paren" if j >= 1 and not doc[j - 1].is_punct else None
        return None

    def _right_frame(self, doc: Doc, span: Span, starts: dict[int, Span]) -> str | None:
        """What stands after a name: "postfix" (a place noun: "Wumbi village"), "container" (a
        known place in parentheses: "Caluco (Sonsonate)"), "comma" (", Country" or ", Province")."""
        n = len(doc)
        j = span.end
        if j >= n:
            return None
        nxt = doc[j]
        if nxt.is_lower and (nxt.lower_ in _FRAME_NOUNS or doc[j : j + 3].text.lower() in _FRAME_NOUNS):
            return "postfix"
        if j + 1 < n and nxt.text in ("(", ","):
            other = starts.get(j + 1)
            if other is None:
                return None
            if other.end < n and doc[other.end].tag_ == "POS":
                return None  # "Smith, Texas's senator": an apposition, not a container
            if nxt.text == "(":
                # "Ouenra (Serekale, Borgou)": any known place in the parentheses is a container.
                while other is not None:
                    if self._known_place(other.text):
                        return "container"
                    k = other.end
                    if k + 1 >= n or doc[k].text != ",":
                        break
                    other = starts.get(k + 1)
                return None
            if nxt.text == "," and self._known_area(other.text):
                return "comma"
        return None

    def _in_an_area(self, doc: Doc, i: int, starts: dict[int, Span]) -> bool:
        """Is token ``i`` "in" or "of" before an administrative area's name ("in Lamu County", "of
        the Maramures county", "in Saladin province", "in Kenya")?"""
        if i >= len(doc) or doc[i].lower_ not in ("in", "of"):
            return False
        i += 1
        if i < len(doc) and doc[i].lower_ == "the":
            i += 1
        other = starts.get(i)
        if other is None:
            return False
        if other[-1].lower_ in _REGION_HEADS and len(other) > 1:
            return True
        after = doc[other.end] if other.end < len(doc) else None
        return (after is not None and after.lower_ in _REGION_HEADS) or self._known_area(other.text)

    def _person_evidence(self, doc: Doc, span: Span, person: bool) -> bool:
        """A title before the name, a demonym, or (for a name read as a person) a possessive or a
        verb of speech."""
        first = span[0].lower_.rstrip(".")
        prev = doc[span.start - 1].lower_.rstrip(".") if span.start else ""
        if first in patterns.PERSON_TITLES or prev in patterns.PERSON_TITLES:
            return True
        if self.gazetteer.demonym_country(span.text):
            return True  # "in English", "the Yemeni": a language or nationality
        if not person:
            return False
        if span.end < len(doc) and doc[span.end].tag_ == "POS":
            return True
        root = span.root
        return root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ in patterns.SPEECH_VERBS

    def _known_area(self, text: str) -> bool:
        """The gazetteer knows ``text`` as a country, region or first- or second-level division."""
        if self.gazetteer.is_notable_name(text, min_population=10**10):
            return True
        key = normalize_name(text)
        return any(p.kind == "admin2" and normalize_name(p.name) == key for p in self.gazetteer.lookup(text))

    def _known_place(self, text: str) -> bool:
        """The gazetteer knows ``text`` as a populated place (by its own name) or an admin area."""
        gaz = self.gazetteer
        if gaz.is_notable_name(text, min_population=0) or gaz.is_city_alias(text):
            return True
        return self._known_area(text)

    @property
    def common_nouns(self) -> frozenset[str]:
        """Lower-case English nouns from the model's lemmatizer tables (empty if it has none)."""
        if self._common_nouns is None:
            words: frozenset[str] = frozenset()
            try:
                lemmatizer = self.nlp.get_pipe("lemmatizer")
                words = frozenset(lemmatizer.lookups.get_table("lemma_index")["noun"])
            except (KeyError, AttributeError):
                pass
            self._common_nouns = words
        return self._common_nouns

    def _leading_place(self, ent: Span) -> tuple[Span, PlaceHint | None] | None:
        """The place name (or demonym) an organisation's name starts with, if any."""
        gaz = self.gazetteer
        start = ent.start + (1 if ent[0].lower_ == "the" else 0)
        for size in range(min(3, ent.end - start - 1), 0, -1):
            span = ent.doc[start : start + size]
            if not all(t.is_title or t.is_upper for t in span):
                continue
            if size == 1:
                country = gaz.demonym_country(span.text)
                if country:
                    return span, PlaceHint(country=country, demonym=True)
            if (
                gaz.is_notable_name(span.text, min_population=self.min_population)
                and gaz.spelled_alike(span.text)
                and not _names_a_movement(ent)
            ):
                return span, None
        return None

    def _dateline_names(self, doc: Doc) -> list[Span]:
        """The upper-case dateline names the gazetteer knows ("COLUMBUS --", "KIRKUK, Iraq
        (Reuters) -"; ``tools.datelines``): where the report is filed from, a place whatever the
        model's label (the classifier does not judge them)."""
        out = []
        for start, end in dateline_spans(doc.text):
            span = doc.char_span(start, end, alignment_mode="contract")
            if span is not None and len(span) and self.gazetteer.is_known_name(span.text):
                out.append(span)
        return out

    def _gazetteer_names(self, doc: Doc):
        """Capitalised proper-noun n-grams the model left untagged that name a notable place."""
        taken = [bool(t.ent_type_) for t in doc]
        i, n = 0, len(doc)
        while i < n:
            tok = doc[i]
            if (
                taken[i]
                or tok.pos_ != "PROPN"
                or not (tok.is_title or (tok.is_upper and len(tok) > 3))
                or tok.lower_ in patterns.CALENDAR_WORDS
            ):
                i += 1
                continue
            for size in range(min(_MAX_NGRAM, n - i), 0, -1):
                span = doc[i : i + size]
                if (
                    any(taken[i : i + size])
                    or not (span[-1].is_title or span[-1].is_upper)
                    or sum(c.isalpha() for c in span.text) < 3
                ):
                    continue
                if self.gazetteer.is_notable_name(
                    span.text, min_population=self.min_population
                ) and self.gazetteer.spelled_alike(span.text):
                    yield span
                    i += size
                    break
            else:
                # A capitalised run the gazetteer does not know from its first word is one unknown
                # name: its later words are not places of their own ("Wa West", "Stari Grad").
                i += 1
                while i < n and not taken[i] and doc[i].pos_ == "PROPN" and doc[i].is_title:
                    i += 1

    def _propagate(self, doc: Doc, chosen: list[tuple[int, Span]]) -> list[tuple[int, Span]]:
        """One sense per discourse: "Ain al-Assad Airbase" makes a later "Ain al-Assad" a place too."""
        stems: dict[str, tuple[Span, Span]] = {}  # stem text -> (stem, the cue span it came from)
        for _, span in chosen:
            if span._.geomap_source in (Source.FACILITY, Source.REGION):
                head = 2 if span[-2:].text.lower() in patterns.TWO_WORD_HEADS else 1
                if len(span) > head:
                    stems[span[:-head].text] = (span[:-head], span)
        if not stems:
            return []
        matcher = PhraseMatcher(self.vocab, attr="ORTH")
        for text, (stem, _) in stems.items():
            matcher.add(text, [Doc(self.vocab, words=[t.text for t in stem])])
        out = []
        for match_id, start, end in matcher(doc):
            src = stems[self.vocab.strings[match_id]][1]
            span = Span(doc, start, end, label=src.label_)
            # Same name, same place: the resolver groups it with the span it came from.
            span._.geomap_hint = replace(src._.geomap_hint or NO_HINT, same_as=src.text)
            span._.geomap_source = Source.PROPAGATED
            out.append((_PRIORITY[Source.PROPAGATED], span))
        return out

    def place_within(self, span: Span) -> str | None:
        """The place a name the gazetteer does not know as a whole is part of or an institution
        of: "North Texas" -> "Texas", "South Philadelphia" -> "Philadelphia", "Mount Pleasant City
        Council" -> "Mount Pleasant", "Titus County Jail" -> "Titus County"; else None. Such a
        span is placed at that place (its hint names it and groups it with its other mentions)."""
        gaz = self.gazetteer
        if len(span) < 2 or gaz.is_known_name(span.text):
            return None
        if span[0].lower_ in patterns.PART_OF_PLACE_WORDS:
            rest = span[1:]
            if (
                rest[0].is_title
                and gaz.spelled_alike(rest.text)
                and (
                    gaz.is_notable_name(rest.text, min_population=_COMMON_WORD_MIN_POPULATION)
                    or (
                        not (len(rest) == 1 and rest[0].lower_ in self.common_nouns)
                        and gaz.is_notable_name(rest.text, min_population=self.min_population)
                    )
                )
            ):
                return rest.text
            return None
        # the institution's word may follow the span ("U.S. District" Court)
        after = span.doc[span.end].lower_ if span.end < len(span.doc) else ""
        for size in range(min(3, len(span) - 1), 0, -1):
            head, tail = span[:size], span[size:]
            if (
                (
                    tail[0].lower_ in patterns.CIVIC_WORDS
                    or tail[-1].lower_ in patterns.CIVIC_WORDS
                    or after in patterns.CIVIC_WORDS
                )
                and all(t.is_title for t in head)
                and gaz.spelled_alike(head.text)
                and (gaz.is_notable_name(head.text, min_population=self.min_population) or self._known_area(head.text))
            ):
                return head.text
        return None

    def _hashtag_names(self, doc: Doc):
        """ "#Ferguson", "#SierraLeone": a capitalised hashtag whose words name a notable place
        (the model reads hashtags as anything, often as persons)."""
        gaz = self.gazetteer
        for tok in doc[:-1]:
            if tok.text != "#" or tok.whitespace_:
                continue
            word = doc[tok.i + 1]
            if not word.text[:1].isupper() or not word.is_alpha:
                continue
            name = _CAMEL_CASE.sub(" ", word.text)
            if gaz.is_notable_name(name, min_population=self.min_population) and gaz.spelled_alike(name):
                yield doc[word.i : word.i + 1], name

    def _whole_name(self, span: Span) -> Span:
        """The model's span grown to the whole gazetteer name it cuts ("San Cristobal de" ->
        "San Cristobal de las Casas"): the longest run of particles and capitalised words after
        it that the gazetteer knows; the span itself when there is none."""
        doc = span.doc
        end = span.end
        while (
            end < len(doc)
            and end - span.end < _MAX_NAME_GROWTH
            and (doc[end].lower_ in patterns.NAME_PARTICLES or doc[end].is_title)
        ):
            end += 1
        for stop in range(end, span.end, -1):
            if doc[stop - 1].is_title and self.gazetteer.is_known_name(doc[span.start : stop].text):
                return doc[span.start : stop]
        return span

    def _plausible_place(self, span: Span) -> bool:
        """Reject GPE/LOC spans that are organisations or groups the model mislabels."""
        text = span.text
        if _names_an_institution(span):
            return False
        if self.gazetteer.is_known_name(text):
            return True
        letters = [c for c in text if c.isalpha()]
        if letters and all(c.isupper() for c in letters) and len(letters) <= 6:
            return False  # "IRGC", "PMU": acronyms unknown to the gazetteer are not places
        if len(span) == 1:
            return False  # "Daesh": a single unknown word tagged GPE is rarely a place
        return True

    # -- serialization: settings only; the gazetteer is a separate file ---------------------
    def _cfg(self) -> dict:
        return {
            "min_population": self.min_population,
            "use_gazetteer_terms": self.use_gazetteer_terms,
            "locative_unknown": self.locative_unknown,
            "gazetteer": str(self.gazetteer_path) if self.gazetteer_path else None,
            "classifier": self.classifier.to_json() if self.classifier is not None else None,
        }

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps(self._cfg())

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> PlaceRecognizer:
        cfg = srsly.msgpack_loads(data)
        self.min_population = cfg["min_population"]
        self.use_gazetteer_terms = cfg["use_gazetteer_terms"]
        self.locative_unknown = cfg.get("locative_unknown", True)
        self.gazetteer_path = cfg.get("gazetteer")
        model = cfg.get("classifier")
        self.classifier = PlaceClassifier.from_json(model, expected=RECOGNIZER_FEATURES) if model is not None else None
        return self

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg.json", self._cfg())

    def from_disk(self, path, *, exclude=tuple()) -> PlaceRecognizer:
        return self.from_bytes(srsly.msgpack_dumps(srsly.read_json(ensure_path(path) / "cfg.json")))


def _cuts_a_name(span: Span) -> bool:
    """Does ``span`` start inside a longer capitalised name ("Mrauk-U District", "Rift Valley
    Province" read from its second word)?"""
    if span.start == 0:
        return False
    before = span.doc[span.start - 1]
    if before.text in ("-", "–") or (before.whitespace_ == "" and not before.is_punct):
        return True
    return (
        before.is_title
        and before.pos_ == "PROPN"
        and not before.is_sent_start
        and before.lower_ not in patterns.COMPASS_WORDS
    )


def _names_an_agency(span: Span) -> bool:
    """A news agency's name (``patterns.NEWS_AGENCIES``) written in capitals ("SANA", "MENA"),
    in parentheses ("(Petra)"), after "according to", or before an agency's word ("Xinhua
    reporters", "Fars news agency", "Anadolu reported")."""
    letters = "".join(c for c in span.text if c.isalpha())
    if letters.lower() not in patterns.NEWS_AGENCIES:
        return False
    doc = span.doc
    nxt = doc[span.end] if span.end < len(doc) else None
    prev = doc[span.start - 1] if span.start else None
    if nxt is not None and nxt.lower_ in patterns.AGENCY_NEXT_WORDS:
        return True
    if prev is not None and prev.text == "(" and nxt is not None and nxt.text == ")":
        return True
    if prev is not None and prev.lower_ == "to" and span.start > 1 and doc[span.start - 2].lower_ == "according":
        return True
    return len(letters) > 1 and letters.isupper() and not span.sent.text.isupper()


def _with_compass_word(span: Span, gaz) -> Span:
    """The span grown to a capitalised compass word before it when the gazetteer knows the whole
    name ("EAST HAMPTON", "North Charleston"): the town, not its namesake without the word."""
    doc = span.doc
    if span.start == 0:
        return span
    prev = doc[span.start - 1]
    if prev.lower_ not in patterns.COMPASS_WORDS or not (prev.is_title or prev.is_upper):
        return span
    whole = doc[span.start - 1 : span.end]
    return whole if gaz.is_known_name(whole.text) else span


def _road_word(tok) -> bool:
    """A street's or road's word, singular or plural ("Avenue", "St.", "streets")."""
    word = tok.lower_.rstrip(".")
    return word in patterns.ROAD_WORDS or (word.endswith("s") and word[:-1] in patterns.ROAD_WORDS)


def _before_road_word(span: Span) -> bool:
    """Is the span followed by a capitalised street or road word ("Rivers Avenue")?"""
    doc = span.doc
    if span.end >= len(doc):
        return False
    nxt = doc[span.end]
    return nxt.is_title and _road_word(nxt)


def _names_streets(span: Span) -> bool:
    """Does the span name streets whose road word is written after it in lower case ("at State
    and Hubbard streets", "near Rivers and Stokes avenue")?"""
    doc = span.doc
    at = span.end
    if at < len(doc) and doc[at].lower_ in ("and", "&") and at + 1 < len(doc) and doc[at + 1].is_title:
        at += 2  # the first of two names that share the road word
    return at < len(doc) and doc[at].is_lower and _road_word(doc[at])


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _capitalised(tok) -> bool:
    return (tok.is_title or (tok.is_upper and len(tok) > 3)) and tok.lower_ not in patterns.CALENDAR_WORDS


def _name_link(doc: Doc, j: int) -> int:
    """How many words at ``j`` join two parts of one name: "of" or "of the" ("Republic of
    Korea", "Democratic Republic of the Congo"), a possessive ("People's Republic"); 0 when
    none does."""
    tok = doc[j]
    if j == 0 or not _name_word(doc[j - 1]):
        return 0
    if tok.tag_ == "POS" and not doc[j - 1].whitespace_:
        return 1 if j + 1 < len(doc) and _name_word(doc[j + 1]) else 0
    if tok.lower_ != "of":
        return 0
    k = j + 1 + (j + 1 < len(doc) and doc[j + 1].lower_ == "the")
    return k - j if k < len(doc) and _name_word(doc[k]) else 0


def _name_word(tok) -> bool:
    """A word that can be (part of) a name: capitalised or all capitals, with two letters or
    more ("VA", "S.C.", "TORRINGTON"), not a calendar word or the pronoun "I"."""
    text = tok.text
    letters = sum(c.isalpha() for c in text)
    return (
        letters >= 2
        and text[:1].isupper()
        and (tok.is_title or tok.is_upper or text[1:2].isalpha())
        and tok.lower_ not in patterns.CALENDAR_WORDS
    )


def _particle(tok) -> bool:
    # "al", "de", "del" but not the English words among the particles ("at", "as", "an").
    return tok.lower_ in patterns.NAME_PARTICLES and not tok.is_stop


def _name_chunks(doc: Doc) -> list[Span]:
    """Runs of capitalised tokens (with name particles and inner hyphens: "al Khadir",
    "Gorom-Gorom"), the names a locative frame can apply to."""
    out = []
    i, n = 0, len(doc)
    while i < n:
        tok = doc[i]
        starts_name = _capitalised(tok) and (not tok.is_sent_start or tok.pos_ == "PROPN")
        if not starts_name and _particle(tok) and i + 1 < n and _capitalised(doc[i + 1]):
            starts_name = True
        if not starts_name:
            i += 1
            continue
        j = i + 1
        while j < n and j - i < _MAX_NAME:
            t = doc[j]
            if _capitalised(t):
                j += 1
            elif t.text == "-" and not doc[j - 1].whitespace_ and j + 1 < n and _capitalised(doc[j + 1]):
                j += 2
            elif _particle(t) and j + 1 < n and _capitalised(doc[j + 1]):
                j += 2
            else:
                break
        out.append(doc[i:j])
        i = j
    return out


def _strip_determiner(span: Span) -> Span | None:
    """The name in a model's entity without its article or possessive ending ("the Sudan",
    "South Africa's" -> "South Africa"); None when nothing is left."""
    if span[0].text in _DETERMINERS:
        span = span[1:]
    while len(span) and (span[-1].tag_ == "POS" or span[-1].text in _POSSESSIVES):
        span = span[:-1]
    return span if len(span) else None


def _linked_name(span: Span) -> bool:
    """A known name of linked parts ("Republic of Korea", "People's Republic"), not opened by
    an article ("The Moscow Times" holds no name "The Moscow")."""
    return (
        len(span) > 2
        and span[0].text not in _DETERMINERS
        and any(t.lower_ == "of" or t.tag_ == "POS" for t in span[1:-1])
    )


def _whole_names(found: list[tuple[int, Span]]) -> list[tuple[int, Span]]:
    """A name of linked parts the gazetteer knows whole (:func:`_linked_name`) that holds a
    shorter place found by a surer source takes that source's rank, so the whole name is kept:
    the model read only "Korea" in "the Democratic People's Republic of Korea"."""
    out = []
    for prio, span in found:
        if span._.geomap_source == Source.GAZ_ANY and _linked_name(span):
            inner = [
                q
                for q, other in found
                if other is not span and span.start <= other.start and other.end <= span.end and len(other) < len(span)
            ]
            prio = min([prio, *inner])
        out.append((prio, span))
    return out


def _non_overlapping(found: list[tuple[int, Span]]) -> list[tuple[int, Span]]:
    """Keep the best source first, then the longest span; drop spans overlapping a kept one."""
    ordered = sorted(found, key=lambda ps: (ps[0], -(ps[1].end - ps[1].start), ps[1].start))
    taken: list[tuple[int, Span]] = []
    used: set[int] = set()
    for prio, span in ordered:
        idx = set(range(span.start, span.end))
        if idx & used:
            continue
        used |= idx
        taken.append((prio, span))
    return sorted(taken, key=lambda ps: ps[1].start)


#: Where a camel-cased hashtag's words meet ("SierraLeone", "NewYork").
_CAMEL_CASE = re.compile(r"(?<=[a-z])(?=[A-Z])")
#: At most this many words are added to a place name the model cut short.
_MAX_NAME_GROWTH = 4

#: Last words of organisations named after a land they fight or speak for ("Kurdistan Workers'
#: Party", "Oromo Liberation Front"): the land is no place of the story.
_MOVEMENT_HEADS = {"party", "front", "movement", "brigade", "brigades", "army", "league", "alliance"}


def _names_a_movement(ent: Span) -> bool:
    return ent[-1].lower_ in _MOVEMENT_HEADS


def _names_an_institution(span: Span) -> bool:
    """ "St. Peter's church", "St Mark's Cathedral": a saint's or a possessive name followed by an
    institution word names the building, not the parish or town."""
    doc = span.doc
    saint = span[0].lower_.rstrip(".") in ("st", "saint", "ste", "sainte")
    after = span.end
    if after < len(doc) and doc[after].text in _POSSESSIVES:  # the possessive left outside the span
        if not saint:
            return False  # "Iraq's parliament": the country's institution; the country is a place
        after += 1
    if after >= len(doc) or doc[after].lower_ not in patterns.INSTITUTION_WORDS:
        return False
    return saint or span[-1].lower_ in ("'s", "’s", "s'")


def _only_a_country(gaz, text: str) -> bool:
    """The gazetteer knows ``text`` as a country's name and as nothing else."""
    found = gaz.lookup(text)
    return bool(found) and all(p.kind == "country" for p in found)


def _has_place_in(gaz, text: str, country: str) -> bool:
    """``text`` names a place of ``country`` or one across borders, or no known place at all."""
    known = gaz.lookup(text, country=country)
    return not known or any(p.country_code in (country, None) for p in known)


def _load_classifier(setting: str | PlaceClassifier | None) -> tuple[str, PlaceClassifier | None]:
    """The component's classifier from its ``classifier`` setting: ``"shipped"`` (the model in
    the package; the rules alone if it is missing), ``"none"`` (the rules alone), a path to a
    model file, or a :class:`PlaceClassifier`."""
    if isinstance(setting, PlaceClassifier):
        return "custom", setting
    if setting is None or setting == NO_CLASSIFIER:
        return NO_CLASSIFIER, None
    if setting == SHIPPED:
        if not SHIPPED_CLASSIFIER.exists():
            return SHIPPED, None
        return SHIPPED, PlaceClassifier.read(SHIPPED_CLASSIFIER, expected=RECOGNIZER_FEATURES)
    return str(setting), PlaceClassifier.read(setting, expected=RECOGNIZER_FEATURES)


def _kept_by_rule(cand: Candidate, gaz) -> bool:
    """Candidates the classifier does not judge:

    - a cue ("the Iraqi capital", "Anbar Province") or a demonym says what the span is by its
      pattern, and the gold corpora disagree on marking such phrases (GeoCorpora marks no
      demonyms, LGL and GeoWebNews do);
    - a name of several words the NER model reads as a place and the gazetteer lacks ("Kolongo
      village", "Pasadena Civic Center", "Elm Ridge Road") is kept so that the resolver can place
      it at the place it names or the town the text puts it in; the corpora disagree on marking
      buildings and roads too.
    """
    if cand.sources & CUE_SOURCES or cand.span.label_ == "NORP":
        return True
    return Source.NER in cand.sources and len(cand.span) > 1 and not gaz.is_known_name(cand.span.text)
