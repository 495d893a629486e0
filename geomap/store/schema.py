"""The tables of an event store (one SQLite file) and the version of their layout.

``mentions`` and ``events`` hold the same columns as geomap's mention and event tables
(:mod:`geomap.schema`), plus the article each row comes from and the run that made it, so reading
them back gives the frames ``geomap extract`` writes. ``runs`` holds the geomap version and the
settings of every update, so a newer geomap can find the articles it should parse again.
"""

from __future__ import annotations

from geomap.schema import EVENT_COLUMNS, MENTION_COLUMNS

#: Layout version of the store's tables; a store of another version is refused, not guessed at.
STORE_VERSION = 2  # 2: events.background
#: ``meta.application``: what tells a geomap store from any other SQLite file.
APPLICATION = "geomap-store"

_SQL_TYPES = {"str": "TEXT", "int64": "INTEGER", "Int64": "INTEGER", "float64": "REAL", "bool": "INTEGER"}


def _columns(columns: dict[str, str]) -> str:
    return ",\n    ".join(f'"{name}" {_SQL_TYPES[dtype]}' for name, dtype in columns.items())


#: Columns of the incidents table, in order (see docs/store.md for what each holds).
INCIDENT_COLUMNS: dict[str, str] = {
    "incident_id": "int64",
    "event_type": "str",
    "date": "str",  # the incident's date: the finest its reports give
    "date_precision": "str",
    "period_start": "str",  # the days every report agrees on (ISO), '' when undated
    "period_end": "str",
    "place_name": "str",  # the finest event site its reports give
    "geonameid": "Int64",
    "country_code": "str",
    "country": "str",
    "admin1": "str",
    "feature_type": "str",
    "geo_precision": "str",
    "lat": "float64",
    "lon": "float64",
    "first_report": "str",  # earliest and latest publication date of its sources
    "last_report": "str",
    "n_sources": "int64",  # articles that report it
    "n_events": "int64",
    "sources": "str",  # JSON list of {doc_id, article_key, sentence, title, url, published}
    "first_run": "int64",
    "last_run": "int64",
}

TABLES = ("articles", "mentions", "events", "incidents", "errors", "runs")

#: What each feed or page URL answered last (its validators for a conditional request next
#: time). Made by the first update that reads a URL, so stores made before it need no upgrade.
FEEDS_DDL = """
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,            -- as given (a line of feeds.txt)
    etag TEXT,
    last_modified TEXT,
    checked TEXT NOT NULL            -- when these validators were stored (UTC)
);
"""

DDL = (
    f"""
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE runs (
    run_id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT NOT NULL,
    geomap_version TEXT NOT NULL,
    settings TEXT NOT NULL,          -- JSON: model, gazetteer, geocoder, review files, published
    inputs TEXT NOT NULL,            -- JSON list of the inputs given
    n_articles INTEGER NOT NULL,     -- new articles parsed
    n_known INTEGER NOT NULL,        -- articles already in the store, skipped
    n_errors INTEGER NOT NULL,
    n_events INTEGER NOT NULL
);
CREATE TABLE articles (
    article_key TEXT PRIMARY KEY,    -- canonical URL, else sha1:<hash of the text>
    doc_id TEXT NOT NULL,
    url TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    published TEXT NOT NULL,
    source TEXT NOT NULL,            -- the file or URL it was read from
    text TEXT NOT NULL,
    n_mentions INTEGER NOT NULL,
    n_events INTEGER NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs(run_id)
);
CREATE TABLE mentions (
    article_key TEXT NOT NULL REFERENCES articles(article_key),
    run_id INTEGER NOT NULL REFERENCES runs(run_id),
    {_columns(MENTION_COLUMNS)}
);
CREATE TABLE events (
    article_key TEXT NOT NULL REFERENCES articles(article_key),
    run_id INTEGER NOT NULL REFERENCES runs(run_id),
    incident_id INTEGER REFERENCES incidents(incident_id),
    {_columns(EVENT_COLUMNS)}
);
CREATE TABLE incidents (
    {_columns(INCIDENT_COLUMNS).replace('"incident_id" INTEGER', '"incident_id" INTEGER PRIMARY KEY')}
);
CREATE TABLE errors (
    error_id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(run_id),
    location TEXT NOT NULL,          -- file:line or URL
    doc_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    UNIQUE (location, reason)
);
CREATE UNIQUE INDEX articles_doc_id ON articles(doc_id);
CREATE INDEX mentions_article ON mentions(article_key);
CREATE INDEX events_article ON events(article_key);
CREATE INDEX events_incident ON events(incident_id);
CREATE INDEX events_run ON events(run_id);
CREATE INDEX incidents_lookup ON incidents(event_type, period_end);
"""
    + FEEDS_DDL
)
