"""Walks over a sentence's dependency parse, shared by triggers, places and actors."""

from __future__ import annotations

from geomap.records import Mention


def clause_of(tok):
    """The clause an event noun lives in: 'launched strikes' → launched."""
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("dobj", "nsubj", "nsubjpass", "attr"):
        if tok.head.pos_ in ("VERB", "AUX"):
            return tok.head
    return tok


def hops_to(mention: Mention, target, doc) -> int:
    """Dependency arcs from the mention up to ``target`` (or to its clause, one more); 99 if none."""
    best = 99
    for tok in mention_tokens(mention, doc):
        cur, hops = tok, 0
        while cur.i != target.i and cur.head.i != cur.i and hops < 50:
            cur, hops = cur.head, hops + 1
        if cur.i == target.i:
            best = min(best, hops)
    if best == 99 and clause_of(target).i != target.i:
        return hops_to(mention, clause_of(target), doc) + 1
    return best


def mention_tokens(mention: Mention, doc):
    """The mention's tokens whose heads lie outside it (its roots in the parse)."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return []
    return [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i]
