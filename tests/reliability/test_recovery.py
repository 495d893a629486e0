"""Crash debris and recovery: temp files of killed writes are removed by the next write of the
same target (and nothing else is); a damaged gazetteer is a one-line error that says how to
recover, never ``sqlite3.DatabaseError`` in the middle of a parse."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geomap.errors import GazetteerCorrupt, GazetteerError
from geomap.gazetteer import store
from geomap.gazetteer.geonames_import import import_geonames
from geomap.gazetteer.store import Gazetteer, quick_check
from geomap.io.atomic import atomic_path, clean_debris, staged, write_text
from tests.cli_app import run_cli as run

DATA = Path(__file__).resolve().parents[1] / "data" / "geonames"


def dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


# -- debris ---------------------------------------------------------------------------------------
def test_temp_file_is_named_after_the_target_with_our_pid(tmp_path):
    target = tmp_path / "map.html"
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path
        assert tmp.name.startswith(f".map.html.{os.getpid()}-") and tmp.name.endswith(".tmp")
        tmp.write_text("new")
    assert target.read_text() == "new" and sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]


def test_next_write_removes_debris_of_dead_writers_only(tmp_path):
    target = tmp_path / "map.html"
    target.write_text("old")
    pid = dead_pid()
    dead_file = tmp_path / f".map.html.{pid}-abcd1234.tmp"
    dead_file.write_bytes(b"")
    dead_dir = tmp_path / f".map.html.{pid}-efgh5678.tmp"
    (dead_dir).mkdir()
    (dead_dir / "map.html").write_text("half")
    legacy = tmp_path / ".map.html.42v59j9j.tmp"  # before the pid was in the name
    legacy.write_bytes(b"")
    old = time.time() - 3600
    os.utime(legacy, (old, old))
    fresh_legacy = tmp_path / ".map.html.zzzzzzzz.tmp"  # maybe an older geomap still writing
    fresh_legacy.write_bytes(b"")
    live = tmp_path / f".map.html.{os.getppid()}-ijkl9012.tmp"  # a live process: a concurrent writer
    live.write_bytes(b"")
    other_target = tmp_path / f".ev.geojson.{pid}-abcd1234.tmp"  # debris of another target
    other_target.write_bytes(b"")
    not_ours = [
        tmp_path / ".map.html.swp",
        tmp_path / f".map.html.{pid}-abcd1234.tmp.keep",
        tmp_path / f"map.html.{pid}-abcd1234.tmp",
    ]
    for p in not_ours:
        p.write_bytes(b"x")

    write_text(target, "new")

    assert target.read_text() == "new"
    assert not dead_file.exists() and not dead_dir.exists() and not legacy.exists()
    for kept in (fresh_legacy, live, other_target, *not_ours):
        assert kept.exists(), kept


def test_staged_outputs_clean_debris_of_each_target(tmp_path):
    pid = dead_pid()
    debris = [tmp_path / f".map.html.{pid}-aaaaaaaa.tmp", tmp_path / f".ev.geojson.{pid}-bbbbbbbb.tmp"]
    debris[0].mkdir()
    debris[1].write_bytes(b"")
    with staged([tmp_path / "map.html", tmp_path / "ev.geojson"]) as (html, ev):
        html.write_text("m")
        ev.write_text("e")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ev.geojson", "map.html"]


def test_clean_debris_never_raises(tmp_path):
    assert clean_debris(tmp_path / "missing-folder" / "x.html") == []
    assert clean_debris(tmp_path / "x.html") == []


def test_the_next_cli_run_removes_debris(tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text("Thousands protested in Lagos on Tuesday.\n", encoding="utf-8")
    out = tmp_path / "e.csv"
    debris = tmp_path / f".e.csv.{dead_pid()}-k1ll3d00.tmp"
    debris.write_bytes(b"")
    code, _, err = run(capsys, "extract", src, "--published", "2021-06-10", "-o", out)
    assert code == 0, err
    assert out.is_file() and not debris.exists()


# -- damaged gazetteer ----------------------------------------------------------------------------
@pytest.fixture
def small_gazetteer(tmp_path) -> Path:
    return import_geonames(
        tmp_path / "gn.sqlite",
        places=DATA / "places.txt",
        admin1=DATA / "admin1CodesASCII.txt",
        alternate_names=DATA / "alternateNamesV2.txt",
        country_info=DATA / "countryInfo.txt",
    )


def damage_table(path: Path, table: str) -> None:
    """Overwrite the root page of ``table``'s b-tree with garbage (the file stays the same size)."""
    with sqlite3.connect(path) as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(bytes((i * 37 + 11) % 256 for i in range(page_size)))


def test_sound_gazetteer_passes_the_check(small_gazetteer):
    assert quick_check(small_gazetteer) is None
    assert Gazetteer(small_gazetteer).lookup("Paris")


def test_damaged_name_index_fails_on_open_with_how_to_recover(small_gazetteer):
    damage_table(small_gazetteer, "names")
    assert quick_check(small_gazetteer) is not None
    with pytest.raises(GazetteerCorrupt) as info:
        Gazetteer(small_gazetteer)
    message = str(info.value)
    assert "\n" not in message and "damaged" in message
    assert f"geomap gazetteer build --force -o {small_gazetteer}" in message


def test_damage_the_check_misses_is_a_gazetteer_error_mid_parse(small_gazetteer):
    """quick_check is not exhaustive: damage a query meets later is reported the same way."""
    damage_table(small_gazetteer, "names")
    gaz = Gazetteer(small_gazetteer, check=False)
    with pytest.raises(GazetteerCorrupt, match="build --force"):
        gaz.lookup("Some Name Never Asked")


def test_not_a_database_is_a_gazetteer_error(tmp_path):
    bad = tmp_path / "g.sqlite"
    bad.write_bytes(b"this is no database " * 500)
    with pytest.raises(GazetteerError, match="not a geomap gazetteer.*build --force"):
        Gazetteer(bad)


def test_cli_reports_a_damaged_gazetteer_in_one_line(small_gazetteer, capsys):
    damage_table(small_gazetteer, "names")
    code, out, err = run(capsys, "geocode", "Paris", "--gazetteer", small_gazetteer)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the gazetteer is damaged"), err
    assert "build --force" in lines[0] and "Traceback" not in err + out


def test_default_cached_gazetteer_is_rebuilt_automatically(tmp_path, monkeypatch, small_gazetteer, caplog):
    """The user-cache gazetteer is made from installed packages: a damaged one is rebuilt (atomically)."""
    cached = tmp_path / "cache" / "gazetteer.sqlite"
    cached.parent.mkdir()
    cached.write_bytes(small_gazetteer.read_bytes())
    damage_table(cached, "names")
    monkeypatch.delenv(store.ENV_VAR, raising=False)
    monkeypatch.setattr(store, "default_path", lambda: cached)
    store.forget_opened()
    built = []

    def fake_build(path, **kw):
        built.append(Path(path))
        Path(path).write_bytes(small_gazetteer.read_bytes())
        return Path(path)

    monkeypatch.setattr(store, "build", fake_build)
    with caplog.at_level(logging.WARNING, logger="geomap"):
        gaz = Gazetteer.open()
    assert built == [cached] and gaz.lookup("Paris")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "damaged" in warnings[0] and "rebuilding" in warnings[0], warnings


def test_gazetteer_named_by_the_environment_is_not_rebuilt(tmp_path, monkeypatch, small_gazetteer):
    damage_table(small_gazetteer, "names")
    monkeypatch.setenv(store.ENV_VAR, str(small_gazetteer))
    store.forget_opened()
    monkeypatch.setattr(store, "build", lambda *a, **k: pytest.fail("replaced the user's gazetteer"))
    with pytest.raises(GazetteerCorrupt, match="or import it again"):
        Gazetteer.open()


def test_plain_build_rebuilds_a_damaged_file(small_gazetteer, monkeypatch, capsys):
    damage_table(small_gazetteer, "names")
    made = []
    monkeypatch.setattr("geomap.gazetteer.build", lambda path, **kw: made.append(Path(path)) or Path(path))
    code, out, err = run(capsys, "gazetteer", "build", "-o", small_gazetteer)
    assert code == 0, err
    assert made == [small_gazetteer]
    assert "damaged" in err and "rebuilding" in err and "gazetteer written" in out


def test_plain_build_keeps_a_sound_file(small_gazetteer, monkeypatch, capsys):
    monkeypatch.setattr("geomap.gazetteer.build", lambda *a, **k: pytest.fail("rebuilt a sound file"))
    code, out, _ = run(capsys, "gazetteer", "build", "-o", small_gazetteer)
    assert code == 0 and "already built" in out
