"""Parse articles in worker processes: the ``--jobs N`` path of ``geomap extract`` and ``geomap map``.

The parent fills in datelines and warns about undated articles (as the in-process path does),
the workers parse chunks of consecutive articles, and the parent merges events told twice over
all documents, in input order: the result is the one :func:`geomap.api.parse_articles` gives.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from geomap.api import dedupe_documents, prepare_articles, warn_undated
from geomap.records import Article, Document
from geomap.scale.parallel import GeoparserPool, Settings, chunked, effective_jobs

log = logging.getLogger("geomap")


def parse_chunk(geoparser, articles: list[Article]) -> tuple[list[Document], list[tuple[str, str]]]:
    """Worker task: the documents of a chunk and the (doc_id, reason) of articles spaCy refused."""
    skipped: list[tuple[str, str]] = []
    documents = geoparser.parse_articles(articles, on_skip=lambda a, reason: skipped.append((a.doc_id, reason)))
    return documents, skipped


def parse_documents(
    articles: list[Article],
    *,
    jobs: int,
    settings: Settings,
    progress: Callable[[int], None] | None = None,
    geoparser=None,
    min_parallel: int | None = None,
) -> list[Document]:
    """Parse ``articles`` with ``jobs`` worker processes (in this process for one job or fewer
    than ``min_parallel`` articles, default :data:`geomap.scale.parallel.MIN_PARALLEL`).

    ``geoparser`` is used for the in-process path (else one is loaded with ``settings``).
    """
    from geomap.api import parse_articles

    jobs = effective_jobs(jobs, len(articles), min_parallel=min_parallel)
    if jobs == 1:
        gp = geoparser or settings.load()
        return parse_articles(articles, geoparser=gp, progress=progress)
    articles = prepare_articles(articles)
    warn_undated(articles)
    documents: list[Document] = []
    with GeoparserPool(jobs, settings, geoparser=geoparser) as pool:
        for chunk_docs, skipped in pool.imap(parse_chunk, chunked(articles)):
            for doc_id, reason in skipped:
                log.warning("skipped article %s: %s", doc_id, reason)
            documents.extend(chunk_docs)
            if progress:
                progress(len(chunk_docs) + len(skipped))
    return dedupe_documents(documents)
