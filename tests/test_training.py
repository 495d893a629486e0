"""Fitting the ranker and the confidence model end to end on a tiny hand-made corpus, and the
provenance each fitted file records."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from geomap.resolve import CONFIDENCE_FEATURES, FEATURES, Weights
from geomap.resolve.features import CONFIDENCE_ONLY
from geomap.resolve.training import build_model, main
from geomap.tools import provenance as prov

TINY = Path(__file__).parent / "data" / "train" / "tiny.jsonl"


@pytest.fixture(scope="module")
def fitted(geoparser, tmp_path_factory):
    before = geoparser.resolver.weights
    out = build_model(
        geoparser,
        [str(TINY)],
        passes=2,
        command=["python", "-m", "geomap.resolve.training", str(TINY.resolve()), "--passes", "2"],
    )
    assert geoparser.resolver.weights is before  # the shared geoparser is left as it was
    path = tmp_path_factory.mktemp("model") / "ranker.json"
    path.write_text(json.dumps(out), encoding="utf-8")
    return out, path


def test_a_fit_on_a_tiny_corpus_loads_as_weights(fitted):
    out, path = fitted
    w = Weights.read(path)
    assert out["features"] == list(FEATURES)
    assert w.coef == tuple(out["coef"]) and w.coef != Weights().coef  # fitted, not the defaults
    assert w.confidence is not None and w.confidence.to_json() == out["confidence"]
    assert out["confidence"]["features"] == list(CONFIDENCE_FEATURES)
    # the confidence model's own features get no ranking weight
    assert [out["coef"][FEATURES.index(f)] for f in CONFIDENCE_ONLY] == [0.0] * len(CONFIDENCE_ONLY)
    gold = [t for line in TINY.read_text(encoding="utf-8").splitlines() for t in json.loads(line)["toponyms"]]
    assert out["n_lists"] == {"tiny": len(gold)}  # one list for every gold toponym with coordinates


def test_the_fitted_weights_resolve_the_tiny_corpus(fitted, geoparser):
    from geomap.resolve import Resolver

    _, path = fitted
    resolver = Resolver(geoparser.gazetteer, Weights.read(path))
    text = "Storms flooded streets in Paris, Texas, on Monday."
    (m,) = [x for x in geoparser.resolve_spans(text, [(26, 31)])]
    again = resolver.resolve([m], text)[0]
    assert again.place.country_code == "US" and 0.0 < again.confidence < 1.0


def test_provenance_names_the_corpus_by_name_and_hash(fitted):
    out, _ = fitted
    p = out["provenance"]
    assert p["corpora"] == [
        {"name": "tiny.jsonl", "bytes": TINY.stat().st_size, "sha256": hashlib.sha256(TINY.read_bytes()).hexdigest()}
    ]
    assert p["command"] == "python -m geomap.resolve.training tiny.jsonl --passes 2"
    assert "/" not in json.dumps(p["command"]) and str(TINY.parent) not in json.dumps(out)
    assert p["gazetteer"]["build_version"] and len(p["gazetteer"]["sha256"]) == 64 and p["gazetteer"]["bytes"] > 0
    assert p["spacy_model"]["name"].startswith("en_") and p["spacy_model"]["version"]
    assert p["libraries"]["numpy"] and p["libraries"]["spacy"]
    assert p["commit"] == prov.UNKNOWN or len(p["commit"]) == 40
    assert p["date"][:2] == "20"


def test_command_line_keeps_file_names_only():
    assert (
        prov.command_line(["python", "-m", "x", "/a/b/lgl.jsonl", "--out=/c/ranker.json", "--split", "dev"])
        == "python -m x lgl.jsonl --out=ranker.json --split dev"
    )


def test_outside_a_checkout_the_commit_is_unknown(tmp_path):
    assert prov.git_commit(tmp_path) == (prov.UNKNOWN, None)


def test_a_confidence_model_fitted_on_hand_made_corpora_separates_right_from_wrong():
    import numpy as np

    from geomap.resolve.training import RankingList, fit_confidence

    rng = np.random.default_rng(0)
    w = np.array(Weights().coef)
    lead = FEATURES.index("pair")

    def lists(n: int, noise: float) -> list[RankingList]:
        out = []
        for _ in range(n):
            # two candidates; the one "pair" favours is right unless noise flips it
            x = np.zeros((2, len(FEATURES)))
            x[0, lead] = rng.uniform(0.0, 1.0)
            right = rng.uniform() > noise * (1.0 - x[0, lead])
            out.append(RankingList(x, np.array([right, not right])))
        return out

    parts = {("a", "gold"): lists(300, 0.8), ("b", "gold"): lists(300, 0.6), ("c", "found"): lists(300, 0.7)}
    for form, calibration in (("trees", "platt"), ("trees", "isotonic"), ("logistic", "none")):
        model = fit_confidence(parts, w, form=form, calibration=calibration)
        assert model.kind == form and model.calibration["kind"] == calibration
        z = np.zeros(len(CONFIDENCE_FEATURES))
        weak, strong = z.copy(), z.copy()
        for row, lead_value in ((weak, 0.05), (strong, 0.95)):
            row[CONFIDENCE_FEATURES.index("pair")] = lead_value
            row[CONFIDENCE_FEATURES.index("top_logit")] = w[lead] * lead_value
            row[CONFIDENCE_FEATURES.index("margin")] = w[lead] * lead_value
        assert model.probability(list(strong)) > model.probability(list(weak)) + 0.2


def test_a_missing_corpus_is_one_line(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["no-such-corpus.jsonl", "--out", "unused.json"])
    assert str(exc.value) == "error: no-such-corpus.jsonl: no such corpus file"
