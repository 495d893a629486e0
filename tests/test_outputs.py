"""geomap.write_outputs: the map, its events table and its PNG replace existing files together or
not at all; geomap.check_outputs refuses what cannot be made before any work."""

from __future__ import annotations

import datetime as dt

import pytest

import geomap
from geomap.errors import InputError, OutputError
from geomap.records import Event, EventPlace, Mention, Place
from geomap.tools.frames import events_frame

MOSUL = Place("Mosul", 36.34, 43.13, kind="city", country_code="IQ", country="Iraq")


@pytest.fixture(scope="module")
def events():
    mention = Mention("Mosul", 0, 5, 0, 30, place=MOSUL, confidence=0.9)
    return events_frame(
        [
            Event(
                "e1",
                "d",
                dt.date(2021, 5, 1),
                "day",
                "",
                "strike",
                "strike",
                "A strike hit Mosul.",
                0,
                19,
                places=[EventPlace(mention, "event")],
            )
        ]
    )


@pytest.fixture
def previous(tmp_path):
    files = {
        tmp_path / "map.html": b"<p>old map</p>",
        tmp_path / "ev.shp": b"old shp",
        tmp_path / "ev.dbf": b"old dbf",
        tmp_path / "map.png": b"old png",
    }
    for path, data in files.items():
        path.write_bytes(data)
    return files


def test_map_and_shapefile_are_written_together(events, tmp_path, previous):
    written = geomap.write_outputs(
        geomap.make_map(events), tmp_path / "map.html", events=events, events_path=tmp_path / "ev.shp"
    )
    assert written == [tmp_path / "map.html", tmp_path / "ev.shp"]
    assert "Mosul" in (tmp_path / "map.html").read_text(encoding="utf-8")
    assert list(geomap.read_frame(tmp_path / "ev.shp").event_id) == ["e1"]
    assert (tmp_path / "ev.dbf").read_bytes() != previous[tmp_path / "ev.dbf"]  # side files replaced too
    assert (tmp_path / "map.png").read_bytes() == previous[tmp_path / "map.png"]  # not asked for: untouched


def test_a_png_that_fails_after_the_page_is_made_changes_nothing(events, tmp_path, previous, monkeypatch):
    made = []

    def failing_png(html, png, **kwargs):
        made.append(html.read_text(encoding="utf-8"))  # the staged page exists when the PNG is taken
        raise OutputError("Chromium crashed")

    monkeypatch.setattr("geomap.mapping.render.check_png_support", lambda: None)
    monkeypatch.setattr("geomap.mapping.render_png", failing_png)
    with pytest.raises(OutputError, match="Chromium crashed"):
        geomap.write_outputs(
            geomap.make_map(events),
            tmp_path / "map.html",
            events=events,
            events_path=tmp_path / "ev.shp",
            png=tmp_path / "map.png",
        )
    assert made and "Mosul" in made[0]
    for path, data in previous.items():
        assert path.read_bytes() == data, path
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "staging debris left behind"


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"map_path": "m.png"}, "m.png: the map is HTML; name it .html or .htm"),
        ({"embed": "poster"}, "embed: must be one of page, fragment, iframe, not 'poster'"),
        ({"embed": "fragment", "png": "m.png"}, "png: a PNG is taken of a full page, not of a fragment"),
        ({"png": "m.jpg"}, "m.jpg: a PNG file is written; name it .png"),
        ({"events_path": "e.xyz"}, "e.xyz: cannot tell the output format"),
        ({"events_path": "m.html"}, "cannot tell the output format"),
    ],
)
def test_check_outputs_refuses_in_the_librarys_own_words(tmp_path, monkeypatch, kwargs, message):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("geomap.mapping.render.check_png_support", lambda: None)
    kwargs = {"map_path": "m.html", **kwargs}
    with pytest.raises((InputError, OutputError)) as info:
        geomap.check_outputs(kwargs.pop("map_path"), **kwargs)
    assert message in str(info.value) and "--" not in str(info.value)
    assert list(tmp_path.iterdir()) == []
