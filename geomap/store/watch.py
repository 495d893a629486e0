"""``geomap update STORE feeds.txt --watch 15m``: poll feeds into a store, round after round.

Each round is one ordinary update (:func:`~geomap.store.update.update_store`, one transaction)
of every feed, read by one :class:`~geomap.store.feeds.FeedReader` kept between rounds: it
sends each feed's stored ETag/Last-Modified, waits between requests to one host, retries
passing failures with back-off and stops requesting when the round's time budget is spent.
After a round that added rows the map file (if any) is written again, atomically. A round
starts every ``interval`` seconds (at once when the last one took longer).

Ctrl-C (SIGINT) raises KeyboardInterrupt wherever the loop is: inside an update the
transaction is rolled back (or has just committed), so the store is as the last finished
round left it; the caller reports it.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from geomap.errors import InputError
from geomap.store.feeds import FeedReader
from geomap.store.update import update_store

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*$", re.I)
_UNIT = {"s": 1, "m": 60, "h": 3600}


def parse_interval(text: str, *, what: str = "--watch") -> float:
    """Seconds of ``30s``, ``15m``, ``1h`` (or a bare number of seconds); InputError otherwise."""
    found = _DURATION.match(str(text))
    if not found:
        raise InputError(f"{what} takes a duration such as 30s, 15m or 1h, not {text!r}")
    seconds = float(found[1]) * _UNIT[(found[2] or "s").lower()]
    if seconds <= 0 and what == "--watch":
        raise InputError(f"{what} must be longer than 0 s")
    return seconds


@dataclass(frozen=True, slots=True)
class RoundReport:
    """What one round did."""

    number: int
    n_feeds: int
    n_not_modified: int
    n_new: int  # articles added
    n_events: int
    n_errors: int  # URLs, items and articles that failed this round
    n_deferred: int  # URLs and items left for the next round (time budget spent)
    map_written: bool | None  # None: no --map
    seconds: float

    def line(self) -> str:
        """``round 3: 2 feeds, 1 not modified, 5 new articles, 12 events, 0 errors, map written``"""
        parts = [
            f"round {self.number}: {self.n_feeds} feeds",
            f"{self.n_not_modified} not modified",
            f"{self.n_new} new articles",
            f"{self.n_events} events",
            f"{self.n_errors} errors",
        ]
        if self.n_deferred:
            parts.append(f"{self.n_deferred} left for the next round (time budget spent)")
        if self.map_written is not None:
            parts.append("map written" if self.map_written else "map unchanged")
        return ", ".join(parts)


def feed_urls(inputs: Sequence[str]) -> list[str]:
    """The URLs to poll: URL inputs and the lines of URL-list files; InputError for anything else."""
    from geomap.io.web import check_url
    from geomap.store.ingest import expand_inputs

    urls = expand_inputs(inputs)
    for url in urls:
        if "://" not in url:
            raise InputError(
                f"{url}: a watch polls feeds; give feed URLs or a .txt file of them (one URL a line, # comments)"
            )
        check_url(url)
    if not urls:
        raise InputError("a watch needs at least one feed URL")
    return list(dict.fromkeys(urls))


def map_writer(store: str | os.PathLike, path: str | os.PathLike, *, incidents: bool = False) -> Callable[[bool], bool]:
    """``write(changed)``: write the store's map to ``path`` (atomically) when ``changed`` or
    when the file is missing; True when it wrote. Events new in the last update are ringed;
    ``incidents`` draws incidents sized by their sources (as ``geomap map STORE --incidents``)."""
    from pathlib import Path

    target = Path(path)

    def write(changed: bool) -> bool:
        if not changed and target.exists():
            return False
        from geomap.io.events_dataset import read_events_dataset
        from geomap.mapping import make_map, write_map
        from geomap.store.overlay import add_store_layers

        events = read_events_dataset(store, incidents=incidents)
        m = make_map(events, title=f"{Path(store).stem}: {'incidents' if incidents else 'events'}")
        add_store_layers(m, events, incidents=incidents)
        write_map(m, target)
        return True

    return write


def watch(
    store: str | os.PathLike,
    inputs: Sequence[str],
    *,
    interval: float,
    rounds: int | None = None,
    budget: float | None = None,
    reader: FeedReader | None = None,
    write_map: Callable[[bool], bool] | None = None,
    on_round: Callable[[RoundReport], None] = lambda r: None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    **update_options,
) -> int:
    """Poll ``inputs`` into ``store`` every ``interval`` seconds, ``rounds`` times (None: until
    interrupted); the number of rounds done. ``budget`` seconds cap each round's requests
    (default: the interval). ``write_map(changed)`` (see :func:`map_writer`) is called after each
    round, ``changed`` when it added rows (or is the first). ``update_options``
    go to :func:`update_store` (settings, geoparser, jobs, published …)."""
    urls = feed_urls(inputs)
    reader = reader or FeedReader(clock=clock, sleep=sleep)
    budget = interval if budget is None else budget
    done = 0
    while rounds is None or done < rounds:
        started = clock()
        reader.start_round(deadline=started + budget)
        summary = update_store(store, urls, feeds=reader, **update_options)
        written = None
        if write_map is not None:
            written = bool(write_map(summary.n_new > 0 or done == 0))
        done += 1
        on_round(
            RoundReport(
                done,
                reader.n_feeds,
                reader.n_not_modified,
                summary.n_new,
                summary.n_events,
                summary.n_failed,
                reader.n_deferred,
                written,
                clock() - started,
            )
        )
        if rounds is not None and done >= rounds:
            break
        pause = started + interval - clock()
        if pause > 0:
            sleep(pause)
    return done


__all__ = ["RoundReport", "feed_urls", "map_writer", "parse_interval", "watch"]
