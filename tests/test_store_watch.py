"""`geomap update STORE feeds.txt --watch`: conditional requests, retries, the per-host rate
limit, the time budget, the round lines and the map, and Ctrl-C. Feeds come from 127.0.0.1."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geomap.errors import InputError
from geomap.io import web
from geomap.store import check_store, store_counts
from geomap.store.feeds import FeedReader
from geomap.store.watch import parse_interval, watch
from tests.cli_app import run_cli
from tests.web_server import only_localhost, serve


@pytest.fixture()
def site(monkeypatch):
    only_localhost(monkeypatch)
    with serve() as s:
        yield s


class FakeClock:
    """A clock that moves only when slept on (or when a test advances it)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _reader(clock: FakeClock, **kw) -> FeedReader:
    return FeedReader(clock=clock, sleep=clock.sleep, **kw)


def _rounds(tmp_path, site, urls, geoparser, *, n=2, reader=None, clock=None, **kw):
    clock = clock or FakeClock()
    reports = []
    watch(
        tmp_path / "s.db",
        urls,
        interval=60,
        rounds=n,
        reader=reader or _reader(clock),
        clock=clock,
        sleep=clock.sleep,
        on_round=reports.append,
        geoparser=geoparser,
        **kw,
    )
    return reports, clock


def test_intervals():
    assert [parse_interval(t) for t in ("30s", "15m", "1h", "90", "1.5m")] == [30, 900, 3600, 90, 90]
    for bad in ("soon", "-1m", "0s", "15 minutes"):
        with pytest.raises(InputError):
            parse_interval(bad)


def test_fetch_sends_headers_and_reports_not_modified(site):
    first = web.fetch(site.url("feed.rss"))
    assert first.etag and first.last_modified and not first.not_modified
    again = web.fetch(site.url("feed.rss"), headers={"If-None-Match": first.etag})
    assert again.not_modified and again.body == b""
    assert site.conditional[-1] == ("/feed.rss", first.etag, None)
    with pytest.raises(web.FetchError, match="HTTP 503"):
        web.fetch(site.url("status/503"))
    with pytest.raises(InputError) as found:
        web.fetch(site.url("status/404"))
    assert not isinstance(found.value, web.FetchError)  # a 404 does not pass: no retry


def test_second_round_is_not_modified_and_parses_nothing(tmp_path, site, geoparser):
    reports, _ = _rounds(tmp_path, site, [site.url("feed.rss")], geoparser)
    first, second = reports
    assert (first.n_feeds, first.n_not_modified, first.n_new) == (1, 0, 2)
    assert first.n_events > 0 and first.n_errors == 1  # removed.html: 404, recorded once
    assert (second.n_feeds, second.n_not_modified, second.n_new, second.n_events) == (1, 1, 0, 0)
    assert second.line() == "round 2: 1 feeds, 1 not modified, 0 new articles, 0 events, 0 errors"
    # round 2 asked with the stored ETag and fetched no item
    feed_asks = [c for c in site.conditional if c[0] == "/feed.rss"]
    assert feed_asks[0][1] is None and feed_asks[1][1] is not None and len(feed_asks) == 2
    assert [a for a in site.answers if a[0] == "/feed.rss"] == [("/feed.rss", 200), ("/feed.rss", 304)]
    assert [p for p, _ in site.requests].count("/article.html") == 1
    conn = sqlite3.connect(tmp_path / "s.db")
    assert conn.execute("SELECT url, etag IS NOT NULL FROM feeds").fetchall() == [(site.url("feed.rss"), 1)]
    conn.close()
    assert check_store(tmp_path / "s.db") == []


def test_a_feed_that_fails_twice_then_works_is_retried(tmp_path, site, geoparser):
    clock = FakeClock()
    reports, _ = _rounds(
        tmp_path,
        site,
        [site.url("flaky/2/feed.rss")],
        geoparser,
        n=1,
        reader=_reader(clock, retries=3, backoff=2.0),
        clock=clock,
    )
    assert reports[0].n_new == 2
    assert [s for p, s in site.answers if p.endswith("feed.rss")] == [500, 500, 200]
    assert clock.sleeps[:2] == [2.0, 4.0]  # exponential back-off


def test_the_last_retry_fails_with_one_line(tmp_path, site, geoparser):
    clock = FakeClock()
    reports, _ = _rounds(
        tmp_path, site, [site.url("flaky/9/feed.rss")], geoparser, n=1, reader=_reader(clock, retries=2), clock=clock
    )
    assert reports[0].n_errors == 1 and reports[0].n_new == 0
    assert [s for p, s in site.answers if p.endswith("feed.rss")] == [500, 500, 500]
    conn = sqlite3.connect(tmp_path / "s.db")
    (reason,) = conn.execute("SELECT reason FROM errors").fetchone()
    conn.close()
    assert reason.endswith("HTTP 500 Internal Server Error (after 3 attempts)") and "\n" not in reason


def test_rate_limit_per_host(tmp_path, site, geoparser):
    clock = FakeClock()
    times: list[float] = []

    def timed_fetch(url, **kw):
        times.append(clock())
        clock.now += 0.25  # each request takes a little time
        return web.fetch(url, **kw)

    reader = FeedReader(fetch=timed_fetch, min_interval=5.0, clock=clock, sleep=clock.sleep)
    _rounds(tmp_path, site, [site.url("feed.rss")], geoparser, n=1, reader=reader, clock=clock)
    assert len(times) == 4  # the feed and its three linked items, all on one host
    assert all(b - a >= 5.0 for a, b in zip(times, times[1:]))
    assert clock.sleeps and all(s <= 5.0 for s in clock.sleeps)


def test_time_budget_leaves_the_rest_for_the_next_round(tmp_path, site, geoparser):
    clock = FakeClock()
    reader = _reader(clock, min_interval=10.0)
    reports, _ = _rounds(
        tmp_path, site, [site.url("feed.rss")], geoparser, n=2, reader=reader, clock=clock, budget=15.0
    )
    first, second = reports
    # round 1: the feed and one item fit in 15 s at one request per 10 s; the rest waits
    assert first.n_new == 1 and first.n_deferred == 2 and "left for the next round" in first.line()
    # the feed's ETag was not kept, so round 2 reads the feed again and gets the rest
    assert second.n_not_modified == 0 and second.n_new == 1
    assert store_counts(tmp_path / "s.db")["articles"] == 2


def test_cli_watch_rounds_and_map(tmp_path, site, capsys):
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# the test gazette\n{site.url('feed.rss')}\n\n{site.url('feed.atom')}\n", encoding="utf-8")
    store, page = tmp_path / "news.db", tmp_path / "map.html"
    code, out, err = run_cli(
        capsys,
        "update",
        store,
        feeds,
        "--watch",
        "0.05s",
        "--rounds",
        "2",
        "--map",
        page,
        "--budget",
        "1m",
        "--host-interval",
        "0",
        "-q",
    )
    assert code == 0, err
    lines = [line for line in err.splitlines() if line.startswith("round ")]
    assert len(lines) == 2
    assert lines[0].startswith("round 1: 2 feeds, 0 not modified, ") and lines[0].endswith("map written")
    assert lines[1].startswith("round 2: 2 feeds, 2 not modified, 0 new articles, 0 events, 0 errors")
    assert lines[1].endswith("map unchanged")
    html = page.read_text(encoding="utf-8")
    assert "Mosul" in html and "leaflet" in html.lower()
    assert check_store(store) == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["--watch", "soon"], "--watch takes a duration"),
        (["--rounds", "2"], "go with --watch"),
        (["--watch", "1m", "--map", "map.png"], "the map is HTML"),
    ],
)
def test_cli_watch_refuses_bad_options(tmp_path, site, capsys, args, message):
    code, _, err = run_cli(capsys, "update", tmp_path / "s.db", site.url("feed.rss"), *args)
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1


def test_cli_watch_refuses_files(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("Protesters gathered in Basra on Tuesday.\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "update", tmp_path / "s.db", tmp_path / "a.txt", "--watch", "1m")
    assert code == 1 and "--watch polls feeds" in err


def _locked(store: Path) -> bool:
    conn = sqlite3.connect(store, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


@pytest.mark.slow
def test_sigint_during_a_round_leaves_the_store_whole(tmp_path, site):
    """Ctrl-C while round 2 holds the store (waiting for a slow page): rolled back, status 130."""
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{site.url('feed.rss')}\n{site.url('slow')}\n", encoding="utf-8")
    store = tmp_path / "news.db"
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "geomap",
            "update",
            str(store),
            str(feeds),
            "--watch",
            "0.1s",
            "--budget",
            "1m",
            "--host-interval",
            "0",
            "-q",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        first = proc.stderr.readline()
        assert first.startswith("round 1: 2 feeds"), first
        after_round_1 = store_counts(store)
        deadline = time.monotonic() + 30
        while not _locked(store):
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        rest = proc.communicate(timeout=30)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130
    assert rest.strip().splitlines()[-1].startswith("error: interrupted after 1 round(s)")
    assert "Traceback" not in rest
    assert store_counts(store) == after_round_1 and after_round_1["articles"] == 2
    code = subprocess.run(
        [sys.executable, "-m", "geomap", "store", "check", str(store)], capture_output=True, text=True, timeout=120
    )
    assert code.returncode == 0 and code.stdout.strip().endswith(": ok")
