"""geomap: news text to maps of dated events.

>>> import geomap
>>> doc = geomap.parse(text, published="2020-03-11")        # mentions, dates, events
>>> mentions, events = geomap.extract("articles/")          # two GeoDataFrames (EPSG:4326)
>>> geomap.make_map(events).save("map.html")                # an interactive folium map
>>> geomap.run_dataset(["wire.jsonl"], "events/", jobs=4)     # partitioned GeoParquet, restartable
"""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("geomap")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.1.0"

from geomap.api import extract, frames, get_geoparser, parse, parse_articles
from geomap.errors import (DateError, GazetteerError, GeocodingError, GeomapError, InputError,
                           ModelError, OutputError, PlaceNotFound)
from geomap.gazetteer import Gazetteer
from geomap.geocoders.offline import OfflineGeocoder
from geomap.io.export import read_frame, write_frame
from geomap.io.readers import read_inputs
from geomap.mapping import make_map, map_html, render_png, write_map
from geomap.pipeline import Geoparser
from geomap.records import Article, DateRef, Document, Event, EventPlace, Mention, Place, SourceRef
from geomap.scale.run import run_dataset

__all__ = [
    "Article", "DateError", "DateRef", "Document", "Event", "EventPlace", "Gazetteer", "GazetteerError",
    "GeocodingError", "GeomapError", "Geoparser", "InputError", "Mention", "ModelError", "OfflineGeocoder",
    "OutputError", "Place", "PlaceNotFound", "SourceRef", "__version__", "extract", "frames",
    "get_geoparser", "make_map", "map_html", "parse", "parse_articles", "read_frame", "read_inputs",
    "render_png", "run_dataset", "write_frame", "write_map",
]
