"""Scaling ratios, all measured in one run on the same generated articles:

    python benchmarks/bench_scale.py [--docs 400] [--jobs 2] [--small 1000] [--large 20000] [--skip-memory] [--repeat 2]

1. throughput: ``geomap extract --jobs N`` against ``--jobs 1`` on the same documents, end to end
   (each a fresh process: start-up and model loading count, as a user sees them; the best of
   ``--repeat`` runs, taken in turn), and the CPU
   seconds each spends (workers included): their ratio is the cost of splitting the work, which
   the machine's load does not change, where the wall-clock speed-up needs N idle cores; and the
   marginal speed-up, on the second half of the documents (time on all minus time on the first
   half), which leaves out the fixed start-up;
2. memory: peak RSS of ``geomap extract -o FOLDER --jobs 1`` (the streaming, partitioned output)
   on ``--large`` against ``--small`` documents; these are short one-paragraph articles so that
   20k of them parse in minutes (memory is about what is held, not how long texts are);
3. Dask: a ``LocalCluster`` with N one-thread worker processes against ``--jobs N`` writing the
   same partitioned folder, each run in a fresh interpreter, the best of two each way; the
   cluster is started before the clock, its workers with the ``geomap.scale.preload`` preload
   (as a running cluster set up as docs/scale.md says is), and the ``--jobs`` run loads its
   model inside the clock (its forked workers share it).

Articles come from ``benchmarks/synthetic_articles.py`` (the repository's own texts, recombined).
The machine's load average is printed beside the ratios: on a shared machine they are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.synthetic_articles import articles, write_jsonl  # noqa: E402

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}


def geomap(*args) -> tuple[float, float]:
    """Run ``geomap ARGS`` in a fresh process: (wall seconds, CPU seconds of it and its workers)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "geomap", *map(str, args), "-q"], check=True, env=ENV, stdout=subprocess.DEVNULL
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def throughput(tmp: Path, n: int, jobs: int, repeat: int = 2) -> dict:
    """End-to-end times on ``n`` articles, and on their first half: the difference is the time of
    the second half, without the fixed start-up (the marginal rate). Each the best of ``repeat``."""
    corpus = write_jsonl(tmp / "throughput.jsonl", n)
    half = tmp / "half.jsonl"
    half.write_text("".join(corpus.read_text(encoding="utf-8").splitlines(keepends=True)[: n // 2]), encoding="utf-8")
    runs = []
    for _ in range(repeat):  # alternating, so that a busy spell of the machine hits both alike
        runs.append(
            (
                geomap("extract", corpus, "-o", tmp / "one.parquet", "--jobs", 1),
                geomap("extract", corpus, "-o", tmp / "many.parquet", "--jobs", jobs),
                geomap("extract", half, "-o", tmp / "one-half.parquet", "--jobs", 1)[0],
                geomap("extract", half, "-o", tmp / "many-half.parquet", "--jobs", jobs)[0],
            )
        )
    (one, cpu_one), (many, cpu_many) = min(r[0] for r in runs), min(r[1] for r in runs)
    one_half, many_half = min(r[2] for r in runs), min(r[3] for r in runs)
    import geopandas as gpd

    same = gpd.read_parquet(tmp / "one.parquet").equals(gpd.read_parquet(tmp / "many.parquet"))
    rest = n - n // 2
    return {
        "docs": n,
        "jobs": jobs,
        "seconds_jobs1": round(one, 1),
        f"seconds_jobs{jobs}": round(many, 1),
        "docs_per_s_jobs1": round(n / one, 2),
        f"docs_per_s_jobs{jobs}": round(n / many, 2),
        "speedup": round(one / many, 2),
        "cpu_seconds_jobs1": round(cpu_one, 1),
        f"cpu_seconds_jobs{jobs}": round(cpu_many, 1),
        "cpu_overhead": round(cpu_many / cpu_one, 3),
        f"seconds_first_{n // 2}_jobs1": round(one_half, 1),
        f"seconds_first_{n // 2}_jobs{jobs}": round(many_half, 1),
        "marginal_docs_per_s_jobs1": round(rest / max(one - one_half, 1e-9), 2),
        f"marginal_docs_per_s_jobs{jobs}": round(rest / max(many - many_half, 1e-9), 2),
        "marginal_speedup": round((one - one_half) / max(many - many_half, 1e-9), 2),
        "identical_output": bool(same),
        "repeat": repeat,
        "load_after": load(),
    }


def short_corpus(path: Path, n: int) -> Path:
    """``n`` one-paragraph articles (the first paragraph of each generated article)."""
    with open(path, "w", encoding="utf-8") as f:
        for record in articles(n, seed=99):
            record["text"] = record["text"].split("\n\n")[0]
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def memory(tmp: Path, small: int, large: int) -> dict:
    # RUSAGE_CHILDREN is the largest child so far: a fresh helper interpreter runs each measurement
    out = {}
    for n in (small, large):
        corpus = short_corpus(tmp / f"short-{n}.jsonl", n)
        code = (
            f"import resource, subprocess, sys; subprocess.run([sys.executable, '-m', 'geomap', 'extract', "
            f"{str(corpus)!r}, '-o', {str(tmp / f'mem-{n}')!r}, '--jobs', '1', '-q'], check=True, "
            "stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
        )
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code], check=True, env=ENV, capture_output=True, text=True)
        out[n] = (int(done.stdout.strip()) // 1024, time.perf_counter() - t0)
    return {
        "docs_small": small,
        "docs_large": large,
        "peak_mb_small": out[small][0],
        "peak_mb_large": out[large][0],
        "ratio": round(out[large][0] / out[small][0], 3),
        "seconds_small": round(out[small][1], 1),
        "seconds_large": round(out[large][1], 1),
        "load_after": load(),
    }


def dask_vs_jobs(tmp: Path, n: int, jobs: int, repeat: int = 2) -> dict:
    """The best of ``repeat`` runs each way (a fresh process and a fresh cluster every time)."""
    from distributed import LocalCluster

    corpus = write_jsonl(tmp / "dask.jsonl", n, seed=21)
    size = max(1, n // (4 * jobs))  # a few partitions per worker
    local, on_dask = [], []
    for i in range(repeat):
        local.append(_run_dataset_in_a_fresh_process(corpus, tmp / f"jobs-out-{i}", size, jobs=jobs))
        with LocalCluster(
            n_workers=jobs,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            preload=["geomap.scale.preload"],
        ) as cluster:
            on_dask.append(
                _run_dataset_in_a_fresh_process(corpus, tmp / f"dask-out-{i}", size, dask=cluster.scheduler_address)
            )
    best_local, best_dask = min(local), min(on_dask)
    return {
        "docs": n,
        "workers": jobs,
        "partitions": -(-n // size),
        "repeat": repeat,
        "seconds_jobs": [round(t, 1) for t in local],
        "seconds_dask": [round(t, 1) for t in on_dask],
        "dask_over_jobs": round(best_dask / best_local, 3),
        "load_after": load(),
    }


def _run_dataset_in_a_fresh_process(
    corpus: Path, out: Path, size: int, *, jobs: int = 1, dask: str | None = None
) -> float:
    """Seconds of ``run_dataset`` in a new interpreter, from its call on (imports excluded), so
    that neither run finds the other's model loaded."""
    code = (
        "import sys, time; from geomap.scale import Settings; from geomap.scale.run import run_dataset; "
        "t0 = time.perf_counter(); "
        f"run_dataset([{str(corpus)!r}], {str(out)!r}, settings=Settings(), jobs={jobs}, size={size}, "
        f"dask={dask!r}); print(time.perf_counter() - t0)"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, env=ENV, capture_output=True, text=True)
    return float(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--small", type=int, default=1000)
    ap.add_argument("--large", type=int, default=20000)
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--repeat", type=int, default=2, help="timed runs of each kind; the best counts")
    args = ap.parse_args(argv)
    print(json.dumps({"cpus": os.cpu_count(), "load_before": load()}), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps({"throughput": throughput(Path(tmp), args.docs, args.jobs, args.repeat)}), flush=True)
        print(json.dumps({"dask_vs_jobs": dask_vs_jobs(Path(tmp), args.docs, args.jobs, args.repeat)}), flush=True)
        if not args.skip_memory:
            print(json.dumps({"memory": memory(Path(tmp), args.small, args.large)}), flush=True)


if __name__ == "__main__":
    main()
