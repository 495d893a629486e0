"""Who acted and who was acted on, from the trigger's dependency structure."""

from __future__ import annotations

import re

from geomap.events.syntax import clause_of

_ACTOR_LABELS = {"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC"}


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


def actors_targets(trigger, doc) -> tuple[list[str], list[str]]:
    actors: list[str] = []
    targets: list[str] = []
    scope = clause_of(trigger)
    for clause in {trigger.i: trigger, scope.i: scope}.values():
        for child in clause.children:
            if child.dep_ in ("nsubj", "agent") and child.i != trigger.i:
                actors += (
                    _np_entities(child, doc)
                    if child.dep_ == "nsubj"
                    else [e for g in child.children if g.dep_ == "pobj" for e in _np_entities(g, doc)]
                )
            elif child.dep_ in ("dobj", "nsubjpass") and child.i != trigger.i:
                targets += _np_entities(child, doc)
            elif child.dep_ == "prep" and child.lower_ in ("by", "against", "on", "of"):
                for g in child.children:
                    if g.dep_ == "pobj":
                        (actors if child.lower_ == "by" else targets).extend(_np_entities(g, doc))
            elif clause.i == trigger.i and child.dep_ in ("poss", "compound") and trigger.pos_ == "NOUN":
                actors += _np_entities(child, doc)
    return list(dict.fromkeys(actors)), [t for t in dict.fromkeys(targets) if t not in actors]
