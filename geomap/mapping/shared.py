"""One copy of the map assets for several fragments on one page.

Every map needs the same page-level assets: Leaflet and MarkerCluster (inlined from the
``xstatic-*`` packages), geomap's runtime, the time control and the big-map view (JS and CSS)
and the offline base map (country outlines and names): about 0.9 MB, against a few kB of
the map's own data. A page writes them once into its header. A fragment carries them as one
script, the *bundle*, guarded by ``window.geomapAssets``: the bundle defines everything and
injects the CSS the first time it runs, and does nothing after that, so fragments can be
pasted anywhere on a page in any order.

``map_html(m, embed="fragment", assets=...)`` chooses where the bundle is:

- ``"inline"`` (default): in the fragment. A fragment works on its own; a page with several
  still holds one copy per fragment (that runs once).
- ``"sidecar"``: in a file beside the fragment, :func:`assets_name` (named by a hash of its
  content, so fragments of the same geomap version share it and others do not clash); the
  fragment loads it with ``<script src>``. :func:`write_map` writes it, as does
  :func:`write_assets`. A page with several fragments holds one copy, and it stays offline.
- ``"none"``: nowhere; the page gives the bundle once, from :func:`assets_html` or from one
  fragment written with ``"inline"`` before the others.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from branca.element import Figure

from geomap.mapping.assets import library_bundle
from geomap.mapping.plugins.base import static
from geomap.mapping.plugins.events import script_json
from geomap.mapping.plugins.outlines import BASEMAP_SLOT, basemap_js

Assets = Literal["inline", "sidecar", "none"]
ASSET_MODES = ("inline", "sidecar", "none")

#: Header slots of the page-level assets (each element renders into its own fixed slot).
SLOTS = ("geomap_offline_assets", "geomap_runtime", "geomap_timerange", "geomap_bigmap", BASEMAP_SLOT)


def _script_safe(js: str) -> str:
    return js.replace("</script", "<\\/script")


@lru_cache(maxsize=2)
def assets_js(offline: bool = True) -> str:
    """The bundle's JavaScript; ``offline`` includes Leaflet and MarkerCluster (in CDN mode the
    fragment links them from CDNs, as a page does)."""
    css = [static("geomap.css"), static("timerange.css")]
    js = [static("geomap.js"), static("timerange.js"), static("bigmap.js"), basemap_js()]
    if offline:
        lib_css, lib_js = library_bundle()
        css.insert(0, lib_css)
        js.insert(0, lib_js)
    inject = (
        "(function(){var s=document.createElement('style');s.setAttribute('data-geomap-assets','');"
        f"s.textContent={script_json(chr(10).join(css))};"
        "(document.head||document.documentElement).appendChild(s);})();"
    )
    # top-level blocks, not a function: Leaflet's UMD wrapper registers itself on `this` (window)
    return (
        "if(!window.geomapAssets){window.geomapAssets=true;\n"
        + inject
        + "\n"
        + "\n".join(_script_safe(part) for part in js)
        + "\n}\n"
    )


def assets_name(offline: bool = True) -> str:
    """File name of the sidecar bundle: ``geomap-assets-<hash>.js``."""
    digest = hashlib.sha256(assets_js(offline).encode("utf-8")).hexdigest()[:12]
    return f"geomap-assets-{digest}{'' if offline else '-cdn'}.js"


def assets_html(offline: bool = True) -> str:
    """The bundle as an inline ``<script>``, to put once on a page of ``assets="none"`` fragments."""
    return f"<script>{assets_js(offline)}</script>\n"


def write_assets(folder: str | os.PathLike[str], offline: bool = True) -> Path:
    """Write the sidecar bundle into *folder* (atomically; kept when it is there already)."""
    from geomap.io.atomic import write_data

    path = Path(folder) / assets_name(offline)
    data = assets_js(offline).encode("utf-8")
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return path
    return write_data(path, data)


def take_assets(figure: Figure) -> None:
    """Remove the page-level assets from a rendered figure's header (the bundle replaces them)."""
    for slot in SLOTS:
        figure.header._children.pop(slot, None)


def bundle_tag(assets: str, offline: bool) -> str:
    """What a fragment holds in place of the page-level assets."""
    if assets == "inline":
        return assets_html(offline)
    if assets == "sidecar":
        return f'<script src="{assets_name(offline)}"></script>\n'
    return ""
