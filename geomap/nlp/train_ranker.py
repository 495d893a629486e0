"""Fit the resolver's linear ranker and its confidence calibration on gold corpora.

    python -m geomap.nlp.train_ranker CORPUS.jsonl [...] [--split dev] [--out geomap/nlp/ranker.json]

Each gold toponym with coordinates gives one training list: the gazetteer candidates of its
span with their features (:data:`geomap.resolve.FEATURES`); the right ones are those within
161 km of the gold point. The weights maximise the softmax probability of the right
candidates (L2-regularised, plain gradient descent in numpy); a Platt scaling of the top
candidate's log-odds then maps scores to calibrated confidences. Only the split given is read:
tune on ``dev``, report on ``test``.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np

from geomap.eval.corpus import read_corpus, select
from geomap.eval.metrics import ACC_KM, haversine_km
from geomap.resolve import FEATURES, Weights, _RANKER_FILE, _group_key


def collect(geoparser, corpora: list[str], split: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """(features, right?) per gold toponym, from the geoparser's own recognition of each span."""
    resolver = geoparser.resolver
    out = []
    for path in corpora:
        docs = select(read_corpus(path), split, None)
        for gold, doc in zip(docs, geoparser.nlp.pipe((d.text for d in docs), batch_size=16)):
            spans = [t.span for t in gold.toponyms]
            mentions = geoparser.span_mentions(doc, spans)
            out.extend(samples(resolver, mentions, gold))
    return out


def samples(resolver, mentions, gold) -> list[tuple[np.ndarray, np.ndarray]]:
    groups, cands, feats = resolver.features(mentions, gold.text)
    first = resolver._score(mentions, gold.text)  # the picks the proximity feature sees
    picks = {k: r[0][1] for k, r in first.items() if r}
    out = []
    for m, t in zip(mentions, gold.toponyms):
        options = cands.get(_group_key(m)) or []
        if not t.has_coords or not options:
            continue
        key = _group_key(m)
        x = np.array([feats(key, p, picks) for p in options], dtype=float)
        y = np.array([haversine_km(t.lat, t.lon, p.lat, p.lon) <= ACC_KM for p in options])
        out.append((x, y))
    return out


def _pad(data) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stack candidate lists into (lists, candidates, features) with a validity mask."""
    k = max(len(y) for _, y in data)
    X = np.zeros((len(data), k, len(FEATURES)))
    Y = np.zeros((len(data), k))
    M = np.zeros((len(data), k), dtype=bool)
    for i, (x, y) in enumerate(data):
        X[i, :len(y)] = x
        Y[i, :len(y)] = y
        M[i, :len(y)] = True
    return X, Y, M


def _probs(X: np.ndarray, M: np.ndarray, w: np.ndarray) -> np.ndarray:
    s = np.where(M, X @ w, -np.inf)
    p = np.exp(s - s.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


def fit(data, *, l2: float = 1e-3, steps: int = 1500, lr: float = 0.05) -> np.ndarray:
    """Softmax ranking weights (Adam on the mean negative log-likelihood of the right set)."""
    train = [(x, y) for x, y in data if y.any() and not y.all()]
    X, Y, M = _pad(train)
    w = np.array(Weights().coef, dtype=float)
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    # A feature that never differs between the candidates of one list carries no signal here
    # (e.g. hints whose lists have one candidate): keep its hand-set weight, no decay.
    seen = np.where(M[..., None], X, np.nan)
    informative = (np.nanmax(seen, axis=1) - np.nanmin(seen, axis=1) > 0).any(axis=0)
    decay = np.where(informative, l2, 0.0)
    for step in range(1, steps + 1):
        p = _probs(X, M, w)
        q = p * Y
        q /= q.sum(axis=1, keepdims=True)  # posterior over the right candidates
        grad = np.einsum("nk,nkf->f", p - q, X) / len(train) + decay * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad ** 2
        w -= lr * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    return w


def calibrate(data, w: np.ndarray) -> tuple[float, float]:
    """Platt scaling: P(top is right) = sigmoid(a * logit(p_top) + b)."""
    zs, ys = [], []
    for x, y in data:
        s = x @ w
        p = np.exp(s - s.max())
        p /= p.sum()
        top = int(np.argmax(s))
        pt = min(max(float(p[top]), 1e-6), 1 - 1e-6)
        zs.append(math.log(pt / (1 - pt)))
        ys.append(float(y[top]))
    z, t = np.array(zs), np.array(ys)
    a, b = 1.0, 0.0
    for _ in range(2000):
        pr = 1 / (1 + np.exp(-(a * z + b)))
        a -= 0.5 * float(np.mean((pr - t) * z))
        b -= 0.5 * float(np.mean(pr - t))
    return a, b


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="+")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--out", default=str(_RANKER_FILE))
    args = ap.parse_args(argv)
    from geomap.pipeline import Geoparser

    gp = Geoparser.load()
    gp.resolver.weights = Weights()  # features of the first pass come from the hand-set weights
    data = collect(gp, args.corpora, args.split)
    w = fit(data)
    a, b = calibrate(data, w)
    out = {"features": list(FEATURES), "coef": [round(float(c), 4) for c in w], "temperature": 1.0,
           "calib": [round(a, 4), round(b, 4)], "trained_on": f"{args.split} split", "n_lists": len(data)}
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
