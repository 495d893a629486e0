"""The library's front door: ``parse``, ``extract`` and ``make_map``.

These functions load the default model and gazetteer once per process and reuse them; pass a
``geoparser`` to control that yourself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import geopandas as gpd

from geomap.dates import detect_published, parse_user_date
from geomap.errors import InputError
from geomap.events import dedupe_events
from geomap.io.readers import FileSelection, ReadReport, read_inputs
from geomap.pipeline import Geoparser
from geomap.records import Article, Document
from geomap.tools.frames import events_frame, mentions_frame

logger = logging.getLogger("geomap")


@lru_cache(maxsize=4)
def get_geoparser(
    model: str | None = None,
    gazetteer: str | None = None,
    geocoder: str | None = None,
    bias: str | None = None,
    corrections: str | None = None,
    deny: str | None = None,
    recognizer: str | None = None,
) -> Geoparser:
    """A loaded Geoparser, shared by calls with the same settings. ``bias`` ("IQ,SY"),
    ``corrections`` and ``deny`` (file paths) are the user's review settings (:mod:`geomap.review`)."""
    from geomap.gazetteer import Gazetteer
    from geomap.review import Review

    online = None
    if geocoder not in (None, "offline"):
        from geomap.geocoders.online import make_geocoder

        online = make_geocoder(geocoder)
    gaz = Gazetteer.open(gazetteer)
    review = Review.load(bias=bias, corrections=corrections, deny=deny, gazetteer=gaz)
    return Geoparser.load(model, gazetteer=gaz, geocoder=online, review=review, classifier=recognizer)


def _published(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return parse_user_date(value)


def _with_date(article: Article) -> Article:
    """Use the article's dateline ("11 Mar 2020 - 10:16") when no date was given."""
    if article.published is not None:
        return article
    found = detect_published(article.text)
    return replace(article, published=found) if found else article


def parse(
    text: str,
    published: dt.date | str | None = None,
    *,
    title: str | None = None,
    url: str | None = None,
    doc_id: str | None = None,
    model: str | None = None,
    geocoder: str | None = None,
    geoparser: Geoparser | None = None,
) -> Document:
    """Parse one article: place mentions, dates and events."""
    gp = geoparser or get_geoparser(model, None, geocoder)
    doc_id = doc_id or hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    article = _with_date(Article(text=text, doc_id=doc_id, title=title, url=url, published=_published(published)))
    warn_undated([article])
    return gp.parse_article(article)


def warn_undated(articles: list[Article]) -> None:
    """Warn once (per call) when articles have no publication date: their relative dates stay open."""
    undated = [a.doc_id for a in articles if a.published is None]
    report_undated(len(undated), len(articles), undated[:3])


def report_undated(n_undated: int, n_articles: int, first_ids: list[str]) -> None:
    """The warning of :func:`warn_undated` from counts (for articles parsed elsewhere)."""
    if n_undated:
        first = ", ".join(first_ids[:3]) + (" …" if n_undated > 3 else "")
        logger.warning(
            "%d of %d articles have no publication date (%s): 'yesterday' or 'on Tuesday' "
            "cannot be dated there; give --published or a date field",
            n_undated,
            n_articles,
            first,
        )


def parse_articles(
    articles: Iterable[Article],
    *,
    model: str | None = None,
    geocoder: str | None = None,
    geoparser: Geoparser | None = None,
    progress: Callable[[int], None] | None = None,
    on_skip: Callable[[Article, str], None] | None = None,
) -> list[Document]:
    """Parse many articles; the same event told in several articles becomes one event.

    An article spaCy cannot process is skipped: ``on_skip(article, reason)`` is called (else a
    warning is logged)."""
    gp = geoparser or get_geoparser(model, None, geocoder)
    articles = prepare_articles(articles)
    warn_undated(articles)
    return dedupe_documents(gp.parse_articles(articles, progress=progress, on_skip=on_skip))


def prepare_articles(articles: Iterable[Article]) -> list[Article]:
    """The articles with a dateline's date filled in where none was given."""
    return [_with_date(a) for a in articles]


def dedupe_documents(documents: list[Document]) -> list[Document]:
    """``documents`` with each event told in several of them kept once (in its first telling)."""
    if len(documents) > 1:
        merged = dedupe_events([e for d in documents for e in d.events])
        keep = {id(e) for e in merged}
        for d in documents:
            d.events = [e for e in d.events if id(e) in keep]
    return documents


def read_articles(
    inputs: str | Path | Iterable[str | Path],
    *,
    published: dt.date | str | None = None,
    encoding: str | None = None,
    selection: FileSelection | None = None,
    report: ReadReport | None = None,
) -> list[Article]:
    """Articles of files/folders (txt, md, html, jsonl, csv); ``published`` overrides their dates,
    ``encoding`` names the text encoding (else UTF-8, or what a byte order mark says).
    ``selection`` picks the files of folders (by default all but README, LICENSE and similar);
    ``report`` counts the files read and left out (:class:`~geomap.io.readers.ReadReport`)."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    articles = list(
        read_inputs(inputs, encoding=encoding, published=_published(published), selection=selection, report=report)
    )
    if not articles:
        raise InputError("the input holds no articles")
    return articles


def extract(
    inputs: str | Path | Iterable[str | Path],
    *,
    published: dt.date | str | None = None,
    model: str | None = None,
    geocoder: str | None = None,
    geoparser: Geoparser | None = None,
    progress: Callable[[int], None] | None = None,
    include: str | Iterable[str] | None = None,
    exclude: str | Iterable[str] | None = None,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Read files/folders and return ``(mentions_gdf, events_gdf)`` (EPSG:4326). ``include`` /
    ``exclude`` are glob patterns for the files of folders (:class:`~geomap.io.readers.FileSelection`)."""
    articles = read_articles(
        inputs, published=published, selection=FileSelection.create(include=include, exclude=exclude)
    )
    return frames(parse_articles(articles, model=model, geocoder=geocoder, geoparser=geoparser, progress=progress))


def frames(documents: list[Document]) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The mentions and events GeoDataFrames of parsed documents."""
    return mentions_frame(documents), events_frame([e for d in documents for e in d.events])
