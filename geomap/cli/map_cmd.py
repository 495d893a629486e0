"""`geomap map`: articles in, an interactive event map out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geomap.cli.common import (
    Bias,
    Corrections,
    Countries,
    Deny,
    Encoding,
    Exclude,
    Gazetteer,
    GeocoderOpt,
    Include,
    Inputs,
    Jobs,
    MinConfidence,
    Model,
    Published,
    Quiet,
    Since,
    Types,
    Undated,
    Unplaced,
    Until,
    apply_filter,
    check_article_options,
    check_filter_options,
    load_documents,
)

#: Base maps that need no API key (folium/xyzservices names), and "none" for no tiles.
TILES = ("OpenStreetMap", "OpenTopoMap", "none")
#: The option of each parameter that library messages about the outputs name.
OUTPUT_FLAGS = {"embed": "--embed", "assets": "--assets", "png": "--png", "events_path": "--events", "map_path": "-o"}


def check_tiles(tiles: str) -> str | None:
    """The canonical name of a ``--tiles`` choice (any case), None for "none"; InputError otherwise."""
    from geomap.errors import InputError

    wanted = " ".join(tiles.split()).lower()
    for name in TILES:
        if name.lower() == wanted:
            return None if name == "none" else name
    raise InputError(f"--tiles must be one of {', '.join(TILES)}, not {tiles!r}")


def flagged(exc: Exception) -> Exception:
    """A library error about an output parameter ("png: …") as the same error naming the option."""
    name, sep, rest = str(exc).partition(": ")
    return type(exc)(f"{OUTPUT_FLAGS[name]}: {rest}") if sep and name in OUTPUT_FLAGS else exc


def read_events_datasets(inputs: list[Path], *, incidents: bool = False):
    """The events tables named on the command line, as one frame (event stores' incidents with
    ``incidents``)."""
    import geopandas as gpd
    import pandas as pd

    from geomap.io.events_dataset import read_events_dataset

    tables = [read_events_dataset(p, incidents=incidents) for p in inputs]
    if len(tables) == 1:
        return tables[0]
    return gpd.GeoDataFrame(pd.concat(tables, ignore_index=True), crs=tables[0].crs)


def register(app: typer.Typer) -> None:
    @app.command("map")
    def map_command(
        ctx: typer.Context,
        inputs: Inputs,
        output: Annotated[Path, typer.Option("--output", "-o", help="Map file to write (.html or .htm).")] = Path(
            "outputs/map.html"
        ),
        published: Published = None,
        model: Model = None,
        geocoder: GeocoderOpt = "offline",
        gazetteer: Gazetteer = None,
        encoding: Encoding = None,
        include: Include = None,
        exclude: Exclude = None,
        bias: Bias = None,
        corrections: Corrections = None,
        deny: Deny = None,
        title: Annotated[str | None, typer.Option("--title", help="Map title.", rich_help_panel="Map")] = None,
        embed: Annotated[
            str,
            typer.Option(
                "--embed",
                help="page (full HTML), fragment (a div + scripts to paste into a report) or iframe (srcdoc).",
                rich_help_panel="Map",
            ),
        ] = "page",
        assets: Annotated[
            str,
            typer.Option(
                "--assets",
                help="With --embed fragment: inline (in the fragment) "
                "or sidecar (one shared geomap-assets-<hash>.js file "
                "beside it, for several fragments on one page).",
                rich_help_panel="Map",
            ),
        ] = "inline",
        png: Annotated[Path | None, typer.Option("--png", help="Also save a PNG (needs chromium).")] = None,
        events_out: Annotated[
            Path | None,
            typer.Option(
                "--events", help="Also write the events table (.geojson, .csv, .parquet, .gpkg, .kml, .shp, .shp.zip)."
            ),
        ] = None,
        cdn: Annotated[
            bool,
            typer.Option(
                "--cdn",
                help="Link Leaflet from CDNs instead of inlining it (smaller file, needs the network).",
                rich_help_panel="Map",
            ),
        ] = False,
        tiles: Annotated[
            str,
            typer.Option(
                "--tiles",
                help="Base map: OpenStreetMap, OpenTopoMap or none (offline outlines).",
                rich_help_panel="Map",
            ),
        ] = "OpenStreetMap",
        slider: Annotated[
            bool, typer.Option("--slider/--no-slider", help="Time slider over event dates.", rich_help_panel="Map")
        ] = True,
        cluster: Annotated[
            bool, typer.Option("--cluster/--no-cluster", help="Cluster nearby markers.", rich_help_panel="Map")
        ] = True,
        since: Since = None,
        until: Until = None,
        types: Types = None,
        country: Countries = None,
        min_confidence: MinConfidence = None,
        undated: Undated = "keep",
        unplaced: Unplaced = "keep",
        from_events: Annotated[
            bool,
            typer.Option(
                "--from-events",
                help="The inputs are events tables (.parquet, .geojson, .gpkg, .csv, or a folder "
                "of parquet parts), not articles; found by itself for all but .csv.",
            ),
        ] = False,
        aggregate: Annotated[
            bool | None,
            typer.Option(
                "--aggregate/--no-aggregate",
                help="Grid counts until zoomed in (default: past 5,000 events).",
                show_default=False,
                rich_help_panel="Map",
            ),
        ] = None,
        jobs: Jobs = None,
        incidents: Annotated[
            bool,
            typer.Option(
                "--incidents",
                help="With an event store (geomap update): draw its incidents, sized by their number of sources.",
            ),
        ] = False,
        quiet: Quiet = False,
    ) -> None:
        """Geoparse articles and write an interactive map of their dated events.

        Every option is checked before any work, and the map, --events and --png files replace
        existing ones only once all of them are made: a failed run changes none of them.
        """
        from geomap.api import frames
        from geomap.errors import GeomapError, InputError
        from geomap.io.events_dataset import is_events_dataset
        from geomap.io.outputs import check_outputs, write_outputs
        from geomap.mapping import make_map

        try:
            check_outputs(output, embed=embed, png=png, events_path=events_out, assets=assets)
        except GeomapError as exc:
            raise flagged(exc) from None
        tile_name = check_tiles(tiles)
        options = check_article_options(ctx.params)
        event_filter = check_filter_options(ctx.params)

        if from_events or all(is_events_dataset(p) for p in inputs):
            documents = []
            events = read_events_datasets(inputs, incidents=incidents)
        elif incidents:
            raise InputError("--incidents needs an event store (made by `geomap update`) as input")
        else:
            documents = load_documents(inputs, options, quiet=quiet)
            _, events = frames(documents)
        events = apply_filter(event_filter, events, quiet=quiet)
        if title is None and len(documents) == 1:
            title = documents[0].article.title
        m = make_map(
            events,
            title=title,
            tiles=tile_name,
            cluster=cluster,
            time_slider=slider,
            offline=not cdn,
            aggregate=aggregate,
        )
        if "new" in events:  # an event store's: its incidents, and what the last update added
            from geomap.store.overlay import add_store_layers

            add_store_layers(m, events, incidents=incidents)
        write_outputs(
            m,
            output,
            embed=embed,
            events=events if events_out is not None else None,
            events_path=events_out,
            png=png,
            assets=assets,
        )
        if not quiet and not documents:
            typer.echo(f"{len(events)} event rows read from {len(inputs)} table(s)", err=True)
        elif not quiet:
            placed = int(events.geometry.notna().sum()) if len(events) else 0
            typer.echo(
                f"{len(documents)} article(s), {sum(len(d.mentions) for d in documents)} place mentions, "
                f"{sum(len(d.events) for d in documents)} events ({placed} mapped rows)",
                err=True,
            )
            for path in (events_out, png):
                if path is not None:
                    typer.echo(f"wrote {path}", err=True)
        typer.echo(f"map: {output}")
