"""Map size and speed for large inputs, as ratios to baselines measured in the same process.

- write: make_map + write_map per 1,000 events vs ``GeoDataFrame.to_json()`` of the same frame
- size: bytes per 1,000 events vs the to_json() text; the offline base layer
  (country outlines) is a fixed cost per page, printed on its own
- page load in Chromium: a 10,000-event page vs the same map with 100 events (one marker per
  event, `aggregate=False`; see bench_bigmap.py for the aggregated view of big maps)

Run: python benchmarks/bench_map.py [--n 10000] [--no-browser]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synthetic_events import synthetic_events  # noqa: E402

from geomap.mapping import make_map, write_map  # noqa: E402
from geomap.mapping.basemap import country_outlines_json  # noqa: E402


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def load_seconds(browser, path: Path, expected: int) -> float:
    from geomap.mapping.render import block_remote

    page = browser.new_page(viewport={"width": 1200, "height": 800})
    block_remote(page)
    t0 = time.perf_counter()
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_function(
        f"() => window.geomap && Object.values(geomap.maps).reduce((n, s) => n + s.entries.length, 0) >= {expected}",
        timeout=60_000,
    )
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    took = time.perf_counter() - t0
    # responsiveness: time for one slider step (filters every marker)
    t1 = time.perf_counter()
    page.locator(".geomap-timerange .gm-hi").fill("10")
    page.evaluate("() => new Promise(r => requestAnimationFrame(r))")
    step = time.perf_counter() - t1
    page.close()
    return took, step


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()

    events = synthetic_events(args.n)
    placed = int((~events.geometry.isna()).sum())
    per_k = 1000 / args.n
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "big.html"
        t_base = best_of(lambda: events.to_json())
        base_size = len(events.to_json().encode("utf-8"))
        t_map = best_of(lambda: write_map(make_map(events, tiles=None, aggregate=False), out))
        size = out.stat().st_size
        print(f"events: {args.n} ({placed} placed)")
        print(
            f"write:  {t_map:.2f} s total, {t_map * per_k * 1000:.0f} ms per 1,000 events; "
            f"to_json baseline {t_base * per_k * 1000:.0f} ms per 1,000 -> ratio {t_map / t_base:.1f}x"
        )
        print(
            f"size:   {size / 1e6:.1f} MB total, {size * per_k / 1e3:.0f} kB per 1,000 events; "
            f"to_json {base_size * per_k / 1e3:.0f} kB per 1,000 -> ratio {size / base_size:.2f}x"
        )
        outlines = len(country_outlines_json().encode("utf-8"))
        print(
            f"base:   offline country outlines add {outlines / 1e3:.0f} kB per page ({outlines / size:.1%} of this one)"
        )
        if args.no_browser:
            return
        from geomap.errors import OutputError
        from geomap.mapping.render import chromium_browser

        small = Path(tmp) / "small.html"
        small_events = events[~events.geometry.isna()].iloc[:100]
        write_map(make_map(small_events, tiles=None, aggregate=False), small)
        try:
            with chromium_browser() as browser:
                load_seconds(browser, small, 100)  # warm-up
                t_small, _ = load_seconds(browser, small, 100)
                t_big, step = load_seconds(browser, out, placed)
        except OutputError as exc:
            print(f"page load: skipped ({exc})")
            return
        print(
            f"load:   {t_big:.2f} s for {args.n} events vs {t_small:.2f} s for 100 -> ratio {t_big / t_small:.1f}x; "
            f"one slider step {step * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
