"""The ranker's weights and the confidence model: :class:`Weights` and :class:`ConfidenceModel`,
read from ``geomap/nlp/ranker.json`` (fitted by :mod:`geomap.resolve.training`).

The confidence model is a logistic model or gradient-boosted trees over
:data:`~geomap.resolve.features.CONFIDENCE_FEATURES`, stored as plain numbers (coefficients, or
each tree's node arrays; never a pickle), then a calibration map of its log-odds (Platt's two
numbers, or an isotonic step function's knots) fitted on predictions for corpora the model was
not fitted on, so that its probabilities hold on kinds of text it has not seen. Two guards follow
the issue's rules: a small namesake abroad (:data:`ABROAD_SMALL`) is never surer than
:data:`GUARD_BELOW`, and a name matched only loosely is never as sure as the same reading of an
exact one.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from geomap.resolve.features import CONFIDENCE_FEATURES, CONFIDENCE_ONLY, FEATURES, confidence_features
from geomap.tools.trees import leaf_sum

RANKER_FILE = Path(__file__).parent.parent / "nlp" / "ranker.json"
log = logging.getLogger("geomap")


#: ``abroad_small`` at or above this (a town of under ~50,000 people in none of the text's
#: countries) caps the confidence at :data:`GUARD_BELOW`.
ABROAD_SMALL = 1.0 - math.log10(50_001) / 7.0
#: The cap of a guarded pick: below geomap's "check this" threshold (``records.CHECK_BELOW``).
GUARD_BELOW = 0.7
#: A loosely matched name's confidence is at most this share of the exact reading's.
INEXACT_SHARE = 0.9
FORMAT = "geomap-confidence/2"


@dataclass(frozen=True)
class ConfidenceModel:
    """P(the top candidate is right) from a ranking's :data:`CONFIDENCE_FEATURES`.

    ``kind``: ``"logistic"`` (``params``: ``coef``, ``intercept``) or ``"trees"`` (``params``:
    ``init`` and ``trees``, each with ``feature``, ``threshold``, ``left``, ``right``, ``value``
    node arrays; a leaf has ``left`` = -1; a row goes left where its feature is <= the threshold).
    ``calibration``: ``{"kind": "none"}``, ``{"kind": "platt", "a": .., "b": ..}`` (p = σ(a·z + b)
    of the model's log-odds z) or ``{"kind": "isotonic", "x": [..], "y": [..]}`` (linear between
    knots, flat beyond them)."""

    kind: str
    params: dict
    calibration: dict = field(default_factory=lambda: {"kind": "none"})
    features: tuple[str, ...] = CONFIDENCE_FEATURES

    def __post_init__(self) -> None:
        if self.kind not in ("logistic", "trees"):
            raise ValueError(f"unknown confidence model kind {self.kind!r}")
        if self.calibration.get("kind") not in ("none", "platt", "isotonic"):
            raise ValueError(f"unknown calibration {self.calibration.get('kind')!r}")

    def log_odds(self, z: Sequence[float]) -> float:
        """The model's log-odds before calibration."""
        p = self.params
        if self.kind == "logistic":
            return sum(c * x for c, x in zip(p["coef"], z)) + p["intercept"]
        return p["init"] + leaf_sum(p["trees"], z)

    def calibrated(self, logit: float) -> float:
        c = self.calibration
        if c["kind"] == "isotonic":
            xs, ys = c["x"], c["y"]
            if logit <= xs[0]:
                return ys[0]
            if logit >= xs[-1]:
                return ys[-1]
            i = next(k for k in range(1, len(xs)) if logit <= xs[k])
            span = xs[i] - xs[i - 1]
            return ys[i - 1] + (ys[i] - ys[i - 1]) * ((logit - xs[i - 1]) / span if span else 1.0)
        if c["kind"] == "platt":
            logit = c["a"] * logit + c["b"]
        return 1.0 / (1.0 + math.exp(-max(min(logit, 30.0), -30.0)))

    def probability(self, z: Sequence[float]) -> float:
        """The calibrated probability of a row of :data:`CONFIDENCE_FEATURES`, with the guards."""
        p = self.calibrated(self.log_odds(z))
        at = dict(zip(self.features, z))
        if at.get("inexact_name"):
            exact = list(z)
            exact[self.features.index("inexact_name")] = 0.0
            p = min(p, INEXACT_SHARE * self.calibrated(self.log_odds(exact)))
        if at.get("abroad_small", 0.0) >= ABROAD_SMALL:
            p = min(p, GUARD_BELOW)
        return p

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "features": list(self.features),
            "kind": self.kind,
            "params": self.params,
            "calibration": self.calibration,
        }

    @classmethod
    def from_json(cls, data: dict) -> ConfidenceModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a geomap confidence model (format {data.get('format')!r})")
        if list(data.get("features", [])) != list(CONFIDENCE_FEATURES):
            raise ValueError("fitted for other features")
        return cls(data["kind"], data["params"], data.get("calibration", {"kind": "none"}))


@dataclass(frozen=True)
class Weights:
    """A linear ranker over :data:`FEATURES`, learned on the dev half of the eval corpora
    (``geomap/nlp/ranker.json``), and a temperature for the confidences."""

    coef: tuple[float, ...] = (
        3.0,
        2.6,
        1.6,
        0.6,
        2.4,
        0.0,
        -1.0,
        2.2,
        0.5,
        0.6,
        1.0,
        2.0,
        0.0,
        1.5,
        3.0,
        4.0,
        1.2,
        4.0,
        0.0,
        0.0,
        0.0,
        0.0,
        *(0.0 for _ in CONFIDENCE_ONLY),  # never weighed by the ranker
    )
    temperature: float = 1.0
    #: Platt scaling of the top candidate's log-odds into a calibrated confidence (used when
    #: there is no confidence model).
    calib: tuple[float, float] = (1.0, 0.0)
    max_candidates: int = 25
    #: The probability that the top candidate is right (None: Platt scaling of its log-odds).
    confidence: ConfidenceModel | None = None

    @classmethod
    def shipped(cls) -> Weights:
        """The weights shipped with the package (a warning and the hand-set defaults when the
        file is unreadable or was fitted for other features)."""
        return cls.read(RANKER_FILE)

    @classmethod
    def read(cls, path: str | Path) -> Weights:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("ranker weights %s unreadable (%s); using the hand-set defaults", path, exc)
            return cls()
        if list(data.get("features", [])) != list(FEATURES):
            log.warning("ranker weights %s were fitted for other features; using the hand-set defaults", path)
            return cls()
        conf = None
        if data.get("confidence") is not None:
            try:
                conf = ConfidenceModel.from_json(data["confidence"])
            except (ValueError, KeyError, TypeError) as exc:
                log.warning("confidence model in %s unusable (%s); using Platt scaling", path, exc)
        return cls(
            coef=tuple(data["coef"]),
            temperature=float(data.get("temperature", 1.0)),
            calib=tuple(data.get("calib", (1.0, 0.0))),
            confidence=conf,
        )

    def to_json(self, **about) -> dict:
        """The weights as the JSON object :meth:`read` loads (``about``: provenance fields)."""
        out = {
            "features": list(FEATURES),
            "coef": [round(float(c), 4) for c in self.coef],
            "temperature": self.temperature,
            "calib": [round(float(c), 4) for c in self.calib],
        }
        if self.confidence is not None:
            out["confidence"] = self.confidence.to_json()
        return {**out, **about}

    def confidence_of(self, scores: list[float], top_row: list[float], reading: list[float]) -> float:
        """Probability that the best of candidates with these ranker ``scores`` is right; its
        feature row is ``top_row``, its name's reading ``reading``."""
        z = confidence_features(scores, top_row, reading, self.temperature)
        if self.confidence is not None:
            return self.confidence.probability(z)
        a, b = self.calib
        return 1.0 / (1.0 + math.exp(-max(min(a * z[0] + b, 30.0), -30.0)))
