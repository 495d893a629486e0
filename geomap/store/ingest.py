"""The articles of an update's inputs, read one record at a time: a bad record is an error to
record, not the end of the run.

Files and folders are read by the partitioned reader (:mod:`geomap.scale.partitions`), which
yields a :class:`~geomap.scale.partitions.RecordError` for each record it cannot read. URLs of
pages and feeds go through :mod:`geomap.store.feeds`, which skips feed items the store holds.
A ``.txt`` file whose every line is an http(s) URL (``#`` comments allowed) is a list of URLs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from geomap.errors import InputError
from geomap.io.web import is_url
from geomap.records import Article
from geomap.scale.partitions import RecordError, plan, read_partition

#: ``known(url) -> bool``: whether the store already holds the article at a URL.
Known = Callable[[str], bool]


def url_list(path: Path) -> list[str] | None:
    """The URLs of a ``.txt`` file that holds only URLs (one a line), else None."""
    if path.suffix.lower() != ".txt" or not path.is_file() or path.stat().st_size > 1_000_000:
        return None
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    urls = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return urls if urls and all(is_url(u) and " " not in u for u in urls) else None


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """The inputs with each URL-list file replaced by its URLs."""
    out: list[str] = []
    for item in inputs:
        urls = None if is_url(item) else url_list(Path(item))
        out.extend(urls if urls is not None else [item])
    return out


def read_items(
    inputs: Iterable[str],
    *,
    encoding: str | None = None,
    published: dt.date | None = None,
    known: Known = lambda url: False,
    feeds=None,
) -> Iterator[Article | RecordError]:
    """Articles and record errors of ``inputs`` in order. ``feeds`` (a
    :class:`~geomap.store.feeds.FeedReader`) reads the URLs; a missing file is an InputError."""
    from geomap.store.feeds import FeedReader

    inputs = expand_inputs(inputs)
    files = [item for item in inputs if not is_url(item)]
    if files:
        plan(files)  # a missing file or an empty folder: the run's error, before anything is read
    reader = feeds or FeedReader()
    for item in inputs:
        if is_url(item):
            found = reader.read(item, known=known)
        else:
            found = (x for part in plan([item]) for x in read_partition(part, encoding=encoding))
        for x in found:
            if published is not None and isinstance(x, Article):
                x = dataclasses.replace(x, published=published)
            yield x


__all__ = ["InputError", "expand_inputs", "read_items", "url_list"]
