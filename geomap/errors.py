"""One exception tree for geomap; every error the CLI reports comes from here."""

from __future__ import annotations


class GeomapError(Exception):
    """Base class: the message is one line fit to show a user."""


class InputError(GeomapError, ValueError):
    """An input file or value cannot be read (missing, empty, binary, malformed)."""


class DateError(InputError):
    """A date given by the user or the input cannot be understood."""


class GazetteerError(GeomapError):
    """The offline gazetteer is missing, corrupt or cannot be built."""


class GazetteerCorrupt(GazetteerError):
    """The gazetteer file is damaged (fails SQLite's quick_check or a query); rebuild it."""


class GeocodingError(GeomapError):
    """A geocoding service failed (outage, quota, bad answer)."""


class PlaceNotFound(GeocodingError, LookupError):
    """No gazetteer or service entry matches a name."""


class ModelError(GeomapError):
    """The requested spaCy model is not installed or cannot be loaded."""


class OutputError(GeomapError, OSError):
    """An output file cannot be written."""


class StoreError(GeomapError):
    """An event store (``geomap update``) cannot be opened, is not a store, or fails its check."""


class StoreBusy(StoreError):
    """Another ``geomap update`` holds the store's write lock."""
