"""The ``geomap`` command line: a thin layer over the library.

Every command's errors are geomap exceptions with one-line messages; ``main`` prints them as
``error: …`` on stderr and exits with status 1, never with a traceback. Usage errors (an unknown
command or option, a missing argument, a value of the wrong type) are one line too, with status 2.
"""

from __future__ import annotations

import os
import sys


def _interrupted_hook(kind, value, tb, _previous=sys.excepthook) -> None:
    """Ctrl-C before ``main`` runs (while the command line imports): one line and status 130."""
    if issubclass(kind, KeyboardInterrupt):
        try:
            print("error: interrupted", file=sys.stderr)
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(130)
    _previous(kind, value, tb)


def _run_as_command() -> bool:
    """True when this process is the ``geomap`` command (the script or ``python -m geomap``)."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return getattr(spec, "name", None) == "geomap.__main__" or os.path.basename(sys.argv[0] or "") == "geomap"


if _run_as_command():  # a library user's or a test runner's excepthook is left alone
    sys.excepthook = _interrupted_hook

import logging  # noqa: E402
from typing import Annotated, Optional  # noqa: E402

import typer  # noqa: E402

from geomap.errors import GeomapError  # noqa: E402

app = typer.Typer(
    name="geomap", no_args_is_help=True, add_completion=False,
    help="Turn news text into maps of dated events (spaCy + offline gazetteer + geopandas + folium).",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"geomap {version('geomap')}")
        except PackageNotFoundError:
            typer.echo("geomap 0.1.0 (source tree)")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True,
                                                    help="Show the version and exit.")] = None,
) -> None:
    """geomap: news articles in, a map of dated events out."""


def _register_all() -> None:
    from geomap.cli import (
        eval_cmd, eval_events_cmd, extract_cmd, gazetteer_cmd, geocode_cmd, map_cmd, render_cmd,
    )

    for module in (map_cmd, extract_cmd, geocode_cmd, gazetteer_cmd, eval_cmd, eval_events_cmd, render_cmd):
        module.register(app)


_register_all()


def _click_exceptions():
    """The exceptions module of the click that typer runs on.

    typer < 0.29 uses the ``click`` package; typer 0.29+ ships its own copy (``typer._click``),
    whose exceptions are not ``click``'s. ``typer.BadParameter`` is re-exported by both, so its
    module is the one whose exceptions the parser raises.
    """
    return sys.modules[typer.BadParameter.__module__]


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


#: Exit status of a run stopped by Ctrl-C (128 + SIGINT), as shells report it.
INTERRUPTED = 130


class _StderrHandler(logging.Handler):
    """Log records as lines on whatever ``sys.stderr`` is at the time (it may be replaced)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            print(" ".join(self.format(record).split()), file=sys.stderr)
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
    # warnings of the library (e.g. an article skipped) as one "warning: …" line each on stderr
    log = logging.getLogger("geomap")
    if not any(isinstance(h, _StderrHandler) for h in log.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("warning: %(message)s"))
        log.addHandler(handler)
        log.propagate = False
    exceptions = _click_exceptions()
    exits = tuple({typer.Exit, getattr(exceptions, "Exit", typer.Exit)})
    # click turns Ctrl-C inside a command into Abort; geomap asks no questions, so Abort is Ctrl-C
    aborts = tuple({typer.Abort, getattr(exceptions, "Abort", typer.Abort)})
    try:
        command = typer.main.get_command(app)
        code = command.main(args=argv, prog_name="geomap", standalone_mode=False)
    except GeomapError as exc:
        print(f"error: {exc}", file=sys.stderr)
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
