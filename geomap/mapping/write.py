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
from branca.element import Element

from geomap.errors import OutputError
from geomap.io.atomic import write_data
from geomap.mapping.assets import OfflineAssets, make_offline, walk

Embed = Literal["page", "fragment", "iframe"]

#: Page-level rules folium puts in the header that must not leak into a host page.
_PAGE_ONLY = re.compile(
    r"<meta[^>]*>|<style>\s*html,\s*body\s*\{.*?</style>|<style>\s*#map\s*\{.*?</style>", re.S
)


def _is_offline(m: folium.Map) -> bool:
    return any(isinstance(c, OfflineAssets) for c in m._children.values())


def _page(m: folium.Map) -> str:
    if _is_offline(m):
        make_offline(m)  # catches elements added after make_map
    return m.get_root().render()


def _fragment(m: folium.Map, height: str) -> str:
    # Render a copy with fresh ids so the same map can be embedded twice on a page.
    fig = copy.deepcopy(m.get_root())
    for el in walk(fig):
        el._id = uuid.uuid4().hex
    mcopy = next(el for el in walk(fig) if isinstance(el, folium.Map))
    if _is_offline(mcopy):
        make_offline(mcopy)
    fig.render()
    header = _PAGE_ONLY.sub("", fig.header.render())
    name = mcopy.get_name()
    return (
        f'<div class="geomap-embed" style="position:relative;width:100%;height:{escape(height, quote=True)}">\n'
        f"<style>#{name}{{position:absolute;top:0;left:0;width:100%;height:100%}}</style>\n"
        f"{header}\n{fig.html.render()}\n<script>\n{fig.script.render()}\n</script>\n</div>\n"
    )


def map_html(m: folium.Map, *, embed: Embed = "page", height: str = "500px") -> str:
    """The map as HTML text; ``height`` applies to fragment and iframe."""
    if embed == "page":
        return _page(m)
    if embed == "fragment":
        return _fragment(m, height)
    if embed == "iframe":
        title = escape(unescape(m.get_root().title or "map"), quote=True)
        return (
            f'<iframe srcdoc="{escape(_page(m), quote=True)}" title="{title}" '
            f'style="width:100%;height:{escape(height, quote=True)};border:0" '
            'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" loading="lazy"></iframe>\n'
        )
    raise OutputError(f"unknown embed mode {embed!r}; use page, fragment or iframe")


def write_map(m: folium.Map, path: str | os.PathLike[str], *, embed: Embed = "page",
              height: str = "500px") -> Path:
    """Write *m* to *path* atomically and return the path."""
    return write_data(path, map_html(m, embed=embed, height=height))
