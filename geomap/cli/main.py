"""The ``geomap`` command line: a thin layer over the library.

Every command's errors are geomap exceptions with one-line messages; ``main`` prints them as
``error: …`` on stderr and exits with status 1, never with a traceback. Usage errors (an unknown
command or option, a missing argument, a value of the wrong type) are one line too, with status 2.
"""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer

from geomap.cli.status import INTERRUPTED
from geomap.errors import GeomapError
from geomap.tools.version import geomap_version

app = typer.Typer(
    name="geomap",
    no_args_is_help=True,
    add_completion=False,
    help="Turn news text into maps of dated events (spaCy + offline gazetteer + geopandas + folium).",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"geomap {geomap_version()}")
        raise typer.Exit()


#: Level of the "geomap" logger for each count of -v: warnings only, then progress, then details.
_VERBOSITY = (logging.WARNING, logging.INFO, logging.DEBUG)


@app.callback()
def _root(
    version: Annotated[
        bool | None, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = None,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="Say more on stderr: -v what geomap does, -vv details.")
    ] = 0,
) -> None:
    """geomap: news articles in, a map of dated events out."""
    logging.getLogger("geomap").setLevel(_VERBOSITY[min(verbose, len(_VERBOSITY) - 1)])


def _register_all() -> None:
    from geomap.cli import (
        eval_cmd,
        eval_events_cmd,
        extract_cmd,
        gazetteer_cmd,
        geocode_cmd,
        map_cmd,
        render_cmd,
    )

    for module in (map_cmd, extract_cmd, geocode_cmd, gazetteer_cmd, eval_cmd, eval_events_cmd, render_cmd):
        module.register(app)
    from geomap.cli import store_cmd

    store_cmd.register(app)  # noqa: E702 - update, store check|info


_register_all()


def _click_exceptions():
    """The exceptions module of the click that typer runs on.

    typer < 0.29 uses the ``click`` package; typer 0.29+ ships its own copy (``typer._click``),
    whose exceptions are not ``click``'s. ``typer.BadParameter`` is re-exported by both, so its
    module is the one whose exceptions the parser raises.
    """
    return sys.modules[typer.BadParameter.__module__]


#: Library phrases that have a command-line option, and the CLI's words for them: the library names
#: its own parameters, never a flag, and the command line says which option to use.
CLI_WORDS = {
    "give its encoding (e.g. latin-1)": "pass --encoding (e.g. --encoding latin-1)",
    "resume the run to finish it": "pass --resume to finish it",
    "or choose another model": "or pass --model",
    "give a publication date or a date field": "give --published or a date field",
    "a table export needs": "--table needs",
    "mentions=True and table=": "--mentions and --table ",
    "cannot be used with table=": "cannot be used with --table ",
    "a watch polls feeds": "--watch polls feeds",
    "a watch needs": "--watch needs",
    "an incidents map needs": "--incidents needs",
    "limit must be at least": "--limit must be at least",
}


def in_cli_words(message: str) -> str:
    """A library error message with its hints put in terms of the command's options."""
    for phrase, words in CLI_WORDS.items():
        message = message.replace(phrase, words)
    return message


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _usage_error(exc) -> int:
    """Print a usage error as one line (with where to get help) and return its exit status."""
    no_args = getattr(_click_exceptions(), "NoArgsIsHelpError", None)
    if no_args is not None and isinstance(exc, no_args):
        exc.show()  # `geomap` or `geomap gazetteer` alone: the help, as typer prints it
        return exc.exit_code
    ctx = getattr(exc, "ctx", None)
    hint = f" (see '{ctx.command_path if ctx is not None else 'geomap'} --help')"
    print(f"error: {_one_line(exc.format_message()).rstrip('.')}{hint}", file=sys.stderr)
    return exc.exit_code


class _StderrHandler(logging.Handler):
    """Log records as lines on whatever ``sys.stderr`` is at the time (it may be replaced):
    ``warning: …``, ``info: …``, ``debug: …``, their hints in the command's words (:data:`CLI_WORDS`)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = f"{record.levelname.lower()}: {in_cli_words(self.format(record))}"
            print(" ".join(line.split()), file=sys.stderr)
        except Exception:  # noqa: BLE001 - logging must never break a run
            self.handleError(record)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``geomap`` script and ``python -m geomap``."""
    # geopy's RateLimiter logs each retry with a traceback; the CLI reports the final error once.
    logging.getLogger("geopy").setLevel(logging.CRITICAL)
    # the article extractor's own notes ("empty tree", "no date found"): a page without text is
    # already one geomap warning naming the URL
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    # warnings of the library (e.g. an article skipped) as one "warning: …" line each on stderr;
    # -v/--verbose adds info and debug lines
    log = logging.getLogger("geomap")
    saved = (log.level, log.propagate)
    log.setLevel(logging.WARNING)
    handler = None
    if not any(isinstance(h, _StderrHandler) for h in log.handlers):
        handler = _StderrHandler()
        log.addHandler(handler)
        log.propagate = False
    try:
        _run(argv)
    finally:  # a command run in-process (a notebook, a test) leaves the library's logging as it was
        if handler is not None:
            log.removeHandler(handler)
            log.setLevel(saved[0])
            log.propagate = saved[1]


def _run(argv: list[str] | None) -> None:
    """The command of ``argv``, its errors as one line each and its exit status."""
    exceptions = _click_exceptions()
    exits = tuple({typer.Exit, getattr(exceptions, "Exit", typer.Exit)})
    # click turns Ctrl-C inside a command into Abort; geomap asks no questions, so Abort is Ctrl-C
    aborts = tuple({typer.Abort, getattr(exceptions, "Abort", typer.Abort)})
    try:
        command = typer.main.get_command(app)
        code = command.main(args=argv, prog_name="geomap", standalone_mode=False)
    except GeomapError as exc:
        print(f"error: {in_cli_words(str(exc))}", file=sys.stderr)
        sys.exit(1)
    except exits as exc:
        code = exc.exit_code
    except exceptions.UsageError as exc:
        sys.exit(_usage_error(exc))
    except exceptions.ClickException as exc:  # e.g. a FileError: one line, status 1
        print(f"error: {_one_line(exc.format_message())}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, *aborts):
        code = INTERRUPTED
    except OSError as exc:  # e.g. a disk full while writing: still one line, no traceback
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        sys.exit(1)
    if code == INTERRUPTED:
        # typer >= 0.29 turns Ctrl-C into a silent Exit(130), older ones into click's Abort
        print("error: interrupted", file=sys.stderr)
    sys.exit(code if isinstance(code, int) else 0)
