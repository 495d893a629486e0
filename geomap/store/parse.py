"""Geoparse an update's new articles, each on its own: events told in several articles are not
merged here (that is what incidents do, across updates)."""

from __future__ import annotations

from collections.abc import Callable

from geomap.api import prepare_articles
from geomap.records import Article, Document
from geomap.scale.documents import parse_chunk
from geomap.scale.parallel import GeoparserPool, Settings, chunked, effective_jobs

#: ``on_skip(article, reason)``: an article spaCy could not process.
OnSkip = Callable[[Article, str], None]


def parse_each(
    articles: list[Article],
    *,
    settings: Settings,
    jobs: int = 1,
    geoparser=None,
    progress: Callable[[int], None] | None = None,
    on_skip: OnSkip | None = None,
) -> list[Document]:
    """The documents of ``articles`` in order (``jobs`` worker processes for many of them)."""
    articles = prepare_articles(articles)
    skip = on_skip or (lambda article, reason: None)
    by_id = {a.doc_id: a for a in articles}
    jobs = effective_jobs(jobs, len(articles))
    if jobs == 1:
        gp = geoparser or settings.load()
        docs, skipped = [], []
        for chunk in chunked(articles):
            chunk_docs, chunk_skipped = parse_chunk(gp, chunk)
            docs.extend(chunk_docs)
            skipped.extend(chunk_skipped)
            if progress:
                progress(len(chunk))
    else:
        docs, skipped = [], []
        with GeoparserPool(jobs, settings, geoparser=geoparser) as pool:
            for chunk_docs, chunk_skipped in pool.imap(parse_chunk, chunked(articles)):
                docs.extend(chunk_docs)
                skipped.extend(chunk_skipped)
                if progress:
                    progress(len(chunk_docs) + len(chunk_skipped))
    for doc_id, reason in skipped:
        skip(by_id[doc_id], reason)
    return docs
