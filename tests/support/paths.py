"""Where things are in the repository, for the tests and the benchmarks."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENTS = ROOT / "assignments"
REDTEAM = ROOT / "tests" / "redteam"
