"""Upper bounds of resolution on a gold corpus that no resolver can pass with this gazetteer.

- **coverage**: the share of gold points with any gazetteer candidate of their name within
  161 km. A resolver that picks among the candidates cannot be right more often.
- **best single answer**: the share a rule reaches that gives each name one fixed answer, whatever
  the text says, with that answer chosen knowing the gold points. On corpora of one ambiguous name
  a passage (Hu2014, Ju2016) it shows how much must come from the passage itself.

    python -m geomap.eval.ceiling ../shared/eval/hu2014.jsonl ../shared/eval/ju2016.jsonl
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from geomap.eval.corpus import corpus_name, read_corpus
from geomap.eval.metrics import ACC_KM
from geomap.gazetteer import Gazetteer, normalize_name
from geomap.tools.distance import haversine_km


@dataclass(frozen=True)
class Ceiling:
    corpus: str
    toponyms: int
    names: int
    coverage: float
    best_single_answer: float


def ceiling(path: str | Path, gazetteer: Gazetteer, km: float = ACC_KM) -> Ceiling:
    """The two bounds of one corpus (toponyms with a gold point only)."""
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    surface: dict[str, str] = {}
    for doc in read_corpus(path):
        for t in doc.toponyms:
            if t.has_coords:
                key = normalize_name(t.name)
                points[key].append((t.lat, t.lon))
                surface.setdefault(key, t.name)
    covered = best = total = 0
    for key, golds in points.items():
        cands = gazetteer.lookup(surface[key])
        near = [[haversine_km(lat, lon, p.lat, p.lon) <= km for p in cands] for lat, lon in golds]
        covered += sum(any(row) for row in near)
        best += max((sum(row[i] for row in near) for i in range(len(cands))), default=0)
        total += len(golds)
    return Ceiling(
        corpus_name(path), total, len(points), covered / total if total else 0.0, best / total if total else 0.0
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="+")
    args = parser.parse_args(argv)
    gazetteer = Gazetteer.open()
    print("| corpus | toponyms | names | coverage | best single answer |")
    print("|---|---|---|---|---|")
    for path in args.corpora:
        c = ceiling(path, gazetteer)
        print(f"| {c.corpus} | {c.toponyms} | {c.names} | {c.coverage:.3f} | {c.best_single_answer:.3f} |")


if __name__ == "__main__":
    main()
