"""One sensor's readings, kept as a list of sorted blocks plus a sparse index.

Level 1, the sparse index: ``self._firsts[i]`` is the first timestamp of block ``i``.
Level 2, the blocks: each holds at most ``block_size`` points in two parallel sorted lists.

A lookup should bisect the sparse index to find the block, then bisect inside the block; an
insert should touch one block and split it in two when it is full. See README.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from numbers import Real

DEFAULT_BLOCK_SIZE = 128


@dataclass(frozen=True)
class Bucket:
    """Aggregate of the points whose timestamp falls in ``[start, start + width)``."""

    start: int
    count: int
    min: float
    max: float
    avg: float


class _Block:
    __slots__ = ("timestamps", "values")

    def __init__(self, timestamps: list[int], values: list[float]) -> None:
        self.timestamps = timestamps
        self.values = values

    def __len__(self) -> int:
        return len(self.timestamps)


def _check_timestamp(ts: object) -> int:
    if isinstance(ts, bool) or not isinstance(ts, int):
        raise TypeError(f"timestamps are integers (epoch milliseconds), got {ts!r}")
    return ts


def _check_value(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"values are numbers, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"values must be finite, got {value!r}")
    return number


class Series:
    """Readings of one sensor: ``(timestamp, value)`` points, at most one per timestamp."""

    def __init__(self, block_size: int = DEFAULT_BLOCK_SIZE) -> None:
        if isinstance(block_size, bool) or not isinstance(block_size, int) or block_size < 2:
            raise ValueError(f"block_size must be an integer >= 2, got {block_size!r}")
        self.block_size = block_size
        self._blocks: list[_Block] = []
        self._firsts: list[int] = []  # the sparse index
        self._count = 0

    def insert(self, ts: int, value: float) -> None:
        """Add a reading; a second reading for the same timestamp replaces the first."""
        # TODO: find the block through the sparse index, insert in order, split when full.
        raise NotImplementedError

    def insert_many(self, points: Iterable[tuple[int, float]]) -> None:
        for ts, value in points:
            self.insert(ts, value)

    def drop_before(self, ts: int) -> int:
        """Retention: remove every point older than ``ts``; return how many were removed."""
        # TODO: implement without rebuilding the whole series.
        raise NotImplementedError

    def __len__(self) -> int:
        # TODO
        raise NotImplementedError

    def range(self, start: int | None = None, end: int | None = None) -> list[tuple[int, float]]:
        """Points with ``start <= ts < end``, oldest first. ``None`` leaves a side open."""
        # TODO: use the sparse index to skip blocks that cannot match.
        raise NotImplementedError

    def latest(self) -> tuple[int, float] | None:
        """The newest point, or ``None`` for an empty series."""
        # TODO
        raise NotImplementedError

    def downsample(
        self, width: int, start: int | None = None, end: int | None = None
    ) -> list[Bucket]:
        """Aggregate ``[start, end)`` into buckets ``[k * width, (k + 1) * width)``."""
        # TODO: see README.md, "Downsampling".
        raise NotImplementedError

    def block_spans(self) -> list[tuple[int, int, int]]:
        """``(first_ts, last_ts, count)`` per block, in order: for tests and diagnostics."""
        return [(b.timestamps[0], b.timestamps[-1], len(b)) for b in self._blocks]
