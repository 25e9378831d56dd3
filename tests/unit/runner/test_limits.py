"""Limits: defaults, overlaying an assignment's [limits] table, validation."""

from __future__ import annotations

import pytest
from reciprocal.runner import Limits


def test_defaults_are_all_on() -> None:
    assert Limits().as_dict() == {
        "memory_mb": 512,
        "cpus": 1.0,
        "pids": 128,
        "timeout_seconds": 120,
        "tmpfs_mb": 256,
        "output_bytes": 1_000_000,
    }


def test_from_mapping_overlays_on_base() -> None:
    base = Limits(memory_mb=1024)
    merged = Limits.from_mapping({"timeout_seconds": 300, "cpus": 2}, base=base)
    assert merged == Limits(memory_mb=1024, timeout_seconds=300, cpus=2.0)
    assert isinstance(merged.cpus, float)
    assert Limits.from_mapping(None) == Limits()
    assert Limits.from_mapping({}, base=base) is base


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"memroy_mb": 10}, "unknown limit.*memroy_mb"),
        ({"memory_mb": 512000}, "memory_mb = 512000 is outside"),
        ({"pids": 0}, "pids = 0 is outside"),
        ({"timeout_seconds": "60"}, "must be a number"),
        ({"tmpfs_mb": True}, "must be a number"),
        ({"pids": 12.5}, "whole number"),
        ({"cpus": 64}, "cpus = 64.0 is outside"),
    ],
)
def test_from_mapping_rejects_bad_values(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Limits.from_mapping(data)


def test_constructor_validates_too() -> None:
    with pytest.raises(ValueError, match="output_bytes"):
        Limits(output_bytes=-1)
