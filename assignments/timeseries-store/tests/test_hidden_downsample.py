"""Hidden tests: downsampling into aligned buckets."""

from __future__ import annotations

import random

import pytest
from tsstore import Bucket, Series


def make(points, block_size=4):
    series = Series(block_size=block_size)
    series.insert_many(points)
    return series


def test_downsample_min_max_avg_count():
    series = make([(0, 1.0), (10, 3.0), (59, 2.0), (60, 10.0), (61, -2.0)])
    buckets = series.downsample(60)
    assert buckets == [
        Bucket(start=0, count=3, min=1.0, max=3.0, avg=pytest.approx(2.0)),
        Bucket(start=60, count=2, min=-2.0, max=10.0, avg=pytest.approx(4.0)),
    ], f"buckets [0, 60) and [60, 120) expected, got {buckets}"


def test_buckets_align_to_multiples_of_width_not_to_start():
    series = make([(95, 1.0), (100, 2.0), (150, 3.0)])
    assert [b.start for b in series.downsample(100, start=95)] == [0, 100], (
        "buckets start at multiples of the width (0, 100, ...), whatever the query's start"
    )


def test_empty_buckets_are_omitted():
    series = make([(0, 1.0), (500, 2.0)])
    assert [b.start for b in series.downsample(100)] == [0, 500], (
        "buckets without points are left out, not returned with count 0"
    )


def test_downsample_respects_the_range_inside_a_bucket():
    series = make([(0, 100.0), (10, 1.0), (20, 3.0), (30, 100.0)])
    [bucket] = series.downsample(60, start=10, end=30)
    assert (bucket.start, bucket.count, bucket.min, bucket.max) == (0, 2, 1.0, 3.0), (
        "only points in [start, end) are aggregated, even when the bucket is wider"
    )


def test_downsample_of_empty_series_and_empty_range():
    assert Series(block_size=4).downsample(10) == []
    series = make([(0, 1.0)])
    assert series.downsample(10, start=5, end=5) == []
    assert series.downsample(10, start=50, end=10) == []


def test_bucket_wider_than_the_data():
    series = make([(ts, float(ts)) for ts in range(1, 11)])
    assert series.downsample(10**12) == [
        Bucket(start=0, count=10, min=1.0, max=10.0, avg=pytest.approx(5.5))
    ]


def test_negative_timestamps_bucket_by_floor():
    series = make([(-1, 1.0), (-60, 2.0), (-61, 3.0), (0, 4.0)])
    assert [(b.start, b.count) for b in series.downsample(60)] == [(-120, 1), (-60, 2), (0, 1)], (
        "bucket of -1 with width 60 is [-60, 0): alignment floors, it does not truncate to 0"
    )


def test_downsample_sees_overwritten_values():
    series = make([(0, 1.0), (1, 2.0)])
    series.insert(1, 50.0)
    [bucket] = series.downsample(10)
    assert (bucket.count, bucket.max) == (2, 50.0), "an overwritten reading counts once, new value"


@pytest.mark.parametrize("width", [0, -60, 1.5])
def test_invalid_bucket_width(width):
    with pytest.raises(ValueError):
        make([(0, 1.0)]).downsample(width)


def test_downsample_matches_a_reference_across_blocks():
    rng = random.Random(7)
    points = {rng.randint(0, 10_000): rng.uniform(-10, 10) for _ in range(1500)}
    series = make(points.items(), block_size=7)
    for width in (1, 37, 1000):
        expected: dict[int, list[float]] = {}
        for ts, value in points.items():
            if 1234 <= ts < 8765:
                expected.setdefault(ts - ts % width, []).append(value)
        got = series.downsample(width, start=1234, end=8765)
        assert [b.start for b in got] == sorted(expected), f"bucket starts differ (width {width})"
        for bucket in got:
            values = expected[bucket.start]
            assert bucket.count == len(values)
            assert (bucket.min, bucket.max) == (min(values), max(values))
            assert bucket.avg == pytest.approx(sum(values) / len(values))
