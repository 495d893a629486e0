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

from geomap.dates import find_dates
from geomap.events.actors import actors_targets
from geomap.events.carry import Layout, carry_dates, carry_places, dateline_place
from geomap.events.dedupe import dedupe_events
from geomap.events.history import history_cue, is_background, recalled_by_date
from geomap.events.modality import headline_plan, irrealis, plans, told_in_present, unreal_report
from geomap.events.places import (
    can_be_site,
    in_location_phrase,
    is_actor_like,
    is_coarse,
    place_roles,
    unique_places,
)
from geomap.events.syntax import clause_of, mention_tokens
from geomap.events.taxonomy import OTHER, STATEMENT, EventType, Taxonomy, default_taxonomy
from geomap.events.triggers import Trigger, best_trigger
from geomap.records import Article, DateRef, Event, EventPlace, Mention, SourceRef

#: Definite nouns that refer back to the event just told ("the operation", "the raid").
_ANAPHORS = {"operation", "incident", "killing", "mission", "shooting", "episode", "event"}


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
    sentences = sentence_spans(doc)
    # "Minister to visit Erbil": a headline that announces a plan tells no event, and its date none
    plan_headline = sentences[0] if len(sentences) > 1 and headline_plan(sentences[0]) else None
    dates = sorted(
        (
            d
            for d in dates
            if not _background_date(d, doc) and (plan_headline is None or d.start >= plan_headline.end_char)
        ),
        key=lambda d: d.start,
    )
    m_starts = [m.start for m in mentions]
    d_starts = [d.start for d in dates]
    dateline = dateline_place(mentions, doc.text)
    statement = taxonomy.types.get(STATEMENT)
    reporting = statement.verbs if statement else frozenset()
    cues: dict[str, str] = {}  # event_id -> history cue of the clause that tells it
    used: dict[str, DateRef] = {}  # event_id -> the date stated in its sentence
    for index, span in enumerate(sentences):
        if span is plan_headline:
            continue
        start, end = span.start_char, span.end_char
        lo, hi = bisect_left(m_starts, start), bisect_left(m_starts, end)
        in_sent = [m for m in mentions[lo:hi] if m.end <= end]
        lo, hi = bisect_left(d_starts, start), bisect_left(d_starts, end)
        sent_dates = [d for d in dates[lo:hi] if d.end <= end]
        trigger = best_trigger(span, in_sent, taxonomy)
        date = _nearest_date(span, sent_dates, trigger.token if trigger else None)
        continues = date is None and last is not None and index - last_index <= 2 and _continues(span, taxonomy)
        if continues:
            # The sentence is about the event it refers back to unless its main clause tells a new kind.
            if trigger is None or trigger.depth > 1 or trigger.etype.name in (STATEMENT, last.event_type):
                _absorb(last, span, in_sent, trigger, article, dateline)
                last_index = index
                continue
        if trigger is None:
            continue
        event = _make_event(span, trigger, in_sent, article, dateline)
        cues[event.event_id] = history_cue(trigger.token, reporting)
        if date is not None:
            event.set_date(date.date, date.precision, date.text, "stated")
            used[event.event_id] = date
        elif (
            article.published is not None
            and trigger.etype.name != STATEMENT
            and told_in_present(clause_of(trigger.token))
        ):
            # "are charged with murder (in the death)": told as it stands now, not when the past
            # event told before it happened, even when it refers back to that event
            event.set_date(article.published, "day", "", "published")
        elif continues:
            event.set_date(last.date, last.date_precision, last.date_text, "carried")
        events.append(event)
        last, last_index = event, index
    if not events:
        events = _lead_event(sentences, mentions, dates, article, reporting)
    for event in events:
        event.background = is_background(
            event.date, event.date_precision, event.date_basis, article.published, cues.get(event.event_id, "")
        )
    layout = Layout.of(doc.text, [span.start_char for span in sentences])
    # history's dates date no news event
    history = {id(used[e.event_id]) for e in events if e.background and e.event_id in used}
    news_dates = [
        d
        for d in dates
        if id(d) not in history
        and not recalled_by_date(d.date, d.precision, article.published)
        and not _planned_date(d, doc)
    ]
    carry_dates(events, news_dates, layout, article.published)
    _date_headline(events, sentences, layout)
    carry_places(events, mentions, layout, doc)
    events = dedupe_events(events)
    # A recalled event is never the article's lead: the news comes first.
    return [e for e in events if not e.background] + [e for e in events if e.background]


#: Verbs whose date tells a person's or an institution's past, never the event's ("born in 1994").
_BACKGROUND_LEMMAS = {"bear", "found", "establish", "graduate", "marry"}


def _background_date(ref: DateRef, doc) -> bool:
    """A date that belongs to a biography or background clause ("born in 1994", "founded in 2001")."""
    span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    for _ in range(3):
        if tok.head.i == tok.i:
            return False
        tok = tok.head
        if tok.pos_ == "VERB" and tok.lemma_.lower() in _BACKGROUND_LEMMAS:
            return True
        if tok.pos_ == "VERB" and tok.dep_ not in ("relcl", "acl", "advcl"):
            return False
    return False


#: How many sentences after a headline its lead may be.
_LEAD_SENTENCES = 2


def _date_headline(events: list[Event], sentences: list, layout: Layout) -> None:
    """A headline tells, in the present or with a bare participle ("Jury acquits man", "Man
    killed in crash"), the news its lead dates: an undated first sentence in headline grammar
    (no simple past, no modal) takes the stated date of the first event told in the next
    ``_LEAD_SENTENCES`` sentences, not the publication date."""
    if len(sentences) < 2 or not events or events[0].sent_start != sentences[0].start_char:
        return
    head = events[0]
    if head.date_basis != "published" or head.background:
        return
    if any(t.tag_ in ("VBD", "MD") for t in sentences[0]):
        return  # "Gunmen attacked a checkpoint.": a sentence of the story, not a headline
    first = layout.sentence(head.sent_start)
    for event in events[1:]:
        if layout.sentence(event.sent_start) - first > _LEAD_SENTENCES:
            break
        if event.date_basis == "stated" and not event.background:
            head.set_date(event.date, event.date_precision, event.date_text, "carried")
            return


def _planned_date(ref: DateRef, doc) -> bool:
    """A date of a plan or a possibility ("is set to compete this weekend", "will meet on
    Friday"): it dates no event told around it."""
    span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX"):
            return irrealis(tok) or plans(tok)
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _lead_event(
    sentences: list, mentions: list[Mention], dates: list[DateRef], article: Article, reporting=frozenset()
) -> list[Event]:
    """An article with no listed trigger still reports something: its first sentence whose main
    verb is in the past and which has a date or a place becomes an event of type "other". A
    report of a plan or a possibility ("said the road will stay closed") is none."""
    for span in sentences:
        root = span.root
        if root.pos_ != "VERB" or root.tag_ not in ("VBD", "VBN"):
            continue  # something that happened is told in the past ("fear", "will visit" are not)
        if irrealis(root) or unreal_report(root, reporting):
            continue
        in_sent = [m for m in mentions if span.start_char <= m.start and m.end <= span.end_char]
        sent_dates = [d for d in dates if span.start_char <= d.start and d.end <= span.end_char]
        if not sent_dates and not any(can_be_site(m, span.doc) for m in in_sent):
            continue
        etype = EventType(name=OTHER, priority=0, verbs=frozenset(), nouns=frozenset())
        event = _make_event(span, Trigger(root, etype, 0, []), in_sent, article)
        if sent_dates:
            ref = _nearest_date(span, sent_dates, root)
            event.set_date(ref.date, ref.precision, ref.text, "stated")
        return [event]
    return []


#: Characters that end a line which is not a hard wrap (a sentence, a quote or a list item ends there).
_LINE_END = ".!?:;\"\u201d\u2019')]"
#: A text is hard-wrapped when at least this share of its inner lines end mid-sentence at width.
_WRAPPED_SHARE = 0.5
#: Shortest line taken for a line cut at width (a shorter one is a headline or a list item).
_WRAP_WIDTH = 40


def _wrapped_text(text: str) -> bool:
    """Lines cut at a fixed width (e-mail, plain-text wire copy): most lines inside a paragraph
    are long and end without sentence punctuation."""
    lines = [ln.rstrip() for ln in text.split("\n")]
    inner = [ln for ln, nxt in zip(lines, lines[1:]) if ln.strip() and nxt.strip()]
    if len(inner) < 3:
        return False
    cut = sum(1 for ln in inner if len(ln) >= _WRAP_WIDTH and ln[-1] not in _LINE_END)
    return cut >= _WRAPPED_SHARE * len(inner)


def _is_wrap(text: str, at: int, wrapped: bool) -> bool:
    """Is the line break at ``text[at]`` a hard wrap inside a sentence (not a paragraph, headline
    or list break)? One newline only, the line before ends mid-sentence, and the next line goes on
    in lower case or the whole text is hard-wrapped."""
    before = text[:at].rstrip(" \t")
    after = text[at + 1 :].lstrip(" \t")
    if not before or not after or before[-1] in _LINE_END or after[0] == "\n" or before.endswith("\n"):
        return False
    last_line = before[before.rfind("\n") + 1 :]
    return after[0].islower() or (wrapped and len(last_line) >= _WRAP_WIDTH)


def sentence_spans(doc) -> list:
    """spaCy sentences, further cut at line breaks (headlines and datelines are their own lines);
    a hard wrap inside a sentence ("...a castle popular\\nwith tourists") cuts nothing, and
    sentences spaCy split at one are joined again."""
    text = doc.text
    wrapped = _wrapped_text(text)

    def cuts(tok) -> bool:
        if "\n" not in tok.text and "\n" not in tok.whitespace_:
            return False
        at = tok.idx + (tok.text.index("\n") if "\n" in tok.text else len(tok.text) + tok.whitespace_.index("\n"))
        return not _is_wrap(text, at, wrapped)

    spans = []
    for sent in doc.sents:
        begin = None
        for tok in sent:
            if cuts(tok):
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
            spans.append(doc[begin : sent.end])
    joined: list = []
    for span in (s for s in spans if s.text.strip()):
        gap = text[joined[-1].end_char : span.start_char] if joined else ""
        if (
            joined
            and gap.count("\n") == 1
            and not gap.strip()
            and _is_wrap(text, joined[-1].end_char + gap.index("\n"), wrapped)
        ):
            joined[-1] = doc[joined[-1].start : span.end]
        else:
            joined.append(span)
    return joined


def event_id(doc_id: str, sent_start: int, sent_end: int) -> str:
    """Stable id: the same sentence of the same document always gets the same id."""
    return hashlib.sha1(f"{doc_id}:{sent_start}:{sent_end}".encode()).hexdigest()[:16]


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


def _source(span, article: Article) -> SourceRef:
    return SourceRef(
        doc_id=article.doc_id,
        sentence=span.text,
        sent_start=span.start_char,
        sent_end=span.end_char,
        title=article.title,
        url=article.url,
        published=article.published,
    )


def _make_event(
    span, trigger: Trigger, mentions: list[Mention], article: Article, dateline: Mention | None = None
) -> Event:
    actors, targets = actors_targets(trigger.token, span.doc)
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
        places=sentence_places(trigger, mentions, span.doc, dateline),
        sources=[_source(span, article)],
    )


def _absorb(
    event: Event,
    span,
    mentions: list[Mention],
    trigger: Trigger | None,
    article: Article,
    dateline: Mention | None = None,
) -> None:
    """Add a continuing sentence to the event it continues: its source and places."""
    event.sources.append(_source(span, article))
    new = sentence_places(trigger, mentions, span.doc, dateline)
    if trigger is None or trigger.etype.name == STATEMENT:
        # A continuation's location phrases ("on a visit to the Iraqi capital") still place the event.
        attached = [m for m in mentions if m.role == "location" and in_location_phrase(m, span.doc)]
        new = place_roles(attached, [ep.mention for ep in new if ep.mention not in attached], span.doc)
    event.places = unique_places(event.places + new)


def sentence_places(
    trigger: Trigger | None, mentions: list[Mention], doc, dateline: Mention | None = None
) -> list[EventPlace]:
    """Places of an event told in one sentence.

    The places attached to the trigger are the event's. When none of them is resolved below
    country level, the sentence's own location mentions join them ("Two were killed … in Kaski"):
    every place that is not an actor or a modifier, except a country or continent that is only
    mentioned (a country counts only inside a location phrase, "protests in Chad"). The
    article's ``dateline`` joins only when the sentence has no other site: it says where the
    reporter is, and the text may place the event elsewhere. Broader ones become context.
    """
    attached = trigger.places if trigger else []
    others = [
        m
        for m in mentions
        if m.role == "location" and m not in attached and not any(is_actor_like(t) for t in mention_tokens(m, doc))
    ]
    if trigger is not None and not any(m.place is not None and not is_coarse(m.place) for m in attached):
        promoted = [m for m in others if can_be_site(m, doc)]
        if dateline in promoted and (len(promoted) > 1 or any(m.place is not None for m in attached)):
            promoted.remove(dateline)
        attached = attached + promoted
        others = [m for m in others if m not in promoted]
    return place_roles(attached, others, doc)
