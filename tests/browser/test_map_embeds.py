"""Maps embedded in reports (issue 22): compact controls below a size, maps that load hidden and
fit their events once shown, several fragments sharing one copy of the assets; in a real
Chromium with every non-local request blocked."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_map_browser import Tab, browser, events  # noqa: F401  (fixtures)

from geomap.mapping import make_map, map_html

pytestmark = pytest.mark.browser

#: [folded layer list, open legend, compact class] of the first map on the page.
STATE_JS = """() => {
  const c = document.querySelector('.leaflet-container');
  return [!c.querySelector('.leaflet-control-layers').classList.contains('leaflet-control-layers-expanded'),
          c.querySelector('.geomap-legend details').open, c.classList.contains('geomap-compact')];
}"""

#: Whether every event site drawn on the first map lies inside its current view, and the zoom.
FITS_JS = """() => {
  const st = Object.values(geomap.maps)[0], map = st.map, view = map.getBounds();
  const sites = st.entries.filter(e => e.kind !== 2).map(e => e.mark.getLatLng());
  return [sites.length, sites.every(p => view.contains(p)), map.getZoom(), map.getSize().x];
}"""


def host_page(tmp_path: Path, body: str, name: str = "report.html") -> Path:
    path = tmp_path / name
    path.write_text(
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Report</title></head><body>{body}</body></html>",
        encoding="utf-8",
    )
    return path


def settle(page) -> None:
    """Two animation frames: observers and the runtime's refit have run."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def test_a_500px_fragment_starts_with_legend_and_layers_folded(events, browser, tmp_path):  # noqa: F811
    fragment = map_html(make_map(events, tiles=None), embed="fragment", height="500px")
    tab = Tab(browser, 1200, 900)  # a big window: the fragment's own size decides
    try:
        page = tab.open(host_page(tmp_path, f"<h1>Report</h1>{fragment}"))
        assert page.evaluate(STATE_JS) == [True, False, True]
        legend = page.locator(".geomap-legend").bounding_box()
        assert legend["height"] < 40  # only its heading: it no longer covers a third of the map
        # one click opens each
        page.locator(".geomap-legend summary").click()
        assert page.locator(".geomap-legend details").evaluate("d => d.open") is True
        # a click without a hover first (a touch screen); a pointer opens it on hover already
        page.locator(".leaflet-control-layers-toggle").dispatch_event("click")
        assert "leaflet-control-layers-expanded" in page.locator(".leaflet-control-layers").get_attribute("class")
        assert tab.failed == [] and tab.errors == []
    finally:
        tab.close()


def test_layout_follows_the_container_size_on_resize(events, browser, tmp_path):  # noqa: F811
    fragment = map_html(make_map(events, tiles=None), embed="fragment", height="800px")
    tab = Tab(browser, 1200, 900)
    try:
        page = tab.open(host_page(tmp_path, f"<div id='box' style='width:1000px'>{fragment}</div>"))
        assert page.evaluate(STATE_JS) == [False, True, False]
        page.evaluate("() => { document.getElementById('box').style.width = '650px'; }")  # narrow: compact
        page.wait_for_function(
            "() => document.querySelector('.leaflet-container.geomap-compact') !== null", timeout=5000
        )
        assert page.evaluate(STATE_JS) == [True, False, True]
        page.evaluate("() => { document.getElementById('box').style.width = '1000px'; }")
        page.wait_for_function(
            "() => document.querySelector('.leaflet-container.geomap-compact') === null", timeout=5000
        )
        assert page.evaluate(STATE_JS) == [False, True, False]
        assert tab.errors == []
    finally:
        tab.close()


def test_a_map_in_a_hidden_div_fits_its_events_once_shown(events, browser, tmp_path):  # noqa: F811
    fragment = map_html(make_map(events, tiles=None), embed="fragment", height="600px")
    tab = Tab(browser, 1200, 900)
    try:
        page = tab.page  # the map is hidden: wait for the runtime, not for a visible map
        page.goto(
            host_page(tmp_path, f"<div id='tab2' style='display:none'>{fragment}</div>").as_uri(), wait_until="load"
        )
        page.wait_for_function("() => window.geomap && Object.keys(geomap.maps).length === 1", timeout=10_000)
        n, inside, _, width = page.evaluate(FITS_JS)
        assert n == 6 and width == 0  # nothing to fit yet: the map has no size
        page.evaluate("() => { document.getElementById('tab2').style.display = 'block'; }")
        page.wait_for_function("() => Object.values(geomap.maps)[0].map.getSize().x > 0", timeout=5000)
        settle(page)
        n, inside, zoom, width = page.evaluate(FITS_JS)
        assert width > 1000 and inside and zoom >= 3  # the events' region, not an unfitted world
        assert tab.errors == []
    finally:
        tab.close()


def test_an_iframe_that_loads_hidden_fits_its_events_once_shown(events, browser, tmp_path):  # noqa: F811
    iframe = map_html(make_map(events, tiles=None), embed="iframe", height="420px")
    tab = Tab(browser, 1200, 900)
    try:
        page = tab.page
        page.goto(
            host_page(tmp_path, f"<div id='wrap' style='display:none'>{iframe}</div>").as_uri(), wait_until="load"
        )
        page.evaluate("() => { document.getElementById('wrap').style.display = 'block'; }")
        frame = page.frame_locator("iframe")
        frame.locator(".leaflet-container.geomap-compact").wait_for(timeout=10_000)
        inner = next(f for f in page.frames if f != page.main_frame)
        inner.wait_for_function(
            "() => window.geomap && Object.values(geomap.maps)[0] && Object.values(geomap.maps)[0].fitted",
            timeout=10_000,
        )
        settle(page)
        n, inside, zoom, _ = inner.evaluate(FITS_JS)
        assert n == 6 and inside and zoom >= 3
        assert tab.errors == []
    finally:
        tab.close()


#: Per map: [sites drawn, all of them in view, zoom, title].
MAPS_JS = """() => Object.values(geomap.maps).map(st => {
  const view = st.map.getBounds(), sites = st.entries.filter(e => e.kind !== 2);
  const title = st.map.getContainer().querySelector('.geomap-title');
  return [sites.length, sites.every(e => view.contains(e.mark.getLatLng())), st.map.getZoom(),
          title ? title.textContent : null];
})"""


@pytest.mark.parametrize("assets", ["sidecar", "inline"])
def test_three_fragments_share_one_copy_of_the_assets(events, browser, tmp_path, assets):  # noqa: F811
    from geomap.mapping import write_map
    from geomap.mapping.shared import assets_name

    parts = []
    for i, n in enumerate((7, 5, 3)):  # three maps of different events
        path = write_map(
            make_map(events.iloc[:n], tiles=None, title=f"Map {i + 1}"),
            tmp_path / f"m{i}.frag.html",
            embed="fragment",
            height="420px",
            assets=assets,
        )
        parts.append(path.read_text(encoding="utf-8"))
    body = "".join(f"<h2>Part {i + 1}</h2>{p}" for i, p in enumerate(parts))
    page_file = host_page(tmp_path, body)
    text = page_file.read_text(encoding="utf-8")
    leaflet_banner = "Leaflet 1."  # the @preserve banner of leaflet.js
    if assets == "sidecar":
        sidecar = tmp_path / assets_name()
        assert sorted(p.name for p in tmp_path.glob("geomap-assets-*.js")) == [sidecar.name]  # one file for three
        assert text.count(leaflet_banner) == 0 and sidecar.read_text(encoding="utf-8").count(leaflet_banner) == 1
        assert len(text.encode()) + sidecar.stat().st_size < 1.2 * len(parts[0].encode()) + 1_000_000
    else:
        assert text.count(leaflet_banner) == 3  # each fragment works alone; the page runs one
    tab = Tab(browser, 1200, 900)
    try:
        page = tab.open(page_file)
        page.wait_for_function("() => Object.keys(geomap.maps).length === 3", timeout=10_000)
        settle(page)
        # one copy of the CSS was injected, however many fragments carried it
        assert page.locator("style[data-geomap-assets]").count() == 1
        maps = page.evaluate(MAPS_JS)
        assert [m[3] for m in maps] == ["Map 1", "Map 2", "Map 3"]
        placed = [int(events.iloc[:n].geometry.notna().sum()) for n in (7, 5, 3)]
        assert [m[0] for m in maps] == placed and all(m[1] and m[2] >= 3 for m in maps)
        # every map's own controls work: the third map's legend opens, its time control filters
        third = page.locator(".leaflet-container").nth(2)
        third.locator(".geomap-legend summary").click()
        assert third.locator(".geomap-legend details").evaluate("d => d.open") is True
        assert third.locator(".geomap-timerange").count() == 1
        assert third.locator(".geomap-pin, .geomap-badge, .geomap-cluster").count() >= 1
        assert tab.failed == [] and tab.errors == []
    finally:
        tab.close()


def test_time_range_defaults_to_the_news_window_not_a_background_date(events, browser, tmp_path):  # noqa: F811
    import pandas as pd

    from geomap.mapping import write_map

    # the fixture's article (published 11 March 2020) plus a "since 1900" clause it recalls
    recalled = events.iloc[[1]].assign(
        event_id="e9", event_type="disaster", date="1900-01-01", date_precision="year", background=True
    )
    frame = pd.concat([events, recalled], ignore_index=True)
    frame = frame.set_geometry("geometry")
    tab = Tab(browser, 1200, 900)
    try:
        page = tab.open(write_map(make_map(frame, tiles=None), tmp_path / "m.html"))
        control = page.locator(".geomap-timerange")
        assert control.get_attribute("data-mode") == "window"
        # the range covers the news (3 Jan .. 10 Mar 2020), not 1900-2020
        assert control.get_attribute("data-from") == "2020-01-03" and control.get_attribute("data-to") == "2020-03-11"
        assert control.locator(".gm-outside").inner_text().startswith("2 earlier dates not shown: 1900, 2017")
        shown = page.evaluate("() => geomap.visible(Object.values(geomap.maps)[0].map).map(e => e.date)")
        assert shown and all(d >= "2020" for d in shown) and len(shown) == 5
        assert page.locator(".geomap-legend [data-background='1']").count() == 1
        # switching the background layer on brings its date into range
        page.locator(".leaflet-control-layers-overlays label", has_text="Background events").locator("input").check()
        assert control.get_attribute("data-mode") == "all" and control.get_attribute("data-from") == "1900-01-01"
        shown = page.evaluate("() => geomap.visible(Object.values(geomap.maps)[0].map).map(e => e.type + ' ' + e.date)")
        assert "disaster 1900-01-01" in shown and len(shown) == 7
        assert tab.errors == []
    finally:
        tab.close()
