"""Run the geoparser on a gold event corpus and score its events (``geomap eval-events``).

Every figure stands beside the naive rule "the event is at the first place the text names",
computed from the same run's mentions, so a change that loses to it shows at once.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from geomap.errors import GeomapError
from geomap.eval.event_corpus import GoldEventRecord, read_event_corpus
from geomap.eval.event_scores import (
    EventOutcome,
    breakdown,
    date_matches,
    has_date_expression,
    km_to_gold,
    name_spans,
    summarize,
)
from geomap.events.taxonomy import Taxonomy, default_taxonomy
from geomap.records import Article, Document, Event, Mention


class EventParserLike(Protocol):
    """What the harness needs of a geoparser: documents with events for articles."""

    def parse_articles(self, articles: Sequence[Article], *, progress=None) -> list[Document]: ...


@dataclass(slots=True)
class EventEvalResult:
    """Figures of one event corpus: overall, by coded type, by "the text has a date expression"."""

    corpus: str
    path: str
    overall: dict
    by_type: dict[str, dict]
    by_dated: dict[str, dict]
    seconds: float
    outcomes: list[EventOutcome] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "corpus": self.corpus,
            "path": self.path,
            "overall": self.overall,
            "by_type": self.by_type,
            "by_dated_text": self.by_dated,
            "seconds": round(self.seconds, 3),
            "records": [o.to_dict() for o in self.outcomes],
        }


def evaluate_events(
    path: str | Path,
    geoparser: EventParserLike,
    *,
    limit: int | None = None,
    progress: bool = True,
    taxonomy: Taxonomy | None = None,
) -> EventEvalResult:
    """Parse every record of a gold event corpus and score the events against the coded ones."""
    records = read_event_corpus(path)[:limit] if limit else read_event_corpus(path)
    articles = [Article(text=r.text, doc_id=r.doc_id, published=r.published) for r in records]
    t0 = time.perf_counter()
    documents = _parse(geoparser, articles, progress, Path(path).stem)
    seconds = time.perf_counter() - t0
    if len(documents) != len(records):
        raise GeomapError(f"geoparser returned {len(documents)} documents for {len(records)} records")
    taxonomy = taxonomy or default_taxonomy()
    outcomes = [score_record(r, d, taxonomy) for r, d in zip(records, documents)]
    return EventEvalResult(
        corpus=Path(path).stem,
        path=str(path),
        overall=summarize(outcomes),
        by_type=breakdown(outcomes, lambda o: o.gold_type),
        by_dated=breakdown(outcomes, lambda o: "date expression" if o.dated_text else "no date expression"),
        seconds=seconds,
        outcomes=outcomes,
    )


def _parse(geoparser: EventParserLike, articles: list[Article], progress: bool, label: str) -> list[Document]:
    if not progress:
        return geoparser.parse_articles(articles)
    from geomap.tools.progress import progress_bar

    with progress_bar(len(articles), label=f"events {label}", min_total=1) as advance:
        return geoparser.parse_articles(articles, progress=advance)


def _point(mention: Mention | None) -> tuple[float, float] | None:
    return None if mention is None or mention.place is None else (mention.place.lat, mention.place.lon)


def event_site(events: Sequence[Event]) -> Mention | None:
    """The first resolved place with role "event", taking events in order (what the map pins first)."""
    for event in events:
        for ep in event.places:
            if ep.role == "event" and ep.mention.place is not None:
                return ep.mention
    return None


def first_named_place(mentions: Sequence[Mention]) -> Mention | None:
    """The naive baseline: the first resolved place the text names."""
    return next((m for m in sorted(mentions, key=lambda m: m.start) if m.place is not None), None)


def score_record(record: GoldEventRecord, document: Document, taxonomy: Taxonomy) -> EventOutcome:
    """Compare one record's extracted events with its coded events."""
    gold = record.events
    events = document.events
    first = events[0] if events else None
    site = event_site(events)
    placed = [_point(ep.mention) for e in events for ep in e.places if ep.mention.place is not None]
    distances = [km_to_gold(p, gold) for p in placed]
    accepted = [taxonomy.counterparts(record.source, g.event_type, g.sub_event_type) for g in gold]
    known = [a for a in accepted if a]
    type_ok = None if not known else first is not None and any(first.event_type in a for a in known)
    names = {g.place for g in gold if g.place}
    occurrences = [span for name in names for span in name_spans(name, record.text)]
    named = any(g.place_in_text for g in gold) if any(g.place_in_text is not None for g in gold) else bool(occurrences)
    found = any(m.start < e and s < m.end for m in document.mentions for s, e in occurrences)
    main = record.main
    return EventOutcome(
        doc_id=record.doc_id,
        gold_type=f"{record.source or 'gold'}: {main.event_type or '?'}",
        dated_text=has_date_expression(record.text),
        n_events=len(events),
        date_ok=first is not None and any(date_matches(first.date, g.date, g.date_precision) for g in gold),
        site_km=km_to_gold(_point(site), gold),
        nearest_km=min(distances) if distances else None,
        type_ok=type_ok,
        named=named,
        named_found=named and found,
        baseline_km=km_to_gold(_point(first_named_place(document.mentions)), gold),
        pred_date=first.date.isoformat() if first is not None and first.date else "",
        pred_type=first.event_type if first is not None else "",
        pred_place=site.text if site is not None else "",
    )
