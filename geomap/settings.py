"""Which geoparser to use: one :class:`Settings` object, for the library, the command line,
worker processes (``jobs``) and Dask workers alike.

Settings are plain strings, so they can be hashed (one loaded Geoparser per process and
settings), pickled (a spawned worker or a Dask task loads the same Geoparser) and written into
a partitioned dataset's keys (:meth:`Settings.key`, for resumed runs). Making one loads nothing;
:meth:`Settings.load` loads the model and gazetteer (spaCy is imported then).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geomap.pipeline import Geoparser


@dataclass(frozen=True, slots=True)
class Settings:
    """The model, gazetteer, geocoder, review settings and recognizer of a Geoparser.

    ``gazetteer``, ``corrections`` and ``deny`` are file paths (a ``Path`` is kept as text);
    ``geocoder`` ``"offline"`` is the same as None (the gazetteer alone); ``bias`` ("IQ,SY"),
    ``corrections`` and ``deny`` are the user's review settings (:mod:`geomap.review`);
    ``recognizer`` the place classifier: None (shipped), ``"none"`` or a model file.
    """

    model: str | None = None
    gazetteer: str | None = None
    geocoder: str | None = None
    bias: str | None = None
    corrections: str | None = None
    deny: str | None = None
    recognizer: str | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, os.PathLike):
                object.__setattr__(self, f.name, os.fspath(value))
        if self.geocoder == "offline":
            object.__setattr__(self, "geocoder", None)

    def key(self) -> dict:
        """What of these settings decides the output (for resume keys)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def load(self, *, fresh: bool = False) -> Geoparser:
        """The Geoparser of these settings, loaded once per process and shared, or a new one with
        ``fresh`` (for a thread of its own: the gazetteer's SQLite connection belongs to the
        thread that opened it)."""
        return load_geoparser(self) if fresh else shared_geoparser(self)


def load_geoparser(settings: Settings) -> Geoparser:
    """A newly loaded Geoparser of ``settings`` (model, gazetteer, online geocoder, review)."""
    from geomap.gazetteer import Gazetteer
    from geomap.pipeline import Geoparser
    from geomap.review import Review

    online = None
    if settings.geocoder is not None:
        from geomap.geocoders.online import make_geocoder

        online = make_geocoder(settings.geocoder)
    gaz = Gazetteer.open(settings.gazetteer)
    review = Review.load(bias=settings.bias, corrections=settings.corrections, deny=settings.deny, gazetteer=gaz)
    return Geoparser.load(settings.model, gazetteer=gaz, geocoder=online, review=review, classifier=settings.recognizer)


@lru_cache(maxsize=4)
def shared_geoparser(settings: Settings) -> Geoparser:
    """The Geoparser of ``settings`` this process shares (loaded on first use)."""
    return load_geoparser(settings)
