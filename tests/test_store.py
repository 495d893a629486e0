"""The event store: `geomap update` adds only new articles, in one transaction, under a lock."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geomap.errors import StoreBusy, StoreError
from geomap.records import Article
from geomap.store import check_store, is_store, store_counts, update_store
from geomap.store.db import write_transaction
from geomap.store.keys import article_key, canonical_url
from tests.cli_app import run_cli

DATA = Path(__file__).parent / "data" / "store"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def articles_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    for f in DATA.glob("*.md"):
        shutil.copy(f, folder / f.name)
    return folder


def test_canonical_urls_and_keys():
    assert (
        canonical_url("HTTPS://Wire.Example:443/world/a/?utm_source=rss&b=2&a=1#top")
        == "https://wire.example/world/a?a=1&b=2"
    )
    assert canonical_url("http://x.example:8080/") == "http://x.example:8080"
    a = Article(text="Some  text\nhere.", doc_id="a")
    b = Article(text="Some text here.", doc_id="b")
    assert article_key(a) == article_key(b) and article_key(a).startswith("sha1:")
    assert article_key(Article(text="t", doc_id="c", url="https://x.example/p?fbclid=1")) == "https://x.example/p"


def test_update_adds_once_and_a_second_run_changes_nothing(tmp_path, articles_dir, geoparser):
    store = tmp_path / "news.db"
    first = update_store(store, [str(articles_dir)], geoparser=geoparser)
    assert is_store(store) and first.run_id == 1 and first.n_new == 4 and first.n_events >= 4
    assert check_store(store) == []
    counts = store_counts(store)
    assert counts["articles"] == 4 and counts["runs"] == 1 and counts["events"] >= 4
    before = digest(store)
    second = update_store(store, [str(articles_dir)], geoparser=geoparser)
    assert second.run_id is None and second.n_new == 0 and second.n_known == 4
    assert digest(store) == before  # not even a runs row
    # the same article under a tracking URL, and a re-wrapped copy of a URL-less one, are known
    (articles_dir / "copy.md").write_text(
        (DATA / "day1-reuters.md").read_text().replace("utm_source=rss", "utm_medium=email"), encoding="utf-8"
    )
    third = update_store(store, [str(articles_dir)], geoparser=geoparser)
    assert third.run_id is None and third.n_known == 5
    (articles_dir / "copy.md").unlink()


def test_new_articles_are_added_to_what_is_stored(tmp_path, geoparser):
    store = tmp_path / "s.db"
    update_store(store, [str(DATA / "day1-reuters.md")], geoparser=geoparser)
    summary = update_store(store, [str(DATA / "day1-reuters.md"), str(DATA / "day2-local.md")], geoparser=geoparser)
    assert (summary.run_id, summary.n_new, summary.n_known) == (2, 1, 1)
    conn = sqlite3.connect(store)
    runs = conn.execute("SELECT run_id, n_articles, geomap_version, settings FROM runs ORDER BY run_id").fetchall()
    assert [r[:2] for r in runs] == [(1, 1), (2, 1)]
    assert runs[0][2] and "model" in json.loads(runs[0][3])
    by_run = dict(conn.execute("SELECT article_key, run_id FROM articles"))
    assert by_run == {"https://wire.example/world/baghdad-car-bomb": 1, "https://daily.example/iraq/market-victims": 2}
    assert conn.execute("SELECT COUNT(*) FROM events WHERE run_id = 2").fetchone()[0] >= 1
    text = conn.execute("SELECT text FROM articles WHERE run_id = 2").fetchone()[0]
    assert "Families buried their dead" in text  # kept, so a newer geomap can parse it again
    assert check_store(store) == []


def test_a_bad_record_is_recorded_and_skipped(tmp_path, geoparser):
    feed = tmp_path / "wire.jsonl"
    good = {"id": "w1", "date": "2021-03-04", "text": "Protesters gathered in Basra on Thursday."}
    feed.write_text(
        "\n".join(
            [
                json.dumps(good),
                "{broken",
                json.dumps({"id": "w3", "text": ""}),
                json.dumps({"id": "w4", "date": "yesterday", "text": "Clashes in Mosul."}),
            ]
        )
        + "\n"
    )
    store = tmp_path / "s.db"
    summary = update_store(store, [str(feed)], geoparser=geoparser)
    assert (summary.n_new, summary.n_errors) == (1, 3)
    conn = sqlite3.connect(store)
    errors = conn.execute("SELECT location, doc_id, reason FROM errors ORDER BY error_id").fetchall()
    assert [e[0] for e in errors] == [f"{feed}:2", f"{feed}:3", f"{feed}:4"]
    assert "invalid JSON" in errors[0][2] and "text" in errors[1][2] and "date" in errors[2][2]
    assert errors[2][1] == "w4"
    conn.close()
    before = digest(store)
    assert update_store(store, [str(feed)], geoparser=geoparser).run_id is None
    assert digest(store) == before


def test_a_second_update_is_refused_while_one_runs(tmp_path, geoparser, capsys):
    store = tmp_path / "s.db"
    update_store(store, [str(DATA / "day1-reuters.md")], geoparser=geoparser)
    with write_transaction(store):
        with pytest.raises(StoreBusy, match="another geomap update is running"):
            update_store(store, [str(DATA / "day2-local.md")], geoparser=geoparser)
        code, out, err = run_cli(capsys, "update", store, DATA / "day2-local.md", "-q")
        assert code == 1 and err.count("\n") == 1 and err.startswith("error: ") and "another geomap update" in err
        # readers still read the last commit
        assert store_counts(store)["articles"] == 1 and check_store(store) == []
    assert update_store(store, [str(DATA / "day2-local.md")], geoparser=geoparser).n_new == 1


def test_check_finds_damage(tmp_path, geoparser, capsys):
    store = tmp_path / "s.db"
    update_store(store, [str(DATA / "day1-reuters.md")], geoparser=geoparser)
    code, out, _ = run_cli(capsys, "store", "check", store)
    assert code == 0 and out.strip() == f"{store}: ok"
    conn = sqlite3.connect(store, isolation_level=None)
    conn.execute("UPDATE incidents SET n_sources = 5")
    conn.execute("DELETE FROM articles")
    conn.close()
    problems = check_store(store)
    assert any("event rows of no stored article" in p for p in problems)
    assert any("n_sources" in p for p in problems)
    code, _, err = run_cli(capsys, "store", "check", store)
    assert code == 1 and err.count("\n") == 1 and "mention rows of no stored article" in err


def test_foreign_files_are_refused(tmp_path, capsys):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(StoreError, match="not a geomap store"):
        check_store(other)
    code, _, err = run_cli(capsys, "store", "check", tmp_path / "missing.db")
    assert code == 1 and "no such store" in err


def _wire(path: Path, n: int) -> None:
    towns = ["Basra", "Mosul", "Kirkuk", "Najaf", "Erbil", "Tikrit", "Ramadi", "Fallujah"]
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            town = towns[i % len(towns)]
            f.write(
                json.dumps(
                    {
                        "id": f"k{i}",
                        "date": "2021-04-01",
                        "text": (
                            f"Report {i}. Protesters gathered in {town} on Tuesday. Police fired tear gas in {town}. "
                            f"A roadside bomb exploded near {town} on Monday, officials said. "
                        )
                        * 3,
                    }
                )
                + "\n"
            )


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


@pytest.mark.parametrize("delay", [0.0, 1.5])
@pytest.mark.slow
def test_kill_9_leaves_the_store_as_before(tmp_path, geoparser, delay):
    """A `geomap update` killed (SIGKILL) while it holds the store: the last commit stays, whole."""
    store = tmp_path / "s.db"
    update_store(store, [str(DATA / "day1-reuters.md")], geoparser=geoparser)
    before = store_counts(store)
    wire = tmp_path / "wire.jsonl"
    _wire(wire, 300)
    proc = subprocess.Popen(
        [sys.executable, "-m", "geomap", "update", str(store), str(wire), "-q", "--jobs", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not _locked(store):
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(delay)
        assert proc.poll() is None  # still working: killed mid-run
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert store_counts(store) == before
    assert check_store(store) == []
    # and the next update goes on from there
    assert update_store(store, [str(DATA / "day2-local.md")], geoparser=geoparser).n_new == 1
