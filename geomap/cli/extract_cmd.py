"""`geomap extract`: articles in, the events (or mentions) GeoDataFrame out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from geomap.cli.common import (
    Bias, Corrections, Countries, Deny, Encoding, GeocoderOpt, Gazetteer, Inputs, MinConfidence, Model, Published,
    Quiet, Since, Types,
    Until, apply_filter, check_encoding, check_filters, check_published, check_review, load_documents,
)


def register(app: typer.Typer) -> None:
    @app.command("extract")
    def extract_command(
        inputs: Inputs,
        output: Annotated[Path, typer.Option("--output", "-o", help="File to write; the format follows the "
                                                                    "extension: .geojson, .csv, .parquet, .gpkg, .kml, "
                                                                    ".shp, .shp.zip.")],
        mentions: Annotated[bool, typer.Option("--mentions", help="Write the place mentions instead of events.")] = False,
        fmt: Annotated[Optional[str], typer.Option("--format", help="Override the format: geojson, csv, parquet, gpkg, kml, shp, shp.zip.")] = None,
        published: Published = None,
        model: Model = None,
        geocoder: GeocoderOpt = "offline",
        gazetteer: Gazetteer = None,
        encoding: Encoding = None,
        bias: Bias = None,
        corrections: Corrections = None,
        deny: Deny = None,
        since: Since = None,
        until: Until = None,
        types: Types = None,
        country: Countries = None,
        min_confidence: MinConfidence = None,
        quiet: Quiet = False,
    ) -> None:
        """Geoparse articles and write their events (one row per event and place) as a table."""
        from geomap.api import frames
        from geomap.io.export import format_for, write_frame

        # every option is checked before the slow part
        format_for(output, fmt)
        published_date = check_published(published)
        encoding = check_encoding(encoding)
        check_review(bias=bias, corrections=corrections, deny=deny)
        event_filter = check_filters(since=since, until=until, types=types, countries=country,
                                     min_confidence=min_confidence)
        if mentions and event_filter.active:
            raise typer.BadParameter("the filters select events; they cannot be used with --mentions",
                                     param_hint="'--mentions'")
        documents = load_documents(inputs, published=published_date, model=model, geocoder=geocoder,
                                   gazetteer=gazetteer, quiet=quiet, encoding=encoding,
                                   bias=bias, corrections=corrections, deny=deny)
        mentions_gdf, events_gdf = frames(documents)
        table = mentions_gdf if mentions else apply_filter(event_filter, events_gdf, quiet=quiet)
        written = write_frame(table, output, fmt=fmt)
        typer.echo(f"{len(table)} rows: {written}")
