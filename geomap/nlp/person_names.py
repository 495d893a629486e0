"""How common a word is as a person's first name or surname, from the US Census name lists that
the ``names`` package ships (a few thousand first names, ninety thousand surnames, each with its
share of the population). The learned recognizer reads these shares as evidence that a
capitalised word names a person ("Jordan", "Chad", "Florence", "Washington")."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class NameShares:
    """Percent of people with a given first name or surname (upper-case keys)."""

    firsts: dict[str, float]
    lasts: dict[str, float]

    def first(self, word: str) -> float:
        """log(1 + 1000 × percent) of people with ``word`` as a first name, 0 when none."""
        return _scaled(self.firsts.get(word.upper(), 0.0))

    def last(self, word: str) -> float:
        """log(1 + 1000 × percent) of people with ``word`` as a surname, 0 when none."""
        return _scaled(self.lasts.get(word.upper(), 0.0))


def _scaled(percent: float) -> float:
    return math.log1p(1000.0 * percent)


def _read(path: Path, into: dict[str, float]) -> None:
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            into[parts[0]] = max(into.get(parts[0], 0.0), float(parts[1]))


@lru_cache(maxsize=1)
def name_shares() -> NameShares:
    """The census shares, read once; empty (every share 0) when the package is missing."""
    firsts: dict[str, float] = {}
    lasts: dict[str, float] = {}
    try:
        import names
    except ImportError:
        return NameShares(firsts, lasts)
    folder = Path(names.__file__).parent
    _read(folder / "dist.male.first", firsts)
    _read(folder / "dist.female.first", firsts)
    _read(folder / "dist.all.last", lasts)
    return NameShares(firsts, lasts)
