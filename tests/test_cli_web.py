"""`geomap map/extract` with URLs, feeds, filters and the KML/Shapefile outputs, end to end.

Pages and feeds come from a local server on 127.0.0.1 (tests/web_server.py), never the internet.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geomap.io.export import read_frame
from tests.cli_app import run_cli as run
from tests.web_server import only_localhost, serve

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "us-boosting-iraq-base.txt"


@pytest.fixture
def site(monkeypatch):
    asked = only_localhost(monkeypatch)
    with serve() as s:
        yield s
    assert set(asked) <= {"127.0.0.1"}, asked


def test_extract_a_feed_and_a_file_together(site, tmp_path, capsys):
    out = tmp_path / "events.geojson"
    code, stdout, err = run(capsys, "extract", site.url("feed.rss"), SAMPLE, "-o", out)
    assert code == 0, err
    events = read_frame(out)
    urls = set(events.url)
    assert {site.url("article.html"), site.url("article2.html")} <= urls  # both feed items were read
    assert {"Mosul", "Basra"} <= set(events.place_text)
    assert any(doc.startswith("us-boosting-iraq-base") for doc in events.doc_id)  # ... and the file
    # the taken-down item is one warning line, and the run went on
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert [w for w in warnings if "removed.html: HTTP 404" in w and "skipped" in w]
    assert "Traceback" not in err and f"rows: {out}" in stdout


def test_map_from_urls_with_a_shapefile_of_events(site, tmp_path, capsys):
    code, stdout, err = run(
        capsys,
        "map",
        site.url("status/404"),
        site.url("article.html"),
        "-q",
        "-o",
        tmp_path / "map.html",
        "--events",
        tmp_path / "ev.shp",
    )
    assert code == 0, err
    assert err.strip().splitlines() == [f"warning: {site.url('status/404')}: HTTP 404 Not Found; skipped"]
    assert "Mosul" in (tmp_path / "map.html").read_text(encoding="utf-8")
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == ["ev.cpg", "ev.dbf", "ev.prj", "ev.shp", "ev.shx", "map.html"]  # every part, no debris
    assert set(read_frame(tmp_path / "ev.shp").url) == {site.url("article.html")}


def test_filters_on_the_command_line_match_the_library(tmp_path, capsys):
    import geomap

    code, _, err = run(capsys, "extract", SAMPLE, "-o", tmp_path / "all.parquet")
    assert code == 0, err
    code, _, err = run(
        capsys,
        "extract",
        SAMPLE,
        "-o",
        tmp_path / "some.parquet",
        "--types",
        "strike,assassination",
        "--country",
        "iq",
        "--since",
        "2020-01-01",
    )
    assert code == 0, err
    everything, some = read_frame(tmp_path / "all.parquet"), read_frame(tmp_path / "some.parquet")
    expected = geomap.filter_events(everything, types="strike,assassination", countries="IQ", since="2020-01-01")
    assert 0 < len(some) < len(everything)
    assert some.drop(columns="geometry").equals(expected.drop(columns="geometry"))
    assert set(some.event_type) <= {"strike", "assassination"}
    # one line: what each filter dropped, and the undated rows kept past --since
    result = geomap.EventFilter.create(types="strike,assassination", countries="IQ", since="2020-01-01").apply(
        everything
    )
    (line,) = [x for x in err.splitlines() if x.startswith("filters kept")]
    assert line.startswith(
        f"filters kept {len(some)} of {len(everything)} event rows; dropped: "
        f"--since/--until {result.dropped['dates']}, --types {result.dropped['types']}, "
        f"--country {result.dropped['countries']}"
    )
    undated = int((some.date == "").sum())  # the sample dates every event (its publication date stands in)
    assert line.endswith(f"; kept {undated} undated (--undated drop drops them)") if undated else "undated" not in line
    # --quiet says nothing of it
    code, _, err = run(capsys, "extract", SAMPLE, "-q", "-o", tmp_path / "q.csv", "--since", "2020-01-01")
    assert code == 0 and err == ""
