"""A few visible tests to start from; the reviewers run a larger hidden suite."""

from tsstore import Bucket, Series


def test_range_returns_points_in_time_order():
    series = Series(block_size=4)
    series.insert_many([(30, 3.0), (10, 1.0), (20, 2.0)])
    assert series.range(10, 30) == [(10, 1.0), (20, 2.0)]


def test_blocks_never_exceed_block_size():
    series = Series(block_size=4)
    series.insert_many((ts, 0.0) for ts in range(10))
    assert all(count <= 4 for _, _, count in series.block_spans())


def test_downsample():
    series = Series(block_size=4)
    series.insert_many([(0, 1.0), (30, 3.0), (60, 5.0)])
    assert series.downsample(60) == [
        Bucket(start=0, count=2, min=1.0, max=3.0, avg=2.0),
        Bucket(start=60, count=1, min=5.0, max=5.0, avg=5.0),
    ]
