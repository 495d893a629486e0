"""What a map of a store adds to geomap's event map: incident circles sized by their number of
sources, with a popup that lists every source, and a ring around what the last update added.

A big map (past :data:`geomap.mapping.big.AGGREGATE_OVER` sites, or ``aggregate``) draws its
sites in one aggregated layer; its incidents are drawn there, counted per grid cell until the
reader zooms in, then sized by their sources and ringed when new, instead of one marker each."""

from __future__ import annotations

import json
import math
from html import escape

import folium
import geopandas as gpd

from geomap.mapping import popup
from geomap.mapping.big import aggregated_layer
from geomap.mapping.core import controls_last
from geomap.mapping.plugins import BoundPopup, legend_of

#: Colour of the ring around events and incidents the last update added.
NEW_COLOR = "#ff7f00"
#: What the ring means, on an incident map and on an events map (tooltips and the legend).
NEW_INCIDENT = "new or grown in the last update"
NEW_EVENT = "new in the last update"


def radius(n_sources: int) -> float:
    """Marker radius in pixels: the area grows with the number of sources."""
    return 6.0 + 5.0 * math.sqrt(max(n_sources, 1) - 1)


def sources_html(row) -> str:
    """Every source of an incident: the article's link, its date, the sentence it is told in."""
    items = []
    for s in json.loads(popup.text(row.get("sources")) or "[]"):
        title, url = popup.text(s.get("title")), popup.text(s.get("url"))
        href = popup.safe_url(url)
        label = escape(title or url or s.get("doc_id") or "source")
        link = (
            f'<a href="{escape(href, quote=True)}" target="_blank" rel="noopener noreferrer">{label}</a>'
            if href
            else label
        )
        date = escape(popup.text(s.get("published"))[:10])
        items.append(
            f"<li>{link}{f' ({date})' if date else ''}<br>&ldquo;{escape(popup.text(s.get('sentence')))}&rdquo;</li>"
        )
    n = popup.integer(row.get("n_sources"), 1)
    head = (
        f"<b>{escape(popup.text(row.get('event_type')))}</b>, {escape(popup.place_label(row))}<br>"
        f"{n} source{'s' if n != 1 else ''}, first report {escape(popup.text(row.get('first_report')))}, "
        f"last {escape(popup.text(row.get('last_report')))}"
    )
    return f'<div class="gm-incident">{head}<ol>{"".join(items)}</ol></div>'


def add_store_layers(m: folium.Map, events: gpd.GeoDataFrame, *, incidents: bool) -> folium.Map:
    """Add the store's layers to a map of its events (or of its incidents, ``incidents``)."""
    if not len(events):
        return m
    sites = events[(events["place_role"] == "event") & events.geometry.notna()]
    layer = aggregated_layer(m) if incidents else None
    if layer is not None:
        new = set(sites.loc[sites["new"].astype(bool), "event_id"]) if "new" in sites else set()
        layer.list_sources()
        layer.ring(new, color=NEW_COLOR, label=NEW_INCIDENT)
        layer.name_sites("incident", "incidents", f"Incidents by number of sources ({len(layer.keys)})")
    elif incidents:
        group = folium.FeatureGroup(name=f"Incidents by number of sources ({len(sites)})", show=True).add_to(m)
        for row in sites.sort_values("n_sources", ascending=False).to_dict("records"):
            marker = folium.CircleMarker(
                [row["geometry"].y, row["geometry"].x],
                radius=radius(int(row["n_sources"])),
                color=NEW_COLOR if row.get("new") else "#3b5b92",
                weight=3 if row.get("new") else 1,
                fill=True,
                fill_opacity=0.25,
                tooltip=f"{int(row['n_sources'])} source(s)",
            ).add_to(group)
            BoundPopup(sources_html(row)).add_to(marker)
    n_new = int(sites["new"].astype(bool).sum()) if "new" in sites else 0
    _explain(m, incidents=incidents, n_new=n_new)
    if n_new:
        new = sites[sites["new"].astype(bool)]
        if not incidents:
            group = folium.FeatureGroup(name=f"New in the last update ({len(new)})", show=True).add_to(m)
            for row in new.to_dict("records"):
                folium.CircleMarker(
                    [row["geometry"].y, row["geometry"].x],
                    radius=14,
                    color=NEW_COLOR,
                    weight=3,
                    fill=False,
                    tooltip=NEW_EVENT,
                ).add_to(group)
    return controls_last(m)


def _explain(m: folium.Map, *, incidents: bool, n_new: int) -> None:
    """The legend's rows for the store's marks: an incident's size, the last update's ring."""
    legend = legend_of(m)
    if legend is None:
        return
    if incidents:
        legend.add_mark(
            '<span class="gm-size-key"><i></i><i></i></span>', "incident circle area: its number of sources"
        )
    if n_new:
        what = NEW_INCIDENT if incidents else NEW_EVENT
        legend.add_mark(f'<span class="gm-ring-key" style="border-color:{NEW_COLOR}"></span>', f"{what} ({n_new})")
