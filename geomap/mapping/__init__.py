"""Interactive folium maps of events: build, write (page/fragment/iframe, shared fragment assets), render PNG."""

from geomap.mapping.core import make_map
from geomap.mapping.render import render_png
from geomap.mapping.shared import assets_html, write_assets
from geomap.mapping.write import map_html, write_map

__all__ = ["assets_html", "make_map", "map_html", "render_png", "write_assets", "write_map"]
