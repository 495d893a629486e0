"""An on-disk cache of online geocoding answers (SQLite), so a query goes to a service once.

Keys are (service, query, country codes); values are the service's answers as JSON (a list of
``{"address", "lat", "lon", "raw"}``, empty when the service knew nothing: misses are cached too).
Errors are never cached.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from pathlib import Path

from geomap.errors import GeocodingError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    service TEXT NOT NULL, query TEXT NOT NULL, country TEXT NOT NULL, answer TEXT NOT NULL,
    created REAL NOT NULL, PRIMARY KEY (service, query, country)
) WITHOUT ROWID;
"""


def default_cache_path() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("geomap")) / "geocode-cache.sqlite"


def cache_key(query: str, country_codes: list[str] | None) -> tuple[str, str]:
    """Whitespace and case do not make a new query; country codes are sorted."""
    return " ".join(query.split()).casefold(), ",".join(sorted({c.upper() for c in country_codes or []}))


class GeocodeCache:
    """Thread-safe get/put of raw answers keyed by service, query and country codes."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, check_same_thread=False, timeout=10)
            self._conn.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise GeocodingError(f"cannot open the geocoding cache {self.path}: {exc}") from exc
        self._lock = threading.Lock()

    def get(self, service: str, query: str, country_codes: list[str] | None = None) -> list[dict] | None:
        """The cached answer (possibly empty), or None when this query was never asked."""
        q, cc = cache_key(query, country_codes)
        with self._lock:
            row = self._conn.execute(
                "SELECT answer FROM answers WHERE service = ? AND query = ? AND country = ?", (service, q, cc)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, service: str, query: str, country_codes: list[str] | None, answer: list[dict]) -> None:
        q, cc = cache_key(query, country_codes)
        text = json.dumps(answer, ensure_ascii=False, default=str)
        try:
            with self._lock, self._conn:  # one transaction per answer: a crash loses at most one
                self._conn.execute(
                    "INSERT OR REPLACE INTO answers VALUES (?,?,?,?,?)", (service, q, cc, text, time.time())
                )
        except sqlite3.Error as exc:
            raise GeocodingError(f"cannot write the geocoding cache {self.path}: {exc}") from exc

    def __len__(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0]

    def close(self) -> None:
        self._conn.close()
