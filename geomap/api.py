"""The library's front door: ``parse``, ``extract`` and ``make_map``.

These functions load the default model and gazetteer once per process and reuse them; pass
``settings`` (:class:`~geomap.settings.Settings`) to choose another, or a loaded ``geoparser``.
The batch path they share with the command line is :func:`geomap.batch.parse_batch`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

import geopandas as gpd

from geomap.batch import (  # noqa: F401  (dedupe_documents, prepare_articles, report_undated: their old home)
    dedupe_documents,
    parse_batch,
    prepare_articles,
    report_undated,
    warn_undated,
    with_date,
)
from geomap.dates import parse_user_date
from geomap.errors import InputError
from geomap.io.readers import FileSelection, ReadReport, read_inputs
from geomap.pipeline import Geoparser
from geomap.records import Article, Document
from geomap.settings import Settings
from geomap.tools.frames import events_frame, mentions_frame


def get_geoparser(
    model: str | None = None,
    gazetteer: str | None = None,
    geocoder: str | None = None,
    bias: str | None = None,
    corrections: str | None = None,
    deny: str | None = None,
    recognizer: str | None = None,
) -> Geoparser:
    """A loaded Geoparser, shared by calls with the same settings: ``Settings(...).load()``
    (:class:`~geomap.settings.Settings` says what each argument means)."""
    return Settings(model, gazetteer, geocoder, bias, corrections, deny, recognizer).load()


def _published(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return parse_user_date(value)


def _settings(settings: Settings | None, model: str | None, geocoder: str | None) -> Settings:
    """``settings``, or those of the ``model`` and ``geocoder`` shorthands (not both)."""
    if settings is None:
        return Settings(model=model, geocoder=geocoder)
    if model is not None or geocoder is not None:
        raise InputError("settings: give either settings or model/geocoder, not both")
    return settings


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
    settings: Settings | None = None,
) -> Document:
    """Parse one article: place mentions, dates and events."""
    gp = geoparser or _settings(settings, model, geocoder).load()
    doc_id = doc_id or hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    article = with_date(Article(text=text, doc_id=doc_id, title=title, url=url, published=_published(published)))
    warn_undated([article])
    return gp.parse_article(article)


def parse_articles(
    articles: Iterable[Article],
    *,
    model: str | None = None,
    geocoder: str | None = None,
    geoparser: Geoparser | None = None,
    progress: Callable[[int], None] | None = None,
    on_skip: Callable[[Article, str], None] | None = None,
    settings: Settings | None = None,
    jobs: int = 1,
) -> list[Document]:
    """Parse many articles; the same event told in several articles becomes one event.

    ``settings`` (or the ``model`` and ``geocoder`` shorthands) say which Geoparser to load;
    ``jobs`` worker processes share a large batch (:func:`geomap.batch.parse_batch`, with the
    same result). An article spaCy cannot process is skipped: ``on_skip(article, reason)`` is
    called (else a warning is logged)."""
    return parse_batch(
        articles,
        settings=_settings(settings, model, geocoder),
        geoparser=geoparser,
        jobs=jobs,
        progress=progress,
        on_skip=on_skip,
    )


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
    settings: Settings | None = None,
    jobs: int = 1,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Read files/folders and return ``(mentions_gdf, events_gdf)`` (EPSG:4326). ``include`` /
    ``exclude`` are glob patterns for the files of folders (:class:`~geomap.io.readers.FileSelection`);
    ``settings``, ``jobs``: as for :func:`parse_articles`."""
    articles = read_articles(
        inputs, published=published, selection=FileSelection.create(include=include, exclude=exclude)
    )
    documents = parse_articles(
        articles,
        model=model,
        geocoder=geocoder,
        geoparser=geoparser,
        progress=progress,
        settings=settings,
        jobs=jobs,
    )
    return frames(documents)


def frames(documents: list[Document]) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The mentions and events GeoDataFrames of parsed documents."""
    return mentions_frame(documents), events_frame([e for d in documents for e in d.events])
