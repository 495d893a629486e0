"""Boosted trees as plain node arrays: fitted with scikit-learn, stored in JSON, walked without it.

A tree is a dict of equal-length lists: ``feature``, ``threshold``, ``left``, ``right`` and
``value``. Node 0 is the root; a leaf has ``left`` = -1; a row goes left where its feature is <=
the node's threshold. An ensemble's log-odds is its ``init`` plus the (scaled) leaf values each
tree reaches. The recognizer (:mod:`geomap.nlp.place_model`) walks many rows at once, the
confidence model (:mod:`geomap.resolve.confidence`) one row per resolved name.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: Deeper than any fitted tree: a walk stops here even on a malformed file.
MAX_DEPTH = 64


def leaf_sum(trees: Sequence[dict], row: Sequence[float]) -> float:
    """The sum of the leaf values that one row reaches in each tree."""
    out = 0.0
    for t in trees:
        left, right, feature, threshold = t["left"], t["right"], t["feature"], t["threshold"]
        node = 0
        while left[node] >= 0:
            node = left[node] if row[feature[node]] <= threshold[node] else right[node]
        out += t["value"][node]
    return out


def as_arrays(trees: Sequence[dict]) -> list[tuple[np.ndarray, ...]]:
    """The trees' node lists as numpy arrays, for :func:`leaf_sums` (prepare once per model)."""
    return [tuple(np.asarray(t[k]) for k in ("feature", "threshold", "left", "right", "value")) for t in trees]


def leaf_sums(arrays: list[tuple[np.ndarray, ...]], x: np.ndarray) -> np.ndarray:
    """:func:`leaf_sum` of every row of ``x`` (trees prepared by :func:`as_arrays`)."""
    total = np.zeros(len(x))
    rows = np.arange(len(x))
    for feature, threshold, left, right, value in arrays:
        node = np.zeros(len(x), dtype=int)
        for _ in range(MAX_DEPTH):
            inner = left[node] >= 0
            if not inner.any():
                break
            go_left = x[rows, np.where(inner, feature[node], 0)] <= threshold[node]
            node = np.where(inner, np.where(go_left, left[node], right[node]), node)
        total += value[node]
    return total


def _tree(feature, threshold, left, right, value) -> dict:
    return {
        "feature": [int(v) for v in feature],
        # thresholds exact: a quantile threshold can equal a training value, and rounding it would
        # send that value to the other side
        "threshold": [float(v) for v in threshold],
        "left": [int(v) for v in left],
        "right": [int(v) for v in right],
        "value": [round(float(v), 9) for v in value],
    }


def export_gradient_boosting(booster) -> dict:
    """``trees``, ``init`` and ``learning_rate`` of a fitted binary ``GradientBoostingClassifier``
    (its leaf values are scaled by the learning rate when walked)."""
    trees = []
    for est in booster.estimators_[:, 0]:
        t = est.tree_
        trees.append(_tree(t.feature, t.threshold, t.children_left, t.children_right, t.value[:, 0, 0]))
    prior = booster.init_.class_prior_[1]
    return {"trees": trees, "init": float(np.log(prior / (1 - prior))), "learning_rate": booster.learning_rate}


def export_hist_gradient_boosting(model) -> dict:
    """``init`` and ``trees`` of a fitted binary ``HistGradientBoostingClassifier`` (its leaves'
    values already carry the learning rate). scikit-learn keeps these nodes in attributes it does
    not document; the tests fit one and compare the walk with its own predictions."""
    trees = []
    for (predictor,) in model._predictors:
        n = predictor.nodes
        leaf = n["is_leaf"].astype(bool)
        trees.append(
            _tree(
                np.where(leaf, 0, n["feature_idx"].astype(int)),
                n["num_threshold"],
                np.where(leaf, -1, n["left"].astype(int)),
                np.where(leaf, -1, n["right"].astype(int)),
                n["value"],
            )
        )
    return {"init": float(np.ravel(model._baseline_prediction)[0]), "trees": trees}


__all__ = ["as_arrays", "export_gradient_boosting", "export_hist_gradient_boosting", "leaf_sum", "leaf_sums"]
