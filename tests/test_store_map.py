"""Maps and exports of an event store: incidents sized by sources, the last update highlighted,
every table in every format."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from geomap.io.export import read_frame
from geomap.store import update_store
from geomap.store.overlay import radius
from tests.cli_app import run_cli

DATA = Path(__file__).parent / "data" / "store"
FORMATS = ("geojson", "csv", "parquet", "gpkg", "kml", "shp", "shp.zip")


@pytest.fixture(scope="module")
def store(tmp_path_factory, geoparser) -> Path:
    path = tmp_path_factory.mktemp("store") / "news.db"
    update_store(path, [str(DATA / "day1-reuters.md"), str(DATA / "other-city.md")], geoparser=geoparser)
    update_store(path, [str(DATA / "day2-local.md"), str(DATA / "week-later.md")], geoparser=geoparser)
    return path


@pytest.mark.slow
def test_incidents_map_sizes_markers_and_lists_every_source(store, tmp_path, capsys):
    out = tmp_path / "map.html"
    code, stdout, err = run_cli(capsys, "map", store, "-o", out, "--incidents", "-q")
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert "Incidents by number of sources (3)" in html
    radii = sorted(float(r) for r in re.findall(r'"radius": ([\d.]+)', html))
    assert radii == sorted([radius(1), radius(1), radius(2)]) and radius(2) > radius(1)
    # the two-source incident's popup names both articles and quotes both sentences
    for url in ("https://daily.example/iraq/market-victims", "https://wire.example/world/baghdad-car-bomb"):
        assert url in html
    assert "2 sources, first report 2021-03-04, last 2021-03-05" in html


def test_aggregated_incidents_map_draws_no_marker_per_incident(store, tmp_path, capsys):
    """Past the aggregation threshold (here forced) incidents are the aggregated layer's sites:
    sized by their sources, each source listed, the last update's ringed; no marker each."""
    import json

    out = tmp_path / "map.html"
    code, _, err = run_cli(capsys, "map", store, "-o", out, "--incidents", "--aggregate", "--tiles", "none", "-q")
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert "Incidents by number of sources (3)" in html and "circle_marker_" not in html
    data = json.loads(re.search(r"geomap\.aggregated\(\w+, \w+, (\{.*\})\);", html).group(1))
    assert data["noun"] == ["incident", "incidents"] and sorted(data["ns"]) == [1, 1, 2]
    twice = data["ns"].index(2)
    pairs = data["lists"][data["more"][twice]]
    urls = {data["sources"][pairs[i]][2].split("?")[0] for i in range(0, len(pairs), 2)}
    assert urls == {"https://daily.example/iraq/market-victims", "https://wire.example/world/baghdad-car-bomb"}
    # the last update grew the Baghdad incident and made the week-later one; Basra is older
    assert sum(data["ring"]["on"]) == 2 and data["ring"]["on"][twice] == 1


def test_events_map_highlights_the_last_update(store, tmp_path, capsys):
    out = tmp_path / "map.html"
    code, _, err = run_cli(capsys, "map", store, "-o", out, "-q")
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    events = read_frame_store(store)
    new_sites = events[(events["place_role"] == "event") & events["new"].astype(bool) & events.geometry.notna()]
    assert len(new_sites) == 2  # day 2 and the week later; not day 1 or Basra
    assert f"New in the last update ({len(new_sites)})" in html
    code, _, err = run_cli(capsys, "map", store, "-o", out, "--since", "2021-03-08", "--until", "2021-03-12", "-q")
    assert code == 0, err
    code, _, err = run_cli(capsys, "map", store, "-o", out, "--since", "7d", "-q")  # a time ago: nothing that recent
    assert code == 0, err


def page_legend(html: str) -> str:
    """The legend control's HTML, as the page hands it to the runtime."""
    found = re.search(r'geomap\.control\(\w+, "bottomright", "geomap-box geomap-legend", (".*?")\);', html)
    return json.loads(found.group(1))


@pytest.mark.parametrize("aggregate", [False, True])
def test_the_legend_explains_incident_size_and_the_last_updates_ring(store, tmp_path, capsys, aggregate):
    from geomap.store.frames import incidents_as_events

    out = tmp_path / "map.html"
    extra = ["--aggregate"] if aggregate else []
    code, _, err = run_cli(capsys, "map", store, "-o", out, "--incidents", "--tiles", "none", "-q", *extra)
    assert code == 0, err
    legend = page_legend(out.read_text(encoding="utf-8"))
    assert "gm-size-key" in legend and "incident circle area: its number of sources" in legend
    n_new = int(incidents_as_events(store)["new"].astype(bool).sum())
    assert n_new and f"new or grown in the last update ({n_new})" in legend
    # an events map of the store rings what is new and says so; it has no incident sizes
    code, _, err = run_cli(capsys, "map", store, "-o", out, "--tiles", "none", "-q")
    assert code == 0, err
    legend = page_legend(out.read_text(encoding="utf-8"))
    assert "new in the last update" in legend and "gm-ring-key" in legend and "gm-size-key" not in legend


def read_frame_store(store):
    from geomap.store.frames import read_table

    return read_table(store, "events")


@pytest.mark.parametrize("table", ["events", "mentions", "incidents", "articles", "errors", "runs"])
def test_every_table_exports_in_every_format(store, tmp_path, capsys, table):
    from geomap.store.frames import read_table

    expected = read_table(store, table)
    for fmt in FORMATS:
        out = tmp_path / f"{table}.{fmt}"
        code, stdout, err = run_cli(capsys, "extract", store, "-o", out, "--table", table, "-q")
        assert code == 0, (fmt, err)
        assert stdout.strip() == f"{len(expected)} rows: {out}"
        if fmt in ("csv", "parquet"):
            back = read_frame(out)
            assert len(back) == len(expected)
            for column in ("incident_id", "article_key", "run_id"):
                if column in expected and len(expected):
                    assert back[column].astype(str).tolist() == expected[column].astype(str).tolist()
    if table == "events":
        back = pd.read_parquet(tmp_path / "events.parquet")
        assert back["incident_id"].notna().all() and set(back["n_sources"]) == {1}


def test_extract_from_a_store_refuses_what_does_not_fit(store, tmp_path, capsys):
    code, _, err = run_cli(
        capsys, "extract", store, "-o", tmp_path / "a.csv", "--table", "articles", "--types", "bombing"
    )
    assert code == 1 and "filters select events" in err
    code, _, err = run_cli(capsys, "extract", store, "-o", tmp_path / "a.csv", "--table", "nope")
    assert code == 1 and "unknown store table" in err
    code, _, err = run_cli(capsys, "map", DATA / "day1-reuters.md", "-o", tmp_path / "m.html", "--incidents", "-q")
    assert code == 1 and "--incidents needs an event store" in err
    code, out, err = run_cli(capsys, "extract", store, "-o", tmp_path / "b.csv", "--types", "bombing", "-q")
    assert code == 0 and read_frame(tmp_path / "b.csv")["event_type"].eq("bombing").all()
