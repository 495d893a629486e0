"""`geomap extract`: articles in, the events (or mentions) GeoDataFrame out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geomap.cli.common import (
    ArticleOptions,
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
from geomap.tools.progress import counting_bar


def register(app: typer.Typer) -> None:
    @app.command("extract")
    def extract_command(
        ctx: typer.Context,
        inputs: Inputs,
        output: Annotated[
            Path,
            typer.Option(
                "--output",
                "-o",
                help="File to write; the format follows the "
                "extension: .geojson, .csv, .parquet, .gpkg, .kml, "
                ".shp, .shp.zip.",
            ),
        ],
        mentions: Annotated[
            bool, typer.Option("--mentions", help="Write the place mentions instead of events.")
        ] = False,
        fmt: Annotated[
            str | None,
            typer.Option("--format", help="Override the format: geojson, csv, parquet, gpkg, kml, shp, shp.zip."),
        ] = None,
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
        since: Since = None,
        until: Until = None,
        types: Types = None,
        country: Countries = None,
        min_confidence: MinConfidence = None,
        undated: Undated = "keep",
        unplaced: Unplaced = "keep",
        jobs: Jobs = None,
        dask: Annotated[
            str | None,
            typer.Option(
                "--dask",
                help="Run on the dask.distributed scheduler at this address (or $GEOMAP_DASK); "
                "-o is then a partitioned GeoParquet folder on storage every worker sees.",
                rich_help_panel="Run",
            ),
        ] = None,
        resume: Annotated[
            bool,
            typer.Option(
                "--resume",
                help="Keep the parts of the -o folder already made from the same inputs and settings; make the rest.",
                rich_help_panel="Run",
            ),
        ] = False,
        errors: Annotated[
            Path | None,
            typer.Option(
                "--errors",
                help="Where a folder output lists skipped records (default: <folder>/_errors.jsonl).",
                rich_help_panel="Run",
            ),
        ] = None,
        partition_size: Annotated[
            int,
            typer.Option(
                "--partition-size",
                min=1,
                metavar="N",
                help="Records per partition of a folder output.",
                rich_help_panel="Run",
            ),
        ] = 500,
        store_table: Annotated[
            str | None,
            typer.Option(
                "--table",
                help="With an event store (geomap update) as input: the table to write: events "
                "(default), mentions, incidents, articles, errors or runs.",
            ),
        ] = None,
        quiet: Quiet = False,
    ) -> None:
        """Geoparse articles and write their events (one row per event and place) as a table.

        An -o without extension (or --dask, --resume) writes a partitioned GeoParquet folder,
        one part per input partition, streaming: bad records are skipped and listed, not fatal.
        """
        from geomap.api import frames
        from geomap.errors import InputError
        from geomap.io.export import format_for, write_frame
        from geomap.scale.dask_run import scheduler_address
        from geomap.scale.run import is_folder_target

        # every option is checked before the slow part
        options = check_article_options(ctx.params)
        event_filter = check_filter_options(ctx.params)
        if mentions and event_filter.active:
            raise typer.BadParameter(
                "the filters select events; they cannot be used with --mentions", param_hint="'--mentions'"
            )
        if store_table is not None or (len(inputs) == 1 and _is_store(inputs[0])):
            from geomap.store.export import export_store

            if (
                len(inputs) == 1
                and store_table in (None, "events")
                and not mentions
                and not dask
                and not resume
                and is_folder_target(output, fmt)
            ):
                from geomap.store.datasets import export_partitioned  # the folder a --dask run writes

                rows, parts = export_partitioned(
                    inputs[0],
                    output,
                    size=partition_size,
                    narrow=(lambda f: apply_filter(event_filter, f, quiet=quiet)) if event_filter.active else None,
                )
                typer.echo(f"{rows} rows in {parts} part(s): {output}")
                return

            rows = export_store(
                inputs[0] if len(inputs) == 1 else "",
                output,
                table=store_table,
                mentions=mentions,
                fmt=fmt,
                narrow=(lambda f: apply_filter(event_filter, f, quiet=quiet)) if event_filter.active else None,
            )
            typer.echo(f"{rows} rows: {output}")
            return
        # --dask makes -o a folder; $GEOMAP_DASK is used when -o is a folder anyway
        try:
            folder_target = is_folder_target(output, fmt, dask=dask, resume=resume)
        except InputError as exc:  # "output: a Dask or resumed run …"
            raise InputError(f"--dask and --resume: {str(exc).removeprefix('output: ')} (-o {output})") from None
        if folder_target:
            if event_filter.active or bias or corrections or deny:
                raise typer.BadParameter(
                    "a folder output takes no filters or review settings yet; "
                    "filter the dataset with `geomap map DIR --since …`",
                    param_hint="'-o'",
                )
            dask = scheduler_address(dask)
            _extract_folder(
                inputs,
                output,
                options,
                mentions=mentions,
                dask=dask,
                resume=resume,
                errors=errors,
                size=partition_size,
                quiet=quiet,
            )
            return
        if errors is not None:
            raise InputError("--errors lists the records a folder output skips; give -o a folder (no extension)")
        format_for(output, fmt)
        documents = load_documents(inputs, options, quiet=quiet)
        mentions_gdf, events_gdf = frames(documents)
        table = mentions_gdf if mentions else apply_filter(event_filter, events_gdf, quiet=quiet)
        written = write_frame(table, output, fmt=fmt)
        typer.echo(f"{len(table)} rows: {written}")


def _extract_folder(
    inputs, output: Path, options: ArticleOptions, *, mentions: bool, dask, resume, errors, size, quiet
) -> None:
    from geomap.errors import InputError
    from geomap.scale.run import run_dataset

    if not inputs:
        raise InputError("no input given")
    with counting_bar(enabled=not quiet) as (set_total, advance):
        summary = run_dataset(
            inputs,
            output,
            settings=options.settings,
            table="mentions" if mentions else "events",
            published=options.published,
            encoding=options.encoding,
            jobs=options.jobs,
            dask=dask,
            resume=resume,
            errors=errors,
            size=size,
            progress=advance,
            on_plan=set_total,
            selection=options.selection,
        )
    if not quiet and summary.n_resumed:
        typer.echo(f"resumed: {summary.n_resumed} of {summary.n_parts} parts were already made", err=True)
    if summary.n_errors:
        typer.echo(f"{summary.n_errors} record(s) skipped: see {summary.errors_file}", err=True)
    typer.echo(
        f"{summary.n_rows} rows in {summary.n_parts - summary.n_resumed} new part(s) "
        f"({summary.n_parts} in all): {output}"
    )


def _is_store(path: str) -> bool:
    from geomap.store.db import is_store

    return is_store(path)
