"""Where a news text's dateline stands (geomap.tools.datelines), on lines of our own."""

from __future__ import annotations

import pytest

from geomap.tools.datelines import dateline_spans


@pytest.mark.parametrize(
    "text, names",
    [
        ("KIRKUK, Iraq (Reuters) - Officials met on Sunday.", ["KIRKUK"]),
        ("Storm hits coast.\nNEW ORLEANS — Winds rose.", ["NEW ORLEANS"]),
        ("Threat called a hoax. COLUMBUS -- A text message spread.", ["COLUMBUS"]),
        ("Museum to open today. SOUTH CHARLESTON, W.Va. -- Photographs of the mound", ["SOUTH CHARLESTON"]),
        ("Talks resume. GENEVA (AP) - Diplomats met.", ["GENEVA"]),
        # capitals inside a sentence are no dateline
        ("He said US - China talks would go on. The NATO summit ended.", []),
        ("Officials in Basra said the road was open.", []),
    ],
)
def test_dateline_names(text, names):
    assert [text[s:e] for s, e in dateline_spans(text)] == names
