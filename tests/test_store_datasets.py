"""A store and the partitioned GeoParquet of `geomap extract -o DIR` / `--dask` runs, both ways."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import pytest

from geomap.io.events_dataset import read_events_dataset
from geomap.scale.run import run_dataset
from geomap.schema import EVENT_COLUMNS
from geomap.store import check_store, store_counts, update_store
from geomap.store.frames import read_table
from tests.cli_app import run_cli

DATA = Path(__file__).parent / "data" / "store"
ROWS = ["event_id", "event_type", "date", "place_name", "place_role", "lat", "lon", "sentence", "url", "published"]


def _rows(frame) -> list[tuple]:
    return sorted(tuple(None if pd.isna(v) else v for v in r) for r in frame[ROWS].itertuples(index=False))


@pytest.fixture(scope="module")
def store(tmp_path_factory, geoparser) -> Path:
    path = tmp_path_factory.mktemp("store") / "news.db"
    update_store(path, sorted(str(p) for p in DATA.glob("*.md")), geoparser=geoparser)
    return path


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory, geoparser) -> Path:
    """What `geomap extract wire.jsonl -o DIR` (or `--dask`) writes, from articles with URLs."""
    tmp = tmp_path_factory.mktemp("run")
    wire = tmp / "wire.jsonl"
    with open(wire, "w", encoding="utf-8") as f:
        for i, p in enumerate(sorted(DATA.glob("*.md"))):
            f.write(
                json.dumps(
                    {
                        "id": f"w{i}",
                        "url": f"https://news.example/{p.stem}",
                        "date": "2021-03-05",
                        "text": p.read_text(encoding="utf-8"),
                    }
                )
                + "\n"
            )
        f.write(
            json.dumps(
                {
                    "id": "w9",
                    "date": "2021-03-06",
                    "text": "Protesters gathered in Basra on "
                    "Tuesday, and police fired tear gas at them, witnesses said.",
                }
            )
            + "\n"
        )
    folder = tmp / "run-output"
    run_dataset([wire], folder, jobs=1, size=2)
    return folder


def test_store_events_export_as_a_partitioned_dataset(store, tmp_path, capsys, run_folder):
    out = tmp_path / "events"
    code, stdout, err = run_cli(capsys, "extract", store, "-o", out, "--partition-size", "3")
    assert code == 0, err
    parts = sorted(out.glob("part-*.parquet"))
    assert len(parts) == 2 and (out / "_metadata").is_file() and (out / "_common_metadata").is_file()
    assert stdout.strip().startswith(f"{len(read_table(store, 'events'))} rows in 2 part(s)")
    back = gpd.read_parquet(out)
    assert _rows(back) == _rows(read_table(store, "events"))
    # the schema of a geomap run's folder, read as such by `geomap map DIR`
    assert pq.read_schema(parts[0]).names == pq.read_schema(next(run_folder.glob("part-*.parquet"))).names
    assert list(read_events_dataset(out).columns[: len(EVENT_COLUMNS)]) == list(EVENT_COLUMNS)
    # a folder that holds a dataset is not overwritten
    code, _, err = run_cli(capsys, "extract", store, "-o", out)
    assert code == 1 and "already holds a partitioned dataset" in err


def test_a_run_folder_feeds_the_store(tmp_path, run_folder, geoparser):
    db = tmp_path / "from-run.db"
    summary = update_store(db, [str(run_folder)], geoparser=geoparser)
    folder = gpd.read_parquet(run_folder)
    # an article whose events the run merged into another's (or that had none) is not in the folder
    assert summary.n_new == folder["doc_id"].nunique() >= 3
    assert summary.n_events == len(folder.drop_duplicates(["doc_id", "event_id"]))
    assert _rows(read_table(db, "events")) == _rows(gpd.read_parquet(run_folder))
    assert check_store(db) == []
    counts = store_counts(db)
    assert counts["mentions"] == 0 and 0 < counts["incidents"] < counts["events"]
    articles = read_table(db, "articles")
    assert set(articles["text"]) == {""}  # the folder holds no texts
    keyed = sorted(articles["article_key"])
    assert (
        sum(k.startswith("https://news.example/") for k in keyed) == folder.loc[folder["url"] != "", "doc_id"].nunique()
    )
    assert sum(k.startswith("events:") for k in keyed) == 1  # w9 has no URL
    # the same folder again: nothing new, nothing changed
    assert update_store(db, [str(run_folder)], geoparser=geoparser).run_id is None
    # and the store's events go back out as the run wrote them
    out = tmp_path / "again"
    from geomap.store.datasets import export_partitioned

    rows, _ = export_partitioned(db, out)
    assert _rows(gpd.read_parquet(out)) == _rows(gpd.read_parquet(run_folder)) and rows == len(gpd.read_parquet(out))


def test_incidents_from_a_folder_match_those_of_the_articles(tmp_path, store, geoparser):
    """The store's own export, fed to a new store, gives the same incidents (same sources)."""
    out = tmp_path / "events"
    from geomap.store.datasets import export_partitioned

    export_partitioned(store, out)
    db = tmp_path / "copy.db"
    update_store(db, [str(out)], geoparser=geoparser)

    def grouping(path):
        inc = read_table(path, "incidents")
        return sorted((r["event_type"], r["place_name"], r["n_sources"]) for r in inc.to_dict("records"))

    assert grouping(db) == grouping(store)
    assert any(n >= 2 for _, _, n in grouping(db))  # the Baghdad car bomb told by two articles
    assert check_store(db) == []


def test_update_reads_a_folder_given_with_articles(tmp_path, run_folder, geoparser, capsys):
    db = tmp_path / "mixed.db"
    code, stdout, err = run_cli(capsys, "update", db, run_folder, DATA / "week-later.md", "-q", "--jobs", "1")
    assert code == 0, err
    n_folder = gpd.read_parquet(run_folder)["doc_id"].nunique()
    assert f"run 1: {n_folder + 1} new article(s)" in stdout  # the folder's and the file, parsed
    assert check_store(db) == []
