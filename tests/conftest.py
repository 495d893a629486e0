"""Shared fixtures: one loaded Geoparser (spaCy model + offline gazetteer) per test session."""

from __future__ import annotations

import logging

import pytest


@pytest.fixture(autouse=True)
def _geomap_logger_restored():
    """The command line gives the "geomap" logger its own stderr handler, a level and no
    propagation; undo that after each test so the next one (and caplog) starts afresh."""
    log = logging.getLogger("geomap")
    saved = (list(log.handlers), log.level, log.propagate)
    yield
    log.handlers[:], log.level, log.propagate = saved


@pytest.fixture(scope="session")
def geoparser():
    import geomap

    # The same instance the library and CLI tests use, so the model loads once per session.
    return geomap.get_geoparser()


@pytest.fixture(scope="session")
def gazetteer(geoparser):
    return geoparser.gazetteer


# Property tests run the same examples on every machine (make test, CI); set
# HYPOTHESIS_PROFILE=explore to search new random examples while developing.
try:
    import os

    from hypothesis import settings

    settings.register_profile("repeatable", derandomize=True, database=None)
    settings.register_profile("explore")
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))
except ImportError:  # hypothesis is a test extra; the rest of the suite runs without it
    pass
