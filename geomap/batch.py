"""The one way to parse a batch of articles: :func:`parse_batch`.

The library (:func:`geomap.api.parse_articles`, :func:`geomap.api.extract`) and the command line
(``geomap map``, ``geomap extract``, with or without worker processes) all come here:

1. a dateline's date fills in an article that was given none, and undated articles are warned
   about once;
2. the articles are parsed in this process, or by ``jobs`` worker processes (a
   :class:`~geomap.scale.parallel.GeoparserPool`) in chunks of consecutive articles whose results
   come back in input order;
3. the same event told in several articles is kept once, in its first telling.

So a run with worker processes gives the documents a run in this process gives. The partitioned
dataset runs (:mod:`geomap.scale.run`) use the same steps per partition.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace

from geomap.dates import detect_published
from geomap.events import dedupe_events
from geomap.pipeline import Geoparser
from geomap.records import Article, Document
from geomap.scale.parallel import GeoparserPool, chunked, effective_jobs
from geomap.settings import Settings

log = logging.getLogger("geomap")

#: ``on_skip(article, reason)``: an article spaCy could not process.
OnSkip = Callable[[Article, str], None]


def with_date(article: Article) -> Article:
    """The article, dated by its dateline ("11 Mar 2020 - 10:16") when no date was given."""
    if article.published is not None:
        return article
    found = detect_published(article.text)
    return replace(article, published=found) if found else article


def prepare_articles(articles: Iterable[Article]) -> list[Article]:
    """The articles with a dateline's date filled in where none was given."""
    return [with_date(a) for a in articles]


def warn_undated(articles: list[Article]) -> None:
    """Warn once (per call) when articles have no publication date: their relative dates stay open."""
    undated = [a.doc_id for a in articles if a.published is None]
    report_undated(len(undated), len(articles), undated[:3])


def report_undated(n_undated: int, n_articles: int, first_ids: list[str]) -> None:
    """The warning of :func:`warn_undated` from counts (for articles parsed elsewhere)."""
    if n_undated:
        first = ", ".join(first_ids[:3]) + (" …" if n_undated > 3 else "")
        log.warning(
            "%d of %d articles have no publication date (%s): 'yesterday' or 'on Tuesday' "
            "cannot be dated there; give a publication date or a date field",
            n_undated,
            n_articles,
            first,
        )


def dedupe_documents(documents: list[Document]) -> list[Document]:
    """``documents`` with each event told in several of them kept once (in its first telling)."""
    if len(documents) > 1:
        merged = dedupe_events([e for d in documents for e in d.events])
        keep = {id(e) for e in merged}
        for d in documents:
            d.events = [e for e in d.events if id(e) in keep]
    return documents


def parse_chunk(geoparser: Geoparser, articles: list[Article]) -> tuple[list[Document], list[tuple[str, str]]]:
    """Worker task: the documents of a chunk and the (doc_id, reason) of articles spaCy refused."""
    skipped: list[tuple[str, str]] = []
    documents = geoparser.parse_articles(articles, on_skip=lambda a, reason: skipped.append((a.doc_id, reason)))
    return documents, skipped


def parse_batch(
    articles: Iterable[Article],
    *,
    settings: Settings | None = None,
    geoparser: Geoparser | None = None,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
    on_skip: OnSkip | None = None,
    min_parallel: int | None = None,
    merge: bool = True,
    warn: bool = True,
) -> list[Document]:
    """Parse ``articles`` (see the module's steps) and return their documents in input order.

    ``settings`` say which Geoparser to load (default :class:`~geomap.settings.Settings()`);
    ``geoparser``, one already loaded with them, is used in this process and inherited by
    forked workers. ``jobs`` worker processes parse a batch of at least ``min_parallel``
    articles (default :data:`geomap.scale.parallel.MIN_PARALLEL`); fewer are parsed here.
    ``progress(n)`` is called as articles are done. An article spaCy cannot process is skipped:
    ``on_skip(article, reason)`` is called, else a warning naming it is logged. ``merge=False``
    keeps every article's events (the living store merges them into incidents instead), and
    ``warn=False`` leaves the undated-articles warning to the caller.
    """
    settings = settings or Settings()
    articles = prepare_articles(articles)
    if warn:
        warn_undated(articles)
    finish = dedupe_documents if merge else list
    jobs = effective_jobs(jobs, len(articles), min_parallel=min_parallel)
    if jobs == 1:
        gp = geoparser or settings.load()
        return finish(gp.parse_articles(articles, progress=progress, on_skip=on_skip))
    by_id = {a.doc_id: a for a in articles}
    documents: list[Document] = []
    with GeoparserPool(jobs, settings, geoparser=geoparser) as pool:
        for chunk_docs, skipped in pool.imap(parse_chunk, chunked(articles)):
            for doc_id, reason in skipped:
                if on_skip is not None:
                    on_skip(by_id[doc_id], reason)
                else:
                    log.warning("skipped article %s: %s", doc_id, reason)
            documents.extend(chunk_docs)
            if progress:
                progress(len(chunk_docs) + len(skipped))
    return finish(documents)
