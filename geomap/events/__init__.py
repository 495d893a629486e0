"""Dated events with places: triggers from a configurable taxonomy, dependency-based places, dedupe."""

from geomap.events.dedupe import dedupe_events, same_event
from geomap.events.extract import event_id, extract_events, sentence_spans
from geomap.events.taxonomy import EventType, Taxonomy, default_taxonomy

__all__ = [
    "EventType",
    "Taxonomy",
    "dedupe_events",
    "default_taxonomy",
    "event_id",
    "extract_events",
    "same_event",
    "sentence_spans",
]
