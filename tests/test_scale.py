"""Scaling out: --jobs gives the rows of one process, partitions read what the whole-file readers
read, a partitioned dataset survives bad records and restarts, and a Dask cluster writes the
same dataset as local processes."""

from __future__ import annotations

import csv
import json
import os
import shutil
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from benchmarks.synthetic_articles import articles as synthetic_articles
from benchmarks.synthetic_articles import write_jsonl
from geomap.api import frames, parse_articles, read_articles
from geomap.batch import parse_batch
from geomap.errors import OutputError
from geomap.scale.dataset import ERRORS, METADATA
from geomap.scale.partitions import RecordError, plan, read_partition
from geomap.scale.run import run_dataset
from geomap.settings import Settings
from tests.cli_app import run_cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "us-boosting-iraq-base.txt"
SEED = ROOT / "tests" / "data" / "seed_article.txt"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A folder: 40 varied articles in JSONL, the sample and seed articles as text files."""
    folder = tmp_path_factory.mktemp("corpus")
    write_jsonl(folder / "b-wire.jsonl", 40)
    shutil.copy(SAMPLE, folder / "a-sample.txt")
    shutil.copy(SEED, folder / "c-seed.txt")
    return folder


# -- --jobs ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def one_process(corpus, geoparser):
    """(mentions, events) of the corpus parsed in this process."""
    return frames(parse_articles(read_articles([corpus]), geoparser=geoparser))


@pytest.mark.slow
def test_jobs_give_the_rows_of_one_process(corpus, one_process):
    articles = read_articles([corpus])
    assert len(articles) == 42
    one = one_process
    ticks: list[int] = []
    two = frames(parse_batch(articles, jobs=2, settings=Settings(), progress=ticks.append, min_parallel=2))
    # the bar counts the documents of both workers, a chunk at a time (in one process: one at a time)
    assert ticks == [32, 10]
    for a, b in zip(one, two):
        assert len(a) > 50
        pd.testing.assert_frame_equal(pd.DataFrame(a), pd.DataFrame(b))
    assert list(two[1].event_id) == list(one[1].event_id)


@pytest.mark.slow
def test_spawned_workers_give_the_same_rows(corpus, one_process, monkeypatch):
    """Where workers cannot be forked (macOS, Windows, an online geocoder) each loads its own."""
    import geomap.scale.parallel as parallel

    monkeypatch.setattr(parallel, "forks", lambda settings: False)
    two = frames(parse_batch(read_articles([corpus]), jobs=2, settings=Settings(), min_parallel=2))
    for a, b in zip(one_process, two):
        pd.testing.assert_frame_equal(pd.DataFrame(a), pd.DataFrame(b))


@pytest.mark.skipif(not hasattr(os, "register_at_fork"), reason="no fork here")
def test_a_forked_process_reads_the_gazetteer_through_its_own_connection(geoparser):
    import multiprocessing

    from geomap.gazetteer import Gazetteer

    gaz = Gazetteer.open()
    with multiprocessing.get_context("fork").Pool(1) as pool:
        own, names = pool.apply(_child_lookup, ("Ramadi",))
    assert own
    assert names == [p.name for p in gaz.candidates("Ramadi")] and names


def _child_lookup(name: str):
    from geomap.gazetteer import Gazetteer

    gaz = Gazetteer.open()
    gaz.candidates.cache_clear()  # look it up through SQLite, not in the inherited cache
    return gaz.owner_pid == os.getpid(), [p.name for p in gaz.candidates(name)]


def test_forked_workers_fail_on_one_line_when_the_model_is_missing():
    from geomap.errors import GeomapError
    from geomap.scale import GeoparserPool

    with pytest.raises(GeomapError, match="no_such_model"):
        with GeoparserPool(2, Settings(model="no_such_model")):
            pass


@pytest.mark.slow
def test_cli_jobs_two_writes_the_same_file(corpus, one_process, tmp_path, capsys, monkeypatch):
    import geomap.scale.parallel as parallel
    from geomap.io.export import write_frame

    monkeypatch.setattr(parallel, "MIN_PARALLEL", 2)
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    write_frame(one_process[1], tmp_path / "one" / "events.geojson")
    code, stdout, err = run_cli(
        capsys, "extract", corpus, "-o", tmp_path / "two" / "events.geojson", "--jobs", "2", "-q"
    )
    assert code == 0, err
    assert (tmp_path / "two" / "events.geojson").read_bytes() == (tmp_path / "one" / "events.geojson").read_bytes()


def test_small_inputs_stay_in_this_process():
    from geomap.scale import effective_jobs

    assert effective_jobs(8, 127) == 1 and effective_jobs(1, 10_000) == 1
    assert effective_jobs(8, 128) == 4 and effective_jobs(2, 10_000) == 2  # at most one per 32-article chunk


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_bad_jobs_is_a_usage_error(tmp_path, capsys, value):
    code, out, err = run_cli(capsys, "extract", SAMPLE, "-o", tmp_path / "e.csv", "--jobs", value)
    assert code == 2
    assert err.startswith("error:") and "--jobs" in err and len(err.strip().splitlines()) == 1


@pytest.mark.slow
def test_eval_jobs_give_the_same_scores(tmp_path, capsys, monkeypatch):
    import geomap.scale.parallel as parallel

    monkeypatch.setattr(parallel, "MIN_PARALLEL", 2)
    corpus = ROOT / "tests" / "data" / "eval" / "lgl_slice.jsonl"
    figures = []
    for jobs in ("1", "2"):
        out = tmp_path / f"eval-{jobs}.json"
        code, _, err = run_cli(capsys, "eval", corpus, "--jobs", jobs, "--no-progress", "--json", out)
        assert code == 0, err
        figures.append(json.dumps(_without_timing(json.loads(out.read_text())), sort_keys=True))
    assert figures[0] == figures[1]


def _without_timing(value):
    if isinstance(value, dict):
        return {
            k: _without_timing(v)
            for k, v in value.items()
            if k not in ("seconds", "docs_per_second", "created", "time")
        }
    if isinstance(value, list):
        return [_without_timing(v) for v in value]
    return value


# -- partitions --------------------------------------------------------------------------------
def test_partitions_read_what_the_file_readers_read(corpus, tmp_path):
    records = synthetic_articles(23, seed=3)
    with open(tmp_path / "wire.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "text", "published"])
        for r in records:
            writer.writerow([r["id"], r["text"], r["published"]])  # texts hold newlines: quoted
    pd.DataFrame(records).to_parquet(tmp_path / "wire.parquet", row_group_size=5)
    for inputs in ([corpus], [tmp_path / "wire.csv"]):
        parts = plan(inputs, size=4)
        assert len(parts) > 3 and all(p.n_records <= 4 for p in parts)
        got = [a for p in parts for a in read_partition(p)]
        assert got == read_articles(inputs)
    parts = plan([tmp_path / "wire.parquet"], size=8)
    got = [a for p in parts for a in read_partition(p)]
    assert [a.text for a in got] == [r["text"] for r in records]
    assert [a.doc_id for a in got] == [r["id"] for r in records]
    assert str(got[0].published) == records[0]["published"]


def _bad_corpus(path: Path, n: int = 30) -> Path:
    """JSONL with three bad records among good ones: broken JSON, no text, an unreadable date."""
    lines = [json.dumps(r) for r in synthetic_articles(n, seed=5)]
    lines[4] = '{"id": "broken", "text": "half a record'
    lines[11] = json.dumps({"id": "empty-one", "text": "  "})
    lines[20] = json.dumps({"id": "bad-date", "text": "Troops left Baghdad.", "published": "someday"})
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_bad_records_are_listed_and_skipped(tmp_path):
    items = [x for p in plan([_bad_corpus(tmp_path / "bad.jsonl")], size=8) for x in read_partition(p)]
    errors = [x for x in items if isinstance(x, RecordError)]
    assert [(e.where.rsplit(":", 1)[1], e.doc_id) for e in errors] == [
        ("5", None),
        ("12", "empty-one"),
        ("21", "bad-date"),
    ]
    assert "invalid JSON" in errors[0].reason and "no 'text'" in errors[1].reason
    assert len(items) - len(errors) == 27


@pytest.mark.slow
def test_dataset_resume_and_errors(tmp_path, geoparser):
    src = _bad_corpus(tmp_path / "bad.jsonl")
    out = tmp_path / "events"
    first = run_dataset([src], out, size=8, settings=Settings())
    parts = sorted(out.glob("part-*.parquet"))
    assert first.n_parts == len(parts) == 4 and (out / METADATA).is_file()
    errors = [json.loads(line) for line in (out / ERRORS).read_text().splitlines()]
    assert [e["id"] for e in errors] == [None, "empty-one", "bad-date"]
    assert all(e["reason"] and e["where"].startswith(str(src)) for e in errors)
    table = gpd.read_parquet(out)
    assert len(table) == first.n_rows > 0 and set(table.doc_id) <= {f"a{i:06d}" for i in range(30)}
    import dask_geopandas

    lazy = dask_geopandas.read_parquet(out)
    assert lazy.npartitions == 4
    pd.testing.assert_frame_equal(pd.DataFrame(lazy.compute()).reset_index(drop=True), pd.DataFrame(table))

    # a finished dataset is never overwritten without --resume
    with pytest.raises(OutputError, match="resume the run to finish it"):
        run_dataset([src], out, size=8, settings=Settings())
    # a lost part is remade; the others are kept as they are
    kept = parts[0].stat().st_mtime_ns
    parts[2].unlink()
    again = run_dataset([src], out, size=8, settings=Settings(), resume=True)
    assert again.n_resumed == 3 and [r.index for r in again.results] == [2]
    assert parts[0].stat().st_mtime_ns == kept
    pd.testing.assert_frame_equal(pd.DataFrame(gpd.read_parquet(out)), pd.DataFrame(table))
    assert [json.loads(line)["id"] for line in (out / ERRORS).read_text().splitlines()] == [
        None,
        "empty-one",
        "bad-date",
    ]
    # other settings make other parts: resuming them into this folder is refused, nothing is lost
    with pytest.raises(OutputError, match="other inputs or settings"):
        run_dataset([src], out, size=8, settings=Settings(), resume=True, published=pd.Timestamp("2021-01-01").date())
    assert len(list(out.glob("part-*.parquet"))) == 4


def test_an_article_that_breaks_the_parser_is_listed_not_fatal(tmp_path, geoparser):
    from geomap.pipeline import Geoparser
    from geomap.scale.partitions import plan
    from geomap.scale.run import PartJob, process_partition

    class Flaky(Geoparser):
        def parse_article(self, article, doc=None):
            if article.doc_id == "a000003":
                raise RuntimeError("resolver blew up")
            return super().parse_article(article, doc)

    flaky = Flaky(geoparser.nlp, geoparser.gazetteer, resolver=geoparser.resolver)
    src = write_jsonl(tmp_path / "wire.jsonl", 6)
    (part,) = plan([src], size=10)
    result = process_partition(flaky, PartJob(part, "part-00000-0000000000000000.parquet", str(tmp_path)))
    assert result.n_docs == 5 and result.n_errors == 1
    (error,) = [
        json.loads(x)
        for x in (tmp_path / "_errors" / "part-00000-0000000000000000.parquet.jsonl").read_text().splitlines()
    ]
    assert error["id"] == "a000003" and "resolver blew up" in error["reason"]
    assert "a000003" not in set(gpd.read_parquet(tmp_path / "part-00000-0000000000000000.parquet").doc_id)


@pytest.mark.slow
def test_cli_folder_output_and_errors_option(tmp_path, capsys):
    src = _bad_corpus(tmp_path / "bad.jsonl", n=24)
    code, out, err = run_cli(
        capsys,
        "extract",
        src,
        "-o",
        tmp_path / "ds",
        "--jobs",
        "1",
        "--errors",
        tmp_path / "skipped.jsonl",
        "--partition-size",
        "5",
    )
    assert code == 0, err
    assert "3 record(s) skipped" in err and "5 new part(s)" in out
    assert len((tmp_path / "skipped.jsonl").read_text().splitlines()) == 3
    assert not (tmp_path / "ds" / ERRORS).exists()
    assert len(gpd.read_parquet(tmp_path / "ds")) > 0


# -- Dask --------------------------------------------------------------------------------------
@pytest.mark.slow
def test_dask_local_cluster_writes_the_local_dataset(corpus, tmp_path, capsys):
    distributed = pytest.importorskip("distributed")
    local = run_dataset([corpus], tmp_path / "local", size=20, settings=Settings())
    # the workers load the Geoparser as they start (geomap.scale.preload), and the run uses those
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, preload=["geomap.scale.preload"]
    ) as cluster:
        with distributed.Client(cluster) as client:
            ready = client.run(_preloaded_count)
            code, out, err = run_cli(
                capsys,
                "extract",
                corpus,
                "-o",
                tmp_path / "dask",
                "--dask",
                cluster.scheduler_address,
                "--partition-size",
                "20",
                "-q",
            )
            left = client.run(_preloaded_count)
    assert code == 0, err
    assert list(ready.values()) == [1, 1] and list(left.values()) == [0, 0]
    names = sorted(p.name for p in (tmp_path / "dask").glob("part-*.parquet"))
    assert names == sorted(p.name for p in (tmp_path / "local").glob("part-*.parquet"))
    assert len(names) == local.n_parts == 4
    pd.testing.assert_frame_equal(
        pd.DataFrame(gpd.read_parquet(tmp_path / "dask")), pd.DataFrame(gpd.read_parquet(tmp_path / "local"))
    )


def _preloaded_count() -> int:
    from geomap.scale import dask_run

    return dask_run.preloaded_count()


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:1", "not::an::address"])
@pytest.mark.slow
def test_unreachable_scheduler_fails_fast_on_one_line(tmp_path, capsys, address):
    pytest.importorskip("distributed")
    t0 = time.perf_counter()
    code, out, err = run_cli(capsys, "extract", SAMPLE, "-o", tmp_path / "ds", "--dask", address)
    assert code == 1 and time.perf_counter() - t0 < 20
    assert err.startswith("error:") and ("Dask scheduler" in err or "scheduler address" in err)
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "ds").exists()


@pytest.mark.slow
def test_env_names_the_scheduler(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GEOMAP_DASK", "tcp://127.0.0.1:1")
    code, _, err = run_cli(capsys, "extract", SAMPLE, "-o", tmp_path / "ds")
    assert code == 1 and "tcp://127.0.0.1:1" in err


@pytest.mark.slow
def test_killed_run_keeps_its_parts_and_resume_finishes_it(tmp_path, capsys):
    import signal
    import subprocess
    import sys

    src = write_jsonl(tmp_path / "wire.jsonl", 48, seed=8)
    out = tmp_path / "events"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "geomap",
            "extract",
            str(src),
            "-o",
            str(out),
            "--jobs",
            "1",
            "--partition-size",
            "8",
            "-q",
        ],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while len(list(out.glob("part-*.parquet"))) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    kept = {p.name: p.read_bytes() for p in out.glob("part-*.parquet")}
    assert 2 <= len(kept) < 6, "the run was not killed half-way"
    for name in kept:  # every part there is whole
        assert list(gpd.read_parquet(out / name).columns)[:2] == ["event_id", "doc_id"]
    code, stdout, err = run_cli(capsys, "extract", src, "-o", out, "--jobs", "1", "--partition-size", "8", "--resume")
    assert code == 0, err
    assert f"resumed: {len(kept)} of 6 parts" in err
    assert {n: (out / n).read_bytes() for n in kept} == kept  # finished parts are not redone
    fresh = run_dataset([src], tmp_path / "fresh", size=8, settings=Settings())
    assert fresh.n_parts == 6
    pd.testing.assert_frame_equal(
        pd.DataFrame(gpd.read_parquet(out)), pd.DataFrame(gpd.read_parquet(tmp_path / "fresh"))
    )
