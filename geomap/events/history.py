"""Background: is an event history the article recalls, or its news?

News tells what happened in the weeks before publication, in the simple past or the present
perfect, often with its day ("On January 8, the IRGC launched strikes"). History is marked,
either by its date or by the clause that tells it:

* by the date: the event's period (day, month or year) lies in an earlier year than publication
  and ended before the article's news window (``dates.NEWS_BEFORE_DAYS``): "in November 2007" in
  a 2009 article;
* by a year-only date of an earlier year ("In 2017, Venezuela signed …", "last year", "three
  years ago"): news is told by the day, a bare year of the past is history whatever its distance;
* by the clause (:func:`history_cue`): a strong cue marks history whatever the date ("decades
  ago", "on the anniversary of the massacre", "since the war began", "he recalled the siege");
  a weak one ("had been flooded", "the previous toll", "earlier this year") only when the
  event's date also ended before the news window, since news uses them for the days just gone
  ("by Sunday the fire had burned 300 homes").

Past perfect in what someone said is the reporting tense, not history ("said 110 troops had
been diagnosed"): it is no cue under a statement verb.
"""

from __future__ import annotations

import datetime as dt

from geomap.dates import before_news_window
from geomap.events.syntax import clause_of

#: Verbs of remembering: what they govern is history ("recalled the siege of 1982").
_RECALL_LEMMAS = {"recall", "remember", "recount", "commemorate"}
#: Nouns whose complement is history ("the anniversary of the massacre").
_HISTORY_NOUNS = {"anniversary", "memory", "memorial", "legacy", "history"}
#: Units of "… ago" long enough to be history ("years ago", "decades ago"; "days ago" is news).
_LONG_AGO = {"year", "decade", "century", "generation"}
#: Modifiers that place a noun's event before the news ("the previous toll", "an earlier attack").
_EARLIER_ADJ = {"previous", "earlier", "former", "prior", "past"}


def recalled_by_date(date: dt.date | None, precision: str, published: dt.date | None) -> bool:
    """Does the date alone mark history (see the module doc)?"""
    if date is None or published is None or date.year >= published.year:
        return False
    return precision == "year" or before_news_window(date, precision, published)


def history_cue(trigger, statement_verbs=frozenset()) -> str:
    """The history cue of the clause that tells the event at ``trigger`` (a spaCy token):
    "strong", "weak" or "" (see the module doc). ``statement_verbs`` are the lemmas of
    reporting verbs, under which past perfect is the reporting tense."""
    verb = clause_of(trigger)
    # strong: the trigger lies under a since-clause, "… ago", an anniversary or a verb of remembering
    tok, hops = trigger, 0
    while tok.head.i != tok.i and hops < 12:
        head = tok.head
        lemma = head.lemma_.lower()
        if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "since" for c in tok.children):
            return "strong"  # "since the war began"
        if head.lower_ == "since" and tok.dep_ in ("pobj", "pcomp"):
            return "strong"  # "since the 2003 invasion"
        if head.pos_ == "NOUN" and lemma in _HISTORY_NOUNS and tok.dep_ in ("pobj", "pcomp", "prep", "poss"):
            return "strong"
        if head.pos_ == "VERB" and lemma in _RECALL_LEMMAS and tok.dep_ in ("dobj", "ccomp"):
            return "strong"  # "recalled the siege", "remembered how troops had stormed"
        tok, hops = head, hops + 1
    for child in verb.children:
        if child.dep_ == "advmod" and child.lower_ == "ago":
            if any(t.lemma_.lower() in _LONG_AGO for t in child.subtree):
                return "strong"  # "decades ago", "many years ago" (a number of years is a date)
    # weak: past perfect outside reported speech, or an event noun marked as earlier
    if _past_perfect(verb) and not _reported(verb, statement_verbs):
        return "weak"
    if any(c.dep_ == "amod" and c.lower_ in _EARLIER_ADJ for c in trigger.children):
        return "weak"
    if trigger.dep_ == "relcl" and any(c.dep_ == "amod" and c.lower_ in _EARLIER_ADJ for c in trigger.head.children):
        return "weak"  # "the previous toll that had been announced"
    return ""


def is_background(date: dt.date | None, precision: str, basis: str, published: dt.date | None, cue: str) -> bool:
    """Is an event with this date (``basis``: stated, carried or published) and clause cue history?"""
    if cue == "strong":
        return True
    own = basis in ("stated", "carried") and date is not None
    if not own or published is None:
        return False
    if recalled_by_date(date, precision, published):
        return True
    return cue == "weak" and before_news_window(date, precision, published)


def _past_perfect(verb) -> bool:
    """'had launched', 'had been diagnosed': the auxiliary 'had' with a past participle."""
    if verb.tag_ != "VBN":
        return False
    return any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in verb.children)


def _reported(verb, statement_verbs) -> bool:
    """Is the clause what someone said ("said that 110 troops had been diagnosed")?"""
    tok, hops = verb, 0
    while tok.head.i != tok.i and hops < 6:
        if tok.dep_ in ("ccomp", "xcomp", "parataxis") and tok.head.lemma_.lower() in statement_verbs:
            return True
        if tok.dep_ not in ("ccomp", "xcomp", "conj", "parataxis", "advcl"):
            return False
        tok, hops = tok.head, hops + 1
    return False
