"""Typed records passed between geomap's stages.

Every stage is a pure function from records to records; nothing here does I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

#: What kind of place a gazetteer entry is; drives ranking and how the map draws it.
PlaceKind = Literal["continent", "country", "admin1", "admin2", "region", "city", "site", "airport", "other"]
#: How precisely a date is known.
DatePrecision = Literal["day", "month", "year", "unknown"]
#: Where an event's date comes from.
DateBasis = Literal["stated", "carried", "published", ""]
#: What a place mention does in its sentence.
MentionRole = Literal["location", "actor", "modifier"]
#: What a place does for an event.
PlaceRole = Literal["event", "context", "mentioned"]
#: ACLED/GDELT-style spatial precision of a place.
GeoPrecision = Literal["site", "town", "region", "country", "continent"]


@dataclass(frozen=True, slots=True)
class Article:
    """One input document."""

    text: str
    doc_id: str
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    source_path: str | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry (or an online geocoder's answer) with a point."""

    name: str
    lat: float
    lon: float
    kind: PlaceKind = "other"
    geonameid: int | None = None
    country_code: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin1_code: str | None = None
    feature_class: str | None = None
    feature_code: str | None = None
    population: int = 0
    source: str = "gazetteer"
    #: The service that placed it: ``"offline"`` (the gazetteer), a geopy service name
    #: (``"nominatim"``), or ``"offline-fallback"`` (the gazetteer, because the service failed).
    geocoder: str = "offline"

    @property
    def geo_precision(self) -> GeoPrecision:
        return {
            "continent": "continent",
            "country": "country",
            "admin1": "region",
            "admin2": "region",
            "region": "region",
            "site": "site",
            "airport": "site",
        }.get(self.kind, "town")


#: A place resolved with a confidence below this is flagged "check this": in map popups, and in
#: ``geomap eval``'s flag rates (docs/accuracy.md). The confidence is the confidence model's
#: probability that the place is right.
#: 0.75 is the threshold with the best mean of (share of wrong placements flagged − share of right
#: ones flagged) over the dev halves of LGL, GeoWebNews and GeoCorpora (docs/accuracy.md).
CHECK_BELOW = 0.75


@dataclass(frozen=True, slots=True)
class PlaceHint:
    """What the recognizer tells the resolver about a span, beyond its text."""

    #: the place lies in this country (ISO code): "Iraqi Kurdistan", "Iraqi Anbar Province"
    country: str | None = None
    #: look only among these kinds of place: a facility cue, a region cue
    kinds: tuple[str, ...] | None = None
    #: resolve this name rather than the span's text: "North Texas" -> "Texas", "#SierraLeone"
    name: str | None = None
    #: group the span with the other mentions of this name ("Ain al-Assad" after "Ain al-Assad Airbase")
    same_as: str | None = None
    #: the span is the capital of this country: "the Iraqi capital"
    capital_of: str | None = None
    #: the span is a people's name ("Iraqi") and stands for ``country``
    demonym: bool = False


#: No hint at all (for code that reads a mention's hint field by field).
NO_HINT = PlaceHint()


@dataclass(slots=True)
class Mention:
    """A place name as written in a document, with its resolution (``confidence`` below
    :data:`CHECK_BELOW`: flagged "check this")."""

    text: str
    start: int
    end: int
    sent_start: int
    sent_end: int
    label: str = "GPE"
    role: MentionRole = "location"
    place: Place | None = None
    confidence: float = 0.0
    candidates: list[Place] = field(default_factory=list)
    doc_id: str = ""
    source: str = "NER"  # how it was found: NER, GAZ, FACILITY, REGION, DEMONYM_PLACE, ...
    hint: PlaceHint | None = None  # the recognizer's constraints for the resolver
    #: the recognizer's probability that the span is a place (None: no classifier judged it)
    place_p: float | None = None

    @property
    def resolved(self) -> bool:
        return self.place is not None


@dataclass(frozen=True, slots=True)
class DateRef:
    """A date expression resolved against the publication date."""

    text: str
    start: int
    end: int
    date: dt.date
    precision: DatePrecision = "day"


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where an event is told: one sentence of one article."""

    doc_id: str
    sentence: str
    sent_start: int
    sent_end: int
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None


@dataclass(slots=True)
class EventPlace:
    """A place attached to an event, with the part it plays."""

    mention: Mention
    role: PlaceRole = "event"
    #: When the place was carried from another sentence: the passage quoting both the place and
    #: the event (elided with " … " when long) and its start offset in the article.
    passage: str = ""
    passage_start: int = -1

    @property
    def geo_precision(self) -> GeoPrecision | None:
        return self.mention.place.geo_precision if self.mention.place else None


@dataclass(slots=True)
class Event:
    """Something that happened, when and where, and the sentences that say so."""

    event_id: str
    doc_id: str
    date: dt.date | None
    date_precision: DatePrecision
    date_text: str
    event_type: str
    trigger: str
    sentence: str
    sent_start: int
    sent_end: int
    actors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    places: list[EventPlace] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    #: Where the date comes from: "stated" in the event's sentence, "carried" from earlier in its
    #: paragraph, "published" (the article's date, for an undated lead event), "" when undated.
    date_basis: DateBasis = ""
    #: An event the article recalls rather than reports: its stated date ended well before
    #: publication (see ``geomap.events.history``). Never the article's lead; maps leave it off by default.
    background: bool = False

    def set_date(self, date: dt.date | None, precision: DatePrecision, text: str, basis: DateBasis) -> None:
        """Set the date, its precision, the words it came from and where it comes from, together."""
        self.date, self.date_precision, self.date_text, self.date_basis = date, precision, text, basis


@dataclass(slots=True)
class Document:
    """An article after parsing: its place mentions, dates and events."""

    article: Article
    mentions: list[Mention] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
