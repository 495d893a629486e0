"""The one progress bar: rich, on stderr (stdout stays the report), gone when done."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator


@contextmanager
def progress_bar(total: int, *, label: str = "working", enabled: bool = True,
                 min_total: int = 2) -> Iterator[Callable[..., None]]:
    """Yield ``advance(n=1)``; a no-op when disabled or when fewer than ``min_total`` items."""
    if not enabled or total < min_total:
        yield lambda n=1: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n=1: bar.advance(task, n)


@contextmanager
def counting_bar(*, label: str = "geoparsing", enabled: bool = True) -> Iterator:
    """A progress bar whose total is known later: yields ``(set_total, advance)``; the bar shows
    from ``set_total`` on (so nothing is drawn before the work starts)."""
    state: dict = {}

    def set_total(total: int) -> None:
        if not enabled or total < 2 or state:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                       console=Console(stderr=True), transient=True)
        bar.start()
        state.update(bar=bar, task=bar.add_task(label, total=total))

    def advance(n: int = 1) -> None:
        if state:
            state["bar"].advance(state["task"], n)

    try:
        yield set_total, advance
    finally:
        if state:
            state["bar"].stop()
