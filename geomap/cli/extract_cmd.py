"""`geomap extract`: articles in, the events (or mentions) GeoDataFrame out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from geomap.cli.common import (
    Encoding, GeocoderOpt, Gazetteer, Inputs, Jobs, Model, Published, Quiet, check_encoding, check_published,
    load_documents,
)


def register(app: typer.Typer) -> None:
    @app.command("extract")
    def extract_command(
        inputs: Inputs,
        output: Annotated[Path, typer.Option("--output", "-o", help="File to write; the format follows the "
                                                                    "extension: .geojson, .csv, .parquet, .gpkg.")],
        mentions: Annotated[bool, typer.Option("--mentions", help="Write the place mentions instead of events.")] = False,
        fmt: Annotated[Optional[str], typer.Option("--format", help="Override the format: geojson, csv, parquet, gpkg.")] = None,
        published: Published = None,
        model: Model = None,
        geocoder: GeocoderOpt = "offline",
        gazetteer: Gazetteer = None,
        encoding: Encoding = None,
        jobs: Jobs = None,
        quiet: Quiet = False,
    ) -> None:
        """Geoparse articles and write their events (one row per event and place) as a table."""
        from geomap.api import frames
        from geomap.io.export import format_for, write_frame

        # every option is checked before the slow part
        format_for(output, fmt)
        published_date = check_published(published)
        encoding = check_encoding(encoding)
        documents = load_documents(inputs, published=published_date, model=model, geocoder=geocoder,
                                   gazetteer=gazetteer, quiet=quiet, encoding=encoding, jobs=jobs)
        mentions_gdf, events_gdf = frames(documents)
        table = mentions_gdf if mentions else events_gdf
        written = write_frame(table, output, fmt=fmt)
        typer.echo(f"{len(table)} rows: {written}")
