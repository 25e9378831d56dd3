"""Container limits for one test run, with validation of an assignment's ``[limits]`` table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

# Inclusive bounds per field. They stop typos (memory_mb = 512000) and values that would make a
# runner useless or let one submission starve the worker host.
_BOUNDS: dict[str, tuple[float, float]] = {
    "memory_mb": (64, 8192),
    "cpus": (0.1, 8.0),
    "pids": (16, 4096),
    "timeout_seconds": (5, 3600),
    "tmpfs_mb": (16, 4096),
    "output_bytes": (1_000, 20_000_000),
}


@dataclass(frozen=True)
class Limits:
    """Resource limits of a runner container; every limit is on by default."""

    memory_mb: int = 512
    cpus: float = 1.0
    pids: int = 128
    timeout_seconds: int = 120
    tmpfs_mb: int = 256
    output_bytes: int = 1_000_000

    def __post_init__(self) -> None:
        for spec in fields(self):
            _check(spec.name, getattr(self, spec.name))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None, *, base: Limits | None = None) -> Limits:
        """Overlay ``data`` (an assignment's ``[limits]`` table) on ``base`` (default limits).

        Raises ValueError naming the offending key for unknown keys, wrong types and values
        outside the sane range.
        """
        start = base if base is not None else cls()
        if not data:
            return start
        if not isinstance(data, Mapping):
            raise ValueError("limits must be a table of name = value pairs")
        known = {spec.name: spec for spec in fields(cls)}
        unknown = sorted(str(key) for key in data if key not in known)
        if unknown:
            raise ValueError(
                f"unknown limit(s) {', '.join(unknown)}; known limits are {', '.join(known)}"
            )
        changes: dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"limit {key} must be a number, not {value!r}")
            if known[key].type in ("int", int):
                if isinstance(value, float) and not value.is_integer():
                    raise ValueError(f"limit {key} must be a whole number, not {value!r}")
                value = int(value)
            else:
                value = float(value)
            changes[key] = value
        return replace(start, **changes)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check(name: str, value: Any) -> None:
    low, high = _BOUNDS[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"limit {name} must be a number, not {value!r}")
    if not low <= value <= high:
        raise ValueError(f"limit {name} = {value} is outside the allowed range {low}..{high}")
