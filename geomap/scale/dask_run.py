"""Run partition tasks on a dask.distributed cluster (``geomap extract --dask ADDRESS``).

The client ships only :class:`~geomap.scale.partitions.Partition` descriptions (paths and
ranges); each worker reads its slices, parses them with a Geoparser it loads once per worker
process, and writes its parts into the output folder, which must be visible to every worker
(a shared file system). Dask schedules; geomap adds no scheduler of its own.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from geomap.errors import GeomapError
from geomap.settings import Settings

#: Environment variable naming the scheduler when ``--dask`` is not given.
ENV = "GEOMAP_DASK"
#: Seconds to wait for the scheduler before giving up with a one-line error.
CONNECT_TIMEOUT = 5


def scheduler_address(option: str | None) -> str | None:
    """``--dask`` or else ``$GEOMAP_DASK`` (blank means none)."""
    value = option if option is not None else os.environ.get(ENV)
    return value.strip() if value and value.strip() else None


#: What a missing dask.distributed is told as (the extra that installs it).
MISSING = "running on a Dask cluster needs the optional dependency dask.distributed: pip install 'geomap[dask]'"


def require_distributed():
    """The ``distributed`` module; GeomapError naming the ``dask`` extra when it is not installed."""
    try:
        import distributed
    except ImportError:
        raise GeomapError(MISSING) from None
    return distributed


def connect(address: str, timeout: float = CONNECT_TIMEOUT):
    """A ``distributed.Client`` of the scheduler at ``address``; GeomapError within ``timeout`` s
    when it cannot be reached."""
    Client = require_distributed().Client
    check_address(address)
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except Exception as exc:  # noqa: BLE001 - OSError, TimeoutError, ValueError for a bad address …
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise GeomapError(f"cannot reach the Dask scheduler at {address!r} within {timeout:g} s ({reason})") from None


def check_address(address: str) -> None:
    """GeomapError for an address no scheduler can have (before any connection is tried)."""
    require_distributed()
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        if scheme in ("tcp", "tls", "ws", "wss"):
            parse_host_port(location)
    except (ValueError, TypeError) as exc:
        reason = " ".join(str(exc).split())[:200]
        raise GeomapError(f"{address!r} is not a Dask scheduler address such as tcp://host:8786 ({reason})") from None


def run_tasks(client, task: Callable[[Any, Any], Any], payloads: Iterable[Any], settings: Settings) -> Iterator[Any]:
    """``task(geoparser, payload)`` for each payload on the cluster's workers, yielded as they finish.

    A task that fails stops the run (its error is raised here) after cancelling the rest; what
    the finished tasks wrote stays.
    """
    from distributed import as_completed

    futures = []
    try:
        futures = client.map(_on_worker, list(payloads), task=task, settings=settings, pure=False)
        for future in as_completed(futures, loop=client.loop):
            yield future.result()
    finally:
        client.cancel(futures)


_thread = threading.local()
#: Geoparsers loaded when the worker started (:mod:`geomap.scale.preload`), by settings key; the
#: first worker thread to run a task with those settings takes it.
_preloaded: dict[str, Any] = {}
_preloaded_lock = threading.Lock()


def _settings_key(settings: Settings) -> str:
    return json.dumps(settings.key(), sort_keys=True)


def preloaded_count() -> int:
    """How many preloaded Geoparsers in this process still wait for their first task."""
    with _preloaded_lock:
        return len(_preloaded)


def preload(settings: Settings) -> None:
    """Load a Geoparser for ``settings`` now, for this process's first task that needs it."""
    geoparser = settings.load(fresh=True)
    with _preloaded_lock:
        _preloaded[_settings_key(settings)] = geoparser


def _on_worker(payload: Any, *, task: Callable[[Any, Any], Any], settings: Settings) -> Any:
    """Run on a worker: the Geoparser is the preloaded one or loaded by the first task of each
    worker thread (one thread per worker process is best: ``dask worker --nthreads 1``)."""
    loaded = getattr(_thread, "geoparsers", None)
    if loaded is None:
        loaded = _thread.geoparsers = {}
    if settings not in loaded:
        with _preloaded_lock:
            ready = _preloaded.pop(_settings_key(settings), None)
        loaded[settings] = ready if ready is not None else settings.load(fresh=True)
    return task(loaded[settings], payload)
