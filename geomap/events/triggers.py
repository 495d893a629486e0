"""Which word of a sentence tells what happened: the trigger and its event type."""

from __future__ import annotations

from dataclasses import dataclass

from geomap.events.modality import irrealis, negated, unreal_report
from geomap.events.places import attached_places
from geomap.events.syntax import hops_to
from geomap.events.taxonomy import STATEMENT, EventType, Taxonomy
from geomap.records import Mention

#: Words that make a trigger hypothetical rather than something that happened.
_IRREALIS_MODS = {"potential", "possible", "future", "further", "more", "any", "new"}
_IRREALIS_HEADS = {"fear", "prevent", "avoid", "risk", "deter", "threaten", "protect"}
#: Nouns that tell what they name as said by someone, not as what happened ("allegations of
#: targeting civilians", "rumours of a coup").
_CLAIM_NOUNS = {"allegation", "accusation", "claim", "rumor", "rumour", "speculation"}


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
#: A verb's particle, object or predicative that forms a two-word trigger with it ("shot down",
#: "set fire", "found dead").
_PARTNER_DEPS = {"prt", "dobj", "compound:prt", "oprd", "acomp"}


def trigger_lemma(tok) -> str:
    """The token's lemma, with a hyphenated "re-" the tokenizer split off put back ("re-opened" →
    "reopen", as written unhyphenated); lowercase."""
    doc = tok.doc
    if (
        tok.i >= 2
        and doc[tok.i - 1].text == "-"
        and doc[tok.i - 2].lower_ == "re"
        and not doc[tok.i - 2].whitespace_
        and not doc[tok.i - 1].whitespace_
    ):
        return "re" + tok.lemma_.lower()
    return tok.lemma_.lower()


def partner_lemma(tok) -> str:
    """The particle or object lemma of a verb, for two-word triggers; '' when there is none."""
    for c in tok.children:
        if c.dep_ in _PARTNER_DEPS:
            return c.lemma_.lower()
    return ""


#: Prepositions that make an event noun a time anchor for another event ("after the attack, …").
ANCHOR_PREPS = {"following", "after", "since", "before", "despite", "amid"}
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
    """A verb told as what may, will or is meant to happen (:func:`modality.irrealis`)."""
    return verb.pos_ in ("VERB", "AUX") and irrealis(verb)


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
    "release": (
        frozenset({"compound", "amod", "nmod"}),
        frozenset({"news", "press", "media"}),
    ),
    "charge": (
        frozenset({"dobj", "nsubjpass"}),
        frozenset({"rate", "fee", "price", "cost", "tax", "interest", "rent", "fare", "premium", "battery", "phone"}),
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
    if tok.dep_ == "acl" and tok.tag_ == "VBN" and deps & {"dobj", "nsubjpass"}:
        # a passive participle's noun is its object: "rates charged by utilities", "video captured by"
        return tok.head.lemma_.lower() in lemmas
    if "dobj" in deps and not any(c.dep_ == "dobj" for c in tok.children):
        # a verb the parser left without an object: its first noun after it stands in
        # ("accounts captured video of him acting", parsed with "video" as the subject of "acting")
        first = next((t for t in tok.subtree if t.i > tok.i and t.pos_ in ("NOUN", "PROPN")), None)
        return first is not None and first.lemma_.lower() in lemmas
    return False


def _a_text(tok, taxonomy: Taxonomy) -> bool:
    """An event noun that names a text or a speaker, not a happening: the subject of a reporting
    verb ("the release said", "the indictment states", "protesters said") or the source of
    "according to". What the speaker reports is told by its own words."""
    if tok.pos_ != "NOUN":
        return False
    statement = taxonomy.types.get(STATEMENT)
    head = tok.head
    if tok.dep_ == "nsubj" and statement is not None and head.lemma_.lower() in statement.verbs:
        return True
    return tok.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according"


#: Verbs whose object they bring into being: light verbs, and facing or showing what is not yet there.
_MAKING = LIGHT_VERBS | {"face", "display", "send", "post", "show", "broadcast", "publish"}
#: Determiners that point at something already there ("the attack", "this raid").
_DEFINITE = {"the", "this", "that", "these", "those"}


def _unreal_object(tok) -> bool:
    """An event noun that a plan or a possibility would bring about or take part in: the
    indefinite object of an irrealis verb that makes or faces it ("will face charges", "will
    display a warning"), or any event an irrealis verb takes part in ("will join the protest",
    "then take part in the town hall meeting"). A definite object of making names what is
    already there, and other verbs act on what exists ("was trying to defuse a bomb")."""
    if tok.pos_ != "NOUN":
        return False
    cur = tok
    while cur.dep_ == "conj" and cur.head.pos_ in ("NOUN", "PROPN"):
        cur = cur.head
    if cur.dep_ == "dobj":
        verb = cur.head
    elif cur.dep_ == "pobj" and cur.head.lower_ == "in" and cur.head.head.pos_ in ("VERB", "AUX"):
        verb = cur.head.head  # "take part in", "participate in"
    else:
        return False
    if verb.pos_ not in ("VERB", "AUX") or not irrealis(verb):
        return False
    if _takes_part(verb, cur):
        return True  # one takes part in an event while it happens: "will join the protest"
    if cur.dep_ != "dobj" or verb.lemma_.lower() not in _MAKING:
        return False
    return not any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in _DEFINITE) for c in cur.children)


#: Verbs of taking part in an event, which happens when they do ("will attend the rally").
_TAKING_PART = {"attend", "join", "participate", "lead", "chair", "address", "cover"}


def _takes_part(verb, noun) -> bool:
    """ "attend the rally", "join the protest", "take part in the meeting", "participate in talks"."""
    lemma = verb.lemma_.lower()
    if noun.dep_ == "dobj":
        return lemma in _TAKING_PART
    return lemma == "participate" or (
        lemma == "take" and any(c.dep_ == "dobj" and c.lower_ == "part" for c in verb.children)
    )


def _an_example(tok) -> bool:
    """An event noun listed after "such as" names a kind of event, not one that happened
    ("disasters such as floods and earthquakes", "trained in skills such as water search")."""
    cur = tok
    while cur.dep_ == "conj" and cur.head.i != cur.i:
        cur = cur.head
    prep = cur.head
    return (
        tok.pos_ == "NOUN"
        and cur.dep_ == "pobj"
        and prep.lower_ == "as"
        and prep.i > 0
        and tok.doc[prep.i - 1].lower_ == "such"
    )


def _indefinite(tok) -> bool:
    """A noun with no definite determiner or possessor ("a hearing", "talks"), which names
    something not yet there when a plan governs it ("the attack" is already there)."""
    return tok.pos_ == "NOUN" and not any(
        c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in _DEFINITE) for c in tok.children
    )


def _listed_with(tok):
    """The first of the nouns or gerunds ``tok`` is listed with ("fires, threats or alerts")."""
    cur = tok
    while cur.dep_ == "conj" and cur.head.i != cur.i and cur.head.pos_ == cur.pos_:
        cur = cur.head
    return cur


def _kinds_listed(tok) -> bool:
    """Event nouns that a present-tense "include" lists name kinds of event, not events
    ("Situations that could prompt an alert include forest fires and terrorist threats")."""
    first = _listed_with(tok)
    verb = first.head
    return (
        _indefinite(tok) and first.dep_ == "dobj" and verb.lemma_.lower() == "include" and verb.tag_ in ("VBZ", "VBP")
    )


def _claimed(tok) -> bool:
    """An event told only as someone's claim: the object of "of" after an allegation, an
    accusation, a claim or a rumour ("allegations of using power and targeting civilians")."""
    first = _listed_with(tok)
    if first.dep_ not in ("pobj", "pcomp") or first.head.lower_ != "of":
        return False
    return first.head.head.lemma_.lower() in _CLAIM_NOUNS


def _hypothetical(tok, taxonomy: Taxonomy) -> bool:
    if negated(tok) or _an_example(tok):
        return True
    if _a_text(tok, taxonomy):
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
    if _unreal_clause(tok) or _unreal_object(tok) or _kinds_listed(tok) or _claimed(tok):
        return True
    if tok.pos_ == "NOUN" and tok.dep_ == "pobj":
        owner = tok.head.head
        if owner.pos_ in ("VERB", "AUX") and _unreal_clause(owner):
            # what a plan is for or about: "prepare to meet next month for a hearing", "will be
            # tried for murder" (an act it names is told elsewhere, if at all); the object of a
            # try acts on what exists ("was trying to defuse a bomb") and stays
            return True
        if owner.pos_ == "NOUN" and owner.i != tok.i and taxonomy.lookup(owner.lemma_, "NOUN") is not None:
            if _hypothetical(owner, taxonomy):
                return True  # "for a hearing on the attack": the topic of an event not held
    if (
        tok.pos_ == "NOUN"
        and tok.dep_ == "dobj"
        and tok.head.lemma_.lower() in LIGHT_VERBS
        and (_unreal_clause(tok.head) or negated(tok.head))
    ):
        return True  # "will hold talks", "chose not to make a statement"
    if any(c.dep_ == "amod" and c.lemma_.lower() in _IRREALIS_MODS for c in tok.children):
        return True
    if tok.dep_ in ("acl", "compound") and any(
        c.dep_ == "amod" and c.lemma_.lower() in _IRREALIS_MODS for c in tok.head.children
    ):
        return True  # "a possible gang initiation shooting": the modifier holds for the phrase
    head = tok.head
    if tok.dep_ == "pobj":
        head = head.head
    return head.i != tok.i and head.lemma_.lower() in _IRREALIS_HEADS


def _in_adverbial_clause(tok) -> bool:
    """Is the token inside an adverbial clause that a conjunction introduces ("charged with arson
    after fires burned 260 acres", "when the roof collapsed")? Such a clause tells the
    circumstance of the main clause's event, not the sentence's event ("died trying to defuse a
    bomb", with no conjunction, is not one)."""
    cur = tok
    while cur.head.i != cur.i:
        if cur.dep_ == "advcl" and any(ch.dep_ == "mark" for ch in cur.children):
            return True
        cur = cur.head
    return False


def best_trigger(span, mentions: list[Mention], taxonomy: Taxonomy) -> Trigger | None:
    candidates = []
    for tok in span:
        if tok.ent_type_ in _NOT_EVENT_ENTS:
            continue  # "March 2" is a date, "Strike Force" a name
        lemma = trigger_lemma(tok)
        etype = taxonomy.lookup(lemma, tok.pos_, partner_lemma(tok) if tok.pos_ == "VERB" else "")
        if etype is None and lemma != tok.lemma_.lower():
            # "re-arrested", "re-elected": done again, an event of the same kind
            etype = taxonomy.lookup(tok.lemma_, tok.pos_, partner_lemma(tok) if tok.pos_ == "VERB" else "")
        if etype is None or _hypothetical(tok, taxonomy) or _modifier_or_metaphor(tok, taxonomy) or _other_sense(tok):
            continue
        if etype.name == STATEMENT and unreal_report(tok, etype.verbs):
            continue  # "It will remain closed, Swink said": a plan or a possibility, reported
        if etype.name == STATEMENT and tok.dep_ == "pobj" and tok.head.head.lemma_.lower() in etype.verbs:
            continue  # "said in a statement": the verb tells that report
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
        key = (
            trig.etype.name != STATEMENT,
            not _in_adverbial_clause(trig.token),
            bool(trig.places),
            -trig.depth,
            trig.etype.priority,
        )
        if best_key is None or key > best_key:
            best, best_key = trig, key
    return best
