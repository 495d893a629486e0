"""The geomap command line, end to end: outputs, formats, and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
from cli_app import run_cli as run

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "us-boosting-iraq-base.txt"


def test_map_writes_offline_page_and_events(tmp_path, capsys):
    html, events = tmp_path / "map.html", tmp_path / "events.geojson"
    code, out, err = run(capsys, "map", SAMPLE, "-o", html, "--events", events)
    assert code == 0, err
    assert f"map: {html}" in out
    page = html.read_text(encoding="utf-8")
    assert "Ain al-Assad Airbase" in page and "L.map" in page
    assert "cdn.jsdelivr" not in page and "unpkg.com" not in page
    gdf = gpd.read_file(events)
    assert gdf.crs.to_epsg() == 4326
    jan8 = gdf[gdf["date"].astype(str).str.startswith("2020-01-08")]
    assert {"Al Asad Air Base", "Kurdistan"} <= set(jan8["place_name"])
    assert not list(tmp_path.glob(".*.tmp"))  # atomic writes leave no temp files


@pytest.mark.parametrize("suffix", [".geojson", ".csv", ".parquet", ".gpkg"])
def test_extract_formats_follow_the_extension(tmp_path, capsys, suffix):
    out_file = tmp_path / f"events{suffix}"
    code, out, err = run(capsys, "extract", SAMPLE, "-o", out_file)
    assert code == 0, err
    from geomap.io.export import read_frame

    gdf = read_frame(out_file)
    assert "2020-01-03" in set(gdf["date"].astype(str).str[:10])
    assert len(gdf) == int(out.split()[0])


def test_extract_mentions(tmp_path, capsys):
    out_file = tmp_path / "mentions.csv"
    code, _, err = run(capsys, "extract", SAMPLE, "--mentions", "-o", out_file)
    assert code == 0, err
    text = out_file.read_text(encoding="utf-8")
    assert "Ain al-Assad Airbase" in text and "Al Asad Air Base" in text


@pytest.mark.parametrize("published", ["2021-06-10", "2021-06-10T09:30:00Z"])
def test_published_override_changes_relative_dates(tmp_path, capsys, published):
    src = tmp_path / "a.txt"
    src.write_text("Thousands protested in Lagos on Tuesday.\n", encoding="utf-8")
    out_file = tmp_path / "e.csv"
    code, _, err = run(capsys, "extract", src, "--published", published, "-o", out_file)
    assert code == 0, err
    assert "2021-06-08" in out_file.read_text(encoding="utf-8")


def test_fragment_embed_has_no_html_element(tmp_path, capsys):
    frag = tmp_path / "map.frag.html"
    code, _, err = run(capsys, "map", SAMPLE, "-o", frag, "--embed", "fragment", "-q")
    assert code == 0, err
    text = frag.read_text(encoding="utf-8")
    assert "<html" not in text.lower() and "<div" in text


@pytest.mark.parametrize(
    "setup,args,message",
    [
        (None, ["map", "{tmp}/missing.txt"], "no such file"),
        ("empty", ["map", "{tmp}/in.txt"], "empty"),
        ("binary", ["extract", "{tmp}/in.txt", "-o", "{tmp}/o.csv"], "binary"),
        ("badjson", ["extract", "{tmp}/in.jsonl", "-o", "{tmp}/o.csv"], "in.jsonl:2: invalid JSON"),
        ("badcsv", ["map", "{tmp}/in.csv"], "malformed CSV"),
        ("ok", ["map", "{tmp}/in.txt", "--published", "not-a-date"], "cannot read date"),
        ("ok", ["extract", "{tmp}/in.txt", "-o", "{tmp}/o.xlsx"], "xlsx"),
        ("ok", ["map", "{tmp}/in.txt", "--embed", "poster"], "--embed"),
    ],
)
def test_bad_input_is_one_line_error_and_exit_1(tmp_path, capsys, setup, args, message):
    contents = {
        "empty": ("in.txt", b""),
        "binary": ("in.txt", b"\x00\x01\x02PK\x03\x04"),
        "badjson": ("in.jsonl", b'{"text": "Rain in Oslo."}\n{oops\n'),
        "badcsv": ("in.csv", b'text\n"never closed\n'),
        "ok": ("in.txt", b"Rain fell on Oslo on Monday."),
    }
    if setup:
        name, data = contents[setup]
        (tmp_path / name).write_bytes(data)
    args = [a.format(tmp=tmp_path) for a in args]
    code, out, err = run(capsys, *args)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
    assert "Traceback" not in err


def test_failed_run_keeps_the_previous_output(tmp_path, capsys):
    html = tmp_path / "map.html"
    html.write_text("previous map", encoding="utf-8")
    code, _, _ = run(capsys, "map", tmp_path / "missing.txt", "-o", html)
    assert code == 1 and html.read_text(encoding="utf-8") == "previous map"


def test_help_and_version(capsys):
    for command in ([], ["map"], ["extract"], ["eval"], ["render"]):
        code, out, _ = run(capsys, *command, "--help")
        assert code == 0 and "Usage" in out
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("geomap ")


@pytest.fixture(scope="module")
def small_gazetteer(tmp_path_factory) -> Path:
    from geomap.gazetteer.geonames_import import import_geonames

    data = ROOT / "tests" / "data" / "geonames"
    return import_geonames(
        tmp_path_factory.mktemp("gz") / "g.sqlite", places=data / "places.txt", admin1=data / "admin1CodesASCII.txt"
    )


@pytest.mark.parametrize("flags,levels", [([], set()), (["-v"], {"info"}), (["--verbose", "-v"], {"info", "debug"})])
def test_verbose_adds_info_then_debug_lines(capsys, small_gazetteer, flags, levels):
    code, out, err = run(capsys, *flags, "gazetteer", "info", "--path", small_gazetteer)
    assert code == 0 and "places" in out, err
    lines = err.strip().splitlines()
    assert {line.split(":")[0] for line in lines} == levels, err
    assert all(str(small_gazetteer) in line or "build version" in line for line in lines)


@pytest.mark.slow
def test_python_dash_m_runs_as_a_real_process(tmp_path):
    """The installed entry point, in a fresh interpreter: exit codes and stderr as a user sees them."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ok = subprocess.run(
        [sys.executable, "-m", "geomap", "extract", str(SAMPLE), "-o", str(tmp_path / "e.json.geojson")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "geomap", "map", str(tmp_path / "nope.txt")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert bad.returncode == 1
    assert bad.stderr.strip().count("\n") == 0 and "Traceback" not in bad.stderr
    assert json.loads((tmp_path / "e.json.geojson").read_text())["type"] == "FeatureCollection"


def test_dateline_gives_the_publication_date_without_front_matter(tmp_path, capsys):
    src = tmp_path / "wire.txt"
    src.write_text("Quake shakes coast\n4 Feb 2023 - 09:12\nAn earthquake struck Izmir on Monday.\n", encoding="utf-8")
    out_file = tmp_path / "e.csv"
    code, _, err = run(capsys, "extract", src, "-o", out_file)
    assert code == 0, err
    text = out_file.read_text(encoding="utf-8")
    assert "2023-02-04" in text  # published, from the dateline
    assert "2023-01-30" in text  # "on Monday" resolved against it


def test_outputs_get_ordinary_file_permissions(tmp_path, capsys):
    out_file = tmp_path / "e.geojson"
    code, _, err = run(capsys, "extract", SAMPLE, "-o", out_file, "-q")
    assert code == 0, err
    umask = os.umask(0)
    os.umask(umask)
    assert out_file.stat().st_mode & 0o777 == 0o666 & ~umask
