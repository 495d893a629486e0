"""Property-based tests of the readers: whatever the bytes, JSONL or CSV structure or Unicode
(U+2028, RTL marks, lone surrogates, NULs, BOMs), reading gives a list of Articles whose text
can be written out as UTF-8, or one InputError whose message is one line. Nothing else."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap.errors import InputError
from geomap.io.readers import read_file
from geomap.records import Article

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SUFFIXES = [".txt", ".md", ".html", ".jsonl", ".csv", ".tsv"]

#: Characters that have broken readers elsewhere: line and paragraph separators, bidi marks and
#: overrides, NUL, BOM, replacement char, lone surrogates, CR.
TRICKY = [
    "\u2028",
    "\u2029",
    "\u200f",
    "\u200e",
    "\u202e",
    "\u2066",
    "\x00",
    "\ufeff",
    "\ufffd",
    "\ud800",
    "\udfff",
    "\r",
    "\n",
    "\t",
    '"',
    ",",
    "<",
    "&",
    "---",
    "\x85",
    "\x1c",
]
tricky_text = st.lists(st.one_of(st.sampled_from(TRICKY), st.text(max_size=12)), max_size=12).map("".join)
any_text = st.one_of(tricky_text, st.text(max_size=40))


def read(suffix: str, data: bytes) -> list[Article] | InputError:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"in{suffix}"
        path.write_bytes(data)
        try:
            return list(read_file(path))
        except InputError as exc:
            return exc


def check(result: list[Article] | InputError) -> None:
    if isinstance(result, InputError):
        message = str(result)
        assert message and "\n" not in message and "\r" not in message, repr(message)
        return
    assert isinstance(result, list) and result
    for article in result:
        assert isinstance(article, Article)
        assert isinstance(article.text, str) and article.text.strip()
        for value in (article.text, article.title, article.url, article.doc_id):
            if value is not None:
                value.encode("utf-8")  # can be written to any output (no lone surrogates)


@SETTINGS
@given(suffix=st.sampled_from(SUFFIXES), data=st.binary(max_size=600))
def test_random_bytes(suffix, data):
    check(read(suffix, data))


@SETTINGS
@given(
    suffix=st.sampled_from(SUFFIXES),
    text=any_text,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1"]),
)
def test_random_unicode_in_any_encoding(suffix, text, encoding):
    check(read(suffix, text.encode(encoding, errors="surrogatepass" if "utf" in encoding else "replace")))


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), any_text)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6,
)
FIELDS = ["text", "body", "content", "title", "headline", "url", "link", "id", "doc_id", "published", "date", "other"]
records = st.dictionaries(st.sampled_from(FIELDS), st.one_of(any_text, json_values), max_size=6)
lines = st.one_of(records, json_values)


@SETTINGS
@given(
    rows=st.lists(lines, max_size=5), ascii_only=st.booleans(), joiner=st.sampled_from(["\n", "\r\n", "\n\n", "\u2028"])
)
def test_random_jsonl_structures(rows, ascii_only, joiner):
    text = joiner.join(json.dumps(r, ensure_ascii=ascii_only, allow_nan=True) for r in rows)
    check(read(".jsonl", text.encode("utf-8", errors="surrogatepass")))


@SETTINGS
@given(
    header=st.lists(st.one_of(st.sampled_from(FIELDS), st.text(max_size=6)), min_size=0, max_size=5),
    rows=st.lists(st.lists(any_text, max_size=6), max_size=5),
    suffix=st.sampled_from([".csv", ".tsv"]),
    broken=st.booleans(),
)
def test_random_csv_structures(header, rows, suffix, broken):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t" if suffix == ".tsv" else ",")
    writer.writerow(header)
    writer.writerows(rows)
    text = buf.getvalue()
    if broken:
        text = text.replace('"', "", 1)  # an unbalanced quote somewhere
    check(read(suffix, text.encode("utf-8", errors="surrogatepass")))


def test_lone_surrogate_escaped_in_json_is_refused_or_repaired():
    """ "\\ud800" is valid JSON but no valid text: it must not reach an output writer."""
    check(read(".jsonl", b'{"text": "Rockets hit Baghdad \\ud800 today", "title": "\\udfff"}\n'))
