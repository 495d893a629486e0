"""Results table and JSON file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from geomap.errors import OutputError
from geomap.eval.corpus import read_corpus
from geomap.eval.report import print_results, write_json
from geomap.eval.runner import score
from geomap.records import Mention, Place

LGL = Path(__file__).parent / "data" / "eval" / "lgl_slice.jsonl"


def _results():
    docs = read_corpus(LGL)
    # predict each gold name, resolved to a point one degree of latitude (about 111 km) north
    preds = [
        [
            Mention(
                t.name,
                t.start,
                t.end,
                0,
                len(d.text),
                confidence=0.5,
                place=Place(t.name, t.lat + 1, t.lon) if t.has_coords and t.lat < 89 else None,
            )
            for t in d.toponyms
        ]
        for d in docs
    ]
    full = score(docs, preds, seconds=2.0, corpus="lgl_slice", split="all")
    gold = score(docs, preds, seconds=4.0, gold_spans=True, corpus="lgl_slice", split="all")
    return full, gold


def test_table_shows_every_figure():
    full, gold = _results()
    console = Console(width=250, record=True)
    print_results([full, gold], console)
    text = console.export_text()
    assert "lgl_slice" in text and "gold spans" in text and "full" in text
    assert "1.000 / 1.000 / 1.000" in text  # exact and overlap recognition of the full run
    assert "1.000" in text and "111" in text  # Acc@161 and the mean error in km
    assert f"{8 / 2.0:.1f}" in text and f"{8 / 4.0:.1f}" in text  # docs/s of both runs
    assert "–" in text  # no recognition figures in gold-spans mode


def test_json_is_complete_atomic_and_strict(tmp_path):
    full, gold = _results()
    out = write_json(tmp_path / "eval.json", [full, gold], model="m")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == 1 and data["model"] == "m"
    r = data["results"][0]
    assert r["recognition"]["exact"]["f1"] == 1.0
    assert r["resolution"]["acc161"] == 1.0
    assert r["resolution"]["mean_km"] == pytest.approx(111.2, abs=0.1)
    assert r["docs_per_second"] == 4.0 and data["results"][1]["recognition"] is None
    assert len(r["calibration"]["bins"]) == 10 and r["worst"]
    # rewriting replaces the file whole and leaves no temporary file
    write_json(out, [gold])
    assert len(json.loads(out.read_text(encoding="utf-8"))["results"]) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["eval.json"]


def test_unwritable_target_is_output_error(tmp_path):
    full, _ = _results()
    (tmp_path / "f").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="cannot write"):
        write_json(tmp_path / "f" / "eval.json", [full])
