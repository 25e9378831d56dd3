"""Hidden tests: the series structure, range queries, overwrites and retention."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from tsstore import Series, Store


def assert_well_formed(series: Series) -> None:
    """The block layout must stay valid after any sequence of writes."""
    spans = series.block_spans()
    assert sum(count for _, _, count in spans) == len(series), (
        f"block counts {spans} should add up to len(series) == {len(series)}"
    )
    for first, last, count in spans:
        assert 1 <= count <= series.block_size, (
            f"block {(first, last, count)} holds {count} points; blocks must hold between 1 and "
            f"block_size={series.block_size} (split full blocks, drop empty ones)"
        )
        assert first <= last
    for (_, last, _), (first, _, _) in itertools.pairwise(spans):
        assert last < first, f"blocks must be in time order and not overlap: {spans}"


def reference_range(points: dict[int, float], start=None, end=None):
    return [
        (ts, value)
        for ts, value in sorted(points.items())
        if (start is None or ts >= start) and (end is None or ts < end)
    ]


# --- basics ---------------------------------------------------------------------------------


def test_empty_series():
    series = Series(block_size=4)
    assert len(series) == 0
    assert series.range() == [], "an empty series has no points"
    assert series.range(0, 100) == []
    assert series.latest() is None, "latest() of an empty series is None"
    assert series.block_spans() == [], "an empty series has no blocks"


def test_range_is_half_open():
    series = Series(block_size=4)
    series.insert_many([(10, 1.0), (20, 2.0), (30, 3.0)])
    assert series.range(10, 30) == [(10, 1.0), (20, 2.0)], (
        "range(start, end) includes start and excludes end: [10, 30) has 10 and 20, not 30"
    )


def test_range_with_open_bounds():
    series = Series(block_size=4)
    series.insert_many([(10, 1.0), (20, 2.0), (30, 3.0)])
    assert series.range() == [(10, 1.0), (20, 2.0), (30, 3.0)]
    assert series.range(start=20) == [(20, 2.0), (30, 3.0)], "end=None means no upper bound"
    assert series.range(end=20) == [(10, 1.0)], "start=None means no lower bound"


def test_empty_and_inverted_ranges():
    series = Series(block_size=4)
    series.insert_many([(10, 1.0), (20, 2.0)])
    assert series.range(20, 20) == [], "range(t, t) is empty: the end is exclusive"
    assert series.range(30, 10) == [], "a range with start > end is empty, not an error"
    assert series.range(11, 20) == [], "no point lies in [11, 20)"


def test_range_bounds_outside_the_data():
    series = Series(block_size=4)
    series.insert_many([(10, 1.0), (20, 2.0)])
    assert series.range(-1000, 1000) == [(10, 1.0), (20, 2.0)]
    assert series.range(21, 1000) == [], "after the last point"
    assert series.range(-1000, 10) == [], "before the first point"


def test_out_of_order_inserts_come_back_sorted():
    series = Series(block_size=4)
    for ts in [50, 10, 40, 20, 30, 5, 45]:
        series.insert(ts, float(ts))
    assert [ts for ts, _ in series.range()] == [5, 10, 20, 30, 40, 45, 50], (
        "late readings must be stored in time order, wherever they arrive"
    )


def test_duplicate_timestamp_last_write_wins():
    series = Series(block_size=4)
    series.insert_many([(10, 1.0), (20, 2.0), (10, 9.5)])
    assert series.range() == [(10, 9.5), (20, 2.0)], (
        "a second reading for the same timestamp replaces the first (last write wins)"
    )
    assert len(series) == 2, "an overwrite does not add a point"


def test_duplicates_across_many_blocks():
    series = Series(block_size=3)
    series.insert_many((ts, 0.0) for ts in range(30))
    series.insert_many((ts, 1.0) for ts in range(0, 30, 2))
    assert len(series) == 30
    assert series.range(10, 14) == [(10, 1.0), (11, 0.0), (12, 1.0), (13, 0.0)]
    assert_well_formed(series)


def test_negative_timestamps():
    series = Series(block_size=4)
    series.insert_many([(-5, 1.0), (0, 2.0), (-100, 3.0)])
    assert series.range(-100, 0) == [(-100, 3.0), (-5, 1.0)], "readings before 1970 are valid"


def test_latest_is_the_newest_point():
    series = Series(block_size=2)
    series.insert_many([(30, 3.0), (10, 1.0), (20, 2.0)])
    assert series.latest() == (30, 3.0), "latest() is the point with the highest timestamp"


def test_integer_values_are_stored_as_floats():
    series = Series(block_size=4)
    series.insert(1, 7)
    [(_, value)] = series.range()
    assert value == 7.0 and isinstance(value, float), "values come back as floats"


# --- the block structure --------------------------------------------------------------------


def test_full_block_splits():
    series = Series(block_size=4)
    series.insert_many((ts, 0.0) for ts in range(5))
    assert len(series.block_spans()) >= 2, (
        "inserting block_size + 1 points must split the block (blocks hold at most block_size)"
    )
    assert_well_formed(series)


def test_sequential_inserts_keep_blocks_bounded():
    series = Series(block_size=8)
    series.insert_many((ts, float(ts)) for ts in range(1000))
    assert_well_formed(series)
    assert len(series.block_spans()) >= 1000 // 8


def test_reverse_inserts_keep_blocks_valid():
    series = Series(block_size=5)
    series.insert_many((ts, float(ts)) for ts in range(200, 0, -1))
    assert_well_formed(series)
    assert series.range(100, 103) == [(100, 100.0), (101, 101.0), (102, 102.0)]


def test_random_inserts_match_a_reference():
    rng = random.Random(20240301)
    series = Series(block_size=6)
    expected: dict[int, float] = {}
    for _ in range(2000):
        ts, value = rng.randint(-500, 5000), round(rng.uniform(-40, 60), 2)
        series.insert(ts, value)
        expected[ts] = value
    assert_well_formed(series)
    assert len(series) == len(expected)
    for _ in range(200):
        start, end = sorted(rng.randint(-600, 5100) for _ in range(2))
        assert series.range(start, end) == reference_range(expected, start, end), (
            f"range({start}, {end}) differs from a plain sorted list of the same points"
        )


def test_range_across_block_boundaries():
    series = Series(block_size=4)
    series.insert_many((ts, float(ts)) for ts in range(0, 100, 10))
    spans = series.block_spans()
    boundary = spans[1][0]  # the first timestamp of the second block
    got = [ts for ts, _ in series.range(boundary - 10, boundary + 11)]
    assert got == [boundary - 10, boundary, boundary + 10], (
        f"a range spanning blocks {spans} must include points from both sides of the boundary"
    )


@pytest.mark.parametrize("block_size", [0, 1, -4, 2.5, True])
def test_invalid_block_size(block_size):
    with pytest.raises(ValueError):
        Series(block_size=block_size)


@pytest.mark.parametrize("ts", [1.5, "10", None, True])
def test_timestamps_must_be_integers(ts):
    with pytest.raises(TypeError):
        Series(block_size=4).insert(ts, 1.0)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_values_must_be_finite(value):
    series = Series(block_size=4)
    with pytest.raises(ValueError):
        series.insert(1, value)
    assert len(series) == 0, "a rejected reading must not be stored"


# --- retention ------------------------------------------------------------------------------


def test_drop_before_removes_older_points():
    series = Series(block_size=4)
    series.insert_many((ts, float(ts)) for ts in range(20))
    removed = series.drop_before(7)
    assert removed == 7, f"drop_before(7) removes timestamps 0..6 and returns 7, got {removed}"
    assert [ts for ts, _ in series.range()] == list(range(7, 20))
    assert_well_formed(series)


def test_drop_before_everything_and_nothing():
    series = Series(block_size=4)
    series.insert_many((ts, 1.0) for ts in range(10))
    assert series.drop_before(-5) == 0, "nothing is older than -5"
    assert len(series) == 10
    assert series.drop_before(100) == 10
    assert len(series) == 0 and series.range() == [] and series.block_spans() == []
    series.insert(3, 1.0)
    assert series.range() == [(3, 1.0)], "the series is still usable after dropping everything"


def test_drop_before_then_insert_older_point():
    series = Series(block_size=3)
    series.insert_many((ts, 1.0) for ts in range(10, 30))
    series.drop_before(20)
    series.insert(5, 2.0)
    assert series.range(0, 21) == [(5, 2.0), (20, 1.0)]
    assert_well_formed(series)


# --- the store ------------------------------------------------------------------------------


def test_store_keeps_series_apart():
    store = Store(block_size=4)
    store.write("greenhouse.temp", 10, 21.5)
    store.write("greenhouse.humidity", 10, 0.61)
    store.write_many("greenhouse.temp", [(20, 22.0), (5, 20.0)])
    assert store.names() == ["greenhouse.humidity", "greenhouse.temp"], "names() is sorted"
    assert store.get("greenhouse.temp").range() == [(5, 20.0), (10, 21.5), (20, 22.0)]
    assert store.get("greenhouse.humidity").range() == [(10, 0.61)]
    assert store.get("greenhouse.temp").block_size == 4, "series use the store's block size"


def test_store_unknown_series_is_none():
    store = Store()
    assert store.get("nope") is None, "get() of a series never written to returns None"
    assert store.names() == []
