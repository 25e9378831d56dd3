"""Rough figures for the store: ``python bench.py``. Prints; asserts nothing."""

from __future__ import annotations

import platform
import random
import time

from tsstore import Series


def main() -> None:
    rng = random.Random(1)
    points = [(ts + rng.randint(-5_000, 5_000), rng.random()) for ts in range(0, 10**8, 1000)]
    series = Series()
    started = time.perf_counter()
    series.insert_many(points)
    inserted = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(1000):
        start = rng.randint(0, 10**8)
        series.range(start, start + 60_000)
    queried = time.perf_counter() - started
    print(f"{platform.python_implementation()} {platform.python_version()} {platform.machine()}")
    print(f"insert {len(points)} slightly out-of-order points: {inserted:.2f}s")
    print(f"1000 range queries of one minute: {queried * 1000:.1f}ms")


if __name__ == "__main__":
    main()
