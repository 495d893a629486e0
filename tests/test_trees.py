"""Boosted trees exported to node arrays give scikit-learn's own log-odds, walked one row at a
time or many at once, for both kinds geomap fits."""

from __future__ import annotations

import json

import numpy as np
import pytest

from geomap.tools.trees import (
    as_arrays,
    export_gradient_boosting,
    export_hist_gradient_boosting,
    leaf_sum,
    leaf_sums,
)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(400, 5))
    x[:, 3] = rng.integers(0, 2, size=400)  # a 0/1 feature, as most of ours are
    y = ((x[:, 0] + 0.5 * x[:, 1] * x[:, 3] - 0.3 * x[:, 2] + rng.normal(scale=0.5, size=400)) > 0).astype(int)
    return x, y


def test_gradient_boosting_walk_matches_scikit_learn(data):
    from sklearn.ensemble import GradientBoostingClassifier

    x, y = data
    model = GradientBoostingClassifier(n_estimators=30, max_depth=3, random_state=0).fit(x, y)
    params = json.loads(json.dumps(export_gradient_boosting(model)))  # survives JSON
    z = params["init"] + params["learning_rate"] * leaf_sums(as_arrays(params["trees"]), x)
    assert np.allclose(z, model.decision_function(x), atol=1e-6)
    one = params["init"] + params["learning_rate"] * leaf_sum(params["trees"], x[17])
    assert one == pytest.approx(z[17])


def test_hist_gradient_boosting_walk_matches_scikit_learn(data):
    from sklearn.ensemble import HistGradientBoostingClassifier

    x, y = data
    model = HistGradientBoostingClassifier(max_iter=40, max_depth=3, random_state=0).fit(x, y)
    params = json.loads(json.dumps(export_hist_gradient_boosting(model)))
    z = np.array([params["init"] + leaf_sum(params["trees"], row) for row in x])
    assert np.allclose(z, model.decision_function(x), atol=1e-5)
    assert np.allclose(params["init"] + leaf_sums(as_arrays(params["trees"]), x), z)
    assert len({round(v, 3) for v in z}) > 10  # the trees split: not one constant
