"""The gazetteer file: its SQLite schema, the place rows, and a writer that fills a new file.

Both ways of making a gazetteer (:mod:`geomap.gazetteer.build` from PyPI packages and
:mod:`geomap.gazetteer.geonames_import` from the GeoNames dumps) write through this module, so the
two produce the same schema that :mod:`geomap.gazetteer.store` reads.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from geomap.errors import GazetteerError
from geomap.gazetteer.normalize import is_latin, normalize_name
from geomap.io.atomic import atomic_path

#: Bump when the schema or the build rules change: cached gazetteers are rebuilt.
BUILD_VERSION = "9"

SCHEMA = """
CREATE TABLE places (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    geonameid INTEGER, country_code TEXT, admin1_code TEXT, admin1 TEXT, feature_code TEXT,
    population INTEGER NOT NULL DEFAULT 0, source TEXT NOT NULL
);
CREATE TABLE names (
    key TEXT NOT NULL, place_id INTEGER NOT NULL, surface TEXT NOT NULL, main INTEGER NOT NULL,
    PRIMARY KEY (key, place_id)
) WITHOUT ROWID;
CREATE TABLE demonyms (word TEXT PRIMARY KEY, country_code TEXT NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
"""
INDEXES = """
CREATE INDEX places_country ON places(country_code, kind);
CREATE INDEX places_geonameid ON places(geonameid);
"""


@dataclass
class PlaceRow:
    name: str
    kind: str
    lat: float
    lon: float
    source: str
    geonameid: int | None = None
    country_code: str | None = None
    admin1_code: str | None = None
    admin1: str | None = None
    feature_code: str | None = None
    population: int = 0
    names: list[str] = field(default_factory=list)


class GazetteerWriter:
    """Collects places and names, then writes them into one SQLite file."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.conn.executescript(SCHEMA)
        self._next_id = 1
        self.by_code: dict[str, int] = {}  # ISO country/subdivision code -> place id
        self.demonyms: dict[str, tuple[str, int]] = {}

    def add(self, row: PlaceRow, *, code: str | None = None) -> int:
        pid = self._next_id
        self._next_id += 1
        self.conn.execute(
            "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                pid,
                row.name,
                row.kind,
                row.lat,
                row.lon,
                row.geonameid,
                row.country_code,
                row.admin1_code,
                row.admin1,
                row.feature_code,
                int(row.population or 0),
                row.source,
            ),
        )
        self.add_names(pid, [row.name, *row.names], main_name=row.name)
        if code:
            self.by_code[code] = pid
        return pid

    def add_names(self, pid: int, names: Iterable[str], *, main_name: str | None = None) -> None:
        seen: set[str] = set()
        rows = []
        for surface in names:
            surface = (surface or "").strip()
            if not surface or not is_latin(surface):
                continue
            key = normalize_name(surface)
            if not key or key in seen:
                continue
            seen.add(key)
            rows.append((key, pid, surface, int(surface == main_name)))
        self.conn.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?,?)", rows)

    def add_demonym(self, word: str, country_code: str, population: int) -> None:
        # "American" is the demonym of several territories too: the most populous country wins.
        if population > self.demonyms.get(word, ("", -1))[1]:
            self.demonyms[word] = (country_code, population)

    def override_demonyms(self, pairs: Iterable[tuple[str, str]]) -> None:
        """(word, country code) pairs that win over every demonym added before or after."""
        for word, country_code in pairs:
            self.demonyms[word] = (country_code, 1 << 62)

    def flush_demonyms(self) -> None:
        self.conn.executemany("INSERT INTO demonyms VALUES (?,?)", [(w, cc) for w, (cc, _) in self.demonyms.items()])


@contextlib.contextmanager
def new_gazetteer(path: str | os.PathLike, *, source: str, min_population: int) -> Iterator[GazetteerWriter]:
    """A writer over a fresh SQLite gazetteer that replaces ``path`` atomically on success.

    The caller adds places and indexes; on exit the build metadata is stored and the file compacted.
    """
    with atomic_path(path) as tmp:
        conn = sqlite3.connect(tmp)
        try:
            # A half-built file is thrown away, so journaling would only slow the build down.
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
            yield GazetteerWriter(conn)
            conn.executemany(
                "INSERT INTO meta VALUES (?,?)",
                [
                    ("build_version", BUILD_VERSION),
                    ("source", source),
                    ("min_population", str(min_population)),
                ],
            )
            conn.commit()
            conn.execute("VACUUM")
        except sqlite3.Error as exc:
            raise GazetteerError(f"cannot write the gazetteer {path}: {exc}") from exc
        finally:
            conn.close()
