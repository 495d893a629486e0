"""Exit statuses of the ``geomap`` command that more than one module names."""

from __future__ import annotations

#: Exit status of a run stopped by Ctrl-C (128 + SIGINT), as shells report it.
INTERRUPTED = 130
