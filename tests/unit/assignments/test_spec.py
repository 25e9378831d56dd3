"""The assignment.toml loader: every problem is named, caps over 6 hours need a reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from reciprocal.assignments.spec import AssignmentInvalid, content_hash, load_spec

from tests.support.paths import ROOT


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "customer-directory"
    shutil.copytree(ROOT / "assignments" / "customer-directory", target)
    return target


def test_shipped_assignment_loads() -> None:
    spec = load_spec(ROOT / "assignments" / "customer-directory")
    assert spec.time_cap_minutes <= 360
    assert spec.rubric and all(set(c.levels) == {"great", "good", "mediocre"} for c in spec.rubric)


def test_time_cap_over_six_hours_needs_a_reason(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    toml = folder / "assignment.toml"
    text = toml.read_text()
    import re

    toml.write_text(re.sub(r"time_cap_minutes = \d+", "time_cap_minutes = 480", text))
    with pytest.raises(AssignmentInvalid, match="more than 6 hours"):
        load_spec(folder)
    toml.write_text(toml.read_text().replace(
        "time_cap_minutes = 480", 'time_cap_minutes = 480\ntime_cap_reason = "A take-home '
        'for a staff role agreed with the candidate"'))
    assert load_spec(folder).time_cap_minutes == 480


def test_missing_anchor_and_folder_are_reported_together(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    toml = folder / "assignment.toml"
    toml.write_text(toml.read_text().replace("mediocre =", "so_so =", 1))
    shutil.rmtree(folder / "solution")
    with pytest.raises(AssignmentInvalid) as info:
        load_spec(folder)
    problems = " | ".join(info.value.problems)
    assert "lacks an anchor for: mediocre" in problems
    assert "solution/ folder is missing" in problems


def test_content_hash_ignores_caches_and_changes_with_content(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    before = content_hash(folder)
    (folder / "tests" / "__pycache__").mkdir(exist_ok=True)
    (folder / "tests" / "__pycache__" / "x.pyc").write_bytes(b"junk")
    assert content_hash(folder) == before
    (folder / "tests" / "test_extra.py").write_text("def test_x():\n    pass\n")
    assert content_hash(folder) != before
