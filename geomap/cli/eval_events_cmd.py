"""``geomap eval-events``: score extracted events against coded ones (thin wrapper over geomap.eval)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geomap.errors import InputError


def register(app: typer.Typer) -> None:
    """Add the ``eval-events`` command to the geomap CLI."""
    app.command(
        "eval-events",
        help="Measure event extraction (date, place, type) on gold event JSONL "
        "files, beside the naive first-place-named rule.",
    )(eval_events_command)
    register_news(app)


def eval_events_command(
    files: Annotated[
        list[Path],
        typer.Argument(help="Gold event corpora, JSON Lines (see docs/events-accuracy.md).", show_default=False),
    ],
    limit: Annotated[int | None, typer.Option("--limit", help="At most N records per corpus.")] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write every figure and per-record outcome to this JSON file.")
    ] = None,
    model: Annotated[str | None, typer.Option("--model", help="spaCy model for the geoparser.")] = None,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Progress bar on stderr.")] = True,
) -> None:
    from rich.console import Console

    from geomap.eval.event_corpus import read_event_corpus
    from geomap.eval.event_report import print_event_results
    from geomap.eval.event_runner import evaluate_events
    from geomap.eval.report import write_json
    from geomap.settings import Settings

    if limit is not None and limit < 1:
        raise InputError(f"--limit must be at least 1, not {limit}")
    for f in files:  # check every corpus before loading the model
        read_event_corpus(f)
    geoparser = Settings(model=model).load()
    results = [evaluate_events(f, geoparser, limit=limit, progress=progress) for f in files]
    console = Console()
    if not console.is_terminal:
        console = Console(width=160)
    print_event_results(results, console)
    if json_out is not None:
        write_json(json_out, results, kind="events", model=model, limit=limit)
        console.print(f"wrote {json_out}")


def register_news(app: typer.Typer) -> None:
    app.command(
        "eval-news-events",
        help="Measure events on real news articles against hand-coded events "
        "(annotations by document id and offsets), beside a naive rule.",
    )(eval_news_events_command)


def eval_news_events_command(
    annotations: Annotated[
        Path, typer.Argument(help="Hand-coded events, JSON Lines (see docs/events-accuracy.md).", show_default=False)
    ],
    corpora: Annotated[
        list[Path], typer.Argument(help="Toponym corpora (geomap eval format) holding the texts.", show_default=False)
    ],
    json_out: Annotated[
        Path | None,
        typer.Option("--json", help="Write the figures, the misses and the false events to this JSON file."),
    ] = None,
    model: Annotated[str | None, typer.Option("--model", help="spaCy model for the geoparser.")] = None,
) -> None:
    from rich.console import Console

    from geomap.eval.event_news import coded_articles, score_news
    from geomap.eval.event_report import print_news_results
    from geomap.eval.report import write_json
    from geomap.settings import Settings

    pairs = coded_articles(annotations, corpora)  # check every input before loading the model
    geoparser = Settings(model=model).load()
    documents = geoparser.parse_articles([a for _, a in pairs])
    result = score_news(pairs, documents, name=annotations.stem)
    console = Console()
    if not console.is_terminal:
        console = Console(width=160)
    print_news_results(result, console)
    if json_out is not None:
        write_json(json_out, [result], kind="news-events", model=model)
        console.print(f"wrote {json_out}")
