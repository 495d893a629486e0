"""The old home of the ``--jobs`` batch path, now :func:`geomap.batch.parse_batch`.

:func:`parse_documents` and :func:`parse_chunk` still work, with a DeprecationWarning for the
first; new code calls :func:`geomap.batch.parse_batch`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

from geomap.batch import parse_batch, parse_chunk
from geomap.records import Article, Document
from geomap.settings import Settings

__all__ = ["parse_chunk", "parse_documents"]


def parse_documents(
    articles: list[Article],
    *,
    jobs: int,
    settings: Settings,
    progress: Callable[[int], None] | None = None,
    geoparser=None,
    min_parallel: int | None = None,
) -> list[Document]:
    """Deprecated: :func:`geomap.batch.parse_batch` with the same arguments."""
    warnings.warn(
        "geomap.scale.parse_documents is deprecated; use geomap.batch.parse_batch", DeprecationWarning, stacklevel=2
    )
    return parse_batch(
        articles, jobs=jobs, settings=settings, progress=progress, geoparser=geoparser, min_parallel=min_parallel
    )
