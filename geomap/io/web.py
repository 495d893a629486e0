"""Read articles from web pages and RSS/Atom feeds: the only network use of geomap's readers.

A URL is fetched only because the user gave it. Each fetch has a timeout (for the whole
download, not just each read), a User-Agent naming geomap, a size limit and a content-type
check; the article text, title, date and URL come from trafilatura, feed items from feedparser.

Every failure is an :class:`~geomap.errors.InputError` with one line naming the URL: offline or
DNS failure, connection refused, HTTP 4xx/5xx, time-out, too large, not HTML, no article text.
:class:`UrlBatch` lets a run skip the URLs that fail and go on with the rest.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import logging
import re
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

from geomap.errors import InputError
from geomap.io.html import read_page
from geomap.records import Article
from geomap.tools.version import geomap_version

logger = logging.getLogger("geomap")

#: Seconds one URL may take to download (connect, redirects and body together).
TIMEOUT = 20.0
#: Bytes one page or feed may have; a larger one is refused rather than cut.
MAX_BYTES = 10 * 1024 * 1024
SCHEMES = ("http", "https")
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+xml",
)
TEXT_TYPES = ("text/plain",)

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
#: A feed's start: an optional XML declaration and comments, then an rss, feed or rdf:RDF root.
_FEED_ROOT = re.compile(rb"\A(\xef\xbb\xbf)?\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(rss|feed|rdf:rdf)[\s>]", re.I | re.S)


def user_agent() -> str:
    return f"geomap/{geomap_version()} (news-to-map article reader)"


def is_url(item: object) -> bool:
    """True for text that starts with a scheme and ``://`` (``https://…``; any scheme, so that an
    unsupported one is an error about the URL rather than "no such file")."""
    return isinstance(item, str) and bool(_URL.match(item.strip()))


def check_url(url: str) -> str:
    """``url`` stripped, if it is http(s) with a host; InputError otherwise."""
    url = url.strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise InputError(f"{url}: unsupported URL scheme {parts.scheme!r} (use http or https)")
    if not parts.hostname:
        raise InputError(f"{url}: URL has no host")
    return url


class FetchError(InputError):
    """A fetch that failed in a way that may pass (a time-out, a refused or reset connection,
    HTTP 429 or 5xx): worth retrying later. Other failures are plain InputErrors."""


#: HTTP statuses worth a retry: too many requests, and the server-side errors that pass.
TRANSIENT_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class Fetched:
    """What one URL answered: the final URL (after redirects), the media type, charset and body,
    and the validators for a conditional request next time (``ETag``, ``Last-Modified``).

    ``status`` 304 (:attr:`not_modified`): the resource is unchanged since the validators sent
    with the request; the body is empty.
    """

    url: str
    media_type: str
    charset: str | None
    body: bytes
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) only (urllib would also follow one to ftp://)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme.lower() not in SCHEMES:
            raise InputError(f"{req.full_url}: redirected to a non-HTTP URL {newurl!r}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_HttpOnlyRedirects())


def _reason(exc: BaseException) -> str:
    """A short reason for a failed connection, telling an offline machine apart from a bad host."""
    if isinstance(exc, socket.gaierror):
        return "cannot resolve the host name (offline, or no such host)"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error ({exc.reason or exc})"
    if isinstance(exc, OSError) and exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return "network unreachable (offline?)"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or exc.__class__.__name__


def _size(n: int) -> str:
    return f"{n // 2**20} MB" if n % 2**20 == 0 else f"{n:,} bytes"


def fetch(
    url: str,
    *,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
    accept: tuple[str, ...] = HTML_TYPES + FEED_TYPES + TEXT_TYPES,
    headers: dict[str, str] | None = None,
) -> Fetched:
    """GET ``url``; InputError (one line, naming the URL) for every way it can fail, a
    :class:`FetchError` when the failure may pass (worth a retry).

    ``headers`` are sent as well, e.g. ``If-None-Match``/``If-Modified-Since`` for a conditional
    request: a 304 answer is a :class:`Fetched` whose ``not_modified`` is true.
    """
    url = check_url(url)
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": user_agent(),
            "Accept": "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
            "application/xml;q=0.9, text/plain;q=0.8",
            **(headers or {}),
        },
    )
    deadline = time.monotonic() + timeout
    try:
        with _opener().open(request, timeout=timeout) as response:
            final = response.geturl() or url
            media_type = response.headers.get_content_type().lower()
            charset = response.headers.get_content_charset()
            if media_type not in accept:
                raise InputError(f"{url}: not an HTML page or feed (content type {media_type})")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise InputError(f"{url}: larger than the {_size(max_bytes)} limit")
            chunks, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise FetchError(f"{url}: timed out after {timeout:g} s")
                chunk = response.read1(65536)  # what has arrived: the deadline is checked between reads
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise InputError(f"{url}: larger than the {_size(max_bytes)} limit")
                chunks.append(chunk)
            validators = response.headers.get("ETag"), response.headers.get("Last-Modified")
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(
                url=url,
                media_type="",
                charset=None,
                body=b"",
                status=304,
                etag=exc.headers.get("ETag"),
                last_modified=exc.headers.get("Last-Modified"),
            )
        error = FetchError if exc.code in TRANSIENT_STATUSES else InputError
        raise error(f"{url}: HTTP {exc.code} {exc.reason or ''}".rstrip()) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        error = FetchError if isinstance(reason, (TimeoutError, socket.timeout, ConnectionError)) else InputError
        raise error(f"{url}: {_reason(reason) if isinstance(reason, BaseException) else reason}") from None
    except TimeoutError:
        raise FetchError(f"{url}: timed out after {timeout:g} s") from None
    except InputError:
        raise
    except (OSError, ValueError) as exc:  # a reset connection, a malformed response, a bad port
        error = FetchError if isinstance(exc, ConnectionError) else InputError
        raise error(f"{url}: cannot fetch ({_reason(exc)})") from None
    return Fetched(
        url=final,
        media_type=media_type,
        charset=charset,
        body=b"".join(chunks),
        etag=validators[0],
        last_modified=validators[1],
    )


def _url_id(url: str, text: str) -> str:
    """A readable, stable id: the URL's last path segment and a hash of URL and text."""
    parts = urllib.parse.urlsplit(url)
    segment = [s for s in parts.path.split("/") if s]
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", segment[-1]) if segment else parts.hostname or "page"
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:40] or "page"
    digest = hashlib.sha1(f"{url}\n{text}".encode()).hexdigest()[:8]
    return f"{stem}-{digest}"


def _decode(fetched: Fetched) -> str:
    try:
        return fetched.body.decode(fetched.charset or "utf-8")
    except (LookupError, UnicodeDecodeError):
        return fetched.body.decode("utf-8", errors="replace")


def page_article(fetched: Fetched, *, title: str | None = None, published: dt.date | None = None) -> Article:
    """The article of a fetched HTML page (trafilatura: main text, title, date, canonical URL).

    ``title`` and ``published`` (from a feed item) are used when the page does not tell its own.
    """
    if fetched.media_type in TEXT_TYPES:
        text = _decode(fetched).strip()
        if not text:
            raise InputError(f"{fetched.url}: the page is empty")
        return Article(
            text=text,
            doc_id=_url_id(fetched.url, text),
            title=title,
            url=fetched.url,
            published=published,
            source_path=fetched.url,
        )
    # bytes: the page's own charset declaration decides when the header names none
    page = read_page(_decode(fetched) if fetched.charset else fetched.body, where=fetched.url, url=fetched.url)
    if not page.has_article:  # a menu or a caption is not an article
        raise InputError(f"{fetched.url}: no article text found on the page")
    return Article(
        text=page.text,
        doc_id=_url_id(fetched.url, page.text),
        title=(page.title or title or "").strip() or None,
        url=fetched.url,
        published=page.published or published,
        source_path=fetched.url,
    )


def is_feed(fetched: Fetched) -> bool:
    """RSS/Atom by content type, or by its root element (some servers call feeds text/html)."""
    if fetched.media_type in FEED_TYPES:
        return True
    return bool(_FEED_ROOT.match(fetched.body[:4096]))


@dataclass(frozen=True, slots=True)
class FeedItem:
    url: str
    title: str | None
    published: dt.date | None


def feed_items(fetched: Fetched) -> list[FeedItem]:
    """The items of an RSS/Atom feed with their links made absolute; InputError if it is none."""
    import feedparser

    parsed = feedparser.parse(
        fetched.body, response_headers={"content-location": fetched.url, "content-type": fetched.media_type}
    )
    if not parsed.get("version"):
        raise InputError(f"{fetched.url}: not an RSS or Atom feed")
    items = []
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        if not link:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None
        items.append(
            FeedItem(
                url=urllib.parse.urljoin(fetched.url, link),
                title=(entry.get("title") or "").strip() or None,
                published=published,
            )
        )
    if not items:
        raise InputError(f"{fetched.url}: the feed has no items with a link")
    return items


class UrlBatch:
    """The URLs of one run: each failing URL (or feed item) is recorded and skipped.

    After the run, :meth:`finish` reports the failures as warnings if anything was read, and
    raises the failure as the run's one-line error if nothing was.
    """

    def __init__(self, *, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.failures: list[str] = []
        self.urls = 0

    def _fetch(self, url: str) -> Fetched:
        self.urls += 1
        return fetch(url, timeout=self.timeout, max_bytes=self.max_bytes)

    def read(self, url: str) -> Iterator[Article]:
        """The article at ``url``, or one per item of the feed at ``url``; failures are recorded."""
        try:
            fetched = self._fetch(url)
            if not is_feed(fetched):
                yield page_article(fetched)
                return
            items = feed_items(fetched)
        except InputError as exc:
            self.failures.append(str(exc))
            return
        for item in items:
            try:
                yield page_article(self._fetch(item.url), title=item.title, published=item.published)
            except InputError as exc:
                self.failures.append(f"{exc} (item of {url})")

    def finish(self, *, read_any: bool) -> None:
        if not self.failures:
            return
        if not read_any:
            if len(self.failures) == 1:
                raise InputError(self.failures[0])
            raise InputError(f"none of {self.urls} URLs could be read; first: {self.failures[0]}")
        for failure in self.failures:
            logger.warning("%s; skipped", failure)


__all__ = [
    "FEED_TYPES",
    "HTML_TYPES",
    "MAX_BYTES",
    "TIMEOUT",
    "TRANSIENT_STATUSES",
    "FetchError",
    "Fetched",
    "FeedItem",
    "UrlBatch",
    "check_url",
    "feed_items",
    "fetch",
    "is_feed",
    "is_url",
    "page_article",
    "user_agent",
]
