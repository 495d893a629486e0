"""Cut inputs into partitions that a worker reads by itself, and read them record by record.

A :class:`Partition` names a slice of one input, never its text: a byte range of a JSON Lines or
CSV file (cut at record ends), a range of row groups of a Parquet file, or a run of text/HTML
files of a folder. Planning reads each file once as a stream (memory stays flat); reading a
partition loads only that slice. A record that cannot be read becomes a :class:`RecordError`
(where, id, reason) instead of stopping the run.

Articles get the ids and line numbers the whole-file readers of :mod:`geomap.io.readers` give.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from geomap.errors import InputError
from geomap.io.readers import (
    BOMS,
    FIELD_ALIASES,
    SUPPORTED_SUFFIXES,
    TABLE_SUFFIXES,
    FileSelection,
    csv_delimiter,
    csv_field_limit,
    csv_header,
    folder_files,
    json_record,
    read_file,
    record_article,
)
from geomap.records import Article

#: Records per partition unless told otherwise.
PARTITION_SIZE = 500
PARQUET_SUFFIXES = {".parquet", ".geoparquet"}
#: Encodings whose bytes can be cut at b"\n" (a UTF-16/32 file is read whole, as one partition).
_WIDE = ("utf-16", "utf-32")


@dataclass(frozen=True, slots=True)
class Partition:
    """A slice of one input that a worker can read on its own."""

    index: int
    path: str
    kind: str  # jsonl | csv | parquet | files
    start: int = 0  # byte offset (jsonl, csv) or first row group (parquet)
    end: int = 0  # byte offset or row group after the slice
    first_line: int = 1  # line (jsonl, csv) or row (parquet) number of the first record
    files: tuple[str, ...] = ()
    n_records: int = 0


@dataclass(frozen=True, slots=True)
class RecordError:
    """A record that was skipped: where it is, its id when known, and why."""

    where: str
    doc_id: str | None
    reason: str

    def to_dict(self) -> dict:
        return {"id": self.doc_id, "where": self.where, "reason": self.reason}


# -- planning ----------------------------------------------------------------------------------
def plan(
    inputs: Iterable[str | os.PathLike],
    *,
    size: int = PARTITION_SIZE,
    encoding: str | None = None,
    selection: FileSelection | None = None,
) -> list[Partition]:
    """The partitions of files and folders, in input order (a folder's files that ``selection``
    takes, in name order)."""
    parts: list[Partition] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for group in _folder_groups(path, selection):
                parts.extend(_plan_file(group, size, encoding, len(parts)))
        elif not path.exists():
            raise InputError(f"{path}: no such file or folder")
        else:
            parts.extend(_plan_file([path], size, encoding, len(parts)))
    parts = [dataclasses.replace(p, index=i) for i, p in enumerate(parts)]
    if not parts:
        raise InputError("the input holds no articles")
    return parts


def _folder_groups(folder: Path, selection: FileSelection | None) -> Iterator[list[Path]]:
    """The supported files below ``folder`` that ``selection`` takes, in name order: each table
    file alone, runs of text/HTML files together."""
    files = folder_files(folder, selection=selection, suffixes=SUPPORTED_SUFFIXES | PARQUET_SUFFIXES)
    run: list[Path] = []
    for path in files:
        if path.suffix.lower() in TABLE_SUFFIXES | PARQUET_SUFFIXES:
            if run:
                yield run
                run = []
            yield [path]
        else:
            run.append(path)
    if run:
        yield run


def _plan_file(paths: list[Path], size: int, encoding: str | None, index: int) -> list[Partition]:
    suffix = paths[0].suffix.lower()
    if len(paths) > 1 or suffix not in TABLE_SUFFIXES | PARQUET_SUFFIXES:
        return [
            Partition(index + i, str(paths[0]), "files", files=tuple(str(p) for p in chunk), n_records=len(chunk))
            for i, chunk in enumerate(paths[j : j + size] for j in range(0, len(paths), size))
        ]
    path = paths[0]
    if suffix in PARQUET_SUFFIXES:
        return _plan_parquet(path, size, index)
    if _wide(path, encoding):
        return [Partition(index, str(path), "files", files=(str(path),), n_records=1)]
    return _plan_lines(path, size, index, "csv" if suffix in {".csv", ".tsv"} else "jsonl")


def _wide(path: Path, encoding: str | None) -> bool:
    with open(path, "rb") as f:
        head = f.read(4)
    bom = next((name for mark, name in BOMS if head.startswith(mark)), None)
    return (bom or encoding or "").lower().replace("_", "-").startswith(_WIDE)


def _plan_lines(path: Path, size: int, index: int, kind: str) -> list[Partition]:
    """Byte ranges of about ``size`` records each, cut only where a record ends.

    A CSV record ends at a line end outside quotes: the count of ``"`` so far is even (an
    escaped quote is doubled, so it keeps the parity).
    """
    parts: list[Partition] = []
    offset = start = 0
    lineno, first_line, n = 0, 1, 0
    open_quote, header = False, kind == "csv"
    with open(path, "rb") as f:
        for line in f:
            lineno += 1
            offset += len(line)
            if kind == "csv":
                if line.count(b'"') % 2:
                    open_quote = not open_quote
                if open_quote:
                    continue
                if header:  # the header row is read again with every partition
                    start, first_line, header = offset, lineno + 1, False
                    continue
            if line.strip():
                n += 1
            if n >= size:
                parts.append(Partition(index + len(parts), str(path), kind, start, offset, first_line, n_records=n))
                start, first_line, n = offset, lineno + 1, 0
    if n:
        parts.append(Partition(index + len(parts), str(path), kind, start, offset, first_line, n_records=n))
    return parts


def _plan_parquet(path: Path, size: int, index: int) -> list[Partition]:
    """Runs of whole row groups of about ``size`` rows each (a row group is never split)."""
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several kinds for a bad file
        raise InputError(f"{path}: not a readable Parquet file ({' '.join(str(exc).split())})") from None
    parts: list[Partition] = []
    start, rows, first = 0, 0, 1
    for group in range(meta.num_row_groups):
        rows += meta.row_group(group).num_rows
        if rows >= size or group == meta.num_row_groups - 1:
            if rows:
                parts.append(
                    Partition(index + len(parts), str(path), "parquet", start, group + 1, first, n_records=rows)
                )
            start, first, rows = group + 1, first + rows, 0
    return parts


# -- keys ----------------------------------------------------------------------------------------
def partition_key(part: Partition, settings: dict) -> str:
    """A hash of what decides a partition's output: the input slice (path, size, range) and the
    settings (model, gazetteer, geocoder, published, …). Same key, same output."""
    files = part.files or (part.path,)
    stamp = [[str(Path(f).resolve()), _size(f)] for f in files]
    payload = json.dumps(
        {"kind": part.kind, "files": stamp, "range": [part.start, part.end], "settings": settings},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return -1


# -- reading -------------------------------------------------------------------------------------
def read_partition(
    part: Partition, *, encoding: str | None = None, published: dt.date | None = None
) -> Iterator[Article | RecordError]:
    """The articles of a partition, in order, with a :class:`RecordError` for each unreadable record."""
    readers = {"jsonl": _jsonl, "csv": _csv, "parquet": _parquet, "files": _files}
    for item in readers[part.kind](part, encoding):
        if published is not None and isinstance(item, Article):
            item = dataclasses.replace(item, published=published)
        yield item


def _slice(part: Partition) -> bytes:
    with open(part.path, "rb") as f:
        f.seek(part.start)
        return f.read(part.end - part.start)


def _codec(encoding: str | None) -> str:
    return encoding or "utf-8-sig"


def _jsonl(part: Partition, encoding: str | None) -> Iterator[Article | RecordError]:
    path = Path(part.path)
    for lineno, raw in enumerate(_slice(part).split(b"\n"), part.first_line):
        if not raw.strip():
            continue
        where = f"{path}:{lineno}"
        record: dict = {}
        try:
            record = json_record(path, lineno, raw.decode(_codec(encoding)))
            yield record_article(path, where, record, lineno)
        except UnicodeDecodeError as exc:
            yield RecordError(where, None, f"not valid {encoding or 'UTF-8'} text ({exc.reason})")
        except InputError as exc:
            yield RecordError(where, _record_id(record), _reason(exc, where))


def _csv(part: Partition, encoding: str | None) -> Iterator[Article | RecordError]:
    path = Path(part.path)
    where = f"{path}:{part.first_line}"
    try:
        with open(path, "rb") as f:
            header_raw = f.readline()
        header_text = header_raw.decode(_codec(encoding))
        text = _slice(part).decode(_codec(encoding))
    except UnicodeDecodeError as exc:
        yield RecordError(where, None, f"not valid {encoding or 'UTF-8'} text ({exc.reason})")
        return
    delimiter = csv_delimiter(path)
    csv_field_limit(len(text) + len(header_text))
    try:
        header = csv_header(path, next(csv.reader([header_text.rstrip("\r\n")], delimiter=delimiter)))
    except (InputError, csv.Error, StopIteration) as exc:
        yield RecordError(str(path), None, _reason(exc, str(path)) or "no header row")
        return
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        lineno = part.first_line + reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # the rest of this slice cannot be split into records
            yield RecordError(f"{path}:{lineno}", None, f"malformed CSV ({exc}); rest of the partition skipped")
            return
        if not row or not any(cell.strip() for cell in row):
            continue
        line = part.first_line + reader.line_num - 1
        where = f"{path}:{line}"
        record = dict(zip(header, row))
        if len(row) != len(header):
            yield RecordError(where, _record_id(record), f"expected {len(header)} fields, found {len(row)}")
            continue
        try:
            yield record_article(path, where, record, line)
        except InputError as exc:
            yield RecordError(where, _record_id(record), _reason(exc, where))


def _parquet(part: Partition, encoding: str | None) -> Iterator[Article | RecordError]:
    import pyarrow.parquet as pq

    path = Path(part.path)
    pf = pq.ParquetFile(path)
    wanted = {name for names in FIELD_ALIASES.values() for name in names}
    columns = [c for c in pf.schema_arrow.names if c.lower() in wanted]
    rows = pf.read_row_groups(list(range(part.start, part.end)), columns=columns).to_pylist()
    for n, row in enumerate(rows, part.first_line):
        where = f"{path}:row {n}"
        record = {k.lower(): v for k, v in row.items()}
        try:
            yield record_article(path, where, record, n)
        except InputError as exc:
            yield RecordError(where, _record_id(record), _reason(exc, where))


def _files(part: Partition, encoding: str | None) -> Iterator[Article | RecordError]:
    for name in part.files:
        try:
            yield from list(read_file(name, encoding=encoding))
        except InputError as exc:
            yield RecordError(name, None, _reason(exc, name))


def _record_id(record: dict) -> str | None:
    for name in FIELD_ALIASES["doc_id"]:
        if record.get(name) not in (None, ""):
            return str(record[name])
    return None


def _reason(exc: Exception, where: str) -> str:
    """The error message without the ``where:`` prefix the record's location already gives."""
    text = " ".join(str(exc).split())
    return text[len(where) + 2 :] if text.startswith(f"{where}: ") else text
