"""Event store benchmarks (`geomap update`), ratios from one run.

- a second update with the same N articles, against the first (target: <= 5%);
- adding 10 new articles to a store of N, against parsing those 10 alone (target: <= 2x);
- the store's size per 1,000 articles, and the time to read a big store's events for a map.

    python benchmarks/bench_store.py            # N = 1000
    python benchmarks/bench_store.py --n 200    # quicker
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_articles import articles, write_jsonl  # noqa: E402


def timed(fn):
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args()
    import geomap
    from geomap.records import Article
    from geomap.scale import Settings
    from geomap.store import update_store
    from geomap.store.frames import incidents_as_events, read_table
    from geomap.store.parse import parse_each

    gp = geomap.get_geoparser()
    gp.nlp("warm up the model in Baghdad.")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        wire = write_jsonl(tmp / "wire.jsonl", args.n, seed=12)
        extra_records = articles(10, seed=99)
        extra = tmp / "extra.jsonl"
        extra.write_text("".join(json.dumps({**r, "id": f"x{i}"}) + "\n" for i, r in enumerate(extra_records)))
        store = tmp / "news.db"
        first, s1 = timed(lambda: update_store(store, [str(wire)], geoparser=gp))
        second, s2 = timed(lambda: update_store(store, [str(wire)], geoparser=gp))
        assert s2.run_id is None
        alone_articles = [Article(text=r["text"], doc_id=f"x{i}", published=None) for i, r in enumerate(extra_records)]
        alone, _ = timed(lambda: parse_each(alone_articles, settings=Settings(), geoparser=gp))
        add, s3 = timed(lambda: update_store(store, [str(extra)], geoparser=gp))
        size = store.stat().st_size
        read_events, events = timed(lambda: read_table(store, "events"))
        read_incidents, incidents = timed(lambda: incidents_as_events(store))
    print(f"articles: {args.n} (+10), events rows: {len(events)}, incidents: {len(incidents)}")
    print(f"first update: {first:.2f} s; second, same articles: {second:.3f} s = {second / first:.1%} of the first")
    print(f"add 10 to {args.n}: {add:.2f} s; parse those 10 alone: {alone:.2f} s; ratio {add / alone:.2f}x")
    print(f"store size: {size / 1e6:.1f} MB = {size / 1e6 / (args.n + 10) * 1000:.1f} MB per 1,000 articles")
    print(f"read events for a map: {read_events:.2f} s; incidents: {read_incidents:.2f} s")


if __name__ == "__main__":
    main()
