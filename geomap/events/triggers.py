"""Which word of a sentence tells what happened: the trigger and its event type."""

from __future__ import annotations

from dataclasses import dataclass

from geomap.events.places import attached_places
from geomap.events.syntax import hops_to
from geomap.events.taxonomy import STATEMENT, EventType, Taxonomy
from geomap.records import Mention

#: Words that make a trigger hypothetical rather than something that happened.
_IRREALIS_MODS = {"potential", "possible", "future", "further", "more", "any", "new"}
_IRREALIS_HEADS = {"fear", "prevent", "avoid", "risk", "deter", "threaten", "protect"}


@dataclass(slots=True)
class Trigger:
    """A trigger word, its event type, its depth below the sentence root, its attached places."""

    token: object  # spacy Token
    etype: EventType
    depth: int
    places: list[Mention]


def _depth(tok, span) -> int:
    depth = 0
    while tok.head.i != tok.i and span.start <= tok.head.i < span.end and depth < 50:
        tok, depth = tok.head, depth + 1
    return depth


#: Entity labels whose words never trigger an event.
_NOT_EVENT_ENTS = {"DATE", "TIME", "PERSON", "ORG", "WORK_OF_ART", "LAW", "PRODUCT"}
#: Words that make a phrase mean nothing happened ("no casualties", "killing no one", "nobody was hurt").
_NONE_WORDS = {"no", "neither", "nor", "nobody", "none", "nothing", "zero"}
#: A verb's particle or object that forms a two-word trigger with it ("shot down", "set fire").
_PARTNER_DEPS = {"prt", "dobj", "compound:prt"}


def _negated(tok) -> bool:
    """"No casualties", "killed no one", "nobody was injured", "did not attack"."""
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    if any(c.dep_ == "det" and c.lower_ in _NONE_WORDS for c in tok.children):
        return True
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass", "dobj") and (
            c.lower_ in _NONE_WORDS or any(g.dep_ == "det" and g.lower_ in _NONE_WORDS for g in c.children)
        ):
            return True
    return False


def partner_lemma(tok) -> str:
    """The particle or object lemma of a verb, for two-word triggers; '' when there is none."""
    for c in tok.children:
        if c.dep_ in _PARTNER_DEPS:
            return c.lemma_.lower()
    return ""


#: Prepositions that make an event noun a time anchor for another event ("after the attack, …").
ANCHOR_PREPS = {"following", "after", "since", "before", "despite", "amid"}


def _hypothetical(tok) -> bool:
    if _negated(tok):
        return True
    if tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.lower_ in ANCHOR_PREPS:
        return True  # "Following the attack, officials announced a curfew": the curfew is the news
    if any(c.dep_ == "amod" and c.lemma_.lower() in _IRREALIS_MODS for c in tok.children):
        return True
    head = tok.head
    if tok.dep_ == "pobj":
        head = head.head
    return head.i != tok.i and head.lemma_.lower() in _IRREALIS_HEADS


def best_trigger(span, mentions: list[Mention], taxonomy: Taxonomy) -> Trigger | None:
    candidates = []
    for tok in span:
        if tok.ent_type_ in _NOT_EVENT_ENTS:
            continue  # "March 2" is a date, "Strike Force" a name
        etype = taxonomy.lookup(tok.lemma_, tok.pos_, partner_lemma(tok) if tok.pos_ == "VERB" else "")
        if etype is None or _hypothetical(tok):
            continue
        candidates.append(Trigger(tok, etype, _depth(tok, span), attached_places(tok, etype, mentions, span.doc)))
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
        nearest = min(hops_to(mention, c.token, span.doc) for c in owners)
        for c in owners:
            if hops_to(mention, c.token, span.doc) > nearest:
                c.places = [m for m in c.places if m is not mention]
    best, best_key = None, None
    for trig in candidates:
        key = (trig.etype.name != STATEMENT, bool(trig.places), -trig.depth, trig.etype.priority)
        if best_key is None or key > best_key:
            best, best_key = trig, key
    return best
