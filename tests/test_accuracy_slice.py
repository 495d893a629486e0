"""The accuracy harness with the real geoparser on the bundled slice of GWN and LGL.

Floors sit about 0.1 under what the pipeline measures today, so a regression in recognition
or resolution fails the suite; the full-corpus figures are in docs/accuracy-results.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geomap.eval.runner import evaluate

SLICES = Path(__file__).parent / "data" / "eval"


@pytest.mark.parametrize("corpus,min_f1,min_acc", [("gwn", 0.78, 0.78), ("lgl", 0.70, 0.85)])
def test_full_pipeline_on_slice(geoparser, corpus, min_f1, min_acc):
    result = evaluate(SLICES / f"{corpus}_slice.jsonl", geoparser, progress=False).to_dict()
    assert result["recognition"]["overlap"]["f1"] >= min_f1
    assert result["resolution"]["acc161"] >= min_acc
    assert result["resolution"]["n"] >= 30


@pytest.mark.parametrize("corpus,min_acc", [("gwn", 0.70), ("lgl", 0.76)])
def test_gold_spans_on_slice(geoparser, corpus, min_acc):
    result = evaluate(SLICES / f"{corpus}_slice.jsonl", geoparser, gold_spans=True, progress=False).to_dict()
    assert result["recognition"] is None
    assert result["resolution"]["acc161"] >= min_acc
