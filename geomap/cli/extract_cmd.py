"""`geomap extract`: articles in, the events (or mentions) GeoDataFrame out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from geomap.cli.common import (
    Encoding, GeocoderOpt, Gazetteer, Inputs, Jobs, Model, Published, Quiet, check_encoding, check_published,
    counting_bar, load_documents,
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
        dask: Annotated[Optional[str], typer.Option(
            "--dask", help="Run on the dask.distributed scheduler at this address (or $GEOMAP_DASK); "
            "-o is then a partitioned GeoParquet folder on storage every worker sees.")] = None,
        resume: Annotated[bool, typer.Option(
            "--resume", help="Keep the parts of the -o folder already made from the same inputs and "
            "settings; make the rest.")] = False,
        errors: Annotated[Optional[Path], typer.Option(
            "--errors", help="Where a folder output lists skipped records [default: <folder>/_errors.jsonl].")] = None,
        partition_size: Annotated[int, typer.Option(
            "--partition-size", min=1, help="Records per partition of a folder output.")] = 500,
        quiet: Quiet = False,
    ) -> None:
        """Geoparse articles and write their events (one row per event and place) as a table.

        An -o without extension (or --dask, --resume) writes a partitioned GeoParquet folder,
        one part per input partition, streaming: bad records are skipped and listed, not fatal.
        """
        from geomap.api import frames
        from geomap.io.export import format_for, write_frame
        from geomap.scale.dask_run import scheduler_address
        from geomap.scale.run import is_folder_target

        # every option is checked before the slow part
        published_date = check_published(published)
        encoding = check_encoding(encoding)
        # --dask makes -o a folder; $GEOMAP_DASK is used when -o is a folder anyway
        if is_folder_target(output, fmt, dask=dask, resume=resume):
            dask = scheduler_address(dask)
            _extract_folder(inputs, output, mentions=mentions, published=published_date, model=model,
                            geocoder=geocoder, gazetteer=gazetteer, encoding=encoding, jobs=jobs, dask=dask,
                            resume=resume, errors=errors, size=partition_size, quiet=quiet)
            return
        if errors is not None:
            from geomap.errors import InputError

            raise InputError("--errors lists the records a folder output skips; give -o a folder (no extension)")
        format_for(output, fmt)
        documents = load_documents(inputs, published=published_date, model=model, geocoder=geocoder,
                                   gazetteer=gazetteer, quiet=quiet, encoding=encoding, jobs=jobs)
        mentions_gdf, events_gdf = frames(documents)
        table = mentions_gdf if mentions else events_gdf
        written = write_frame(table, output, fmt=fmt)
        typer.echo(f"{len(table)} rows: {written}")


def _extract_folder(inputs, output: Path, *, mentions: bool, published, model, geocoder, gazetteer,
                    encoding, jobs, dask, resume, errors, size, quiet) -> None:
    from geomap.errors import InputError
    from geomap.scale import Settings, check_jobs
    from geomap.scale.run import run_dataset

    if not inputs:
        raise InputError("no input given")
    settings = Settings(model, str(gazetteer) if gazetteer else None, geocoder)
    with counting_bar(enabled=not quiet) as (set_total, advance):
        summary = run_dataset(inputs, output, settings=settings, table="mentions" if mentions else "events",
                              published=published, encoding=encoding, jobs=check_jobs(jobs), dask=dask,
                              resume=resume, errors=errors, size=size, progress=advance, on_plan=set_total)
    if not quiet and summary.n_resumed:
        typer.echo(f"resumed: {summary.n_resumed} of {summary.n_parts} parts were already made", err=True)
    if summary.n_errors:
        typer.echo(f"{summary.n_errors} record(s) skipped: see {summary.errors_file}", err=True)
    typer.echo(f"{summary.n_rows} rows in {summary.n_parts - summary.n_resumed} new part(s) "
               f"({summary.n_parts} in all): {output}")
