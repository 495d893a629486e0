"""The ranker's weights and the confidence model: :class:`Weights`, read from
``geomap/nlp/ranker.json`` (fitted by :mod:`geomap.resolve.training`)."""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path

from geomap.resolve.features import CONFIDENCE_FEATURES, FEATURES, confidence_features

RANKER_FILE = Path(__file__).parent.parent / "nlp" / "ranker.json"
log = logging.getLogger("geomap")


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
    )
    temperature: float = 1.0
    #: Platt scaling of the top candidate's log-odds into a calibrated confidence (used when
    #: there is no confidence model).
    calib: tuple[float, float] = (1.0, 0.0)
    max_candidates: int = 25
    #: A logistic model over :data:`CONFIDENCE_FEATURES` (coefficients, then the intercept) for
    #: the probability that the top candidate is right.
    confidence: tuple[float, ...] | None = None

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
        conf = data.get("confidence")
        if conf is not None and list(conf.get("features", [])) != list(CONFIDENCE_FEATURES):
            log.warning("confidence model in %s was fitted for other features; using Platt scaling", path)
            conf = None
        return cls(
            coef=tuple(data["coef"]),
            temperature=float(data.get("temperature", 1.0)),
            calib=tuple(data.get("calib", (1.0, 0.0))),
            confidence=None if conf is None else (*conf["coef"], conf["intercept"]),
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
            out["confidence"] = {
                "features": list(CONFIDENCE_FEATURES),
                "coef": [round(float(c), 4) for c in self.confidence[:-1]],
                "intercept": round(float(self.confidence[-1]), 4),
            }
        return {**out, **about}

    def confidence_of(self, scores: list[float], top_row: list[float], reading: list[float]) -> float:
        """Probability that the best of candidates with these ranker ``scores`` is right; its
        feature row is ``top_row``, its name's reading ``reading``."""
        z = confidence_features(scores, top_row, reading, self.temperature)
        if self.confidence is not None:
            logit = sum(c * x for c, x in zip(self.confidence, z)) + self.confidence[-1]
        else:
            a, b = self.calib
            logit = a * z[0] + b
        return 1.0 / (1.0 + math.exp(-max(min(logit, 30.0), -30.0)))
