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


#: An article with no publication date: one dated event, undated ones, and events with no place.
UNDATED = """Protesters marched through Lima, Peru, demanding the resignation of the interior minister.

Police arrested dozens of people after the clashes.

On 3 March 2021, a car bomb exploded near a market in Kirkuk, Iraq, killing four people.

Officials said the talks would resume.
"""


@pytest.fixture(scope="module")
def undated_article(tmp_path_factory):
    path = tmp_path_factory.mktemp("undated") / "article.txt"
    path.write_text(UNDATED, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def everything(undated_article, tmp_path_factory):
    from geomap.cli.main import main

    out = tmp_path_factory.mktemp("all") / "all.parquet"
    with pytest.raises(SystemExit) as info:
        main(["extract", str(undated_article), "-q", "-o", str(out)])
    assert info.value.code in (0, None)
    return read_frame(out)


def test_a_date_bound_keeps_undated_rows_and_says_so(everything, undated_article, tmp_path, capsys):
    undated = int((everything.date == "").sum())
    assert undated > 0  # there are undated events: the test means something
    code, _, err = run(capsys, "extract", undated_article, "-o", tmp_path / "kept.csv", "--since", "1900-01-01")
    assert code == 0, err
    kept = read_frame(tmp_path / "kept.csv")
    assert len(kept) == len(everything)
    assert _summary(err) == (
        f"filters kept {len(everything)} of {len(everything)} event rows; dropped: "
        f"--since/--until 0; kept {undated} undated (--undated drop drops them)"
    )


def test_undated_drop_drops_them_and_counts_them(everything, undated_article, tmp_path, capsys):
    undated = int((everything.date == "").sum())
    code, _, err = run(
        capsys,
        "map",
        undated_article,
        "-o",
        tmp_path / "map.html",
        "--events",
        tmp_path / "ev.geojson",
        "--since",
        "1900-01-01",
        "--undated",
        "drop",
    )
    assert code == 0, err
    table = read_frame(tmp_path / "ev.geojson")
    assert len(table) == len(everything) - undated and not (table.date.fillna("") == "").any()
    assert _summary(err) == (
        f"filters kept {len(table)} of {len(everything)} event rows; dropped: "
        f"--undated drop {undated}, --since/--until 0"
    )


def test_unplaced_drop_alone_is_a_filter(everything, undated_article, tmp_path, capsys):
    unplaced = int(everything.geometry.isna().sum())
    assert unplaced > 0
    code, _, err = run(capsys, "extract", undated_article, "-o", tmp_path / "placed.parquet", "--unplaced", "drop")
    assert code == 0, err
    placed = read_frame(tmp_path / "placed.parquet")
    assert len(placed) == len(everything) - unplaced and placed.geometry.notna().all()
    assert _summary(err) == (
        f"filters kept {len(placed)} of {len(everything)} event rows; dropped: --unplaced drop {unplaced}"
    )


def test_no_filter_no_summary_line(tmp_path, capsys):
    code, _, err = run(capsys, "extract", SAMPLE, "-o", tmp_path / "all.csv", "--undated", "keep")
    assert code == 0, err
    assert "filters kept" not in err


@pytest.fixture
def folder(tmp_path):
    """The sample article, a second copy under wire/, and a README that names other places."""
    (tmp_path / "in").mkdir()
    root = tmp_path / "in"
    (root / "sample.txt").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "wire").mkdir()
    (root / "wire" / "more.txt").write_text("Protesters marched in Lima, Peru, on Monday.", encoding="utf-8")
    (root / "README.md").write_text("# Notes\nSoldiers attacked a convoy in Kandahar, Afghanistan.", encoding="utf-8")
    return root


def test_a_folder_is_read_without_its_readme_and_says_what_it_read(folder, tmp_path, capsys):
    code, _, err = run(capsys, "extract", folder, "-o", tmp_path / "ev.csv")
    assert code == 0, err
    assert "read 2 files: 2 .txt; skipped 1 (README.md)" in err.splitlines()
    events = read_frame(tmp_path / "ev.csv")
    assert "Kandahar" not in set(events.place_text) and "Lima" in set(events.place_text)
    # named directly, the README is read
    code, _, err = run(capsys, "extract", folder / "README.md", "-o", tmp_path / "readme.csv")
    assert code == 0, err
    assert "read 1 file: 1 .md" in err.splitlines()
    assert "Kandahar" in set(read_frame(tmp_path / "readme.csv").place_text)


def test_include_and_exclude_on_the_command_line(folder, tmp_path, capsys):
    code, _, err = run(
        capsys, "map", folder, "-o", tmp_path / "map.html", "--events", tmp_path / "ev.csv", "--exclude", "wire/*"
    )
    assert code == 0, err
    assert "read 1 file: 1 .txt; skipped 1 (README.md); excluded 1 (wire/more.txt)" in err.splitlines()
    assert "Lima" not in set(read_frame(tmp_path / "ev.csv").place_text)
    code, _, err = run(
        capsys, "extract", folder, "-o", tmp_path / "wire.csv", "--include", "more.*", "--include", "README.md"
    )
    assert code == 0, err
    assert "read 2 files: 1 .md, 1 .txt; excluded 1 (sample.txt)" in err.splitlines()
    assert {"Lima", "Kandahar"} <= set(read_frame(tmp_path / "wire.csv").place_text)


def test_a_folder_output_takes_the_same_selection(folder, tmp_path, capsys):
    code, _, err = run(capsys, "extract", folder, "-q", "-o", tmp_path / "parts", "--exclude", "sample.txt", "-j", "1")
    assert code == 0, err
    from geomap.io.events_dataset import read_events_dataset

    table = read_events_dataset(tmp_path / "parts")
    assert set(table.place_text) & {"Lima"} and "Kandahar" not in set(table.place_text)
    assert not any(doc.startswith("sample") for doc in table.doc_id)


def test_an_empty_glob_is_a_usage_error(folder, tmp_path, capsys):
    code, out, err = run(capsys, "extract", folder, "-o", tmp_path / "ev.csv", "--include", "")
    assert code == 2 and out == ""
    assert "Invalid value for '--include': empty glob pattern" in err and len(err.strip().splitlines()) == 1


def test_library_hints_reach_the_command_line_as_options(tmp_path, capsys):
    bad = tmp_path / "latin.txt"
    bad.write_bytes("Manifestación en Bogotá el lunes.".encode("latin-1"))
    code, _, err = run(capsys, "extract", bad, "-o", tmp_path / "ev.csv")
    assert code == 1
    assert err.strip().endswith("re-save it as UTF-8 or pass --encoding (e.g. --encoding latin-1)")
    assert len(err.strip().splitlines()) == 1
