"""Offline mode: inline Leaflet, MarkerCluster and their CSS into the page.

The libraries come from the installed ``xstatic-*`` packages and are read at
render time, so no third-party file lives in the repository and the written
page makes no request except for base-map tiles.
"""

from __future__ import annotations

import base64
import mimetypes
import re
import warnings
from functools import lru_cache
from pathlib import Path

from branca.element import Element, Figure, MacroElement
from folium.template import Template

from geomap.errors import OutputError

#: CDN entries folium elements declare that we either inline or do not need
#: (our markers use our own CSS, so bootstrap/awesome-markers/jquery are unused).
REPLACED = frozenset(
    {
        "leaflet",
        "leaflet_css",
        "jquery",
        "bootstrap",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers",
        "awesome_markers_css",
        "awesome_markers_font_css",
        "awesome_rotate_css",
        "markerclusterjs",
        "markerclustercss",
        "markerclusterdefaultcss",
    }
)

_SOURCE_MAP = re.compile(r"^\s*(//|/\*)# sourceMappingURL=.*$", re.M)
_CSS_URL = re.compile(r"url\(\s*['\"]?(?!data:|#)([^'\")]+)['\"]?\s*\)")


def _xstatic_dir(module: str) -> Path:
    try:
        mod = __import__(f"xstatic.pkg.{module}", fromlist=["BASE_DIR"])
    except ImportError as exc:  # pragma: no cover - dependency missing
        raise OutputError(
            f"offline map needs the python package xstatic-{module.replace('_', '-')}; install it or use the CDN mode"
        ) from exc
    return Path(mod.BASE_DIR)


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _read_css(path: Path) -> str:
    """CSS with relative image references turned into data: URIs."""
    text = _SOURCE_MAP.sub("", path.read_text(encoding="utf-8"))

    def repl(match: re.Match[str]) -> str:
        target = (path.parent / match.group(1)).resolve()
        if not target.is_file():
            # a reference we cannot satisfy must not turn into a request
            return "none"
        return f'url("{_data_uri(target)}")'

    # the text must not close the surrounding <style>
    return _CSS_URL.sub(repl, text).replace("</", "<\\/")


def _read_js(path: Path) -> str:
    # '</script' inside the library would end our inline <script> early
    return _SOURCE_MAP.sub("", path.read_text(encoding="utf-8")).replace("</script", "<\\/script")


@lru_cache(maxsize=1)
def library_bundle() -> tuple[str, str]:
    """(css, js) of Leaflet + MarkerCluster, ready to inline."""
    leaflet = _xstatic_dir("leaflet")
    cluster = _xstatic_dir("leaflet_markercluster")
    css = "\n".join(
        _read_css(p)
        for p in (
            leaflet / "leaflet.css",
            cluster / "MarkerCluster.css",
            cluster / "MarkerCluster.Default.css",
        )
    )
    images = leaflet / "images"
    # Leaflet guesses the default marker image path from CSS; with data: URIs
    # that guess is wrong, so give it the images directly.
    icon_fix = (
        "L.Icon.Default.imagePath='';L.Icon.Default.mergeOptions({"
        f"iconUrl:'{_data_uri(images / 'marker-icon.png')}',"
        f"iconRetinaUrl:'{_data_uri(images / 'marker-icon-2x.png')}',"
        f"shadowUrl:'{_data_uri(images / 'marker-shadow.png')}'}});"
    )
    # Guards let several embedded maps share one page without reloading Leaflet.
    js = (
        "if(typeof window.L==='undefined'||!window.L.map){\n"
        + _read_js(leaflet / "leaflet.js")
        + "\n"
        + icon_fix
        + "\n}\n"
        + "if(!window.L.MarkerClusterGroup){\n"
        + _read_js(cluster / "leaflet.markercluster.js")
        + "\n}\n"
    )
    return css, js


class OfflineAssets(MacroElement):
    """Header element holding the inlined libraries."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        <script>{{ this.js }}</script>
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "GeomapOfflineAssets"

    @property
    def css(self) -> str:
        return library_bundle()[0]

    @property
    def js(self) -> str:
        return library_bundle()[1]

    def render(self, **kwargs) -> None:
        from geomap.mapping.plugins.base import Verbatim

        # one copy per page (fixed slot name), early in <head>; verbatim so the
        # library text is not parsed as a Jinja template again
        figure = self.get_root()
        if isinstance(figure, Figure):
            header = self._template.module.__dict__["header"]
            figure.header.add_child(Verbatim(str(header(self, kwargs))), name="geomap_offline_assets", index=1)


def walk(element: Element):
    """``element`` and every element below it (a folium tree), parents first."""
    yield element
    for child in list(element._children.values()):
        yield from walk(child)


def strip_cdn(element: Element) -> list[str]:
    """Drop CDN links of *element* and its children; return the ones we cannot replace."""
    unknown: list[str] = []
    for el in walk(element):
        for attr in ("default_js", "default_css"):
            links = getattr(el, attr, None)
            if not links:
                continue
            kept = [(name, url) for name, url in links if name not in REPLACED]
            unknown.extend(url for _, url in kept)
            # instance attribute: never mutate folium's class-level lists
            setattr(el, attr, kept)
    return unknown


def make_offline(m: Element) -> None:
    """Make *m* render with inlined libraries instead of CDN links (idempotent)."""
    unknown = strip_cdn(m)
    if unknown:
        warnings.warn(
            "these resources are not available offline and will load from the network: "
            + ", ".join(sorted(set(unknown))),
            stacklevel=2,
        )
    if not any(isinstance(el, OfflineAssets) for el in m._children.values()):
        m.add_child(OfflineAssets())
