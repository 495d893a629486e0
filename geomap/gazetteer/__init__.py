"""geomap's offline gazetteer: build it from PyPI data, open it, look names up."""

from geomap.gazetteer.build import BUILD_VERSION, build
from geomap.gazetteer.normalize import normalize_name
from geomap.gazetteer.store import Gazetteer, default_path

__all__ = ["BUILD_VERSION", "Gazetteer", "build", "default_path", "normalize_name"]
