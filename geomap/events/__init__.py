"""Dated events with places: triggers from a configurable taxonomy, dependency-based places, dedupe."""

from geomap.events.extract import dedupe_events, event_id, extract_events, same_event, sentence_spans
from geomap.events.taxonomy import EventType, Taxonomy, default_taxonomy

__all__ = [
    "EventType", "Taxonomy", "dedupe_events", "default_taxonomy", "event_id", "extract_events",
    "same_event", "sentence_spans",
]
