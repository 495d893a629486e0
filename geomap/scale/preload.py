"""A Dask worker preload that loads geomap's Geoparser when the worker starts.

    dask worker tcp://scheduler-host:8786 --nthreads 1 --preload geomap.scale.preload

Without it, each worker loads the model and gazetteer with its first geomap task (a second or
two per worker, inside the run). With it, a running cluster is ready before the first run: the
default model, and the gazetteer of ``$GEOMAP_GAZETTEER`` or the user cache. A run with other
settings (``--model``, ``--gazetteer``) loads its own as before.
"""

from __future__ import annotations

import logging

log = logging.getLogger("geomap")


def dask_setup(worker=None) -> None:
    """Dask's preload hook: load the default Geoparser into this worker process."""
    from geomap.scale.dask_run import preload
    from geomap.settings import Settings

    preload(Settings())
    log.info("geomap: Geoparser loaded on worker %s", getattr(worker, "address", "(this process)"))
