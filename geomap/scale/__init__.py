"""Scaling geomap out: worker processes (``--jobs``), partitioned datasets with restarts
(``--resume``, an errors file) and Dask clusters (``--dask``)."""

from geomap.scale.documents import parse_documents
from geomap.scale.parallel import GeoparserPool, Settings, check_jobs, default_jobs, effective_jobs

__all__ = ["GeoparserPool", "Settings", "check_jobs", "default_jobs", "effective_jobs", "parse_documents"]
