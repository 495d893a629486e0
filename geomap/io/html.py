"""HTML to article text: the one reading of an HTML page, for ``.html`` files and fetched pages.

trafilatura finds the page's main text (menus, asides, cookie notices and footers left out), its
title and its date. A page's own ``article:published_time`` meta tag, when it has one, gives the
publication date; trafilatura's guess (htmldate) may be the date a page was last changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from geomap.errors import InputError
from geomap.tools.isodate import iso_date

#: Fewer words than this is what is left of a page without an article (a menu, a caption).
MIN_WORDS = 10
#: Meta tags that state when an article was published, first found wins.
PUBLISHED_META = ("article:published_time", "og:published_time", "pubdate", "dc.date")


@dataclass(frozen=True, slots=True)
class Page:
    """What an HTML page says: its main text ('' when none was found), title, date and URL."""

    text: str
    title: str | None
    published: dt.date | None
    url: str | None

    @property
    def has_article(self) -> bool:
        """Whether the main text is long enough to be an article (:data:`MIN_WORDS`)."""
        return len(self.text.split()) >= MIN_WORDS


def read_page(content: str | bytes, *, where: str, url: str | None = None) -> Page:
    """The main text, title, publication date and canonical URL of an HTML page.

    ``content`` as bytes lets the page's own charset declaration decide its encoding; ``url`` is
    where it came from (trafilatura reads dates and the site from it). A page that cannot be
    parsed is an InputError naming ``where``.
    """
    import trafilatura

    try:
        tree = trafilatura.load_html(content)
        stated = _stated_date(tree) if tree is not None else None
        found = (
            trafilatura.bare_extraction(tree, url=url, with_metadata=True, include_comments=False, include_tables=False)
            if tree is not None
            else None
        )
    except Exception as exc:  # noqa: BLE001 - a malformed page must not end the batch with a traceback
        raise InputError(f"{where}: cannot read the page ({exc.__class__.__name__})") from None
    found_url = getattr(found, "url", None) or None
    return Page(
        text=(getattr(found, "text", None) or "").strip(),
        title=(getattr(found, "title", None) or "").strip() or None,
        published=stated or iso_date(getattr(found, "date", None)),
        url=found_url if found_url and found_url.startswith(("http://", "https://")) else None,
    )


def _stated_date(tree) -> dt.date | None:
    for name in PUBLISHED_META:
        for value in tree.xpath(f'//meta[@property="{name}" or @name="{name}"]/@content'):
            date = iso_date(value)
            if date is not None:
                return date
    return None
