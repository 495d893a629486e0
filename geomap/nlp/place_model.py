"""The learned recognizer's classifier: place or not place, from a candidate's feature row.

The fitted model is stored as JSON (no pickles): a logistic model as its standardisation and
coefficients, a gradient-boosted tree model as the node arrays of each tree. Prediction is a few
numpy operations, so geomap needs scikit-learn only to fit (:mod:`geomap.nlp.train_recognizer`).
The file also records the feature names it was fitted with and how it was made (``about``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from geomap.errors import ModelError
from geomap.tools.trees import as_arrays, leaf_sums

#: The classifier shipped with geomap (rebuilt by ``make models``).
SHIPPED_CLASSIFIER = Path(__file__).parent / "recognizer.json"
FORMAT = "geomap-recognizer/1"


@dataclass
class PlaceClassifier:
    """P(place | features) for recognizer candidates."""

    features: tuple[str, ...]
    kind: str  # "logistic" or "trees"
    params: dict
    #: a span only the classifier's extra sources propose is a place at p ≥ this
    threshold: float = 0.5
    about: dict = field(default_factory=dict)
    #: a span the rules propose stays a place at p ≥ this
    rule_threshold: float = 0.5

    def __post_init__(self) -> None:
        self._prepare()

    def _prepare(self) -> None:
        p = self.params
        if self.kind == "logistic":
            self._mean = np.asarray(p["mean"], dtype=float)
            self._scale = np.asarray(p["scale"], dtype=float)
            self._coef = np.asarray(p["coef"], dtype=float)
            self._intercept = float(p["intercept"])
        elif self.kind == "trees":
            self._trees = as_arrays(p["trees"])
            self._init = float(p["init"])
            self._rate = float(p["learning_rate"])
        else:
            raise ModelError(f"unknown recognizer model kind {self.kind!r}")

    def probabilities(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        """P(place) for each row."""
        if len(rows) == 0:
            return np.zeros(0)
        x = np.asarray(rows, dtype=float)
        if x.shape[1] != len(self.features):
            raise ModelError(f"recognizer model expects {len(self.features)} features, got {x.shape[1]}")
        if self.kind == "logistic":
            z = ((x - self._mean) / self._scale) @ self._coef + self._intercept
        else:
            z = self._init + self._rate * leaf_sums(self._trees, x)
        return 1.0 / (1.0 + np.exp(-z))

    # -- storage ---------------------------------------------------------------------------
    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "kind": self.kind,
            "features": list(self.features),
            "threshold": self.threshold,
            "rule_threshold": self.rule_threshold,
            "params": self.params,
            "about": self.about,
        }

    @classmethod
    def from_json(cls, data: dict, *, expected: Sequence[str] | None = None) -> PlaceClassifier:
        if data.get("format") != FORMAT:
            raise ModelError(f"not a geomap recognizer model (format {data.get('format')!r})")
        features = tuple(data["features"])
        if expected is not None and features != tuple(expected):
            missing = sorted(set(expected) - set(features))
            extra = sorted(set(features) - set(expected))
            raise ModelError(
                "recognizer model was fitted with other features "
                f"(missing {missing[:5]}, extra {extra[:5]}): rebuild it with `make models`"
            )
        threshold = float(data.get("threshold", 0.5))
        return cls(
            features,
            data["kind"],
            data["params"],
            threshold,
            data.get("about", {}),
            float(data.get("rule_threshold", threshold)),
        )

    def write(self, path: str | Path) -> Path:
        from geomap.io.atomic import write_text

        path = Path(path)
        write_text(path, json.dumps(self.to_json(), indent=1) + "\n")
        return path

    @classmethod
    def read(cls, path: str | Path, *, expected: Sequence[str] | None = None) -> PlaceClassifier:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"{path}: cannot read the recognizer model ({exc})") from exc
        return cls.from_json(data, expected=expected)
