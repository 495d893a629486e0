"""``geomap geocode NAME``: ranked candidates for a place name (offline, or a geopy service)."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from geomap.cli.common import Corrections, Deny, check_review
from geomap.errors import GeocodingError, InputError, PlaceNotFound
from geomap.gazetteer.spatial import DEFAULT_MAX_KM
from geomap.records import Place


def _rows(
    name: str, *, country: str | None, limit: int, geocoder: str, gazetteer: Path | None, review=None
) -> list[tuple[Place, float | None]]:
    if geocoder.strip().lower() == "offline":
        return _offline_rows(name, country=country, limit=limit, gazetteer=gazetteer, review=review)
    from geomap.geocoders.online import FALLBACK_GEOCODER, FALLBACK_SOURCE, make_geocoder

    service = make_geocoder(geocoder)
    try:
        return [(p, None) for p in service.search(name, country_codes=country, limit=limit)]
    except GeocodingError as exc:
        # an outage, a rate limit or a spent time budget: answer offline, say so, mark the rows
        logging.getLogger("geomap").warning(
            "%s; answering from the offline gazetteer (source=%s)", exc, FALLBACK_SOURCE
        )
        rows = _offline_rows(name, country=country, limit=limit, gazetteer=gazetteer, review=review)
        return [(replace(p, source=FALLBACK_SOURCE, geocoder=FALLBACK_GEOCODER), s) for p, s in rows]


def _offline_rows(
    name: str, *, country: str | None, limit: int, gazetteer: Path | None, review=None
) -> list[tuple[Place, float | None]]:
    from geomap.gazetteer import Gazetteer
    from geomap.geocoders.offline import OfflineGeocoder

    gaz = Gazetteer.open(gazetteer)
    return OfflineGeocoder(gaz, review=review).search(name, country_codes=country, limit=limit)


def _reverse_rows(point: str, *, limit: int, max_km: float, gazetteer: Path | None) -> list[tuple[Place, float | None]]:
    from geopy.exc import GeocoderQueryError

    from geomap.geocoders.offline import OfflineGeocoder

    try:
        return list(OfflineGeocoder(gazetteer).nearest(point, limit=limit, max_km=max_km))
    except GeocoderQueryError as exc:  # a malformed point is a usage error (status 2)
        raise typer.BadParameter(str(exc), param_hint="--reverse") from None


Name = Annotated[
    str | None,
    typer.Argument(
        help='Place name: "Ain al-Asad", or a place in its region or country: "Paris, Texas".', show_default=False
    ),
]
Country = Annotated[str | None, typer.Option("--country", "-c", help="ISO 3166-1 alpha-2 code to prefer, e.g. IQ.")]
Limit = Annotated[int, typer.Option("-n", "--limit", help="How many candidates to show.")]
GeocoderOpt = Annotated[
    str, typer.Option("--geocoder", help="offline (local gazetteer) or a geopy service: nominatim, photon, arcgis …")
]
GazetteerOpt = Annotated[
    Path | None, typer.Option("--gazetteer", help="Gazetteer SQLite file (default: built once in the user cache).")
]
Reverse = Annotated[
    str | None,
    typer.Option(
        "--reverse",
        help='Nearest towns to a point "LAT, LON" instead of a name (offline), e.g. "33.3, 44.4".',
        show_default=False,
    ),
]
MaxKm = Annotated[float, typer.Option("--max-km", help="With --reverse: no town farther than this (km).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def geocode_cmd(
    name: Name = None,
    country: Country = None,
    limit: Limit = 5,
    geocoder: GeocoderOpt = "offline",
    gazetteer: GazetteerOpt = None,
    reverse: Reverse = None,
    max_km: MaxKm = DEFAULT_MAX_KM,
    as_json: AsJson = False,
    corrections: Corrections = None,
    deny: Deny = None,
) -> None:
    """Ranked candidates for a place name, with scores; or, with --reverse, the nearest towns to a point."""
    if limit < 1:
        raise InputError(f"-n must be at least 1, not {limit}")
    if reverse is not None:
        if name is not None or country is not None or geocoder.strip().lower() != "offline":
            raise typer.BadParameter(
                "takes a point alone (offline): no NAME, --country or --geocoder", param_hint="--reverse"
            )
        if not max_km > 0:
            raise InputError(f"--max-km must be positive, not {max_km}")
        rows = _reverse_rows(reverse, limit=limit, max_km=max_km, gazetteer=gazetteer)
        if not rows:
            raise PlaceNotFound(f"no town within {max_km:g} km of {reverse.strip()}")
        _show(rows, title=f"near {reverse.strip()}", score="km", as_json=as_json)
        return
    if name is None or not name.strip():
        raise InputError("empty place name")
    if country is not None and (len(country.strip()) != 2 or not country.strip().isalpha()):
        raise InputError(f"--country takes a two-letter ISO code such as IQ, not {country!r}")
    country = country.strip().upper() if country else None
    review = None
    if corrections is not None or deny is not None:
        from geomap.gazetteer import Gazetteer
        from geomap.review import Review

        check_review(bias=None, corrections=corrections, deny=deny)
        review = Review.load(corrections=corrections, deny=deny, gazetteer=Gazetteer.open(gazetteer))
    rows = _rows(name, country=country, limit=limit, geocoder=geocoder, gazetteer=gazetteer, review=review)
    if not rows:
        where = f" in {country}" if country else ""
        raise PlaceNotFound(f"no place named {name!r}{where} ({geocoder})")
    _show(rows, title=f"{name} ({geocoder})", score="score", as_json=as_json)


def _show(rows: list[tuple[Place, float | None]], *, title: str, score: str, as_json: bool) -> None:
    """Print candidates as a table, or JSON; ``score`` names the number beside each place."""
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "name": p.name,
                        "country_code": p.country_code,
                        "country": p.country,
                        "admin1": p.admin1,
                        "kind": p.kind,
                        "feature_code": p.feature_code,
                        "lat": p.lat,
                        "lon": p.lon,
                        "population": p.population,
                        "geonameid": p.geonameid,
                        "source": p.source,
                        "geocoder": p.geocoder,
                        score: s,
                    }
                    for p, s in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for col, justify in (
        ("name", "left"),
        ("country", "left"),
        ("admin1", "left"),
        ("type", "left"),
        ("lat", "right"),
        ("lon", "right"),
        ("population", "right"),
        (score, "right"),
    ):
        table.add_column(col, justify=justify)
    for p, s in rows:
        kind = f"{p.kind} ({p.feature_code})" if p.feature_code else p.kind
        table.add_row(
            p.name,
            p.country_code or "",
            p.admin1 or "",
            kind,
            f"{p.lat:.4f}",
            f"{p.lon:.4f}",
            f"{p.population:,}" if p.population else "",
            "" if s is None else f"{s:.3f}",
        )
    Console(width=max(100, Console().width)).print(table)


def register(app: typer.Typer) -> None:
    """Add the ``geocode`` command to ``app``."""
    app.command("geocode")(geocode_cmd)
