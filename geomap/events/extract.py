"""Turn a parsed article into dated events with places, actors and sources.

One event per sentence that has a trigger (see taxonomy.json). The rules, in order:

* trigger: non-statement types beat "statement"; then a trigger with a place attached beats one
  without; then the one closest to the main clause; then the type's priority. Negated or
  hypothetical triggers ("no attack", "a potential attack") do not count.
* date: the sentence's date nearest the trigger in the parse; a sentence without a date that
  continues the previous event ("The operation was conducted …") inherits that event's date
  and, when it adds no new kind of event, becomes another source of it.
* places: location-role mentions governed by a place preposition (in/at/on/against/…) or the
  object of an attack/visit verb get role "event"; those containing another event place
  (Anbar for Ain al-Assad) become "context"; other location mentions in the sentence are
  "mentioned". Actors and modifiers ("Washington claims", "the US's base") are never places.
* dedupe: same type, compatible date and a shared event place → one event with all sources.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
import re
import unicodedata
from dataclasses import dataclass

from geomap.dates import find_dates
from geomap.events.taxonomy import STATEMENT, EventType, Taxonomy, default_taxonomy
from geomap.records import (
    Article, DatePrecision, DateRef, Event, EventPlace, Mention, Place, SourceRef,
)

#: Prepositions that put an event somewhere ("from" only for movements).
LOC_PREPS = {
    "in", "at", "on", "near", "inside", "outside", "against", "into", "to", "across",
    "throughout", "around", "over", "within", "off", "along", "onto", "outside of",
}
#: Event types whose direct object is where it happened ("attacked Baghdad", "visited Kyiv").
OBJECT_IS_PLACE = {"strike", "fighting", "protest", "meeting", "disaster", "deployment", "assassination"}
MOVE_TYPES = {"deployment"}
#: Dependencies that keep a token inside the same noun phrase when walking up to its preposition.
_NOMINAL = {"compound", "appos", "conj", "amod", "nmod", "flat", "nummod", "cc"}
#: Words that make a trigger hypothetical rather than something that happened.
_IRREALIS_MODS = {"potential", "possible", "future", "further", "more", "any", "new"}
_IRREALIS_HEADS = {"fear", "prevent", "avoid", "risk", "deter", "threaten", "protect"}
#: Definite nouns that refer back to the event just told ("the operation", "the raid").
_ANAPHORS = {"operation", "incident", "killing", "mission", "shooting", "episode", "event"}
_LATER = {"following", "after", "since", "before", "despite"}
_ACTOR_LABELS = {"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC"}
_KIND_RANK = {
    "continent": 6, "country": 5, "admin1": 4, "region": 4, "admin2": 3, "city": 2, "other": 2,
    "airport": 1, "site": 1,
}
_PREC_RANK = {"day": 0, "month": 1, "year": 2, "unknown": 3}


@dataclass(slots=True)
class _Trigger:
    token: object  # spacy Token
    etype: EventType
    depth: int
    places: list[Mention]


def extract_events(
    doc,
    mentions: list[Mention],
    article: Article,
    *,
    dates: list[DateRef] | None = None,
    taxonomy: Taxonomy | None = None,
) -> list[Event]:
    """Events told in ``article`` (parsed as ``doc``), deduplicated within the article."""
    taxonomy = taxonomy or default_taxonomy()
    if dates is None:
        dates = find_dates(doc, article.published)
    events: list[Event] = []
    last: Event | None = None
    last_index = -10
    mentions = sorted(mentions, key=lambda m: m.start)
    dates = sorted(dates, key=lambda d: d.start)
    m_starts = [m.start for m in mentions]
    d_starts = [d.start for d in dates]
    for index, span in enumerate(sentence_spans(doc)):
        start, end = span.start_char, span.end_char
        lo, hi = bisect_left(m_starts, start), bisect_left(m_starts, end)
        in_sent = [m for m in mentions[lo:hi] if m.end <= end]
        lo, hi = bisect_left(d_starts, start), bisect_left(d_starts, end)
        sent_dates = [d for d in dates[lo:hi] if d.end <= end]
        trigger = _best_trigger(span, in_sent, taxonomy)
        date = _nearest_date(span, sent_dates, trigger.token if trigger else None)
        continues = (
            date is None and last is not None and index - last_index <= 2 and _continues(span, taxonomy)
        )
        if continues:
            # The sentence is about the event it refers back to unless its main clause tells a new kind.
            if trigger is None or trigger.depth > 1 or trigger.etype.name in (STATEMENT, last.event_type):
                _absorb(last, span, in_sent, trigger, article)
                last_index = index
                continue
        if trigger is None:
            continue
        event = _make_event(span, trigger, in_sent, article)
        if date is not None:
            event.date, event.date_precision, event.date_text = date.date, date.precision, date.text
        elif continues:
            event.date, event.date_precision, event.date_text = last.date, last.date_precision, last.date_text
        events.append(event)
        last, last_index = event, index
    return dedupe_events(events)


def sentence_spans(doc) -> list:
    """spaCy sentences, further cut at line breaks (headlines and datelines are their own lines)."""
    spans = []
    for sent in doc.sents:
        begin = None
        for tok in sent:
            if "\n" in tok.text or "\n" in tok.whitespace_:
                if not tok.is_space and begin is None:
                    begin = tok.i
                if begin is not None:
                    stop = tok.i if tok.is_space else tok.i + 1
                    if stop > begin:
                        spans.append(doc[begin:stop])
                begin = None
            elif begin is None and not tok.is_space:
                begin = tok.i
        if begin is not None and begin < sent.end:
            spans.append(doc[begin:sent.end])
    return [s for s in spans if s.text.strip()]


def event_id(doc_id: str, sent_start: int, sent_end: int) -> str:
    """Stable id: the same sentence of the same document always gets the same id."""
    return hashlib.sha1(f"{doc_id}:{sent_start}:{sent_end}".encode()).hexdigest()[:16]


# --- triggers -------------------------------------------------------------------------------

def _depth(tok, span) -> int:
    depth = 0
    while tok.head.i != tok.i and span.start <= tok.head.i < span.end and depth < 50:
        tok, depth = tok.head, depth + 1
    return depth


def _hypothetical(tok) -> bool:
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    if any(c.dep_ == "amod" and c.lemma_.lower() in _IRREALIS_MODS for c in tok.children):
        return True
    head = tok.head
    if tok.dep_ == "pobj":
        head = head.head
    return head.i != tok.i and head.lemma_.lower() in _IRREALIS_HEADS


def _best_trigger(span, mentions: list[Mention], taxonomy: Taxonomy) -> _Trigger | None:
    candidates = []
    for tok in span:
        etype = taxonomy.lookup(tok.lemma_, tok.pos_)
        if etype is None or _hypothetical(tok):
            continue
        candidates.append(_Trigger(tok, etype, _depth(tok, span), _attached(tok, etype, mentions, span.doc)))
    # "An earthquake struck X": a hazard noun names the event and the verb only says it happened.
    hazards = {c.token.i for c in candidates if c.etype.name == "disaster" and c.token.pos_ == "NOUN"}
    candidates = [
        c for c in candidates
        if not (
            c.etype.name == "strike" and c.token.pos_ == "VERB"
            and any(ch.dep_ == "nsubj" and ch.i in hazards for ch in c.token.children)
        )
    ]
    # A place belongs to the trigger nearest to it ("injuries from the strikes on X": the strikes).
    for mention in {id(m): m for c in candidates for m in c.places}.values():
        owners = [c for c in candidates if mention in c.places]
        nearest = min(_hops_to(mention, c.token, span.doc) for c in owners)
        for c in owners:
            if _hops_to(mention, c.token, span.doc) > nearest:
                c.places = [m for m in c.places if m is not mention]
    best, best_key = None, None
    for trig in candidates:
        key = (trig.etype.name != STATEMENT, bool(trig.places), -trig.depth, trig.etype.priority)
        if best_key is None or key > best_key:
            best, best_key = trig, key
    return best


def _hops_to(mention: Mention, target, doc) -> int:
    best = 99
    for tok in _mention_tokens(mention, doc):
        cur, hops = tok, 0
        while cur.i != target.i and cur.head.i != cur.i and hops < 50:
            cur, hops = cur.head, hops + 1
        if cur.i == target.i:
            best = min(best, hops)
    if best == 99 and _scope(target).i != target.i:
        return _hops_to(mention, _scope(target), doc) + 1
    return best


def _scope(tok):
    """The clause an event noun lives in: 'launched strikes' → launched."""
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("dobj", "nsubj", "nsubjpass", "attr"):
        if tok.head.pos_ in ("VERB", "AUX"):
            return tok.head
    return tok


# --- places ---------------------------------------------------------------------------------

def _mention_tokens(mention: Mention, doc):
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return []
    return [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i]


def _is_actor_like(tok) -> bool:
    """A subject or possessor, not under a preposition: a metonymic actor or a modifier."""
    cur = tok
    while cur.dep_ in _NOMINAL and cur.head.i != cur.i:
        cur = cur.head
    if cur.dep_ == "pobj" and cur.head.lower_ == "by":
        return True  # "attacks by Iran": the agent
    return cur.dep_ in ("nsubj", "nsubjpass", "poss", "agent", "csubj") or tok.dep_ == "poss"


def _governor(tok):
    """Walk up the noun phrase; return (dep, head) where the phrase attaches."""
    cur = tok
    while cur.dep_ in _NOMINAL and cur.head.i != cur.i:
        cur = cur.head
    return cur.dep_, cur.head


def _reaches(tok, targets: set[int], limit: int = 12) -> bool:
    for _ in range(limit):
        if tok.i in targets:
            return True
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _attached(trigger, etype: EventType, mentions: list[Mention], doc) -> list[Mention]:
    """Location mentions where the trigger's event happens, by dependency structure."""
    scope = _scope(trigger)
    anchors = {trigger.i, scope.i}
    # Reported speech happens where it is said ("said in Baghdad"), not where its content is.
    reach = 1 if etype.name == STATEMENT else 12
    found = []
    for mention in mentions:
        if mention.role != "location":
            continue
        for tok in _mention_tokens(mention, doc):
            if _is_actor_like(tok):
                continue
            dep, head = _governor(tok)
            prep = head.lower_ if dep == "pobj" else ""
            if dep == "pobj" and (prep in LOC_PREPS or (prep == "from" and etype.name in MOVE_TYPES)):
                if _reaches(head, anchors, reach):
                    found.append(mention)
                    break
            if dep == "dobj" and head.i in anchors and etype.name in OBJECT_IS_PLACE:
                found.append(mention)
                break
    return found


def _norm(name: str | None) -> str:
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\b(province|governorate|region|state|district|oblast|county)\b", "", text)
    text = re.sub(r"^(al|el|the)[\s-]+", "", text.strip())
    return re.sub(r"[^a-z]+", " ", text).strip()


def same_place(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None:
        return False
    if a.geonameid is not None and b.geonameid is not None:
        return a.geonameid == b.geonameid
    return _norm(a.name) == _norm(b.name) and abs(a.lat - b.lat) < 0.05 and abs(a.lon - b.lon) < 0.05


def contains(a: Place | None, b: Place | None) -> bool:
    """True when place ``a`` is a country/region that ``b`` lies in, by gazetteer codes or names."""
    if a is None or b is None or same_place(a, b):
        return False
    if _KIND_RANK.get(a.kind, 2) <= _KIND_RANK.get(b.kind, 2):
        return False
    if a.kind in ("country", "continent"):
        return a.kind == "country" and bool(a.country_code) and a.country_code == b.country_code
    if a.country_code and b.country_code and a.country_code != b.country_code:
        return False
    if a.admin1_code and b.admin1_code and a.admin1_code == b.admin1_code:
        return True
    names = {_norm(a.name), _norm(a.admin1)} - {""}
    return _norm(b.admin1) in names


def _contained_in_text(outer: Mention, inner: Mention, doc) -> bool:
    """"X in the Y region" / "X, Y": a region mention attached to another place mention."""
    if outer.place is None or outer.place.kind not in ("country", "admin1", "admin2", "region", "continent"):
        return False
    inner_span = doc.char_span(inner.start, inner.end, alignment_mode="expand")
    if inner_span is None:
        return False
    inner_ids = {t.i for t in inner_span}
    for tok in _mention_tokens(outer, doc):
        dep, head = _governor(tok)
        if dep == "pobj" and head.lower_ == "in" and head.head.i in inner_ids:
            return True
        if tok.dep_ == "appos" and tok.head.i in inner_ids:
            return True
    return False


def _place_roles(attached: list[Mention], others: list[Mention], doc) -> list[EventPlace]:
    result: list[EventPlace] = []
    for mention in attached:
        broader = any(
            other is not mention
            and (contains(mention.place, other.place) or _contained_in_text(mention, other, doc))
            for other in attached
        )
        result.append(EventPlace(mention, "context" if broader else "event"))
    for mention in others:
        result.append(EventPlace(mention, "mentioned"))
    return _unique_places(result)


def _unique_places(places: list[EventPlace]) -> list[EventPlace]:
    """One entry per place (the first telling), the stronger role winning."""
    order = {"event": 0, "context": 1, "mentioned": 2}
    kept: list[EventPlace] = []
    for ep in places:
        for i, seen in enumerate(kept):
            if seen.mention is ep.mention or same_place(seen.mention.place, ep.mention.place):
                if order[ep.role] < order[seen.role]:
                    kept[i] = EventPlace(seen.mention, ep.role)
                break
        else:
            kept.append(ep)
    return kept


def _sentence_places(trigger: _Trigger | None, mentions: list[Mention], doc) -> list[EventPlace]:
    attached = trigger.places if trigger else []
    others = [
        m for m in mentions
        if m.role == "location" and m not in attached
        and not any(_is_actor_like(t) for t in _mention_tokens(m, doc))
    ]
    return _place_roles(attached, others, doc)


# --- actors and targets ---------------------------------------------------------------------

def _np_entities(tok, doc) -> list[str]:
    """Entity texts of the noun phrase headed by ``tok`` (its compounds, appositions, conjuncts)."""
    seen, out, stack = set(), [], [tok]
    while stack:
        cur = stack.pop(0)
        if cur.i in seen:
            continue
        seen.add(cur.i)
        if cur.ent_type_ in _ACTOR_LABELS:
            # Entity bounds from IOB tags: scanning doc.ents per token is quadratic on long texts.
            start, end = cur.i, cur.i + 1
            while doc[start].ent_iob_ == "I" and start > 0:
                start -= 1
            while end < len(doc) and doc[end].ent_iob_ == "I":
                end += 1
            out.append(_strip_det(doc[start:end].text))
        stack.extend(c for c in cur.children if c.dep_ in ("compound", "appos", "conj", "poss", "flat", "amod"))
    return list(dict.fromkeys(out))


def _strip_det(text: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", text)


def _actors_targets(trigger, doc) -> tuple[list[str], list[str]]:
    actors: list[str] = []
    targets: list[str] = []
    scope = _scope(trigger)
    for clause in {trigger.i: trigger, scope.i: scope}.values():
        for child in clause.children:
            if child.dep_ in ("nsubj", "agent") and child.i != trigger.i:
                actors += _np_entities(child, doc) if child.dep_ == "nsubj" else [
                    e for g in child.children if g.dep_ == "pobj" for e in _np_entities(g, doc)
                ]
            elif child.dep_ in ("dobj", "nsubjpass") and child.i != trigger.i:
                targets += _np_entities(child, doc)
            elif child.dep_ == "prep" and child.lower_ in ("by", "against", "on", "of"):
                for g in child.children:
                    if g.dep_ == "pobj":
                        (actors if child.lower_ == "by" else targets).extend(_np_entities(g, doc))
            elif clause.i == trigger.i and child.dep_ in ("poss", "compound") and trigger.pos_ == "NOUN":
                actors += _np_entities(child, doc)
    return list(dict.fromkeys(actors)), [t for t in dict.fromkeys(targets) if t not in actors]


# --- dates ----------------------------------------------------------------------------------

def _nearest_date(span, dates: list[DateRef], trigger) -> DateRef | None:
    if not dates:
        return None
    if trigger is None or len(dates) == 1:
        return dates[0]
    doc = span.doc
    chain = {}
    tok, hops = trigger, 0
    while True:
        chain.setdefault(tok.i, hops)
        if tok.head.i == tok.i or hops > 50:
            break
        tok, hops = tok.head, hops + 1

    def distance(ref: DateRef) -> int:
        dspan = doc.char_span(ref.start, ref.end, alignment_mode="expand")
        if dspan is None:
            return 999
        cur, up = dspan.root, 0
        while cur.i not in chain and cur.head.i != cur.i and up < 50:
            cur, up = cur.head, up + 1
        return up + chain.get(cur.i, 50)

    return min(dates, key=distance)


def _continues(span, taxonomy: Taxonomy) -> bool:
    """Does this sentence refer back to the event just told ("The operation was …")?"""
    for tok in span:
        if tok.pos_ != "NOUN":
            continue
        lemma = tok.lemma_.lower()
        etype = taxonomy.lookup(lemma, "NOUN")
        if lemma not in _ANAPHORS and (etype is None or etype.name == STATEMENT):
            continue
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those") for c in tok.children):
            continue
        if tok.dep_ in ("nsubj", "nsubjpass"):
            return True
        if tok.dep_ == "pobj" and tok.head.lower_ in ("in", "during", "of", "throughout"):
            return True
    return False


# --- records --------------------------------------------------------------------------------

def _source(span, article: Article) -> SourceRef:
    return SourceRef(
        doc_id=article.doc_id, sentence=span.text, sent_start=span.start_char, sent_end=span.end_char,
        title=article.title, url=article.url, published=article.published,
    )


def _make_event(span, trigger: _Trigger, mentions: list[Mention], article: Article) -> Event:
    actors, targets = _actors_targets(trigger.token, span.doc)
    return Event(
        event_id=event_id(article.doc_id, span.start_char, span.end_char),
        doc_id=article.doc_id,
        date=None,
        date_precision="unknown",
        date_text="",
        event_type=trigger.etype.name,
        trigger=trigger.token.text,
        sentence=span.text,
        sent_start=span.start_char,
        sent_end=span.end_char,
        actors=actors,
        targets=targets,
        places=_sentence_places(trigger, mentions, span.doc),
        sources=[_source(span, article)],
    )


def _absorb(event: Event, span, mentions: list[Mention], trigger: _Trigger | None, article: Article) -> None:
    """Add a continuing sentence to the event it continues: its source and places."""
    event.sources.append(_source(span, article))
    new = _sentence_places(trigger, mentions, span.doc)
    if trigger is None or trigger.etype.name == STATEMENT:
        # A continuation's location phrases ("on a visit to the Iraqi capital") still place the event.
        attached = [m for m in mentions if m.role == "location" and _loc_phrase(m, span.doc)]
        new = _place_roles(attached, [ep.mention for ep in new if ep.mention not in attached], span.doc)
    event.places = _unique_places(event.places + new)


def _loc_phrase(mention: Mention, doc) -> bool:
    for tok in _mention_tokens(mention, doc):
        dep, head = _governor(tok)
        if not _is_actor_like(tok) and dep == "pobj" and head.lower_ in LOC_PREPS:
            return True
    return False


# --- dedupe ---------------------------------------------------------------------------------

def _dates_compatible(a: Event, b: Event) -> bool:
    if a.date is None or b.date is None:
        return True
    coarse = a.date_precision if _PREC_RANK[a.date_precision] >= _PREC_RANK[b.date_precision] else b.date_precision
    if coarse == "year":
        return a.date.year == b.date.year
    if coarse == "month":
        return (a.date.year, a.date.month) == (b.date.year, b.date.month)
    return a.date == b.date


def _share_place(a: Event, b: Event) -> bool:
    return any(
        same_place(pa.mention.place, pb.mention.place)
        for pa in a.places if pa.role == "event"
        for pb in b.places if pb.role == "event"
    )


def same_event(a: Event, b: Event) -> bool:
    """Same type, compatible dates and a shared event place (statements also need a known equal date)."""
    if a.event_type != b.event_type or not _dates_compatible(a, b):
        return False
    if a.event_type == STATEMENT and (a.date is None or a.date != b.date):
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


def _merge(into: Event, other: Event) -> None:
    keys = {(s.doc_id, s.sent_start, s.sent_end) for s in into.sources}
    into.sources.extend(s for s in other.sources if (s.doc_id, s.sent_start, s.sent_end) not in keys)
    if other.date is not None and (
        into.date is None or _PREC_RANK[other.date_precision] < _PREC_RANK[into.date_precision]
    ):
        into.date, into.date_precision, into.date_text = other.date, other.date_precision, other.date_text
    into.places = _unique_places(into.places + other.places)
    into.actors = list(dict.fromkeys(into.actors + other.actors))
    into.targets = list(dict.fromkeys(into.targets + other.targets))
