"""Orderings of place kinds and date precisions: the one home of each."""

from __future__ import annotations

#: How broad each place kind is (larger is broader): what contains what, and which event place is
#: the most specific. An unknown kind ranks with towns.
KIND_BREADTH: dict[str, int] = {
    "continent": 6,
    "country": 5,
    "admin1": 4,
    "region": 4,
    "admin2": 3,
    "city": 2,
    "other": 2,
    "airport": 1,
    "site": 1,
}

#: How much a bare name prefers each kind before any context is known (larger is preferred):
#: "Georgia" alone is the country before the state, a region before a town of the same name.
KIND_PREFERENCE: dict[str, int] = {
    "country": 6,
    "continent": 5,
    "admin1": 4,
    "region": 3,
    "city": 2,
    "admin2": 1,
    "airport": 0,
}

#: Date precisions, finest first.
PRECISION_RANK: dict[str, int] = {"day": 0, "month": 1, "year": 2, "unknown": 3}


def coarser_precision(a: str, b: str) -> str:
    """The coarser of two date precisions (``a`` when they are equal)."""
    return a if PRECISION_RANK[a] >= PRECISION_RANK[b] else b
