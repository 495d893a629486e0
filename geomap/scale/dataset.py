"""A partitioned GeoParquet dataset: one ``part-NNNNN-<key>.parquet`` per input partition, a
``_metadata`` summary file, and the skipped records in ``_errors.jsonl``.

Each part is written atomically, so a part that exists is complete; its name carries the hash of
its input slice and settings, which is what ``--resume`` compares. Skipped records of a part are
kept beside it in ``_errors/`` (written before the part itself), so restarts never lose them.
``geopandas.read_parquet(folder)`` and ``dask_geopandas.read_parquet(folder)`` read the folder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd

from geomap.errors import OutputError
from geomap.io.atomic import atomic_path, write_text

PART = re.compile(r"^part-(\d{5,})-([0-9a-f]{16})\.parquet$")
METADATA = "_metadata"
COMMON_METADATA = "_common_metadata"
ERRORS = "_errors.jsonl"
ERRORS_DIR = "_errors"


def part_name(index: int, key: str) -> str:
    return f"part-{index:05d}-{key}.parquet"


def existing_parts(folder: Path) -> set[str]:
    """Names of the finished parts in ``folder`` (none if it does not exist)."""
    if not folder.is_dir():
        return set()
    return {p.name for p in folder.iterdir() if PART.match(p.name)}


def check_target(folder: Path, names: Iterable[str], *, resume: bool) -> set[str]:
    """The parts already done (with ``resume``); OutputError when ``folder`` cannot take this run.

    Without ``resume`` the folder must hold no parts (a finished dataset is never overwritten);
    with it, every part there must belong to this run's inputs and settings.
    """
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: is a file; a partitioned dataset is written to a folder")
    found = existing_parts(folder)
    if found and not resume:
        raise OutputError(
            f"{folder}: already holds a partitioned dataset ({len(found)} parts); "
            "resume the run to finish it, or choose a new folder"
        )
    foreign = sorted(found - set(names))
    if foreign:
        raise OutputError(
            f"{folder}: holds {len(foreign)} part(s) made from other inputs or settings "
            f"(e.g. {foreign[0]}); choose a new folder"
        )
    return found


def write_part(frame: gpd.GeoDataFrame, folder: Path, name: str, errors: list[dict]) -> Path:
    """Write one part atomically (its skipped records first, under ``_errors/``)."""
    if errors:
        write_text(
            folder / ERRORS_DIR / f"{name}.jsonl", "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors)
        )
    target = folder / name
    try:
        with atomic_path(target) as tmp:
            frame.to_parquet(tmp, index=False)
    except (ValueError, RuntimeError) as exc:
        raise OutputError(f"cannot write {target}: {exc}") from None
    return target


def write_metadata(folder: Path, names: list[str]) -> Path:
    """``_metadata`` (every part's row groups) and ``_common_metadata`` (the schema), atomically.

    The GeoParquet "geo" entry of the dataset lists the geometry types of all parts and no bbox.
    """
    import pyarrow.parquet as pq

    collected, schema, types = [], None, set()
    for name in names:
        meta = pq.read_metadata(folder / name)
        meta.set_file_path(name)
        collected.append(meta)
        part_schema = pq.read_schema(folder / name)
        geo = json.loads(part_schema.metadata[b"geo"])
        for column in geo["columns"].values():
            types.update(column.get("geometry_types", []))
        schema = schema or part_schema
    if schema is None:
        raise OutputError(f"{folder}: no parts to summarise")
    geo = json.loads(schema.metadata[b"geo"])
    for column in geo["columns"].values():
        column["geometry_types"] = sorted(types)
        column.pop("bbox", None)
    schema = schema.with_metadata({**schema.metadata, b"geo": json.dumps(geo).encode("utf-8")})
    with atomic_path(folder / COMMON_METADATA) as tmp:
        pq.write_metadata(schema, tmp)
    with atomic_path(folder / METADATA) as tmp:
        pq.write_metadata(schema, tmp, metadata_collector=collected)
    return folder / METADATA


def gather_errors(folder: Path, names: list[str], target: Path) -> int:
    """Write the skipped records of ``names`` (in that order) to ``target``; returns how many."""
    lines: list[str] = []
    for name in names:
        side = folder / ERRORS_DIR / f"{name}.jsonl"
        if side.is_file():
            lines += [line for line in side.read_text(encoding="utf-8").splitlines() if line.strip()]
    if lines or target.exists():
        write_text(target, "".join(line + "\n" for line in lines))
    return len(lines)
