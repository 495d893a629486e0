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
    """ "No casualties", "killed no one", "nobody was injured", "did not attack"."""
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
#: Words whose infinitive tells what is meant or expected to happen, not what did ("plans to
#: deploy", "is scheduled to arrive", "sought to send", "prepare to meet").
_INTENT = {
    "plan",
    "expect",
    "schedule",
    "intend",
    "seek",
    "want",
    "aim",
    "hope",
    "prepare",
    "propose",
    "vow",
    "promise",
    "pledge",
    "wish",
    "set",
    "due",
    "likely",
    "go",
    "decide",
    "agree",
    "need",
}
#: Verbs that bring about what their object names ("will hold talks", "not to make a statement").
LIGHT_VERBS = {"hold", "make", "stage", "conduct", "carry", "launch", "issue", "give", "have", "organize", "organise"}
#: Nouns that name an event whatever modifies them ("a picketing campaign", "a shooting spree").
EVENT_HEADS = {
    "campaign",
    "action",
    "spree",
    "wave",
    "series",
    "operation",
    "incident",
    "mission",
    "episode",
    "event",
    "sit-in",
    "march",
    "rally",
}
#: Heads of "for" that ask for what follows ("called for talks", "cleared the way for a ceasefire").
_ASKING_FOR = {"call", "push", "press", "appeal", "way", "prepare", "plan", "demand"}


def _unreal_clause(verb) -> bool:
    """A verb that tells what may, will or is meant to happen, not what did: a modal ("will
    meet", "could take", "would extend"), or an infinitive ("to testify", "sought to send",
    "is scheduled to arrive"), unless after a verb that makes it happen ("managed to flee")."""
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    if any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children):
        return True
    if verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        head = verb.head
        return head.i != verb.i and (head.lemma_.lower() in _INTENT or any(c.dep_ == "neg" for c in head.children))
    return False


def _eventive(noun, taxonomy: Taxonomy) -> bool:
    """Does this noun name an event (a trigger, an event head, or what a light verb brings about)?"""
    if taxonomy.lookup(noun.lemma_, noun.pos_) is not None or noun.lemma_.lower() in EVENT_HEADS:
        return True
    return noun.dep_ in ("dobj", "nsubjpass") and noun.head.lemma_.lower() in LIGHT_VERBS


def _modifier_or_metaphor(tok, taxonomy: Taxonomy) -> bool:
    """An event word that names no event here: a modifier of a noun that is no event ("a
    fighting star", "a landslide win", "life-threatening emergencies"), or a hazard noun used as
    a quantity ("a storm of criticism", "a flood of complaints")."""
    head = tok.head
    if (
        tok.dep_ in ("amod", "compound", "nmod")
        and head.i != tok.i
        and head.pos_ in ("NOUN", "PROPN")
        and not _eventive(head, taxonomy)
    ):
        return True
    if (
        tok.pos_ == "NOUN"
        and taxonomy.lookup(tok.lemma_, "NOUN") is not None
        and taxonomy.lookup(tok.lemma_, "NOUN").name == "disaster"
    ):
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                if any(g.dep_ == "pobj" and g.ent_type_ not in ("GPE", "LOC", "FAC", "DATE") for g in prep.children):
                    return True
    return False


#: Trigger words whose sense a dependent sets to one that is no event of their type: the
#: dependency, and the lemmas that select the other sense. "Cardiac arrest" is a medical condition;
#: a camera or a witness "captures" video, footage or a moment, an army a town or its defenders.
OTHER_SENSES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "arrest": (
        frozenset({"amod", "compound"}),
        frozenset({"cardiac", "respiratory", "cardiopulmonary", "pulmonary", "heart", "circulatory"}),
    ),
    "capture": (
        frozenset({"dobj", "nsubjpass"}),
        frozenset(
            {
                "video",
                "footage",
                "image",
                "photo",
                "photograph",
                "picture",
                "moment",
                "scene",
                "audio",
                "sound",
                "recording",
                "shot",
                "attention",
                "imagination",
                "mood",
                "spirit",
                "essence",
                "likeness",
                "title",
                "award",
                "medal",
                "trophy",
                "vote",
                "share",
            }
        ),
    ),
}


def _other_sense(tok) -> bool:
    """The trigger's object or modifier gives it a sense that is no event ("cardiac arrest",
    "captured video of the scene"); a passive trigger's subject counts as its object."""
    sense = OTHER_SENSES.get(tok.lemma_.lower())
    if sense is None:
        return False
    deps, lemmas = sense
    if any(c.dep_ in deps and c.lemma_.lower() in lemmas for c in tok.children):
        return True
    if "dobj" in deps and not any(c.dep_ == "dobj" for c in tok.children):
        # a verb the parser left without an object: its first noun after it stands in
        # ("accounts captured video of him acting", parsed with "video" as the subject of "acting")
        first = next((t for t in tok.subtree if t.i > tok.i and t.pos_ in ("NOUN", "PROPN")), None)
        return first is not None and first.lemma_.lower() in lemmas
    return False


def _hypothetical(tok, taxonomy: Taxonomy) -> bool:
    if _negated(tok):
        return True
    if tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.lower_ in ANCHOR_PREPS:
        return True  # "Following the attack, officials announced a curfew": the curfew is the news
    if (
        tok.pos_ == "NOUN"
        and tok.dep_ == "pobj"
        and tok.head.lower_ == "for"
        and tok.head.head.lemma_.lower() in _ASKING_FOR
    ):
        return True  # "called for talks", "cleared the way for a ceasefire": sought, not held
    if (
        tok.pos_ == "NOUN"
        and tok.dep_ == "pobj"
        and tok.head.lower_ == "for"
        and tok.head.head.pos_ == "NOUN"
        and taxonomy.lookup(tok.head.head.lemma_, "NOUN") is None
    ):
        return True  # "in retaliation for the assassination": the cause of the news, told before
    if _unreal_clause(tok):
        return True
    if (
        tok.pos_ == "NOUN"
        and tok.dep_ == "dobj"
        and tok.head.lemma_.lower() in LIGHT_VERBS
        and (_unreal_clause(tok.head) or _negated(tok.head))
    ):
        return True  # "will hold talks", "chose not to make a statement"
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
        if etype is None or _hypothetical(tok, taxonomy) or _modifier_or_metaphor(tok, taxonomy) or _other_sense(tok):
            continue
        candidates.append(Trigger(tok, etype, _depth(tok, span), attached_places(tok, etype, mentions, span.doc)))
    # "An earthquake struck X": a hazard noun names the event and the verb only says it happened.
    hazards = {c.token.i for c in candidates if c.etype.name == "disaster" and c.token.pos_ == "NOUN"}
    candidates = [
        c
        for c in candidates
        if not (
            c.etype.name == "strike"
            and c.token.pos_ == "VERB"
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
