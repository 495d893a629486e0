"""Map elements of our own: runtime, event layers, legend, date slider, panels.

Each is a branca MacroElement whose Jinja template lives in ``templates/``;
the JavaScript they call is ``geomap/mapping/static/geomap.js``.
"""

from geomap.mapping.plugins.base import Runtime, map_of
from geomap.mapping.plugins.events import BoundPopup, EventLayer
from geomap.mapping.plugins.legend import Legend, legend_of
from geomap.mapping.plugins.outlines import OUTLINES_NAME, CountryOutlines
from geomap.mapping.plugins.panels import Fit, TileNotice, Title, UnplacedPanel
from geomap.mapping.plugins.timerange import TimeRange, histogram, in_window, news_window, outside_note

__all__ = [
    "BoundPopup",
    "OUTLINES_NAME",
    "CountryOutlines",
    "EventLayer",
    "Fit",
    "Legend",
    "Runtime",
    "TileNotice",
    "TimeRange",
    "Title",
    "UnplacedPanel",
    "histogram",
    "in_window",
    "legend_of",
    "map_of",
    "news_window",
    "outside_note",
]
