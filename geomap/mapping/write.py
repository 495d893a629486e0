"""Write a map as a full page, an embeddable fragment or an <iframe srcdoc> snippet."""

from __future__ import annotations

import copy
import os
import re
import uuid
from html import escape, unescape
from pathlib import Path
from typing import Literal

import folium

from geomap.errors import OutputError
from geomap.io.atomic import write_data
from geomap.mapping.assets import OfflineAssets, make_offline, walk
from geomap.mapping.shared import ASSET_MODES, Assets, bundle_tag, take_assets, write_assets

Embed = Literal["page", "fragment", "iframe"]

#: Page-level rules folium puts in the header that must not leak into a host page.
_PAGE_ONLY = re.compile(r"<meta[^>]*>|<style>\s*html,\s*body\s*\{.*?</style>|<style>\s*#map\s*\{.*?</style>", re.S)


def is_offline(m: folium.Map) -> bool:
    """Whether *m* inlines its libraries (not CDN mode)."""
    return any(isinstance(c, OfflineAssets) for c in m._children.values())


def _page(m: folium.Map) -> str:
    if is_offline(m):
        make_offline(m)  # catches elements added after make_map
    return m.get_root().render()


def _fragment(m: folium.Map, height: str, assets: Assets) -> str:
    # Render a copy with fresh ids so the same map can be embedded twice on a page.
    fig = copy.deepcopy(m.get_root())
    for el in walk(fig):
        el._id = uuid.uuid4().hex
    mcopy = next(el for el in walk(fig) if isinstance(el, folium.Map))
    offline = is_offline(mcopy)
    if offline:
        make_offline(mcopy)
    fig.render()
    take_assets(fig)  # the page-level assets go in one guarded bundle (geomap.mapping.shared)
    header = _PAGE_ONLY.sub("", fig.header.render())
    name = mcopy.get_name()
    return (
        f'<div class="geomap-embed" style="position:relative;width:100%;height:{escape(height, quote=True)}">\n'
        f"<style>#{name}{{position:absolute;top:0;left:0;width:100%;height:100%}}</style>\n"
        f"{header}\n{bundle_tag(assets, offline)}{fig.html.render()}\n<script>\n{fig.script.render()}\n</script>\n"
        "</div>\n"
    )


def _check_assets(embed: str, assets: str) -> None:
    if assets not in ASSET_MODES:
        raise OutputError(f"unknown assets mode {assets!r}; use {', '.join(ASSET_MODES)}")
    if assets != "inline" and embed != "fragment":
        raise OutputError(f"assets={assets!r} is for fragments; a {embed} holds its own assets")


def map_html(m: folium.Map, *, embed: Embed = "page", height: str = "500px", assets: Assets = "inline") -> str:
    """The map as HTML text; ``height`` applies to fragment and iframe.

    ``assets`` says where a fragment finds Leaflet, geomap's code and the offline base map:
    ``inline`` (in the fragment, guarded so a page runs them once), ``sidecar`` (a
    ``<script src>`` of :func:`geomap.mapping.shared.assets_name`, which :func:`write_map`
    writes beside the fragment) or ``none`` (the page gives them once: ``assets_html()``)."""
    _check_assets(embed, assets)
    if embed == "page":
        return _page(m)
    if embed == "fragment":
        return _fragment(m, height, assets)
    if embed == "iframe":
        title = escape(unescape(m.get_root().title or "map"), quote=True)
        return (
            f'<iframe srcdoc="{escape(_page(m), quote=True)}" title="{title}" '
            f'style="width:100%;height:{escape(height, quote=True)};border:0" '
            'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" loading="lazy"></iframe>\n'
        )
    raise OutputError(f"unknown embed mode {embed!r}; use page, fragment or iframe")


def write_map(
    m: folium.Map,
    path: str | os.PathLike[str],
    *,
    embed: Embed = "page",
    height: str = "500px",
    assets: Assets = "inline",
) -> Path:
    """Write *m* to *path* atomically and return the path; ``assets="sidecar"`` also writes the
    shared assets file beside it (kept when it is there already)."""
    text = map_html(m, embed=embed, height=height, assets=assets)
    if assets == "sidecar":
        write_assets(Path(path).parent, offline=is_offline(m))
    return write_data(path, text)
