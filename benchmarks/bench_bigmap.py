"""Big maps (issue 12, item 4): write time, file size and load time in Chromium for 10k and
100k synthetic events, as ratios to the 10k run of the same process.

"Usable" is timed from navigation until the aggregated layer has drawn (grid counts on the
canvas) and one pan has been redrawn; the run also checks the 100k page is under 40 MB.

Run: python benchmarks/bench_bigmap.py [--sizes 10000 100000] [--no-browser]
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

LIMIT_MB, LIMIT_S = 40, 3.0


def usable_seconds(browser, path: Path) -> tuple[float, float]:
    """(seconds until the aggregated layer is drawn, seconds for one pan to be redrawn)."""
    from geomap.mapping.render import block_remote

    page = browser.new_page(viewport={"width": 1200, "height": 800})
    block_remote(page)
    t0 = time.perf_counter()
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_function(
        "() => window.geomap && Object.values(geomap.maps).some(s => s.big && s.big.drawn.count > 0)", timeout=60_000
    )
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    loaded = time.perf_counter() - t0
    t1 = time.perf_counter()
    page.evaluate("() => { const m = Object.values(geomap.maps)[0].map; m.panBy([200, 0], {animate: false}); }")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    pan = time.perf_counter() - t1
    page.close()
    return loaded, pan


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        browser_cm = None
        if not args.no_browser:
            from geomap.mapping.render import chromium_browser

            browser_cm = chromium_browser()
            browser = browser_cm.__enter__()
        try:
            for n in args.sizes:
                events = synthetic_events(n)
                out = Path(tmp) / f"big{n}.html"
                t0 = time.perf_counter()
                write_map(make_map(events, tiles=None), out)
                write = time.perf_counter() - t0
                size = out.stat().st_size
                load = pan = float("nan")
                if browser_cm is not None:
                    load, pan = usable_seconds(browser, out)
                rows.append((n, write, size, load, pan))
        finally:
            if browser_cm is not None:
                browser_cm.__exit__(None, None, None)

    base = rows[0]
    print(f"{'events':>8} {'write s':>8} {'x':>5} {'MB':>6} {'x':>5} {'load s':>7} {'x':>5} {'pan ms':>7}")
    for n, write, size, load, pan in rows:
        print(
            f"{n:>8} {write:>8.2f} {write / base[1]:>5.1f} {size / 1e6:>6.1f} {size / base[2]:>5.1f} "
            f"{load:>7.2f} {load / base[3]:>5.1f} {pan * 1000:>7.0f}"
        )
    n, _, size, load, _ = rows[-1]
    print(
        f"largest ({n}): {'under' if size / 1e6 < LIMIT_MB else 'OVER'} {LIMIT_MB} MB, "
        f"{'under' if load < LIMIT_S else 'OVER'} {LIMIT_S:.0f} s to usable"
    )


if __name__ == "__main__":
    main()
