"""The store: named series, created on first write."""

from __future__ import annotations

from collections.abc import Iterable

from tsstore.series import DEFAULT_BLOCK_SIZE, Series


class Store:
    def __init__(self, block_size: int = DEFAULT_BLOCK_SIZE) -> None:
        Series(block_size)  # validate once, up front
        self.block_size = block_size
        self._series: dict[str, Series] = {}

    def write(self, name: str, ts: int, value: float) -> None:
        self._series_for(name).insert(ts, value)

    def write_many(self, name: str, points: Iterable[tuple[int, float]]) -> None:
        self._series_for(name).insert_many(points)

    def get(self, name: str) -> Series | None:
        """The series called ``name``, or ``None`` if nothing was ever written to it."""
        return self._series.get(name)

    def names(self) -> list[str]:
        return sorted(self._series)

    def _series_for(self, name: str) -> Series:
        if not isinstance(name, str) or not name:
            raise ValueError(f"series names are non-empty strings, got {name!r}")
        series = self._series.get(name)
        if series is None:
            series = self._series[name] = Series(self.block_size)
        return series
