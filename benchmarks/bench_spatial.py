"""Reverse geocoding through the spatial index, as ratios to a brute-force search in this process.

    python benchmarks/bench_spatial.py [--points 100 1000 10000] [--rounds 3]

Baseline: for each point, the great-circle distance to every town of the gazetteer with numpy and
the minimum (what a reverse geocoder without an index does). Measured: ``areas_at`` over all the
points in one call (the k-d tree), and ``nearest_place`` called point by point. Also printed: the
one-off cost of building the index. Points are uniform over the inhabited latitudes, seeded.
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

import numpy as np  # noqa: E402

from geomap.gazetteer import Gazetteer  # noqa: E402
from geomap.gazetteer.spatial import PlaceIndex, areas_at, nearest_place, place_index  # noqa: E402
from geomap.tools.distance import EARTH_RADIUS_KM  # noqa: E402

#: Brute force is slow; it runs on at most this many points and is scaled up.
BRUTE_POINTS = 100


def _brute(lat: np.ndarray, lon: np.ndarray, qlats: np.ndarray, qlons: np.ndarray) -> np.ndarray:
    rlat, rlon = np.radians(lat), np.radians(lon)
    out = np.empty(qlats.size, dtype=np.int64)
    for i, (a, b) in enumerate(zip(np.radians(qlats), np.radians(qlons))):
        h = np.sin((rlat - a) / 2) ** 2 + np.cos(a) * np.cos(rlat) * np.sin((rlon - b) / 2) ** 2
        out[i] = int(np.argmin(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h))))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    gaz = Gazetteer.open()
    t0 = time.perf_counter()
    PlaceIndex(gaz)
    build = time.perf_counter() - t0
    index = place_index(gaz)
    rows = gaz.points()
    lat = np.array([r[1] for r in rows])
    lon = np.array([r[2] for r in rows])
    print(f"index over {len(index):,} towns built in {build:.2f} s")
    rng = np.random.default_rng(11)
    print(f"{'points':>7} {'brute s':>9} {'index s':>9} {'ratio':>8} {'loop s':>8} {'loop ratio':>10} {'agree':>6}")
    for n in args.points:
        qlats, qlons = rng.uniform(-55, 70, n), rng.uniform(-180, 180, n)
        m = min(n, BRUTE_POINTS)
        brute_t, index_t, loop_t = [], [], []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            nearest = _brute(lat, lon, qlats[:m], qlons[:m])
            brute_t.append((time.perf_counter() - t0) * n / m)
            t0 = time.perf_counter()
            countries, _ = areas_at(gaz, qlats, qlons)
            index_t.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            for a, b in zip(qlats[:m], qlons[:m]):
                nearest_place(gaz, a, b)
            loop_t.append((time.perf_counter() - t0) * n / m)
        agree = float(np.mean(index.country_codes[nearest] == countries[:m]))
        b, i, lp = (statistics.median(t) for t in (brute_t, index_t, loop_t))
        print(f"{n:>7} {b:>9.3f} {i:>9.4f} {i / b:>8.5f} {lp:>8.3f} {lp / b:>10.4f} {agree:>6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
