"""Shared fixtures: one loaded Geoparser (spaCy model + offline gazetteer) per test session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def geoparser():
    from geomap.pipeline import Geoparser

    return Geoparser.load()


@pytest.fixture(scope="session")
def gazetteer(geoparser):
    return geoparser.gazetteer
