"""Geoparse inputs into a partitioned GeoParquet folder, in this process, in local worker
processes or on a Dask cluster; restartable (``resume``) and tolerant of bad records.

Events told twice are merged within a partition (a partition is never held with another in
memory); the in-process single-file output merges over the whole input.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from geomap.batch import dedupe_documents, prepare_articles, report_undated
from geomap.io.readers import FileSelection
from geomap.records import Article
from geomap.scale import dataset
from geomap.scale.parallel import GeoparserPool
from geomap.scale.partitions import PARTITION_SIZE, Partition, RecordError, partition_key, plan, read_partition
from geomap.settings import Settings

TABLES = ("events", "mentions")


@dataclass(frozen=True, slots=True)
class PartJob:
    """One partition to parse and where its part goes."""

    part: Partition
    name: str
    folder: str
    table: str = "events"
    published: dt.date | None = None
    encoding: str | None = None


@dataclass(frozen=True, slots=True)
class PartResult:
    index: int
    name: str
    n_records: int
    n_docs: int
    n_rows: int
    n_errors: int
    n_undated: int
    undated_ids: tuple[str, ...] = ()


@dataclass(slots=True)
class RunSummary:
    folder: Path
    n_parts: int
    n_resumed: int = 0
    n_docs: int = 0
    n_rows: int = 0
    n_errors: int = 0
    errors_file: Path | None = None
    results: list[PartResult] = field(default_factory=list)


def process_partition(geoparser, job: PartJob) -> PartResult:
    """Worker task: read, parse and write one partition; bad records go to its errors."""
    from geomap.tools.frames import events_frame, mentions_frame

    articles: list[Article] = []
    errors: list[RecordError] = []
    for item in read_partition(job.part, encoding=job.encoding, published=job.published):
        (errors if isinstance(item, RecordError) else articles).append(item)
    articles = prepare_articles(articles)

    documents = dedupe_documents(_parse(geoparser, articles, errors, job.part.path))
    if job.table == "mentions":
        frame = mentions_frame(documents)
    else:
        frame = events_frame([e for d in documents for e in d.events])
    dataset.write_part(frame, Path(job.folder), job.name, [dict(e.to_dict(), partition=job.part.index) for e in errors])
    undated = [a.doc_id for a in articles if a.published is None]
    return PartResult(
        job.part.index,
        job.name,
        job.part.n_records,
        len(documents),
        len(frame),
        len(errors),
        len(undated),
        tuple(undated[:3]),
    )


def _parse(geoparser, articles: list[Article], errors: list[RecordError], where: str) -> list:
    """The documents of ``articles``; one whose parse raises is listed in ``errors`` and skipped
    (the partition is parsed again article by article to find it)."""

    def skipper(into: list[RecordError]):
        return lambda a, reason: into.append(RecordError(a.source_path or where, a.doc_id, reason))

    first: list[RecordError] = []
    try:
        documents = geoparser.parse_articles(articles, on_skip=skipper(first))
        errors.extend(first)
        return documents
    except Exception:  # noqa: BLE001 - find the article that failed, keep the others
        pass
    documents = []
    for article in articles:
        try:
            documents += geoparser.parse_articles([article], on_skip=skipper(errors))
        except Exception as exc:  # noqa: BLE001 - one bad record never stops the run
            reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
            errors.append(RecordError(article.source_path or where, article.doc_id, reason))
    return documents


def run_dataset(
    inputs: Iterable[str | Path],
    folder: str | Path,
    *,
    settings: Settings | None = None,
    table: str = "events",
    published: dt.date | None = None,
    encoding: str | None = None,
    jobs: int = 1,
    dask: str | None = None,
    resume: bool = False,
    errors: Path | None = None,
    size: int = PARTITION_SIZE,
    progress: Callable[[int], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
    selection: FileSelection | None = None,
) -> RunSummary:
    """Geoparse ``inputs`` into the partitioned GeoParquet folder ``folder``.

    ``jobs`` local worker processes (or the Dask scheduler at ``dask``) parse the partitions;
    with ``resume`` the parts already written for the same inputs and settings are kept.
    ``on_plan(total_records)`` is called once the inputs are planned, ``progress(n)`` as records
    are done. Skipped records go to ``errors`` (default ``<folder>/_errors.jsonl``).
    ``selection`` picks the files of input folders (:class:`~geomap.io.readers.FileSelection`).
    """
    settings = settings or Settings()
    with _client(dask) as client:
        return _run_dataset(
            inputs,
            folder,
            settings=settings,
            table=table,
            published=published,
            encoding=encoding,
            jobs=jobs,
            client=client,
            resume=resume,
            errors=errors,
            size=size,
            progress=progress,
            on_plan=on_plan,
            selection=selection,
        )


@contextlib.contextmanager
def _client(address: str | None):
    """A Dask client of ``address`` (connected first: an unreachable scheduler fails in seconds,
    before any work), or None."""
    if address is None:
        yield None
        return
    from geomap.scale.dask_run import connect

    client = connect(address)
    try:
        yield client
    finally:
        client.close()


def _run_dataset(
    inputs,
    folder,
    *,
    settings: Settings,
    table: str,
    published,
    encoding,
    jobs: int,
    client,
    resume: bool,
    errors,
    size: int,
    progress,
    on_plan,
    selection,
) -> RunSummary:
    folder = Path(folder).resolve()
    parts = plan(inputs, size=size, encoding=encoding, selection=selection)
    config = {**settings.key(), "published": published, "encoding": encoding, "table": table}
    names = [dataset.part_name(p.index, partition_key(p, config)) for p in parts]
    done = dataset.check_target(folder, names, resume=resume)
    folder.mkdir(parents=True, exist_ok=True)
    if on_plan:
        on_plan(sum(p.n_records for p in parts))
    todo = [PartJob(p, n, str(folder), table, published, encoding) for p, n in zip(parts, names) if n not in done]
    summary = RunSummary(
        folder, len(parts), n_resumed=len(parts) - len(todo), errors_file=errors or folder / dataset.ERRORS
    )
    if progress:
        progress(sum(p.n_records for p, n in zip(parts, names) if n in done))
    undated: list[PartResult] = []
    try:
        for result in _execute(todo, settings=settings, jobs=jobs, client=client):
            summary.results.append(result)
            summary.n_docs += result.n_docs
            summary.n_rows += result.n_rows
            if result.n_undated:
                undated.append(result)
            if progress:
                progress(result.n_records)
    finally:
        written = [n for n in names if (folder / n).is_file()]
        summary.n_errors = dataset.gather_errors(folder, written, summary.errors_file)
    dataset.write_metadata(folder, names)
    report_undated(sum(r.n_undated for r in undated), summary.n_docs, [i for r in undated for i in r.undated_ids])
    return summary


def _execute(todo: list[PartJob], *, settings: Settings, jobs: int, client) -> Iterator[PartResult]:
    if not todo:
        return
    if client is not None:
        from geomap.scale.dask_run import run_tasks

        yield from run_tasks(client, process_partition, todo, settings)
    elif jobs > 1 and len(todo) > 1:
        with GeoparserPool(min(jobs, len(todo)), settings) as pool:
            yield from pool.imap(process_partition, todo)
    else:
        gp = settings.load()
        for job in todo:
            yield process_partition(gp, job)


def is_folder_target(output: Path, fmt: str | None, *, dask: str | None = None, resume: bool = False) -> bool:
    """True when ``-o`` names a partitioned dataset folder: an existing folder, a name without
    extension (and no --format), or a folder-like name (none, .parquet) with --dask or --resume,
    which need one."""
    from geomap.errors import InputError

    if dask is not None or resume:
        what = fmt.lower().lstrip(".") if fmt is not None else output.suffix.lower().lstrip(".")
        if not output.is_dir() and what not in ("", "parquet", "geoparquet"):
            raise InputError(
                f"output: a Dask or resumed run writes a partitioned GeoParquet folder; name it "
                f"without an extension (or .parquet), not {output.name!r}"
            )
        return True
    return output.is_dir() or (output.suffix == "" and fmt is None)
