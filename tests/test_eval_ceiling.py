"""The resolution bounds of a gold corpus (geomap.eval.ceiling), on a hand-written corpus."""

from __future__ import annotations

import json

import pytest

from geomap.eval.ceiling import ceiling, main


@pytest.fixture()
def corpus(tmp_path):
    docs = [
        ("a", "Springfield voted on Tuesday.", 39.80, -89.64),  # Illinois' capital
        ("b", "Springfield voted on Tuesday.", 37.21, -93.29),  # Missouri's Springfield
        ("c", "Springfield voted on Tuesday.", 0.0, -30.0),  # a point in the ocean
    ]
    path = tmp_path / "tiny.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {
                    "id": i,
                    "text": text,
                    "toponyms": [{"start": 0, "end": 11, "name": "Springfield", "lat": lat, "lon": lon}],
                }
            )
            + "\n"
            for i, text, lat, lon in docs
        ),
        encoding="utf-8",
    )
    return path


def test_coverage_and_best_single_answer(corpus, gazetteer):
    c = ceiling(corpus, gazetteer)
    assert (c.corpus, c.toponyms, c.names) == ("tiny", 3, 1)
    assert c.coverage == pytest.approx(2 / 3)  # no Springfield lies near the ocean point
    assert c.best_single_answer == pytest.approx(1 / 3)  # one fixed answer is right once


def test_command_prints_a_table_row(corpus, capsys):
    main([str(corpus)])
    assert "| tiny | 3 | 1 | 0.667 | 0.333 |" in capsys.readouterr().out
