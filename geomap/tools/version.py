"""geomap's version: the installed distribution's, or the source tree's."""

from __future__ import annotations

#: The version in pyproject.toml, for a source tree that is not installed.
SOURCE_VERSION = "0.1.0"


def geomap_version() -> str:
    """The installed geomap's version (``SOURCE_VERSION`` when running from a source tree)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("geomap")
    except PackageNotFoundError:
        return SOURCE_VERSION
