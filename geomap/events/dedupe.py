"""The same event told twice (in one article or across articles) becomes one event."""

from __future__ import annotations

from geomap.events.places import same_place, unique_places
from geomap.events.taxonomy import STATEMENT
from geomap.records import Event
from geomap.tools.ranks import PRECISION_RANK, coarser_precision


def known_date(event: Event):
    """The event's date when the text gives it (stated or carried); None for none or a publication date."""
    return event.date if event.date_basis != "published" else None


def _dates_compatible(a: Event, b: Event) -> bool:
    if known_date(a) is None or known_date(b) is None:
        return True
    coarse = coarser_precision(a.date_precision, b.date_precision)
    if coarse == "year":
        return a.date.year == b.date.year
    if coarse == "month":
        return (a.date.year, a.date.month) == (b.date.year, b.date.month)
    return a.date == b.date


def _share_place(a: Event, b: Event) -> bool:
    return any(
        same_place(pa.mention.place, pb.mention.place)
        for pa in a.places
        if pa.role == "event"
        for pb in b.places
        if pb.role == "event"
    )


def same_event(a: Event, b: Event) -> bool:
    """Same type, compatible dates and a shared event place (statements also need a known equal date);
    or the same sentence of the same article printed twice (a repeated lead)."""
    if a.event_type != b.event_type or not _dates_compatible(a, b):
        return False
    if a.sources and b.sources and a.doc_id == b.doc_id and _source_key(a.sources[0]) == _source_key(b.sources[0]):
        return True
    if a.event_type == STATEMENT and (known_date(a) is None or known_date(a) != known_date(b)):
        return False
    return _share_place(a, b)


def dedupe_events(events: list[Event]) -> list[Event]:
    """Merge events told more than once (within or across articles), keeping the first telling."""
    kept: list[Event] = []
    for event in events:
        for other in kept:
            if same_event(other, event):
                _merge(other, event)
                break
        else:
            kept.append(event)
    return kept


def _source_key(source) -> tuple[str, str]:
    """A sentence cited once per article, wherever it is repeated (a lead printed twice)."""
    return source.doc_id, " ".join(source.sentence.split())


def _merge(into: Event, other: Event) -> None:
    keys = {_source_key(s) for s in into.sources}
    for source in other.sources:
        if _source_key(source) not in keys:
            keys.add(_source_key(source))
            into.sources.append(source)
    if known_date(other) is not None and (
        known_date(into) is None or PRECISION_RANK[other.date_precision] < PRECISION_RANK[into.date_precision]
    ):
        into.set_date(other.date, other.date_precision, other.date_text, other.date_basis)
    into.places = unique_places(into.places + other.places)
    into.actors = list(dict.fromkeys(into.actors + other.actors))
    into.targets = list(dict.fromkeys(into.targets + other.targets))
