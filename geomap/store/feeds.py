"""Read pages and RSS/Atom feeds for a store: feed items the store already holds are not fetched.

The fetching itself (time-out, size limit, content types, one-line errors) is
:func:`geomap.io.web.fetch`'s; a URL or item that fails is a
:class:`~geomap.scale.partitions.RecordError`, recorded in the store's errors table.

For ``geomap update --watch`` the reader also

- sends the ``ETag``/``Last-Modified`` a feed gave last time (kept in the store's ``feeds``
  table) and skips a feed that answers 304 Not Modified;
- waits ``min_interval`` seconds between two requests to one host;
- retries a failure that may pass (:class:`~geomap.io.web.FetchError`: time-outs, refused
  connections, HTTP 429/5xx) ``retries`` times, after ``backoff``, 2×, 4× … seconds;
- stops making requests once the round's ``deadline`` has passed (the rest waits for the next
  round).

A feed's new validators are kept only when every one of its items was read or failed for good,
so an item cut off by the deadline or a passing failure is tried again next round.
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from geomap.errors import InputError
from geomap.io import web
from geomap.records import Article
from geomap.scale.partitions import RecordError
from geomap.store.keys import canonical_url


@dataclass(frozen=True, slots=True)
class Validators:
    """What a URL answered last time, to ask "changed since?" (either may be None)."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


class OutOfTime(Exception):
    """The round's time budget is spent: no more requests this round."""


class FeedReader:
    """Reads URLs for one update (or for every round of ``--watch``).

    ``clock`` and ``sleep`` (``time.monotonic``/``time.sleep`` by default) are injectable, so
    tests check the rate limit and the back-off without waiting.
    """

    def __init__(
        self,
        *,
        fetch: Callable[..., web.Fetched] | None = None,
        min_interval: float = 0.0,
        retries: int = 0,
        backoff: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._fetch = fetch or web.fetch
        self.min_interval = min_interval
        self.retries = retries
        self.backoff = backoff
        self.clock = clock
        self.sleep = sleep
        self._last: dict[str, float] = {}  # host -> clock of its last request
        self.fetched = 0  # HTTP requests made
        self.validators: dict[str, Validators] = {}  # the stored ones, set by the update
        self.start_round()

    def start_round(self, deadline: float | None = None) -> None:
        """Reset the round's counts; no request starts after ``deadline`` (a ``clock`` value)."""
        self.deadline = deadline
        self.n_feeds = 0  # top-level URLs asked for
        self.n_not_modified = 0  # of which answered 304
        self.n_failed = 0  # URLs and items that failed (after their retries)
        self.n_deferred = 0  # URLs and items left for the next round (out of time)
        self.changed: dict[str, Validators] = {}  # validators to store

    # -- requests ----------------------------------------------------------------------------

    def _wait_for(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None and self.min_interval > 0:
            wait = last + self.min_interval - self.clock()
            if wait > 0:
                if self.deadline is not None and self.clock() + wait > self.deadline:
                    raise OutOfTime
                self.sleep(wait)
        if self.deadline is not None and self.clock() >= self.deadline:
            raise OutOfTime

    def get(self, url: str, headers: dict[str, str] | None = None) -> web.Fetched:
        """One URL, after the host's interval, retried while its failures may pass."""
        host = (urllib.parse.urlsplit(url).hostname or "").lower()
        attempt = 0
        while True:
            self._wait_for(host)
            self.fetched += 1
            self._last[host] = self.clock()
            try:
                return self._fetch(url, headers=headers) if headers else self._fetch(url)
            except web.FetchError as exc:
                if attempt >= self.retries:
                    if self.retries:
                        raise web.FetchError(f"{exc} (after {attempt + 1} attempts)") from None
                    raise
                delay = self.backoff * 2**attempt
                if self.deadline is not None and self.clock() + delay > self.deadline:
                    raise web.FetchError(f"{exc} (no time left this round for a retry)") from None
                self.sleep(delay)
                attempt += 1

    # -- reading -----------------------------------------------------------------------------

    def read(self, url: str, *, known: Callable[[str], bool]) -> Iterator[Article | RecordError]:
        """The article at ``url``, or those of the feed at ``url`` not yet ``known``."""
        self.n_feeds += 1
        try:
            fetched = self.feed(url)
            if fetched is None:
                return
            if not web.is_feed(fetched):
                yield web.page_article(fetched)
                self._keep(url, fetched)
                return
            items = web.feed_items(fetched)
        except OutOfTime:
            self.n_deferred += 1
            return
        except InputError as exc:
            self.n_failed += 1
            yield RecordError(url, None, str(exc))
            return
        complete = True
        for item in items:
            if known(canonical_url(item.url)):
                continue
            try:
                yield web.page_article(self.get(item.url), title=item.title, published=item.published)
            except OutOfTime:
                self.n_deferred += 1
                complete = False
            except InputError as exc:
                self.n_failed += 1
                complete = complete and not isinstance(exc, web.FetchError)
                yield RecordError(item.url, None, f"{exc} (item of {url})")
        if complete:
            self._keep(url, fetched)

    def feed(self, url: str) -> web.Fetched | None:
        """The page or feed at ``url`` (None: unchanged since the last time it was read)."""
        stored = self.validators.get(url)
        fetched = self.get(url, stored.headers() if stored else None)
        if fetched.not_modified:
            self.n_not_modified += 1
            return None
        return fetched

    def _keep(self, url: str, fetched: web.Fetched) -> None:
        new = Validators(fetched.etag, fetched.last_modified)
        if (new.etag or new.last_modified) and new != self.validators.get(url):
            self.changed[url] = new
