"""geomap: news text to maps of dated events.

>>> import geomap
>>> doc = geomap.parse(text, published="2020-03-11")        # mentions, dates, events
>>> mentions, events = geomap.extract("articles/")          # two GeoDataFrames (EPSG:4326)
>>> events = geomap.filter_events(events, since="2020-01-01", types="strike,protest")
>>> geomap.make_map(events).save("map.html")                # an interactive folium map
>>> geomap.run_dataset(["wire.jsonl"], "events/", jobs=4)     # partitioned GeoParquet, restartable

The public names are imported on first use: ``import geomap`` itself is instant, so the command
line can take Ctrl-C (or print its help) before spaCy and geopandas load.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from geomap.tools.version import geomap_version

__version__ = geomap_version()

#: Each public name and the module it lives in.
_PUBLIC = {
    "extract": "geomap.api",
    "frames": "geomap.api",
    "get_geoparser": "geomap.api",
    "parse": "geomap.api",
    "parse_articles": "geomap.api",
    **dict.fromkeys(
        [
            "DateError",
            "GazetteerError",
            "GeocodingError",
            "GeomapError",
            "InputError",
            "ModelError",
            "OutputError",
            "PlaceNotFound",
        ],
        "geomap.errors",
    ),
    "Gazetteer": "geomap.gazetteer",
    "OfflineGeocoder": "geomap.geocoders.offline",
    "read_frame": "geomap.io.export",
    "write_frame": "geomap.io.export",
    "check_outputs": "geomap.io.outputs",
    "write_outputs": "geomap.io.outputs",
    "FileSelection": "geomap.io.readers",
    "ReadReport": "geomap.io.readers",
    "read_inputs": "geomap.io.readers",
    "make_map": "geomap.mapping",
    "map_html": "geomap.mapping",
    "render_png": "geomap.mapping",
    "write_map": "geomap.mapping",
    "assets_html": "geomap.mapping",
    "write_assets": "geomap.mapping",
    "Geoparser": "geomap.pipeline",
    "run_dataset": "geomap.scale.run",
    "Settings": "geomap.settings",
    "EventFilter": "geomap.tools.filters",
    "filter_events": "geomap.tools.filters",
    **dict.fromkeys(
        ["Article", "DateRef", "Document", "Event", "EventPlace", "Mention", "Place", "PlaceHint", "SourceRef"],
        "geomap.records",
    ),
}

__all__ = sorted([*_PUBLIC, "__version__"])


def __getattr__(name: str):
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'geomap' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC})


if TYPE_CHECKING:  # what type checkers and IDEs see
    from geomap.api import extract, frames, get_geoparser, parse, parse_articles
    from geomap.errors import (
        DateError,
        GazetteerError,
        GeocodingError,
        GeomapError,
        InputError,
        ModelError,
        OutputError,
        PlaceNotFound,
    )
    from geomap.gazetteer import Gazetteer
    from geomap.geocoders.offline import OfflineGeocoder
    from geomap.io.export import read_frame, write_frame
    from geomap.io.outputs import check_outputs, write_outputs
    from geomap.io.readers import FileSelection, ReadReport, read_inputs
    from geomap.mapping import assets_html, make_map, map_html, render_png, write_assets, write_map
    from geomap.pipeline import Geoparser
    from geomap.records import Article, DateRef, Document, Event, EventPlace, Mention, Place, PlaceHint, SourceRef
    from geomap.scale.run import run_dataset
    from geomap.settings import Settings
    from geomap.tools.filters import EventFilter, filter_events
