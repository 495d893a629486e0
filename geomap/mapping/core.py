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
from geomap.mapping.basemap import country_outline
from geomap.mapping.big import AGGREGATE_OVER, AggregatedEvents
from geomap.mapping.plugins import (
    CountryOutlines,
    EventLayer,
    Fit,
    Legend,
    Runtime,
    TileNotice,
    TimeRange,
    Title,
    UnplacedPanel,
    histogram,
    in_window,
    news_window,
    outside_note,
)
from geomap.mapping.symbols import assign_symbols

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
    # object columns: to_dict walks arrow-backed strings one boxed value at a time otherwise
    frame = events.drop(columns=events.geometry.name).astype(object)
    placed, unplaced = [], []
    for row, geom in zip(frame.to_dict("records"), geoms):
        row["event_type"] = popup.text(row.get("event_type")).strip() or "other"
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


#: Events without a site listed in the panel of a big (aggregated) map, at most.
UNPLACED_LISTED = 200
#: Layer-control name of the places that are not where an event happened (off by default).
OTHER_PLACES = "Other places in the text"
#: Layer-control name of the events the articles recall as history (``background``; off by default).
BACKGROUND = "Background events (history the text recalls)"
#: Precisions drawn as a small badge (plus the country's outline) instead of a pin.
APPROXIMATE = ("region", "country", "continent")
#: JS marker kinds of an EventLayer row.
KIND_PIN, KIND_BADGE, KIND_FAINT = 0, 1, 2


def role_of(row: dict[str, Any]) -> str:
    """event | context | mentioned; a frame without roles has event sites only."""
    role = popup.text(row.get("place_role")).strip().lower()
    return role if role in ("context", "mentioned") else "event"


def _unplaced_events(
    unplaced: list[dict[str, Any]], others: list[dict[str, Any]], sited: set[str]
) -> list[dict[str, Any]]:
    """One entry per event with no event site: its first row, plus the names of the
    places the text only mentions with it (``_mentions``)."""
    out: dict[str, dict[str, Any]] = {}
    for i, row in enumerate(unplaced + others):
        eid = popup.text(row.get("event_id")) or f"_row{i}"
        if eid in sited:
            continue
        entry = out.setdefault(eid, dict(row, _mentions=[]))
        name = popup.place_label(row) if "_lat" in row else ""
        if name and name not in entry["_mentions"]:
            entry["_mentions"].append(name)
    return list(out.values())


def make_map(
    events: gpd.GeoDataFrame,
    *,
    title: str | None = None,
    tiles: str | None = "OpenStreetMap",
    cluster: bool = True,
    time_slider: bool = True,
    offline: bool = True,
    outlines: bool = True,
    aggregate: bool | None = None,
) -> folium.Map:
    """Interactive map of dated events.

    Event sites (``place_role`` event) are drawn with their type's fixed symbol
    (:mod:`geomap.mapping.symbols`), one layer per type: pins for precise places,
    a small badge and the country's outline for region/country/continent-level
    ones. Places the text names only as context or in passing are in one more
    layer, faint and off by default. Legend and layer names count the same
    drawn rows; events without an event site are listed in a panel. A date
    range with a histogram of events per day, week or month filters by date.
    ``offline`` inlines Leaflet so only tiles need the network.

    ``aggregate`` draws the event sites as one canvas layer, counted per grid cell until the
    reader zooms in (:mod:`geomap.mapping.big`); None (the default) does so past
    ``big.AGGREGATE_OVER`` sites, so 100,000 events stay a usable page.

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

    # history the articles recall (the events column ``background``; absent: none) is off by default
    recalled = [r for r in placed if popup.flag(r.get("background"))]
    placed = [r for r in placed if not popup.flag(r.get("background"))]
    sites = [r for r in placed if role_of(r) == "event"]
    # every place the text names that is no event's site, a recalled event's too, is in the faint layer
    others = [r for r in placed + recalled if role_of(r) != "event"]
    recalled_sites = [r for r in recalled if role_of(r) == "event"]
    sited = {popup.text(r.get("event_id")) for r in sites + recalled_sites} - {""}
    listed = _unplaced_events(unplaced, others, sited)
    all_rows = placed + recalled + unplaced
    symbols = assign_symbols([r["event_type"] for r in all_rows])

    by_type: dict[str, list[dict[str, Any]]] = {}
    for row in sites:
        by_type.setdefault(row["event_type"], []).append(row)
    counts: dict[str, int] = {}
    kinds: set[int] = set()
    big = len(sites) > AGGREGATE_OVER if aggregate is None else aggregate
    n_listed = len(listed)
    if big:
        counts = {t: len(v) for t, v in by_type.items()}
        kinds.add(KIND_PIN)
        group = folium.FeatureGroup(name=f"Event sites ({len(sites)})", show=True).add_to(m)
        AggregatedEvents(sites, symbols).add_to(group)
        others, n_listed, listed = [], len(listed), listed[:UNPLACED_LISTED]
    for etype in sorted(by_type) if not big else ():
        sym = symbols[etype]
        rows, areas = _layer_rows(by_type[etype], sym.color, faint=False)
        kinds.update(r[5] for r in rows)
        counts[etype] = len(rows)
        group = folium.FeatureGroup(name=_layer_name(sym, etype, len(rows)), show=True).add_to(m)
        target = None
        if cluster and any(r[5] == KIND_PIN for r in rows):
            target = MarkerCluster(
                name=None,
                control=False,
                show_coverage_on_hover=False,
                chunked_loading=True,
                max_cluster_radius=45,
                spiderfy_on_max_zoom=True,
                icon_create_function=f"geomap.clusterIcon({sym.color!r})",
            ).add_to(group)
        EventLayer(rows, symbol=sym, areas=areas, cluster=target).add_to(group)

    if others:
        name = f'<span class="geomap-swatch gm-faint-swatch"></span> {_no_jinja(escape(OTHER_PLACES))} ({len(others)})'
        group = folium.FeatureGroup(name=name, show=False).add_to(m)
        for etype in sorted({r["event_type"] for r in others}):
            sym = symbols[etype]
            rows, _ = _layer_rows([r for r in others if r["event_type"] == etype], sym.color, faint=True)
            EventLayer(rows, symbol=sym, areas={}).add_to(group)

    if recalled_sites:
        name = (
            f'<span class="geomap-swatch gm-background-swatch"></span> '
            f"{_no_jinja(escape(BACKGROUND))} ({len(recalled_sites)})"
        )
        group = folium.FeatureGroup(name=name, show=False).add_to(m)
        for etype in sorted({r["event_type"] for r in recalled_sites}):
            sym = symbols[etype]
            rows, areas = _layer_rows([r for r in recalled_sites if r["event_type"] == etype], sym.color, faint=False)
            EventLayer(rows, symbol=sym, areas=areas, background=True).add_to(group)

    if listed:
        UnplacedPanel(listed, {t: symbols[t] for t in symbols}, total=n_listed).add_to(m)
    if counts or others or listed or recalled_sites:
        Legend(
            [symbols[t] for t in sorted(counts)],
            counts,
            badges=KIND_BADGE in kinds,
            others=len(others),
            unplaced=n_listed,
            background=len(recalled_sites),
        ).add_to(m)
    if time_slider:
        _time_range(m, sites, recalled_sites, all_rows)
    if title:
        Title(title).add_to(m)
    if has_tiles:
        TileNotice(TILE_NOTICE, TILE_FALLBACK_NOTICE if outlines else None).add_to(m)
    folium.LayerControl(collapsed=len(by_type) + bool(others) > 6).add_to(m)
    _fit(m, sites)
    if offline:
        make_offline(m)
    return m


def controls_last(m: folium.Map) -> folium.Map:
    """Move the layer list and the first fit behind every layer added since :func:`make_map`
    (a store's incidents): the page's script names each layer, so a layer defined after the list
    would be undefined there and stop the script before the fit."""
    for key, child in list(m._children.items()):
        if isinstance(child, (folium.LayerControl, Fit)):
            m._children.move_to_end(key)
    return m


def _time_range(
    m: folium.Map, sites: list[dict[str, Any]], recalled: list[dict[str, Any]], rows: list[dict[str, Any]]
) -> None:
    """The time control; its default range is the news window of the articles (see
    :func:`geomap.mapping.plugins.timerange.news_window`), the rest listed and one click away."""

    def dated(rs):
        return [
            (popup.text(r.get("date")), popup.text(r.get("date_precision"))) for r in rs if popup.text(r.get("date"))
        ]

    def bins(rs):
        return histogram((popup.text(r.get("date")), popup.text(r.get("date_basis")) in popup.DATE_BASIS) for r in rs)

    window = news_window(dated(sites), (popup.text(r.get("published")) for r in rows))
    shown = [r for r in sites if in_window(window, popup.text(r.get("date")), popup.text(r.get("date_precision")))]
    everything = sites + recalled
    hist = bins(shown)
    if not hist:
        hist, window = bins(everything), None  # only background events are dated
    if not hist:
        return
    full = outside = None
    if window is not None:
        note = outside_note(dated(everything), window)
        if note["n"]:
            full, outside = bins(everything), note
    TimeRange(hist, undated=sum(1 for r in sites if not popup.text(r.get("date"))), full=full, outside=outside).add_to(
        m
    )


def _layer_name(sym, etype: str, count: int) -> str:
    return (
        f'<span class="geomap-swatch" style="background:{sym.color};color:{sym.text}">'
        f"{_no_jinja(escape(sym.glyph))}</span> {_no_jinja(escape(etype))} ({count})"
    )


def _layer_rows(rows: list[dict[str, Any]], color: str, *, faint: bool) -> tuple[list[list[Any]], dict[str, Any]]:
    """EventLayer rows ``[lat, lon, popup, tooltip, date, kind, area]`` and the outlines they name."""
    out, areas = [], {}
    for r in rows:
        precision = popup.text(r.get("geo_precision"))
        area = ""
        if faint:
            kind = KIND_FAINT
        elif precision in APPROXIMATE:
            kind = KIND_BADGE
            code = popup.text(r.get("country_code")).upper()
            if precision == "country" and code:
                outline = country_outline(code)
                if outline is not None:
                    areas[code] = outline
                    area = code
        else:
            kind = KIND_PIN
        out.append(
            [
                round(r["_lat"], 6),
                round(r["_lon"], 6),
                popup.popup_html(r, color),
                popup.tooltip_html(r),
                popup.text(r.get("date"))[:10],
                kind,
                area,
            ]
        )
    return out, areas


def _fit(m: folium.Map, sites: list[dict[str, Any]]) -> None:
    """The first view shows every event site (their points, never a whole area)."""
    if not sites:
        Fit(None, 0).add_to(m)  # still lays the controls out (compact or not)
        return
    lats = [r["_lat"] for r in sites]
    lons = [r["_lon"] for r in sites]
    precise = any(popup.text(r.get("geo_precision")) not in APPROXIMATE for r in sites)
    bounds = [[min(lats), min(lons)], [max(lats), max(lons)]]
    # a first fit in the page, then the runtime's, which keeps the sites clear of the controls;
    # max_zoom stops a single event from zooming to street level, or into a country's centre
    max_zoom = 9 if precise else 5
    m.fit_bounds(bounds, padding=(40, 40), max_zoom=max_zoom)
    Fit(bounds, max_zoom).add_to(m)
