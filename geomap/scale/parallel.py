"""Local worker processes, each holding one loaded Geoparser, that run tasks in input order.

A :class:`GeoparserPool` starts ``jobs`` processes, each holding a loaded model and gazetteer, which
then run ``task(geoparser, payload)`` calls. On Linux, with the offline gazetteer, the parent loads
the Geoparser once and forks the workers from it: they start at once and share its memory pages
(the gazetteer opens a connection of its own in each child). Elsewhere, or with an online geocoder
(an HTTP session and a writable cache must not cross a fork), each worker is a fresh interpreter
that loads its own (the pool initializer). Results come back in the order
the payloads were given, whatever order the workers finish in, so a parallel run gives the same
rows as an in-process one. At most ``2 * jobs`` payloads are in flight: memory does not grow with
the input.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from geomap.errors import GeomapError
from geomap.settings import Settings

#: Articles per task: a few spaCy batches, small enough for the progress bar to move.
CHUNK = 32
#: Fewer documents than this are parsed in this process: starting workers (each loads the model,
#: a few seconds) costs more than it saves on a small input.
MIN_PARALLEL = 128


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def check_jobs(jobs: int | None) -> int:
    """``--jobs`` as a worker count: None means all cores; below 1 is an InputError."""
    from geomap.errors import InputError

    if jobs is None:
        return default_jobs()
    if jobs < 1:
        raise InputError(f"jobs: must be 1 or more, not {jobs}")
    return jobs


def effective_jobs(jobs: int, n_items: int, *, min_parallel: int | None = None, chunk: int = CHUNK) -> int:
    """How many workers are worth starting for ``n_items`` documents: 1 (this process) below
    ``min_parallel`` (default :data:`MIN_PARALLEL`), else at most one per chunk."""
    floor = MIN_PARALLEL if min_parallel is None else min_parallel
    if jobs <= 1 or n_items < max(floor, 2):
        return 1
    return min(jobs, -(-n_items // chunk))


# -- the worker side ---------------------------------------------------------------------------
_geoparser = None
_load_error: GeomapError | None = None


def forks(settings: Settings) -> bool:
    """Whether workers for ``settings`` are forked from a loaded parent (see the module's doc)."""
    return (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and settings.geocoder in (None, "offline")
    )


def _load(settings: Settings) -> None:
    """Pool initializer: load the Geoparser once per worker process (or keep why it failed)."""
    global _geoparser, _load_error
    try:
        _geoparser = settings.load()
    except GeomapError as exc:  # raised again by every task, so the parent reports it on one line
        _load_error = exc


def _call(task: Callable[[Any, Any], Any], payload: Any) -> Any:
    if _load_error is not None:
        raise _load_error
    return task(_geoparser, payload)


# -- the parent side ---------------------------------------------------------------------------
class GeoparserPool:
    """``jobs`` worker processes with a loaded Geoparser each; use as a context manager."""

    def __init__(self, jobs: int, settings: Settings | None = None, *, geoparser=None) -> None:
        """``geoparser``: one already loaded with ``settings``, for forked workers to inherit."""
        self.jobs = jobs
        self.settings = settings or Settings()
        self._geoparser = geoparser
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> GeoparserPool:
        global _geoparser, _load_error
        if forks(self.settings):
            # Load before forking (a load error is raised here, once); the workers inherit it.
            _geoparser, _load_error = self._geoparser or self.settings.load(), None
            self._executor = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("fork"))
            # Fork every worker now, before the caller starts any thread (a progress bar).
            for future in [self._executor.submit(os.getpid) for _ in range(self.jobs)]:
                future.result()
        else:
            # spawn: a fresh interpreter that loads its own Geoparser (the pool initializer)
            self._executor = ProcessPoolExecutor(
                self.jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_load, initargs=(self.settings,)
            )
        return self

    def __exit__(self, *exc) -> None:
        global _geoparser
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        _geoparser = None

    def imap(self, task: Callable[[Any, Any], Any], payloads: Iterable[Any]) -> Iterator[Any]:
        """``task(geoparser, payload)`` for each payload, run by the workers, yielded in order.

        ``task`` must be a module-level function (it is pickled by name).
        """
        if self._executor is None:
            raise RuntimeError("GeoparserPool is used outside its with block")
        pending: deque[Future] = deque()
        window = 2 * self.jobs
        try:
            for payload in payloads:
                pending.append(self._executor.submit(_call, task, payload))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BrokenProcessPool:
            raise GeomapError("a worker process died (out of memory?); rerun with fewer worker processes") from None
        finally:
            for future in pending:
                future.cancel()


def chunked(items: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    """Lists of ``size`` consecutive items (the last may be shorter)."""
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
