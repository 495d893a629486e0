"""A store and the partitioned GeoParquet folders of ``geomap extract -o DIR`` / ``--dask`` runs.

- :func:`export_partitioned`: the store's events as such a folder (``part-NNNNN-<key>.parquet``
  of ``size`` articles each, the events schema, ``_metadata``, ``_common_metadata`` and the
  store's errors in ``_errors.jsonl``), so ``geomap map DIR``, ``geopandas.read_parquet(DIR)``
  and ``dask_geopandas.read_parquet(DIR)`` read it as they read a ``--dask`` run's.
- :func:`read_events_folder`: the articles of such a folder, rebuilt from its event rows, for
  ``geomap update STORE DIR``. The folder holds no article text, so these articles are stored
  with an empty text and no mentions (they can be mapped, merged into incidents and exported,
  not parsed again); an article is keyed by its canonical URL, else by ``events:`` and a hash
  of its id and cited sentences.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geomap.io.export import conform
from geomap.scale import dataset
from geomap.scale.partitions import PARTITION_SIZE
from geomap.schema import EVENT_COLUMNS
from geomap.store.frames import read_table
from geomap.store.keys import canonical_url


def is_events_folder(path: str | os.PathLike) -> bool:
    """True for a folder of ``part-*.parquet`` files holding events (event_id, no text column)."""
    folder = Path(path)
    if "://" in str(path) or not folder.is_dir():
        return False
    parts = sorted(p for p in folder.iterdir() if dataset.PART.match(p.name))
    if not parts:
        return False
    import pyarrow.parquet as pq

    try:
        names = set(pq.read_schema(parts[0]).names)
    except Exception:  # noqa: BLE001 - not a parquet file after all: not ours to read
        return False
    return "event_id" in names and "event_type" in names and "text" not in names


def export_partitioned(
    store: str | os.PathLike, folder: str | os.PathLike, *, size: int = PARTITION_SIZE, narrow: Callable | None = None
) -> tuple[int, int]:
    """Write the store's events to ``folder`` as a partitioned GeoParquet dataset, ``size``
    articles a part in stored order; (rows, parts). ``narrow(frame)`` filters the events.
    A folder that already holds parts is refused (OutputError), as for any folder output."""
    folder = Path(folder)
    events = read_table(store, "events")
    if narrow is not None:
        events = narrow(events)
    keys = list(dict.fromkeys(events["article_key"]))
    groups = [keys[i : i + size] for i in range(0, len(keys), size)] or [[]]
    frames, names = [], []
    for index, group in enumerate(groups):
        rows = events[events["article_key"].isin(set(group))]
        digest = hashlib.sha1(json.dumps([group, sorted(rows["event_id"])]).encode("utf-8")).hexdigest()[:16]
        frames.append(
            gpd.GeoDataFrame(
                conform(rows[[*EVENT_COLUMNS, "geometry"]].reset_index(drop=True)), geometry="geometry", crs=events.crs
            )
        )
        names.append(dataset.part_name(index, digest))
    dataset.check_target(folder, names, resume=False)
    folder.mkdir(parents=True, exist_ok=True)
    for frame, name in zip(frames, names):
        dataset.write_part(frame, folder, name, [])
    dataset.write_metadata(folder, names)
    errors = read_table(store, "errors")
    if len(errors):
        from geomap.io.atomic import write_text

        write_text(
            folder / dataset.ERRORS,
            "".join(
                json.dumps(
                    {"id": r["doc_id"] or None, "where": r["location"], "reason": r["reason"], "partition": None},
                    ensure_ascii=False,
                )
                + "\n"
                for r in errors.to_dict("records")
            ),
        )
    return sum(len(f) for f in frames), len(names)


@dataclass(frozen=True, slots=True)
class EventArticle:
    """An article known only by its event rows (a partitioned events folder holds no text)."""

    key: str
    doc_id: str
    url: str
    title: str
    published: str
    source: str
    events: pd.DataFrame  # its rows, in the events schema


def _key(doc_id: str, url: str, rows: pd.DataFrame) -> str:
    if url.lower().startswith(("http://", "https://")):
        return canonical_url(url)
    cited = sorted({(int(s), t) for s, t in zip(rows["sent_start"], rows["sentence"])})
    return "events:" + hashlib.sha1(json.dumps([doc_id, cited]).encode("utf-8")).hexdigest()


def read_events_folder(path: str | os.PathLike) -> Iterator[EventArticle]:
    """The articles of a partitioned events folder, part by part, in order."""
    folder = Path(path)
    for part in sorted(p for p in folder.iterdir() if dataset.PART.match(p.name)):
        frame = conform(gpd.read_parquet(part))
        for doc_id, rows in frame.groupby("doc_id", sort=False):
            first = rows.iloc[0]
            yield EventArticle(
                key=_key(str(doc_id), str(first["url"]), rows),
                doc_id=str(doc_id),
                url=str(first["url"]),
                title=str(first["title"]),
                published=str(first["published"]),
                source=f"{folder}/{part.name}",
                events=rows.reset_index(drop=True),
            )


__all__ = ["EventArticle", "export_partitioned", "is_events_folder", "read_events_folder"]
