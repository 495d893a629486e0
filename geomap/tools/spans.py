"""Character spans: one test of whether a span overlaps any of a list."""

from __future__ import annotations

from collections.abc import Iterable


def overlaps_any(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Does [start, end) share a character with any of ``spans``?"""
    return any(s < end and start < e for s, e in spans)
