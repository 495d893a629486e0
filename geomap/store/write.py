"""Rows into a store: runs, articles, their mentions and events, and record errors.

Everything is written inside the caller's transaction (:func:`geomap.store.db.write_transaction`).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3

import pandas as pd

from geomap.records import Document
from geomap.scale.partitions import RecordError
from geomap.schema import EVENT_COLUMNS, MENTION_COLUMNS
from geomap.store.keys import article_key, content_hash
from geomap.tools.frames import events_frame, mentions_frame
from geomap.tools.version import geomap_version


def now() -> str:
    """The time as ISO text in UTC, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def start_run(conn: sqlite3.Connection, *, settings: dict, inputs: list[str], started: str) -> int:
    """A new runs row (its counts are filled by :func:`finish_run`); its run_id."""
    cur = conn.execute(
        "INSERT INTO runs (started, finished, geomap_version, settings, inputs, n_articles, n_known, "
        "n_errors, n_events) VALUES (?, ?, ?, ?, ?, 0, 0, 0, 0)",
        (started, started, geomap_version(), json.dumps(settings, sort_keys=True), json.dumps(inputs)),
    )
    return int(cur.lastrowid)


def finish_run(
    conn: sqlite3.Connection, run_id: int, *, n_articles: int, n_known: int, n_errors: int, n_events: int
) -> None:
    conn.execute(
        "UPDATE runs SET finished = ?, n_articles = ?, n_known = ?, n_errors = ?, n_events = ? WHERE run_id = ?",
        (now(), n_articles, n_known, n_errors, n_events, run_id),
    )


def new_errors(conn: sqlite3.Connection, errors: list[RecordError]) -> list[RecordError]:
    """The errors not yet recorded (the same record failing the same way again is no news)."""
    out, seen = [], set()
    for e in errors:
        key = (e.where, e.reason)
        if key in seen:
            continue
        seen.add(key)
        if conn.execute("SELECT 1 FROM errors WHERE location = ? AND reason = ?", key).fetchone() is None:
            out.append(e)
    return out


def insert_errors(conn: sqlite3.Connection, run_id: int, errors: list[RecordError]) -> int:
    cur = conn.executemany(
        "INSERT OR IGNORE INTO errors (run_id, location, doc_id, reason) VALUES (?, ?, ?, ?)",
        [(run_id, e.where, e.doc_id or "", e.reason) for e in errors],
    )
    return cur.rowcount


def _value(value):
    """A frame cell as SQLite takes it: NaN and pandas' NA become NULL, numpy scalars Python ones."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _insert_frame(
    conn: sqlite3.Connection,
    table: str,
    frame,
    columns: dict[str, str],
    keys: list[str],
    run_id: int,
    extra: dict | None = None,
) -> int:
    extra = extra or {}
    names = ["article_key", "run_id", *extra, *columns]
    placeholders = ", ".join("?" for _ in names)
    quoted = ", ".join(f'"{n}"' for n in names)
    data = frame[list(columns)].astype(object).itertuples(index=False, name=None)
    rows = [(key, run_id, *extra.values(), *(_value(v) for v in row)) for key, row in zip(keys, data)]
    conn.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})", rows)
    return len(rows)


def insert_documents(conn: sqlite3.Connection, run_id: int, documents: list[Document]) -> int:
    """The articles of ``documents`` with their mentions and events; the number of events."""
    key_of = {d.article.doc_id: article_key(d.article) for d in documents}
    conn.executemany(
        "INSERT INTO articles (article_key, doc_id, url, content_hash, title, published, source, text, "
        "n_mentions, n_events, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                article_key(d.article),
                d.article.doc_id,
                d.article.url or "",
                content_hash(d.article.text),
                d.article.title or "",
                d.article.published.isoformat() if d.article.published else "",
                d.article.source_path or "",
                d.article.text,
                len(d.mentions),
                len(d.events),
                run_id,
            )
            for d in documents
        ],
    )
    mentions = mentions_frame(documents)
    _insert_frame(conn, "mentions", mentions, MENTION_COLUMNS, [key_of[i] for i in mentions["doc_id"]], run_id)
    events = events_frame([e for d in documents for e in d.events])
    _insert_frame(conn, "events", events, EVENT_COLUMNS, [key_of[i] for i in events["doc_id"]], run_id)
    return sum(len(d.events) for d in documents)


def feed_validators(conn: sqlite3.Connection) -> dict:
    """The stored validators of every feed URL (the feeds table is made if the store lacks it)."""
    from geomap.store.feeds import Validators
    from geomap.store.schema import FEEDS_DDL

    conn.execute(FEEDS_DDL)
    return {
        url: Validators(etag, modified)
        for url, etag, modified in conn.execute("SELECT url, etag, last_modified FROM feeds")
    }


def save_validators(conn: sqlite3.Connection, changed: dict) -> int:
    """Store the new validators of feeds (``{url: Validators}``); how many."""
    stamp = now()
    conn.executemany(
        "INSERT OR REPLACE INTO feeds (url, etag, last_modified, checked) VALUES (?, ?, ?, ?)",
        [(url, v.etag, v.last_modified, stamp) for url, v in changed.items()],
    )
    return len(changed)


def insert_event_articles(conn: sqlite3.Connection, run_id: int, articles: list) -> int:
    """Articles known only by their event rows (:class:`~geomap.store.datasets.EventArticle`,
    from a partitioned events folder): no text, no mentions; the number of events."""
    conn.executemany(
        "INSERT INTO articles (article_key, doc_id, url, content_hash, title, published, source, text, "
        "n_mentions, n_events, run_id) VALUES (?, ?, ?, '', ?, ?, ?, '', 0, ?, ?)",
        [
            (a.key, a.doc_id, a.url, a.title, a.published, a.source, a.events["event_id"].nunique(), run_id)
            for a in articles
        ],
    )
    for a in articles:
        _insert_frame(conn, "events", a.events.assign(doc_id=a.doc_id), EVENT_COLUMNS, [a.key] * len(a.events), run_id)
    return sum(a.events["event_id"].nunique() for a in articles)
