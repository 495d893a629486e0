"""What a place mention does in its sentence: a location, an actor, or a modifier.

News uses place names metonymically: in "Washington claims …" or "Iran blacklisted …" the
place stands for its government (an actor); in "Iraq's parliament" or "an Iranian attack" it
qualifies something else (a modifier). Only locations say where something happened.
"""

from __future__ import annotations

from spacy.tokens import Span

from geomap.nlp.patterns import LOCATIVE_PREPS, OF_FRAME_WORDS, PLACE_TYPE_NOUNS
from geomap.records import MentionRole

_SUBJECT_DEPS = {"nsubj", "csubj"}
_MODIFIER_DEPS = {"poss", "amod", "compound", "nmod"}


def mention_role(span: Span) -> MentionRole:
    """Classify a place span from its dependency attachment."""
    if span.label_ == "NORP":
        return "modifier"
    root = span.root
    dep = root.dep_
    if span.label_ != "GPE":
        # Governments act through countries and cities; a base, river or region does not speak.
        return "location"
    if _after_locative(span):
        return "location"  # "in Port-au-Prince, …", "residents of Wajir": whatever the parse says
    if dep in _SUBJECT_DEPS and root.head.pos_ in ("VERB", "AUX"):
        return "actor"
    if dep == "pobj" and root.head.lower_ == "by" and root.head.dep_ == "agent":
        return "actor"  # "was blacklisted by Iran"
    if (
        dep in _MODIFIER_DEPS
        and root.head.i >= span.end
        and root.head.pos_ in ("NOUN", "PROPN")
        and root.head.lower_ not in PLACE_TYPE_NOUNS
    ):
        # "Iraq's Popular Mobilization Units", "US forces": the name qualifies a following noun.
        # A place-type head ("Anbar Province") is part of the name and already inside the span.
        if span[-1].tag_ == "POS" or (span.end < len(span.doc) and span.doc[span.end].tag_ == "POS"):
            return "modifier"
        if dep == "compound":
            return "modifier"
    return "location"


def _after_locative(span: Span) -> bool:
    """Does a locative preposition, or "<residents|north|…> of", stand right before the span?"""
    doc = span.doc
    if span.start == 0:
        return False
    before = doc[span.start - 1]
    if before.lower_ in LOCATIVE_PREPS:
        return True
    return before.lower_ == "of" and span.start > 1 and doc[span.start - 2].lower_ in OF_FRAME_WORDS
