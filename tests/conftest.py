"""Shared fixtures: one loaded Geoparser (spaCy model + offline gazetteer) per test session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def geoparser():
    import geomap

    # The same instance the library and CLI tests use, so the model loads once per session.
    return geomap.get_geoparser()


@pytest.fixture(scope="session")
def gazetteer(geoparser):
    return geoparser.gazetteer
