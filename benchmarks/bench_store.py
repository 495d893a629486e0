"""Event store benchmarks (`geomap update`), ratios from one run.

- a second update with the same N articles, against the first (target: <= 5%);
- adding 10 new articles to a store of N, against parsing those 10 alone (target: <= 2x);
- the store's size per 1,000 articles, and the time to read a big store's events for a map.

    python benchmarks/bench_store.py            # N = 1000
    python benchmarks/bench_store.py --n 200    # quicker

and, with ``--map-events N``, a map from a store of N event rows (``--base`` articles parsed once,
then copied inside the SQLite file) against the same events from a GeoParquet file, with
``--incidents`` against the store's events map too; each in wall-clock and CPU seconds (the
CPU seconds vary far less on a machine shared with other work):

    python benchmarks/bench_store.py --map-events 100000
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import sqlite3
import subprocess
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


#: Tables copied row by row to grow a store (runs and errors are not).
TABLE_COPIES = ("articles", "mentions", "events", "incidents")


def shift_years(text: str, years: int) -> str:
    """An ISO date or timestamp (or '') moved by whole years, so the first day of a month or a year
    stays one (29 February becomes the 28th)."""
    if len(text) < 4 or not text[:4].isdigit():
        return text
    out = f"{int(text[:4]) + years:04d}{text[4:]}"
    return out.replace("-02-29", "-02-28", 1) if out[4:10] == "-02-29" else out


def replicate_store(store: Path, copies: int) -> None:
    """Make ``copies`` more of every article of a one-run store, with its mentions, events and
    incidents, inside the SQLite file: new keys and ids, dates moved by whole years, places moved by
    a fraction of a degree per incident, so each copy's events are distinct events. The last copy is
    a second run, so the map's "new" layer holds one copy, as after a day's update."""
    import sqlite3

    conn = sqlite3.connect(store)
    conn.row_factory = sqlite3.Row
    tables = {t: [dict(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY rowid")] for t in TABLE_COPIES}
    run = dict(conn.execute("SELECT * FROM runs WHERE run_id = 1").fetchone())
    step = conn.execute("SELECT MAX(incident_id) FROM incidents").fetchone()[0] or 0
    conn.execute("BEGIN")
    for k in range(1, copies + 1):
        run_id = 2 if k == copies else 1
        years = k % 8

        def moved(r: dict, incident_id) -> dict:
            # the same shift for an incident and its events, another for every incident and copy
            h = (k * 7919 + (incident_id or 0) * 104729) % 997
            r = dict(r)
            for col in ("date", "period_start", "period_end", "published", "first_report", "last_report"):
                if r.get(col):
                    r[col] = shift_years(r[col], years)
            if r.get("lat") is not None:
                r["lat"] = max(-89.9, min(89.9, r["lat"] + (h % 41 - 20) / 40 + 0.013))
                r["lon"] = (r["lon"] + (h % 37 - 18) / 36 + 0.017 + 180) % 360 - 180
            return r

        def sources(text: str) -> str:
            items = json.loads(text) if text else []
            for s in items:
                s["doc_id"] = f"{s.get('doc_id', '')}~{k}"
                if s.get("article_key"):
                    s["article_key"] = f"{s['article_key']}~{k}"
                if s.get("published"):
                    s["published"] = shift_years(s["published"], years)
            return json.dumps(items, ensure_ascii=False)

        rows = {"articles": [], "mentions": [], "events": [], "incidents": []}
        for a in tables["articles"]:
            a = moved(a, None)
            a.update(article_key=f"{a['article_key']}~{k}", doc_id=f"{a['doc_id']}~{k}", run_id=run_id)
            a["url"] = f"{a['url']}#{k}" if a["url"] else ""
            rows["articles"].append(a)
        for m in tables["mentions"]:
            m = moved(m, None)
            m.update(article_key=f"{m['article_key']}~{k}", doc_id=f"{m['doc_id']}~{k}", run_id=run_id)
            rows["mentions"].append(m)
        for e in tables["events"]:
            e = moved(e, e["incident_id"])
            e.update(
                article_key=f"{e['article_key']}~{k}",
                doc_id=f"{e['doc_id']}~{k}",
                event_id=f"{e['event_id']}~{k}",
                run_id=run_id,
                incident_id=e["incident_id"] + k * step,
                sources=sources(e["sources"]),
            )
            rows["events"].append(e)
        for i in tables["incidents"]:
            i = moved(i, i["incident_id"])
            i.update(incident_id=i["incident_id"] + k * step, sources=sources(i["sources"]))
            i["first_run"] = i["last_run"] = run_id
            rows["incidents"].append(i)
        if run_id == 2:
            conn.execute(
                "INSERT INTO runs VALUES (2, ?, ?, ?, ?, ?, ?, 0, 0, ?)",
                (
                    run["started"],
                    run["finished"],
                    run["geomap_version"],
                    run["settings"],
                    run["inputs"],
                    len(rows["articles"]),
                    len({(e["article_key"], e["event_id"]) for e in rows["events"]}),
                ),
            )
        for table in ("incidents", "articles", "mentions", "events"):
            if rows[table]:
                names = list(rows[table][0])
                quoted = ", ".join(f'"{n}"' for n in names)
                conn.executemany(
                    f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' for _ in names)})",
                    [tuple(r[n] for n in names) for r in rows[table]],
                )
    n = conn.execute("SELECT COUNT(*) FROM articles WHERE run_id = 1").fetchone()[0]
    conn.execute("UPDATE runs SET n_articles = ? WHERE run_id = 1", (n,))
    conn.execute("COMMIT")
    conn.execute("VACUUM")
    conn.close()


#: CPU seconds of the last :func:`geomap_command` (user + system): steadier than the wall
#: clock on a machine other work shares.
LAST_CPU = [0.0]


def geomap_command(*args: str) -> float:
    """Seconds for one ``geomap`` command line, run as a user runs it (a fresh interpreter); its
    CPU seconds go to :data:`LAST_CPU`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "geomap", *args], capture_output=True, text=True)
    seconds = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU[0] = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if done.returncode:
        raise SystemExit(f"geomap {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    return seconds


def map_benchmark(n_events: int, base: int) -> None:
    """A map from a store of ``n_events`` event rows against one from the same events in a
    GeoParquet file, each end to end; the store's size and the time to read its events."""
    import geopandas as gpd

    import geomap
    from geomap.store import update_store
    from geomap.store.frames import read_table

    gp = geomap.get_geoparser()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = tmp / "news.db"
        t_parse, _ = timed(
            lambda: update_store(store, [str(write_jsonl(tmp / "wire.jsonl", base, seed=12))], geoparser=gp)
        )
        with sqlite3.connect(store) as conn:
            base_events = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        copies = max(0, math.ceil(n_events / base_events) - 1)
        t_copy, _ = timed(lambda: replicate_store(store, copies))
        t_check = geomap_command("store", "check", str(store))
        events_file = tmp / "events.parquet"
        geomap_command("extract", str(store), "-o", str(events_file))
        read_store, events = timed(lambda: read_table(store, "events"))
        read_file, from_file = timed(lambda: gpd.read_parquet(events_file))
        assert len(events) == len(from_file), (len(events), len(from_file))
        with sqlite3.connect(store) as conn:
            n_incidents = conn.execute("SELECT COUNT(*) FROM incidents").fetchone()[0]
            n_articles = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        size = store.stat().st_size
        file_map = geomap_command("map", str(events_file), "-o", str(tmp / "file.html"), "--quiet")
        file_cpu = LAST_CPU[0]
        store_map = geomap_command("map", str(store), "-o", str(tmp / "store.html"), "--quiet")
        store_cpu = LAST_CPU[0]
        incident_map = geomap_command("map", str(store), "--incidents", "-o", str(tmp / "incidents.html"), "--quiet")
        incident_cpu = LAST_CPU[0]
        pages = {p: (tmp / p).stat().st_size / 1e6 for p in ("file.html", "store.html", "incidents.html")}
        parquet_mb = events_file.stat().st_size / 1e6
    print(
        f"store: {base} parsed articles ({t_parse:.0f} s, {base_events} event rows) x {copies + 1} copies "
        f"({t_copy:.0f} s) = {n_articles} articles, {len(events)} event rows, {n_incidents} incidents"
    )
    print(
        f"store size: {size / 1e6:.0f} MB (texts and mentions included); events.parquet {parquet_mb:.1f} MB; "
        f"geomap store check: passes, {t_check:.1f} s"
    )
    print(f"read events: store {read_store:.2f} s, GeoParquet {read_file:.2f} s ({read_store / read_file:.1f}x)")
    print(
        f"geomap map, end to end: GeoParquet {file_map:.1f} s ({pages['file.html']:.1f} MB page); "
        f"store {store_map:.1f} s = {store_map / file_map:.2f}x ({pages['store.html']:.1f} MB); "
        f"store --incidents {incident_map:.1f} s = {incident_map / file_map:.2f}x ({pages['incidents.html']:.1f} MB)"
    )
    print(
        f"CPU seconds: GeoParquet {file_cpu:.1f}, store {store_cpu:.1f} = {store_cpu / file_cpu:.2f}x, "
        f"store --incidents {incident_cpu:.1f} = {incident_cpu / file_cpu:.2f}x "
        f"({incident_cpu / store_cpu:.2f}x the store's events map)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument(
        "--map-events",
        type=int,
        default=0,
        help="instead: map a store grown to this many event rows from --base articles",
    )
    parser.add_argument("--base", type=int, default=300, help="articles parsed for --map-events")
    args = parser.parse_args()
    if args.map_events:
        map_benchmark(args.map_events, args.base)
        return
    import geomap
    from geomap.batch import parse_batch
    from geomap.records import Article
    from geomap.scale import Settings
    from geomap.store import update_store
    from geomap.store.frames import incidents_as_events, read_table

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
        alone, _ = timed(
            lambda: parse_batch(alone_articles, settings=Settings(), geoparser=gp, merge=False, warn=False)
        )
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
