"""A local web site for the URL/feed tests: tests/data/web/ served on 127.0.0.1 in a thread.

``{{BASE}}`` in a served file becomes the server's own address. A few paths answer the ways a
real site can fail: ``/status/<code>``, ``/slow`` (answers after 3 s), ``/big`` (2 MB of HTML),
``/redirect`` (to the article), ``/redirect-ftp`` (to an ftp:// URL) and ``/drip`` (a byte a
second). ``/flaky/<n>/<file>`` answers HTTP 500 to the first ``n`` requests, then serves the
file. Files are served with an ETag and a Last-Modified, and a request that sends the ETag back
(``If-None-Match``) gets 304 Not Modified. Every request is recorded with its User-Agent; the
conditional headers of each are in ``Site.conditional``.

:func:`only_localhost` makes any name lookup other than 127.0.0.1/localhost fail as an offline
machine's would, and records it: tests assert that nothing but the local server was asked.
"""

from __future__ import annotations

import contextlib
import hashlib
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WEB = Path(__file__).parent / "data" / "web"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".png": "image/png",
    ".txt": "text/plain; charset=utf-8",
}
LOCAL = {"127.0.0.1", "localhost"}


class Site:
    """The running server: its base URL and the requests it saw."""

    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.base = f"http://127.0.0.1:{server.server_address[1]}"
        self.requests: list[tuple[str, str]] = []  # (path, User-Agent)
        self.conditional: list[tuple[str, str | None, str | None]] = []  # (path, If-None-Match, If-Modified-Since)
        self.answers: list[tuple[str, int]] = []  # (path, status) of the files and flaky paths
        self.flaky: dict[str, int] = {}  # path -> requests seen

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"


def _handler(site_ref: list[Site]):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def _send(self, code: int, body: bytes, content_type: str, length: bool = True) -> None:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            if length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            site = site_ref[0]
            site.requests.append((self.path, self.headers.get("User-Agent", "")))
            site.conditional.append(
                (self.path, self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"))
            )
            path = self.path.split("?")[0]
            if path.startswith("/flaky/"):
                _, _, n, rest = path.split("/", 3)
                seen = site.flaky[path] = site.flaky.get(path, 0) + 1
                if seen <= int(n):
                    site.answers.append((path, 500))
                    self.send_error(500)
                    return
                path = "/" + rest
            if path.startswith("/status/"):
                self.send_error(int(path.rsplit("/", 1)[1]))
            elif path == "/slow":
                time.sleep(3)
                self._send(200, b"<html><body><p>late</p></body></html>", TYPES[".html"])
            elif path == "/big":
                body = b"<html><body>" + b"<p>filler text</p>" * 120_000 + b"</body></html>"
                self._send(200, body, TYPES[".html"], length=False)
            elif path == "/drip":
                self.send_response(200)
                self.send_header("Content-Type", TYPES[".html"])
                self.end_headers()
                with contextlib.suppress(OSError):
                    for _ in range(10):
                        self.wfile.write(b"<p>x</p>")
                        self.wfile.flush()
                        time.sleep(0.5)
            elif path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "/article.html")
                self.end_headers()
            elif path == "/redirect-ftp":
                self.send_response(302)
                self.send_header("Location", "ftp://127.0.0.1/secret.txt")
                self.end_headers()
            else:
                file = (WEB / path.lstrip("/")).resolve()
                if WEB.resolve() not in file.parents or not file.is_file():
                    self.send_error(404)
                    return
                body = file.read_bytes().replace(b"{{BASE}}", site.base.encode())
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    site.answers.append((path, 304))
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                site.answers.append((path, 200))
                self.send_response(200)
                self.send_header("Content-Type", TYPES.get(file.suffix, "application/octet-stream"))
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", "Sun, 02 May 2021 10:00:00 GMT")
                self.end_headers()
                self.wfile.write(body)

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A client that hung up early (the size and time-out tests do) is no error."""
        import sys

        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve() -> Iterator[Site]:
    """Serve tests/data/web on 127.0.0.1 (a free port) while the block runs."""
    ref: list[Site] = []
    server = _Server(("127.0.0.1", 0), _handler(ref))
    ref.append(Site(server))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield ref[0]
    finally:
        server.shutdown()
        server.server_close()


def only_localhost(monkeypatch) -> list[str]:
    """Refuse name lookups for anything but the local server (as if offline); returns the hosts
    that were asked for, in order. Proxies from the environment are switched off too."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    asked: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        asked.append(host.decode() if isinstance(host, bytes) else str(host))
        if asked[-1] not in LOCAL:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked
