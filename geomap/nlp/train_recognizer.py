"""Fit the learned recognizer's classifier on gold toponym corpora.

    python -m geomap.nlp.train_recognizer lgl.jsonl gwn.jsonl geocorpora.jsonl [-o recognizer.json]
    python -m geomap.nlp.train_recognizer lgl.jsonl gwn.jsonl geocorpora.jsonl --leave-one-out

Every candidate span of every document (all sources, see ``PlaceRecognizer.candidates``) is a
training example, labelled a place when a gold toponym has exactly its bounds. Each corpus weighs
the same in the fit, however many candidates it has, so that no one corpus's conventions (tweets,
local US news) decide for the others. Corpora that annotate only one place per passage (Hu2014,
Ju2016) cannot say what is *not* a place: they are scored for recall but never fitted on.

``--leave-one-out`` fits on all corpora but one and scores the one left out, for each: that is how
the model's form and its threshold are chosen, and the figure to quote for text geomap has never
seen. The threshold of the shipped model is the one with the best mean F1 over the left-out
corpora.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from geomap.nlp.place_features import RECOGNIZER_FEATURES
from geomap.nlp.place_model import SHIPPED_CLASSIFIER, PlaceClassifier
from geomap.nlp.sources import CUE_SOURCES, PROPOSAL_SOURCES
from geomap.tools.trees import export_gradient_boosting

#: Corpora that mark one place per passage: recall only, never fitted.
PARTIAL_CORPORA = ("hu2014", "ju2016")
#: (rules, proposals) threshold pairs: a span the rules propose is kept at p ≥ the first, a span
#: only the classifier's extra sources propose needs p ≥ the second.
THRESHOLDS = tuple(
    (round(r, 2), round(q, 2)) for r in np.arange(0.05, 0.51, 0.05) for q in np.arange(0.2, 0.81, 0.05) if q >= r - 1e-9
)


def _key(t: tuple[float, float]) -> str:
    return f"{t[0]}/{t[1]}"


#: The forms compared leave-one-out; the first is shipped unless told otherwise.
FORMS = ("trees", "logistic")


@dataclass
class CorpusCandidates:
    """The candidates of one corpus: features, labels, and what overlap resolution needs."""

    name: str
    x: np.ndarray  # features
    y: np.ndarray  # 1 = a gold toponym has exactly these bounds
    doc: np.ndarray  # document index of each candidate
    start: np.ndarray  # token bounds, for overlap resolution
    end: np.ndarray
    priority: np.ndarray  # the best source's priority
    n_gold: int  # gold toponyms in the corpus (for recall)

    @property
    def partial(self) -> bool:
        return self.name in PARTIAL_CORPORA


def collect(geoparser, corpus_path: str | Path, *, split: str = "all", limit: int | None = None) -> CorpusCandidates:
    """Parse a corpus (its ``split`` half, at most ``limit`` documents) and return its candidates
    with features and labels."""
    from geomap.eval.corpus import corpus_name, read_corpus, select

    docs = select(read_corpus(corpus_path), split, limit)
    rec = geoparser.recognizer
    xs, ys, ds, ss, es, ps = [], [], [], [], [], []
    n_gold = 0
    texts = [d.text for d in docs]
    for i, (gold, doc) in enumerate(zip(docs, geoparser.nlp.pipe(texts, batch_size=32))):
        spans = {(t.start, t.end) for t in gold.toponyms}
        n_gold += len(spans)
        cands = rec.candidates(doc, proposals=True)
        rows = rec.feature_rows(doc, cands)
        for cand, row in zip(cands, rows):
            xs.append(row)
            ys.append(int((cand.span.start_char, cand.span.end_char) in spans))
            ds.append(i)
            ss.append(cand.span.start)
            es.append(cand.span.end)
            ps.append(cand.priority)
    width = len(RECOGNIZER_FEATURES)
    return CorpusCandidates(
        corpus_name(corpus_path),
        np.asarray(xs, dtype=float).reshape(-1, width),
        np.asarray(ys),
        np.asarray(ds),
        np.asarray(ss),
        np.asarray(es),
        np.asarray(ps),
        n_gold,
    )


def fit(
    corpora: Sequence[CorpusCandidates],
    form: str = "trees",
    threshold: tuple[float, float] = (0.5, 0.5),
    about: dict | None = None,
) -> PlaceClassifier:
    """Fit a classifier on the full corpora given, each corpus weighing the same."""
    used = [c for c in corpora if not c.partial and len(c.y)]
    if not used:
        raise ValueError("no corpus with full annotations to fit on")
    x = np.vstack([c.x for c in used])
    y = np.concatenate([c.y for c in used])
    w = np.concatenate([np.full(len(c.y), 1.0 / len(c.y)) for c in used]) * len(y) / len(used)
    if form == "trees":
        from sklearn.ensemble import GradientBoostingClassifier

        model = GradientBoostingClassifier(
            n_estimators=300, max_depth=3, learning_rate=0.05, subsample=0.8, random_state=0
        )
        model.fit(x, y, sample_weight=w)
        params = export_gradient_boosting(model)
    elif form == "logistic":
        from sklearn.linear_model import LogisticRegression

        mean, scale = x.mean(axis=0), x.std(axis=0)
        scale[scale == 0] = 1.0
        model = LogisticRegression(C=1.0, max_iter=2000)
        model.fit((x - mean) / scale, y, sample_weight=w)
        params = {
            "mean": mean.tolist(),
            "scale": scale.tolist(),
            "coef": model.coef_[0].tolist(),
            "intercept": float(model.intercept_[0]),
        }
    else:
        raise ValueError(f"unknown form {form!r} (choose from {', '.join(FORMS)})")
    return PlaceClassifier(RECOGNIZER_FEATURES, form, params, threshold[1], about or {}, rule_threshold=threshold[0])


def selected(c: CorpusCandidates, probs: np.ndarray, threshold: tuple[float, float]) -> np.ndarray:
    """Indices of the candidates kept: p ≥ threshold or proposed by a cue, then no two
    overlapping (best source first, then the longest), as the component does."""
    proposal = _proposal_only(c.x)
    keep = np.flatnonzero(np.where(proposal, probs >= threshold[1], probs >= threshold[0]) | _cued(c.x))
    order = sorted(keep, key=lambda i: (c.doc[i], c.priority[i], -(c.end[i] - c.start[i]), c.start[i]))
    used: dict[int, set[int]] = {}
    out = []
    for i in order:
        tokens = set(range(c.start[i], c.end[i]))
        taken = used.setdefault(int(c.doc[i]), set())
        if tokens & taken:
            continue
        taken |= tokens
        out.append(i)
    return np.asarray(out, dtype=int)


_CUE_COLUMNS = [
    RECOGNIZER_FEATURES.index(f"src_{s.value.lower()}")
    for s in CUE_SOURCES
    if f"src_{s.value.lower()}" in RECOGNIZER_FEATURES
]


_PROPOSAL_COLUMNS = [RECOGNIZER_FEATURES.index(f"src_{s.value.lower()}") for s in PROPOSAL_SOURCES]
_SOURCE_COLUMNS = [i for i, f in enumerate(RECOGNIZER_FEATURES) if f.startswith("src_")]


def _proposal_only(x: np.ndarray) -> np.ndarray:
    """Candidates that only the classifier's extra sources propose (the rules alone would not)."""
    if not len(x):
        return np.zeros(0, dtype=bool)
    rule_columns = [i for i in _SOURCE_COLUMNS if i not in _PROPOSAL_COLUMNS]
    return x[:, rule_columns].max(axis=1) == 0


def _cued(x: np.ndarray) -> np.ndarray:
    """Candidates the component keeps whatever the classifier says (``components._kept_by_rule``):
    cues, demonyms, unknown names of several words that the NER model reads as places."""
    if not len(x):
        return np.zeros(0, dtype=bool)
    col = RECOGNIZER_FEATURES.index
    demonym = x[:, col("label_norp")] > 0
    unknown_name = (x[:, col("src_ner")] > 0) & (x[:, col("gaz_known")] == 0) & (x[:, col("n_tokens")] > 1)
    return (x[:, _CUE_COLUMNS].max(axis=1) > 0) | demonym | unknown_name


def scores(c: CorpusCandidates, probs: np.ndarray, threshold: tuple[float, float]) -> dict[str, float]:
    """Exact-span precision, recall and F1 of the kept candidates."""
    kept = selected(c, probs, threshold)
    tp = int(c.y[kept].sum()) if len(kept) else 0
    p = tp / len(kept) if len(kept) else 0.0
    r = tp / c.n_gold if c.n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "kept": len(kept), "gold": c.n_gold}


def leave_one_out(corpora: Sequence[CorpusCandidates], form: str = "trees") -> dict[str, dict]:
    """Fit on all full corpora but one, score the one left out, at every threshold."""
    out = {}
    for held in corpora:
        rest = [c for c in corpora if c is not held]
        model = fit(rest, form)
        probs = model.probabilities(held.x)
        out[held.name] = {_key(t): scores(held, probs, t) for t in THRESHOLDS}
    return out


def best_threshold(loo: dict[str, dict], corpora: Sequence[CorpusCandidates]) -> tuple[float, float]:
    """The threshold pair with the best mean left-out F1 over the full corpora."""
    full = [c.name for c in corpora if not c.partial]
    return max(THRESHOLDS, key=lambda t: np.mean([loo[name][_key(t)]["f1"] for name in full]))


def _about(
    corpora_paths: Sequence[str],
    geoparser,
    form: str,
    threshold: tuple[float, float],
    loo: dict | None,
    argv: Sequence[str],
) -> dict:
    from geomap.tools.provenance import provenance

    about = provenance(
        command=["python", "-m", "geomap.nlp.train_recognizer", *argv],
        corpora=corpora_paths,
        gazetteer=geoparser.gazetteer,
        nlp=geoparser.nlp,
    )
    about["settings"] = {
        "form": form,
        "rule_threshold": threshold[0],
        "threshold": threshold[1],
        "fitted_on": [Path(p).stem for p in corpora_paths if Path(p).stem not in PARTIAL_CORPORA],
    }
    if loo:
        about["leave_one_out"] = {name: by_t[_key(threshold)] for name, by_t in loo.items()}
    return about


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m geomap.nlp.train_recognizer", description=__doc__.split("\n")[0])
    ap.add_argument("corpora", nargs="+", help="gold toponym corpora (JSONL, geomap eval format)")
    ap.add_argument("-o", "--output", default=str(SHIPPED_CLASSIFIER), help="model file to write")
    ap.add_argument("--form", choices=FORMS, default=FORMS[0], help="classifier form")
    ap.add_argument("--leave-one-out", action="store_true", help="only report left-out scores; write nothing")
    ap.add_argument("--model", default=None, help="spaCy model (default: geomap's)")
    ap.add_argument("--limit", type=int, default=None, help="documents per corpus (for quick runs)")
    ap.add_argument(
        "--split",
        default="all",
        choices=("all", "dev", "test"),
        help="fit on this half of each corpus (dev keeps `geomap eval --split test` fair)",
    )
    ap.add_argument("--json", default=None, help="write the left-out scores to this JSON file")
    argv = list(sys.argv[1:] if argv is None else argv)
    args = ap.parse_args(argv)

    from geomap.errors import GeomapError
    from geomap.settings import Settings

    try:
        geoparser = Settings(args.model, recognizer="none").load(fresh=True)
        corpora = [collect(geoparser, path, split=args.split, limit=args.limit) for path in args.corpora]
    except (GeomapError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for c in corpora:
        print(
            f"{c.name}: {len(c.y)} candidates, {int(c.y.sum())} of {c.n_gold} gold spans among them"
            + (" (partial annotations: scored, not fitted)" if c.partial else ""),
            file=sys.stderr,
        )
    full = [c for c in corpora if not c.partial]
    loo = leave_one_out(corpora, args.form) if len(full) >= 2 else None
    threshold = best_threshold(loo, corpora) if loo else (0.5, 0.5)
    if loo:
        for name, by_t in loo.items():
            s = by_t[_key(threshold)]
            print(
                f"left out {name}: P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f} "
                f"(thresholds {_key(threshold)})"
            )
        if args.json:
            Path(args.json).write_text(json.dumps(loo, indent=1) + "\n", encoding="utf-8")
    if args.leave_one_out:
        return 0
    model = fit(corpora, args.form, threshold, _about(args.corpora, geoparser, args.form, threshold, loo, argv))
    model.write(args.output)
    print(f"wrote {args.output} ({args.form}, thresholds {_key(threshold)})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
