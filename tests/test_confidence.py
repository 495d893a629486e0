"""The confidence model: its JSON form, its guards (a small namesake abroad, a loose match) and
what it says of places in sentences of our own."""

from __future__ import annotations

import json

import pytest

from geomap.records import CHECK_BELOW
from geomap.resolve import CONFIDENCE_FEATURES, FEATURES, Weights
from geomap.resolve.confidence import ABROAD_SMALL, GUARD_BELOW, INEXACT_SHARE, ConfidenceModel
from geomap.resolve.features import CONFIDENCE_ONLY

N = len(CONFIDENCE_FEATURES)


def row(**values) -> list[float]:
    z = [0.0] * N
    for name, v in values.items():
        z[CONFIDENCE_FEATURES.index(name)] = v
    return z


def stump(feature: str, threshold: float, low: float, high: float) -> dict:
    """One tree of one split: ``low`` where the feature is <= threshold, else ``high``."""
    return {
        "feature": [CONFIDENCE_FEATURES.index(feature), 0, 0],
        "threshold": [threshold, 0.0, 0.0],
        "left": [1, -1, -1],
        "right": [2, -1, -1],
        "value": [0.0, low, high],
    }


TREES = ConfidenceModel(
    "trees",
    {"init": 0.5, "trees": [stump("top_logit", 1.0, -1.0, 2.0), stump("margin", 3.0, 0.0, 1.0)]},
    {"kind": "isotonic", "x": [-1.0, 0.0, 3.0], "y": [0.1, 0.4, 0.95]},
)


def test_trees_walk_their_node_arrays_and_the_calibration_interpolates():
    # top_logit 0 (left leaf, -1), margin 5 (right leaf, +1): log-odds 0.5 - 1 + 1 = 0.5
    assert TREES.log_odds(row(top_logit=0.0, margin=5.0)) == pytest.approx(0.5)
    assert TREES.probability(row(top_logit=0.0, margin=5.0)) == pytest.approx(0.4 + 0.55 * 0.5 / 3)
    assert TREES.probability(row(top_logit=9.0, margin=9.0)) == pytest.approx(0.95)  # flat beyond the knots
    # log-odds 0.5 - 1 + 0 = -0.5, halfway between the knots at -1 (0.1) and 0 (0.4)
    assert TREES.probability(row(top_logit=-9.0)) == pytest.approx(0.25)


@pytest.mark.parametrize(
    "model",
    [
        TREES,
        ConfidenceModel("logistic", {"coef": [0.3] * N, "intercept": -0.2}, {"kind": "platt", "a": 0.8, "b": 0.1}),
    ],
)
def test_a_model_round_trips_through_json(model, tmp_path):
    weights = Weights(coef=Weights().coef, confidence=model)
    path = tmp_path / "ranker.json"
    path.write_text(json.dumps(weights.to_json(about="test")), encoding="utf-8")
    again = Weights.read(path)
    assert again.confidence == model
    for z in (row(top_logit=2.0, margin=1.0), row(top_logit=-1.0, inexact_name=1.0), row(abroad_small=0.9)):
        assert again.confidence.probability(z) == model.probability(z)


def test_a_model_for_other_features_is_not_used(tmp_path, caplog):
    data = Weights(coef=Weights().coef, confidence=TREES).to_json()
    data["confidence"]["features"] = data["confidence"]["features"][:-1]
    path = tmp_path / "ranker.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert Weights.read(path).confidence is None
    assert "other features" in caplog.text


def test_a_loose_match_is_never_as_sure_as_an_exact_one():
    # a model that (wrongly) learned to trust loose matches more
    trusting = ConfidenceModel("logistic", {"coef": row(top_logit=1.0, inexact_name=3.0), "intercept": 0.0})
    for logit in (-2.0, 0.0, 2.0, 6.0):
        exact = trusting.probability(row(top_logit=logit))
        assert trusting.probability(row(top_logit=logit, inexact_name=1.0)) <= INEXACT_SHARE * exact + 1e-12


def test_a_small_namesake_abroad_is_never_sure():
    sure = ConfidenceModel("logistic", {"coef": row(top_logit=1.0), "intercept": 0.0})
    assert sure.probability(row(top_logit=8.0, abroad_small=0.2)) > 0.99  # a big city abroad: no cap
    assert sure.probability(row(top_logit=8.0, abroad_small=ABROAD_SMALL)) == GUARD_BELOW < CHECK_BELOW


def test_the_ranker_gives_the_confidence_features_no_weight():
    w = Weights.shipped()
    assert [w.coef[FEATURES.index(f)] for f in CONFIDENCE_ONLY] == [0.0] * len(CONFIDENCE_ONLY)
    assert w.confidence is not None and w.confidence.kind in ("trees", "logistic")


# Sentences of our own. "Wadowice" is a small Polish town; the texts are about Iraq and Syria.
ABROAD = (
    "Iraqi troops shelled positions near Mosul and Tikrit, in Iraq, while Syrian forces held Aleppo and "
    "Homs in Syria. Fighting was also reported near Wadowice."
)
AT_HOME = "Poland's president visited Krakow and Katowice, then Wadowice, his last stop in southern Poland."


def spans(text: str, *names: str) -> list[tuple[int, int]]:
    return [(text.index(n), text.index(n) + len(n)) for n in names]


def test_a_small_namesake_abroad_against_a_clear_country_focus_is_flagged(geoparser):
    got = {
        m.text: m
        for m in geoparser.resolve_spans(
            ABROAD, spans(ABROAD, "Mosul", "Tikrit", "Iraq", "Aleppo", "Homs", "Syria", "Wadowice")
        )
    }
    town = got["Wadowice"]
    assert town.place.country_code == "PL" and town.confidence < CHECK_BELOW  # placed, and flagged
    home = {
        m.text: m for m in geoparser.resolve_spans(AT_HOME, spans(AT_HOME, "Krakow", "Katowice", "Wadowice", "Poland"))
    }
    assert home["Wadowice"].place.country_code == "PL"
    assert home["Wadowice"].confidence > town.confidence
