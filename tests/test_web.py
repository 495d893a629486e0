"""Articles from URLs and RSS/Atom feeds, served by a local server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import datetime as dt
import logging
import socket
from pathlib import Path

import pytest

from geomap.errors import InputError
from geomap.io import web
from geomap.io.readers import read_inputs
from tests.web_server import WEB, only_localhost, serve

SAMPLE_TEXT = "Protesters gathered in Erbil on Tuesday, organisers said."


@pytest.fixture
def site(monkeypatch):
    asked = only_localhost(monkeypatch)
    with serve() as s:
        s.asked = asked
        yield s
    # nothing but the local server was ever looked up
    assert set(asked) <= {"127.0.0.1"}, asked


def test_article_page_gives_text_title_date_and_url(site):
    (article,) = list(read_inputs([site.url("article.html")]))
    assert "A drone strike hit a fuel depot on the outskirts of Mosul on Saturday" in article.text
    assert "Baghdad" in article.text
    # boilerplate is left out: menus, most-read list, footer
    for junk in ("Subscribe now", "Recipe of the week", "Cookie settings"):
        assert junk not in article.text
    assert article.title == "Drone strike hits fuel depot near Mosul"
    assert article.published == dt.date(2021, 5, 2)
    assert article.url == site.url("article.html") and article.source_path == article.url
    assert article.doc_id.startswith("article-")
    # the request said who is asking
    assert site.requests[0][1].startswith("geomap/")


def test_redirect_is_followed_and_the_final_url_kept(site):
    (article,) = list(read_inputs([site.url("redirect")]))
    assert article.url == site.url("article.html")
    assert [p for p, _ in site.requests] == ["/redirect", "/article.html"]


def test_rss_feed_reads_every_item_page_and_skips_the_broken_one(site, caplog):
    with caplog.at_level(logging.WARNING, logger="geomap"):
        articles = list(read_inputs([site.url("feed.rss")]))
    assert [a.title for a in articles] == [
        "Drone strike hits fuel depot near Mosul",
        "Teachers protest in Basra over unpaid wages",
    ]
    assert "Hundreds of teachers protested outside the governorate building in Basra" in articles[1].text
    assert articles[1].published == dt.date(2021, 6, 14)
    assert articles[1].url == site.url("article2.html")  # the relative link was made absolute
    requested = [p for p, _ in site.requests]
    assert requested == ["/feed.rss", "/article.html", "/article2.html", "/removed.html"]
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1 and "removed.html: HTTP 404" in warnings[0] and "skipped" in warnings[0]


def test_atom_feed(site):
    (article,) = list(read_inputs([site.url("feed.atom")]))
    assert article.title == "Teachers protest in Basra over unpaid wages"
    assert "Basra" in article.text


def test_mixed_files_and_urls_keep_their_order(site, tmp_path):
    text = tmp_path / "local.txt"
    text.write_text(SAMPLE_TEXT, encoding="utf-8")
    articles = list(read_inputs([str(text), site.url("article2.html")], published=dt.date(2021, 7, 1)))
    assert [a.source_path for a in articles] == [str(text), site.url("article2.html")]
    assert all(a.published == dt.date(2021, 7, 1) for a in articles)  # --published wins for URLs too


@pytest.mark.parametrize(
    "path,message",
    [
        ("status/404", "HTTP 404"),
        ("status/503", "HTTP 503"),
        ("image.png", "not an HTML page or feed (content type image/png)"),
        ("empty.html", "no article text found"),
        ("redirect-ftp", "redirected to a non-HTTP URL"),
    ],
)
def test_a_failing_url_alone_is_the_error(site, path, message):
    with pytest.raises(InputError) as info:
        list(read_inputs([site.url(path)]))
    text = str(info.value)
    assert text.startswith(site.url(path)) and message in text and "\n" not in text


def test_a_failing_url_in_a_batch_is_skipped(site, caplog):
    with caplog.at_level(logging.WARNING, logger="geomap"):
        articles = list(read_inputs([site.url("status/500"), site.url("article2.html"), site.url("empty.html")]))
    assert [a.url for a in articles] == [site.url("article2.html")]
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2 and "HTTP 500" in messages[0] and "no article text" in messages[1]


def test_nothing_readable_is_one_error(site):
    with pytest.raises(InputError, match=r"none of 2 URLs could be read; first: .*HTTP 404"):
        list(read_inputs([site.url("status/404"), site.url("image.png")]))


def test_offline_host_is_a_clear_error(site):
    url = "https://news.example.invalid/story.html"
    with pytest.raises(InputError, match="cannot resolve the host name .offline, or no such host."):
        list(read_inputs([url]))
    assert site.asked == ["news.example.invalid"]  # asked for, refused, never reached
    site.asked.clear()  # (the fixture checks that nothing else was asked)


def test_connection_refused(site):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(InputError, match="connection refused"):
        web.fetch(f"http://127.0.0.1:{port}/a.html")


@pytest.mark.slow
def test_timeout_and_size_limits(site):
    with pytest.raises(InputError, match=r"timed out"):
        web.fetch(site.url("slow"), timeout=0.5)
    with pytest.raises(InputError, match=r"timed out after 1 s"):  # a slow drip is cut by the deadline
        web.fetch(site.url("drip"), timeout=1)
    with pytest.raises(InputError, match=r"larger than the 1 MB limit"):
        web.fetch(site.url("big"), max_bytes=1024 * 1024)


@pytest.mark.parametrize(
    "url,message",
    [
        ("ftp://127.0.0.1/a.txt", "unsupported URL scheme 'ftp'"),
        ("file:///etc/passwd", "unsupported URL scheme 'file'"),
        ("http:///nohost", "URL has no host"),
    ],
)
def test_only_http_urls(site, url, message):
    with pytest.raises(InputError, match=message):
        list(read_inputs([url]))
    assert site.requests == []


def test_is_url():
    assert web.is_url("https://example.org/a") and web.is_url("HTTP://x/y") and web.is_url("ftp://x")
    assert not web.is_url("articles/a.txt") and not web.is_url("C:\\news\\a.txt")
    assert web.is_url("gopher://x/") and not web.is_url(Path("a.txt"))  # any scheme: the error names the URL


def test_plain_text_url_is_read_as_it_is(site):
    (article,) = list(read_inputs([site.url("notes.txt")]))
    assert article.text == (WEB / "notes.txt").read_text(encoding="utf-8").strip()
    assert article.doc_id.startswith("notes-") and article.url == site.url("notes.txt")


@pytest.mark.parametrize(
    "body,media_type,expected",
    [
        (b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- generated -->\n<rss version="2.0">', "text/html", True),
        (b'<feed xmlns="http://www.w3.org/2005/Atom">', "text/plain", True),
        (b"<html><body><p>Subscribe to our <rss> feed</p><feed ></body></html>", "text/html", False),
        (b"<html></html>", "application/atom+xml", True),
    ],
)
def test_feed_is_told_by_type_or_by_its_root(body, media_type, expected):
    assert web.is_feed(web.Fetched("http://127.0.0.1/x", media_type, None, body)) is expected
