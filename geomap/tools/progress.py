"""The one progress bar: rich, on stderr (stdout stays the report), gone when done.

The bar is redrawn by the thread that advances it (at most :data:`REDRAW` times a second), not by
a refresh thread of rich's: worker processes forked while a bar is shown (``--jobs``) then never
inherit a lock held by another thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Redraws per second, at most.
REDRAW = 10


def _bar(label: str):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
        auto_refresh=False,
    )


def _advancer(bar, task) -> Callable[..., None]:
    last = [0.0]

    def advance(n: int = 1) -> None:
        bar.advance(task, n)
        now = time.monotonic()
        if now - last[0] >= 1 / REDRAW or bar.finished:
            last[0] = now
            bar.refresh()

    return advance


@contextmanager
def progress_bar(
    total: int, *, label: str = "working", enabled: bool = True, min_total: int = 2
) -> Iterator[Callable[..., None]]:
    """Yield ``advance(n=1)``; a no-op when disabled or when fewer than ``min_total`` items."""
    if not enabled or total < min_total:
        yield lambda n=1: None
        return
    with _bar(label) as bar:
        yield _advancer(bar, bar.add_task(label, total=total))


@contextmanager
def counting_bar(*, label: str = "geoparsing", enabled: bool = True) -> Iterator:
    """A progress bar whose total is known later: yields ``(set_total, advance)``; the bar shows
    from ``set_total`` on (so nothing is drawn before the work starts)."""
    state: dict = {}

    def set_total(total: int) -> None:
        if not enabled or total < 2 or state:
            return
        bar = _bar(label)
        bar.start()
        state.update(bar=bar, advance=_advancer(bar, bar.add_task(label, total=total)))

    def advance(n: int = 1) -> None:
        if state:
            state["advance"](n)

    try:
        yield set_total, advance
    finally:
        if state:
            state["bar"].stop()
