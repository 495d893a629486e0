"""Read access to a geomap gazetteer (SQLite): candidates by name, demonyms, capitals.

The file is built once per machine (see :mod:`geomap.gazetteer.build`) and cached in the user's
cache folder; ``GEOMAP_GAZETTEER`` or an explicit path points at another one (for example one made
by ``geomap gazetteer import`` from the official GeoNames dumps).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import weakref
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from geomap.errors import GazetteerCorrupt, GazetteerError
from geomap.gazetteer.build import BUILD_VERSION, build
from geomap.gazetteer.heads import GENERIC_HEADS
from geomap.gazetteer.normalize import normalize_name
from geomap.records import Place
from geomap.tools.distance import haversine_km
from geomap.tools.ranks import KIND_PREFERENCE

ENV_VAR = "GEOMAP_GAZETTEER"
log = logging.getLogger(__name__)
_COLUMNS = "id, name, kind, lat, lon, geonameid, country_code, admin1_code, admin1, feature_code, population, source"
_OPEN_LOCK = threading.Lock()
#: :meth:`Gazetteer.spread_km` needs at least this many towns to say how big an area is.
_SPREAD_MIN_TOWNS = 5
_OPENED: dict[Path, Gazetteer] = {}
#: Every open gazetteer, so that a forked child process gets connections of its own.
_LIVE: weakref.WeakSet[Gazetteer] = weakref.WeakSet()


def default_path() -> Path:
    """Where the gazetteer lives: ``$GEOMAP_GAZETTEER`` or the user cache folder."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("geomap")) / f"gazetteer-v{BUILD_VERSION}.sqlite"


def forget_opened() -> None:
    """Forget the gazetteers :meth:`Gazetteer.open` has shared so far: the next open reads its file again."""
    with _OPEN_LOCK:
        _OPENED.clear()


def recovery_hint(path: str | os.PathLike) -> str:
    """How to get a working gazetteer back at ``path``."""
    path = Path(path)
    try:
        default = path.resolve() == default_path().resolve()
    except OSError:
        default = False
    if default and not os.environ.get(ENV_VAR):
        return "run `geomap gazetteer build --force`"
    if default:
        return "run `geomap gazetteer build --force` (or import it again)"
    return f"run `geomap gazetteer build --force -o {path}` (or import it again)"


def damaged(path: str | os.PathLike, reason: object) -> GazetteerCorrupt:
    """The one-line error for a damaged gazetteer file, saying how to recover."""
    text = " ".join(str(reason).split()) or "damaged"
    return GazetteerCorrupt(f"the gazetteer is damaged: {path} ({text}); {recovery_hint(path)}")


def quick_check(path: str | os.PathLike) -> str | None:
    """None when SQLite's ``PRAGMA quick_check`` finds ``path`` sound, else the first problem."""
    try:
        conn = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        return _quick_check(conn)
    finally:
        conn.close()


def _quick_check(conn: sqlite3.Connection) -> str | None:
    try:
        rows = conn.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.DatabaseError as exc:  # not a database, or a damaged header/schema
        return str(exc)
    problem = rows[0][0] if rows else "no answer from quick_check"
    return None if problem == "ok" else str(problem)


#: A first-level region name shared by more countries than this ("Central", "Northern") is no
#: place to tag in text on its own.
GENERIC_REGION_COUNTRIES = 2


class Gazetteer:
    """A read-only place-name index over one SQLite file."""

    def __init__(self, path: str | os.PathLike, *, check: bool = True) -> None:
        """Open ``path`` read-only; ``check`` runs SQLite's quick_check first (~0.4 s for 60 MB), so
        that a damaged file fails here, with how to recover, not mid-parse."""
        self.path = Path(path)
        if not self.path.is_file():
            raise GazetteerError(f"gazetteer not found: {self.path}")
        try:
            # check_same_thread=False: lookups are read-only and guarded by a lock.
            self._conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._lock = threading.Lock()
            #: The process whose SQLite connection this object uses (a forked child opens its own).
            self.owner_pid = os.getpid()
            problem = _quick_check(self._conn) if check else None
            if problem is not None:
                self._conn.close()
                if "not a database" in problem:
                    raise GazetteerError(f"not a geomap gazetteer: {self.path} ({problem}); {recovery_hint(self.path)}")
                raise damaged(self.path, problem)
            self.meta = dict(self._conn.execute("SELECT key, value FROM meta"))
            self._demonyms = dict(self._conn.execute("SELECT word, country_code FROM demonyms"))
            self._country_names = dict(
                self._conn.execute("SELECT country_code, name FROM places WHERE kind = 'country'")
            )
        except sqlite3.OperationalError as exc:  # no such table: some other SQLite file
            raise GazetteerError(f"not a geomap gazetteer: {self.path} ({exc})") from None
        except sqlite3.DatabaseError as exc:
            raise damaged(self.path, exc) from None
        self._countries = {p.country_code: p for p in self._query("kind = 'country'")}
        self._lower_demonyms = {k.lower(): v for k, v in self._demonyms.items()}
        log.info("gazetteer %s opened (%s)", self.path, self.meta.get("source", "unknown source"))
        log.debug("gazetteer build version %s, %d countries", self.meta.get("build_version"), len(self._countries))
        self.candidates = lru_cache(maxsize=100_000)(self._candidates)  # type: ignore[method-assign]
        self._admin_index: dict[str, tuple[Place, ...]] | None = None  # read on first use
        self._spread: dict[tuple, float | None] = {}  # area -> spread_km, on first use
        _LIVE.add(self)

    def _reopen_in_child(self) -> None:
        """After a fork: a connection and lock of this process's own. An SQLite connection must not
        be used across a fork; the inherited one is kept (not closed) so that closing it cannot
        touch the parent's file state."""
        try:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        except sqlite3.Error:  # the file is gone: this child cannot read it either way
            return
        self._inherited, self._conn, self._lock = self._conn, conn, threading.Lock()
        self.owner_pid = os.getpid()

    @classmethod
    def open(cls, path: str | os.PathLike | None = None, *, build_missing: bool = True) -> Gazetteer:
        """Open (and on first use build) the gazetteer; opened files are shared in the process."""
        target = Path(path).expanduser() if path else default_path()
        with _OPEN_LOCK:
            if target in _OPENED:
                return _OPENED[target]
            if not target.exists():
                if path is not None or not build_missing:
                    raise GazetteerError(f"gazetteer not found: {target}")
                log.warning("building the offline gazetteer once at %s …", target)
                build(target)
            try:
                gaz = cls(target)
            except GazetteerCorrupt as exc:
                # The cached gazetteer is ours, made from installed packages: rebuilding it (atomically)
                # is safe. A file the user named (an import, say) is reported, not replaced.
                if path is not None or not build_missing or os.environ.get(ENV_VAR):
                    raise
                log.warning("%s; rebuilding it …", exc.args[0].split(";")[0])
                build(target)
                gaz = cls(target)
            _OPENED[target] = gaz
            return gaz

    # -- queries ------------------------------------------------------------------------------
    def _rows(self, sql: str, params: Iterable = ()) -> list[tuple]:
        """All rows of a query; a damaged page met on the way is a one-line GazetteerCorrupt."""
        try:
            with self._lock:
                return self._conn.execute(sql, tuple(params)).fetchall()
        except sqlite3.DatabaseError as exc:
            raise damaged(self.path, exc) from None

    def _query(self, where: str, params: Iterable = ()) -> list[Place]:
        rows = self._rows(f"SELECT {_COLUMNS} FROM places WHERE {where}", params)
        return [self._place(r) for r in rows]

    def _candidates(
        self, name: str, kinds: tuple[str, ...] | None = None, country: str | None = None
    ) -> tuple[Place, ...]:
        """Places whose name (or alternate name) matches ``name`` after normalization."""
        key = normalize_name(name)
        found = self._by_key(key)
        if not found:
            # "Anbar Province" -> "Anbar" as an admin region; "Al Asad Airbase" -> airports.
            for head, head_kinds in sorted(GENERIC_HEADS.items(), key=lambda kv: -len(kv[0])):
                if key.endswith(" " + normalize_name(head)):
                    stem = key[: -len(normalize_name(head)) - 1]
                    found = [p for p in self._by_key(stem) if p.kind in head_kinds]
                    kinds = kinds or head_kinds
                    break
        if kinds:
            narrowed = [p for p in found if p.kind in kinds]
            found = narrowed or found
        if country:
            narrowed = [p for p in found if p.country_code == country]
            found = narrowed or found
        return tuple(found)

    def _by_key(self, key: str) -> list[Place]:
        if not key:
            return []
        return self._query("id IN (SELECT place_id FROM names WHERE key = ?)", (key,))

    def lookup(
        self, name: str, *, kinds: Iterable[str] | None = None, country: str | None = None, limit: int | None = None
    ) -> list[Place]:
        """Candidates for ``name``, biggest first (ranking in context is the resolver's job)."""
        found = sorted(
            self.candidates(name, tuple(kinds) if kinds else None, country),
            key=lambda p: (-KIND_PREFERENCE.get(p.kind, 0), -p.population),
        )
        return found[:limit] if limit else found

    def fuzzy(
        self,
        name: str,
        *,
        kinds: Iterable[str] = ("airport",),
        country: str | None = None,
        limit: int = 5,
        score_cutoff: float = 85.0,
    ) -> list[tuple[Place, float]]:
        """Places of the given kinds whose names contain most of ``name``'s words (rapidfuzz)."""
        from rapidfuzz import fuzz, process

        kinds = tuple(kinds)
        table = self._fuzzy_table(kinds, country)
        hits = process.extract(
            normalize_name(name), table[0], scorer=fuzz.token_set_ratio, limit=limit, score_cutoff=score_cutoff
        )
        return [(table[1][idx], score / 100.0) for _, score, idx in hits]

    @lru_cache(maxsize=64)
    def _fuzzy_table(self, kinds: tuple[str, ...], country: str | None) -> tuple[list[str], list[Place]]:
        marks = ",".join("?" * len(kinds))
        where = f"kind IN ({marks})" + (" AND country_code = ?" if country else "")
        places = self._query(where, (*kinds, *([country] if country else [])))
        return [normalize_name(p.name) for p in places], places

    def is_known_name(self, name: str) -> bool:
        """True when ``name`` is a name of some place."""
        key = normalize_name(name)
        return bool(self._rows("SELECT 1 FROM names WHERE key = ? LIMIT 1", (key,)))

    def is_notable_name(self, name: str, *, min_population: int = 15000) -> bool:
        """True when ``name`` names a country, continent, region or subdivision, or a town of
        at least ``min_population``: worth tagging in text even when the NER model did not."""
        return self._notable(normalize_name(name), min_population)

    @lru_cache(maxsize=200_000)
    def _notable(self, key: str, min_population: int) -> bool:
        # A town counts by its own name only: alternate names hold abbreviations and words
        # ("Rep", "Man", "Day") that would make every capitalised word a place.
        # A region's three-letter alias ("Min" for Minnesota) is an abbreviation, not a name to find
        # in running text; countries keep theirs ("USA", "UAE").
        # A one-word alias of a region is often its name's meaning in English ("White" for Alba,
        # "Interior" for Ad Dakhiliyah): a word of running text, not a name to tag on its own.
        # A region name that regions of many countries share ("Central", "Eastern") is no
        # place either until the text says which.
        sql = (
            "SELECT p.kind, p.country_code FROM names n JOIN places p ON p.id = n.place_id WHERE n.key = ? AND "
            "(p.kind IN ('country', 'continent') OR "
            "(p.kind IN ('admin1', 'region') AND (n.main = 1 OR (length(n.key) > 3 AND n.key LIKE '% %'))) OR "
            "(p.kind = 'city' AND p.population >= ? AND n.main = 1))"
        )
        rows = self._rows(sql, (key, min_population))
        if any(kind != "admin1" for kind, _ in rows):
            return True
        return 0 < len({cc for _, cc in rows}) <= GENERIC_REGION_COUNTRIES

    @lru_cache(maxsize=50_000)
    def is_city_alias(self, name: str, *, min_population: int = 500_000) -> bool:
        """True when ``name``, written exactly so, is another name of a city of at least
        ``min_population`` ("Kiev", "Bombay", "Peking"): the gazetteer holds it as an alternate
        name, which :meth:`is_notable_name` does not count."""
        rows = self._rows(
            "SELECT n.surface FROM names n JOIN places p ON p.id = n.place_id "
            "WHERE n.key = ? AND n.main = 0 AND p.kind = 'city' AND p.population >= ?",
            (normalize_name(name), min_population),
        )
        return any(surface == name for (surface,) in rows)

    @lru_cache(maxsize=200_000)
    def spelled_alike(self, name: str) -> bool:
        """False when every gazetteer name that ``name`` matches differs from it by accents the
        text does not have ("God" is not "Göd"): a lookup folds accents away, a reader does not."""
        written = name.casefold()
        if not written.isascii():
            return True
        surfaces = [r[0] for r in self._rows("SELECT surface FROM names WHERE key = ?", (normalize_name(name),))]
        return not surfaces or any(s.isascii() or s.casefold() == written for s in surfaces)

    def admin_names(self) -> dict[str, tuple[Place, ...]]:
        """Lookup key -> first- and second-level subdivisions of that name, for finding the
        states, provinces and counties a text names. Abbreviations of three letters or fewer are
        left out, as in :meth:`is_notable_name`. Read once, on first use."""
        index = self._admin_index
        if index is None:
            sql = (
                f"SELECT n.key, {', '.join('p.' + c.strip() for c in _COLUMNS.split(','))} "
                "FROM names n JOIN places p ON p.id = n.place_id "
                "WHERE p.kind IN ('admin1', 'admin2') AND (n.main = 1 OR length(n.key) > 3)"
            )
            with self._lock:
                rows = self._conn.execute(sql).fetchall()
            found: dict[str, list[Place]] = {}
            for row in rows:
                found.setdefault(row[0], []).append(self._place(row[1:]))
            index = {k: tuple(v) for k, v in found.items()}
            self._admin_index = index
        return index

    def spread_km(self, area: Place) -> float | None:
        """How far a country's or first-level division's towns lie from its point: the distance
        within which nine in ten of the gazetteer's towns there are (a small county's is tens of
        kilometres, Texas's hundreds). None for other kinds, or with fewer than five towns."""
        if area.kind not in ("country", "admin1") or not area.country_code:
            return None
        key = (area.kind, area.country_code, area.admin1_code, area.lat, area.lon)
        cache = self._spread
        if key not in cache:
            rows = self._rows(
                "SELECT lat, lon, admin1_code FROM places WHERE country_code = ? AND kind = 'city'",
                (area.country_code,),
            )
            if area.kind == "admin1":
                rows = [r for r in rows if area.admin1_code and r[2] == area.admin1_code]
            far = sorted(haversine_km(area.lat, area.lon, lat, lon) for lat, lon, _ in rows)
            cache[key] = far[min(len(far) - 1, int(0.9 * len(far)))] if len(far) >= _SPREAD_MIN_TOWNS else None
        return cache[key]

    def demonym_country(self, word: str) -> str | None:
        """ISO country code of a demonym ("Iraqi" -> "IQ"), else None."""
        return self._demonyms.get(word) or self._lower_demonyms.get(word.lower())

    def country(self, code: str) -> Place | None:
        """The place of a demonym's code: a country ("IQ"), subdivision ("GB-ENG") or continent."""
        found = self._countries.get(code)
        if found is None and f"code:{code}" in self.meta:
            rows = self._query("id = ?", (int(self.meta[f"code:{code}"]),))
            found = rows[0] if rows else None
        return found

    def capital(self, code: str) -> Place | None:
        """The capital city of a country, when the gazetteer knows it."""
        pid = self.meta.get(f"capital:{code}")
        if pid is None:
            return None
        found = self._query("id = ?", (int(pid),))
        return found[0] if found else None

    def by_geonameid(self, geonameid: int) -> Place | None:
        found = self._query("geonameid = ?", (int(geonameid),))
        return found[0] if found else None

    def _place(self, row: tuple) -> Place:
        (_, name, kind, lat, lon, geonameid, cc, a1_code, a1, fcode, pop, source) = row
        return Place(
            name=name,
            lat=lat,
            lon=lon,
            kind=kind,
            geonameid=geonameid,
            country_code=cc,
            country=self._country_names.get(cc),
            admin1=a1,
            admin1_code=a1_code,
            feature_code=fcode,
            population=pop or 0,
            source=source,
        )

    def info(self) -> dict[str, object]:
        """Counts by kind and by source, the sources' licences, and the build metadata."""
        kinds = dict(self._rows("SELECT kind, COUNT(*) FROM places GROUP BY kind"))
        by_source = dict(self._rows("SELECT source, COUNT(*) FROM places GROUP BY source"))
        names = self._rows("SELECT COUNT(*) FROM names")[0][0]
        licences = {k.split(":", 1)[1]: v for k, v in self.meta.items() if k.startswith("licence:")}
        return {
            "path": str(self.path),
            "places": sum(kinds.values()),
            "names": names,
            "by_kind": kinds,
            "by_source": by_source,
            "licences": licences,
            "demonyms": len(self._demonyms),
            **self.meta,
        }

    # -- bulk reads for spatial indexes ---------------------------------------------------------
    def points(self, kinds: Iterable[str] = ("city",)) -> list[tuple[int, float, float, str | None, str | None]]:
        """``(row id, lat, lon, country code, admin1 code)`` of every place of the given kinds, in
        one compact read (a spatial index needs points, not 200,000 Place records);
        :meth:`by_id` gives the Place of a row id."""
        kinds = tuple(kinds)
        marks = ",".join("?" * len(kinds))
        return self._rows(
            f"SELECT id, lat, lon, country_code, admin1_code FROM places WHERE kind IN ({marks}) ORDER BY id", kinds
        )

    def by_id(self, place_id: int) -> Place | None:
        """The place of a row id from :meth:`points`."""
        found = self._query("id = ?", (int(place_id),))
        return found[0] if found else None


def _after_fork_in_child() -> None:
    for gaz in list(_LIVE):
        gaz._reopen_in_child()
    global _OPEN_LOCK
    _OPEN_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):  # POSIX: a forked worker (geomap's --jobs, or a user's own) reads safely
    os.register_at_fork(after_in_child=_after_fork_in_child)
