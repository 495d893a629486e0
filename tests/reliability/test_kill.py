"""SIGKILL a writer at random points of a large write: the old output stays intact (or is wholly
replaced by the new one, never half), and the next write of the same target removes the debris."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geomap.io.atomic import staged, write_bytes

ROOT = Path(__file__).resolve().parents[2]
CHUNK, CHUNKS = 256 * 1024, 48  # 12 MB, written slowly enough to be killed in the middle

#: The writer, without importing the whole geomap package (seconds of spaCy and pandas imports):
#: a bare package object lets ``geomap.io.atomic`` and ``geomap.errors`` load on their own.
WRITER = f"""
import sys, time, types
pkg = types.ModuleType("geomap"); pkg.__path__ = [{str(ROOT / "geomap")!r}]; sys.modules["geomap"] = pkg
from geomap.io.atomic import atomic_path, staged

mode, *targets = sys.argv[1:]

def fill(path):
    with open(path, "wb") as fh:
        for i in range({CHUNKS}):
            fh.write(bytes([65 + i % 26]) * {CHUNK})
            fh.flush()
            time.sleep(0.004)

if mode == "single":
    with atomic_path(targets[0]) as tmp:
        print("writing", flush=True)
        fill(tmp)
else:
    with staged(targets) as paths:
        print("writing", flush=True)
        for p in paths:
            fill(p)
print("done", flush=True)
"""

NEW = b"".join(bytes([65 + i % 26]) * CHUNK for i in range(CHUNKS))


def kill_during_write(mode: str, targets: list[Path], delay: float) -> str:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, mode, *map(str, targets)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert proc.stdout.readline().strip() == b"writing", proc.stderr.read()
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        rest = proc.stdout.read().decode()
        proc.stdout.close()
        proc.stderr.close()
    return rest


def debris(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


_rng = random.Random(14)
DELAYS = sorted(_rng.uniform(0.0, 0.3) for _ in range(5))


@pytest.mark.parametrize("delay", DELAYS, ids=[f"{d:.3f}s" for d in DELAYS])
def test_killed_single_write_keeps_the_old_file_and_debris_is_cleaned(tmp_path, delay):
    target = tmp_path / "map.html"
    target.write_bytes(b"<p>old map</p>")
    rest = kill_during_write("single", [target], delay)
    data = target.read_bytes()
    if "done" in rest:  # the write won the race: then it is whole
        assert data == NEW
    else:
        assert data == b"<p>old map</p>"
        assert debris(tmp_path), "a killed write leaves its temp file (that is what is cleaned)"
    write_bytes(target, b"<p>next run</p>")
    assert target.read_bytes() == b"<p>next run</p>"
    assert debris(tmp_path) == []


@pytest.mark.parametrize("delay", DELAYS[:3], ids=[f"{d:.3f}s" for d in DELAYS[:3]])
def test_killed_staged_write_keeps_all_old_outputs_and_debris_is_cleaned(tmp_path, delay):
    out = tmp_path / "out"
    out.mkdir()
    targets = [out / "map.html", out / "ev.geojson"]
    old = {t: f"old {t.name}".encode() for t in targets}
    for t, data in old.items():
        t.write_bytes(data)
    rest = kill_during_write("staged", targets, delay)
    now = {t: t.read_bytes() for t in targets}
    # each output is old or whole; the renames come last and in order, so a new second output
    # means a new first one (killed between the two renames is the only mixed state)
    assert all(now[t] in (old[t], NEW) for t in targets)
    assert now[targets[1]] == old[targets[1]] or now[targets[0]] == NEW
    if "done" in rest:
        assert all(data == NEW for data in now.values())
    with staged(targets) as paths:
        for p in paths:
            p.write_bytes(b"next run")
    assert all(t.read_bytes() == b"next run" for t in targets)
    assert debris(out) == []


@pytest.mark.slow
def test_kill_of_a_real_map_run_leaves_the_outputs_whole(tmp_path):
    """``geomap map`` itself, killed at a random point of its run, then run again."""
    out = tmp_path / "out"
    out.mkdir()
    html, events = out / "map.html", out / "ev.geojson"
    html.write_bytes(b"<p>old map</p>")
    events.write_bytes(b'{"old": true}')
    sample = ROOT / "data" / "samples" / "us-boosting-iraq-base.txt"
    args = [sys.executable, "-m", "geomap", "map", str(sample), "-q", "-o", str(html), "--events", str(events)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None and not debris(out):
        time.sleep(0.005)  # until the run starts writing (its staging folder appears)
    time.sleep(random.Random(7).uniform(0.0, 0.05))
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert html.read_bytes() == b"<p>old map</p>" or b"L.map" in html.read_bytes()
    assert events.read_bytes() == b'{"old": true}' or b"FeatureCollection" in events.read_bytes()
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert b"L.map" in html.read_bytes() and b"FeatureCollection" in events.read_bytes()
    assert debris(out) == []
