"""Read articles from text, Markdown, HTML, JSON Lines and CSV files, folders of them, or URLs
(pages and feeds, through :mod:`geomap.io.web`).

Every problem with an input becomes an :class:`~geomap.errors.InputError` whose message
names the file (and line) so the CLI can print it on one line.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from geomap.errors import DateError, InputError
from geomap.io.html import read_page
from geomap.records import Article

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
TABLE_SUFFIXES = {".jsonl", ".ndjson", ".csv", ".tsv"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | TABLE_SUFFIXES

#: Column names accepted for each field of a JSONL/CSV record, first match wins.
FIELD_ALIASES = {
    "text": ("text", "body", "content", "article"),
    "published": ("published", "date", "publication_date", "pub_date", "published_at"),
    "title": ("title", "headline"),
    "url": ("url", "link", "source_url"),
    "doc_id": ("id", "doc_id", "document_id"),
}

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.S)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


def parse_iso_date(value: str, *, what: str = "date") -> dt.date:
    """A date given by the user: YYYY-MM-DD or a full ISO 8601 datetime, nothing else.

    "yesterday" or "11/03/2020" would be guesses (relative to today, or month/day order), so they
    are a DateError naming ``what`` rather than a wrong date.
    """
    text = str(value).strip()
    if _ISO_DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    elif _ISO_DATE.match(text) and len(text) > 10 and text[10] in "Tt ":
        try:
            return dt.datetime.fromisoformat(text.replace("z", "Z")).date()
        except ValueError:
            pass
    raise DateError(
        f"{what}: cannot read date {text!r} (use YYYY-MM-DD or an ISO datetime such as 2020-03-11T10:16:00Z)"
    )


def parse_date(value: object, *, where: str = "") -> dt.date | None:
    """Parse a publication date ('2020-03-11', '2020-03-11T10:16:00Z', '11 March 2020'); None if blank.

    Text without a four-digit year ("yesterday", "Tuesday") is refused: it would be dated from
    today, not from the article.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    import dateparser  # imported lazily: it is slow to import and rarely needed here

    parsed = None
    if _YEAR.search(text):
        parsed = dateparser.parse(text, languages=["en"], settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["year"]})
    if parsed is None:
        prefix = f"{where}: " if where else ""
        raise DateError(f"{prefix}cannot read date {text!r} (use YYYY-MM-DD)")
    return parsed.date()


#: Byte order marks and the codec each one names (UTF-32 first: its LE mark starts like UTF-16's).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def check_encoding(encoding: str | None) -> str | None:
    """The codec name Python knows ``encoding`` by; InputError if it knows none (None stays None)."""
    if encoding is None:
        return None
    try:
        return codecs.lookup(encoding.strip()).name
    except (LookupError, ValueError):
        raise InputError(f"unknown encoding {encoding!r} (e.g. utf-8, latin-1, cp1252, utf-16)") from None


def _bom_encoding(data: bytes) -> str | None:
    for bom, name in BOMS:
        if data.startswith(bom):
            return name
    return None


def _decode(path: Path, data: bytes, encoding: str | None) -> str:
    """Decode a file: a byte order mark decides, then ``encoding``, then UTF-8."""
    if not data.strip():
        raise InputError(f"{path}: file is empty")
    codec = check_encoding(encoding)
    bom = _bom_encoding(data)
    wide = bom is not None or (codec or "").startswith(("utf-16", "utf-32"))
    if b"\x00" in data[:8192] and not wide:
        raise InputError(f"{path}: looks like a binary file, not text")
    enc = bom or codec or "utf-8-sig"
    label = enc.replace("-sig", "").upper() if bom or not encoding else encoding
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not valid {label} text (byte {data[exc.start]:#04x} at offset "
            f"{exc.start}); re-save it as UTF-8 or give its encoding (e.g. latin-1)"
        ) from None
    if not text.strip():
        raise InputError(f"{path}: file is empty")
    return text


def read_text(path: Path, encoding: str | None = None) -> str:
    """A text file's content; missing, empty, binary or mis-encoded files are one-line InputErrors."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return _decode(path, data, encoding)


def _doc_id(path: Path, text: str, suffix: str = "") -> str:
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return f"{path.stem}{suffix}-{digest}"


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split ``---``-fenced ``key: value`` front matter from a text; returns (meta, body)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[match.end() :]


def _html_article(path: Path, raw: str) -> Article:
    """The article of an HTML file: its main text, title, date and URL (:mod:`geomap.io.html`)."""
    page = read_page(raw, where=str(path))
    if not page.has_article:  # a menu or a caption is not an article
        raise InputError(f"{path}: no article text found on the page")
    return Article(
        text=page.text,
        doc_id=_doc_id(path, page.text),
        title=page.title,
        url=page.url,
        published=page.published,
        source_path=str(path),
    )


def _text_article(path: Path, raw: str) -> Article:
    meta, body = split_front_matter(raw)
    if not body.strip():
        raise InputError(f"{path}: file has front matter but no text")
    return Article(
        text=body,
        doc_id=meta.get("id") or _doc_id(path, body),
        title=meta.get("title") or None,
        url=meta.get("url") or None,
        published=parse_date(meta.get("published") or meta.get("date"), where=f"{path} front matter"),
        source_path=str(path),
    )


def _pick(record: dict, field: str):
    for name in FIELD_ALIASES[field]:
        if name in record and record[name] not in (None, ""):
            return record[name]
    return None


def record_article(path: Path, where: str, record: dict, index: int) -> Article:
    """The article of one JSONL/CSV/Parquet record (InputError naming ``where`` when it has no text)."""
    text = _pick(record, "text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: record has no 'text'")
    doc_id = _pick(record, "doc_id")
    return Article(
        text=text,
        doc_id=str(doc_id) if doc_id is not None else _doc_id(path, text, f"-{index}"),
        title=str(_pick(record, "title")) if _pick(record, "title") is not None else None,
        url=str(_pick(record, "url")) if _pick(record, "url") is not None else None,
        published=parse_date(_pick(record, "published"), where=where),
        source_path=str(path),
    )


def json_lines(path: Path, raw: str, first_line: int = 1) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank line of a JSON Lines text.

    Lines split on "\n" only: str.splitlines() would also break at U+2028 inside JSON strings.
    ``first_line`` is the number of the text's first line (a slice of a bigger file).
    """
    for lineno, line in enumerate(raw.split("\n"), first_line):
        if not line.strip():
            continue
        yield lineno, json_record(path, lineno, line)


def json_record(path: Path, lineno: int, line: str) -> dict:
    """The JSON object on one line of a JSON Lines file (InputError naming ``path:lineno`` otherwise)."""
    where = f"{path}:{lineno}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
    return _no_lone_surrogates(record)


#: A UTF-16 surrogate left alone: JSON can escape one ("\ud800") but no UTF-8 output can hold it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_lone_surrogates(value):
    """``value`` with every lone surrogate in its strings replaced by U+FFFD (same length, so
    offsets into the text stay right); JSON's escaped surrogate pairs are already joined."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_no_lone_surrogates(k): _no_lone_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_no_lone_surrogates(v) for v in value]
    return value


def _jsonl_articles(path: Path, raw: str) -> Iterator[Article]:
    found = False
    for lineno, record in json_lines(path, raw):
        found = True
        yield record_article(path, f"{path}:{lineno}", record, lineno)
    if not found:
        raise InputError(f"{path}: no records")


def csv_delimiter(path: Path) -> str:
    return "\t" if path.suffix.lower() == ".tsv" else ","


def csv_field_limit(size: int) -> None:
    """Let csv read fields of up to ``size`` characters.

    csv refuses fields over 128 kB by default, where the same article in JSONL is fine; no field
    can be longer than the text read (the limit is a C long, so at most 2**31 - 1 everywhere).
    """
    wanted = min(size + 1, 2**31 - 1, sys.maxsize)
    if csv.field_size_limit() < wanted:
        csv.field_size_limit(wanted)


def csv_header(path: Path, row: list[str]) -> list[str]:
    """The column names of a CSV header row, lower case; InputError when none holds the text."""
    header = [h.strip().lower() for h in row]
    if not any(name in header for name in FIELD_ALIASES["text"]):
        raise InputError(f"{path}: no 'text' column (columns: {', '.join(header) or 'none'})")
    return header


def _csv_articles(path: Path, raw: str) -> Iterator[Article]:
    delimiter = csv_delimiter(path)
    csv_field_limit(len(raw))
    reader = csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter, strict=True)
    try:
        header = csv_header(path, next(reader))
    except StopIteration:
        raise InputError(f"{path}: no header row") from None
    except csv.Error as exc:
        raise InputError(f"{path}:1: malformed CSV ({exc})") from None
    found = False
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(f"{path}:{reader.line_num}: malformed CSV ({exc})") from None
        if not row or not any(cell.strip() for cell in row):
            continue
        where = f"{path}:{reader.line_num}"
        if len(row) != len(header):
            raise InputError(f"{where}: expected {len(header)} fields, found {len(row)}")
        found = True
        yield record_article(path, where, dict(zip(header, row)), reader.line_num)
    if not found:
        raise InputError(f"{path}: no records")


#: A project's housekeeping files (by name, any case and extension: README.md, LICENSE.txt,
#: CHANGELOG-2.md): skipped when a folder is read, read when named directly.
HOUSEKEEPING = re.compile(
    r"(readme|license|licence|copying|changelog|changes|contributing|contributors|authors|"
    r"code[-_]of[-_]conduct|notice|security|maintainers)([-_.].*)?",
    re.I,
)


def is_housekeeping(name: str) -> bool:
    """True for README, LICENSE, CHANGELOG, CONTRIBUTING and similar file names."""
    return HOUSEKEEPING.fullmatch(name) is not None


def check_globs(patterns: str | Iterable[str] | None, *, what: str) -> tuple[str, ...]:
    """Glob patterns as a tuple (a string is one pattern); InputError naming ``what`` for an empty one."""
    if patterns is None:
        return ()
    found = (patterns,) if isinstance(patterns, str) else tuple(patterns)
    for pattern in found:
        if not isinstance(pattern, str) or not pattern.strip():
            raise InputError(f"{what}: empty glob pattern")
    return found


_WILDCARDS = re.compile(r"[*?\[]")


@dataclass(frozen=True, slots=True)
class FileSelection:
    """Which files of a folder are read: ``include`` / ``exclude`` globs, and housekeeping files
    (README, LICENSE …) skipped unless ``housekeeping`` is True.

    A pattern is matched (case-sensitively, ``*`` also crosses ``/``) against the file's path below
    the folder, in ``/`` form, and against its name: ``*.txt``, ``drafts/*``, ``2020-*.jsonl``.
    With ``include`` a file must match one of them; a file matching an ``exclude`` is skipped.
    A housekeeping file is read when an ``include`` pattern without wildcards names it
    (``README.md``, ``notes/LICENSE.txt``). Files named directly, not through a folder, are always read.
    Hidden files and folders
    (``.git``, ``.notes.txt``) are never read from a folder.
    """

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    housekeeping: bool = False

    @classmethod
    def create(
        cls,
        *,
        include: str | Iterable[str] | None = None,
        exclude: str | Iterable[str] | None = None,
        housekeeping: bool = False,
    ) -> FileSelection:
        return cls(check_globs(include, what="include"), check_globs(exclude, what="exclude"), housekeeping)

    def reason_to_skip(self, relative: str) -> str | None:
        """None when a file at ``relative`` (below the folder, ``/``-separated) is read, else why
        not: ``"housekeeping"`` or ``"excluded"``."""
        name = relative.rsplit("/", 1)[-1]

        def matches(patterns: tuple[str, ...]) -> bool:
            return any(fnmatchcase(relative, p) or fnmatchcase(name, p) for p in patterns)

        if self.include and not matches(self.include):
            return "excluded"
        if matches(self.exclude):
            return "excluded"
        if (
            not self.housekeeping
            and is_housekeeping(name)
            and not any(p in (relative, name) for p in self.include if not _WILDCARDS.search(p))
        ):
            return "housekeeping"
        return None


@dataclass
class ReadReport:
    """What reading inputs took and left: files read by extension, URLs, and the files of folders
    that were skipped (housekeeping) or excluded by a pattern. :meth:`summary` says it in one line."""

    files: Counter = field(default_factory=Counter)
    urls: int = 0
    skipped: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """E.g. ``read 12 files: 10 .txt, 2 .jsonl; skipped 1 (README.md)``."""
        n = sum(self.files.values())
        kinds = ", ".join(
            f"{count} {suffix or '(no extension)'}"
            for suffix, count in sorted(self.files.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        line = f"read {n} file{'s' if n != 1 else ''}" + (f": {kinds}" if kinds else "")
        if self.urls:
            line += f" and {self.urls} URL{'s' if self.urls != 1 else ''}"
        for what, paths in (("skipped", self.skipped), ("excluded", self.excluded)):
            if paths:
                shown = ", ".join(paths[:3]) + (", …" if len(paths) > 3 else "")
                line += f"; {what} {len(paths)} ({shown})"
        return line


def folder_files(
    folder: str | Path,
    *,
    selection: FileSelection | None = None,
    suffixes: Iterable[str] = SUPPORTED_SUFFIXES,
    report: ReadReport | None = None,
) -> list[Path]:
    """The files below ``folder`` with one of ``suffixes`` that ``selection`` takes, in name order
    (InputError when there is none); ``report`` notes the ones it leaves out, by path below the folder."""
    folder = Path(folder)
    selection = selection or FileSelection()
    wanted = {s.lower() for s in suffixes}
    files: list[Path] = []
    left_out = 0
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if (
            path.suffix.lower() not in wanted
            or any(part.startswith(".") for part in relative.split("/"))
            or not path.is_file()
        ):
            continue
        reason = selection.reason_to_skip(relative)
        if reason is None:
            files.append(path)
            continue
        left_out += 1
        if report is not None:
            (report.skipped if reason == "housekeeping" else report.excluded).append(relative)
    if not files:
        left = f"; {left_out} left out by the file selection" if left_out else ""
        raise InputError(f"{folder}: no supported files ({', '.join(sorted(wanted))}){left}")
    return files


def read_file(
    path: str | Path,
    *,
    encoding: str | None = None,
    selection: FileSelection | None = None,
    report: ReadReport | None = None,
) -> Iterator[Article]:
    """Yield the articles in one file (one for text/HTML, one per record for JSONL/CSV); a folder's
    files as :func:`read_folder` reads them."""
    path = Path(path)
    suffix = path.suffix.lower()
    if path.is_dir():
        yield from read_folder(path, encoding=encoding, selection=selection, report=report)
        return
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            f"{path}: unsupported file type {suffix or '(none)'} (use one of {', '.join(sorted(SUPPORTED_SUFFIXES))})"
        )
    raw = read_text(path, encoding)
    if report is not None:
        report.files[suffix] += 1
    if suffix in HTML_SUFFIXES:
        yield _html_article(path, raw)
    elif suffix in {".jsonl", ".ndjson"}:
        yield from _jsonl_articles(path, raw)
    elif suffix in {".csv", ".tsv"}:
        yield from _csv_articles(path, raw)
    else:
        yield _text_article(path, raw)


def read_folder(
    folder: str | Path,
    *,
    encoding: str | None = None,
    selection: FileSelection | None = None,
    report: ReadReport | None = None,
) -> Iterator[Article]:
    """Yield the articles of every supported file below a folder that ``selection`` takes (by
    default all but hidden and housekeeping files: README, LICENSE …), in name order."""
    for path in folder_files(folder, selection=selection, report=report):
        yield from read_file(path, encoding=encoding, report=report)


def read_inputs(
    inputs: Iterable[str | Path],
    *,
    encoding: str | None = None,
    published: dt.date | None = None,
    selection: FileSelection | None = None,
    report: ReadReport | None = None,
) -> Iterator[Article]:
    """Yield articles from files, folders and http(s) URLs of pages or RSS/Atom feeds;
    ``published`` overrides every article's date, ``selection`` picks the files of folders (files
    named directly are always read) and ``report`` counts what was read and left out.
    A URL that fails is skipped with a warning (:class:`~geomap.io.web.UrlBatch`); if nothing
    could be read, its error is raised."""
    from geomap.io.web import UrlBatch, is_url

    web, read_any = UrlBatch(), False
    for item in inputs:
        if is_url(item):
            articles = web.read(item)
            if report is not None:
                report.urls += 1
        else:
            articles = read_file(item, encoding=encoding, selection=selection, report=report)
        for article in articles:
            read_any = True
            if published is not None:
                article = Article(
                    text=article.text,
                    doc_id=article.doc_id,
                    title=article.title,
                    url=article.url,
                    published=published,
                    source_path=article.source_path,
                )
            yield article
    web.finish(read_any=read_any)
