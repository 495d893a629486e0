"""``geomap geocode NAME``: ranked candidates for a place name (offline, or a geopy service)."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Optional

import typer

from geomap.errors import GeocodingError, InputError, PlaceNotFound
from geomap.records import Place


def _rows(name: str, *, country: str | None, limit: int, geocoder: str,
          gazetteer: Path | None) -> list[tuple[Place, float | None]]:
    if geocoder.strip().lower() == "offline":
        return _offline_rows(name, country=country, limit=limit, gazetteer=gazetteer)
    from geomap.geocoders.online import FALLBACK_GEOCODER, FALLBACK_SOURCE, make_geocoder

    service = make_geocoder(geocoder)
    try:
        return [(p, None) for p in service.search(name, country_codes=country, limit=limit)]
    except GeocodingError as exc:
        # an outage, a rate limit or a spent time budget: answer offline, say so, mark the rows
        logging.getLogger("geomap").warning("%s; answering from the offline gazetteer (source=%s)",
                                            exc, FALLBACK_SOURCE)
        rows = _offline_rows(name, country=country, limit=limit, gazetteer=gazetteer)
        return [(replace(p, source=FALLBACK_SOURCE, geocoder=FALLBACK_GEOCODER), s) for p, s in rows]


def _offline_rows(name: str, *, country: str | None, limit: int,
                  gazetteer: Path | None) -> list[tuple[Place, float | None]]:
    from geomap.gazetteer import Gazetteer
    from geomap.resolve import Resolver

    ranked = Resolver(Gazetteer.open(gazetteer)).rank(name, country=country)
    return [(p, s) for p, s in ranked[:limit]]


Name = Annotated[str, typer.Argument(help="Place name, e.g. \"Ain al-Asad\".", show_default=False)]
Country = Annotated[Optional[str], typer.Option(
    "--country", "-c", help="ISO 3166-1 alpha-2 code to prefer, e.g. IQ.")]
Limit = Annotated[int, typer.Option("-n", "--limit", help="How many candidates to show.")]
GeocoderOpt = Annotated[str, typer.Option(
    "--geocoder", help="offline (local gazetteer) or a geopy service: nominatim, photon, arcgis …")]
GazetteerOpt = Annotated[Optional[Path], typer.Option(
    "--gazetteer", help="Gazetteer SQLite file (default: built once in the user cache).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def geocode_cmd(name: Name, country: Country = None, limit: Limit = 5, geocoder: GeocoderOpt = "offline",
                gazetteer: GazetteerOpt = None, as_json: AsJson = False) -> None:
    """Ranked candidates for a place name, with scores."""
    if not name.strip():
        raise InputError("empty place name")
    if limit < 1:
        raise InputError(f"-n must be at least 1, not {limit}")
    if country is not None and (len(country.strip()) != 2 or not country.strip().isalpha()):
        raise InputError(f"--country takes a two-letter ISO code such as IQ, not {country!r}")
    country = country.strip().upper() if country else None
    rows = _rows(name, country=country, limit=limit, geocoder=geocoder, gazetteer=gazetteer)
    if not rows:
        where = f" in {country}" if country else ""
        raise PlaceNotFound(f"no place named {name!r}{where} ({geocoder})")
    if as_json:
        typer.echo(json.dumps([{"name": p.name, "country_code": p.country_code, "country": p.country,
                                "admin1": p.admin1, "kind": p.kind, "feature_code": p.feature_code,
                                "lat": p.lat, "lon": p.lon, "population": p.population,
                                "geonameid": p.geonameid, "source": p.source,
                                "geocoder": p.geocoder, "score": s}
                               for p, s in rows], ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{name} ({geocoder})")
    for col, justify in (("name", "left"), ("country", "left"), ("admin1", "left"), ("type", "left"),
                         ("lat", "right"), ("lon", "right"), ("population", "right"), ("score", "right")):
        table.add_column(col, justify=justify)
    for p, s in rows:
        kind = f"{p.kind} ({p.feature_code})" if p.feature_code else p.kind
        table.add_row(p.name, p.country_code or "", p.admin1 or "", kind, f"{p.lat:.4f}", f"{p.lon:.4f}",
                      f"{p.population:,}" if p.population else "", "" if s is None else f"{s:.3f}")
    Console(width=max(100, Console().width)).print(table)


def register(app: typer.Typer) -> None:
    """Add the ``geocode`` command to ``app``."""
    app.command("geocode")(geocode_cmd)
