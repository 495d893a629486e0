"""Geoparsing throughput as a ratio to bare spaCy NER on the same documents.

    python benchmarks/bench_geoparse.py [CORPUS.jsonl ...] [--model NAME] [--rounds 3] [--repeat 1]

The baseline is ``nlp.pipe`` of the same spaCy model with the same stock components the geoparser
runs, but none of ours (no place recognizer, gazetteer lookup, ranking). The printed ratio is
geoparser docs/s divided by baseline docs/s, measured in this process on the same texts: 1.0 means
our components cost nothing, 0.8 means they add a quarter of the NER time. Corpora default to the
test slices in tests/data/eval.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from geomap.eval.corpus import read_corpus  # noqa: E402

DEFAULT_CORPORA = sorted((ROOT / "tests" / "data" / "eval").glob("*.jsonl"))
#: Warm-up documents run through both sides first, so lazy loading (gazetteer, vectors) is not timed.
WARMUP = 4


def bare_ner(geoparser, model: str | None):
    """The geoparser's spaCy model without geomap's components, as a fresh pipeline."""
    import spacy

    ours = getattr(geoparser, "nlp", None)
    if model is None:
        if ours is None:
            sys.exit("error: the geoparser exposes no .nlp; pass --model NAME")
        model = f"{ours.meta['lang']}_{ours.meta['name']}"
    base = spacy.load(model)
    if ours is not None:
        # same stock components as the geoparser runs (it may disable the parser, say)
        for name in [n for n in base.pipe_names if n not in ours.pipe_names]:
            base.remove_pipe(name)
    return base


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def measure(geoparser, nlp, texts: list[str], published: list, rounds: int = 3) -> dict[str, float]:
    """Best-of-``rounds`` seconds for each side, alternating so machine load hits both alike."""
    geoparser.mentions_many(texts[:WARMUP], published[:WARMUP])
    list(nlp.pipe(texts[:WARMUP]))
    geo, base = [], []
    for _ in range(rounds):
        base.append(_time(lambda: list(nlp.pipe(texts))))
        geo.append(_time(lambda: geoparser.mentions_many(texts, published)))
    n = len(texts)
    return {
        "docs": n,
        "baseline_docs_per_s": n / min(base),
        "geoparse_docs_per_s": n / min(geo),
        "ratio": min(base) / min(geo),
        "ratio_median": statistics.median(base) / statistics.median(geo),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpora", nargs="*", type=Path, default=DEFAULT_CORPORA)
    ap.add_argument("--model", default=None, help="spaCy model name for both sides")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=1, help="repeat the documents N times (small corpora)")
    args = ap.parse_args(argv)

    docs = [d for p in args.corpora for d in read_corpus(p)] * max(1, args.repeat)
    texts = [d.text for d in docs]
    published = [d.published for d in docs]

    from geomap.pipeline import Geoparser

    geoparser = Geoparser.load(model=args.model)
    nlp = bare_ner(geoparser, args.model)
    r = measure(geoparser, nlp, texts, published, args.rounds)
    print(f"documents:        {r['docs']}")
    print(f"bare spaCy NER:   {r['baseline_docs_per_s']:.1f} docs/s ({' '.join(nlp.pipe_names)})")
    print(f"geomap geoparse:  {r['geoparse_docs_per_s']:.1f} docs/s")
    print(f"ratio:            {r['ratio']:.2f} (median of rounds {r['ratio_median']:.2f}; target >= 0.8)")


if __name__ == "__main__":
    main()
