"""The user's say over the geoparser: focus countries, corrections and a deny list.

A geoparser is wrong now and then in ways a reader sees at once ("Lima" in Ohio for a story
from Peru, a newsroom's nickname read as a town). Three settings, applied wherever names are
resolved (``map``, ``extract``, ``geocode`` and the library), let the user settle them:

- **bias**: countries the texts are about (``--bias IQ,SY``): their places win close calls;
- **corrections** (``--corrections FILE``): a CSV with a header and one row per fix::

      name,context,country,geonameid,lat,lon,label
      Lima,,PE,3936456,,,
      Camp Taji,,,,33.53,44.26,Camp Taji (base)
      Springfield,Illinois,,4250542,,,

  ``name`` is the place name as written (matched like a gazetteer name: case, accents and
  punctuation aside); the place is a ``geonameid`` of the gazetteer or a ``lat``/``lon`` point
  (named ``label``, else ``name``). ``context`` (words that must occur in the text) and
  ``country`` (ISO code of a country the text names or places a name in) narrow where a row
  applies; a row without them applies everywhere;
- **deny** (``--deny FILE``): names that are never places, one a line (``#`` starts a comment).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

from geomap.errors import InputError
from geomap.gazetteer import Gazetteer, normalize_name
from geomap.io.readers import read_text
from geomap.records import Place

#: Added to the ranker's score of a candidate in a focus country: more than a text that names only
#: that country adds, so a focus country's town beats a better-known namesake abroad.
BIAS_SCORE = 4.0
#: The columns a corrections file may have; ``name`` and a place (geonameid or lat and lon) are needed.
CORRECTION_COLUMNS = ("name", "context", "country", "geonameid", "lat", "lon", "label")


@dataclass(frozen=True)
class Correction:
    """One row of a corrections file: the place ``name`` means where the row applies."""

    key: str
    place: Place
    context: str = ""
    country: str = ""

    def applies(self, text: str, countries: set[str]) -> bool:
        if self.context and self.context.casefold() not in text.casefold():
            return False
        return not self.country or self.country in countries


@dataclass(frozen=True)
class Review:
    """Focus countries, corrections by name key, and denied name keys."""

    bias: frozenset[str] = frozenset()
    corrections: dict[str, tuple[Correction, ...]] = field(default_factory=dict)
    deny: frozenset[str] = frozenset()

    @property
    def active(self) -> bool:
        return bool(self.bias or self.corrections or self.deny)

    def denies(self, name: str) -> bool:
        return normalize_name(name) in self.deny

    def correction(self, key: str, text: str, countries: set[str]) -> Place | None:
        """The corrected place of a name key in this text, or None; the first row that applies wins,
        rows with a context or country before rows without."""
        rows = sorted(self.corrections.get(key, ()), key=lambda c: not (c.context or c.country))
        return next((c.place for c in rows if c.applies(text, countries)), None)

    @classmethod
    def load(
        cls,
        *,
        bias: str | list[str] | None = None,
        corrections: str | Path | None = None,
        deny: str | Path | None = None,
        gazetteer: Gazetteer | None = None,
    ) -> Review:
        """Read the settings (InputError naming file and line for a bad one)."""
        rows: dict[str, list[Correction]] = {}
        if corrections is not None:
            gaz = gazetteer or Gazetteer.open()
            for c in read_corrections(corrections, gaz):
                rows.setdefault(c.key, []).append(c)
        return cls(
            bias=frozenset(parse_bias(bias)),
            corrections={k: tuple(v) for k, v in rows.items()},
            deny=frozenset(read_deny(deny)) if deny is not None else frozenset(),
        )


def parse_bias(value: str | list[str] | None) -> list[str]:
    """ "IQ,SY" (or a list of codes) as upper-case ISO alpha-2 codes; InputError for anything else."""
    if not value:
        return []
    parts = value.split(",") if isinstance(value, str) else list(value)
    codes = [p.strip().upper() for p in parts if p.strip()]
    bad = [c for c in codes if len(c) != 2 or not c.isalpha() or not c.isascii()]
    if bad or not codes:
        raise InputError(f"bias: takes ISO 3166-1 alpha-2 codes such as IQ,SY, not {value!r}")
    return codes


def read_deny(path: str | Path) -> list[str]:
    """Name keys from a deny file: one name a line, ``#`` comments and blank lines ignored."""
    keys = []
    for line in read_text(Path(path)).splitlines():
        name = line.split("#", 1)[0].strip()
        if name and normalize_name(name):
            keys.append(normalize_name(name))
    return keys


def read_corrections(path: str | Path, gazetteer: Gazetteer) -> list[Correction]:
    """The rows of a corrections CSV (see the module docstring)."""
    text = read_text(Path(path))
    reader = csv.DictReader(text.splitlines())
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "name" not in header or not ({"geonameid"} <= set(header) or {"lat", "lon"} <= set(header)):
        raise InputError(
            f"{path}: a corrections file needs a header with name and geonameid or lat,lon "
            f"(columns: {', '.join(CORRECTION_COLUMNS)})"
        )
    unknown = [h for h in header if h not in CORRECTION_COLUMNS]
    if unknown:
        raise InputError(f"{path}: unknown column {unknown[0]!r} (columns: {', '.join(CORRECTION_COLUMNS)})")
    out = []
    for line, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
        where = f"{path}:{line}"
        name = row.get("name", "")
        if not name or not normalize_name(name):
            raise InputError(f"{where}: no name")
        country = row.get("country", "").upper()
        if country and (len(country) != 2 or not country.isalpha()):
            raise InputError(f"{where}: country must be an ISO alpha-2 code, not {country!r}")
        out.append(
            Correction(
                key=normalize_name(name),
                place=_place(row, name, where, gazetteer),
                context=row.get("context", ""),
                country=country,
            )
        )
    return out


def _place(row: dict[str, str], name: str, where: str, gazetteer: Gazetteer) -> Place:
    if row.get("geonameid"):
        try:
            gid = int(row["geonameid"])
        except ValueError:
            raise InputError(f"{where}: geonameid must be a whole number, not {row['geonameid']!r}") from None
        place = gazetteer.by_geonameid(gid)
        if place is None:
            raise InputError(f"{where}: geonameid {gid} is not in the gazetteer; give lat,lon instead")
        return place
    try:
        lat, lon = float(row.get("lat", "")), float(row.get("lon", ""))
    except ValueError:
        raise InputError(f"{where}: give a geonameid or a lat and lon") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError(f"{where}: lat must be within -90..90 and lon within -180..180")
    from geomap.gazetteer.spatial import admin1_at

    country, admin1 = admin1_at(gazetteer, lat, lon)
    return Place(
        name=row.get("label") or name,
        lat=lat,
        lon=lon,
        kind="other",
        source="correction",
        country_code=country,
        admin1_code=admin1,
    )
