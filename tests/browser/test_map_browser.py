"""The written map in a real Chromium (Playwright), with every non-local request blocked."""

from __future__ import annotations

import json
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geomap.errors import OutputError
from geomap.mapping import make_map, map_html, render_png, write_map
from geomap.mapping.render import block_remote, chromium_browser, wait_for_map
from geomap.schema import CRS, EVENT_COLUMNS

pytestmark = pytest.mark.browser

TESTS = Path(__file__).resolve().parent.parent
DOCS = TESTS.parent / "docs"


def load_events() -> gpd.GeoDataFrame:
    rows = json.loads((TESTS / "data" / "map_events.json").read_text(encoding="utf-8"))
    frame = pd.DataFrame(rows)[list(EVENT_COLUMNS)].astype(EVENT_COLUMNS)
    geometry = [Point(r["lon"], r["lat"]) if r["lat"] is not None else None for r in rows]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS)


@pytest.fixture(scope="module")
def browser():
    try:
        with chromium_browser() as b:
            yield b
    except OutputError as exc:  # visible in the report: -rs shows the reason
        pytest.skip(f"browser tests need Playwright and Chromium: {exc}")


@pytest.fixture(scope="module")
def events():
    return load_events()


class Tab:
    """A page with remote requests blocked and failures/errors recorded."""

    def __init__(self, browser, width: int = 1200, height: int = 800) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        block_remote(self.page)

    def open(self, path: Path):
        self.page.goto(path.resolve().as_uri(), wait_until="load")
        wait_for_map(self.page)
        return self.page

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def tab(browser):
    t = Tab(browser)
    yield t
    t.close()


def shown_count(page) -> int:
    # the slider filters on the next animation frame
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return page.evaluate(
        "() => Object.values(geomap.maps).reduce((n, s) => n + s.entries.filter(e => e.shown).length, 0)"
    )


def test_offline_map_loads_without_any_failed_request(events, tab, tmp_path):
    page = tab.open(write_map(make_map(events, tiles=None), tmp_path / "map.html"))
    assert tab.failed == [] and tab.errors == []
    # every placed row of the news window is on the map: 5 pins/badges, clustered attack pins
    # included; the sixth, the 2017 referendum the article recalls, waits behind the time control
    assert shown_count(page) == 5
    assert page.locator(".geomap-pin, .geomap-cluster").count() >= 3
    assert page.locator(".geomap-legend").count() == 1
    assert "Events without a mapped place (1)" in page.locator(".geomap-unplaced").inner_text()


def test_only_tiles_fail_and_the_map_says_so(events, tab, tmp_path):
    page = tab.open(write_map(make_map(events), tmp_path / "map.html"))
    page.wait_for_selector(".geomap-notice", timeout=5000)
    assert tab.failed and all(url.endswith(".png") and "{" not in url for url in tab.failed)
    assert not [e for e in tab.errors if "Failed to load resource" not in e]
    assert "could not be loaded" in page.locator(".geomap-notice").inner_text()


def test_click_opens_popup_and_injected_script_does_not_run(events, tab, tmp_path):
    page = tab.open(write_map(make_map(events, tiles=None), tmp_path / "map.html"))
    # 'P' is the only protest: the Tehran sentence with the injected <script>
    page.locator(".geomap-pin", has_text="P").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5000)
    text = popup.inner_text()
    assert "<script>window.__geomapXss = 1</script></div>" in text
    assert '"revenge"' in text and "Tehran" in page.locator(".leaflet-popup-content mark").inner_text()
    assert "Mourners <img" in text
    assert page.evaluate("() => window.__geomapXss") is None
    assert page.locator(".leaflet-popup-content script, .leaflet-popup-content img").count() == 0
    # a cluster of the two attacks opens into its markers
    assert page.locator(".geomap-cluster").count() >= 1
    assert tab.errors == []


def set_range(page, lo: int, hi: int) -> None:
    """Move the two handles of the date range (bin indexes)."""
    page.locator(".geomap-timerange .gm-lo").fill(str(lo))
    page.locator(".geomap-timerange .gm-hi").fill(str(hi))


def bins(page) -> list:
    """[count, inferred] of every histogram bar."""
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('.geomap-timerange .gm-hist g'))"
        ".map(g => [+g.dataset.count, +g.dataset.inferred])"
    )


def test_time_range_filters(events, tab, tmp_path):
    page = tab.open(write_map(make_map(events, tiles=None), tmp_path / "map.html"))
    # the default range is the news window of the articles (published 11 March 2020): the 2017
    # referendum they recall is listed, not stretched over; 3 Jan .. 10 Mar 2020 is one bar a day
    bars = bins(page)
    assert len(bars) == 68 and sum(c for c, _ in bars) == 5 and bars[0] == [1, 0]
    assert shown_count(page) == 5  # the 2017 one is not
    outside = page.locator(".geomap-timerange .gm-outside")
    assert outside.inner_text().startswith("1 earlier date not shown: 2017")
    # one click shows every date: Jan 2017 .. Mar 2020, one bar per month, empty months kept
    outside.locator("button").click()
    assert "All dates shown" in outside.inner_text()
    bars = bins(page)
    assert len(bars) == 39 and sum(c for c, _ in bars) == 6 and bars[0] == [1, 0]
    assert [c for c, _ in bars[36:]] == [3, 0, 2]  # January (three sites), March 2020 (two)
    set_range(page, 36, 36)  # January 2020 only
    assert shown_count(page) == 3
    assert "Jan 2020 \u00b7 3 of 6 dated" in page.locator(".geomap-timerange .gm-range-label").inner_text()
    set_range(page, 1, 38)  # everything but the 2017 referendum
    assert shown_count(page) == 5
    # the undated event stays listed whatever the range
    assert page.locator(".geomap-unplaced li").first.evaluate("li => li.hidden") is False
    # a click on a bar narrows the range to it; a double click shows everything again
    page.locator(".geomap-timerange .gm-hist g").nth(38).click()
    assert shown_count(page) == 2
    page.locator(".geomap-timerange .gm-hist").dblclick()
    assert shown_count(page) == 6
    assert tab.errors == []


def test_slider_can_be_turned_off(events, tab, tmp_path):
    page = tab.open(write_map(make_map(events, tiles=None, time_slider=False, cluster=False), tmp_path / "m.html"))
    assert page.locator(".geomap-timerange").count() == 0
    assert page.locator(".geomap-cluster").count() == 0 and page.locator(".geomap-pin").count() == 4
    assert tab.errors == []


def test_two_fragments_on_one_page(events, tab, tmp_path):
    first = map_html(make_map(events, tiles=None, title="First"), embed="fragment", height="400px")
    second = map_html(make_map(events.iloc[:2], tiles=None, title="Second"), embed="fragment", height="400px")
    host = tmp_path / "report.html"
    host.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Report</title></head><body>"
        f"<h1>Report</h1><p>Intro.</p>{first}<p>Between the maps.</p>{second}</body></html>",
        encoding="utf-8",
    )
    page = tab.open(host)
    assert page.locator(".leaflet-container").count() == 2
    assert page.evaluate("() => Object.keys(geomap.maps).length") == 2
    titles = page.locator(".geomap-title").all_inner_texts()
    assert titles == ["First", "Second"]
    boxes = [c.bounding_box() for c in page.locator(".leaflet-container").all()]
    assert all(b["height"] > 300 for b in boxes) and boxes[1]["y"] >= boxes[0]["y"] + 400
    assert page.evaluate("() => getComputedStyle(document.body).marginTop") != "0px"  # host styles untouched
    assert tab.failed == [] and tab.errors == []


def test_iframe_snippet_renders(events, tab, tmp_path):
    host = tmp_path / "iframe.html"
    host.write_text(
        f"<!DOCTYPE html><html><body>{map_html(make_map(events, tiles=None), embed='iframe')}</body></html>",
        encoding="utf-8",
    )
    page = tab.page  # the map lives in the iframe's own document
    page.goto(host.resolve().as_uri(), wait_until="load")
    frame = page.frame_locator("iframe")
    frame.locator(".leaflet-container").wait_for(timeout=10_000)
    assert frame.locator(".geomap-legend").count() == 1
    assert tab.failed == [] and tab.errors == []


def test_screenshot_of_fixture_map(events, browser, tmp_path):
    png = render_png(
        write_map(make_map(events, title="Fixture events", tiles=None), tmp_path / "map.html"),
        tmp_path / "map.png",
        width=1200,
        height=700,
        offline=True,
        browser=browser,
    )
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


# --- offline base map ----------------------------------------------------------

#: Land colour of the outlines as canvas RGBA, where a point is drawn at all.
LAND_PIXEL_JS = """([lat, lon]) => {
  const st = Object.values(geomap.maps)[0], map = st.map;
  const canvas = document.querySelector('.leaflet-geomapOutlines-pane canvas');
  if (!canvas) { return null; }
  const p = map.latLngToContainerPoint([lat, lon]);
  const box = canvas.getBoundingClientRect(), mapBox = map.getContainer().getBoundingClientRect();
  const x = Math.round((p.x + mapBox.left - box.left) * canvas.width / box.width);
  const y = Math.round((p.y + mapBox.top - box.top) * canvas.height / box.height);
  return Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data);
}"""


def outlines_drawn(page) -> dict:
    page.wait_for_selector(".leaflet-geomapOutlines-pane canvas", state="attached", timeout=5000)
    return {
        "land": page.evaluate(LAND_PIXEL_JS, [33.31, 44.36]),  # Baghdad
        "sea": page.evaluate(LAND_PIXEL_JS, [34.0, 18.0]),  # Ionian Sea
        "sea_class": page.evaluate(
            "() => document.querySelector('.leaflet-container').classList.contains('geomap-sea')"
        ),
    }


def test_offline_outlines_are_drawn(events, tab, tmp_path):
    page = tab.open(write_map(make_map(events, tiles=None), tmp_path / "map.html"))
    page.evaluate("() => { Object.values(geomap.maps)[0].map.setView([34, 30], 4, {animate: false}); }")
    drawn = outlines_drawn(page)
    assert drawn["land"][3] == 255 and drawn["land"][:3] != [0, 0, 0]  # filled land on the canvas
    assert drawn["sea"][3] == 0 and drawn["sea_class"]  # sea shows the container background
    # the outlines sit under the event panes and never take clicks
    z = page.evaluate(
        "() => ['geomapOutlines', 'overlayPane', 'markerPane'].map("
        "n => +getComputedStyle(Object.values(geomap.maps)[0].map.getPane(n)).zIndex)"
    )
    assert z[0] < z[1] < z[2]
    assert tab.failed == [] and tab.errors == []
    # 'No base map' in the layer control removes them
    page.locator(".leaflet-control-layers-base label", has_text="No base map").locator("input").check(force=True)
    assert page.evaluate("() => document.querySelector('.leaflet-container').classList.contains('geomap-sea')") is False


def test_outlines_replace_tiles_that_fail(events, tab, tmp_path):
    page = tab.open(write_map(make_map(events), tmp_path / "map.html"))
    page.wait_for_selector(".geomap-notice", timeout=5000)
    assert "showing offline outlines" in page.locator(".geomap-notice").inner_text()
    checked = page.locator(".leaflet-control-layers-base input:checked").locator("xpath=..")
    assert checked.inner_text().strip() == "Countries (offline)"
    page.evaluate("() => { Object.values(geomap.maps)[0].map.setView([34, 30], 4, {animate: false}); }")
    assert outlines_drawn(page)["land"][3] == 255
    assert tab.failed and all(url.endswith(".png") for url in tab.failed)  # only tiles were asked for


def sample_article_events():
    """Events of the sample article through the whole pipeline (spaCy, gazetteer, events)."""
    import geomap
    from geomap.io.readers import read_file

    [article] = list(read_file(TESTS.parent / "data" / "samples" / "us-boosting-iraq-base.txt"))
    doc = geomap.get_geoparser().parse_article(article)
    return article, geomap.frames([doc])[1]


@pytest.mark.parametrize("width,height,name", [(1400, 900, "map.png"), (700, 420, "map-compact.png")])
def test_screenshot_for_docs(browser, tmp_path, width, height, name):
    """docs/map.png (shown in the README) and docs/map-compact.png (a report-sized embed): the
    sample article's map, offline, with the popup of the strike on Ain al-Assad Airbase open."""
    from geomap.io.atomic import write_data

    article, events = sample_article_events()
    events = events.assign(background=False)  # every site drawn, the recalled 2017 fighting too, as in the docs
    tab = Tab(browser, width, height)
    try:
        page = tab.open(write_map(make_map(events, title=article.title), tmp_path / "map.html"))
        page.wait_for_selector(".geomap-notice", timeout=5000)  # tiles are blocked: outlines instead
        page.locator(".geomap-notice .gm-close").click()
        # the pin of the strike on Ain al-Assad Airbase (not clustered: the only strike pin)
        found = page.evaluate("""() => {
          const e = Object.values(geomap.maps)[0].entries.find(
            e => e.layer._icon && /Ain al-Assad Airbase/.test(e.layer.getPopup().getContent()));
          if (e) { e.layer._icon.setAttribute('data-shot', 'strike'); }
          return !!e;
        }""")
        assert found
        page.locator("[data-shot=strike]").click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for(timeout=5000)
        assert popup.locator("mark", has_text="Ain al-Assad Airbase").count() == 1
        assert "Al Asad Air Base" in popup.inner_text() and "8 January 2020" in popup.inner_text()
        page.mouse.move(5, height // 2)  # off the pin: its hover tooltip would repeat the popup
        page.wait_for_timeout(500)  # the popup's auto-pan
        assert outlines_drawn(page)["land"][3] == 255
        assert page.locator(".geomap-label").count() > 0
        assert tab.errors == [] or all("Failed to load resource" in e for e in tab.errors)
        data = page.screenshot(full_page=False)
    finally:
        tab.close()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    # The committed images are refreshed on request (`make screenshot`), so a test run leaves the tree clean.
    target = DOCS / name if os.environ.get("GEOMAP_UPDATE_SCREENSHOT") else tmp_path / name
    write_data(target, data)


# --- symbols, counts and roles as a reader sees them ------------------------------


@pytest.fixture(scope="module")
def sample():
    return sample_article_events()


LEGEND_JS = """() => Array.from(document.querySelectorAll('.geomap-legend [data-type]')).map(r => {
  const s = r.querySelector('.gm-swatch');
  return [r.dataset.type, +r.dataset.count, getComputedStyle(s).backgroundColor, s.textContent];
})"""
LAYERS_JS = """() => Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label')).map(l => [
  l.innerText.trim(), l.querySelector('input').checked,
  (s => s ? getComputedStyle(s).backgroundColor : null)(l.querySelector('.geomap-swatch:not(.gm-faint-swatch)'))])"""
VISIBLE_JS = """() => { const st = Object.values(geomap.maps)[0];
  return geomap.visible(st.map).map(e => [e.type, e.kind, e.mark.getTooltip().getContent()]); }"""


def visible(page) -> list:
    """[type, kind, tooltip] of every drawn entry (date filter passed, layer on)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return page.evaluate(VISIBLE_JS)


def rgb(hex_color: str) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_symbols_are_the_same_in_two_maps_of_different_inputs(events, sample, tab, tmp_path):
    from geomap.mapping.symbols import FIXED

    # the fixture relabelled with taxonomy types, and the sample article's events
    relabelled = events.assign(event_type=events.event_type.replace({"attack": "strike", "election": "vote"}))
    seen: dict[str, set] = {}
    for i, frame in enumerate((relabelled, sample[1])):
        page = tab.open(write_map(make_map(frame, tiles=None), tmp_path / f"m{i}.html"))
        for etype, _, color, glyph in page.evaluate(LEGEND_JS):
            seen.setdefault(etype, set()).add((color, glyph))
        # the pins drawn carry the same colour as the legend
        pins = page.evaluate(
            "() => Array.from(document.querySelectorAll('.geomap-pin span, .geomap-badge span'))"
            ".map(s => [getComputedStyle(s).backgroundColor, s.textContent])"
        )
        legend = {(c, g) for _, _, c, g in page.evaluate(LEGEND_JS)}
        assert pins and {tuple(p) for p in pins} <= legend
    assert {"strike", "statement"} <= set(seen)  # types on both maps
    for etype, symbols in seen.items():
        assert len(symbols) == 1, etype
        assert symbols == {(rgb(FIXED[etype][0]), FIXED[etype][1])}
    assert len({s for v in seen.values() for s in v}) == len(seen)  # no two types alike
    assert tab.errors == []


def _site_counts(events, background: bool) -> dict[str, int]:
    """Event-site rows per type, of the news (background False) or of the history the text recalls."""
    sites = events[events.geometry.notna() & (events.place_role == "event") & (events.background == background)]
    return sites.event_type.value_counts().to_dict()


def test_legend_and_layer_counts_agree_with_what_is_drawn(sample, tab, tmp_path):
    events = sample[1]
    page = tab.open(write_map(make_map(events, tiles=None), tmp_path / "m.html"))
    legend = {t: n for t, n, _, _ in page.evaluate(LEGEND_JS)}
    shown, hidden = {}, {}
    for label, checked, _ in page.evaluate(LAYERS_JS):
        name, count = label.rsplit(" (", 1)
        if checked:
            shown[name.split(" ", 1)[1]] = int(count.rstrip(")"))
        else:
            hidden[name] = int(count.rstrip(")"))
    drawn: dict[str, int] = {}
    for etype, _kind, _ in visible(page):
        drawn[etype] = drawn.get(etype, 0) + 1
    # what is drawn by default is the news's event sites, one layer per type, as the legend says
    assert legend and legend == drawn == shown == _site_counts(events, background=False)
    # the layers off by default: every other place the text names, and the history it recalls
    others = int((events.geometry.notna() & (events.place_role != "event")).sum())
    history = sum(_site_counts(events, background=True).values())
    assert others and history
    assert hidden == {"Other places in the text": others, "Background events (history the text recalls)": history}
    # switching a layer on adds exactly its count
    page.locator(".leaflet-control-layers-overlays label", has_text="Other places").locator("input").check()
    assert len(visible(page)) == sum(drawn.values()) + others
    page.locator(".leaflet-control-layers-overlays label", has_text="Background events").locator("input").check()
    assert len(visible(page)) == sum(drawn.values()) + others + history
    assert tab.errors == []


def test_mentioned_countries_are_not_drawn_by_default(sample, tab, tmp_path):
    article, events = sample
    events = events.assign(background=False)  # roles, not event classes: the recalled 2017 fighting drawn
    # the sample names Iran only in passing (the assassination happened in Baghdad)
    iran = events[events.place_name == "Iran"]
    assert len(iran) and set(iran.place_role) == {"mentioned"}
    page = tab.open(write_map(make_map(events, title=article.title), tmp_path / "m.html"))
    drawn = visible(page)
    assert not [v for v in drawn if v[2].startswith("Iran ")]
    assert {k for _, k, _ in drawn} == {0, 1}  # pins and badges; no faint marks, no rings
    # Iraq's badge comes with the country's outline (a dashed line, drawn on the canvas)
    assert (
        page.evaluate("""() => Object.values(geomap.maps)[0].entries.filter(
      e => e.kind === 1 && e.layer.getLayers && e.layer.getLayers()[0] instanceof L.GeoJSON).length""")
        >= 1
    )
    # the first view fits the event sites (Iraq and Syria), not Iran
    view = page.evaluate(
        "() => { const b = Object.values(geomap.maps)[0].map.getBounds();"
        " return [b.getWest(), b.getEast(), b.getSouth(), b.getNorth()]; }"
    )
    assert view[0] < 38.3 and view[1] > 44.4 and view[1] < 53 and view[2] < 33 and view[3] > 36.4
    # the reader can switch the other places on: Iran is there, faint
    page.locator(".leaflet-control-layers-overlays label", has_text="Other places").locator("input").check()
    faint = [v for v in visible(page) if v[1] == 2]
    assert any(v[2].startswith("Iran ") for v in faint)
    assert tab.errors == [] or all("Failed to load resource" in e for e in tab.errors)


def test_inferred_dates_are_marked_and_still_filter(sample, tab, tmp_path):
    article, events = sample
    sites = events[events.geometry.notna() & (events.place_role == "event") & ~events.background]
    # a type whose every drawn site is dated from the publication date (the sample: its statements)
    inferred = sorted(set(sites.event_type) - set(sites[sites.date_basis != "published"].event_type))
    assert inferred
    etype = inferred[0]
    page = tab.open(write_map(make_map(events, tiles=None), tmp_path / "m.html"))
    # its popups say the date is inferred
    text = page.evaluate(f"""() => Object.values(geomap.maps)[0].entries
      .filter(e => e.type === {etype!r}).map(e => e.mark.getPopup().getContent()).join(' ')""")
    assert "date inferred from publication" in text
    # the histogram draws it as an inferred date, apart from the stated ones, in the last bar
    bars = bins(page)
    last = len(bars) - 1
    assert bars[last][1] >= 1 and sum(i for _, i in bars) == bars[last][1]
    before = last - 1
    set_range(page, 0, before)  # up to the bar before publication: it is hidden
    assert etype not in {t for t, _, _ in visible(page)}
    set_range(page, 0, last)
    assert etype in {t for t, _, _ in visible(page)}
