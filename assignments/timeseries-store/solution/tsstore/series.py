"""One sensor's readings, kept as a list of sorted blocks plus a sparse index.

Level 1, the sparse index: ``self._firsts[i]`` is the first timestamp of block ``i``.
Level 2, the blocks: each holds at most ``block_size`` points in two parallel sorted lists.

A lookup bisects the sparse index to find the block, then bisects inside the block, so it costs
O(log blocks + log block_size); an insert touches one block and splits it in two when it is full.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
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

    # -- writing -----------------------------------------------------------------------------

    def insert(self, ts: int, value: float) -> None:
        """Add a reading; a second reading for the same timestamp replaces the first."""
        ts = _check_timestamp(ts)
        value = _check_value(value)
        if not self._blocks:
            self._blocks.append(_Block([ts], [value]))
            self._firsts.append(ts)
            self._count = 1
            return

        # The block whose first timestamp is <= ts, or the first block if ts is older than all.
        index = max(bisect_right(self._firsts, ts) - 1, 0)
        block = self._blocks[index]
        position = bisect_left(block.timestamps, ts)
        if position < len(block) and block.timestamps[position] == ts:
            block.values[position] = value  # last write wins
            return

        block.timestamps.insert(position, ts)
        block.values.insert(position, value)
        self._firsts[index] = block.timestamps[0]
        self._count += 1
        if len(block) > self.block_size:
            self._split(index)

    def insert_many(self, points: Iterable[tuple[int, float]]) -> None:
        for ts, value in points:
            self.insert(ts, value)

    def _split(self, index: int) -> None:
        block = self._blocks[index]
        middle = len(block) // 2
        right = _Block(block.timestamps[middle:], block.values[middle:])
        del block.timestamps[middle:]
        del block.values[middle:]
        self._blocks.insert(index + 1, right)
        self._firsts.insert(index + 1, right.timestamps[0])

    def drop_before(self, ts: int) -> int:
        """Retention: remove every point older than ``ts``; return how many were removed."""
        ts = _check_timestamp(ts)
        # Whole blocks that end before ts go at once; only the boundary block is trimmed.
        keep_from = max(bisect_right(self._firsts, ts) - 1, 0)
        removed = sum(len(block) for block in self._blocks[:keep_from])
        del self._blocks[:keep_from]
        del self._firsts[:keep_from]
        if self._blocks:
            block = self._blocks[0]
            cut = bisect_left(block.timestamps, ts)
            removed += cut
            del block.timestamps[:cut]
            del block.values[:cut]
            if block.timestamps:
                self._firsts[0] = block.timestamps[0]
            else:
                del self._blocks[0]
                del self._firsts[0]
        self._count -= removed
        return removed

    # -- reading -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._count

    def _scan(self, start: int | None, end: int | None) -> Iterator[tuple[int, float]]:
        """Points with ``start <= ts < end`` in time order; ``None`` means unbounded."""
        if start is not None:
            _check_timestamp(start)
        if end is not None:
            _check_timestamp(end)
        if start is not None and end is not None and start >= end:
            return
        first_block = 0 if start is None else max(bisect_right(self._firsts, start) - 1, 0)
        for block in islice(self._blocks, first_block, None):
            if end is not None and block.timestamps[0] >= end:
                return
            lo = 0 if start is None else bisect_left(block.timestamps, start)
            hi = len(block) if end is None else bisect_left(block.timestamps, end)
            yield from zip(block.timestamps[lo:hi], block.values[lo:hi], strict=True)

    def range(self, start: int | None = None, end: int | None = None) -> list[tuple[int, float]]:
        """Points with ``start <= ts < end``, oldest first. ``None`` leaves a side open."""
        return list(self._scan(start, end))

    def latest(self) -> tuple[int, float] | None:
        if not self._blocks:
            return None
        block = self._blocks[-1]
        return block.timestamps[-1], block.values[-1]

    def downsample(
        self, width: int, start: int | None = None, end: int | None = None
    ) -> list[Bucket]:
        """Aggregate ``[start, end)`` into buckets ``[k * width, (k + 1) * width)``.

        Buckets are aligned to multiples of ``width`` (not to ``start``) so that two dashboards
        asking for overlapping ranges agree; buckets without points are left out.
        """
        if isinstance(width, bool) or not isinstance(width, int) or width <= 0:
            raise ValueError(f"bucket width must be a positive integer, got {width!r}")
        buckets: list[Bucket] = []
        current: int | None = None
        count, low, high, total = 0, math.inf, -math.inf, 0.0
        for ts, value in self._scan(start, end):
            bucket_start = ts - ts % width  # floor, also for negative timestamps
            if bucket_start != current:
                if current is not None:
                    buckets.append(Bucket(current, count, low, high, total / count))
                current, count, low, high, total = bucket_start, 0, math.inf, -math.inf, 0.0
            count += 1
            low, high = min(low, value), max(high, value)
            total += value
        if current is not None:
            buckets.append(Bucket(current, count, low, high, total / count))
        return buckets

    def block_spans(self) -> list[tuple[int, int, int]]:
        """``(first_ts, last_ts, count)`` per block, in order: for tests and diagnostics."""
        return [(b.timestamps[0], b.timestamps[-1], len(b)) for b in self._blocks]
