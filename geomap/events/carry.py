"""Dates and places carried to events whose own sentence lacks them.

News and event reports state the date and the place once and then go on: "On 2 May, gunmen
attacked a checkpoint in Mosul. Two soldiers were killed." The second event happened then and
there. Carrying stays near: within the paragraph, from at most ``CARRY_BACK`` sentences before
(places also from ``CARRY_AHEAD`` sentence after), so a wall of text without paragraphs does not
lend one date or place to everything. Beyond that:

* an event whose time the article does not give takes the publication date, marked
  ``date_basis == "published"`` (a background event, one the article recalls, keeps none);
* an event takes the article's dateline place ("KIRKUK, Iraq (Reuters) -"), and a lead event
  the article's focus, its most-named place below country level;
* any other event the text places nowhere takes the article's locality, when the article is
  local news: every place it names below country level lies within ``LOCAL_KM`` of the one it
  names most, also where it only says whose or which thing ("a Rochester man", "according to
  Oxford police"). Local news names its town that way and seldom says "in Rochester". An
  article that ranges wider (a base, a capital and a region 200 km apart) has no locality.

A country that is only mentioned is never carried as a site (see ``places.can_be_site``).
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass

from geomap.events.places import (
    can_be_site,
    contains,
    doubtful,
    is_actor_like,
    is_coarse,
    is_water,
    place_rank,
    unique_places,
)
from geomap.events.syntax import mention_tokens
from geomap.records import DateRef, Event, EventPlace, Mention
from geomap.tools.datelines import dateline_spans
from geomap.tools.distance import LOCAL_KM, place_km

#: How many sentences back a date or place is carried, and how many ahead a place is.
CARRY_BACK = 3
CARRY_AHEAD = 1


def paragraph_starts(text: str) -> list[int]:
    """Where paragraphs start: at blank lines when the text has them, else at every line break."""
    blank = re.compile(r"\n[ \t]*\n")
    breaks = blank if blank.search(text) else re.compile(r"\n")
    return [0] + [m.end() for m in breaks.finditer(text)]


@dataclass(frozen=True, slots=True)
class Layout:
    """Paragraph and sentence starts of a text, to tell how near two offsets are."""

    paragraphs: list[int]
    sentences: list[int]

    @classmethod
    def of(cls, text: str, sentence_starts: list[int]) -> Layout:
        return cls(paragraph_starts(text), sorted(sentence_starts) or [0])

    def paragraph(self, offset: int) -> int:
        return bisect_right(self.paragraphs, offset) - 1

    def sentence(self, offset: int) -> int:
        return bisect_right(self.sentences, offset) - 1

    def near(self, source: int, event: int, *, ahead: int = 0) -> bool:
        """Is ``source`` in the paragraph of ``event``, at most CARRY_BACK sentences before (or
        ``ahead`` sentences after) it?"""
        if self.paragraph(source) != self.paragraph(event):
            return False
        gap = self.sentence(event) - self.sentence(source)
        return -ahead <= gap <= CARRY_BACK


def carry_dates(events: list[Event], dates: list[DateRef], layout: Layout, published: dt.date | None) -> None:
    """Date the events whose sentence states no date (see the module doc). Events in text order."""
    if not events:
        return
    ends = [d.end for d in dates]  # dates are in text order
    last_dated: Event | None = None
    for event in events:
        if event.background:
            continue  # it keeps its own date and lends it to no other event
        if event.date is not None:
            last_dated = event
            continue
        i = bisect_right(ends, event.sent_start) - 1
        if i >= 0 and layout.near(dates[i].start, event.sent_start):
            ref = dates[i]
            event.set_date(ref.date, ref.precision, ref.text, "carried")
        elif last_dated is not None and layout.near(last_dated.sent_start, event.sent_start):
            event.set_date(last_dated.date, last_dated.date_precision, last_dated.date_text, "carried")
        elif published is not None:
            event.set_date(published, "day", "", "published")
        if event.date is not None:
            last_dated = event


def carry_places(events: list[Event], mentions: list[Mention], layout: Layout, doc) -> None:
    """Place the events whose sentence names no place they can happen at (see the module doc).

    The dateline says where the reporter files from, not where what the text tells happened:
    it is carried to an event only when the text places that event nowhere else. An event told
    at country level ("clashes in Syria") takes a finer place of that country named near it
    (the country becomes context), unless it is a recalled (background) one."""
    if not events:
        return
    dateline = dateline_place(mentions, doc.text)
    sites = sorted((m for m in mentions if m is not dateline and can_be_site(m, doc)), key=lambda m: m.start)
    starts = [m.start for m in sites]
    ends = [m.end for m in sites]
    lead = events[0].sent_start
    focus = focus_place(sites)
    home = locality(mentions, doc)
    for event in events:
        own = [ep.mention.place for ep in event.places if ep.role == "event" and ep.mention.place is not None]
        if own and not all(is_coarse(p) for p in own):
            continue
        chosen = None
        i = bisect_right(ends, event.sent_start) - 1  # the last site ending before the sentence
        if i >= 0 and layout.near(sites[i].start, event.sent_start):
            chosen = _most_specific_in_sentence(sites, i, layout)
        else:
            j = bisect_left(starts, event.sent_end)  # the first site after it
            if j < len(sites) and layout.near(sites[j].start, event.sent_start, ahead=CARRY_AHEAD):
                chosen = _most_specific_in_sentence(sites, j, layout)
        if own:
            # a recalled event is not refined by the places of the news told around it
            if chosen is not None and not event.background and any(contains(p, chosen.place) for p in own):
                passage, start = carried_passage(doc.text, chosen, event)
                broader = [
                    EventPlace(ep.mention, "context" if ep.role == "event" else ep.role, ep.passage, ep.passage_start)
                    for ep in event.places
                ]
                event.places = unique_places([EventPlace(chosen, "event", passage, start), *broader])
            continue
        if chosen is None:
            chosen = dateline or (focus if layout.near(lead, event.sent_start) else None) or home
        if chosen is not None:
            passage, start = carried_passage(doc.text, chosen, event)
            event.places = unique_places([EventPlace(chosen, "event", passage, start), *event.places])


#: Longest passage quoted whole for a carried place; a longer one keeps the two sentences only.
PASSAGE_CHARS = 600


def carried_passage(text: str, mention: Mention, event: Event) -> tuple[str, int]:
    """The text from the carried place's sentence through the event's (or the other way round),
    so a quote of the event names its place; ('', -1) when the place is in the event's sentence."""
    if event.sent_start <= mention.start and mention.end <= event.sent_end:
        return "", -1
    place = (min(mention.sent_start, mention.start), max(mention.sent_end, mention.end))
    lo, hi = min(place[0], event.sent_start), max(place[1], event.sent_end)
    if hi - lo <= PASSAGE_CHARS:
        return text[lo:hi].strip(), lo + (len(text[lo:hi]) - len(text[lo:hi].lstrip()))
    first, second = sorted([place, (event.sent_start, event.sent_end)])
    return text[first[0] : first[1]].strip() + " \u2026 " + text[second[0] : second[1]].strip(), first[0]


def _most_specific_in_sentence(sites: list[Mention], index: int, layout: Layout) -> Mention:
    """Of the sites in the sentence of ``sites[index]``, the most specific (the first on ties):
    "in Babayurt district, Dagestan, Russia" lends Babayurt, not Russia."""
    sentence = layout.sentence(sites[index].start)
    same = [m for m in sites if layout.sentence(m.start) == sentence]
    return min(same, key=lambda m: (place_rank(m.place), m.start))


def dateline_place(mentions: list[Mention], text: str) -> Mention | None:
    """The place an article says it reports from: "MOSUL, Iraq (Reuters) -" opening a line, or
    "… dubious. COLUMBUS --" after a headline run into the body (``tools.datelines``; a resolved
    mention there, whatever role the recognizer gave it)."""
    for start, _ in dateline_spans(text):
        found = [m for m in mentions if m.start == start and m.place is not None]
        if found:
            return found[0]
    return None


def focus_place(sites: list[Mention]) -> Mention | None:
    """The article's focus: its most-named place below country level (the first such on ties)."""
    local = [m for m in sites if m.place.kind not in ("country", "continent")] or sites
    found = most_named(local)
    return found[0] if found else None


def most_named(mentions: list[Mention]) -> tuple[Mention, int] | None:
    """The mention of the place named most often among ``mentions`` (the first on ties), and how
    often it is named; None for no mentions."""
    counts = Counter(m.place.name for m in mentions)
    if not counts:
        return None
    best = max(mentions, key=lambda m: (counts[m.place.name], -m.start))
    return best, counts[best.place.name]


def locality(mentions: list[Mention], doc) -> Mention | None:
    """The place a local article is about: of the places it names below country level, as a site
    or as a modifier ("a Rochester man"), never as an actor, a body of water or a doubtful
    reading, the most named (the first on ties), when every other one lies within ``LOCAL_KM``
    of it (see the module doc)."""
    pool = [
        m
        for m in mentions
        if m.place is not None
        and m.role in ("location", "modifier")
        and not doubtful(m)
        and not is_coarse(m.place)
        and not is_water(m.place, m.text)
        and not any(is_actor_like(t) for t in mention_tokens(m, doc) if m.role == "location")
    ]
    found = most_named(pool)
    if found is None:
        return None
    home = found[0]
    if any(place_km(m.place, home.place) > LOCAL_KM for m in pool):
        return None  # the article ranges wider than one town
    return home
