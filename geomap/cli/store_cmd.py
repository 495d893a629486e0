"""`geomap update` (articles into an event store) and `geomap store check|info`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geomap.cli.common import (
    Bias,
    Corrections,
    Deny,
    Encoding,
    Gazetteer,
    GeocoderOpt,
    Inputs,
    Jobs,
    Model,
    Published,
    Quiet,
    check_encoding,
    check_published,
    check_review,
)

Store = Annotated[
    Path, typer.Argument(help="The store: one SQLite file (made by the first update).", show_default=False)
]


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
        watch: Annotated[
            str | None,
            typer.Option(
                "--watch",
                metavar="TIME",
                help="Poll the feeds (URLs, or a .txt file of them) every TIME "
                "(30s, 15m, 1h) until Ctrl-C, one line per round on stderr.",
                show_default=False,
                rich_help_panel="Watch",
            ),
        ] = None,
        rounds: Annotated[
            int | None,
            typer.Option(
                "--rounds",
                min=1,
                metavar="N",
                help="With --watch: stop after this many rounds.",
                show_default=False,
                rich_help_panel="Watch",
            ),
        ] = None,
        map_file: Annotated[
            Path | None,
            typer.Option(
                "--map",
                metavar="FILE",
                help="With --watch: write the store's map (.html) after each round that adds rows.",
                show_default=False,
                rich_help_panel="Watch",
            ),
        ] = None,
        incidents: Annotated[
            bool,
            typer.Option(
                "--incidents",
                help="With --map: draw incidents, sized by their number of sources.",
                rich_help_panel="Watch",
            ),
        ] = False,
        budget: Annotated[
            str | None,
            typer.Option(
                "--budget",
                metavar="TIME",
                help="With --watch: time a round may spend on requests "
                "(default: the interval); the rest waits for the next round.",
                show_default=False,
                rich_help_panel="Watch",
            ),
        ] = None,
        host_interval: Annotated[
            str,
            typer.Option(
                "--host-interval",
                metavar="TIME",
                help="With --watch: least time between two requests to one host (default: 1s).",
                show_default=False,
                rich_help_panel="Watch",
            ),
        ] = "1s",
        retries: Annotated[
            int,
            typer.Option(
                "--retries",
                min=0,
                metavar="N",
                help="With --watch: retries of a request that timed out or got "
                "HTTP 429/5xx, after 1, 2, 4 … seconds (default: 3).",
                show_default=False,
                rich_help_panel="Watch",
            ),
        ] = 3,
        quiet: Quiet = False,
    ) -> None:
        """Add the new articles of the inputs to an event store, in one transaction.

        Articles already stored (same canonical URL, else same text) are not parsed again; a
        record that cannot be read or parsed is listed in the store's errors table and skipped.
        With --watch the feeds are polled round after round (conditional requests, a per-host
        interval, retries), each round one transaction.
        """
        from geomap.scale import check_jobs
        from geomap.settings import Settings
        from geomap.store import update_store
        from geomap.tools.progress import counting_bar

        published_date = check_published(published)
        encoding = check_encoding(encoding)
        check_review(bias=bias, corrections=corrections, deny=deny)
        settings = Settings(model, gazetteer, geocoder, bias, corrections, deny)
        if watch is not None or rounds is not None or map_file is not None or budget is not None:
            _watch(
                store,
                inputs,
                watch=watch,
                rounds=rounds,
                map_file=map_file,
                incidents=incidents,
                budget=budget,
                host_interval=host_interval,
                retries=retries,
                settings=settings,
                published=published_date,
                encoding=encoding,
                jobs=check_jobs(jobs),
            )
            return
        with counting_bar(enabled=not quiet) as (set_total, advance):
            summary = update_store(
                store,
                inputs,
                settings=settings,
                published=published_date,
                encoding=encoding,
                jobs=check_jobs(jobs),
                progress=advance,
                on_total=set_total,
            )
        typer.echo(summary.line())

    def _watch(
        store: Path, inputs, *, watch, rounds, map_file, incidents, budget, host_interval, retries, **options
    ) -> None:
        import sys

        from geomap.cli.status import INTERRUPTED
        from geomap.errors import InputError
        from geomap.store.feeds import FeedReader
        from geomap.store.watch import feed_urls, map_writer, parse_interval
        from geomap.store.watch import watch as watch_feeds

        if watch is None:
            raise InputError("--rounds, --map and --budget go with --watch INTERVAL")
        interval = parse_interval(watch)
        round_budget = parse_interval(budget, what="--budget") if budget is not None else None
        reader = FeedReader(min_interval=parse_interval(host_interval, what="--host-interval"), retries=retries)
        if map_file is not None and map_file.suffix.lower() not in (".html", ".htm"):
            raise InputError(f"{map_file}: the map is HTML; name it .html or .htm")
        feed_urls([str(i) for i in inputs])  # a bad input fails now, before the first round
        done = [0]

        def report(r) -> None:
            done[0] = r.number
            typer.echo(r.line(), err=True)

        try:
            watch_feeds(
                store,
                [str(i) for i in inputs],
                interval=interval,
                rounds=rounds,
                budget=round_budget,
                reader=reader,
                on_round=report,
                write_map=map_writer(store, map_file, incidents=incidents) if map_file else None,
                **options,
            )
        except KeyboardInterrupt:
            typer.echo(f"error: interrupted after {done[0]} round(s); {store} holds every finished round", err=True)
            sys.exit(INTERRUPTED)

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
            last = conn.execute(
                "SELECT run_id, finished, geomap_version FROM runs ORDER BY run_id DESC LIMIT 1"
            ).fetchone()
        finally:
            conn.close()
        typer.echo(", ".join(f"{n} {t}" for t, n in counts.items()))
        if last:
            typer.echo(f"last update: run {last[0]} at {last[1]} (geomap {last[2]})")
