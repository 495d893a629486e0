"""Varied news articles for the scaling tests and benchmarks, made from the repository's own texts.

The paragraphs of the sample article (``data/samples``), the seed article and the evaluation
slices (``tests/data``) are recombined with a seeded random generator: each article takes a few
paragraphs, with some place names swapped and its own publication date, so no two are alike and
the spaCy cache cannot make repeated texts free.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "data" / "samples" / "us-boosting-iraq-base.txt", ROOT / "tests" / "data" / "seed_article.txt"]
SLICES = sorted((ROOT / "tests" / "data" / "eval").glob("*.jsonl"))
#: Place names swapped for one another, so articles put events in different places.
SWAPS = [
    ("Iraq", ["Syria", "Lebanon", "Jordan", "Kenya", "Afghanistan"]),
    ("Baghdad", ["Damascus", "Beirut", "Amman", "Nairobi", "Kabul"]),
    ("Iran", ["Turkey", "Egypt", "Pakistan"]),
]


def paragraphs() -> list[str]:
    """Every non-trivial paragraph of the repository's own sample texts."""
    texts = [p.read_text(encoding="utf-8") for p in SOURCES]
    for path in SLICES:
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [p.strip() for t in texts for p in t.split("\n") if len(p.strip()) > 60]


def articles(n: int, *, seed: int = 12) -> list[dict]:
    """``n`` records ``{id, text, published}``, each of 2-4 recombined paragraphs."""
    rng = random.Random(seed)
    pool = paragraphs()
    start = dt.date(2020, 1, 1)
    out = []
    for i in range(n):
        text = "\n\n".join(rng.sample(pool, rng.randint(2, 4)))
        for name, others in SWAPS:
            if rng.random() < 0.5:
                text = text.replace(name, rng.choice(others))
        published = start + dt.timedelta(days=rng.randrange(700))
        out.append({"id": f"a{i:06d}", "text": text, "published": published.isoformat()})
    return out


def write_jsonl(path: Path, n: int, *, seed: int = 12) -> Path:
    """Write ``articles(n)`` as JSON Lines to ``path``."""
    with open(path, "w", encoding="utf-8") as f:
        for record in articles(n, seed=seed):
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
