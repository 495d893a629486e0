"""What identifies an article in a store: its canonical URL, else a hash of its text."""

from __future__ import annotations

import hashlib
import urllib.parse

from geomap.records import Article

#: Query parameters that track a reader, not name a page (dropped from canonical URLs).
TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """``url`` with the parts that do not change the page removed: scheme and host in lower case,
    the default port, the fragment, tracking parameters (``utm_*``, ``fbclid`` …) and a trailing
    slash; the other parameters sorted. ``https://Example.org/a/?utm_source=x#top`` and
    ``https://example.org/a`` are one article."""
    parts = urllib.parse.urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    query = sorted(
        (k, v)
        for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(TRACKING_PARAMS)
    )
    path = parts.path.rstrip("/") if parts.path not in ("", "/") else ""
    return urllib.parse.urlunsplit((scheme, host, path, urllib.parse.urlencode(query), ""))


def content_hash(text: str) -> str:
    """A hash of the text with its white space normalised (re-wrapped copies are one article)."""
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()


def article_key(article: Article) -> str:
    """The store's key of an article: its canonical URL when it has one, else ``sha1:<hash>``."""
    if article.url and urllib.parse.urlsplit(article.url.strip()).scheme.lower() in ("http", "https"):
        return canonical_url(article.url)
    return f"sha1:{content_hash(article.text)}"
