"""geomap.mapping: popups, escaping, offline HTML, embedding, atomic writes."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geomap.errors import InputError, OutputError
from geomap.mapping import make_map, map_html, popup, write_map
from geomap.mapping.plugins import EventLayer, UnplacedPanel
from geomap.schema import CRS, EVENT_COLUMNS

DATA = Path(__file__).parent / "data" / "map_events.json"


def load_events() -> gpd.GeoDataFrame:
    """The test events (tests/data/map_events.json) as an EVENT_COLUMNS GeoDataFrame."""
    rows = json.loads(DATA.read_text(encoding="utf-8"))
    frame = pd.DataFrame(rows)[list(EVENT_COLUMNS)].astype(EVENT_COLUMNS)
    geometry = [Point(r["lon"], r["lat"]) if r["lat"] is not None else None for r in rows]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS)


@pytest.fixture(scope="module")
def events() -> gpd.GeoDataFrame:
    return load_events()


@pytest.fixture(scope="module")
def page(events) -> str:
    return map_html(make_map(events, title="Iraq & Iran, 2020"))


def _row(events, event_id: str) -> dict:
    return events[events.event_id == event_id].iloc[0].to_dict()


def _layers(m: folium.Map) -> list[EventLayer]:
    out, stack = [], [m]
    while stack:
        el = stack.pop()
        out += [c for c in el._children.values() if isinstance(c, EventLayer)]
        stack += list(el._children.values())
    return out


# --- popups -----------------------------------------------------------------


def test_popup_escapes_article_text(events):
    html = popup.popup_html(_row(events, "e5"))
    # the article's "</div>" stays text: every <div> the popup opens is closed by the popup itself
    assert "<script" not in html and html.count("<div") == html.count("</div>") > 0
    assert "&lt;script&gt;window.__geomapXss = 1&lt;/script&gt;&lt;/div&gt;" in html
    assert "&quot;revenge&quot;" in html and "&#x27;mourned&#x27;" in html
    # the title's <img onerror> is text and the javascript: URL is not linked
    assert "<img" not in html and "&lt;img" in html
    assert "javascript:" not in html
    # every tag in the popup is one we wrote
    assert set(re.findall(r"<([a-z]+)", html)) <= {"div", "span", "blockquote", "mark"}


def test_popup_content(events):
    html = popup.popup_html(_row(events, "e1"), "#d62728")
    assert "8 January 2020" in html and "attack" in html
    assert "<mark>Ain al-Assad Airbase</mark>" in html
    assert "Al Asad Airbase" in html and "Iraq" in html and "confidence 91%" in html
    assert 'href="https://example.org/news/iraq-base?id=7&amp;lang=en"' in html
    assert "+1 more source" in html and "Missiles hit base" in html


def test_popup_date_precision_and_region(events):
    html = popup.popup_html(_row(events, "e3"))
    assert '<span class="gm-date">March 2020</span>' in html  # month precision: no day
    assert "country-level place" in html
    assert "2017" in popup.popup_html(_row(events, "e6")) and "region-level" in popup.popup_html(_row(events, "e6"))
    assert popup.format_date("", "unknown", "") == "date unknown"


def test_highlight_falls_back_when_offsets_are_stale():
    assert popup.highlight("a <b> Paris c", 100, 105, "Paris") == "a &lt;b&gt; <mark>Paris</mark> c"
    assert popup.highlight("no place here", -1, -1, "") == "no place here"


def test_tooltip(events):
    assert popup.tooltip_html(_row(events, "e2")) == "Baghdad &middot; 3 January 2020"


# --- the map ----------------------------------------------------------------


def test_layers_badges_and_unplaced(events):
    m = make_map(events)
    layers = _layers(m)
    # one layer per event type with a place; the unplaced event is not pinned
    assert sorted(len(layer.rows) for layer in layers) == [1, 1, 1, 1, 2]
    rows = {r[3].split(" &middot;")[0]: r for layer in layers for r in layer.rows}
    # pins for towns and sites; a badge (never a ring) for region- and country-level places,
    # with the country's outline from the offline data
    assert {k: r[5] for k, r in rows.items()} == {
        "Baghdad": 0,
        "Al Asad Airbase": 0,
        "Washington, D.C.": 0,
        "Tehran": 0,
        "Iraq": 1,
        "Kurdistan Region": 1,
    }
    assert rows["Iraq"][6] == "IQ" and rows["Kurdistan Region"][6] == ""
    [deployment] = [layer for layer in layers if layer.symbol.event_type == "deployment"]
    assert deployment.areas["IQ"]["type"] == "MultiPolygon"
    panels = [c for c in m._children.values() if isinstance(c, UnplacedPanel)]
    assert len(panels) == 1
    panel = panels[0].args[0]
    assert "Events without a mapped place (1)" in panel
    assert "&quot;harsh revenge&quot; &lt;b&gt;soon&lt;/b&gt;" in panel and "<b>soon" not in panel
    assert "geomap.panel(" in map_html(m)


def test_page_is_offline(page):
    # no resource is loaded from the network: no remote <script src>, <link>, CSS url() or @import
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert not re.search(r"<link[^>]*\bhref=[\"']?(https?:)?//", page)
    assert not re.search(r"url\(\s*[\"']?(https?:)?//", page)
    assert "@import" not in page
    assert "sourceMappingURL" not in page
    # the only URL templates are the tile layers'
    templates = set(re.findall(r"https?://[^\s\"'\\]*\{z\}[^\s\"'\\]*", page))
    assert templates and all("{x}" in t and "{y}" in t for t in templates)
    assert "L.markerClusterGroup" in page and "data:image/png;base64," in page


def test_article_text_cannot_break_out_of_the_script(page):
    # the injected </script> must not appear raw anywhere in the page
    assert "<script>window.__geomapXss" not in page
    assert page.count("<script") == page.count("</script>")


def test_cdn_mode_keeps_links(events):
    html = map_html(make_map(events, offline=False))
    assert re.search(r"<script src=\"https://[^\"]+leaflet[^\"]*\.js\"", html)
    assert "markercluster" in html.lower()


def test_options(events):
    html = map_html(make_map(events, tiles=None, cluster=False, time_slider=False))
    assert "{z}" not in html and "geomap.tileNotice" not in html
    assert "markerClusterGroup(" not in html.split("</head>")[1]
    assert "geomap.timeRange(" not in html
    with_slider = map_html(make_map(events, tiles=None))
    assert "geomap.timeRange(" in with_slider and '"2017-01-01"' in with_slider


def test_layer_names_and_title_escaped():
    evil = gpd.GeoDataFrame(
        {"event_type": ["<img src=x onerror=alert(1)>"], "date": ["2020-01-01"], "sentence": ["x"]},
        geometry=[Point(1, 2)],
        crs=CRS,
    )
    html = map_html(make_map(evil, title="<script>alert(2)</script>"))
    assert "<img src=x" not in html
    assert "<script>alert(2)" not in html


def test_bad_input():
    with pytest.raises(InputError):
        make_map(pd.DataFrame({"a": [1]}))
    empty = gpd.GeoDataFrame({"event_type": []}, geometry=[], crs=CRS)
    assert "L.map(" in map_html(make_map(empty))


# --- embedding and writing -----------------------------------------------------


def _ids(html: str) -> set[str]:
    return set(re.findall(r"\b(?:map|feature_group|marker_cluster|layer_control)_[0-9a-f]{32}\b", html))


def test_fragment(events, tmp_path):
    m = make_map(events)
    frag = write_map(m, tmp_path / "a.html", embed="fragment").read_text(encoding="utf-8")
    assert not re.search(r"<(html|head|body)\b", frag, re.I)
    assert "html, body" not in frag and "<meta" not in frag
    assert frag.lstrip().startswith("<div") and "L.map(" in frag
    other = map_html(make_map(events), embed="fragment")
    again = map_html(m, embed="fragment")  # the same map embedded twice must not clash either
    assert _ids(frag) and not _ids(frag) & _ids(other) and not _ids(frag) & _ids(again)


def test_iframe(events):
    snippet = map_html(make_map(events), embed="iframe")
    assert snippet.startswith('<iframe srcdoc="') and snippet.rstrip().endswith("</iframe>")
    inner = snippet.split('srcdoc="', 1)[1].split('" title=', 1)[0]
    assert "<" not in inner and '"' not in inner and "&lt;!DOCTYPE html&gt;" in inner


def test_write_is_atomic(events, tmp_path, monkeypatch):
    target = tmp_path / "map.html"
    target.write_text("old", encoding="utf-8")

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OutputError, match="No space left"):
        write_map(make_map(events), target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]  # no temp file left behind
    monkeypatch.undo()
    assert write_map(make_map(events), target).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_unknown_embed(events, tmp_path):
    with pytest.raises(OutputError, match="embed"):
        write_map(make_map(events), tmp_path / "x.html", embed="pdf")  # type: ignore[arg-type]


def test_render_png_without_chromium(tmp_path, monkeypatch):
    from geomap.mapping import render

    page = tmp_path / "m.html"
    page.write_text("<html></html>", encoding="utf-8")
    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    with pytest.raises(OutputError, match="Chromium"):
        render.render_png(page, tmp_path / "m.png")
    with pytest.raises(OutputError, match="no such file"):
        render.render_png(tmp_path / "missing.html", tmp_path / "m.png")


def test_article_text_is_not_a_template():
    # branca re-parses rendered output with Jinja; article braces must stay text
    g = gpd.GeoDataFrame(
        {
            "event_type": ["{{ 6*7 }}"],
            "date": ["2020-01-01"],
            "sentence": ["x {{ 7*7 }} {% raw %} y"],
            "title": ["{{ config }}"],
        },
        geometry=[Point(1, 2)],
        crs=CRS,
    )
    html = map_html(make_map(g, title="{{ 8*8 }}"))
    assert "x {{ 7*7 }} {% raw %} y" in html and "x 49" not in html
    assert "#123; 6*7 " in html and " 42 (1)" not in html  # the layer-control name
    assert "{{ 8*8 }}" in html


def test_render_command_reports_missing_page(tmp_path):
    import typer
    from typer.testing import CliRunner

    from geomap.cli.render_cmd import register

    app = typer.Typer()
    register(app)

    @app.command()
    def noop() -> None:  # a second command so typer keeps 'render' as a subcommand
        pass

    result = CliRunner().invoke(app, ["render", str(tmp_path / "none.html"), str(tmp_path / "out.png")])
    assert isinstance(result.exception, OutputError) and "no such file" in str(result.exception)
    assert not (tmp_path / "out.png").exists()


# --- offline base map ----------------------------------------------------------


def _base_layers(html: str) -> list[str]:
    block = re.search(r"base_layers : \{(.*?)\}", html, re.S).group(1)
    return re.findall(r'"([^"]+)" :', block)


def _shown(html: str, name_prefix: str) -> bool:
    var = re.search(rf"var ({name_prefix}_[0-9a-f]{{32}}) = ", html).group(1)
    return f"{var}.addTo(" in html


def test_outlines_are_a_base_layer(page):
    assert _base_layers(page) == ["OpenStreetMap", "OpenTopoMap", "Countries (offline)", "No base map"]
    # tiles are the default base; the outlines take over only when tiles fail
    assert _shown(page, "tile_layer") and not _shown(page, "geomap_outlines")
    assert "showing offline outlines" in page.split("geomap.tileNotice(", 1)[1].split(");", 1)[0]


def test_outlines_are_the_base_without_tiles(events):
    html = map_html(make_map(events, tiles=None))
    assert _base_layers(html) == ["Countries (offline)", "No base map"]
    assert _shown(html, "geomap_outlines") and "{z}" not in html and "geomap.tileNotice" not in html
    bare = map_html(make_map(events, tiles=None, outlines=False))
    assert "geomap.outlines(" not in bare and "base_layers : {\n                }" in bare


def test_outlines_add_no_remote_url_and_stay_small(events):
    with_outlines = map_html(make_map(events))
    without = map_html(make_map(events, outlines=False))
    urls = re.compile(r"(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
    assert set(urls.findall(with_outlines)) == set(urls.findall(without))
    added = len(with_outlines.encode("utf-8")) - len(without.encode("utf-8"))
    assert 50_000 < added < 800_000  # Natural Earth outlines, about 0.6 MB


@pytest.mark.slow
def test_outline_data_is_real_and_compact():
    from shapely import make_valid
    from shapely.geometry import shape

    from geomap.mapping.basemap import country_outlines, country_outlines_json

    outlines = country_outlines()
    assert outlines is country_outlines()  # built once per process
    assert outlines["type"] == "GeometryCollection" and len(outlines["geometries"]) > 150
    land = [shape(g) for g in outlines["geometries"]]
    assert all(g.geom_type == "MultiPolygon" and not g.is_empty for g in land)
    # rounding to 0.01 degree can make a ring touch itself; the browser draws it all the same,
    # older GEOS refuses point tests on it
    land = [g if g.is_valid else make_valid(g) for g in land]

    def on_land(lon: float, lat: float) -> int:
        return sum(g.intersects(Point(lon, lat)) for g in land)

    assert on_land(44.36, 33.31) == 1 and on_land(2.35, 48.86) == 1  # Baghdad, Paris
    assert on_land(-30.0, 30.0) == 0 and on_land(160.0, -30.0) == 0  # mid-Atlantic, Tasman Sea
    text = country_outlines_json()
    # numbers and fixed keys only: nothing in it can end a <script> or need escaping
    keys = r'"(?:type|GeometryCollection|geometries|MultiPolygon|coordinates)"'
    assert set(re.sub(keys, "", text)) <= set("{}[],:-.0123456789")
    assert max(len(n.split(".")[1]) for n in re.findall(r"-?\d+\.\d+", text)) <= 2
    # coarser tolerance, fewer bytes: the simplification does something
    assert len(country_outlines_json(0.2, 2)) < len(text) < len(country_outlines_json(0.0, 3))


# --- symbols, roles, dates ------------------------------------------------------


def _taxonomy_types() -> list[str]:
    path = Path(__file__).resolve().parent.parent / "geomap" / "events" / "taxonomy.json"
    # "other" is listed there, and is also the type of a lead event no listed word tells
    return list(dict.fromkeys([*json.loads(path.read_text(encoding="utf-8"))["types"], "other"]))


def test_every_taxonomy_type_has_its_own_fixed_symbol():
    from geomap.mapping.symbols import FIXED, assign_symbols, contrast

    types = _taxonomy_types()
    assert set(types) == set(FIXED)
    colors = [FIXED[t][0].lower() for t in types]
    glyphs = [FIXED[t][1].lower() for t in types]
    assert len(set(colors)) == len(types) and len(set(glyphs)) == len(types)
    symbols = assign_symbols(types)
    # the letters are readable on their fill (WCAG AA for text)
    full = {"#fff": "#ffffff", "#111": "#111111"}
    assert all(contrast(s.color, full[s.text]) >= 4.5 for s in symbols.values())
    # the same in any map, whatever else is on it
    for subset in (["strike"], ["statement", "strike"], ["strike", "attack", "Strike"]):
        got = assign_symbols(subset)
        assert (got["strike"].color, got["strike"].glyph) == FIXED["strike"]
    assert (assign_symbols(["Strike"])["Strike"].color, assign_symbols(["Strike"])["Strike"].glyph) == FIXED["strike"]


def test_custom_types_never_take_a_fixed_symbol():
    from geomap.mapping.symbols import FIXED, assign_symbols

    custom = ["attack", "election", "attacks", "airstrike", "statements", "x", "", "élection"]
    symbols = assign_symbols(_taxonomy_types() + custom)
    fixed_colors = {c.lower() for c, _ in FIXED.values()}
    glyphs = [s.glyph.lower() for s in symbols.values()]
    assert len(set(glyphs)) == len(glyphs)  # no two types alike in one map
    for t in custom:
        assert symbols[t].color.lower() not in fixed_colors
    # deterministic: a custom type alone gets the same symbol as beside the whole taxonomy
    alone = assign_symbols(["election"])["election"]
    beside = assign_symbols(_taxonomy_types() + ["election"])["election"]
    assert (alone.color, alone.glyph) == (beside.color, beside.glyph)
    # two custom types in one map never share a colour (while the extra palette lasts)
    pair = assign_symbols(["attack", "election"])
    assert pair["attack"].color != pair["election"].color


def _frame(rows: list[dict]) -> gpd.GeoDataFrame:
    full = [
        {c: r.get(c, {"int64": 0, "float64": float("nan"), "Int64": None}.get(t, "")) for c, t in EVENT_COLUMNS.items()}
        for r in rows
    ]
    frame = pd.DataFrame(full)[list(EVENT_COLUMNS)].astype(EVENT_COLUMNS)
    geometry = [Point(r["lon"], r["lat"]) if r.get("lat") is not None else None for r in rows]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS)


ROLE_ROWS = [
    dict(
        event_id="a",
        event_type="assassination",
        date="2020-01-03",
        date_basis="stated",
        place_text="Baghdad",
        place_name="Baghdad",
        place_role="event",
        geo_precision="town",
        lat=33.34,
        lon=44.4,
        country_code="IQ",
        sentence="Soleimani was killed in Baghdad by Iran's enemy.",
        doc_id="iraq.txt",
    ),
    dict(
        event_id="a",
        event_type="assassination",
        date="2020-01-03",
        date_basis="stated",
        place_text="Iran",
        place_name="Iran",
        place_role="mentioned",
        geo_precision="country",
        lat=32.0,
        lon=53.0,
        country_code="IR",
        sentence="Soleimani was killed in Baghdad by Iran's enemy.",
        doc_id="iraq.txt",
    ),
    dict(
        event_id="b",
        event_type="statement",
        date="2020-03-11",
        date_basis="published",
        place_text="Iraq",
        place_name="Iraq",
        place_role="mentioned",
        geo_precision="country",
        lat=33.0,
        lon=44.0,
        country_code="IQ",
        sentence="Officials said Iraq would respond.",
        doc_id="iraq.txt",
        published="2020-03-11",
    ),
    dict(
        event_id="c",
        event_type="deployment",
        date="2020-03-11",
        date_basis="published",
        place_text="Iraq",
        place_name="Iraq",
        place_role="event",
        geo_precision="country",
        lat=33.0,
        lon=44.0,
        country_code="IQ",
        sentence="The US sent Patriot batteries to Iraq.",
        doc_id="iraq.txt",
        published="2020-03-11",
    ),
]


def test_only_event_sites_are_drawn_by_default():
    m = make_map(_frame(ROLE_ROWS), tiles=None)
    groups = [c for c in m._children.values() if isinstance(c, folium.FeatureGroup) and c.control and c.overlay]
    by_name = {re.sub(r"<[^>]+>", "", g.layer_name).split("</span>")[-1].strip(): g for g in groups}
    names = sorted(by_name)
    assert names == ["As assassination (1)", "Dp deployment (1)", "Other places in the text (2)"]
    assert by_name["Other places in the text (2)"].show is False
    assert all(g.show for n, g in by_name.items() if not n.startswith("Other"))
    layers = _layers(m)
    drawn = {r[3].split(" &middot;")[0]: r[5] for layer in layers for r in layer.rows}
    assert drawn == {"Baghdad": 0, "Iraq": 1, "Iran": 2}  # pin, badge, faint (Iraq again only as faint)
    faint = [r for layer in layers for r in layer.rows if r[5] == 2]
    assert sorted(r[3].split(" &middot;")[0] for r in faint) == ["Iran", "Iraq"]
    # the statement has no event site: it is listed, with the place it only mentions and its article
    [panel] = [c for c in m._children.values() if isinstance(c, UnplacedPanel)]
    html = panel.args[0]
    assert "Events without a mapped place (1)" in html and "statement" in html
    assert "mentions Iraq" in html and "iraq.txt" in html and "assassination" not in html


def test_a_recalled_events_other_places_are_in_the_faint_layer():
    # the assassination recalled as history: its site in the background layer, Iran still one faint mark
    m = make_map(_frame([dict(r, background=r["event_id"] == "a") for r in ROLE_ROWS]), tiles=None)
    groups = [c for c in m._children.values() if isinstance(c, folium.FeatureGroup) and c.control and c.overlay]
    names = sorted(re.sub(r"<[^>]+>", "", g.layer_name).strip() for g in groups)
    assert "Other places in the text (2)" in names and any(
        n.startswith("Background events") and n.endswith("(1)") for n in names
    )
    faint = [r for layer in _layers(m) for r in layer.rows if r[5] == 2]
    assert sorted(r[3].split(" &middot;")[0] for r in faint) == ["Iran", "Iraq"]


def test_legend_counts_what_layers_count():
    from geomap.mapping.plugins import Legend

    m = make_map(load_events(), tiles=None)
    [legend] = [c for c in m._children.values() if isinstance(c, Legend)]
    legend_counts = dict(re.findall(r'data-type="([^"]+)" data-count="(\d+)"', legend.args[2]))
    layer_counts = {}
    for g in m._children.values():
        if isinstance(g, folium.FeatureGroup) and g.overlay and "(" in g.layer_name:
            name = re.sub(r"<[^>]+>", "", g.layer_name).strip()
            etype, count = re.match(r"\S+ (.+) \((\d+)\)$", name).groups()
            layer_counts[etype] = count
    assert (
        legend_counts
        == layer_counts
        == {"attack": "2", "deployment": "1", "election": "1", "protest": "1", "statement": "1"}
    )
    assert 'data-unplaced="1"' in legend.args[2]


def test_popup_marks_inferred_dates_and_roles():
    frame = _frame(ROLE_ROWS)
    rows = frame.drop(columns="geometry").to_dict("records")
    inferred = popup.popup_html(rows[3])
    assert "date inferred from publication" in inferred and "11 March 2020" in inferred
    assert "(publication date)" in popup.tooltip_html(rows[3])
    stated = popup.popup_html(rows[0])
    assert "inferred" not in stated and "gm-role" not in stated
    assert "not where the event happened" in popup.popup_html(rows[1])
    # without a title or URL the source names the article by its document id
    assert "iraq.txt" in stated


def test_readme_documents_every_fixed_symbol():
    from geomap.mapping.symbols import FIXED

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    documented = dict((t, (c, g)) for t, c, g in re.findall(r"\| ([a-z]+) \| `(#[0-9A-Fa-f]{6})` \| (\w+) ", readme))
    assert documented == FIXED


def test_offline_outlines_have_every_country():
    """Natural Earth's outlines: the countries the older source lacked, and the islands."""
    from geomap.mapping.basemap import country_outline, country_outlines

    for code in ("HU", "RS", "ME", "XK", "MM", "FR", "NO", "MT", "BH"):
        assert country_outline(code) is not None, code
    assert len(country_outlines()["geometries"]) > 240


# --- fragments sharing one copy of the assets -------------------------------------


def test_fragment_assets_inline_sidecar_or_none(events, tmp_path):
    from geomap.mapping import assets_html
    from geomap.mapping.shared import assets_name

    m = make_map(events, tiles=None)
    inline = map_html(m, embed="fragment")
    bundle = assets_html()
    # inline: the whole bundle (Leaflet, runtime, outlines) once, and nothing of it twice
    assert inline.count(bundle) == 1 and inline.count("Leaflet 1.") == 1 and inline.count("geomapBasemap={") == 1
    out = write_map(m, tmp_path / "a.frag.html", embed="fragment", assets="sidecar")
    sidecar = tmp_path / assets_name()
    frag = out.read_text(encoding="utf-8")
    assert f'<script src="{sidecar.name}"></script>' in frag and "Leaflet 1." not in frag
    assert "geomapBasemap={" not in frag and "geomap.outlines(" in frag  # the data is shared, the call is not
    assert f"<script>{sidecar.read_text(encoding='utf-8')}</script>\n" == bundle  # the same bundle
    assert len(frag.encode()) < 0.05 * sidecar.stat().st_size  # the map's own part is small
    stamp = sidecar.stat().st_mtime_ns
    write_map(make_map(events.iloc[:2], tiles=None), tmp_path / "b.frag.html", embed="fragment", assets="sidecar")
    assert sidecar.stat().st_mtime_ns == stamp and len(list(tmp_path.glob("geomap-assets-*.js"))) == 1
    bare = map_html(m, embed="fragment", assets="none")
    assert "<script src=" not in bare and "Leaflet 1." not in bare and "L.map(" in bare
    # a CDN map's sidecar links Leaflet from CDNs, like its page, and has its own name
    cdn = map_html(make_map(events, tiles=None, offline=False), embed="fragment", assets="sidecar")
    assert assets_name(offline=False) in cdn and assets_name(offline=False) != sidecar.name
    with pytest.raises(OutputError, match="fragments"):
        map_html(m, embed="page", assets="sidecar")
    with pytest.raises(OutputError, match="assets mode"):
        map_html(m, embed="fragment", assets="cdn")  # type: ignore[arg-type]


def test_map_command_writes_fragments_with_one_sidecar(events, tmp_path, capsys):
    from cli_app import run_cli

    table = tmp_path / "events.geojson"
    events.to_file(table, driver="GeoJSON")
    for name in ("a", "b"):
        code, out, err = run_cli(
            capsys,
            "map",
            table,
            "-o",
            tmp_path / "report" / f"{name}.html",
            "--embed",
            "fragment",
            "--assets",
            "sidecar",
            "--tiles",
            "none",
            "-q",
        )
        assert code == 0, err
    report = tmp_path / "report"
    assert (
        sorted(p.name for p in report.iterdir() if not p.name.endswith(".html"))
        == [p.name for p in report.glob("geomap-assets-*.js")]
        and len(list(report.glob("geomap-assets-*.js"))) == 1
    )
    code, _, err = run_cli(capsys, "map", table, "-o", tmp_path / "p.html", "--assets", "sidecar")
    assert code == 1 and err.strip().count("\n") == 0
    assert "--assets: a shared assets file is for fragments" in err and not (tmp_path / "p.html").exists()


def _aggregated_payload(html: str) -> dict:
    found = re.search(r"geomap\.aggregated\([\w]+, [\w]+, (\{.*\})\);", html)
    assert found, "no aggregated layer"
    return json.loads(found.group(1))


def test_aggregated_view_lists_every_source_of_a_site_told_twice():
    from geomap.mapping.big import aggregated_layer

    told = [
        {"doc_id": "a.txt", "title": "Blast </script><b>hits</b> market", "url": "https://a.example/1",
         "published": "2021-03-04", "sentence": "A bomb hit the market in Baghdad."},
        {"doc_id": "b.txt", "title": "Second report", "url": "javascript:alert(1)",
         "published": "2021-03-05", "sentence": "Mourners gathered in Baghdad."},
    ]  # fmt: skip
    rows = [
        dict(ROLE_ROWS[0], event_id="twice", n_sources=2, sources=json.dumps(told), title=told[0]["title"]),
        dict(ROLE_ROWS[3], event_id="once", lat=30.5, lon=47.8),
    ]
    small = make_map(_frame(rows), tiles=None)
    assert aggregated_layer(small) is None  # a small map keeps its markers
    m = make_map(_frame(rows), tiles=None, aggregate=True)
    layer = aggregated_layer(m)
    assert "ns" not in layer.data  # an events map lists no sources unless asked
    layer.list_sources()
    assert layer.ring({"twice"}, color="#ff7f00", label="new") == 1
    layer.name_sites("incident", "incidents", "Incidents (2)")
    html = map_html(m)
    assert "</script><b>" not in html  # the title stays inside its script, as JSON text
    data = _aggregated_payload(html)
    assert data["noun"] == ["incident", "incidents"] and data["ring"]["on"] == [1, 0]
    assert data["ns"] == [2, 1] and data["more"][1] == -1
    pairs = data["lists"][data["more"][0]]
    listed = [(data["sources"][pairs[i]], data["sentences"][pairs[i + 1]]) for i in range(0, len(pairs), 2)]
    assert listed == [
        (["Blast </script><b>hits</b> market", "2021-03-04", "https://a.example/1"], told[0]["sentence"]),
        (["Second report", "2021-03-05", ""], told[1]["sentence"]),  # only http(s) is linked
    ]
    assert ">Incidents (2)</" in html or '"Incidents (2)"' in html
    # without a site told twice the payload carries no per-site sources
    alone = make_map(_frame(rows[1:]), tiles=None, aggregate=True)
    aggregated_layer(alone).list_sources()
    data = _aggregated_payload(map_html(alone))
    assert "ns" not in data and "lists" not in data and "ring" not in data


def test_offline_outlines_are_kept_in_the_cache_folder(tmp_path, monkeypatch):
    import json

    from geomap.mapping import basemap

    monkeypatch.setattr(basemap, "cache_folder", lambda: tmp_path)
    basemap.country_outlines_json.cache_clear()
    try:
        made = basemap.country_outlines_json()
        path = basemap.cache_file()
        assert path.parent == tmp_path and path.read_text(encoding="utf-8") == made
        assert json.loads(made) == basemap.country_outlines()
        # the next process reads the file; a damaged one is made again
        basemap.country_outlines_json.cache_clear()
        assert basemap.country_outlines_json() == made
        path.write_text("{not json", encoding="utf-8")
        basemap.country_outlines_json.cache_clear()
        assert basemap.country_outlines_json() == made and path.read_text(encoding="utf-8") == made
        # other settings, another file
        assert basemap.cache_file(0.5, 1) != path
    finally:
        basemap.country_outlines_json.cache_clear()
