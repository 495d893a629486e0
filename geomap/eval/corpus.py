"""Read gold geoparsing corpora (JSON Lines) and split them into dev and test halves.

One document a line::

    {"id": "lgl-0", "text": "...", "published": "2009-03-20", "title": "...", "url": "...",
     "toponyms": [{"start": 0, "end": 10, "name": "Alexandria", "lat": 31.31, "lon": -92.44,
                   "geonameid": 4314550, "type": "Literal"}]}

``start``/``end`` are Python string offsets and ``text[start:end] == name`` must hold;
``lat``/``lon`` may both be null (no gazetteer entry), then the toponym counts for
recognition but not for resolution.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

from geomap.errors import InputError
from geomap.io.readers import json_lines, read_text

Split = Literal["dev", "test", "all"]
R = TypeVar("R")
SPLITS: tuple[str, ...] = ("dev", "test", "all")


@dataclass(frozen=True, slots=True)
class GoldToponym:
    """One annotated place name with its gold point (None when the annotators had none)."""

    start: int
    end: int
    name: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    type: str | None = None

    @property
    def has_coords(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """One annotated document."""

    doc_id: str
    text: str
    toponyms: tuple[GoldToponym, ...] = field(default_factory=tuple)
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None

    @property
    def split(self) -> str:
        return split_of(self.doc_id)


def split_of(doc_id: str) -> str:
    """Deterministic 50/50 split: 'dev' when the first 8 hex digits of sha256(doc_id) are even.

    Hashing the id (not the file position) keeps a document in the same half when a corpus
    is reordered or extended, and works the same for any corpus.
    """
    digest = hashlib.sha256(doc_id.encode("utf-8")).hexdigest()
    return "dev" if int(digest[:8], 16) % 2 == 0 else "test"


def select(docs: Iterable[GoldDocument], split: str = "all", limit: int | None = None) -> list[GoldDocument]:
    """Documents of one split ('dev', 'test' or 'all'), in file order, at most ``limit`` of them."""
    if split not in SPLITS:
        raise InputError(f"unknown split {split!r}: use one of {', '.join(SPLITS)}")
    if limit is not None and limit < 1:
        raise InputError(f"limit must be at least 1, got {limit}")
    chosen = [d for d in docs if split == "all" or d.split == split]
    return chosen[:limit] if limit is not None else chosen


def corpus_name(path: str | Path) -> str:
    """Short name of a corpus file for reports: its file name without extension."""
    return Path(path).stem


def read_corpus(path: str | Path) -> list[GoldDocument]:
    """Read and validate a gold corpus; any defect raises a one-line InputError naming the line."""
    return read_gold_lines(path, _parse_record, what="corpus")


def read_gold_lines(path: str | Path, parse: Callable[[dict, str], R], *, what: str) -> list[R]:
    """Records of a gold JSON Lines file, each made by ``parse(object, "file:line")``; a missing
    or empty file, a bad line or a repeated ``doc_id`` is a one-line InputError naming the line."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such {what} file")
    records: list[R] = []
    seen: set[str] = set()
    for lineno, obj in json_lines(p, read_text(p)):
        record = parse(obj, f"{p}:{lineno}")
        if record.doc_id in seen:
            raise InputError(f"{p}:{lineno}: duplicate document id {record.doc_id!r}")
        seen.add(record.doc_id)
        records.append(record)
    if not records:
        raise InputError(f"{p}: no records")
    return records


def _parse_record(obj: dict, where: str) -> GoldDocument:
    doc_id = obj.get("id")
    text = obj.get("text")
    if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool) or str(doc_id) == "":
        raise InputError(f"{where}: missing or invalid 'id'")
    doc_id = str(doc_id)
    if not isinstance(text, str):
        raise InputError(f"{where}: document {doc_id!r} has no 'text' string")
    raw_tops = obj.get("toponyms", [])
    if not isinstance(raw_tops, list):
        raise InputError(f"{where}: document {doc_id!r}: 'toponyms' must be a list")
    tops = tuple(
        _parse_toponym(t, i, text, f"{where}: document {doc_id!r} toponym {i}") for i, t in enumerate(raw_tops)
    )
    return GoldDocument(
        doc_id=doc_id,
        text=text,
        toponyms=tuple(sorted(tops, key=lambda t: (t.start, t.end))),
        title=_opt_str(obj.get("title")),
        url=_opt_str(obj.get("url")),
        published=parse_gold_date(obj.get("published"), where),
    )


def _parse_toponym(t: object, i: int, text: str, where: str) -> GoldToponym:
    if not isinstance(t, dict):
        raise InputError(f"{where}: expected an object")
    start, end, name = t.get("start"), t.get("end"), t.get("name")
    if not (_is_int(start) and _is_int(end)) or not 0 <= start < end <= len(text):
        raise InputError(f"{where}: bad offsets start={start!r} end={end!r} (text has {len(text)} characters)")
    if not isinstance(name, str):
        raise InputError(f"{where}: missing 'name'")
    if text[start:end] != name:
        raise InputError(f"{where}: text[{start}:{end}] is {text[start:end]!r}, not {name!r}")
    lat, lon = t.get("lat"), t.get("lon")
    if (lat is None) != (lon is None):
        raise InputError(f"{where}: lat and lon must both be numbers or both null")
    if lat is not None:
        if not (is_number(lat) and is_number(lon)) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise InputError(f"{where}: coordinates out of range lat={lat!r} lon={lon!r}")
        lat, lon = float(lat), float(lon)
    gid = t.get("geonameid")
    if gid is not None and not _is_int(gid):
        try:
            gid = int(gid)
        except (TypeError, ValueError):
            raise InputError(f"{where}: geonameid {gid!r} is not an integer") from None
    return GoldToponym(start=start, end=end, name=name, lat=lat, lon=lon, geonameid=gid, type=_opt_str(t.get("type")))


def parse_gold_date(value: object, where: str, key: str = "published") -> dt.date | None:
    """An ISO date field of a gold record (None when blank); anything else is a one-line InputError."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InputError(f"{where}: {key!r} must be an ISO date string")
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise InputError(f"{where}: {key!r} {value!r} is not an ISO date") from None


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)
