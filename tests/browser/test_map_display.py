"""What a reader sees (issue 13): names on the offline base map, controls that leave the event
marks visible at page and report sizes, popups, big aggregated maps, and a Jupyter notebook's
exported map; in a real Chromium with every non-local request blocked."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_map_browser import Tab, browser, events, sample, shown_count  # noqa: F401  (fixtures)

from geomap.mapping import make_map, write_map
from geomap.mapping.symbols import assign_symbols

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]

#: Rectangles of every event mark in view and of every control, in page pixels.
RECTS_JS = """() => {
  const c = document.querySelector('.leaflet-container'), box = c.getBoundingClientRect();
  const r = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  const inside = b => b[2] > box.left && b[0] < box.right && b[3] > box.top && b[1] < box.bottom;
  const marks = Array.from(c.querySelectorAll('.geomap-pin, .geomap-badge, .geomap-cluster'))
    .map(r).filter(inside);
  const controls = Array.from(c.querySelectorAll(
      '.leaflet-control-container .leaflet-control, .geomap-title')).map(r).filter(b => b[2] > b[0]);
  return {marks, controls, map: [box.left, box.top, box.right, box.bottom],
          compact: c.classList.contains('geomap-compact')};
}"""


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("width,height", [(1400, 900), (700, 420)])
def test_no_marker_lies_under_a_control(sample, browser, tmp_path, width, height):  # noqa: F811
    article, frame = sample
    frame = frame.assign(background=False)  # layout, not event classes: every site drawn
    tab = Tab(browser, width, height)
    try:
        page = tab.open(write_map(make_map(frame, title=article.title), tmp_path / "m.html"))
        page.wait_for_selector(".geomap-notice", timeout=5000)  # tiles blocked: the notice shows too
        rects = page.evaluate(RECTS_JS)
    finally:
        tab.close()
    assert rects["compact"] is (height < 600 or width < 700)
    # every event site of the sample is drawn (pins and badges, none lost under a cluster)
    assert len(rects["marks"]) >= 5
    hidden = [(m, c) for m in rects["marks"] for c in rects["controls"] if overlap(m, c)]
    assert hidden == []
    m = rects["map"]
    assert all(m[0] <= k[0] and k[2] <= m[2] and m[1] <= k[1] and k[3] <= m[3] for k in rects["marks"])


def test_compact_layout_folds_the_controls(sample, browser, tmp_path):  # noqa: F811
    _, frame = sample
    frame = frame.assign(background=False)  # layout, not event classes: every site drawn
    tab = Tab(browser, 700, 420)
    try:
        page = tab.open(write_map(make_map(frame, tiles=None), tmp_path / "m.html"))
        layers = page.locator(".leaflet-control-layers")
        assert "leaflet-control-layers-expanded" not in layers.get_attribute("class")
        assert page.locator(".geomap-legend details").evaluate("d => d.open") is False
        hist = page.locator(".geomap-timerange .gm-hist").bounding_box()
        assert hist["height"] <= 20  # the slim slider
        layers.hover()  # the folded list opens on demand
        assert "leaflet-control-layers-expanded" in layers.get_attribute("class")
    finally:
        tab.close()
    # the same map in a tall page: everything unfolded
    tall = Tab(browser, 1400, 900)
    try:
        page = tall.open(tmp_path / "m.html")
        assert "leaflet-control-layers-expanded" in page.locator(".leaflet-control-layers").get_attribute("class")
        assert page.locator(".geomap-legend details").evaluate("d => d.open") is True
    finally:
        tall.close()


def test_compact_layout_follows_the_iframe_size(events, browser, tmp_path):  # noqa: F811
    from geomap.mapping import map_html

    host = tmp_path / "report.html"
    host.write_text(
        "<!DOCTYPE html><html><body>"
        + map_html(make_map(events, tiles=None), embed="iframe", height="420px")
        + "</body></html>",
        encoding="utf-8",
    )
    tab = Tab(browser, 1400, 900)  # a big window, a small embed
    try:
        tab.page.goto(host.resolve().as_uri(), wait_until="load")
        frame = tab.page.frame_locator("iframe")
        frame.locator(".leaflet-container.geomap-compact").wait_for(timeout=10_000)
        assert tab.failed == [] and tab.errors == []
    finally:
        tab.close()


def test_labels_are_visible_offline(sample, browser, tmp_path):  # noqa: F811
    _, frame = sample
    frame = frame.assign(background=False)  # layout, not event classes: every site drawn
    tab = Tab(browser, 1400, 900)
    try:
        page = tab.open(write_map(make_map(frame, tiles=None), tmp_path / "m.html"))
        labels = page.evaluate("""() => Array.from(document.querySelectorAll('.geomap-label')).map(l => {
          const b = l.getBoundingClientRect();
          return [l.textContent, l.className, b.left, b.top, b.right, b.bottom, getComputedStyle(l).visibility]; })""")
        assert tab.failed == [] and tab.errors == []
        names = {n for n, *_ in labels}
        assert {"Lebanon", "Damascus", "Kirkuk"} <= names  # country, capital and city names round the sites
        marks = page.evaluate(RECTS_JS)["marks"]
        assert not [(x, m) for x in labels for m in marks if overlap(x[2:6], m)]  # no name under a mark
        assert all(x[6] == "visible" for x in labels)
        assert sum(1 for x in labels if x[2] >= 0 and x[4] <= 1400 and x[3] >= 0 and x[5] <= 900) >= 8
        boxes = [x[2:6] for x in labels]
        assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if overlap(a, b)]  # never piled up
        # zoomed out to the world, only the big countries are named
        page.evaluate("() => { Object.values(geomap.maps)[0].map.setView([20, 0], 2, {animate: false}); }")
        page.wait_for_timeout(100)
        world = set(
            page.evaluate("() => Array.from(document.querySelectorAll('.geomap-label')).map(l => l.textContent)")
        )
        assert "Russia" in world and "Baghdad" not in world
        # with the base map off, the names go too
        page.locator(".leaflet-control-layers-base label", has_text="No base map").locator("input").check(force=True)
        assert page.locator(".geomap-label").count() == 0
    finally:
        tab.close()


def test_popup_quotes_the_place_and_flags_low_confidence(events, browser, tmp_path):  # noqa: F811
    # the statement in Washington, its sentence hard-wrapped, matched with low confidence
    rows = events.copy()
    i = rows.index[rows.event_id == "e4"][0]
    sentence = rows.at[i, "sentence"]
    cut = sentence.index(" ", len(sentence) // 2)
    rows.at[i, "sentence"] = sentence[:cut] + "\n" + sentence[cut + 1 :]
    rows.at[i, "confidence"] = 0.3
    tab = Tab(browser, 1200, 800)
    try:
        page = tab.open(write_map(make_map(rows, tiles=None, cluster=False), tmp_path / "m.html"))
        page.evaluate("""() => { Object.values(geomap.maps)[0].entries
          .find(e => e.type === 'statement' && e.mark.getLatLng).mark.openPopup(); }""")
        pop = page.locator(".leaflet-popup-content")
        pop.wait_for(timeout=5000)
        quote = pop.locator("blockquote").inner_text()
        assert "\n" not in quote and " ".join(sentence.split()) in quote
        assert pop.locator("blockquote mark").inner_text() == rows.at[i, "place_text"]
        assert pop.locator(".gm-check").inner_text() == "check this" and "confidence 30%" in pop.inner_text()
    finally:
        tab.close()


def big_events(n: int):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic_events import synthetic_events

    return synthetic_events(n)


def test_big_map_aggregates_then_shows_detail(browser, tmp_path):  # noqa: F811
    frame = big_events(6_000)
    path = write_map(make_map(frame, tiles=None), tmp_path / "big.html")
    html = path.read_text(encoding="utf-8")
    assert "geomap.aggregated(" in html and "geomap.addEvents(" not in html
    placed = int(frame.geometry.notna().sum())
    tab = Tab(browser, 1200, 800)
    try:
        page = tab.open(path)
        page.wait_for_function("() => Object.values(geomap.maps)[0].big.drawn.count > 0")
        drawn = page.evaluate("() => Object.values(geomap.maps)[0].big.drawn")
        assert drawn["mode"] == "grid"
        cells = page.locator(".geomap-cell")
        total = sum(int(t.replace("k", "000")) for t in cells.all_inner_texts())
        assert total == placed  # every site is in one cell's count
        # the date range filters the counts
        page.locator(".geomap-timerange .gm-hi").fill("0")
        assert int(page.locator(".geomap-timerange").get_attribute("data-shown")) < placed / 10
        page.locator(".geomap-timerange .gm-hist").dblclick()
        # zoomed in on Baghdad: single sites, with a popup built from the text
        page.evaluate("() => { Object.values(geomap.maps)[0].map.setView([33.34, 44.40], 10, {animate: false}); }")
        page.wait_for_function("() => ['detail', 'pins'].includes(Object.values(geomap.maps)[0].big.drawn.mode)")
        if page.evaluate("() => Object.values(geomap.maps)[0].big.drawn.mode") == "pins":  # few in view: lettered
            glyphs = set(page.locator(".geomap-site").all_inner_texts())
            assert glyphs and glyphs <= {s.glyph for s in assign_symbols(list(frame.event_type.unique())).values()}
        page.evaluate("""() => { const st = Object.values(geomap.maps)[0];
          st.map.eachLayer(l => {
            if (l.geomapIndex !== undefined && !st.opened) { st.opened = true; l.openPopup(); } }); }""")
        pop = page.locator(".leaflet-popup-content")
        pop.wait_for(timeout=5000)
        # the site's sentence, or every source's when several tell it, with the place marked
        assert pop.locator("mark").first.inner_text() == "Baghdad"
        assert "Baghdad" in pop.locator(".gm-quote").first.inner_text()
        assert tab.failed == [] and tab.errors == []
    finally:
        tab.close()


def test_map_command_reads_an_events_dataset(tmp_path):
    """`geomap map FOLDER` of parquet parts (as a distributed run writes) and of one GeoJSON."""
    frame = big_events(300)
    parts = tmp_path / "events"
    parts.mkdir()
    frame.iloc[:150].to_parquet(parts / "part-0.parquet")
    frame.iloc[150:].to_parquet(parts / "part-1.parquet")
    out = tmp_path / "map.html"
    run = subprocess.run(
        [sys.executable, "-m", "geomap", "map", str(parts), "-o", str(out), "--tiles", "none"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert "300 event rows read from 1 table(s)" in run.stderr
    html = out.read_text(encoding="utf-8")
    assert html.count("geomap.addEvents(") == frame.event_type.nunique()  # small: markers, not aggregated
    forced = subprocess.run(
        [sys.executable, "-m", "geomap", "map", str(parts), "-o", str(out), "--tiles", "none", "--aggregate"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert forced.returncode == 0 and "geomap.aggregated(" in out.read_text(encoding="utf-8")
    bad = subprocess.run(
        [sys.executable, "-m", "geomap", "map", str(tmp_path / "none.parquet"), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert bad.returncode != 0 and bad.stderr.strip().count("\n") == 0 and "no such file" in bad.stderr


NOTEBOOK_CODE = """
import json
import geopandas as gpd, pandas as pd
from shapely.geometry import Point
import geomap
from geomap.schema import CRS, EVENT_COLUMNS
rows = json.loads(open({data!r}, encoding="utf-8").read())
frame = pd.DataFrame(rows)[list(EVENT_COLUMNS)].astype(EVENT_COLUMNS)
events = gpd.GeoDataFrame(frame, geometry=[Point(r["lon"], r["lat"]) if r["lat"] is not None else None
                                           for r in rows], crs=CRS)
geomap.make_map(events, tiles=None, title="Notebook map")
"""


def test_notebook_map_survives_nbconvert(browser, tmp_path):  # noqa: F811
    """A notebook calling geomap.make_map, executed by nbconvert and exported to HTML, shows its
    map in Chromium with the network blocked (folium's notebook repr is an iframe)."""
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("nbconvert")
    pytest.importorskip("ipykernel")
    if shutil.which("jupyter") is None and not (Path(sys.executable).parent / "jupyter").exists():
        pytest.skip("jupyter is not installed")
    nb = nbformat.v4.new_notebook()
    data = ROOT / "tests" / "data" / "map_events.json"
    nb.cells = [nbformat.v4.new_code_cell(NOTEBOOK_CODE.format(data=str(data)))]
    ipynb = tmp_path / "map.ipynb"
    nbformat.write(nb, str(ipynb))
    jupyter = shutil.which("jupyter") or str(Path(sys.executable).parent / "jupyter")
    run = subprocess.run(
        [
            jupyter,
            "nbconvert",
            "--to",
            "html",
            "--execute",
            str(ipynb),
            "--ExecutePreprocessor.kernel_name=python3",
            "--output-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    exported = tmp_path / "map.html"
    tab = Tab(browser, 1200, 900)
    try:
        tab.page.goto(exported.resolve().as_uri(), wait_until="load")
        frame = tab.page.frame_locator("iframe").first
        frame.locator(".leaflet-container").wait_for(timeout=15_000)
        assert frame.locator(".geomap-title").inner_text() == "Notebook map"
        assert frame.locator(".geomap-pin, .geomap-cluster").count() >= 3
        assert frame.locator(".geomap-label").count() > 0
        # the map asked for nothing (the notebook template's own require.js may fail: it is not ours)
        assert not [u for u in tab.failed if "leaflet" in u.lower() or "cluster" in u.lower() or ".png" in u]
    finally:
        tab.close()
