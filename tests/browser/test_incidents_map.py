"""A big living map (issue 24): the incidents of an event store grown past the aggregation
threshold, drawn by `geomap map STORE --incidents`, in a real Chromium with every non-local
request blocked: the page opens offline, shows grid counts of incidents that the time control
filters, and zoomed in each incident is its type's lettered pin whose popup quotes every source,
markup in the sources shown as text."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from test_map_browser import Tab, browser  # noqa: F401  (fixture)

from geomap.mapping.big import AGGREGATE_OVER
from geomap.store import update_store

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "store"
#: A third report of the Baghdad market bombing whose title carries markup (our own words).
MARKUP_TITLE = 'Market blast <img src=x onerror="window.__gmXss=1"> toll rises'
THIRD_REPORT = {
    "id": "third-report",
    "title": MARKUP_TITLE,
    "url": "https://radio.example/news/market-blast",
    "published": "2021-03-04",
    "text": "A car bomb exploded in a busy market in Baghdad on Wednesday, killing 12 people, witnesses said.",
}
COPIES = AGGREGATE_OVER // 3 + 200  # the store's three incidents copied past the threshold


@pytest.fixture(scope="module")
def big_store(tmp_path_factory, geoparser) -> Path:
    folder = tmp_path_factory.mktemp("living")
    wire = folder / "third.jsonl"
    wire.write_text(json.dumps(THIRD_REPORT) + "\n", encoding="utf-8")
    store = folder / "news.db"
    inputs = [str(DATA / name) for name in ("day1-reuters.md", "day2-local.md", "other-city.md", "week-later.md")]
    update_store(store, [*inputs, str(wire)], geoparser=geoparser)
    with sqlite3.connect(store) as conn:
        told = sorted(n for (n,) in conn.execute("SELECT n_sources FROM incidents"))
    assert told == [1, 1, 3], told  # the market bombing, told three times; Basra; the week later
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_store import replicate_store

    replicate_store(store, COPIES)
    return store


def draw(store: Path, out: Path, *extra: str) -> str:
    run = subprocess.run(
        [sys.executable, "-m", "geomap", "map", str(store), "--incidents", "-o", str(out), "--tiles", "none", "-q"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    return out.read_text(encoding="utf-8")


STATE = "Object.values(geomap.maps)[0]"


def test_big_incident_map_aggregates_offline_and_quotes_every_source(big_store, browser, tmp_path):  # noqa: F811
    with sqlite3.connect(big_store) as conn:
        placed = conn.execute("SELECT COUNT(*) FROM incidents WHERE lat IS NOT NULL").fetchone()[0]
        three = conn.execute("SELECT COUNT(*) FROM incidents WHERE n_sources = 3").fetchone()[0]
        new = conn.execute(
            "SELECT COUNT(*) FROM incidents WHERE lat IS NOT NULL AND last_run = (SELECT MAX(run_id) FROM runs)"
        ).fetchone()[0]
    assert placed > AGGREGATE_OVER and three == COPIES + 1
    html = draw(big_store, tmp_path / "living.html")
    # one aggregated layer, no marker per incident, and nothing to fetch
    assert "geomap.aggregated(" in html and "circle_marker_" not in html and "geomap.addEvents(" not in html
    assert f"Incidents by number of sources ({placed})" in html
    assert MARKUP_TITLE not in html  # only as JSON text, "<" never raw inside the script
    tab = Tab(browser, 1200, 800)
    try:
        page = tab.open(tmp_path / "living.html")
        page.wait_for_function(f"() => {STATE}.big.drawn.count > 0")
        assert page.evaluate(f"() => {STATE}.big.drawn.mode") == "grid"
        # what the last update made or grew is ringed (the last copy, a second run)
        assert page.evaluate(f"() => {STATE}.big.data.ring.on.reduce((a, b) => a + b, 0)") == new > 0
        cells = page.locator(".geomap-cell")
        total = sum(int(t.replace("k", "000")) for t in cells.all_inner_texts())
        assert total == placed  # every incident is in one cell's count
        cells.first.hover()
        tip = page.locator(".leaflet-tooltip").inner_text()
        assert " incidents (" in tip and "sources), most of them bombing" in tip
        row = page.locator('.geomap-legend .gm-row[data-type="bombing"]')
        assert row.get_attribute("data-count") == str(placed) and row.locator(".gm-swatch").inner_text() == "Bo"
        # the time control filters the counts
        page.locator(".geomap-timerange .gm-hi").fill("0")
        shown = int(page.locator(".geomap-timerange").get_attribute("data-shown"))
        assert 0 < shown < placed / 2
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        assert sum(int(t.replace("k", "000")) for t in page.locator(".geomap-cell").all_inner_texts()) <= shown
        page.locator(".geomap-timerange .gm-hist").dblclick()  # every date again
        # zoomed in on the market: few incidents in view, each its type's lettered pin
        page.evaluate(f"() => {{ {STATE}.map.setView([33.3406, 44.4009], 13, {{animate: false}}); }}")
        page.wait_for_function(f"() => {STATE}.big.drawn.mode === 'pins'")
        pins = page.locator(".geomap-site")
        assert pins.count() >= 1 and set(pins.all_inner_texts()) == {"Bo"}
        opened = page.evaluate(
            f"""() => {{ const st = {STATE}; let k = -1;
              st.map.eachLayer(l => {{
                if (k < 0 && l.geomapIndex !== undefined && st.big.data.ns[l.geomapIndex] === 3) {{
                  k = l.geomapIndex; l.openPopup(); }} }});
              return k; }}"""
        )
        assert opened >= 0
        pop = page.locator(".leaflet-popup-content")
        pop.wait_for(timeout=5000)
        text = pop.inner_text()
        assert "3 sources, first report" in text
        items = pop.locator(".gm-sources li")
        assert items.count() == 3
        quoted = " ".join(items.all_inner_texts())
        for sentence in ("crowded market in Baghdad", "Families buried their dead", "busy market in Baghdad"):
            assert sentence in quoted
        assert MARKUP_TITLE in quoted  # the markup as text, never as an element
        assert pop.locator("img, script").count() == 0 and page.evaluate("() => window.__gmXss") is None
        links = pop.locator(".gm-sources a")
        assert {links.nth(i).get_attribute("href") for i in range(links.count())} >= {
            "https://daily.example/iraq/market-victims",
            "https://radio.example/news/market-blast",
        }
        assert pop.locator(".gm-sources mark").first.inner_text() == "Baghdad"
        assert tab.failed == [] and tab.errors == []
    finally:
        tab.close()


#: A report whose title carries markup and a template-literal expression (our own words).
TEMPLATE_TITLE = 'Blast toll ${window.__gmTpl=1} rises `again` <b onmouseover="window.__gmXss=2">now</b>'


@pytest.fixture(scope="module")
def small_store(tmp_path_factory, geoparser) -> Path:
    folder = tmp_path_factory.mktemp("small-living")
    wire = folder / "third.jsonl"
    wire.write_text(json.dumps({**THIRD_REPORT, "title": TEMPLATE_TITLE}) + "\n", encoding="utf-8")
    store = folder / "news.db"
    update_store(store, [str(DATA / n) for n in ("day1-reuters.md", "other-city.md")], geoparser=geoparser)
    update_store(store, [*(str(DATA / n) for n in ("day2-local.md", "week-later.md")), str(wire)], geoparser=geoparser)
    return store


@pytest.mark.parametrize("incidents", [True, False])
def test_small_store_maps_run_fit_their_events_and_open_popups_offline(
    small_store,
    browser,  # noqa: F811
    tmp_path,
    incidents,
):
    """A store's small maps add their layers after the map is made: the page still runs to the
    end (the layer list and the fit come after them), fits the Iraqi events rather than the
    world, and an incident's popup opens with its sources as text, nothing in them run."""
    out = tmp_path / "small.html"
    args = [sys.executable, "-m", "geomap", "map", str(small_store), "-o", str(out), "--tiles", "none", "-q"]
    run = subprocess.run(args + (["--incidents"] if incidents else []), capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    tab = Tab(browser, 1200, 800)
    try:
        page = tab.open(out)
        view = f"() => {{ const m = {STATE}.map, c = m.getCenter(); return [m.getZoom(), c.lat, c.lng]; }}"
        zoom, lat, lng = page.evaluate(view)
        assert zoom >= 5 and 29 < lat < 35 and 43 < lng < 49  # Baghdad and Basra in view, not the world
        legend = page.locator(".geomap-legend").inner_text()
        assert "in the last update" in legend
        if incidents:
            assert "incident circle area" in legend
            opened = page.evaluate(
                f"""() => {{ let n = 0; {STATE}.map.eachLayer(l => {{
                    if (!n && l.getPopup && l.getPopup() && l.getRadius && l.getRadius() > 12) {{
                      l.openPopup(); n++; }} }});
                    return n; }}"""
            )
            assert opened == 1
            pop = page.locator(".leaflet-popup-content")
            pop.wait_for(timeout=5000)
            text = pop.inner_text()
            assert "3 sources, first report" in text and TEMPLATE_TITLE in text
            assert pop.locator("b[onmouseover]").count() == 0
        assert page.evaluate("() => [window.__gmTpl, window.__gmXss]") == [None, None]
        assert tab.failed == [] and tab.errors == []
    finally:
        tab.close()
