"""``geomap eval``: score the geoparser on gold corpora (thin wrapper over geomap.eval)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geomap.cli.common import Jobs
from geomap.errors import InputError, ModelError


def register(app: typer.Typer) -> None:
    """Add the ``eval`` command to the geomap CLI."""
    app.command("eval", help="Measure toponym recognition and resolution on gold JSONL corpora.")(eval_command)


def eval_command(
    files: Annotated[
        list[Path], typer.Argument(help="Gold corpora, JSON Lines (see docs/accuracy.md).", show_default=False)
    ],
    gold_spans: Annotated[
        bool, typer.Option("--gold-spans", help="Give the resolver the gold spans; score resolution only.")
    ] = False,
    split: Annotated[str, typer.Option("--split", help="dev, test or all (halves by hashed document id).")] = "all",
    limit: Annotated[int | None, typer.Option("--limit", help="At most N documents per corpus.")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write every figure to this JSON file.")] = None,
    errors_out: Annotated[
        Path | None,
        typer.Option(
            "--errors",
            help="Write every toponym's outcome (right, wrong, unplaced, missed, spurious) "
            "to this JSON Lines file, for error analysis.",
        ),
    ] = None,
    model: Annotated[str | None, typer.Option("--model", help="spaCy model for the geoparser.")] = None,
    recognizer: Annotated[
        str | None,
        typer.Option("--recognizer", metavar="FILE", help="Place classifier: shipped, none (rules) or a file."),
    ] = None,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Progress bar on stderr.", rich_help_panel="Run")
    ] = True,
    jobs: Jobs = None,
) -> None:
    from rich.console import Console

    from geomap.eval.corpus import SPLITS, read_corpus, select
    from geomap.eval.report import print_results, write_json
    from geomap.eval.runner import BATCH_SIZE, evaluate, write_outcomes

    if split not in SPLITS:
        raise InputError(f"--split must be one of {', '.join(SPLITS)}, not {split!r}")
    # check every corpus before loading the model, so a typo fails in a second, not a minute
    n_docs = max([len(select(read_corpus(f), split, limit)) for f in files] or [0])
    try:
        import geomap.pipeline  # noqa: F401  (spaCy imports: a broken install is one line, not a traceback)
    except ImportError as exc:
        raise ModelError(f"the geoparser cannot be imported ({exc})") from None
    from geomap.scale import GeoparserPool, check_jobs, effective_jobs
    from geomap.settings import Settings

    settings = Settings(model=model, recognizer=recognizer)
    jobs = effective_jobs(check_jobs(jobs), n_docs, chunk=BATCH_SIZE)
    if jobs == 1:
        geoparser = settings.load()
        results = [
            evaluate(f, geoparser, gold_spans=gold_spans, split=split, limit=limit, progress=progress) for f in files
        ]
    else:
        from geomap.gazetteer import Gazetteer

        with GeoparserPool(jobs, settings) as pool:
            results = [
                evaluate(
                    f,
                    None,
                    gold_spans=gold_spans,
                    split=split,
                    limit=limit,
                    progress=progress,
                    pool=pool,
                    gazetteer=Gazetteer.open(),
                )
                for f in files
            ]
    console = Console()
    if not console.is_terminal:
        # logs and pipes get the whole table on one line per corpus instead of wrapped cells
        console = Console(width=200)
    print_results(results, console)
    if json_out is not None:
        write_json(json_out, results, model=model, split=split, gold_spans=gold_spans, limit=limit)
        console.print(f"wrote {json_out}")
    if errors_out is not None:
        write_outcomes(errors_out, results)
        console.print(f"wrote {errors_out}")
