"""``geomap update``: add the new articles of some inputs to a store, in one transaction.

An article already in the store (same canonical URL, else same text) is not parsed again, and an
update that finds nothing new changes nothing, not even the runs table. A record that cannot be
read or parsed is recorded in the errors table and skipped.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from geomap.batch import parse_batch
from geomap.records import Article
from geomap.scale.partitions import RecordError
from geomap.settings import Settings
from geomap.store import write
from geomap.store.db import discard, write_transaction
from geomap.store.ingest import read_items
from geomap.store.keys import article_key

log = logging.getLogger("geomap")


@dataclass(frozen=True, slots=True)
class UpdateSummary:
    """What one update did (``run_id`` None: nothing new, the store is unchanged)."""

    run_id: int | None
    n_new: int  # articles parsed and added
    n_known: int  # articles the store already held (not parsed)
    n_errors: int  # records recorded as errors in this update
    n_events: int  # events added
    n_incidents: int  # incidents made or grown
    seconds: float
    n_failed: int = 0  # URLs and records that failed in this update (recorded or seen before)

    def line(self) -> str:
        """The one-line report the command prints."""
        if self.run_id is None:
            return f"nothing new ({self.n_known} article(s) already in the store)"
        return (
            f"run {self.run_id}: {self.n_new} new article(s), {self.n_known} already stored, "
            f"{self.n_errors} error(s), {self.n_events} event(s), {self.n_incidents} incident(s) "
            f"made or grown ({self.seconds:.1f} s)"
        )


def _unique_id(doc_id: str, key: str, taken: set[str]) -> str:
    """``doc_id``, or it with a suffix from ``key`` when another stored article has it (ids of
    different files may clash)."""
    if doc_id not in taken:
        taken.add(doc_id)
        return doc_id
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()
    for n in range(8, 41, 4):
        if f"{doc_id}-{digest[:n]}" not in taken:
            taken.add(f"{doc_id}-{digest[:n]}")
            return f"{doc_id}-{digest[:n]}"
    raise AssertionError("no unique doc_id")  # 40 hex digits of a sha1 do not collide


def _unique_doc_id(article: Article, taken: set[str]) -> Article:
    doc_id = _unique_id(article.doc_id, article_key(article), taken)
    return article if doc_id == article.doc_id else dataclasses.replace(article, doc_id=doc_id)


def update_store(
    path: str | os.PathLike,
    inputs: list[str],
    *,
    settings: Settings | None = None,
    published: dt.date | None = None,
    encoding: str | None = None,
    jobs: int = 1,
    geoparser=None,
    feeds=None,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> UpdateSummary:
    """Add the new articles of ``inputs`` to the store at ``path`` (made if missing).

    ``settings`` load the geoparser (or pass a loaded ``geoparser``); ``feeds`` is a
    :class:`~geomap.store.feeds.FeedReader` kept between ``--watch`` rounds. Raises StoreBusy
    when another update holds the store.
    """
    from geomap.store.datasets import is_events_folder, read_events_folder
    from geomap.store.feeds import FeedReader
    from geomap.store.incident_store import attach_incidents

    settings = settings or Settings()
    feeds = feeds or FeedReader()
    clock = time.monotonic()
    started = write.now()
    with write_transaction(path) as conn:
        feeds.validators = write.feed_validators(conn)
        known_keys = {k for (k,) in conn.execute("SELECT article_key FROM articles")}
        taken_ids = {d for (d,) in conn.execute("SELECT doc_id FROM articles")}
        new: list[Article] = []
        errors: list[RecordError] = []
        n_known = 0
        keys: set[str] = set()
        folders = [i for i in inputs if is_events_folder(i)]  # events of `extract -o DIR` / --dask runs
        imported = []
        for folder in folders:
            for found in read_events_folder(folder):
                if found.key in known_keys or found.key in keys:
                    n_known += 1
                    continue
                keys.add(found.key)
                imported.append(dataclasses.replace(found, doc_id=_unique_id(found.doc_id, found.key, taken_ids)))
        others = [i for i in inputs if i not in folders]
        for item in read_items(
            others, encoding=encoding, published=published, known=lambda url: url in known_keys, feeds=feeds
        ):
            if isinstance(item, RecordError):
                errors.append(item)
                continue
            key = article_key(item)
            if key in known_keys or key in keys:
                n_known += 1
                continue
            keys.add(key)
            new.append(_unique_doc_id(item, taken_ids))
        n_failed = len(errors)
        errors = write.new_errors(conn, errors)
        if not new and not errors and not imported:
            if not write.save_validators(conn, feeds.changed):  # only a feed's new ETag is news then
                discard(conn)
            return UpdateSummary(None, 0, n_known, 0, 0, 0, time.monotonic() - clock, n_failed)
        run_settings = {
            **settings.key(),
            "published": published.isoformat() if published else None,
            "encoding": encoding,
        }
        run_id = write.start_run(conn, settings=run_settings, inputs=[str(i) for i in inputs], started=started)
        if on_total:
            on_total(len(new))
        n_errors_read = len(errors)

        def skipped(article: Article, reason: str) -> None:
            errors.append(RecordError(article.source_path or article.doc_id, article.doc_id, reason))

        documents = (
            # each article on its own: events told twice become incidents (below), not one event
            parse_batch(
                new,
                settings=settings,
                jobs=jobs,
                geoparser=geoparser,
                progress=progress,
                on_skip=skipped,
                merge=False,
                warn=False,
            )
            if new
            else []
        )
        n_events = write.insert_documents(conn, run_id, documents)
        n_events += write.insert_event_articles(conn, run_id, imported)
        n_failed += len(errors) - n_errors_read
        n_errors = write.insert_errors(conn, run_id, write.new_errors(conn, errors))
        write.save_validators(conn, feeds.changed)
        n_incidents = attach_incidents(conn, run_id)
        write.finish_run(
            conn,
            run_id,
            n_articles=len(documents) + len(imported),
            n_known=n_known,
            n_errors=n_errors,
            n_events=n_events,
        )
    return UpdateSummary(
        run_id,
        len(documents) + len(imported),
        n_known,
        n_errors,
        n_events,
        n_incidents,
        time.monotonic() - clock,
        n_failed,
    )
