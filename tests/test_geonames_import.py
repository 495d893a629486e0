"""Import of the official GeoNames dumps, on small files in the official formats."""

from __future__ import annotations

import sqlite3
import zipfile
from contextlib import closing
from pathlib import Path

import pytest

from geomap.errors import GazetteerError
from geomap.gazetteer.geonames_import import import_geonames, kind_of
from geomap.gazetteer.store import Gazetteer

DATA = Path(__file__).parent / "data" / "geonames"
FULL = dict(
    places=DATA / "places.txt",
    admin1=DATA / "admin1CodesASCII.txt",
    alternate_names=DATA / "alternateNamesV2.txt",
    country_info=DATA / "countryInfo.txt",
)


@pytest.fixture(scope="module")
def gaz(tmp_path_factory) -> Gazetteer:
    path = import_geonames(tmp_path_factory.mktemp("gn") / "gaz.sqlite", **FULL)
    return Gazetteer(path)


def _surfaces(gaz: Gazetteer) -> set[str]:
    with closing(sqlite3.connect(gaz.path)) as conn:
        return {s for (s,) in conn.execute("SELECT surface FROM names")}


def test_candidates_kinds_and_admin1_names(gaz):
    paris = gaz.lookup("Paris")
    assert {(p.country_code, p.kind) for p in paris} == {("FR", "city"), ("US", "city")}
    texas = next(p for p in paris if p.country_code == "US")
    assert texas.admin1 == "Texas" and texas.admin1_code == "US.TX"
    assert texas.geonameid == 4717560 and texas.population == 24171
    kinds = {p.kind for p in gaz.lookup("Baghdad")}
    assert kinds == {"city", "admin1"}
    assert gaz.lookup("Dallas County")[0].kind == "admin2"
    assert gaz.lookup("Euphrates")[0].kind == "region"
    assert gaz.lookup("Asia")[0].kind == "continent"
    # ADM1 rows take the admin1CodesASCII name too, and the "Province" head still works.
    assert gaz.lookup("Anbar Province")[0].admin1_code == "IQ.01"


def test_capital_countries_and_demonyms(gaz):
    capital = gaz.capital("IQ")
    assert (capital.name, capital.feature_code, capital.kind) == ("Baghdad", "PPLC", "city")
    assert gaz.capital("US").name == "Washington"
    # countryInfo's everyday name wins over the dump's official one; the latter stays a name.
    assert gaz.country("FR").name == "France"
    assert gaz.lookup("Republic of France")[0].country_code == "FR"
    assert gaz.demonym_country("Iraqi") == "IQ"
    assert gaz.lookup("U.S.")[0].country_code == "US"  # packaged aliases apply


def test_air_base_found_by_alternate_spelling(gaz):
    base = gaz.lookup("Ain al-Assad Airbase")
    assert [(p.name, p.kind, p.admin1) for p in base] == [("Al Asad Air Base", "airport", "Anbar")]
    assert gaz.lookup("Baghdad International Airport")[0].kind == "airport"


def test_alternate_names_filtered(gaz):
    surfaces = _surfaces(gaz)
    assert "Bagdad" in surfaces and "Paname" in surfaces and "Irak" in surfaces
    assert not any("://" in s for s in surfaces)  # link rows
    for code in ("BGW", "ORBI", "10001", "Q796"):  # iata, icao, post, wkdt rows
        assert code not in surfaces
    assert "Lutetia" not in surfaces  # historic
    assert not any(ord(c) > 0x24F for s in surfaces for c in s if c.isalpha())  # Arabic, Cyrillic
    assert not gaz.lookup("Nowhere Town")  # alternate name of an unknown id


def test_skips_historical_and_small_places(tmp_path):
    gaz = Gazetteer(
        import_geonames(
            tmp_path / "g.sqlite", places=DATA / "places.txt", admin1=DATA / "admin1CodesASCII.txt", min_population=1000
        )
    )
    assert not gaz.lookup("Babylon")  # PPLH
    assert not gaz.lookup("Haditha Village")  # population 300
    assert gaz.lookup("Al Asad Air Base")  # not a populated place: kept
    # Without an alternate names file the places file's own column is used (Latin only).
    assert gaz.lookup("Ramadi")[0].name == "Ar Ramadi"
    assert "بغداد" not in _surfaces(gaz)


def test_cities_only_file_gets_countries_from_packaged_data(tmp_path):
    cities = tmp_path / "cities500.txt"
    lines = (DATA / "places.txt").read_text(encoding="utf-8").splitlines()
    cities.write_text("\n".join(l for l in lines if l.split("\t")[6] == "P") + "\n", encoding="utf-8")
    gaz = Gazetteer(import_geonames(tmp_path / "g.sqlite", places=cities))
    iraq = gaz.country("IQ")
    assert iraq is not None and iraq.kind == "country" and 29 < iraq.lat < 38
    assert gaz.capital("FR").name == "Paris"
    assert gaz.lookup("Asia")[0].kind == "continent"
    # No admin1 file and no ADM1 rows: towns keep their GeoNames code but have no region name.
    assert gaz.lookup("Dallas")[0].admin1_code == "US.TX"


def test_admin1_names_without_admin1_file_come_from_adm1_rows(tmp_path):
    gaz = Gazetteer(import_geonames(tmp_path / "g.sqlite", places=DATA / "places.txt"))
    assert gaz.lookup("Dallas")[0].admin1 == "Texas"


def test_zip_input(tmp_path):
    archive = tmp_path / "allCountries.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(DATA / "places.txt", "allCountries.txt")
        zf.writestr("readme.txt", "not data\n")
    gaz = Gazetteer(import_geonames(tmp_path / "g.sqlite", places=archive))
    assert gaz.capital("IQ").name == "Baghdad"


def test_malformed_row_names_file_and_line(tmp_path):
    bad = tmp_path / "places.txt"
    lines = (DATA / "places.txt").read_text(encoding="utf-8").splitlines()
    lines[4] = "\t".join(lines[4].split("\t")[:10])
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "g.sqlite"
    with pytest.raises(GazetteerError, match=r"places\.txt:5: expected 19 tab-separated columns, found 10"):
        import_geonames(out, places=bad)
    assert not out.exists() and not list(tmp_path.glob(".g.sqlite*"))  # atomic: nothing left behind


def test_bad_number_and_missing_file(tmp_path):
    bad = tmp_path / "places.txt"
    cols = (DATA / "places.txt").read_text(encoding="utf-8").splitlines()[1].split("\t")
    cols[4] = "north"
    bad.write_text("\t".join(cols) + "\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"places\.txt:1: latitude is not a number"):
        import_geonames(tmp_path / "g.sqlite", places=bad)
    with pytest.raises(GazetteerError, match="admin1 file not found"):
        import_geonames(tmp_path / "g.sqlite", places=DATA / "places.txt", admin1=tmp_path / "nope.txt")


def test_same_schema_as_default_build(gaz):
    conn = sqlite3.connect(gaz.path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"places", "names", "demonyms", "meta"}
    assert conn.execute("SELECT value FROM meta WHERE key = 'source'").fetchone() == ("geonames-import",)


@pytest.mark.parametrize(
    "fclass, fcode, kind",
    [
        ("A", "PCLI", "country"),
        ("A", "ADM1", "admin1"),
        ("A", "ADM2", "admin2"),
        ("P", "PPLC", "city"),
        ("P", "PPLA3", "city"),
        ("S", "AIRB", "airport"),
        ("S", "MILB", "airport"),
        ("L", "CONT", "continent"),
        ("L", "RGN", "region"),
        ("T", "MT", "site"),
        ("P", "PPLH", None),
    ],
)
def test_kind_mapping(fclass, fcode, kind):
    assert kind_of(fclass, fcode) == kind


def test_old_alternate_names_format(tmp_path):
    """alternateNames.txt before V2 has 8 columns (no from/to); the same filtering applies."""
    old = tmp_path / "alternateNames.txt"
    rows = (DATA / "alternateNamesV2.txt").read_text(encoding="utf-8").splitlines()
    old.write_text("\n".join("\t".join(r.split("\t")[:8]) for r in rows) + "\n", encoding="utf-8")
    gaz = Gazetteer(import_geonames(tmp_path / "g.sqlite", places=DATA / "places.txt", alternate_names=old))
    assert gaz.lookup("Ain al-Asad Air Base")[0].kind == "airport"
    assert not gaz.lookup("Lutetia") and not gaz.is_known_name("BGW")
