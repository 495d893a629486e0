"""Toponym resolution: pick each mention's place from its gazetteer candidates, in context.

A candidate's score adds up evidence a reader would use:

- a prior for what the name usually means out of context: countries and first-level regions over
  towns, big towns over small ones (log population);
- the document's geography: how much of the document is about the candidate's country, whether
  its first-level region is named in the document ("Paris" beside "Texas"), whether a county the
  document names lies around it ("Paris" beside "Lamar County"); states and counties count when
  the text names them even if no mention does (a gold span alone, a state the recognizer missed);
- the local pattern "X, Y" ("Paris, Texas"): X lies in Y;
- distance to the places chosen for the other mentions (a second pass);
- the recognizer's hints: "the Iraqi capital", "Iraqi Kurdistan", a facility head.

Scores become probabilities with a softmax; the winner's probability is the mention's
confidence. Mentions of the same name in one document share one resolution.

The package, one job a module:

- :mod:`~geomap.resolve.context`: what the document says around the names (same-name groups, the
  countries its unambiguous names vouch for, the states and counties it names, "X, Y", "X (Y)",
  town and state words);
- :mod:`~geomap.resolve.candidates`: a mention's gazetteer candidates;
- :mod:`~geomap.resolve.features`: the ranker's and the confidence model's features;
- :mod:`~geomap.resolve.confidence`: the weights of both and the confidence model (``geomap/nlp/ranker.json``);
- :mod:`~geomap.resolve.ranking`: :class:`Resolver`, the scoring rounds;
- :mod:`~geomap.resolve.training`: fitting the weights on gold corpora
  (``python -m geomap.resolve.training``; imported on demand, it needs numpy).
"""

from __future__ import annotations

from geomap.resolve.confidence import RANKER_FILE, Weights
from geomap.resolve.context import group_key
from geomap.resolve.features import (
    CONFIDENCE_FEATURES,
    CUE_SOURCES,
    FEATURES,
    KIND_FEATURE,
    MAX_MARGIN,
    POPULATION_SCALE,
    PROXIMITY_KM,
    READING,
    confidence_features,
    reading_features,
)
from geomap.resolve.ranking import ROUNDS, Resolver

__all__ = [
    "CONFIDENCE_FEATURES",
    "CUE_SOURCES",
    "FEATURES",
    "KIND_FEATURE",
    "MAX_MARGIN",
    "POPULATION_SCALE",
    "PROXIMITY_KM",
    "RANKER_FILE",
    "READING",
    "ROUNDS",
    "Resolver",
    "Weights",
    "confidence_features",
    "group_key",
    "reading_features",
]
