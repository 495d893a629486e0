"""Shared pieces of our map elements: template loading, the JS/CSS runtime."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template


@lru_cache(maxsize=None)
def _read(package: str, name: str) -> str:
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def template(name: str) -> Template:
    """A Jinja template from ``plugins/templates`` (with folium's tojavascript filter)."""
    return Template(_read("geomap.mapping.plugins", f"templates/{name}"))


def static(name: str) -> str:
    """Text of ``geomap/mapping/static/<name>``."""
    return _read("geomap.mapping", f"static/{name}")


def map_of(element: Element) -> folium.Map:
    """The folium.Map an element belongs to."""
    node: Element | None = element
    while node is not None and not isinstance(node, folium.Map):
        node = node._parent
    if node is None:
        raise ValueError("element is not attached to a folium.Map")
    return node


class MapElement(MacroElement):
    """MacroElement that knows its map's JS variable name."""

    def map_name(self) -> str:
        return map_of(self).get_name()


class Control(MapElement):
    """Calls ``geomap.<kind>(map, *args)``; args are JSON-escaped by tojavascript."""

    _template = template("control.j2")

    def __init__(self, kind: str, *args: Any) -> None:
        super().__init__()
        self._name = f"Geomap{kind.title()}"
        self.kind = kind
        self.args = list(args)


class Runtime(MacroElement):
    """Our JS + CSS, inlined in the page header (also in CDN mode: it is our code)."""

    _template = template("runtime.j2")

    def __init__(self) -> None:
        super().__init__()
        self._name = "GeomapRuntime"

    @property
    def css(self) -> str:
        return static("geomap.css").replace("</", "<\\/")

    @property
    def js(self) -> str:
        return static("geomap.js").replace("</script", "<\\/script")

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        if isinstance(figure, Figure):
            header = self._template.module.__dict__["header"]
            # a fixed slot name keeps one copy per page
            figure.header.add_child(Element(header(self, kwargs)), name="geomap_runtime")
