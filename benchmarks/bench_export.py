"""Export and filter cost as ratios to writing GeoJSON, measured in this process.

    python benchmarks/bench_export.py [--rows 1000 10000] [--rounds 3]

Baseline: ``write_frame(events, "x.geojson")`` (GDAL's GeoJSON driver). Measured: the same
synthetic events (benchmarks/synthetic_events.py) written as KML (geomap's own writer),
Shapefile and zipped Shapefile (GDAL), and ``filter_events`` with every filter at once. A ratio
of 2.0 means twice the GeoJSON time; the median of the rounds is reported.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.synthetic_events import synthetic_events  # noqa: E402
from geomap.io.export import write_frame  # noqa: E402
from geomap.tools.filters import filter_events  # noqa: E402


def _median(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"{'rows':>7} {'geojson s':>10} {'kml':>6} {'shp':>6} {'shp.zip':>8} {'filter':>7}")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        for n in args.rows:
            events = synthetic_events(n)
            base = _median(lambda: write_frame(events, out / "e.geojson"), args.rounds)
            ratios = [
                _median(lambda ext=ext: write_frame(events, out / f"e.{ext}"), args.rounds) / base
                for ext in ("kml", "shp", "shp.zip")
            ]
            filtering = (
                _median(
                    lambda: filter_events(
                        events,
                        since="2019-06-01",
                        until="2020-06-30",
                        types="protest,arrest",
                        countries="IQ,IR",
                        min_confidence=0.3,
                    ),
                    args.rounds,
                )
                / base
            )
            print(f"{n:>7} {base:>10.3f} {ratios[0]:>6.2f} {ratios[1]:>6.2f} {ratios[2]:>8.2f} {filtering:>7.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
