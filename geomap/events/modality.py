"""Is a clause told as something that happened (realis), or as meant, expected, possible or said
to come (irrealis)? Read from the parse: modal auxiliaries, infinitives, conjunctions and
participles that share their clause's mood, and reported speech whose content is all irrealis.

* A modal ("will meet", "could die", "would extend") makes its verb irrealis.
* An infinitive shares the mood of the verb over it ("took to the streets to protest" happened,
  "will travel to Washington to testify" did not yet), and is irrealis under a plan, an attempt,
  a request or a denial ("plans to visit", "tried to arrest", "urged them to surrender"), an act
  still under way ("are heading to Gaza to meet"), a noun or an adjective ("fighters to
  surrender", "likely to resign").
* A verb joined to an irrealis one shares its mood ("to deliver aid and meet with residents"),
  and so does a participle that opens a clause whose main verb tells a plan ("Making his first
  visit, the president is scheduled to arrive").
* What someone said is no event when all it reports is irrealis or denied ("It will remain
  closed, Swink said"; "said he will be charged"): the sentence tells a plan or a possibility.
"""

from __future__ import annotations

#: Words whose infinitive tells what is meant or expected to happen, not what did ("plans to
#: deploy", "is scheduled to arrive", "sought to send", "prepare to meet").
INTENT = {
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
#: Verbs over an infinitive that leave it undone: trying, failing, refusing, offering, and asking
#: or telling someone to do it ("tried to arrest", "urged them to surrender", "asked to testify").
UNREALIZED = {
    "try",
    "attempt",
    "fail",
    "refuse",
    "decline",
    "threaten",
    "offer",
    "ask",
    "urge",
    "persuade",
    "order",
    "tell",
    "invite",
    "encourage",
    "call",
    "warn",
    "allow",
    "permit",
    "request",
    "demand",
}
#: Words that make a phrase mean nothing happened ("no casualties", "killing no one", "nobody was hurt").
NONE_WORDS = {"no", "neither", "nor", "nobody", "none", "nothing", "zero"}
#: Adjectives that make a copula's clause a possibility, not a fact ("it was unlikely he will pay").
MODAL_ADJECTIVES = {"likely", "unlikely", "possible", "impossible", "probable", "improbable", "uncertain"}
#: How far up a chain of conjuncts and participles the mood is looked for.
_MAX_HOPS = 6


def has_modal(verb) -> bool:
    """ "will meet", "could take", "would extend", "may have died"."""
    return any(c.dep_ in ("aux", "auxpass") and c.tag_ == "MD" for c in verb.children)


def _infinitive(verb) -> bool:
    return verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _negated(verb) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def negated(tok) -> bool:
    """ "No casualties", "killed no one", "nobody was injured", "did not attack"."""
    if _negated(tok):
        return True
    if any(c.dep_ == "det" and c.lower_ in NONE_WORDS for c in tok.children):
        return True
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass", "dobj") and (
            c.lower_ in NONE_WORDS or any(g.dep_ == "det" and g.lower_ in NONE_WORDS for g in c.children)
        ):
            return True
    return False


def _progressive(verb) -> bool:
    """ "are heading", "women going to Gaza": an act under way, whose purpose lies ahead."""
    if verb.tag_ != "VBG":
        return False
    return verb.dep_ == "acl" or any(c.dep_ == "aux" and c.lemma_.lower() == "be" for c in verb.children)


def _modal_perfect(verb) -> bool:
    """ "may have had", "could have been exploited": a claim about the past, not a plan."""
    return has_modal(verb) and any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children)


def plans(verb) -> bool:
    """A verb of intent that governs an infinitive: "is scheduled to arrive", "plans to visit"."""
    return verb.lemma_.lower() in INTENT and any(c.dep_ == "xcomp" and _infinitive(c) for c in verb.children)


def irrealis(verb) -> bool:
    """Is this verb (or auxiliary) told as what may, will or is meant to happen (module doc)?"""
    cur = verb
    for _ in range(_MAX_HOPS):
        if cur.pos_ not in ("VERB", "AUX"):
            return False
        if has_modal(cur):
            return True
        head = cur.head
        if _infinitive(cur):
            # an infinitive happens when the verb over it does ("took to the streets to protest",
            # "managed to flee"), not under a plan, an attempt, a request or a denial ("plans to
            # visit", "tried to arrest", "urged them to surrender", "did not agree to"), nor under a
            # noun or an adjective ("fighters to surrender", "likely to resign")
            lemma = head.lemma_.lower()
            if head.i == cur.i and any(c.dep_ in ("nsubj", "nsubjpass") for c in cur.children):
                # a root infinitive with a subject is a finite clause the parser cut ("Residents
                # of Wajir gather to protest"); a headline plan ("Minister to visit Erbil") reads
                # the same, and only where a headline stands is it told apart (headline_plan)
                return False
            if (
                head.i == cur.i
                or head.pos_ not in ("VERB", "AUX")
                or lemma in INTENT
                or lemma in UNREALIZED
                or _negated(head)
                or _progressive(head)
            ):
                return True
            cur = head
            continue
        if head.i == cur.i:
            return False
        own = any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "mark") for c in cur.children)
        if cur.dep_ in ("conj", "dep") and head.pos_ in ("VERB", "AUX") and not own:
            if cur.tag_ == "VB" and plans(head):
                # a bare verb with no tense of its own beside a plan's infinitive continues it
                # ("is scheduled to arrive at 3 p.m., then take part in the meeting")
                return True
            cur = head  # "to deliver aid and meet with residents": no subject or tense of its own
            continue
        if cur.dep_ in ("advcl", "xcomp") and cur.tag_ in ("VBG", "VBN") and not own:
            # a bare participle shares the time of its main clause: "Making his first visit, he is
            # scheduled to arrive"
            return plans(head) or irrealis(head)
        return False
    return False


#: Tags of a finite verb: one with a tense of its own ("gather", "met", "meets") or a modal.
_FINITE_TAGS = {"VBD", "VBZ", "VBP", "MD"}


def headline_plan(span) -> bool:
    """A headline that announces a plan: its main predicate is an infinitive whose subject is
    the headline's, and no word in it is finite ("Minister to visit Erbil", "Council to vote on
    budget"). The parser reads such a headline either as an infinitive with a subject or as its
    subject noun with the infinitive as a relative clause ("council [that is] to vote"); an
    infinitive that completes a noun ("attempt to force a vote") is no predicate. Whether the
    span is a headline is the caller's to say: a sentence of a story that the parser cut
    ("Residents of Wajir gather to protest") can read the same."""
    if any(t.tag_ in _FINITE_TAGS for t in span):
        return False
    root = span.root
    if root.pos_ in ("VERB", "AUX"):
        return _infinitive(root) and any(c.dep_ in ("nsubj", "nsubjpass") for c in root.children)
    return root.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "relcl" and _infinitive(c) for c in root.children)


def unreal_report(verb, statement_verbs) -> bool:
    """A reporting verb whose every reported clause is irrealis or denied: "It will remain closed
    until it is repaired, Swink said", "Williams said he will be charged". A report with no
    clause of its own ("announced plans", "said in a statement") is not one."""
    if verb.lemma_.lower() not in statement_verbs:
        return False
    content = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX")]
    if not content:
        return False
    return all(_unreal_content(c) for c in content)


def _unreal_content(clause) -> bool:
    """A reported clause that tells no fact: a plan, a possibility or a denial (a modal perfect,
    "users may have had their data exploited", is a claim about the past and counts as told)."""
    if _modal_perfect(clause):
        return False
    if irrealis(clause) or plans(clause) or negated(clause):
        return True
    return clause.lemma_.lower() == "be" and any(
        c.dep_ == "acomp" and c.lemma_.lower() in MODAL_ADJECTIVES for c in clause.children
    )


def told_in_present(verb) -> bool:
    """Is the clause told as it stands at the time of writing, in the present ("are charged",
    "is being sought", "faces charges"), not the past, the present perfect ("there have been
    attacks": past events of no stated time) or a plan? A clause that gives no date of its own
    and speaks in the present is dated by its publication, not by a past date told before it."""
    if verb.pos_ not in ("VERB", "AUX") or has_modal(verb):
        return False
    if verb.tag_ in ("VBZ", "VBP"):
        return True
    return verb.tag_ in ("VBN", "VBG") and any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP") and c.lemma_.lower() == "be" for c in verb.children
    )
