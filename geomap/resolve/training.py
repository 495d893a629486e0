"""Fit the resolver's ranker and its confidence calibration on gold corpora, and measure how
well it carries over to corpora it was not fitted on.

    python -m geomap.resolve.training CORPUS.jsonl [...] [--split all] [--out geomap/nlp/ranker.json]
    python -m geomap.resolve.training CORPUS.jsonl [...] --leave-one-out

Each gold toponym with coordinates gives one training list: the gazetteer candidates of its
span with their features (:data:`geomap.resolve.FEATURES`), computed with the rest of the
document as context (the recognizer's other places); the right ones are those within 161 km of
the gold point. The weights maximise the softmax probability of the right candidates
(L2-regularised, Adam in numpy); a Platt scaling of the top candidate's log-odds then maps
scores to calibrated confidences; a logistic model over :data:`geomap.resolve.CONFIDENCE_FEATURES`
(how far the top candidate leads, what kind of place it is, what evidence it has) then gives
the probability that the top candidate is right.

Every corpus weighs the same in the fit, whatever its size, so that no one kind of text (local
US news, tweets, encyclopaedia passages) decides the weights. ``--leave-one-out`` fits on all
corpora but one and scores the one left out, for each in turn: the figure that tells whether a
weight pays off on text it has never seen.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from geomap.errors import GeomapError, InputError
from geomap.eval.corpus import corpus_name, read_corpus, select
from geomap.eval.metrics import ACC_KM, haversine_km
from geomap.io import atomic
from geomap.resolve.confidence import RANKER_FILE, Weights
from geomap.resolve.features import CONFIDENCE_FEATURES, FEATURES, READING, confidence_features
from geomap.tools.provenance import provenance

__all__ = [
    "RankingList",
    "build_model",
    "collect",
    "collect_full",
    "fit",
    "fit_confidence",
    "fit_weights",
    "score_lists",
    "leave_one_out",
]


@dataclass(frozen=True)
class RankingList:
    """One name's candidates: features (candidates x FEATURES), which are right, and how the
    text gives the name (:data:`geomap.resolve.READING`)."""

    x: np.ndarray
    y: np.ndarray
    reading: tuple[float, ...] = (0.0,) * len(READING)


def collect(geoparser, path: str | Path, split: str = "all", limit: int | None = None) -> list[RankingList]:
    """Ranking lists of every gold toponym with coordinates in one corpus; a toponym without
    candidates gives an empty list (it counts as a miss when scored)."""
    docs = select(read_corpus(path), split, limit)
    out: list[RankingList] = []
    for gold, doc in zip(docs, geoparser.nlp.pipe((d.text for d in docs), batch_size=16)):
        given = geoparser.span_mentions(doc, [t.span for t in gold.toponyms])
        rows = {
            (m.start, m.end): (places, x, reading)
            for m, places, x, reading in geoparser.resolver.training_lists(
                geoparser.with_context(doc, given), gold.text
            )
        }
        for t in gold.toponyms:
            if not t.has_coords:
                continue
            places, x, reading = rows.get(t.span, ([], [], [0.0] * len(READING)))
            out.append(_ranking_list(places, x, reading, (t.lat, t.lon)))
    return out


def _ranking_list(places, x, reading, gold: tuple[float, float] | None) -> RankingList:
    """A list whose right candidates lie within 161 km of ``gold`` (none when gold is None)."""
    y = np.array(
        [gold is not None and haversine_km(gold[0], gold[1], p.lat, p.lon) <= ACC_KM for p in places], dtype=bool
    )
    return RankingList(np.array(x, dtype=float).reshape(len(places), len(FEATURES)), y, tuple(reading))


def collect_full(geoparser, path: str | Path, split: str = "all", limit: int | None = None) -> list[RankingList]:
    """Ranking lists of every name the recognizer finds in one corpus, as users' runs see them:
    a name matching a gold toponym with coordinates is right where a candidate lies within
    161 km of it; a name matching no gold toponym (not a place, or not annotated) has no right
    candidate. For fitting the confidence, which must also doubt names that are no places."""
    from geomap.eval.metrics import match_spans
    from geomap.nlp.components import SPAN_KEY
    from geomap.pipeline import as_mention

    docs = select(read_corpus(path), split, limit)
    out: list[RankingList] = []
    for gold, doc in zip(docs, geoparser.nlp.pipe((d.text for d in docs), batch_size=16)):
        mentions = [as_mention(span) for span in doc.spans.get(SPAN_KEY, [])]
        if not mentions:
            continue
        matched = {
            p: g
            for g, p in match_spans([t.span for t in gold.toponyms], [(m.start, m.end) for m in mentions], "overlap")
        }
        for i, (_m, places, x, reading) in enumerate(geoparser.resolver.training_lists(mentions, gold.text)):
            t = gold.toponyms[matched[i]] if i in matched else None
            if t is not None and not t.has_coords:
                continue
            out.append(_ranking_list(places, x, reading, (t.lat, t.lon) if t is not None else None))
    return out


def _pad(data: list[RankingList]):
    """Stack lists into (lists, candidates, features) arrays with a validity mask."""
    k = max(len(d.y) for d in data)
    X = np.zeros((len(data), k, len(FEATURES)))
    Y = np.zeros((len(data), k))
    M = np.zeros((len(data), k), dtype=bool)
    for i, d in enumerate(data):
        X[i, : len(d.y)] = d.x
        Y[i, : len(d.y)] = d.y
        M[i, : len(d.y)] = True
    return X, Y, M


def _probs(X: np.ndarray, M: np.ndarray, w: np.ndarray) -> np.ndarray:
    s = np.where(M, X @ w, -np.inf)
    p = np.exp(s - s.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


def fit(corpora: list[list[RankingList]], *, l2: float = 1e-3, steps: int = 1500, lr: float = 0.05) -> np.ndarray:
    """Softmax ranking weights: Adam on the negative log-likelihood of the right set, each
    corpus's lists weighted so that every corpus counts the same."""
    train, share = [], []
    for lists in corpora:
        useful = [d for d in lists if d.y.any() and not d.y.all()]
        train.extend(useful)
        share.extend([1.0 / max(len(useful), 1)] * len(useful))
    if not train:
        raise InputError("nothing to fit the ranker on: no gold toponym has both a right and a wrong candidate")
    X, Y, M = _pad(train)
    share = np.array(share) / sum(share)
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
        grad = np.einsum("n,nk,nkf->f", share, p - q, X) + decay * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w -= lr * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return w


def _tops(lists: list[RankingList], w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per list with candidates: the :data:`CONFIDENCE_FEATURES` of its ranking, and whether its
    top candidate is right."""
    zs, ys = [], []
    for d in lists:
        if not len(d.y):
            continue
        s = d.x @ w
        order = np.argsort(-s, kind="stable")
        zs.append(confidence_features([float(v) for v in s[order]], list(d.x[order[0]]), list(d.reading)))
        ys.append(float(d.y[order[0]]))
    return np.array(zs).reshape(-1, len(CONFIDENCE_FEATURES)), np.array(ys)


def fit_confidence(corpora: list[list[RankingList]], w: np.ndarray, *, l2: float = 1.0) -> tuple[float, ...]:
    """Logistic regression (Newton's method, L2) of "the top candidate is right" on the
    ranking's :data:`CONFIDENCE_FEATURES`, every corpus weighing the same; coefficients, then
    the intercept."""
    parts = [_tops(lists, w) for lists in corpora]
    Z = np.vstack([z for z, _ in parts])
    t = np.concatenate([y for _, y in parts])
    share = np.concatenate([np.full(len(y), 1.0 / max(len(y), 1)) for _, y in parts])
    share *= len(share) / share.sum()
    A = np.hstack([Z, np.ones((len(Z), 1))])
    beta = np.zeros(A.shape[1])
    penalty = np.full(A.shape[1], l2)
    penalty[-1] = 0.0  # the intercept is not shrunk
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(A @ beta, -30, 30)))
        grad = A.T @ (share * (p - t)) + penalty * beta
        hess = (A * (share * p * (1 - p))[:, None]).T @ A + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return tuple(float(b) for b in beta)


def fit_weights(
    corpora: list[list[RankingList]], found: list[list[RankingList]] | None = None, ranker: Weights | None = None
) -> Weights:
    """Ranker weights fitted on ``corpora`` (a list of lists per corpus, from gold spans), or
    ``ranker``'s kept, and the confidence model on those and ``found`` (per corpus, the names the
    recognizer found)."""
    w = np.array(ranker.coef) if ranker is not None else fit(corpora)
    return Weights(coef=tuple(float(c) for c in w), confidence=fit_confidence(corpora + (found or []), w))


def score_lists(lists: list[RankingList], weights: Weights) -> dict[str, float]:
    """Acc@161 of the top candidates (lists without candidates are misses) and the ROC-AUC and
    Brier score of the confidence over lists with candidates."""
    from geomap.eval.metrics import calibration_scores

    Z, right = _tops(lists, np.array(weights.coef))
    conf = [_confidence(weights, z) for z in Z]
    cal = calibration_scores(list(zip(conf, right.astype(bool).tolist())))
    return {
        "n": len(lists),
        "acc161": float(right.sum()) / max(len(lists), 1),
        "roc_auc": cal.roc_auc,
        "brier": cal.brier,
    }


def _confidence(weights: Weights, z: np.ndarray) -> float:
    beta = np.array(weights.confidence)
    return float(1 / (1 + np.exp(-np.clip(z @ beta[:-1] + beta[-1], -30, 30))))


def leave_one_out(
    data: dict[str, list[RankingList]], found: dict[str, list[RankingList]] | None = None
) -> dict[str, dict[str, float]]:
    """For each corpus: the scores of weights fitted on all the others (resolution of the gold
    spans; with ``found``, also the confidence's ROC-AUC over the names the recognizer found)."""
    found = found or {}
    out = {}
    for name, lists in data.items():
        weights = fit_weights(
            [d for other, d in data.items() if other != name], [d for other, d in found.items() if other != name]
        )
        out[name] = score_lists(lists, weights)
        if name in found:
            out[name]["found_roc_auc"] = score_lists(found[name], weights)["roc_auc"]
    return out


def build_model(
    geoparser,
    corpora: list[str | Path],
    *,
    command: list[str],
    split: str = "all",
    limit: int | None = None,
    gold_spans_only: tuple[str, ...] = (),
    keep_ranker: bool = False,
    passes: int = 0,
) -> dict:
    """Fit the ranker (or, with ``keep_ranker``, keep the shipped one) and the confidence model on
    ``corpora`` and return the JSON object of ``geomap/nlp/ranker.json``, with its ``provenance``
    (:func:`geomap.tools.provenance.provenance`; ``command``: the command line that asked for it).

    The features of a name depend on the picks the resolver makes for the other names of its
    text. With ``passes`` = 0 those picks come from the resolver's present weights (the shipped
    ones); with ``passes`` = N ≥ 1 the first pass takes them from the hand-set defaults in the code
    and each later pass from the weights fitted in the pass before, so the result depends on code
    and data alone (``make models``)."""
    resolver = geoparser.resolver
    kept = resolver.weights
    shipped = Weights.shipped() if keep_ranker else None
    try:
        context = [Weights()] if passes >= 1 else [kept]
        for _pass in range(max(passes, 1)):
            resolver.weights = context[-1]
            data = {corpus_name(p): collect(geoparser, p, split, limit) for p in corpora}
            found = {
                corpus_name(p): collect_full(geoparser, p, split, limit)
                for p in corpora
                if corpus_name(p) not in gold_spans_only
            }
            weights = fit_weights(list(data.values()), list(found.values()), ranker=shipped)
            context.append(weights)
    finally:
        resolver.weights = kept
    return weights.to_json(
        trained_on=f"{split} split of " + ", ".join(data),
        n_lists={name: len(d) for name, d in data.items()},
        provenance=provenance(command=command, corpora=corpora, gazetteer=geoparser.gazetteer, nlp=geoparser.nlp),
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="+")
    ap.add_argument("--split", default="all", help="dev, test or all")
    ap.add_argument("--limit", type=int, default=None, help="at most N documents per corpus")
    ap.add_argument("--out", default=str(RANKER_FILE))
    ap.add_argument(
        "--leave-one-out",
        action="store_true",
        help="score each corpus with weights fitted on the others; write nothing",
    )
    ap.add_argument(
        "--keep-ranker", action="store_true", help="keep the shipped ranker weights; fit the confidence model only"
    )
    ap.add_argument(
        "--recognizer",
        default=None,
        metavar="MODEL",
        help="the recognizer's place classifier: shipped (default), none, or a model file",
    )
    ap.add_argument(
        "--passes",
        type=int,
        default=0,
        help="0: the other names' picks come from the shipped weights; N: from the "
        "hand-set defaults, then N-1 times from the weights just fitted (code and data alone)",
    )
    ap.add_argument(
        "--gold-spans-only",
        nargs="*",
        default=[],
        metavar="CORPUS",
        help="corpora whose recognized names are not used for the confidence (their "
        "annotation covers one name a text, e.g. hu2014 ju2016)",
    )
    args = ap.parse_args(argv)
    try:
        _run(args, list(sys.argv[1:] if argv is None else argv))
    except GeomapError as exc:
        sys.exit(f"error: {exc}")


def _run(args: argparse.Namespace, argv: list[str]) -> None:
    from geomap.pipeline import Geoparser

    gp = Geoparser.load(classifier=args.recognizer)
    if args.leave_one_out:
        data = {corpus_name(p): collect(gp, p, args.split, args.limit) for p in args.corpora}
        found = {
            corpus_name(p): collect_full(gp, p, args.split, args.limit)
            for p in args.corpora
            if corpus_name(p) not in args.gold_spans_only
        }
        table = leave_one_out(data, found)
        print(
            "| held out | lists | Acc@161 | conf. ROC-AUC (gold spans) | conf. ROC-AUC (found names) | Brier |\n"
            "|---|---|---|---|---|---|"
        )
        for name, r in table.items():
            fr = r.get("found_roc_auc")
            print(
                f"| {name} | {r['n']} | {r['acc161']:.3f} | {r['roc_auc']:.3f} | "
                f"{'–' if fr is None else f'{fr:.3f}'} | {r['brier']:.3f} |"
            )
        print(
            f"| mean | | {np.mean([r['acc161'] for r in table.values()]):.3f} | "
            f"{np.mean([r['roc_auc'] for r in table.values()]):.3f} | | |"
        )
        return
    out = build_model(
        gp,
        args.corpora,
        command=["python", "-m", "geomap.resolve.training", *argv],
        split=args.split,
        limit=args.limit,
        gold_spans_only=tuple(args.gold_spans_only),
        keep_ranker=args.keep_ranker,
        passes=args.passes,
    )
    atomic.write_text(args.out, json.dumps(out, indent=1) + "\n")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
