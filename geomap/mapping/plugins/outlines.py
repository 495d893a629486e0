"""Offline base layer: country outlines drawn on a canvas in their own pane, with country and
city names above them."""

from __future__ import annotations

from functools import lru_cache

from folium.elements import ElementAddToElement
from folium.map import Layer

from geomap.mapping.basemap import country_outlines_json
from geomap.mapping.labels import base_labels
from geomap.mapping.plugins.base import map_of, render_macros, template
from geomap.mapping.plugins.events import script_json

#: Layer-control name of the offline base layer.
OUTLINES_NAME = "Countries (offline)"
#: Header slot of the outline data (one per page).
BASEMAP_SLOT = "geomap_basemap"


@lru_cache(maxsize=1)
def basemap_js() -> str:
    """Script defining ``window.geomapBasemap`` (outlines and names) once per page.

    The same for every map, so it is a page-level asset: a page holds one copy however many
    maps use it (see :mod:`geomap.mapping.shared` for fragments)."""
    # the outlines are numbers and fixed keys only (see basemap), so nothing can end the <script>
    return (
        "if(!window.geomapBasemap){window.geomapBasemap={outlines:"
        + country_outlines_json()
        + ",labels:"
        + script_json(base_labels())
        + "};}"
    )


class CountryOutlines(Layer):
    """A base layer (in the LayerControl) of simplified country outlines; ``labels`` draws the
    country and city names (:mod:`geomap.mapping.labels`) with them.

    Needs no network; the runtime also switches to it when tiles fail to load.
    """

    _template = template("outlines.j2")

    def __init__(self, name: str = OUTLINES_NAME, *, show: bool = True, labels: bool = True) -> None:
        super().__init__(name=name, overlay=False, control=True, show=show)
        self._name = "GeomapOutlines"
        self.labels = labels

    @property
    def basemap_js(self) -> str:
        return basemap_js()

    def map_name(self) -> str:
        return map_of(self).get_name()

    def render(self, **kwargs) -> None:
        if self.show:  # as folium's Layer.render, but our output is added verbatim
            self.add_child(
                ElementAddToElement(element_name=self.get_name(), element_parent_name=self._parent.get_name()),
                name=self.get_name() + "_add",
            )
        render_macros(self, kwargs, header_name=BASEMAP_SLOT)  # one copy of the data per page
