"""Rebuild this folder's slices from the full corpora: python make_slice.py SHARED_EVAL_DIR.

Choice is deterministic and blind to system output: documents ordered by sha256 of their id, the
first 4 of each split (dev/test) that have toponyms and at most 2,500 characters (short, so tests
stay fast). Lines are copied verbatim.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from geomap.eval.corpus import split_of  # noqa: E402

PER_SPLIT = 4
MAX_CHARS = 2500


def pick(lines: list[str]) -> list[str]:
    docs = [(json.loads(line), line) for line in lines if line.strip()]
    docs.sort(key=lambda d: hashlib.sha256(str(d[0]["id"]).encode("utf-8")).hexdigest())
    chosen: list[str] = []
    for split in ("dev", "test"):
        ok = [line for obj, line in docs
              if split_of(str(obj["id"])) == split and obj.get("toponyms") and len(obj["text"]) <= MAX_CHARS]
        chosen += ok[:PER_SPLIT]
    return chosen


def main(src: str) -> None:
    for name in ("gwn", "lgl"):
        lines = (Path(src) / f"{name}.jsonl").read_text(encoding="utf-8").split("\n")
        (HERE / f"{name}_slice.jsonl").write_text("\n".join(pick(lines)) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
