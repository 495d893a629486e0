"""The ``geomap`` command's entry point: Ctrl-C is one line and status 130 from the first moment.

Importing the command line loads spaCy and geopandas (seconds). Until that is done, SIGINT ends
the process at once with ``error: interrupted`` and status 130, as it does inside a command
(there is nothing to clean up yet). This module imports nothing heavy itself.
"""

from __future__ import annotations

import os
import signal
import sys

from geomap.cli.status import INTERRUPTED


def _interrupted_while_loading(signum, frame) -> None:
    try:
        print("error: interrupted", file=sys.stderr)
        sys.stderr.flush()
    finally:
        os._exit(INTERRUPTED)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``geomap`` script and ``python -m geomap``."""
    previous = signal.signal(signal.SIGINT, _interrupted_while_loading)
    try:
        from geomap.cli.main import main as run
    finally:
        signal.signal(signal.SIGINT, previous)
    run(argv)
