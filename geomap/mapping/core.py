"""make_map: an events GeoDataFrame (schema.EVENT_COLUMNS) to an interactive folium.Map."""

from __future__ import annotations

from html import escape
from typing import Any

import folium
import geopandas as gpd
from folium.plugins import MarkerCluster

from geomap.errors import InputError
from geomap.mapping import popup
from geomap.mapping.assets import make_offline
from geomap.mapping.plugins import (
    CountryOutlines, EventLayer, Legend, Runtime, TileNotice, TimeSlider, Title, UnplacedPanel,
)
from geomap.mapping.symbols import APPROX_RADIUS_M, assign_symbols

#: Tile base maps offered in the layer control besides the chosen one (all need the network).
EXTRA_TILES = ("OpenTopoMap",)
NO_TILES = "No base map"
TILE_NOTICE = "Base map tiles could not be loaded (offline?). Events are still shown."
TILE_FALLBACK_NOTICE = "Base map tiles could not be loaded (offline?): showing offline outlines."


def _no_jinja(html_text: str) -> str:
    """Braces as entities: folium's LayerControl output is parsed by Jinja again."""
    return html_text.replace("{", "&#123;").replace("}", "&#125;")


def _records(events: gpd.GeoDataFrame) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Split rows into (placed, unplaced) dicts; placed ones get _lat/_lon."""
    if not isinstance(events, gpd.GeoDataFrame):
        raise InputError(f"make_map needs a GeoDataFrame of events, got {type(events).__name__}")
    if events.crs is not None and not events.crs.equals("EPSG:4326"):
        events = events.to_crs("EPSG:4326")
    geoms = events.geometry.array if events.geometry is not None else [None] * len(events)
    frame = events.drop(columns=events.geometry.name)
    placed, unplaced = [], []
    for row, geom in zip(frame.to_dict("records"), geoms):
        row["event_type"] = popup.text(row.get("event_type")) or "event"
        if geom is None or geom.is_empty:
            unplaced.append(row)
            continue
        if geom.geom_type != "Point":
            geom = geom.representative_point()
        lon, lat = geom.x, geom.y
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise InputError(f"event {popup.text(row.get('event_id'))!r} has coordinates out of range: {lat}, {lon}")
        row["_lat"], row["_lon"] = lat, lon
        placed.append(row)
    return placed, unplaced


def _add_tiles(m: folium.Map, tiles: str | None) -> bool:
    """Chosen base map first (shown), alternatives and a no-tiles option after."""
    if tiles is None:
        return False
    names = [tiles] + [t for t in EXTRA_TILES if t.lower() != str(tiles).lower()]
    for i, name in enumerate(names):
        # only the first is shown; Leaflet would otherwise pick the last added
        folium.TileLayer(name, name=str(name), control=True, show=i == 0).add_to(m)
    return True


def _date_labels(dates: list[str], placed_and_unplaced: list[dict[str, Any]]) -> list[str]:
    precision: dict[str, str] = {}
    for row in placed_and_unplaced:
        d = popup.text(row.get("date"))
        p = popup.text(row.get("date_precision")) or "day"
        # the finest precision seen for a date decides its label
        if d and (d not in precision or p == "day"):
            precision[d] = p
    return [popup.format_date(d, precision.get(d, "day")) for d in dates]


def make_map(
    events: gpd.GeoDataFrame,
    *,
    title: str | None = None,
    tiles: str | None = "OpenStreetMap",
    cluster: bool = True,
    time_slider: bool = True,
    offline: bool = True,
    outlines: bool = True,
) -> folium.Map:
    """Interactive map of dated events: one layer per event type, clustered pins,
    rings for region/country-level places, legend, date slider and a panel for
    events without a place. ``offline`` inlines Leaflet so only tiles need the network.

    ``outlines`` adds the offline base layer of country outlines: shown when
    ``tiles`` is None, otherwise selectable and switched to if tiles fail to load."""
    placed, unplaced = _records(events)
    m = folium.Map(location=[20, 0], zoom_start=2, tiles=None, prefer_canvas=True, control_scale=True)
    # MarkerCluster needs the map's zoom range even when there are no tiles
    m.options["max_zoom"] = 18
    m.options["min_zoom"] = 1
    if title:
        m.get_root().title = escape(title)  # branca puts it in <title> unescaped
    has_tiles = _add_tiles(m, tiles)
    if outlines:
        CountryOutlines(show=not has_tiles).add_to(m)
    if has_tiles or outlines:
        # an empty base layer so readers can switch the background off (e.g. for print)
        empty = folium.FeatureGroup(name=NO_TILES, overlay=False, control=True, show=False)
        empty.add_to(m)
    Runtime().add_to(m)

    all_rows = placed + unplaced
    symbols = assign_symbols([r["event_type"] for r in all_rows])
    counts: dict[str, int] = {}
    for r in all_rows:
        counts[r["event_type"]] = counts.get(r["event_type"], 0) + 1

    by_type: dict[str, list[dict[str, Any]]] = {}
    for row in placed:
        by_type.setdefault(row["event_type"], []).append(row)
    approximate = False
    for etype in sorted(by_type):
        sym = symbols[etype]
        rows = []
        for r in by_type[etype]:
            radius = APPROX_RADIUS_M.get(popup.text(r.get("geo_precision")), 0)
            approximate = approximate or radius > 0
            rows.append([round(r["_lat"], 6), round(r["_lon"], 6), popup.popup_html(r, sym.color),
                         popup.tooltip_html(r), popup.text(r.get("date"))[:10], radius])
        name = (f'<span class="geomap-swatch" style="background:{sym.color}">{_no_jinja(escape(sym.glyph))}</span> '
                f"{_no_jinja(escape(etype))} ({len(rows)})")
        group = folium.FeatureGroup(name=name, show=True).add_to(m)
        target = None
        if cluster:
            target = MarkerCluster(
                name=None, control=False, show_coverage_on_hover=False, chunked_loading=True,
                max_cluster_radius=45, spiderfy_on_max_zoom=True,
                icon_create_function=f"geomap.clusterIcon({sym.color!r})",
            ).add_to(group)
        EventLayer(rows, color=sym.color, glyph_html=escape(sym.glyph), cluster=target).add_to(group)

    if unplaced:
        UnplacedPanel(unplaced).add_to(m)
    if symbols:
        Legend([symbols[t] for t in sorted(symbols)], counts, approximate).add_to(m)
    dates = sorted({popup.text(r.get("date"))[:10] for r in all_rows} - {""})
    if time_slider and dates:
        TimeSlider(dates, _date_labels(dates, all_rows)).add_to(m)
    if title:
        Title(title).add_to(m)
    if has_tiles:
        TileNotice(TILE_NOTICE, TILE_FALLBACK_NOTICE if outlines else None).add_to(m)
    folium.LayerControl(collapsed=len(by_type) > 6).add_to(m)
    _fit(m, placed)
    if offline:
        make_offline(m)
    return m


def _fit(m: folium.Map, placed: list[dict[str, Any]]) -> None:
    if not placed:
        return
    lats = [r["_lat"] for r in placed]
    lons = [r["_lon"] for r in placed]
    # max_zoom stops a single event from zooming to street level
    m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(30, 30), max_zoom=9)
