"""Fit the resolver's ranker and its confidence calibration on gold corpora, and measure how
well it carries over to corpora it was not fitted on.

    python -m geomap.resolve.training CORPUS.jsonl [...] [--split all] [--out geomap/nlp/ranker.json]
    python -m geomap.resolve.training CORPUS.jsonl [...] --leave-one-out

Each gold toponym with coordinates gives one training list: the gazetteer candidates of its
span with their features (:data:`geomap.resolve.FEATURES`), computed with the rest of the
document as context (the recognizer's other places); the right ones are those within 161 km of
the gold point. The weights maximise the softmax probability of the right candidates
(L2-regularised, Adam in numpy; the :data:`geomap.resolve.features.CONFIDENCE_ONLY` features stay
at 0). The confidence model (:class:`geomap.resolve.confidence.ConfidenceModel`: gradient-boosted
trees or a logistic model over :data:`geomap.resolve.CONFIDENCE_FEATURES`, then a calibration step
fitted on out-of-corpus predictions) gives the probability that the top candidate is right; it is
fitted on the gold spans and the recognizer's found names of the fully annotated corpora.
``--confidence-form`` and ``--calibration`` pick its form; ``--leave-one-out`` compares them all.

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
from geomap.resolve.confidence import RANKER_FILE, ConfidenceModel, Weights
from geomap.resolve.features import CONFIDENCE_FEATURES, CONFIDENCE_ONLY, FEATURES, READING, confidence_features
from geomap.tools.provenance import provenance
from geomap.tools.trees import export_hist_gradient_boosting

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
    # The confidence model's own features get no ranking weight (they stay at the default 0).
    free = np.array([name not in CONFIDENCE_ONLY for name in FEATURES], dtype=float)
    for step in range(1, steps + 1):
        p = _probs(X, M, w)
        q = p * Y
        q /= q.sum(axis=1, keepdims=True)  # posterior over the right candidates
        grad = (np.einsum("n,nk,nkf->f", share, p - q, X) + decay * w) * free
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


#: The confidence model's forms and calibrations, compared leave one corpus out
#: (``--leave-one-out``); the first of each is shipped (see docs/accuracy-results.md, round 7).
CONFIDENCE_FORMS = ("trees", "logistic")
CALIBRATIONS = ("none", "platt", "isotonic")
#: Features that may only lower the confidence (monotone in the trees).
LOWERING = ("abroad", "abroad_small", "off_state", "inexact_name")
#: The trees: few and shallow, with big leaves, so that no one corpus's quirks make a leaf.
TREES = {"max_iter": 150, "max_depth": 3, "learning_rate": 0.05, "min_samples_leaf": 40, "l2_regularization": 1.0}


def _stack(parts: dict[str, list[tuple[np.ndarray, np.ndarray]]]):
    """Rows, labels and weights of every part, each (corpus, kind of list) weighing the same."""
    Z, t, share = [], [], []
    for tops in parts.values():
        for z, y in tops:
            if len(y):
                Z.append(z)
                t.append(y)
                share.append(np.full(len(y), 1.0 / len(y)))
    if not Z:
        raise InputError("nothing to fit the confidence model on: no name has a candidate")
    share = np.concatenate(share)
    return np.vstack(Z), np.concatenate(t), share * len(share) / share.sum()


def _logistic(Z: np.ndarray, t: np.ndarray, share: np.ndarray, l2: float, free: np.ndarray | None = None):
    """Weighted L2 logistic regression by Newton's method: coefficients, then the intercept."""
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
    return beta


def _fit_form(parts, form: str) -> ConfidenceModel:
    """The uncalibrated model of ``form`` on ``parts`` (see :func:`fit_confidence`)."""
    Z, t, share = _stack(parts)
    if form == "logistic":
        beta = _logistic(Z, t, share, l2=1.0)
        return ConfidenceModel("logistic", {"coef": [float(b) for b in beta[:-1]], "intercept": float(beta[-1])})
    if form != "trees":
        raise InputError(f"unknown confidence model form {form!r} (choose from {', '.join(CONFIDENCE_FORMS)})")
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(
        **TREES, monotonic_cst=[-1 if f in LOWERING else 0 for f in CONFIDENCE_FEATURES], random_state=0
    )
    model.fit(Z, t, sample_weight=share)
    return ConfidenceModel("trees", export_hist_gradient_boosting(model))


def _calibration(parts, form: str, kind: str) -> dict:
    """A calibration map of ``form``'s log-odds, fitted on out-of-corpus predictions: each
    corpus's rows scored by a model fitted on the other corpora, each corpus weighing the same.
    That is the situation of text geomap has never seen, so the map learns how much less sure
    the model should be there than on its own training rows."""
    if kind == "none":
        return {"kind": "none"}
    names = sorted({corpus for corpus, _ in parts})
    if len(names) < 2:
        return {"kind": "none"}
    logits, labels, shares = [], [], []
    for held in names:
        model = _fit_form({k: v for k, v in parts.items() if k[0] != held}, form)
        for key, tops in parts.items():
            if key[0] != held:
                continue
            for z, y in tops:
                if len(y):
                    logits.append(np.array([model.log_odds(row) for row in z]))
                    labels.append(y)
                    shares.append(np.full(len(y), 1.0 / len(y)))
    x, t = np.concatenate(logits), np.concatenate(labels)
    share = np.concatenate(shares)
    share *= len(share) / share.sum()
    if kind == "platt":
        a, b = _logistic(x[:, None], t, share, l2=1e-6)
        return {"kind": "platt", "a": round(float(a), 6), "b": round(float(b), 6)}
    if kind != "isotonic":
        raise InputError(f"unknown calibration {kind!r} (choose from {', '.join(CALIBRATIONS)})")
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.01, y_max=0.99).fit(x, t, sample_weight=share)
    return {
        "kind": "isotonic",
        "x": [round(float(v), 6) for v in iso.X_thresholds_],
        "y": [round(float(v), 6) for v in iso.y_thresholds_],
    }


def fit_confidence(
    parts: dict[tuple[str, str], list[RankingList]],
    w: np.ndarray,
    *,
    form: str = CONFIDENCE_FORMS[0],
    calibration: str = CALIBRATIONS[0],
) -> ConfidenceModel:
    """The confidence model: "the top candidate is right" from the ranking's
    :data:`CONFIDENCE_FEATURES`, fitted on ``parts`` ((corpus, "gold" or "found") -> its lists),
    every part weighing the same, then its calibration (:func:`_calibration`)."""
    tops = {key: [_tops(lists, w)] for key, lists in parts.items()}
    model = _fit_form(tops, form)
    return ConfidenceModel(model.kind, model.params, _calibration(tops, form, calibration))


def fit_weights(
    corpora: dict[str, list[RankingList]],
    found: dict[str, list[RankingList]] | None = None,
    ranker: Weights | None = None,
    **confidence,
) -> Weights:
    """Ranker weights fitted on ``corpora`` (corpus name -> its lists, from gold spans), or
    ``ranker``'s kept, and the confidence model on those and ``found`` (corpus name -> the lists
    of the names the recognizer found); ``confidence``: :func:`fit_confidence`'s options."""
    w = np.array(ranker.coef) if ranker is not None else fit(list(corpora.values()))
    # Only fully annotated corpora (those with found names) teach the confidence model: a corpus
    # of one ambiguous name a passage (Hu2014, Ju2016) would teach it that short texts are wrong.
    full = set(found) if found else set(corpora)
    parts = {(name, "gold"): lists for name, lists in corpora.items() if name in full}
    parts |= {(name, "found"): lists for name, lists in (found or {}).items()}
    return Weights(coef=tuple(float(c) for c in w), confidence=fit_confidence(parts, w, **confidence))


def score_lists(lists: list[RankingList], weights: Weights) -> dict[str, float]:
    """Acc@161 of the top candidates (lists without candidates are misses), and over lists with
    candidates the confidence's ROC-AUC, Brier score, expected calibration error and the rates
    of the "check this" flag (``flags_wrong``, ``flags_right``)."""
    from geomap.eval.metrics import calibration_scores, flag_scores
    from geomap.records import CHECK_BELOW

    Z, right = _tops(lists, np.array(weights.coef))
    pairs = list(zip([weights.confidence.probability(z) for z in Z], right.astype(bool).tolist()))
    cal = calibration_scores(pairs)
    flags = flag_scores(pairs, CHECK_BELOW)
    return {
        "n": len(lists),
        "acc161": float(right.sum()) / max(len(lists), 1),
        "roc_auc": cal.roc_auc,
        "brier": cal.brier,
        "ece": cal.ece,
        "flags_wrong": flags.flags_wrong,
        "flags_right": flags.flags_right,
    }


def leave_one_out(
    data: dict[str, list[RankingList]],
    found: dict[str, list[RankingList]] | None = None,
    *,
    keep: Weights | None = None,
    **confidence,
) -> dict[str, dict]:
    """For each corpus: the scores of weights fitted on all the others (resolution of the gold
    spans; with ``found``, also the confidence's figures over the names the recognizer found,
    under ``"found"``). ``keep``: keep these ranker weights, fit the confidence model only;
    ``confidence``: :func:`fit_confidence`'s options."""
    found = found or {}
    out = {}
    for name, lists in data.items():
        weights = fit_weights(
            {other: d for other, d in data.items() if other != name},
            {other: d for other, d in found.items() if other != name},
            ranker=keep,
            **confidence,
        )
        out[name] = score_lists(lists, weights)
        if name in found:
            out[name]["found"] = score_lists(found[name], weights)
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
    form: str = CONFIDENCE_FORMS[0],
    calibration: str = CALIBRATIONS[0],
) -> dict:
    """Fit the ranker (or, with ``keep_ranker``, keep the shipped one) and the confidence model on
    ``corpora`` and return the JSON object of ``geomap/nlp/ranker.json``, with its ``provenance``
    (:func:`geomap.tools.provenance.provenance`; ``command``: the command line that asked for it).

    The features of a name depend on the picks the resolver makes for the other names of its
    text. With ``passes`` = 0 those picks come from the resolver's present weights (the shipped
    ones); with ``passes`` = N ≥ 1 the first pass takes them from the hand-set defaults in the code
    and each later pass from the weights fitted in the pass before, so the result depends on code
    and data alone (``make models``). ``form``, ``calibration``: the confidence model's
    (:func:`fit_confidence`)."""
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
            weights = fit_weights(data, found, ranker=shipped, form=form, calibration=calibration)
            context.append(weights)
    finally:
        resolver.weights = kept
    return weights.to_json(
        trained_on=f"{split} split of " + ", ".join(data),
        n_lists={name: len(d) for name, d in data.items()},
        provenance=provenance(command=command, corpora=corpora, gazetteer=geoparser.gazetteer, nlp=geoparser.nlp),
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
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
        help="corpora that teach the ranker only, not the confidence model (their "
        "annotation covers one name a text, e.g. hu2014 ju2016)",
    )
    ap.add_argument(
        "--confidence-form", choices=CONFIDENCE_FORMS, default=CONFIDENCE_FORMS[0], help="the confidence model's form"
    )
    ap.add_argument(
        "--calibration",
        choices=CALIBRATIONS,
        default=CALIBRATIONS[0],
        help="the map of its log-odds, fitted on out-of-corpus predictions",
    )
    args = ap.parse_args(argv)
    try:
        _run(args, list(sys.argv[1:] if argv is None else argv))
    except GeomapError as exc:
        sys.exit(f"error: {exc}")


def _run(args: argparse.Namespace, argv: list[str]) -> None:
    from geomap.settings import Settings

    gp = Settings(recognizer=args.recognizer).load(fresh=True)
    if args.leave_one_out:
        data = {corpus_name(p): collect(gp, p, args.split, args.limit) for p in args.corpora}
        found = {
            corpus_name(p): collect_full(gp, p, args.split, args.limit)
            for p in args.corpora
            if corpus_name(p) not in args.gold_spans_only
        }
        keep = Weights.shipped() if args.keep_ranker else None
        print(
            "| confidence | held out | lists | Acc@161 | conf. ROC-AUC (gold spans) | found names: ROC-AUC | "
            "ECE | flags wrong | flags right |\n|---|---|---|---|---|---|---|---|---|"
        )
        for form in CONFIDENCE_FORMS:
            for calibration in CALIBRATIONS:
                table = leave_one_out(data, found, keep=keep, form=form, calibration=calibration)
                for name, r in table.items():
                    f = r.get("found") or {}
                    print(
                        f"| {form}, {calibration} | {name} | {r['n']} | {r['acc161']:.3f} | {_f(r['roc_auc'])} | "
                        f"{_f(f.get('roc_auc'))} | {_f(f.get('ece'))} | {_f(f.get('flags_wrong'))} | "
                        f"{_f(f.get('flags_right'))} |",
                        flush=True,
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
        form=args.confidence_form,
        calibration=args.calibration,
    )
    atomic.write_text(args.out, json.dumps(out, indent=1) + "\n")
    lists = ", ".join(f"{name} {n}" for name, n in out.get("n_lists", {}).items())
    print(f"wrote {args.out} (ranking lists: {lists})")


def _f(v: float | None) -> str:
    return "–" if v is None else f"{v:.3f}"


if __name__ == "__main__":
    main()
