"""Scaling geomap out: worker processes (``--jobs``), partitioned datasets with restarts
(``--resume``, an errors file) and Dask clusters (``--dask``).

The batch path itself is :func:`geomap.batch.parse_batch`; :mod:`geomap.scale.parallel` holds
the worker pool it uses. ``parse_documents`` (deprecated) is loaded on first use.
"""

from geomap.scale.parallel import GeoparserPool, Settings, check_jobs, default_jobs, effective_jobs

__all__ = ["GeoparserPool", "Settings", "check_jobs", "default_jobs", "effective_jobs", "parse_documents"]


def __getattr__(name: str):
    if name == "parse_documents":  # importing it eagerly would load geomap.batch with this package
        from geomap.scale.documents import parse_documents

        return parse_documents
    raise AttributeError(f"module 'geomap.scale' has no attribute {name!r}")
