"""Leave one corpus out, the whole pipeline: for each corpus, fit the recognizer, the ranker and the
confidence model on the others, then score the one left out with ``geomap eval``'s scorer.

    python -m geomap.eval.leave_one_out ../shared/eval/{lgl,gwn,geocorpora}.jsonl \\
        [--partial ../shared/eval/hu2014.jsonl ../shared/eval/ju2016.jsonl] [--json out.json]

These are the figures to quote for text geomap has never seen: nothing of the corpus scored was
used to fit anything (the rules were written over years of the dev corpora, so they are not).
``--partial`` corpora (one place marked per passage) help fit the ranker and are never scored or
left out. The fitted models go to a temporary folder and are thrown away.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from geomap.eval.corpus import corpus_name


def run(
    full: Sequence[str], partial: Sequence[str] = (), *, folder: Path, progress=print, results: list | None = None
) -> dict[str, dict]:
    """Left-out scores (``EvalResult.to_dict()``) of each corpus in ``full``; ``results``, when
    given, collects each left-out ``EvalResult`` (for its outcomes)."""
    from geomap.eval.runner import evaluate
    from geomap.nlp import train_recognizer as rec
    from geomap.resolve import Resolver, Weights
    from geomap.resolve.training import main as train_ranker
    from geomap.settings import Settings

    rules = Settings(recognizer="none").load(fresh=True)
    candidates = {path: rec.collect(rules, path) for path in [*full, *partial]}
    out = {}
    for held in full:
        name = corpus_name(held)
        rest = [c for path, c in candidates.items() if path != held]
        loo = rec.leave_one_out(rest)
        threshold = rec.best_threshold(loo, rest)
        model = rec.fit(rest, "trees", threshold)
        rec_path = model.write(folder / f"recognizer-{name}.json")
        ranker_path = folder / f"ranker-{name}.json"
        train_ranker(
            [
                *[p for p in full if p != held],
                *partial,
                "--split",
                "dev",
                "--passes",
                "2",
                "--gold-spans-only",
                *[corpus_name(p) for p in partial],
                "--recognizer",
                str(rec_path),
                "--out",
                str(ranker_path),
            ]
        )
        geoparser = Settings(recognizer=str(rec_path)).load(fresh=True)
        geoparser.resolver = Resolver(geoparser.gazetteer, weights=Weights.read(ranker_path))
        scored = evaluate(held, geoparser, progress=False)
        if results is not None:
            results.append(scored)
        result = scored.to_dict()
        result["recognizer_thresholds"] = list(threshold)
        out[name] = result
        progress(_line(name, result))
    return out


def _line(name: str, r: dict) -> str:
    exact = r["recognition"]["exact"]
    flags = r.get("flags") or {}
    return (
        f"left out {name}: recognition exact P {exact['precision']:.3f} R {exact['recall']:.3f} "
        f"F1 {exact['f1']:.3f}; Acc@161 {r['resolution']['acc161']:.3f}; flags wrong "
        f"{flags.get('flags_wrong') or 0:.3f}, right {flags.get('flags_right') or 0:.3f}; "
        f"ECE {r['calibration'].get('ece') or 0:.3f}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m geomap.eval.leave_one_out", description=" ".join(__doc__.split("\n\n")[0].split())
    )
    ap.add_argument("corpora", nargs="+", help="fully annotated gold corpora, each left out in turn")
    ap.add_argument("--partial", nargs="*", default=[], help="corpora that mark one place per passage")
    ap.add_argument("--json", default=None, help="write every left-out figure to this JSON file")
    ap.add_argument(
        "--errors", default=None, help="write every left-out toponym's outcome to this JSON Lines file (as geomap eval)"
    )
    args = ap.parse_args(argv)
    if len(args.corpora) < 3:
        # each left-out round picks the recognizer's threshold leave one out among the rest
        print("error: leave-one-out needs at least three fully annotated corpora", file=sys.stderr)
        return 2
    from geomap.errors import GeomapError

    results: list = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            out = run(
                args.corpora,
                args.partial,
                folder=Path(tmp),
                progress=lambda line: print(line, file=sys.stderr, flush=True),
                results=results,
            )
    except GeomapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        from geomap.io.atomic import write_text

        write_text(args.json, json.dumps(out, indent=1, default=str) + "\n")
    if args.errors:
        from geomap.eval.runner import write_outcomes

        write_outcomes(args.errors, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
