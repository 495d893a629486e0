"""`geomap map` / `geomap extract`: what the filters do with undated and unplaced rows, and which
files of a folder are read, end to end on the sample article."""

from __future__ import annotations

from pathlib import Path

import pytest

from geomap.io.export import read_frame
from tests.cli_app import run_cli as run

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "us-boosting-iraq-base.txt"


def _summary(err: str) -> str:
    (line,) = [x for x in err.splitlines() if x.startswith("filters kept")]
    return line


@pytest.fixture(scope="module")
def everything(tmp_path_factory):
    from geomap.cli.main import main

    out = tmp_path_factory.mktemp("all") / "all.parquet"
    with pytest.raises(SystemExit) as info:
        main(["extract", str(SAMPLE), "-q", "-o", str(out)])
    assert info.value.code in (0, None)
    return read_frame(out)


def test_a_date_bound_keeps_undated_rows_and_says_so(everything, tmp_path, capsys):
    undated = int((everything.date == "").sum())
    assert undated > 0  # the sample has undated events: the test means something
    code, _, err = run(capsys, "extract", SAMPLE, "-o", tmp_path / "kept.csv", "--since", "1900-01-01")
    assert code == 0, err
    kept = read_frame(tmp_path / "kept.csv")
    assert len(kept) == len(everything)
    assert _summary(err) == (f"filters kept {len(everything)} of {len(everything)} event rows; dropped: "
                             f"--since/--until 0; kept {undated} undated (--undated drop drops them)")


def test_undated_drop_drops_them_and_counts_them(everything, tmp_path, capsys):
    undated = int((everything.date == "").sum())
    code, _, err = run(capsys, "map", SAMPLE, "-o", tmp_path / "map.html", "--events", tmp_path / "ev.geojson",
                       "--since", "1900-01-01", "--undated", "drop")
    assert code == 0, err
    table = read_frame(tmp_path / "ev.geojson")
    assert len(table) == len(everything) - undated and not (table.date.fillna("") == "").any()
    assert _summary(err) == (f"filters kept {len(table)} of {len(everything)} event rows; dropped: "
                             f"--undated drop {undated}, --since/--until 0")


def test_unplaced_drop_alone_is_a_filter(everything, tmp_path, capsys):
    unplaced = int(everything.geometry.isna().sum())
    assert unplaced > 0
    code, _, err = run(capsys, "extract", SAMPLE, "-o", tmp_path / "placed.parquet", "--unplaced", "drop")
    assert code == 0, err
    placed = read_frame(tmp_path / "placed.parquet")
    assert len(placed) == len(everything) - unplaced and placed.geometry.notna().all()
    assert _summary(err) == (f"filters kept {len(placed)} of {len(everything)} event rows; dropped: "
                             f"--unplaced drop {unplaced}")


def test_no_filter_no_summary_line(tmp_path, capsys):
    code, _, err = run(capsys, "extract", SAMPLE, "-o", tmp_path / "all.csv", "--undated", "keep")
    assert code == 0, err
    assert "filters kept" not in err
