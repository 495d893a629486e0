"""Gold corpus reader and the dev/test split."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from geomap.errors import InputError
from geomap.eval.corpus import corpus_name, read_corpus, select, split_of

DATA = Path(__file__).parent / "data" / "eval"


def _write(tmp_path: Path, *objs, raw: str | None = None) -> Path:
    p = tmp_path / "c.jsonl"
    p.write_text(
        raw if raw is not None else "\n".join(json.dumps(o, ensure_ascii=False) for o in objs) + "\n", encoding="utf-8"
    )
    return p


def test_slices_read_with_offsets_and_coordinates():
    for name in ("gwn_slice", "lgl_slice"):
        docs = read_corpus(DATA / f"{name}.jsonl")
        assert len(docs) == 8 and corpus_name(DATA / f"{name}.jsonl") == name
        for d in docs:
            assert d.toponyms
            for t in d.toponyms:
                assert d.text[t.start : t.end] == t.name
                assert t.has_coords == (t.lat is not None)
            assert [t.start for t in d.toponyms] == sorted(t.start for t in d.toponyms)
    lgl = read_corpus(DATA / "lgl_slice.jsonl")
    assert all(d.published is not None for d in lgl)
    assert any(not t.has_coords for d in lgl for t in d.toponyms)


def test_split_is_the_parity_of_the_id_hash_and_halves_the_slices():
    for doc_id in ("lgl-0", "gwn-7", "x"):
        expected = "dev" if int(hashlib.sha256(doc_id.encode()).hexdigest()[:8], 16) % 2 == 0 else "test"
        assert split_of(doc_id) == expected
    docs = read_corpus(DATA / "gwn_slice.jsonl")
    dev, test = select(docs, "dev"), select(docs, "test")
    assert len(dev) == len(test) == 4
    assert {d.doc_id for d in dev}.isdisjoint(d.doc_id for d in test)
    assert select(docs, "all", limit=3) == docs[:3]


def test_select_rejects_bad_split_and_limit():
    docs = read_corpus(DATA / "lgl_slice.jsonl")
    with pytest.raises(InputError, match="split"):
        select(docs, "train")
    with pytest.raises(InputError, match="limit"):
        select(docs, "all", limit=0)


@pytest.mark.parametrize(
    "objs, message",
    [
        ([{"id": "a", "text": "Paris", "toponyms": [{"start": 0, "end": 4, "name": "Paris"}]}], "not 'Paris'"),
        ([{"id": "a", "text": "Paris", "toponyms": [{"start": 0, "end": 9, "name": "Paris"}]}], "bad offsets"),
        ([{"id": "a", "text": "Paris", "toponyms": [{"start": 0, "end": 5, "name": "Paris", "lat": 1}]}], "both"),
        (
            [{"id": "a", "text": "Paris", "toponyms": [{"start": 0, "end": 5, "name": "Paris", "lat": 95, "lon": 2}]}],
            "out of range",
        ),
        ([{"id": "a", "text": "x"}, {"id": "a", "text": "y"}], "duplicate"),
        ([{"text": "x"}], "'id'"),
        ([{"id": "a"}], "'text'"),
        ([{"id": "a", "text": "x", "published": "last week"}], "ISO date"),
    ],
)
def test_malformed_documents_are_one_line_errors(tmp_path, objs, message):
    with pytest.raises(InputError, match=message) as info:
        read_corpus(_write(tmp_path, *objs))
    assert "\n" not in str(info.value) and "c.jsonl:" in str(info.value)


def test_unreadable_files(tmp_path):
    with pytest.raises(InputError, match="no such corpus"):
        read_corpus(tmp_path / "none.jsonl")
    with pytest.raises(InputError, match="file is empty"):
        read_corpus(_write(tmp_path, raw="\n\n"))
    with pytest.raises(InputError, match="invalid JSON"):
        read_corpus(_write(tmp_path, raw='{"id": "a", "text": \n'))
    binary = tmp_path / "b.jsonl"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(InputError, match="binary"):
        read_corpus(binary)


def test_line_separator_inside_text_is_not_a_line_break(tmp_path):
    text = "Paris\u2028Lyon"
    p = _write(
        tmp_path,
        {"id": "a", "text": text, "toponyms": [{"start": 6, "end": 10, "name": "Lyon", "lat": 45.76, "lon": 4.84}]},
    )
    (doc,) = read_corpus(p)
    assert doc.text == text and doc.toponyms[0].name == "Lyon"
