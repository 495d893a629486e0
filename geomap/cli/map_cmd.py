"""`geomap map`: articles in, an interactive event map out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from geomap.cli.common import GeocoderOpt, Gazetteer, Inputs, Model, Published, Quiet, load_documents

EMBEDS = ("page", "fragment", "iframe")


def register(app: typer.Typer) -> None:
    @app.command("map")
    def map_command(
        inputs: Inputs,
        output: Annotated[Path, typer.Option("--output", "-o", help="Map file to write.")] = Path("outputs/map.html"),
        published: Published = None,
        model: Model = None,
        geocoder: GeocoderOpt = "offline",
        gazetteer: Gazetteer = None,
        title: Annotated[Optional[str], typer.Option("--title", help="Map title.")] = None,
        embed: Annotated[str, typer.Option("--embed", help="page (full HTML), fragment (a div + scripts "
                                                            "to paste into a report) or iframe (srcdoc).")] = "page",
        png: Annotated[Optional[Path], typer.Option("--png", help="Also save a PNG (needs chromium).")] = None,
        events_out: Annotated[Optional[Path], typer.Option(
            "--events", help="Also write the events table (.geojson, .csv, .parquet, .gpkg).")] = None,
        cdn: Annotated[bool, typer.Option("--cdn", help="Link Leaflet from CDNs instead of inlining it "
                                                        "(smaller file, needs the network).")] = False,
        tiles: Annotated[str, typer.Option("--tiles", help="Base map: OpenStreetMap, OpenTopoMap, or none.")] = "OpenStreetMap",
        slider: Annotated[bool, typer.Option("--slider/--no-slider", help="Time slider over event dates.")] = True,
        cluster: Annotated[bool, typer.Option("--cluster/--no-cluster", help="Cluster nearby markers.")] = True,
        quiet: Quiet = False,
    ) -> None:
        """Geoparse articles and write an interactive map of their dated events."""
        from geomap.api import frames
        from geomap.errors import InputError
        from geomap.io.export import write_frame
        from geomap.mapping import make_map, render_png, write_map

        if embed not in EMBEDS:
            raise InputError(f"--embed must be one of {', '.join(EMBEDS)}, not {embed!r}")
        documents = load_documents(inputs, published=published, model=model, geocoder=geocoder,
                                   gazetteer=gazetteer, quiet=quiet)
        _, events = frames(documents)
        if title is None and len(documents) == 1:
            title = documents[0].article.title
        m = make_map(events, title=title, tiles=None if tiles.lower() == "none" else tiles,
                     cluster=cluster, time_slider=slider, offline=not cdn)
        written = write_map(m, output, embed=embed)
        if events_out is not None:
            write_frame(events, events_out)
        if png is not None:
            if embed != "page":
                raise InputError("--png needs --embed page")
            render_png(written, png)
        if not quiet:
            placed = int(events.geometry.notna().sum()) if len(events) else 0
            typer.echo(f"{len(documents)} article(s), {sum(len(d.mentions) for d in documents)} place mentions, "
                       f"{sum(len(d.events) for d in documents)} events ({placed} mapped rows)", err=True)
            for path in (events_out, png):
                if path is not None:
                    typer.echo(f"wrote {path}", err=True)
        typer.echo(f"map: {written}")
