"""Where a place span came from: the named sources of the recognizer's candidates."""

from __future__ import annotations

from enum import StrEnum


class Source(StrEnum):
    """A source that proposes a span as a place (its value is what ``Mention.source`` holds)."""

    #: a GPE/LOC/FAC entity of the NER model that looks like a place
    NER = "NER"
    #: a GPE/LOC/FAC entity that fails the plausibility rules (an acronym, an unknown single word)
    NER_WEAK = "NER_WEAK"
    #: a capitalised gazetteer name of a notable place the model left untagged
    GAZ = "GAZ"
    #: a capitalised run the gazetteer knows at all (any label, any size): for the classifier only
    GAZ_ANY = "GAZ_ANY"
    #: a name in a locative frame ("in X", "the village of X", "X district")
    LOCATIVE = "LOCATIVE"
    #: a facility cue ("Ain al-Assad Airbase")
    FACILITY = "FACILITY"
    #: a region cue ("Anbar Province")
    REGION = "REGION"
    #: "the Iraqi capital"
    CAPITAL = "CAPITAL"
    #: a demonym before a place ("Iraqi Kurdistan")
    DEMONYM_PLACE = "DEMONYM_PLACE"
    #: a later bare use of a cue's stem ("Ain al-Assad" after "Ain al-Assad Airbase")
    PROPAGATED = "PROPAGATED"
    #: a place at the start of an organisation's name ("Ohio Department of Health")
    EMBEDDED = "EMBEDDED"
    #: a capitalised hashtag naming a place ("#Ferguson")
    HASHTAG = "HASHTAG"
    #: a span given by the caller (gold spans in an evaluation)
    GOLD = "GOLD"


#: Sources whose pattern already says what kind of place the span is.
CUE_SOURCES = frozenset({Source.FACILITY, Source.REGION, Source.CAPITAL, Source.DEMONYM_PLACE, Source.PROPAGATED})
#: Sources proposed only when a classifier decides: the rules alone would drown in them.
PROPOSAL_SOURCES = frozenset({Source.NER_WEAK, Source.GAZ_ANY})
