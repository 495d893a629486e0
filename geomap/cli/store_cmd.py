"""`geomap update` (articles into an event store) and `geomap store check|info`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geomap.cli.common import (
    Bias, Corrections, Deny, Encoding, GeocoderOpt, Gazetteer, Inputs, Jobs, Model, Published, Quiet,
    check_encoding, check_published, check_review,
)

Store = Annotated[Path, typer.Argument(help="The store: one SQLite file (made by the first update).",
                                       show_default=False)]


def register(app: typer.Typer) -> None:
    @app.command("update")
    def update_command(
        store: Store,
        inputs: Inputs,
        published: Published = None,
        model: Model = None,
        geocoder: GeocoderOpt = "offline",
        gazetteer: Gazetteer = None,
        encoding: Encoding = None,
        bias: Bias = None,
        corrections: Corrections = None,
        deny: Deny = None,
        jobs: Jobs = None,
        quiet: Quiet = False,
    ) -> None:
        """Add the new articles of the inputs to an event store, in one transaction.

        Articles already stored (same canonical URL, else same text) are not parsed again; a
        record that cannot be read or parsed is listed in the store's errors table and skipped.
        """
        from geomap.scale import Settings, check_jobs
        from geomap.store import update_store
        from geomap.tools.progress import counting_bar

        published_date = check_published(published)
        encoding = check_encoding(encoding)
        check_review(bias=bias, corrections=corrections, deny=deny)
        settings = Settings(model, str(gazetteer) if gazetteer else None, geocoder, bias,
                            str(corrections) if corrections else None, str(deny) if deny else None)
        with counting_bar(enabled=not quiet) as (set_total, advance):
            summary = update_store(store, inputs, settings=settings, published=published_date,
                                   encoding=encoding, jobs=check_jobs(jobs), progress=advance, on_total=set_total)
        typer.echo(summary.line())

    group = typer.Typer(name="store", no_args_is_help=True, help="Check and describe an event store.")
    app.add_typer(group)

    @group.command("check")
    def check_command(store: Store) -> None:
        """Verify a store: SQLite's integrity check, then the rules between its tables."""
        from geomap.errors import StoreError
        from geomap.store import check_store

        problems = check_store(store)
        if problems:
            raise StoreError(f"{store}: {'; '.join(problems)}")
        typer.echo(f"{store}: ok")

    @group.command("info")
    def info_command(store: Store) -> None:
        """Rows per table and the last update of a store."""
        from geomap.store import open_store, store_counts

        counts = store_counts(store)
        conn = open_store(store)
        try:
            last = conn.execute("SELECT run_id, finished, geomap_version FROM runs ORDER BY run_id DESC "
                                "LIMIT 1").fetchone()
        finally:
            conn.close()
        typer.echo(", ".join(f"{n} {t}" for t, n in counts.items()))
        if last:
            typer.echo(f"last update: run {last[0]} at {last[1]} (geomap {last[2]})")
