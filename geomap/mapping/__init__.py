"""Interactive folium maps of events: build, write (page/fragment/iframe), render PNG."""

from geomap.mapping.core import make_map
from geomap.mapping.render import render_png
from geomap.mapping.write import map_html, write_map

__all__ = ["make_map", "map_html", "render_png", "write_map"]
