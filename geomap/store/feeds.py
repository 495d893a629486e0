"""Read pages and RSS/Atom feeds for a store: feed items the store already holds are not fetched.

The fetching itself (time-out, size limit, content types, one-line errors) is
:func:`geomap.io.web.fetch`'s; a URL or item that fails is a
:class:`~geomap.scale.partitions.RecordError`, recorded in the store's errors table.
"""

from __future__ import annotations

from typing import Callable, Iterator

from geomap.errors import InputError
from geomap.io import web
from geomap.records import Article
from geomap.scale.partitions import RecordError
from geomap.store.keys import canonical_url


class FeedReader:
    """Reads URLs for one update (or for every round of ``--watch``)."""

    def __init__(self, *, fetch: Callable[..., web.Fetched] | None = None) -> None:
        self._fetch = fetch or web.fetch
        self.fetched = 0   # HTTP requests made

    def get(self, url: str) -> web.Fetched:
        self.fetched += 1
        return self._fetch(url)

    def read(self, url: str, *, known: Callable[[str], bool]) -> Iterator[Article | RecordError]:
        """The article at ``url``, or those of the feed at ``url`` not yet ``known``."""
        try:
            fetched = self.feed(url)
            if fetched is None:
                return
            if not web.is_feed(fetched):
                yield web.page_article(fetched)
                return
            items = web.feed_items(fetched)
        except InputError as exc:
            yield RecordError(url, None, str(exc))
            return
        for item in items:
            if known(canonical_url(item.url)):
                continue
            try:
                yield web.page_article(self.get(item.url), title=item.title, published=item.published)
            except InputError as exc:
                yield RecordError(item.url, None, f"{exc} (item of {url})")

    def feed(self, url: str) -> web.Fetched | None:
        """The page or feed at ``url`` (None: unchanged since the last time it was read)."""
        return self.get(url)
