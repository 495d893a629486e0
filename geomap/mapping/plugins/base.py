"""Shared pieces of our map elements: template loading, the JS/CSS runtime."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template


@cache
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


class Verbatim(Element):
    """Already-rendered text added to the page as is.

    branca wraps each rendered macro in ``Element(text)``, which parses the text
    as a Jinja template again: article text containing ``{{ ... }}`` would be
    evaluated, and a 10 MB data blob would be re-lexed. This skips both.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Verbatim"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


def render_macros(element: MacroElement, kwargs: dict, *, header_name: str | None = None) -> None:
    """Like MacroElement.render, but the rendered macros are added verbatim."""
    figure = element.get_root()
    if not isinstance(figure, Figure):
        raise ValueError("element is not inside a Figure")
    macros = element._template.module.__dict__
    for macro, section in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
        if macro in macros:
            name = header_name if (macro == "header" and header_name) else element.get_name()
            section.add_child(Verbatim(str(macros[macro](element, kwargs))), name=name)
    for child in element._children.values():
        child.render(**kwargs)


class MapElement(MacroElement):
    """MacroElement that knows its map's JS variable name; renders verbatim."""

    def render(self, **kwargs) -> None:
        render_macros(self, kwargs)

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
        # a fixed slot name keeps one copy per page
        render_macros(self, kwargs, header_name="geomap_runtime")
