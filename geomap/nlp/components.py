"""The ``geomap_places`` spaCy component: place-name recognition on top of a stock NER model.

It adds what the statistical model misses or mislabels, using the gazetteer and token patterns:
facilities ("Ain al-Assad Airbase"), regions ("Anbar Province"), demonym phrases ("Iraqi
Kurdistan", "the Iraqi capital") and gazetteer names the model skipped; it drops GPE/LOC spans
that are no place at all (acronyms of organisations the model calls GPE, such as "IRGC").

Results land in ``doc.spans["places"]`` (labels GPE, LOC, FAC, NORP for demonyms), each span with
``span._.geomap_hint`` (constraints for the resolver), and ``doc.ents`` is updated to agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from geomap.nlp import patterns

SPAN_KEY = "places"
PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Entity labels a gazetteer phrase match must not override: the model has read the context.
_PROTECTED = {"PERSON", "ORG", "NORP", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "LANGUAGE"}
# Match sources, best first, for resolving overlaps.
_PRIORITY = {"FACILITY": 0, "REGION": 0, "CAPITAL": 0, "DEMONYM_PLACE": 1, "PROPAGATED": 1, "NER": 2, "GAZ": 3,
             "EMBEDDED": 3}
#: Entity labels whose names often start with a place ("Ohio Department of Development",
#: "DeKalb Police", "American Legion"): the place inside is a toponym too.
_EMBEDDING = {"ORG", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW"}
_MAX_NGRAM = 4
_DETERMINERS = {"the", "The"}

if not Span.has_extension("geomap_hint"):
    Span.set_extension("geomap_hint", default=None)
if not Span.has_extension("geomap_source"):
    Span.set_extension("geomap_source", default=None)


@Language.factory(
    "geomap_places",
    default_config={"gazetteer": None, "min_population": 15000, "use_gazetteer_terms": True},
    assigns=["doc.ents", "doc.spans"],
    requires=["doc.ents", "token.pos"],
)
def make_place_ruler(
    nlp: Language, name: str, gazetteer: str | None, min_population: int, use_gazetteer_terms: bool
) -> "PlaceRecognizer":
    return PlaceRecognizer(
        nlp, name, gazetteer=gazetteer, min_population=min_population,
        use_gazetteer_terms=use_gazetteer_terms,
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
    ) -> None:
        self.name = name
        self.vocab = nlp.vocab
        self.min_population = min_population
        self.use_gazetteer_terms = use_gazetteer_terms
        self.gazetteer_path = gazetteer if isinstance(gazetteer, (str, Path)) else None
        self._gazetteer = gazetteer if gazetteer is not None and not isinstance(gazetteer, (str, Path)) else None
        self.cue_matcher = Matcher(nlp.vocab)
        self.cue_matcher.add("FACILITY", patterns.facility_patterns())
        self.cue_matcher.add("REGION", patterns.region_patterns())
        self.cue_matcher.add("DEMONYM_PLACE", [[{"IS_TITLE": True}, {"IS_TITLE": True, "POS": "PROPN"}]])
        self.cue_matcher.add("CAPITAL", [[{"LOWER": "the"}, {"IS_TITLE": True}, {"LOWER": "capital"}]])

    @property
    def gazetteer(self):
        # Opened on first use so that loading a saved pipeline stays cheap.
        if self._gazetteer is None:
            from geomap.gazetteer import Gazetteer

            self._gazetteer = Gazetteer.open(self.gazetteer_path)
        return self._gazetteer

    # -- spaCy component protocol -------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        found = self._candidates(doc)
        chosen = _non_overlapping(found)
        chosen = _non_overlapping(chosen + self._propagate(doc, chosen))
        places = [span for _, span in chosen]
        doc.spans[SPAN_KEY] = places
        geo = [s for s in places if s.label_ in PLACE_LABELS]
        kept = [e for e in doc.ents if not any(_overlaps(e, s) for s in geo)]
        doc.ents = sorted(kept + geo, key=lambda s: s.start)
        return doc

    def _candidates(self, doc: Doc) -> list[tuple[int, Span]]:
        gaz = self.gazetteer
        out: list[tuple[int, Span]] = []

        def add(source: str, span: Span, label: str, hint: dict | None = None) -> None:
            span = Span(doc, span.start, span.end, label=label)
            span._.geomap_hint = hint
            span._.geomap_source = source
            out.append((_PRIORITY[source], span))

        for match_id, start, end in self.cue_matcher(doc):
            source = self.vocab.strings[match_id]
            span = doc[start:end]
            if source in ("FACILITY", "REGION"):
                # "Iraqi Anbar Province": the demonym narrows the country, it is not part of the name.
                country = None
                while span.end - span.start > 2 and gaz.demonym_country(span[0].text):
                    country = country or gaz.demonym_country(span[0].text)
                    span = doc[span.start + 1:span.end]
                if span[0].text == "-" or span[-2].text == "-":
                    continue
                if span[0].lower_ in patterns.GENERIC_MODIFIERS:
                    continue
                # "Defense Department": a region head after a name the gazetteer does not know
                # is an organisation, not a province.
                if source == "REGION" and not gaz.is_known_name(span[:-1].text):
                    continue
                # "Colorado State University": the head is inside a longer proper name, an
                # institution rather than the region.
                if (source == "REGION" and span[-1].lower_ == "state" and span.end < len(doc)
                        and doc[span.end].is_title
                        and doc[span.end].pos_ == "PROPN"):
                    continue
                kinds = ["airport", "site"] if source == "FACILITY" else ["admin1", "admin2", "region"]
                add(source, span, "FAC" if source == "FACILITY" else "GPE",
                    {"kinds": kinds, "country": country})
            elif source == "DEMONYM_PLACE":
                country = gaz.demonym_country(span[0].text)
                # "Iraqi Kurdistan" yes, "Russian Minister" or "Nigerian Air" no: the second word
                # must name a country or region, or be one the model read as a place.
                if country and (span[1].ent_type_ in PLACE_LABELS
                                or gaz.is_notable_name(span[1].text, min_population=10**10)):
                    add(source, span, "GPE", {"country": country, "name": span[1].text})
            elif source == "CAPITAL":
                country = gaz.demonym_country(span[1].text)
                if country:
                    add(source, span, "GPE", {"capital_of": country})

        for ent in doc.ents:
            if ent.label_ in PLACE_LABELS:
                span = _strip_determiner(ent)
                if span is not None and self._plausible_place(span):
                    add("NER", span, ent.label_)
            elif ent.label_ == "NORP":
                country = gaz.demonym_country(ent.text)
                if country:
                    add("NER", ent, "NORP", {"country": country, "demonym": True})

        for ent in doc.ents:
            if ent.label_ in _EMBEDDING and len(ent) > 1:
                found = self._leading_place(ent)
                if found is not None:
                    span, hint = found
                    add("EMBEDDED", span, "NORP" if hint else "GPE", hint)

        if self.use_gazetteer_terms:
            for span in self._gazetteer_names(doc):
                add("GAZ", span, "GPE")
        return out

    def _leading_place(self, ent: Span) -> tuple[Span, dict | None] | None:
        """The place name (or demonym) an organisation's name starts with, if any."""
        gaz = self.gazetteer
        start = ent.start + (1 if ent[0].lower_ == "the" else 0)
        for size in range(min(3, ent.end - start - 1), 0, -1):
            span = ent.doc[start:start + size]
            if not all(t.is_title or t.is_upper for t in span):
                continue
            if size == 1:
                country = gaz.demonym_country(span.text)
                if country:
                    return span, {"country": country, "demonym": True}
            if gaz.is_notable_name(span.text, min_population=self.min_population):
                return span, None
        return None

    def _gazetteer_names(self, doc: Doc):
        """Capitalised proper-noun n-grams the model left untagged that name a notable place."""
        taken = [bool(t.ent_type_) for t in doc]
        i, n = 0, len(doc)
        while i < n:
            tok = doc[i]
            if (taken[i] or tok.pos_ != "PROPN" or not (tok.is_title or (tok.is_upper and len(tok) > 3))
                    or tok.lower_ in patterns.CALENDAR_WORDS):
                i += 1
                continue
            for size in range(min(_MAX_NGRAM, n - i), 0, -1):
                span = doc[i:i + size]
                if (any(taken[i:i + size]) or not (span[-1].is_title or span[-1].is_upper)
                        or sum(c.isalpha() for c in span.text) < 3):
                    continue
                if self.gazetteer.is_notable_name(span.text, min_population=self.min_population):
                    yield span
                    i += size
                    break
            else:
                i += 1

    def _propagate(self, doc: Doc, chosen: list[tuple[int, Span]]) -> list[tuple[int, Span]]:
        """One sense per discourse: "Ain al-Assad Airbase" makes a later "Ain al-Assad" a place too."""
        stems: dict[str, tuple[Span, Span]] = {}  # stem text -> (stem, the cue span it came from)
        for _, span in chosen:
            if span._.geomap_source in ("FACILITY", "REGION"):
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
            span._.geomap_hint = {**(src._.geomap_hint or {}), "same_as": src.text}
            span._.geomap_source = "PROPAGATED"
            out.append((_PRIORITY["PROPAGATED"], span))
        return out

    def _plausible_place(self, span: Span) -> bool:
        """Reject GPE/LOC spans that are organisations or groups the model mislabels."""
        text = span.text
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
        return {"min_population": self.min_population, "use_gazetteer_terms": self.use_gazetteer_terms,
                "gazetteer": str(self.gazetteer_path) if self.gazetteer_path else None}

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps(self._cfg())

    def from_bytes(self, data: bytes, *, exclude=tuple()) -> "PlaceRecognizer":
        cfg = srsly.msgpack_loads(data)
        self.min_population = cfg["min_population"]
        self.use_gazetteer_terms = cfg["use_gazetteer_terms"]
        self.gazetteer_path = cfg.get("gazetteer")
        return self

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg.json", self._cfg())

    def from_disk(self, path, *, exclude=tuple()) -> "PlaceRecognizer":
        return self.from_bytes(srsly.msgpack_dumps(srsly.read_json(ensure_path(path) / "cfg.json")))


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _strip_determiner(span: Span) -> Span | None:
    if span[0].text in _DETERMINERS:
        if len(span) == 1:
            return None
        return span[1:]
    return span


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
